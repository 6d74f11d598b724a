//! The effective policy of an init: for each category of data, what the installed SDK version
//! collects from the options written, the version's defaults and its quirks, and why.
//!
//! The model says what is written; the policy says what the SDK does with it. Rules judge the
//! policy, never the option syntax. The facts about versions come from [`crate::sdk::facts`].

use std::ops::Range;
use std::path::Path;

use crate::model::{Evaluated, Item, Literal, OptionEntry, Options, Sdk, SentryInit, Value};
use crate::sdk::facts::{
    self, JsDataCollection, JsDatabaseGate, JsMcpGate, JsSegment, PyAiAdoption, PyDataCollection,
    PySegment, JAVASCRIPT, PYTHON,
};
use crate::sdk::version::VersionSpec;

/// A kind of data an SDK can send. The names are stable: JSON output and the README use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    UserInfo,
    Cookies,
    HttpHeaders,
    RequestBodies,
    OutgoingBodies,
    QueryParams,
    FrameVariables,
    SourceContext,
    GenAiInputs,
    GenAiOutputs,
    McpInputs,
    McpOutputs,
    DatabaseQueryData,
    QueueArguments,
    GraphqlDocument,
    GraphqlVariables,
    ReplayText,
    ReplayInputs,
    ReplayMedia,
    ReplayNetworkBodies,
    ReplayNetworkHeaders,
    ReplayCanvas,
}

impl Category {
    pub const COUNT: usize = 22;
    pub const ALL: [Category; Category::COUNT] = [
        Category::UserInfo,
        Category::Cookies,
        Category::HttpHeaders,
        Category::RequestBodies,
        Category::OutgoingBodies,
        Category::QueryParams,
        Category::FrameVariables,
        Category::SourceContext,
        Category::GenAiInputs,
        Category::GenAiOutputs,
        Category::McpInputs,
        Category::McpOutputs,
        Category::DatabaseQueryData,
        Category::QueueArguments,
        Category::GraphqlDocument,
        Category::GraphqlVariables,
        Category::ReplayText,
        Category::ReplayInputs,
        Category::ReplayMedia,
        Category::ReplayNetworkBodies,
        Category::ReplayNetworkHeaders,
        Category::ReplayCanvas,
    ];

    /// The stable name (JSON `inits[].collects` keys).
    pub fn name(self) -> &'static str {
        match self {
            Category::UserInfo => "user_info",
            Category::Cookies => "cookies",
            Category::HttpHeaders => "http_headers",
            Category::RequestBodies => "request_bodies",
            Category::OutgoingBodies => "outgoing_bodies",
            Category::QueryParams => "query_params",
            Category::FrameVariables => "frame_variables",
            Category::SourceContext => "source_context",
            Category::GenAiInputs => "gen_ai_inputs",
            Category::GenAiOutputs => "gen_ai_outputs",
            Category::McpInputs => "mcp_inputs",
            Category::McpOutputs => "mcp_outputs",
            Category::DatabaseQueryData => "database_query_data",
            Category::QueueArguments => "queue_arguments",
            Category::GraphqlDocument => "graphql_document",
            Category::GraphqlVariables => "graphql_variables",
            Category::ReplayText => "replay_text",
            Category::ReplayInputs => "replay_inputs",
            Category::ReplayMedia => "replay_media",
            Category::ReplayNetworkBodies => "replay_network_bodies",
            Category::ReplayNetworkHeaders => "replay_network_headers",
            Category::ReplayCanvas => "replay_canvas",
        }
    }

    /// What it is, in a privacy reviewer's words.
    pub fn describe(self) -> &'static str {
        match self {
            Category::UserInfo => "the user's id, e-mail, username and IP address",
            Category::Cookies => "the request's cookies",
            Category::HttpHeaders => "the request's HTTP headers",
            Category::RequestBodies => {
                "the body of the incoming request (a posted ticket or message)"
            }
            Category::OutgoingBodies => {
                "bodies of the HTTP requests the application makes, and their responses"
            }
            Category::QueryParams => "the URL's query string",
            Category::FrameVariables => "the local variables of every stack frame",
            Category::SourceContext => "lines of source code around each stack frame",
            Category::GenAiInputs => "prompts sent to AI models",
            Category::GenAiOutputs => "AI model responses",
            Category::McpInputs => "arguments of MCP tool calls",
            Category::McpOutputs => "results of MCP tool calls",
            Category::DatabaseQueryData => "database query parameters and results",
            Category::QueueArguments => "arguments of background jobs and queue messages",
            Category::GraphqlDocument => "GraphQL query documents",
            Category::GraphqlVariables => "GraphQL variables",
            Category::ReplayText => "the text shown on the page (Session Replay)",
            Category::ReplayInputs => "what users type into form fields (Session Replay)",
            Category::ReplayMedia => "images and video on the page (Session Replay)",
            Category::ReplayNetworkBodies => {
                "bodies of the page's network requests (Session Replay)"
            }
            Category::ReplayNetworkHeaders => {
                "headers of the page's network requests (Session Replay)"
            }
            Category::ReplayCanvas => "the content of canvas elements (Session Replay)",
        }
    }

    pub fn is_replay(self) -> bool {
        self >= Category::ReplayText
    }
}

/// What the SDK does with a category.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Sent as it is.
    Collected,
    /// Sent, but a list decides which parts: a denylist of sensitive keys, or only listed parts.
    Filtered,
    /// Not sent.
    Off,
    /// It depends on a value read at run time (an environment variable or setting).
    Depends {
        on: String,
        /// The default of that value, as written.
        default: Option<String>,
    },
    /// The options it depends on cannot be seen (`**kwargs`, an imported object).
    Unknown { source: String },
}

impl State {
    /// The stable name (JSON `state`).
    pub fn name(&self) -> &'static str {
        match self {
            State::Collected => "collected",
            State::Filtered => "filtered",
            State::Off => "off",
            State::Depends { .. } => "depends",
            State::Unknown { .. } => "unknown",
        }
    }

    /// How much it lets through: off < filtered < depends/unknown < collected.
    pub fn rank(&self) -> u8 {
        match self {
            State::Off => 0,
            State::Filtered => 1,
            State::Depends { .. } | State::Unknown { .. } => 2,
            State::Collected => 3,
        }
    }

    /// Collected, or possibly so.
    pub fn may_collect(&self) -> bool {
        self.rank() >= 2
    }

    /// Sent at all (possibly filtered), or possibly so.
    pub fn may_send(&self) -> bool {
        self.rank() >= 1
    }
}

/// One category's state and its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub state: State,
    /// Why, in words: the option and its value, or the version's default.
    pub because: String,
    /// The option that decides it, in the init's file (none: the version's default).
    pub at: Option<Range<usize>>,
}

/// What the SDK does with an option it does not honour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoredKind {
    /// Silently ignored.
    Ignored,
    /// `init()` raises: the application does not start.
    Rejected,
    /// Accepted, but replaced by the permissive default.
    NoOp,
}

/// How a fix can mend an option the SDK does not honour.
#[derive(Clone, Debug, PartialEq)]
pub enum Remedy {
    /// Rename the key (the value means the same under the new name).
    Rename(&'static str),
    /// Remove the option: the SDK ignores it, so nothing changes at run time.
    Remove,
    /// Replace the value with this text (Python or JavaScript spelling).
    Replace(String),
    /// A person has to decide.
    None,
}

/// An option that the SDK version ignores, rejects, or turns into its permissive default.
#[derive(Clone, Debug, PartialEq)]
pub struct IgnoredOption {
    /// As written, dotted for nested keys (`data_collection.cookies`).
    pub option: String,
    /// Its key.
    pub at: Range<usize>,
    pub kind: IgnoredKind,
    /// What the version does with it.
    pub message: String,
    /// What to write instead.
    pub instead: String,
    pub remedy: Remedy,
    /// The whole entry (`key=value`), for removals.
    pub entry: Option<Range<usize>>,
    /// Its value, for replacements.
    pub value: Option<Range<usize>>,
}

/// Where the SDK version came from.
#[derive(Clone, Debug, PartialEq)]
pub struct SdkVersion {
    /// `sentry-sdk`, `@sentry/react`.
    pub package: String,
    /// Exact when locked, else the range as written; none when no source names the package.
    pub version: Option<String>,
    /// The file it came from.
    pub source: Option<String>,
    pub line: Option<usize>,
    /// When the version was not found (or names no release): which release was judged, and why.
    pub assumed: Option<String>,
}

/// Where a JavaScript init runs: the server SDKs read requests, the browser SDKs do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    Browser,
    Server,
    /// Cannot be told (`@sentry/core`, a meta-framework file that names neither side).
    Either,
}

/// The effective policy of one init.
#[derive(Clone, Debug)]
pub struct Policy {
    pub sdk: SdkVersion,
    /// The releases judged: `sentry-sdk 2.75.0`, `@sentry/browser 10.0.0–10.78.0, allowed by
    /// `^10.0.0``, `sentry-sdk 2.64.0, assumed`.
    pub judged: String,
    pub runtime: Runtime,
    decisions: Vec<Decision>,
    /// Options the version ignores, rejects or turns into its permissive default.
    pub ignored: Vec<IgnoredOption>,
    /// Deprecated options that still work, and other things a reviewer should know.
    pub notes: Vec<String>,
    /// Whether `data_collection`/`dataCollection` governs the init (in at least one judged release).
    pub data_collection: bool,
    /// Python: an `event_scrubber` applies (not dropped by `data_collection`, not removed).
    pub scrubber_applies: bool,
    /// The release segments judged (Python or JavaScript table), oldest first.
    pub py_segments: Vec<&'static PySegment>,
    pub js_segments: Vec<&'static JsSegment>,
    /// The libraries the project around the init declares, by kind (filled by the pipeline
    /// from the manifests and lockfiles).
    pub libraries: Vec<Library>,
}

/// A kind of library whose data an SDK can collect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LibraryKind {
    /// AI model and agent clients, MCP servers.
    Ai,
    Database,
    Queue,
    Graphql,
}

/// A library the project declares: its name and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Library {
    pub kind: LibraryKind,
    pub name: String,
    /// `path:line` of the manifest or lockfile that names it.
    pub source: String,
}

impl LibraryKind {
    pub const ALL: [LibraryKind; 4] = [
        LibraryKind::Ai,
        LibraryKind::Database,
        LibraryKind::Queue,
        LibraryKind::Graphql,
    ];

    /// The package names (exact, or prefixes ending in `*`) that mean the project uses one.
    pub fn packages(self, sdk: Sdk) -> &'static [&'static str] {
        match (self, sdk) {
            (LibraryKind::Ai, Sdk::Python) => &[
                "openai",
                "anthropic",
                "langchain*",
                "langgraph*",
                "cohere",
                "mistralai",
                "google-genai",
                "google-generativeai",
                "litellm",
                "huggingface-hub",
                "pydantic-ai*",
                "openai-agents",
                "mcp",
                "fastmcp",
            ],
            (LibraryKind::Ai, Sdk::Javascript) => &[
                "openai",
                "@anthropic-ai/sdk",
                "ai",
                "@ai-sdk/*",
                "langchain",
                "@langchain/*",
                "@google/genai",
                "@google/generative-ai",
                "@mistralai/mistralai",
                "groq-sdk",
                "together-ai",
                "@modelcontextprotocol/sdk",
                "@mastra/*",
            ],
            (LibraryKind::Database, Sdk::Python) => &[
                "sqlalchemy",
                "psycopg",
                "psycopg2",
                "psycopg2-binary",
                "asyncpg",
                "pymongo",
                "motor",
                "redis",
                "clickhouse-driver",
                "django",
            ],
            (LibraryKind::Database, Sdk::Javascript) => &[
                "@supabase/supabase-js",
                "pg",
                "mysql2",
                "@prisma/client",
                "mongoose",
                "mongodb",
                "redis",
                "ioredis",
                "knex",
                "drizzle-orm",
                "typeorm",
                "sequelize",
            ],
            (LibraryKind::Queue, Sdk::Python) => &["celery", "rq", "arq", "huey", "dramatiq"],
            (LibraryKind::Queue, Sdk::Javascript) => &[
                "kafkajs",
                "amqplib",
                "bullmq",
                "bull",
                "@google-cloud/pubsub",
            ],
            (LibraryKind::Graphql, Sdk::Python) => {
                &["strawberry-graphql", "graphene", "ariadne", "gql"]
            }
            (LibraryKind::Graphql, Sdk::Javascript) => &[
                "graphql",
                "@apollo/server",
                "@apollo/client",
                "graphql-yoga",
                "urql",
            ],
        }
    }
}

impl Policy {
    pub fn get(&self, c: Category) -> &Decision {
        &self.decisions[c as usize]
    }

    pub fn decisions(&self) -> impl Iterator<Item = (Category, &Decision)> {
        Category::ALL.into_iter().zip(&self.decisions)
    }
}

/// The version source the policy is computed for: what the lockfile or manifest says.
#[derive(Clone, Debug)]
pub struct Installed {
    pub package: String,
    pub spec: VersionSpec,
    /// Shown path of the file.
    pub source: String,
    pub line: Option<usize>,
}

/// Work out the policy of an init in `path`, for the version `installed` says (or the one the
/// options imply when nothing says).
pub fn compute(init: &SentryInit, path: &Path, installed: Option<&Installed>) -> Policy {
    let mut policy = compute_visible(init, path, installed);
    if init.options.opaque.is_empty() {
        return policy;
    }
    // Options that may come from a source that cannot be seen are unknown; what the SDK does
    // when that source does not set them is what the visible options give, and the reason says
    // so (an unsafe default stays visible behind an unreadable `**kwargs`).
    let mut visible = init.clone();
    visible.options.opaque.clear();
    let without = compute_visible(&visible, path, installed);
    for (k, d) in policy.decisions.iter_mut().enumerate() {
        let Some(alone) = without.decisions.get(k) else {
            continue;
        };
        let unseen = matches!(d.state, State::Unknown { .. })
            && d.because.contains(", which cannot be seen here");
        if unseen && alone.state.rank() > State::Off.rank() {
            // "`x` is not set: sentry-sdk 2.64.0 defaults to ..." → "sentry-sdk 2.64.0 ...".
            let default = match alone.because.split_once(" is not set: ") {
                Some((name, rest)) if name.starts_with('`') && !name.contains(' ') => rest,
                _ => alone.because.as_str(),
            };
            d.because = format!(
                "{}; {UNSEEN_DEFAULT} {}",
                d.because,
                lowercase_first(default)
            );
        }
    }
    policy
}

