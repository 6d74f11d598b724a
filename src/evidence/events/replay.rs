//! Session Replay recordings: rrweb events, each parsed alone. Full snapshots and DOM mutations are
//! walked for text, input values and media (SPA311, SPA312); the other events (breadcrumbs,
//! network spans, page metadata) go through the event walk like any event.

use serde_json::Value;

use super::{Collector, Pos};
use crate::evidence::rules::replay_media_in_recording as media;
use crate::evidence::rules::replay_text_in_recording as text;
use crate::registry::Rule;

/// rrweb event types.
const FULL_SNAPSHOT: u64 = 2;
const INCREMENTAL: u64 = 3;
/// Incremental sources.
const MUTATION: u64 = 0;
const INPUT: u64 = 5;

/// Does this look like an rrweb event (`{"type": 2, "timestamp": …, "data": {…}}`)?
pub fn is_rrweb_event(v: &Value) -> bool {
    v.get("type")
        .and_then(Value::as_u64)
        .is_some_and(|t| t <= 6)
        && v.get("timestamp").is_some_and(Value::is_number)
        && v.get("data").is_some()
        && v.get("event_id").is_none()
}

/// What one recording segment shows that is not masked or blocked.
#[derive(Debug, Default)]
pub struct Tally {
    pub texts: usize,
    pub inputs: usize,
    pub media: usize,
    first_text: Option<String>,
    first_media: Option<(String, String)>,
}

impl Tally {
    fn text(&mut self, path: String) {
        self.texts += 1;
        self.first_text.get_or_insert(path);
    }

    fn input(&mut self, path: String) {
        self.inputs += 1;
        self.first_text.get_or_insert(path);
    }

    /// Judge one rrweb event at `path`; `other` walks the events that are neither snapshots nor
    /// mutations nor inputs.
    pub fn event(&mut self, ev: &Value, path: &str, other: &mut dyn FnMut(&Value, &str)) {
        let ty = ev.get("type").and_then(Value::as_u64);
        let data = &ev["data"];
        match ty {
            Some(FULL_SNAPSHOT) => self.node(&data["node"], format!("{path}.data.node")),
            Some(INCREMENTAL) => match data.get("source").and_then(Value::as_u64) {
                Some(MUTATION) => {
                    for (i, add) in items(data, "adds") {
                        self.node(&add["node"], format!("{path}.data.adds[{i}].node"));
                    }
                    for (i, t) in items(data, "texts") {
                        if t.get("value")
                            .and_then(Value::as_str)
                            .is_some_and(|v| !text::is_masked(v))
                        {
                            self.text(format!("{path}.data.texts[{i}].value"));
                        }
                    }
                    for (i, a) in items(data, "attributes") {
                        if a["attributes"]
                            .get("value")
                            .and_then(Value::as_str)
                            .is_some_and(|v| !text::is_masked(v))
                        {
                            self.input(format!("{path}.data.attributes[{i}].attributes.value"));
                        }
                    }
                }
                Some(INPUT)
                    if data
                        .get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|v| !text::is_masked(v)) =>
                {
                    self.input(format!("{path}.data.text"));
                }
                _ => {}
            },
            _ => other(ev, path),
        }
    }

    /// Walk a serialized DOM node and its descendants (without recursion).
    fn node(&mut self, root: &Value, root_path: String) {
        let mut stack: Vec<(&Value, String, bool)> = vec![(root, root_path, false)];
        while let Some((node, path, in_code)) = stack.pop() {
            let mut in_code = in_code;
            match node.get("type").and_then(Value::as_u64) {
                Some(2) => {
                    let tag = node
                        .get("tagName")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let attributes = &node["attributes"];
                    if text::unmasked_input(&tag, attributes) {
                        self.input(format!("{path}.attributes.value"));
                    }
                    if let Some(attr) = media::media_source(&tag, attributes) {
                        self.media += 1;
                        self.first_media.get_or_insert_with(|| {
                            (format!("{path}.attributes.{attr}"), format!("<{tag}>"))
                        });
                    }
                    in_code |= matches!(tag.as_str(), "style" | "script" | "noscript" | "template");
                }
                Some(3) if text::unmasked_text(node, in_code) => {
                    self.text(format!("{path}.textContent"));
                }
                _ => {}
            }
            if let Some(children) = node.get("childNodes").and_then(Value::as_array) {
                for (i, child) in children.iter().enumerate().rev() {
                    stack.push((child, format!("{path}.childNodes[{i}]"), in_code));
                }
            }
        }
    }

    /// Report what the segment (named by `label`, e.g. `segment 3`) shows.
    pub fn report(self, out: &mut Collector, label: &str, pos: Pos) {
        if let Some(first) = &self.first_text {
            let (texts, inputs) = (self.texts, self.inputs);
            out.add(
                Rule::ReplayTextInRecording,
                first,
                label,
                || {
                    format!(
                        "Session Replay {label} records {} and {} that are not masked (first at `{first}`)",
                        count(texts, "text node", "text nodes"),
                        count(inputs, "input value", "input values"),
                    )
                },
                pos,
            );
        }
        if let Some((first, tag)) = &self.first_media {
            let n = self.media;
            out.add(
                Rule::ReplayMediaInRecording,
                first,
                label,
                || {
                    format!(
                        "Session Replay {label} records the source of {} that {} not blocked (first: {tag} at `{first}`)",
                        count(n, "image or media element", "images or media elements"),
                        if n == 1 { "is" } else { "are" },
                    )
                },
                pos,
            );
        }
    }
}

