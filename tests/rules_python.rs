//! Per-rule fixtures for the Python rules: every finding of the rule under test must match an
//! `# expect:` annotation in `fixtures/rules/<CODE>/`, and every annotation a finding. The message
//! tests find their line by a marker text, so editing a fixture does not shift them.

mod common;

use sentry_privacy_audit::check::Report;

/// The line (1-based) of the only line of `fixtures/rules/<path>` that contains `marker`.
fn line_of(path: &str, marker: &str) -> usize {
    let text = std::fs::read_to_string(format!("fixtures/rules/{path}")).unwrap();
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(marker))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "`{marker}` must be on one line of {path}");
    lines[0]
}

/// The message of the finding of `code` on the line of `path` that contains `marker`.
fn message(report: &Report, code: &str, path: &str, marker: &str) -> String {
    common::message_at(report, code, path, line_of(path, marker))
}

/// The backquoted customer-data field names a SPA002 message lists, in order.
fn fields_named(message: &str) -> Vec<&str> {
    let list = message
        .split("customer-data fields ")
        .nth(1)
        .unwrap_or_else(|| panic!("no field list in: {message}"));
    list.split(", ").map(|f| f.trim_matches('`')).collect()
}

/// Every rule fixture is judged by a test, and so has its snapshot.
#[test]
fn every_rule_fixture_has_a_snapshot() {
    for entry in std::fs::read_dir("fixtures/rules").unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let snap = format!("tests/snapshots/rules/{name}.snap");
        assert!(
            std::path::Path::new(&snap).is_file(),
            "fixtures/rules/{name} has no test: {snap} is missing"
        );
    }
}

#[test]
fn spa000_python() {
    let report = common::assert_annotated("SPA000", &["SPA000", "SPA001"]);
    let msg = message(
        &report,
        "SPA000",
        "SPA000/broken.py",
        r#""version": 1 "root""#,
    );
    assert!(msg.starts_with("syntax error: "), "{msg}");
}

#[test]
fn spa001() {
    let report = common::assert_annotated("SPA001", &["SPA001"]);

    let literal = message(
        &report,
        "SPA001",
        "SPA001/basic.py",
        "send_default_pii=True,",
    );
    assert!(
        literal.starts_with("`send_default_pii` is `True`:"),
        "{literal}"
    );

    // An environment read: the warning names the variable and its default.
    let getenv = message(
        &report,
        "SPA001",
        "SPA001/env.py",
        r#""SENTRY_SEND_PII", "false""#,
    );
    // The default is the option's value when the variable is unset: the comparison applied to
    // the read's default ("false" == "true").
    assert!(
        getenv.contains("`SENTRY_SEND_PII` (default False)"),
        "{getenv}"
    );
    let env_bool = message(
        &report,
        "SPA001",
        "SPA001/env.py",
        "env.bool(\"SENTRY_PII\"",
    );
    assert!(
        env_bool.contains("`SENTRY_PII` (default False)"),
        "{env_bool}"
    );
    let setting = message(
        &report,
        "SPA001",
        "SPA001/env.py",
        "=settings.SENTRY_SEND_PII",
    );
    assert!(setting.contains("setting `SENTRY_SEND_PII`"), "{setting}");
    let getattr = message(&report, "SPA001", "SPA001/env.py", "getattr(settings");
    assert!(
        getattr.contains("`SENTRY_SEND_PII` (default False)"),
        "{getattr}"
    );

    // Through a module constant inside a comparison: still the variable, not "cannot be evaluated".
    let compared = message(
        &report,
        "SPA001",
        "SPA001/env.py",
        r#"send_default_pii=ENVIRONMENT != "production")"#,
    );
    assert!(compared.contains("`APP_ENV` (default True)"), "{compared}");

    // A conditional names its condition.
    let conditional = message(&report, "SPA001", "SPA001/env.py", "True if ENVIRONMENT");
    assert!(
        conditional.contains("depends on `ENVIRONMENT != \"production\"`"),
        "{conditional}"
    );

    // A dict entry assigned under an `if` depends on that `if`.
    let guarded = message(
        &report,
        "SPA001",
        "SPA001/dicts.py",
        r#"opts["send_default_pii"] = True  # expect: SPA001 warning"#,
    );
    assert!(
        guarded.contains("`True` depends on `os.getenv(\"DEBUG\") == \"1\"`"),
        "{guarded}"
    );

    // Options that `**kwargs` may carry: the warning is at `**kwargs` and names it.
    let kwargs = message(&report, "SPA001", "SPA001/wrappers.py", "**kwargs,");
    assert!(kwargs.contains("through `**kwargs`"), "{kwargs}");
}