/// Joins an unknown option's reason and what the SDK does when the unseen source does not set it.
pub const UNSEEN_DEFAULT: &str = "where that does not set it,";

/// `Text` → `text`, unless the first word is a code span or a name.
fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_uppercase() && !s.starts_with("JSON") => {
            c.to_ascii_lowercase().to_string() + chars.as_str()
        }
        _ => s.to_string(),
    }
}

fn compute_visible(init: &SentryInit, path: &Path, installed: Option<&Installed>) -> Policy {
    match init.sdk {
        Sdk::Python => python_policy(init, installed),
        Sdk::Javascript => javascript_policy(init, path, installed),
    }
}

// ---------------------------------------------------------------------------------------------
// Versions

/// The segments of a table a version source selects, the label of what was judged, and the
/// version record.
fn select<S: facts::Segment>(
    table: &'static [S],
    package: &str,
    installed: Option<&Installed>,
    assume: (&'static S, String),
) -> (Vec<&'static S>, String, String, SdkVersion) {
    let mut sdk = SdkVersion {
        package: installed
            .map(|i| i.package.clone())
            .unwrap_or_else(|| package.to_string()),
        version: installed.map(|i| i.spec.text()),
        source: installed.map(|i| i.source.clone()),
        line: installed.and_then(|i| i.line),
        assumed: None,
    };
    let assumed = |sdk: &mut SdkVersion, why: String| {
        let (seg, reason) = &assume;
        sdk.assumed = Some(format!(
            "{why}; judged as {} {}, {reason}",
            sdk.package,
            seg.newest()
        ));
        (
            vec![*seg],
            format!("{} {}", sdk.package, seg.newest()),
            format!("{} {}, assumed", sdk.package, seg.newest()),
        )
    };
    let (segments, name, judged) = match installed.map(|i| &i.spec) {
        Some(VersionSpec::Exact(v)) => (
            vec![facts::segment_of(table, v)],
            format!("{} {v}", sdk.package),
            format!("{} {v}", sdk.package),
        ),
        Some(VersionSpec::AnyOf(vs)) => {
            let mut segs: Vec<&S> = Vec::new();
            for v in vs {
                let s = facts::segment_of(table, v);
                if !segs.iter().any(|x| std::ptr::eq(*x, s)) {
                    segs.push(s);
                }
            }
            let name = format!("{} {}", sdk.package, installed.unwrap().spec.text());
            (segs, name.clone(), name)
        }
        Some(spec @ VersionSpec::Range { .. }) => {
            let segs: Vec<&S> = table
                .iter()
                .filter(|s| facts::probes(*s).iter().any(|v| spec.allows(v)))
                .collect();
            if segs.is_empty() {
                assumed(
                    &mut sdk,
                    format!("`{}` allows no release the tables know", spec.text()),
                )
            } else {
                let label = match (segs.first(), segs.last()) {
                    (Some(a), Some(b)) if std::ptr::eq(*a, *b) => facts::label(*a),
                    (Some(a), Some(b)) => format!("{}–{}", a.first(), b.newest()),
                    _ => String::new(),
                };
                let name = format!("{} {label}", sdk.package);
                let judged = format!("{name}, allowed by `{}`", spec.text());
                (segs, name, judged)
            }
        }
        Some(VersionSpec::Unknown { text }) => {
            assumed(&mut sdk, format!("`{text}` names no version"))
        }
        None => assumed(
            &mut sdk,
            "no lockfile or manifest names the SDK".to_string(),
        ),
    };
    (segments, name, judged, sdk)
}

/// Merge the policies of several releases (or runtimes), given oldest first with their first
/// and newest names: per category the most permissive one, noting where it holds when they
/// differ (adjacent releases named as one run); an option counts as ignored only when every part
/// ignores it.
fn merge(parts: Vec<((String, String), Evaluation)>) -> Evaluation {
    let n = parts.len();
    let names: Vec<(String, String)> = parts.iter().map(|(l, _)| l.clone()).collect();
    let mut iter = parts.into_iter().enumerate().rev();
    let (_, (_, mut acc)) = iter.next().expect("at least one release is judged");
    if n == 1 {
        return acc;
    }
    let mut holds: Vec<Vec<usize>> = vec![vec![n - 1]; Category::COUNT];
    let mut ignored_everywhere = acc.ignored.clone();
    for (k, (_, e)) in iter {
        for (i, d) in e.decisions.into_iter().enumerate() {
            if d.state.rank() > acc.decisions[i].state.rank() {
                acc.decisions[i] = d;
                holds[i] = vec![k];
            } else if d.state.rank() == acc.decisions[i].state.rank() {
                holds[i].push(k);
            }
        }
        ignored_everywhere.retain(|x| {
            e.ignored
                .iter()
                .any(|y| y.option == x.option && y.at == x.at)
        });
        for note in e.notes {
            if !acc.notes.contains(&note) {
                acc.notes.push(note);
            }
        }
        acc.data_collection |= e.data_collection;
        acc.scrubber_applies &= e.scrubber_applies;
    }
    for (i, d) in acc.decisions.iter_mut().enumerate() {
        if holds[i].len() < n {
            let mut ks = holds[i].clone();
            ks.sort_unstable();
            let mut runs: Vec<String> = Vec::new();
            let mut start = 0;
            while start < ks.len() {
                let mut end = start;
                while end + 1 < ks.len() && ks[end + 1] == ks[end] + 1 {
                    end += 1;
                }
                let (a, b) = (&names[ks[start]], &names[ks[end]]);
                runs.push(if start == end && a.0 == a.1 {
                    a.0.clone()
                } else {
                    format!("{}–{}", a.0, b.1)
                });
                start = end + 1;
            }
            d.because = format!("{} (on {})", d.because, runs.join(", "));
        }
    }
    acc.ignored = ignored_everywhere;
    acc
}

/// One release's result.
#[derive(Clone, Debug)]
struct Evaluation {
    decisions: Vec<Decision>,
    ignored: Vec<IgnoredOption>,
    notes: Vec<String>,
    data_collection: bool,
    scrubber_applies: bool,
}

impl Evaluation {
    fn new() -> Evaluation {
        Evaluation {
            decisions: Category::ALL
                .iter()
                .map(|_| Decision {
                    state: State::Off,
                    because: String::new(),
                    at: None,
                })
                .collect(),
            ignored: Vec::new(),
            notes: Vec::new(),
            data_collection: false,
            scrubber_applies: false,
        }
    }

    fn set(&mut self, c: Category, d: Decision) {
        self.decisions[c as usize] = d;
    }

    fn ignore(
        &mut self,
        option: impl Into<String>,
        at: Range<usize>,
        kind: IgnoredKind,
        message: impl Into<String>,
        instead: impl Into<String>,
    ) {
        let option = option.into();
        if self
            .ignored
            .iter()
            .any(|i| i.option == option && i.at == at)
        {
            return;
        }
        self.ignored.push(IgnoredOption {
            option,
            at,
            kind,
            message: message.into(),
            instead: instead.into(),
            remedy: Remedy::None,
            entry: None,
            value: None,
        });
    }

    /// Point the decisions that are defaults of a written `data_collection`/`dataCollection`
    /// (their reason starts with its path) at its key: writing it turned them on.
    fn defaults_of(&mut self, prefix: &str, key: &Range<usize>) {
        for d in &mut self.decisions {
            if d.at.is_none() && d.state != State::Off && d.because.starts_with(prefix) {
                d.at = Some(key.clone());
            }
        }
    }

    /// Say how the option ignored last can be mended.
    fn remedy(&mut self, remedy: Remedy, entry: &OptionEntry) {
        if let Some(last) = self.ignored.last_mut() {
            last.remedy = remedy;
            last.entry = Some(entry.entry.clone());
            last.value = Some(entry.value_range.clone());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading option values

/// An option's value as the policy reads it.
#[derive(Clone, Copy, Debug)]
enum Read<'a> {
    /// Not written: the default applies.
    Absent,
    /// Written with this value (in production, when a conditional says which branch that is).
    Lit(&'a Literal, &'a OptionEntry),
    Map(&'a Options, &'a OptionEntry),
    List(&'a [Item], &'a OptionEntry),
    /// Depends on a run-time value.
    Depends(&'a OptionEntry, &'a Value),
    /// The value cannot be evaluated.
    Unknown(&'a str, Option<&'a OptionEntry>),
    /// Not written, but it may come through `**kwargs` or a spread that cannot be seen.
    Opaque(&'a crate::model::Opaque),
}

fn read<'a>(options: &'a Options, name: &str) -> Read<'a> {
    match options.get(name) {
        Some(e) => classify(e),
        None => match options.opaque.first() {
            Some(op) => Read::Opaque(op),
            None => Read::Absent,
        },
    }
}

fn classify(e: &OptionEntry) -> Read<'_> {
    // A conditional whose production branch is known stays a conditional unless every value it
    // can take means the same: the consumer decides whether production is the unsafe side.
    if let Some(prod) = production_literal(&e.value.value) {
        let same = e.value.value.possible_literals().iter().all(|l| {
            *l == prod
                || (!matches!(l, Literal::Str(_))
                    && !matches!(prod, Literal::Str(_))
                    && l.truthy() == prod.truthy())
        });
        return if same {
            Read::Lit(prod, e)
        } else {
            Read::Depends(e, &e.value.value)
        };
    }
    match e.value.value.in_production() {
        Value::Literal(l) => Read::Lit(l, e),
        Value::Map(m) => Read::Map(m, e),
        Value::List(items) => Read::List(items, e),
        v @ (Value::Env { .. } | Value::Conditional { .. }) => Read::Depends(e, v),
        Value::Unresolved => Read::Unknown(&e.value.text, Some(e)),
    }
}

/// The literal a conditional takes in production, when its condition says which branch that is.
fn production_literal(v: &Value) -> Option<&Literal> {
    match v {
        Value::Conditional {
            production: Some(_),
            ..
        } => v.in_production().literal(),
        _ => None,
    }
}

/// A value nested in a map (`data_collection["cookies"]`), or absent.
fn read_in<'a>(map: Option<&'a Options>, name: &str) -> Read<'a> {
    match map {
        Some(m) => read(m, name),
        None => Read::Absent,
    }
}

/// How an option and its value are named in a reason: `` `send_default_pii` is `True` ``.
fn written(path: &str, e: &Evaluated, python: bool) -> String {
    let text = e.text.as_str();
    if let Some(origin) = &e.origin {
        return match e.value.in_production() {
            Value::Literal(l) => format!("`{path}` is {} (in `{origin}`)", show(l, python)),
            _ => format!("`{path}` is `{text}` (in `{origin}`)"),
        };
    }
    match e.value.in_production() {
        Value::Literal(l) if e.value != *e.value.in_production() => {
            format!(
                "`{path}` is {} in production (from `{text}`)",
                show(l, python)
            )
        }
        Value::Literal(l) if !e.literal => {
            format!("`{path}` is {} (`{text}`)", show(l, python))
        }
        _ => format!("`{path}` is `{text}`"),
    }
}

fn show(l: &Literal, python: bool) -> String {
    format!("`{}`", l.display(python))
}

/// The decision of a value that is not one the caller expects: undecided when it depends on run
/// time or cannot be seen, else unknown (a type the SDK does not take there).
fn unexpected(r: Read, path: &str, python: bool) -> Decision {
    let text = match &r {
        Read::Lit(_, e) | Read::Map(_, e) | Read::List(_, e) => Some(e.value.text.clone()),
        _ => None,
    };
    let at = match &r {
        Read::Lit(_, e) | Read::Map(_, e) | Read::List(_, e) => Some(e.key.clone()),
        _ => None,
    };
    undecided(r, path, python).unwrap_or_else(|| {
        let text = text.unwrap_or_default();
        decision(
            State::Unknown {
                source: text.clone(),
            },
            format!("`{path}` is `{text}`, a value the SDK does not take there"),
            at,
        )
    })
}

/// The decision of a value that depends on run time or cannot be seen.
fn undecided(r: Read, path: &str, python: bool) -> Option<Decision> {
    match r {
        Read::Depends(e, v) => {
            let (on, default) = match v {
                Value::Env { var, default } => {
                    (var.clone(), default.as_ref().map(|d| d.display(python)))
                }
                Value::Conditional { condition, .. } => (
                    condition.clone(),
                    production_literal(v).map(|l| match l {
                        Literal::Undefined => "not set in production".to_string(),
                        l => format!("{} in production", l.display(python)),
                    }),
                ),
                _ => (e.value.text.clone(), None),
            };
            let env = matches!(v, Value::Env { .. });
            let source = if env {
                format!("the environment variable or setting `{on}`")
            } else {
                format!("`{on}`")
            };
            let origin = match &e.value.origin {
                Some(o) => format!(" (in `{o}`)"),
                None => String::new(),
            };
            let because = match &default {
                Some(d) => format!(
                    "`{path}`: `{}`{origin} depends on {source} (default {d})",
                    e.value.text
                ),
                None => format!("`{path}`: `{}`{origin} depends on {source}", e.value.text),
            };
            Some(Decision {
                state: State::Depends { on, default },
                because,
                at: Some(e.key.clone()),
            })
        }
        Read::Opaque(op) => Some(Decision {
            state: State::Unknown {
                source: op.text.clone(),
            },
            because: format!("`{path}` may be set through {}", op.unseen()),
            at: Some(op.range.clone()),
        }),
        Read::Unknown(text, e) => Some(Decision {
            state: State::Unknown {
                source: text.to_string(),
            },
            because: match e {
                Some(_) => format!("`{path}` is `{text}`, which cannot be evaluated here"),
                None => format!("`{path}` may be set through `{text}`, which cannot be seen here"),
            },
            at: e.map(|e| e.key.clone()),
        }),
        _ => None,
    }
}

