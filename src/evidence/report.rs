//! `report`: the review's acceptance criteria AC1–AC5, each with a status, the evidence (settings
//! with their file and line, finding codes, the generated scrub rules, the event audit) and what to
//! do next; as a Markdown table for the verification document (whose Sentry row `--update`
//! rewrites in place) or as one self-contained HTML page.

use std::fmt::Write;

use crate::check::Report;
use crate::diagnostic::{Finding, Severity};
use crate::model::Sdk;

/// A criterion's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    NotChecked,
    Warning,
    Fail,
}

impl Status {
    /// The words shown for it, with their sign.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "✅ pass",
            Status::Warning => "⚠️ warning",
            Status::Fail => "❌ fail",
            Status::NotChecked => "not checked",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warning => "warning",
            Status::Fail => "fail",
            Status::NotChecked => "not-checked",
        }
    }
}

/// A source excerpt: the first line's number and the lines.
#[derive(Clone, Debug, Default)]
pub struct Snippet {
    pub first_line: usize,
    pub lines: Vec<String>,
    /// The line the evidence is on.
    pub mark: usize,
}

/// One piece of evidence.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// `backend/app/main.py:22`, or a JSON path in an event file.
    pub place: Option<String>,
    /// `SPA001 send-default-pii` for a finding.
    pub code: Option<String>,
    pub text: String,
    pub snippet: Option<Snippet>,
}

/// One acceptance criterion and its verdict.
#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    /// One line for the table.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub next: Vec<String>,
}

/// What the report is made from.
pub struct Inputs<'a> {
    /// What was checked (`.`, `backend frontend`).
    pub target: String,
    pub check: &'a Report,
    pub sensitive_fields: &'a [String],
    /// The generated scrub rules (the project-settings body), when there are fields.
    pub scrub_rules: Option<String>,
    /// The event audit, when `--events` was given: its report and how many (error) events it read.
    pub events: Option<EventsRead<'a>>,
}

pub struct EventsRead<'a> {
    pub dir: String,
    pub report: &'a Report,
    pub events: usize,
    pub error_events: usize,
    pub replay_segments: usize,
}

/// The whole review.
#[derive(Clone, Debug)]
pub struct Review {
    pub target: String,
    pub criteria: Vec<Criterion>,
    pub scrub_rules: Option<String>,
}

pub const TITLES: [(&str, &str); 5] = [
    (
        "AC1",
        "Backend `send_default_pii` is off, or events are explicitly scrubbed",
    ),
    (
        "AC2",
        "Routes that render customer data are masked in Session Replay",
    ),
    (
        "AC3",
        "Scrubbing rules exist (project settings or a `before_send` filter)",
    ),
    (
        "AC4",
        "The verification document's Sentry row can flip from warning to pass",
    ),
    (
        "AC5",
        "A recent real error event, checked, contains no ticket content",
    ),
];

/// Options whose settings are shown as evidence of each criterion.
const SETTINGS: [(&str, &[&str]); 4] = [
    (
        "AC1",
        &[
            "send_default_pii",
            "sendDefaultPii",
            "data_collection",
            "dataCollection",
        ],
    ),
    (
        "AC2",
        &[
            "maskAllText",
            "blockAllMedia",
            "maskAllInputs",
            "replaysSessionSampleRate",
            "replaysOnErrorSampleRate",
        ],
    ),
    ("AC3", &["before_send", "event_scrubber", "beforeSend"]),
    (
        "AC5",
        &[
            "max_request_body_size",
            "include_local_variables",
            "includeLocalVariables",
        ],
    ),
];

fn snippet(text: &str, line: usize) -> Snippet {
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(2).max(1);
    let last = (line + 2).min(lines.len());
    Snippet {
        first_line: first,
        lines: lines
            .get(first - 1..last)
            .unwrap_or(&[])
            .iter()
            .map(|l| l.to_string())
            .collect(),
        mark: line,
    }
}

