//! SPA105 frontend-send-default-pii (AC1): The JavaScript SDK collects identity data: user info and IP addresses, or unfiltered cookies or headers.
//!
//! **What:** a JavaScript/TypeScript `Sentry.init({...})` whose SDK, at the installed version,
//! collects user data or IP addresses, or cookies or request headers without filtering. The cause
//! may be `sendDefaultPii: true` (before 11.0), a `dataCollection` object that leaves `userInfo`
//! on (10.57+: even `dataCollection: {}` turns it on), the 11.x defaults (with no option at all,
//! 11.x collects user data and infers IP addresses), or a 10.x server SDK, whose error events carry
//! the request's cookies and headers as they were sent. The finding is at the option that decides
//! it, else at the init call.
//!
//! **Why:** customer identities then reach Sentry. `sendDefaultPii: false` looks compliant but is
//! silently ignored from 11.0. Session Replay ignores these options: its masking is judged by
//! SPA101–SPA103.
//!
//! **Example:**
//! ```ts
//! Sentry.init({ dsn, sendDefaultPii: true });   // error
//! Sentry.init({ dsn });   // error on 11.x: user data and IP addresses are collected by default
//! Sentry.init({ dsn, dataCollection: { userInfo: false } });   // fine
//! ```
//!
//! **Fix safety:** before 10.57 `sendDefaultPii: true` becomes `false` (safe for a literal); from
//! 10.57 it is replaced by a `dataCollection` that turns every category off (unsafe: it adds code);
//! `dataCollection.userInfo` becomes `false` (safe for a literal); inserting `userInfo: false` or a
//! restrictive `dataCollection` is unsafe.

use super::Context;
use crate::diagnostic::Sink;
use crate::model::Sdk;

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    super::identity::check(ctx, sink, Sdk::Javascript);
}