fn decision(state: State, because: impl Into<String>, at: Option<Range<usize>>) -> Decision {
    Decision {
        state,
        because: because.into(),
        at,
    }
}

/// A boolean option: its truth (`None` when undecided), the decision for undecided values.
enum Flag<'a> {
    Set(bool, &'a OptionEntry),
    Default,
    Undecided(Decision),
}

fn flag<'a>(r: Read<'a>, path: &str, python: bool) -> Flag<'a> {
    match r {
        Read::Absent => Flag::Default,
        Read::Lit(Literal::Undefined, _) => Flag::Default,
        Read::Lit(l, e) => Flag::Set(l.truthy(), e),
        // A dict or list is truthy unless empty (Python); always truthy in JavaScript.
        Read::Map(m, e) => Flag::Set(!python || !m.entries.is_empty() || !m.opaque.is_empty(), e),
        Read::List(items, e) => Flag::Set(!python || !items.is_empty(), e),
        // True in production: definite, whatever other environments do.
        Read::Depends(e, v) if production_literal(v).is_some_and(|l| l.truthy()) => {
            Flag::Set(true, e)
        }
        other => Flag::Undecided(unexpected(other, path, python)),
    }
}

/// The string literals of a list value (`None` for entries that are not literal strings).
fn strings(items: &[Item]) -> Vec<Option<&str>> {
    items
        .iter()
        .map(|i| match &i.value.value {
            Value::Literal(Literal::Str(s)) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Python

/// What `EventScrubber` does to an init's events (without `data_collection`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Scrubbing {
    /// The default scrubber, or one whose denylist includes `DEFAULT_DENYLIST`.
    Defaults,
    /// A custom denylist without the defaults: only its own keys.
    Custom,
    /// An empty denylist: nothing.
    Nothing,
    /// The scrubber cannot be read.
    Unknown,
}

fn scrubbing(init: &SentryInit) -> Scrubbing {
    match (&init.python.scrubber, init.options.get("event_scrubber")) {
        (None, None) => Scrubbing::Defaults,
        // `event_scrubber=None`: the SDK creates its default one.
        (None, Some(e)) if matches!(e.value.value, Value::Literal(Literal::Null)) => {
            Scrubbing::Defaults
        }
        (None, Some(_)) => Scrubbing::Unknown,
        (Some(s), _) if s.unresolved => Scrubbing::Unknown,
        (Some(s), _) => match &s.denylist {
            None => Scrubbing::Defaults,
            Some(d) if d.includes_default => Scrubbing::Defaults,
            Some(d) if d.partial => Scrubbing::Unknown,
            Some(d) if d.entries.is_empty() => Scrubbing::Nothing,
            Some(_) => Scrubbing::Custom,
        },
    }
}

/// The names every `sentry-sdk` AI integration and MCP integration goes by.
const PY_AI_INTEGRATIONS: &[&str] = &[
    "OpenAIIntegration",
    "AnthropicIntegration",
    "CohereIntegration",
    "LangchainIntegration",
    "LanggraphIntegration",
    "HuggingfaceHubIntegration",
    "LiteLLMIntegration",
    "OpenAIAgentsIntegration",
    "GoogleGenAIIntegration",
    "PydanticAIIntegration",
    "MCPIntegration",
];

fn python_policy(init: &SentryInit, installed: Option<&Installed>) -> Policy {
    let writes_dc = init.options.get("data_collection").is_some();
    let assume = if writes_dc {
        (
            PYTHON
                .iter()
                .rev()
                .find(|s| s.data_collection == PyDataCollection::TopLevel)
                .expect("a release with top-level data_collection"),
            "the newest release line with `data_collection`".to_string(),
        )
    } else {
        (
            PYTHON
                .iter()
                .rev()
                .find(|s| s.data_collection == PyDataCollection::Absent && !s.v1_names && s.pre.is_empty())
                .expect("a 2.x release before data_collection"),
            "the newest 2.x release before `data_collection`, since the init writes no `data_collection`".to_string(),
        )
    };
    let (segments, name, judged, sdk) = select(&PYTHON, "sentry-sdk", installed, assume);
    let parts = segments
        .iter()
        .map(|s| {
            (
                (s.first.to_string(), s.newest.to_string()),
                python(init, s, &name),
            )
        })
        .collect();
    let e = merge(parts);
    Policy {
        sdk,
        judged,
        runtime: Runtime::Server,
        decisions: e.decisions,
        ignored: e.ignored,
        notes: e.notes,
        data_collection: e.data_collection,
        scrubber_applies: e.scrubber_applies,
        py_segments: segments,
        js_segments: Vec::new(),
        libraries: Vec::new(),
    }
}

/// `data_collection` as one release reads it.
enum PyDc<'a> {
    /// Not in effect.
    Off,
    /// In effect, with these options (none: `{}`, the defaults).
    On(Option<&'a Options>, Option<&'a OptionEntry>),
    /// In effect (or possibly), with options that cannot be read.
    Undecided(Decision),
}

fn python_dc<'a>(init: &'a SentryInit, seg: &PySegment, e: &mut Evaluation) -> PyDc<'a> {
    let o = &init.options;
    let top = o.get("data_collection");
    let experiments = o.get("_experiments");
    let exp_dc = experiments
        .and_then(|x| x.value.value.map())
        .and_then(|m| m.get("data_collection"));
    let from = |entry: &'a OptionEntry, path: &str| -> PyDc<'a> {
        match classify(entry) {
            Read::Lit(Literal::Null, _) => PyDc::Off,
            Read::Map(m, en) => PyDc::On(Some(m), Some(en)),
            Read::Lit(_, en) => PyDc::On(None, Some(en)),
            other => PyDc::Undecided(unexpected(other, path, true)),
        }
    };
    match seg.data_collection {
        PyDataCollection::Absent => {
            if let Some(t) = top {
                e.ignore(
                    "data_collection",
                    t.key.clone(),
                    IgnoredKind::Rejected,
                    "this sentry-sdk release has no `data_collection` option: `init()` raises `TypeError: Unknown option`",
                    "upgrade sentry-sdk to 2.70 or later, or remove it",
                );
            }
            if let Some(x) = exp_dc {
                e.ignore(
                    "_experiments.data_collection",
                    x.key.clone(),
                    IgnoredKind::Ignored,
                    "this sentry-sdk release has no `data_collection` experiment: it is silently ignored",
                    "upgrade sentry-sdk to 2.70 or later and pass `data_collection=` at the top level",
                );
            }
            PyDc::Off
        }
        PyDataCollection::Inert => {
            if let Some(t) = top {
                e.ignore(
                    "data_collection",
                    t.key.clone(),
                    IgnoredKind::Rejected,
                    "this sentry-sdk release has no `data_collection` option: `init()` raises `TypeError: Unknown option`",
                    "upgrade sentry-sdk to 2.70 or later",
                );
            }
            if let Some(x) = exp_dc {
                e.ignore(
                    "_experiments.data_collection",
                    x.key.clone(),
                    IgnoredKind::Ignored,
                    "sentry-sdk 2.65–2.66 accept `_experiments[\"data_collection\"]` but nothing reads it: `send_default_pii` still decides",
                    "upgrade sentry-sdk to 2.70 or later and pass `data_collection=` at the top level",
                );
            }
            PyDc::Off
        }
        PyDataCollection::Experiments => {
            if let Some(t) = top {
                e.ignore(
                    "data_collection",
                    t.key.clone(),
                    IgnoredKind::Rejected,
                    "before 2.70 `data_collection` exists only under `_experiments`: `init()` raises `TypeError: Unknown option`",
                    "pass it as `_experiments={\"data_collection\": {...}}`, or upgrade sentry-sdk to 2.70 or later",
                );
            }
            match exp_dc {
                Some(x) => from(x, "_experiments.data_collection"),
                None => PyDc::Off,
            }
        }
        PyDataCollection::TopLevel => match (top, exp_dc) {
            (Some(t), x) => {
                if let Some(x) = x {
                    e.ignore(
                        "_experiments.data_collection",
                        x.key.clone(),
                        IgnoredKind::Ignored,
                        "the top-level `data_collection` takes precedence: this one is ignored",
                        "keep one `data_collection`, at the top level",
                    );
                }
                from(t, "data_collection")
            }
            (None, Some(x)) => from(x, "_experiments.data_collection"),
            (None, None) if !o.opaque.is_empty() => PyDc::Undecided(decision(
                State::Unknown {
                    source: o.opaque[0].text.clone(),
                },
                format!(
                    "`data_collection` may be set through {}",
                    o.opaque[0].unseen()
                ),
                None,
            )),
            (None, None) => PyDc::Off,
        },
        PyDataCollection::Always => {
            if let Some(x) = exp_dc {
                e.ignore(
                    "_experiments.data_collection",
                    x.key.clone(),
                    IgnoredKind::Ignored,
                    "sentry-sdk 3 ignores `_experiments[\"data_collection\"]`",
                    "pass `data_collection=` at the top level",
                );
            }
            match top {
                Some(t) => match classify(t) {
                    Read::Lit(Literal::Null, en) => {
                        e.ignore(
                            "data_collection",
                            en.key.clone(),
                            IgnoredKind::Rejected,
                            "sentry-sdk 3 rejects `data_collection=None`: `init()` raises `TypeError`",
                            "remove it, or pass a dict",
                        );
                        PyDc::On(None, None)
                    }
                    _ => from(t, "data_collection"),
                },
                None => PyDc::On(None, None),
            }
        }
    }
}

/// The known keys of Python's `data_collection`.
fn python_dc_keys(seg: &PySegment) -> Vec<&'static str> {
    let mut keys = vec![
        "user_info",
        "cookies",
        "http_headers",
        "http_bodies",
        seg.query_key,
        "graphql",
        "gen_ai",
        "database_query_data",
        "queues",
        "stack_frame_variables",
        "frame_context_lines",
    ];
    if seg.mcp {
        keys.push("mcp");
    }
    keys
}

fn python(init: &SentryInit, seg: &PySegment, name: &str) -> Evaluation {
    let mut e = Evaluation::new();
    let o = &init.options;
    let version = name.to_string();
    // 1.x option names on 2.x and later.
    for (old, new) in [
        ("with_locals", "include_local_variables"),
        ("request_bodies", "max_request_body_size"),
    ] {
        if let Some(entry) = o.get(old) {
            if seg.v1_names {
                e.notes.push(format!(
                    "`{old}` is deprecated in sentry-sdk 1.x (a log line with `debug=True`) and still honoured; it was renamed to `{new}`"
                ));
            } else {
                e.ignore(
                    old,
                    entry.key.clone(),
                    IgnoredKind::Rejected,
                    format!("`{old}` was removed in sentry-sdk 2.0: `init()` raises `TypeError: Unknown option`"),
                    format!("use `{new}`"),
                );
                e.remedy(Remedy::Rename(new), entry);
            }
        }
    }
    if seg.legacy_removed {
        for name in [
            "send_default_pii",
            "include_local_variables",
            "include_source_context",
            "event_scrubber",
        ] {
            if let Some(entry) = o.get(name) {
                e.ignore(
                    name,
                    entry.key.clone(),
                    IgnoredKind::Rejected,
                    format!("sentry-sdk 3 removed `{name}`: `init()` raises `TypeError: Unknown option '{name}'`"),
                    match name {
                        "send_default_pii" => "remove it; `data_collection` decides what is sent",
                        "include_local_variables" => "use `data_collection={\"stack_frame_variables\": False}`",
                        "include_source_context" => "use `data_collection={\"frame_context_lines\": 0}`",
                        _ => "drop the customer-data fields in `before_send`",
                    },
                );
            }
        }
    }
    let dc = python_dc(init, seg, &mut e);
    match dc {
        PyDc::Off => python_legacy(init, seg, &version, &mut e),
        PyDc::On(map, entry) => {
            e.data_collection = true;
            python_collection(init, seg, &version, map, entry, &mut e);
            if let Some(en) = entry {
                e.defaults_of("`data_collection.", &en.key);
            }
        }
        PyDc::Undecided(d) => {
            e.data_collection = true;
            for c in Category::ALL.iter().filter(|c| !c.is_replay()) {
                e.set(*c, d.clone());
            }
        }
    }
    for c in Category::ALL.iter().filter(|c| c.is_replay()) {
        e.set(
            *c,
            decision(State::Off, "Session Replay is a browser feature", None),
        );
    }
    e
}

/// Whether the init lists an AI integration with `include_prompts=False`, and which.
fn py_prompts_off(init: &SentryInit) -> Option<(&OptionEntry, String)> {
    let ai: Vec<_> = init
        .integrations
        .iter()
        .filter(|i| PY_AI_INTEGRATIONS.contains(&i.name.as_str()))
        .collect();
    if ai.is_empty() {
        return None;
    }
    let mut first = None;
    for i in &ai {
        match i.options.get("include_prompts") {
            Some(p) if matches!(p.value.value.in_production(), Value::Literal(l) if !l.truthy()) => {
                first.get_or_insert((p, i.name.clone()));
            }
            _ => return None,
        }
    }
    first
}

/// What `send_default_pii` (without `data_collection`) decides: collected when true.
fn py_pii_gated(init: &SentryInit, version: &str) -> Decision {
    match flag(
        read(&init.options, "send_default_pii"),
        "send_default_pii",
        true,
    ) {
        Flag::Set(on, p) => decision(
            if on { State::Collected } else { State::Off },
            written("send_default_pii", &p.value, true),
            Some(p.key.clone()),
        ),
        Flag::Default => decision(
            State::Off,
            format!("`send_default_pii` is not set: off by default in {version}"),
            None,
        ),
        Flag::Undecided(d) => d,
    }
}

/// AI prompts and responses without `data_collection`: `send_default_pii` and the integrations'
/// `include_prompts`.
fn python_prompts_legacy(init: &SentryInit, version: &str) -> Decision {
    let d = py_pii_gated(init, version);
    if d.state == State::Off {
        return d;
    }
    match py_prompts_off(init) {
        Some((p, name)) => decision(
            State::Off,
            format!(
                "`{name}(include_prompts={})`: prompts and responses are not recorded",
                p.value.text
            ),
            Some(p.key.clone()),
        ),
        None => Decision {
            because: format!(
                "{}; the AI integrations record them unless `include_prompts=False`",
                d.because
            ),
            ..d
        },
    }
}

