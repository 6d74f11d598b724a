//! The strict parsers: conformance-tested, and used to confirm what tree-sitter calls an error.
//!
//! - JavaScript and TypeScript: `oxc_parser`, which passes the Test262, Babel and TypeScript
//!   parser suites. `.ts`/`.mts`/`.cts` are TypeScript, `.tsx` TypeScript with JSX, `.js`/`.mjs`/
//!   `.cjs`/`.jsx` JavaScript with JSX (as React projects write `.js`); a top-level `return` (a
//!   CommonJS wrapper allows it) is accepted.
//! - Python: Ruff's parser (the copy published as `littrs-ruff-python-parser`), which follows
//!   CPython's grammar up to 3.14: PEP 701 f-strings, PEP 695 type parameters, PEP 750
//!   t-strings, `match`, `except*`.
//!
//! Both descend recursively, so each runs on a thread of its own with a large stack, and a text
//! whose tree is deeper than [`MAX_DEPTH`] is not given to them.

use std::ops::Range;
use std::path::Path;

use oxc_allocator::Allocator;
use oxc_span::SourceType;

use crate::source::Lang;

/// The deepest syntax tree (as tree-sitter builds it) handed to the strict parsers: with
/// [`STACK`], more than 100 KiB of stack for each level.
pub const MAX_DEPTH: usize = 2000;

/// Stack of the thread a strict parser runs on (reserved, touched only as deep as it goes).
const STACK: usize = 256 * 1024 * 1024;

/// What the strict parser says of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It parses.
    Valid,
    /// The first syntax error: its byte range (at least one character where the text has one)
    /// and the parser's message.
    Invalid(Range<usize>, String),
    /// The strict parser cannot judge this text (Flow, or nested too deep to parse safely).
    Unknown,
}

/// The dialect a path is parsed as.
#[derive(Debug, Clone, Copy)]
enum Dialect {
    Python,
    Js(SourceType),
}

fn dialect(lang: Lang, path: &Path) -> Dialect {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match lang {
        Lang::Python => Dialect::Python,
        Lang::TypeScript => Dialect::Js(match ext {
            "mts" => SourceType::ts().with_module(true),
            "cts" => SourceType::ts().with_commonjs(true),
            _ => SourceType::ts(),
        }),
        Lang::Tsx => Dialect::Js(match ext {
            "tsx" => SourceType::tsx(),
            "mjs" => SourceType::mjs().with_jsx(true),
            "cjs" => SourceType::cjs().with_jsx(true),
            _ => SourceType::jsx(),
        }),
        Lang::Data => unreachable!("event data is never parsed as source"),
    }
    .declaration(path)
}

impl Dialect {
    /// `.d.ts` files (and `.d.mts`, `.d.css.ts`, ...) hold declarations only.
    fn declaration(self, path: &Path) -> Dialect {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match self {
            Dialect::Js(st) if st.is_typescript() && !st.is_jsx() && name.contains(".d.") => {
                Dialect::Js(st.with_typescript_definition(true))
            }
            d => d,
        }
    }
}

/// Parse `text` (the file at `path`, which decides the dialect) with the strict parser; `depth`
/// is the depth of its tree-sitter tree, which bounds how deep the parser will recurse.
pub fn check(lang: Lang, path: &Path, text: &str, depth: usize) -> Verdict {
    let dialect = dialect(lang, path);
    on_parser_stack(depth, move || match dialect {
        Dialect::Python => python(text),
        Dialect::Js(st) => javascript(text, st),
    })
    .unwrap_or(Verdict::Unknown)
}

/// Syntax that older Python versions reject (an f-string reusing its own quotes, from 3.12;
/// `match`, from 3.10; ...), from one parse of `text` aimed at Python 3.7: where each is and Ruff's
/// message, and the first syntax error, if any. `None` when the text is too deep to parse safely.
pub fn python_needs(text: &str, depth: usize) -> Option<PythonNeeds> {
    on_parser_stack(depth, move || {
        let options = ruff_python_parser::ParseOptions::from(ruff_python_parser::Mode::Module)
            .with_target_version(ruff_python_ast::PythonVersion::PY37);
        let parsed = ruff_python_parser::parse_unchecked(text, options);
        let place =
            |start: usize, end: usize| widen(text, start.min(text.len()), end.min(text.len()));
        PythonNeeds {
            error: parsed.errors().first().map(|e| {
                let at = e.location;
                (
                    place(usize::from(at.start()), usize::from(at.end())),
                    e.error.to_string(),
                )
            }),
            newer: parsed
                .unsupported_syntax_errors()
                .iter()
                .map(|e| {
                    (
                        place(usize::from(e.range.start()), usize::from(e.range.end())),
                        e.to_string(),
                    )
                })
                .collect(),
        }
    })
}