fn finding_evidence(report: &Report, f: &Finding) -> Evidence {
    let file = &report.files[f.file];
    let (place, snip) = match &f.data {
        Some(d) => (
            format!("{}:{}:{} `{}`", file.display, d.line, d.column, d.json_path),
            None,
        ),
        None => {
            let lc = file.line_col(f.range.start);
            (
                format!("{}:{}", file.display, lc.line),
                Some(snippet(&file.text, lc.line)),
            )
        }
    };
    Evidence {
        place: Some(place),
        code: Some(format!("{} {}", f.rule.code(), f.rule.name())),
        text: f.message.clone(),
        snippet: snip,
    }
}

fn status_of(findings: &[&Finding]) -> Status {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Fail
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Status::Warning
    } else {
        Status::Pass
    }
}

fn codes(findings: &[&Finding]) -> String {
    let mut c: Vec<&str> = findings.iter().map(|f| f.rule.code()).collect();
    c.sort_unstable();
    c.dedup();
    c.join(", ")
}

/// The settings of the inits that bear on a criterion, with their place.
fn settings(report: &Report, id: &str, sdk: Option<Sdk>) -> Vec<Evidence> {
    let names = SETTINGS
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(_, n)| *n)
        .unwrap_or(&[]);
    let mut out = Vec::new();
    for (fi, model) in report.models.iter().enumerate() {
        let file = &report.files[fi];
        for init in &model.inits {
            if sdk.is_some_and(|s| s != init.sdk) {
                continue;
            }
            let replay = init.replay.as_ref().map(|r| &r.options);
            for name in names {
                let entry = init
                    .options
                    .get(name)
                    .or_else(|| replay.and_then(|o| o.get(name)));
                if let Some(e) = entry {
                    let line = file.line_col(e.entry.start).line;
                    out.push(Evidence {
                        place: Some(format!("{}:{line}", file.display)),
                        code: None,
                        text: format!("`{}`", file.text[e.entry.clone()].trim()),
                        snippet: Some(snippet(&file.text, line)),
                    });
                }
            }
        }
    }
    out
}

fn has_init(report: &Report, sdk: Sdk) -> bool {
    report
        .models
        .iter()
        .any(|m| m.inits.iter().any(|i| i.sdk == sdk))
}

