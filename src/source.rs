//! Source files: text, language and the byte offset → line/column index.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// The grammar family a file is parsed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// `.py`, `.pyi`
    Python,
    /// `.ts`, `.mts`, `.cts`: the TypeScript grammar (no JSX, allows `<T>x` casts).
    TypeScript,
    /// `.tsx`, `.jsx`, `.js`, `.mjs`, `.cjs`: the TSX grammar (JSX).
    Tsx,
    /// Event data read by `audit-events` (events, envelopes, replay recordings): never parsed as
    /// source, and never picked by extension.
    Data,
}

impl Lang {
    /// The language of a path, by its extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        match ext {
            "py" | "pyi" => Some(Lang::Python),
            "ts" | "mts" | "cts" => Some(Lang::TypeScript),
            "tsx" | "jsx" | "js" | "mjs" | "cjs" => Some(Lang::Tsx),
            _ => None,
        }
    }

    pub fn is_python(self) -> bool {
        self == Lang::Python
    }
}

/// One file, read and decoded. Byte offsets used everywhere in the model refer to `text`, which
/// never contains the UTF-8 byte order mark (`bom` says whether the file had one).
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown to the user: relative to the working directory where possible, with `/`.
    pub display: String,
    /// The path used to read (and later write) the file.
    pub path: PathBuf,
    pub lang: Lang,
    pub text: String,
    pub bom: bool,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(display: String, path: PathBuf, lang: Lang, text: String) -> SourceFile {
        let (text, bom) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_string(), true),
            None => (text, false),
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            display,
            path,
            lang,
            text,
            bom,
            line_starts,
        }
    }

    /// The same file with new text (after fixes); the byte order mark is kept.
    pub fn with_text(&self, text: String) -> SourceFile {
        let mut f = SourceFile::new(self.display.clone(), self.path.clone(), self.lang, text);
        f.bom = self.bom;
        f
    }

    /// The bytes to write: the text with its byte order mark, if it had one.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The source text of a byte range.
    pub fn slice(&self, range: Range<usize>) -> &str {
        &self.text[range]
    }
}

/// Does this text name Sentry as code does? A file is a candidate for extraction when it imports
/// a Sentry package (a `@sentry/...` module specifier) or names `Sentry.` (or `Sentry?.`),
/// `sentry_sdk` or `sentryOnLoad` as whole identifiers: `tracesEntry`, `isEntry` or `mySentry.`
/// do not count. A byte scan: one vectorised search for `entry`, then a look at its neighbours.
pub fn names_sentry(bytes: &[u8]) -> bool {
    let finder = memchr::memmem::Finder::new(b"entry");
    finder
        .find_iter(bytes)
        .any(|i| i > 0 && sentry_token_at(bytes, i - 1))
}

/// Is there a Sentry token at `s`, where `bytes[s + 1..]` starts with `entry`?
fn sentry_token_at(bytes: &[u8], s: usize) -> bool {
    let before = s.checked_sub(1).map(|k| bytes[k]);
    let after = |n: usize| bytes.get(s + n).copied();
    let rest = &bytes[s + 6..];
    match bytes[s] {
        b'S' => {
            if before.is_some_and(is_ident_byte) {
                return false;
            }
            // `Sentry.x`, `Sentry?.x`, across white space.
            let next = rest
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map(|k| &rest[k..]);
            next.is_some_and(|r| r.starts_with(b".") || r.starts_with(b"?."))
        }
        b's' => {
            if before == Some(b'@') {
                // A module specifier: `"@sentry/react"`, `'@sentry/node/preload'`.
                return after(6) == Some(b'/');
            }
            if before.is_some_and(is_ident_byte) {
                return false;
            }
            let word = |w: &[u8]| {
                rest.starts_with(w) && !rest.get(w.len()).copied().is_some_and(is_ident_byte)
            };
            word(b"_sdk") || word(b"OnLoad")
        }
        _ => false,
    }
}

/// A byte that can be part of an identifier: ASCII letters, digits, `_`, `$`, and any byte of a
/// non-ASCII character.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentry_tokens() {
        for yes in [
            "import * as Sentry from \"@sentry/react\";",
            "const { init } = require('@sentry/node');",
            "import(\"@sentry/browser\").then(m => m)",
            "Sentry.init({})",
            "window.Sentry.init({})",
            "window.Sentry?.init({})",
            "Sentry\n  .init({})",
            "import sentry_sdk",
            "from sentry_sdk.integrations.django import DjangoIntegration",
            "__import__(\"sentry_sdk\")",
            "window.sentryOnLoad = function () {};",
            "x = 1\nimport sentry_sdk",
        ] {
            assert!(names_sentry(yes.as_bytes()), "{yes}");
        }
        for no in [
            "const tracesEntry = 1;",
            "if (isEntry) {}",
            "radiusEntry.value",
            "mySentry.init()",
            "sentry.init()",
            "Sentry",
            "import Sentry",
            "sentry_sdk_extra = 1",
            "my_sentry_sdk = 1",
            "sentryOnLoadX()",
            "the sentry docs",
            "@sentry",
            "SENTRY_DSN = os.environ[\"SENTRY_DSN\"]",
            "entry",
            "",
        ] {
            assert!(!names_sentry(no.as_bytes()), "{no}");
        }
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.py".into(), "t.py".into(), Lang::Python, text.into())
    }

    #[test]
    fn line_and_char_columns() {
        let f = file("ab\néé x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'x' is at byte 3 + 4 + 1 = 8, the 4th character of line 2.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn bom_is_stripped_and_remembered() {
        let f = file("\u{feff}x = 1\n");
        assert!(f.bom);
        assert_eq!(f.text, "x = 1\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn languages_by_extension() {
        assert_eq!(Lang::from_path(Path::new("a/b.pyi")), Some(Lang::Python));
        assert_eq!(
            Lang::from_path(Path::new("a/b.mts")),
            Some(Lang::TypeScript)
        );
        assert_eq!(Lang::from_path(Path::new("a/b.jsx")), Some(Lang::Tsx));
        assert_eq!(Lang::from_path(Path::new("a/b.cjs")), Some(Lang::Tsx));
        assert_eq!(Lang::from_path(Path::new("a/b.rs")), None);
        assert_eq!(Lang::from_path(Path::new("Makefile")), None);
    }
}
