//! SPA311 replay-text-in-recording (AC2): a Session Replay recording holds page text or input values that are not masked.
//!
//! **What:** in the rrweb events of a replay recording segment (full snapshots, DOM mutations,
//! input events), text nodes whose text is not all `*` (outside `<style>` and `<script>`), and
//! input, textarea and select values that are not masked. One finding per segment, with the
//! counts and the JSON path of the first.
//!
//! **Why:** Session Replay is private by default: the SDK masks all text and inputs before anything
//! leaves the browser. Unmasked text in a recording shows that `maskAllText` or `maskAllInputs` is
//! off, or that `unmask` reaches customer data: what the customer saw on screen is in Sentry.
//!
//! **Example:** `[0].data.node.childNodes[1].childNodes[2].childNodes[0].textContent` is a ticket's
//! subject in segment 0.
//!
//! **Fix safety:** no fix; keep `maskAllText` and `maskAllInputs` on (`check` reports SPA101,
//! SPA103 and SPA201 in the source).

use serde_json::Value;

/// Is this text masked (every character that is not white space is `*`)?
pub fn is_masked(s: &str) -> bool {
    s.chars().all(|c| c == '*' || c.is_whitespace())
}

/// Does this text node (rrweb type 3) show text that is not masked? `in_code` is true inside
/// `<style>`, `<script>`, `<noscript>` and `<template>`.
pub fn unmasked_text(node: &Value, in_code: bool) -> bool {
    if in_code || node.get("isStyle").and_then(Value::as_bool) == Some(true) {
        return false;
    }
    node.get("textContent")
        .and_then(Value::as_str)
        .is_some_and(|t| !is_masked(t))
}

/// Does this element (rrweb type 2, tag in lower case) hold a user-entered value that is not
/// masked?
pub fn unmasked_input(tag: &str, attributes: &Value) -> bool {
    if !matches!(tag, "input" | "textarea" | "select") {
        return false;
    }
    let kind = attributes
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("text")
        .to_ascii_lowercase();
    if matches!(
        kind.as_str(),
        "submit" | "button" | "reset" | "hidden" | "image" | "checkbox" | "radio"
    ) {
        return false;
    }
    attributes
        .get("value")
        .and_then(Value::as_str)
        .is_some_and(|v| !is_masked(v))
}
