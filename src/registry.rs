//! The rule registry: every rule's code, name, criterion, default severity and fix availability, as
//! data, and its documentation, read from the doc comment at the top of the rule's own file (written
//! once, shown by `rule CODE`, the README table and SARIF's help text).
//!
//! A leaf: it imports nothing of the pipeline, so that findings, fixes, the configuration and the
//! rules can all name rules without an import circle.

use std::fmt;
use std::sync::OnceLock;

/// The severity of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The review's acceptance criteria that rules are judged against, with their default wording
/// (a configuration's `[criteria]` table may word them as its own review does).
pub const CRITERIA: [(&str, &str); 5] = [
    (
        "AC1",
        "no user identities sent (send_default_pii off), or events explicitly scrubbed",
    ),
    ("AC2", "customer-data routes masked in Session Replay"),
    ("AC3", "scrubbing rules remove the customer-data fields"),
    (
        "AC4",
        "the verification document's Sentry row can flip to pass",
    ),
    (
        "AC5",
        "error events carry no ticket or conversation content",
    ),
];

/// The default wording of a criterion.
pub fn criterion_text(code: &str) -> Option<&'static str> {
    CRITERIA.iter().find(|c| c.0 == code).map(|c| c.1)
}

/// Whether a rule's findings can carry a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// Never: the finding needs a person.
    None,
    /// For some findings (a literal, a layout the fix understands).
    Sometimes,
    /// For every finding.
    Always,
}

/// Every rule, in code order. The code is a contract: it never changes meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    ParseError,
    SendDefaultPii,
    CustomerFieldsNotScrubbed,
    ScrubberReplacesDefaults,
    RequestBodiesSent,
    LocalVariablesSent,
    IgnoredOption,
    AiContentSent,
    PayloadDataSent,
    ReplayTextUnmasked,
    ReplayMediaUnblocked,
    ReplayInputsUnmasked,
    ReplaySamplingWhileUnmasked,
    FrontendSendDefaultPii,
    ReplayNetworkBodies,
    ReplayNetworkHeaders,
    ReplayBroadUnmask,
    ReplayCanvas,
    CustomerDataRouteUnmasked,
    EventUnreadable,
    CustomerFieldInEvent,
    PersonalDataInEvent,
    CredentialInEvent,
    RequestBodyInEvent,
    FrameVarsInEvent,
    ReplayTextInRecording,
    ReplayMediaInRecording,
    UnusedSuppression,
}

/// What the registry knows of a rule besides its documentation.
struct Entry {
    rule: Rule,
    code: &'static str,
    name: &'static str,
    criterion: Option<&'static str>,
    severity: Severity,
    fix: FixAvailability,
    /// The rule's source file: its leading `//!` comment is the documentation.
    source: &'static str,
}

macro_rules! entry {
    // The rules of `audit-events`, documented in `src/evidence/rules/`.
    ($rule:ident, $code:literal, $name:literal, $criterion:expr, $severity:ident, $fix:ident, evidence $file:literal) => {
        entry!(@ $rule, $code, $name, $criterion, $severity, $fix, concat!("evidence/rules/", $file, ".rs"))
    };
    ($rule:ident, $code:literal, $name:literal, $criterion:expr, $severity:ident, $fix:ident, $file:literal) => {
        entry!(@ $rule, $code, $name, $criterion, $severity, $fix, concat!("rules/", $file, ".rs"))
    };
    (@ $rule:ident, $code:literal, $name:literal, $criterion:expr, $severity:ident, $fix:ident, $($source:tt)+) => {
        Entry {
            rule: Rule::$rule,
            code: $code,
            name: $name,
            criterion: $criterion,
            severity: Severity::$severity,
            fix: FixAvailability::$fix,
            source: include_str!($($source)+),
        }
    };
}

