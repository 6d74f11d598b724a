//! The README's generated sections: the rule table and each rule's documentation (from the
//! registry and the rules' doc comments), and what each SDK release sends (from the version
//! tables, through the policy itself). `tests/readme.rs` fails when the README differs, and
//! `UPDATE_README=1 cargo test --test readme` rewrites it.

use std::fmt::Write;
use std::path::Path;

use crate::model::{Evaluated, Literal, OptionEntry, Options, Sdk, SentryInit, Value};
use crate::policy::{self, Category, Installed, State};
use crate::registry::{FixAvailability, Rule};
use crate::sdk::facts::{self, Segment, JAVASCRIPT, PYTHON};
use crate::sdk::{Version, VersionSpec};

/// The rule table.
pub fn rules_table() -> String {
    let mut out = String::from(
        "| Code | Name | Criterion | Severity | Fix | What it flags |\n|---|---|---|---|---|---|\n",
    );
    for r in Rule::ALL {
        let fix = match r.fix_availability() {
            FixAvailability::None => "—",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        };
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {}. |",
            r.code(),
            r.anchor(),
            r.name(),
            r.criterion().unwrap_or("—"),
            r.severity().as_str(),
            fix,
            r.summary()
        );
    }
    out
}

/// `rule CODE`: the rule's heading and its documentation.
pub fn rule_text(r: Rule) -> String {
    let criterion = r
        .criterion()
        .map(|c| match crate::registry::criterion_text(c) {
            Some(text) => format!("Criterion: {c}, {text}.\n"),
            None => format!("Criterion: {c}.\n"),
        })
        .unwrap_or_default();
    let fix = match r.fix_availability() {
        FixAvailability::None => "none",
        FixAvailability::Sometimes => "for some findings",
        FixAvailability::Always => "always",
    };
    format!(
        "{} {}: {}.\n\n{criterion}Default severity: {}. Fix: {fix}.\n\n{}\n",
        r.code(),
        r.name(),
        r.summary(),
        r.severity().as_str(),
        r.doc().body
    )
}

/// `rules`: one line per rule.
pub fn rules_list() -> String {
    let mut out = String::new();
    for r in Rule::ALL {
        let fix = match r.fix_availability() {
            FixAvailability::None => " ",
            _ => "*",
        };
        let _ = writeln!(
            out,
            "{}  [{fix}] {:<32} {:<4} {:<8} {}",
            r.code(),
            r.name(),
            r.criterion().unwrap_or("-"),
            r.severity().as_str(),
            r.summary()
        );
    }
    out
}

/// One section per rule: its documentation as written in the rule's doc comment.
pub fn rules_sections() -> String {
    let mut out = String::new();
    for r in Rule::ALL {
        let _ = writeln!(out, "### {} {}\n", r.code(), r.name());
        let _ = writeln!(out, "{}\n", r.doc().body);
    }
    out
}

/// A synthetic option.
fn option(name: &str, value: Value, text: &str) -> OptionEntry {
    OptionEntry {
        name: name.into(),
        key: 0..0,
        value_range: 0..0,
        entry: 0..0,
        value: Evaluated {
            literal: matches!(value, Value::Literal(_)),
            origin: None,
            value,
            text: text.into(),
        },
    }
}

/// An init with these options.
fn init(sdk: Sdk, package: &str, options: Vec<OptionEntry>) -> SentryInit {
    SentryInit {
        sdk,
        call: 0..0,
        callee: 0..0,
        args: None,
        options: Options {
            entries: options,
            ..Options::default()
        },
        integrations: Vec::new(),
        package: Some(package.into()),
        replay: None,
        python: Default::default(),
    }
}

fn symbol(s: &State) -> &'static str {
    match s {
        State::Collected => "●",
        State::Filtered => "◐",
        State::Off => "·",
        State::Depends { .. } | State::Unknown { .. } => "?",
    }
}

/// The categories the tables show.
const SHOWN: [Category; 13] = [
    Category::UserInfo,
    Category::Cookies,
    Category::HttpHeaders,
    Category::RequestBodies,
    Category::QueryParams,
    Category::FrameVariables,
    Category::GenAiInputs,
    Category::GenAiOutputs,
    Category::McpInputs,
    Category::DatabaseQueryData,
    Category::QueueArguments,
    Category::GraphqlDocument,
    Category::GraphqlVariables,
];

