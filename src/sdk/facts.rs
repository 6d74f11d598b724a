//! What each SDK release does with the options that decide data collection: the tables the policy
//! reads, kept once, as data. The README's "What your SDK version sends" section is generated from
//! them.
//!
//! Each table is a list of segments: runs of releases whose behaviour is the same for every
//! category. A segment holds from its `first` release to the next segment's; `newest` is the
//! newest release of it that the tables were checked against (the published packages, run and
//! read; see `tests/oracle/`). Releases newer than the newest segment's `newest` are taken to behave
//! like it.

use super::version::Version;

/// How `data_collection` is read by a `sentry-sdk` release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyDataCollection {
    /// The option does not exist (`data_collection=` raises `TypeError: Unknown option`).
    Absent,
    /// Accepted under `_experiments`, but nothing reads it (2.65–2.66).
    Inert,
    /// Only as `_experiments={"data_collection": {...}}`.
    Experiments,
    /// The `data_collection=` init option, falling back to `_experiments["data_collection"]`.
    TopLevel,
    /// Always on: the spec defaults apply with no option set; `_experiments` is ignored.
    Always,
}

/// How far the AI integrations follow `data_collection["gen_ai"]` when it is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyAiAdoption {
    /// None do: `send_default_pii` and `include_prompts` decide.
    None,
    /// Some do (2.67: openai and anthropic; 2.68: most); the others still follow
    /// `send_default_pii` and `include_prompts`.
    Partial,
    /// All do.
    Full,
}

/// A run of `sentry-sdk` releases.
#[derive(Debug)]
pub struct PySegment {
    pub first: &'static str,
    pub newest: &'static str,
    /// Pre-releases that belong to it (a range only allows them when it names one).
    pub pre: &'static [&'static str],
    pub data_collection: PyDataCollection,
    /// The key of URL query parameters inside `data_collection`.
    pub query_key: &'static str,
    /// `event_scrubber` is discarded (with a `UserWarning`) when `data_collection` is set.
    pub scrubber_dropped: bool,
    /// With `send_default_pii=True` the `EventScrubber` does not run at all (before 2.14).
    pub scrubber_skipped_with_pii: bool,
    /// Under `data_collection`, the frame serializer reads `stack_frame_variables` and
    /// `frame_context_lines` (2.69+); before, `include_local_variables` and
    /// `include_source_context` still decide.
    pub dc_frames: bool,
    /// The AI integrations' adoption of `data_collection["gen_ai"]`.
    pub dc_ai: PyAiAdoption,
    /// The MCP integration follows `data_collection` (2.68+).
    pub dc_mcp: bool,
    /// `http_bodies` `"outgoing_response"` is read (GraphQL responses; 2.69+).
    pub dc_outgoing: bool,
    /// The default of `data_collection["http_bodies"]`.
    pub default_http_bodies: &'static [&'static str],
    /// `stack_frame_variables` takes the `{"mode": ...}` form.
    pub frame_variables_mode: bool,
    /// The MCP integration exists and, without `data_collection`, puts tool arguments on spans
    /// whatever `send_default_pii` says (2.43+).
    pub mcp_spans: bool,
    /// Celery and RQ put job arguments into error events whatever `send_default_pii` says
    /// (before 2.59).
    pub queue_args_ungated: bool,
    /// `data_collection` has an `mcp` category.
    pub mcp: bool,
    /// `send_default_pii` emits a `DeprecationWarning` (still honoured without `data_collection`).
    pub pii_deprecated: bool,
    /// `send_default_pii`, `include_local_variables`, `include_source_context` and
    /// `event_scrubber` make `init()` raise `TypeError`; `sentry_sdk.scrubber` is gone.
    pub legacy_removed: bool,
    /// The 1.x names `with_locals` and `request_bodies` are accepted.
    pub v1_names: bool,
}

const PY_BODIES: &[&str] = &["incoming_request", "outgoing_request", "outgoing_response"];

