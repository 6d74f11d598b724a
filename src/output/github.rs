//! `--output-format github`: GitHub Actions workflow commands, one annotation per reported finding:
//!
//! ```text
//! ::error file=backend/app/main.py,line=22,col=5,endLine=22,endColumn=21,title=SPA001 send-default-pii::`send_default_pii` is `True`: ...
//! ```
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. Suppressed findings are not shown.

use std::io::Write;

use super::{reported, Span};
use crate::check::Report;
use crate::diagnostic::Severity;

/// The workflow command of a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escape a command's message (what follows `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=...`, `title=...`): also `:` and `,`, which end a value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for f in reported(report) {
        let file = &report.files[f.file];
        let span = Span::of_finding(file, f);
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(f.severity),
            escape_property(&file.display),
            span.line,
            span.column,
            span.end_line,
            span.end_column,
            escape_property(&format!("{} {}", f.rule.code(), f.rule.name())),
            escape_data(&f.message),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
    }
}
