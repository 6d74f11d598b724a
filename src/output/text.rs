//! The human report: one miette diagnostic per reported (unsuppressed) finding, then a summary
//! line.

use std::fmt;
use std::io::Write;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{reported, Summary};
use crate::check::{FixMode, Report};
use crate::diagnostic::{Finding, Severity};

struct Rendered<'a> {
    finding: &'a Finding,
    source: NamedSource<String>,
    /// The criterion's wording, shown in the header with `--show-criteria`.
    criterion: Option<String>,
    /// `path:line:column: ` for a finding in a data file, which has no source to show.
    location: Option<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            f.write_str(location)?;
        }
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{} {}{}",
            self.finding.rule.code(),
            self.finding.rule.name(),
            self.criterion
                .as_ref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(match &self.finding.fix {
            Some(fix) if !fix.edits.is_empty() => Box::new(format!(
                "{}\nfix ({}): {}",
                self.finding.help,
                fix.applicability.as_str(),
                fix.message
            )),
            _ => Box::new(&self.finding.help),
        })
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location
            .is_none()
            .then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.location.is_some() {
            return None;
        }
        let r = &self.finding.range;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.finding.rule.name().to_string()),
                (r.start, r.end.saturating_sub(r.start)),
            ),
        )))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// With a baseline: how many findings it accepted, and how many of its entries are stale.
pub fn baseline_line(report: &Report) -> Option<String> {
    let stale = report.baseline_stale?;
    let accepted = report.baseline_accepted();
    Some(format!(
        "{} accepted by the baseline; {} no longer {} (fixed or changed).",
        plural(accepted, "finding", "findings"),
        plural(stale, "baseline entry", "baseline entries"),
        if stale == 1 { "matches" } else { "match" },
    ))
}

/// Checks that did not run for want of configuration, said once: which, and how to get it.
pub fn unconfigured_line(report: &Report) -> Option<String> {
    if report.unconfigured.is_empty() {
        return None;
    }
    let list: Vec<String> = report
        .unconfigured
        .iter()
        .map(|(rule, key)| format!("{} {} (no `{key}`)", rule.code(), rule.name()))
        .collect();
    Some(format!(
        "Not checked: {}. `sentry-privacy-audit init` writes a configuration pre-filled from the project.",
        list.join(", ")
    ))
}

/// When no file holds a Sentry init, the rules had nothing to judge: a clean summary would mislead.
pub fn no_init_line(report: &Report) -> Option<String> {
    report.models.iter().all(|m| m.inits.is_empty()).then(|| {
        "No Sentry SDK init found (`sentry_sdk.init(...)`, `Sentry.init({...})`): the settings were not judged.".to_string()
    })
}

pub fn summary_line(s: &Summary) -> String {
    let context = match s.files_read_for_context {
        0 => String::new(),
        n => format!(" ({n} more read for context)"),
    };
    format!(
        "{} ({}, {}) in {}; {} checked{context}",
        plural(s.findings, "finding", "findings"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.files_with_findings, "file", "files"),
        plural(s.files_checked, "file", "files"),
    )
}

/// What was fixed, and what more could be: `Fixed 3 findings; 2 more fixable with --unsafe-fixes.`
pub fn fix_line(report: &Report, mode: &FixMode) -> String {
    let s = Summary::of(report);
    let more = |n: usize, how: &str| {
        if n == 0 {
            String::new()
        } else {
            format!("; {n} more fixable with {how}")
        }
    };
    match mode {
        FixMode::Off => match (s.fixable, s.unsafe_fixable) {
            (0, n) => format!("{n} fixable with --fix --unsafe-fixes."),
            (n, m) => format!("{n} fixable with --fix{}.", more(m, "--fix --unsafe-fixes")),
        },
        FixMode::Apply {
            unsafe_fixes,
            write,
        } => {
            let verb = if *write { "Fixed" } else { "Would fix" };
            let mut line = format!("{verb} {}", plural(s.fixed, "finding", "findings"));
            if !unsafe_fixes {
                line.push_str(&more(s.unsafe_fixable, "--unsafe-fixes"));
            }
            line + "."
        }
    }
}

pub fn render(
    report: &Report,
    mode: &FixMode,
    options: super::RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    for finding in reported(report) {
        let file = &report.files[finding.file];
        let criterion = finding
            .rule
            .criterion()
            .filter(|_| options.show_criteria)
            .map(|c| match report.criteria.get(c) {
                Some(text) => format!("{c}: {text}"),
                None => c.to_string(),
            });
        let diag = Rendered {
            finding,
            source: NamedSource::new(&file.display, file.text.clone()),
            criterion,
            location: finding
                .data
                .as_ref()
                .map(|d| format!("{}:{}:{}: ", file.display, d.line, d.column)),
        };
        let mut s = String::new();
        handler
            .render_report(&mut s, &diag)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        writeln!(out, "{s}")?;
    }
    let summary = Summary::of(report);
    writeln!(out, "{}", summary_line(&summary))?;
    if let Some(line) = no_init_line(report) {
        writeln!(out, "{line}")?;
    }
    if let Some(line) = baseline_line(report) {
        writeln!(out, "{line}")?;
    }
    if summary.fixed + summary.fixable + summary.unsafe_fixable > 0 {
        writeln!(out, "{}", fix_line(report, mode))?;
    }
    if let Some(line) = unconfigured_line(report) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `--statistics`: one line per rule with findings, most first, marked `[*]` when `--fix` would fix
/// some of them and `[-]` when only `--fix --unsafe-fixes` would; then the summary, and the same
/// fixable counts as the text report (from one source, so the marks and the counts agree).
pub fn statistics(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: Vec<(crate::registry::Rule, usize)> = Vec::new();
    for f in reported(report) {
        match counts.iter_mut().find(|c| c.0 == f.rule) {
            Some(c) => c.1 += 1,
            None => counts.push((f.rule, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut marked = false;
    for (rule, n) in &counts {
        let (safe, more) = report
            .fixable
            .iter()
            .find(|x| x.0 == *rule)
            .map(|x| (x.1, x.2))
            .unwrap_or((0, 0));
        let mark = match (safe, more) {
            (0, 0) => "   ",
            (0, _) => "[-]",
            _ => "[*]",
        };
        marked |= safe + more > 0;
        let fixable = match (safe, more) {
            (0, 0) => String::new(),
            (s, 0) => format!(" ({s} fixable)"),
            (0, m) => format!(" ({m} fixable with --unsafe-fixes)"),
            (s, m) => format!(" ({s} fixable, {m} more with --unsafe-fixes)"),
        };
        writeln!(
            out,
            "{n:>5}  {}  {mark} {}{fixable}",
            rule.code(),
            rule.name()
        )?;
    }
    let summary = Summary::of(report);
    writeln!(out, "{}", summary_line(&summary))?;
    if marked {
        writeln!(
            out,
            "[*] fixable with --fix, [-] fixable with --fix --unsafe-fixes: {}",
            fix_line(report, &FixMode::Off)
        )?;
    }
    for line in [no_init_line(report), unconfigured_line(report)]
        .into_iter()
        .flatten()
    {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
