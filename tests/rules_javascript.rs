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
    // What could not be followed is named.
    assert!(
        spread.contains("`@acme/replay-presets` was not found"),
        "{spread}"
    );
    // An option written in another module of the project is judged, reported at the spread,
    // and says where it is written.
    let imported = message_at(&report, "SPA101", "src/app/imported-spread.ts", 10);
    assert!(
        imported.contains("`false` (in `fixtures/rules/SPA101/src/app/replay-config.ts:5`)"),
        "{imported}"
    );
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
    assert!(
        message.contains("Expected `,` or `)` but found `;`"),
        "{message}"
    );
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

#[test]
fn spa106() {
    let report = common::assert_annotated("SPA106", &["SPA106"]);
    // A catch-all pattern is named, and said to match every request.
    let origin = message_at(&report, "SPA106", "src/app/instrument.ts", 11);
    assert!(origin.contains("`[window.location.origin]`"), "{origin}");
    assert!(origin.contains("matches every request"), "{origin}");
    assert!(origin.contains("ignores `dataCollection`"), "{origin}");
    let empty = message_at(&report, "SPA106", "src/app/options-const.ts", 7);
    assert!(empty.contains("`[\"\"]`"), "{empty}");
    assert!(empty.contains("matches every request"), "{empty}");
    // A pattern limited to one API is named, and not called a catch-all.
    let api = message_at(&report, "SPA106", "src/app/api-only.tsx", 13);
    assert!(api.contains(r"`[/^https:\/\/api\.example\.com/]`"), "{api}");
    assert!(
        api.contains("the bodies of matching requests are recorded"),
        "{api}"
    );
    assert!(!api.contains("matches every request"), "{api}");
    let raw = message_at(&report, "SPA106", "src/app/raw-body.ts", 9);
    assert!(raw.contains("`attachRawBodyFromRequest` is true"), "{raw}");
    // Undecided values name what they depend on.
    let flag = message_at(&report, "SPA106", "src/app/build-flags.ts", 10);
    assert!(
        flag.contains("`import.meta.env.VITE_REPLAY_NETWORK === \"on\"`"),
        "{flag}"
    );
    let imported = message_at(&report, "SPA106", "src/app/build-flags.ts", 21);
    assert!(imported.contains("`NETWORK_DETAIL_URLS`"), "{imported}");
}

#[test]
fn spa107() {
    let report = common::assert_annotated("SPA107", &["SPA107"]);
    let auth = message_at(&report, "SPA107", "src/app/instrument.ts", 11);
    assert!(
        auth.contains("`networkRequestHeaders` lists `Authorization`"),
        "{auth}"
    );
    assert!(auth.contains("every allow-listed request"), "{auth}");
    assert!(!auth.contains("X-Request-Id"), "{auth}");
    let cookie = message_at(&report, "SPA107", "src/app/api-client.ts", 16);
    assert!(
        cookie.contains("`networkResponseHeaders` lists `Set-Cookie`"),
        "{cookie}"
    );
    // The header is named as it is written.
    let csrf = message_at(&report, "SPA107", "src/app/api-client.ts", 12);
    assert!(csrf.contains("`x-csrf-token`"), "{csrf}");
    // Nothing allow-listed yet: a warning that says so.
    let waiting = message_at(&report, "SPA107", "src/admin/not-yet-allowed.ts", 8);
    assert!(waiting.contains("`Authorization`"), "{waiting}");
    assert!(
        waiting.contains("`networkDetailAllowUrls` is empty"),
        "{waiting}"
    );
}

#[test]
fn spa108() {
    let report = common::assert_annotated("SPA108", &["SPA108"]);
    let body = message_at(&report, "SPA108", "src/app/instrument.ts", 10);
    assert!(body.contains("`unmask` lists `body`"), "{body}");
    assert!(body.contains("all the text inside it"), "{body}");
    // The selector is named whole, as written.
    let nested = message_at(&report, "SPA108", "src/app/selectors.ts", 10);
    assert!(nested.contains("`main .ticket-list div`"), "{nested}");
    let media = message_at(&report, "SPA108", "src/app/selectors.ts", 16);
    assert!(media.contains("`unblock` lists `*`"), "{media}");
    assert!(media.contains("all the media inside it"), "{media}");
}

#[test]
fn spa109() {
    let report = common::assert_annotated("SPA109", &["SPA109"]);
    let message = message_at(&report, "SPA109", "src/app/instrument.ts", 9);
    assert!(message.contains("`replayCanvasIntegration`"), "{message}");
    assert!(message.contains("text masking does not apply"), "{message}");
}

/// Valid code that tree-sitter's grammars reject (type arguments before a template literal,
/// `import("m")` types, a bare `&` in JSX, `export type *`, variance annotations, Python's type
/// parameter defaults): no SPA000, and every init is judged as written.
#[test]
fn spa000_not_on_valid_code() {
    use sentry_privacy_audit::source::Lang;
    use sentry_privacy_audit::syntax::parse;
    let report = common::assert_annotated(
        "SPA000-valid",
        &[
            "SPA000", "SPA001", "SPA004", "SPA101", "SPA102", "SPA104", "SPA105", "SPA201",
        ],
    );
    // Each file is one tree-sitter rejects, so the test reads past error nodes.
    assert_eq!(report.files.len(), 7);
    for file in &report.files {
        let tree = parse(file.lang, &file.text);
        assert!(
            tree.root_node().has_error(),
            "{}: tree-sitter reads it cleanly",
            file.display
        );
        assert!(
            Lang::from_path(&file.path).is_some(),
            "{}: no language",
            file.display
        );
    }
    // Every file that holds an init was extracted past the error nodes.
    let inits: usize = report.models.iter().map(|m| m.inits.len()).sum();
    assert_eq!(inits, 6);
}
