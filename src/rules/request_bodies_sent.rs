//! SPA004 request-bodies-sent (AC5): Python `max_request_body_size` is absent (default "medium") or not "never".
//!
//! **What:** a Python init whose `max_request_body_size` is absent or not `"never"`.
//!
//! **Why:** the SDK's default, `"medium"`, attaches JSON and form request bodies up to 10 kB to error
//! events from web-framework integrations, whatever `send_default_pii` says. A ticket body or chat
//! message posted to the failing endpoint lands in Sentry.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN)                                  # warning: default "medium"
//! sentry_sdk.init(dsn=DSN, max_request_body_size="always")  # error
//! ```
//! Use instead: `max_request_body_size="never"`.
//!
//! **Fix safety:** changing a literal is safe; inserting the option is unsafe (it adds code).

use super::fixes::quote_style;
use super::{Context, OptionRule};
use crate::diagnostic::Sink;
use crate::model::{Literal, Sdk};

const HELP: &str = "set `max_request_body_size=\"never\"`";

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Python) {
        let text = &ctx.files[file].text;
        let quote = quote_style(text, ctx.files[file].lang, init.call.clone());
        let never = format!("{quote}never{quote}");
        OptionRule {
            name: "max_request_body_size",
            unsafe_value: &|l| !matches!(l, Literal::Str(s) if s == "never"),
            python: true,
            consequence: "request bodies are sent with error events",
            help: HELP,
            safe_value: &never,
        }
        .judge_unsafe_default(
            sink,
            file,
            text,
            init,
            "`max_request_body_size` is not set: the SDK default \"medium\" sends JSON and form request bodies up to 10 kB with error events, whatever `send_default_pii` says",
        );
    }
}
