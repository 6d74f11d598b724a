//! `check --fix`, `--unsafe-fixes` and `--diff`: the real binary on temporary copies. Every fix kind
//! is shown on a small input with the exact text it produces; layout cases (CRLF, BOM, tabs,
//! comments, quotes, trailing commas and newlines) and the safety guarantees (atomic writes,
//! permissions, read-only files, symbolic links, syntax errors, the re-parse guard) each have their
//! own test; every bundled fixture is fixed twice to show that fixes converge.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::copy_dir;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

/// What one run of the binary printed and returned.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary project: a configuration file and the files under test.
struct Project {
    dir: TempDir,
}

impl Project {
    /// A project whose `sentry-privacy-audit.toml` is `config`.
    fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sentry-privacy-audit.toml"), config).unwrap();
        Project { dir }
    }

    /// A project that runs only the `select`ed rules, with the customer fields and routes used
    /// throughout these tests.
    fn with_rules(select: &[&str]) -> Project {
        let select = select
            .iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        Project::new(&format!(
            "sensitive_fields = [\"ticket_data\", \"intake_content\"]\n\
             customer_data_routes = [\"routes/**\"]\n\
             select = [{select}]\n"
        ))
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Project {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    fn read(&self, rel: &str) -> String {
        String::from_utf8(self.bytes(rel)).unwrap()
    }

    fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap()
    }

    /// Run the binary in the project folder.
    fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// The codes `check --output-format json` reports.
    fn codes(&self) -> Vec<String> {
        codes_in(self.dir.path())
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("sentry-privacy-audit")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json_in(dir: &Path) -> Value {
    let run = run_in(dir, &["check", "--output-format", "json", "."]);
    assert!(run.code == 0 || run.code == 1, "{run}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{run}"))
}

fn codes_in(dir: &Path) -> Vec<String> {
    json_in(dir)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// The last line of stdout: the fix summary.
fn fix_line(run: &Run) -> &str {
    run.stdout.lines().last().unwrap_or("")
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Fix `input` (as `rel`) with `args`, and check the result: the exit code, the exact text, and
/// that `code` is no longer reported.
fn assert_fix(select: &[&str], rel: &str, input: &str, args: &[&str], code: &str, expected: &str) {
    assert_fix_with(select, &[], rel, input, args, code, expected);
}

/// [`assert_fix`] with `extra` files next to the one under test.
fn assert_fix_with(
    select: &[&str],
    extra: &[(&str, &str)],
    rel: &str,
    input: &str,
    args: &[&str],
    code: &str,
    expected: &str,
) {
    let p = Project::with_rules(select);
    for (path, text) in extra {
        p.write(path, text);
    }
    p.write(rel, input);
    assert!(
        p.codes().iter().any(|c| c == code),
        "{code} is not reported before the fix"
    );
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.push(".");
    let run = p.run(&all);
    assert_eq!(p.read(rel), expected, "{run}");
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.is_empty(), "{run}");
    assert!(
        !p.codes().iter().any(|c| c == code),
        "{code} is still reported after the fix"
    );
}

/// An unsafe fix: plain `--fix` leaves the file alone and says `--unsafe-fixes` would fix it;
/// `--fix --unsafe-fixes` gives `expected`.
fn assert_unsafe_fix(select: &[&str], rel: &str, input: &str, code: &str, expected: &str) {
    assert_unsafe_fix_with(select, &[], rel, input, code, expected);
}

/// [`assert_unsafe_fix`] with `extra` files next to the one under test.
fn assert_unsafe_fix_with(
    select: &[&str],
    extra: &[(&str, &str)],
    rel: &str,
    input: &str,
    code: &str,
    expected: &str,
) {
    let p = Project::with_rules(select);
    for (path, text) in extra {
        p.write(path, text);
    }
    p.write(rel, input);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(
        p.read(rel),
        input,
        "plain --fix applied an unsafe fix\n{run}"
    );
    assert!(p.codes().iter().any(|c| c == code), "{run}");
    assert_eq!(
        fix_line(&run),
        "Fixed 0 findings; 1 more fixable with --unsafe-fixes.",
        "{run}"
    );
    assert_fix_with(
        select,
        extra,
        rel,
        input,
        &["--fix", "--unsafe-fixes"],
        code,
        expected,
    );
}

// ---------------------------------------------------------------------------------------------
// Every fix kind
// ---------------------------------------------------------------------------------------------

#[test]
fn spa001_literal_true_becomes_false_safely() {
    assert_fix(
        &["SPA001"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=True,\n)\n",
        &["--fix"],
        "SPA001",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=False,\n)\n",
    );
}

#[test]
fn spa001_fix_summary_counts_the_fixed_finding() {
    let p = Project::with_rules(&["SPA001"]);
    p.write(
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
    );
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "0 findings (0 errors, 0 warnings) in 0 files; 1 file checked\nFixed 1 finding.\n"
    );
}

#[test]
fn spa001_expression_is_an_unsafe_fix() {
    assert_unsafe_fix(
        &["SPA001"],
        "app.py",
        "import os\nimport sentry_sdk\n\nsentry_sdk.init(dsn=DSN, send_default_pii=os.getenv(\"PII\") == \"1\")\n",
        "SPA001",
        "import os\nimport sentry_sdk\n\nsentry_sdk.init(dsn=DSN, send_default_pii=False)\n",
    );
}

#[test]
fn spa002_adds_missing_fields_to_an_existing_denylist() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\"], recursive=True),\n)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True),\n)\n",
    );
}

#[test]
fn spa002_adds_fields_to_a_denylist_written_one_per_line() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    event_scrubber=EventScrubber(\n        denylist=DEFAULT_DENYLIST\n        + [\n            \"ticket_data\",\n        ],\n    ),\n)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    event_scrubber=EventScrubber(\n        denylist=DEFAULT_DENYLIST\n        + [\n            \"ticket_data\",\n            \"intake_content\",\n        ],\n    ),\n)\n",
    );
}

#[test]
fn spa002_gives_a_scrubber_without_denylist_one() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(recursive=True))\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(recursive=True, denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"]))\n",
    );
}

#[test]
fn spa002_adds_a_scrubber_and_its_import() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import os\n\nimport sentry_sdk\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\n\nfrom app import routes\n\nsentry_sdk.init(dsn=DSN, integrations=[FastApiIntegration()])\n",
        "SPA002",
        "import os\n\nimport sentry_sdk\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nfrom app import routes\n\nsentry_sdk.init(dsn=DSN, integrations=[FastApiIntegration()], event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True))\n",
    );
}

#[test]
fn spa002_merges_the_import_into_an_existing_one() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_PII_DENYLIST\n\nsentry_sdk.init(dsn=DSN)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True))\n",
    );
}

#[test]
fn spa002_merges_into_a_parenthesised_import_one_name_per_line() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import (\n    DEFAULT_PII_DENYLIST,\n)\n\nsentry_sdk.init(dsn=DSN)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import (\n    DEFAULT_DENYLIST,\n    DEFAULT_PII_DENYLIST,\n    EventScrubber,\n)\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True))\n",
    );
}

#[test]
fn spa002_uses_imported_aliases() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST as DEFAULTS, EventScrubber as Scrubber\n\nsentry_sdk.init(dsn=DSN)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST as DEFAULTS, EventScrubber as Scrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=Scrubber(denylist=DEFAULTS + [\"ticket_data\", \"intake_content\"], recursive=True))\n",
    );
}

#[test]
fn spa002_long_scrubber_in_a_multi_line_call_is_written_one_item_per_line() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2,\n)\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2,\n    event_scrubber=EventScrubber(\n        denylist=DEFAULT_DENYLIST\n        + [\n            \"ticket_data\",\n            \"intake_content\",\n        ],\n        recursive=True,\n    ),\n)\n",
    );
}

