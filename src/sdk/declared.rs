//! Which libraries the project around an init declares: the dependencies its lockfiles and
//! manifests name, for rules that depend on what else the project uses (AI clients, job queues,
//! GraphQL and database clients).
//!
//! The sources are the ones [`Installed::lookup`](super::Installed::lookup) reads, in the same
//! order, through the same cache: each file is parsed once per run, whichever asks first, and
//! keeps every dependency name it declares ([`Names`]) beside its Sentry entries.
//!
//! - Python: a requirement in a manifest (`requirements*.txt` with its `-r` files, but not its
//!   `-c` constraints, which install nothing; `pyproject.toml`, `setup.cfg`, `Pipfile`), or a
//!   package in a lockfile (`uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`). Names compare
//!   PEP 503-normalised.
//! - npm: a direct dependency in the package.json of the package the init belongs to (the
//!   nearest one) or in the workspace root's, or a package in a lockfile (the entries where the
//!   init would resolve it first, then any).

use std::path::{Path, PathBuf};

use super::cache::{Cache, FileKind};
use super::installed::Ecosystem;
use super::names::normalise_python;
use super::{npm, python};

/// A dependency a manifest or lockfile declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The package: PEP 503-normalised for Python (`langchain-core`), the real package for npm
    /// (the target of an `npm:` alias).
    pub name: String,
    /// The file that declares it (absolute, lexically normalised).
    pub source: PathBuf,
    /// 1-based line in that file where it is named.
    pub line: Option<usize>,
}

/// A name asked for: exact, or a prefix (`langchain*`, `@langchain/*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// The whole name.
    Exact(String),
    /// The start of the name (the text before `*`).
    Prefix(String),
}

impl Pattern {
    /// A pattern as written by a rule; Python names are normalised (a prefix too, so that
    /// `langchain_*` matches `langchain-core`).
    pub fn new(text: &str, eco: Ecosystem) -> Pattern {
        let text = text.trim();
        let (stem, prefix) = match text.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (text, false),
        };
        let stem = match eco {
            Ecosystem::Python => normalise_python(stem),
            Ecosystem::Npm => stem.to_string(),
        };
        if prefix {
            Pattern::Prefix(stem)
        } else {
            Pattern::Exact(stem)
        }
    }

    /// Whether a declared name (normalised, for Python) matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Exact(n) => name == n,
            Pattern::Prefix(p) => name.starts_with(p.as_str()),
        }
    }
}

/// The dependency names one file declares, in file order, each with its 1-based line.
#[derive(Debug, Default)]
pub(crate) struct Names(Vec<(String, usize)>);

impl Names {
    /// Add a name at a line.
    pub fn push(&mut self, name: impl Into<String>, line: usize) {
        self.0.push((name.into(), line));
    }

    /// The first name (in file order) that matches.
    pub fn find(&self, pattern: &Pattern) -> Option<(String, usize)> {
        self.0
            .iter()
            .find(|(n, _)| pattern.matches(n))
            .map(|(n, l)| (n.clone(), *l))
    }
}

/// The first of `names` that the sources around an init in `init_dir` declare; `dirs` are the
/// folders of the lookup (the init's folder up to the repository root). Each name is looked
/// for in every source (lockfiles, nearest first, then manifests) before the next name.
pub(crate) fn search(
    cache: &mut Cache,
    eco: Ecosystem,
    names: &[&str],
    init_dir: &Path,
    dirs: &[PathBuf],
) -> Option<Declared> {
    let patterns: Vec<Pattern> = names.iter().map(|n| Pattern::new(n, eco)).collect();
    if patterns.is_empty() {
        return None;
    }
    let sources = sources(cache, eco, dirs);
    for pattern in &patterns {
        for (kind, path) in &sources {
            let found = match eco {
                Ecosystem::Python => python::declared(cache, *kind, path, pattern),
                Ecosystem::Npm => npm::declared(cache, *kind, path, pattern, init_dir),
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The files to ask, in order: the ecosystem's lockfiles in every folder, nearest first, then
/// its manifests (Python: all of them, nearest first; npm: the nearest package.json and the
/// workspace root's).
fn sources(cache: &mut Cache, eco: Ecosystem, dirs: &[PathBuf]) -> Vec<(FileKind, PathBuf)> {
    let mut out: Vec<(FileKind, PathBuf)> = Vec::new();
    for dir in dirs {
        let listing = cache.dir(dir);
        out.extend(
            listing
                .lockfiles
                .iter()
                .filter(|(k, _)| k.ecosystem() == eco)
                .cloned(),
        );
    }
    match eco {
        Ecosystem::Python => {
            for dir in dirs {
                let listing = cache.dir(dir);
                out.extend(
                    listing
                        .manifests
                        .iter()
                        .filter(|(k, _)| k.ecosystem() == eco)
                        .cloned(),
                );
            }
        }
        Ecosystem::Npm => {
            for path in npm::own_manifests(cache, dirs) {
                out.push((FileKind::PackageJson, path));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_exact_names_and_prefixes() {
        let p = Pattern::new("langchain*", Ecosystem::Python);
        assert!(p.matches("langchain-core") && p.matches("langchain"));
        assert!(!p.matches("openai"));
        let p = Pattern::new("LangChain_*", Ecosystem::Python);
        assert_eq!(p, Pattern::Prefix("langchain-".into()));
        assert!(p.matches("langchain-openai") && !p.matches("langchain"));
        let p = Pattern::new("Mistral_AI", Ecosystem::Python);
        assert!(p.matches("mistral-ai") && !p.matches("mistralai"));
        let p = Pattern::new("@langchain/*", Ecosystem::Npm);
        assert!(p.matches("@langchain/openai") && !p.matches("langchain"));
        let p = Pattern::new("ai", Ecosystem::Npm);
        assert!(p.matches("ai") && !p.matches("ai-sdk") && !p.matches("AI"));
    }

    #[test]
    fn names_answer_in_file_order() {
        let mut names = Names::default();
        names.push("langchain-openai", 3);
        names.push("langchain-core", 7);
        let p = Pattern::new("langchain*", Ecosystem::Python);
        assert_eq!(names.find(&p), Some(("langchain-openai".into(), 3)));
        assert_eq!(names.find(&Pattern::new("celery", Ecosystem::Python)), None);
    }
}
