//! Everyday use: files named explicitly (pre-commit), baselines, rule selection, statistics.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{bin, write};

type Row = (String, String, u64);

fn json(dir: &Path, args: &[&str]) -> (Value, Option<i32>) {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--output-format", "json"])
        .args(args)
        .output()
        .unwrap();
    (common::json_of(&out), out.status.code())
}

fn rows(doc: &Value) -> Vec<Row> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(code: &str, path: &str, line: u64) -> Row {
    (code.into(), path.into(), line)
}

const INSTRUMENT: &str = "import * as Sentry from \"@sentry/react\";

Sentry.init({
  dsn: import.meta.env.VITE_SENTRY_DSN,
  integrations: [Sentry.replayIntegration({ maskAllText: false })],
});
";

const PAGE: &str = "export function TicketPage({ ticket }: { ticket: { body: string } }) {
  return <article className=\"ticket\">{ticket.body}</article>;
}
";

fn frontend() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "web/sentry-privacy-audit.toml",
        "customer_data_routes = [\"src/routes/**\"]\n",
    );
    write(dir.path(), "web/src/instrument.ts", INSTRUMENT);
    write(dir.path(), "web/src/routes/TicketPage.tsx", PAGE);
    dir
}

#[test]
fn a_named_route_file_is_judged_against_the_init_it_was_not_given() {
    let dir = frontend();
    let (doc, code) = json(dir.path(), &["web/src/routes/TicketPage.tsx"]);
    assert_eq!(
        rows(&doc),
        vec![row("SPA201", "web/src/routes/TicketPage.tsx", 2)]
    );
    assert_eq!(code, Some(1));
    // The init file alone: its own finding only.
    let (doc, _) = json(dir.path(), &["web/src/instrument.ts"]);
    assert_eq!(rows(&doc), vec![row("SPA101", "web/src/instrument.ts", 5)]);
    // Naming the configuration reports the whole project.
    let (doc, _) = json(dir.path(), &["web/sentry-privacy-audit.toml"]);
    assert_eq!(
        rows(&doc),
        vec![
            row("SPA101", "web/src/instrument.ts", 5),
            row("SPA201", "web/src/routes/TicketPage.tsx", 2),
        ]
    );
}

