//! One fixture per SDK version boundary (`fixtures/versions/<boundary>/{before,after}/`): the same
//! init pinned to the last release before the boundary and the first after it. The findings and
//! the policy are compared in both formats (text and JSON), and each boundary's change is asserted.

mod common;

use common::{bin, json_of};
use serde_json::{json, Value};

fn run(format: &str) -> std::process::Output {
    bin()
        .args([
            "check",
            "fixtures/versions",
            "--config",
            "fixtures/versions/sentry-privacy-audit.toml",
            "--no-color",
            "--output-format",
            format,
        ])
        .output()
        .unwrap()
}

/// Per init: the releases judged, what each category does, the options ignored, and the codes
/// found in its file.
fn digest(doc: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for init in doc["inits"].as_array().unwrap() {
        let path = init["path"]
            .as_str()
            .unwrap()
            .replace("fixtures/versions/", "");
        let collects: serde_json::Map<String, Value> = init["collects"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| !k.starts_with("replay_"))
            .map(|(k, v)| (k.clone(), v["state"].clone()))
            .collect();
        let codes: Vec<Value> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == init["path"])
            .map(|f| {
                json!(format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                ))
            })
            .collect();
        out.insert(
            path,
            json!({
                "judged": init["judged"],
                "collects": collects,
                "ignored": init["ignored"].as_array().unwrap().iter().map(|i| json!(format!("{} ({})", i["option"].as_str().unwrap(), i["kind"].as_str().unwrap()))).collect::<Vec<_>>(),
                "findings": codes,
            }),
        );
    }
    Value::Object(out)
}

#[test]
fn boundaries_in_json() {
    let out = run("json");
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    let d = digest(&doc);
    let state = |path: &str, c: &str| d[path]["collects"][c].as_str().unwrap().to_string();
    let ignored = |path: &str| d[path]["ignored"].as_array().unwrap().len();
    // 10.54: `dataCollection` exists.
    assert_eq!(ignored("js-10.54/before/main.ts"), 1);
    assert_eq!(ignored("js-10.54/after/main.ts"), 0);
    // 10.57: an empty `dataCollection` turns user info on.
    assert_eq!(state("js-10.57/before/main.ts", "user_info"), "off");
    assert_eq!(state("js-10.57/after/main.ts", "user_info"), "collected");
    // 10.67: `urlQueryParams` is read.
    assert_eq!(ignored("js-10.67/before/main.ts"), 1);
    assert_eq!(ignored("js-10.67/after/main.ts"), 0);
    // 10.75: a flat `httpHeaders` is read.
    assert_eq!(state("js-10.75/before/main.ts", "http_headers"), "filtered");
    assert_eq!(state("js-10.75/after/main.ts", "http_headers"), "off");
    // 11.0: `sendDefaultPii` is gone and user info is on by default.
    assert_eq!(state("js-11.0/before/main.ts", "user_info"), "off");
    assert_eq!(state("js-11.0/after/main.ts", "user_info"), "collected");
    // 2.0: the 1.x names raise.
    assert_eq!(state("py-2.0/before/app.py", "request_bodies"), "off");
    assert_eq!(ignored("py-2.0/after/app.py"), 2);
    // 2.65: the experiment is accepted but nothing reads it (before: it does not exist).
    assert_eq!(ignored("py-2.65/before/app.py"), 1);
    assert_eq!(ignored("py-2.65/after/app.py"), 1);
    // 2.67: the experiment works, and the scrubber is discarded.
    assert_eq!(state("py-2.67/before/app.py", "graphql_document"), "off");
    assert_eq!(
        state("py-2.67/after/app.py", "graphql_document"),
        "collected"
    );
    assert!(d["py-2.67/after/app.py"]["ignored"][0]
        .as_str()
        .unwrap()
        .starts_with("event_scrubber"));
    // 2.69: `stack_frame_variables` is read.
    assert_eq!(
        state("py-2.69/before/app.py", "frame_variables"),
        "collected"
    );
    assert_eq!(state("py-2.69/after/app.py", "frame_variables"), "off");
    // 2.70: `data_collection` at the top level.
    assert_eq!(ignored("py-2.70/before/app.py"), 1);
    assert_eq!(state("py-2.70/after/app.py", "frame_variables"), "off");
    // 2.72: `send_default_pii` is deprecated: its fix removes it.
    let fix_of = |path: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == format!("fixtures/versions/{path}") && f["code"] == "SPA001")
            .unwrap()["fix"]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        fix_of("py-2.72/before/app.py"),
        "set `send_default_pii` to `False`"
    );
    assert_eq!(
        fix_of("py-2.72/after/app.py"),
        "remove `send_default_pii` (deprecated; off by default)"
    );
    // 3.0: the legacy options raise and data collection is always on.
    assert_eq!(state("py-3.0b/before/app.py", "user_info"), "off");
    assert_eq!(state("py-3.0b/after/app.py", "user_info"), "collected");
    insta::assert_json_snapshot!("versions_digest", d);
}

#[test]
fn boundaries_in_text() {
    let out = run("text");
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("versions_text", String::from_utf8(out.stdout).unwrap());
}
