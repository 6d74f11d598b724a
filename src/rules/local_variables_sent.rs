//! SPA005 local-variables-sent (AC5).
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

use super::{Context, OptionRule, Rule};
use crate::diagnostic::{Severity, Sink};
use crate::model::Sdk;

pub static RULE: Rule = Rule {
    code: "SPA005",
    name: "local-variables-sent",
    criterion: Some("AC5"),
    severity: Severity::Error,
    summary: "Python `include_local_variables` is absent (default True) or true",
    description: "A Python init whose `include_local_variables` is absent (the default is `True`) or true. Every stack frame then carries its local variables: the ticket body, chat transcript or file content the failing function was handling.",
    check,
};

const HELP: &str = "set `include_local_variables=False`";

fn check(ctx: &Context, sink: &mut Sink) {
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
