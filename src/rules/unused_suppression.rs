//! SPA900 unused-suppression: A suppression comment suppresses nothing.
//!
//! **What:** a code in a `sentry-privacy-audit: ignore[...]` comment that suppresses no finding on
//! its line: the finding was fixed, moved, or the code is misspelt.
//!
//! **Why:** stale suppressions hide the next real finding on that line, and mislead reviewers who
//! read them as accepted risks.
//!
//! **Example:**
//! ```python
//! sentry_sdk.init(send_default_pii=False)  # sentry-privacy-audit: ignore[SPA001]
//! ```
//!
//! **Fix safety:** safe: removing the code (or the whole comment when it was the last one) changes
//! nothing the tool reports.
//!
//! It runs after every other rule has reported, on their findings; codes of rules that are not
//! enabled are not judged.

use super::{Context, Rule};
use crate::diagnostic::{Finding, Sink};
use crate::fix::{Edit, Fix};

/// The work happens in [`apply`], once the other rules have reported.
pub(crate) fn check(_: &Context, _: &mut Sink) {}

/// Mark suppressed findings and report the codes that suppressed nothing.
pub(crate) fn apply(ctx: &Context, findings: &mut Vec<Finding>) {
    let per_file: Vec<&[crate::suppress::InlineSuppression]> = ctx
        .models
        .iter()
        .map(|m| m.suppressions.as_slice())
        .collect();
    let unused = crate::suppress::apply(ctx.files, &per_file, findings);
    let Some(severity) = ctx
        .config
        .severity_of(Rule::UnusedSuppression, Rule::UnusedSuppression.severity())
    else {
        return;
    };
    let mut out = Vec::new();
    let mut sink = Sink {
        rule: Rule::UnusedSuppression,
        out: &mut out,
    };
    for (file, unused) in unused.into_iter().enumerate() {
        for (si, ci) in unused.iter().copied() {
            let s = &per_file[file][si];
            let (code, range) = &s.codes[ci];
            let known = Rule::from_code(code);
            // A code whose rule is turned off cannot be judged.
            if known.is_some_and(|r| ctx.config.severity_of(r, r.severity()).is_none()) {
                continue;
            }
            let all_unused = (0..s.codes.len()).all(|c| unused.contains(&(si, c)));
            let fix = if all_unused {
                // Remove the whole directive once, with its first unused code.
                (ci == 0).then(|| {
                    Fix::safe(
                        "remove the suppression comment",
                        vec![Edit::replace(s.removal.clone(), "")],
                    )
                })
            } else {
                Some(Fix::safe(
                    format!("remove `{code}` from the suppression"),
                    vec![Edit::replace(code_with_separator(s, ci), "")],
                ))
            };
            let message = match known {
                Some(r) => format!(
                    "`{code}` ({}) is suppressed here, but nothing on this line reports it",
                    r.name()
                ),
                None => format!("`{code}` is not a rule code"),
            };
            sink.report(
                file,
                range.clone(),
                severity,
                message,
                "remove it, or move the comment to the line of the finding",
            )
            .fix = fix;
        }
    }
    findings.extend(out);
}

/// A code's range with the `, ` that separates it from its neighbour.
fn code_with_separator(
    s: &crate::suppress::InlineSuppression,
    ci: usize,
) -> std::ops::Range<usize> {
    let this = &s.codes[ci].1;
    if ci > 0 {
        s.codes[ci - 1].1.end..this.end
    } else if let Some(next) = s.codes.get(1) {
        this.start..next.1.start
    } else {
        this.clone()
    }
}
