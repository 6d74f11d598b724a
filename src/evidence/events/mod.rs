//! `audit-events`: customer and personal data in events as Sentry receives them (SDK events and
//! envelopes, the API's and UI's JSON, JSON lines) and in Session Replay recordings (rrweb
//! events, compressed as the SDK sends them).
//!
//! Files are read as streams: each event is walked while it is parsed ([`walk`]), keeping only the
//! path to the current value, and each rrweb event is parsed alone ([`replay`]). JSON lines (in
//! blocks that each thread reads itself) and the events of an array are judged in batches on every
//! core and merged in the order of the file (`input`), so that memory stays bounded by a few
//! batches per core (or the largest single event), whatever the size of the file. Findings of one rule at the same JSON path (indices
//! aside) are reported once per file, with a count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::Report;
use crate::config::Config;
use crate::diagnostic::{DataLocation, Finding, Severity};
use crate::registry::Rule;
use crate::source::{Lang, SourceFile};

pub(crate) mod bytes;
mod input;
pub mod replay;
mod text;
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
        // In the order of `Rule::ALL`, which is the order of the enum.
        match self.severity.get(rule as usize) {
            Some((r, s)) if *r == rule => *s,
            _ => self
                .severity
                .iter()
                .find(|(r, _)| *r == rule)
                .and_then(|(_, s)| *s),
        }
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
///
/// `plain`, the one field read of most keys, comes first (`repr(C)`). The parser's loop copies a
/// class to the stack as its first eight bytes and its last four, then reads `plain` back: a byte
/// read where a copy starts is handed over from the copy at once, and one read from its middle
/// (where `plain` was laid out before) waited for the copy to be written. On the development
/// machine's processor (AMD Zen 5) that wait was the hottest instruction of the loop, and putting
/// `plain` first took 4–6% off the processor time of the JSON lines, with the same instructions.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
pub struct KeyClass {
    /// None of the below (worked out once, as most keys are so).
    plain: bool,
    pub credential: bool,
    /// A header or variable that carries the sender's IP address.
    pub ip: bool,
    /// A key the walk looks for by name.
    pub named: Option<walk::Named>,
    /// The configured field it names (index into the fields).
    pub field: Option<u32>,
}

impl KeyClass {
    fn new(field: Option<u32>, credential: bool, ip: bool, named: Option<walk::Named>) -> KeyClass {
        KeyClass {
            field,
            credential,
            ip,
            named,
            plain: field.is_none() && !credential && !ip && named.is_none(),
        }
    }

    /// Nothing to judge under this key (whatever the place).
    #[inline(always)]
    pub fn plain(&self) -> bool {
        self.plain
    }
}

/// A fast hash for short keys; the keys come from the file, but a slow lookup costs at most one
/// key's classification, so hash flooding is of no concern here.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time (the multiply-and-rotate step of rustc's FxHasher), the last ones
        // with their count.
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
            h = (h ^ w).wrapping_mul(K).rotate_left(26);
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // The last eight bytes (some hashed already) when there are eight, without copying.
            let w = match short_key(rest) {
                Some((n, a, c)) if bytes.len() < 8 => a ^ c.rotate_left(32) ^ u64::from(n) << 59,
                _ => {
                    let tail = &bytes[bytes.len() - 8..];
                    u64::from_le_bytes(tail.try_into().expect("eight bytes")) ^ 1 << 63
                }
            };
            h = (h ^ w).wrapping_mul(K).rotate_left(26);
        }
        self.0 = h;
    }
}

type KeyMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<KeyHasher>>;
type RawMap = HashMap<Vec<u8>, usize, std::hash::BuildHasherDefault<KeyHasher>>;

/// Keys remembered per file at most.
const MAX_KEYS: usize = 16_384;

/// The places of [`Collector`]'s table of short keys (a power of two), few enough for the table
/// to stay in the processor's first cache.
const SHORT_BITS: u32 = 10;

/// A place of [`Collector`]'s table of short keys: a key by [`padded_key`] and what it names.
#[derive(Clone, Copy)]
struct ShortSlot {
    a: u64,
    b: u64,
    /// The key's length; [`ShortSlot::EMPTY`] when the place holds none.
    len: u8,
    class: KeyClass,
}

