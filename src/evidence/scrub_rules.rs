//! `scrub-rules`: Sentry's Advanced Data Scrubbing configuration (the PII config that Relay runs on
//! every event before it is stored) generated from `sensitive_fields`, and a linter for exported
//! configurations.
//!
//! A generated config has one removal rule per field, applied with the field's bare name as the
//! selector: Relay matches a bare key at any depth and in any case (`extra`, typed `contexts`,
//! request data and headers, frame `vars`, breadcrumb data, tags as pairs, nested lists), where a
//! `**.field` selector misses typed contexts and tags. Rules are numbered from `"0"` in the order
//! the configuration lists the fields, as Sentry's settings page numbers the rules it writes, so
//! that the page can show and edit them. The output is the same for the same fields and flags.

use serde_json::{json, Map, Value as Json};

/// What to generate besides the field removals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Remove the user's IP address and the location derived from it, and replace IP addresses in
    /// any string.
    pub remove_ip: bool,
    /// Replace e-mail addresses in any string with `[email]`.
    pub replace_email: bool,
    /// Replace credit card numbers in any string with `[creditcard]`.
    pub replace_credit_card: bool,
}

/// The selector of the fields that hold the user's IP address.
pub const IP_SELECTOR: &str = "$user.ip_address || $http.env.REMOTE_ADDR";
/// The selector of the location Sentry derives from the IP address.
pub const GEO_SELECTOR: &str = "$user.geo.**";

/// The rule types Relay knows (`type`), as its schema names them.
pub const RULE_TYPES: [&str; 21] = [
    "anything",
    "pattern",
    "imei",
    "mac",
    "uuid",
    "email",
    "ip",
    "creditcard",
    "iban",
    "userpath",
    "pemkey",
    "url_auth",
    "us_ssn",
    "bearer",
    "password",
    "cookies",
    "redactPair",
    "redact_pair",
    "multiple",
    "alias",
    "unknown",
];

/// The redaction methods Relay knows. Any other `method` is accepted by Sentry's validation and
/// then redacts in an unplanned way (Relay empties the value).
pub const METHODS: [&str; 5] = ["default", "remove", "replace", "mask", "hash"];

/// Relay's built-in rules, usable in `applications` without a definition: each family alone
/// (`@ip`) and with the methods it has.
const BUILTINS: [(&str, &[&str]); 16] = [
    ("common", &["filter"]),
    ("anything", &["remove", "replace", "hash", "mask", "filter"]),
    ("ip", &["replace", "hash", "mask", "remove"]),
    ("imei", &["replace", "hash", "mask", "remove"]),
    ("mac", &["replace", "hash", "mask", "remove"]),
    ("uuid", &["replace", "hash", "mask", "remove"]),
    ("email", &["replace", "hash", "mask", "remove"]),
    ("iban", &["replace", "hash", "mask", "filter", "remove"]),
    (
        "creditcard",
        &["replace", "hash", "mask", "filter", "remove"],
    ),
    ("pemkey", &["replace", "filter", "hash", "mask", "remove"]),
    ("urlauth", &["replace", "hash", "mask", "remove", "legacy"]),
    ("usssn", &["replace", "filter", "mask", "hash", "remove"]),
    ("userpath", &["replace", "mask", "hash", "remove"]),
    ("password", &["filter", "hash", "replace", "mask", "remove"]),
    ("bearer", &[]),
    ("cookies", &[]),
];

/// Is `id` one of Relay's built-in rules (`@email:replace`)?
pub fn is_builtin(id: &str) -> bool {
    let Some(rest) = id.strip_prefix('@') else {
        return false;
    };
    let (family, method) = match rest.split_once(':') {
        Some((f, m)) => (f, Some(m)),
        None => (rest, None),
    };
    BUILTINS.iter().any(|(f, methods)| {
        *f == family
            && match method {
                None => *f != "bearer" && *f != "cookies",
                Some(m) => methods.contains(&m),
            }
    })
}