fn items<'v>(data: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    data.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn snapshot_text_inputs_and_media() {
        let snapshot = json!({"type": 2, "timestamp": 1, "data": {"node": {"type": 0, "childNodes": [
        {"type": 2, "tagName": "html", "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "style", "attributes": {}, "childNodes": [
                {"type": 3, "textContent": "body { color: red }"}]},
            {"type": 2, "tagName": "h1", "attributes": {}, "childNodes": [
                {"type": 3, "textContent": "Printer on floor 3"}]},
            {"type": 2, "tagName": "p", "attributes": {}, "childNodes": [
                {"type": 3, "textContent": "****** ** *****"}]},
            {"type": 2, "tagName": "input", "attributes": {"type": "text", "value": "dana"}},
            {"type": 2, "tagName": "input", "attributes": {"type": "submit", "value": "Send"}},
            {"type": 2, "tagName": "img", "attributes": {"src": "/uploads/screenshot.png"}},
            {"type": 2, "tagName": "img", "attributes": {"rr_width": "20px", "rr_height": "20px"}}
        ]}]}}});
        assert!(is_rrweb_event(&snapshot));
        let mut t = Tally::default();
        t.event(&snapshot, "[0]", &mut |_, _| panic!("not another kind"));
        assert_eq!((t.texts, t.inputs, t.media), (1, 1, 1));
        assert_eq!(
            t.first_text.as_deref(),
            Some("[0].data.node.childNodes[0].childNodes[1].childNodes[0].textContent")
        );
        assert_eq!(
            t.first_media.unwrap().0,
            "[0].data.node.childNodes[0].childNodes[5].attributes.src"
        );
    }

    #[test]
    fn mutations_and_input_events() {
        let mut t = Tally::default();
        let m = json!({"type": 3, "timestamp": 2, "data": {"source": 0,
            "texts": [{"id": 5, "value": "Ticket 881"}, {"id": 6, "value": "***"}],
            "attributes": [], "removes": [],
            "adds": [{"parentId": 1, "node": {"type": 3, "textContent": "New reply"}}]}});
        let i = json!({"type": 3, "timestamp": 3, "data": {"source": 5, "text": "my password", "isChecked": false}});
        let masked = json!({"type": 3, "timestamp": 4, "data": {"source": 5, "text": "*******"}});
        let mut others = 0;
        for e in [&m, &i, &masked] {
            t.event(e, "[1]", &mut |_, _| others += 1);
        }
        let custom = json!({"type": 5, "timestamp": 5, "data": {"tag": "breadcrumb"}});
        t.event(&custom, "[2]", &mut |_, p| {
            assert_eq!(p, "[2]");
            others += 1
        });
        assert_eq!((t.texts, t.inputs, others), (2, 1, 1));
    }
}
