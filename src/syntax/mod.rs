//! Parsing: tree-sitter's trees (a parser cached per thread, walks without recursion) and syntax
//! errors, confirmed.
//!
//! tree-sitter builds the tree that extraction and fixes read, and it recovers from any error,
//! but its grammars also reject some valid code (TypeScript type arguments before a template
//! literal, `import("m")` types, a bare `&` in JSX text, `export type * from`, `in`/`out`
//! variance, ...). A syntax error is reported only when a conformance-tested parser
//! ([`strict`]) rejects the file too, and its message and location are that parser's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use tree_sitter::{Node, Parser, Tree};

use crate::fix::Span;
use crate::source::{Lang, SourceFile};

pub mod strict;

pub use strict::Verdict;

thread_local! {
    static PARSERS: RefCell<HashMap<Lang, Parser>> = RefCell::new(HashMap::new());
}

fn grammar(lang: Lang) -> tree_sitter::Language {
    match lang {
        Lang::Python => tree_sitter_python::LANGUAGE.into(),
        Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Lang::Data => unreachable!("event data is never parsed as source"),
    }
}

/// Parse with this thread's parser for the language.
pub fn parse(lang: Lang, text: &str) -> Tree {
    parse_with(lang, text, None)
}

fn parse_with(lang: Lang, text: &str, old: Option<&Tree>) -> Tree {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let parser = parsers.entry(lang).or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&grammar(lang))
                .expect("bundled grammar matches the tree-sitter version");
            p
        });
        parser
            .parse(text, old)
            .expect("parsing without a timeout or cancellation always returns a tree")
    })
}

/// The text before a fix and its tree: a fixed text is parsed incrementally from them, reusing
/// the subtrees that the fix's spans did not touch.
#[derive(Clone, Copy)]
pub struct Prior<'a> {
    pub tree: &'a Tree,
    pub spans: &'a [Span],
}

/// Parse `new`, which is `old` with `spans` replaced, reusing `tree` (the tree of `old`): the
/// same tree as [`parse`] gives, in a fraction of the time when the spans are small.
pub fn parse_edited(lang: Lang, old: &str, tree: &Tree, spans: &[Span], new: &str) -> Tree {
    let mut edited = tree.clone();
    // From the last span to the first, so that each edit's positions are those of `old`.
    let mut shift: isize = spans
        .iter()
        .map(|s| s.new_len as isize - s.old.len() as isize)
        .sum();
    for span in spans.iter().rev() {
        shift -= span.new_len as isize - span.old.len() as isize;
        let start = span.old.start;
        let in_new = (start as isize + shift) as usize;
        let start_position = point_at(old, start);
        let inserted = &new[in_new..in_new + span.new_len];
        edited.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: span.old.end,
            new_end_byte: start + span.new_len,
            start_position,
            old_end_position: point_at(old, span.old.end),
            new_end_position: advance(start_position, inserted),
        });
    }
    let tree = parse_with(lang, new, Some(&edited));
    debug_assert!(
        same_tree(tree.root_node(), parse(lang, new).root_node()),
        "an incremental parse differs from a full one"
    );
    tree
}

/// The row and byte column of `at` in `text`.
fn point_at(text: &str, at: usize) -> tree_sitter::Point {
    let before = &text.as_bytes()[..at];
    match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => {
            tree_sitter::Point::new(before.iter().filter(|&&b| b == b'\n').count(), at - nl - 1)
        }
        None => tree_sitter::Point::new(0, at),
    }
}

/// Where `inserted` ends when written at `from`.
fn advance(from: tree_sitter::Point, inserted: &str) -> tree_sitter::Point {
    let end = point_at(inserted, inserted.len());
    if end.row == 0 {
        tree_sitter::Point::new(from.row, from.column + end.column)
    } else {
        tree_sitter::Point::new(from.row + end.row, end.column)
    }
}

