//! SPA105 frontend-send-default-pii (AC1): JavaScript `sendDefaultPii` is or may be true.
//!
//! **What:** a JavaScript/TypeScript `Sentry.init({...})` whose `sendDefaultPii` is, or may be, true.
//!
//! **Why:** the browser and Node SDKs then attach IP addresses, cookies, request headers and user
//! data to events. Session Replay ignores this option: its masking is judged by SPA101–SPA103.
//!
//! **Example:**
//! ```ts
//! Sentry.init({ dsn, sendDefaultPii: true });   // error
//! Sentry.init({ dsn, sendDefaultPii: import.meta.env.VITE_SENTRY_PII === "true" });   // warning
//! ```
//! Use instead: `sendDefaultPii: false`, or leave it out.
//!
//! **Fix safety:** `true` → `false` is safe for a literal, unsafe for an expression.

use super::{Context, OptionRule};
use crate::diagnostic::Sink;
use crate::model::Sdk;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Javascript) {
        OptionRule {
            name: "sendDefaultPii",
            unsafe_value: &|l| l.truthy(),
            python: false,
            consequence: "IP addresses, cookies, request headers and user data are sent to Sentry",
            help: "set `sendDefaultPii: false` (the default)",
            safe_value: "false",
        }
        .judge(sink, file, &init.options);
    }
}
