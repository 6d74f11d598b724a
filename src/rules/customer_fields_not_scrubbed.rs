//! SPA002 customer-fields-not-scrubbed (AC3): Configured `sensitive_fields` are neither dropped by `before_send` nor in the `EventScrubber` denylist.
//!
//! **What:** the configuration lists `sensitive_fields`, and a Python init has neither a
//! `before_send` whose function mentions each field as a string (in its body, in a module-level
//! constant the body references, or in a same-module function it calls; the function may live in
//! this file or be imported from another scanned file), nor an `event_scrubber` whose denylist
//! contains it. The message names the missing fields.
//!
//! **Why:** the review requires scrubbing rules for the customer-data fields (ticket bodies, AI
//! transcripts...). Sentry's default scrubbing knows passwords and tokens, not these names.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN)   # error: no scrubbing of "ticket_data", ...
//! sentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(
//!     denylist=DEFAULT_DENYLIST + ["ticket_data"], recursive=True))   # fine
//! ```
//! `EventScrubber` matches key names exactly (case-insensitively) and only at the top level unless
//! `recursive=True`.
//!
//! **Fix safety:** unsafe: it adds a scrubber (or fields to one), which changes what is sent.

use std::collections::BTreeSet;

use super::fixes::{
    has_trailing_comma, indent_unit, insert_items, item_indent, quote_style, scrubber_imports,
    unpacked,
};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Edit, Fix};
use crate::model::{HookTarget, Sdk, SentryInit};

/// Does a string literal mention the field as a whole word (`"ticket_data"`, `r"ticket_data|x"`)?
pub(crate) fn mentions(strings: &BTreeSet<String>, field: &str) -> bool {
    strings.iter().any(|s| {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w.eq_ignore_ascii_case(field))
    })
}

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    let fields = &ctx.config.sensitive_fields;
    if fields.is_empty() {
        return;
    }
    for (file, init, policy) in ctx.judged(Sdk::Python) {
        let mut covered: Vec<&str> = Vec::new();
        let mut unreadable: Vec<String> = Vec::new();
        let hook_opt = init.options.get("before_send");
        let scrub_opt = init.options.get("event_scrubber");
        // `data_collection` makes the SDK discard the scrubber (and sentry-sdk 3 removed it): a
        // scrubber the SDK drops scrubs nothing.
        let dropped = scrub_opt.is_some() && !policy.scrubber_applies;
        if let Some(hook) = &init.python.before_send {
            match &hook.target {
                HookTarget::Local(strings) | HookTarget::Resolved { strings, .. } => covered.extend(
                    fields
                        .iter()
                        .filter(|f| mentions(strings, f))
                        .map(String::as_str),
                ),
                HookTarget::Imported { module, .. } => unreadable.push(format!(
                    "`before_send={}` (imported from `{module}`, which was not among the checked files)",
                    hook.text
                )),
                HookTarget::Unknown => {
                    unreadable.push(format!("`before_send={}`", hook.text))
                }
            }
        }
        if let Some(scrubber) = init.python.scrubber.as_ref().filter(|_| !dropped) {
            match &scrubber.denylist {
                Some(list) => {
                    covered.extend(
                        fields
                            .iter()
                            .filter(|f| list.entries.iter().any(|e| e.eq_ignore_ascii_case(f)))
                            .map(String::as_str),
                    );
                    if list.partial {
                        unreadable.push(format!(
                            "the denylist `{}`",
                            ctx.text(file, list.value_range.clone())
                        ));
                    }
                }
                None if scrubber.unresolved => unreadable.push(format!(
                    "`event_scrubber={}`",
                    scrub_opt.map(|o| o.value.text.as_str()).unwrap_or("...")
                )),
                None => {}
            }
        }
        if !init.options.opaque.is_empty() && hook_opt.is_none() && scrub_opt.is_none() {
            unreadable.push(format!("`{}`", init.options.opaque[0].text));
        }
        let missing: Vec<&str> = fields
            .iter()
            .map(String::as_str)
            .filter(|f| !covered.contains(f))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let range = hook_opt
            .or(scrub_opt)
            .map(|o| o.key.clone())
            .unwrap_or_else(|| init.callee.clone());
        let help = "add the fields to an `EventScrubber(denylist=DEFAULT_DENYLIST + [...], recursive=True)`, or drop them in `before_send`";
        if unreadable.is_empty() {
            let what = match (hook_opt.is_some(), scrub_opt.is_some()) {
                _ if dropped => {
                    let dropped_by = format!(
                        "{} discards `event_scrubber` because `data_collection` is set, and {}",
                        policy.judged,
                        if hook_opt.is_some() {
                            "`before_send` does not mention"
                        } else {
                            "no `before_send` drops"
                        }
                    );
                    sink.report(
                        file,
                        range,
                        Severity::Error,
                        format!("{dropped_by} the customer-data fields {list}"),
                        "drop the customer-data fields in `before_send`: the scrubber does not run under `data_collection`",
                    )
                    .fix = hook_fix(ctx, file, init, &missing);
                    continue;
                }
                (false, false) => "no `before_send` or `event_scrubber` scrubs",
                (true, false) => "`before_send` does not mention",
                (false, true) => "the `event_scrubber` denylist does not contain",
                (true, true) => "neither `before_send` nor the `event_scrubber` denylist covers",
            };
            // Under `data_collection` a scrubber would be discarded: the fields go in `before_send`.
            let fix = if policy.data_collection {
                hook_fix(ctx, file, init, &missing)
            } else {
                scrub_fix(ctx, file, init, &missing)
            };
            sink.report(
                file,
                range,
                Severity::Error,
                format!("{what} the customer-data fields {list}"),
                help,
            )
            .fix = fix;
        } else {
            sink.report(
                file,
                range,
                Severity::Warning,
                format!(
                    "cannot verify that {} scrubs the customer-data fields {list}",
                    unreadable.join(" or ")
                ),
                help,
            );
        }
    }
}

