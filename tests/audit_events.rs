//! `audit-events`: events, envelopes, JSON lines, the API's JSON and replay recordings, plain and
//! compressed; bad input is reported and the run goes on.

mod common;

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use common::{bin, json_of, write};

const CONFIG: &str = "fixtures/events/sentry-privacy-audit.toml";

fn audit(paths: &[&Path]) -> std::process::Output {
    bin()
        .args([
            "audit-events",
            "--output-format",
            "json",
            "--config",
            CONFIG,
        ])
        .args(paths)
        .output()
        .unwrap()
}

/// `(code, path, line, json_path)` of every finding.
fn rows(doc: &Value) -> Vec<(String, String, u64, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["json_path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(rows: &[(String, String, u64, String)], code: &str, line: u64, json_path: &str) -> bool {
    rows.iter()
        .any(|r| r.0 == code && r.2 == line && r.3 == json_path)
}

#[test]
fn sdk_events_every_customer_field_body_vars_and_personal_data() {
    let out = audit(&[Path::new("fixtures/events/python-error.json")]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    let r = rows(&doc);
    for (code, line, path) in [
        ("SPA302", 10, "user.ip_address"),
        ("SPA302", 10, "user.email"),
        ("SPA301", 10, "user.data.ticket_data"),
        ("SPA301", 14, "request.query_string"),
        ("SPA302", 15, "request.headers[\"X-Forwarded-For\"]"),
        ("SPA303", 15, "request.headers[\"X-Api-Key\"]"),
        ("SPA303", 16, "request.cookies.session"),
        ("SPA301", 16, "request.cookies.ticket_data"),
        ("SPA302", 17, "request.env.REMOTE_ADDR"),
        ("SPA304", 18, "request.data"),
        ("SPA301", 19, "request.data.intake_content"),
        ("SPA301", 20, "request.data.conversation_messages"),
        (
            "SPA301",
            22,
            "request.data.attachments[0].escalation_package_markdown",
        ),
        (
            "SPA305",
            36,
            "exception.values[0].stacktrace.frames[0].vars",
        ),
        (
            "SPA301",
            36,
            "exception.values[0].stacktrace.frames[0].vars.ticket_data",
        ),
        (
            "SPA301",
            41,
            "exception.values[0].stacktrace.frames[1].vars.escalation_package",
        ),
        (
            "SPA301",
            42,
            "exception.values[0].stacktrace.frames[1].vars.context.system_prompt_snapshot",
        ),
        ("SPA301", 53, "breadcrumbs.values[0].data.ticket_data"),
        ("SPA301", 54, "breadcrumbs.values[1].data.pending_task_lane"),
        ("SPA301", 58, "extra.resolution_note_markdown"),
        ("SPA301", 59, "extra.batch[0][0].ticket_data"),
        ("SPA301", 65, "contexts.app.intake_content"),
        ("SPA301", 66, "contexts.flowpilot.conversation_messages"),
        ("SPA301", 67, "contexts.trace.data.system_prompt_snapshot"),
        ("SPA301", 69, "tags.ticket_data"),
    ] {
        assert!(
            has(&r, code, line, path),
            "missing {code} {line} {path} in {r:#?}"
        );
    }
    // The second frame's vars are the same finding at the same path shape: counted, not repeated.
    let vars: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SPA305")
        .collect();
    assert_eq!(vars.len(), 1);
    assert!(vars[0]["message"].as_str().unwrap().contains("1 more"));
    // Values are never repeated in the output.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("CUSTOMER"), "a value leaked into the report");
    assert!(!text.contains("dana@customer.example"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Read 1 event (1 error event) and 0 replay segments from 1 file."),
        "{err}"
    );
}

#[test]
fn api_json_entries_context_and_tags_as_lists() {
    let out = audit(&[Path::new("fixtures/events/api-event.json")]);
    assert_eq!(out.status.code(), Some(1));
    let r = rows(&json_of(&out));
    for (code, path) in [
        ("SPA302", "message"),
        (
            "SPA305",
            "entries[0].data.values[0].stacktrace.frames[0].vars",
        ),
        (
            "SPA301",
            "entries[0].data.values[0].stacktrace.frames[0].vars.ticket_data",
        ),
        ("SPA301", "entries[1].data.values[0].data.ticket_data"),
        ("SPA304", "entries[2].data.data"),
        ("SPA301", "entries[2].data.data.intake_content"),
        ("SPA302", "entries[2].data.headers[0][1]"),
        ("SPA303", "entries[2].data.headers[1][1]"),
        ("SPA302", "entries[2].data.env.REMOTE_ADDR"),
        ("SPA301", "context.conversation_messages"),
        ("SPA301", "contexts.flowpilot.pending_task_lane"),
        ("SPA301", "tags[0].value"),
        ("SPA302", "user.email"),
        ("SPA302", "user.ip_address"),
    ] {
        assert!(
            r.iter().any(|x| x.0 == code && x.3 == path),
            "missing {code} {path} in {r:#?}"
        );
    }
    // A card number and an SSN in the same message are two findings.
    assert_eq!(r.iter().filter(|x| x.3 == "message").count(), 2);
    // The filtered cookie is not a finding.
    assert!(!r.iter().any(|x| x.3.contains("cookies")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(1 error event)"), "{err}");
}

#[test]
fn json_lines_report_each_line_and_go_on_after_a_broken_one() {
    let out = audit(&[Path::new("fixtures/events/events.jsonl")]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json_of(&out);
    let r = rows(&doc);
    assert!(has(&r, "SPA301", 2, "extra.ticket_data"), "{r:#?}");
    assert!(has(&r, "SPA300", 3, ""), "{r:#?}");
    // Line 4 repeats line 2's finding: counted in the message.
    let msg = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SPA301")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("1 more"), "{msg}");
    // Line 1 is scrubbed: nothing there.
    assert!(!r.iter().any(|x| x.2 == 1), "{r:#?}");
}

#[test]
fn a_clean_folder_passes() {
    let out = bin()
        .args(["audit-events", "--config", CONFIG, "fixtures/events/clean"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0 findings"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Read 2 events (1 error event) and 0 replay segments from 1 file."),
        "{err}"
    );
}

/// An envelope as the browser SDK sends a replay: a replay_event item and a replay_recording item
/// whose payload is `{"segment_id":N}` and the zlib-compressed rrweb events.
fn replay_envelope(recording: &Value, compress: &str) -> Vec<u8> {
    let events = serde_json::to_vec(recording).unwrap();
    let body = match compress {
        "zlib" => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&events).unwrap();
            e.finish().unwrap()
        }
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&events).unwrap();
            e.finish().unwrap()
        }
        _ => events,
    };
    let mut payload = b"{\"segment_id\":3}\n".to_vec();
    payload.extend_from_slice(&body);
    let replay_event = json!({"type": "replay_event", "replay_id": "a", "segment_id": 3,
        "urls": ["https://app.helpdesk.example/tickets/881"], "user": {"ip_address": "{{auto}}"}})
    .to_string();
    let mut env = b"{\"event_id\":\"a\",\"sent_at\":\"2026-11-30T10:15:02Z\"}\n".to_vec();
    env.extend_from_slice(format!("{{\"type\":\"replay_event\"}}\n{replay_event}\n").as_bytes());
    env.extend_from_slice(
        format!(
            "{{\"type\":\"replay_recording\",\"length\":{}}}\n",
            payload.len()
        )
        .as_bytes(),
    );
    env.extend_from_slice(&payload);
    env.push(b'\n');
    env
}

fn recording(masked: bool) -> Value {
    let t = |s: &str| {
        if masked {
            "*".repeat(s.len())
        } else {
            s.to_string()
        }
    };
    json!([
        {"type": 4, "timestamp": 1, "data": {"href": "https://app.helpdesk.example/tickets/881", "width": 800, "height": 600}},
        {"type": 2, "timestamp": 2, "data": {"node": {"type": 0, "id": 1, "childNodes": [
            {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": [
                {"type": 2, "tagName": "style", "id": 3, "attributes": {}, "childNodes": [{"type": 3, "id": 4, "textContent": "h1 { color: red }", "isStyle": true}]},
                {"type": 2, "tagName": "h1", "id": 5, "attributes": {}, "childNodes": [{"type": 3, "id": 6, "textContent": t("Printer on floor 3")}]},
                {"type": 2, "tagName": "textarea", "id": 7, "attributes": {"value": t("It still shows 0x45")}},
                if masked {
                    json!({"type": 2, "tagName": "img", "id": 8, "attributes": {"rr_width": "300px", "rr_height": "200px"}})
                } else {
                    json!({"type": 2, "tagName": "img", "id": 8, "attributes": {"src": "https://files.helpdesk.example/upload/screenshot.png"}})
                }
            ]}]}}},
        {"type": 3, "timestamp": 3, "data": {"source": 5, "id": 7, "text": t("It still shows 0x45, help")}},
        {"type": 5, "timestamp": 4, "data": {"tag": "breadcrumb", "payload": {"category": "ui.click", "message": "body > textarea", "data": {"ticket_data": t("draft")}}}}
    ])
}

#[test]
fn replay_recordings_compressed_as_the_sdk_sends_them() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["zlib", "gzip", "plain"] {
        let path = dir.path().join(format!("replay-{kind}.envelope"));
        std::fs::write(&path, replay_envelope(&recording(false), kind)).unwrap();
        let out = audit(&[&path]);
        assert_eq!(out.status.code(), Some(1), "{kind}: {out:?}");
        let doc = json_of(&out);
        let r = rows(&doc);
        let text = |code: &str| {
            doc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == code)
                .unwrap_or_else(|| panic!("{kind}: no {code} in {r:#?}"))["message"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert!(
            text("SPA311").starts_with("Session Replay segment 3 records 1 text node and 2 input values that are not masked (first at `[1].data.node.childNodes[0].childNodes[1].childNodes[0].textContent`)"),
            "{kind}: {}", text("SPA311")
        );
        assert!(text("SPA312").contains("1 image or media element that is not blocked (first: <img> at `[1].data.node.childNodes[0].childNodes[3].attributes.src`)"), "{kind}");
        assert!(
            r.iter()
                .any(|x| x.0 == "SPA301" && x.3 == "[3].data.payload.data.ticket_data"),
            "{kind}: {r:#?}"
        );
        assert!(
            r.iter()
                .any(|x| x.0 == "SPA302" && x.3 == "user.ip_address" && x.2 == 3),
            "{kind}: {r:#?}"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("and 1 replay segment"), "{kind}: {err}");
    }
    // Masked and blocked, the same recording passes (the replay_event's {{auto}} aside).
    let path = dir.path().join("masked.envelope");
    std::fs::write(&path, replay_envelope(&recording(true), "zlib")).unwrap();
    let r = rows(&json_of(&audit(&[&path])));
    assert_eq!(
        r.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        vec!["SPA302"],
        "{r:#?}"
    );
}

#[test]
fn standalone_recordings_and_api_segment_lists() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("segment.rrweb.json");
    std::fs::write(
        &plain,
        serde_json::to_vec_pretty(&recording(false)).unwrap(),
    )
    .unwrap();
    let segments = dir.path().join("segments.json");
    std::fs::write(
        &segments,
        serde_json::to_vec(&json!([recording(true), recording(false)])).unwrap(),
    )
    .unwrap();
    let compressed = dir.path().join("segment.rrweb.zz");
    let mut inner = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    inner
        .write_all(&serde_json::to_vec(&recording(false)).unwrap())
        .unwrap();
    // The payload as the SDK sends it: a plain header line, then the compressed events.
    let mut payload = b"{\"segment_id\":0}\n".to_vec();
    payload.extend_from_slice(&inner.finish().unwrap());
    std::fs::write(&compressed, payload).unwrap();
    let out = audit(&[&plain, &segments, &compressed]);
    let doc = json_of(&out);
    let msgs: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SPA311")
        .map(|f| {
            (
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    for (file, start) in [
        ("segment.rrweb.json", "Session Replay recording records"),
        // The first segment of the list is masked.
        ("segments.json", "Session Replay segment 1 records"),
        ("segment.rrweb.zz", "Session Replay segment 0 records"),
    ] {
        assert!(
            msgs.iter().any(|(f, m)| f == file && m.starts_with(start)),
            "{file}: {msgs:#?}"
        );
    }
}

#[test]
fn bad_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A pretty-printed event cut in the middle: what was read before the cut is still judged.
    let full = std::fs::read_to_string("fixtures/events/python-error.json").unwrap();
    write(
        d,
        "truncated.json",
        &full[..full.find("\"breadcrumbs\"").unwrap()],
    );
    write(d, "binary.json", b"\x00\x01\x02\xff garbage");
    let event = br#"{"event_id":"a","level":"error","extra":{"ticket_data":"x"}}"#;
    let mut short = b"{\"event_id\":\"a\"}\n".to_vec();
    short.extend_from_slice(
        format!("{{\"type\":\"event\",\"length\":{}}}\n", event.len() + 50).as_bytes(),
    );
    short.extend_from_slice(event);
    write(d, "short.envelope", &short);
    let mut bad_item = b"{\"event_id\":\"a\"}\n".to_vec();
    bad_item.extend_from_slice(b"{\"type\":\"event\",\"length\":7}\n{\"a\":1,\n");
    bad_item.extend_from_slice(
        format!("{{\"type\":\"event\",\"length\":{}}}\n", event.len()).as_bytes(),
    );
    bad_item.extend_from_slice(event);
    bad_item.push(b'\n');
    write(d, "bad-item.envelope", &bad_item);
    write(d, "bad.json.gz", b"\x1f\x8b\x08\x00garbage");
    let run = |extra: &[&Path]| {
        bin()
            .args([
                "audit-events",
                "--output-format",
                "json",
                "--config",
                CONFIG,
            ])
            .arg(d)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[&d.join("missing.json")]);
    // A path that does not exist is an error of the run.
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let doc = json_of(&out);
    let found: Vec<(String, String, u64, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let one = |file: &str, code: &str, line: u64, text: &str| {
        assert!(
            found
                .iter()
                .any(|f| f.1 == file && f.0 == code && f.2 == line && f.3.contains(text)),
            "missing {file} {code} {line} {text:?} in {found:#?}"
        )
    };
    one(
        "truncated.json",
        "SPA300",
        51,
        "not a complete JSON event: EOF while parsing",
    );
    one("truncated.json", "SPA301", 42, "system_prompt_snapshot");
    one("binary.json", "SPA300", 1, "it starts with byte 0x00");
    one("short.envelope", "SPA300", 3, "shorter than its length");
    one("short.envelope", "SPA301", 3, "extra.ticket_data");
    one(
        "bad-item.envelope",
        "SPA300",
        3,
        "envelope item 1 (`event`) is not a complete JSON event",
    );
    one("bad-item.envelope", "SPA301", 5, "extra.ticket_data");
    one("bad.json.gz", "SPA300", 1, "");
}

#[test]
fn output_formats_point_at_the_file_and_the_json_path() {
    let f = "fixtures/events/events.jsonl";
    let run = |format: &str| {
        let out = bin()
            .args([
                "audit-events",
                "--config",
                CONFIG,
                "--output-format",
                format,
                f,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let github = run("github");
    assert!(
        github.contains("::error file=fixtures/events/events.jsonl,line=2,col=1,endLine=2,endColumn=1,title=SPA301 customer-field-in-event::`extra.ticket_data` holds the customer field `ticket_data`, not scrubbed"),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "extra.ticket_data"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let junit = run("junit");
    assert!(
        junit.contains("fixtures/events/events.jsonl:2:1: error: `extra.ticket_data`"),
        "{junit}"
    );
    let text = run("text");
    assert!(
        text.contains(
            "fixtures/events/events.jsonl:2:1: `extra.ticket_data` holds the customer field"
        ),
        "{text}"
    );
    assert!(text.contains("SPA301 customer-field-in-event"), "{text}");
}
