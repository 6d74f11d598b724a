//! Command-line interface.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::output::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "sentry-privacy-audit",
    version,
    about = "Audit a repository's Sentry SDK configuration for privacy leaks",
    long_about = "Finds Sentry SDK initialisations in Python and JavaScript/TypeScript and reports settings that send personal or customer data: send_default_pii, request bodies, local variables, unmasked Session Replays, replay sampling and unmasked customer-data routes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders (default: the current folder).
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check. Files named here are always checked.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,

    /// Configuration file (instead of the nearest sentry-privacy-audit.toml,
    /// .sentry-privacy-audit.toml or pyproject.toml [tool.sentry-privacy-audit]).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Skip paths matching this glob (repeatable); a pattern without `/` matches any path component.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Apply safe fixes and write the files; report what remains.
    #[arg(long)]
    pub fix: bool,

    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the diff of the fixes --fix would apply; write nothing. Exits 1 when there is
    /// something to fix.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Never colour the output (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}