#[rustfmt::skip]
static ENTRIES: [Entry; Rule::COUNT] = [
    entry!(ParseError, "SPA000", "parse-error", None, Error, None, "parse_error"),
    entry!(SendDefaultPii, "SPA001", "send-default-pii", Some("AC1"), Error, Sometimes, "send_default_pii"),
    entry!(CustomerFieldsNotScrubbed, "SPA002", "customer-fields-not-scrubbed", Some("AC3"), Error, Sometimes, "customer_fields_not_scrubbed"),
    entry!(ScrubberReplacesDefaults, "SPA003", "scrubber-replaces-defaults", Some("AC3"), Error, Sometimes, "scrubber_replaces_defaults"),
    entry!(RequestBodiesSent, "SPA004", "request-bodies-sent", Some("AC5"), Error, Sometimes, "request_bodies_sent"),
    entry!(LocalVariablesSent, "SPA005", "local-variables-sent", Some("AC5"), Error, Sometimes, "local_variables_sent"),
    entry!(IgnoredOption, "SPA006", "ignored-option", Some("AC1"), Error, Sometimes, "ignored_option"),
    entry!(AiContentSent, "SPA007", "ai-content-sent", Some("AC5"), Error, Sometimes, "ai_content_sent"),
    entry!(PayloadDataSent, "SPA008", "payload-data-sent", Some("AC5"), Error, Sometimes, "payload_data_sent"),
    entry!(ReplayTextUnmasked, "SPA101", "replay-text-unmasked", Some("AC2"), Error, Sometimes, "replay_text_unmasked"),
    entry!(ReplayMediaUnblocked, "SPA102", "replay-media-unblocked", Some("AC2"), Error, Sometimes, "replay_media_unblocked"),
    entry!(ReplayInputsUnmasked, "SPA103", "replay-inputs-unmasked", Some("AC2"), Error, Sometimes, "replay_inputs_unmasked"),
    entry!(ReplaySamplingWhileUnmasked, "SPA104", "replay-sampling-while-unmasked", Some("AC2"), Error, Sometimes, "replay_sampling_while_unmasked"),
    entry!(FrontendSendDefaultPii, "SPA105", "frontend-send-default-pii", Some("AC1"), Error, Sometimes, "frontend_send_default_pii"),
    entry!(ReplayNetworkBodies, "SPA106", "replay-network-bodies", Some("AC2"), Error, Sometimes, "replay_network_bodies"),
    entry!(ReplayNetworkHeaders, "SPA107", "replay-network-headers", Some("AC2"), Error, Sometimes, "replay_network_headers"),
    entry!(ReplayBroadUnmask, "SPA108", "replay-broad-unmask", Some("AC2"), Error, None, "replay_broad_unmask"),
    entry!(ReplayCanvas, "SPA109", "replay-canvas", Some("AC2"), Error, None, "replay_canvas"),
    entry!(CustomerDataRouteUnmasked, "SPA201", "customer-data-route-unmasked", Some("AC2"), Error, Sometimes, "customer_data_route_unmasked"),
    entry!(EventUnreadable, "SPA300", "event-unreadable", Some("AC5"), Error, None, evidence "event_unreadable"),
    entry!(CustomerFieldInEvent, "SPA301", "customer-field-in-event", Some("AC5"), Error, None, evidence "customer_field_in_event"),
    entry!(PersonalDataInEvent, "SPA302", "personal-data-in-event", Some("AC5"), Error, None, evidence "personal_data_in_event"),
    entry!(CredentialInEvent, "SPA303", "credential-in-event", Some("AC5"), Error, None, evidence "credential_in_event"),
    entry!(RequestBodyInEvent, "SPA304", "request-body-in-event", Some("AC5"), Error, None, evidence "request_body_in_event"),
    entry!(FrameVarsInEvent, "SPA305", "frame-vars-in-event", Some("AC5"), Error, None, evidence "frame_vars_in_event"),
    entry!(ReplayTextInRecording, "SPA311", "replay-text-in-recording", Some("AC2"), Error, None, evidence "replay_text_in_recording"),
    entry!(ReplayMediaInRecording, "SPA312", "replay-media-in-recording", Some("AC2"), Error, None, evidence "replay_media_in_recording"),
    entry!(UnusedSuppression, "SPA900", "unused-suppression", None, Warning, Always, "unused_suppression"),
];

