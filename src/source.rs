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

#[cfg(test)]
mod tests {
    use super::*;

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
