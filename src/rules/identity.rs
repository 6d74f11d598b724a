//! What SPA001 (Python) and SPA105 (JavaScript) share: is identity data collected (user info and
//! IP addresses, or unfiltered cookies or headers), and the fix the installed version honours.

use super::fixes::{entry_at, insert_items, remove_item, set_in_collection, set_value};
use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{Sdk, SentryInit};
use crate::policy::{self, Category, Decision, Policy, State};
use crate::sdk::facts::JsDataCollection;

/// How a category is named in a finding.
fn noun(c: Category) -> &'static str {
    match c {
        Category::UserInfo => "user identities (ids, e-mail addresses, IP addresses)",
        Category::Cookies => "cookies",
        Category::HttpHeaders => "request headers",
        _ => c.describe(),
    }
}

fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Report identity data the init's SDK collects.
pub(crate) fn check(ctx: &Context, sink: &mut Sink, sdk: Sdk) {
    for (file, init, policy) in ctx.judged(sdk) {
        let mut collected: Vec<(Category, &Decision)> = Vec::new();
        let mut maybe: Vec<(Category, &Decision)> = Vec::new();
        let mut filtered: Vec<Category> = Vec::new();
        // The browser SDKs send only `User-Agent` and `Referer`: not identities.
        let browser = sdk == Sdk::Javascript && policy.runtime == policy::Runtime::Browser;
        for c in [Category::UserInfo, Category::Cookies, Category::HttpHeaders] {
            if browser && c == Category::HttpHeaders {
                continue;
            }
            let d = policy.get(c);
            match d.state {
                State::Collected => collected.push((c, d)),
                State::Depends { .. } | State::Unknown { .. } => maybe.push((c, d)),
                State::Filtered => filtered.push(c),
                State::Off => {}
            }
        }
        let (definite, group) = if !collected.is_empty() {
            (true, &collected)
        } else if !maybe.is_empty() {
            (false, &maybe)
        } else {
            continue;
        };
        // The option that decides it, else the init call.
        let (lead_category, lead) = group
            .iter()
            .find(|(_, d)| d.at.is_some())
            .copied()
            .unwrap_or(group[0]);
        let range = lead.at.clone().unwrap_or_else(|| init.callee.clone());
        let nouns: Vec<&str> = group.iter().map(|(c, _)| noun(*c)).collect();
        let also: Vec<&str> = filtered
            .iter()
            .filter(|_| definite)
            .map(|c| noun(*c))
            .collect();
        let tail = if also.is_empty() {
            String::new()
        } else {
            format!(", and {} with only sensitive keys filtered", join(&also))
        };
        let message = if definite {
            format!(
                "{}: {} are sent to Sentry{tail} ({})",
                lead.because,
                join(&nouns),
                policy.judged
            )
        } else {
            format!(
                "{}; if it turns on, {} are sent to Sentry ({})",
                lead.because,
                join(&nouns),
                policy.judged
            )
        };
        let text = &ctx.files[file].text;
        let fix = if sdk == Sdk::Python {
            python_fix(text, init, policy, lead_category, lead)
        } else {
            javascript_fix(text, init, policy, lead_category, lead)
        };
        let help = help(sdk, policy);
        let f = sink.report(
            file,
            range,
            if definite {
                Severity::Error
            } else {
                Severity::Warning
            },
            message,
            help,
        );
        f.fix = fix.map(|mut fx| {
            if !definite {
                fx.applicability = fx.applicability.min(Applicability::Unsafe);
            }
            fx
        });
    }
}

fn help(sdk: Sdk, policy: &Policy) -> String {
    match sdk {
        Sdk::Python if policy.data_collection => {
            "set `data_collection={\"user_info\": False}`; attach only the user data you need in `before_send`".into()
        }
        Sdk::Python if policy.py_segments.iter().all(|s| s.pii_deprecated) => {
            "remove `send_default_pii=True` (off is the default; the option is deprecated); attach only the user data you need in `before_send`".into()
        }
        Sdk::Python => {
            "set `send_default_pii=False`; attach only the user data you need in `before_send`".into()
        }
        _ if policy.runtime != policy::Runtime::Browser
            && policy.js_segments.iter().any(|s| s.node_raw_request_data) =>
        {
            "on the server, drop them with `requestDataIntegration({ include: { cookies: false, headers: false, ip: false } })` or in `beforeSend`; set `dataCollection: { userInfo: false, ... }` (10.57+) or leave `sendDefaultPii` off".into()
        }
        _ if policy.data_collection && policy.runtime == policy::Runtime::Browser => {
            "set `dataCollection: { userInfo: false }`".into()
        }
        _ if policy.data_collection => {
            "set `dataCollection: { userInfo: false, cookies: false, httpHeaders: { request: false, response: false } }`".into()
        }
        _ => "set `sendDefaultPii: false` (the default before 11.0)".into(),
    }
}