#[test]
fn spa002_denylist_held_in_a_name_is_extended_in_place() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nKEYS = DEFAULT_DENYLIST + [\"ticket_data\"]\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=KEYS))\n",
        "SPA002",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nKEYS = DEFAULT_DENYLIST + [\"ticket_data\"]\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[*KEYS, \"intake_content\"]))\n",
    );
}

#[test]
fn spa002_denylist_expression_is_unpacked_in_parentheses() {
    let input = "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nA = DEFAULT_DENYLIST + [\"ticket_data\"]\nB = [\"x\"]\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=A + B))\n";
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        input,
        "SPA002",
        &input.replace("denylist=A + B", "denylist=[*(A + B), \"intake_content\"]"),
    );
}

#[test]
fn spa003_prepends_the_defaults_safely_with_the_import() {
    assert_fix(
        &["SPA003"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[\"ticket_data\"]))\n",
        &["--fix"],
        "SPA003",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, \"ticket_data\"]))\n",
    );
}

#[test]
fn spa003_list_written_one_per_line_keeps_its_layout() {
    assert_fix(
        &["SPA003"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nscrubber = EventScrubber(\n    denylist=[\n        \"ticket_data\",\n        \"intake_content\",\n    ],\n)\nsentry_sdk.init(dsn=DSN, event_scrubber=scrubber)\n",
        &["--fix"],
        "SPA003",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nscrubber = EventScrubber(\n    denylist=[\n        *DEFAULT_DENYLIST,\n        \"ticket_data\",\n        \"intake_content\",\n    ],\n)\nsentry_sdk.init(dsn=DSN, event_scrubber=scrubber)\n",
    );
}

#[test]
fn spa003_uses_the_defaults_imported_on_another_line() {
    let input = "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST as SENTRY_DEFAULTS\nfrom sentry_sdk.scrubber import EventScrubber\n\nsentry_sdk.init(event_scrubber=EventScrubber(denylist=[\"ticket_data\"]))\n";
    assert_fix(
        &["SPA003"],
        "app.py",
        input,
        &["--fix"],
        "SPA003",
        &input.replace("[\"ticket_data\"]", "[*SENTRY_DEFAULTS, \"ticket_data\"]"),
    );
}

#[test]
fn spa003_list_in_a_name_is_unpacked_after_the_defaults() {
    assert_fix(
        &["SPA003"],
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber\n\nKEYS = [\"ticket_data\"]\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=KEYS))\n",
        &["--fix"],
        "SPA003",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nKEYS = [\"ticket_data\"]\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, *KEYS]))\n",
    );
}

#[test]
fn spa004_literal_becomes_never_safely() {
    assert_fix(
        &["SPA004"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, max_request_body_size=\"medium\")\n",
        &["--fix"],
        "SPA004",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, max_request_body_size=\"never\")\n",
    );
}

#[test]
fn spa004_absent_option_is_inserted_unsafely() {
    assert_unsafe_fix(
        &["SPA004"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2,\n)\n",
        "SPA004",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2,\n    max_request_body_size=\"never\",\n)\n",
    );
}

#[test]
fn spa004_expression_is_an_unsafe_fix() {
    assert_unsafe_fix(
        &["SPA004"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, max_request_body_size=settings.BODY_SIZE)\n",
        "SPA004",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, max_request_body_size=\"never\")\n",
    );
}

#[test]
fn spa005_literal_becomes_false_safely() {
    assert_fix(
        &["SPA005"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, include_local_variables=True)\n",
        &["--fix"],
        "SPA005",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, include_local_variables=False)\n",
    );
}

#[test]
fn spa005_absent_option_is_inserted_unsafely() {
    assert_unsafe_fix(
        &["SPA005"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN)\n",
        "SPA005",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, include_local_variables=False)\n",
    );
}

const REPLAY: &str = "import * as Sentry from \"@sentry/react\";\n\nSentry.init({\n  dsn: DSN,\n  integrations: [\n    Sentry.replayIntegration({\n      OPTION,\n    }),\n  ],\n});\n";

fn replay(option: &str) -> String {
    REPLAY.replace("OPTION", option)
}

#[test]
fn spa101_spa102_spa103_literal_false_becomes_true_safely() {
    for (code, name) in [
        ("SPA101", "maskAllText"),
        ("SPA102", "blockAllMedia"),
        ("SPA103", "maskAllInputs"),
    ] {
        assert_fix(
            &[code],
            "instrument.ts",
            &replay(&format!("{name}: false")),
            &["--fix"],
            code,
            &replay(&format!("{name}: true")),
        );
    }
}

#[test]
fn spa101_spa102_spa103_expressions_are_unsafe_fixes() {
    for (code, name) in [
        ("SPA101", "maskAllText"),
        ("SPA102", "blockAllMedia"),
        ("SPA103", "maskAllInputs"),
    ] {
        assert_unsafe_fix(
            &[code],
            "instrument.ts",
            &replay(&format!("{name}: import.meta.env.VITE_MASK === \"1\"")),
            code,
            &replay(&format!("{name}: true")),
        );
    }
}

#[test]
fn spa101_shorthand_property_becomes_a_pair() {
    let input = "import * as Sentry from \"@sentry/react\";\n\nconst maskAllText = false;\nSentry.init({ integrations: [Sentry.replayIntegration({ maskAllText })] });\n";
    assert_unsafe_fix(
        &["SPA101"],
        "instrument.ts",
        input,
        "SPA101",
        &input.replace("{ maskAllText }", "{ maskAllText: true }"),
    );
}

const SAMPLED: &str = "import * as Sentry from \"@sentry/react\";\n\nSentry.init({\n  integrations: [Sentry.replayIntegration({ maskAllText: false })],\n  replaysSessionSampleRate: RATE,\n  replaysOnErrorSampleRate: 1.0,\n});\n";

#[test]
fn spa104_literal_rate_becomes_zero_unsafely() {
    assert_unsafe_fix(
        &["SPA104"],
        "instrument.ts",
        &SAMPLED.replace("RATE", "0.01"),
        "SPA104",
        &SAMPLED.replace("RATE", "0"),
    );
}

#[test]
fn spa104_production_conditional_keeps_the_other_branch() {
    for (before, after) in [
        ("isProd ? 0.1 : 1.0", "isProd ? 0 : 1.0"),
        (
            "import.meta.env.PROD ? 0.1 : 1.0",
            "import.meta.env.PROD ? 0 : 1.0",
        ),
        (
            "import.meta.env.DEV ? 1.0 : 0.1",
            "import.meta.env.DEV ? 1.0 : 0",
        ),
        (
            "process.env.NODE_ENV === \"production\" ? 0.2 : 1.0",
            "process.env.NODE_ENV === \"production\" ? 0 : 1.0",
        ),
    ] {
        assert_unsafe_fix(
            &["SPA104"],
            "instrument.ts",
            &SAMPLED.replace("RATE", before),
            "SPA104",
            &SAMPLED.replace("RATE", after),
        );
    }
}

#[test]
fn spa104_rate_from_the_environment_becomes_zero() {
    assert_unsafe_fix(
        &["SPA104"],
        "instrument.ts",
        &SAMPLED.replace("RATE", "Number(import.meta.env.VITE_RATE)"),
        "SPA104",
        &SAMPLED.replace("RATE", "0"),
    );
}

#[test]
fn spa105_literal_true_becomes_false_safely() {
    assert_fix(
        &["SPA105"],
        "instrument.js",
        "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn, sendDefaultPii: true });\n",
        &["--fix"],
        "SPA105",
        "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn, sendDefaultPii: false });\n",
    );
}

#[test]
fn spa105_expression_is_an_unsafe_fix() {
    assert_unsafe_fix(
        &["SPA105"],
        "instrument.js",
        "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn, sendDefaultPii: process.env.PII === \"1\" });\n",
        "SPA105",
        "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn, sendDefaultPii: false });\n",
    );
}

const UNMASKED_REPLAY: &str = "import * as Sentry from \"@sentry/react\";\n\nSentry.init({ integrations: [Sentry.replayIntegration({ maskAllText: false })] });\n";

fn route_project(route: &str) -> Project {
    let p = Project::with_rules(&["SPA201"]);
    p.write("instrument.ts", UNMASKED_REPLAY)
        .write("routes/Ticket.tsx", route);
    p
}

#[test]
fn spa201_adds_the_mask_attribute_to_the_outermost_element() {
    let input = "export function Ticket({ ticket }) {\n  return (\n    <section className=\"ticket\">\n      <h1>{ticket.subject}</h1>\n    </section>\n  );\n}\n";
    assert_unsafe_fix_with(
        &["SPA201"],
        &[("instrument.ts", UNMASKED_REPLAY)],
        "routes/Ticket.tsx",
        input,
        "SPA201",
        &input.replace("<section className", "<section data-sentry-mask className"),
    );
}

#[test]
fn spa201_self_closing_member_and_generic_elements() {
    for (before, after) in [
        (
            "<Ticket.Body ticket={t} />",
            "<Ticket.Body data-sentry-mask ticket={t} />",
        ),
        (
            "<pre>{t.body}</pre>",
            "<pre data-sentry-mask>{t.body}</pre>",
        ),
        // Type arguments belong to the element name.
        (
            "<Select<string> items={t.tags} />",
            "<Select<string> data-sentry-mask items={t.tags} />",
        ),
        (
            "<Table<Map<string, () => void>>\n      rows={t.rows}\n    />",
            "<Table<Map<string, () => void>> data-sentry-mask\n      rows={t.rows}\n    />",
        ),
    ] {
        let input = format!("export function Ticket({{ t }}) {{\n  return {before};\n}}\n");
        let p = route_project(&input);
        let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
        assert_eq!(run.code, 0, "{run}");
        assert_eq!(
            p.read("routes/Ticket.tsx"),
            format!("export function Ticket({{ t }}) {{\n  return {after};\n}}\n"),
            "{run}"
        );
        assert!(!p.codes().contains(&"SPA201".to_string()), "{run}");
    }
}

#[test]
fn spa201_fragment_gets_display_only_advice() {
    let input = "export function Ticket({ t }) {\n  return (\n    <>\n      <h1>{t.subject}</h1>\n    </>\n  );\n}\n";
    let p = route_project(input);
    let doc = json_in(p.dir.path());
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SPA201")
        .expect("SPA201 is reported");
    assert_eq!(finding["fix"]["applicability"], "display-only");
    assert_eq!(finding["fix"]["edits"], serde_json::json!([]));
    assert!(finding["fix"]["message"]
        .as_str()
        .unwrap()
        .contains("data-sentry-mask"));
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(p.read("routes/Ticket.tsx"), input, "{run}");
    assert_eq!(run.code, 1, "{run}");
    assert!(!run.stdout.contains("Fixed"), "{run}");
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/// The Python rules that insert options.
const INSERTING: &[&str] = &["SPA001", "SPA004", "SPA005"];

fn fix_all(p: &Project) -> Run {
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert!(run.code == 0 || run.code == 1, "{run}");
    assert!(run.stderr.is_empty(), "{run}");
    run
}

#[test]
fn crlf_file_keeps_crlf_everywhere_also_in_inserted_lines() {
    let p = Project::with_rules(&["SPA001", "SPA002", "SPA004", "SPA005"]);
    p.write(
        "app.py",
        "import sentry_sdk\r\n\r\nsentry_sdk.init(\r\n    dsn=DSN,\r\n    send_default_pii=True,\r\n)\r\n",
    );
    fix_all(&p);
    let text = p.read("app.py");
    assert_eq!(
        text,
        "import sentry_sdk\r\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\r\n\r\nsentry_sdk.init(\r\n    dsn=DSN,\r\n    send_default_pii=False,\r\n    event_scrubber=EventScrubber(\r\n        denylist=DEFAULT_DENYLIST\r\n        + [\r\n            \"ticket_data\",\r\n            \"intake_content\",\r\n        ],\r\n        recursive=True,\r\n    ),\r\n    max_request_body_size=\"never\",\r\n    include_local_variables=False,\r\n)\r\n"
    );
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    assert_eq!(p.codes(), Vec::<String>::new());
}

#[test]
fn crlf_typescript_and_jsx_fixes() {
    let ts = "import * as Sentry from \"@sentry/react\";\r\nSentry.init({\r\n  integrations: [\r\n    Sentry.replayIntegration({\r\n      maskAllText: false,\r\n    }),\r\n  ],\r\n  replaysSessionSampleRate: 0.5,\r\n});\r\n";
    // SPA101's safe fix turns masking back on, and with it SPA104 no longer applies.
    let p = Project::with_rules(&["SPA101", "SPA104"]);
    p.write("instrument.ts", ts);
    fix_all(&p);
    assert_eq!(p.read("instrument.ts"), ts.replace("false", "true"));
    // SPA104 alone lowers the rate.
    let p = Project::with_rules(&["SPA104"]);
    p.write("instrument.ts", ts);
    fix_all(&p);
    assert_eq!(p.read("instrument.ts"), ts.replace("0.5", "0"));
    let route = "export function Ticket({ t }) {\r\n  return (\r\n    <div>\r\n      {t.body}\r\n    </div>\r\n  );\r\n}\r\n";
    let p = route_project(route);
    fix_all(&p);
    assert_eq!(
        p.read("routes/Ticket.tsx"),
        route.replace("<div>", "<div data-sentry-mask>")
    );
}

#[test]
fn utf8_bom_is_kept() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "\u{feff}import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, send_default_pii=True)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.bytes("app.py"),
        "\u{feff}import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, send_default_pii=False, max_request_body_size=\"never\", include_local_variables=False)\n".as_bytes()
    );
}

#[test]
fn tab_indented_call() {
    let p = Project::with_rules(&["SPA001", "SPA002", "SPA004", "SPA005"]);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n\tdsn=DSN,\n\tsend_default_pii=True,\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n\tdsn=DSN,\n\tsend_default_pii=False,\n\tevent_scrubber=EventScrubber(\n\t\tdenylist=DEFAULT_DENYLIST\n\t\t+ [\n\t\t\t\"ticket_data\",\n\t\t\t\"intake_content\",\n\t\t],\n\t\trecursive=True,\n\t),\n\tmax_request_body_size=\"never\",\n\tinclude_local_variables=False,\n)\n"
    );
}

#[test]
fn single_line_call_gets_inline_insertions() {
    let p = Project::with_rules(INSERTING);
    p.write("app.py", "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN)\n");
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, max_request_body_size=\"never\", include_local_variables=False)\n"
    );
}

#[test]
fn empty_call_gets_its_first_arguments() {
    let p = Project::with_rules(INSERTING);
    p.write("app.py", "import sentry_sdk\n\nsentry_sdk.init()\n");
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(max_request_body_size=\"never\", include_local_variables=False)\n"
    );
}

#[test]
fn trailing_comma_is_kept_when_present() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    debug=False,\n)\nsentry_sdk.init(dsn=DSN,)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    debug=False,\n    max_request_body_size=\"never\",\n    include_local_variables=False,\n)\nsentry_sdk.init(dsn=DSN, max_request_body_size=\"never\", include_local_variables=False,)\n"
    );
}

#[test]
fn trailing_comma_is_not_added_when_absent() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    debug=False\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    debug=False,\n    max_request_body_size=\"never\",\n    include_local_variables=False\n)\n"
    );
}

#[test]
fn no_trailing_comma_keeps_the_nested_scrubber_without_them() {
    let p = Project::with_rules(&["SPA002"]);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(\n    dsn=DSN,\n    traces_sample_rate=0.2,\n    event_scrubber=EventScrubber(\n        denylist=DEFAULT_DENYLIST\n        + [\n            \"ticket_data\",\n            \"intake_content\"\n        ],\n        recursive=True\n    )\n)\n"
    );
}

#[test]
fn closing_bracket_on_the_last_argument_line() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN,\n                debug=False)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN,\n                debug=False,\n                max_request_body_size=\"never\",\n                include_local_variables=False)\n"
    );
}

#[test]
fn comment_after_the_last_argument_stays_on_its_line() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=True  # TODO: turn off\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=False,  # TODO: turn off\n    max_request_body_size=\"never\",\n    include_local_variables=False\n)\n"
    );
}

