//! SPA108 replay-broad-unmask (AC2): A Session Replay `unmask` or `unblock` selector matches whole pages.
//!
//! **What:** an entry of a Session Replay integration's `unmask` or `unblock` list that matches
//! containers rather than single known-safe elements: `*`, `html`, `body`, `main`, `div`,
//! `section`, `span`, `p`, `form`, `table`, the application root (`#root`, `#app`, `#__next`,
//! `#__nuxt`) and attribute-presence selectors such as `[class]`.
//!
//! **Why:** `maskAllText` and `blockAllMedia` stay true, so the configuration looks private, while
//! the selector unmasks (or unblocks) everything inside the matched elements: every ticket and
//! transcript on the page.
//!
//! **Example:**
//! ```ts
//! Sentry.replayIntegration({ unmask: ["body"] })          // error
//! Sentry.replayIntegration({ unmask: [".public-banner"] }) // fine
//! ```
//!
//! **Fix safety:** no fix: which elements are safe to show is a person's decision.

use super::Context;
use crate::diagnostic::{Severity, Sink};
use crate::model::{Literal, Sdk, Value};

/// Is a selector (one of a comma-separated group) broad?
pub(crate) fn broad(selector: &str) -> bool {
    const CONTAINERS: &[&str] = &[
        "*", "html", "body", "main", "div", "section", "article", "span", "p", "form", "table",
        "tbody", "tr", "td", "ul", "ol", "li", "header", "footer", "nav", "aside", "#root", "#app",
        "#__next", "#__nuxt", ":root",
    ];
    selector.split(',').any(|part| {
        let p = part.trim().to_ascii_lowercase();
        // The last compound of a descendant selector decides what is matched.
        let last = p.split_whitespace().last().unwrap_or("");
        let last = last.trim_start_matches('>').trim();
        CONTAINERS.contains(&p.as_str())
            || CONTAINERS.contains(&last)
            || last == "*"
            || last.ends_with(" *")
            || matches!(last, "[class]" | "[id]" | "[style]")
    })
}

pub(crate) fn check(ctx: &Context, sink: &mut Sink) {
    for (file, init) in ctx.inits_of(Sdk::Javascript) {
        let Some(replay) = &init.replay else { continue };
        for (name, what) in [("unmask", "text"), ("unblock", "media")] {
            let Some(opt) = replay.options.get(name) else {
                continue;
            };
            let Some(items) = opt.value.value.list() else {
                continue;
            };
            for item in items {
                let Value::Literal(Literal::Str(sel)) = &item.value.value else {
                    continue;
                };
                if !broad(sel) {
                    continue;
                }
                sink.report(
                    file,
                    item.range.clone(),
                    Severity::Error,
                    format!("`{name}` lists `{sel}`, which matches whole sections of the page: replays record all the {what} inside it"),
                    format!("list only single known-safe elements in `{name}` (a class such as `.public-banner`)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn broad_selectors() {
        for s in [
            "*",
            "body",
            "#root",
            "main .content div",
            "html, .x",
            "[class]",
            "div > *",
        ] {
            assert!(super::broad(s), "{s}");
        }
        for s in [
            ".public-banner",
            "#pricing-table-header",
            "button.primary",
            "[data-public]",
        ] {
            assert!(!super::broad(s), "{s}");
        }
    }
}
