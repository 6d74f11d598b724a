//! Finding the files to check: walk folders honouring .gitignore/.ignore (also outside git), skip
//! dependency and build folders, apply excludes, pick languages by extension, read and decode, and
//! keep the candidates: files that import a Sentry package or name Sentry's identifiers
//! ([`names_sentry`]), and the files the caller wants whatever they hold (customer-data routes,
//! modules an init imports).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::{Config, Excludes};
use crate::source::{Lang, SourceFile};

/// Folders never walked into.
pub const ALWAYS_SKIPPED: &[&str] = &[
    "node_modules",
    ".git",
    "dist",
    "build",
    ".next",
    ".nuxt",
    ".svelte-kit",
    "coverage",
    ".venv",
    "venv",
    "__pycache__",
    "site-packages",
    "vendor",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hg",
    ".svn",
];

/// Files larger than this are skipped.
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// A path that could not be checked, and why (shown as a one-line warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    /// A path argument that does not exist or cannot be read at all: the run fails (exit 2).
    pub fatal: bool,
}

/// The candidates below `paths`, read, in a stable order (by path). Folders are walked by several
/// threads, each reading and testing the files it reaches ([`read`]), so that walking and reading
/// overlap and only candidates are kept; `wanted` says which files are read whatever they hold
/// (customer-data routes). A file named in `paths` is always read. Files that are not
/// candidates are dropped; files that cannot be read come back as [`ReadOutcome::Skipped`].
pub fn candidates(
    paths: &[PathBuf],
    config: &Config,
    cli_excludes: &Excludes,
    wanted: &(dyn Fn(&Path) -> bool + Sync),
    skipped: &mut Vec<Skipped>,
) -> Vec<(PathBuf, ReadOutcome)> {
    let found: Mutex<Vec<(PathBuf, ReadOutcome)>> = Mutex::new(Vec::new());
    let keep = |path: PathBuf, outcome: ReadOutcome| {
        if !matches!(outcome, ReadOutcome::NotCandidate) {
            found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, outcome));
        }
    };
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                skipped.push(Skipped {
                    path: display_path(path),
                    reason: io_reason(&e),
                    fatal: true,
                });
                continue;
            }
        };
        if meta.is_file() {
            // Named explicitly: listed whatever its folder (pre-commit passes file lists).
            if Lang::from_path(path).is_some() {
                keep(path.clone(), read_if(path, || wanted(path)));
            }
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(path);
        builder
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .ignore(true)
            .parents(true)
            .follow_links(false);
        let excludes_cfg = config.exclude.clone();
        let excludes_cli = cli_excludes.clone();
        builder.filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if is_dir
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| ALWAYS_SKIPPED.contains(&n))
            {
                return false;
            }
            !(excludes_cfg.is_excluded(e.path()) || excludes_cli.is_excluded(e.path()))
        });
        let errors: Mutex<Vec<Skipped>> = Mutex::new(Vec::new());
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file())
                            && Lang::from_path(e.path()).is_some()
                        {
                            let outcome = read_if(e.path(), || wanted(e.path()));
                            keep(e.into_path(), outcome);
                        }
                    }
                    Err(err) => {
                        let p = match &err {
                            ignore::Error::WithPath { path: p, .. } => display_path(p),
                            _ => display_path(path),
                        };
                        errors
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(Skipped {
                                path: p,
                                reason: err.to_string(),
                                fatal: false,
                            });
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        skipped.extend(errors);
    }
    let mut out = found.into_inner().unwrap_or_else(|e| e.into_inner());
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    if paths.len() < 2 {
        // One root: every path was reached once.
        return out;
    }
    // Several roots may overlap (a file and the project around it): the same file reached by two
    // spellings (`src/a.py` and `/repo/src/a.py`) is read once.
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .filter(|(p, _)| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())))
        .collect()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// How a path is shown: relative to the working directory where possible, with `/`.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| crate::config::relative_to(path, &cwd))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| path.to_string_lossy().into_owned());
    let shown = shown.replace('\\', "/");
    shown
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(shown)
}

pub use crate::source::names_sentry;

/// The environment variable that makes every source file a candidate (a debugging aid: it shows
/// what the parsers make of a whole repository; see `benches/public-repos.sh`).
pub const EVERY_FILE_ENV: &str = "SENTRY_PRIVACY_AUDIT_EVERY_FILE";

