//! One renderer per output format.

use std::io::Write;

use crate::check::{FixMode, Report};
use crate::diagnostic::Severity;

pub mod diff;
pub mod json;
pub mod text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable report with source snippets.
    Text,
    /// One JSON document: findings, extracted inits and a summary.
    Json,
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files_with_findings: usize,
    pub files_checked: usize,
    /// Findings fixed by this run.
    pub fixed: usize,
    /// Remaining findings that `--fix` would fix.
    pub fixable: usize,
    /// Remaining findings that only `--fix --unsafe-fixes` would fix.
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let mut files: Vec<usize> = report.findings.iter().map(|f| f.file).collect();
        files.sort_unstable();
        files.dedup();
        let count = |s| report.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            findings: report.findings.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files_with_findings: files.len(),
            files_checked: report.checked,
            fixed: report.fixed,
            fixable: report
                .findings
                .iter()
                .filter(|f| f.fix.as_ref().is_some_and(|x| x.applies(false)))
                .count(),
            unsafe_fixable: report
                .findings
                .iter()
                .filter(|f| {
                    f.fix
                        .as_ref()
                        .is_some_and(|x| x.applies(true) && !x.applies(false))
                })
                .count(),
        }
    }
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    mode: &FixMode,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Text => text::render(report, mode, color, out),
        OutputFormat::Json => json::render(report, out),
    }
}