/// Whether two trees have the same nodes (kinds, byte ranges, error and missing flags) in the
/// same shape.
pub fn same_tree(a: Node, b: Node) -> bool {
    let (mut x, mut y) = (a.walk(), b.walk());
    loop {
        let (n, m) = (x.node(), y.node());
        if n.kind_id() != m.kind_id()
            || n.byte_range() != m.byte_range()
            || n.is_error() != m.is_error()
            || n.is_missing() != m.is_missing()
            || x.field_id() != y.field_id()
        {
            return false;
        }
        let (down_x, down_y) = (x.goto_first_child(), y.goto_first_child());
        if down_x != down_y {
            return false;
        }
        if down_x {
            continue;
        }
        loop {
            let (next_x, next_y) = (x.goto_next_sibling(), y.goto_next_sibling());
            if next_x != next_y {
                return false;
            }
            if next_x {
                break;
            }
            let (up_x, up_y) = (x.goto_parent(), y.goto_parent());
            if up_x != up_y {
                return false;
            }
            if !up_x {
                return true;
            }
        }
    }
}

/// The syntax error of a file whose tree has error nodes, as the strict parser sees it: `None`
/// when the file is valid after all. When the strict parser cannot judge the file (Flow, or a
/// tree too deep), tree-sitter's own error stands.
pub fn confirm(file: &SourceFile, tree: &Tree) -> Option<(Range<usize>, String)> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    confirm_at(file, root, depth(root))
}

/// [`confirm`] from the tree's root and its depth, already known.
pub fn confirm_at(file: &SourceFile, root: Node, depth: usize) -> Option<(Range<usize>, String)> {
    if !root.has_error() {
        return None;
    }
    match strict::check(file.lang, &file.path, &file.text, depth) {
        Verdict::Valid => None,
        Verdict::Invalid(range, message) => Some((range, message)),
        Verdict::Unknown => Some(first_error(root, &file.text)),
    }
}

/// How deep a tree is.
pub fn depth(root: Node) -> usize {
    let mut cursor = root.walk();
    let mut depth = 0;
    let mut max = 0;
    loop {
        max = max.max(depth);
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return max;
            }
            depth -= 1;
        }
    }
}

/// Where the first syntax error is, and what it is, as tree-sitter sees it: the innermost error or
/// missing node inside the first ERROR node (tree-sitter often wraps a whole statement around the
/// real error).
pub fn first_error(root: Node, src: &str) -> (Range<usize>, String) {
    let mut found: Option<Node> = None;
    walk(root, |n| {
        if let Some(f) = found {
            if n.start_byte() >= f.end_byte() && !(n.is_missing() && n.start_byte() == f.end_byte())
            {
                return false;
            }
        }
        if n.is_missing() || n.is_error() {
            found = Some(n);
        }
        n.has_error()
    });
    let Some(n) = found else {
        return (0..0, "syntax error".into());
    };
    if n.is_missing() {
        return (
            n.start_byte()..n.end_byte(),
            format!("missing `{}`", n.kind()),
        );
    }
    let text = &src[n.byte_range()];
    let first_line = text.lines().next().unwrap_or("").trim();
    let shown: String = first_line.chars().take(40).collect();
    let end = n.start_byte() + text.lines().next().map(str::len).unwrap_or(0);
    (
        n.start_byte()..end.max(n.start_byte() + 1).min(src.len()),
        if shown.is_empty() {
            "unexpected end of file".to_string()
        } else {
            format!("unexpected `{shown}`")
        },
    )
}

/// Refuse a rewrite of the file at `path` that adds a syntax error: the strict parser must accept
/// the new text when it accepted the old, and tree-sitter (whose tree later passes and fixes
/// read) must parse it without errors when it did so before.
pub fn reparse_guard(lang: Lang, path: &Path, old: &str, new: &str) -> Result<(), String> {
    reparse_guarded(lang, path, old, None, new, |_| ()).map(|_| ())
}

