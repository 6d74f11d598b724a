//! SPA000 parse-error: A candidate file has syntax errors; extraction continues on the valid parts.
//!
//! **What:** a file that mentions Sentry (or is a customer-data route) has syntax errors, as a
//! conformance-tested parser confirms (oxc for JavaScript and TypeScript, Ruff's parser for
//! Python); the message and location are that parser's.
//!
//! **Why:** the parser recovers and the tool still reads the valid parts, but an init inside the
//! broken region may be missed or misread; a clean audit needs files that parse. When the file
//! holds a Sentry init, or might (it imports a Sentry package or names `Sentry.`, `sentry_sdk` or
//! `sentryOnLoad`), the tool cannot vouch for it: the finding is an error and fails the run.
//! Elsewhere (a customer-data route, a module read for context) it is a warning.
//!
//! **Fix safety:** no fix; files with syntax errors are never rewritten.

use super::Context;
use crate::diagnostic::{Severity, Sink};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, model) in ctx.models.iter().enumerate() {
        if let Some((range, message)) = &model.parse_error {
            let sentry = !model.inits.is_empty()
                || crate::source::names_sentry(ctx.files[file].text.as_bytes());
            let (severity, help) = if sentry {
                (
                    Severity::Error,
                    "this file holds or may hold a Sentry init that cannot be read until the syntax error is fixed",
                )
            } else {
                (
                    Severity::Warning,
                    "findings in this file may be incomplete until the syntax error is fixed",
                )
            };
            sink.report(
                file,
                range.clone(),
                severity,
                format!("syntax error: {message}"),
                help,
            );
        }
    }
}
