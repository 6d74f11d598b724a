//! `--output-format json`:
//! `{"version":1,"findings":[...],"suppressed":[...],"inits":[...],"summary":{...}}`.
//!
//! `findings` and `summary` hold the reported findings only; suppressed ones are listed apart, with
//! where they are and why they were accepted.

use std::io::Write;

use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use super::{reported, Summary};
use crate::check::Report;
use crate::diagnostic::SuppressionKind;
use crate::model::{Evaluated, Options, ProdBranch, Sdk, Value};
use crate::policy::{IgnoredKind, Policy, State};
use crate::source::SourceFile;

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    criterion: Option<&'a str>,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: &'a str,
    fix: Option<Json>,
    /// For a finding in event data: the JSON path of the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_path: Option<&'a str>,
}

/// A suppressed finding: where it is, and how and why it was accepted.
#[derive(Serialize)]
struct JsonSuppressed<'a> {
    code: &'a str,
    name: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    /// `in-source` (an inline comment) or `external` (a baseline).
    kind: &'static str,
    justification: Option<&'a str>,
}

/// An option value: its kind, literal value, possible values and source text.
pub fn option_json(v: &Evaluated) -> Json {
    let mut o = Map::new();
    o.insert("kind".into(), v.value.kind().into());
    o.insert(
        "value".into(),
        v.value.literal().map(|l| l.to_json()).unwrap_or(Json::Null),
    );
    o.insert(
        "values".into(),
        v.value
            .possible_literals()
            .into_iter()
            .map(|l| l.to_json())
            .collect::<Vec<_>>()
            .into(),
    );
    o.insert("text".into(), v.text.clone().into());
    if let Some(origin) = &v.origin {
        // Written in another file (`path:line`), imported into this init.
        o.insert("origin".into(), origin.clone().into());
    }
    match &v.value {
        Value::Env { var, default } => {
            o.insert("var".into(), var.clone().into());
            o.insert(
                "default".into(),
                default.as_ref().map(|d| d.to_json()).unwrap_or(Json::Null),
            );
        }
        Value::Conditional {
            condition,
            production,
            ..
        } => {
            o.insert("condition".into(), condition.clone().into());
            o.insert(
                "production_branch".into(),
                match production {
                    Some(ProdBranch::Then) => "then".into(),
                    Some(ProdBranch::Else) => "else".into(),
                    None => Json::Null,
                },
            );
        }
        Value::Map(entries) => {
            o.insert("entries".into(), options_json(entries));
            if !entries.opaque.is_empty() {
                o.insert(
                    "opaque".into(),
                    entries
                        .opaque
                        .iter()
                        .map(|x| x.text.clone())
                        .collect::<Vec<_>>()
                        .into(),
                );
            }
        }
        Value::List(items) => {
            o.insert(
                "items".into(),
                items
                    .iter()
                    .map(|i| option_json(&i.value))
                    .collect::<Vec<_>>()
                    .into(),
            );
        }
        _ => {}
    }
    Json::Object(o)
}

fn options_json(options: &Options) -> Json {
    let mut m = Map::new();
    for e in &options.entries {
        m.insert(e.name.clone(), option_json(&e.value));
    }
    Json::Object(m)
}

/// `sdk` (package, version, source), `judged`, `collects` (per category: state, because, line),
/// `ignored` and `notes`.
fn policy_json(o: &mut Json, file: &SourceFile, policy: &Policy) {
    let sdk = &policy.sdk;
    o["sdk"] = json!({
        "package": sdk.package,
        "version": sdk.version,
        "source": sdk.source,
        "source_line": sdk.line,
        "assumed": sdk.assumed,
    });
    o["judged"] = policy.judged.clone().into();
    let mut collects = Map::new();
    for (c, d) in policy.decisions() {
        let mut entry = Map::new();
        entry.insert("state".into(), d.state.name().into());
        entry.insert("because".into(), d.because.clone().into());
        entry.insert(
            "line".into(),
            d.at.as_ref()
                .map(|r| Json::from(position(file, r.start).0))
                .unwrap_or(Json::Null),
        );
        match &d.state {
            State::Depends { on, default } => {
                entry.insert("on".into(), on.clone().into());
                entry.insert("default".into(), default.clone().into());
            }
            State::Unknown { source } => {
                entry.insert("source".into(), source.clone().into());
            }
            _ => {}
        }
        collects.insert(c.name().into(), Json::Object(entry));
    }
    o["collects"] = Json::Object(collects);
    o["ignored"] = policy
        .ignored
        .iter()
        .map(|i| {
            json!({
                "option": i.option,
                "line": position(file, i.at.start).0,
                "kind": match i.kind {
                    IgnoredKind::Ignored => "ignored",
                    IgnoredKind::Rejected => "rejected",
                    IgnoredKind::NoOp => "no-op",
                },
                "message": i.message,
                "instead": i.instead,
            })
        })
        .collect::<Vec<_>>()
        .into();
    o["notes"] = policy.notes.clone().into();
}

