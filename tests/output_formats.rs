//! The SARIF, GitHub and JUnit output formats, and how every format treats suppressed findings.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

use sentry_privacy_audit::check::{check, CheckRequest, FixMode, Report};
use sentry_privacy_audit::diagnostic::SuppressionKind;
use sentry_privacy_audit::output::{self, sarif};
use sentry_privacy_audit::registry::Rule;

mod common;
use common::{bin, json_of};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `check . --output-format FORMAT` run inside `dir`, so that paths are relative to it.
fn run_in(dir: &Path, format: &str) -> Output {
    bin()
        .current_dir(dir)
        .args(["check", ".", "--output-format", format])
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn resolutionflow() -> PathBuf {
    manifest_dir().join("fixtures/resolutionflow")
}

/// The SARIF log of the bundled example app, checked from inside it.
fn resolutionflow_sarif() -> Value {
    let out = run_in(&resolutionflow(), "sarif");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    json_of(&out)
}

/// A small project: a file whose name needs escaping (`,` and `:`), a value spanning two lines with
/// a `%`, and the three severities (SPA004 is lowered to info by the configuration).
fn small_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a,b:c.py"),
        "import os\nimport sentry_sdk\n\nsentry_sdk.init(\n    dsn=\"https://k@o0.ingest.sentry.io/1\",\n    send_default_pii=(os.getenv(\"PII%\")\n        == \"1\"),\n    include_local_variables=True,\n)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sentry-privacy-audit.toml"),
        "[severity]\nSPA004 = \"info\"\n",
    )
    .unwrap();
    dir
}

/// The official SARIF 2.1.0 schema: the file `SARIF_SCHEMA` names, else `../shared/sarif-schema-2.1.0.json`
/// (CI's clone has `shared/` beside it). The test that needs it is ignored by a plain `cargo test`;
/// when it is run, a missing schema fails it.
fn sarif_schema() -> Value {
    let path = std::env::var_os("SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../shared/sarif-schema-2.1.0.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} cannot be read ({e}): set SARIF_SCHEMA to the SARIF 2.1.0 schema",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the SARIF schema is JSON")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("  {} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the SARIF log of {what} does not match the schema:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(log).unwrap()
    );
}

/// A report of the small project through the library, its first finding suppressed in the source
/// and its second by a baseline.
fn suppressed_report() -> (tempfile::TempDir, Report) {
    let dir = small_project();
    let req = |baseline| CheckRequest {
        paths: vec![dir.path().to_path_buf()],
        config: Some(dir.path().join("sentry-privacy-audit.toml")),
        baseline,
        count_fixable: true,
        ..Default::default()
    };
    let report = check(&req(None)).unwrap();
    assert_eq!(report.findings.len(), 3, "{:?}", report.findings);
    // The baseline records the second finding (SPA001).
    let baseline = dir.path().join("baseline.json");
    sentry_privacy_audit::baseline::write(&baseline, &report.files, &report.findings[1..2])
        .unwrap();
    let file = dir.path().join("a,b:c.py");
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "sentry_sdk.init(\n",
        "sentry_sdk.init(  # sentry-privacy-audit: ignore[SPA004] -- bodies are dropped by the proxy\n",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let baseline = sentry_privacy_audit::baseline::Baseline::load(&baseline).unwrap();
    let report = check(&req(Some(baseline))).unwrap();
    let kinds: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule.code(), f.suppressed.as_ref().map(|s| s.kind)))
        .collect();
    assert_eq!(
        kinds,
        [
            ("SPA004", Some(SuppressionKind::InSource)),
            ("SPA001", Some(SuppressionKind::External)),
            ("SPA005", None)
        ]
    );
    (dir, report)
}

fn render(report: &Report, format: output::OutputFormat) -> String {
    let mut out = Vec::new();
    output::render(
        format,
        report,
        &FixMode::Off,
        output::RenderOptions::default(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
#[ignore = "needs the SARIF 2.1.0 schema (../shared/sarif-schema-2.1.0.json or SARIF_SCHEMA); .ci/run runs it"]
fn sarif_matches_the_official_schema() {
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    assert_valid_sarif(
        &validator,
        &resolutionflow_sarif(),
        "fixtures/resolutionflow",
    );
    let dir = small_project();
    assert_valid_sarif(
        &validator,
        &json_of(&run_in(dir.path(), "sarif")),
        "a file name with `,` and `:`",
    );
    let (_dir, report) = suppressed_report();
    assert_valid_sarif(&validator, &sarif::log(&report), "suppressed findings");
    // The validator does reject what the schema forbids.
    let mut broken = sarif::log(&report);
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!validator.is_valid(&broken));
    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), "sarif");
    assert_eq!(out.status.code(), Some(0));
    let log = json_of(&out);
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_valid_sarif(&validator, &log, "an empty folder");
    // A finding outside the working directory is a file URI.
    assert_valid_sarif(
        &validator,
        &json!({"version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "t"}},
            "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {
                "artifactLocation": sarif::artifact_location("/tmp/a b/c.py")}}]}],
        }]}),
        "an absolute path",
    );
}

