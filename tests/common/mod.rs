#![allow(dead_code)]
//! Shared test helpers: running the binary, writing and copying project trees, and the rule test
//! harness.
//!
//! Rule test harness: every fixture under `fixtures/rules/<CODE>/` is checked, and each finding must match an
//! annotation comment on its line, and every annotation a finding:
//!
//! ```text
//! send_default_pii=True,  # expect: SPA001 error
//! maskAllText: false,     // expect: SPA101 error, SPA201 warning
//! ```
//!
//! The annotations compare the line, code and severity of the codes a test names, so a fixture
//! can show one rule without annotating what other rules say about the same init. Everything else
//! is judged too, as ruff's fixture snapshots do: every finding of every rule (line, column,
//! severity, message and fix) and the text `--fix --unsafe-fixes` writes are compared with the
//! fixture's snapshot in `tests/snapshots/rules/<CODE>.snap`, and a syntax error (SPA000) that is
//! not annotated fails the test.

use std::path::{Path, PathBuf};

use sentry_privacy_audit::check::{check, CheckRequest, FixMode, Report};

fn fixture_dir(name: &str) -> PathBuf {
    Path::new("fixtures/rules").join(name)
}

/// Run the checks on a fixture folder with its own configuration file.
pub fn run(name: &str) -> Report {
    let dir = fixture_dir(name);
    let config = dir.join("sentry-privacy-audit.toml");
    assert!(
        config.is_file(),
        "{} needs a configuration file",
        dir.display()
    );
    check(&CheckRequest {
        paths: vec![dir],
        config: Some(config),
        exclude: vec![],
        ..Default::default()
    })
    .expect("fixture configuration is valid")
}

/// `(path, line, "CODE severity")` for every annotation of the given codes.
fn expectations(dir: &Path, codes: &[&str]) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                let Some(at) = line.find("expect: ") else {
                    continue;
                };
                let list = line[at + "expect: ".len()..]
                    .trim_end()
                    .trim_end_matches("*/}")
                    .trim_end_matches("*/")
                    .trim();
                for item in list.split(',') {
                    let item = item.trim();
                    if codes.iter().any(|c| item.starts_with(c)) {
                        out.push((
                            path.to_string_lossy().replace('\\', "/"),
                            i + 1,
                            item.to_string(),
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Assert that the findings of `codes` are exactly the annotated ones.
pub fn assert_annotated(name: &str, codes: &[&str]) -> Report {
    let report = run(name);
    // An empty run would match an absence of annotations without judging anything.
    assert!(
        report.checked > 0,
        "fixtures/rules/{name}: no file was checked"
    );
    let mut actual: Vec<(String, usize, String)> = report
        .findings
        .iter()
        .filter(|f| codes.contains(&f.rule.code()))
        .map(|f| {
            let file = &report.files[f.file];
            (
                file.display.clone(),
                file.line_col(f.range.start).line,
                format!("{} {}", f.rule.code(), f.severity.as_str()),
            )
        })
        .collect();
    actual.sort();
    // A syntax error nobody expected means the fixture judges less than it seems to.
    if !codes.contains(&"SPA000") {
        let unexpected: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule.code() == "SPA000")
            .map(|f| format!("{}: {}", report.files[f.file].display, f.message))
            .collect();
        assert!(
            unexpected.is_empty(),
            "fixtures/rules/{name}: unexpected syntax errors:\n{}",
            unexpected.join("\n")
        );
    }
    let expected = expectations(&fixture_dir(name), codes);
    if actual != expected {
        let fmt = |v: &[(String, usize, String)]| {
            v.iter()
                .map(|(p, l, c)| format!("  {p}:{l}: {c}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let messages = report
            .findings
            .iter()
            .filter(|f| codes.contains(&f.rule.code()))
            .map(|f| {
                let file = &report.files[f.file];
                format!(
                    "  {}:{}: {} {}",
                    file.display,
                    file.line_col(f.range.start).line,
                    f.rule.code(),
                    f.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "findings differ from annotations in fixtures/rules/{name}\nexpected:\n{}\nactual:\n{}\nmessages:\n{messages}",
            fmt(&expected),
            fmt(&actual)
        );
    }
    assert_snapshot(name, &report);
    report
}

/// Every finding of a fixture (all rules, suppressed ones marked) with its place, message and fix,
/// then the diff `--fix --unsafe-fixes` would apply: what its snapshot holds.
pub fn rendered(name: &str, report: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in &report.findings {
        let file = &report.files[f.file];
        let at = file.line_col(f.range.start);
        let suppressed = if f.suppressed.is_some() {
            " (suppressed)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}{suppressed}: {}",
            file.display,
            at.line,
            at.column,
            f.rule.code(),
            f.severity.as_str(),
            f.message
        );
        if let Some(fix) = &f.fix {
            let _ = writeln!(
                out,
                "  fix ({}): {}",
                fix.applicability.as_str(),
                fix.message
            );
        }
    }
    let dir = fixture_dir(name);
    let fixed = check(&CheckRequest {
        paths: vec![dir.clone()],
        config: Some(dir.join("sentry-privacy-audit.toml")),
        fix: FixMode::Apply {
            unsafe_fixes: true,
            write: false,
        },
        ..Default::default()
    })
    .expect("fixture configuration is valid");
    assert!(
        fixed.fix_errors.is_empty(),
        "fixtures/rules/{name}: {:?}",
        fixed.fix_errors
    );
    let mut diff = Vec::new();
    sentry_privacy_audit::output::diff::render(&fixed, &mut diff).unwrap();
    let _ = write!(
        out,
        "\n--- fixed with --fix --unsafe-fixes ({} findings)\n{}",
        fixed.fixed,
        String::from_utf8(diff).unwrap()
    );
    out
}

/// Compare a fixture's findings and fixes with its snapshot (`tests/snapshots/rules/<name>.snap`).
pub fn assert_snapshot(name: &str, report: &Report) {
    let text = rendered(name, report);
    insta::with_settings!({
        snapshot_path => "../snapshots/rules",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.to_string(), text);
    });
}

/// The message of the finding of `code` at `path:line` (path relative to the fixture folder).
pub fn message_at(report: &Report, code: &str, path: &str, line: usize) -> String {
    report
        .findings
        .iter()
        .find(|f| {
            let file = &report.files[f.file];
            f.rule.code() == code
                && file.display.ends_with(path)
                && file.line_col(f.range.start).line == line
        })
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("no {code} finding at {path}:{line}"))
}

/// The binary, with colour settings of the environment removed.
pub fn bin() -> std::process::Command {
    use assert_cmd::prelude::*;
    let mut c = std::process::Command::cargo_bin("sentry-privacy-audit").unwrap();
    c.env_remove("NO_COLOR");
    c
}

/// An outside tool installed by `tests/tools/install.sh` (pinned, in `target/tools/bin`). Tests that
/// call it are `#[ignore = "needs ..."]`; run on request, they fail when it is missing.
pub fn tool(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/tools/bin")
        .join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `bash tests/tools/install.sh`",
        path.display()
    );
    path
}

/// Write a file below `dir`, creating its folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// Copy a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A run's standard output as JSON (the panic shows both streams).
pub fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