/// A 2.x release line without `data_collection`.
const PY_LEGACY: PySegment = PySegment {
    first: "",
    newest: "",
    pre: &[],
    data_collection: PyDataCollection::Absent,
    query_key: "url_query_params",
    scrubber_dropped: false,
    scrubber_skipped_with_pii: false,
    dc_frames: false,
    dc_ai: PyAiAdoption::None,
    dc_mcp: false,
    dc_outgoing: false,
    default_http_bodies: PY_BODIES,
    frame_variables_mode: false,
    mcp_spans: false,
    queue_args_ungated: false,
    mcp: false,
    pii_deprecated: false,
    legacy_removed: false,
    v1_names: false,
};

/// A 2.x release line where `data_collection` works fully.
const PY_COLLECTION: PySegment = PySegment {
    data_collection: PyDataCollection::TopLevel,
    scrubber_dropped: true,
    dc_frames: true,
    dc_ai: PyAiAdoption::Full,
    dc_mcp: true,
    dc_outgoing: true,
    frame_variables_mode: true,
    mcp_spans: true,
    ..PY_LEGACY
};

/// The `sentry-sdk` releases, oldest first (checked against the published wheels by the Python
/// oracle, `tests/oracle/python/`).
pub static PYTHON: [PySegment; 13] = [
    PySegment {
        first: "1.0.0",
        newest: "1.45.1",
        scrubber_skipped_with_pii: true,
        queue_args_ungated: true,
        v1_names: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.0.0",
        newest: "2.13.0",
        scrubber_skipped_with_pii: true,
        queue_args_ungated: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.14.0",
        newest: "2.42.1",
        queue_args_ungated: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.43.0",
        newest: "2.58.0",
        mcp_spans: true,
        queue_args_ungated: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.59.0",
        newest: "2.64.0",
        mcp_spans: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.65.0",
        newest: "2.66.1",
        data_collection: PyDataCollection::Inert,
        query_key: "query_params",
        mcp_spans: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.67.0",
        newest: "2.67.1",
        data_collection: PyDataCollection::Experiments,
        scrubber_dropped: true,
        dc_ai: PyAiAdoption::Partial,
        mcp_spans: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.68.0",
        newest: "2.68.1",
        data_collection: PyDataCollection::Experiments,
        scrubber_dropped: true,
        dc_ai: PyAiAdoption::Partial,
        dc_mcp: true,
        mcp_spans: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "2.69.0",
        newest: "2.69.2",
        data_collection: PyDataCollection::Experiments,
        ..PY_COLLECTION
    },
    PySegment {
        first: "2.70.0",
        newest: "2.71.0",
        ..PY_COLLECTION
    },
    PySegment {
        first: "2.72.0",
        newest: "2.76.0",
        pii_deprecated: true,
        ..PY_COLLECTION
    },
    // The 3.0 alphas still had `send_default_pii` and no `data_collection`.
    PySegment {
        first: "3.0.0a1",
        newest: "3.0.0a7",
        pre: &["3.0.0a1", "3.0.0a7"],
        mcp_spans: true,
        ..PY_LEGACY
    },
    PySegment {
        first: "3.0.0b1",
        newest: "3.0.0b2",
        pre: &["3.0.0b1", "3.0.0b2"],
        data_collection: PyDataCollection::Always,
        mcp: true,
        legacy_removed: true,
        ..PY_COLLECTION
    },
];

/// How `dataCollection` is read by an `@sentry/*` release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsDataCollection {
    /// The option does not exist (ignored at run time).
    Absent,
    /// Read when set; then `sendDefaultPii` is ignored. `collects_all` is whether an empty object
    /// turns on user info and every HTTP body (10.57+), or keeps them off (10.54–10.56).
    WhenSet { collects_all: bool },
    /// Always applied: the defaults hold with no option set; `sendDefaultPii` is gone.
    Always,
}

/// What decides whether database query data (bound parameters, results) is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsDatabaseGate {
    /// Nothing records it.
    None,
    /// The Supabase integration records it whatever the options say (9.0–10.53).
    Ungated,
    /// `userInfo` (or `sendDefaultPii` through the bridge) decides (10.54–10.65).
    UserInfo,
    /// `dataCollection.databaseQueryData` decides (10.66+).
    DatabaseQueryData,
}

/// How the MCP server wrapper decides to record tool arguments and results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsMcpGate {
    /// There is no MCP wrapper (8.x).
    None,
    /// `sendDefaultPii` (9.x–10.56).
    SendDefaultPii,
    /// `dataCollection.genAI` (10.57–11.8).
    GenAi,
    /// `dataCollection.mcp`, falling back to `genAI` (11.9+).
    Mcp,
}