fn position(file: &SourceFile, offset: usize) -> (usize, usize) {
    let lc = file.line_col(offset);
    (lc.line, lc.column)
}

/// Every init found (or, with `focused_only`, those in the files asked about): where it is, its
/// options, and its policy; sorted by path and position.
pub fn inits(report: &Report, focused_only: bool) -> Vec<Json> {
    let mut inits = Vec::new();
    for (fi, (file, model)) in report.files.iter().zip(&report.models).enumerate() {
        if focused_only && !report.focused.get(fi).copied().unwrap_or(true) {
            continue;
        }
        for (k, init) in model.inits.iter().enumerate() {
            let (line, column) = position(file, init.call.start);
            let mut o = json!({
                "path": file.display,
                "line": line,
                "column": column,
                "language": init.sdk,
                "options": options_json(&init.options),
                "integrations": init.integrations.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
                "opaque": init.options.opaque.iter().map(|o| o.text.clone()).collect::<Vec<_>>(),
            });
            if let Some(policy) = report.policies.get(fi).and_then(|p| p.get(k)) {
                policy_json(&mut o, file, policy);
            }
            if init.sdk == Sdk::Javascript {
                o["replay"] = match &init.replay {
                    Some(r) => {
                        let (line, column) = position(file, r.range.start);
                        json!({
                            "line": line,
                            "column": column,
                            "options": options_json(&r.options),
                            "opaque": r.options.opaque.iter().map(|o| o.text.clone()).collect::<Vec<_>>(),
                        })
                    }
                    None => Json::Null,
                };
            }
            inits.push((file.display.clone(), line, column, o));
        }
    }
    inits.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    inits.into_iter().map(|i| i.3).collect()
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let findings: Vec<JsonFinding> = reported(report)
        .map(|f| {
            let file = &report.files[f.file];
            let span = super::Span::of_finding(file, f);
            let (line, column, end_line, end_column) =
                (span.line, span.column, span.end_line, span.end_column);
            JsonFinding {
                code: f.rule.code(),
                name: f.rule.name(),
                severity: f.severity.as_str(),
                criterion: f.rule.criterion(),
                path: &file.display,
                line,
                column,
                end_line,
                end_column,
                message: &f.message,
                help: &f.help,
                fix: f.fix.as_ref().map(|fix| {
                    json!({
                        "applicability": fix.applicability.as_str(),
                        "message": fix.message,
                        "edits": fix.edits.iter().map(|e| {
                            let (line, column) = position(file, e.range.start);
                            let (end_line, end_column) = position(file, e.range.end);
                            json!({"line": line, "column": column, "end_line": end_line,
                                   "end_column": end_column, "content": e.content})
                        }).collect::<Vec<_>>(),
                    })
                }),
                json_path: f.data.as_ref().map(|d| d.json_path.as_str()),
            }
        })
        .collect();
    let suppressed: Vec<JsonSuppressed> = report
        .findings
        .iter()
        .filter_map(|f| {
            let s = f.suppressed.as_ref()?;
            let file = &report.files[f.file];
            let (line, column) = position(file, f.range.start);
            Some(JsonSuppressed {
                code: f.rule.code(),
                name: f.rule.name(),
                path: &file.display,
                line,
                column,
                message: &f.message,
                kind: match s.kind {
                    SuppressionKind::InSource => "in-source",
                    SuppressionKind::External => "external",
                },
                justification: s.justification.as_deref(),
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "findings": findings,
        "suppressed": suppressed,
        "inits": inits(report, true),
        "summary": Summary::of(report),
        "baseline_stale": report.baseline_stale,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
