//! The extracted model of Sentry initialisations: what the rules judge.
//!
//! Every option keeps the byte ranges of its key, value and whole entry so that findings point at the
//! exact source and fixes can rewrite it.

use std::collections::BTreeSet;
use std::ops::Range;

/// A constant value as the SDK would see it.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// Python `None`, JavaScript `null`.
    Null,
    /// JavaScript `undefined`: the SDK applies its default.
    Undefined,
}

impl Literal {
    /// Truthiness as Python or JavaScript sees it (the two agree on these literals, except that the
    /// JavaScript SDKs receive strings as-is: `"false"` is truthy in both).
    pub fn truthy(&self) -> bool {
        match self {
            Literal::Bool(b) => *b,
            Literal::Int(i) => *i != 0,
            Literal::Float(f) => *f != 0.0,
            Literal::Str(s) => !s.is_empty(),
            Literal::Null | Literal::Undefined => false,
        }
    }

    /// A numeric literal as written (`1_000`, `0.01`, `1e3`).
    pub fn parse_number(text: &str) -> Option<Literal> {
        let t = text.replace('_', "");
        t.parse::<i64>()
            .map(Literal::Int)
            .ok()
            .or_else(|| t.parse::<f64>().ok().map(Literal::Float))
    }

    /// `-x` of a number.
    pub fn negated(self) -> Option<Literal> {
        match self {
            Literal::Int(i) => Some(Literal::Int(-i)),
            Literal::Float(f) => Some(Literal::Float(-f)),
            _ => None,
        }
    }

    /// `not x` / `!x`.
    pub fn negation(self) -> Option<Literal> {
        Some(Literal::Bool(!self.truthy()))
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Literal::Int(i) => Some(*i as f64),
            Literal::Float(f) => Some(*f),
            Literal::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Literal::Bool(b) => serde_json::Value::Bool(*b),
            Literal::Int(i) => serde_json::Value::from(*i),
            Literal::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Literal::Str(s) => serde_json::Value::String(s.clone()),
            Literal::Null | Literal::Undefined => serde_json::Value::Null,
        }
    }

    /// How the value is written in messages (Python or JavaScript spelling).
    pub fn display(&self, python: bool) -> String {
        match self {
            Literal::Bool(b) if python => if *b { "True" } else { "False" }.into(),
            Literal::Bool(b) => b.to_string(),
            Literal::Int(i) => i.to_string(),
            Literal::Float(f) => format!("{f:?}"),
            Literal::Str(s) => format!("{s:?}"),
            Literal::Null if python => "None".into(),
            Literal::Null => "null".into(),
            Literal::Undefined => "undefined".into(),
        }
    }
}

/// Which branch of a conditional runs in production, when the condition says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProdBranch {
    Then,
    Else,
}

/// An evaluated option value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Literal(Literal),
    /// Read from the environment or a settings object: `os.getenv("X", "0")`, `process.env.X`.
    Env {
        var: String,
        default: Option<Literal>,
    },
    /// `a if c else b` / `c ? a : b`, or a name bound differently on different paths.
    Conditional {
        condition: String,
        then: Box<Value>,
        otherwise: Box<Value>,
        production: Option<ProdBranch>,
        /// Where the two branch expressions are, when they are one expression's branches.
        branches: Option<(Range<usize>, Range<usize>)>,
    },
    /// A dict or object literal: its entries (and the spreads it may take others from).
    Map(Box<Options>),
    /// A list, tuple or array literal.
    List(Vec<Item>),
    /// Anything the tool cannot evaluate.
    Unresolved,
}

/// One element of a list value.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub range: Range<usize>,
    pub value: Evaluated,
}

/// The answer to "is this value (possibly) X?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    No,
    Maybe,
    Yes,
}

impl Value {
    pub fn literal(&self) -> Option<&Literal> {
        match self {
            Value::Literal(l) => Some(l),
            _ => None,
        }
    }

