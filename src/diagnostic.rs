//! Findings: what a rule reports.

use std::ops::Range;

use crate::fix::Fix;
pub use crate::registry::{Rule, Severity};

/// One finding, at a byte range of one file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    /// Index into the checked files.
    pub file: usize,
    pub range: Range<usize>,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub fix: Option<Fix>,
    /// Set when a person accepted the finding: it is not reported as a problem, but kept for
    /// formats that show accepted findings (SARIF `suppressions`, JSON `suppressed`).
    pub suppressed: Option<Suppression>,
    /// For a finding in a data file (an event, an envelope, a replay recording), whose text is
    /// not kept: its place, which replaces `range`.
    pub data: Option<DataLocation>,
}

/// Where a finding in a data file is: a 1-based line and column (counting characters) and the
/// JSON path of the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataLocation {
    pub line: usize,
    pub column: usize,
    /// `exception.values[0].stacktrace.frames[3].vars.ticket_data`
    pub json_path: String,
}

/// Why a finding is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The reason given after ` -- ` in the comment, or the baseline file.
    pub justification: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// An inline `sentry-privacy-audit: ignore[...]` comment.
    InSource,
    /// A baseline file.
    External,
}

/// Collects a rule's findings.
pub struct Sink<'a> {
    pub rule: Rule,
    pub(crate) out: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    pub fn report(
        &mut self,
        file: usize,
        range: Range<usize>,
        severity: Severity,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Finding {
        self.out.push(Finding {
            rule: self.rule,
            file,
            range,
            severity,
            message: message.into(),
            help: help.into(),
            fix: None,
            suppressed: None,
            data: None,
        });
        self.out.last_mut().expect("just pushed")
    }
}