/// A run of `@sentry/*` releases (all SDK packages of one release share its version), checked
/// against the published packages by the JavaScript oracle (`tests/oracle/js/`).
#[derive(Debug)]
pub struct JsSegment {
    pub first: &'static str,
    pub newest: &'static str,
    pub data_collection: JsDataCollection,
    /// With `dataCollection` set, user info (the IP), AI and MCP data still follow
    /// `sendDefaultPii` (10.54–10.56).
    pub pii_gates_despite_collection: bool,
    /// `dataCollection.queryParams` is read (10.54–10.78; `urlQueryParams` wins from 10.67).
    pub query_params: bool,
    /// `dataCollection.urlQueryParams` is read (10.67+).
    pub url_query_params: bool,
    /// `dataCollection.httpHeaders` takes one value for both directions (10.75+).
    pub flat_http_headers: bool,
    /// `graphQL` and `databaseQueryData` exist (10.66+).
    pub graphql_and_database: bool,
    /// Node filters local variables through `stackFrameVariables` (10.68+).
    pub frame_variables_filter: bool,
    /// `queues` exists (11.0+).
    pub queues: bool,
    /// `mcp` exists (11.9+).
    pub mcp: bool,
    /// Node's incoming request bodies follow `dataCollection.httpBodies` (11.0+); before, only the
    /// http integration's own option turns them off.
    pub node_bodies_follow_collection: bool,
    /// Node error events carry request headers and cookies unfiltered (before 11.0).
    pub node_raw_request_data: bool,
    /// The http integration's option that caps incoming request bodies ("" when there is none:
    /// bodies are always captured).
    pub node_body_option: &'static str,
    /// Node attaches the client's IP address with `sendDefaultPii` (from 9.0; 8.x never does).
    pub node_attaches_ip: bool,
    /// Sentry infers the IP address of browser events whatever `sendDefaultPii` says (before
    /// 10.4 the SDK sends no instruction, and Relay's default for JavaScript events infers it).
    pub browser_relay_infers_ip: bool,
    /// The browser's `User-Agent` and `Referer` pass through the header filter (10.54+).
    pub browser_headers_filtered: bool,
    /// Query strings in Node error events are filtered (10.76+).
    pub node_query_filtered: bool,
    /// Query strings in browser error events are filtered (10.76–10.78 and 11.7+).
    pub browser_query_filtered: bool,
    pub database: JsDatabaseGate,
    /// Node records Kafka message keys whatever the options say (10.x); from 11.0 `queues`
    /// decides.
    pub queue_keys_ungated: bool,
    /// The GraphQL document is gated by `dataCollection.graphQL.document` (10.66+); before, it is
    /// always recorded.
    pub graphql_document_gated: bool,
    pub mcp_gate: JsMcpGate,
    /// The AI integrations record prompts with `sendDefaultPii` without being listed (10.0+; in
    /// 9.x only a listed AI integration records).
    pub ai_default_integrations: bool,
    /// The browser SDK has AI instrumentation (removed in 11.0).
    pub browser_ai: bool,
    /// Session Replay reads the v7 privacy options (`maskTextSelector`, `blockSelector`, ...).
    pub replay_v7_options: bool,
}

/// A 10.x release before `dataCollection`.
const JS_10: JsSegment = JsSegment {
    first: "",
    newest: "",
    data_collection: JsDataCollection::Absent,
    pii_gates_despite_collection: false,
    query_params: false,
    url_query_params: false,
    flat_http_headers: false,
    graphql_and_database: false,
    frame_variables_filter: false,
    queues: false,
    mcp: false,
    node_bodies_follow_collection: false,
    node_raw_request_data: true,
    node_body_option: "maxIncomingRequestBodySize",
    node_attaches_ip: true,
    browser_relay_infers_ip: false,
    browser_headers_filtered: false,
    node_query_filtered: false,
    browser_query_filtered: false,
    database: JsDatabaseGate::Ungated,
    queue_keys_ungated: true,
    graphql_document_gated: false,
    mcp_gate: JsMcpGate::SendDefaultPii,
    ai_default_integrations: true,
    browser_ai: true,
    replay_v7_options: false,
};