impl ShortSlot {
    const EMPTY: ShortSlot = ShortSlot {
        a: 0,
        b: 0,
        len: u8::MAX,
        class: KeyClass {
            field: None,
            credential: false,
            ip: false,
            named: None,
            plain: true,
        },
    };
}

/// A key of 16 bytes or fewer as its length and two numbers that, with the length, tell it apart
/// from any other (bytes read twice where the numbers overlap). [`KeyHasher`]'s form for its last
/// bytes; the table of short keys uses [`padded_key`] instead, which keys read from the text give
/// without a branch ([`padded_key_in`]). Hashing through `padded_key` was measured 2–3% slower.
fn short_key(b: &[u8]) -> Option<(u8, u64, u64)> {
    let n = b.len();
    let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("eight bytes"));
    let half = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().expect("four")));
    let (a, c) = match n {
        0 => (0, 0),
        1..=3 => (
            u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
            0,
        ),
        4..=7 => (half(0), half(n - 4)),
        8..=16 => (word(0), word(n - 8)),
        _ => return None,
    };
    Some((n as u8, a, c))
}

/// A key of 16 bytes or fewer as its length and its bytes, zero-padded to sixteen, as two numbers
/// (the first byte lowest): with the length, they tell it apart from any other.
pub(super) fn padded_key(b: &[u8]) -> Option<(u8, u64, u64)> {
    let n = b.len();
    if n > 16 {
        return None;
    }
    let mut padded = [0u8; 16];
    padded[..n].copy_from_slice(b);
    let [a, c] = [0, 8].map(|i| u64::from_le_bytes(padded[i..i + 8].try_into().expect("eight")));
    Some((n as u8, a, c))
}

/// [`padded_key`] of the `n` bytes (16 or fewer) at `text[at..]`, where `text` has sixteen bytes
/// from `at` on: read as two numbers from `text`, the bytes after the key masked out, which spares
/// a branch on the key's length.
#[inline(always)]
pub(super) fn padded_key_in(text: &[u8], at: usize, n: usize) -> (u8, u64, u64) {
    let sixteen = u128::from_le_bytes(text[at..at + 16].try_into().expect("sixteen bytes"));
    let key = sixteen & FIRST_BYTES[n];
    (n as u8, key as u64, (key >> 64) as u64)
}

/// The mask of the first `n` bytes of sixteen (the first byte lowest), for `n` up to 16.
static FIRST_BYTES: [u128; 17] = {
    let mut m = [0u128; 17];
    let mut n = 1;
    while n <= 16 {
        m[n] = u128::MAX >> (8 * (16 - n));
        n += 1;
    }
    m
};

/// The findings of one file, merged by rule and path shape.
pub struct Collector {
    settings: Settings,
    hits: Vec<Hit>,
    /// The hits by what merges them: the rule's code, the path's shape and the detail
    /// ([`Collector::merge_key`]).
    index: HashMap<String, usize>,
    /// The key of the finding being added.
    scratch: String,
    /// The hits by the walk's raw form of what merges them ([`walk::Walk`]'s `raw`, which
    /// determines the rule, the shape and the detail): a finding seen before is counted without
    /// writing its shape.
    raw: RawMap,
    keys: KeyMap<KeyClass>,
    /// What short keys name, by [`padded_key`] (empty until the first key).
    short: Vec<ShortSlot>,
    /// Findings not kept because the file had more than [`MAX_HITS`] distinct ones.
    pub dropped: usize,
    /// Whether [`MAX_HITS`] applies (a part of a file, merged into the file's collector later,
    /// keeps everything: the file's collector applies the limit as it merges, in order).
    limited: bool,
    /// What was added since [`Collector::mark`], to be undone by [`Collector::rollback`].
    journal: Vec<Undo>,
    journaling: bool,
}

/// One change to a collector, as the journal keeps it.
enum Undo {
    /// A new hit (the last one).
    Added,
    /// One more of hit N.
    Counted(usize),
    Dropped,
}