    /// Does the value satisfy `pred`? `Yes` only when it does whatever happens at run time.
    pub fn test(&self, pred: &dyn Fn(&Literal) -> bool) -> Verdict {
        match self {
            Value::Literal(l) => {
                if pred(l) {
                    Verdict::Yes
                } else {
                    Verdict::No
                }
            }
            Value::Env { .. } | Value::Unresolved | Value::Map(_) | Value::List(_) => {
                Verdict::Maybe
            }
            Value::Conditional {
                then, otherwise, ..
            } => match (then.test(pred), otherwise.test(pred)) {
                (Verdict::Yes, Verdict::Yes) => Verdict::Yes,
                (Verdict::No, Verdict::No) => Verdict::No,
                _ => Verdict::Maybe,
            },
        }
    }

    /// The value in production: the production branch of a conditional that names it.
    pub fn in_production(&self) -> &Value {
        match self {
            Value::Conditional {
                then,
                otherwise,
                production: Some(branch),
                ..
            } => match branch {
                ProdBranch::Then => then.in_production(),
                ProdBranch::Else => otherwise.in_production(),
            },
            other => other,
        }
    }

    /// The literal values it may take (unknown ones left out).
    pub fn possible_literals(&self) -> Vec<&Literal> {
        match self {
            Value::Literal(l) => vec![l],
            Value::Conditional {
                then, otherwise, ..
            } => {
                let mut v = then.possible_literals();
                v.extend(otherwise.possible_literals());
                v
            }
            Value::Env { .. } | Value::Unresolved | Value::Map(_) | Value::List(_) => vec![],
        }
    }

    /// The entries of a dict or object value.
    pub fn map(&self) -> Option<&Options> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of a list value.
    pub fn list(&self) -> Option<&[Item]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Value::Literal(_) => "literal",
            Value::Env { .. } => "env",
            Value::Conditional { .. } => "conditional",
            Value::Map(_) => "map",
            Value::List(_) => "list",
            Value::Unresolved => "unresolved",
        }
    }
}

/// An evaluated expression with its source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    pub text: String,
    /// The expression is a literal as written (`True`, `"never"`, `-1`), not a name, a call or
    /// an operation that evaluates to one: a fix may rewrite it in place without changing what
    /// else the code means.
    pub literal: bool,
    /// Where the value is written when that is another file (`app/settings.py:12`): it came in
    /// through an import, and a fix never rewrites it here.
    pub origin: Option<String>,
}

/// One option of an initialisation or an integration.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionEntry {
    pub name: String,
    /// The key: keyword name, dictionary key or property name.
    pub key: Range<usize>,
    /// The value expression.
    pub value_range: Range<usize>,
    /// The whole `key=value` / `key: value` entry.
    pub entry: Range<usize>,
    pub value: Evaluated,
}

/// A bracketed argument list or object literal: where new entries can be inserted.
#[derive(Clone, Debug, PartialEq)]
pub struct ArgList {
    /// From the opening to the closing bracket, both included.
    pub range: Range<usize>,
    /// Every argument or property in order (comments left out).
    pub items: Vec<Range<usize>>,
}

/// Options that come from somewhere the tool cannot see (`**kwargs`, `...importedOptions`).
#[derive(Clone, Debug, PartialEq)]
pub struct Opaque {
    pub text: String,
    pub range: Range<usize>,
    /// Why it cannot be seen, when the tool knows (`app.settings` was not found).
    pub note: Option<String>,
}

