//! `--output-format sarif`: SARIF 2.1.0, as GitHub code scanning uploads it.
//!
//! One run. Its driver lists every rule, reported or not, so that a result's `ruleIndex` is its
//! rule's place in [`Rule::ALL`]. Each finding is a result with one physical location: its path as
//! displayed (relative to the working directory, with `/`) against `%SRCROOT%`, and a region with
//! 1-based lines and columns counted in characters (`columnKind: unicodeCodePoints`), the end
//! exclusive. `%SRCROOT%` is not given a value in the log (`originalUriBaseIds`), which keeps the
//! output free of machine-specific paths: GitHub resolves it to the repository root.
//!
//! Fixes with edits become `fixes`; suppressed findings stay in the log with `suppressions`, which is
//! how SARIF consumers show accepted findings.

use std::io::Write;

use serde_json::{json, Map, Value as Json};

use super::Span;
use crate::check::Report;
use crate::diagnostic::{Finding, Severity, SuppressionKind};
use crate::fix::Fix;
use crate::registry::Rule;
use crate::source::SourceFile;

/// The official schema of the format written here.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The tool's home page; its README documents each rule under `### CODE name`.
pub const INFORMATION_URI: &str = "https://github.com/sentry-privacy-audit/sentry-privacy-audit";

/// The `partialFingerprints` key of the hash of a result's code, path and message.
pub const FINGERPRINT_KEY: &str = "sentryPrivacyAudit/v1";

/// The rule's documentation: its README section.
pub fn help_uri(rule: Rule) -> String {
    format!("{INFORMATION_URI}#{}", rule.anchor())
}

/// SARIF's level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_json(rule: Rule) -> Json {
    let help_uri = help_uri(rule);
    let mut properties = Map::new();
    let mut tags = vec![Json::from("privacy")];
    if let Some(criterion) = rule.criterion() {
        properties.insert("criterion".into(), criterion.into());
        tags.push(criterion.into());
    }
    properties.insert("tags".into(), tags.into());
    json!({
        "id": rule.code(),
        "name": rule.name(),
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": rule.description() },
        "help": {
            "text": format!("{} Documentation: {help_uri}", rule.description()),
            "markdown": format!("{}\n\n[Documentation]({help_uri})", rule.description()),
        },
        "helpUri": help_uri,
        "defaultConfiguration": { "level": level(rule.severity()) },
        "properties": properties,
    })
}

/// Does this displayed path start with a Windows drive (`C:/`)?
fn has_drive(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && &b[1..3] == b":/"
}

/// Percent-encode a path for a URI: everything but unreserved characters, `/` and the sub-delimiters
/// that are safe in a path. `:` is encoded so that a first segment never reads as a scheme.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The artifact location of a displayed path: relative to `%SRCROOT%`, or a `file://` URI when the
/// file lies outside the working directory.
pub fn artifact_location(display: &str) -> Json {
    if display.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(display)) })
    } else if has_drive(display) {
        // A drive letter's colon stays as it is in a file URI.
        let uri = format!("file:///{}:{}", &display[..1], encode_path(&display[2..]));
        json!({ "uri": uri })
    } else {
        json!({ "uri": encode_path(display), "uriBaseId": "%SRCROOT%" })
    }
}

fn region(span: Span) -> Json {
    json!({
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    })
}

/// A stable hash of the parts (64-bit FNV-1a, hex): the same across runs, machines and versions.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        let sep: &[u8] = if i == 0 { b"" } else { b"\0" };
        for &b in sep.iter().chain(part.as_bytes()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn fix_json(file: &SourceFile, fix: &Fix) -> Json {
    // Edits write `\n`; applied, they take the file's line ending, and so does the SARIF text.
    let newline = crate::fix::line_ending(&file.text);
    let replacements: Vec<Json> = fix
        .edits
        .iter()
        .map(|e| {
            let mut r = Map::new();
            r.insert("deletedRegion".into(), region(Span::of(file, &e.range)));
            if !e.content.is_empty() {
                let text = if newline == "\n" {
                    e.content.clone()
                } else {
                    e.content.replace("\r\n", "\n").replace('\n', newline)
                };
                r.insert("insertedContent".into(), json!({ "text": text }));
            }
            Json::Object(r)
        })
        .collect();
    json!({
        "description": { "text": fix.message },
        "artifactChanges": [{
            "artifactLocation": artifact_location(&file.display),
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability.as_str() },
    })
}

fn result_json(report: &Report, finding: &Finding) -> Json {
    let file = &report.files[finding.file];
    let mut r = Map::new();
    r.insert("ruleId".into(), finding.rule.code().into());
    if let Some(i) = Rule::ALL.iter().position(|rule| *rule == finding.rule) {
        r.insert("ruleIndex".into(), i.into());
    }
    r.insert("level".into(), level(finding.severity).into());
    r.insert("message".into(), json!({ "text": finding.message }));
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(&file.display),
            "region": region(Span::of_finding(file, finding)),
        }
    });
    if let Some(d) = &finding.data {
        location["logicalLocations"] =
            json!([{ "fullyQualifiedName": d.json_path, "kind": "value" }]);
    }
    r.insert("locations".into(), json!([location]));
    r.insert(
        "partialFingerprints".into(),
        json!({
            FINGERPRINT_KEY: fingerprint(&[finding.rule.code(), &file.display, &finding.message])
        }),
    );
    if let Some(fix) = finding.fix.as_ref().filter(|f| !f.edits.is_empty()) {
        r.insert("fixes".into(), json!([fix_json(file, fix)]));
    }
    if let Some(s) = &finding.suppressed {
        let mut suppression = Map::new();
        suppression.insert(
            "kind".into(),
            match s.kind {
                SuppressionKind::InSource => "inSource",
                SuppressionKind::External => "external",
            }
            .into(),
        );
        if let Some(j) = &s.justification {
            suppression.insert("justification".into(), j.clone().into());
        }
        r.insert("suppressions".into(), json!([suppression]));
    }
    Json::Object(r)
}

/// The SARIF log of a report.
pub fn log(report: &Report) -> Json {
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": Rule::ALL.into_iter().map(rule_json).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": report.findings.iter().map(|f| result_json(report, f)).collect::<Vec<_>>(),
        }],
    })
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_relative_uris_or_file_uris() {
        assert_eq!(
            artifact_location("backend/app/main.py"),
            json!({"uri": "backend/app/main.py", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("a b/c:d#é.py"),
            json!({"uri": "a%20b/c%3Ad%23%C3%A9.py", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/tmp/x y/a.py"),
            json!({"uri": "file:///tmp/x%20y/a.py"})
        );
        assert_eq!(
            artifact_location("C:/src/a.py"),
            json!({"uri": "file:///C:/src/a.py"})
        );
    }

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a"]), "af63dc4c8601ec8c");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }
}
