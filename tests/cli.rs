//! The binary's contract: stdout, stderr and exit codes.

use std::process::Command;

use serde_json::Value;

mod common;
use common::{bin, json_of, write};

/// `(code, path, line, column, severity)` of every finding.
fn findings(doc: &Value) -> Vec<(String, String, u64, u64, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(
    code: &str,
    path: &str,
    line: u64,
    column: u64,
    sev: &str,
) -> (String, String, u64, u64, String) {
    (code.into(), path.into(), line, column, sev.into())
}

#[test]
fn resolutionflow_json_findings_at_exact_places() {
    let out = bin()
        .args([
            "check",
            "fixtures/resolutionflow",
            "--output-format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(doc["version"], 1);
    let b = "fixtures/resolutionflow/backend/app/main.py";
    let f = "fixtures/resolutionflow/frontend/src";
    assert_eq!(
        findings(&doc),
        vec![
            row("SPA002", b, 18, 1, "error"),
            row("SPA004", b, 18, 1, "warning"),
            row("SPA005", b, 18, 1, "warning"),
            row("SPA001", b, 22, 5, "error"),
            row("SPA105", &format!("{f}/instrument.ts"), 5, 1, "error"),
            row("SPA101", &format!("{f}/instrument.ts"), 13, 7, "error"),
            row("SPA102", &format!("{f}/instrument.ts"), 14, 7, "error"),
            row("SPA104", &format!("{f}/instrument.ts"), 19, 3, "error"),
            row(
                "SPA201",
                &format!("{f}/routes/ai-chat/AiChatSession.tsx"),
                34,
                5,
                "error"
            ),
            row(
                "SPA201",
                &format!("{f}/routes/files/FileViewer.tsx"),
                27,
                5,
                "error"
            ),
            row(
                "SPA201",
                &format!("{f}/routes/flowpilot/FlowPilotConversation.tsx"),
                41,
                5,
                "error"
            ),
            row(
                "SPA201",
                &format!("{f}/routes/sessions/SessionView.tsx"),
                27,
                5,
                "error"
            ),
        ]
    );
    let first = &doc["findings"][3];
    assert_eq!(first["name"], "send-default-pii");
    assert_eq!(first["criterion"], "AC1");
    assert_eq!(first["end_line"], 22);
    assert_eq!(first["end_column"], 21);
    assert_eq!(
        first["fix"],
        serde_json::json!({"applicability": "safe", "message": "set `send_default_pii` to `False`",
            "edits": [{"line": 22, "column": 22, "end_line": 22, "end_column": 26, "content": "False"}]})
    );
    let spa004 = &doc["findings"][1]["fix"];
    assert_eq!(spa004["applicability"], "unsafe");
    assert_eq!(
        spa004["edits"],
        serde_json::json!([{"line": 23, "column": 65, "end_line": 23, "end_column": 65,
            "content": "\n    max_request_body_size=\"never\","}])
    );
    assert!(first["help"]
        .as_str()
        .unwrap()
        .contains("send_default_pii=False"));
    let spa104 = doc["findings"][7]["message"].as_str().unwrap();
    assert!(spa104.contains("0.01 (1% of sessions)"), "{spa104}");
    assert!(
        spa104.contains("`replaysOnErrorSampleRate` 1.0"),
        "{spa104}"
    );
    let spa002 = doc["findings"][0]["message"].as_str().unwrap();
    for field in [
        "intake_content",
        "conversation_messages",
        "ticket_data",
        "escalation_package",
        "resolution_note_markdown",
        "escalation_package_markdown",
        "system_prompt_snapshot",
        "pending_task_lane",
    ] {
        assert!(spa002.contains(&format!("`{field}`")), "{spa002}");
    }
    assert_eq!(
        doc["summary"],
        serde_json::json!({"findings": 12, "errors": 10, "warnings": 2, "infos": 0,
                           "files_with_findings": 6, "files_checked": 7, "files_read_for_context": 0,
                           "fixed": 0, "fixable": 8, "unsafe_fixable": 4})
    );
}

#[test]
fn resolutionflow_json_inits_model() {
    let out = bin()
        .args([
            "check",
            "fixtures/resolutionflow",
            "--output-format",
            "json",
        ])
        .output()
        .unwrap();
    let doc = json_of(&out);
    let inits = doc["inits"].as_array().unwrap();
    assert_eq!(inits.len(), 2);
    let py = &inits[0];
    assert_eq!(py["language"], "python");
    assert_eq!(py["collects"]["user_info"]["state"], "collected");
    assert_eq!(py["collects"]["user_info"]["line"], 22);
    // `>=2.0` allows 2.0–2.13, where `send_default_pii=True` skips the scrubber.
    assert_eq!(py["collects"]["request_bodies"]["state"], "collected");
    assert_eq!(py["sdk"]["package"], "sentry-sdk");
    assert_eq!(py["sdk"]["version"], ">=2.0");
    assert_eq!(
        py["sdk"]["source"],
        "fixtures/resolutionflow/backend/requirements.txt"
    );
    assert_eq!(py["sdk"]["source_line"], 3);
    assert_eq!(py["judged"], "sentry-sdk 2.0.0–2.76.0, allowed by `>=2.0`");
    assert_eq!(
        py["collects"]["request_bodies"]["line"],
        serde_json::Value::Null
    );
    // With `send_default_pii=True` the GraphQL integrations attach their responses.
    assert_eq!(py["collects"]["outgoing_bodies"]["state"], "collected");
    assert_eq!(py["collects"]["replay_text"]["state"], "off");
    assert_eq!(py["path"], "fixtures/resolutionflow/backend/app/main.py");
    assert_eq!(py["line"], 18);
    assert_eq!(
        py["options"]["send_default_pii"],
        serde_json::json!({"kind": "literal", "value": true, "values": [true], "text": "True"})
    );
    assert_eq!(py["options"]["dsn"]["kind"], "env");
    assert_eq!(py["options"]["dsn"]["var"], "SENTRY_DSN");
    assert_eq!(py["options"]["environment"]["default"], "development");
    assert_eq!(
        py["integrations"],
        serde_json::json!(["StarletteIntegration", "FastApiIntegration"])
    );
    assert!(py.get("replay").is_none());
    let js = &inits[1];
    assert_eq!(js["language"], "javascript");
    assert_eq!(js["sdk"]["package"], "@sentry/react");
    assert_eq!(js["collects"]["replay_text"]["state"], "collected");
    assert_eq!(js["collects"]["replay_text"]["line"], 13);
    assert_eq!(js["collects"]["replay_inputs"]["state"], "off");
    // 11.x collects user data by default.
    assert_eq!(js["collects"]["user_info"]["state"], "collected");
    assert_eq!(js["collects"]["user_info"]["line"], serde_json::Value::Null);
    assert_eq!(js["sdk"]["version"], "^11.12.0");
    assert_eq!(
        js["judged"],
        "@sentry/react 11.9.0–11.12.0, allowed by `^11.12.0`"
    );
    assert_eq!(js["line"], 5);
    assert_eq!(js["options"]["replaysSessionSampleRate"]["value"], 0.01);
    assert_eq!(js["options"]["replaysOnErrorSampleRate"]["value"], 1.0);
    assert_eq!(js["options"]["dsn"]["kind"], "env");
    assert_eq!(js["options"]["dsn"]["var"], "VITE_SENTRY_DSN");
    assert_eq!(js["replay"]["line"], 12);
    assert_eq!(
        js["replay"]["options"]["maskAllText"],
        serde_json::json!({"kind": "literal", "value": false, "values": [false], "text": "false"})
    );
    assert_eq!(js["replay"]["options"]["blockAllMedia"]["value"], false);
}

#[test]
fn resolutionflow_text_report() {
    let out = bin()
        .args(["check", "fixtures/resolutionflow"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
    assert!(stdout.ends_with(
        "12 findings (10 errors, 2 warnings) in 6 files; 7 files checked\n8 fixable with --fix; 4 more fixable with --fix --unsafe-fixes.\n"
    ));
    insta::assert_snapshot!("resolutionflow_text", stdout);
}

#[test]
fn compliant_app_is_clean() {
    let out = bin()
        .args(["check", "fixtures/compliant", "--output-format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc = json_of(&out);
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["inits"].as_array().unwrap().len(), 2);
    let text = bin()
        .args(["check", "fixtures/compliant"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(text.stdout).unwrap(),
        "0 findings (0 errors, 0 warnings) in 0 files; 7 files checked\n"
    );
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(dsn=\"https://k@o.ingest.sentry.io/1\", max_request_body_size=\"never\")\n",
    );
    write(dir.path(), "sentry-privacy-audit.toml", "");
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("SPA005 local-variables-sent"), "{stdout}");
    assert!(
        stdout.ends_with(
            "1 finding (0 errors, 1 warning) in 1 file; 1 file checked\n1 fixable with --fix --unsafe-fixes.\nNot checked: SPA002 customer-fields-not-scrubbed (no `sensitive_fields`). `sentry-privacy-audit init` writes a configuration pre-filled from the project.\n"
        ),
        "{stdout}"
    );
    let strict = bin()
        .arg("check")
        .arg("--strict")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn bad_files_are_skipped_with_a_warning_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "");
    write(d, "binary.py", b"import sentry_sdk\0\x01\x02");
    write(d, "latin1.py", b"import sentry_sdk # caf\xe9\n");
    let mut huge = b"import sentry_sdk\n".to_vec();
    huge.resize(5 * 1024 * 1024 + 10, b'#');
    write(d, "huge.py", &huge);
    write(
        d,
        "ok.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True, max_request_body_size=\"never\", include_local_variables=False)\n",
    );
    let out = bin()
        .current_dir(d)
        .args(["check", ".", "--output-format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(
        stderr.contains("warning: binary.py: binary content (NUL byte), skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: latin1.py: invalid UTF-8 at byte 23, skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: huge.py: larger than 5 MiB, skipped"),
        "{stderr}"
    );
    // The run goes on: the good file is judged, and skipped files do not change the exit code.
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    assert_eq!(findings(&doc), vec![row("SPA001", "ok.py", 2, 17, "error")]);
    assert_eq!(doc["summary"]["files_checked"], 1);
}

/// A valid file whose string literals hold NUL characters is text: it is parsed and judged, not
/// skipped as binary. A near miss (`tracesEntry`) is not a candidate.
#[test]
fn nul_bytes_inside_strings_are_text_and_near_misses_are_not_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "");
    write(
        d,
        "instrument.ts",
        b"import * as Sentry from \"@sentry/browser\";\n\nconst SEP = \"a\0b\";\n\nSentry.init({ dsn: SEP, sendDefaultPii: true });\n",
    );
    write(
        d,
        "timing.ts",
        "export const tracesEntry = performance.getEntriesByType(\"navigation\")[0];\nexport const isEntry = (x: unknown) => x === tracesEntry;\n",
    );
    let out = bin()
        .current_dir(d)
        .args(["check", ".", "--output-format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(!stderr.contains("binary"), "{stderr}");
    let doc = json_of(&out);
    assert_eq!(
        findings(&doc),
        vec![row("SPA105", "instrument.ts", 5, 25, "error")]
    );
    assert_eq!(doc["summary"]["files_checked"], 1);
}

#[test]
fn syntax_errors_are_reported_and_the_rest_still_judged() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sentry-privacy-audit.toml",
        "select = [\"SPA000\", \"SPA001\"]\n",
    );
    write(
        dir.path(),
        "broken.py",
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=True)\n\ndef oops(:\n    pass\n",
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "--output-format", "json"])
        .output()
        .unwrap();
    let doc = json_of(&out);
    assert_eq!(
        findings(&doc),
        vec![
            row("SPA001", "broken.py", 3, 17, "error"),
            row("SPA000", "broken.py", 5, 10, "error"),
        ]
        .into_iter()
        .collect::<Vec<_>>()
        .tap_sort()
    );
    assert!(doc["findings"][1]["message"]
        .as_str()
        .unwrap()
        .starts_with("syntax error"));
}

/// A syntax error in a file that holds a Sentry init, or might (it imports a Sentry package),
/// fails the run: the tool cannot vouch for the file. Elsewhere (a customer-data route) it is a
/// warning, and the run passes.
#[test]
fn a_syntax_error_that_may_hide_an_init_fails_the_run() {
    let run = |name: &str, text: &str| {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "sentry-privacy-audit.toml",
            "customer_data_routes = [\"routes/**\"]\n",
        );
        write(dir.path(), name, text);
        let out = bin()
            .current_dir(dir.path())
            .args(["check", "--output-format", "json"])
            .output()
            .unwrap();
        let doc = json_of(&out);
        let rows = findings(&doc);
        (out.status.code(), rows)
    };
    // The init's own arguments are cut short: only the syntax error is left to say so.
    let (code, rows) = run(
        "settings.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=True,\n\ndef later(:\n    pass\n",
    );
    assert_eq!(code, Some(1), "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.0 == "SPA000" && r.1 == "settings.py" && r.4 == "error"),
        "{rows:?}"
    );
    // A file that only imports the SDK might hold one.
    let (code, rows) = run(
        "instrument.ts",
        "import * as Sentry from \"@sentry/node\";\nexport const x = {;\n",
    );
    assert_eq!(code, Some(1), "{rows:?}");
    assert_eq!(rows, vec![row("SPA000", "instrument.ts", 2, 19, "error")]);
    // A route that names no Sentry token: a warning, and the run passes.
    let (code, rows) = run(
        "routes/Page.tsx",
        "export const Page = () => <div>{x</div>;\n",
    );
    assert_eq!(code, Some(0), "{rows:?}");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].4.as_str()),
        ("SPA000", "warning")
    );
}