impl Opaque {
    /// "`text`, which cannot be seen here", with the reason when known.
    pub fn unseen(&self) -> String {
        match &self.note {
            Some(n) => format!("`{}`, which cannot be seen here ({n})", self.text),
            None => format!("`{}`, which cannot be seen here", self.text),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sdk {
    Python,
    Javascript,
}

/// A set of options, as given to `init(...)` or to the replay integration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    pub entries: Vec<OptionEntry>,
    pub opaque: Vec<Opaque>,
    /// The dict or object literal they were written in, when there is one (where entries can be
    /// inserted).
    pub literal: Option<ArgList>,
}

impl Options {
    /// The option as the SDK sees it: the last one given wins.
    pub fn get(&self, name: &str) -> Option<&OptionEntry> {
        self.entries.iter().rev().find(|e| e.name == name)
    }
}

/// A replay integration attached to a JavaScript init.
#[derive(Clone, Debug)]
pub struct Replay {
    /// The call or `new` expression.
    pub range: Range<usize>,
    /// The callee (`Sentry.replayIntegration`, `Replay`).
    pub callee: Range<usize>,
    pub options: Options,
    /// React Native's `mobileReplayIntegration`: `maskAllText`, `maskAllImages` and
    /// `maskAllVectors` instead of the web switches.
    pub mobile: bool,
}

/// `before_send=...` of a Python init.
#[derive(Clone, Debug)]
pub struct Hook {
    pub text: String,
    pub target: HookTarget,
}

#[derive(Clone, Debug)]
pub enum HookTarget {
    /// Defined in this file (or a lambda): the strings its body can reach.
    Local(BTreeSet<String>),
    /// Imported: `from module import name` (`level` leading dots of a relative import).
    Imported {
        module: String,
        name: String,
        level: usize,
    },
    /// Resolved from another scanned file.
    Resolved {
        path: String,
        strings: BTreeSet<String>,
    },
    Unknown,
}

/// `event_scrubber=EventScrubber(...)` of a Python init.
#[derive(Clone, Debug)]
pub struct Scrubber {
    /// The `EventScrubber(...)` call, when it could be found.
    pub call: Option<Range<usize>>,
    /// Its arguments.
    pub args: Option<ArgList>,
    pub denylist: Option<Denylist>,
    pub recursive: Option<Evaluated>,
    /// The scrubber expression could not be read.
    pub unresolved: bool,
}

#[derive(Clone, Debug)]
pub struct Denylist {
    /// The `denylist=` keyword (or the call, for a positional list).
    pub key: Range<usize>,
    pub value_range: Range<usize>,
    /// The string entries it lists.
    pub entries: Vec<String>,
    /// `DEFAULT_DENYLIST` is part of it.
    pub includes_default: bool,
    /// Parts of it could not be read.
    pub partial: bool,
    /// The list literal written at the call, where names can be added: the value itself, or the
    /// right side of `DEFAULT_DENYLIST + [...]`.
    pub list: Option<ArgList>,
}

/// Python-only parts of an init.
#[derive(Clone, Debug, Default)]
pub struct PythonInit {
    pub before_send: Option<Hook>,
    pub scrubber: Option<Scrubber>,
}

/// One Sentry SDK initialisation.
#[derive(Clone, Debug)]
pub struct SentryInit {
    pub sdk: Sdk,
    /// The whole call.
    pub call: Range<usize>,
    /// The callee: `sentry_sdk.init`, `Sentry.init`; findings about absent options point here.
    pub callee: Range<usize>,
    /// The argument list (Python) or the options object (JavaScript) written at the call.
    pub args: Option<ArgList>,
    pub options: Options,
    /// The integrations it lists (`FastApiIntegration(...)`, `Sentry.httpIntegration({...})`).
    pub integrations: Vec<Integration>,
    /// The package the init comes from (`sentry_sdk`, `@sentry/react`), when an import names it.
    pub package: Option<String>,
    pub replay: Option<Replay>,
    pub python: PythonInit,
}

/// An integration constructed in an init's `integrations`.
#[derive(Clone, Debug)]
pub struct Integration {
    /// The constructor's last name: `FastApiIntegration`, `httpIntegration`, `Replay`.
    pub name: String,
    /// The call or `new` expression.
    pub range: Range<usize>,
    /// Its keyword arguments (Python) or options object (JavaScript).
    pub options: Options,
}

/// The outermost JSX element a component returns.
#[derive(Clone, Debug)]
pub struct JsxRoot {
    pub component: String,
    /// The opening tag (or fragment `<>`): where SPA201 reports.
    pub range: Range<usize>,
    /// The element name; empty for a fragment.
    pub tag: String,
    /// Where the name ends (after `<` for a fragment): attributes are inserted here.
    pub name_end: usize,
    pub masked: bool,
    pub fragment: bool,
}

/// Functions by name, each with the strings its body can reach.
pub type FunctionStrings = Vec<(String, BTreeSet<String>)>;

/// What one file contributes.
#[derive(Clone, Debug, Default)]
pub struct FileModel {
    pub inits: Vec<SentryInit>,
    /// Python module-level functions and the strings each can reach (for `before_send` imported
    /// from this file).
    pub functions: FunctionStrings,
    /// Roots of the components the file renders (filled for customer-data route files only).
    pub jsx_roots: Vec<JsxRoot>,
    /// Syntax errors: where the first one is, and a message.
    pub parse_error: Option<(Range<usize>, String)>,
    /// Python: where imports are and what `sentry_sdk.scrubber` already provides.
    pub imports: PyImports,
    /// `sentry-privacy-audit: ignore[...]` comments.
    pub suppressions: Vec<InlineSuppression>,
    /// Where values from other files enter the file: options found there are reported there, and
    /// a fix never rewrites these ranges.
    pub foreign: Vec<Range<usize>>,
}

/// One `sentry-privacy-audit: ignore[...]` comment.
#[derive(Clone, Debug)]
pub struct InlineSuppression {
    /// The 1-based line whose findings it suppresses.
    pub line: usize,
    /// The codes and where each is written.
    pub codes: Vec<(String, Range<usize>)>,
    pub reason: Option<String>,
    /// What to delete to remove the whole directive: the comment with the space before it, or
    /// its whole line when it stands alone; only the directive when the comment says more.
    pub removal: Range<usize>,
}

/// What a fix needs to add `from sentry_sdk.scrubber import ...`.
#[derive(Debug, Default, Clone)]
pub struct PyImports {
    /// An existing `from sentry_sdk.scrubber import ...`: the (name, local name) pairs and where
    /// another name can be appended.
    pub scrubber: Option<(Vec<(String, String)>, usize)>,
    /// Where a new import line goes: the start of the line after the last top-level import (or of
    /// the first statement after a module docstring, or 0).
    pub new_line_at: usize,
    /// The module-level import statements in order, for placing an import where isort would.
    pub top: Vec<ImportStmt>,
}

/// A module-level `import` or `from ... import` statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportStmt {
    /// The statement, from its first to its last byte.
    pub range: Range<usize>,
    /// `from module import ...` rather than `import module`.
    pub from: bool,
    /// The module (the first one of `import a, b`), with the leading dots of a relative import.
    pub module: String,
    /// A `from` import's names (as imported, not their aliases) and where each is written.
    pub names: Vec<(String, Range<usize>)>,
}

impl PyImports {
    /// The local name of `sentry_sdk.scrubber.<name>`, if imported.
    pub fn local(&self, name: &str) -> Option<&str> {
        self.scrubber
            .as_ref()?
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(b: bool) -> Box<Value> {
        Box::new(Value::Literal(Literal::Bool(b)))
    }

    #[test]
    fn verdicts() {
        let truthy = |l: &Literal| l.truthy();
        assert_eq!(
            Value::Literal(Literal::Bool(true)).test(&truthy),
            Verdict::Yes
        );
        assert_eq!(Value::Literal(Literal::Int(0)).test(&truthy), Verdict::No);
        assert_eq!(Value::Unresolved.test(&truthy), Verdict::Maybe);
        let cond = |a, b| Value::Conditional {
            condition: "c".into(),
            then: lit(a),
            otherwise: lit(b),
            production: Some(ProdBranch::Else),
            branches: None,
        };
        assert_eq!(cond(true, true).test(&truthy), Verdict::Yes);
        assert_eq!(cond(false, false).test(&truthy), Verdict::No);
        assert_eq!(cond(true, false).test(&truthy), Verdict::Maybe);
        assert_eq!(
            cond(true, false).in_production(),
            &Value::Literal(Literal::Bool(false))
        );
    }
}
