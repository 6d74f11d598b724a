//! SPA107 replay-network-headers (AC2): Session Replay records sensitive request or response headers.
//!
//! **What:** `networkRequestHeaders` or `networkResponseHeaders` of a Session Replay integration
//! lists a header that carries credentials or identities: `Authorization`, `Cookie`,
//! `Set-Cookie`, `Proxy-Authorization`, `X-Api-Key`, `X-Auth-Token`, `X-CSRF-Token`,
//! `X-Forwarded-For`, `X-Real-IP` and the like. It is an error when `networkDetailAllowUrls`
//! records some requests, a warning while it records none (the list then does nothing yet).
//!
//! **Why:** the headers of every allow-listed request are stored in the replay, outside
//! `dataCollection` and `beforeSend`.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ networkDetailAllowUrls: ["/api"], networkRequestHeaders: ["Authorization"] })   // error
//! ```
//!
//! **Fix safety:** unsafe: the header is removed from the list.

use super::fixes::remove_item;
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::Fix;
use crate::model::{ArgList, Literal, Sdk, Value};
use crate::policy::{Category, State};

/// Headers that carry credentials, sessions or client addresses (compared lower-case).
const SENSITIVE: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-access-token",
    "x-csrf-token",
    "x-xsrf-token",
    "x-session-id",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "x-client-ip",
    "x-amz-security-token",
];

fn sensitive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    SENSITIVE.contains(&n.as_str()) || n.contains("token") || n.contains("secret")
}

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init, policy) in ctx.judged(Sdk::Javascript) {
        let Some(replay) = &init.replay else { continue };
        let recording = policy.get(Category::ReplayNetworkBodies).state != State::Off
            || policy.get(Category::ReplayNetworkHeaders).state != State::Off;
        for name in ["networkRequestHeaders", "networkResponseHeaders"] {
            let Some(opt) = replay.options.get(name) else {
                continue;
            };
            let Some(items) = opt.value.value.list() else {
                continue;
            };
            let list = ArgList {
                range: opt.value_range.clone(),
                items: items.iter().map(|i| i.range.clone()).collect(),
            };
            for item in items {
                let Value::Literal(Literal::Str(h)) = &item.value.value else {
                    continue;
                };
                if !sensitive(h) {
                    continue;
                }
                let (severity, when) = if recording {
                    (
                        Severity::Error,
                        "the replay records it for every allow-listed request",
                    )
                } else {
                    (Severity::Warning, "no request is allow-listed yet (`networkDetailAllowUrls` is empty), but any URL added will record it")
                };
                let fix = remove_item(&ctx.files[file].text, &list, &item.range)
                    .map(|e| Fix::unsafe_edit(format!("remove `{h}` from `{name}`"), vec![e]));
                sink.report(
                    file,
                    item.range.clone(),
                    severity,
                    format!(
                        "`{name}` lists `{h}`, which carries credentials or identities: {when}"
                    ),
                    format!("remove `{h}` from `{name}`"),
                )
                .fix = fix;
            }
        }
    }
}
