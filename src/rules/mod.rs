//! The rules: a registry of stable codes, one module per rule. Rules only report: each is a pure
//! function from the extracted model to findings.

use crate::config::Config;
use crate::diagnostic::{Finding, Severity, Sink};
use crate::model::{FileModel, Sdk, SentryInit};
use crate::source::SourceFile;

pub(crate) mod ai_content_sent;
pub(crate) mod customer_data_route_unmasked;
pub(crate) mod customer_fields_not_scrubbed;
pub(crate) mod fixes;
pub(crate) mod frontend_send_default_pii;
pub(crate) mod identity;
pub(crate) mod ignored_option;
pub(crate) mod local_variables_sent;
pub(crate) mod parse_error;
pub(crate) mod payload_data_sent;
pub(crate) mod replay;
pub(crate) mod replay_broad_unmask;
pub(crate) mod replay_canvas;
pub(crate) mod replay_inputs_unmasked;
pub(crate) mod replay_media_unblocked;
pub(crate) mod replay_network_bodies;
pub(crate) mod replay_network_headers;
pub(crate) mod replay_sampling_while_unmasked;
pub(crate) mod replay_text_unmasked;
pub(crate) mod request_bodies_sent;
pub(crate) mod scrubber_replaces_defaults;
pub(crate) mod send_default_pii;
pub(crate) mod unused_suppression;

pub use crate::registry::{Rule, RuleSelector, RuleSet};

/// The check of a rule (SPA900 runs in [`check`] after the others, on their findings).
fn check_fn(rule: Rule) -> fn(&Context, &mut Sink) {
    match rule {
        Rule::ParseError => parse_error::check,
        Rule::SendDefaultPii => send_default_pii::check,
        Rule::CustomerFieldsNotScrubbed => customer_fields_not_scrubbed::check,
        Rule::ScrubberReplacesDefaults => scrubber_replaces_defaults::check,
        Rule::RequestBodiesSent => request_bodies_sent::check,
        Rule::LocalVariablesSent => local_variables_sent::check,
        Rule::IgnoredOption => ignored_option::check,
        Rule::AiContentSent => ai_content_sent::check,
        Rule::PayloadDataSent => payload_data_sent::check,
        Rule::ReplayTextUnmasked => replay_text_unmasked::check,
        Rule::ReplayMediaUnblocked => replay_media_unblocked::check,
        Rule::ReplayInputsUnmasked => replay_inputs_unmasked::check,
        Rule::ReplaySamplingWhileUnmasked => replay_sampling_while_unmasked::check,
        Rule::FrontendSendDefaultPii => frontend_send_default_pii::check,
        Rule::ReplayNetworkBodies => replay_network_bodies::check,
        Rule::ReplayNetworkHeaders => replay_network_headers::check,
        Rule::ReplayBroadUnmask => replay_broad_unmask::check,
        Rule::ReplayCanvas => replay_canvas::check,
        Rule::CustomerDataRouteUnmasked => customer_data_route_unmasked::check,
        Rule::UnusedSuppression => unused_suppression::check,
        // Judged by `audit-events` over event data (src/evidence/), not over source.
        Rule::EventUnreadable
        | Rule::CustomerFieldInEvent
        | Rule::PersonalDataInEvent
        | Rule::CredentialInEvent
        | Rule::RequestBodyInEvent
        | Rule::FrameVarsInEvent
        | Rule::ReplayTextInRecording
        | Rule::ReplayMediaInRecording => |_, _| {},
    }
}

/// What the rules see: every checked file, its model, and the configuration.
pub struct Context<'a> {
    pub files: &'a [SourceFile],
    pub models: &'a [FileModel],
    /// Per file, the policy of each init (in the order of the model's inits).
    pub policies: &'a [Vec<crate::policy::Policy>],
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

    /// Every init of one SDK with the index of its file and its policy.
    pub fn judged(
        &self,
        sdk: Sdk,
    ) -> impl Iterator<Item = (usize, &SentryInit, &crate::policy::Policy)> {
        self.models.iter().enumerate().flat_map(move |(i, m)| {
            m.inits
                .iter()
                .zip(&self.policies[i])
                .filter(move |(init, _)| init.sdk == sdk)
                .map(move |(init, p)| (i, init, p))
        })
    }

    pub fn text(&self, file: usize, range: std::ops::Range<usize>) -> &str {
        &self.files[file].text[range]
    }
}