/// The findings of a part of a file, in the order they were first seen, each with its merge key.
pub struct Part {
    hits: Vec<(String, Hit)>,
}

/// The path with every index replaced by `[*]`, appended to `out`.
fn push_shape(out: &mut String, path: &str) {
    let mut in_index = false;
    // The bytes from `run` on are copied as they are, when the next change comes.
    let mut run = 0;
    for (i, &c) in path.as_bytes().iter().enumerate() {
        match c {
            b'[' => in_index = true,
            b']' if in_index => {
                in_index = false;
                out.push_str(&path[run..i]);
                out.push_str("*]");
                run = i + 1;
            }
            c if in_index && c.is_ascii_digit() => {
                out.push_str(&path[run..i]);
                run = i + 1;
            }
            // Anything else, in brackets, is a quoted key (`["x-api-key"]`), not an index.
            _ => in_index = false,
        }
    }
    out.push_str(&path[run..]);
}

#[cfg(test)]
fn shape(path: &str) -> String {
    let mut out = String::new();
    push_shape(&mut out, path);
    out
}

impl Collector {
    pub fn new(settings: Settings) -> Collector {
        Collector {
            settings,
            hits: Vec::new(),
            index: HashMap::new(),
            scratch: String::new(),
            raw: RawMap::default(),
            keys: KeyMap::default(),
            short: Vec::new(),
            dropped: 0,
            limited: true,
            journal: Vec::new(),
            journaling: false,
        }
    }

    /// A collector for a part of a file: no limit, its findings taken by [`Collector::take_part`]
    /// and merged into the file's by [`Collector::merge`].
    pub fn for_part(settings: Settings) -> Collector {
        Collector {
            limited: false,
            ..Collector::new(settings)
        }
    }

    /// What findings merge by: the rule, the path with its indices as `[*]`, and the detail.
    fn merge_key(out: &mut String, rule: Rule, path: &str, detail: &str) {
        out.clear();
        out.push_str(rule.code());
        out.push('\0');
        push_shape(out, path);
        out.push('\0');
        out.push_str(detail);
    }

    fn journal(&mut self, u: Undo) {
        if self.journaling {
            self.journal.push(u);
        }
    }

    /// Start keeping what is added, to undo it (an element of an array found broken after
    /// part of it was walked).
    pub fn mark(&mut self) {
        self.journal.clear();
        self.journaling = true;
    }

    /// Undo what was added since [`Collector::mark`], and stop keeping it.
    pub fn rollback(&mut self) {
        while let Some(u) = self.journal.pop() {
            match u {
                Undo::Added => {
                    let i = self.hits.len() - 1;
                    self.index.retain(|_, v| *v != i);
                    self.raw.retain(|_, v| *v != i);
                    self.hits.pop();
                }
                Undo::Counted(i) => self.hits[i].count -= 1,
                Undo::Dropped => self.dropped -= 1,
            }
        }
        self.journaling = false;
    }

    /// Stop keeping what is added.
    pub fn unmark(&mut self) {
        self.journal.clear();
        self.journaling = false;
    }

    /// The findings so far, in the order they were first seen; the collector is left empty of
    /// findings (what it knows of keys stays).
    pub fn take_part(&mut self) -> Part {
        self.raw.clear();
        let mut keys: Vec<String> = vec![String::new(); self.hits.len()];
        for (k, i) in self.index.drain() {
            keys[i] = k;
        }
        Part {
            hits: keys.into_iter().zip(self.hits.drain(..)).collect(),
        }
    }

