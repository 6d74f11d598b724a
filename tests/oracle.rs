//! The real SDKs are the oracle. For a matrix of option combinations, the policy the tool works out
//! (`inits[].collects`) must equal what the published SDK of each pinned version collects, as
//! `tests/oracle/python/oracle.py` and `tests/oracle/js/oracle.mjs` observe it (or read it from the
//! SDK's own decision code). And every config the tool fixes must be accepted by the real SDK:
//! `init()` does not raise or warn, and the fixed TypeScript type-checks against the package's
//! types.
//!
//! These tests need the pinned SDKs: `bash tests/oracle/python/install.sh` and
//! `bash tests/oracle/js/install.sh` (`.ci/run` installs them and runs these tests with
//! `--include-ignored`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use sentry_privacy_audit::check::{check, CheckRequest, FixMode};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn oracle_dir() -> PathBuf {
    std::env::var_os("ORACLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/oracle"))
}

/// The pinned versions of a `versions.txt` (first word of each line that starts with a digit).
fn pinned(lang: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(repo().join(format!("tests/oracle/{lang}/versions.txt"))).unwrap();
    let mut v: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

/// The event categories both oracles report.
const CATEGORIES: [&str; 16] = [
    "user_info",
    "cookies",
    "http_headers",
    "request_bodies",
    "outgoing_bodies",
    "query_params",
    "frame_variables",
    "source_context",
    "gen_ai_inputs",
    "gen_ai_outputs",
    "mcp_inputs",
    "mcp_outputs",
    "database_query_data",
    "queue_arguments",
    "graphql_document",
    "graphql_variables",
];

/// A project with one init file and a manifest pinning the SDK version.
struct Case {
    dir: tempfile::TempDir,
    file: PathBuf,
}

fn project(manifest: (&str, String), file: &str, source: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), manifest.0, manifest.1);
    common::write(dir.path(), "sentry-privacy-audit.toml", "");
    common::write(dir.path(), file, source);
    let file = dir.path().join(file);
    Case { dir, file }
}

/// What the tool says an init in `case` collects: category → state, and the ignored options.
fn tool_policy(case: &Case) -> (BTreeMap<String, String>, Vec<(String, String)>) {
    let report = check(&CheckRequest {
        paths: vec![case.dir.path().to_path_buf()],
        config: Some(case.dir.path().join("sentry-privacy-audit.toml")),
        ..Default::default()
    })
    .unwrap();
    let i = report
        .files
        .iter()
        .position(|f| f.path.ends_with(case.file.file_name().unwrap()))
        .expect("the case file was checked");
    let policy = report.policies[i].first().expect("the case has an init");
    let collects = policy
        .decisions()
        .map(|(c, d)| (c.name().to_string(), d.state.name().to_string()))
        .collect();
    let ignored = policy
        .ignored
        .iter()
        .map(|x| (x.option.clone(), format!("{:?}", x.kind)))
        .collect();
    (collects, ignored)
}

