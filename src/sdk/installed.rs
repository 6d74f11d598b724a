//! Which SDK version governs an init: the lockfiles, then the manifests, in the folders from the
//! init's file up to the repository root.
//!
//! Lockfiles come first, nearest folder first, across all ancestors: they say what is installed.
//! Only when no lockfile names the package are manifests asked, nearest first: they say what may
//! be installed. Within one folder the order is fixed (see [`FileKind`](super::cache::FileKind)).
//! A source that does not name the package is skipped; a source that cannot be used (broken,
//! unreadable, an unparseable version) gives one [`Warning`] and is skipped too.
//!
//! The same walk, through the same cache, says which other packages the project declares
//! ([`Installed::declares`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use super::cache::{Answer, Cache, Hit};
use super::declared::{self, Declared};
use super::read::Problem;
use super::version::VersionSpec;
use super::{names, npm, python};

/// The package ecosystem of an init.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    /// `sentry-sdk` from PyPI.
    Python,
    /// `@sentry/*` from npm.
    Npm,
}

/// The version that governs an init, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The package: `sentry-sdk` (PEP 503-normalised), `@sentry/react`.
    pub package: String,
    /// `Exact` when locked, else the requirement as written.
    pub spec: VersionSpec,
    /// The file it came from (absolute, lexically normalised).
    pub source: PathBuf,
    /// 1-based line in that file where the version (or the requirement) is written.
    pub line: Option<usize>,
}

/// A lockfile or manifest that could not be used, or an answer to be careful with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// The file concerned.
    pub path: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong, for a person.
    pub message: String,
}

impl Warning {
    /// A warning about `path`.
    pub(crate) fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// A file's problem as a warning.
    pub(crate) fn from_problem(path: &Path, problem: Problem) -> Warning {
        Warning::new(path, problem.line, problem.message)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The package an init needs, in order of preference.
#[derive(Debug, Clone)]
pub(crate) struct Wanted {
    /// The package the init imports (npm: its package name; Python: normalised).
    pub first: Option<String>,
    /// Whether any other SDK package of the same release line will do (npm).
    pub any_sdk: bool,
}

/// Finds and remembers installed SDK versions and declared dependencies; each file is read and
/// parsed at most once.
#[derive(Debug, Default)]
pub struct Installed {
    /// Folders listed, files parsed and problems reported so far.
    cache: Cache,
    /// [`Installed::declares`] answers by init folder, ecosystem and names asked.
    declared: HashMap<DeclaresKey, Option<Declared>>,
}

/// What a [`Installed::declares`] answer depends on: the init's folder, the ecosystem, the names.
type DeclaresKey = (PathBuf, Ecosystem, Vec<String>);

/// Which of the two passes over the folders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// What is installed.
    Lockfiles,
    /// What may be installed.
    Manifests,
}

impl Installed {
    /// An empty cache.
    pub fn new() -> Installed {
        Installed::default()
    }

    /// The version that governs an init in `file`.
    ///
    /// For npm, `imported` is the package the init imports (`@sentry/react`, or an import path
    /// such as `@sentry/nextjs/client`); it is looked for first in each source, then any other
    /// SDK package of the same release line (`@sentry/core` if present, else the first by name).
    /// For Python the package is `sentry-sdk` unless `imported` names another distribution.
    pub fn lookup(&mut self, file: &Path, eco: Ecosystem, imported: Option<&str>) -> Option<Found> {
        let file = absolute(file);
        let init_dir = file.parent()?;
        let dirs = self.ancestors(init_dir);
        let wanted = wanted(eco, imported);
        for pass in [Pass::Lockfiles, Pass::Manifests] {
            for dir in &dirs {
                let listing = self.cache.dir(dir);
                let sources = match pass {
                    Pass::Lockfiles => &listing.lockfiles,
                    Pass::Manifests => &listing.manifests,
                };
                for (kind, path) in sources.iter().filter(|(k, _)| k.ecosystem() == eco) {
                    let answer: Answer = match eco {
                        Ecosystem::Python => python::answer(&mut self.cache, *kind, path, &wanted),
                        Ecosystem::Npm => {
                            npm::answer(&mut self.cache, *kind, path, &wanted, init_dir, &dirs)
                        }
                    };
                    match answer {
                        Some(Ok(hit)) => return Some(self.found(hit)),
                        Some(Err(warning)) => self.cache.warn(warning),
                        None => {}
                    }
                }
            }
        }
        None
    }

