//! A YAML document as a small tree that remembers the line of every node (pnpm-lock.yaml, yarn
//! berry's yarn.lock, pnpm-workspace.yaml), built from yaml-rust2's marked events.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::read::Problem;

/// One YAML node and the 1-based line where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// 1-based line where the node starts.
    pub line: usize,
    /// What it holds.
    pub kind: Kind,
}

/// What a node holds. Aliases and empty documents are `Other`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A plain or quoted scalar, as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, entries in file order.
    Map(Vec<(Node, Node)>),
    /// An alias (not followed).
    Other,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under a scalar key, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The mapping under `key`: `Ok(None)` when absent or null, a problem when it is not a mapping.
    pub fn map_at(&self, key: &str) -> Result<Option<&[(Node, Node)]>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(n) if n.is_null() => Ok(None),
            Some(n) => n
                .entries()
                .map(Some)
                .ok_or_else(|| Problem::at(n.line, format!("`{key}` should be a mapping"))),
        }
    }

    /// Whether this is an empty scalar or `~`/`null`.
    pub fn is_null(&self) -> bool {
        matches!(self.as_str(), Some("" | "~" | "null"))
    }
}

/// Parse a single-document YAML text; an empty text is an empty mapping.
pub(crate) fn parse(text: &str) -> Result<Node, Problem> {
    let mut loader = Loader::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut loader, false).map_err(|e| {
        Problem::at(
            e.marker().line().max(1),
            format!("invalid YAML: {}", e.info()),
        )
    })?;
    Ok(loader.root.unwrap_or(Node {
        line: 1,
        kind: Kind::Map(Vec::new()),
    }))
}

/// A collection being built.
enum Frame {
    /// A sequence starting at a line, and its items so far.
    Seq(usize, Vec<Node>),
    /// A mapping starting at a line, its entries so far, and a key waiting for its value.
    Map(usize, Vec<(Node, Node)>, Option<Node>),
}

/// Builds the tree from events with an explicit stack (no recursion).
#[derive(Default)]
struct Loader {
    /// The collections being built, innermost last.
    stack: Vec<Frame>,
    /// The first document's root, once finished.
    root: Option<Node>,
}

impl Loader {
    /// Add a finished node to the collection being built, or make it the root.
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, key)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }
}

impl MarkedEventReceiver for Loader {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line().max(1);
        match ev {
            Event::Scalar(value, ..) => self.push(Node {
                line,
                kind: Kind::Scalar(value),
            }),
            Event::Alias(_) => self.push(Node {
                line,
                kind: Kind::Other,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(line, Vec::new())),
            Event::MappingStart(..) => self.stack.push(Frame::Map(line, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(line, items)) => Node {
                        line,
                        kind: Kind::Seq(items),
                    },
                    Some(Frame::Map(line, entries, _)) => Node {
                        line,
                        kind: Kind::Map(entries),
                    },
                    None => return,
                };
                self.push(node);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_lines() {
        let doc = parse("a: 1\nb:\n  '@x/y@1.0.0':\n    version: 2\nc: [1, 2]\n").unwrap();
        assert_eq!(doc.get("a").and_then(Node::as_str), Some("1"));
        let b = doc.map_at("b").unwrap().unwrap();
        assert_eq!(b[0].0.as_str(), Some("@x/y@1.0.0"));
        assert_eq!(b[0].0.line, 3);
        assert_eq!(b[0].1.get("version").map(|n| n.line), Some(4));
        assert_eq!(
            doc.get("c").and_then(Node::items).map(<[Node]>::len),
            Some(2)
        );
        assert!(doc.map_at("a").is_err());
        assert_eq!(doc.map_at("zzz"), Ok(None));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.line.is_some());
        assert_eq!(
            parse("").unwrap().entries().map(<[(Node, Node)]>::len),
            Some(0)
        );
    }
}