/// MCP tool arguments and results without `data_collection`: from 2.43 the MCP integration puts
/// the arguments on spans whatever `send_default_pii` says; the results follow it.
fn python_mcp_legacy(init: &SentryInit, seg: &PySegment, version: &str) -> [Decision; 2] {
    if !seg.mcp_spans {
        let d = decision(
            State::Off,
            format!("sentry-sdk {} has no MCP integration", facts::label(seg)),
            None,
        );
        return [d.clone(), d];
    }
    [
        decision(
            State::Collected,
            "the MCP integration (sentry-sdk 2.43 and later) records tool arguments on spans whatever `send_default_pii` says",
            None,
        ),
        python_prompts_legacy(init, version),
    ]
}

fn python_legacy(init: &SentryInit, seg: &PySegment, version: &str, e: &mut Evaluation) {
    use Category::*;
    let release = format!("sentry-sdk {}", facts::label(seg));
    let o = &init.options;
    let scrub = scrubbing(init);
    e.scrubber_applies = o.get("event_scrubber").is_some() && !seg.legacy_removed;
    let pii = flag(read(o, "send_default_pii"), "send_default_pii", true);
    if seg.pii_deprecated {
        if let Some(p) = o.get("send_default_pii") {
            e.notes.push(format!(
                "`send_default_pii={}` is deprecated from sentry-sdk 2.72 and still honoured without `data_collection`; sentry-sdk 3 removes it",
                p.value.text
            ));
        }
    }
    // What `send_default_pii` turns on, as a reason.
    let pii_on = |_what: &str| -> Option<Decision> {
        match &pii {
            Flag::Set(true, p) => Some(decision(
                State::Collected,
                written("send_default_pii", &p.value, true),
                Some(p.key.clone()),
            )),
            Flag::Set(false, p) => Some(decision(
                State::Off,
                written("send_default_pii", &p.value, true),
                Some(p.key.clone()),
            )),
            Flag::Default => None,
            Flag::Undecided(d) => Some(d.clone()),
        }
    };
    let off_by_default = || {
        decision(
            State::Off,
            format!("`send_default_pii` is not set: off by default in {version}"),
            None,
        )
    };
    let pii_gated = |what: &str| pii_on(what).unwrap_or_else(off_by_default);
    let pii_is_on = matches!(pii, Flag::Set(true, _));
    let scrubbed = |d: Decision| -> Decision {
        if d.state != State::Collected {
            return d;
        }
        if seg.scrubber_skipped_with_pii && pii_is_on {
            return Decision {
                because: format!(
                    "{}, and with it {release} skips the `EventScrubber`",
                    d.because
                ),
                ..d
            };
        }
        match scrub {
            Scrubbing::Defaults => Decision {
                state: State::Filtered,
                because: format!("{}; the `EventScrubber` replaces the values of keys such as `password`, `token` and `session`", d.because),
                ..d
            },
            // A denylist without the defaults removes only its own keys: passwords, tokens and
            // session cookies go out in clear.
            Scrubbing::Custom => Decision {
                because: format!("{}; the `EventScrubber` denylist replaces Sentry's default one, so only the keys it names are removed and credentials are sent", d.because),
                ..d
            },
            Scrubbing::Nothing => d,
            Scrubbing::Unknown => Decision {
                state: State::Unknown {
                    source: "event_scrubber".into(),
                },
                because: format!("{}; what the `event_scrubber` removes cannot be seen here", d.because),
                ..d
            },
        }
    };
    e.set(
        UserInfo,
        pii_gated("the user's id, e-mail, username and IP address"),
    );
    e.set(Cookies, scrubbed(pii_gated("the request's cookies")));
    e.set(
        HttpHeaders,
        match pii_on("every request header") {
            Some(d) if d.state == State::Collected => scrubbed(d),
            Some(d) if d.state == State::Off => Decision {
                state: State::Filtered,
                because: format!("{}, so the SDK removes `Authorization`, `Cookie`, `X-Forwarded-For` and similar headers", d.because),
                ..d
            },
            Some(d) => d,
            None => decision(
                State::Filtered,
                format!("`send_default_pii` is not set: {version} sends request headers without `Authorization`, `Cookie`, `X-Forwarded-For` and similar ones"),
                None,
            ),
        },
    );
    // Request bodies: `max_request_body_size` (1.x also `request_bodies`), default "medium".
    let body_opt = if seg.v1_names && o.get("max_request_body_size").is_none() {
        "request_bodies"
    } else {
        "max_request_body_size"
    };
    let bodies = match read(o, body_opt) {
        Read::Lit(Literal::Str(s), en) if s == "never" => decision(
            State::Off,
            written(body_opt, &en.value, true),
            Some(en.key.clone()),
        ),
        Read::Lit(l, en) => scrubbed(decision(
            State::Collected,
            format!(
                "{}: JSON and form request bodies up to {} are attached to error events",
                written(body_opt, &en.value, true),
                body_limit(l)
            ),
            Some(en.key.clone()),
        )),
        Read::Absent => scrubbed(decision(
            State::Collected,
            format!("`{body_opt}` is not set: {version} defaults to \"medium\", which attaches JSON and form request bodies up to 10 kB to error events whatever `send_default_pii` says"),
            None,
        )),
        other => undecided(other, body_opt, true).unwrap_or_else(|| {
            decision(State::Unknown { source: body_opt.into() }, format!("`{body_opt}` cannot be read"), None)
        }),
    };
    e.set(RequestBodies, bodies);
    e.set(OutgoingBodies, {
        let d = pii_gated("GraphQL responses");
        if d.state == State::Collected {
            Decision {
                because: format!(
                    "{}: the GraphQL integrations (strawberry, ariadne) attach their responses",
                    d.because
                ),
                ..d
            }
        } else {
            d
        }
    });
    e.set(
        QueryParams,
        decision(
            State::Collected,
            format!("{version} sends the query string as it is, without `data_collection`"),
            None,
        ),
    );
    let locals_opt = if seg.v1_names
        && o.get("include_local_variables").is_none()
        && o.get("with_locals").is_some()
    {
        "with_locals"
    } else {
        "include_local_variables"
    };
    e.set(
        FrameVariables,
        scrubbed(bool_default_on(
            read(o, locals_opt),
            locals_opt,
            version,
            "the local variables of every stack frame are sent with error events",
        )),
    );
    e.set(
        SourceContext,
        bool_default_on(
            read(o, "include_source_context"),
            "include_source_context",
            version,
            "five lines of source code around each frame are sent",
        ),
    );
    let prompts = python_prompts_legacy(init, version);
    e.set(GenAiInputs, prompts.clone());
    e.set(GenAiOutputs, prompts);
    let [mi, mo] = python_mcp_legacy(init, seg, version);
    e.set(McpInputs, mi);
    e.set(McpOutputs, mo);
    e.set(DatabaseQueryData, pii_gated("database query parameters"));
    let queue = if seg.queue_args_ungated {
        decision(
            State::Collected,
            "before sentry-sdk 2.59 the Celery and RQ integrations attach job arguments to error events whatever `send_default_pii` says",
            None,
        )
    } else {
        pii_gated("the arguments of Celery, RQ, ARQ and Huey jobs with their errors")
    };
    // Job arguments sit below `extra`: only a recursive scrubber reaches them.
    let recursive = init
        .python
        .scrubber
        .as_ref()
        .and_then(|sc| sc.recursive.as_ref())
        .is_some_and(|r| matches!(r.value.in_production(), Value::Literal(l) if l.truthy()));
    e.set(
        QueueArguments,
        if recursive { scrubbed(queue) } else { queue },
    );
    e.set(GraphqlDocument, pii_gated("GraphQL documents"));
    e.set(GraphqlVariables, pii_gated("GraphQL variables"));
}

/// "10 kB" for "medium", and so on.
fn body_limit(l: &Literal) -> &'static str {
    match l {
        Literal::Str(s) if s == "small" => "1 kB",
        Literal::Str(s) if s == "always" => "any size",
        _ => "10 kB",
    }
}

/// A boolean option that defaults to true.
fn bool_default_on(r: Read, name: &str, version: &str, consequence: &str) -> Decision {
    match flag(r, name, true) {
        Flag::Set(true, en) => decision(
            State::Collected,
            format!("{}: {consequence}", written(name, &en.value, true)),
            Some(en.key.clone()),
        ),
        Flag::Set(false, en) => decision(
            State::Off,
            written(name, &en.value, true),
            Some(en.key.clone()),
        ),
        Flag::Default => decision(
            State::Collected,
            format!("`{name}` is not set: {version} defaults to `True`, so {consequence}"),
            None,
        ),
        Flag::Undecided(d) => d,
    }
}

/// A key-value collection behaviour `{"mode": "off" | "denylist" | "allowlist", "terms": [...]}`
/// (Python) read as a state; the permissive default when absent or not honoured.
fn python_kv(r: Read, path: &str, version: &str, what: &str, e: &mut Evaluation) -> Decision {
    let default = || {
        decision(
            State::Filtered,
            format!("`{path}` is not set: {version} sends {what}, with the values of sensitive keys (`auth`, `token`, `session`...) filtered"),
            None,
        )
    };
    match r {
        Read::Absent => default(),
        Read::Map(m, _) => match read(m, "mode") {
            Read::Lit(Literal::Str(mode), me) => match mode.as_str() {
                "off" => decision(
                    State::Off,
                    format!("`{path}` has mode \"off\""),
                    Some(me.key.clone()),
                ),
                "denylist" | "allowlist" => decision(
                    State::Filtered,
                    format!("`{path}` has mode \"{mode}\": {what} are sent, filtered"),
                    Some(me.key.clone()),
                ),
                other => {
                    e.ignore(
                        format!("{path}.mode"),
                        me.value_range.clone(),
                        IgnoredKind::Rejected,
                        format!("`\"{other}\"` is not a mode: `init()` raises `ValueError: Invalid collection mode` (the modes are lower-case)"),
                        "use \"off\", \"denylist\" or \"allowlist\"",
                    );
                    if ["off", "denylist", "allowlist"]
                        .contains(&other.to_ascii_lowercase().as_str())
                    {
                        e.remedy(
                            Remedy::Replace(format!("\"{}\"", other.to_ascii_lowercase())),
                            me,
                        );
                    }
                    default()
                }
            },
            Read::Absent => default(),
            other => undecided(other, &format!("{path}.mode"), true).unwrap_or_else(default),
        },
        Read::Lit(l, en) => {
            let (kind, message) = match l {
                Literal::Bool(true) => (
                    IgnoredKind::Rejected,
                    format!("`{path}=True` is not a collection behaviour: `init()` raises `AttributeError`"),
                ),
                _ => (
                    IgnoredKind::NoOp,
                    format!("`{path}={}` does nothing: {version} replaces it with its default, which sends {what}", l.display(true)),
                ),
            };
            e.ignore(
                path,
                en.key.clone(),
                kind,
                message,
                "use `{\"mode\": \"off\"}`",
            );
            if !l.truthy() {
                e.remedy(Remedy::Replace("{\"mode\": \"off\"}".into()), en);
            }
            default()
        }
        other => undecided(other, path, true).unwrap_or_else(default),
    }
}

/// A `{"inputs": bool, "outputs": bool}` (or `document`/`variables`) pair; default both on.
fn python_pair<'a>(
    r: Read<'a>,
    path: &str,
    keys: [&str; 2],
    version: &str,
    e: &mut Evaluation,
) -> [Decision; 2] {
    let default = |k: &str| {
        decision(
            State::Collected,
            format!("`{path}` does not set `{k}`: {version} collects it by default under `data_collection`"),
            None,
        )
    };
    match r {
        Read::Map(m, _) => keys.map(|k| match flag(read(m, k), &format!("{path}.{k}"), true) {
            Flag::Set(true, en) => decision(
                State::Collected,
                written(&format!("{path}.{k}"), &en.value, true),
                Some(en.key.clone()),
            ),
            Flag::Set(false, en) => decision(
                State::Off,
                written(&format!("{path}.{k}"), &en.value, true),
                Some(en.key.clone()),
            ),
            Flag::Default => default(k),
            Flag::Undecided(d) => d,
        }),
        Read::Lit(l, en) => {
            e.ignore(
                path,
                en.key.clone(),
                IgnoredKind::NoOp,
                format!("`{path}={}` does nothing: {version} replaces it with its default, which collects both", l.display(true)),
                format!("use `{{\"{}\": False, \"{}\": False}}`", keys[0], keys[1]),
            );
            if !l.truthy() {
                e.remedy(
                    Remedy::Replace(format!(
                        "{{\"{}\": False, \"{}\": False}}",
                        keys[0], keys[1]
                    )),
                    en,
                );
            }
            keys.map(default)
        }
        Read::Absent => keys.map(default),
        other => {
            let d = unexpected(other, path, true);
            [d.clone(), d]
        }
    }
}