/// Run every enabled rule; severities come from the configuration.
pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in Rule::ALL {
        if ctx.config.severity_of(rule, rule.severity()).is_none() {
            continue;
        }
        let mut found = Vec::new();
        check_fn(rule)(
            ctx,
            &mut Sink {
                rule,
                out: &mut found,
            },
        );
        // A severity set in the configuration replaces the one the rule gave each finding.
        findings.extend(found.into_iter().filter_map(|mut f| {
            f.severity = ctx.config.severity_of(rule, f.severity)?;
            // An option written in another file is reported where it enters this one; a fix
            // there would rewrite the import, not the option.
            let foreign = &ctx.models[f.file].foreign;
            if f.fix.as_ref().is_some_and(|fx| {
                fx.edits.iter().any(|e| {
                    foreign.iter().any(|r| {
                        e.range.start < r.end && r.start < e.range.end.max(e.range.start + 1)
                    })
                })
            }) {
                f.fix = None;
            }
            Some(f)
        }));
    }
    unused_suppression::apply(ctx, &mut findings);
    findings
}

/// A category finding: how severe, where, and what to say.
pub(crate) struct CategoryFinding {
    pub severity: Severity,
    pub range: std::ops::Range<usize>,
    pub message: String,
}

/// Judge one category of an init's policy: sent (collected or filtered) is an error when an option
/// says so and a warning when it is the version's default; a run-time value or an unseen source is
/// a warning. `consequence` completes the sentence for a value that may turn it on.
pub(crate) fn judge_category(
    init: &SentryInit,
    policy: &crate::policy::Policy,
    category: crate::policy::Category,
    consequence: &str,
) -> Option<CategoryFinding> {
    use crate::policy::State;
    let d = policy.get(category);
    let (severity, message) = match d.state {
        State::Off => return None,
        State::Collected | State::Filtered if d.at.is_some() => (
            Severity::Error,
            format!("{} ({})", d.because, policy.judged),
        ),
        State::Collected | State::Filtered => (
            Severity::Warning,
            format!("{} ({})", d.because, policy.judged),
        ),
        // The reason already says what the default does.
        State::Unknown { .. } if d.because.contains(crate::policy::UNSEEN_DEFAULT) => (
            Severity::Warning,
            format!("{} ({})", d.because, policy.judged),
        ),
        State::Depends { .. } | State::Unknown { .. } => (
            Severity::Warning,
            format!(
                "{}; if it does, {consequence} ({})",
                d.because, policy.judged
            ),
        ),
    };
    Some(CategoryFinding {
        severity,
        range: d.at.clone().unwrap_or_else(|| init.callee.clone()),
        message,
    })
}

/// Shared wording for values that only may be unsafe.
pub(crate) fn may_be_note(text: &str) -> String {
    format!("`{text}` cannot be evaluated here; it may be unsafe at run time")
}

/// A value as written, with what it resolves to when that differs (`SEND_PII` → `True`).
pub(crate) fn shown_value(value: &crate::model::Evaluated, python: bool) -> String {
    let text = value.text.as_str();
    if let Some(origin) = &value.origin {
        return match value.value.literal() {
            Some(l) => format!("`{}` (in `{origin}`)", l.display(python)),
            None => format!("`{text}` (in `{origin}`)"),
        };
    }
    match value.value.literal() {
        Some(l) if !value.literal => {
            format!("`{}` (`{text}`)", l.display(python))
        }
        _ => format!("`{text}`"),
    }
}

/// How a value that only may be unsafe is described: what it depends on.
pub(crate) fn describe_maybe(value: &crate::model::Evaluated, python: bool) -> String {
    use crate::model::Value;
    let described = match &value.value {
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
    };
    match &value.origin {
        Some(o) => format!("{described} (in `{o}`)"),
        None => described,
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
                let value = &opt.value.value;
                let prod = value.in_production();
                // Unsafe in production, by the branch a condition says production takes: as
                // definite as a literal, whatever other environments do.
                let in_production = prod != value && prod.test(self.unsafe_value) == Verdict::Yes;
                let verdict = if in_production {
                    Verdict::Yes
                } else {
                    value.test(self.unsafe_value)
                };
                let (severity, message) = match verdict {
                    Verdict::Yes if in_production => (
                        Severity::Error,
                        format!(
                            "`{name}` is `{}` in production (from `{}`): {consequence}",
                            prod.literal()
                                .map(|l| l.display(self.python))
                                .unwrap_or_default(),
                            opt.value.text
                        ),
                    ),
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
                            "`{name}` is not set explicitly and may be set through {}; if it is unsafe, {consequence}",
                            op.unseen()
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
