//! `report`: AC1–AC5 from the check, the scrub rules and the event audit, as Markdown (with
//! `--update` of the verification document) and as one HTML page, which a real headless Chromium
//! loads from disk (the test marked `needs chromium`: `apt-get install chromium`; `.ci/run`
//! installs it and runs the test with `--include-ignored`).

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use common::{bin, write};

fn report(args: &[&str]) -> std::process::Output {
    bin().arg("report").args(args).output().unwrap()
}

/// `(criterion, status)` of the Markdown table.
fn table(out: &std::process::Output) -> Vec<(String, String)> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("| AC"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            (cells[0][2..5].to_string(), cells[1].to_string())
        })
        .collect()
}

fn row(id: &str, status: &str) -> (String, String) {
    (id.to_string(), status.to_string())
}

#[test]
fn the_leaky_app_fails_with_the_evidence_and_how_to_check_ac5() {
    let out = report(&["fixtures/resolutionflow"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        table(&out),
        vec![
            row("AC1", "❌ fail"),
            row("AC2", "❌ fail"),
            row("AC3", "❌ fail"),
            row("AC4", "❌ fail"),
            row("AC5", "not checked"),
        ]
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "- `fixtures/resolutionflow/backend/app/main.py:22` `send_default_pii=True`",
        "- `fixtures/resolutionflow/frontend/src/instrument.ts:13` `maskAllText: false`",
        "SPA201 customer-data-route-unmasked",
        "`sentry-privacy-audit capture --out events/ -- <your test or e2e command>`",
        "\"relayPiiConfig\": \"{\\\"rules\\\":{\\\"0\\\":{\\\"type\\\":\\\"anything\\\"",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn the_fixed_app_with_a_clean_event_passes_every_criterion() {
    let out = report(&["fixtures/compliant", "--events", "fixtures/events/clean"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        table(&out),
        ["AC1", "AC2", "AC3", "AC4", "AC5"]
            .map(|id| row(id, "✅ pass"))
            .to_vec()
    );
    // Leaky events make AC5 fail, even for the fixed source.
    let out = report(&[
        "fixtures/compliant",
        "--events",
        "fixtures/events/events.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(table(&out).contains(&row("AC5", "❌ fail")));
    assert!(String::from_utf8_lossy(&out.stdout).contains("SPA301 customer-field-in-event"));
}

#[test]
fn update_rewrites_only_the_sentry_row() {
    let dir = tempfile::tempdir().unwrap();
    let doc = "# Verification\n\n| Area | Status | Evidence |\n| --- | --- | --- |\n| Hosting | ✅ Pass | EU |\n| Sentry (A2) | ⚠️ Warning | send_default_pii=True |\n\nSigned: —\n";
    write(dir.path(), "VERIFICATION.md", doc);
    let path = dir.path().join("VERIFICATION.md");
    let out = report(&[
        "fixtures/compliant",
        "--events",
        "fixtures/events/clean",
        "--update",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let updated = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        updated,
        doc.replace(
            "| Sentry (A2) | ⚠️ Warning | send_default_pii=True |",
            "| Sentry (A2) | ✅ pass | sentry-privacy-audit: AC1 ✅ pass; AC2 ✅ pass; AC3 ✅ pass; AC5 ✅ pass |"
        )
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("(line 6): ✅ pass."));
    // Two Sentry rows: refused, nothing written.
    let two = format!("{doc}| Sentry replays | ⚠️ | x |\n");
    write(dir.path(), "TWO.md", &two);
    let two_path = dir.path().join("TWO.md");
    let out = report(&["fixtures/compliant", "--update", two_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("2 table rows mention Sentry (lines 6, 9); keep one; nothing was written"));
    assert_eq!(std::fs::read_to_string(&two_path).unwrap(), two);
}

#[test]
fn html_is_one_page_with_nothing_from_outside() {
    let out = report(&["fixtures/resolutionflow", "--format", "html"]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    for outside in [
        "<script", "<link", "<img", "<iframe", "src=", "@import", "url(", "http://", "https://",
    ] {
        // The only URLs are in the scrub rules' text and the findings, never loaded.
        if outside.starts_with("http") {
            continue;
        }
        assert!(!page.contains(outside), "{outside}");
    }
    assert!(page.contains("<section class=\"criterion fail\" id=\"ac1\" data-criterion=\"AC1\">"));
    assert!(page.contains("send_default_pii=True"));
}

// ---- headless Chromium ----

/// Chromium, driven over the DevTools protocol.
struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch() -> Browser {
        let exe = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {exe} (apt-get install chromium): {e}"));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("Chromium printed its DevTools address")
                .unwrap();
            if let Some(at) = line.find("ws://") {
                break line[at..].trim().to_string();
            }
        };
        // Keep reading what Chromium prints, so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let (ws, _) = tungstenite::connect(url.as_str()).unwrap();
        let mut b = Browser {
            child,
            ws,
            session: String::new(),
            next: 0,
            _profile: profile,
        };
        let target =
            b.call("Target.createTarget", json!({"url": "about:blank"}))["targetId"].clone();
        let session = b.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        b.session = session;
        b
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = self.session.clone().into();
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let reply = self.ws.read().unwrap();
            let Ok(text) = reply.to_text() else { continue };
            let v: Value = serde_json::from_str(text).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{r}");
        r["result"]["value"].clone()
    }

    fn open(&mut self, path: &Path) {
        let url = format!("file://{}", path.canonicalize().unwrap().display());
        self.call("Page.navigate", json!({"url": url}));
        for _ in 0..100 {
            if self.eval("document.readyState") == "complete"
                && self.eval("location.href") == url.as_str()
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("{url} did not load");
    }

    /// Each criterion's status as a reader sees it: its rendered text, if it is visible.
    fn statuses(&mut self) -> Vec<(String, String)> {
        let v = self.eval(
            r#"JSON.stringify([...document.querySelectorAll("[data-criterion]")].map(s => {
                const st = s.querySelector(".status");
                const r = st.getBoundingClientRect();
                const css = getComputedStyle(st);
                const shown = r.width > 0 && r.height > 0 && css.visibility === "visible" && css.display !== "none" && css.color !== css.backgroundColor;
                return [s.dataset.criterion, shown ? st.innerText : "(hidden)"];
            }))"#,
        );
        serde_json::from_str(v.as_str().unwrap()).unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[ignore = "needs chromium (apt-get install chromium; .ci/run installs it)"]
fn chromium_shows_each_criterion_on_screen_and_in_print() {
    let dir = tempfile::tempdir().unwrap();
    let failing = dir.path().join("failing.html");
    let out = report(&["fixtures/resolutionflow", "--format", "html"]);
    std::fs::write(&failing, &out.stdout).unwrap();
    let passing = dir.path().join("passing.html");
    let out = report(&[
        "fixtures/compliant",
        "--events",
        "fixtures/events/clean",
        "--format",
        "html",
    ]);
    std::fs::write(&passing, &out.stdout).unwrap();
    let mut b = Browser::launch();
    for (page, want) in [
        (
            &failing,
            vec![
                ("AC1", "❌ fail"),
                ("AC2", "❌ fail"),
                ("AC3", "❌ fail"),
                ("AC4", "❌ fail"),
                ("AC5", "not checked"),
            ],
        ),
        (
            &passing,
            ["AC1", "AC2", "AC3", "AC4", "AC5"]
                .map(|id| (id, "✅ pass"))
                .to_vec(),
        ),
    ] {
        b.open(page);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, s)| (a.to_string(), s.to_string()))
            .collect();
        b.call("Emulation.setEmulatedMedia", json!({"media": "screen"}));
        assert_eq!(b.statuses(), want, "{} on screen", page.display());
        // Printed, each status says it in words too (colour may not print).
        b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
        let printed: Vec<(String, String)> = b
            .statuses()
            .into_iter()
            .map(|(id, s)| {
                (
                    id,
                    s.replace(" (pass)", "")
                        .replace(" (fail)", "")
                        .replace(" (warning)", ""),
                )
            })
            .collect();
        assert_eq!(printed, want, "{} printed", page.display());
        // Nothing was fetched: the page is self-contained.
        assert_eq!(
            b.eval("performance.getEntriesByType('resource').length"),
            json!(0),
            "{}",
            page.display()
        );
        // The source snippets are on the page.
        if page == &failing {
            let pre = b.eval("document.querySelector('#ac1 pre').innerText");
            assert!(
                pre.as_str().unwrap().contains("send_default_pii=True"),
                "{pre}"
            );
        }
    }
}

#[test]
fn the_evidence_commands_are_in_help_and_completions() {
    let help = String::from_utf8(bin().arg("--help").output().unwrap().stdout).unwrap();
    for cmd in ["scrub-rules", "audit-events", "capture", "report"] {
        assert!(
            help.contains(&format!("  {cmd} ")),
            "{cmd} in --help:\n{help}"
        );
        let sub = bin().args([cmd, "--help"]).output().unwrap();
        assert_eq!(sub.status.code(), Some(0), "{cmd} --help");
    }
    for shell in ["bash", "zsh", "fish"] {
        let script =
            String::from_utf8(bin().args(["completions", shell]).output().unwrap().stdout).unwrap();
        for cmd in ["scrub-rules", "audit-events", "capture", "report"] {
            assert!(script.contains(cmd), "{cmd} in the {shell} completions");
        }
        assert!(
            script.contains("events") && script.contains("serve"),
            "{shell}"
        );
    }
}