/// The selector of a field: its name, quoted when it is not a plain identifier (`'x-api-key'`).
pub fn selector_for(field: &str) -> String {
    let plain = field
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        field.to_string()
    } else {
        format!("'{}'", field.replace('\'', "''"))
    }
}

/// The fields, without blanks and without case-insensitive repeats (Relay matches keys in any
/// case), in the order given.
pub fn distinct_fields(fields: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        let f = f.trim();
        if !f.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(f)) {
            out.push(f.to_string());
        }
    }
    out
}

/// The PII config for these fields and options.
pub fn generate(fields: &[String], opts: Options) -> Json {
    let mut rules = Map::new();
    let mut applications = Map::new();
    let mut add = |rules: &mut Map<String, Json>, rule: Json, selector: String| {
        let id = rules.len().to_string();
        rules.insert(id.clone(), rule);
        match applications.get_mut(&selector) {
            Some(Json::Array(ids)) => ids.push(id.into()),
            _ => {
                applications.insert(selector, json!([id]));
            }
        }
    };
    let remove = || json!({"type": "anything", "redaction": {"method": "remove"}});
    for field in distinct_fields(fields) {
        add(&mut rules, remove(), selector_for(&field));
    }
    if opts.remove_ip {
        add(&mut rules, remove(), IP_SELECTOR.into());
        add(&mut rules, remove(), GEO_SELECTOR.into());
        add(
            &mut rules,
            json!({"type": "ip", "redaction": {"method": "replace", "text": "[ip]"}}),
            "$string".into(),
        );
    }
    if opts.replace_email {
        add(
            &mut rules,
            json!({"type": "email", "redaction": {"method": "replace", "text": "[email]"}}),
            "$string".into(),
        );
    }
    if opts.replace_credit_card {
        add(
            &mut rules,
            json!({"type": "creditcard", "redaction": {"method": "replace", "text": "[creditcard]"}}),
            "$string".into(),
        );
    }
    json!({ "rules": rules, "applications": applications })
}

/// The body of the project-settings update (`PUT /api/0/projects/{org}/{project}/`): the config as
/// the JSON string in `relayPiiConfig`, and `scrubIPAddresses` when IP addresses are removed.
pub fn api_body(config: &Json, opts: Options) -> Json {
    let mut body = Map::new();
    body.insert("relayPiiConfig".into(), config.to_string().into());
    if opts.remove_ip {
        body.insert("scrubIPAddresses".into(), true.into());
    }
    Json::Object(body)
}

/// How bad a problem in an exported config is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One problem of an exported config: where in it (a JSON path) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    pub at: String,
    pub message: String,
}

/// A config that is not JSON: what and where (1-based line and column of the text).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {message}")]
pub struct Unreadable {
    pub what: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

fn unreadable(what: &'static str, e: &serde_json::Error) -> Unreadable {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    Unreadable {
        what,
        message,
        line: e.line(),
        column: e.column().max(1),
    }
}

fn key_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '$');
    let sep = if parent.is_empty() { "" } else { "." };
    if plain && !key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{parent}{sep}{key}")
    } else {
        format!("{parent}[{}]", Json::from(key))
    }
}