fn python_collection(
    init: &SentryInit,
    seg: &PySegment,
    version: &str,
    map: Option<&Options>,
    entry: Option<&OptionEntry>,
    e: &mut Evaluation,
) {
    use Category::*;
    let o = &init.options;
    let dc = |k: &str| read_in(map, k);
    let path = |k: &str| format!("data_collection.{k}");
    let unreadable = map.is_none() && entry.is_some();
    if unreadable {
        // `data_collection=<something not a dict>`.
        let en = entry.expect("entry");
        let d = decision(
            State::Unknown {
                source: en.value.text.clone(),
            },
            format!(
                "`data_collection` is `{}`, which cannot be read as a dict here",
                en.value.text
            ),
            Some(en.key.clone()),
        );
        for c in Category::ALL.iter().filter(|c| !c.is_replay()) {
            e.set(*c, d.clone());
        }
        return;
    }
    if let Some(m) = map {
        let known = python_dc_keys(seg);
        for k in &m.entries {
            if !known.contains(&k.name.as_str()) {
                let hint = match k.name.as_str() {
                    "query_params" | "url_query_params" => format!("use `{}`", seg.query_key),
                    "userInfo" => "use `user_info`".into(),
                    "httpHeaders" | "httpBodies" | "genAI" | "stackFrameVariables" => {
                        "the Python keys are snake_case".into()
                    }
                    _ => format!("the keys are {}", known.join(", ")),
                };
                e.ignore(
                    path(&k.name),
                    k.key.clone(),
                    IgnoredKind::Ignored,
                    format!(
                        "{version} does not know `{}` in `data_collection`: it is silently ignored",
                        k.name
                    ),
                    hint,
                );
            }
        }
    }
    // Options that `data_collection` makes the SDK ignore.
    if !seg.legacy_removed {
        if let Some(p) = o.get("send_default_pii") {
            e.ignore(
                "send_default_pii",
                p.key.clone(),
                IgnoredKind::Ignored,
                format!("{version} ignores `send_default_pii` when `data_collection` is set (a `DeprecationWarning` nobody sees)"),
                "remove it; set `data_collection[\"user_info\"]` instead",
            );
            e.remedy(Remedy::Remove, p);
        }
        if seg.dc_frames {
            for (name, instead) in [
                (
                    "include_local_variables",
                    "use `data_collection[\"stack_frame_variables\"]`",
                ),
                (
                    "include_source_context",
                    "use `data_collection[\"frame_context_lines\"]`",
                ),
            ] {
                if let Some(p) = o.get(name) {
                    e.ignore(
                        name,
                        p.key.clone(),
                        IgnoredKind::Ignored,
                        format!("{version} ignores `{name}` when `data_collection` is set"),
                        instead,
                    );
                }
            }
        }
        if seg.scrubber_dropped {
            if let Some(p) = o.get("event_scrubber") {
                e.ignore(
                    "event_scrubber",
                    p.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} discards `event_scrubber` when `data_collection` is set (a `UserWarning` nobody sees): nothing is scrubbed"),
                    "drop the customer-data fields in `before_send`",
                );
                e.remedy(Remedy::Remove, p);
            }
        }
    }
    e.scrubber_applies = !seg.scrubber_dropped && o.get("event_scrubber").is_some();
    for i in &init.integrations {
        if PY_AI_INTEGRATIONS.contains(&i.name.as_str()) {
            if let Some(p) = i.options.get("include_prompts") {
                e.ignore(
                    format!("{}.include_prompts", i.name),
                    p.key.clone(),
                    if seg.legacy_removed { IgnoredKind::Rejected } else { IgnoredKind::Ignored },
                    if seg.legacy_removed {
                        format!("sentry-sdk 3 removed `include_prompts` from `{}`: constructing it raises `TypeError`", i.name)
                    } else {
                        format!("{version} ignores `include_prompts` when `data_collection` is set: only `gen_ai` decides")
                    },
                    "use `data_collection={\"gen_ai\": {\"inputs\": False, \"outputs\": False}}`",
                );
            }
        }
    }
    let on_default = |k: &str, what: &str| {
        decision(
            State::Collected,
            format!(
                "`{}` is not set: {version} collects {what} by default under `data_collection`",
                path(k)
            ),
            None,
        )
    };
    let bool_key = |k: &str, what: &str| -> Decision {
        match flag(dc(k), &path(k), true) {
            Flag::Set(true, en) => decision(
                State::Collected,
                written(&path(k), &en.value, true),
                Some(en.key.clone()),
            ),
            Flag::Set(false, en) => decision(
                State::Off,
                written(&path(k), &en.value, true),
                Some(en.key.clone()),
            ),
            Flag::Default => on_default(k, what),
            Flag::Undecided(d) => d,
        }
    };
    e.set(
        UserInfo,
        bool_key(
            "user_info",
            "the user's id, e-mail, username and IP address",
        ),
    );
    let cookies = python_kv(dc("cookies"), &path("cookies"), version, "cookies", e);
    e.set(Cookies, cookies);
    let headers = match dc("http_headers") {
        Read::Map(m, en) if m.get("request").is_none() && m.get("mode").is_some() => {
            e.ignore(
                path("http_headers"),
                en.key.clone(),
                IgnoredKind::NoOp,
                format!("{version} reads only `http_headers[\"request\"]`: the flat form is ignored and request headers are collected"),
                "use `{\"request\": {\"mode\": \"off\"}}`",
            );
            python_kv(
                Read::Absent,
                &path("http_headers.request"),
                version,
                "request headers",
                e,
            )
        }
        Read::Map(m, _) => python_kv(
            read(m, "request"),
            &path("http_headers.request"),
            version,
            "request headers",
            e,
        ),
        other => python_kv(other, &path("http_headers"), version, "request headers", e),
    };
    e.set(HttpHeaders, headers);
    // HTTP bodies: the listed directions, and `max_request_body_size` for incoming ones.
    let listed: Result<(Vec<Option<&str>>, Option<&OptionEntry>), Decision> = match dc(
        "http_bodies",
    ) {
        Read::Absent => Ok((
            seg.default_http_bodies.iter().map(|s| Some(*s)).collect(),
            None,
        )),
        Read::List(items, en) => {
            let names = strings(items);
            for (i, n) in items.iter().zip(&names) {
                if let Some(n) = n {
                    if ![
                        "incoming_request",
                        "outgoing_request",
                        "outgoing_response",
                        "incoming_response",
                    ]
                    .contains(n)
                    {
                        e.ignore(
                            format!("{}[\"{n}\"]", path("http_bodies")),
                            i.range.clone(),
                            IgnoredKind::Ignored,
                            format!("`\"{n}\"` matches no body type: the Python names are snake_case (`incoming_request`)"),
                            "use `incoming_request`, `outgoing_request` or `outgoing_response`",
                        );
                    }
                }
            }
            Ok((names, Some(en)))
        }
        Read::Lit(l, en) => {
            e.ignore(
                path("http_bodies"),
                en.key.clone(),
                IgnoredKind::Rejected,
                format!(
                    "`http_bodies={}` is not a list: `init()` raises `TypeError`",
                    l.display(true)
                ),
                "use a list, `[]` for none",
            );
            Ok((
                seg.default_http_bodies.iter().map(|s| Some(*s)).collect(),
                None,
            ))
        }
        other => Err(unexpected(other, &path("http_bodies"), true)),
    };
    let body = |names: &[&str], what: &str| -> Decision {
        match &listed {
            Err(d) => d.clone(),
            Ok((list, en)) => {
                let unknown_entry = list.iter().any(|x| x.is_none());
                let hit = list.iter().flatten().find(|n| names.contains(n));
                match (hit, en) {
                    (Some(n), Some(en)) => decision(
                        State::Collected,
                        format!("`{}` lists \"{n}\"", path("http_bodies")),
                        Some(en.key.clone()),
                    ),
                    (Some(_), None) => decision(
                        State::Collected,
                        format!(
                            "`{}` is not set: {version} collects {what}",
                            path("http_bodies")
                        ),
                        None,
                    ),
                    (None, _) if unknown_entry => decision(
                        State::Unknown {
                            source: path("http_bodies"),
                        },
                        format!("`{}` has entries that cannot be read", path("http_bodies")),
                        en.map(|x| x.key.clone()),
                    ),
                    (None, Some(en)) => decision(
                        State::Off,
                        format!("`{}` does not list them", path("http_bodies")),
                        Some(en.key.clone()),
                    ),
                    (None, None) => decision(
                        State::Off,
                        format!("{version} does not collect them by default"),
                        None,
                    ),
                }
            }
        }
    };
    let incoming = body(&["incoming_request"], "incoming request bodies");
    let incoming = if incoming.state == State::Off {
        incoming
    } else {
        match read(o, "max_request_body_size") {
            Read::Lit(Literal::Str(s), en) if s == "never" => decision(
                State::Off,
                written("max_request_body_size", &en.value, true),
                Some(en.key.clone()),
            ),
            Read::Absent | Read::Lit(..) => {
                let mut d = incoming;
                d.because = format!("{}, and `max_request_body_size` is not \"never\": JSON and form bodies up to 10 kB are attached to error events", d.because);
                if !seg.scrubber_dropped && scrubbing(init) != Scrubbing::Nothing {
                    d.state = State::Filtered;
                }
                d
            }
            other => undecided(other, "max_request_body_size", true).unwrap_or(incoming),
        }
    };
    e.set(RequestBodies, incoming);
    e.set(
        OutgoingBodies,
        if seg.dc_outgoing {
            body(
                &["outgoing_response"],
                "GraphQL responses (strawberry, ariadne)",
            )
        } else {
            decision(
                State::Off,
                format!(
                    "sentry-sdk {} reads no outgoing body setting",
                    facts::label(seg)
                ),
                None,
            )
        },
    );
    let q = python_kv(
        dc(seg.query_key),
        &path(seg.query_key),
        version,
        "URL query parameters",
        e,
    );
    e.set(QueryParams, q);
    // Stack-frame variables: `True` sends them unfiltered. Before 2.69 the frame serializer
    // still reads `include_local_variables` and `include_source_context`.
    let (frames, context) = if !seg.dc_frames {
        for k in ["stack_frame_variables", "frame_context_lines"] {
            if let Some(en) = map.and_then(|m| m.get(k)) {
                e.ignore(
                    path(k),
                    en.key.clone(),
                    IgnoredKind::Ignored,
                    format!("sentry-sdk {} does not read `data_collection[\"{k}\"]` (2.69 does): it is ignored", facts::label(seg)),
                    if k == "frame_context_lines" { "use `include_source_context=False`" } else { "use `include_local_variables=False`" },
                );
            }
        }
        (
            bool_default_on(
                read(o, "include_local_variables"),
                "include_local_variables",
                version,
                "the local variables of every stack frame are sent, unfiltered (no scrubber runs under `data_collection`)",
            ),
            bool_default_on(
                read(o, "include_source_context"),
                "include_source_context",
                version,
                "five lines of source code around each frame are sent",
            ),
        )
    } else {
        let frames = match dc("stack_frame_variables") {
            Read::Absent => decision(
                State::Collected,
                format!("`{}` is not set: {version} sends the local variables of every stack frame, unfiltered (no denylist applies to `True`)", path("stack_frame_variables")),
                None,
            ),
            Read::Map(_, _) if seg.frame_variables_mode => python_kv(dc("stack_frame_variables"), &path("stack_frame_variables"), version, "stack-frame variables", e),
            Read::Map(_, en) => {
                e.ignore(
                    path("stack_frame_variables"),
                    en.key.clone(),
                    IgnoredKind::Rejected,
                    format!("{version} takes only `True` or `False` for `stack_frame_variables`"),
                    "use `False`",
                );
                decision(State::Collected, "the local variables of every stack frame are sent, unfiltered", None)
            }
            other => match flag(other, &path("stack_frame_variables"), true) {
                Flag::Set(true, en) => decision(State::Collected, format!("{}: local variables are sent unfiltered", written(&path("stack_frame_variables"), &en.value, true)), Some(en.key.clone())),
                Flag::Set(false, en) => decision(State::Off, written(&path("stack_frame_variables"), &en.value, true), Some(en.key.clone())),
                Flag::Default => decision(State::Collected, "local variables are sent unfiltered", None),
                Flag::Undecided(d) => d,
            },
        };
        let context = match dc("frame_context_lines") {
            Read::Absent => decision(
                State::Collected,
                format!(
                    "`{}` is not set: {version} sends five lines around each frame",
                    path("frame_context_lines")
                ),
                None,
            ),
            Read::Lit(l, en) => match l.as_f64() {
                Some(n) if n <= 0.0 => decision(
                    State::Off,
                    written(&path("frame_context_lines"), &en.value, true),
                    Some(en.key.clone()),
                ),
                _ => decision(
                    State::Collected,
                    written(&path("frame_context_lines"), &en.value, true),
                    Some(en.key.clone()),
                ),
            },
            other => undecided(other, &path("frame_context_lines"), true)
                .unwrap_or_else(|| decision(State::Collected, "source context is sent", None)),
        };
        (frames, context)
    };
    e.set(FrameVariables, frames);
    e.set(SourceContext, context);
    let [gi, go] = python_pair(
        dc("gen_ai"),
        &path("gen_ai"),
        ["inputs", "outputs"],
        version,
        e,
    );
    // Before 2.69 some AI integrations still follow `send_default_pii` and `include_prompts`.
    let legacy_ai = |d: Decision| -> Decision {
        if seg.dc_ai != PyAiAdoption::Partial || d.state == State::Collected {
            return d;
        }
        let legacy = python_prompts_legacy(init, version);
        if legacy.state.rank() > d.state.rank() {
            Decision {
                because: format!("{}; in sentry-sdk {} LangChain, LangGraph, LiteLLM, Cohere and other AI integrations still follow `send_default_pii`", legacy.because, facts::label(seg)),
                ..legacy
            }
        } else {
            d
        }
    };
    let gi = legacy_ai(gi);
    let go = legacy_ai(go);
    let [mi, mo] = if seg.mcp {
        python_pair(dc("mcp"), &path("mcp"), ["inputs", "outputs"], version, e)
    } else if seg.dc_mcp {
        [gi.clone(), go.clone()]
    } else {
        python_mcp_legacy(init, seg, version)
    };
    e.set(GenAiInputs, gi);
    e.set(GenAiOutputs, go);
    e.set(McpInputs, mi);
    e.set(McpOutputs, mo);
    e.set(
        DatabaseQueryData,
        bool_key(
            "database_query_data",
            "database query parameters and results",
        ),
    );
    e.set(
        QueueArguments,
        bool_key(
            "queues",
            "the arguments of background jobs with their errors",
        ),
    );
    let [gd, gv] = python_pair(
        dc("graphql"),
        &path("graphql"),
        ["document", "variables"],
        version,
        e,
    );
    e.set(GraphqlDocument, gd);
    e.set(GraphqlVariables, gv);
}

// ---------------------------------------------------------------------------------------------
// JavaScript

const SERVER_PACKAGES: &[&str] = &[
    "node",
    "node-core",
    "bun",
    "deno",
    "aws-serverless",
    "google-cloud-serverless",
    "nestjs",
    "cloudflare",
    "vercel-edge",
    "opentelemetry",
];

