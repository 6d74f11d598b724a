//! Per-rule fixtures for the JavaScript/TypeScript rules: SPA101–SPA105, SPA201 and the JavaScript
//! side of SPA000. Each fixture folder under `fixtures/rules/` annotates its expected findings.

mod common;

use common::message_at;

#[test]
fn spa101() {
    let report = common::assert_annotated("SPA101", &["SPA101"]);
    let env = message_at(&report, "SPA101", "src/app/defaults-fn.ts", 9);
    assert!(env.contains("`VITE_REPLAY_MASK`"), "{env}");
    let spread = message_at(&report, "SPA101", "src/app/spread.ts", 10);
    assert!(spread.contains("`...replayDefaults`"), "{spread}");
    let conditional = message_at(&report, "SPA101", "src/app/options-const.ts", 5);
    assert!(
        conditional.contains("`import.meta.env.DEV`"),
        "{conditional}"
    );
}

#[test]
fn spa101_spread_warns_for_every_switch() {
    let report = common::run("SPA101");
    for code in ["SPA101", "SPA102", "SPA103"] {
        let message = message_at(&report, code, "src/app/spread.ts", 10);
        assert!(message.contains("`...replayDefaults`"), "{code}: {message}");
    }
}

#[test]
fn spa102() {
    common::assert_annotated("SPA102", &["SPA102"]);
}

#[test]
fn spa103() {
    common::assert_annotated("SPA103", &["SPA103"]);
}

#[test]
fn spa104() {
    let report = common::assert_annotated("SPA104", &["SPA104"]);
    let literal = message_at(&report, "SPA104", "src/instrument.ts", 8);
    assert!(literal.contains("50% of sessions"), "{literal}");
    assert!(literal.contains("`maskAllText` off"), "{literal}");
    assert!(
        literal.contains("`replaysOnErrorSampleRate` 1.0"),
        "{literal}"
    );
    let conditional = message_at(&report, "SPA104", "src/sentry.client.config.ts", 11);
    assert!(
        conditional.contains("0.2 in production (20% of sessions"),
        "{conditional}"
    );
    assert!(
        conditional.contains("`replaysOnErrorSampleRate` is not set"),
        "{conditional}"
    );
    let env = message_at(&report, "SPA104", "src/sentry.client.config.ts", 21);
    assert!(env.contains("`NEXT_PUBLIC_REPLAY_RATE`"), "{env}");
    assert!(env.contains("25% of sessions with an error"), "{env}");
}

#[test]
fn spa104_max_session_sample_rate() {
    let report = common::assert_annotated("SPA104-max", &["SPA104"]);
    let message = message_at(&report, "SPA104", "src/instrument.tsx", 17);
    assert!(message.contains("10% of sessions"), "{message}");
    assert!(message.contains("`blockAllMedia` off"), "{message}");
}

#[test]
fn spa105() {
    let report = common::assert_annotated("SPA105", &["SPA105"]);
    // A 10.x Node server sends the request's cookies and headers whatever `sendDefaultPii` says.
    let node = message_at(&report, "SPA105", "src/server/instrument.js", 4);
    assert!(node.contains("whatever `sendDefaultPii` says"), "{node}");
    let env = message_at(&report, "SPA105", "src/instrument.ts", 11);
    assert!(env.contains("`VITE_SENTRY_SEND_PII`"), "{env}");
    // 11.x: the default collects; the message names the version and the lockfile-free range.
    let v11 = message_at(&report, "SPA105", "v11/defaults.ts", 4);
    assert!(v11.contains("@sentry/browser 11.9.0–11.12.0"), "{v11}");
    assert!(
        v11.contains("`dataCollection.userInfo` is not set"),
        "{v11}"
    );
    let wizard = message_at(&report, "SPA105", "v10.57/sentry.ts", 6);
    assert!(wizard.contains("@sentry/vue 10.57.0"), "{wizard}");
    let relay = message_at(&report, "SPA105", "v8/main.tsx", 4);
    assert!(relay.contains("Sentry infers the IP address"), "{relay}");
    let spread = message_at(&report, "SPA105", "src/shared.tsx", 7);
    assert!(spread.contains("`...sharedSentryOptions`"), "{spread}");
}

#[test]
fn spa201() {
    let report = common::assert_annotated("SPA201", &["SPA201"]);
    let message = message_at(&report, "SPA201", "src/routes/tickets/TicketDetail.tsx", 21);
    assert!(message.contains("`<div>`"), "{message}");
    assert!(message.contains("`TicketDetail`"), "{message}");
    assert!(message.contains("src/instrument.ts:8"), "{message}");
    let fragment = message_at(&report, "SPA201", "src/routes/chat/ChatComposer.tsx", 7);
    assert!(fragment.contains("fragment"), "{fragment}");
}

#[test]
fn spa201_replay_masked() {
    let report = common::assert_annotated("SPA201-masked", &["SPA201"]);
    // The route's roots were read; they pass because replay masks text.
    assert!(report.models.iter().any(|m| !m.jsx_roots.is_empty()));
    assert!(report.findings.iter().all(|f| f.rule.code() != "SPA201"));
}

#[test]
fn spa000_javascript() {
    let report = common::assert_annotated("SPA000-js", &["SPA000", "SPA105"]);
    let message = message_at(&report, "SPA000", "src/instrument.tsx", 4);
    assert!(message.contains("missing `)`"), "{message}");
}

/// A syntax error nested inside a statement that tree-sitter wraps whole in an ERROR node is reported
/// where that ERROR node starts (the `return (` on line 4), not at the error itself (line 6).
#[test]
fn spa000_javascript_nested_error_line() {
    use sentry_privacy_audit::check::{check, CheckRequest};
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sentry-privacy-audit.toml");
    std::fs::write(&config, "# defaults\n").unwrap();
    std::fs::write(
        dir.path().join("fallback.tsx"),
        r#"import * as Sentry from "@sentry/react";

export function ErrorFallback({ error }: { error: Error }) {
  return (
    <Sentry.ErrorBoundary>
      <p>Something went wrong: {error.message</p>
    </Sentry.ErrorBoundary>
  );
}
"#,
    )
    .unwrap();
    let report = check(&CheckRequest {
        paths: vec![dir.path().to_path_buf()],
        config: Some(config),
        exclude: vec![],
        ..Default::default()
    })
    .unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule.code() == "SPA000")
        .expect("a parse error");
    let line = report.files[finding.file]
        .line_col(finding.range.start)
        .line;
    assert_eq!(line, 6);
}