/// Judge the criteria.
pub fn review(inputs: &Inputs) -> Review {
    let check = inputs.check;
    let reported: Vec<&Finding> = check
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let of = |criterion: &str| -> Vec<&Finding> {
        reported
            .iter()
            .copied()
            .filter(|f| f.rule.criterion() == Some(criterion))
            .collect()
    };
    let with_findings = |found: &[&Finding], mut c: Criterion| {
        c.evidence
            .extend(found.iter().map(|f| finding_evidence(check, f)));
        if !found.is_empty() {
            c.summary = format!("{} ({})", c.summary, codes(found));
            c.next.push(
                "Run `sentry-privacy-audit check --fix` (and `--unsafe-fixes` after review) for the fixable findings; `sentry-privacy-audit rule CODE` explains each."
                    .into(),
            );
        }
        c
    };
    let title = |id: &str| {
        TITLES
            .iter()
            .find(|(i, _)| *i == id)
            .map(|t| t.1)
            .unwrap_or("")
    };
    let criterion = |id: &'static str, status: Status, summary: String| Criterion {
        id,
        title: title(id),
        status,
        summary,
        evidence: Vec::new(),
        next: Vec::new(),
    };

    // AC1
    let found = of("AC1");
    let ac1 = if !has_init(check, Sdk::Python) && !has_init(check, Sdk::Javascript) {
        criterion("AC1", Status::NotChecked, "No Sentry init found.".into())
    } else {
        let status = status_of(&found);
        let mut c = criterion(
            "AC1",
            status,
            match status {
                Status::Pass => "The SDKs collect no identity data.".into(),
                _ => "The SDKs collect identity data.".into(),
            },
        );
        c.evidence = settings(check, "AC1", None);
        with_findings(&found, c)
    };

    // AC2 (the source, and the replay recordings when events were given)
    let found = of("AC2");
    let replay_events: Vec<&Finding> = inputs
        .events
        .as_ref()
        .map(|e| {
            e.report
                .findings
                .iter()
                .filter(|f| f.rule.criterion() == Some("AC2"))
                .collect()
        })
        .unwrap_or_default();
    let uses_replay = check
        .models
        .iter()
        .any(|m| m.inits.iter().any(|i| i.replay.is_some()));
    let ac2 = if !has_init(check, Sdk::Javascript) && replay_events.is_empty() {
        criterion(
            "AC2",
            Status::NotChecked,
            "No JavaScript Sentry init found.".into(),
        )
    } else {
        let status = status_of(&found).max(status_of(&replay_events));
        let summary = match (status, uses_replay) {
            (Status::Pass, false) => "Session Replay is not enabled.".to_string(),
            (Status::Pass, true) => "Replays mask text and inputs and block media.".into(),
            _ => "Replays can show customer data.".into(),
        };
        let mut c = criterion("AC2", status, summary);
        c.evidence = settings(check, "AC2", Some(Sdk::Javascript));
        let mut c = with_findings(&found, c);
        if let Some(e) = &inputs.events {
            c.evidence
                .extend(replay_events.iter().map(|f| finding_evidence(e.report, f)));
        }
        c
    };

    // AC3
    let found = of("AC3");
    let ac3 = if inputs.sensitive_fields.is_empty() {
        let mut c = criterion(
            "AC3",
            Status::Warning,
            "No `sensitive_fields` configured: the scrubbing cannot be checked.".into(),
        );
        c.next.push(
            "List the customer fields in `sentry-privacy-audit.toml` (`sensitive_fields = [...]`); `sentry-privacy-audit init` pre-fills it."
                .into(),
        );
        c
    } else {
        let status = status_of(&found);
        let mut c = criterion(
            "AC3",
            status,
            match status {
                Status::Pass => format!(
                    "The {} configured customer fields are scrubbed before events leave.",
                    inputs.sensitive_fields.len()
                ),
                _ => "Customer fields are not scrubbed before events leave.".into(),
            },
        );
        c.evidence = settings(check, "AC3", None);
        let mut c = with_findings(&found, c);
        if inputs.scrub_rules.is_some() {
            c.evidence.push(Evidence {
                place: None,
                code: None,
                text: "Server-side rules for these fields (Advanced Data Scrubbing), generated by `sentry-privacy-audit scrub-rules --format api`: see below.".into(),
                snippet: None,
            });
            c.next.push(
                "Apply the scrub rules below in Sentry's project settings (Security & Privacy > Advanced Data Scrubbing, or `PUT /api/0/projects/{org}/{project}/` with the body), then lint the exported settings with `scrub-rules --check`."
                    .into(),
            );
        }
        c
    };

    // AC5
    let source = of("AC5");
    let ac5 = match &inputs.events {
        None => {
            let mut c = criterion(
                "AC5",
                Status::NotChecked,
                "No events were given (`--events DIR`).".into(),
            );
            c.evidence = settings(check, "AC5", None);
            c.evidence
                .extend(source.iter().map(|f| finding_evidence(check, f)));
            c.next.push(
                "Capture real events and check them: `sentry-privacy-audit capture --out events/ -- <your test or e2e command>`, then `sentry-privacy-audit report --events events/`."
                    .into(),
            );
            c
        }
        Some(e) => {
            let events: Vec<&Finding> = e
                .report
                .findings
                .iter()
                .filter(|f| f.rule.criterion() == Some("AC5"))
                .collect();
            let n = |k: usize, one: &str, many: &str| {
                format!("{k} {}", if k == 1 { one } else { many })
            };
            let read = format!(
                "{} ({}) and {} read from {}",
                n(e.events, "event", "events"),
                n(e.error_events, "error event", "error events"),
                n(e.replay_segments, "replay segment", "replay segments"),
                e.dir
            );
            let (status, summary) = if !events.is_empty() {
                (
                    Status::Fail,
                    format!(
                        "The events hold customer data ({}); {read}.",
                        codes(&events)
                    ),
                )
            } else if e.error_events == 0 {
                (
                    Status::NotChecked,
                    format!("No error event to check: {read}."),
                )
            } else if !source.is_empty() {
                (
                    Status::Warning,
                    format!(
                        "The events checked are clean ({read}), but the configuration sends data that other events may carry ({}).",
                        codes(&source)
                    ),
                )
            } else {
                (Status::Pass, format!("No customer data in {read}."))
            };
            let mut c = criterion("AC5", status, summary);
            c.evidence
                .extend(events.iter().map(|f| finding_evidence(e.report, f)));
            c.evidence = {
                let mut v = settings(check, "AC5", None);
                v.extend(c.evidence);
                v
            };
            c.evidence
                .extend(source.iter().map(|f| finding_evidence(check, f)));
            match status {
                Status::Fail => c.next.push(
                    "Fix the configuration (`check --fix`), capture the events again and re-run the report.".into(),
                ),
                Status::NotChecked => c.next.push(
                    "Capture a run that raises an error: `sentry-privacy-audit capture --out events/ -- <command>`.".into(),
                ),
                Status::Warning => c.next.push(
                    "Turn off what the findings name, so that no other event can carry it.".into(),
                ),
                _ => {}
            }
            c
        }
    };

    // AC4: the Sentry row can flip to pass when every other criterion passes.
    let others = [&ac1, &ac2, &ac3, &ac5];
    let worst = others
        .iter()
        .map(|c| c.status)
        .max()
        .unwrap_or(Status::Pass);
    let status = match worst {
        Status::Pass => Status::Pass,
        Status::Fail => Status::Fail,
        _ => Status::Warning,
    };
    let mut ac4 = criterion(
        "AC4",
        status,
        match status {
            Status::Pass => "Every other criterion passes: the Sentry row can say pass.".into(),
            Status::Fail => "A criterion fails: the Sentry row cannot say pass.".into(),
            _ => "A criterion is a warning or not checked: the Sentry row stays a warning.".into(),
        },
    );
    ac4.evidence = others
        .iter()
        .map(|c| Evidence {
            place: None,
            code: None,
            text: format!("{}: {}", c.id, c.status.label()),
            snippet: None,
        })
        .collect();
    if status != Status::Pass {
        ac4.next.push(
            "Resolve the other criteria, then update the document: `sentry-privacy-audit report --events DIR --update VERIFICATION.md`.".into(),
        );
    }
    Review {
        target: inputs.target.clone(),
        criteria: vec![ac1, ac2, ac3, ac4, ac5],
        scrub_rules: inputs.scrub_rules.clone(),
    }
}