/// A folder is judged in its project's context, like a file: the routes folder alone gets the
/// SPA201 that the whole project gets, and `--fix` on it keeps a suppression the init elsewhere
/// makes necessary.
#[test]
fn a_named_folder_is_judged_against_the_init_outside_it() {
    let dir = frontend();
    let d = dir.path();
    let suppressed = PAGE.replace(
        "  return <article",
        "  // sentry-privacy-audit: ignore[SPA201] -- the body is public\n  return <article",
    );
    write(d, "web/src/routes/PublicPage.tsx", &suppressed);
    let (whole, _) = json(d, &["web"]);
    let routes: Vec<Row> = rows(&whole)
        .into_iter()
        .filter(|r| r.1.starts_with("web/src/routes/"))
        .collect();
    assert_eq!(
        routes,
        vec![row("SPA201", "web/src/routes/TicketPage.tsx", 2)]
    );
    for args in [&["web/src/routes"][..], &["web/src/routes/"], &["web/src"]] {
        let (doc, code) = json(d, args);
        let expected: Vec<Row> = rows(&whole)
            .into_iter()
            .filter(|r| r.1.starts_with(args[0].trim_end_matches('/')))
            .collect();
        assert_eq!(rows(&doc), expected, "{args:?}");
        assert_eq!(code, Some(1));
    }
    // From inside the folder too.
    let out = bin()
        .current_dir(d.join("web/src/routes"))
        .args(["check", "--output-format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        rows(&common::json_of(&out)),
        vec![row("SPA201", "TicketPage.tsx", 2)]
    );
    // --fix on the folder applies the safe fixes and keeps the suppression: it is not unused.
    let out = bin()
        .current_dir(d)
        .args(["check", "--fix", "web/src/routes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(d.join("web/src/routes/PublicPage.tsx")).unwrap(),
        suppressed
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("SPA900"));
}

/// Naming files (as pre-commit does, maybe in several batches): the baseline's entries of the
/// files not named are neither accepted nor counted as stale.
#[test]
fn a_baseline_counts_only_the_entries_of_the_named_files() {
    let dir = frontend();
    let d = dir.path();
    let out = bin()
        .current_dir(d)
        .args(["check", "--write-baseline", "all.json", "web"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = bin()
        .current_dir(d)
        .args([
            "check",
            "--baseline",
            "all.json",
            "web/src/routes/TicketPage.tsx",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 finding accepted by the baseline; 0 baseline entries no longer match"),
        "{stdout}"
    );
    // The whole project: an entry of a file that is gone is stale.
    std::fs::remove_file(d.join("web/src/routes/TicketPage.tsx")).unwrap();
    let out = bin()
        .current_dir(d)
        .args(["check", "--baseline", "all.json", "web"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 finding accepted by the baseline; 1 baseline entry no longer matches"),
        "{stdout}"
    );
}

#[test]
fn fixing_named_files_touches_only_them() {
    let dir = frontend();
    let out = bin()
        .current_dir(dir.path())
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "web/src/routes/TicketPage.tsx",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("web/src/routes/TicketPage.tsx")).unwrap(),
        PAGE.replace("<article className", "<article data-sentry-mask className")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("web/src/instrument.ts")).unwrap(),
        INSTRUMENT
    );
}

const BACKEND: &str = "import sentry_sdk

sentry_sdk.init(
    dsn=\"https://k@o1.ingest.sentry.io/1\",
    send_default_pii=True,
    max_request_body_size=\"never\",
    include_local_variables=False,
)
";

#[test]
fn baselines_accept_todays_findings_and_report_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "");
    write(d, "api/app.py", BACKEND);
    let out = bin()
        .current_dir(d)
        .args(["check", "--write-baseline", "baseline.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Wrote 1 findings to the baseline baseline.json.\n"
    );
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["findings"][0]["code"], "SPA001");
    assert_eq!(saved["findings"][0]["path"], "api/app.py");

    let (doc, code) = json(d, &["--baseline", "baseline.json"]);
    assert_eq!(rows(&doc), vec![]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["suppressed"][0]["code"], "SPA001");
    assert_eq!(doc["baseline_stale"], 0);

    // In SARIF the accepted finding is still there, suppressed externally.
    let out = bin()
        .current_dir(d)
        .args([
            "check",
            "--output-format",
            "sarif",
            "--baseline",
            "baseline.json",
            ".",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "SPA001");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "in the baseline baseline.json"
    );

    // Lines added above move the finding; it stays accepted. A new finding is reported.
    let moved = format!("\"\"\"Service.\"\"\"\n\nimport os\n{BACKEND}\nsentry_sdk.init(send_default_pii=True, max_request_body_size=\"never\", include_local_variables=False)\n");
    write(d, "api/app.py", &moved);
    let (doc, code) = json(d, &["--baseline", "baseline.json"]);
    assert_eq!(rows(&doc), vec![row("SPA001", "api/app.py", 13)]);
    assert_eq!(code, Some(1));

    // Fixing the baselined finding leaves a stale entry, which the summary counts.
    write(
        d,
        "api/app.py",
        BACKEND.replace("send_default_pii=True", "send_default_pii=False"),
    );
    let (doc, _) = json(d, &["--baseline", "baseline.json"]);
    assert_eq!(rows(&doc), vec![]);
    assert_eq!(doc["baseline_stale"], 1);
    let out = bin()
        .current_dir(d)
        .args(["check", "--baseline", "baseline.json", "."])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("0 findings accepted by the baseline; 1 baseline entry no longer matches"));

    // A broken baseline is an error naming it.
    write(d, "bad.json", "{\"version\": 1}");
    let out = bin()
        .current_dir(d)
        .args(["check", "--baseline", "bad.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json: not a baseline file"));
}

