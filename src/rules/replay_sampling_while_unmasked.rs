//! SPA104 replay-sampling-while-unmasked (AC2): `replaysSessionSampleRate` is above the allowed rate in production while replay masking is off.
//!
//! **What:** an init whose `replaysSessionSampleRate` is, or may be, above `max_session_sample_rate`
//! (configuration, default 0) in production, while its replay integration has masking switched off
//! (SPA101, SPA102 or SPA103).
//!
//! **Why:** the session rate decides how many ordinary sessions are recorded from start to end. While
//! masking is off every recorded session is a copy of what customers saw. The message also states
//! `replaysOnErrorSampleRate`, which records sessions that hit an error.
//!
//! **Example:**
//! ```ts
//! Sentry.init({ replaysSessionSampleRate: 0.01, integrations: [Sentry.replayIntegration({ maskAllText: false })] })
//! ```
//! Use instead, until masking is back on: `replaysSessionSampleRate: 0`, or a production-only zero:
//! `replaysSessionSampleRate: import.meta.env.PROD ? 0 : 1.0`.
//!
//! **Fix safety:** unsafe: lowering the rate changes what is recorded.

use super::replay::switches_off;
use super::{describe_maybe, Context};
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{OptionEntry, ProdBranch, Sdk, Value, Verdict};

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    let max = ctx.config.max_session_sample_rate;
    for (file, init) in ctx.inits_of(Sdk::Javascript) {
        let Some(replay) = &init.replay else { continue };
        let off = switches_off(replay);
        if off.is_empty() {
            continue;
        }
        let Some(rate) = init.options.get("replaysSessionSampleRate") else {
            continue;
        };
        let prod = rate.value.value.in_production();
        let above = |l: &crate::model::Literal| l.as_f64().is_some_and(|r| r > max);
        let verdict = prod.test(&above);
        if verdict == Verdict::No {
            continue;
        }
        let definite = verdict == Verdict::Yes
            && matches!(rate.value.value, Value::Literal(_))
            && off.iter().any(|(_, v)| *v == Verdict::Yes);
        let rate_text = match prod.literal().and_then(|l| l.as_f64()) {
            Some(r) if matches!(rate.value.value, Value::Literal(_)) => {
                format!(
                    "`replaysSessionSampleRate` is {} ({} of sessions)",
                    rate.value.text,
                    percent(r)
                )
            }
            Some(r) => format!(
                "`replaysSessionSampleRate` is {} in production ({} of sessions, from `{}`)",
                prod.literal().map(|l| l.display(false)).unwrap_or_default(),
                percent(r),
                rate.value.text
            ),
            None => format!(
                "`replaysSessionSampleRate` may be above {max} in production: {}",
                describe_maybe(&rate.value, false)
            ),
        };
        let switches = off
            .iter()
            .map(|(n, v)| match v {
                Verdict::Yes => format!("`{n}` off"),
                _ => format!("`{n}` possibly off"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let on_error = match init.options.get("replaysOnErrorSampleRate") {
            Some(o) => format!(
                "; `replaysOnErrorSampleRate` {} also records {} of sessions with an error",
                o.value.text,
                o.value
                    .value
                    .literal()
                    .and_then(|l| l.as_f64())
                    .map(percent)
                    .unwrap_or_else(|| "a share".into())
            ),
            None => "; `replaysOnErrorSampleRate` is not set (no error sessions recorded)".into(),
        };
        sink.report(
            file,
            rate.key.clone(),
            if definite {
                Severity::Error
            } else {
                Severity::Warning
            },
            format!("{rate_text} while replay masking is off ({switches}){on_error}"),
            format!(
                "set `replaysSessionSampleRate` to {max} in production until masking is back on"
            ),
        )
        .fix = Some(zero_in_production(rate));
    }
}

fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round() as i64)
    } else {
        format!("{p}%")
    }
}

/// `0.01` → `0`; a production conditional keeps its other branch: `isProd ? 0.1 : 1.0` →
/// `isProd ? 0 : 1.0`.
fn zero_in_production(rate: &OptionEntry) -> Fix {
    match &rate.value.value {
        Value::Conditional {
            production: Some(branch),
            branches: Some((then, otherwise)),
            ..
        } => Fix::unsafe_edit(
            "record no sessions in production",
            vec![Edit::replace(
                match branch {
                    ProdBranch::Then => then.clone(),
                    ProdBranch::Else => otherwise.clone(),
                },
                "0",
            )],
        ),
        _ => {
            let mut fix = super::fixes::set_value(rate, "0");
            fix.applicability = Applicability::Unsafe;
            fix
        }
    }
}
