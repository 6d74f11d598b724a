//! The rules: a registry of stable codes, one module per rule. Rules only report: each is a pure
//! function from the extracted model to findings.

use crate::config::Config;
use crate::diagnostic::{Finding, Severity, Sink};
use crate::model::{FileModel, Sdk, SentryInit};
use crate::source::SourceFile;

mod customer_data_route_unmasked;
mod customer_fields_not_scrubbed;
mod fixes;
mod frontend_send_default_pii;
mod local_variables_sent;
mod parse_error;
mod replay;
mod replay_inputs_unmasked;
mod replay_media_unblocked;
mod replay_sampling_while_unmasked;
mod replay_text_unmasked;
mod request_bodies_sent;
mod scrubber_replaces_defaults;
mod send_default_pii;
mod unused_suppression;

/// A rule's identity: the code is a contract.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The review's acceptance criterion (AC1..AC5).
    pub criterion: Option<&'static str>,
    /// The severity of its definite findings.
    pub severity: Severity,
    /// One line: what it flags.
    pub summary: &'static str,
    /// A sentence or two: what it flags and why that leaks data (SARIF `fullDescription`).
    pub description: &'static str,
    check: fn(&Context, &mut Sink),
}

impl Rule {
    /// The README anchor of its documentation.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.code.to_lowercase(), self.name)
    }
}

/// Every rule, in code order.
pub static RULES: [&Rule; 11] = [
    &parse_error::RULE,
    &send_default_pii::RULE,
    &customer_fields_not_scrubbed::RULE,
    &scrubber_replaces_defaults::RULE,
    &request_bodies_sent::RULE,
    &local_variables_sent::RULE,
    &replay_text_unmasked::RULE,
    &replay_media_unblocked::RULE,
    &replay_inputs_unmasked::RULE,
    &replay_sampling_while_unmasked::RULE,
    &frontend_send_default_pii::RULE,
];

/// Rules registered after the per-init ones (they need the whole tree, or the other findings).
pub static TREE_RULES: [&Rule; 2] = [
    &customer_data_route_unmasked::RULE,
    &unused_suppression::RULE,
];

pub fn all() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(TREE_RULES.iter()).copied()
}

pub fn by_code(code: &str) -> Option<&'static Rule> {
    all().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// `--select`/`--ignore` entries: `ALL`, a code, or a code prefix (`SPA1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Prefix(String),
}

impl RuleSelector {
    pub fn parse(s: &str) -> Option<RuleSelector> {
        let s = s.trim().to_ascii_uppercase();
        if s == "ALL" {
            return Some(RuleSelector::All);
        }
        all()
            .any(|r| r.code.starts_with(&s))
            .then_some(RuleSelector::Prefix(s))
    }

    pub fn matches(&self, code: &str) -> bool {
        match self {
            RuleSelector::All => true,
            RuleSelector::Prefix(p) => code.starts_with(p.as_str()),
        }
    }
}

/// What the rules see: every checked file, its model, and the configuration.
pub struct Context<'a> {
    pub files: &'a [SourceFile],
    pub models: &'a [FileModel],
    pub config: &'a Config,
}

impl Context<'_> {
    /// Every init of the tree with the index of its file.
    pub fn inits(&self) -> impl Iterator<Item = (usize, &SentryInit)> {
        self.models
            .iter()
            .enumerate()
            .flat_map(|(i, m)| m.inits.iter().map(move |init| (i, init)))
    }

    pub fn inits_of(&self, sdk: Sdk) -> impl Iterator<Item = (usize, &SentryInit)> {
        self.inits().filter(move |(_, i)| i.sdk == sdk)
    }

    pub fn text(&self, file: usize, range: std::ops::Range<usize>) -> &str {
        &self.files[file].text[range]
    }
}

/// Run every enabled rule; severities come from the configuration.
pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in all() {
        if ctx.config.severity_of(rule.code, rule.severity).is_none() {
            continue;
        }
        let mut found = Vec::new();
        (rule.check)(
            ctx,
            &mut Sink {
                rule,
                out: &mut found,
            },
        );
        // A severity set in the configuration replaces the one the rule gave each finding.
        findings.extend(found.into_iter().filter_map(|mut f| {
            f.severity = ctx.config.severity_of(rule.code, f.severity)?;
            Some(f)
        }));
    }
    unused_suppression::apply(ctx, &mut findings);
    findings
}

/// Shared wording for values that only may be unsafe.
pub(crate) fn may_be_note(text: &str) -> String {
    format!("`{text}` cannot be evaluated here; it may be unsafe at run time")
}