#[test]
fn comments_between_arguments_are_kept() {
    let p = Project::with_rules(INSERTING);
    p.write(
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    # where events go\n    dsn=DSN,  # from the environment\n    # identity, sadly\n    send_default_pii=True,  # needed by support\n    # end of options\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nsentry_sdk.init(\n    # where events go\n    dsn=DSN,  # from the environment\n    # identity, sadly\n    send_default_pii=False,  # needed by support\n    max_request_body_size=\"never\",\n    include_local_variables=False,\n    # end of options\n)\n"
    );
}

#[test]
fn single_quote_file_gets_single_quotes() {
    let p = Project::with_rules(&["SPA002", "SPA004"]);
    p.write(
        "app.py",
        "import sentry_sdk\n\nDSN = 'https://key@o0.ingest.sentry.io/1'  # don't commit keys\n\nsentry_sdk.init(dsn=DSN)\nsentry_sdk.init(dsn='x', max_request_body_size='small')\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nDSN = 'https://key@o0.ingest.sentry.io/1'  # don't commit keys\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + ['ticket_data', 'intake_content'], recursive=True), max_request_body_size='never')\nsentry_sdk.init(dsn='x', max_request_body_size='never', event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + ['ticket_data', 'intake_content'], recursive=True))\n"
    );
}

