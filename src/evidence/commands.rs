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
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
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
    let results: Vec<Result<super::events::FileAudit, String>> = files
        .par_iter()
        .map(|p| {
            let display = crate::discover::display_path(p);
            super::events::audit_file(p, display.clone(), &settings)
                .map_err(|e| format!("{display}: {e}"))
        })
        .collect();
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
    use std::io::IsTerminal;
    let config = match load_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if config.sensitive_fields.is_empty() {
        eprintln!(
            "note: no sensitive_fields configured ({}): customer fields (SPA301) were not looked for",
            config_name(&config)
        );
    }
    let outcome = match audit_events_in(&args.paths, &config) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    for w in &outcome.report.warnings {
        eprintln!("warning: {w}");
    }
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = crate::output::render(
        args.output_format,
        &outcome.report,
        &crate::check::FixMode::Off,
        crate::output::RenderOptions {
            color,
            ..Default::default()
        },
        &mut out,
    )
    .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
        Ok(()) => {}
    }
    eprintln!("{}", events_read_line(&outcome.audits));
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
