//! SPA101 replay-text-unmasked (AC2): Session Replay `maskAllText` is or may be false.
//!
//! **What:** a Session Replay integration whose `maskAllText` is, or may be, false.
//!
//! **Why:** replay is private by default: every text node is replaced by asterisks before it leaves
//! the browser. With `maskAllText: false` the recording carries the page's visible text: ticket
//! bodies, chat transcripts, file contents.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ maskAllText: false })   // error
//! Sentry.replayIntegration()                          // fine: masked by default
//! ```
//! To show known-safe text, unmask single elements (`unmask: [".public-banner"]`) instead.
//!
//! **Fix safety:** `false` → `true` is safe for a literal, unsafe for an expression.

use super::replay::{check_switch, MASK_ALL_TEXT};
use super::Context;
use crate::diagnostic::Sink;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    check_switch(
        ctx,
        sink,
        MASK_ALL_TEXT,
        "replays record the page's visible text, customer data included",
        "remove `maskAllText: false` (masking is the default) and unmask only known-safe elements",
    );
}