/// A 10.x release with `dataCollection` (10.57+).
const JS_10_DC: JsSegment = JsSegment {
    data_collection: JsDataCollection::WhenSet { collects_all: true },
    query_params: true,
    browser_headers_filtered: true,
    database: JsDatabaseGate::UserInfo,
    mcp_gate: JsMcpGate::GenAi,
    ..JS_10
};

/// An 11.x release.
const JS_11: JsSegment = JsSegment {
    data_collection: JsDataCollection::Always,
    query_params: false,
    url_query_params: true,
    flat_http_headers: true,
    graphql_and_database: true,
    frame_variables_filter: true,
    queues: true,
    node_bodies_follow_collection: true,
    node_raw_request_data: false,
    node_body_option: "maxRequestBodySize",
    node_query_filtered: true,
    browser_query_filtered: true,
    database: JsDatabaseGate::DatabaseQueryData,
    queue_keys_ungated: false,
    graphql_document_gated: true,
    browser_ai: false,
    ..JS_10_DC
};

/// The `@sentry/*` releases, oldest first.
pub static JAVASCRIPT: [JsSegment; 15] = [
    JsSegment {
        first: "7.0.0",
        newest: "7.120.3",
        node_body_option: "",
        node_attaches_ip: false,
        browser_relay_infers_ip: true,
        database: JsDatabaseGate::None,
        queue_keys_ungated: false,
        mcp_gate: JsMcpGate::None,
        ai_default_integrations: false,
        browser_ai: false,
        replay_v7_options: true,
        ..JS_10
    },
    JsSegment {
        first: "8.0.0",
        newest: "8.55.0",
        node_body_option: "",
        node_attaches_ip: false,
        browser_relay_infers_ip: true,
        database: JsDatabaseGate::None,
        queue_keys_ungated: false,
        mcp_gate: JsMcpGate::None,
        ai_default_integrations: false,
        browser_ai: false,
        ..JS_10
    },
    JsSegment {
        first: "9.0.0",
        newest: "9.47.1",
        browser_relay_infers_ip: true,
        queue_keys_ungated: false,
        ai_default_integrations: false,
        ..JS_10
    },
    JsSegment {
        first: "10.0.0",
        newest: "10.3.0",
        browser_relay_infers_ip: true,
        ..JS_10
    },
    JsSegment {
        first: "10.4.0",
        newest: "10.53.0",
        ..JS_10
    },
    JsSegment {
        first: "10.54.0",
        newest: "10.56.0",
        data_collection: JsDataCollection::WhenSet {
            collects_all: false,
        },
        pii_gates_despite_collection: true,
        mcp_gate: JsMcpGate::SendDefaultPii,
        ..JS_10_DC
    },
    JsSegment {
        first: "10.57.0",
        newest: "10.65.0",
        ..JS_10_DC
    },
    JsSegment {
        first: "10.66.0",
        newest: "10.66.0",
        graphql_and_database: true,
        database: JsDatabaseGate::DatabaseQueryData,
        graphql_document_gated: true,
        ..JS_10_DC
    },
    JsSegment {
        first: "10.67.0",
        newest: "10.67.0",
        graphql_and_database: true,
        database: JsDatabaseGate::DatabaseQueryData,
        graphql_document_gated: true,
        url_query_params: true,
        ..JS_10_DC
    },
    JsSegment {
        first: "10.68.0",
        newest: "10.74.0",
        graphql_and_database: true,
        database: JsDatabaseGate::DatabaseQueryData,
        graphql_document_gated: true,
        url_query_params: true,
        frame_variables_filter: true,
        ..JS_10_DC
    },
    JsSegment {
        first: "10.75.0",
        newest: "10.75.0",
        graphql_and_database: true,
        database: JsDatabaseGate::DatabaseQueryData,
        graphql_document_gated: true,
        url_query_params: true,
        frame_variables_filter: true,
        flat_http_headers: true,
        ..JS_10_DC
    },
    JsSegment {
        first: "10.76.0",
        newest: "10.78.0",
        graphql_and_database: true,
        database: JsDatabaseGate::DatabaseQueryData,
        graphql_document_gated: true,
        url_query_params: true,
        frame_variables_filter: true,
        flat_http_headers: true,
        node_query_filtered: true,
        browser_query_filtered: true,
        ..JS_10_DC
    },
    JsSegment {
        first: "11.0.0",
        newest: "11.6.0",
        browser_query_filtered: false,
        ..JS_11
    },
    JsSegment {
        first: "11.7.0",
        newest: "11.8.0",
        ..JS_11
    },
    JsSegment {
        first: "11.9.0",
        newest: "11.12.0",
        mcp: true,
        mcp_gate: JsMcpGate::Mcp,
        ..JS_11
    },
];

