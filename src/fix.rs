//! Fixes: edits by byte range from the syntax tree, applied without overlaps, checked by re-parsing,
//! written atomically.

use std::io::Write;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

/// How sure a fix is to keep the program's intent (ruff's three levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Advice only: never applied.
    DisplayOnly,
    /// Changes behaviour or adds code: applied with `--unsafe-fixes`.
    Unsafe,
    /// Applied with `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `range` (byte offsets of the file's text, BOM excluded) with `content`. Newlines in
/// `content` are written as `\n` and converted to the file's line ending when applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Edit {
        Edit {
            range,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            content: content.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        let mut edits = edits;
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            applicability,
            message: message.into(),
            edits,
        }
    }

    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, message, edits)
    }

    pub fn unsafe_edit(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Unsafe, message, edits)
    }

    pub fn display_only(message: impl Into<String>) -> Fix {
        Fix::new(Applicability::DisplayOnly, message, vec![])
    }

    /// Is it applied at this level (`unsafe_fixes` = `--unsafe-fixes`)?
    pub fn applies(&self, unsafe_fixes: bool) -> bool {
        !self.edits.is_empty()
            && match self.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => unsafe_fixes,
                Applicability::DisplayOnly => false,
            }
    }
}

/// Two edits conflict when they overlap or touch: the order of their results would be ambiguous.
fn conflicts(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The file's line ending: `\r\n` when it has any, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Apply the fixes that do not conflict with one applied before them (in order of position);
/// the others wait for the next pass, and so do the fixes that touch a waiting one, so that which
/// fixes go first does not depend on unrelated fixes elsewhere in the file. An edit identical to
/// one already applied (the same import added for two inits) is shared, not a conflict. Returns
/// the new text and the indices of the applied fixes.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let applied = apply_spans(text, fixes);
    (applied.text, applied.fixes)
}

/// Where an applied edit changed the text: the replaced range of the old text and the length of
/// what replaced it (line endings as written), so that a parser can reuse the rest of its tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub old: Range<usize>,
    pub new_len: usize,
}

/// The result of [`apply_spans`].
pub struct Applied {
    pub text: String,
    /// The indices of the applied fixes.
    pub fixes: Vec<usize>,
    /// The changed spans, in order of position, none overlapping.
    pub spans: Vec<Span>,
}

/// [`apply`], telling also where the text changed.
pub fn apply_spans(text: &str, fixes: &[&Fix]) -> Applied {
    let newline = line_ending(text);
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| fixes[i].edits.first().map(|e| (e.range.start, e.range.end)));
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut waiting: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for i in order {
        let fix = fixes[i];
        let broken = fix.edits.is_empty()
            || fix
                .edits
                .iter()
                .any(|e| e.range.end > text.len() || e.range.start > e.range.end)
            || fix
                .edits
                .windows(2)
                .any(|w| conflicts(&w[0].range, &w[1].range));
        if broken {
            continue;
        }
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !accepted.contains(e)).collect();
        let blocked = new.iter().any(|e| {
            accepted
                .iter()
                .chain(waiting.iter())
                .any(|a| conflicts(&a.range, &e.range))
        });
        if blocked {
            waiting.extend(new);
            continue;
        }
        accepted.extend(new);
        applied.push(i);
    }
    accepted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut spans: Vec<Span> = Vec::with_capacity(accepted.len());
    let mut last = 0;
    for e in accepted {
        out.push_str(&text[last..e.range.start]);
        let at = out.len();
        if newline == "\n" {
            out.push_str(&e.content);
        } else {
            out.push_str(&e.content.replace("\r\n", "\n").replace('\n', newline));
        }
        // Edits that touch (an insertion at the end of a replaced range) make one span.
        match spans.last_mut() {
            Some(prev) if prev.old.end == e.range.start => {
                prev.old.end = e.range.end;
                prev.new_len += out.len() - at;
            }
            _ => spans.push(Span {
                old: e.range.clone(),
                new_len: out.len() - at,
            }),
        }
        last = e.range.end;
    }
    out.push_str(&text[last..]);
    applied.sort_unstable();
    Applied {
        text: out,
        fixes: applied,
        spans,
    }
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, the original's
/// permissions, then a rename. Symbolic links are never replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(std::io::Error::other(
            "is a symbolic link; not replaced by a file",
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".sentry-privacy-audit-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), meta.permissions())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::safe("t", edits)
    }

    #[test]
    fn applies_in_position_order_and_defers_conflicts() {
        let text = "a = 1\nb = 2\n";
        let f1 = fix(vec![Edit::replace(4..5, "10")]);
        let f2 = fix(vec![Edit::replace(10..11, "20")]);
        let f3 = fix(vec![Edit::replace(4..5, "99")]);
        let (out, applied) = apply(text, &[&f2, &f1, &f3]);
        assert_eq!(out, "a = 10\nb = 20\n");
        assert_eq!(applied, vec![0, 1]);
    }

    #[test]
    fn insertions_at_one_point_conflict() {
        let f1 = fix(vec![Edit::insert(0, "x")]);
        let f2 = fix(vec![Edit::insert(0, "y")]);
        let (out, applied) = apply("z", &[&f1, &f2]);
        assert_eq!(out, "xz");
        assert_eq!(applied, vec![0]);
    }

    #[test]
    fn identical_edits_are_shared() {
        // Two inits that each need the same import line.
        let import = Edit::insert(0, "import x\n");
        let f1 = fix(vec![import.clone(), Edit::insert(5, ", a=1")]);
        let f2 = fix(vec![import, Edit::insert(12, ", a=1")]);
        let (out, applied) = apply("f(b=1)\ng(b=1)\n", &[&f1, &f2]);
        assert_eq!(out, "import x\nf(b=1, a=1)\ng(b=1, a=1)\n");
        assert_eq!(applied, vec![0, 1]);
    }

    #[test]
    fn fixes_touching_a_waiting_fix_wait_too() {
        // f2 waits for f1 (same import point, other content); f3 inserts where f2 would, so it
        // waits as well instead of going first.
        let f1 = fix(vec![
            Edit::insert(0, "import x\n"),
            Edit::insert(5, ", a=1"),
        ]);
        let f2 = fix(vec![
            Edit::insert(0, "import y\n"),
            Edit::insert(12, ", c=3"),
        ]);
        let f3 = fix(vec![Edit::insert(12, ", d=4")]);
        let (out, applied) = apply("f(b=1)\ng(b=1)\n", &[&f1, &f2, &f3]);
        assert_eq!(out, "import x\nf(b=1, a=1)\ng(b=1)\n");
        assert_eq!(applied, vec![0]);
    }

    #[test]
    fn crlf_files_get_crlf_insertions() {
        let text = "a(\r\n    x=1,\r\n)\r\n";
        let f = fix(vec![Edit::insert(12, "\n    y=2,")]);
        assert_eq!(apply(text, &[&f]).0, "a(\r\n    x=1,\r\n    y=2,\r\n)\r\n");
    }

    #[test]
    fn atomic_write_keeps_permissions_and_refuses_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.py");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let link = dir.path().join("link.py");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        assert!(write_atomic(&link, b"x").is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
