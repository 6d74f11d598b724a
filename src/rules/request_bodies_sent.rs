//! SPA004 request-bodies-sent (AC5): The SDK attaches incoming request bodies to error events.
//!
//! **What:** an init whose SDK, at the installed version, attaches the body of the incoming request
//! to error events. Python: `max_request_body_size` defaults to `"medium"` (JSON and form bodies up
//! to 10 kB, whatever `send_default_pii` says); with `data_collection`, both
//! `max_request_body_size` and `http_bodies` must allow it. JavaScript server SDKs
//! (`@sentry/node`, the server side of Next.js and the like): 10.x always captures up to 10 kB
//! unless `httpIntegration({ maxIncomingRequestBodySize: 'none' })`; 11.x follows
//! `dataCollection.httpBodies` or `httpIntegration({ maxRequestBodySize })`. An absent option is a
//! warning (the version's default), a written one an error.
//!
//! **Why:** a ticket body or chat message posted to the failing endpoint lands in Sentry. The
//! default `EventScrubber` only removes exactly named keys such as `password`.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(dsn=DSN)                                  # warning: default "medium"
//! sentry_sdk.init(dsn=DSN, max_request_body_size="always")  # error
//! ```
//! Use instead: `max_request_body_size="never"`; in Node, `httpIntegration({ maxIncomingRequestBodySize: 'none' })`
//! (10.x) or `dataCollection: { httpBodies: [] }` (11.x).
//!
//! **Fix safety:** changing a literal is safe; inserting the option is unsafe (it adds code).

use super::fixes::{insert_items, quote_style, set_value};
use super::{judge_category, Context};
use crate::diagnostic::Sink;
use crate::fix::{Applicability, Fix};
use crate::model::{Sdk, SentryInit};
use crate::policy::Category;

const HELP_PY: &str = "set `max_request_body_size=\"never\"`";
const HELP_JS_10: &str =
    "add `Sentry.httpIntegration({ maxIncomingRequestBodySize: 'none' })` to `integrations`";
const HELP_JS_11: &str =
    "set `dataCollection: { httpBodies: [] }`, or `httpIntegration({ maxRequestBodySize: 'none' })`";

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for sdk in [Sdk::Python, Sdk::Javascript] {
        for (file, init, policy) in ctx.judged(sdk) {
            let Some(found) = judge_category(
                init,
                policy,
                Category::RequestBodies,
                "request bodies are attached to error events",
            ) else {
                continue;
            };
            let text = &ctx.files[file].text;
            let (help, fix) = match sdk {
                Sdk::Python => (HELP_PY, python_fix(ctx, file, init)),
                Sdk::Javascript => {
                    let v11 = policy
                        .js_segments
                        .iter()
                        .all(|s| s.node_bodies_follow_collection);
                    let fix = if v11 { js_fix(text, init) } else { None };
                    (if v11 { HELP_JS_11 } else { HELP_JS_10 }, fix)
                }
            };
            let definite = found.severity == crate::diagnostic::Severity::Error;
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

/// `max_request_body_size="never"`: set where written (1.x: `request_bodies`), else inserted.
fn python_fix(ctx: &Context, file: usize, init: &SentryInit) -> Option<Fix> {
    let text = &ctx.files[file].text;
    let quote = quote_style(text, ctx.files[file].lang, init.call.clone());
    let never = format!("{quote}never{quote}");
    if let Some(opt) = init.options.get("max_request_body_size") {
        return Some(set_value(opt, &never));
    }
    // 1.x: the deprecated name is replaced by the one it was renamed to.
    if let Some(opt) = init.options.get("request_bodies") {
        return Some(Fix::unsafe_edit(
            "replace `request_bodies` with `max_request_body_size`",
            vec![crate::fix::Edit::replace(
                opt.entry.clone(),
                format!("max_request_body_size={never}"),
            )],
        ));
    }
    if !init.options.opaque.is_empty() {
        return None;
    }
    let args = init.args.as_ref()?;
    let item = format!("max_request_body_size={never}");
    Some(Fix::unsafe_edit(
        format!("insert `{item}`"),
        insert_items(text, args, &[item]),
    ))
}

/// 11.x: `httpBodies: []` in the `dataCollection` written as a literal.
fn js_fix(text: &str, init: &SentryInit) -> Option<Fix> {
    let dc = init.options.get("dataCollection")?;
    let map = dc.value.value.map()?;
    if let Some(bodies) = map.get("httpBodies") {
        return Some(set_value(bodies, "[]"));
    }
    let list = map.literal.as_ref()?;
    Some(Fix::unsafe_edit(
        "add `httpBodies: []` to `dataCollection`",
        insert_items(text, list, &["httpBodies: []".into()]),
    ))
}