/// The entry whose key a decision points at, with the options holding it.
fn governing<'a>(
    init: &'a SentryInit,
    d: &Decision,
) -> Option<(&'a crate::model::OptionEntry, &'a crate::model::Options)> {
    entry_at(&init.options, d.at.as_ref()?)
}

fn python_fix(
    text: &str,
    init: &SentryInit,
    policy: &Policy,
    category: Category,
    lead: &Decision,
) -> Option<Fix> {
    if let Some((entry, holder)) = governing(init, lead) {
        let removable = entry.name == "send_default_pii"
            && !policy.data_collection
            && policy.py_segments.iter().all(|s| s.pii_deprecated);
        if removable {
            // 2.72+ deprecates the option: off is its default, so the fix removes it.
            let list = if std::ptr::eq(holder, &init.options) {
                init.args.as_ref()?
            } else {
                holder.literal.as_ref()?
            };
            let edit = remove_item(text, list, &entry.entry)?;
            let safe = entry.value.literal;
            return Some(Fix::new(
                if safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                },
                "remove `send_default_pii` (deprecated; off by default)",
                vec![edit],
            ));
        }
        if matches!(entry.name.as_str(), "send_default_pii" | "user_info") {
            return Some(set_value(entry, "False"));
        }
        return None;
    }
    // A default of `data_collection`: write `"user_info": False` into it.
    if lead.state != State::Collected || !policy.data_collection || category != Category::UserInfo {
        return None;
    }
    match init.options.get("data_collection") {
        Some(dc) => {
            let map = dc.value.value.map()?;
            let list = map.literal.as_ref()?;
            let q = quote(text, dc);
            Some(Fix::unsafe_edit(
                "add `\"user_info\": False` to `data_collection`",
                insert_items(text, list, &[format!("{q}user_info{q}: False")]),
            ))
        }
        None => {
            let args = init.args.as_ref()?;
            Some(Fix::unsafe_edit(
                "add `data_collection={\"user_info\": False}`",
                insert_items(
                    text,
                    args,
                    &["data_collection={\"user_info\": False}".into()],
                ),
            ))
        }
    }
}

/// The quote character used in an option's value, else `"`.
fn quote(text: &str, e: &crate::model::OptionEntry) -> char {
    if text[e.value_range.clone()].contains('\'') && !text[e.value_range.clone()].contains('"') {
        '\''
    } else {
        '"'
    }
}

fn javascript_fix(
    text: &str,
    init: &SentryInit,
    policy: &Policy,
    category: Category,
    lead: &Decision,
) -> Option<Fix> {
    let collects_all = |s: &&crate::sdk::facts::JsSegment| {
        matches!(
            s.data_collection,
            JsDataCollection::WhenSet { collects_all: true } | JsDataCollection::Always
        )
    };
    if let Some((entry, _)) = governing(init, lead) {
        return match entry.name.as_str() {
            // Only for a known version: on an assumed 10.x, `dataCollection` may not exist yet.
            "sendDefaultPii"
                if policy.sdk.assumed.is_none() && policy.js_segments.iter().all(collects_all) =>
            {
                let dc = policy::restrictive_data_collection(&policy.js_segments);
                Some(Fix::unsafe_edit(
                    "replace `sendDefaultPii` with a restrictive `dataCollection`",
                    vec![Edit::replace(
                        entry.entry.clone(),
                        format!("dataCollection: {dc}"),
                    )],
                ))
            }
            "sendDefaultPii" | "userInfo" => Some(set_value(entry, "false")),
            _ => None,
        };
    }
    if lead.state != State::Collected || !policy.data_collection {
        return None;
    }
    // A 10.x server attaches cookies and headers unless `dataCollection` says `false`.
    match category {
        Category::Cookies => return set_in_collection(text, init, "cookies", "false", false),
        Category::HttpHeaders => {
            return set_in_collection(
                text,
                init,
                "httpHeaders",
                "{ request: false, response: false }",
                false,
            )
        }
        _ => {}
    }
    match init.options.get("dataCollection") {
        Some(dc) => {
            let map = dc.value.value.map()?;
            let list = map.literal.as_ref()?;
            Some(Fix::unsafe_edit(
                "add `userInfo: false` to `dataCollection`",
                insert_items(text, list, &["userInfo: false".into()]),
            ))
        }
        None => {
            // 11.x: `dataCollection` already applies; turning user info off is enough here (the
            // other rules add their own keys).
            let args = init.args.as_ref()?;
            Some(Fix::unsafe_edit(
                "add `dataCollection: { userInfo: false }`",
                insert_items(text, args, &["dataCollection: { userInfo: false }".into()]),
            ))
        }
    }
}