#[test]
fn apostrophe_in_a_comment_does_not_choose_the_quote() {
    let p = Project::with_rules(&["SPA004"]);
    p.write(
        "app.py",
        "\"\"\"Docstring.\"\"\"\nimport sentry_sdk\n\nNAME = \"api\"\n\nsentry_sdk.init(\n    dsn=DSN,  # don't log\n)\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "\"\"\"Docstring.\"\"\"\nimport sentry_sdk\n\nNAME = \"api\"\n\nsentry_sdk.init(\n    dsn=DSN,  # don't log\n    max_request_body_size=\"never\",\n)\n"
    );
}

#[test]
fn two_inits_in_one_file_are_both_fixed() {
    let p = Project::with_rules(&["SPA001", "SPA002", "SPA004", "SPA005"]);
    p.write(
        "app.py",
        "import sentry_sdk\n\n\ndef api():\n    sentry_sdk.init(dsn=DSN, send_default_pii=True)\n\n\ndef worker():\n    sentry_sdk.init(\n        dsn=DSN,\n        send_default_pii=True,\n    )\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\n\ndef api():\n    sentry_sdk.init(dsn=DSN, send_default_pii=False, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True), max_request_body_size=\"never\", include_local_variables=False)\n\n\ndef worker():\n    sentry_sdk.init(\n        dsn=DSN,\n        send_default_pii=False,\n        event_scrubber=EventScrubber(\n            denylist=DEFAULT_DENYLIST\n            + [\n                \"ticket_data\",\n                \"intake_content\",\n            ],\n            recursive=True,\n        ),\n        max_request_body_size=\"never\",\n        include_local_variables=False,\n    )\n"
    );
    assert_eq!(p.codes(), Vec::<String>::new());
}

#[test]
fn file_without_trailing_newline_stays_without() {
    let p = Project::with_rules(&["SPA001", "SPA002", "SPA004", "SPA005"]);
    p.write(
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(dsn=DSN, send_default_pii=True)",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\nsentry_sdk.init(dsn=DSN, send_default_pii=False, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True), max_request_body_size=\"never\", include_local_variables=False)"
    );
}

#[test]
fn import_inside_a_function_is_merged() {
    assert_fix(
        &["SPA003"],
        "app.py",
        "\"\"\"Monitoring.\"\"\"\n\n\ndef setup():\n    import sentry_sdk\n    from sentry_sdk.scrubber import EventScrubber\n\n    sentry_sdk.init(event_scrubber=EventScrubber(denylist=[\"ticket_data\"]))\n",
        &["--fix"],
        "SPA003",
        "\"\"\"Monitoring.\"\"\"\n\n\ndef setup():\n    import sentry_sdk\n    from sentry_sdk.scrubber import EventScrubber, DEFAULT_DENYLIST\n\n    sentry_sdk.init(event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, \"ticket_data\"]))\n",
    );
}