/// A table cell: one line, no `|`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The Markdown report: the table, then each criterion's evidence.
pub fn markdown(r: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Sentry privacy review: {}\n", cell(&r.target));
    out.push_str("| Criterion | Status | Evidence | Next step |\n|---|---|---|---|\n");
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} |",
            c.id,
            cell(c.title),
            c.status.label(),
            cell(&c.summary),
            cell(c.next.first().map(String::as_str).unwrap_or("—"))
        );
    }
    for c in &r.criteria {
        let _ = writeln!(out, "\n### {} {}: {}\n", c.id, c.title, c.status.label());
        let _ = writeln!(out, "{}\n", c.summary);
        for e in &c.evidence {
            let mut line = String::from("- ");
            if let Some(p) = &e.place {
                let _ = write!(line, "`{}` ", p.replace('`', ""));
            }
            if let Some(code) = &e.code {
                let _ = write!(line, "{code}: ");
            }
            line.push_str(&e.text);
            let _ = writeln!(out, "{}", line.replace('\n', " "));
        }
        for n in &c.next {
            let _ = writeln!(out, "- Next: {n}");
        }
    }
    if let Some(rules) = &r.scrub_rules {
        let _ = writeln!(
            out,
            "\n### Server-side scrub rules (`scrub-rules --format api`)\n\n```json\n{}\n```",
            rules.trim_end()
        );
    }
    out
}

