//! SPA109 replay-canvas (AC2): Session Replay records the content of canvas elements.
//!
//! **What:** an init that sets up `replayCanvasIntegration()` (or `new ReplayCanvas()`) next to its
//! Session Replay.
//!
//! **Why:** canvas recording takes snapshots of every `<canvas>` on the page, and the replay's text
//! masking does not apply to pixels: PDF viewers, document previews and charts of customer data
//! are drawn on canvases.
//!
//! **Example:**
//! ```ts
//! integrations: [Sentry.replayIntegration(), Sentry.replayCanvasIntegration()]   // error
//! ```
//!
//! **Fix safety:** no fix: removing the integration is a person's decision.

use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::model::Sdk;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Javascript) {
        for i in init
            .integrations
            .iter()
            .filter(|i| matches!(i.name.as_str(), "replayCanvasIntegration" | "ReplayCanvas"))
        {
            sink.report(
                file,
                i.range.clone(),
                Severity::Error,
                format!("`{}` records snapshots of every canvas on the page; text masking does not apply to them", i.name),
                "remove the canvas integration from pages that draw customer documents or data",
            );
        }
    }
}