#[test]
fn selection_flags_merge_over_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "ignore = [\"SPA005\"]\n");
    write(
        d,
        "app.py",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=True)\n",
    );
    write(
        d,
        "web.ts",
        INSTRUMENT
            .replace("dsn:", "sendDefaultPii: true,\n  dsn:")
            .as_str(),
    );
    let all = |args: &[&str]| -> Vec<String> {
        let (doc, _) = json(d, args);
        rows(&doc).into_iter().map(|r| r.0).collect()
    };
    assert_eq!(all(&[]), ["SPA004", "SPA001", "SPA105", "SPA101"]);
    assert_eq!(all(&["--select", "SPA1"]), ["SPA105", "SPA101"]);
    assert_eq!(all(&["--select", "SPA1", "--ignore", "SPA105"]), ["SPA101"]);
    assert_eq!(
        all(&["--select", "SPA001", "--extend-select", "SPA004,SPA005"]),
        ["SPA004", "SPA001"]
    );
    let out = bin()
        .current_dir(d)
        .args(["check", "--select", "SPA7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--select: `SPA7` matches no rule code"));
    let out = bin()
        .current_dir(d)
        .args(["check", "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn statistics_count_per_rule() {
    let out = bin()
        .args(["check", "--statistics", "fixtures/resolutionflow"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "    4  SPA201  [*] customer-data-route-unmasked (4 fixable)
    1  SPA001  [*] send-default-pii (1 fixable)
    1  SPA002  [-] customer-fields-not-scrubbed (1 fixable with --unsafe-fixes)
    1  SPA004  [-] request-bodies-sent (1 fixable with --unsafe-fixes)
    1  SPA005  [-] local-variables-sent (1 fixable with --unsafe-fixes)
    1  SPA101  [*] replay-text-unmasked (1 fixable)
    1  SPA102  [*] replay-media-unblocked (1 fixable)
    1  SPA104  [*] replay-sampling-while-unmasked (1 fixable)
    1  SPA105  [-] frontend-send-default-pii (1 fixable with --unsafe-fixes)
12 findings (10 errors, 2 warnings) in 6 files; 7 files checked
[*] fixable with --fix, [-] fixable with --fix --unsafe-fixes: 8 fixable with --fix; 4 more fixable with --fix --unsafe-fixes.
"
    );
}

/// The statistics' marks and counts are the fixability the text report states: the per-rule
/// counts add up to its line, and `--fix` then fixes what they say.
#[test]
fn statistics_agree_with_the_report_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("app");
    common::copy_dir(Path::new("fixtures/resolutionflow"), &d);
    let stdout = |args: &[&str]| {
        let out = bin().current_dir(&d).args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let stats = stdout(&["check", "--statistics"]);
    let report = stdout(&["check"]);
    let fix_line = report.lines().last().unwrap();
    assert!(fix_line.starts_with("8 fixable with --fix"), "{report}");
    assert!(
        stats.ends_with(&format!("--fix --unsafe-fixes: {fix_line}\n")),
        "{stats}"
    );
    // Per rule: "(4 fixable)", "(1 fixable with --unsafe-fixes)" or "(2 fixable, 1 more with
    // --unsafe-fixes)"; they add up to the report's line.
    let (mut safe, mut more) = (0, 0);
    for l in stats.lines().filter(|l| l.contains("  SPA")) {
        let Some(counts) = l.split(" (").nth(1) else {
            continue;
        };
        let numbers: Vec<usize> = counts
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        match (numbers.as_slice(), counts.contains("--unsafe-fixes")) {
            ([s, m], _) => (safe, more) = (safe + s, more + m),
            ([m], true) => more += m,
            ([s], false) => safe += s,
            _ => panic!("{l}"),
        }
    }
    assert_eq!((safe, more), (8, 4), "{stats}");
    let fixed = stdout(&["check", "--fix"]);
    assert!(
        fixed.contains("Fixed 8 findings; 4 more fixable with --unsafe-fixes."),
        "{fixed}"
    );
}

#[test]
fn stdin_is_judged_as_the_named_file_in_its_project() {
    let dir = frontend();
    let unmasked = "export const Chat = () => <section className=\"chat\">hi</section>;\n";
    let run = |args: &[&str]| {
        let mut child = bin()
            .current_dir(dir.path())
            .args(["check"])
            .args(args)
            .args(["--stdin-filename", "web/src/routes/Chat.tsx", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(unmasked.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["--output-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows(&doc),
        vec![row("SPA201", "web/src/routes/Chat.tsx", 1)]
    );
    let out = run(&["--fix", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        unmasked.replace("<section className", "<section data-sentry-mask className")
    );
    assert!(
        !dir.path().join("web/src/routes/Chat.tsx").exists(),
        "nothing is written"
    );
    let out = bin().args(["check", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn init_writes_a_prefilled_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "api/main.py",
        "import sentry_sdk\nfrom sentry_sdk.scrubber import EventScrubber, DEFAULT_DENYLIST\n\nsentry_sdk.init(event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_body\"]))\n",
    );
    write(d, "web/src/pages/Inbox.tsx", PAGE);
    write(
        d,
        "web/src/components/Button.tsx",
        "export const B = () => <button/>;\n",
    );
    let out = bin().current_dir(d).args(["init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(d.join("sentry-privacy-audit.toml")).unwrap();
    assert!(
        text.contains("sensitive_fields = [\n    \"ticket_body\",\n]"),
        "{text}"
    );
    assert!(
        text.contains("customer_data_routes = [\n    \"web/src/pages/**\",\n]"),
        "{text}"
    );
    // The starter is a valid configuration that the checker reads.
    let out = bin().current_dir(d).args(["check", "."]).output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Never overwritten without --force.
    std::fs::write(d.join("sentry-privacy-audit.toml"), "# mine\n").unwrap();
    let out = bin().current_dir(d).args(["init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --force"));
    assert_eq!(
        std::fs::read_to_string(d.join("sentry-privacy-audit.toml")).unwrap(),
        "# mine\n"
    );
    let out = bin()
        .current_dir(d)
        .args(["init", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(d.join("sentry-privacy-audit.toml"))
        .unwrap()
        .contains("sensitive_fields"));
}

#[test]
fn shell_completions() {
    for shell in ["bash", "zsh", "fish"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("sentry-privacy-audit"), "{shell}");
        assert!(script.contains("unsafe-fixes"), "{shell}");
    }
}

#[test]
fn an_unreadable_hook_module_is_warned_about_once_across_fix_passes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "sentry-privacy-audit.toml",
        "sensitive_fields = [\"ticket_data\"]\n",
    );
    write(
        d,
        "app.py",
        "import sentry_sdk\nfrom hooks import scrub\n\nsentry_sdk.init(\n    before_send=scrub,\n    send_default_pii=True,\n)\n",
    );
    std::fs::write(
        d.join("hooks.py"),
        b"def scrub(e, h):\n    return e  # caf\xe9\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(d)
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.matches("warning: hooks.py: invalid UTF-8").count(),
        1,
        "{stderr}"
    );
    // Several passes did run: the fixes that touch each other were applied one after the other.
    assert_eq!(
        std::fs::read_to_string(d.join("app.py")).unwrap(),
        "import sentry_sdk\nfrom hooks import scrub\n\nsentry_sdk.init(\n    before_send=scrub,\n    send_default_pii=False,\n    max_request_body_size=\"never\",\n    include_local_variables=False,\n)\n"
    );
}

/// The fix loop refuses a fix that makes an init collect more than before: inserting
/// `dataCollection: { userInfo: false }` is right on 11.x, but on the 10.57–10.78 releases the
/// same range allows it would turn every other category on.
#[test]
fn fixes_that_collect_more_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sentry-privacy-audit.toml", "");
    write(
        d,
        "package.json",
        r#"{"name": "web", "dependencies": {"@sentry/browser": ">=10.57.0 <12"}}"#,
    );
    let source = "import * as Sentry from \"@sentry/browser\";\n\nSentry.init({ dsn: \"https://k@o0.ingest.sentry.io/0\" });\n";
    write(d, "main.ts", source);
    let out = bin()
        .current_dir(d)
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("main.ts: fixes not applied (SPA105)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("would become more permissive (off → collected)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(d.join("main.ts")).unwrap(), source);
}
