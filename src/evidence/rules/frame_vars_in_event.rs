//! SPA305 frame-vars-in-event (AC5): an event carries the local variables of stack frames.
//!
//! **What:** the `vars` of a stack frame (`….stacktrace.frames[N].vars`, in exceptions and threads,
//! in the SDK format and in the API's `entries`) when it holds any value that is not scrubbed.
//!
//! **Why:** local variables hold whatever the failing code was working on: the ticket, the
//! conversation, the customer record. The Python SDK sends them by default; the Node SDK with
//! `includeLocalVariables`.
//!
//! **Example:** `exception.values[0].stacktrace.frames[3].vars` with `ticket_id` and `self`.
//!
//! **Fix safety:** no fix; set `include_local_variables=False` (Python) or leave
//! `includeLocalVariables` off (Node); `check` reports SPA005 at the init.

use super::super::events::Seg;

/// Is this path (ending at the key just entered) a frame's `vars`?
pub fn is_frame_vars(path: &[Seg<'_>]) -> bool {
    matches!(
        path,
        [.., Seg::Key("frames"), Seg::Index(_), Seg::Key("vars")]
    )
}