#[test]
fn spa002() {
    let report = common::assert_annotated("SPA002", &["SPA002"]);
    let all = ["ticket_data", "conversation_messages", "intake_content"];

    let unscrubbed = message(
        &report,
        "SPA002",
        "SPA002/hooks.py",
        "sentry_sdk.init(dsn=DSN)  #",
    );
    assert!(
        unscrubbed.starts_with("no `before_send` or `event_scrubber`"),
        "{unscrubbed}"
    );
    assert_eq!(fields_named(&unscrubbed), all);

    let partial = message(
        &report,
        "SPA002",
        "SPA002/hooks.py",
        "before_send=drop_tickets_only",
    );
    assert_eq!(fields_named(&partial), ["conversation_messages"]);

    let lambda = message(
        &report,
        "SPA002",
        "SPA002/hooks.py",
        r#"_drop(event, ["conversation_messages"])"#,
    );
    assert_eq!(fields_named(&lambda), ["ticket_data", "intake_content"]);

    // Resolved in app/scrubbing.py, a module that never mentions Sentry.
    let imported = message(
        &report,
        "SPA002",
        "SPA002/app/main.py",
        "before_send=drop_ticket_payload",
    );
    assert_eq!(
        fields_named(&imported),
        ["conversation_messages", "intake_content"]
    );
    let relative = message(
        &report,
        "SPA002",
        "SPA002/app/worker.py",
        "before_send=drop_payload",
    );
    assert_eq!(
        fields_named(&relative),
        ["conversation_messages", "intake_content"]
    );

    let scrubber = message(
        &report,
        "SPA002",
        "SPA002/scrubbers.py",
        "event_scrubber=EventScrubber(  # expect: SPA002 error",
    );
    assert_eq!(
        fields_named(&scrubber),
        ["conversation_messages", "intake_content"]
    );

    // Hooks the tool cannot read give a warning that names them.
    let factory = message(
        &report,
        "SPA002",
        "SPA002/hooks.py",
        "before_send=make_hook()",
    );
    assert!(factory.contains("`before_send=make_hook()`"), "{factory}");
    let missing = message(
        &report,
        "SPA002",
        "SPA002/app/main.py",
        "before_send=redact_event",
    );
    assert!(
        missing.contains("imported from `app.redaction`"),
        "{missing}"
    );
}

#[test]
fn spa003() {
    let report = common::assert_annotated("SPA003", &["SPA003"]);
    let replaced = message(
        &report,
        "SPA003",
        "SPA003/scrubbers.py",
        r#"denylist=["ticket_data"]"#,
    );
    assert!(
        replaced.contains("replaces Sentry's default one"),
        "{replaced}"
    );
    let imported = message(
        &report,
        "SPA003",
        "SPA003/scrubbers.py",
        "denylist=SCRUB_KEYS",
    );
    assert!(
        imported.contains("`SCRUB_KEYS` may not include `DEFAULT_DENYLIST`"),
        "{imported}"
    );
}

#[test]
fn spa004() {
    let report = common::assert_annotated("SPA004", &["SPA004"]);
    let absent = message(
        &report,
        "SPA004",
        "SPA004/request_bodies.py",
        "integrations=[DjangoIntegration()]",
    );
    assert!(absent.contains("defaults to \"medium\""), "{absent}");
    let env = message(
        &report,
        "SPA004",
        "SPA004/request_bodies.py",
        "SENTRY_BODY_SIZE",
    );
    assert!(
        env.contains("`SENTRY_BODY_SIZE` (default \"never\")"),
        "{env}"
    );
    let kwargs = message(
        &report,
        "SPA004",
        "SPA004/request_bodies.py",
        "**overrides)  #",
    );
    assert!(kwargs.contains("through `**overrides`"), "{kwargs}");
}

#[test]
fn spa005() {
    let report = common::assert_annotated("SPA005", &["SPA005"]);
    let env = message(
        &report,
        "SPA005",
        "SPA005/local_variables.py",
        "SENTRY_LOCALS\", default=True",
    );
    assert!(env.contains("`SENTRY_LOCALS` (default True)"), "{env}");
    let constant = message(
        &report,
        "SPA005",
        "SPA005/local_variables.py",
        "include_local_variables=DEBUG",
    );
    assert!(constant.contains("`DEBUG` (default False)"), "{constant}");
}

#[test]
fn spa006() {
    let report = common::assert_annotated("SPA006", &["SPA006"]);
    // The reference case: a scrubber, `cookies: False` and `include_local_variables=False` all do
    // nothing next to `data_collection` on 2.75, and the message says what happens instead.
    let scrubber = message(
        &report,
        "SPA006",
        "SPA006/py-2.75/main.py",
        "event_scrubber=EventScrubber(",
    );
    assert!(scrubber.contains("discards `event_scrubber`"), "{scrubber}");
    let cookies = message(
        &report,
        "SPA006",
        "SPA006/py-2.75/main.py",
        "\"cookies\": False",
    );
    assert!(
        cookies.contains("replaces it with its default"),
        "{cookies}"
    );
    let old = message(
        &report,
        "SPA006",
        "SPA006/py-2.59/app.py",
        "with_locals=False",
    );
    assert!(old.contains("raises `TypeError: Unknown option`"), "{old}");
    assert!(old.contains("sentry-sdk 2.59.0"), "{old}");
}