#[test]
fn sarif_driver_lists_every_rule_with_its_documentation() {
    let log = resolutionflow_sarif();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sentry-privacy-audit");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/sentry-privacy-audit/sentry-privacy-audit"
    );
    let sarif_rules = driver["rules"].as_array().unwrap();
    assert_eq!(sarif_rules.len(), Rule::COUNT);
    for (r, rule) in sarif_rules.iter().zip(Rule::ALL) {
        assert_eq!(r["id"], rule.code());
        assert_eq!(r["name"], rule.name());
        assert_eq!(r["shortDescription"]["text"], rule.summary());
        assert_eq!(r["fullDescription"]["text"], rule.description());
        assert!(
            rule.description().len() > rule.summary().len() && rule.description().ends_with('.'),
            "{}: the description should be a sentence or two: {:?}",
            rule.code(),
            rule.description()
        );
        assert_eq!(
            r["helpUri"],
            format!(
                "https://github.com/sentry-privacy-audit/sentry-privacy-audit#{}",
                rule.anchor()
            )
        );
        assert_eq!(
            r["defaultConfiguration"]["level"],
            match rule.severity().as_str() {
                "info" => "note",
                s => s,
            }
        );
        assert_eq!(
            r["properties"]["criterion"],
            rule.criterion().map_or(Value::Null, Value::from)
        );
    }
    let spa001 = &sarif_rules[1];
    assert_eq!(spa001["id"], "SPA001");
    assert_eq!(
        spa001["helpUri"],
        "https://github.com/sentry-privacy-audit/sentry-privacy-audit#spa001-send-default-pii"
    );
    assert_eq!(spa001["properties"]["criterion"], "AC1");
    assert_eq!(spa001["defaultConfiguration"]["level"], "error");
    assert_eq!(sarif_rules[0]["defaultConfiguration"]["level"], "error");
}

/// GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`.
fn github_slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn readme_documents_every_rule_at_its_help_anchor() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let anchors: Vec<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(github_slug)
        .collect();
    assert_eq!(
        github_slug("SPA001 send-default-pii"),
        "spa001-send-default-pii"
    );
    for rule in Rule::ALL {
        assert!(
            anchors.contains(&rule.anchor()),
            "README.md has no `### {} {}` heading for the anchor #{}",
            rule.code(),
            rule.name(),
            rule.anchor()
        );
    }
}