    /// Merge the findings of a part of the file, which came after everything merged so far: the
    /// same as if they had been added here one by one.
    pub fn merge(&mut self, part: Part) {
        for (key, hit) in part.hits {
            if let Some(&i) = self.index.get(&key) {
                self.hits[i].count += hit.count;
            } else if self.limited && self.hits.len() >= MAX_HITS {
                self.dropped += hit.count;
            } else {
                self.index.insert(key, self.hits.len());
                self.hits.push(hit);
            }
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
    ) -> Option<usize> {
        let severity = self.settings.severity(rule)?;
        let mut key = std::mem::take(&mut self.scratch);
        Collector::merge_key(&mut key, rule, path, detail);
        if let Some(&i) = self.index.get(key.as_str()) {
            self.hits[i].count += 1;
            self.scratch = key;
            self.journal(Undo::Counted(i));
            return Some(i);
        }
        if self.limited && self.hits.len() >= MAX_HITS {
            self.dropped += 1;
            self.scratch = key;
            self.journal(Undo::Dropped);
            return None;
        }
        let i = self.hits.len();
        self.index.insert(key, i);
        self.journal(Undo::Added);
        self.hits.push(Hit {
            rule,
            severity,
            json_path: path.to_string(),
            message: message(),
            pos,
            count: 1,
        });
        Some(i)
    }

    /// Count one more of the finding of `rule` at a path of this shape ([`push_shape`]) with this
    /// detail, if there is one: `Some` with the hit it counted into (`None` when nothing is to be
    /// kept: the rule is off, or the file has too many findings). `None`: the caller adds it with
    /// its path.
    pub fn count_shaped(&mut self, rule: Rule, shape: &str, detail: &str) -> Option<Option<usize>> {
        if self.settings.severity(rule).is_none() {
            return Some(None);
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        key.push_str(rule.code());
        key.push('\0');
        key.push_str(shape);
        key.push('\0');
        key.push_str(detail);
        let counted = if let Some(&i) = self.index.get(key.as_str()) {
            self.hits[i].count += 1;
            self.journal(Undo::Counted(i));
            Some(Some(i))
        } else if self.limited && self.hits.len() >= MAX_HITS {
            self.dropped += 1;
            self.journal(Undo::Dropped);
            Some(None)
        } else {
            None
        };
        self.scratch = key;
        counted
    }

    /// Count one more of the finding whose raw key ([`walk::Walk`]'s) is `raw`, if one was
    /// remembered by it: `Some` of the hit counted (`Some(None)`: the rule is off, nothing to
    /// count). `None`: the caller counts it by its shape.
    pub fn count_raw(&mut self, rule: Rule, raw: &[u8]) -> Option<Option<usize>> {
        if self.settings.severity(rule).is_none() {
            return Some(None);
        }
        let i = *self.raw.get(raw)?;
        self.count_hit(i);
        Some(Some(i))
    }

    /// Count one more of hit `i`, found again.
    pub fn count_hit(&mut self, i: usize) {
        self.hits[i].count += 1;
        self.journal(Undo::Counted(i));
    }

    /// Remember that findings with the raw key `raw` count into hit `i`.
    pub fn remember_raw(&mut self, raw: &[u8], i: usize) {
        if self.raw.len() < MAX_KEYS {
            self.raw.insert(raw.to_vec(), i);
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn fields(&self) -> &[String] {
        &self.settings.fields
    }

    /// What a key names (remembered: events repeat their keys).
    #[inline(always)]
    pub fn classify(&mut self, key: &str) -> KeyClass {
        self.classify_padded(padded_key(key.as_bytes()), key)
    }

    /// [`Collector::classify`], given the key's [`padded_key`].
    #[inline(always)]
    pub fn classify_padded(&mut self, short: Option<(u8, u64, u64)>, key: &str) -> KeyClass {
        // Keys of 16 bytes or fewer (most) are first looked up by their bytes, as two numbers,
        // in a table that keeps the last one seen at each place.
        let slot = short.map(|(len, a, b)| {
            let h = (a ^ b.rotate_left(29) ^ u64::from(len)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (h >> (64 - SHORT_BITS)) as usize
        });
        if let (Some((len, a, b)), Some(i)) = (short, slot) {
            if let Some(slot) = self.short.get(i) {
                if (slot.len, slot.a, slot.b) == (len, a, b) {
                    return slot.class;
                }
            }
        }
        let class = self.classify_slow(key);
        if let (Some((len, a, b)), Some(i)) = (short, slot) {
            if self.short.is_empty() {
                self.short = vec![ShortSlot::EMPTY; 1 << SHORT_BITS];
            }
            self.short[i] = ShortSlot { a, b, len, class };
        }
        class
    }

    #[inline(never)]
    fn classify_slow(&mut self, key: &str) -> KeyClass {
        if let Some(c) = self.keys.get(key) {
            return *c;
        }
        let class = KeyClass::new(
            self.settings
                .fields
                .iter()
                .position(|f| f.eq_ignore_ascii_case(key))
                .and_then(|i| u32::try_from(i).ok()),
            crate::evidence::rules::credential_in_event::is_credential_key(key),
            walk::is_ip_key(key),
            walk::Named::of(key),
        );
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

    /// A short key read from the text with what follows it (any bytes) is the key padded with
    /// zeros, whatever its length and place; keys that differ, if only in their length (`a`, and
    /// `a` followed by a zero byte), never give the same numbers.
    #[test]
    fn padded_keys_read_from_the_text_are_the_keys_alone() {
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for n in 0..=16usize {
            keys.push((0..n).map(|i| b'a' + (i * 7 % 26) as u8).collect());
            keys.push(vec![0; n]);
            keys.push([vec![b'a'; n.saturating_sub(1)], vec![0; n.min(1)]].concat());
        }
        keys.sort();
        keys.dedup();
        let mut seen = HashMap::new();
        for key in &keys {
            let padded = padded_key(key).expect("short");
            assert_eq!(seen.insert(padded, key), None, "{key:?}");
            for at in [0, 1, 7, 8, 15] {
                let mut text = vec![0xffu8; at];
                text.extend_from_slice(key);
                text.extend((0..16).map(|i| [b'"', 0, b'z', 0xff][i % 4]));
                assert_eq!(padded_key_in(&text, at, key.len()), padded, "{key:?} {at}");
            }
        }
        assert!(seen.len() > 40);
        assert_eq!(padded_key(b"a"), Some((1, u64::from(b'a'), 0)));
        assert_eq!(padded_key(&[b'x'; 17]), None);
    }

    #[test]
    fn shapes_replace_indices_only() {
        assert_eq!(
            shape("exception.values[0].stacktrace.frames[12].vars[\"x-1\"]"),
            "exception.values[*].stacktrace.frames[*].vars[\"x-1\"]"
        );
    }

    /// A raw key counts into the hit it was remembered with, until that hit is undone (a broken
    /// line or element) or taken with its part: never into a hit that is gone.
    #[test]
    fn raw_keys_count_into_their_hit_until_it_is_undone_or_taken() {
        let mut c =
            Collector::for_part(Settings::from_config(&Config::defaults(PathBuf::from("."))));
        let rule = Rule::CustomerFieldInEvent;
        let a = c
            .add(rule, "extra.a", "", || "a".into(), Pos::START)
            .unwrap();
        c.remember_raw(b"a", a);
        assert_eq!(c.count_raw(rule, b"a"), Some(Some(a)));
        assert_eq!(c.count_raw(rule, b"b"), None);
        c.mark();
        let b = c
            .add(rule, "extra.b", "", || "b".into(), Pos::START)
            .unwrap();
        c.remember_raw(b"b", b);
        assert_eq!(c.count_raw(rule, b"b"), Some(Some(b)));
        assert_eq!(c.count_raw(rule, b"a"), Some(Some(a)));
        c.rollback();
        assert_eq!(c.count_raw(rule, b"b"), None);
        assert_eq!(c.hits.len(), 1);
        // Added and counted before the mark; the count since is undone.
        assert_eq!(c.hits[0].count, 2);
        assert_eq!(c.count_raw(rule, b"a"), Some(Some(a)));
        assert_eq!(c.hits[0].count, 3);
        // A hit added again after the rollback takes the place of the one undone: the raw key
        // of the one undone does not count into it.
        let again = c
            .add(rule, "extra.c", "", || "c".into(), Pos::START)
            .unwrap();
        assert_eq!(again, b);
        assert_eq!(c.count_raw(rule, b"b"), None);
        let part = c.take_part();
        assert_eq!(part.hits.len(), 2);
        assert_eq!(c.count_raw(rule, b"a"), None);
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