/// A rule's documentation, from its doc comment.
#[derive(Debug, Default, Clone)]
pub struct Documentation {
    /// One line: what it flags (the header line after the code and name).
    pub summary: String,
    pub what: String,
    pub why: String,
    /// The example, with its code blocks, as written (Markdown).
    pub example: String,
    pub fix_safety: String,
    /// Everything after the header, as Markdown.
    pub body: String,
}

impl Rule {
    pub const COUNT: usize = 28;

    /// Every rule, in code order.
    pub const ALL: [Rule; Rule::COUNT] = [
        Rule::ParseError,
        Rule::SendDefaultPii,
        Rule::CustomerFieldsNotScrubbed,
        Rule::ScrubberReplacesDefaults,
        Rule::RequestBodiesSent,
        Rule::LocalVariablesSent,
        Rule::IgnoredOption,
        Rule::AiContentSent,
        Rule::PayloadDataSent,
        Rule::ReplayTextUnmasked,
        Rule::ReplayMediaUnblocked,
        Rule::ReplayInputsUnmasked,
        Rule::ReplaySamplingWhileUnmasked,
        Rule::FrontendSendDefaultPii,
        Rule::ReplayNetworkBodies,
        Rule::ReplayNetworkHeaders,
        Rule::ReplayBroadUnmask,
        Rule::ReplayCanvas,
        Rule::CustomerDataRouteUnmasked,
        Rule::EventUnreadable,
        Rule::CustomerFieldInEvent,
        Rule::PersonalDataInEvent,
        Rule::CredentialInEvent,
        Rule::RequestBodyInEvent,
        Rule::FrameVarsInEvent,
        Rule::ReplayTextInRecording,
        Rule::ReplayMediaInRecording,
        Rule::UnusedSuppression,
    ];

