//! Reading a lockfile or manifest: size and UTF-8 checks, and byte offsets as line numbers.

use std::io::Read;
use std::path::Path;

use crate::discover::MAX_FILE_SIZE;

/// What is wrong with one file, at a line where one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// 1-based line.
    pub line: Option<usize>,
    /// What is wrong, for a person.
    pub message: String,
}

impl Problem {
    /// A problem at a line.
    pub fn at(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line: Some(line),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn whole(message: impl Into<String>) -> Problem {
        Problem {
            line: None,
            message: message.into(),
        }
    }
}

/// The text of `path`, without a BOM; `Ok(None)` when it does not exist (or is not a file).
pub(crate) fn text(path: &Path) -> Result<Option<String>, Problem> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(&e)),
    };
    let meta = file.metadata().map_err(|e| cannot_read(&e))?;
    if !meta.is_file() {
        return Ok(None);
    }
    let too_big = || {
        Problem::whole(format!(
            "larger than {} MiB, not read",
            MAX_FILE_SIZE / 1024 / 1024
        ))
    };
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(&e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = line_of(e.as_bytes(), at);
        Problem::at(line, format!("not valid UTF-8 (byte {at}), not read"))
    })?;
    Ok(Some(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }))
}

/// The message for an I/O error.
fn cannot_read(e: &std::io::Error) -> Problem {
    let why = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Problem::whole(format!("cannot be read: {why}"))
}

/// The 1-based line of byte `offset` in `text` (offsets past the end count as the last line).
pub(crate) fn line_of(text: &[u8], offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text[..end].iter().filter(|&&b| b == b'\n').count()
}

/// Line numbers for many offsets in one text, by binary search over the line starts.
pub(crate) struct Lines {
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl Lines {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Lines { starts }
    }

    /// The 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let text = "a\nbc\n\nd";
        let lines = Lines::new(text);
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(1), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(5), 3);
        assert_eq!(lines.line(6), 4);
        assert_eq!(lines.line(99), 4);
        assert_eq!(line_of(text.as_bytes(), 6), 4);
    }

    #[test]
    fn missing_is_not_a_problem() {
        assert_eq!(text(Path::new("/nonexistent/for/sure/uv.lock")), Ok(None));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        std::fs::write(&path, b"ok\n\xff\n").unwrap();
        let err = text(&path).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("UTF-8"));
    }
}
