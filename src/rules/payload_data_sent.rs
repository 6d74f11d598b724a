//! SPA008 payload-data-sent (AC5): Database query data, job arguments or GraphQL data are collected while the project uses such a library.
//!
//! **What:** an init whose SDK, at the installed version, records database query parameters and
//! results, the arguments of background jobs and queue messages, or GraphQL documents and
//! variables, while the project declares a library of that kind: a database client (`sqlalchemy`,
//! `psycopg`, `pymongo`, `redis`, `pg`, `@prisma/client`, `@supabase/supabase-js`...), a job queue
//! (`celery`, `rq`, `arq`, `huey`, `dramatiq`, `kafkajs`, `bullmq`...) or a GraphQL library
//! (`strawberry-graphql`, `graphene`, `ariadne`, `graphql`, `@apollo/server`...). One finding per
//! kind.
//!
//! **Why:** these payloads are the application's own data: ticket rows, the arguments of the job
//! that summarises a conversation, the variables of a mutation that saves a ticket. Celery, RQ,
//! ARQ, Huey and Dramatiq put job arguments into the error event's `extra`.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN, data_collection={"user_info": False})   # error when the project uses celery
//! sentry_sdk.init(dsn=DSN, data_collection={"user_info": False, "queues": False})   # fine
//! ```
//!
//! **Fix safety:** unsafe: the category is turned off in the data-collection object. Releases
//! that record the data whatever the options say (sentry-sdk before 2.59 for Celery and RQ,
//! `@sentry/*` 9.x–10.53 for Supabase) have no fix but an upgrade.

use super::fixes::set_in_collection;
use super::{judge_category, Context};
use crate::diagnostic::Sink;
use crate::fix::Applicability;
use crate::model::Sdk;
use crate::policy::{Category, LibraryKind};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for sdk in [Sdk::Python, Sdk::Javascript] {
        for (file, init, policy) in ctx.judged(sdk) {
            for lib in &policy.libraries {
                let (categories, what, key): (&[Category], &str, (&str, &str)) =
                    match (lib.kind, sdk) {
                        (LibraryKind::Ai, _) => continue,
                        (LibraryKind::Database, Sdk::Python) => (
                            &[Category::DatabaseQueryData],
                            "database query data",
                            ("database_query_data", "False"),
                        ),
                        (LibraryKind::Database, _) => (
                            &[Category::DatabaseQueryData],
                            "database query data",
                            ("databaseQueryData", "false"),
                        ),
                        (LibraryKind::Queue, Sdk::Python) => (
                            &[Category::QueueArguments],
                            "job arguments",
                            ("queues", "False"),
                        ),
                        (LibraryKind::Queue, _) => (
                            &[Category::QueueArguments],
                            "queue message data",
                            ("queues", "false"),
                        ),
                        (LibraryKind::Graphql, Sdk::Python) => (
                            &[Category::GraphqlVariables, Category::GraphqlDocument],
                            "GraphQL documents and variables",
                            ("graphql", "{\"document\": False, \"variables\": False}"),
                        ),
                        (LibraryKind::Graphql, _) => (
                            &[Category::GraphqlVariables, Category::GraphqlDocument],
                            "GraphQL documents and variables",
                            ("graphQL", "{ document: false, variables: false }"),
                        ),
                    };
                let Some(found) = categories.iter().find_map(|c| {
                    judge_category(init, policy, *c, &format!("{what} are recorded"))
                }) else {
                    continue;
                };
                let fix = if policy.data_collection {
                    set_in_collection(&ctx.files[file].text, init, key.0, key.1, false)
                } else {
                    None
                };
                let option = if sdk == Sdk::Python {
                    "data_collection"
                } else {
                    "dataCollection"
                };
                let definite = found.severity == crate::diagnostic::Severity::Error;
                let f = sink.report(
                    file,
                    found.range,
                    found.severity,
                    format!(
                        "the SDK records {what}, and the project uses `{}` ({}): {}",
                        lib.name, lib.source, found.message
                    ),
                    format!("set `{option}.{}` to `{}`", key.0, key.1),
                );
                f.fix = fix.map(|mut fx| {
                    if !definite {
                        fx.applicability = fx.applicability.min(Applicability::Unsafe);
                    }
                    fx
                });
            }
        }
    }
}