/// Inserted imports keep a file that isort (here ruff's `I` rules, the pinned ruff) accepts
/// sorted: a new `from sentry_sdk.scrubber import ...` goes in its section at its place, and names
/// added to an existing import go in order (constants, classes, the rest).
#[test]
#[ignore = "needs ruff (bash tests/tools/install.sh); .ci/run runs it"]
fn inserted_imports_keep_the_isort_order_ruff_checks() {
    let ruff = common::tool("ruff");
    let ruff_sorted = |dir: &Path| {
        let out = Command::new(&ruff)
            .current_dir(dir)
            .args([
                "check",
                "--isolated",
                "--no-cache",
                "--select",
                "I",
                "service.py",
            ])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let sources = [
        // A new line between the integrations and a later third-party `from` import.
        "import logging\nimport os\n\nimport sentry_sdk\nimport structlog\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\nfrom starlette.requests import Request\n\nfrom app import settings\n\nsentry_sdk.init(dsn=os.getenv(\"DSN\"), integrations=[FastApiIntegration()])\nlog = logging.getLogger(__name__)\nstructlog.get_logger(Request, settings)\n",
        // Only `from` imports: after the last Sentry one.
        "from fastapi import FastAPI\nfrom sentry_sdk import init\n\napp = FastAPI()\ninit(dsn=\"https://k@o0.ingest.sentry.io/1\")\n",
        // Plain imports only, with a first-party section after them.
        "import sentry_sdk\nimport structlog\n\nimport app\n\nsentry_sdk.init(dsn=app.DSN)\nstructlog.get_logger()\n",
        // DEFAULT_DENYLIST joins an existing import before EventScrubber (SPA003).
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber\n\nsentry_sdk.init(\n    dsn=\"https://k@o0.ingest.sentry.io/1\",\n    event_scrubber=EventScrubber(denylist=[\"ticket_data\", \"intake_content\"]),\n)\n",
        // ... also into a parenthesised list kept open by its trailing comma.
        "import sentry_sdk\nfrom sentry_sdk.scrubber import (\n    EventScrubber,\n)\n\nsentry_sdk.init(\n    dsn=\"https://k@o0.ingest.sentry.io/1\",\n    event_scrubber=EventScrubber(denylist=[\"ticket_data\", \"intake_content\"]),\n)\n",
        // Names that sort on both sides of an existing one.
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_PII_DENYLIST\n\nsentry_sdk.init(dsn=\"https://k@o0.ingest.sentry.io/1\", send_default_pii=False)\nprint(DEFAULT_PII_DENYLIST)\n",
    ];
    for source in sources {
        let p = Project::with_rules(&["SPA002", "SPA003"]);
        p.write("app/__init__.py", "DSN = \"\"\n")
            .write("service.py", source);
        let (sorted, said) = ruff_sorted(p.dir.path());
        assert!(sorted, "the input is sorted:\n{source}\n{said}");
        let run = fix_all(&p);
        let fixed = p.read("service.py");
        assert!(
            fixed.contains("DEFAULT_DENYLIST") && fixed != source,
            "{run}\n{fixed}"
        );
        let (sorted, said) = ruff_sorted(p.dir.path());
        assert!(
            sorted,
            "ruff --select I on the fixed file:\n{fixed}\n{said}"
        );
    }
}

#[test]
fn new_import_block_is_set_off_by_blank_lines() {
    // No module-level import: the line goes after the docstring (or first), as its own block.
    let body = "def setup():\n    import sentry_sdk\n\n    sentry_sdk.init(event_scrubber=sentry_sdk.scrubber.EventScrubber(denylist=[\"a\"]))\n";
    let fixed = body.replace("[\"a\"]", "[*DEFAULT_DENYLIST, \"a\"]");
    let import = "from sentry_sdk.scrubber import DEFAULT_DENYLIST\n";
    for (before, after) in [
        (
            format!("\"\"\"Monitoring.\"\"\"\n\n\n{body}"),
            format!("\"\"\"Monitoring.\"\"\"\n\n{import}\n\n{fixed}"),
        ),
        (
            format!("\"\"\"Monitoring.\"\"\"\n{body}"),
            format!("\"\"\"Monitoring.\"\"\"\n\n{import}\n{fixed}"),
        ),
        (
            format!("#!/usr/bin/env python\n{body}"),
            format!("#!/usr/bin/env python\n\n{import}\n{fixed}"),
        ),
        (body.to_string(), format!("{import}\n{fixed}")),
    ] {
        assert_fix(&["SPA003"], "app.py", &before, &["--fix"], "SPA003", &after);
    }
}

#[test]
fn new_import_joins_the_imports_after_a_parenthesised_one() {
    assert_unsafe_fix(
        &["SPA002"],
        "app.py",
        "from sentry_sdk import (\n    init,\n)\ninit(dsn=DSN)\n",
        "SPA002",
        "from sentry_sdk import (\n    init,\n)\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\ninit(dsn=DSN, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True))\n",
    );
}

#[test]
fn everything_outside_the_edits_is_byte_identical() {
    // Odd spacing, comments, non-ASCII text and blank lines around one safe fix.
    let before = "# -*- coding: utf-8 -*-\n#  Überwachung  \n\nimport   sentry_sdk   # ünïcödé\n\n\n\nsentry_sdk.init( dsn = DSN ,send_default_pii = True ,   # ⚠\n\n   )   \n\n# end\n\n\n";
    let p = Project::with_rules(&["SPA001"]);
    p.write("app.py", before);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        p.read("app.py"),
        before.replace("send_default_pii = True", "send_default_pii = False")
    );
}

// ---------------------------------------------------------------------------------------------
// --diff
// ---------------------------------------------------------------------------------------------

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let p = Project::with_rules(&["SPA001", "SPA005"]);
    let input =
        "import sentry_sdk\n\nsentry_sdk.init(\n    dsn=DSN,\n    send_default_pii=True,\n)\n";
    p.write("app.py", input);
    let run = p.run(&["check", "--diff", "."]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        run.stdout,
        "--- a/app.py\n+++ b/app.py\n@@ -2,5 +2,5 @@\n \n sentry_sdk.init(\n     dsn=DSN,\n-    send_default_pii=True,\n+    send_default_pii=False,\n )\n"
    );
    assert_eq!(
        run.stderr,
        "Would fix 1 finding; 1 more fixable with --unsafe-fixes.\n"
    );
    assert_eq!(p.read("app.py"), input);

    let run = p.run(&["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        run.stdout,
        "--- a/app.py\n+++ b/app.py\n@@ -2,5 +2,6 @@\n \n sentry_sdk.init(\n     dsn=DSN,\n-    send_default_pii=True,\n+    send_default_pii=False,\n+    include_local_variables=False,\n )\n"
    );
    assert_eq!(run.stderr, "Would fix 2 findings.\n");
    assert_eq!(p.read("app.py"), input);
}

#[test]
fn diff_of_several_files_names_each() {
    let p = Project::with_rules(&["SPA001", "SPA105"]);
    p.write(
        "backend/app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
    )
    .write(
        "frontend/instrument.js",
        "import * as Sentry from \"@sentry/browser\";\nSentry.init({ sendDefaultPii: true });\n",
    );
    let before = snapshot(p.dir.path());
    let run = p.run(&["check", "--diff"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        run.stdout,
        "--- a/backend/app.py\n+++ b/backend/app.py\n@@ -1,2 +1,2 @@\n import sentry_sdk\n-sentry_sdk.init(send_default_pii=True)\n+sentry_sdk.init(send_default_pii=False)\n--- a/frontend/instrument.js\n+++ b/frontend/instrument.js\n@@ -1,2 +1,2 @@\n import * as Sentry from \"@sentry/browser\";\n-Sentry.init({ sendDefaultPii: true });\n+Sentry.init({ sendDefaultPii: false });\n"
    );
    assert_eq!(snapshot(p.dir.path()), before);
}

#[test]
fn diff_exits_0_when_nothing_to_fix() {
    let p = Project::with_rules(&["SPA001"]);
    p.write(
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=False)\n",
    );
    let run = p.run(&["check", "--diff", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, "");
    // An unsafe fix alone is nothing to fix without --unsafe-fixes.
    p.write(
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=PII)\n",
    );
    let run = p.run(&["check", "--diff", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "Would fix 0 findings; 1 more fixable with --unsafe-fixes.\n"
    );
}

#[test]
fn diff_and_fix_conflict() {
    let p = Project::with_rules(&["SPA001"]);
    p.write(
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
    );
    let run = p.run(&["check", "--diff", "--fix", "."]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--diff"), "{run}");
    assert!(p.read("app.py").contains("True"));
}

// ---------------------------------------------------------------------------------------------
// Safety
// ---------------------------------------------------------------------------------------------

const PII_ON: &str = "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n";
const PII_OFF: &str = "import sentry_sdk\nsentry_sdk.init(send_default_pii=False)\n";

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused_and_the_others_are_fixed() {
    let p = Project::with_rules(&["SPA001"]);
    p.write("locked.py", PII_ON).write("open.py", PII_ON);
    set_mode(&p.path("locked.py"), 0o444);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("locked.py") && run.stderr.contains("read-only"),
        "{run}"
    );
    assert!(!run.stderr.contains("open.py"), "{run}");
    assert_eq!(p.read("locked.py"), PII_ON);
    assert_eq!(mode(&p.path("locked.py")), 0o444);
    assert_eq!(p.read("open.py"), PII_OFF);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(p.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[cfg(unix)]
#[test]
fn symlink_passed_explicitly_is_not_replaced() {
    // The link points outside the project (a shared configuration checked out elsewhere).
    let shared = tempfile::tempdir().unwrap();
    let target = shared.path().join("sentry_setup.py");
    std::fs::write(&target, PII_ON).unwrap();
    let p = Project::with_rules(&["SPA001"]);
    p.write("open.py", PII_ON);
    std::os::unix::fs::symlink(&target, p.path("link.py")).unwrap();
    let run = p.run(&["check", "--fix", "link.py", "open.py"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("link.py") && run.stderr.contains("symbolic link"),
        "{run}"
    );
    assert!(std::fs::symlink_metadata(p.path("link.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_link(p.path("link.py")).unwrap(), target);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), PII_ON);
    // The other file of the run is fixed.
    assert_eq!(p.read("open.py"), PII_OFF);
}

#[cfg(unix)]
#[test]
fn symlink_into_the_project_passed_explicitly_stays_a_link() {
    // The link's target is itself a file of the project: it is the file that gets fixed, in
    // place; the link is never replaced by a file.
    let p = Project::with_rules(&["SPA001"]);
    p.write("real/app.py", PII_ON);
    std::os::unix::fs::symlink("real/app.py", p.path("link.py")).unwrap();
    let run = p.run(&["check", "--fix", "link.py"]);
    assert!(std::fs::symlink_metadata(p.path("link.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(p.path("link.py")).unwrap(),
        Path::new("real/app.py")
    );
    assert_eq!(p.read("real/app.py"), PII_OFF, "{run}");
    assert_eq!(run.code, 0, "{run}");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    let p = Project::with_rules(&["SPA001"]);
    p.write("app.py", PII_ON);
    set_mode(&p.path("app.py"), 0o640);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(p.read("app.py"), PII_OFF);
    assert_eq!(mode(&p.path("app.py")), 0o640);
}

#[cfg(unix)]
#[test]
fn writes_are_atomic_and_only_when_the_content_changed() {
    use std::os::unix::fs::MetadataExt;
    let p = Project::with_rules(&["SPA001", "SPA005"]);
    // `unsafe.py` has only an unsafe fix: plain --fix must not touch it.
    p.write("fixed.py", PII_ON).write(
        "unsafe.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=False)\n",
    );
    let ino = |rel: &str| std::fs::metadata(p.path(rel)).unwrap().ino();
    let (fixed, untouched) = (ino("fixed.py"), ino("unsafe.py"));
    let modified = std::fs::metadata(p.path("unsafe.py"))
        .unwrap()
        .modified()
        .unwrap();
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(run.code, 0, "{run}");
    // Replaced by a rename: a new inode, never a half-written file.
    assert_ne!(ino("fixed.py"), fixed);
    assert_eq!(ino("unsafe.py"), untouched);
    assert_eq!(
        std::fs::metadata(p.path("unsafe.py"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
}

#[test]
fn file_with_a_syntax_error_is_never_rewritten() {
    for input in [
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=True)\n\ndef broken(:\n    pass\n",
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=True)\n\nx = (1,\n",
    ] {
        let p = Project::with_rules(&["SPA000", "SPA001", "SPA004", "SPA005"]);
        p.write("app.py", input);
        let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
        assert_eq!(p.read("app.py"), input, "{run}");
        assert_eq!(run.code, 1, "{run}");
        let codes = p.codes();
        assert!(codes.contains(&"SPA000".to_string()), "{codes:?}");
        // The findings are there, with their fixes: the file is left alone all the same.
        assert!(codes.contains(&"SPA001".to_string()), "{codes:?}");
    }
    let p = Project::with_rules(&["SPA000", "SPA105"]);
    let input = "import * as Sentry from \"@sentry/browser\";\nSentry.init({ sendDefaultPii: true });\nconst x = ;\n";
    p.write("instrument.js", input);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(p.read("instrument.js"), input, "{run}");
    assert_eq!(run.code, 1, "{run}");
}

#[test]
fn reparse_guard_refuses_an_edit_that_breaks_the_file() {
    use sentry_privacy_audit::fix::{apply, Edit, Fix};
    use sentry_privacy_audit::lang::reparse_guard;
    use sentry_privacy_audit::source::Lang;

    let old = "import sentry_sdk\n\nsentry_sdk.init(dsn=DSN, send_default_pii=True)\n";
    let at = old.find("True").unwrap();
    // A fix that writes `False` is fine.
    let good = Fix::safe("t", vec![Edit::replace(at..at + 4, "False")]);
    let (new, applied) = apply(old, &[&good]);
    assert_eq!(applied, vec![0]);
    assert!(reparse_guard(Lang::Python, old, &new).is_ok());
    // One that leaves a bracket open is refused, with the line of the error.
    let bad = Fix::safe("t", vec![Edit::replace(at..at + 4, "(False")]);
    let (new, _) = apply(old, &[&bad]);
    let err = reparse_guard(Lang::Python, old, &new).unwrap_err();
    assert!(err.contains("would not parse"), "{err}");
    // JSX and TypeScript too.
    let tsx = "export const A = () => <div className=\"a\" />;\n";
    let at = tsx.find("div").unwrap() + 3;
    let (new, _) = apply(
        tsx,
        &[&Fix::safe(
            "t",
            vec![Edit::insert(at, " data-sentry-mask=")],
        )],
    );
    assert!(reparse_guard(Lang::Tsx, tsx, &new).is_err());
    let ts = "Sentry.init({ sendDefaultPii: true });\n";
    let at = ts.find("true").unwrap();
    let (new, _) = apply(
        ts,
        &[&Fix::safe("t", vec![Edit::replace(at..at + 4, "false)")])],
    );
    assert!(reparse_guard(Lang::TypeScript, ts, &new).is_err());
    // The strict Python parser is a second opinion for what tree-sitter lets through.
    assert!(reparse_guard(Lang::Python, "f(a=1)\n", "f(a=1, a=2)\n").is_err());
}

#[test]
fn init_inside_an_f_string_gets_the_other_quote() {
    // Before Python 3.12 the f-string's own quote would end it.
    let p = Project::with_rules(&["SPA004"]);
    p.write(
        "app.py",
        "import sentry_sdk\n\nprint(f\"client: {sentry_sdk.init(dsn=DSN)}\")\n",
    );
    fix_all(&p);
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\n\nprint(f\"client: {sentry_sdk.init(dsn=DSN, max_request_body_size='never')}\")\n"
    );
}

#[test]
fn reparse_guard_end_to_end() {
    // An init inside a replacement field of an f-string nested in another one: both quotes are
    // taken, so any string written there ends an f-string (before Python 3.12). The strict parser
    // refuses the rewrite: the unsafe fixes are not written to that file (its safe fix, applied
    // before them as `--fix` alone would, is), the error names it and the rule, and the other file
    // of the run is still fixed.
    let p = Project::with_rules(&["SPA001", "SPA004"]);
    let nested = "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=True)\nprint(f\"{f'{sentry_sdk.init(dsn=DSN)}'}\")\n";
    p.write("nested.py", nested).write("app.py", PII_ON);
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        p.read("nested.py"),
        nested.replace("pii=True", "pii=False"),
        "{run}"
    );
    let error = run
        .stderr
        .lines()
        .find(|l| l.contains("nested.py"))
        .unwrap_or_else(|| panic!("no error names nested.py\n{run}"));
    assert!(error.starts_with("error: nested.py: "), "{error}");
    assert!(error.contains("SPA004"), "{error}");
    assert!(error.contains("would not parse"), "{error}");
    assert_eq!(
        p.read("app.py"),
        PII_OFF.replace(")\n", ", max_request_body_size=\"never\")\n")
    );
    // --diff shows nothing for the refused file and says why.
    let run = p.run(&["check", "--diff", "--unsafe-fixes", "nested.py"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stdout, "", "{run}");
    assert!(run.stderr.contains("error: nested.py: "), "{run}");
}

#[test]
fn reparse_guard_refusal_in_a_later_pass_writes_nothing() {
    // SPA001 (`flag` → `False`, unsafe: the value is not known) and SPA004 (insert after `flag`)
    // touch: SPA001 goes in the first pass, SPA004 in the second, where the re-parse refuses it.
    // Nothing may be written.
    let p = Project::with_rules(&["SPA001", "SPA004"]);
    let nested = "import sentry_sdk\n\nprint(f\"{f'{sentry_sdk.init(send_default_pii=flag)}'}\")\n";
    p.write("nested.py", nested);
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("error: nested.py: "), "{run}");
    assert_eq!(p.read("nested.py"), nested, "{run}");
}

#[test]
fn overlapping_fixes_never_corrupt_a_file() {
    use sentry_privacy_audit::fix::{apply, Edit, Fix};
    let text = "init(a=1)\n";
    // Two insertions at one point and a replacement that ends there: fixes go in order of
    // position, so the replacement (it starts first) wins and both insertions, which touch it,
    // wait for the next pass, whatever order they are given in.
    let first = Fix::safe("1", vec![Edit::insert(8, ", b=2")]);
    let second = Fix::safe("2", vec![Edit::insert(8, ", c=3")]);
    let around = Fix::safe("3", vec![Edit::replace(5..8, "a=9")]);
    assert_eq!(
        apply(text, &[&first, &second, &around]),
        ("init(a=9)\n".to_string(), vec![2])
    );
    assert_eq!(
        apply(text, &[&around, &second, &first]),
        ("init(a=9)\n".to_string(), vec![0])
    );
    // Without it, the first insertion given goes first and the other waits.
    assert_eq!(
        apply(text, &[&second, &first]),
        ("init(a=1, c=3)\n".to_string(), vec![0])
    );
    // A fix whose own edits overlap is never applied.
    let torn = Fix::safe(
        "t",
        vec![Edit::replace(5..7, "x"), Edit::replace(6..8, "y")],
    );
    assert_eq!(apply(text, &[&torn]), (text.to_string(), vec![]));
    // Out of range edits are ignored.
    let far = Fix::safe("f", vec![Edit::insert(100, "x")]);
    assert_eq!(apply(text, &[&far]), (text.to_string(), vec![]));
}

#[test]
fn fixes_that_touch_wait_for_the_next_pass() {
    // SPA004, SPA005 and SPA002 all insert after the last argument: one pass each.
    let p = Project::with_rules(&["SPA002", "SPA003", "SPA004", "SPA005"]);
    p.write(
        "app.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber\n\nsentry_sdk.init(dsn=DSN)\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[]))\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[\"a\"]))\n",
    );
    let run = fix_all(&p);
    assert_eq!(fix_line(&run), "Fixed 11 findings.", "{run}");
    assert_eq!(
        p.read("app.py"),
        "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\", \"intake_content\"], recursive=True), max_request_body_size=\"never\", include_local_variables=False)\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, \"ticket_data\", \"intake_content\"]), max_request_body_size=\"never\", include_local_variables=False)\nsentry_sdk.init(dsn=DSN, event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, \"a\", \"ticket_data\", \"intake_content\"]), max_request_body_size=\"never\", include_local_variables=False)\n"
    );
    assert_eq!(p.codes(), Vec::<String>::new());
}

#[test]
fn many_inits_converge() {
    let p = Project::with_rules(&["SPA001", "SPA002", "SPA003", "SPA004", "SPA005"]);
    let mut text = String::from("import sentry_sdk\n");
    for i in 0..15 {
        text.push_str(&format!(
            "\n\ndef init_{i}():\n    sentry_sdk.init(dsn=DSN, send_default_pii=True)\n"
        ));
    }
    p.write("app.py", &text);
    fix_all(&p);
    assert_eq!(p.codes(), Vec::<String>::new(), "{}", p.read("app.py"));
    let once = p.read("app.py");
    fix_all(&p);
    assert_eq!(p.read("app.py"), once);
}

// ---------------------------------------------------------------------------------------------
// Invariants over every fixture
// ---------------------------------------------------------------------------------------------

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("fixtures/rules")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.push(PathBuf::from("fixtures/resolutionflow"));
    dirs.push(PathBuf::from("fixtures/compliant"));
    dirs
}

/// The path of every SPA000.
fn parse_errors(dir: &Path) -> Vec<String> {
    json_in(dir)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SPA000")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_fixture_converges_without_new_parse_errors() {
    for fixture in fixture_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(fixture.file_name().unwrap());
        copy_dir(&fixture, &dir);
        let errors_before = parse_errors(&dir);
        let run = run_in(&dir, &["check", "--fix", "--unsafe-fixes", "."]);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: {run}",
            fixture.display()
        );
        assert!(
            !run.stderr.contains("error:"),
            "{}: {run}",
            fixture.display()
        );
        assert_eq!(
            parse_errors(&dir),
            errors_before,
            "{}: new parse errors",
            fixture.display()
        );
        let once = snapshot(&dir);
        let again = run_in(&dir, &["check", "--fix", "--unsafe-fixes", "."]);
        assert!(
            again.code == 0 || again.code == 1,
            "{}: {again}",
            fixture.display()
        );
        assert!(
            !again
                .stdout
                .lines()
                .any(|l| l.starts_with("Fixed ") && !l.starts_with("Fixed 0 findings")),
            "{}: the second run fixed more\n{again}",
            fixture.display()
        );
        let twice = snapshot(&dir);
        for (path, bytes) in &once {
            assert_eq!(
                Some(bytes),
                twice.get(path),
                "{}: {} changed on the second run",
                fixture.display(),
                path.display()
            );
        }
        assert_eq!(once.len(), twice.len(), "{}", fixture.display());
        // --diff after the fixes has nothing more to say.
        let diff = run_in(&dir, &["check", "--diff", "--unsafe-fixes", "."]);
        assert_eq!(diff.stdout, "", "{}: {diff}", fixture.display());
    }
}

/// Every fixture folder: the rule fixtures, the example apps, the version boundaries and the SDK
/// lookup trees.
fn every_fixture() -> Vec<PathBuf> {
    let mut dirs = fixture_dirs();
    dirs.push(PathBuf::from("fixtures/versions"));
    let mut sdk: Vec<PathBuf> = std::fs::read_dir("fixtures/sdk")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sdk.sort();
    dirs.extend(sdk);
    dirs
}

/// The order of fixes does not change the result: `--fix --unsafe-fixes` in one step writes what
/// `--fix` followed by `--fix --unsafe-fixes` writes. And the counts agree: what `check` says is
/// fixable is what `--diff` would fix and what `--fix` fixes.
#[test]
fn fixes_give_one_result_in_one_step_or_two_and_the_counts_agree() {
    use sentry_privacy_audit::check::{check, CheckRequest, FixMode, Report};
    use sentry_privacy_audit::output::Summary;
    let run = |dir: &Path, fix: FixMode| -> Report {
        check(&CheckRequest {
            paths: vec![dir.to_path_buf()],
            fix,
            count_fixable: true,
            ..Default::default()
        })
        .unwrap()
    };
    let apply = |unsafe_fixes, write| FixMode::Apply {
        unsafe_fixes,
        write,
    };
    let mut fixed_somewhere = 0;
    for fixture in every_fixture() {
        let name = fixture.display().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
        copy_dir(&fixture, &one);
        copy_dir(&fixture, &two);

        let reported = Summary::of(&run(&one, FixMode::Off));
        let (safe, more) = (reported.fixable, reported.unsafe_fixable);
        let diff = run(&one, apply(false, false));
        assert_eq!(diff.fixed, safe, "{name}: --diff and check disagree");
        assert_eq!(Summary::of(&diff).unsafe_fixable, more, "{name}");
        let diff = run(&one, apply(true, false));
        assert_eq!(diff.fixed, safe + more, "{name}: --diff --unsafe-fixes");

        let all = run(&one, apply(true, true));
        assert!(all.fix_errors.is_empty(), "{name}: {:?}", all.fix_errors);
        assert_eq!(all.fixed, safe + more, "{name}: one step");
        let first = run(&two, apply(false, true));
        assert_eq!(first.fixed, safe, "{name}: --fix");
        let second = run(&two, apply(true, true));
        assert_eq!(second.fixed, more, "{name}: then --fix --unsafe-fixes");
        let (a, b) = (snapshot(&one), snapshot(&two));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert_eq!(
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&b[path]),
                "{name}: {} differs between one step and two",
                path.display()
            );
        }
        fixed_somewhere += all.fixed;
    }
    assert!(fixed_somewhere > 100, "{fixed_somewhere}");
}

#[test]
fn resolutionflow_safe_fixes_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("resolutionflow");
    copy_dir(Path::new("fixtures/resolutionflow"), &dir);
    let run = run_in(&dir, &["check", "--fix", "."]);
    // SPA001, SPA101 and SPA102 are literals; with masking back on, SPA104 and SPA201 no longer
    // apply; SPA002, SPA004, SPA005 and SPA105 (a `dataCollection` for 11.x) add code and need
    // --unsafe-fixes.
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        fix_line(&run),
        "Fixed 8 findings; 4 more fixable with --unsafe-fixes.",
        "{run}"
    );
    let mut left = codes_in(&dir);
    left.sort();
    assert_eq!(left, ["SPA002", "SPA004", "SPA005", "SPA105"]);
}

#[test]
fn resolutionflow_is_fixed_into_the_compliant_app() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("resolutionflow");
    copy_dir(Path::new("fixtures/resolutionflow"), &dir);
    let run = run_in(&dir, &["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(fix_line(&run), "Fixed 12 findings.", "{run}");
    let left = codes_in(&dir);
    for code in [
        "SPA001", "SPA002", "SPA003", "SPA004", "SPA005", "SPA101", "SPA102", "SPA104", "SPA105",
        "SPA201",
    ] {
        assert!(!left.iter().any(|c| c == code), "{code} left: {left:?}");
    }
    let main = "backend/app/main.py";
    assert_eq!(
        std::fs::read_to_string(dir.join(main)).unwrap(),
        std::fs::read_to_string(Path::new("fixtures/compliant").join(main)).unwrap()
    );
    let code_lines = |text: String| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(str::to_string)
            .collect()
    };
    // The compliant app lowered the session sample rate to 0 while it turned masking back on; the
    // fixes turn masking back on first, and with masking on the rate may stay.
    let instrument = "frontend/src/instrument.ts";
    assert_eq!(
        code_lines(std::fs::read_to_string(dir.join(instrument)).unwrap()),
        code_lines(
            std::fs::read_to_string(Path::new("fixtures/compliant").join(instrument))
                .unwrap()
                .replace(
                    "replaysSessionSampleRate: 0,",
                    "replaysSessionSampleRate: 0.01,"
                )
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Session Replay network details (SPA106, SPA107); SPA108 and SPA109 have no fix
// ---------------------------------------------------------------------------------------------

#[test]
fn spa106_catch_all_gets_network_capture_bodies_false_unsafely() {
    assert_unsafe_fix(
        &["SPA106"],
        "instrument.ts",
        &replay("networkDetailAllowUrls: [window.location.origin]"),
        "SPA106",
        &replay(
            "networkDetailAllowUrls: [window.location.origin],\n      networkCaptureBodies: false",
        ),
    );
}

#[test]
fn spa106_network_capture_bodies_true_becomes_false_unsafely() {
    assert_unsafe_fix(
        &["SPA106"],
        "instrument.ts",
        &replay("networkDetailAllowUrls: [\"/api/\"],\n      networkCaptureBodies: true"),
        "SPA106",
        &replay("networkDetailAllowUrls: [\"/api/\"],\n      networkCaptureBodies: false"),
    );
}

#[test]
fn spa106_inline_options_get_the_switch_inline() {
    let input = "import { init, replayIntegration } from \"@sentry/browser\";\n\ninit({ integrations: [replayIntegration({ networkDetailAllowUrls: [\"\"] })] });\n";
    assert_unsafe_fix(
        &["SPA106"],
        "main.js",
        input,
        "SPA106",
        &input.replace("[\"\"] }", "[\"\"], networkCaptureBodies: false }"),
    );
}

#[test]
fn spa106_options_in_a_const_get_the_switch_where_they_are_written() {
    let input = "import * as Sentry from \"@sentry/react\";\n\nconst replayOptions = {\n  maskAllText: true,\n  networkDetailAllowUrls: [/^https:\\/\\/api\\.example\\.com/],\n};\n\nSentry.init({\n  integrations: [Sentry.replayIntegration(replayOptions)],\n});\n";
    assert_unsafe_fix(
        &["SPA106"],
        "instrument.ts",
        input,
        "SPA106",
        &input.replace("com/],\n};", "com/],\n  networkCaptureBodies: false,\n};"),
    );
}

#[test]
fn spa106_raw_body_switch_is_a_safe_fix_and_bodies_an_unsafe_one() {
    let input =
        replay("networkDetailAllowUrls: [\"/api/tickets\"],\n      attachRawBodyFromRequest: true");
    let p = Project::with_rules(&["SPA106"]);
    p.write("instrument.ts", &input);
    let run = p.run(&["check", "--fix", "."]);
    assert_eq!(
        p.read("instrument.ts"),
        replay(
            "networkDetailAllowUrls: [\"/api/tickets\"],\n      attachRawBodyFromRequest: false"
        ),
        "{run}"
    );
    assert_eq!(
        fix_line(&run),
        "Fixed 1 finding; 1 more fixable with --unsafe-fixes.",
        "{run}"
    );
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(
        p.read("instrument.ts"),
        replay(
            "networkDetailAllowUrls: [\"/api/tickets\"],\n      attachRawBodyFromRequest: false,\n      networkCaptureBodies: false"
        ),
        "{run}"
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(!p.codes().iter().any(|c| c == "SPA106"));
}

#[test]
fn spa107_sensitive_header_is_removed_unsafely() {
    assert_unsafe_fix(
        &["SPA107"],
        "instrument.ts",
        &replay("networkDetailAllowUrls: [\"/api/\"],\n      networkRequestHeaders: [\"Authorization\", \"X-Request-Id\"]"),
        "SPA107",
        &replay("networkDetailAllowUrls: [\"/api/\"],\n      networkRequestHeaders: [\"X-Request-Id\"]"),
    );
}

#[test]
fn spa107_header_on_a_line_of_its_own_goes_with_its_comment() {
    let input = replay(
        "networkDetailAllowUrls: [window.location.origin],\n      networkResponseHeaders: [\n        \"X-Request-Id\",\n        \"Set-Cookie\", // session\n        \"Retry-After\",\n      ]",
    );
    assert_unsafe_fix(
        &["SPA107"],
        "instrument.ts",
        &input,
        "SPA107",
        &input.replace("        \"Set-Cookie\", // session\n", ""),
    );
}

#[test]
fn spa107_every_sensitive_header_is_removed() {
    let p = Project::with_rules(&["SPA107"]);
    p.write(
        "instrument.ts",
        replay("networkDetailAllowUrls: [\"/api/\"],\n      networkRequestHeaders: [\"Cookie\", \"X-Auth-Token\", \"Accept\"]"),
    );
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        p.read("instrument.ts"),
        replay("networkDetailAllowUrls: [\"/api/\"],\n      networkRequestHeaders: [\"Accept\"]"),
        "{run}"
    );
}

#[test]
fn spa108_spa109_offer_no_fix() {
    let input = "import * as Sentry from \"@sentry/react\";\n\nSentry.init({\n  integrations: [\n    Sentry.replayIntegration({ unmask: [\"body\"], unblock: [\"#root\"] }),\n    Sentry.replayCanvasIntegration(),\n  ],\n});\n";
    let p = Project::with_rules(&["SPA108", "SPA109"]);
    p.write("instrument.ts", input);
    let run = p.run(&["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 1, "{run}");
    assert!(!run.stdout.contains("Fixed "), "{run}");
    assert_eq!(p.read("instrument.ts"), input);
    let doc = json_in(p.dir.path());
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{doc}");
    assert!(findings.iter().all(|f| f["fix"].is_null()), "{doc}");
}

// ---------------------------------------------------------------------------------------------
// Fix safety comes from the evaluated expression, not from how its text starts
// ---------------------------------------------------------------------------------------------

#[test]
fn a_conditional_between_strings_gets_an_unsafe_fix() {
    // The text starts with a quote, but the value is an expression: rewriting it changes code.
    assert_unsafe_fix(
        &["SPA001"],
        "app.py",
        "import sentry_sdk\n\nDEBUG = False\nsentry_sdk.init(send_default_pii=\"yes\" if DEBUG else \"no\")\n",
        "SPA001",
        "import sentry_sdk\n\nDEBUG = False\nsentry_sdk.init(send_default_pii=False)\n",
    );
}

#[test]
fn a_parenthesised_literal_gets_a_safe_fix() {
    assert_fix(
        &["SPA001"],
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=(True))\n",
        &["--fix"],
        "SPA001",
        "import sentry_sdk\n\nsentry_sdk.init(send_default_pii=False)\n",
    );
}