/// Lint an exported config: the PII config itself, or a project's settings (the API body or the
/// project's JSON) holding it in `relayPiiConfig`. `fields` are the configured sensitive fields,
/// each of which a rule must remove.
pub fn check(text: &str, fields: &[String]) -> Result<Vec<Problem>, Unreadable> {
    let doc: Json = serde_json::from_str(text).map_err(|e| unreadable("not valid JSON", &e))?;
    let mut problems = Vec::new();
    let (config, prefix) = match doc.get("relayPiiConfig") {
        Some(Json::String(s)) => (
            serde_json::from_str::<Json>(s)
                .map_err(|e| unreadable("relayPiiConfig is not valid JSON", &e))?,
            "relayPiiConfig:",
        ),
        Some(Json::Null) => {
            problems.push(Problem {
                level: Level::Error,
                at: "relayPiiConfig".into(),
                message: "no Advanced Data Scrubbing rules are set (the value is null)".into(),
            });
            (json!({}), "relayPiiConfig:")
        }
        Some(other) => {
            problems.push(Problem {
                level: Level::Error,
                at: "relayPiiConfig".into(),
                message: format!(
                    "must be the config as a JSON string, not {}",
                    kind_of(other)
                ),
            });
            return Ok(problems);
        }
        None => (doc, ""),
    };
    lint_config(&config, prefix, fields, &mut problems);
    problems.sort_by(|a, b| (a.level, &a.at).cmp(&(b.level, &b.at)));
    Ok(problems)
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

const RULE_KEYS: [&str; 8] = [
    "type",
    "redaction",
    "pattern",
    "replaceGroups",
    "keyPattern",
    "rules",
    "rule",
    "hideInner",
];

fn lint_config(config: &Json, prefix: &str, fields: &[String], out: &mut Vec<Problem>) {
    let mut error = |at: String, message: String| {
        out.push(Problem {
            level: Level::Error,
            at: format!("{prefix}{at}"),
            message,
        })
    };
    let Some(top) = config.as_object() else {
        error(
            String::new(),
            format!("the config must be an object, not {}", kind_of(config)),
        );
        return;
    };
    for key in top.keys() {
        if !["rules", "applications", "vars"].contains(&key.as_str()) {
            error(
                key_path("", key),
                format!("unknown key `{key}`: Relay ignores it (keys: rules, applications, vars)"),
            );
        }
    }
    let empty = Map::new();
    let rules = match top.get("rules") {
        None => &empty,
        Some(Json::Object(m)) => m,
        Some(other) => {
            error(
                "rules".into(),
                format!("must be an object of rules by id, not {}", kind_of(other)),
            );
            &empty
        }
    };
    let mut warnings: Vec<Problem> = Vec::new();
    let mut warn = |at: String, message: String| {
        warnings.push(Problem {
            level: Level::Warning,
            at: format!("{prefix}{at}"),
            message,
        })
    };
    // Which rules remove or hide whole values (an `anything` rule with a known method).
    let mut hides: Vec<&str> = Vec::new();
    for (id, rule) in rules {
        let at = key_path("rules", id);
        let Some(r) = rule.as_object() else {
            error(
                at,
                format!("a rule must be an object, not {}", kind_of(rule)),
            );
            continue;
        };
        for key in r.keys() {
            if !RULE_KEYS.contains(&key.as_str()) {
                warn(
                    key_path(&at, key),
                    format!("unknown key `{key}` in a rule: Relay ignores it"),
                );
            }
        }
        let ty = match r.get("type") {
            Some(Json::String(t)) => t.as_str(),
            Some(other) => {
                error(
                    key_path(&at, "type"),
                    format!("must be a string, not {}", kind_of(other)),
                );
                continue;
            }
            None => {
                error(at, "the rule has no `type`".into());
                continue;
            }
        };
        if !RULE_TYPES.contains(&ty) {
            error(
                key_path(&at, "type"),
                format!("unknown rule type `{ty}`{}", suggestion(ty, &RULE_TYPES)),
            );
            continue;
        }
        let needs = |key: &str| -> Option<String> {
            (!r.contains_key(key)).then(|| format!("a `{ty}` rule needs `{key}`"))
        };
        let missing = match ty {
            "pattern" => needs("pattern"),
            "redactPair" | "redact_pair" => needs("keyPattern"),
            "multiple" => needs("rules"),
            "alias" => needs("rule"),
            _ => None,
        };
        if let Some(m) = missing {
            error(at.clone(), m);
        }
        let mut method_ok = true;
        match r.get("redaction") {
            None => {}
            Some(Json::Object(red)) => match red.get("method") {
                Some(Json::String(m)) if METHODS.contains(&m.as_str()) => {
                    for key in red.keys() {
                        if key != "method" && key != "text" {
                            warn(
                                key_path(&key_path(&at, "redaction"), key),
                                format!("unknown key `{key}` in a redaction: Relay ignores it"),
                            );
                        }
                    }
                }
                Some(Json::String(m)) => {
                    method_ok = false;
                    error(
                        key_path(&key_path(&at, "redaction"), "method"),
                        format!(
                            "unknown redaction method `{m}`{}: Sentry accepts it and Relay then empties the value instead of applying a planned method",
                            suggestion(m, &METHODS)
                        ),
                    );
                }
                Some(other) => {
                    method_ok = false;
                    error(
                        key_path(&key_path(&at, "redaction"), "method"),
                        format!("must be a string, not {}", kind_of(other)),
                    );
                }
                None => {
                    method_ok = false;
                    error(
                        key_path(&at, "redaction"),
                        "the redaction has no `method`".into(),
                    );
                }
            },
            Some(other) => {
                method_ok = false;
                error(
                    key_path(&at, "redaction"),
                    format!("must be an object with a `method`, not {}", kind_of(other)),
                );
            }
        }
        // References inside multiple and alias rules.
        let refs: Vec<(String, &Json)> = match ty {
            "multiple" => match r.get("rules") {
                Some(Json::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{}[{i}]", key_path(&at, "rules")), v))
                    .collect(),
                Some(other) => {
                    error(
                        key_path(&at, "rules"),
                        format!("must be a list of rule ids, not {}", kind_of(other)),
                    );
                    Vec::new()
                }
                None => Vec::new(),
            },
            "alias" => r
                .get("rule")
                .map(|v| vec![(key_path(&at, "rule"), v)])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        for (rat, v) in refs {
            match v.as_str() {
                Some(target) if rules.contains_key(target) || is_builtin(target) => {}
                Some(target) => error(
                    rat,
                    format!("refers to the rule `{target}`, which is not defined: Relay skips it"),
                ),
                None => error(rat, format!("must be a rule id, not {}", kind_of(v))),
            }
        }
        if ty == "anything" && method_ok {
            hides.push(id.as_str());
        }
    }
    let applications = match top.get("applications") {
        None => &empty,
        Some(Json::Object(m)) => m,
        Some(other) => {
            error(
                "applications".into(),
                format!(
                    "must be an object of selectors to rule ids, not {}",
                    kind_of(other)
                ),
            );
            &empty
        }
    };
    let mut used: Vec<&str> = Vec::new();
    // (selector, whether its rules hide whole values)
    let mut covering: Vec<(&str, bool)> = Vec::new();
    for (selector, ids) in applications {
        let at = key_path("applications", selector);
        if selector.trim().is_empty() {
            error(at.clone(), "an empty selector selects nothing".into());
        }
        let Some(list) = ids.as_array() else {
            error(
                at,
                format!("must be a list of rule ids, not {}", kind_of(ids)),
            );
            continue;
        };
        if list.is_empty() {
            warn(at.clone(), "applies no rule".into());
        }
        let mut hiding = false;
        for (i, id) in list.iter().enumerate() {
            let iat = format!("{at}[{i}]");
            match id.as_str() {
                Some(id) if rules.contains_key(id) => {
                    used.push(id);
                    hiding |= hides.contains(&id) || resolves_to_hiding(id, rules, &hides, 0);
                }
                Some(id) if is_builtin(id) => {
                    hiding |= id.starts_with("@anything");
                }
                Some(id) if id.starts_with('@') => error(
                    iat,
                    format!("`{id}` is not one of Relay's built-in rules: Relay skips it"),
                ),
                Some(id) => error(
                    iat,
                    format!("refers to the rule `{id}`, which is not defined: Relay skips it"),
                ),
                None => error(iat, format!("must be a rule id, not {}", kind_of(id))),
            }
        }
        covering.push((selector.as_str(), hiding));
    }
    for id in rules.keys() {
        let referenced = rules.values().any(|r| {
            r.get("rule").and_then(Json::as_str) == Some(id)
                || r.get("rules")
                    .and_then(Json::as_array)
                    .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(id)))
        });
        if !used.contains(&id.as_str()) && !referenced {
            warn(
                key_path("rules", id),
                "the rule is defined but no application uses it".into(),
            );
        }
    }
    for field in distinct_fields(fields) {
        let mut exact = false;
        let mut partial: Vec<&str> = Vec::new();
        for (selector, hiding) in &covering {
            if !hiding {
                continue;
            }
            for term in selector.split("||") {
                let term = term.trim().trim_matches(|c| c == '(' || c == ')').trim();
                if names_field(term, &field) {
                    exact = true;
                } else if term
                    .rsplit_once('.')
                    .is_some_and(|(_, last)| names_field(last, &field))
                {
                    partial.push(selector);
                }
            }
        }
        if exact {
            continue;
        }
        if let Some(sel) = partial.first() {
            warn(
                key_path("applications", sel),
                format!(
                    "`{field}` (sensitive_fields) is removed only where this selector reaches; the bare selector `{}` removes it at any depth, in typed contexts and in tags too",
                    selector_for(&field)
                ),
            );
        } else {
            error(
                "applications".into(),
                format!(
                    "`{field}` (sensitive_fields) is not removed: no application applies an `anything` rule to `{}`",
                    selector_for(&field)
                ),
            );
        }
    }
    out.extend(warnings);
}

/// Does this multiple or alias rule reach a rule that hides whole values?
fn resolves_to_hiding(id: &str, rules: &Map<String, Json>, hides: &[&str], depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let Some(r) = rules.get(id) else {
        return id.starts_with("@anything");
    };
    let targets: Vec<&str> = match r.get("type").and_then(Json::as_str) {
        Some("alias") => r.get("rule").and_then(Json::as_str).into_iter().collect(),
        Some("multiple") => r
            .get("rules")
            .and_then(Json::as_array)
            .map(|l| l.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    targets
        .into_iter()
        .any(|t| hides.contains(&t) || resolves_to_hiding(t, rules, hides, depth + 1))
}

/// Does a selector term name the field: its bare or quoted name, in any case?
fn names_field(term: &str, field: &str) -> bool {
    let name = match term.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => term.to_string(),
    };
    name.eq_ignore_ascii_case(field)
}

/// `` (did you mean `remove`?)`` for a near miss.
fn suggestion(got: &str, known: &[&str]) -> String {
    let best = known
        .iter()
        .map(|k| (edit_distance(&got.to_lowercase(), &k.to_lowercase()), *k))
        .min();
    match best {
        Some((d, k)) if d <= 2 => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_removal_rule_per_field_in_order() {
        let c = generate(
            &fields(&["ticket_data", "Ticket_Data", " ", "x-api-key", "it's"]),
            Options::default(),
        );
        assert_eq!(
            c.to_string(),
            r#"{"rules":{"0":{"type":"anything","redaction":{"method":"remove"}},"1":{"type":"anything","redaction":{"method":"remove"}},"2":{"type":"anything","redaction":{"method":"remove"}}},"applications":{"ticket_data":["0"],"'x-api-key'":["1"],"'it''s'":["2"]}}"#
        );
    }

    #[test]
    fn flags_add_ip_geo_email_and_card_rules() {
        let opts = Options {
            remove_ip: true,
            replace_email: true,
            replace_credit_card: true,
        };
        let c = generate(&fields(&["ticket_data"]), opts);
        let apps = c["applications"].as_object().unwrap();
        assert_eq!(apps[IP_SELECTOR], json!(["1"]));
        assert_eq!(apps[GEO_SELECTOR], json!(["2"]));
        assert_eq!(apps["$string"], json!(["3", "4", "5"]));
        let body = api_body(&c, opts);
        assert_eq!(body["scrubIPAddresses"], json!(true));
        let inner: Json = serde_json::from_str(body["relayPiiConfig"].as_str().unwrap()).unwrap();
        assert_eq!(inner, c);
        assert!(api_body(&c, Options::default())
            .get("scrubIPAddresses")
            .is_none());
    }

    #[test]
    fn generated_configs_lint_clean() {
        let f = fields(&["ticket_data", "x-api-key"]);
        let c = generate(&f, Options::default());
        assert_eq!(check(&c.to_string(), &f).unwrap(), vec![]);
        let body = api_body(&c, Options::default());
        assert_eq!(check(&body.to_string(), &f).unwrap(), vec![]);
    }

    #[test]
    fn lint_finds_typos_dangling_references_and_uncovered_fields() {
        let text = r#"{
          "rules": {
            "0": {"type": "anything", "redaction": {"method": "remov"}},
            "1": {"type": "anythin", "redaction": {"method": "remove"}},
            "2": {"type": "pattern", "redaction": {"method": "replace"}},
            "3": {"type": "multiple", "rules": ["9"]},
            "4": {"type": "anything", "redaction": {"method": "mask"}, "redacton": 1}
          },
          "applications": {
            "ticket_data": ["0"],
            "extra.conversation_messages": ["4"],
            "$string": ["7", "@emial:replace", "@email:replace"]
          },
          "aplications": {}
        }"#;
        let f = fields(&["ticket_data", "conversation_messages", "intake_content"]);
        let got: Vec<String> = check(text, &f)
            .unwrap()
            .into_iter()
            .map(|p| format!("{} {}: {}", p.level.as_str(), p.at, p.message))
            .collect();
        let want = [
            "error applications: `ticket_data` (sensitive_fields) is not removed",
            "error applications: `intake_content` (sensitive_fields) is not removed",
            "error applications.$string[0]: refers to the rule `7`, which is not defined",
            "error applications.$string[1]: `@emial:replace` is not one of Relay's built-in rules",
            "error aplications: unknown key `aplications`",
            "error rules[\"0\"].redaction.method: unknown redaction method `remov` (did you mean `remove`?)",
            "error rules[\"1\"].type: unknown rule type `anythin` (did you mean `anything`?)",
            "error rules[\"2\"]: a `pattern` rule needs `pattern`",
            "error rules[\"3\"].rules[0]: refers to the rule `9`, which is not defined",
            "warning applications[\"extra.conversation_messages\"]: `conversation_messages` (sensitive_fields) is removed only where this selector reaches",
            "warning rules[\"1\"]: the rule is defined but no application uses it",
            "warning rules[\"4\"].redacton: unknown key `redacton`",
        ];
        for w in want {
            assert!(
                got.iter().any(|g| g.starts_with(w)),
                "missing {w:?} in {got:#?}"
            );
        }
        assert_eq!(got.len(), want.len() + 2, "{got:#?}");
    }

    #[test]
    fn unreadable_configs_name_line_and_column() {
        let e = check("{\n  \"rules\": {,}\n}", &[]).unwrap_err();
        assert_eq!((e.what, e.line, e.column), ("not valid JSON", 2, 13));
        let e = check(r#"{"relayPiiConfig": "{\"rules\": "}"#, &[]).unwrap_err();
        assert_eq!(e.what, "relayPiiConfig is not valid JSON");
        let p = check(r#"{"relayPiiConfig": null}"#, &fields(&["a"])).unwrap();
        assert!(p[0].message.contains("no Advanced Data Scrubbing rules"));
    }

    #[test]
    fn builtins() {
        for id in [
            "@ip",
            "@email:replace",
            "@anything:remove",
            "@common:filter",
        ] {
            assert!(is_builtin(id), "{id}");
        }
        for id in ["@emial", "@email:remov", "ip", "@bearer"] {
            assert!(!is_builtin(id), "{id}");
        }
    }
}