const META_PACKAGES: &[&str] = &[
    "nextjs",
    "nuxt",
    "sveltekit",
    "remix",
    "react-router",
    "astro",
    "solidstart",
    "tanstackstart-react",
    "tanstackstart",
    "core",
];

/// Where the init runs: from its package, and for meta-frameworks from the file's name
/// (`sentry.server.config.ts`, `hooks.client.ts`, `instrumentation.ts`).
pub fn runtime(package: Option<&str>, path: &Path) -> Runtime {
    let name = package
        .and_then(|p| p.strip_prefix("@sentry/"))
        .unwrap_or("browser");
    if SERVER_PACKAGES.contains(&name) {
        return Runtime::Server;
    }
    if !META_PACKAGES.contains(&name) {
        return Runtime::Browser;
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if file.contains("client") {
        Runtime::Browser
    } else if file.contains("server")
        || file.contains("edge")
        || file.starts_with("instrumentation.")
    {
        Runtime::Server
    } else {
        Runtime::Either
    }
}

fn javascript_policy(init: &SentryInit, path: &Path, installed: Option<&Installed>) -> Policy {
    let writes_dc = init.options.get("dataCollection").is_some();
    let assume = if writes_dc {
        (
            JAVASCRIPT.last().expect("a JavaScript table"),
            "the newest release line, since the init writes `dataCollection`".to_string(),
        )
    } else {
        (
            JAVASCRIPT
                .iter()
                .rev()
                .find(|s| s.first.starts_with("10."))
                .expect("a 10.x release"),
            "the newest 10.x release, since the init writes no `dataCollection`".to_string(),
        )
    };
    let package = init.package.as_deref().unwrap_or("@sentry/browser");
    let (segments, name, judged, sdk) = select(&JAVASCRIPT, package, installed, assume);
    let rt = runtime(init.package.as_deref(), path);
    let parts = segments
        .iter()
        .map(|s| {
            let s = *s;
            let e = match rt {
                Runtime::Either => {
                    let side = |t: &str| (t.to_string(), t.to_string());
                    merge(vec![
                        (side("in the browser"), javascript(init, s, false, &name)),
                        (side("on the server"), javascript(init, s, true, &name)),
                    ])
                }
                _ => javascript(init, s, rt == Runtime::Server, &name),
            };
            ((s.first.to_string(), s.newest.to_string()), e)
        })
        .collect();
    let e = merge(parts);
    Policy {
        sdk,
        judged,
        runtime: rt,
        decisions: e.decisions,
        ignored: e.ignored,
        notes: e.notes,
        data_collection: e.data_collection,
        scrubber_applies: false,
        py_segments: Vec::new(),
        js_segments: segments,
        libraries: Vec::new(),
    }
}

/// The first integration of the init with one of these names, and its options.
fn integration<'a>(init: &'a SentryInit, names: &[&str]) -> Option<&'a crate::model::Integration> {
    init.integrations
        .iter()
        .find(|i| names.contains(&i.name.as_str()))
}

/// The JavaScript SDK's collect behaviour: `true`, `false`, `{ allow: [...] }`, `{ deny: [...] }`.
fn js_collect(r: Read, path: &str, default: bool, version: &str, what: &str) -> Decision {
    match r {
        Read::Absent => decision(
            if default { State::Filtered } else { State::Off },
            format!("`{path}` is not set: {version} {} {what}", if default { "sends" } else { "does not send" }),
            None,
        ),
        Read::Lit(l, en) if !l.truthy() && *l != Literal::Undefined => {
            decision(State::Off, written(path, &en.value, false), Some(en.key.clone()))
        }
        Read::Lit(Literal::Undefined, _) => js_collect(Read::Absent, path, default, version, what),
        Read::Lit(_, en) | Read::Map(_, en) => decision(
            State::Filtered,
            format!("{}: {what} are sent, with the values of sensitive keys (`auth`, `token`, `session`, `cookie`...) filtered", written(path, &en.value, false)),
            Some(en.key.clone()),
        ),
        other => unexpected(other, path, false),
    }
}

fn javascript(init: &SentryInit, seg: &JsSegment, server: bool, name: &str) -> Evaluation {
    let mut e = Evaluation::new();
    let o = &init.options;
    let version = name.to_string();
    let dc_entry = o.get("dataCollection");
    let mode_dc = match seg.data_collection {
        JsDataCollection::Absent => {
            if let Some(d) = dc_entry {
                e.ignore(
                    "dataCollection",
                    d.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} has no `dataCollection` option (it came in 10.54): it is silently ignored"),
                    "upgrade the Sentry SDK to 10.57 or later, or use `sendDefaultPii`",
                );
                e.remedy(Remedy::Remove, d);
            }
            None
        }
        JsDataCollection::WhenSet { collects_all } => dc_entry.map(|_| collects_all),
        JsDataCollection::Always => Some(true),
    };
    if let Some(p) = o.get("sendDefaultPii") {
        match (seg.data_collection, mode_dc) {
            (JsDataCollection::Always, _) => {
                e.ignore(
                    "sendDefaultPii",
                    p.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} removed `sendDefaultPii`: it is silently ignored, and the `dataCollection` defaults collect user data, cookies, headers and bodies"),
                    "remove it and set `dataCollection` explicitly",
                );
                e.remedy(Remedy::Remove, p);
            }
            (_, Some(_)) if !seg.pii_gates_despite_collection => {
                e.ignore(
                    "sendDefaultPii",
                    p.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} ignores `sendDefaultPii` when `dataCollection` is set"),
                    "remove it; `dataCollection` decides",
                );
                e.remedy(Remedy::Remove, p);
            }
            _ => {
                if matches!(seg.data_collection, JsDataCollection::WhenSet { .. }) {
                    e.notes.push(format!(
                        "`sendDefaultPii` is deprecated in {version} and still honoured; it is removed in 11.0"
                    ));
                }
            }
        }
    }
    match mode_dc {
        None => js_legacy(init, seg, &version, server, &mut e),
        Some(all) => {
            e.data_collection = true;
            js_collection(init, seg, &version, server, all, &mut e);
            if let Some(en) = dc_entry {
                e.defaults_of("`dataCollection.", &en.key);
            }
        }
    }
    js_replay(init, seg, &version, &mut e);
    e
}

/// The http integration's incoming body option, when it turns bodies off or caps them.
fn node_body_override(
    init: &SentryInit,
    seg: &JsSegment,
    version: &str,
    e: &mut Evaluation,
) -> Option<Decision> {
    let http = integration(init, &["httpIntegration"])?;
    if seg.node_body_option.is_empty() {
        return None;
    }
    for (name, other) in [
        ("maxIncomingRequestBodySize", "maxRequestBodySize"),
        ("maxRequestBodySize", "maxIncomingRequestBodySize"),
        ("ignoreIncomingRequestBody", "ignoreRequestBody"),
        ("ignoreRequestBody", "ignoreIncomingRequestBody"),
    ] {
        let Some(opt) = http.options.get(name) else {
            continue;
        };
        let current = if name.starts_with("ignore") {
            if seg.node_body_option == "maxRequestBodySize" {
                "ignoreRequestBody"
            } else {
                "ignoreIncomingRequestBody"
            }
        } else {
            seg.node_body_option
        };
        if name != current {
            e.ignore(
                format!("httpIntegration.{name}"),
                opt.key.clone(),
                IgnoredKind::Ignored,
                format!("{version} does not know `{name}`: it is ignored"),
                format!("use `{other}`"),
            );
            e.remedy(Remedy::Rename(other), opt);
            continue;
        }
        if name.starts_with("ignore") {
            return Some(decision(
                State::Depends {
                    on: opt.value.text.clone(),
                    default: None,
                },
                format!(
                    "`httpIntegration({{ {name} }})` skips the bodies of the requests it matches"
                ),
                Some(opt.key.clone()),
            ));
        }
        return Some(match classify(opt) {
            Read::Lit(Literal::Str(s), en) if s == "none" => decision(
                State::Off,
                written(&format!("httpIntegration.{name}"), &en.value, false),
                Some(en.key.clone()),
            ),
            Read::Lit(_, en) => decision(
                State::Collected,
                format!(
                    "{}: incoming request bodies are attached to error events, unfiltered",
                    written(&format!("httpIntegration.{name}"), &en.value, false)
                ),
                Some(en.key.clone()),
            ),
            other => {
                undecided(other, &format!("httpIntegration.{name}"), false).unwrap_or_else(|| {
                    decision(
                        State::Collected,
                        "incoming request bodies are attached",
                        None,
                    )
                })
            }
        });
    }
    None
}

/// `requestDataIntegration({ include: { cookies: false, ... } })`.
fn request_data_include<'a>(init: &'a SentryInit, key: &str) -> Option<&'a OptionEntry> {
    let rd = integration(init, &["requestDataIntegration"])?;
    rd.options.get("include")?.value.value.map()?.get(key)
}

fn js_legacy(init: &SentryInit, seg: &JsSegment, version: &str, server: bool, e: &mut Evaluation) {
    use Category::*;
    let pii = js_pii(init, version);
    e.set(UserInfo, js_user(seg, version, server, pii.clone()));
    let excluded = |key: &str| {
        request_data_include(init, key)
            .filter(|x| matches!(x.value.value.in_production(), Value::Literal(l) if !l.truthy()))
    };
    if server {
        for (c, key, what) in [
            (Cookies, "cookies", "cookies"),
            (HttpHeaders, "headers", "request headers"),
        ] {
            e.set(
                c,
                match excluded(key) {
                    Some(x) => decision(
                        State::Off,
                        format!("`requestDataIntegration({{ include: {{ {key}: {} }} }})`", x.value.text),
                        Some(x.key.clone()),
                    ),
                    None => decision(
                        State::Collected,
                        format!("{version} attaches the request's {what} to error events as they were sent, whatever `sendDefaultPii` says"),
                        None,
                    ),
                },
            );
        }
        let bodies =
            node_body_override(init, seg, version, e).unwrap_or_else(|| match excluded("data") {
                Some(x) => decision(
                    State::Off,
                    format!(
                        "`requestDataIntegration({{ include: {{ data: {} }} }})`",
                        x.value.text
                    ),
                    Some(x.key.clone()),
                ),
                None => node_bodies_default(seg, version),
            });
        e.set(RequestBodies, bodies);
        e.set(FrameVariables, js_locals(init, seg, version, None));
        e.set(
            SourceContext,
            decision(
                State::Collected,
                format!("{version} sends seven lines of source code around each frame"),
                None,
            ),
        );
    } else {
        js_browser_basics(seg, e);
    }
    e.set(
        OutgoingBodies,
        decision(
            State::Off,
            format!("nothing in {version} captures outgoing HTTP bodies"),
            None,
        ),
    );
    e.set(QueryParams, js_query_default(seg, version, server));
    let ai_on = server || seg.browser_ai;
    let ai = |key: &str| -> Decision {
        if !ai_on {
            return decision(
                State::Off,
                format!("{version} has no AI instrumentation in the browser"),
                None,
            );
        }
        let listed = init.integrations.iter().any(|i| is_ai_integration(&i.name));
        let d = if seg.ai_default_integrations || listed {
            pii.clone()
        } else {
            decision(State::Off, format!("{version} records AI prompts only through an AI integration listed in `integrations`"), None)
        };
        js_ai_override(init, key, d)
    };
    e.set(GenAiInputs, ai("recordInputs"));
    e.set(GenAiOutputs, ai("recordOutputs"));
    let mcp = if !server {
        decision(State::Off, "the MCP server wrapper runs on servers", None)
    } else {
        match seg.mcp_gate {
            JsMcpGate::None => decision(
                State::Off,
                format!("{version} has no MCP server wrapper"),
                None,
            ),
            _ => pii.clone(),
        }
    };
    e.set(McpInputs, mcp.clone());
    e.set(McpOutputs, mcp);
    e.set(
        DatabaseQueryData,
        js_database(seg, version, server, &pii, None),
    );
    e.set(QueueArguments, js_queue(seg, version, server, None));
    e.set(
        GraphqlDocument,
        js_graphql_document(seg, version, server, None),
    );
    e.set(GraphqlVariables, js_graphql_variables(version));
}

/// What `sendDefaultPii` decides (off by default).
fn js_pii(init: &SentryInit, version: &str) -> Decision {
    match flag(
        read(&init.options, "sendDefaultPii"),
        "sendDefaultPii",
        false,
    ) {
        Flag::Set(on, p) => decision(
            if on { State::Collected } else { State::Off },
            written("sendDefaultPii", &p.value, false),
            Some(p.key.clone()),
        ),
        Flag::Default => decision(
            State::Off,
            format!("`sendDefaultPii` is not set: off by default in {version}"),
            None,
        ),
        Flag::Undecided(d) => d,
    }
}

/// User data and the IP address, given what the options decide (`gate`).
fn js_user(seg: &JsSegment, version: &str, server: bool, gate: Decision) -> Decision {
    if server && !seg.node_attaches_ip {
        return decision(
            State::Off,
            format!("{version} attaches no IP address or user to server events, even with `sendDefaultPii`"),
            None,
        );
    }
    if !server && seg.browser_relay_infers_ip && gate.state != State::Collected {
        return decision(
            State::Collected,
            format!("{version} gives Sentry no instruction about IP addresses, so Sentry infers the IP address of every browser event; no SDK option turns it off (10.4 gates it on `sendDefaultPii`)"),
            None,
        );
    }
    gate
}

/// What the browser SDK never or always sends.
fn js_browser_basics(seg: &JsSegment, e: &mut Evaluation) {
    use Category::*;
    e.set(
        Cookies,
        decision(
            State::Off,
            "the browser SDK sends no cookies with events",
            None,
        ),
    );
    e.set(
        HttpHeaders,
        if seg.browser_headers_filtered {
            decision(State::Filtered, "the browser SDK sends the `User-Agent` and `Referer` headers, filtered", None)
        } else {
            decision(State::Collected, "the browser SDK sends the `User-Agent` and `Referer` headers (with the referring page's query string) as they are", None)
        },
    );
    e.set(
        RequestBodies,
        decision(State::Off, "browsers receive no incoming requests", None),
    );
    e.set(
        FrameVariables,
        decision(State::Off, "the browser SDK sends no local variables", None),
    );
    e.set(
        SourceContext,
        decision(
            State::Off,
            "the browser SDK sends no source lines (they come from source maps)",
            None,
        ),
    );
}

