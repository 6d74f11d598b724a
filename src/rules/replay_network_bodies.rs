//! SPA106 replay-network-bodies (AC2): Session Replay records the bodies of network requests.
//!
//! **What:** a Session Replay integration whose `networkDetailAllowUrls` is not empty while
//! `networkCaptureBodies` is not `false` (its default is `true`), or that sets
//! `attachRawBodyFromRequest: true`. Catch-all patterns (`''`, `/.*/`, `window.location.origin`, a
//! bare origin) match every request of the page and are named in the message.
//!
//! **Why:** request and response bodies of the matched URLs are recorded into the replay: the
//! ticket the agent saved, the chat message sent to the AI endpoint, the file content fetched.
//! Replay ignores `dataCollection`, `sendDefaultPii` and `beforeSend`: nothing else filters them.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ networkDetailAllowUrls: [window.location.origin] })   // error
//! Sentry.replayIntegration({ networkDetailAllowUrls: ["/api/health"], networkCaptureBodies: false })   // fine
//! ```
//!
//! **Fix safety:** unsafe: `networkCaptureBodies: false` is inserted (it changes what replays show).

use super::fixes::{insert_items, set_value};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::Fix;
use crate::model::{Literal, Sdk, Value};
use crate::policy::{Category, State};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init, policy) in ctx.judged(Sdk::Javascript) {
        let Some(replay) = &init.replay else { continue };
        let text = &ctx.files[file].text;
        if let Some(raw) = replay.options.get("attachRawBodyFromRequest") {
            if matches!(raw.value.value.in_production(), Value::Literal(l) if l.truthy()) {
                sink.report(
                    file,
                    raw.key.clone(),
                    Severity::Error,
                    "`attachRawBodyFromRequest` is true: replays record the raw bodies of the page's requests",
                    "remove `attachRawBodyFromRequest: true`",
                )
                .fix = Some(set_value(raw, "false"));
            }
        }
        let d = policy.get(Category::ReplayNetworkBodies);
        let severity = match d.state {
            State::Collected | State::Filtered => Severity::Error,
            State::Depends { .. } | State::Unknown { .. } => Severity::Warning,
            State::Off => continue,
        };
        let range = d.at.clone().unwrap_or_else(|| replay.callee.clone());
        let fix = match replay.options.get("networkCaptureBodies") {
            Some(opt) if !matches!(opt.value.value, Value::Literal(Literal::Bool(false))) => {
                Some(set_value(opt, "false"))
            }
            Some(_) => None,
            None => replay.options.literal.as_ref().map(|list| {
                Fix::unsafe_edit(
                    "insert `networkCaptureBodies: false`",
                    insert_items(text, list, &["networkCaptureBodies: false".into()]),
                )
            }),
        };
        sink.report(
            file,
            range,
            severity,
            format!("{}; Session Replay ignores `dataCollection` and `beforeSend`", d.because),
            "set `networkCaptureBodies: false`, or keep `networkDetailAllowUrls` to URLs that carry no customer data",
        )
        .fix = fix.map(|mut f| {
            f.applicability = crate::fix::Applicability::Unsafe;
            f
        });
    }
}