trait TapSort {
    fn tap_sort(self) -> Self;
}

impl TapSort for Vec<(String, String, u64, u64, String)> {
    fn tap_sort(mut self) -> Self {
        self.sort_by(|a, b| (&a.1, a.2, a.3).cmp(&(&b.1, b.2, b.3)));
        self
    }
}

#[test]
fn missing_path_is_an_error_and_prints_no_report() {
    for format in ["text", "json", "sarif", "github", "junit"] {
        let out = bin()
            .args(["check", "--output-format", format, "no/such/dir"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("error: no/such/dir: no such file or directory"),
            "{stderr}"
        );
        // No "0 findings" summary, no empty SARIF log: a failed run looks failed.
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{format}");
    }
    let out = bin()
        .args([
            "check",
            "--statistics",
            "fixtures/compliant",
            "no/such/file.py",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

/// A named file is judged; the rest of its project is only read to judge it, and the counts say so.
#[test]
fn named_files_are_counted_apart_from_the_context_read_for_them() {
    let route = "fixtures/resolutionflow/frontend/src/routes/files/FileViewer.tsx";
    let out = bin().args(["check", route]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("in 1 file; 1 file checked (6 more read for context)"),
        "{stdout}"
    );
    let out = bin()
        .args(["check", "--output-format", "json", route])
        .output()
        .unwrap();
    let doc = json_of(&out);
    assert_eq!(doc["summary"]["files_checked"], 1);
    assert_eq!(doc["summary"]["files_read_for_context"], 6);
}

/// Without `sensitive_fields` and `customer_data_routes`, SPA002 and SPA201 cannot judge anything:
/// the text report says so once, at its end, and how to write the configuration.
#[test]
fn checks_that_need_configuration_are_named_when_it_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "api/main.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=\"https://k@o0.ingest.sentry.io/1\")\n",
    );
    write(
        d,
        "web/src/main.ts",
        "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn: \"https://k@o0.ingest.sentry.io/2\", integrations: [Sentry.replayIntegration({ maskAllText: false })] });\n",
    );
    let text = |args: &[&str]| {
        let out = bin()
            .current_dir(d)
            .arg("check")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let expected = "Not checked: SPA002 customer-fields-not-scrubbed (no `sensitive_fields`), SPA201 customer-data-route-unmasked (no `customer_data_routes`). `sentry-privacy-audit init` writes a configuration pre-filled from the project.\n";
    let stdout = text(&[]);
    assert!(stdout.ends_with(expected), "{stdout}");
    assert_eq!(stdout.matches("Not checked").count(), 1, "{stdout}");
    assert!(text(&["--statistics"]).ends_with(expected));
    // A rule that is not enabled is not named; neither is one with nothing to judge.
    let stdout = text(&["--ignore", "SPA002"]);
    assert!(
        stdout.ends_with("Not checked: SPA201 customer-data-route-unmasked (no `customer_data_routes`). `sentry-privacy-audit init` writes a configuration pre-filled from the project.\n"),
        "{stdout}"
    );
    let stdout = text(&["api"]);
    assert!(
        stdout
            .contains("Not checked: SPA002 customer-fields-not-scrubbed (no `sensitive_fields`)."),
        "{stdout}"
    );
    // With the keys, nothing is said.
    write(
        d,
        "sentry-privacy-audit.toml",
        "sensitive_fields = [\"ticket_body\"]\ncustomer_data_routes = [\"web/src/routes/**\"]\n",
    );
    assert!(!text(&[]).contains("Not checked"));
}

/// Headers name the rule; `--show-criteria` adds the acceptance criterion in the configuration's
/// words (defaults that read on their own).
#[test]
fn criteria_are_shown_in_the_configurations_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "api/main.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=\"https://k@o0.ingest.sentry.io/1\", send_default_pii=True)\n",
    );
    write(d, "sentry-privacy-audit.toml", "");
    let text = |args: &[&str]| {
        let out = bin()
            .current_dir(d)
            .arg("check")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = text(&["--select", "SPA001"]);
    assert!(plain.contains("SPA001 send-default-pii\n"), "{plain}");
    assert!(!plain.contains("AC1"), "{plain}");
    let shown = text(&["--select", "SPA001", "--show-criteria"]);
    assert!(
        shown.contains("SPA001 send-default-pii (AC1: no user identities sent (send_default_pii off), or events explicitly scrubbed)\n"),
        "{shown}"
    );
    write(
        d,
        "sentry-privacy-audit.toml",
        "[criteria]\nAC1 = \"A2.1 backend sends no personal data\"\n",
    );
    let shown = text(&["--select", "SPA001", "--show-criteria"]);
    assert!(
        shown.contains("SPA001 send-default-pii (AC1: A2.1 backend sends no personal data)\n"),
        "{shown}"
    );
    // An unknown criterion is a configuration error naming the key.
    write(d, "sentry-privacy-audit.toml", "[criteria]\nAC9 = \"x\"\n");
    let out = bin().current_dir(d).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("[criteria]: unknown criterion `AC9`"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn a_tree_without_any_init_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app/views.py",
        "import logging\n\nlog = logging.getLogger(\"sentry\")\n",
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let said: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("No Sentry SDK init found"))
        .collect();
    assert_eq!(said.len(), 1, "{stdout}");
    // A tree with an init does not say it.
    let out = bin()
        .args(["check", "fixtures/compliant"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("No Sentry SDK init"));
}

#[test]
fn bad_config_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sentry-privacy-audit.toml",
        "sensitive_fields = [\"a\"]\nmask_componets = [\"Mask\"]\n",
    );
    write(dir.path(), "a.py", "import sentry_sdk\n");
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("sentry-privacy-audit.toml"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("mask_componets"), "{stderr}");

    write(
        dir.path(),
        "sentry-privacy-audit.toml",
        "max_session_sample_rate = \"low\"\n",
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("line 1") && stderr.contains("max_session_sample_rate"),
        "{stderr}"
    );

    let out = bin()
        .args(["check", "--config", "no-such.toml", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no-such.toml"));
}

#[test]
fn discovery_honours_ignores_outside_git_and_skips_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pii =
        "import * as Sentry from \"@sentry/browser\";\nSentry.init({ sendDefaultPii: true });\n";
    write(d, "sentry-privacy-audit.toml", "");
    write(d, ".gitignore", "generated/\n");
    write(d, "src/app.js", pii);
    write(d, "generated/app.js", pii);
    write(d, "node_modules/lib/index.js", pii);
    write(d, "dist/bundle.js", pii);
    write(
        d,
        ".venv/lib/x.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
    );
    write(d, "legacy/old.js", pii);
    let out = bin()
        .current_dir(d)
        .args(["check", "--output-format", "json", "--exclude", "legacy"])
        .output()
        .unwrap();
    let doc = json_of(&out);
    let paths: Vec<String> = findings(&doc).into_iter().map(|f| f.1).collect();
    assert_eq!(paths, vec!["src/app.js"]);
    // A file named explicitly is always checked, even inside a skipped folder.
    let out = bin()
        .current_dir(d)
        .args([
            "check",
            "--output-format",
            "json",
            "node_modules/lib/index.js",
        ])
        .output()
        .unwrap();
    let doc = json_of(&out);
    assert_eq!(
        findings(&doc),
        vec![row("SPA105", "node_modules/lib/index.js", 2, 15, "error")]
    );
}

#[test]
fn pyproject_section_configures_and_selects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "pyproject.toml",
        "[project]\nname = \"svc\"\n\n[tool.sentry-privacy-audit]\nsensitive_fields = [\"ticket_data\"]\nignore = [\"SPA004\", \"SPA005\"]\n\n[tool.sentry-privacy-audit.severity]\nSPA001 = \"warning\"\n",
    );
    write(
        d,
        "svc/app.py",
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=True)\n",
    );
    let out = bin()
        .current_dir(d)
        .args(["check", "svc", "--output-format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&json_of(&out)),
        vec![
            row("SPA002", "svc/app.py", 3, 1, "error"),
            row("SPA001", "svc/app.py", 3, 17, "warning"),
        ]
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    // A report far larger than a pipe buffer, read only in part.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sentry-privacy-audit.toml", "");
    for i in 0..200 {
        write(
            dir.path(),
            &format!("svc{i}.py"),
            "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
        );
    }
    let bin = assert_cmd::cargo::cargo_bin("sentry-privacy-audit");
    let out = Command::new("bash")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "'{}' check . | head -c 100 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "status=0\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

#[test]
fn version_and_usage_errors() {
    let out = bin().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("sentry-privacy-audit "));
    let out = bin()
        .args(["check", "--output-format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_says_what_reaches_sentry_and_why() {
    let out = bin()
        .args(["explain", "fixtures/resolutionflow"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("fixtures/resolutionflow/backend/app/main.py:18: sentry_sdk.init(...)\n  SDK: sentry-sdk >=2.0 (from fixtures/resolutionflow/backend/requirements.txt:3); judged as sentry-sdk 2.0.0–2.76.0, allowed by `>=2.0`\n"), "{text}");
    assert!(text.contains("  Sent to Sentry:\n    user_info               the user's id, e-mail, username and IP address\n                            because `send_default_pii` is `True` (line 22)\n"), "{text}");
    assert!(text.contains("fixtures/resolutionflow/frontend/src/instrument.ts:5: Sentry.init(...)\n  SDK: @sentry/react ^11.12.0"), "{text}");
    assert!(text.contains("  Runs: in the browser\n"), "{text}");
    // Only the files asked about.
    let out = bin()
        .args([
            "explain",
            "fixtures/resolutionflow/frontend",
            "--output-format",
            "json",
        ])
        .output()
        .unwrap();
    let doc = json_of(&out);
    let inits = doc["inits"].as_array().unwrap();
    assert_eq!(inits.len(), 1);
    assert_eq!(inits[0]["collects"]["replay_media"]["state"], "collected");
    let empty = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["explain"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "No Sentry init found.\n"
    );
}

#[test]
fn rule_documentation_on_the_command_line() {
    let out = bin().args(["rule", "spa006"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "SPA006 ignored-option: An option the installed SDK version ignores, rejects, or turns into its permissive default.\n\nCriterion: AC1, no user identities sent (send_default_pii off), or events explicitly scrubbed.\nDefault severity: error. Fix: for some findings.\n"
        ),
        "{text}"
    );
    for part in ["**What:**", "**Why:**", "**Example:**", "**Fix safety:**"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let out = bin().args(["rule", "SPA999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["rules"]).output().unwrap();
    let list = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        list.lines().count(),
        sentry_privacy_audit::registry::Rule::COUNT
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("SPA108  [ ] replay-broad-unmask")),
        "{list}"
    );
}

#[test]
fn a_malformed_lockfile_is_named_and_the_manifest_answers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "");
    write(
        d,
        "package.json",
        r#"{"name": "web", "dependencies": {"@sentry/browser": "^11.12.0"}}"#,
    );
    write(
        d,
        "package-lock.json",
        "{\n  \"name\": \"web\",\n  \"packages\": {\n",
    );
    write(d, "main.ts", "import * as Sentry from \"@sentry/browser\";\nSentry.init({ dataCollection: { userInfo: false } });\n");
    let out = bin()
        .current_dir(d)
        .args(["check", "--output-format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("warning: package-lock.json:"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let doc = json_of(&out);
    assert_eq!(doc["inits"][0]["sdk"]["version"], "^11.12.0");
    assert_eq!(doc["inits"][0]["sdk"]["source"], "package.json");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