/// Incoming request bodies on a Node release without an option that turns them off.
fn node_bodies_default(seg: &JsSegment, version: &str) -> Decision {
    if seg.node_body_option.is_empty() {
        decision(
            State::Collected,
            format!("{version} attaches incoming request bodies up to 1 MB to error events; no option turns it off"),
            None,
        )
    } else {
        decision(
            State::Collected,
            format!("{version} attaches incoming request bodies up to 10 kB to error events, unfiltered; only `httpIntegration({{ {}: 'none' }})` turns it off", seg.node_body_option),
            None,
        )
    }
}

/// The URL's query string when no option filters it.
fn js_query_default(seg: &JsSegment, version: &str, server: bool) -> Decision {
    let filtered = if server {
        seg.node_query_filtered
    } else {
        seg.browser_query_filtered
    };
    if filtered {
        decision(
            State::Filtered,
            format!(
                "{version} sends the URL with the values of sensitive query parameters filtered"
            ),
            None,
        )
    } else {
        decision(
            State::Collected,
            format!("{version} sends the URL with its query string as it is"),
            None,
        )
    }
}

/// Database query data: what records it in this release, given the user-info decision.
fn js_database(
    seg: &JsSegment,
    version: &str,
    server: bool,
    user: &Decision,
    key: Option<Decision>,
) -> Decision {
    let _ = server;
    match seg.database {
        JsDatabaseGate::None => decision(State::Off, format!("{version} records no database query data"), None),
        JsDatabaseGate::Ungated => decision(State::Collected, format!("the Supabase integration of {version} records queries and their data whatever the options say"), None),
        JsDatabaseGate::UserInfo => user.clone(),
        JsDatabaseGate::DatabaseQueryData => key.unwrap_or_else(|| user.clone()),
    }
}

/// Queue message data.
fn js_queue(seg: &JsSegment, version: &str, server: bool, key: Option<Decision>) -> Decision {
    if !server {
        return decision(State::Off, "queue instrumentation runs on servers", None);
    }
    if seg.queue_keys_ungated {
        return decision(State::Collected, format!("the Kafka instrumentation of {version} records message keys whatever the options say"), None);
    }
    match key {
        Some(d) if seg.queues => d,
        _ => decision(
            State::Off,
            format!("{version} records no queue message data"),
            None,
        ),
    }
}

/// The GraphQL document.
fn js_graphql_document(
    seg: &JsSegment,
    version: &str,
    server: bool,
    key: Option<Decision>,
) -> Decision {
    if !server && seg.database == JsDatabaseGate::None {
        return decision(
            State::Off,
            format!("the browser SDK of {version} records no GraphQL documents"),
            None,
        );
    }
    match key {
        Some(d) if seg.graphql_document_gated => d,
        _ => decision(
            State::Collected,
            format!("{version} records GraphQL documents whatever `sendDefaultPii` says"),
            None,
        ),
    }
}

fn js_graphql_variables(version: &str) -> Decision {
    decision(
        State::Off,
        format!("nothing in {version} records GraphQL variables"),
        None,
    )
}

/// An AI integration by name (`openAIIntegration`, `anthropicAIIntegration`, `vercelAIIntegration`,
/// `OpenAIIntegration`...).
pub fn is_ai_integration(name: &str) -> bool {
    if PY_AI_INTEGRATIONS.contains(&name) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    [
        "openai",
        "anthropic",
        "langchain",
        "langgraph",
        "vercelai",
        "googlegenai",
        "mistral",
        "groq",
        "together",
        "mastra",
    ]
    .iter()
    .any(|n| lower.contains(n))
}

/// An AI integration's own `recordInputs`/`recordOutputs` wins over the global setting.
fn js_ai_override(init: &SentryInit, key: &str, d: Decision) -> Decision {
    for i in &init.integrations {
        let lower = i.name.to_ascii_lowercase();
        let ai = [
            "openai",
            "anthropic",
            "langchain",
            "langgraph",
            "vercelai",
            "googlegenai",
            "mistral",
            "groq",
            "together",
            "mcp",
            "mastra",
        ]
        .iter()
        .any(|n| lower.contains(n));
        if !ai {
            continue;
        }
        if let Some(opt) = i.options.get(key) {
            if let Value::Literal(l) = opt.value.value.in_production() {
                return decision(
                    if l.truthy() {
                        State::Collected
                    } else {
                        State::Off
                    },
                    format!("`{}({{ {key}: {} }})`", i.name, opt.value.text),
                    Some(opt.key.clone()),
                );
            }
        }
    }
    d
}

/// Node's local variables: `includeLocalVariables` (default false), filtered from 10.68.
fn js_locals(
    init: &SentryInit,
    seg: &JsSegment,
    version: &str,
    filter: Option<Decision>,
) -> Decision {
    match flag(
        read(&init.options, "includeLocalVariables"),
        "includeLocalVariables",
        false,
    ) {
        Flag::Set(true, en) => {
            let f = filter.unwrap_or_else(|| decision(State::Filtered, "", None));
            if f.state == State::Off {
                return f;
            }
            if seg.frame_variables_filter {
                decision(State::Filtered, format!("{}: local variables are sent, with sensitive names (`password`, `token`...) filtered", written("includeLocalVariables", &en.value, false)), Some(en.key.clone()))
            } else {
                decision(
                    State::Collected,
                    format!(
                        "{}: local variables are sent as they are",
                        written("includeLocalVariables", &en.value, false)
                    ),
                    Some(en.key.clone()),
                )
            }
        }
        Flag::Set(false, en) => decision(
            State::Off,
            written("includeLocalVariables", &en.value, false),
            Some(en.key.clone()),
        ),
        Flag::Default => decision(
            State::Off,
            format!("`includeLocalVariables` is not set: off by default in {version}"),
            None,
        ),
        Flag::Undecided(d) => d,
    }
}

fn js_collection(
    init: &SentryInit,
    seg: &JsSegment,
    version: &str,
    server: bool,
    all: bool,
    e: &mut Evaluation,
) {
    use Category::*;
    let o = &init.options;
    let map = match read(o, "dataCollection") {
        Read::Map(m, _) => Some(m),
        Read::Absent => None,
        other => {
            let d = undecided(other, "dataCollection", false).unwrap_or_else(|| {
                decision(
                    State::Unknown {
                        source: "dataCollection".into(),
                    },
                    "`dataCollection` cannot be read",
                    None,
                )
            });
            for c in Category::ALL.iter().filter(|c| !c.is_replay()) {
                e.set(*c, d.clone());
            }
            return;
        }
    };
    let dc = |k: &str| read_in(map, k);
    let path = |k: &str| format!("dataCollection.{k}");
    // Keys this release does not read.
    if let Some(m) = map {
        let mut known = vec![
            "userInfo",
            "cookies",
            "httpHeaders",
            "httpBodies",
            "genAI",
            "stackFrameVariables",
            "frameContextLines",
        ];
        if seg.query_params {
            known.push("queryParams");
        }
        if seg.url_query_params {
            known.push("urlQueryParams");
        }
        if seg.graphql_and_database {
            known.extend(["graphQL", "databaseQueryData"]);
        }
        if seg.queues {
            known.push("queues");
        }
        if seg.mcp {
            known.push("mcp");
        }
        for k in &m.entries {
            if !known.contains(&k.name.as_str()) {
                let instead = match k.name.as_str() {
                    "queryParams" => "use `urlQueryParams`".to_string(),
                    "urlQueryParams" => {
                        "use `queryParams` (this release has no `urlQueryParams`)".to_string()
                    }
                    _ => format!("the keys of this release are {}", known.join(", ")),
                };
                e.ignore(path(&k.name), k.key.clone(), IgnoredKind::Ignored, format!("{version} does not read `dataCollection.{}`: it is ignored and its default applies", k.name), instead);
                if k.name == "queryParams"
                    && seg.url_query_params
                    && m.get("urlQueryParams").is_none()
                {
                    e.remedy(Remedy::Rename("urlQueryParams"), k);
                }
            }
        }
    }
    let bool_key = |k: &str, default: bool, what: &str| -> Decision {
        match flag(dc(k), &path(k), false) {
            Flag::Set(true, en) => decision(
                State::Collected,
                written(&path(k), &en.value, false),
                Some(en.key.clone()),
            ),
            Flag::Set(false, en) => decision(
                State::Off,
                written(&path(k), &en.value, false),
                Some(en.key.clone()),
            ),
            Flag::Default if default => decision(
                State::Collected,
                format!(
                    "`{}` is not set, and {version} collects {what} by default",
                    path(k)
                ),
                None,
            ),
            Flag::Default => decision(
                State::Off,
                format!("`{}` is not set: {version} does not send {what}", path(k)),
                None,
            ),
            Flag::Undecided(d) => d,
        }
    };
    let pii = js_pii(init, version);
    // User data: in 10.54–10.56 the IP and AI data still follow `sendDefaultPii`; what reads the
    // resolved `userInfo` (the Supabase integration) follows the option.
    let user_info = bool_key("userInfo", all, "the user's IP address and user data");
    let user_gate = if seg.pii_gates_despite_collection {
        pii.clone()
    } else {
        user_info.clone()
    };
    e.set(UserInfo, js_user(seg, version, server, user_gate.clone()));
    // Headers: the flat form is read from 10.75 only.
    let headers_read = match dc("httpHeaders") {
        Read::Map(m, _) if m.get("request").is_some() || m.get("response").is_some() => {
            Some((read(m, "request"), path("httpHeaders.request")))
        }
        r @ (Read::Map(..) | Read::Lit(..)) if !seg.flat_http_headers => {
            if let Read::Map(_, en) | Read::Lit(_, en) = r {
                e.ignore(
                    path("httpHeaders"),
                    en.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} reads only `httpHeaders: {{ request, response }}`: a single value for both (10.75+) is ignored and headers are collected"),
                    "use `httpHeaders: { request: false, response: false }`",
                );
            }
            None
        }
        other => Some((other, path("httpHeaders"))),
    };
    let header_off = |hr: &Option<(Read, String)>| -> Option<Decision> {
        match hr {
            Some((r @ Read::Lit(l, en), p)) if !l.truthy() && **l != Literal::Undefined => {
                let _ = r;
                Some(decision(
                    State::Off,
                    written(p, &en.value, false),
                    Some(en.key.clone()),
                ))
            }
            _ => None,
        }
    };
    if server {
        let cookies_off = match dc("cookies") {
            Read::Lit(l, en) if !l.truthy() && *l != Literal::Undefined => Some(decision(
                State::Off,
                written(&path("cookies"), &en.value, false),
                Some(en.key.clone()),
            )),
            _ => None,
        };
        if seg.node_raw_request_data {
            // 10.54–10.56 attach them whatever `dataCollection` says; 10.57–10.78 drop them only
            // for `false`.
            let honoured = !seg.pii_gates_despite_collection;
            let raw = |what: &str| {
                decision(
                    State::Collected,
                    if honoured {
                        format!("{version} error events carry the request's {what} as they were sent; only `false` drops them")
                    } else {
                        format!("{version} error events carry the request's {what} as they were sent, whatever `dataCollection` says")
                    },
                    None,
                )
            };
            e.set(
                Cookies,
                cookies_off
                    .filter(|_| honoured)
                    .unwrap_or_else(|| raw("cookies")),
            );
            e.set(
                HttpHeaders,
                header_off(&headers_read)
                    .filter(|_| honoured)
                    .unwrap_or_else(|| raw("headers")),
            );
        } else {
            e.set(
                Cookies,
                js_collect(dc("cookies"), &path("cookies"), true, version, "cookies"),
            );
            e.set(
                HttpHeaders,
                match headers_read {
                    Some((r, p)) => js_collect(r, &p, true, version, "request headers"),
                    None => js_collect(
                        Read::Absent,
                        &path("httpHeaders"),
                        true,
                        version,
                        "request headers",
                    ),
                },
            );
        }
        // Bodies: 11.x follows `httpBodies` unless the http integration says otherwise.
        let listed: Result<(Vec<Option<&str>>, Option<&OptionEntry>), Decision> = match dc(
            "httpBodies",
        ) {
            Read::Absent => Ok((
                if all {
                    vec![Some("incomingRequest")]
                } else {
                    vec![]
                },
                None,
            )),
            Read::List(items, en) => Ok((strings(items), Some(en))),
            Read::Lit(l, en) => {
                e.ignore(path("httpBodies"), en.key.clone(), IgnoredKind::Ignored, format!("`httpBodies: {}` is not a list of body types (a type error; at run time the default applies)", l.display(false)), "use `httpBodies: []`");
                Ok((vec![Some("incomingRequest")], None))
            }
            other => Err(unexpected(other, &path("httpBodies"), false)),
        };
        let incoming = if let Some(d) = node_body_override(init, seg, version, e) {
            d
        } else if !seg.node_bodies_follow_collection {
            node_bodies_default(seg, version)
        } else {
            match &listed {
                Err(d) => d.clone(),
                Ok((list, en)) => match list.iter().flatten().find(|n| **n == "incomingRequest") {
                    Some(_) => decision(
                        State::Collected,
                        match en {
                            Some(_) => format!("`{}` lists \"incomingRequest\": bodies up to 10 kB are attached to error events, unfiltered", path("httpBodies")),
                            None => format!("`{}` is not set: {version} attaches incoming request bodies up to 10 kB to error events, unfiltered", path("httpBodies")),
                        },
                        en.map(|x| x.key.clone()),
                    ),
                    None => decision(
                        State::Off,
                        match en {
                            Some(_) => format!("`{}` does not list \"incomingRequest\"", path("httpBodies")),
                            None => format!("`{}` is not set: {version} does not collect request bodies", path("httpBodies")),
                        },
                        en.map(|x| x.key.clone()),
                    ),
                },
            }
        };
        e.set(RequestBodies, incoming);
        let filter = match dc("stackFrameVariables") {
            Read::Absent => None,
            _ if !seg.frame_variables_filter => None,
            other => Some(js_collect(
                other,
                &path("stackFrameVariables"),
                true,
                version,
                "local variables",
            )),
        };
        e.set(FrameVariables, js_locals(init, seg, version, filter));
        let ctx = match dc("frameContextLines") {
            Read::Lit(l, en) if l.as_f64().is_some_and(|n| n <= 0.0) => decision(
                State::Off,
                written(&path("frameContextLines"), &en.value, false),
                Some(en.key.clone()),
            ),
            Read::Lit(_, en) => decision(
                State::Collected,
                written(&path("frameContextLines"), &en.value, false),
                Some(en.key.clone()),
            ),
            _ => decision(
                State::Collected,
                format!("{version} sends five lines of source code around each frame"),
                None,
            ),
        };
        e.set(SourceContext, ctx);
    } else {
        js_browser_basics(seg, e);
        if let Some(d) = header_off(&headers_read) {
            e.set(HttpHeaders, d);
        }
    }
    e.set(
        OutgoingBodies,
        decision(
            State::Off,
            format!("nothing in {version} captures outgoing HTTP bodies"),
            None,
        ),
    );
    // Query strings: releases that do not filter them send the raw URL whatever the option says.
    let filtered = if server {
        seg.node_query_filtered
    } else {
        seg.browser_query_filtered
    };
    let q = if !filtered {
        js_query_default(seg, version, server)
    } else if seg.url_query_params && dc("urlQueryParams").is_set() {
        js_collect(
            dc("urlQueryParams"),
            &path("urlQueryParams"),
            true,
            version,
            "URL query parameters",
        )
    } else if seg.query_params && dc("queryParams").is_set() {
        js_collect(
            dc("queryParams"),
            &path("queryParams"),
            true,
            version,
            "URL query parameters",
        )
    } else {
        js_query_default(seg, version, server)
    };
    e.set(QueryParams, q);
    let pair = |k: &str, sub: &str, what: &str| -> Decision {
        match dc(k) {
            Read::Map(m, _) => match flag(read(m, sub), &format!("{}.{sub}", path(k)), false) {
                Flag::Set(true, en) => decision(
                    State::Collected,
                    written(&format!("{}.{sub}", path(k)), &en.value, false),
                    Some(en.key.clone()),
                ),
                Flag::Set(false, en) => decision(
                    State::Off,
                    written(&format!("{}.{sub}", path(k)), &en.value, false),
                    Some(en.key.clone()),
                ),
                Flag::Default => decision(
                    State::Collected,
                    format!(
                        "`{}.{sub}` is not set: {version} records {what} by default",
                        path(k)
                    ),
                    None,
                ),
                Flag::Undecided(d) => d,
            },
            Read::Absent => decision(
                State::Collected,
                format!(
                    "`{}` is not set: {version} records {what} by default",
                    path(k)
                ),
                None,
            ),
            other => undecided(other, &path(k), false)
                .unwrap_or_else(|| decision(State::Collected, what.to_string(), None)),
        }
    };
    let ai_on = server || seg.browser_ai;
    let (gi, go) = if !ai_on {
        let d = decision(
            State::Off,
            format!("{version} has no AI instrumentation in the browser"),
            None,
        );
        (d.clone(), d)
    } else if seg.pii_gates_despite_collection {
        (
            js_ai_override(init, "recordInputs", pii.clone()),
            js_ai_override(init, "recordOutputs", pii.clone()),
        )
    } else {
        (
            js_ai_override(
                init,
                "recordInputs",
                pair("genAI", "inputs", "prompts sent to AI models"),
            ),
            js_ai_override(
                init,
                "recordOutputs",
                pair("genAI", "outputs", "AI model responses"),
            ),
        )
    };
    let (mi, mo) = if !server {
        let d = decision(State::Off, "the MCP server wrapper runs on servers", None);
        (d.clone(), d)
    } else {
        match seg.mcp_gate {
            JsMcpGate::None => {
                let d = decision(
                    State::Off,
                    format!("{version} has no MCP server wrapper"),
                    None,
                );
                (d.clone(), d)
            }
            JsMcpGate::SendDefaultPii => (pii.clone(), pii.clone()),
            JsMcpGate::GenAi => (gi.clone(), go.clone()),
            JsMcpGate::Mcp if dc("mcp").is_set() => (
                pair("mcp", "inputs", "MCP tool arguments"),
                pair("mcp", "outputs", "MCP tool results"),
            ),
            JsMcpGate::Mcp => (gi.clone(), go.clone()),
        }
    };
    e.set(GenAiInputs, gi);
    e.set(GenAiOutputs, go);
    e.set(McpInputs, mi);
    e.set(McpOutputs, mo);
    let db_key = seg.graphql_and_database.then(|| {
        bool_key(
            "databaseQueryData",
            true,
            "database query parameters and results",
        )
    });
    e.set(
        DatabaseQueryData,
        js_database(seg, version, server, &user_info, db_key),
    );
    let queue_key = seg
        .queues
        .then(|| bool_key("queues", true, "queue message data"));
    e.set(QueueArguments, js_queue(seg, version, server, queue_key));
    let gql_key = seg
        .graphql_and_database
        .then(|| pair("graphQL", "document", "GraphQL documents"));
    e.set(
        GraphqlDocument,
        js_graphql_document(seg, version, server, gql_key),
    );
    e.set(GraphqlVariables, js_graphql_variables(version));
}

