//! One renderer per output format.

use std::io::Write;
use std::ops::Range;

use crate::check::{FixMode, Report};
use crate::diagnostic::{Finding, Severity};
use crate::source::SourceFile;

pub mod diff;
pub mod explain;
pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable report with source snippets.
    Text,
    /// One JSON document: findings, extracted inits and a summary.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// JUnit XML: a test suite per file, a failing test case per finding.
    Junit,
}

/// The findings reported as problems: every finding that nobody suppressed.
pub fn reported(report: &Report) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| f.suppressed.is_none())
}

/// A finding's or an edit's place: 1-based lines and columns, columns counting characters. The end
/// is exclusive: the position just after the last character (an insertion is an empty span).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    pub fn of(file: &SourceFile, range: &Range<usize>) -> Span {
        let start = file.line_col(range.start);
        let end = file.line_col(range.end);
        Span {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// A finding's place: its range in the file, or its place in a data file.
    pub fn of_finding(file: &SourceFile, finding: &Finding) -> Span {
        match &finding.data {
            Some(d) => Span {
                line: d.line,
                column: d.column,
                end_line: d.line,
                end_column: d.column,
            },
            None => Span::of(file, &finding.range),
        }
    }
}

/// Counts for the summary line and the JSON summary: of the reported (unsuppressed) findings only.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files_with_findings: usize,
    /// Files judged: named on the command line, or under a named folder.
    pub files_checked: usize,
    /// Files of the project read only to judge those (a route's frontend init, a hook's module).
    pub files_read_for_context: usize,
    /// Findings fixed by this run.
    pub fixed: usize,
    /// Remaining findings that `--fix` would fix (the fixes are run on a copy to count them).
    pub fixable: usize,
    /// Remaining findings that `--fix --unsafe-fixes` would fix besides.
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let mut files: Vec<usize> = reported(report).map(|f| f.file).collect();
        files.sort_unstable();
        files.dedup();
        let count = |s| reported(report).filter(|f| f.severity == s).count();
        Summary {
            findings: reported(report).count(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files_with_findings: files.len(),
            files_checked: report.focused.iter().filter(|f| **f).count(),
            files_read_for_context: report.focused.iter().filter(|f| !**f).count(),
            fixed: report.fixed,
            fixable: report.fixable.iter().map(|x| x.1).sum(),
            unsafe_fixable: report.fixable.iter().map(|x| x.2).sum(),
        }
    }
}

/// How a report is shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Colour (text only).
    pub color: bool,
    /// Finding headers name the acceptance criterion, in the configuration's words (text only).
    pub show_criteria: bool,
    /// `--strict`: warnings fail the run, so JUnit reports them as failures too.
    pub strict: bool,
}

/// Does this finding fail the run (exit 1)? Errors do; warnings only with `--strict`.
pub fn fails(finding: &Finding, strict: bool) -> bool {
    finding.severity == Severity::Error || (strict && finding.severity == Severity::Warning)
}

pub fn render(
    format: OutputFormat,
    report: &Report,
    mode: &FixMode,
    options: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Text => text::render(report, mode, options, out),
        OutputFormat::Json => json::render(report, out),
        OutputFormat::Sarif => sarif::render(report, out),
        OutputFormat::Github => github::render(report, out),
        OutputFormat::Junit => junit::render(report, options.strict, out),
    }
}
