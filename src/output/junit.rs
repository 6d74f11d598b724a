//! `--output-format junit`: JUnit XML for CI systems that show test reports.
//!
//! One `<testsuites>`; a `<testsuite>` per file with findings (named by its path), a `<testcase>`
//! per reported finding. A finding that fails the run (an error; a warning too with `--strict`) is
//! a failing test case, its `<failure type="CODE">` giving `path:line:col`; a warning or info that
//! passes the run is a passing test case that says the same in `<system-out>`, so that the report
//! and the exit code agree. A run without findings is one passing test case, so that CI still
//! shows a result. Suppressed findings are not shown.

use std::io::Write;

use super::{fails, reported, Span};
use crate::check::Report;
use crate::diagnostic::Finding;

const NAME: &str = env!("CARGO_PKG_NAME");

/// A character XML 1.0 cannot represent, even as a reference.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Escape element text.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if !is_xml_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value in double quotes; line breaks and tabs survive as references.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !is_xml_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, strict: bool, out: &mut dyn Write) -> std::io::Result<()> {
    // Findings are sorted by path: group them by file in that order.
    let mut files: Vec<(usize, Vec<&Finding>)> = Vec::new();
    for f in reported(report) {
        match files.iter_mut().find(|(file, _)| *file == f.file) {
            Some((_, list)) => list.push(f),
            None => files.push((f.file, vec![f])),
        }
    }
    let total: usize = files.iter().map(|(_, list)| list.len()).sum();
    let failing = |list: &[&Finding]| list.iter().filter(|f| fails(f, strict)).count();
    let failures: usize = files.iter().map(|(_, list)| failing(list)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{NAME}" tests="{}" failures="{failures}" errors="0">"#,
        total.max(1)
    )?;
    if files.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="{NAME}" tests="1" failures="0" errors="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="no findings" classname="{NAME}"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (file, findings) in &files {
        let path = escape_attr(&report.files[*file].display);
        let n = findings.len();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{n}" failures="{}" errors="0">"#,
            failing(findings)
        )?;
        for f in findings {
            let span = Span::of_finding(&report.files[*file], f);
            let (line, column) = (span.line, span.column);
            writeln!(
                out,
                r#"    <testcase name="{} {} ({line}:{column})" classname="{path}" file="{path}" line="{line}">"#,
                f.rule.code(),
                f.rule.name()
            )?;
            let text = format!(
                "{}:{line}:{column}: {}: {}",
                escape_text(&report.files[*file].display),
                f.severity.as_str(),
                escape_text(&f.message),
            );
            if fails(f, strict) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{text}"#,
                    escape_attr(&f.message),
                    f.rule.code(),
                )?;
                writeln!(out, "help: {}</failure>", escape_text(&f.help))?;
            } else {
                writeln!(out, "      <system-out>{text}")?;
                writeln!(out, "help: {}</system-out>", escape_text(&f.help))?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_invalid_characters() {
        assert_eq!(
            escape_text("a < b && c > \"d\"\n"),
            "a &lt; b &amp;&amp; c &gt; \"d\"\n"
        );
        assert_eq!(
            escape_attr("`x` is \"y\" & 'z'\n\t<"),
            "`x` is &quot;y&quot; &amp; &apos;z&apos;&#10;&#9;&lt;"
        );
        assert_eq!(escape_text("a\u{1}b"), "a\u{fffd}b");
    }
}