impl Read<'_> {
    fn is_set(&self) -> bool {
        !matches!(self, Read::Absent)
    }
}

/// A `dataCollection` object that turns off every category the judged releases all know, for a
/// fix to write (`{ userInfo: false, cookies: false, ... }`).
pub fn restrictive_data_collection(segments: &[&JsSegment]) -> String {
    let all = |f: fn(&JsSegment) -> bool| segments.iter().all(|s| f(s));
    let mut parts = vec![
        "userInfo: false",
        "cookies: false",
        "httpHeaders: { request: false, response: false }",
        "httpBodies: []",
        "genAI: { inputs: false, outputs: false }",
    ];
    if all(|s| s.graphql_and_database) {
        parts.push("databaseQueryData: false");
        parts.push("graphQL: { document: false, variables: false }");
    }
    if all(|s| s.queues) {
        parts.push("queues: false");
    }
    if all(|s| s.mcp) {
        parts.push("mcp: { inputs: false, outputs: false }");
    }
    format!("{{ {} }}", parts.join(", "))
}

/// Catch-all URL patterns of `networkDetailAllowUrls`.
pub fn catch_all_url(item: &Item) -> bool {
    let t = item.value.text.trim();
    match &item.value.value {
        Value::Literal(Literal::Str(s)) => {
            s.is_empty()
                || s == "/"
                || s == "*"
                || s.starts_with("http") && s.matches('/').count() <= 3
        }
        _ => {
            t == "/.*/"
                || t == "/./"
                || t.contains("window.location.origin")
                || t.contains("location.origin")
                || t == "/^.*$/"
        }
    }
}

fn js_replay(init: &SentryInit, seg: &JsSegment, version: &str, e: &mut Evaluation) {
    use Category::*;
    let Some(replay) = &init.replay else {
        for c in Category::ALL.iter().filter(|c| c.is_replay()) {
            e.set(
                *c,
                decision(
                    State::Off,
                    "no Session Replay integration is set up in this init",
                    None,
                ),
            );
        }
        return;
    };
    let o = &replay.options;
    // v7 privacy options on 8+.
    if !seg.replay_v7_options {
        for name in [
            "maskTextSelector",
            "blockSelector",
            "blockClass",
            "maskTextClass",
            "ignoreClass",
            "maskInputOptions",
            "unmaskTextSelector",
            "unblockSelector",
            "maskAllTextSelector",
            "blockAllMediaSelector",
        ] {
            if let Some(opt) = o.get(name) {
                e.ignore(
                    format!("replayIntegration.{name}"),
                    opt.key.clone(),
                    IgnoredKind::Ignored,
                    format!("`{name}` is a Session Replay 7 option: {version} silently ignores it"),
                    "use `mask`, `unmask`, `block`, `unblock` and `ignore` (lists of selectors)",
                );
            }
        }
        for name in ["sessionSampleRate", "errorSampleRate"] {
            if let Some(opt) = o.get(name) {
                let top = if name == "sessionSampleRate" {
                    "replaysSessionSampleRate"
                } else {
                    "replaysOnErrorSampleRate"
                };
                e.ignore(
                    format!("replayIntegration.{name}"),
                    opt.key.clone(),
                    IgnoredKind::Ignored,
                    format!("{version} reads replay sample rates from the init, not from the replay options: `{name}` is ignored"),
                    format!("set `{top}` in `Sentry.init`"),
                );
            }
        }
    }
    let list_len = |name: &str| -> Option<(usize, &OptionEntry)> {
        let en = o.get(name)?;
        en.value.value.list().map(|l| (l.len(), en))
    };
    let switch = |name: &str, unlist: &str, collected: &str| -> Decision {
        match read(o, name) {
            Read::Lit(l, en) if !l.truthy() && *l != Literal::Undefined => decision(
                State::Collected,
                format!("{}: {collected}", written(name, &en.value, false)),
                Some(en.key.clone()),
            ),
            Read::Absent | Read::Lit(..) => match list_len(unlist) {
                Some((n, en)) if n > 0 => decision(
                    State::Filtered,
                    format!("`{name}` is on, but `{unlist}` lets {n} selector(s) through"),
                    Some(en.key.clone()),
                ),
                _ => decision(
                    State::Off,
                    match o.get(name) {
                        Some(en) => written(name, &en.value, false),
                        None => format!("`{name}` is not set: on by default"),
                    },
                    o.get(name).map(|x| x.key.clone()),
                ),
            },
            other => unexpected(other, name, false),
        }
    };
    e.set(
        ReplayText,
        switch("maskAllText", "unmask", "replays record the page's text"),
    );
    if replay.mobile {
        e.set(
            ReplayInputs,
            switch("maskAllText", "unmask", "replays record what users type"),
        );
        let images = switch("maskAllImages", "unblock", "replays record images");
        let vectors = switch("maskAllVectors", "unblock", "replays record vector images");
        e.set(
            ReplayMedia,
            if vectors.state.rank() > images.state.rank() {
                vectors
            } else {
                images
            },
        );
    } else {
        e.set(
            ReplayInputs,
            switch("maskAllInputs", "unmask", "replays record what users type"),
        );
        e.set(
            ReplayMedia,
            switch(
                "blockAllMedia",
                "unblock",
                "replays record images and video",
            ),
        );
    }
    let allow = o.get("networkDetailAllowUrls");
    let allowed: Option<(bool, &OptionEntry)> = allow.and_then(|en| {
        let items = en.value.value.list()?;
        (!items.is_empty()).then(|| (items.iter().any(catch_all_url), en))
    });
    let bodies = match (allowed, read(o, "networkCaptureBodies")) {
        (None, _) if allow.is_some_and(|a| a.value.value.list().is_none()) => undecided(classify(allow.unwrap()), "networkDetailAllowUrls", false).unwrap_or_else(|| decision(State::Unknown { source: "networkDetailAllowUrls".into() }, "`networkDetailAllowUrls` cannot be read", None)),
        (None, _) => decision(State::Off, "`networkDetailAllowUrls` is empty: no request details are recorded", allow.map(|a| a.key.clone())),
        (Some(_), Read::Lit(l, en)) if !l.truthy() && *l != Literal::Undefined => decision(State::Off, written("networkCaptureBodies", &en.value, false), Some(en.key.clone())),
        (Some((true, en)), _) => decision(State::Collected, format!("`networkDetailAllowUrls` is `{}`, which matches every request: their bodies are recorded", en.value.text), Some(en.key.clone())),
        (Some((false, en)), _) => decision(State::Filtered, format!("`networkDetailAllowUrls` is `{}`: the bodies of matching requests are recorded", en.value.text), Some(en.key.clone())),
    };
    e.set(ReplayNetworkBodies, bodies);
    let headers = match allowed {
        None => decision(State::Off, "no request details are recorded", None),
        Some(_) => {
            let listed = ["networkRequestHeaders", "networkResponseHeaders"]
                .into_iter()
                .find_map(|n| list_len(n).filter(|(k, _)| *k > 0).map(|(_, en)| (n, en)));
            match listed {
                Some((n, en)) => decision(
                    State::Collected,
                    format!("`{n}` is `{}`: these headers are recorded", en.value.text),
                    Some(en.key.clone()),
                ),
                None => decision(
                    State::Filtered,
                    "only `Content-Type`, `Content-Length` and `Accept` are recorded",
                    None,
                ),
            }
        }
    };
    e.set(ReplayNetworkHeaders, headers);
    let canvas = integration(init, &["replayCanvasIntegration", "ReplayCanvas"]);
    e.set(
        ReplayCanvas,
        match canvas {
            Some(i) => decision(
                State::Collected,
                format!("`{}` records the content of canvas elements", i.name),
                None,
            ),
            None => decision(State::Off, "no canvas integration is set up", None),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_in_order_with_unique_names() {
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
        let mut names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Category::COUNT);
    }

    #[test]
    fn runtimes_from_package_and_file() {
        let p = |pkg: &str, f: &str| runtime(Some(pkg), Path::new(f));
        assert_eq!(p("@sentry/node", "src/instrument.ts"), Runtime::Server);
        assert_eq!(p("@sentry/react", "src/instrument.ts"), Runtime::Browser);
        assert_eq!(
            p("@sentry/nextjs", "sentry.server.config.ts"),
            Runtime::Server
        );
        assert_eq!(
            p("@sentry/nextjs", "instrumentation-client.ts"),
            Runtime::Browser
        );
        assert_eq!(p("@sentry/nextjs", "instrumentation.ts"), Runtime::Server);
        assert_eq!(
            p("@sentry/sveltekit", "src/hooks.client.ts"),
            Runtime::Browser
        );
        assert_eq!(p("@sentry/nextjs", "lib/sentry.ts"), Runtime::Either);
        assert_eq!(runtime(None, Path::new("index.html.js")), Runtime::Browser);
    }
}