/// Add the missing fields to the scrubber's denylist, give a scrubber without a denylist one
/// (`DEFAULT_DENYLIST + [...]`), or add `event_scrubber=EventScrubber(...)` to the init, with the
/// imports it needs.
fn scrub_fix(ctx: &Context, file: usize, init: &SentryInit, missing: &[&str]) -> Option<Fix> {
    let text = &ctx.files[file].text;
    let imports = &ctx.models[file].imports;
    let q = quote_style(text, ctx.files[file].lang, init.call.clone());
    let quoted: Vec<String> = missing.iter().map(|f| format!("{q}{f}{q}")).collect();
    let fields = quoted.join(", ");
    let mut edits = Vec::new();
    match &init.python.scrubber {
        Some(scrubber) => match (&scrubber.denylist, &scrubber.args) {
            (Some(list), _) => match &list.list {
                Some(literal) => edits.extend(insert_items(text, literal, &quoted)),
                None => edits.push(Edit::replace(
                    list.value_range.clone(),
                    format!("[{}, {fields}]", unpacked(&text[list.value_range.clone()])),
                )),
            },
            (None, Some(args)) if !scrubber.unresolved => {
                let (imported, locals) = scrubber_imports(text, imports, &["DEFAULT_DENYLIST"]);
                edits.extend(imported);
                edits.extend(insert_items(
                    text,
                    args,
                    &[format!("denylist={} + [{fields}]", locals[0])],
                ));
            }
            _ => return None,
        },
        None => {
            // `event_scrubber=None` is an explicit choice; leave it to a person.
            if init.options.get("event_scrubber").is_some() {
                return None;
            }
            let args = init.args.as_ref()?;
            let (imported, locals) =
                scrubber_imports(text, imports, &["EventScrubber", "DEFAULT_DENYLIST"]);
            edits.extend(imported);
            let inline = format!(
                "event_scrubber={}(denylist={} + [{fields}], recursive=True)",
                locals[0], locals[1]
            );
            // A call written one argument per line gets the scrubber in the same style when it
            // would not fit on one line, with trailing commas where the call has one.
            let item = match item_indent(text, args) {
                Some(indent) if indent.len() + inline.len() + 1 > 88 => {
                    let u = indent_unit(&indent);
                    let c = if has_trailing_comma(text, args) {
                        ","
                    } else {
                        ""
                    };
                    let list = quoted
                        .iter()
                        .map(|f| format!("\n{u}{u}{f}"))
                        .collect::<Vec<_>>()
                        .join(",");
                    format!(
                        "event_scrubber={}(\n{u}denylist={}\n{u}+ [{list}{c}\n{u}],\n{u}recursive=True{c}\n)",
                        locals[0], locals[1]
                    )
                }
                _ => inline,
            };
            edits.extend(insert_items(text, args, &[item]));
        }
    }
    let names: Vec<String> = missing.iter().map(|f| format!("`{f}`")).collect();
    Some(Fix::unsafe_edit(
        format!("add {} to the scrubber's denylist", names.join(", ")),
        edits,
    ))
}

