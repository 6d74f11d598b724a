//! SPA005 local-variables-sent (AC5): The SDK sends the local variables of stack frames with error events.
//!
//! **What:** an init whose SDK, at the installed version, sends stack-frame local variables.
//! Python: `include_local_variables` defaults to `True` (2.x without `data_collection`, with the
//! `EventScrubber`'s exact-key denylist); with `data_collection` (2.69+) `stack_frame_variables`
//! decides, and `True`, its default, sends them unfiltered. Node: `includeLocalVariables: true`,
//! filtered through `dataCollection.stackFrameVariables` from 10.68. An absent option is a warning
//! (the version's default), a written one an error.
//!
//! **Why:** every stack frame of an error event then carries the values of its local variables: the
//! ticket body, the chat transcript or the file content the failing function was handling.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN)                                 # warning: default True
//! sentry_sdk.init(dsn=DSN, include_local_variables=True)   # error
//! sentry_sdk.init(dsn=DSN, data_collection={})             # warning on 2.69+: sent unfiltered
//! ```
//! Use instead: `include_local_variables=False`, or with `data_collection`
//! `{"stack_frame_variables": False}`.
//!
//! **Fix safety:** changing a literal is safe; inserting the option is unsafe (it adds code).

use super::fixes::{insert_items, set_value};
use super::{judge_category, Context};
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Applicability, Fix};
use crate::model::{Sdk, SentryInit};
use crate::policy::{Category, Policy};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for sdk in [Sdk::Python, Sdk::Javascript] {
        for (file, init, policy) in ctx.judged(sdk) {
            let Some(found) = judge_category(
                init,
                policy,
                Category::FrameVariables,
                "the local variables of every stack frame are sent with error events",
            ) else {
                continue;
            };
            let text = &ctx.files[file].text;
            let (help, fix) = match sdk {
                Sdk::Python if dc_frames(policy) => (
                    "set `data_collection={\"stack_frame_variables\": False}`",
                    python_dc_fix(text, init),
                ),
                Sdk::Python => (
                    "set `include_local_variables=False`",
                    python_fix(text, init),
                ),
                Sdk::Javascript => (
                    "set `includeLocalVariables: false` (the default)",
                    init.options
                        .get("includeLocalVariables")
                        .map(|o| set_value(o, "false")),
                ),
            };
            let definite = found.severity == Severity::Error;
            let f = sink.report(file, found.range, found.severity, found.message, help);
            f.fix = fix.map(|mut fx| {
                if !definite {
                    fx.applicability = fx.applicability.min(Applicability::Unsafe);
                }
                fx
            });
        }
    }
}

/// `data_collection` governs frames in every judged release (2.69+).
fn dc_frames(policy: &Policy) -> bool {
    policy.data_collection
        && !policy.py_segments.is_empty()
        && policy.py_segments.iter().all(|s| s.dc_frames)
}

fn python_fix(text: &str, init: &SentryInit) -> Option<Fix> {
    if let Some(opt) = init.options.get("include_local_variables") {
        return Some(set_value(opt, "False"));
    }
    // 1.x: the deprecated name is replaced by the one it was renamed to.
    if let Some(opt) = init.options.get("with_locals") {
        return Some(Fix::unsafe_edit(
            "replace `with_locals` with `include_local_variables=False`",
            vec![crate::fix::Edit::replace(
                opt.entry.clone(),
                "include_local_variables=False",
            )],
        ));
    }
    if !init.options.opaque.is_empty() {
        return None;
    }
    let args = init.args.as_ref()?;
    let item = "include_local_variables=False".to_string();
    Some(Fix::unsafe_edit(
        format!("insert `{item}`"),
        insert_items(text, args, &[item]),
    ))
}

/// `"stack_frame_variables": False` in the `data_collection` dict.
fn python_dc_fix(text: &str, init: &SentryInit) -> Option<Fix> {
    let dc = init.options.get("data_collection")?;
    let map = dc.value.value.map()?;
    if let Some(opt) = map.get("stack_frame_variables") {
        return Some(set_value(opt, "False"));
    }
    let list = map.literal.as_ref()?;
    let q = if text[dc.value_range.clone()].contains('\'')
        && !text[dc.value_range.clone()].contains('"')
    {
        '\''
    } else {
        '"'
    };
    Some(Fix::unsafe_edit(
        "add `\"stack_frame_variables\": False` to `data_collection`",
        insert_items(text, list, &[format!("{q}stack_frame_variables{q}: False")]),
    ))
}