#[test]
fn spa007_and_spa008() {
    let ai = common::assert_annotated("SPA007", &["SPA007"]);
    let m = message(
        &ai,
        "SPA007",
        "SPA007/py-2.75/app.py",
        "\"user_info\": False})",
    );
    assert!(m.contains("the project uses `openai`"), "{m}");
    assert!(m.contains("pyproject.toml:5"), "{m}");
    let payload = common::assert_annotated("SPA008", &["SPA008"]);
    let m = message(
        &payload,
        "SPA008",
        "SPA008/py-2.58/worker.py",
        "send_default_pii=False",
    );
    assert!(m.contains("before sentry-sdk 2.59"), "{m}");
    assert!(m.contains("`rq`"), "{m}");
}

/// The data-collection fixes of SPA007 and SPA008 write the key into the dict.
#[test]
fn spa007_and_spa008_fixes_write_into_data_collection() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "sentry-privacy-audit.toml", "");
    common::write(
        dir.path(),
        "requirements.txt",
        "celery==5.4.0\nopenai==1.40.0\nsentry-sdk==2.75.0\n",
    );
    common::write(
        dir.path(),
        "app.py",
        "import sentry_sdk\n\nsentry_sdk.init(\n    data_collection={\n        \"user_info\": False,\n        \"stack_frame_variables\": False,\n    },\n    max_request_body_size=\"never\",\n)\n",
    );
    let report = sentry_privacy_audit::check::check(&sentry_privacy_audit::check::CheckRequest {
        paths: vec![dir.path().to_path_buf()],
        config: Some(dir.path().join("sentry-privacy-audit.toml")),
        fix: sentry_privacy_audit::check::FixMode::Apply {
            unsafe_fixes: true,
            write: true,
        },
        ..Default::default()
    })
    .unwrap();
    assert!(report.fix_errors.is_empty(), "{:?}", report.fix_errors);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        "import sentry_sdk\n\nsentry_sdk.init(\n    data_collection={\n        \"user_info\": False,\n        \"stack_frame_variables\": False,\n        \"gen_ai\": {\"inputs\": False, \"outputs\": False},\n        \"queues\": False,\n    },\n    max_request_body_size=\"never\",\n)\n"
    );
}

/// Under `data_collection` the SDK discards scrubbers: SPA002's fix writes a `before_send` that
/// drops the fields, and SPA006's fix removes the discarded scrubber.
#[test]
fn spa002_fix_under_data_collection_writes_a_before_send() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "sentry-privacy-audit.toml",
        "sensitive_fields = [\"ticket_data\", \"intake_content\"]\n",
    );
    common::write(dir.path(), "requirements.txt", "sentry-sdk==2.75.0\n");
    let source = "import sentry_sdk\n\n\ndef setup():\n    sentry_sdk.init(\n        data_collection={\"user_info\": False, \"stack_frame_variables\": False},\n        event_scrubber=None,\n        max_request_body_size=\"never\",\n    )\n";
    common::write(dir.path(), "app.py", source);
    let report = sentry_privacy_audit::check::check(&sentry_privacy_audit::check::CheckRequest {
        paths: vec![dir.path().to_path_buf()],
        config: Some(dir.path().join("sentry-privacy-audit.toml")),
        fix: sentry_privacy_audit::check::FixMode::Apply {
            unsafe_fixes: true,
            write: true,
        },
        ..Default::default()
    })
    .unwrap();
    assert!(report.fix_errors.is_empty(), "{:?}", report.fix_errors);
    assert!(
        report.findings.is_empty(),
        "{:?}",
        report
            .findings
            .iter()
            .map(|f| &f.message)
            .collect::<Vec<_>>()
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.py")).unwrap();
    assert_eq!(
        fixed,
        "import sentry_sdk\n\n\ndef drop_customer_fields(event, hint):\n    \"\"\"Replace the customer-data fields at any depth of the event before it is sent.\"\"\"\n    fields = {\"ticket_data\", \"intake_content\"}\n\n    def scrub(value):\n        if isinstance(value, dict):\n            return {k: \"[Filtered]\" if k in fields else scrub(v) for k, v in value.items()}\n        if isinstance(value, list):\n            return [scrub(v) for v in value]\n        return value\n\n    return scrub(event)\n\n\ndef setup():\n    sentry_sdk.init(\n        data_collection={\"user_info\": False, \"stack_frame_variables\": False},\n        max_request_body_size=\"never\",\n        before_send=drop_customer_fields,\n    )\n"
    );
}