/// [`reparse_guard`], giving tree-sitter's tree of the new text when it passes, with what `then`
/// makes of its nodes (extraction reuses them instead of parsing and walking again). With the
/// old text's tree and the fix's spans, the new text is parsed incrementally.
pub fn reparse_guarded<R>(
    lang: Lang,
    path: &Path,
    old: &str,
    prior: Option<Prior>,
    new: &str,
    then: impl FnOnce(&Flat) -> R,
) -> Result<(Tree, R), String> {
    // The old text is parsed only when the new one has a problem that it might share.
    let old_tree = std::cell::OnceCell::new();
    let old_tree = || match prior {
        Some(p) => p.tree,
        None => old_tree.get_or_init(|| parse(lang, old)),
    };
    let new_tree = match prior {
        Some(p) => parse_edited(lang, old, p.tree, p.spans, new),
        None => parse(lang, new),
    };
    let flat = Flat::new(new_tree.root_node());
    let new_depth = flat.depth;
    let line_of = |at: usize| new[..at.min(new.len())].matches('\n').count() + 1;
    let not_parsed = |range: &Range<usize>, message: &str| {
        format!(
            "the fixed text would not parse (line {}: {message})",
            line_of(range.start)
        )
    };
    if lang == Lang::Python {
        // One parse of the new text says both whether it parses and what Python it needs.
        if let Some(needs) = strict::python_needs(new, new_depth) {
            let old_needs = || strict::python_needs(old, depth(old_tree().root_node()));
            if let Some((range, message)) = &needs.error {
                if old_needs().is_some_and(|o| o.error.is_none()) {
                    return Err(not_parsed(range, message));
                }
            } else if !needs.newer.is_empty() {
                if let Some((range, message)) =
                    old_needs().and_then(|o| strict::newer_than(&o, &needs))
                {
                    return Err(format!(
                        "the fixed text would not parse on the Python versions the file supports (line {}: {message})",
                        line_of(range.start)
                    ));
                }
            }
        }
    } else if let Verdict::Invalid(range, message) = strict::check(lang, path, new, new_depth) {
        let strict_old = strict::check(lang, path, old, depth(old_tree().root_node()));
        if !matches!(strict_old, Verdict::Invalid(..)) {
            return Err(not_parsed(&range, &message));
        }
    }
    if new_tree.root_node().has_error() && !old_tree().root_node().has_error() {
        let (range, message) = first_error(new_tree.root_node(), new);
        return Err(not_parsed(&range, &message));
    }
    let made = then(&flat);
    drop(flat);
    Ok((new_tree, made))
}

/// A tree's nodes in pre-order, gathered in one walk with where each subtree ends and how deep
/// the tree is: the walks of an extraction and the depth the strict parsers are gated on read it
/// instead of walking the tree again (a tree-sitter cursor is the slow part of a walk).
pub struct Flat<'t> {
    nodes: Vec<Node<'t>>,
    /// For each node, the index just after its subtree.
    ends: Vec<u32>,
    /// As [`depth`] gives it.
    pub depth: usize,
}

impl<'t> Flat<'t> {
    pub fn new(root: Node<'t>) -> Flat<'t> {
        let size = root.descendant_count();
        let mut nodes = Vec::with_capacity(size);
        let mut ends = Vec::with_capacity(size);
        // The indices of the nodes whose subtrees the walk is in.
        let mut open: Vec<usize> = Vec::new();
        let mut cursor = root.walk();
        let mut depth = 0;
        loop {
            let i = nodes.len();
            nodes.push(cursor.node());
            ends.push(i as u32 + 1);
            if cursor.goto_first_child() {
                open.push(i);
                depth = depth.max(open.len());
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return Flat { nodes, ends, depth };
                }
                if let Some(parent) = open.pop() {
                    ends[parent] = nodes.len() as u32;
                }
            }
        }
    }