/// What a table needs of its segments.
pub trait Segment: Sync + 'static {
    fn first(&self) -> &'static str;
    fn newest(&self) -> &'static str;
    fn pre(&self) -> &'static [&'static str] {
        &[]
    }
}

impl Segment for PySegment {
    fn first(&self) -> &'static str {
        self.first
    }
    fn newest(&self) -> &'static str {
        self.newest
    }
    fn pre(&self) -> &'static [&'static str] {
        self.pre
    }
}

impl Segment for JsSegment {
    fn first(&self) -> &'static str {
        self.first
    }
    fn newest(&self) -> &'static str {
        self.newest
    }
}

fn parse(v: &str) -> Version {
    Version::parse(v).unwrap_or_else(|| panic!("the SDK tables hold valid versions: {v}"))
}

/// The segment a release belongs to: the last one that starts at or before it (a release older
/// than every segment belongs to the first).
pub fn segment_of<S: Segment>(table: &'static [S], v: &Version) -> &'static S {
    table
        .iter()
        .rev()
        .find(|s| parse(s.first()) <= *v)
        .unwrap_or(&table[0])
}

/// The releases of a segment a version range is probed with: every minor release of its major
/// line from its first to its newest, as `x.y.0` and as a late patch `x.y.999`, and its
/// pre-releases.
pub fn probes<S: Segment>(s: &S) -> Vec<Version> {
    let first = parse(s.first());
    let newest = parse(s.newest());
    let mut out = Vec::new();
    if first.is_prerelease() {
        out.extend(s.pre().iter().map(|p| parse(p)));
        return out;
    }
    for minor in first.minor()..=newest.minor().max(first.minor()) {
        out.push(Version::new(first.major(), minor, 0));
        out.push(Version::new(first.major(), minor, 999));
    }
    out.retain(|v| *v >= first);
    out.extend(s.pre().iter().map(|p| parse(p)));
    out
}

/// How a segment is named in messages: `2.72.0–2.76.0`, or one release.
pub fn label<S: Segment>(s: &S) -> String {
    if s.first() == s.newest() {
        s.first().to_string()
    } else {
        format!("{}–{}", s.first(), s.newest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_ordered_and_parse() {
        fn check<S: Segment>(table: &'static [S]) {
            for w in table.windows(2) {
                assert!(parse(w[0].first()) < parse(w[1].first()));
                assert!(parse(w[0].newest()) < parse(w[1].first()));
            }
            for s in table {
                assert!(parse(s.first()) <= parse(s.newest()));
                assert!(!probes(s).is_empty());
            }
        }
        check(&PYTHON);
        check(&JAVASCRIPT);
    }

    #[test]
    fn releases_find_their_segment() {
        let py = |v: &str| segment_of(&PYTHON, &parse(v)).first;
        assert_eq!(py("1.45.1"), "1.0.0");
        assert_eq!(py("2.64.0"), "2.59.0");
        assert_eq!(py("2.13.0"), "2.0.0");
        assert_eq!(py("2.70.0"), "2.70.0");
        assert_eq!(py("2.76.0"), "2.72.0");
        assert_eq!(py("2.80.0"), "2.72.0");
        assert_eq!(py("3.0.0b2"), "3.0.0b1");
        assert_eq!(py("3.0.0a7"), "3.0.0a1");
        let js = |v: &str| segment_of(&JAVASCRIPT, &parse(v)).first;
        assert_eq!(js("8.42.0"), "8.0.0");
        assert_eq!(js("10.56.9"), "10.54.0");
        assert_eq!(js("10.78.0"), "10.76.0");
        assert_eq!(js("10.75.0"), "10.75.0");
        assert_eq!(js("11.12.0"), "11.9.0");
        assert_eq!(js("6.19.7"), "7.0.0");
    }
}
