//! SPA304 request-body-in-event (AC5): an event carries the body of an incoming HTTP request.
//!
//! **What:** `request.data` in an event as the SDKs send it, or the `data` of the `request` entry in
//! Sentry's API and JSON views (`entries[].data.data`), when it holds any value that is not
//! scrubbed.
//!
//! **Why:** request bodies are where customer content arrives: a ticket form, a chat message, an
//! upload. The Python SDK attaches them by default (`max_request_body_size="medium"`), whatever
//! `send_default_pii` says.
//!
//! **Example:** `request.data.intake_content` in an event from a Flask view.
//!
//! **Fix safety:** no fix; set `max_request_body_size="never"` (Python) or turn request bodies off
//! in the JS SDK (`check` reports SPA004 at the init).

use super::super::events::Seg;

/// Is this path (from the event's root, ending at the key just entered) a request body?
pub fn is_body(path: &[Seg<'_>]) -> bool {
    matches!(
        path,
        [Seg::Key("request"), Seg::Key("data")]
            | [
                Seg::Key("entries"),
                Seg::Index(_),
                Seg::Key("data"),
                Seg::Key("data")
            ]
    )
}