/// What [`python_needs`] finds.
#[derive(Debug, Clone, Default)]
pub struct PythonNeeds {
    /// The first syntax error.
    pub error: Option<(Range<usize>, String)>,
    /// Each use of syntax that Python 3.7 rejects.
    pub newer: Vec<(Range<usize>, String)>,
}

/// The syntax of `new` that `old` did not already use (compared by message, counting repeats).
pub fn newer_than(old: &PythonNeeds, new: &PythonNeeds) -> Option<(Range<usize>, String)> {
    let mut before: Vec<&String> = old.newer.iter().map(|(_, m)| m).collect();
    new.newer
        .iter()
        .find(|(_, m)| match before.iter().position(|b| *b == m) {
            Some(k) => {
                before.swap_remove(k);
                false
            }
            None => true,
        })
        .cloned()
}

/// Trees at most this deep are parsed on the calling thread: the strict parsers take about
/// 2.5 KiB of stack per level of tree-sitter's tree in a debug build (nested lists, calls, unary
/// and binary operators), so 48 levels stay far inside the smallest stack the tool's threads have
/// (2 MiB), while a thread of its own costs more than the parse of a small file.
const INLINE_DEPTH: usize = 48;

/// Run a strict parser on a thread with a stack of its own (on this thread when the tree is
/// shallow); `None` when the text is too deep to parse safely or no thread could be had.
fn on_parser_stack<T: Send>(depth: usize, run: impl FnOnce() -> T + Send) -> Option<T> {
    if depth > MAX_DEPTH {
        return None;
    }
    if depth <= INLINE_DEPTH {
        return Some(run());
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("strict-parser".into())
            .stack_size(STACK)
            .spawn_scoped(s, run)
            .ok()
            .and_then(|handle| handle.join().ok())
    })
}

fn python(text: &str) -> Verdict {
    match ruff_python_parser::parse_module(text) {
        Ok(_) => Verdict::Valid,
        Err(e) => {
            let start = usize::from(e.location.start()).min(text.len());
            let end = usize::from(e.location.end()).min(text.len());
            Verdict::Invalid(widen(text, start, end), e.error.to_string())
        }
    }
}

fn javascript(text: &str, source_type: SourceType) -> Verdict {
    let allocator = Allocator::default();
    let options = oxc_parser::ParseOptions {
        allow_return_outside_function: true,
        ..oxc_parser::ParseOptions::default()
    };
    let ret = oxc_parser::Parser::new(&allocator, text, source_type)
        .with_options(options)
        .parse();
    if ret.is_flow_language {
        return Verdict::Unknown;
    }
    let first = ret
        .errors
        .iter()
        .map(|d| {
            let span = d
                .labels
                .as_ref()
                .and_then(|ls| ls.iter().find(|l| l.primary()).or_else(|| ls.first()))
                .map(|l| l.offset()..l.offset() + l.len());
            (span, d.message.to_string())
        })
        .min_by_key(|(span, _)| span.as_ref().map_or(usize::MAX, |s| s.start));
    match first {
        None => Verdict::Valid,
        Some((span, message)) => {
            let span = span.unwrap_or(0..0);
            let start = span.start.min(text.len());
            let end = span.end.min(text.len());
            Verdict::Invalid(widen(text, start, end), message)
        }
    }
}

