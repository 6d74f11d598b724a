//! Inline suppressions: the `sentry-privacy-audit: ignore[...]` comments the parser found
//! ([`crate::lang::comments`]) accept the findings on their line; codes that suppress nothing are
//! reported (SPA900).

use crate::diagnostic::{Finding, Suppression, SuppressionKind};
pub use crate::model::InlineSuppression;
use crate::source::SourceFile;

/// Mark the findings that a comment suppresses; return, per file, the codes that suppressed
/// nothing (suppression index, code index).
pub fn apply(
    files: &[SourceFile],
    suppressions: &[&[InlineSuppression]],
    findings: &mut [Finding],
) -> Vec<Vec<(usize, usize)>> {
    let mut used: Vec<Vec<Vec<bool>>> = suppressions
        .iter()
        .map(|s| s.iter().map(|x| vec![false; x.codes.len()]).collect())
        .collect();
    for f in findings.iter_mut() {
        if f.suppressed.is_some() {
            continue;
        }
        let line = files[f.file].line_col(f.range.start).line;
        for (si, s) in suppressions[f.file].iter().enumerate() {
            if s.line != line {
                continue;
            }
            if let Some(ci) = s.codes.iter().position(|(c, _)| c == f.rule.code()) {
                used[f.file][si][ci] = true;
                f.suppressed = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: s.reason.clone(),
                });
                break;
            }
        }
    }
    used.into_iter()
        .map(|per_file| {
            per_file
                .into_iter()
                .enumerate()
                .flat_map(|(si, codes)| {
                    codes
                        .into_iter()
                        .enumerate()
                        .filter(|(_, u)| !u)
                        .map(move |(ci, _)| (si, ci))
                })
                .collect()
        })
        .collect()
}
