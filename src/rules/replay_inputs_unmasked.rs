//! SPA103 replay-inputs-unmasked (AC2): Session Replay `maskAllInputs` is or may be false.
//!
//! **What:** a Session Replay integration whose `maskAllInputs` is, or may be, false.
//!
//! **Why:** by default what users type into inputs and text areas is masked. With
//! `maskAllInputs: false` every keystroke of a ticket description or chat message is recorded.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ maskAllInputs: false })   // error
//! ```
//! Use instead: leave it out (masked by default).
//!
//! **Fix safety:** `false` → `true` is safe for a literal, unsafe for an expression.

use super::replay::{check_switch, MASK_ALL_INPUTS};
use super::Context;
use crate::diagnostic::Sink;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    check_switch(
        ctx,
        sink,
        MASK_ALL_INPUTS,
        "replays record what users type into inputs",
        "remove `maskAllInputs: false` (masking is the default)",
    );
}
