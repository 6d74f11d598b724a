//! SPA003 scrubber-replaces-defaults (AC3): `EventScrubber(denylist=...)` without `DEFAULT_DENYLIST` replaces Sentry's defaults.
//!
//! **What:** `EventScrubber(denylist=[...])` whose list does not include `DEFAULT_DENYLIST`.
//!
//! **Why:** a custom `denylist` replaces Sentry's default list (passwords, tokens, API keys, cookies,
//! session ids...) instead of extending it: adding the customer fields silently stops scrubbing the
//! credentials.
//!
//! **Example:**
//! ```python
//! EventScrubber(denylist=["ticket_data"])                       # error
//! EventScrubber(denylist=DEFAULT_DENYLIST + ["ticket_data"])    # fine
//! ```
//!
//! **Fix safety:** safe: prepending `DEFAULT_DENYLIST` only scrubs more.

use super::fixes::{scrubber_imports, unpacked};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Edit, Fix};
use crate::model::{Denylist, Sdk};

const HELP: &str = "extend the default list: `denylist=DEFAULT_DENYLIST + [...]` (from `sentry_sdk.scrubber import DEFAULT_DENYLIST`)";

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init, policy) in ctx.judged(Sdk::Python) {
        // A scrubber the SDK discards (under `data_collection`) is SPA006's business.
        if !policy.scrubber_applies {
            continue;
        }
        let Some(scrubber) = &init.python.scrubber else {
            continue;
        };
        let Some(list) = &scrubber.denylist else {
            continue;
        };
        if list.includes_default {
            continue;
        }
        let text = ctx.text(file, list.value_range.clone());
        if list.partial {
            sink.report(
                file,
                list.key.clone(),
                Severity::Warning,
                format!("the scrubber's denylist `{text}` may not include `DEFAULT_DENYLIST`; a custom denylist replaces Sentry's default one (passwords, tokens, cookies)"),
                HELP,
            );
        } else {
            let fix = prepend_defaults(ctx, file, list);
            sink.report(
                file,
                list.key.clone(),
                Severity::Error,
                "the scrubber's denylist replaces Sentry's default one: passwords, tokens, API keys and cookies are no longer scrubbed",
                HELP,
            )
            .fix = Some(fix);
        }
    }
}

/// `["a"]` → `[*DEFAULT_DENYLIST, "a"]`; any other value `V` → `[*DEFAULT_DENYLIST, *V]`; with the
/// import.
fn prepend_defaults(ctx: &Context, file: usize, list: &Denylist) -> Fix {
    let text = &ctx.files[file].text;
    let (mut edits, locals) =
        scrubber_imports(text, &ctx.models[file].imports, &["DEFAULT_DENYLIST"]);
    let default = &locals[0];
    match list.list.as_ref().filter(|l| l.range == list.value_range) {
        Some(literal) => match literal.items.first() {
            None => edits.push(Edit::insert(literal.range.start + 1, format!("*{default}"))),
            Some(first) => {
                let between = &text[literal.range.start + 1..first.start];
                let separator = match between.rfind('\n') {
                    Some(i) => format!(",\n{}", &between[i + 1..]),
                    None => ", ".to_string(),
                };
                edits.push(Edit::insert(first.start, format!("*{default}{separator}")));
            }
        },
        None => edits.push(Edit::replace(
            list.value_range.clone(),
            format!(
                "[*{default}, {}]",
                unpacked(&text[list.value_range.clone()])
            ),
        )),
    }
    Fix::safe(format!("extend `{default}` instead of replacing it"), edits)
}