/// Run an oracle; its JSON list.
fn run_oracle(cmd: &mut Command) -> Vec<Value> {
    let out = cmd.output().expect("the oracle runs");
    assert!(
        out.status.success(),
        "the oracle failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("the oracle printed no JSON ({e})"))
        .as_array()
        .unwrap()
        .clone()
}

fn need(path: &Path, what: &str) {
    assert!(
        path.exists(),
        "{} is missing: run `bash tests/oracle/{what}/install.sh` first",
        path.display()
    );
}

/// A config the SDK rejects matches a tool that lists a rejected option; an error of the oracle
/// itself (the SDK package not installed, a case that does not transpile) matches nothing, even
/// then.
#[test]
fn an_oracle_error_is_never_taken_for_the_sdks_verdict() {
    let rejected = (
        BTreeMap::new(),
        vec![("with_locals".to_string(), "Rejected".to_string())],
    );
    let accepted = (BTreeMap::new(), Vec::new());
    let sdk = serde_json::json!({"init_error": {"name": "Error", "message": "bad option", "where": "init"}});
    assert_eq!(compare("sdk", &sdk, &rejected), Vec::<String>::new());
    assert_eq!(compare("sdk", &sdk, &accepted).len(), 1);
    let python = serde_json::json!({"init_error": "TypeError: Unknown option 'with_locals'"});
    assert_eq!(compare("python", &python, &rejected), Vec::<String>::new());
    for (name, at) in [
        ("OracleError", "oracle"),
        ("TranspileError", "transpile"),
        ("OracleError", "case"),
    ] {
        let oracle = serde_json::json!({"init_error": {"name": name, "message": "@sentry/node is not installed", "where": at}});
        let problems = compare("oracle", &oracle, &rejected);
        assert_eq!(problems.len(), 1, "{name} {at}");
        assert!(
            problems[0].contains("the oracle could not run it"),
            "{problems:?}"
        );
    }
}

/// Compare one oracle result with the tool's policy; the mismatches, worded.
fn compare(
    label: &str,
    oracle: &Value,
    tool: &(BTreeMap<String, String>, Vec<(String, String)>),
) -> Vec<String> {
    let mut out = Vec::new();
    let init_error = &oracle["init_error"];
    // An error of the oracle itself (a package not installed, a case it cannot transpile or
    // load) is no verdict of the SDK's: the case was not compared.
    if init_error["name"] == "OracleError"
        || matches!(init_error["where"].as_str(), Some("oracle" | "transpile"))
    {
        out.push(format!(
            "{label}: the oracle could not run it: {init_error}"
        ));
        return out;
    }
    if !init_error.is_null() {
        // The SDK rejects the config: the tool must say so (SPA006, rejected).
        if !tool.1.iter().any(|(_, k)| k == "Rejected") {
            out.push(format!(
                "{label}: the SDK rejects it ({}), the tool lists no rejected option",
                oracle["init_error"]
            ));
        }
        return out;
    }
    if !oracle["error"].is_null() {
        out.push(format!("{label}: oracle error {}", oracle["error"]));
        return out;
    }
    for c in CATEGORIES {
        let want = oracle["collects"][c].as_str().unwrap_or("missing");
        let got = tool.0.get(c).map(String::as_str).unwrap_or("missing");
        if want != got {
            out.push(format!(
                "{label}: {c}: the SDK {want}, the tool {got} ({})",
                oracle["how"][c].as_str().unwrap_or("")
            ));
        }
    }
    out
}

/// Python option combinations (the keyword arguments of `sentry_sdk.init`).
const PY_CASES: &[&str] = &[
    "",
    "send_default_pii=True",
    "send_default_pii=False",
    "max_request_body_size=\"never\", include_local_variables=False",
    "send_default_pii=True, include_source_context=False, max_request_body_size=\"small\"",
    "with_locals=False, request_bodies=\"never\"",
    "data_collection={}",
    "_experiments={\"data_collection\": {}}",
    "data_collection={\"user_info\": False, \"cookies\": {\"mode\": \"off\"}, \"http_headers\": {\"request\": {\"mode\": \"off\"}}, \"http_bodies\": [], \"url_query_params\": {\"mode\": \"off\"}, \"stack_frame_variables\": False, \"frame_context_lines\": 0, \"gen_ai\": {\"inputs\": False, \"outputs\": False}, \"database_query_data\": False, \"queues\": False, \"graphql\": {\"document\": False, \"variables\": False}}",
    "data_collection={\"user_info\": False, \"cookies\": False, \"gen_ai\": None}",
    "data_collection={\"stack_frame_variables\": {\"mode\": \"denylist\"}}",
    "data_collection={\"http_headers\": {\"mode\": \"off\"}}",
    "data_collection={\"http_bodies\": [\"incomingRequest\"]}",
    "data_collection={\"user_info\": False, \"cookies\": False}, max_request_body_size=\"never\", include_local_variables=False",
    "send_default_pii=True, data_collection={\"user_info\": False}",
    "event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\"], recursive=True)",
    "send_default_pii=True, event_scrubber=EventScrubber(denylist=[\"ticket_data\"])",
];

/// A Python case's module: the scrubber import only where the case uses it (sentry-sdk 3 has no
/// `sentry_sdk.scrubber`).
fn py_case_source(args: &str) -> String {
    let import = if args.contains("EventScrubber") {
        "from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n"
    } else {
        ""
    };
    format!("import sentry_sdk\n{import}\nsentry_sdk.init({args})\n")
}

#[test]
#[ignore = "needs the pinned Python SDKs: bash tests/oracle/python/install.sh"]
fn python_policy_matches_the_sdk() {
    let root = oracle_dir().join("python");
    let versions = pinned("python");
    for v in &versions {
        need(&root.join(v), "python");
    }
    let cases_dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (k, args) in PY_CASES.iter().enumerate() {
        let f = cases_dir.path().join(format!("case{k:02}.py"));
        std::fs::write(&f, py_case_source(args)).unwrap();
        files.push(f);
    }
    let results = run_oracle(
        Command::new("python3")
            .arg(repo().join("tests/oracle/python/oracle.py"))
            .args(["--version", "all", "-j", "2"])
            .args(&files)
            .env("ORACLE_DIR", oracle_dir()),
    );
    assert_eq!(results.len(), files.len() * versions.len());
    // The matrix holds configs the SDK rejects (`with_locals` on 2.x) and accepts.
    assert!(results.iter().any(|r| !r["init_error"].is_null()));
    assert!(results
        .iter()
        .any(|r| r["collects"]["user_info"] == "collected"));
    let mut mismatches = Vec::new();
    for r in &results {
        let case = r["case"].as_str().unwrap();
        let k: usize = Path::new(case).file_stem().unwrap().to_str().unwrap()[4..]
            .parse()
            .unwrap();
        let v = r["sdk_version"].as_str().unwrap();
        if v.starts_with("3.") && PY_CASES[k].contains("EventScrubber") {
            // sentry-sdk 3 removed the scrubber module: the case cannot even import it.
            assert!(!r["error"].is_null() || !r["init_error"].is_null(), "{r}");
            continue;
        }
        let source = py_case_source(PY_CASES[k]);
        let p = project(
            ("requirements.txt", format!("sentry-sdk=={v}\n")),
            "app.py",
            &source,
        );
        let tool = tool_policy(&p);
        mismatches.extend(compare(
            &format!("sentry-sdk {v} `init({})`", PY_CASES[k]),
            r,
            &tool,
        ));
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches between the policy and the SDK:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// JavaScript option combinations (the body of the `Sentry.init` options object), and whether
/// they concern the server only.
const JS_CASES: &[(&str, bool)] = &[
    ("", false),
    ("sendDefaultPii: true", false),
    ("sendDefaultPii: false", false),
    ("dataCollection: {}", false),
    ("dataCollection: { userInfo: false, cookies: false, httpHeaders: { request: false, response: false }, httpBodies: [] }", false),
    ("sendDefaultPii: true, dataCollection: { userInfo: false }", false),
    ("dataCollection: { queryParams: false }", false),
    ("dataCollection: { urlQueryParams: false }", false),
    ("dataCollection: { httpHeaders: false }", false),
    ("integrations: [Sentry.httpIntegration({ maxIncomingRequestBodySize: 'none' })]", true),
    ("integrations: [Sentry.httpIntegration({ maxRequestBodySize: 'none' })]", true),
    ("includeLocalVariables: true", true),
    ("includeLocalVariables: true, dataCollection: { stackFrameVariables: false }", true),
];

fn js_case_source(package: &str, body: &str) -> String {
    format!("import * as Sentry from \"{package}\";\n\nSentry.init({{ {body} }});\n")
}

#[test]
#[ignore = "needs the pinned JavaScript SDKs: bash tests/oracle/js/install.sh"]
fn javascript_policy_matches_the_sdk() {
    let root = oracle_dir().join("js");
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for v in pinned("js") {
        need(&root.join(&v), "js");
        for package in ["@sentry/node", "@sentry/browser"] {
            let installed = root
                .join(&v)
                .join("node_modules")
                .join(package)
                .join("package.json");
            // Every pinned version is compared with both packages: a lean install (without
            // the optional @sentry/node) fails here rather than leaving versions out.
            assert!(
                installed.is_file(),
                "{package} {v} is not installed: run bash tests/oracle/js/install.sh \
                 (without ORACLE_JS_LEAN)"
            );
            let cases_dir = tempfile::tempdir().unwrap();
            let mut files = Vec::new();
            let mut bodies = Vec::new();
            for (k, (body, server_only)) in JS_CASES.iter().enumerate() {
                if *server_only && package != "@sentry/node" {
                    continue;
                }
                let f = cases_dir.path().join(format!("case{k:02}.ts"));
                std::fs::write(&f, js_case_source(package, body)).unwrap();
                files.push(f);
                bodies.push(*body);
            }
            let results = run_oracle(
                Command::new("node")
                    .arg(repo().join("tests/oracle/js/oracle.mjs"))
                    .arg("--sdk")
                    .arg(root.join(&v))
                    .args(["-j", "2"])
                    .args(&files)
                    .env("ORACLE_DIR", oracle_dir()),
            );
            for (r, body) in results.iter().zip(&bodies) {
                let file = if package == "@sentry/node" {
                    "instrument.mjs"
                } else {
                    "main.ts"
                };
                let p = project(
                    (
                        "package.json",
                        format!(
                            "{{\"name\": \"case\", \"dependencies\": {{\"{package}\": \"{v}\"}}}}"
                        ),
                    ),
                    file,
                    &js_case_source(package, body),
                );
                let tool = tool_policy(&p);
                compared += 1;
                mismatches.extend(compare(&format!("{package} {v} `{{ {body} }}`"), r, &tool));
            }
        }
    }
    // Every pinned version with both packages: 13 cases for Node, 9 for the browser.
    let cases = JS_CASES
        .iter()
        .filter(|(_, server_only)| !server_only)
        .count();
    assert_eq!(
        compared,
        pinned("js").len() * (JS_CASES.len() + cases),
        "cases compared"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches between the policy and the SDK:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Fix a project in place with every fix; the fixed text of `file`.
fn fixed(case: &Case) -> String {
    check(&CheckRequest {
        paths: vec![case.dir.path().to_path_buf()],
        config: Some(case.dir.path().join("sentry-privacy-audit.toml")),
        fix: FixMode::Apply {
            unsafe_fixes: true,
            write: true,
        },
        ..Default::default()
    })
    .unwrap();
    std::fs::read_to_string(&case.file).unwrap()
}

/// Leaky Python configs that the fixes must turn into ones the SDK accepts without a warning.
const PY_LEAKY: &[&str] = &[
    "data_collection={\"user_info\": False}, event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + [\"ticket_data\"])",
    "send_default_pii=True",
    "send_default_pii=True, max_request_body_size=\"always\", include_local_variables=True",
    "with_locals=True, request_bodies=\"always\"",
    "data_collection={\"user_info\": True, \"cookies\": False}",
    "data_collection={}",
    "send_default_pii=False, data_collection={\"user_info\": False}",
];

#[test]
#[ignore = "needs the pinned Python SDKs: bash tests/oracle/python/install.sh"]
fn fixed_python_configs_are_accepted_by_the_sdk() {
    let mut problems = Vec::new();
    for v in ["1.45.1", "2.59.0", "2.75.0", "2.76.0"] {
        need(&oracle_dir().join("python").join(v), "python");
        for args in PY_LEAKY {
            let source = format!("import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nsentry_sdk.init({args})\n");
            let p = project(
                ("requirements.txt", format!("sentry-sdk=={v}\n")),
                "app.py",
                &source,
            );
            // The customer-data fields must be scrubbed too.
            common::write(
                p.dir.path(),
                "sentry-privacy-audit.toml",
                "sensitive_fields = [\"ticket_data\", \"conversation_messages\"]\n",
            );
            let text = fixed(&p);
            let results = run_oracle(
                Command::new("python3")
                    .arg(repo().join("tests/oracle/python/oracle.py"))
                    .args(["--version", v])
                    .arg(&p.file)
                    .env("ORACLE_DIR", oracle_dir()),
            );
            let r = &results[0];
            // A config the SDK still rejects after the fixes (the tool has no fix for it) must
            // still be reported as rejected; `compare` checks that.
            if !r["init_error"].is_null() {
                problems.extend(compare(
                    &format!("sentry-sdk {v} fixed `{args}`"),
                    r,
                    &tool_policy(&p),
                ));
                continue;
            }
            let warnings: Vec<&str> = r["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|w| w.as_str())
                .collect();
            if !warnings.is_empty() {
                problems.push(format!(
                    "sentry-sdk {v}: `{args}` fixed to\n{text}\nwarns {warnings:?}"
                ));
            }
            // And what the tool now says it collects is what the SDK collects.
            problems.extend(compare(
                &format!("sentry-sdk {v} fixed `{args}`"),
                r,
                &tool_policy(&p),
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Leaky JavaScript configs, fixed, must type-check and start without an SDK warning.
const JS_LEAKY: &[&str] = &[
    "sendDefaultPii: true",
    "dataCollection: { userInfo: true }",
    "sendDefaultPii: false",
    "dataCollection: {}",
    "dataCollection: { userInfo: false, queryParams: false }",
];

#[test]
#[ignore = "needs the pinned JavaScript SDKs: bash tests/oracle/js/install.sh"]
fn fixed_javascript_configs_are_accepted_by_the_sdk() {
    let mut problems = Vec::new();
    for v in ["10.50.0", "10.78.0", "11.12.0"] {
        let dir = oracle_dir().join("js").join(v);
        need(&dir, "js");
        for body in JS_LEAKY {
            let source = js_case_source("@sentry/browser", body);
            let p = project(
                (
                    "package.json",
                    format!("{{\"name\": \"case\", \"dependencies\": {{\"@sentry/browser\": \"{v}\"}}}}"),
                ),
                "main.ts",
                &source,
            );
            let text = fixed(&p);
            let results = run_oracle(
                Command::new("node")
                    .arg(repo().join("tests/oracle/js/oracle.mjs"))
                    .arg("--sdk")
                    .arg(&dir)
                    .arg("--tsc")
                    .arg(&p.file)
                    .env("ORACLE_DIR", oracle_dir()),
            );
            let r = &results[0];
            if !r["init_error"].is_null() {
                problems.push(format!(
                    "@sentry/browser {v}: `{body}` fixed to\n{text}\nfails {}",
                    r["init_error"]
                ));
                continue;
            }
            // Asked for with `--tsc`: an answer without it would pass unchecked.
            let tsc: Vec<String> = r["tsc"]
                .as_array()
                .unwrap_or_else(|| {
                    panic!("the oracle did not type-check {}: {r}", p.file.display())
                })
                .iter()
                .map(|d| format!("TS{} {}", d["code"], d["message"]))
                .collect();
            if !tsc.is_empty() {
                problems.push(format!(
                    "@sentry/browser {v}: `{body}` fixed to\n{text}\ndoes not type-check: {tsc:?}"
                ));
            }
            let warnings: Vec<&str> = r["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|w| w.as_str())
                .filter(|w| !w.contains("Discarded session"))
                .collect();
            if !warnings.is_empty() {
                problems.push(format!(
                    "@sentry/browser {v}: `{body}` fixed to\n{text}\nwarns {warnings:?}"
                ));
            }
            problems.extend(compare(
                &format!("@sentry/browser {v} fixed `{body}`"),
                r,
                &tool_policy(&p),
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
