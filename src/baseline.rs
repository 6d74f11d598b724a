//! Baselines: adopt the tool on an existing codebase by recording today's findings and reporting
//! only new ones.
//!
//! An entry is a fingerprint of the rule code, the file (relative to the baseline's folder) and the
//! normalised source of the flagged lines (white space folded), never a line number: edits elsewhere
//! in the file do not bring a baselined finding back. Identical findings are counted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Finding, Suppression, SuppressionKind};
use crate::source::SourceFile;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    path: String,
    fingerprint: String,
    /// For people reading the file; not matched.
    message: String,
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    path: PathBuf,
    /// (code, path, fingerprint) → how many such findings it accepts.
    counts: HashMap<(String, String, String), usize>,
    total: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BaselineError {
    pub path: String,
    pub message: String,
}

/// FNV-1a: stable across platforms and Rust versions, unlike `DefaultHasher`.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The fingerprint of a finding: its code and the flagged lines with white space folded.
pub fn fingerprint(finding: &Finding, file: &SourceFile) -> String {
    let text = &file.text;
    let start = text[..finding.range.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = text[finding.range.end..]
        .find('\n')
        .map(|i| finding.range.end + i)
        .unwrap_or(text.len());
    let folded = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    fnv1a(&[finding.rule.code(), &folded, &text[finding.range.clone()]])
}

/// A file's path relative to the baseline's folder, with `/` (its own path when not below it).
fn relative(file: &SourceFile, base: &Path) -> String {
    crate::config::relative_to(&file.path, base).unwrap_or_else(|| file.display.clone())
}

fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|e| err(format!("not a baseline file: {e}")))?;
        if file.version != 1 {
            return Err(err(format!(
                "unsupported baseline version {}",
                file.version
            )));
        }
        let mut counts = HashMap::new();
        for e in &file.findings {
            *counts
                .entry((e.code.clone(), e.path.clone(), e.fingerprint.clone()))
                .or_insert(0) += 1;
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            total: file.findings.len(),
            counts,
        })
    }

    /// How many findings it records.
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many findings it records for these files (the files a run judged, when it was given
    /// files rather than the whole project: entries of other files are neither matched nor stale).
    pub fn total_for<'a>(&self, files: impl IntoIterator<Item = &'a SourceFile>) -> usize {
        let base = folder(&self.path);
        let paths: std::collections::HashSet<String> =
            files.into_iter().map(|f| relative(f, &base)).collect();
        self.counts
            .iter()
            .filter(|((_, p, _), _)| paths.contains(p))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Mark the findings the baseline accepts; returns how many entries matched.
    pub fn apply(&self, files: &[SourceFile], findings: &mut [Finding]) -> usize {
        let base = folder(&self.path);
        let mut left = self.counts.clone();
        let mut matched = 0;
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            let file = &files[f.file];
            let key = (
                f.rule.code().to_string(),
                relative(file, &base),
                fingerprint(f, file),
            );
            if let Some(n) = left.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                matched += 1;
                f.suppressed = Some(Suppression {
                    kind: SuppressionKind::External,
                    justification: Some(format!("in the baseline {}", self.path.display())),
                });
            }
        }
        matched
    }
}

/// Write the findings that are not suppressed in the source as a baseline.
pub fn write(path: &Path, files: &[SourceFile], findings: &[Finding]) -> std::io::Result<usize> {
    let base = folder(path);
    let entries: Vec<Entry> = findings
        .iter()
        .filter(|f| {
            !matches!(
                f.suppressed,
                Some(Suppression {
                    kind: SuppressionKind::InSource,
                    ..
                })
            )
        })
        .map(|f| {
            let file = &files[f.file];
            Entry {
                code: f.rule.code().to_string(),
                path: relative(file, &base),
                fingerprint: fingerprint(f, file),
                message: f.message.clone(),
            }
        })
        .collect();
    let n = entries.len();
    let mut text = serde_json::to_string_pretty(&BaselineFile {
        version: 1,
        findings: entries,
    })?;
    text.push('\n');
    std::fs::write(path, text)?;
    Ok(n)
}
