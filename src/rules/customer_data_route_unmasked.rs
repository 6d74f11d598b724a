//! SPA201 customer-data-route-unmasked (AC2): A customer-data route renders an unmasked root element while replay records text.
//!
//! **What:** a file matched by `customer_data_routes` whose component renders an outermost JSX
//! element that is not masked for Session Replay, while some replay integration in the tree records
//! text (`maskAllText` is or may be false). Masked means: a `data-sentry-mask` attribute, a
//! `className` containing `sentry-mask`, a `mask_components` wrapper (default `["Mask"]`), or the
//! stronger blocking (`data-sentry-block`, `sentry-block`). Components that another component of the
//! same file renders are covered by their parent's masking and are not judged on their own.
//!
//! **Why:** the review asks that the routes rendering customer data (ticket views, AI chats,
//! conversations, file viewers) be masked in replays even when global text masking is off.
//!
//! **Example:**
//! ```tsx
//! export function TicketView() { return <div className="ticket">...</div>; }   // error
//! export function TicketView() { return <div data-sentry-mask className="ticket">...</div>; }
//! ```
//! `@sentry/react` has no `<Mask>` component: apps write their own wrapper and list it in
//! `mask_components`.
//!
//! **Fix safety:** unsafe (adds an attribute); a fragment root gets display-only advice.

use super::fixes::jsx_attribute_at;
use super::replay::{switch_verdict, MASK_ALL_TEXT};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Edit, Fix};
use crate::model::{Sdk, Verdict};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    // The replay that records text, with where it says so.
    let mut recording: Option<(Verdict, String)> = None;
    for (file, init) in ctx.inits_of(Sdk::Javascript) {
        let Some(replay) = &init.replay else { continue };
        let verdict = switch_verdict(replay, MASK_ALL_TEXT);
        if verdict == Verdict::No {
            continue;
        }
        let at = replay
            .options
            .get(MASK_ALL_TEXT)
            .map(|o| o.key.start)
            .unwrap_or(replay.callee.start);
        let lc = ctx.files[file].line_col(at);
        let place = format!("{}:{}", ctx.files[file].display, lc.line);
        if recording.as_ref().is_none_or(|(v, _)| verdict > *v) {
            recording = Some((verdict, place));
        }
    }
    let Some((verdict, place)) = recording else {
        return;
    };
    let mask_components = ctx.config.mask_components.join("`, `");
    for (file, model) in ctx.models.iter().enumerate() {
        for root in model.jsx_roots.iter().filter(|r| !r.masked) {
            let element = if root.fragment {
                "the fragment `<>`".to_string()
            } else {
                format!("`<{}>`", root.tag)
            };
            let recorded = match verdict {
                Verdict::Yes => format!("replay records text (`maskAllText` is off at {place})"),
                _ => format!("replay may record text (`maskAllText` at {place})"),
            };
            let fix = if root.fragment {
                Fix::display_only("wrap the fragment's content in `<div data-sentry-mask>`")
            } else {
                Fix::unsafe_edit(
                    format!("add `data-sentry-mask` to `<{}>`", root.tag),
                    vec![Edit::insert(
                        jsx_attribute_at(&ctx.files[file].text, root.name_end, root.range.end),
                        " data-sentry-mask",
                    )],
                )
            };
            sink.report(
                file,
                root.range.clone(),
                if verdict == Verdict::Yes {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "{element}, the outermost element `{}` renders on a customer-data route, is not masked while {recorded}",
                    root.component
                ),
                if root.fragment {
                    format!("wrap the fragment's content in an element with `data-sentry-mask`, or in `<{mask_components}>`")
                } else {
                    format!("add `data-sentry-mask` to the element, or wrap it in `<{mask_components}>`")
                },
            )
            .fix = Some(fix);
        }
    }
}