/// Whether [`EVERY_FILE_ENV`] is set (to anything but empty or `0`).
pub fn every_file() -> bool {
    std::env::var_os(EVERY_FILE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Outcome of reading a candidate.
pub enum ReadOutcome {
    File(SourceFile),
    /// Not a candidate (names no Sentry token and is not wanted).
    NotCandidate,
    Skipped(Skipped),
}

/// Read a file: size check, the candidate test (skipped for a file that is `wanted` whatever it
/// holds: a customer-data route, a module an init imports), then UTF-8 decoding. NUL bytes are
/// allowed in valid UTF-8 (string literals may hold them); a file with NUL bytes that does not
/// parse is skipped as binary later, once the parsers have said so ([`binary`]).
pub fn read(path: &Path, wanted: bool) -> ReadOutcome {
    read_if(path, || wanted)
}

/// [`read`], asking `wanted` only for a file that names no Sentry token (the question may cost
/// more than the token scan: a glob match of the path).
pub fn read_if(path: &Path, wanted: impl FnOnce() -> bool) -> ReadOutcome {
    let skip = |reason: String| {
        ReadOutcome::Skipped(Skipped {
            path: display_path(path),
            reason,
            fatal: false,
        })
    };
    let lang = match Lang::from_path(path) {
        Some(l) => l,
        None => return ReadOutcome::NotCandidate,
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return skip(format!("cannot be read: {}", io_reason(&e))),
    };
    let too_big = || {
        skip(format!(
            "larger than {} MiB, skipped",
            MAX_FILE_SIZE / 1024 / 1024
        ))
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_SIZE {
        return too_big();
    }
    // Sized from the metadata; still at most one byte past the limit, should the file grow.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    if let Err(e) = file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes) {
        return skip(format!("cannot be read: {}", io_reason(&e)));
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return too_big();
    }
    if !names_sentry(&bytes) && !wanted() {
        return ReadOutcome::NotCandidate;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return skip(if e.as_bytes().contains(&0) {
                "binary content (NUL byte), skipped".to_string()
            } else {
                format!("invalid UTF-8 at byte {at}, skipped")
            });
        }
    };
    ReadOutcome::File(SourceFile::new(
        display_path(path),
        path.to_path_buf(),
        lang,
        text,
    ))
}

/// A file read as text that holds NUL bytes and does not parse is binary after all: it is skipped
/// (with this reason) rather than reported as a syntax error.
pub fn binary(file: &SourceFile, parses: bool) -> Option<Skipped> {
    (!parses && file.text.contains('\0')).then(|| Skipped {
        path: file.display.clone(),
        reason: "binary content (NUL byte), skipped".into(),
        fatal: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, bytes: &[u8], wanted: bool) -> ReadOutcome {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        read(&p, wanted)
    }

    #[test]
    fn candidates_by_token() {
        let yes = read_text(
            "a.ts",
            b"import * as Sentry from \"@sentry/node\";\n",
            false,
        );
        assert!(matches!(yes, ReadOutcome::File(_)));
        let no = read_text("a.ts", b"const tracesEntry = isEntry;\n", false);
        assert!(matches!(no, ReadOutcome::NotCandidate));
        let wanted = read_text("a.ts", b"const tracesEntry = isEntry;\n", true);
        assert!(matches!(wanted, ReadOutcome::File(_)));
    }

    #[test]
    fn nul_in_valid_utf8_is_text() {
        let text = b"import * as Sentry from \"@sentry/node\";\nconst sep = \"a\0b\";\n";
        let ReadOutcome::File(f) = read_text("a.ts", text, false) else {
            panic!("not read")
        };
        assert!(f.text.contains('\0'));
        assert!(binary(&f, true).is_none());
        assert!(binary(&f, false).is_some());
        let ReadOutcome::Skipped(s) = read_text("a.ts", b"Sentry.init\0\xff\xfe", false) else {
            panic!("not skipped")
        };
        assert!(s.reason.contains("binary"), "{}", s.reason);
        let ReadOutcome::Skipped(s) = read_text("a.ts", b"Sentry.init('\xff')", false) else {
            panic!("not skipped")
        };
        assert!(
            s.reason.contains("invalid UTF-8 at byte 13"),
            "{}",
            s.reason
        );
    }
}
