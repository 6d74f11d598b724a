//! SPA005 local-variables-sent (AC5): Python `include_local_variables` is absent (default True) or true.
//!
//! **What:** a Python init whose `include_local_variables` is absent (the default is `True`) or true.
//!
//! **Why:** every stack frame of an error event then carries the values of its local variables: the
//! ticket body, the chat transcript or the file content the failing function was handling.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN)                                 # warning: default True
//! sentry_sdk.init(dsn=DSN, include_local_variables=True)   # error
//! ```
//! Use instead: `include_local_variables=False`.
//!
//! **Fix safety:** changing a literal is safe; inserting the option is unsafe (it adds code).

use super::{Context, OptionRule};
use crate::diagnostic::Sink;
use crate::model::Sdk;

const HELP: &str = "set `include_local_variables=False`";

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Python) {
        OptionRule {
            name: "include_local_variables",
            unsafe_value: &|l| l.truthy(),
            python: true,
            consequence: "the local variables of every stack frame are sent with error events",
            help: HELP,
            safe_value: "False",
        }
        .judge_unsafe_default(
            sink,
            file,
            &ctx.files[file].text,
            init,
            "`include_local_variables` is not set: the SDK default `True` sends the local variables of every stack frame with error events",
        );
    }
}
