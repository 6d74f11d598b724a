//! One renderer per output format.

use std::io::Write;

use crate::check::Report;
use crate::diagnostic::Severity;

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
        }
    }
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Text => text::render(report, color, out),
        OutputFormat::Json => json::render(report, out),
    }
}
