//! `explain`: for each init, what reaches Sentry and why, in a privacy reviewer's words.

use std::io::Write;

use crate::check::Report;
use crate::model::Sdk;
use crate::policy::{Category, Decision, IgnoredKind, Policy, State};
use crate::source::SourceFile;

/// A group of the table: its title and the states it shows.
type Group = (&'static str, fn(&State) -> bool);

/// The groups of the table, most permissive first.
const GROUPS: [Group; 5] = [
    ("Sent to Sentry", |s| matches!(s, State::Collected)),
    (
        "Sent, with sensitive keys filtered or only some parts",
        |s| matches!(s, State::Filtered),
    ),
    ("Depends on a value read at run time", |s| {
        matches!(s, State::Depends { .. })
    }),
    ("Cannot be told from the source", |s| {
        matches!(s, State::Unknown { .. })
    }),
    ("Not sent", |s| matches!(s, State::Off)),
];

/// The text report: one block per init of the files asked about.
pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut blocks = Vec::new();
    for (fi, (file, model)) in report.files.iter().zip(&report.models).enumerate() {
        if !report.focused.get(fi).copied().unwrap_or(true) {
            continue;
        }
        for (k, init) in model.inits.iter().enumerate() {
            let Some(policy) = report.policies.get(fi).and_then(|p| p.get(k)) else {
                continue;
            };
            let lc = file.line_col(init.call.start);
            blocks.push((file.display.clone(), lc.line, file, init, policy));
        }
    }
    blocks.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    if blocks.is_empty() {
        return writeln!(out, "No Sentry init found.");
    }
    for (n, (display, line, file, init, policy)) in blocks.into_iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let callee = &file.text[init.callee.clone()];
        writeln!(out, "{display}:{line}: {callee}(...)")?;
        writeln!(out, "  SDK: {}", sdk_line(policy))?;
        if init.sdk == Sdk::Javascript {
            writeln!(out, "  Runs: {}", runtime_word(policy))?;
        }
        for (title, matches) in GROUPS {
            let rows: Vec<(Category, &Decision)> = policy
                .decisions()
                .filter(|(c, d)| matches(&d.state) && !(init.sdk == Sdk::Python && c.is_replay()))
                .collect();
            if rows.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "  {title}:")?;
            for (c, d) in rows {
                writeln!(out, "    {:<24}{}", c.name(), c.describe())?;
                writeln!(out, "    {:<24}{}", "", reason(file, d))?;
            }
        }
        if !policy.ignored.is_empty() {
            writeln!(out)?;
            writeln!(out, "  Options the SDK does not honour:")?;
            for i in &policy.ignored {
                let word = match i.kind {
                    IgnoredKind::Ignored => "ignored",
                    IgnoredKind::Rejected => "rejected",
                    IgnoredKind::NoOp => "no effect",
                };
                writeln!(
                    out,
                    "    line {}: `{}` ({word}): {}; {}",
                    file.line_col(i.at.start).line,
                    i.option,
                    i.message,
                    i.instead
                )?;
            }
        }
        if !policy.notes.is_empty() {
            writeln!(out)?;
            writeln!(out, "  Notes:")?;
            for note in &policy.notes {
                writeln!(out, "    {note}")?;
            }
        }
    }
    Ok(())
}

fn sdk_line(policy: &Policy) -> String {
    let sdk = &policy.sdk;
    match (&sdk.version, &sdk.source, &sdk.assumed) {
        (_, _, Some(assumed)) => format!("{} (version not known: {assumed})", sdk.package),
        (Some(v), Some(source), None) => match sdk.line {
            Some(l) => format!(
                "{} {v} (from {source}:{l}); judged as {}",
                sdk.package, policy.judged
            ),
            None => format!(
                "{} {v} (from {source}); judged as {}",
                sdk.package, policy.judged
            ),
        },
        _ => policy.judged.clone(),
    }
}

fn runtime_word(policy: &Policy) -> &'static str {
    match policy.runtime {
        crate::policy::Runtime::Browser => "in the browser",
        crate::policy::Runtime::Server => "on the server",
        crate::policy::Runtime::Either => "in the browser or on the server (the file does not say)",
    }
}

fn reason(file: &SourceFile, d: &Decision) -> String {
    match &d.at {
        Some(r) => format!(
            "because {} (line {})",
            d.because,
            file.line_col(r.start).line
        ),
        None => format!("because {}", d.because),
    }
}