    /// The root of the tree.
    pub fn root(&self) -> Node<'t> {
        self.nodes[0]
    }

    /// [`walk`] of the whole tree.
    pub fn walk(&self, mut f: impl FnMut(Node<'t>) -> bool) {
        let mut i = 0;
        while i < self.nodes.len() {
            i = if f(self.nodes[i]) {
                i + 1
            } else {
                self.ends[i] as usize
            };
        }
    }
}

/// Pre-order walk without recursion; `f` returns whether to descend into the node's children.
pub fn walk<'t>(root: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if f(node) && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{apply_spans, Edit, Fix};

    /// Apply `edits` to `old` as one fix, then parse the result incrementally from the old tree.
    fn edited(lang: Lang, old: &str, edits: Vec<Edit>) -> (String, Tree) {
        let fix = Fix::safe("t", edits);
        let applied = apply_spans(old, &[&fix]);
        assert_eq!(applied.fixes, vec![0]);
        let tree = parse(lang, old);
        let new = parse_edited(lang, old, &tree, &applied.spans, &applied.text);
        (applied.text, new)
    }

    #[test]
    fn an_incremental_parse_gives_the_full_parse_tree() {
        let py = "import os\r\nimport sentry_sdk\r\n\r\nsentry_sdk.init(\r\n    dsn=os.environ[\"DSN\"],\r\n    send_default_pii=True,\r\n)\r\n";
        let at = |s: &str| py.find(s).unwrap();
        let pii = at("True");
        // An import line at the top (a newline written as the file's \r\n), a value replaced,
        // and an option added before the closing parenthesis: three spans, two of them
        // changing the number of lines.
        let (text, tree) = edited(
            Lang::Python,
            py,
            vec![
                Edit::insert(at("import sentry_sdk"), "from x import y\n"),
                Edit::replace(pii..pii + 4, "False"),
                Edit::insert(at(")\r\n"), "    include_local_variables=False,\n"),
            ],
        );
        assert!(text.contains("from x import y\r\nimport sentry_sdk"));
        assert!(text.contains("send_default_pii=False,\r\n    include_local_variables=False,\r\n)"));
        assert!(same_tree(
            tree.root_node(),
            parse(Lang::Python, &text).root_node()
        ));
        assert!(!tree.root_node().has_error());

        let ts = "import * as Sentry from \"@sentry/react\";\n\nSentry.init({ dsn: DSN, sendDefaultPii: true });\n";
        let yes = ts.find("true").unwrap();
        let (text, tree) = edited(
            Lang::Tsx,
            ts,
            vec![
                Edit::replace(yes..yes + 4, "false"),
                Edit::insert(ts.len(), "// end\n"),
            ],
        );
        assert!(same_tree(
            tree.root_node(),
            parse(Lang::Tsx, &text).root_node()
        ));
        // Deleting text, and an edit that leaves a syntax error: the error is where a full parse
        // puts it.
        let open = ts.find('{').unwrap();
        let (text, tree) = edited(Lang::Tsx, ts, vec![Edit::replace(open..open + 1, "")]);
        assert!(tree.root_node().has_error());
        assert!(same_tree(
            tree.root_node(),
            parse(Lang::Tsx, &text).root_node()
        ));
    }

    #[test]
    fn flat_walks_visit_what_cursor_walks_visit() {
        let texts = [
            (
                Lang::Python,
                "def f(a):\n    if a:\n        return [a, (1, 2)]\n    return None\n",
            ),
            (Lang::Python, ""),
            (
                Lang::Tsx,
                "const A = () => <div className=\"x\">{items.map((i) => <b>{i}</b>)}</div>;\n",
            ),
            (Lang::TypeScript, "function broken( {\n"),
        ];
        for (lang, text) in texts {
            let tree = parse(lang, text);
            let root = tree.root_node();
            let flat = Flat::new(root);
            assert_eq!(flat.depth, depth(root), "{text}");
            assert_eq!(flat.root(), root);
            // Every node, and with the subtrees of some kinds skipped.
            for skip in [
                None,
                Some("block"),
                Some("arguments"),
                Some("jsx_element"),
                Some("ERROR"),
            ] {
                let (mut by_cursor, mut by_flat) = (Vec::new(), Vec::new());
                walk(root, |n| {
                    by_cursor.push(n.id());
                    Some(n.kind()) != skip
                });
                flat.walk(|n| {
                    by_flat.push(n.id());
                    Some(n.kind()) != skip
                });
                assert_eq!(by_cursor, by_flat, "{text} skipping {skip:?}");
                if skip.is_none() {
                    assert_eq!(by_flat.len(), root.descendant_count());
                }
            }
        }
    }

    #[test]
    fn trees_that_differ_are_told_apart() {
        let a = parse(Lang::Python, "x = 1\n");
        let b = parse(Lang::Python, "x = 12\n");
        let c = parse(Lang::Python, "x = [1]\n");
        assert!(same_tree(a.root_node(), a.root_node()));
        assert!(!same_tree(a.root_node(), b.root_node()));
        assert!(!same_tree(a.root_node(), c.root_node()));
    }

    fn guard(lang: Lang, old: &str, new: &str) -> Result<(), String> {
        let name = match lang {
            Lang::Python => "t.py",
            Lang::TypeScript => "t.ts",
            Lang::Tsx => "t.tsx",
            Lang::Data => return Err("event data is never rewritten".into()),
        };
        reparse_guard(lang, Path::new(name), old, new)
    }

    #[test]
    fn guard_refuses_new_syntax_errors() {
        assert!(guard(Lang::Python, "x = 1\n", "x = 2\n").is_ok());
        let err = guard(Lang::Python, "x = 1\n", "x = (2\n").unwrap_err();
        assert!(err.contains("would not parse"), "{err}");
        assert!(guard(Lang::Tsx, "f({a: 1})", "f({a: 1)").is_err());
        // What only the strict parser sees.
        assert!(guard(Lang::Python, "f(a=1)\n", "f(a=1, a=2)\n").is_err());
    }

    #[test]
    fn guard_accepts_valid_code_that_tree_sitter_rejects() {
        // tree-sitter rejects both texts; the strict parser accepts both.
        let old = "const A = styled.div<{ $x: number }>`a`;\nf({ a: true });\n";
        let new = "const A = styled.div<{ $x: number }>`a`;\nf({ a: false });\n";
        assert!(parse(Lang::TypeScript, old).root_node().has_error());
        assert!(guard(Lang::TypeScript, old, new).is_ok());
        let broken = "const A = styled.div<{ $x: number }>`a`;\nf({ a: false );\n";
        assert!(guard(Lang::TypeScript, old, broken).is_err());
    }

    #[test]
    fn depth_of_a_tree() {
        let shallow = parse(Lang::Python, "x = 1\n");
        let deep = parse(Lang::Python, "x = ((((1))))\n");
        assert!(depth(deep.root_node()) >= depth(shallow.root_node()) + 4);
    }

    #[test]
    fn confirmed_errors_are_the_strict_parsers() {
        let valid = SourceFile::new(
            "a.ts".into(),
            "a.ts".into(),
            Lang::TypeScript,
            "interface I<in out T> { v: T }\n".into(),
        );
        let tree = parse(valid.lang, &valid.text);
        assert!(tree.root_node().has_error());
        assert_eq!(confirm(&valid, &tree), None);
        let broken = SourceFile::new(
            "b.py".into(),
            "b.py".into(),
            Lang::Python,
            "x = {\"a\": 1 \"b\": 2}\n".into(),
        );
        let tree = parse(broken.lang, &broken.text);
        let (range, message) = confirm(&broken, &tree).expect("an error");
        assert_eq!(&broken.text[range], "\"b\"");
        assert!(message.starts_with("Expected"), "{message}");
    }
}
