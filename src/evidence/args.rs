//! The command-line arguments of the evidence commands (wired into [`crate::cli`]).

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ScrubRulesArgs {
    /// What to print: the PII config, or the body of the project-settings update request
    /// (`relayPiiConfig` as a JSON string).
    #[arg(long, value_enum, default_value_t = ScrubFormat::Json)]
    pub format: ScrubFormat,

    /// Also remove the user's IP address and the location derived from it, and replace IP
    /// addresses in any string.
    #[arg(long)]
    pub remove_ip: bool,

    /// Also replace e-mail addresses in any string with `[email]`.
    #[arg(long)]
    pub replace_email: bool,

    /// Also replace credit card numbers in any string with `[creditcard]`.
    #[arg(long)]
    pub replace_credit_card: bool,

    /// Lint an exported config (the PII config, or project settings holding `relayPiiConfig`)
    /// instead of generating one; `-` reads standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "remove_ip", "replace_email", "replace_credit_card"])]
    pub check: Option<PathBuf>,

    /// Configuration file with `sensitive_fields` (instead of the nearest one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScrubFormat {
    /// The PII config, as Relay reads it.
    Json,
    /// `{"relayPiiConfig": "<config as a string>"}` for `PUT /api/0/projects/{org}/{project}/`.
    Api,
}

#[derive(Debug, clap::Args)]
pub struct AuditEventsArgs {
    /// Event files or folders. In folders: *.json, *.jsonl, *.ndjson, *.envelope and *.rrweb,
    /// also gzip- or zlib-compressed (.gz, .zz); files named here are always read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::output::OutputFormat::Text)]
    pub output_format: crate::output::OutputFormat,

    /// Configuration file with `sensitive_fields` (instead of the nearest one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with 0 even when there are findings (2 still means the run failed).
    #[arg(long)]
    pub exit_zero: bool,

    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,
}

#[derive(Debug, clap::Args)]
pub struct CaptureArgs {
    /// Port on 127.0.0.1 (default: a free one).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// Folder the received envelopes are written to, one file each (created if missing).
    #[arg(long, value_name = "DIR", default_value = "sentry-capture")]
    pub out: PathBuf,

    /// Keep running until interrupted, printing the DSN, for runs by hand (from a browser, say);
    /// each envelope is audited as it arrives.
    #[arg(long, conflicts_with = "command")]
    pub serve: bool,

    /// Output format of the audit.
    #[arg(long, value_enum, default_value_t = crate::output::OutputFormat::Text)]
    pub output_format: crate::output::OutputFormat,

    /// Configuration file with `sensitive_fields` (instead of the nearest one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The command to run, with SENTRY_DSN (and VITE_, NEXT_PUBLIC_, REACT_APP_ and PUBLIC_
    /// SENTRY_DSN) pointing at the capture server.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The project's files or folders (default: the current folder).
    pub paths: Vec<PathBuf>,

    /// Markdown (a table for the verification document, then the evidence) or one
    /// self-contained HTML page.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,

    /// Captured or exported events (a folder or a file) to check AC5 with, and AC2's replays.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// Rewrite the table row that mentions Sentry in this Markdown document (its status and
    /// evidence cells), keeping everything else byte for byte.
    #[arg(long, value_name = "FILE")]
    pub update: Option<PathBuf>,

    /// Configuration file (instead of the nearest one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
}
