//! SPA006 ignored-option (AC1): An option the installed SDK version ignores, rejects, or turns into its permissive default.
//!
//! **What:** an option whose effect at the installed SDK version is not what it says:
//! - JavaScript: `sendDefaultPii` on 11.x (removed) or next to `dataCollection` (ignored from
//!   10.54); `dataCollection` before 10.54; `dataCollection.queryParams` on 11.x; a flat
//!   `httpHeaders` before 10.75; the http integration's body option under its old or new name;
//!   Session Replay 7 privacy options (`maskTextSelector`, `blockSelector`, `blockClass`,
//!   `maskTextClass`, `ignoreClass`, `maskInputOptions`, `unmaskTextSelector`...) on 8 and later,
//!   and `sessionSampleRate`/`errorSampleRate` inside the replay options.
//! - Python next to `data_collection`: `send_default_pii`, `include_local_variables` and
//!   `include_source_context` (2.69+), `event_scrubber` (discarded from 2.67), `include_prompts`
//!   of the AI integrations; `data_collection` values that do nothing or raise (`False` or `None`
//!   for a dict-typed category, camel-case modes, a flat `http_headers`, camel-case body names,
//!   unknown keys such as `query_params`); `with_locals`/`request_bodies` on sentry-sdk 2 and later
//!   (`init()` raises); on sentry-sdk 3 the removed options.
//!
//! Deprecated options that still work are not findings; `explain` mentions them.
//!
//! **Why:** the configuration looks private, and the SDK collects anyway (or the application does
//! not start). `sendDefaultPii: false` on 11.x protects nothing.
//!
//! **Example:**
//! ```ts
//! Sentry.init({ dsn, sendDefaultPii: false });   // error on 11.x: ignored
//! ```
//! ```python
//! sentry_sdk.init(dsn=DSN, data_collection={"cookies": False})   # error: replaced by the default
//! ```
//!
//! **Fix safety:** renaming a 1.x option or the http integration's body option, and removing an
//! option the SDK ignores, are safe; replacing a value that does nothing with the form that works
//! (`{"mode": "off"}`) is unsafe: it changes what is sent.

use super::fixes::{entry_at, remove_item};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Edit, Fix};
use crate::model::Sdk;
use crate::policy::{IgnoredKind, IgnoredOption, Remedy};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for sdk in [Sdk::Python, Sdk::Javascript] {
        for (file, init, policy) in ctx.judged(sdk) {
            for ig in &policy.ignored {
                let what = match ig.kind {
                    IgnoredKind::Ignored => "ignored",
                    IgnoredKind::Rejected => "rejected",
                    IgnoredKind::NoOp => "no effect",
                };
                let message = format!(
                    "`{}` ({what} on {}): {}",
                    ig.option, policy.judged, ig.message
                );
                let fix = fix(&ctx.files[file].text, init, ig);
                sink.report(file, ig.at.clone(), Severity::Error, message, &ig.instead)
                    .fix = fix;
            }
        }
    }
}

fn fix(text: &str, init: &crate::model::SentryInit, ig: &IgnoredOption) -> Option<Fix> {
    match &ig.remedy {
        Remedy::Rename(new) => Some(Fix::safe(
            format!(
                "rename `{}` to `{new}`",
                ig.option.rsplit('.').next().unwrap_or("")
            ),
            vec![Edit::replace(ig.at.clone(), *new)],
        )),
        Remedy::Remove => {
            let (entry, holder) = entry_at(&init.options, &ig.at)?;
            let list = if std::ptr::eq(holder, &init.options) {
                init.args.as_ref()?
            } else {
                holder.literal.as_ref()?
            };
            let edit = remove_item(text, list, &entry.entry)?;
            Some(Fix::safe(
                format!("remove `{}` (the SDK ignores it)", ig.option),
                vec![edit],
            ))
        }
        Remedy::Replace(new) => Some(Fix::unsafe_edit(
            format!("write `{new}`, which the SDK honours"),
            vec![Edit::replace(ig.value.clone()?, new.clone())],
        )),
        Remedy::None => None,
    }
}
