//! sentry-privacy-audit: audits a repository's Sentry SDK configuration for privacy leaks.
//!
//! Data flows one way: [`discover`] files → [`source`] → [`lang`] extracts a [`model`] of each Sentry
//! init → [`rules`] judge it → [`diagnostic`] findings → one [`output`] renderer.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod evidence;
pub mod fix;
pub mod init;
pub mod lang;
pub mod model;
pub mod output;
pub mod policy;
pub mod registry;
pub mod rules;
pub mod sdk;
pub mod source;
pub mod suppress;
pub mod syntax;

use crate::cli::{Cli, Command};

/// Exit codes: 0 clean (warnings alone pass), 1 error findings, 2 usage, config or internal error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Run the command line; returns the exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Explain(args) => run_explain(args),
        Command::Rule { code } => {
            match registry::Rule::from_code(&code) {
                Some(rule) => {
                    println!("{}", docs::rule_text(rule));
                    ExitCode::from(EXIT_CLEAN)
                }
                None => {
                    eprintln!("error: `{code}` is not a rule code; `sentry-privacy-audit rules` lists them");
                    ExitCode::from(EXIT_ERROR)
                }
            }
        }
        Command::Rules => {
            print!("{}", docs::rules_list());
            ExitCode::from(EXIT_CLEAN)
        }
        Command::Init(args) => {
            let dir = args.path.unwrap_or_else(|| std::path::PathBuf::from("."));
            match init::run(&dir, args.force) {
                Ok(path) => {
                    eprintln!("Wrote {}.", path.display());
                    ExitCode::from(EXIT_CLEAN)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_ERROR)
                }
            }
        }
        Command::ScrubRules(args) => evidence::commands::scrub_rules(args),
        Command::AuditEvents(args) => evidence::commands::audit_events(args),
        Command::Capture(args) => evidence::commands::capture(args),
        Command::Report(args) => evidence::commands::report(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(
                shell,
                &mut cmd,
                "sentry-privacy-audit",
                &mut std::io::stdout(),
            );
            ExitCode::from(EXIT_CLEAN)
        }
    }
}

fn run_explain(args: cli::ExplainArgs) -> ExitCode {
    let req = check::CheckRequest {
        paths: args.paths,
        config: args.config,
        exclude: args.exclude,
        ..Default::default()
    };
    let report = match check::check(&req) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut fatal = false;
    for s in &report.skipped {
        let level = if s.fatal { "error" } else { "warning" };
        eprintln!("{level}: {}: {}", s.path, s.reason);
        fatal |= s.fatal;
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if fatal {
        return ExitCode::from(EXIT_ERROR);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.output_format {
        cli::ExplainFormat::Text => output::explain::render(&report, &mut out),
        cli::ExplainFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({ "version": 1, "inits": output::json::inits(&report, true) }),
        )
        .map_err(std::io::Error::other)
        .and_then(|_| writeln!(out)),
    }
    .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            ExitCode::from(EXIT_ERROR)
        }
        Ok(()) => ExitCode::from(EXIT_CLEAN),
    }
}

fn run_check(args: cli::CheckArgs) -> ExitCode {
    let baseline = match &args.baseline {
        Some(p) => match baseline::Baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        },
        None => None,
    };
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let stdin = match (&args.stdin_filename, reads_stdin) {
        (Some(path), _) => {
            let mut text = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
                eprintln!("error: cannot read standard input as UTF-8 text: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
            Some((path.clone(), text))
        }
        (None, true) => {
            eprintln!("error: reading from standard input (`-`) needs --stdin-filename PATH");
            return ExitCode::from(EXIT_ERROR);
        }
        (None, false) => None,
    };
    let req = check::CheckRequest {
        stdin,
        baseline,
        paths: args
            .paths
            .into_iter()
            .filter(|p| p.as_os_str() != "-")
            .collect(),
        config: args.config,
        exclude: args.exclude,
        select: args.select,
        extend_select: args.extend_select,
        ignore: args.ignore,
        // Only the text report, the statistics and JSON's summary say how much is fixable.
        count_fixable: args.write_baseline.is_none()
            && (args.statistics
                || args.diff
                || matches!(
                    args.output_format,
                    output::OutputFormat::Text | output::OutputFormat::Json
                )),
        fix: if args.fix || args.diff {
            check::FixMode::Apply {
                unsafe_fixes: args.unsafe_fixes,
                write: args.fix,
            }
        } else {
            check::FixMode::Off
        },
    };
    let report = match check::check(&req) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut fatal = false;
    for s in &report.skipped {
        let level = if s.fatal { "error" } else { "warning" };
        eprintln!("{level}: {}: {}", s.path, s.reason);
        fatal |= s.fatal;
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for e in &report.fix_errors {
        eprintln!("error: {e}");
    }
    if fatal || !report.fix_errors.is_empty() {
        // A failed run prints nothing on stdout, so that no one reads a clean report from it; what
        // the fixes wrote to other files is said on stderr.
        if args.fix && !report.changed.is_empty() {
            eprintln!("{}", output::text::fix_line(&report, &req.fix));
        }
        return ExitCode::from(EXIT_ERROR);
    }
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    if let Some(path) = &args.write_baseline {
        return match baseline::write(path, &report.files, &report.findings) {
            Ok(n) => {
                eprintln!("Wrote {n} findings to the baseline {}.", path.display());
                ExitCode::from(EXIT_CLEAN)
            }
            Err(e) => {
                eprintln!("error: {}: cannot write the baseline: {e}", path.display());
                ExitCode::from(EXIT_ERROR)
            }
        };
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let fixed_stdin = req.stdin.is_some() && args.fix;
    let written = if fixed_stdin {
        // The fixed text (or the text as it was) replaces the input, as editors expect.
        let key = req.stdin.as_ref().map(|(p, _)| discover::display_path(p));
        match report
            .files
            .iter()
            .find(|f| Some(&f.display) == key.as_ref())
        {
            Some(f) => out.write_all(&f.bytes()),
            None => out.write_all(req.stdin.as_ref().map(|s| s.1.as_bytes()).unwrap_or(&[])),
        }
    } else if args.diff {
        output::diff::render(&report, &mut out)
    } else if args.statistics {
        output::text::statistics(&report, &mut out)
    } else {
        output::render(
            args.output_format,
            &report,
            &req.fix,
            output::RenderOptions {
                color,
                show_criteria: args.show_criteria,
                strict: args.strict,
            },
            &mut out,
        )
    }
    .and_then(|_| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(EXIT_CLEAN);
        }
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(EXIT_ERROR);
    }
    if args.diff {
        eprintln!("{}", output::text::fix_line(&report, &req.fix));
    }
    if args.diff {
        return ExitCode::from(if report.changed.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        });
    }
    let failing =
        !args.exit_zero && output::reported(&report).any(|f| output::fails(f, args.strict));
    ExitCode::from(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
