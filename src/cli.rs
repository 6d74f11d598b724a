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
    /// For each Sentry init: what reaches Sentry, and why (the SDK version, the options, the
    /// version's defaults).
    Explain(ExplainArgs),
    /// Write a starter sentry-privacy-audit.toml, pre-filled from the project.
    Init(InitArgs),
    /// Print a rule's documentation: what it flags, why, an example, and its fix safety.
    Rule {
        /// The rule's code (`SPA001`).
        code: String,
    },
    /// List every rule: code, name, criterion, default severity, fix, summary.
    Rules,
    /// Generate Sentry's Advanced Data Scrubbing rules from `sensitive_fields`, or lint an
    /// exported config with `--check FILE`.
    ScrubRules(crate::evidence::args::ScrubRulesArgs),
    /// Audit events, envelopes and Session Replay recordings (files or folders) for customer and
    /// personal data: rules SPA3xx, in the output formats of `check`.
    AuditEvents(crate::evidence::args::AuditEventsArgs),
    /// Run a command against a local stand-in for Sentry's ingestion endpoint and audit the
    /// events it sends (or `--serve` to keep listening).
    Capture(crate::evidence::args::CaptureArgs),
    /// The review's criteria AC1-AC5: status, evidence and next steps, as Markdown or HTML;
    /// `--update FILE` rewrites the verification document's Sentry row.
    Report(crate::evidence::args::ReportArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Files or folders (default: the current folder).
    pub paths: Vec<PathBuf>,

    /// Output format: a table per init, or the JSON of `check --output-format json`'s `inits`.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub output_format: ExplainFormat,

    /// Configuration file (instead of the nearest one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The project folder (default: the current folder).
    pub path: Option<PathBuf>,

    /// Overwrite an existing sentry-privacy-audit.toml.
    #[arg(long)]
    pub force: bool,
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

    /// Rules to run: codes or prefixes (`SPA1`), comma-separated; replaces the configuration's
    /// `select`.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub select: Option<Vec<String>>,

    /// Rules to run in addition to the selected ones.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub extend_select: Vec<String>,

    /// Rules to skip, in addition to the configuration's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Exit with 0 even when there are findings (2 still means the run failed).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Name each finding's acceptance criterion in its header, in the configuration's words
    /// (`[criteria]`; by default e.g. "AC2: customer-data routes masked in Session Replay").
    #[arg(long)]
    pub show_criteria: bool,

    /// Accept the findings recorded in this baseline file: report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,

    /// Read the file from standard input (pass `-` as the path) and judge it as this path; with
    /// --fix, print the fixed text instead of the findings.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Never colour the output (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}
