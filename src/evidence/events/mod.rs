//! `audit-events`: customer and personal data in events as Sentry receives them (SDK events and
//! envelopes, the API's and UI's JSON, JSON lines) and in Session Replay recordings (rrweb
//! events, compressed as the SDK sends them).
//!
//! Files are read as streams: each event is walked while it is parsed ([`walk`]), keeping only the
//! path to the current value, and each rrweb event is parsed alone ([`replay`]), so that memory
//! stays bounded by the largest single event, whatever the size of the file. Findings of one rule at
//! the same JSON path (indices aside) are reported once per file, with a count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::Report;
use crate::config::Config;
use crate::diagnostic::{DataLocation, Finding, Severity};
use crate::registry::Rule;
use crate::source::{Lang, SourceFile};

mod input;
pub mod replay;
pub mod walk;

/// One segment of a JSON path, from the root of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A 1-based line and column (counting characters) in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// What the audit judges by: the configured fields and each rule's severity (None: off).
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sensitive_fields`, in lower case.
    pub fields: Vec<String>,
    severity: Vec<(Rule, Option<Severity>)>,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            fields: config
                .sensitive_fields
                .iter()
                .map(|f| f.trim().to_lowercase())
                .filter(|f| !f.is_empty())
                .collect(),
            severity: Rule::ALL
                .into_iter()
                .map(|r| (r, config.severity_of(r, r.severity())))
                .collect(),
        }
    }

    fn severity(&self, rule: Rule) -> Option<Severity> {
        self.severity
            .iter()
            .find(|(r, _)| *r == rule)
            .and_then(|(_, s)| *s)
    }
}

/// One finding in a file, with how many times the rule found the same path (indices aside).
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: Rule,
    pub severity: Severity,
    pub json_path: String,
    pub message: String,
    pub pos: Pos,
    pub count: usize,
}

/// At most this many distinct findings are kept per file; more are counted.
const MAX_HITS: usize = 10_000;

/// What a key names, worked out once per distinct key of a file.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyClass {
    /// The configured field it names (index into the fields).
    pub field: Option<usize>,
    pub credential: bool,
    /// A header or variable that carries the sender's IP address.
    pub ip: bool,
}

/// A fast hash for short keys (FNV-1a); the keys come from the file, but a slow lookup costs at
/// most one key's classification, so hash flooding is of no concern here.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type KeyMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Keys remembered per file at most.
const MAX_KEYS: usize = 16_384;

/// The findings of one file, merged by rule and path shape.
pub struct Collector {
    settings: Settings,
    hits: Vec<Hit>,
    index: HashMap<(Rule, String), usize>,
    keys: KeyMap<KeyClass>,
    /// Findings not kept because the file had more than [`MAX_HITS`] distinct ones.
    pub dropped: usize,
}

/// The path with every index replaced by `[*]`.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' if in_index => {
                in_index = false;
                out.push_str("*]");
            }
            c if in_index && c.is_ascii_digit() => {}
            c => {
                if in_index {
                    // A quoted key (`["x-api-key"]`), not an index.
                    in_index = false;
                }
                out.push(c);
            }
        }
    }
    out
}

impl Collector {
    pub fn new(settings: Settings) -> Collector {
        Collector {
            settings,
            hits: Vec::new(),
            index: HashMap::new(),
            keys: KeyMap::default(),
            dropped: 0,
        }
    }

    /// Report `rule` at `path`; `detail` tells findings at the same path apart (the kind of value).
    pub fn add(
        &mut self,
        rule: Rule,
        path: &str,
        detail: &str,
        message: impl FnOnce() -> String,
        pos: Pos,
    ) {
        let Some(severity) = self.settings.severity(rule) else {
            return;
        };
        let key = (rule, format!("{}\0{detail}", shape(path)));
        if let Some(&i) = self.index.get(&key) {
            self.hits[i].count += 1;
            return;
        }
        if self.hits.len() >= MAX_HITS {
            self.dropped += 1;
            return;
        }
        self.index.insert(key, self.hits.len());
        self.hits.push(Hit {
            rule,
            severity,
            json_path: path.to_string(),
            message: message(),
            pos,
            count: 1,
        });
    }

    pub fn fields(&self) -> &[String] {
        &self.settings.fields
    }

    /// What a key names (remembered: events repeat their keys).
    pub fn classify(&mut self, key: &str) -> KeyClass {
        if let Some(c) = self.keys.get(key) {
            return *c;
        }
        let class = KeyClass {
            field: self
                .settings
                .fields
                .iter()
                .position(|f| f.eq_ignore_ascii_case(key)),
            credential: crate::evidence::rules::credential_in_event::is_credential_key(key),
            ip: walk::is_ip_key(key),
        };
        if self.keys.len() < MAX_KEYS {
            self.keys.insert(key.to_string(), class);
        }
        class
    }
}

/// What was read of one file.
#[derive(Debug, Default, Clone)]
pub struct FileAudit {
    pub display: String,
    pub path: PathBuf,
    pub hits: Vec<Hit>,
    pub dropped: usize,
    /// Events walked (SDK and API events, envelope items with JSON payloads).
    pub events: usize,
    /// Of those, error events (with an exception, or level error or fatal).
    pub error_events: usize,
    /// Replay recording segments read.
    pub replay_segments: usize,
    /// Envelopes read.
    pub envelopes: usize,
    /// Envelope items skipped (attachments and other binary payloads).
    pub skipped_items: usize,
}

/// Audit one file. `Err` when it cannot be opened; everything else (binary content, truncated
/// JSON, a malformed envelope) is a finding (SPA300).
pub fn audit_file(path: &Path, display: String, settings: &Settings) -> Result<FileAudit, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err("is a folder".into());
    }
    let mut collector = Collector::new(settings.clone());
    let mut audit = FileAudit {
        display,
        path: path.to_path_buf(),
        ..FileAudit::default()
    };
    input::read_file(file, &mut collector, &mut audit);
    audit.hits = collector.hits;
    audit.dropped = collector.dropped;
    Ok(audit)
}

/// File names `audit-events` reads in a folder (files named on the command line are always read).
pub fn is_event_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zz"))
        .unwrap_or(&name);
    [".json", ".jsonl", ".ndjson", ".envelope", ".rrweb"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// The files to read: files as named, folders walked (sorted, hidden entries skipped) for
/// [`is_event_file`] names. Paths that do not exist are errors.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut stack = vec![p.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if hidden {
                    continue;
                }
                match entry.file_type() {
                    Ok(t) if t.is_dir() => stack.push(path),
                    Ok(_) if is_event_file(&path) => found.push(path),
                    _ => {}
                }
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// The help of each rule's findings.
fn help(rule: Rule) -> &'static str {
    match rule {
        Rule::EventUnreadable => {
            "what follows was not audited; repair or remove the file, or capture the events again"
        }
        Rule::CustomerFieldInEvent => {
            "drop the field in before_send (see SPA002) or apply `sentry-privacy-audit scrub-rules` in the project's settings"
        }
        Rule::PersonalDataInEvent => {
            "turn send_default_pii off, scrub in before_send, or apply `scrub-rules --replace-email --replace-credit-card --remove-ip`"
        }
        Rule::CredentialInEvent => {
            "keep the SDK's default denylist (EventScrubber, sendDefaultPii off) and rotate the credential"
        }
        Rule::RequestBodyInEvent => {
            "stop sending request bodies: max_request_body_size=\"never\" (Python) or no body collection in the JS SDK (see SPA004)"
        }
        Rule::FrameVarsInEvent => {
            "stop sending local variables: include_local_variables=False (Python), includeLocalVariables off (Node) (see SPA005)"
        }
        Rule::ReplayTextInRecording => {
            "keep maskAllText and maskAllInputs on, and mask customer-data routes (see SPA101, SPA103, SPA201)"
        }
        Rule::ReplayMediaInRecording => "keep blockAllMedia on (see SPA102)",
        _ => "",
    }
}

/// The audit as a report for the output renderers: a file per audited file (its text is not
/// kept; findings carry their place), findings sorted by file, line, column and code.
pub fn report(audits: &[FileAudit]) -> Report {
    let mut report = Report {
        checked: audits.len(),
        ..Report::default()
    };
    for (i, a) in audits.iter().enumerate() {
        report.files.push(SourceFile::new(
            a.display.clone(),
            a.path.clone(),
            Lang::Data,
            String::new(),
        ));
        report.models.push(Default::default());
        report.policies.push(Vec::new());
        report.focused.push(true);
        let mut hits: Vec<&Hit> = a.hits.iter().collect();
        hits.sort_by(|x, y| (x.pos, x.rule.code()).cmp(&(y.pos, y.rule.code())));
        for h in hits {
            let mut message = h.message.clone();
            if h.count > 1 {
                message.push_str(&format!(
                    " ({} more at the same path in other events or items of this file)",
                    h.count - 1
                ));
            }
            report.findings.push(Finding {
                rule: h.rule,
                file: i,
                range: 0..0,
                severity: h.severity,
                message,
                help: help(h.rule).to_string(),
                fix: None,
                suppressed: None,
                data: Some(DataLocation {
                    line: h.pos.line,
                    column: h.pos.column,
                    json_path: h.json_path.clone(),
                }),
            });
        }
        if a.dropped > 0 {
            report.warnings.push(format!(
                "{}: more than {MAX_HITS} distinct findings; {} more were not listed",
                a.display, a.dropped
            ));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_replace_indices_only() {
        assert_eq!(
            shape("exception.values[0].stacktrace.frames[12].vars[\"x-1\"]"),
            "exception.values[*].stacktrace.frames[*].vars[\"x-1\"]"
        );
    }

    #[test]
    fn event_file_names() {
        for yes in [
            "a.json",
            "b.JSONL",
            "c.ndjson",
            "d.envelope",
            "e.envelope.gz",
            "s.rrweb.zz",
        ] {
            assert!(is_event_file(Path::new(yes)), "{yes}");
        }
        for no in ["a.txt", "b.py", "json", "c.gz"] {
            assert!(!is_event_file(Path::new(no)), "{no}");
        }
    }
}
