//! SPA300 event-unreadable (AC5): a file or envelope item given to `audit-events` cannot be read as event data; what follows the error was not audited.
//!
//! **What:** a file that is not JSON, JSON lines, an envelope or a replay recording (binary
//! content, truncated JSON, a malformed envelope header, an item shorter than its `length`, a
//! compressed payload that does not decompress). The finding gives the line and column where
//! reading stopped. The rest of a file is skipped; in an envelope with item lengths, only the broken
//! item is.
//!
//! **Why:** an event that was not read was not checked: a clean audit needs every event read. A
//! malformed envelope that `capture` received is kept on disk as it came, so that it can be
//! looked at.
//!
//! **Fix safety:** no fix; repair or remove the file, or capture the events again.