/// A value as written, with what it resolves to when that differs (`SEND_PII` → `True`).
pub(crate) fn shown_value(value: &crate::model::Evaluated, python: bool) -> String {
    let text = value.text.as_str();
    match value.value.literal() {
        Some(l) if !fixes::spelled_as_literal(text) => {
            format!("`{}` (`{text}`)", l.display(python))
        }
        _ => format!("`{text}`"),
    }
}

/// How a value that only may be unsafe is described: what it depends on.
pub(crate) fn describe_maybe(value: &crate::model::Evaluated, python: bool) -> String {
    use crate::model::Value;
    match &value.value {
        Value::Env { var, default } => match default {
            Some(d) => format!(
                "`{}` depends on the environment variable or setting `{var}` (default {})",
                value.text,
                d.display(python)
            ),
            None => format!(
                "`{}` depends on the environment variable or setting `{var}`",
                value.text
            ),
        },
        // A condition that is not source text (several bindings) is already worded.
        Value::Conditional { condition, .. } if condition.contains('`') => {
            format!("`{}` depends on {condition}", value.text)
        }
        Value::Conditional { condition, .. } => {
            format!("`{}` depends on `{condition}`", value.text)
        }
        _ => may_be_note(&value.text),
    }
}

/// A rule about one option: which values are unsafe, what they cause, and the safe value a fix
/// writes.
pub(crate) struct OptionRule<'a> {
    pub name: &'a str,
    pub unsafe_value: &'a dyn Fn(&crate::model::Literal) -> bool,
    pub python: bool,
    /// Completes "`name` is `value`: ...".
    pub consequence: &'a str,
    pub help: &'a str,
    /// The safe value, as source text (`False`, `true`, `"never"`).
    pub safe_value: &'a str,
}

impl OptionRule<'_> {
    /// Judge the option in `options`; returns the verdict.
    pub(crate) fn judge(
        &self,
        sink: &mut Sink,
        file: usize,
        options: &crate::model::Options,
    ) -> crate::model::Verdict {
        use crate::model::Verdict;
        let name = self.name;
        let consequence = self.consequence;
        match options.get(name) {
            Some(opt) => {
                let verdict = opt.value.value.test(self.unsafe_value);
                let (severity, message) = match verdict {
                    Verdict::Yes => (
                        Severity::Error,
                        format!(
                            "`{name}` is {}: {consequence}",
                            shown_value(&opt.value, self.python)
                        ),
                    ),
                    Verdict::Maybe => (
                        Severity::Warning,
                        format!(
                            "`{name}` may be unsafe: {}; if it is, {consequence}",
                            describe_maybe(&opt.value, self.python)
                        ),
                    ),
                    Verdict::No => return verdict,
                };
                let mut fix = fixes::set_value(opt, self.safe_value);
                if verdict == Verdict::Maybe {
                    fix.applicability = crate::fix::Applicability::Unsafe;
                }
                sink.report(file, opt.key.clone(), severity, message, self.help)
                    .fix = Some(fix);
                verdict
            }
            None => match options.opaque.first() {
                Some(op) => {
                    sink.report(
                        file,
                        op.range.clone(),
                        Severity::Warning,
                        format!(
                            "`{name}` is not set explicitly and may be set through `{}`, which cannot be seen here; if it is unsafe, {consequence}",
                            op.text
                        ),
                        format!("set `{name}` explicitly. {}", self.help),
                    );
                    Verdict::Maybe
                }
                None => Verdict::No,
            },
        }
    }
}

impl OptionRule<'_> {
    /// For a Python option whose SDK default is unsafe: absent (and not possibly set through
    /// `**kwargs`) is a warning at the init, fixed by inserting the safe value (unsafe: it adds
    /// code); otherwise judged like any option.
    pub(crate) fn judge_unsafe_default(
        &self,
        sink: &mut Sink,
        file: usize,
        text: &str,
        init: &SentryInit,
        absent_message: &str,
    ) {
        if init.options.get(self.name).is_some() || !init.options.opaque.is_empty() {
            self.judge(sink, file, &init.options);
            return;
        }
        let item = format!("{}={}", self.name, self.safe_value);
        let finding = sink.report(
            file,
            init.callee.clone(),
            Severity::Warning,
            absent_message,
            self.help,
        );
        if let Some(args) = &init.args {
            finding.fix = Some(crate::fix::Fix::unsafe_edit(
                format!("insert `{item}`"),
                fixes::insert_items(text, args, std::slice::from_ref(&item)),
            ));
        }
    }
}