#[test]
fn sarif_results_of_resolutionflow() {
    let log = resolutionflow_sarif();
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    let spa001 = results
        .iter()
        .find(|r| r["ruleId"] == "SPA001")
        .expect("an SPA001 result");
    let index = spa001["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "SPA001");
    assert_eq!(spa001["level"], "error");
    assert!(spa001["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("`send_default_pii` is `True`"));
    assert_eq!(
        spa001["locations"],
        json!([{"physicalLocation": {
            "artifactLocation": {"uri": "backend/app/main.py", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 22, "startColumn": 5, "endLine": 22, "endColumn": 21},
        }}])
    );
    // A safe replacement.
    assert_eq!(
        spa001["fixes"],
        json!([{
            "description": {"text": "set `send_default_pii` to `False`"},
            "artifactChanges": [{
                "artifactLocation": {"uri": "backend/app/main.py", "uriBaseId": "%SRCROOT%"},
                "replacements": [{
                    "deletedRegion": {"startLine": 22, "startColumn": 22, "endLine": 22, "endColumn": 26},
                    "insertedContent": {"text": "False"},
                }],
            }],
            "properties": {"applicability": "safe"},
        }])
    );
    // An unsafe insertion: an empty deleted region.
    let spa004 = results.iter().find(|r| r["ruleId"] == "SPA004").unwrap();
    assert_eq!(spa004["level"], "warning");
    assert_eq!(
        spa004["fixes"][0]["artifactChanges"][0]["replacements"],
        json!([{
            "deletedRegion": {"startLine": 23, "startColumn": 65, "endLine": 23, "endColumn": 65},
            "insertedContent": {"text": "\n    max_request_body_size=\"never\","},
        }])
    );
    assert_eq!(spa004["fixes"][0]["properties"]["applicability"], "unsafe");
    for r in results {
        assert!(r.get("suppressions").is_none(), "{r}");
        let fp = r["partialFingerprints"]["sentryPrivacyAudit/v1"]
            .as_str()
            .unwrap();
        assert!(
            fp.len() == 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fp}"
        );
    }
    // Every SPA201 result is in its own file, so their fingerprints differ.
    let mut fps: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["sentryPrivacyAudit/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    fps.sort_unstable();
    fps.dedup();
    assert_eq!(fps.len(), results.len());
    // The output is deterministic.
    assert_eq!(resolutionflow_sarif(), log);
}

#[test]
fn sarif_paths_are_relative_to_the_working_directory() {
    let out = bin()
        .current_dir(manifest_dir())
        .args([
            "check",
            "fixtures/resolutionflow",
            "--output-format",
            "sarif",
        ])
        .output()
        .unwrap();
    let log = json_of(&out);
    let spa001 = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "SPA001")
        .unwrap();
    assert_eq!(
        spa001["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "fixtures/resolutionflow/backend/app/main.py", "uriBaseId": "%SRCROOT%"})
    );
    let dir = small_project();
    let log = json_of(&run_in(dir.path(), "sarif"));
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "a,b%3Ac.py", "uriBaseId": "%SRCROOT%"})
    );
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let dir = small_project();
    let out = run_in(dir.path(), "github");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        concat!(
            "::notice file=a%2Cb%3Ac.py,line=4,col=1,endLine=4,endColumn=16,title=SPA004 request-bodies-sent::",
            "`max_request_body_size` is not set: sentry-sdk 2.64.0 defaults to \"medium\", which attaches JSON ",
            "and form request bodies up to 10 kB to error events whatever `send_default_pii` says; the ",
            "`EventScrubber` replaces the values of keys such as `password`, `token` and `session` ",
            "(sentry-sdk 2.64.0, assumed)\n",
            "::warning file=a%2Cb%3Ac.py,line=6,col=5,endLine=6,endColumn=21,title=SPA001 send-default-pii::",
            "`send_default_pii`: `(os.getenv(\"PII%25\")%0A        == \"1\")` depends on the environment ",
            "variable or setting `PII%25` (default False); if it turns on, user identities (ids, e-mail addresses, IP ",
            "addresses), cookies and request headers are sent to Sentry (sentry-sdk 2.64.0, assumed)\n",
            "::error file=a%2Cb%3Ac.py,line=8,col=5,endLine=8,endColumn=28,title=SPA005 local-variables-sent::",
            "`include_local_variables` is `True`: the local variables of every stack frame are sent with error ",
            "events; the `EventScrubber` replaces the values of keys such as `password`, `token` and ",
            "`session` (sentry-sdk 2.64.0, assumed)\n",
        )
    );
}

