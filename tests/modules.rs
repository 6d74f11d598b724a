//! Options imported from other files: the module graph in both languages, where findings go, and
//! that `--fix` never rewrites an import as if it were the option.

mod common;

use std::path::Path;

use common::{bin, copy_dir, json_of, write};

/// Every file below `dir`, with its text.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read_to_string(&p).unwrap_or_default(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn monorepo_options_are_found_and_fixes_leave_imports_alone() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new("fixtures/rules/SPA105/monorepo"), tmp.path());
    write(
        tmp.path(),
        "sentry-privacy-audit.toml",
        "select = [\"SPA105\"]\n",
    );
    let before = snapshot(tmp.path());
    let out = bin()
        .current_dir(tmp.path())
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "json",
            ".",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(snapshot(tmp.path()), before, "a fix rewrote a file");
    let doc = json_of(&out);
    let found: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert!(f["fix"].is_null(), "{f}");
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("apps/admin/src/instrument.ts".to_string(), 5),
            ("apps/web/src/instrument.client.ts".to_string(), 6),
            ("apps/web/src/instrument.ts".to_string(), 7),
            ("apps/web/src/legacy.cjs".to_string(), 5),
            ("apps/web/src/missing.ts".to_string(), 5),
            ("apps/web/src/workspace.ts".to_string(), 6),
        ]
    );
}

#[test]
fn python_settings_modules_are_followed_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new("fixtures/rules/SPA001/project"), tmp.path());
    write(
        tmp.path(),
        "sentry-privacy-audit.toml",
        "select = [\"SPA001\"]\n",
    );
    let out = bin()
        .current_dir(tmp.path())
        .args(["check", "--output-format", "json", "."])
        .output()
        .unwrap();
    let doc = json_of(&out);
    let messages: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{} {}", f["path"], f["line"], f["message"]))
        .collect();
    let joined = messages.join("\n");
    assert!(
        joined.contains("observability.py\":13 \"`send_default_pii` is `True` (in `src/shop/sentry_config.py:7`)"),
        "{joined}"
    );
    assert!(
        joined.contains("(`shop.settings_local` was not found)"),
        "{joined}"
    );
    // JSON names where an imported option is written.
    let origins: Vec<&str> = doc["inits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["options"]["send_default_pii"]["origin"].as_str())
        .collect();
    assert!(
        origins.contains(&"src/shop/sentry_config.py:7"),
        "{origins:?}"
    );
    // Changing the shared module changes the verdict of the init that imports it.
    let config = tmp.path().join("src/shop/sentry_config.py");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("\"send_default_pii\": True", "\"send_default_pii\": False"),
    )
    .unwrap();
    let out = bin()
        .current_dir(tmp.path())
        .args(["check", "--output-format", "json", "."])
        .output()
        .unwrap();
    let doc = json_of(&out);
    let lines: Vec<u64> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert!(lines.is_empty(), "{doc}");
}

#[test]
fn import_cycles_and_missing_targets_are_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.py",
        "from b import OPTS\nimport sentry_sdk\n\nBASE = {**OPTS}\nsentry_sdk.init(**BASE)\n",
    );
    write(
        tmp.path(),
        "b.py",
        "from a import BASE\n\nOPTS = {**BASE}\n",
    );
    write(
        tmp.path(),
        "web/index.ts",
        "import * as Sentry from \"@sentry/node\";\nexport { opts } from \"./index\";\nimport { opts } from \"./index\";\nSentry.init({ ...opts });\n",
    );
    let out = bin()
        .current_dir(tmp.path())
        .args(["check", "--output-format", "json", "."])
        .output()
        .unwrap();
    // A run with findings, not a failed run.
    assert_ne!(out.status.code(), Some(2), "{out:?}");
    let doc = json_of(&out);
    let findings = doc["findings"].as_array().unwrap();
    // The options are unknown where the cycle closes, reported at the init's module.
    let pii = findings
        .iter()
        .find(|f| f["code"] == "SPA001" && f["path"] == "a.py")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(pii["severity"], "warning", "{pii}");
    assert_eq!(pii["line"], 4, "{pii}");
    let frames = findings
        .iter()
        .find(|f| f["code"] == "SPA005" && f["path"] == "web/index.ts")
        .unwrap_or_else(|| panic!("{doc}"));
    assert!(
        frames["message"]
            .as_str()
            .unwrap()
            .contains("`opts` is not defined in `web/index.ts`"),
        "{frames}"
    );
}
