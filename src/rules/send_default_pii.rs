//! SPA001 send-default-pii (AC1): Python `send_default_pii` is or may be true.
//!
//! **What:** a Python `sentry_sdk.init(...)` (or `Client(...)`) whose `send_default_pii` is, or may
//! be, true.
//!
//! **Why:** with it the SDK attaches user ids, usernames, e-mail addresses, IP addresses, cookies and
//! request headers to every event. Customer identities then reach Sentry, a sub-processor the
//! data-processing agreement must disclose.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN, send_default_pii=True)   # error
//! sentry_sdk.init(dsn=DSN, send_default_pii=os.getenv("SENTRY_PII") == "1")   # warning
//! ```
//! Use instead: `send_default_pii=False` (or leave it out: the default is off).
//!
//! **Fix safety:** replacing a literal `True` with `False` is safe; replacing an expression is unsafe,
//! it changes what the application decided at run time.

use super::{Context, OptionRule};
use crate::diagnostic::Sink;
use crate::model::Sdk;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Python) {
        OptionRule {
            name: "send_default_pii",
            unsafe_value: &|l| l.truthy(),
            python: true,
            consequence: "user ids, IP addresses, cookies and request headers are sent to Sentry",
            help:
                "set `send_default_pii=False`; attach only the user data you need in `before_send`",
            safe_value: "False",
        }
        .judge(sink, file, &init.options);
    }
}
