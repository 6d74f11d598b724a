//! `scrub-rules`: the generated Advanced Data Scrubbing config and the linter of exported ones.
//!
//! Sentry's own Relay library is the oracle (the tests marked `needs sentry-relay`):
//! `validate_pii_config` must accept every generated config, and `pii_strip_event` must remove every
//! customer field from events shaped like the ones the SDKs send. They need
//! `bash tests/relay/install.sh`; `.ci/run` installs it and runs them with `--include-ignored`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use common::{bin, json_of, write};

const MISSION_FIELDS: [&str; 8] = [
    "intake_content",
    "conversation_messages",
    "ticket_data",
    "escalation_package",
    "resolution_note_markdown",
    "escalation_package_markdown",
    "system_prompt_snapshot",
    "pending_task_lane",
];

/// A project folder whose configuration lists these sensitive fields.
fn project(fields: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let list: Vec<String> = fields.iter().map(|f| Value::from(*f).to_string()).collect();
    write(
        dir.path(),
        "sentry-privacy-audit.toml",
        format!("sensitive_fields = [{}]\n", list.join(", ")),
    );
    dir
}

fn scrub_rules(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .arg("scrub-rules")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn generates_one_removal_per_field_from_the_nearest_configuration() {
    let dir = project(&["ticket_data", "x-api-key"]);
    let sub = dir.path().join("backend/app");
    std::fs::create_dir_all(&sub).unwrap();
    let out = scrub_rules(&sub, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        json_of(&out),
        json!({
            "rules": {
                "0": {"type": "anything", "redaction": {"method": "remove"}},
                "1": {"type": "anything", "redaction": {"method": "remove"}},
            },
            "applications": {"ticket_data": ["0"], "'x-api-key'": ["1"]},
        })
    );
    // Deterministic: byte for byte the same on a second run.
    assert_eq!(scrub_rules(&sub, &[]).stdout, out.stdout);
}

#[test]
fn api_format_carries_the_config_as_a_string() {
    let dir = project(&["ticket_data"]);
    let out = scrub_rules(
        dir.path(),
        &[
            "--format",
            "api",
            "--remove-ip",
            "--replace-email",
            "--replace-credit-card",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let body = json_of(&out);
    assert_eq!(body["scrubIPAddresses"], json!(true));
    let config: Value = serde_json::from_str(body["relayPiiConfig"].as_str().unwrap()).unwrap();
    assert_eq!(
        config["applications"],
        json!({
            "ticket_data": ["0"],
            "$user.ip_address || $http.env.REMOTE_ADDR": ["1"],
            "$user.geo.**": ["2"],
            "$string": ["3", "4", "5"],
        })
    );
    assert_eq!(config["rules"]["4"]["type"], "email");
    assert_eq!(config["rules"]["5"]["type"], "creditcard");
}

#[test]
fn no_fields_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sentry-privacy-audit.toml", "");
    let out = scrub_rules(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no sensitive_fields"), "{err}");
    assert!(out.stdout.is_empty());
    // With a flag there is something to generate.
    assert_eq!(
        scrub_rules(dir.path(), &["--remove-ip"]).status.code(),
        Some(0)
    );
}

#[test]
fn check_reports_problems_with_their_place_and_exits_1() {
    let dir = project(&["ticket_data", "intake_content"]);
    write(
        dir.path(),
        "exported.json",
        r#"{"relayPiiConfig": "{\"rules\":{\"0\":{\"type\":\"anything\",\"redaction\":{\"method\":\"remov\"}}},\"applications\":{\"ticket_data\":[\"0\"],\"intake_content\":[\"1\"]}}"}"#,
    );
    let out = scrub_rules(dir.path(), &["--check", "exported.json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "exported.json: error: relayPiiConfig:rules[\"0\"].redaction.method: unknown redaction method `remov` (did you mean `remove`?)",
        "exported.json: error: relayPiiConfig:applications.intake_content[0]: refers to the rule `1`, which is not defined",
        "exported.json: error: relayPiiConfig:applications: `ticket_data` (sensitive_fields) is not removed",
        "exported.json: error: relayPiiConfig:applications: `intake_content` (sensitive_fields) is not removed",
        "4 errors, 0 warnings in exported.json",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn check_accepts_what_it_generates() {
    let dir = project(&MISSION_FIELDS);
    let out = scrub_rules(dir.path(), &["--format", "api", "--remove-ip"]);
    write(dir.path(), "generated.json", &out.stdout);
    let out = scrub_rules(dir.path(), &["--check", "generated.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0 errors, 0 warnings in generated.json\n"
    );
}

#[test]
fn check_bad_input_names_the_file() {
    let dir = project(&["ticket_data"]);
    write(dir.path(), "broken.json", "{\n  \"rules\": {\n");
    let out = scrub_rules(dir.path(), &["--check", "broken.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("broken.json:3:1: error: not valid JSON: EOF while parsing"),
        "{text}"
    );
    write(dir.path(), "binary.json", b"\xff\xfe\x00\x01");
    let out = scrub_rules(dir.path(), &["--check", "binary.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary.json: not UTF-8 text"));
    let out = scrub_rules(dir.path(), &["--check", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json: cannot be read"));
}

// ---- Relay, the oracle ----

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder `tests/relay/install.sh` installs the pinned sentry-relay into.
fn relay_dir() -> PathBuf {
    let script = std::fs::read_to_string(repo().join("tests/relay/install.sh")).unwrap();
    let version = script
        .lines()
        .find_map(|l| l.strip_prefix("RELAY=sentry-relay=="))
        .expect("install.sh pins sentry-relay")
        .trim()
        .to_string();
    let root = std::env::var_os("RELAY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/relay"));
    let dir = root.join(version);
    assert!(
        dir.join(".complete").is_file(),
        "sentry-relay is not installed in {}: run bash tests/relay/install.sh",
        dir.display()
    );
    dir
}

/// Relay's answer for a config (as text) and events: (validation error, stripped events).
fn relay(config: &str, events: &[Value]) -> (Option<String>, Vec<Value>) {
    let mut child = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .args(["-I", "-S"])
        .arg(repo().join("tests/relay/relay.py"))
        .arg(relay_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let request = json!({"config": config, "events": events});
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "relay.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        answer["error"].as_str().map(str::to_string),
        answer["events"].as_array().unwrap().clone(),
    )
}

fn fixture_events() -> Vec<Value> {
    ["python-error.json", "node-error.json"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(repo().join("fixtures/events").join(f)).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}

/// Every string in the event outside `_meta` (which holds only rule names and lengths), with its
/// path.
fn strings(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if path.is_empty() && k == "_meta" {
                    continue;
                }
                strings(item, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
#[ignore = "needs sentry-relay (bash tests/relay/install.sh)"]
fn relay_accepts_every_generated_config_and_strips_every_customer_field() {
    let mut fields: Vec<&str> = MISSION_FIELDS.to_vec();
    fields.extend(["x-api-key", "it's", "Ticket Data"]);
    let dir = project(&fields);
    let events = fixture_events();
    let flag_sets: [&[&str]; 5] = [
        &[],
        &["--remove-ip"],
        &["--replace-email"],
        &["--replace-credit-card"],
        &["--remove-ip", "--replace-email", "--replace-credit-card"],
    ];
    for flags in flag_sets {
        for format in ["json", "api"] {
            let mut args = vec!["--format", format];
            args.extend_from_slice(flags);
            let out = scrub_rules(dir.path(), &args);
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            let doc = json_of(&out);
            let config = match format {
                "api" => doc["relayPiiConfig"].as_str().unwrap().to_string(),
                _ => doc.to_string(),
            };
            let (error, stripped) = relay(&config, &events);
            assert_eq!(error, None, "Relay rejects the config of {args:?}");
            for (i, event) in stripped.iter().enumerate() {
                let mut all = Vec::new();
                strings(event, "", &mut all);
                let left: Vec<_> = all.iter().filter(|(_, s)| s.contains("CUSTOMER")).collect();
                assert!(
                    left.is_empty(),
                    "{args:?}: customer data left in event {i}: {left:#?}"
                );
                // Data that is not a customer field stays.
                assert!(all.iter().any(|(p, _)| p == ".exception.values[0].type"));
                if flags.contains(&"--remove-ip") {
                    assert_eq!(event["user"]["ip_address"], Value::Null, "{args:?}");
                    let ips: Vec<_> = all
                        .iter()
                        .filter(|(_, s)| s.contains("203.0.113.") || s.contains("198.51.100."))
                        .collect();
                    assert!(ips.is_empty(), "{args:?}: IP addresses left: {ips:#?}");
                }
                if flags.contains(&"--replace-email") && i == 0 {
                    assert_eq!(event["user"]["email"], "[email]", "{args:?}");
                }
            }
        }
    }
}

#[test]
#[ignore = "needs sentry-relay (bash tests/relay/install.sh)"]
fn relay_removes_geo_and_replaces_cards_and_emails_in_strings() {
    let dir = project(&["ticket_data"]);
    let out = scrub_rules(
        dir.path(),
        &["--remove-ip", "--replace-email", "--replace-credit-card"],
    );
    let event = json!({
        "message": "refund to 4111 1111 1111 1111 for dana@customer.example from 203.0.113.7",
        "user": {"ip_address": "203.0.113.7", "geo": {"country_code": "DE", "city": "Berlin", "region": "Berlin"}},
        "extra": {"note": "card 5500-0000-0000-0004"},
    });
    let (error, stripped) = relay(&String::from_utf8_lossy(&out.stdout), &[event]);
    assert_eq!(error, None);
    let e = &stripped[0];
    assert_eq!(
        e["logentry"]["formatted"],
        "refund to [creditcard] for [email] from [ip]"
    );
    assert_eq!(e["extra"]["note"], "card [creditcard]");
    for key in ["country_code", "city", "region"] {
        assert_eq!(e["user"]["geo"][key], Value::Null, "geo.{key}");
    }
}

#[test]
#[ignore = "needs sentry-relay (bash tests/relay/install.sh)"]
fn the_linter_catches_what_relay_accepts_silently() {
    // Relay's validation accepts an unknown method, a dangling rule id and a misspelt top-level
    // key; the linter reports each.
    let dir = project(&["ticket_data"]);
    let config = r#"{"rules":{"0":{"type":"anything","redaction":{"method":"remov"}}},"applications":{"ticket_data":["0","1"]},"aplications":{}}"#;
    let (error, stripped) = relay(config, &[json!({"extra": {"ticket_data": "CUSTOMER"}})]);
    assert_eq!(error, None);
    // The misspelt method does not remove the field as planned.
    assert_ne!(stripped[0]["extra"]["ticket_data"], Value::Null);
    write(dir.path(), "exported.json", config);
    let out = scrub_rules(dir.path(), &["--check", "exported.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unknown redaction method `remov`"), "{text}");
    assert!(text.contains("refers to the rule `1`"), "{text}");
    assert!(text.contains("unknown key `aplications`"), "{text}");
    // And Relay rejects an unknown type, as the linter does.
    let (error, _) = relay(
        r#"{"rules":{"0":{"type":"anythin"}},"applications":{"x":["0"]}}"#,
        &[],
    );
    assert!(error.unwrap().contains("unknown variant `anythin`"));
}

#[test]
#[ignore = "needs sentry-relay (bash tests/relay/install.sh)"]
fn every_builtin_rule_the_linter_knows_is_known_to_relay() {
    // A built-in rule Relay does not know would be skipped and leave the event as it is.
    let event = json!({"extra": {
        "password": "hunter2",
        "ip": "10.1.2.3",
        "imei": "356938035643809",
        "mac": "4a:00:04:10:9b:50",
        "uuid": "ceee0822-ed8f-4622-b2a3-789e73e75cd1",
        "email": "dana@customer.example",
        "iban": "DE89370400440532013000",
        "card": "4111111111111111",
        "pem": "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAq7BFUpkGp3+LQmlQ\n-----END PRIVATE KEY-----",
        "url": "https://dana:s3cret@example.com/path",
        "ssn": "078-05-1120",
        "path": "/Users/dana/projects/helpdesk",
    }});
    let families = [
        "common",
        "anything",
        "ip",
        "imei",
        "mac",
        "uuid",
        "email",
        "iban",
        "creditcard",
        "pemkey",
        "urlauth",
        "usssn",
        "userpath",
        "password",
    ];
    let methods = ["", "remove", "replace", "hash", "mask", "filter", "legacy"];
    let mut checked = 0;
    for family in families {
        for method in methods {
            let id = if method.is_empty() {
                format!("@{family}")
            } else {
                format!("@{family}:{method}")
            };
            if !sentry_privacy_audit::evidence::scrub_rules::is_builtin(&id) {
                continue;
            }
            let config = json!({"applications": {"$string": [id]}}).to_string();
            let (error, stripped) = relay(&config, std::slice::from_ref(&event));
            assert_eq!(error, None, "{id}");
            let mut out = stripped[0].clone();
            out.as_object_mut().unwrap().remove("_meta");
            assert_ne!(out, event, "Relay does not apply {id}");
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
}

#[test]
#[ignore = "needs sentry-relay (bash tests/relay/install.sh)"]
fn events_relay_scrubbed_with_the_rules_pass_audit_events() {
    let dir = project(&MISSION_FIELDS);
    let out = scrub_rules(dir.path(), &[]);
    let (error, stripped) = relay(&String::from_utf8_lossy(&out.stdout), &fixture_events());
    assert_eq!(error, None);
    for (i, event) in stripped.iter().enumerate() {
        write(dir.path(), &format!("events/{i}.json"), event.to_string());
    }
    let audit = |path: &Path| {
        let out = bin()
            .current_dir(dir.path())
            .args(["audit-events", "--output-format", "json"])
            .arg(path)
            .output()
            .unwrap();
        json_of(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    // The fixtures themselves hold every customer field; the stripped events none.
    let raw = audit(&repo().join("fixtures/events/python-error.json"));
    assert!(
        raw.iter().filter(|c| *c == "SPA301").count() > 10,
        "{raw:?}"
    );
    let after = audit(Path::new("events"));
    assert!(!after.iter().any(|c| c == "SPA301"), "{after:?}");
}
