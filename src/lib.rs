//! sentry-privacy-audit: audits a repository's Sentry SDK configuration for privacy leaks.
//!
//! Data flows one way: [`discover`] files → [`source`] → [`lang`] extracts a [`model`] of each Sentry
//! init → [`rules`] judge it → [`diagnostic`] findings → one [`output`] renderer.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod lang;
pub mod model;
pub mod output;
pub mod rules;
pub mod source;

use crate::cli::{Cli, Command};
use crate::diagnostic::Severity;

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
    }
}

fn run_check(args: cli::CheckArgs) -> ExitCode {
    let req = check::CheckRequest {
        paths: args.paths,
        config: args.config,
        exclude: args.exclude,
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
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.diff {
        output::diff::render(&report, &mut out)
    } else {
        output::render(args.output_format, &report, &req.fix, color, &mut out)
    }
    .and_then(|_| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::from(EXIT_CLEAN);
        }
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(EXIT_ERROR);
    }
    for e in &report.fix_errors {
        eprintln!("error: {e}");
    }
    if args.diff {
        eprintln!("{}", output::text::fix_line(&report, &req.fix));
    }
    fatal |= !report.fix_errors.is_empty();
    if fatal {
        return ExitCode::from(EXIT_ERROR);
    }
    if args.diff {
        return ExitCode::from(if report.changed.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        });
    }
    let failing = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error || (args.strict && f.severity == Severity::Warning));
    ExitCode::from(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