#[test]
fn github_output_is_empty_without_findings() {
    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), "github");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn junit_suite_per_file_and_failure_per_finding() {
    let dir = small_project();
    std::fs::create_dir(dir.path().join("web")).unwrap();
    std::fs::write(
        dir.path().join("web/init.ts"),
        "import * as Sentry from \"@sentry/browser\";\nSentry.init({ sendDefaultPii: true });\n",
    )
    .unwrap();
    let out = run_in(dir.path(), "junit");
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("junit_small_project", stdout(&out));
    // The report agrees with the exit code: errors fail; the warning and the info pass unless
    // --strict makes the warning fail the run, and the report with it.
    let failures = |xml: &str| {
        xml.lines()
            .filter(|l| l.trim_start().starts_with("<failure "))
            .count()
    };
    assert_eq!(failures(&stdout(&out)), 2);
    let strict = bin()
        .current_dir(dir.path())
        .args(["check", ".", "--output-format", "junit", "--strict"])
        .output()
        .unwrap();
    let xml = stdout(&strict);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(failures(&xml), 3, "{xml}");
    assert!(xml.contains(r#"tests="4" failures="3""#), "{xml}");
    // Warnings alone: the run passes, and so does every test case.
    let warnings_only = tempfile::tempdir().unwrap();
    std::fs::write(
        warnings_only.path().join("app.py"),
        "import os\nimport sentry_sdk\n\nsentry_sdk.init(send_default_pii=os.getenv(\"PII\") == \"1\", max_request_body_size=\"never\", include_local_variables=False)\n",
    )
    .unwrap();
    let out = run_in(warnings_only.path(), "junit");
    assert_eq!(out.status.code(), Some(0));
    let xml = stdout(&out);
    assert_eq!(failures(&xml), 0, "{xml}");
    assert!(xml.contains(r#"failures="0""#), "{xml}");
    assert!(xml.contains("<system-out>app.py:4:"), "{xml}");
}

#[test]
fn junit_without_findings_is_one_passing_test() {
    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), "junit");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sentry-privacy-audit" tests="1" failures="0" errors="0">
  <testsuite name="sentry-privacy-audit" tests="1" failures="0" errors="0">
    <testcase name="no findings" classname="sentry-privacy-audit"/>
  </testsuite>
</testsuites>
"#
    );
}

#[test]
fn suppressed_findings_are_kept_in_sarif_and_json_only() {
    let (dir, report) = suppressed_report();
    let (first, second, third) = (
        &report.findings[0],
        &report.findings[1],
        &report.findings[2],
    );
    assert_eq!(
        (first.rule.code(), second.rule.code(), third.rule.code()),
        ("SPA004", "SPA001", "SPA005")
    );

    // SARIF: every finding, the accepted ones with their suppression.
    let log: Value = {
        let mut out = Vec::new();
        sarif::render(&report, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    };
    assert_eq!(log, sarif::log(&report));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ruleId"], "SPA004");
    assert_eq!(
        results[0]["suppressions"],
        json!([{"kind": "inSource", "justification": "bodies are dropped by the proxy"}])
    );
    assert_eq!(results[1]["ruleId"], "SPA001");
    let baseline = format!(
        "in the baseline {}",
        dir.path().join("baseline.json").display()
    );
    assert_eq!(
        results[1]["suppressions"],
        json!([{"kind": "external", "justification": baseline}])
    );
    assert!(results[2].get("suppressions").is_none());

    // GitHub, JUnit and text: only the unsuppressed finding.
    let github = render(&report, output::OutputFormat::Github);
    assert_eq!(github.lines().count(), 1, "{github}");
    assert!(github.starts_with("::error "), "{github}");
    assert!(
        github.contains("title=SPA005 local-variables-sent::"),
        "{github}"
    );
    let junit = render(&report, output::OutputFormat::Junit);
    assert!(junit.contains(r#"type="SPA005""#), "{junit}");
    assert!(
        !junit.contains("SPA004") && !junit.contains("SPA001"),
        "{junit}"
    );
    assert!(junit.contains(r#"tests="1" failures="1""#), "{junit}");
    let text = render(&report, output::OutputFormat::Text);
    assert!(text.contains("SPA005 local-variables-sent"), "{text}");
    assert!(
        !text.contains("SPA004") && !text.contains("SPA001"),
        "{text}"
    );
    assert!(
        text.contains("1 finding (1 error, 0 warnings) in 1 file; 1 file checked"),
        "{text}"
    );

    // JSON: reported findings and counts without them; the accepted ones listed apart.
    let doc: Value = serde_json::from_str(&render(&report, output::OutputFormat::Json)).unwrap();
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SPA005"]);
    let path = &report.files[0].display;
    assert_eq!(
        doc["suppressed"],
        json!([
            {"code": "SPA004", "name": "request-bodies-sent", "path": path, "line": 4, "column": 1,
             "message": first.message, "kind": "in-source",
             "justification": "bodies are dropped by the proxy"},
            {"code": "SPA001", "name": "send-default-pii", "path": path, "line": 6, "column": 5,
             "message": second.message, "kind": "external", "justification": baseline},
        ])
    );
    assert_eq!(doc["summary"]["findings"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["infos"], 0);
    assert_eq!(doc["summary"]["files_with_findings"], 1);
    // The unsafe fixes of SPA001 and SPA004 no longer count; SPA005's safe one does.
    assert_eq!(doc["summary"]["fixable"], 1);
    assert_eq!(doc["summary"]["unsafe_fixable"], 0);
    let summary = output::Summary::of(&report);
    assert_eq!((summary.findings, summary.errors), (1, 1));
}

#[test]
fn json_lists_no_suppressed_findings_by_default() {
    let dir = small_project();
    let doc = json_of(&run_in(dir.path(), "json"));
    assert_eq!(doc["suppressed"], json!([]));
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
}

#[test]
fn sarif_fix_text_has_the_file_line_ending() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import sentry_sdk\r\n\r\nsentry_sdk.init(\r\n    dsn=\"x\",\r\n    send_default_pii=False,\r\n    include_local_variables=False,\r\n)\r\n",
    )
    .unwrap();
    let log = json_of(&run_in(dir.path(), "sarif"));
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "SPA004");
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"],
        json!([{
            "deletedRegion": {"startLine": 6, "startColumn": 35, "endLine": 6, "endColumn": 35},
            "insertedContent": {"text": "\r\n    max_request_body_size=\"never\","},
        }])
    );
}