/// A table: one row per release segment, the state of each shown category for `options`.
fn table<S: Segment>(
    table: &'static [S],
    sdk: Sdk,
    package: &str,
    file: &str,
    options: &dyn Fn() -> Vec<OptionEntry>,
) -> String {
    let mut out = String::from("| Releases |");
    for c in SHOWN {
        let _ = write!(out, " `{}` |", c.name());
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(SHOWN.len()));
    out.push('\n');
    for s in table {
        let newest = Version::parse(s.newest()).expect("the tables hold valid versions");
        let installed = Installed {
            package: package.into(),
            spec: VersionSpec::Exact(newest),
            source: String::new(),
            line: None,
        };
        let i = init(sdk, package, options());
        let p = policy::compute(&i, Path::new(file), Some(&installed));
        let _ = write!(out, "| {} |", facts::label(s));
        for c in SHOWN {
            let _ = write!(out, " {} |", symbol(&p.get(c).state));
        }
        out.push('\n');
    }
    out
}

fn truthy(name: &str, python: bool) -> Vec<OptionEntry> {
    vec![option(
        name,
        Value::Literal(Literal::Bool(true)),
        if python { "True" } else { "true" },
    )]
}

fn empty_map(name: &str, python: bool) -> Vec<OptionEntry> {
    vec![option(
        name,
        Value::Map(Box::default()),
        if python { "dict()" } else { "{}" },
    )]
}

/// "What your SDK version sends": per release line, what an init collects with no options, with
/// the legacy switch on, and with an empty data-collection object, as the policy works it out.
pub fn sdk_tables() -> String {
    let mut out = String::new();
    out.push_str(
        "● sent · ◐ sent with sensitive keys filtered (or only some parts) · `·` not sent\n\n",
    );
    let py = |title: &str, opts: &dyn Fn() -> Vec<OptionEntry>, out: &mut String| {
        let _ = writeln!(out, "**sentry-sdk, {title}**\n");
        out.push_str(&table(&PYTHON, Sdk::Python, "sentry-sdk", "app.py", opts));
        out.push('\n');
    };
    py("no options", &Vec::new, &mut out);
    py(
        "`send_default_pii=True`",
        &|| truthy("send_default_pii", true),
        &mut out,
    );
    py(
        "`data_collection={}` (a `TypeError` before 2.70; before 2.65 not even `_experiments`)",
        &|| empty_map("data_collection", true),
        &mut out,
    );
    for (runtime, package, file) in [
        ("Node (`@sentry/node`)", "@sentry/node", "instrument.mjs"),
        (
            "browser (`@sentry/browser`, `@sentry/react`...)",
            "@sentry/browser",
            "main.ts",
        ),
    ] {
        let js = |title: &str, opts: &dyn Fn() -> Vec<OptionEntry>, out: &mut String| {
            let _ = writeln!(out, "**{runtime}, {title}**\n");
            out.push_str(&table(&JAVASCRIPT, Sdk::Javascript, package, file, opts));
            out.push('\n');
        };
        js("no options", &Vec::new, &mut out);
        js(
            "`sendDefaultPii: true`",
            &|| truthy("sendDefaultPii", false),
            &mut out,
        );
        js(
            "`dataCollection: {}` (ignored before 10.54)",
            &|| empty_map("dataCollection", false),
            &mut out,
        );
    }
    out
}

/// Replace the text between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`.
pub fn splice(readme: &str, name: &str, content: &str) -> Option<String> {
    let begin = format!("<!-- BEGIN GENERATED: {name} -->\n");
    let end = format!("<!-- END GENERATED: {name} -->");
    let a = readme.find(&begin)? + begin.len();
    let b = readme[a..].find(&end)? + a;
    Some(format!("{}{}{}", &readme[..a], content, &readme[b..]))
}

/// The README with every generated section brought up to date.
pub fn update_readme(readme: &str) -> Result<String, String> {
    let mut text = readme.to_string();
    for (name, content) in [
        ("rule-table", rules_table()),
        ("rules", rules_sections()),
        ("sdk-versions", sdk_tables()),
    ] {
        text = splice(&text, name, &content)
            .ok_or_else(|| format!("README.md has no `<!-- BEGIN GENERATED: {name} -->` block"))?;
    }
    Ok(text)
}
