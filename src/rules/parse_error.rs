//! SPA000 parse-error: A candidate file has syntax errors; extraction continues on the valid parts.
//!
//! **What:** a file that mentions Sentry (or is a customer-data route) has syntax errors.
//!
//! **Why:** the parser recovers and the tool still reads the valid parts, but an init inside the
//! broken region may be missed or misread; a clean audit needs files that parse.
//!
//! **Fix safety:** no fix; files with syntax errors are never rewritten.

use super::Context;
use crate::diagnostic::{Severity, Sink};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, model) in ctx.models.iter().enumerate() {
        if let Some((range, message)) = &model.parse_error {
            sink.report(
                file,
                range.clone(),
                Severity::Warning,
                format!("syntax error: {message}"),
                "findings in this file may be incomplete until the syntax error is fixed",
            );
        }
    }
}