/// A range on character boundaries, at least one character long where the text has one.
fn widen(text: &str, mut start: usize, mut end: usize) -> Range<usize> {
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    end = end.max(start);
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(text: &str) -> Verdict {
        check(Lang::Python, Path::new("t.py"), text, 0)
    }

    fn js(name: &str, text: &str) -> Verdict {
        check(
            Lang::from_path(Path::new(name)).unwrap(),
            Path::new(name),
            text,
            0,
        )
    }

    #[test]
    fn modern_python_is_valid() {
        assert_eq!(py("x = f\"{'a' + \"b\"}\"\n"), Verdict::Valid);
        assert_eq!(py("type Pair[T] = tuple[T, T]\n"), Verdict::Valid);
        assert_eq!(py("def f[T](x: T) -> T:\n    return x\n"), Verdict::Valid);
        assert_eq!(
            py("match p:\n    case {\"a\": 1}:\n        pass\n"),
            Verdict::Valid
        );
        assert_eq!(
            py("try:\n    pass\nexcept* ValueError:\n    pass\n"),
            Verdict::Valid
        );
    }

    #[test]
    fn python_errors_come_with_the_parsers_message_and_place() {
        let text = "x = {\"a\": 1 \"b\": 2}\n";
        let Verdict::Invalid(range, message) = py(text) else {
            panic!("not rejected")
        };
        assert_eq!(&text[range], "\"b\"");
        assert!(message.contains("Expected"), "{message}");
        assert!(matches!(py("f(a=1, a=2)\n"), Verdict::Invalid(..)));
        assert!(matches!(py("x = (1\n"), Verdict::Invalid(..)));
    }

    #[test]
    fn typescript_that_tree_sitter_rejects_is_valid() {
        let cases = [
            (
                "a.ts",
                "const A = styled.div<{ $x: number }>`color: red;`;\n",
            ),
            (
                "a.ts",
                "const rows = await prisma.$queryRaw<{ v: string }[]>`SELECT 1`;\n",
            ),
            ("a.ts", "f<typeof import(\"m\")>();\n"),
            ("a.ts", "f<import(\"x\").T>();\n"),
            ("a.ts", "export type * from \"./types\";\n"),
            ("a.ts", "interface I<in out T> { v: T }\n"),
            ("a.tsx", "const a = <p>R&D</p>;\n"),
            ("a.tsx", "const a = <a href=\"?a=1&b=2\">x</a>;\n"),
            ("a.js", "const a = <p>R&D</p>;\n"),
            ("a.cjs", "if (done) return;\nmodule.exports = {};\n"),
            ("a.d.ts", "declare const x: number;\n"),
        ];
        for (name, text) in cases {
            assert_eq!(js(name, text), Verdict::Valid, "{name}: {text}");
        }
    }

    #[test]
    fn javascript_errors_come_with_the_parsers_message_and_place() {
        let text = "Sentry.captureMessage(m, { level: \"info\" };\n";
        let Verdict::Invalid(range, message) = js("a.tsx", text) else {
            panic!("not rejected")
        };
        assert_eq!(range.start, text.find(';').unwrap());
        assert!(!message.is_empty());
        // TypeScript is not JavaScript.
        assert!(matches!(
            js("a.js", "let x: number = 1;\n"),
            Verdict::Invalid(..)
        ));
        assert!(matches!(
            js("a.ts", "const a = <p>x</p>;\n"),
            Verdict::Invalid(..)
        ));
    }

    #[test]
    fn newer_python_syntax_is_named() {
        let needs = |t: &str| python_needs(t, 0).expect("parsed");
        let old = needs("x = f\"{a['k']}\"\n");
        let same = needs("x = f\"{a['j']}\"\n");
        let newer_text = "x = f\"{a[\"k\"]}\"\n";
        let newer = needs(newer_text);
        assert!(old.error.is_none() && newer.error.is_none());
        assert_eq!(newer_than(&old, &same), None);
        let (range, message) = newer_than(&old, &newer).expect("3.12 syntax");
        assert!(message.contains("3.12"), "{message}");
        assert!(range.start > 0 && range.end <= newer_text.len());
        // Already there before: not new.
        assert_eq!(newer_than(&newer, &newer), None);
        assert!(needs("x = (1\n").error.is_some());
        assert!(python_needs("x = 1\n", MAX_DEPTH + 1).is_none());
    }

    #[test]
    fn deep_trees_are_not_parsed() {
        let deep = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(
            check(Lang::Python, Path::new("t.py"), &deep, MAX_DEPTH + 1),
            Verdict::Unknown
        );
        // As deep as allowed, on the parser's own thread.
        let ok = format!("x = {}1{};\n", "[".repeat(1900), "]".repeat(1900));
        assert_eq!(
            check(Lang::TypeScript, Path::new("a.ts"), &ok, MAX_DEPTH),
            Verdict::Valid
        );
        let ok = format!("x = {}1{}\n", "(".repeat(190), ")".repeat(190));
        assert_eq!(py(&ok), Verdict::Valid);
    }
}
