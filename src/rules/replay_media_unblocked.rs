//! SPA102 replay-media-unblocked (AC2): Session Replay `blockAllMedia` is or may be false.
//!
//! **What:** a Session Replay integration whose `blockAllMedia` is, or may be, false.
//!
//! **Why:** by default images, video, audio, canvas and SVG are replaced by grey placeholders. With
//! `blockAllMedia: false` screenshots, attachments and previews of customer files are recorded.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ blockAllMedia: false })   // error
//! ```
//! Use instead: leave it out (blocked by default), or unblock single known-safe elements.
//!
//! **Fix safety:** `false` → `true` is safe for a literal, unsafe for an expression.

use super::replay::{check_switch, BLOCK_ALL_MEDIA};
use super::Context;
use crate::diagnostic::Sink;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    check_switch(
        ctx,
        sink,
        BLOCK_ALL_MEDIA,
        "replays record images and media, customer files included",
        "remove `blockAllMedia: false` (blocking is the default) and unblock only known-safe elements",
    );
}