    /// The first of `names` (exact package names, or prefixes ending in `*` such as
    /// `"langchain*"`, `"@langchain/*"`) that the manifests and lockfiles around `file` declare,
    /// searching the same folders in the same order as [`lookup`](Installed::lookup) (lockfiles
    /// first, nearest folder first; stop at the folder holding `.git`). Python names compare
    /// PEP 503-normalised.
    ///
    /// Names are tried in the order given: each is looked for in every source before the next.
    /// For npm a manifest counts when it is the init's nearest package.json or the workspace
    /// root's; a lockfile counts whichever member installs the package (the entries where the
    /// init would resolve it are preferred for the line). For Python, a requirements file counts
    /// with its `-r` files but not its `-c` constraints. Answers are remembered per folder.
    pub fn declares(&mut self, file: &Path, eco: Ecosystem, names: &[&str]) -> Option<Declared> {
        let file = absolute(file);
        let init_dir = file.parent()?;
        let key = (
            init_dir.to_path_buf(),
            eco,
            names.iter().map(|n| (*n).to_string()).collect(),
        );
        if let Some(answer) = self.declared.get(&key) {
            return answer.clone();
        }
        let dirs = self.ancestors(init_dir);
        let answer = declared::search(&mut self.cache, eco, names, init_dir, &dirs);
        self.declared.insert(key, answer.clone());
        answer
    }

    /// Warnings collected so far (each file's problem reported once), drained by the caller.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        self.cache.take_warnings()
    }

    /// A source's answer as the public result, reporting its note.
    fn found(&mut self, hit: Hit) -> Found {
        if let Some(note) = hit.note {
            self.cache.warn(note);
        }
        Found {
            package: hit.package,
            spec: hit.spec,
            source: hit.source,
            line: hit.line,
        }
    }

    /// `dir` and its ancestors, up to and including the first that holds `.git`.
    fn ancestors(&mut self, dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut current = Some(dir);
        while let Some(d) = current {
            out.push(d.to_path_buf());
            if self.cache.dir(d).has_git {
                break;
            }
            current = d.parent();
        }
        out
    }
}

/// The preference list for an init.
fn wanted(eco: Ecosystem, imported: Option<&str>) -> Wanted {
    match eco {
        Ecosystem::Python => Wanted {
            first: Some(
                imported
                    .map(names::normalise_python)
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "sentry-sdk".to_string()),
            ),
            any_sdk: false,
        },
        Ecosystem::Npm => {
            let first = imported
                .map(names::npm_package_of)
                .filter(|p| !p.is_empty())
                .map(str::to_string);
            let any_sdk = first.as_deref().is_none_or(names::is_sdk);
            Wanted { first, any_sdk }
        }
    }
}

/// `path` made absolute against the working directory, with `.` and `..` resolved lexically.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_show_path_and_line() {
        let w = Warning::new(Path::new("a/uv.lock"), Some(3), "bad");
        assert_eq!(w.to_string(), "a/uv.lock:3: bad");
        let w = Warning::new(Path::new("a/uv.lock"), None, "bad");
        assert_eq!(w.to_string(), "a/uv.lock: bad");
    }

    #[test]
    fn absolute_resolves_dots() {
        let p = absolute(Path::new("/a/b/../c/./d.py"));
        assert_eq!(p, PathBuf::from("/a/c/d.py"));
    }

    #[test]
    fn preference_lists() {
        let w = wanted(Ecosystem::Npm, Some("@sentry/nextjs/client"));
        assert_eq!(w.first.as_deref(), Some("@sentry/nextjs"));
        assert!(w.any_sdk);
        let w = wanted(Ecosystem::Npm, Some("@sentry/react-native"));
        assert!(!w.any_sdk);
        let w = wanted(Ecosystem::Python, Some("sentry_sdk"));
        assert_eq!(w.first.as_deref(), Some("sentry-sdk"));
    }
}