/// Add a module-level `before_send` that replaces the customer-data fields at any depth, and
/// `before_send=<it>` to the init. Only for an init without a `before_send` (two hooks cannot be
/// merged safely); the function goes before the top-level statement that holds the init.
fn hook_fix(ctx: &Context, file: usize, init: &SentryInit, missing: &[&str]) -> Option<Fix> {
    if init.options.get("before_send").is_some() || !init.options.opaque.is_empty() {
        return None;
    }
    let text = &ctx.files[file].text;
    let args = init.args.as_ref()?;
    let fields: Vec<&str> = ctx
        .config
        .sensitive_fields
        .iter()
        .map(String::as_str)
        .collect();
    let _ = missing;
    let mut name = "drop_customer_fields".to_string();
    while text.contains(&format!("def {name}(")) {
        name.push('_');
    }
    let q = quote_style(text, ctx.files[file].lang, init.call.clone());
    let set = fields
        .iter()
        .map(|f| format!("{q}{f}{q}"))
        .collect::<Vec<_>>()
        .join(", ");
    let function = format!(
        "def {name}(event, hint):\n    \"\"\"Replace the customer-data fields at any depth of the event before it is sent.\"\"\"\n    fields = {{{set}}}\n\n    def scrub(value):\n        if isinstance(value, dict):\n            return {{k: {q}[Filtered]{q} if k in fields else scrub(v) for k, v in value.items()}}\n        if isinstance(value, list):\n            return [scrub(v) for v in value]\n        return value\n\n    return scrub(event)\n\n\n"
    );
    // The start of the top-level statement around the init, with its decorators.
    let mut at = text[..init.call.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    while at > 0 && text[at..].starts_with([' ', '\t', ')', ']', '}', '\n', '\r']) {
        at = text[..at - 1].rfind('\n').map(|i| i + 1).unwrap_or(0);
    }
    while at > 0 {
        let prev = text[..at - 1].rfind('\n').map(|i| i + 1).unwrap_or(0);
        if text[prev..].starts_with('@') {
            at = prev;
        } else {
            break;
        }
    }
    // Two blank lines before a function, as PEP 8 asks.
    let before = &text[..at];
    let lead = if before.is_empty() || before.ends_with("\n\n\n") {
        ""
    } else if before.ends_with("\n\n") {
        "\n"
    } else {
        "\n\n"
    };
    let mut edits = vec![Edit::insert(at, format!("{lead}{function}"))];
    edits.extend(insert_items(text, args, &[format!("before_send={name}")]));
    Some(Fix::unsafe_edit(
        format!("drop the customer-data fields in a new `before_send`, `{name}`"),
        edits,
    ))
}
