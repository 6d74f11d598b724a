//! Inline suppressions: what they hide, where they apply, SPA900 for the stale ones and its fix.

use std::path::Path;

use serde_json::Value;

mod common;
use common::bin;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sentry-privacy-audit.toml"), "").unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// `(code, path, line, column)` of a reported finding.
type Row = (String, String, u64, u64);

/// The reported (unsuppressed) findings, and the exit code.
fn run(dir: &Path, extra: &[&str]) -> (Vec<Row>, Option<i32>) {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--output-format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (rows, out.status.code())
}

fn row(code: &str, path: &str, line: u64, column: u64) -> Row {
    (code.into(), path.into(), line, column)
}

const PY: &str = "import sentry_sdk

sentry_sdk.init(
    dsn=\"https://k@o1.ingest.sentry.io/1\",
    send_default_pii=True,  # sentry-privacy-audit: ignore[SPA001] -- staging project, no customers
    max_request_body_size=\"never\",
    # sentry-privacy-audit: ignore[SPA005]
    include_local_variables=True,
)
";

#[test]
fn trailing_and_preceding_comments_suppress_their_line() {
    let dir = project(&[("app.py", PY)]);
    let (rows, code) = run(dir.path(), &[]);
    assert_eq!(rows, vec![]);
    assert_eq!(code, Some(0), "suppressed errors do not fail the run");
}

#[test]
fn a_suppression_covers_only_its_codes_and_its_line() {
    let text = PY.replace("ignore[SPA001]", "ignore[SPA005]");
    let dir = project(&[("app.py", &text)]);
    let (rows, code) = run(dir.path(), &[]);
    assert_eq!(
        rows,
        vec![
            row("SPA001", "app.py", 5, 5),
            row("SPA900", "app.py", 5, 60),
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn strings_that_look_like_suppressions_do_not_suppress() {
    let text = "import sentry_sdk\nsentry_sdk.init(send_default_pii=True, max_request_body_size=\"never\", include_local_variables=False, release=\"# sentry-privacy-audit: ignore[SPA001]\")\n";
    let dir = project(&[("app.py", text)]);
    let (rows, _) = run(dir.path(), &[]);
    assert_eq!(rows, vec![row("SPA001", "app.py", 2, 17)]);
}

#[test]
fn javascript_line_block_and_jsx_comments() {
    let instrument = "import * as Sentry from \"@sentry/react\";

Sentry.init({
  dsn: \"https://k@o1.ingest.sentry.io/1\",
  // sentry-privacy-audit: ignore[SPA105] -- internal admin app
  sendDefaultPii: true,
  integrations: [Sentry.replayIntegration({ maskAllText: false /* sentry-privacy-audit: ignore[SPA101] */ })],
});
";
    let page = "export function TicketPage() {
  return (
    // sentry-privacy-audit: ignore[SPA201] -- renders only the ticket number
    <div className=\"ticket\">
      {/* sentry-privacy-audit: ignore[SPA201] -- nothing to suppress here */}
      <p>ticket</p>
    </div>
  );
}
";
    let dir = project(&[
        ("src/instrument.ts", instrument),
        ("src/routes/TicketPage.tsx", page),
    ]);
    std::fs::write(
        dir.path().join("sentry-privacy-audit.toml"),
        "customer_data_routes = [\"src/routes/**\"]\n",
    )
    .unwrap();
    let (rows, code) = run(dir.path(), &[]);
    // The JSX comment stands alone on line 5: it applies to line 6, where nothing is reported.
    assert_eq!(
        rows,
        vec![row("SPA900", "src/routes/TicketPage.tsx", 5, 40)]
    );
    assert_eq!(code, Some(0));
}

#[test]
fn unused_suppressions_are_reported_and_removed_by_fix() {
    let text = "import sentry_sdk

sentry_sdk.init(
    send_default_pii=False,  # sentry-privacy-audit: ignore[SPA001]
    max_request_body_size=\"never\",  # sentry-privacy-audit: ignore[SPA004, SPA999] -- old
    # sentry-privacy-audit: ignore[SPA001, SPA005]
    include_local_variables=True,
)
";
    let dir = project(&[("app.py", text)]);
    let (rows, _) = run(dir.path(), &[]);
    assert_eq!(
        rows,
        vec![
            row("SPA900", "app.py", 4, 61),
            row("SPA900", "app.py", 5, 68),
            row("SPA900", "app.py", 5, 76),
            row("SPA900", "app.py", 6, 36),
        ]
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        "import sentry_sdk

sentry_sdk.init(
    send_default_pii=False,
    max_request_body_size=\"never\",
    # sentry-privacy-audit: ignore[SPA005]
    include_local_variables=True,
)
"
    );
    let (rows, _) = run(dir.path(), &[]);
    assert_eq!(rows, vec![]);
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let dir = project(&[("app.py", PY)]);
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        PY
    );
}

#[test]
fn codes_of_disabled_rules_are_not_judged() {
    let dir = project(&[("app.py", PY)]);
    let (rows, _) = run(dir.path(), &["--ignore", "SPA001"]);
    assert_eq!(rows, vec![]);
    let (rows, _) = run(dir.path(), &["--ignore", "SPA900", "--select", "SPA0"]);
    assert_eq!(rows, vec![]);
}
