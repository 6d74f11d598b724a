//! The evidence commands: arguments in, exit code out. Each reads its inputs, calls the module that
//! does the work and renders the result.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::args::{ScrubFormat, ScrubRulesArgs};
use super::scrub_rules::{self, Level};
use crate::config::Config;
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

/// The configuration named on the command line, else the nearest one to the working directory,
/// else the defaults.
pub fn load_config(explicit: Option<&Path>) -> Result<Config, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no working directory: {e}"))?;
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => Config::discover(&cwd).map_err(|e| e.to_string())?,
    };
    match path {
        Some(p) => Config::load(&p).map_err(|e| e.to_string()),
        None => Ok(Config::defaults(cwd)),
    }
}

fn config_name(config: &Config) -> String {
    match &config.file {
        Some(p) => p.display().to_string(),
        None => "no configuration file was found".into(),
    }
}

/// Print `error: …`; the exit code of a run that failed.
fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(EXIT_ERROR)
}

/// Write to standard output; a closed pipe is not an error.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::from(EXIT_CLEAN),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Read a file named on the command line (`-`: standard input) as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| format!("standard input: cannot be read: {e}"))?;
        b
    } else {
        std::fs::read(path).map_err(|e| format!("{}: cannot be read: {e}", path.display()))?
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn scrub_rules(args: ScrubRulesArgs) -> ExitCode {
    let config = match load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let fields = scrub_rules::distinct_fields(&config.sensitive_fields);
    if let Some(file) = &args.check {
        return check_scrub_rules(file, &fields, &config);
    }
    let opts = scrub_rules::Options {
        remove_ip: args.remove_ip,
        replace_email: args.replace_email,
        replace_credit_card: args.replace_credit_card,
    };
    if fields.is_empty() && opts == scrub_rules::Options::default() {
        eprintln!(
            "error: no sensitive_fields to generate rules for ({}); list the customer fields in sentry-privacy-audit.toml, or pass --remove-ip, --replace-email or --replace-credit-card",
            config_name(&config)
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let pii = scrub_rules::generate(&fields, opts);
    let doc = match args.format {
        ScrubFormat::Json => pii,
        ScrubFormat::Api => scrub_rules::api_body(&pii, opts),
    };
    let text = serde_json::to_string_pretty(&doc).expect("JSON values serialise") + "\n";
    emit(&text)
}

fn check_scrub_rules(file: &Path, fields: &[String], config: &Config) -> ExitCode {
    let name = if file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        crate::discover::display_path(file)
    };
    let text = match read_text(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if fields.is_empty() {
        eprintln!(
            "note: no sensitive_fields configured ({}): which fields the rules remove was not checked",
            config_name(config)
        );
    }
    let problems = match scrub_rules::check(&text, fields) {
        Ok(p) => p,
        Err(e) => {
            let code = emit(&format!("{name}:{}:{}: error: {e}\n", e.line, e.column));
            return if code == ExitCode::from(EXIT_CLEAN) {
                ExitCode::from(EXIT_FINDINGS)
            } else {
                code
            };
        }
    };
    let mut out = String::new();
    for p in &problems {
        let at = if p.at.is_empty() { "(top)" } else { &p.at };
        out.push_str(&format!(
            "{name}: {}: {at}: {}\n",
            p.level.as_str(),
            p.message
        ));
    }
    let errors = problems.iter().filter(|p| p.level == Level::Error).count();
    let warnings = problems.len() - errors;
    out.push_str(&format!(
        "{} {}, {} {} in {name}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
    ));
    let code = emit(&out);
    if code != ExitCode::from(EXIT_CLEAN) {
        return code;
    }
    ExitCode::from(if errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// What an audit of event files read and found.
pub struct EventsOutcome {
    pub audits: Vec<super::events::FileAudit>,
    pub report: crate::check::Report,
    /// Files that could not be read, with why.
    pub errors: Vec<String>,
}

/// Audit the event files under `paths` with the configuration's fields and severities.
pub fn audit_events_in(
    paths: &[std::path::PathBuf],
    config: &Config,
) -> Result<EventsOutcome, String> {
    use rayon::prelude::*;
    let files = super::events::files(paths)?;
    let settings = super::events::Settings::from_config(config);
    let audit = |p: &std::path::PathBuf| {
        let display = crate::discover::display_path(p);
        super::events::audit_file(p, display.clone(), &settings)
            .map_err(|e| format!("{display}: {e}"))
    };
    // One file is audited on this thread (its blocks go to the other cores, see `audit_file`):
    // no pool of threads is started for it.
    let results: Vec<Result<super::events::FileAudit, String>> = if files.len() == 1 {
        files.iter().map(audit).collect()
    } else {
        files.par_iter().map(audit).collect()
    };
    let mut audits = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(a) => audits.push(a),
            Err(e) => errors.push(e),
        }
    }
    let report = super::events::report(&audits);
    Ok(EventsOutcome {
        audits,
        report,
        errors,
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line: how much was read (`Read 3 events (2 error events) and 1 replay segment from 2 files.`).
pub fn events_read_line(audits: &[super::events::FileAudit]) -> String {
    let sum = |f: fn(&super::events::FileAudit) -> usize| audits.iter().map(f).sum::<usize>();
    let mut line = format!(
        "Read {} ({}) and {} from {}",
        plural(sum(|a| a.events), "event", "events"),
        plural(sum(|a| a.error_events), "error event", "error events"),
        plural(
            sum(|a| a.replay_segments),
            "replay segment",
            "replay segments"
        ),
        plural(audits.len(), "file", "files"),
    );
    let skipped = sum(|a| a.skipped_items);
    if skipped > 0 {
        line.push_str(&format!(
            "; {} not audited (attachments and other binary items)",
            plural(skipped, "envelope item", "envelope items")
        ));
    }
    line + "."
}

pub fn audit_events(args: super::args::AuditEventsArgs) -> ExitCode {
    let config = match load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if config.sensitive_fields.is_empty() {
        eprintln!(
            "note: no sensitive_fields configured ({}): customer fields (SPA301) were not looked for",
            config_name(&config)
        );
    }
    let outcome = match audit_and_render(&args.paths, &config, args.output_format, args.no_color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if !outcome.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    let found = crate::output::reported(&outcome.report).next().is_some();
    ExitCode::from(if found && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Audit the files, print what could not be read, render the findings and say how much was read.
fn audit_and_render(
    paths: &[std::path::PathBuf],
    config: &Config,
    format: crate::output::OutputFormat,
    no_color: bool,
) -> Result<EventsOutcome, ExitCode> {
    let outcome = audit_events_in(paths, config).map_err(fail)?;
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    for w in &outcome.report.warnings {
        eprintln!("warning: {w}");
    }
    render_events(format, &outcome.report, no_color)?;
    eprintln!("{}", events_read_line(&outcome.audits));
    Ok(outcome)
}

/// The environment variables `capture` points at itself.
pub const DSN_VARIABLES: [&str; 5] = [
    "SENTRY_DSN",
    "VITE_SENTRY_DSN",
    "NEXT_PUBLIC_SENTRY_DSN",
    "REACT_APP_SENTRY_DSN",
    "PUBLIC_SENTRY_DSN",
];

fn render_events(
    format: crate::output::OutputFormat,
    report: &crate::check::Report,
    no_color: bool,
) -> Result<(), ExitCode> {
    use std::io::IsTerminal;
    let color = !no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let options = crate::output::RenderOptions {
        color,
        ..Default::default()
    };
    match crate::output::render(
        format,
        report,
        &crate::check::FixMode::Off,
        options,
        &mut out,
    )
    .and_then(|_| out.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(fail(format!("cannot write the report: {e}"))),
    }
}

pub fn capture(args: super::args::CaptureArgs) -> ExitCode {
    use super::capture::{dsn, Server};
    let config = match load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if !args.serve && args.command.is_empty() {
        eprintln!("error: give the command to run after `--` (`capture -- pytest`), or --serve");
        return ExitCode::from(EXIT_ERROR);
    }
    let server = match Server::start(args.port.unwrap_or(0), &args.out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let dsn = dsn(server.port);
    let dir = crate::discover::display_path(&server.dir);
    if args.serve {
        println!(
            "Listening on http://127.0.0.1:{}; envelopes go to {dir}.",
            server.port
        );
        println!("DSN: {dsn}");
        println!("Each envelope is audited as it arrives. Stop with Ctrl-C.");
        let settings_config = config;
        let format = args.output_format;
        let handle = server.spawn(move |path| {
            if let Ok(outcome) = audit_events_in(&[path.to_path_buf()], &settings_config) {
                let _ = render_events(format, &outcome.report, false);
                for e in &outcome.errors {
                    eprintln!("error: {e}");
                }
            }
        });
        let _ = handle.join();
        return ExitCode::from(EXIT_CLEAN);
    }
    eprintln!(
        "capture: listening on http://127.0.0.1:{}; SENTRY_DSN={dsn}; envelopes go to {dir}",
        server.port
    );
    let handle = server.spawn(|_| {});
    let program = &args.command[0];
    let mut cmd = std::process::Command::new(program);
    cmd.args(&args.command[1..]);
    for var in DSN_VARIABLES {
        cmd.env(var, &dsn);
    }
    let status = cmd.status();
    // Requests the command made just before it ended are answered before the server stops.
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.stop();
    let _ = handle.join();
    let shown = program.to_string_lossy();
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such command".to_string()
            } else {
                e.to_string()
            };
            eprintln!("error: cannot run `{shown}`: {why}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let received = server.received();
    for p in &received.problems {
        eprintln!("warning: {p}");
    }
    if received.files.is_empty() {
        eprintln!(
            "warning: no events were received: does `{shown}` initialise Sentry with the DSN from SENTRY_DSN?"
        );
    }
    let outcome = match audit_and_render(&received.files, &config, args.output_format, false) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if !status.success() {
        let how = match status.code() {
            Some(c) => format!("exit status {c}"),
            None => "a signal".to_string(),
        };
        eprintln!("error: `{shown}` failed ({how}); what it sent was audited above");
        return ExitCode::from(EXIT_ERROR);
    }
    if !outcome.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    let found = crate::output::reported(&outcome.report).next().is_some();
    ExitCode::from(if found { EXIT_FINDINGS } else { EXIT_CLEAN })
}

pub fn report(args: super::args::ReportArgs) -> ExitCode {
    use super::report::{self as review, EventsRead, Inputs, Status};
    let paths = if args.paths.is_empty() {
        vec![std::path::PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = match args.config.clone() {
        Some(p) => Config::load(&p).map_err(|e| e.to_string()),
        None => match Config::discover(&paths[0]) {
            Ok(Some(p)) => Config::load(&p).map_err(|e| e.to_string()),
            Ok(None) => load_config(None),
            Err(e) => Err(e.to_string()),
        },
    };
    let config = match config {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let req = crate::check::CheckRequest {
        paths: paths.clone(),
        config: args.config.clone(),
        ..Default::default()
    };
    let checked = match crate::check::check(&req) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    for s in checked.skipped.iter().filter(|s| s.fatal) {
        eprintln!("error: {}: {}", s.path, s.reason);
    }
    let fields = scrub_rules::distinct_fields(&config.sensitive_fields);
    let scrub = (!fields.is_empty()).then(|| {
        let opts = scrub_rules::Options::default();
        serde_json::to_string_pretty(&scrub_rules::api_body(
            &scrub_rules::generate(&fields, opts),
            opts,
        ))
        .expect("JSON values serialise")
    });
    let events = match &args.events {
        Some(dir) => match audit_events_in(std::slice::from_ref(dir), &config) {
            Ok(o) => {
                for e in &o.errors {
                    eprintln!("error: {e}");
                }
                Some(o)
            }
            Err(e) => return fail(e),
        },
        None => None,
    };
    let sum = |f: fn(&super::events::FileAudit) -> usize, o: &EventsOutcome| {
        o.audits.iter().map(f).sum::<usize>()
    };
    let inputs = Inputs {
        target: paths
            .iter()
            .map(|p| crate::discover::display_path(p))
            .collect::<Vec<_>>()
            .join(" "),
        check: &checked,
        sensitive_fields: &fields,
        scrub_rules: scrub,
        events: events
            .as_ref()
            .zip(args.events.as_ref())
            .map(|(o, dir)| EventsRead {
                dir: crate::discover::display_path(dir),
                report: &o.report,
                events: sum(|a| a.events, o),
                error_events: sum(|a| a.error_events, o),
                replay_segments: sum(|a| a.replay_segments, o),
            }),
    };
    let r = review::review(&inputs);
    let text = match args.format {
        super::args::ReportFormat::Markdown => review::markdown(&r),
        super::args::ReportFormat::Html => review::html(&r),
    };
    if let Some(doc) = &args.update {
        let original = match read_text(doc) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        let (updated, line) = match review::update_document(&original, &r) {
            Ok(u) => u,
            Err(e) => return fail(format!("{}: {e}; nothing was written", doc.display())),
        };
        if let Err(e) = write_atomically(doc, updated.as_bytes()) {
            return fail(format!("{}: cannot be written: {e}", doc.display()));
        }
        eprintln!(
            "Updated the Sentry row of {} (line {line}): {}.",
            doc.display(),
            r.criteria
                .iter()
                .find(|c| c.id == "AC4")
                .map(|c| c.status.label())
                .unwrap_or("")
        );
    }
    let code = emit(&text);
    if code != ExitCode::from(EXIT_CLEAN) {
        return code;
    }
    let failed = r.criteria.iter().any(|c| c.status == Status::Fail);
    ExitCode::from(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Write through a temporary file in the same folder, renamed over the original (keeping its
/// permissions).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