    fn entry(self) -> &'static Entry {
        let e = &ENTRIES[self as usize];
        debug_assert_eq!(e.rule, self);
        e
    }

    pub fn code(self) -> &'static str {
        self.entry().code
    }

    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The review's acceptance criterion (AC1..AC5).
    pub fn criterion(self) -> Option<&'static str> {
        self.entry().criterion
    }

    /// The severity of its definite findings.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    pub fn fix_availability(self) -> FixAvailability {
        self.entry().fix
    }

    /// The rules whose fixes go first when both are pending: their fixes may settle this rule's
    /// finding in a way that changes less (SPA104 lowers the sample rate only while masking is
    /// off, and SPA101–SPA103 turn it back on; SPA201 masks a route only while text is recorded).
    pub fn fix_waits_for(self) -> &'static [Rule] {
        match self {
            Rule::ReplaySamplingWhileUnmasked => &[
                Rule::ReplayTextUnmasked,
                Rule::ReplayMediaUnblocked,
                Rule::ReplayInputsUnmasked,
            ],
            Rule::CustomerDataRouteUnmasked => &[Rule::ReplayTextUnmasked],
            _ => &[],
        }
    }

    /// The rule by its code (any case).
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code))
    }

    /// The README anchor of its documentation.
    pub fn anchor(self) -> String {
        format!("{}-{}", self.code().to_lowercase(), self.name())
    }

    /// Its documentation, parsed once from the rule file's doc comment.
    pub fn doc(self) -> &'static Documentation {
        static DOCS: OnceLock<Vec<Documentation>> = OnceLock::new();
        &DOCS.get_or_init(|| ENTRIES.iter().map(|e| parse_doc(e.source)).collect())[self as usize]
    }

    /// One line: what it flags.
    pub fn summary(self) -> &'static str {
        &self.doc().summary
    }

    /// A sentence or two: what it flags and why that leaks data (SARIF `fullDescription`).
    pub fn description(self) -> String {
        let d = self.doc();
        let mut s = format!("{} {}", sentence(&d.what), sentence(&d.why));
        s.truncate(s.trim_end().len());
        s
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Capitalise and fold the white space of a doc paragraph.
fn sentence(s: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = folded.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Read the leading `//!` comment: a header `CODE name (criterion): summary.`, then paragraphs led
/// by `**What:**`, `**Why:**`, `**Example:**` and `**Fix safety:**`.
fn parse_doc(source: &str) -> Documentation {
    let lines: Vec<&str> = source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect();
    let header = lines.first().copied().unwrap_or("");
    let summary = header
        .split_once("): ")
        .or_else(|| header.split_once(": "))
        .map(|(_, s)| s.trim().trim_end_matches('.').to_string())
        .unwrap_or_default();
    let body = lines.get(1..).unwrap_or(&[]).join("\n").trim().to_string();
    let mut doc = Documentation {
        summary,
        body: body.clone(),
        ..Documentation::default()
    };
    const LABELS: [&str; 4] = ["**What:**", "**Why:**", "**Example:**", "**Fix safety:**"];
    let mut sections: [String; 4] = Default::default();
    let mut current: Option<usize> = None;
    for line in body.lines() {
        if let Some((i, rest)) = LABELS
            .iter()
            .enumerate()
            .find_map(|(i, l)| line.strip_prefix(l).map(|r| (i, r)))
        {
            sections[i].push_str(rest.trim_start());
            current = Some(i);
        } else if let Some(i) = current {
            sections[i].push('\n');
            sections[i].push_str(line);
        }
    }
    let [what, why, example, fix_safety] = sections.map(|s| s.trim().to_string());
    doc.what = what;
    doc.why = why;
    doc.example = example;
    doc.fix_safety = fix_safety;
    doc
}

/// `--select`/`--ignore` entries: `ALL`, a code, or a code prefix (`SPA1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Prefix(String),
}

impl RuleSelector {
    /// A selector that matches at least one rule.
    pub fn parse(s: &str) -> Option<RuleSelector> {
        let s = s.trim().to_ascii_uppercase();
        if s == "ALL" {
            return Some(RuleSelector::All);
        }
        Rule::ALL
            .iter()
            .any(|r| r.code().starts_with(&s))
            .then_some(RuleSelector::Prefix(s))
    }

    pub fn matches(&self, rule: Rule) -> bool {
        match self {
            RuleSelector::All => true,
            RuleSelector::Prefix(p) => rule.code().starts_with(p.as_str()),
        }
    }
}

/// A set of rules, resolved once from the selectors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSet(u64);

impl RuleSet {
    pub fn all() -> RuleSet {
        RuleSet((1u64 << Rule::COUNT) - 1)
    }

    /// The rules some `select` selector matches and no `ignore` selector does.
    pub fn resolve(select: &[RuleSelector], ignore: &[RuleSelector]) -> RuleSet {
        let mut set = RuleSet::default();
        for r in Rule::ALL {
            if select.iter().any(|s| s.matches(r)) && !ignore.iter().any(|s| s.matches(r)) {
                set.insert(r);
            }
        }
        set
    }

    pub fn insert(&mut self, r: Rule) {
        self.0 |= 1 << r as u64;
    }

    pub fn remove(&mut self, r: Rule) {
        self.0 &= !(1 << r as u64);
    }

    pub fn contains(self, r: Rule) -> bool {
        self.0 & (1 << r as u64) != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_in_code_order_and_documented() {
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
            assert_eq!(ENTRIES[i].rule, *r);
            let doc = r.doc();
            assert!(
                ENTRIES[i]
                    .source
                    .starts_with(&format!("//! {} {}", r.code(), r.name())),
                "{}: the doc comment starts with the code and name",
                r.code()
            );
            assert!(!doc.summary.is_empty(), "{}: summary", r.code());
            assert!(!doc.what.is_empty(), "{}: **What:**", r.code());
            assert!(!doc.why.is_empty(), "{}: **Why:**", r.code());
            assert!(!doc.fix_safety.is_empty(), "{}: **Fix safety:**", r.code());
        }
        let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn selectors_resolve_once() {
        let set = RuleSet::resolve(
            &[RuleSelector::parse("spa1").unwrap()],
            &[RuleSelector::parse("SPA104").unwrap()],
        );
        assert!(set.contains(Rule::ReplayTextUnmasked));
        assert!(!set.contains(Rule::ReplaySamplingWhileUnmasked));
        assert!(!set.contains(Rule::SendDefaultPii));
        assert_eq!(RuleSelector::parse("SPA7"), None);
        assert_eq!(Rule::from_code("spa001"), Some(Rule::SendDefaultPii));
    }
}