/// The one-cell summary written into the verification document's Sentry row.
pub fn row_summary(r: &Review) -> String {
    let parts: Vec<String> = r
        .criteria
        .iter()
        .filter(|c| c.id != "AC4")
        .map(|c| format!("{} {}", c.id, c.status.label()))
        .collect();
    format!("sentry-privacy-audit: {}", parts.join("; "))
}

/// Split a Markdown table row into its cells (without the outer pipes); `\|` stays in its cell.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().expect("one cell").push_str("\\|");
                chars.next();
            }
            '|' => out.push(String::new()),
            c => out.last_mut().expect("one cell").push(c),
        }
    }
    out
}

fn is_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

fn is_separator(line: &str) -> bool {
    is_row(line)
        && line
            .trim()
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Rewrite the verification document's Sentry row: its status cell gets AC4's verdict and its
/// evidence cell the criteria. Everything else stays byte for byte. Errors when no table row or
/// several mention Sentry, or when the table has no status column.
pub fn update_document(text: &str, r: &Review) -> Result<(String, usize), String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let rows: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_row(l) && !is_separator(l) && l.to_lowercase().contains("sentry"))
        .map(|(i, _)| i)
        .collect();
    let at = match rows.as_slice() {
        [one] => *one,
        [] => return Err("no table row mentions Sentry".into()),
        many => {
            return Err(format!(
                "{} table rows mention Sentry (lines {}); keep one",
                many.len(),
                many.iter()
                    .map(|i| (i + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    };
    // The table's header: the first row of the block of rows the Sentry row is in.
    let mut start = at;
    while start > 0 && is_row(lines[start - 1]) {
        start -= 1;
    }
    if start == at || !lines.get(start + 1).is_some_and(|l| is_separator(l)) {
        return Err(format!(
            "the Sentry row (line {}) is not in a table with a header row",
            at + 1
        ));
    }
    let header: Vec<String> = cells(lines[start])
        .iter()
        .map(|c| c.trim().to_lowercase())
        .collect();
    let find = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let Some(status_col) = find(&["status", "result", "state", "verdict"]) else {
        return Err(format!(
            "the table of the Sentry row (line {}) has no Status column",
            at + 1
        ));
    };
    let evidence_col = find(&["evidence", "notes", "note", "details", "comment", "finding"]);
    let line = lines[at];
    let body = line.trim_end_matches(['\n', '\r']);
    let ending = &line[body.len()..];
    let mut row = cells(body);
    if row.len() <= status_col {
        return Err(format!(
            "the Sentry row (line {}) has no cell under the Status column",
            at + 1
        ));
    }
    let ac4 = r
        .criteria
        .iter()
        .find(|c| c.id == "AC4")
        .map(|c| c.status)
        .unwrap_or(Status::NotChecked);
    let set = |cell_text: &mut String, value: &str| {
        let lead = cell_text.len() - cell_text.trim_start().len();
        let trail = cell_text.len() - cell_text.trim_end().len();
        *cell_text = format!(
            "{}{}{}",
            &cell_text[..lead],
            cell(value),
            &cell_text[cell_text.len() - trail..]
        );
    };
    set(&mut row[status_col], ac4.label());
    if let Some(ec) = evidence_col.filter(|c| *c < row.len() && *c != status_col) {
        set(&mut row[ec], &row_summary(r));
    }
    let indent = &body[..body.len() - body.trim_start().len()];
    let trailing_pipe = body.trim_end().ends_with('|') && !body.trim_end().ends_with("\\|");
    let mut new_line = format!("{indent}|{}", row.join("|"));
    if trailing_pipe {
        new_line.push('|');
    }
    new_line.push_str(ending);
    let mut out = String::with_capacity(text.len() + 64);
    for (i, l) in lines.iter().enumerate() {
        out.push_str(if i == at { &new_line } else { l });
    }
    Ok((out, at + 1))
}

/// Escape HTML text (the same rules as XML text).
fn esc(s: &str) -> String {
    crate::output::junit::escape_text(s)
}

/// `code` spans for Markdown backticks, the rest escaped.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

const CSS: &str = r#"
:root { --pass: #1a7f37; --warning: #9a6700; --fail: #cf222e; --muted: #57606a; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: var(--muted); margin-top: 0; }
table.summary { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
table.summary th, table.summary td { border: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
table.summary th { background: #f6f8fa; }
section.criterion { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; padding: .6rem 1rem; margin: 1rem 0; break-inside: avoid; }
section.criterion.pass { border-left-color: var(--pass); }
section.criterion.warning { border-left-color: var(--warning); }
section.criterion.fail { border-left-color: var(--fail); }
section.criterion.not-checked { border-left-color: var(--muted); }
.status { font-weight: 700; }
.status.pass { color: var(--pass); } .status.warning { color: var(--warning); }
.status.fail { color: var(--fail); } .status.not-checked { color: var(--muted); }
h2 { font-size: 1.15rem; margin: .2rem 0; }
ul.evidence { padding-left: 1.2rem; }
.place { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.code { font-weight: 600; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: .4rem .6rem; overflow-x: auto; font-size: .85em; white-space: pre-wrap; word-break: break-word; }
pre .mark { background: #fff8c5; display: inline-block; width: 100%; }
pre .ln { color: var(--muted); user-select: none; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; background: #f6f8fa; padding: 0 .2em; border-radius: 3px; }
.next { margin-top: .4rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; color: #000; }
  section.criterion, pre, table.summary tr { break-inside: avoid; }
  pre { white-space: pre-wrap; }
  a { color: #000; text-decoration: none; }
  .status.pass::after { content: " (pass)"; } .status.fail::after { content: " (fail)"; }
  .status.warning::after { content: " (warning)"; }
}
"#;

/// One self-contained page: no scripts, no fonts, no images, nothing fetched.
pub fn html(r: &Review) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Sentry privacy review: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&r.target)
    );
    let _ = writeln!(out, "<h1>Sentry privacy review</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} — generated by {} {}</p>",
        esc(&r.target),
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<table class=\"summary\">\n<thead><tr><th>Criterion</th><th>Status</th><th>Evidence</th></tr></thead>\n<tbody>\n");
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a> {}</td><td class=\"status {}\">{}</td><td>{}</td></tr>",
            c.id.to_lowercase(),
            c.id,
            inline(c.title),
            c.status.class(),
            esc(c.status.label()),
            inline(&c.summary)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "<section class=\"criterion {}\" id=\"{}\" data-criterion=\"{}\">",
            c.status.class(),
            c.id.to_lowercase(),
            c.id
        );
        let _ = writeln!(
            out,
            "<h2>{} {}</h2>\n<p>Status: <span class=\"status {}\">{}</span></p>\n<p>{}</p>",
            c.id,
            inline(c.title),
            c.status.class(),
            esc(c.status.label()),
            inline(&c.summary)
        );
        if !c.evidence.is_empty() {
            out.push_str("<ul class=\"evidence\">\n");
            for e in &c.evidence {
                out.push_str("<li>");
                if let Some(p) = &e.place {
                    let _ = write!(out, "<span class=\"place\">{}</span> ", inline(p));
                }
                if let Some(code) = &e.code {
                    let _ = write!(out, "<span class=\"code\">{}</span>: ", esc(code));
                }
                out.push_str(&inline(&e.text));
                if let Some(s) = &e.snippet {
                    out.push_str("\n<pre>");
                    for (i, l) in s.lines.iter().enumerate() {
                        let n = s.first_line + i;
                        let row = format!("<span class=\"ln\">{n:>4} </span>{}", esc(l));
                        if n == s.mark {
                            let _ = writeln!(out, "<span class=\"mark\">{row}</span>");
                        } else {
                            let _ = writeln!(out, "{row}");
                        }
                    }
                    out.push_str("</pre>");
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        for n in &c.next {
            let _ = writeln!(
                out,
                "<p class=\"next\"><strong>Next:</strong> {}</p>",
                inline(n)
            );
        }
        out.push_str("</section>\n");
    }
    if let Some(rules) = &r.scrub_rules {
        let _ = writeln!(
            out,
            "<section id=\"scrub-rules\">\n<h2>Server-side scrub rules</h2>\n<p>The body of the project-settings update (<code>scrub-rules --format api</code>):</p>\n<pre>{}</pre>\n</section>",
            esc(rules.trim_end())
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review_with(statuses: [Status; 5]) -> Review {
        Review {
            target: ".".into(),
            criteria: TITLES
                .iter()
                .zip(statuses)
                .map(|((id, title), status)| Criterion {
                    id,
                    title,
                    status,
                    summary: "s".into(),
                    evidence: vec![],
                    next: vec![],
                })
                .collect(),
            scrub_rules: None,
        }
    }

    #[test]
    fn the_sentry_row_is_rewritten_and_nothing_else() {
        let doc = "# Verification\r\n\r\n| Item | Status | Notes |\r\n|---|---|---|\r\n| Hosting | ✅ Pass | EU region |\r\n| Sentry (A2) | ⚠️ Warning | send_default_pii=True |\r\n\r\nEnd.\r\n";
        let r = review_with([Status::Pass; 5]);
        let (out, line) = update_document(doc, &r).unwrap();
        assert_eq!(line, 6);
        assert_eq!(
            out,
            "# Verification\r\n\r\n| Item | Status | Notes |\r\n|---|---|---|\r\n| Hosting | ✅ Pass | EU region |\r\n| Sentry (A2) | ✅ pass | sentry-privacy-audit: AC1 ✅ pass; AC2 ✅ pass; AC3 ✅ pass; AC5 ✅ pass |\r\n\r\nEnd.\r\n"
        );
    }

    #[test]
    fn refuses_without_one_sentry_row_or_a_status_column() {
        let r = review_with([Status::Pass; 5]);
        assert_eq!(
            update_document("| A | Status |\n|---|---|\n| x | y |\n", &r).unwrap_err(),
            "no table row mentions Sentry"
        );
        let two = "| A | Status |\n|---|---|\n| Sentry errors | y |\n| Sentry replays | y |\n";
        assert!(update_document(two, &r)
            .unwrap_err()
            .contains("2 table rows mention Sentry (lines 3, 4)"));
        let no_status = "| A | B |\n|---|---|\n| Sentry | y |\n";
        assert!(update_document(no_status, &r)
            .unwrap_err()
            .contains("has no Status column"));
        // A mention outside a table is not a row.
        let prose = "We use Sentry.\n\n| A | Status |\n|---|---|\n| Sentry | ⚠️ |\n";
        assert!(update_document(prose, &r).is_ok());
    }

    #[test]
    fn ac4_follows_the_others() {
        let r = review_with([
            Status::Pass,
            Status::Pass,
            Status::Pass,
            Status::Pass,
            Status::NotChecked,
        ]);
        let md = markdown(&r);
        assert!(md.contains("| AC1 "));
        assert!(row_summary(&r).ends_with("AC5 not checked"));
    }

    #[test]
    fn html_escapes_and_needs_nothing_from_outside() {
        let mut r = review_with([Status::Fail; 5]);
        r.criteria[0].evidence.push(Evidence {
            place: Some("a.py:2".into()),
            code: Some("SPA001 send-default-pii".into()),
            text: "`send_default_pii=True` <b>".into(),
            snippet: Some(snippet(
                "x = 1\nsentry_sdk.init(send_default_pii=True)\n",
                2,
            )),
        });
        let page = html(&r);
        assert!(page.contains("<code>send_default_pii=True</code> &lt;b&gt;"));
        assert!(
            page.contains("<span class=\"mark\"><span class=\"ln\">   2 </span>sentry_sdk.init")
        );
        for outside in ["<script", "<link", "<img", "src=", "@import", "url("] {
            assert!(!page.contains(outside), "{outside}");
        }
    }
}
