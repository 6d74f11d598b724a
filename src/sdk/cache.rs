//! What one run has learnt about the disk: each folder listed once, each lockfile and manifest
//! read and parsed once, and each problem reported once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::installed::{Ecosystem, Warning};
use super::read::{self, Problem};
use super::version::VersionSpec;
use super::{npm, python};

/// The files this module reads, by what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FileKind {
    UvLock,
    PoetryLock,
    PdmLock,
    PipfileLock,
    Requirements,
    Pyproject,
    SetupCfg,
    Pipfile,
    NpmShrinkwrap,
    PackageLock,
    PnpmLock,
    YarnLock,
    BunLock,
    PackageJson,
    PnpmWorkspace,
}

impl FileKind {
    /// Lockfiles, in the order they are tried within one folder.
    const LOCKFILES: &[(&str, FileKind)] = &[
        ("uv.lock", FileKind::UvLock),
        ("poetry.lock", FileKind::PoetryLock),
        ("pdm.lock", FileKind::PdmLock),
        ("Pipfile.lock", FileKind::PipfileLock),
        ("npm-shrinkwrap.json", FileKind::NpmShrinkwrap),
        ("package-lock.json", FileKind::PackageLock),
        ("pnpm-lock.yaml", FileKind::PnpmLock),
        ("yarn.lock", FileKind::YarnLock),
        ("bun.lock", FileKind::BunLock),
    ];

    /// Manifests with a fixed name, in the order they are tried within one folder (after the
    /// requirements files, which come first).
    const MANIFESTS: &[(&str, FileKind)] = &[
        ("Pipfile", FileKind::Pipfile),
        ("pyproject.toml", FileKind::Pyproject),
        ("setup.cfg", FileKind::SetupCfg),
        ("package.json", FileKind::PackageJson),
    ];

    /// The ecosystem whose installs this file describes.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            FileKind::UvLock
            | FileKind::PoetryLock
            | FileKind::PdmLock
            | FileKind::PipfileLock
            | FileKind::Requirements
            | FileKind::Pyproject
            | FileKind::SetupCfg
            | FileKind::Pipfile => Ecosystem::Python,
            _ => Ecosystem::Npm,
        }
    }
}

/// A parsed file, reduced to what lookups need.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// Absent, or broken (the problem was reported when it was read).
    Nothing,
    /// A Python lockfile or a manifest other than a requirements file.
    Python(python::Entries),
    /// A requirements file (its includes are followed at lookup).
    Requirements(python::Requirements),
    /// A package.json.
    PackageJson(npm::PackageJson),
    /// package-lock.json or npm-shrinkwrap.json.
    PackageLock(npm::PackageLock),
    /// pnpm-lock.yaml.
    Pnpm(npm::PnpmLock),
    /// yarn.lock, v1 or berry.
    Yarn(npm::YarnLock),
    /// bun.lock.
    Bun(npm::BunLock),
    /// pnpm-workspace.yaml's `packages` patterns.
    PnpmWorkspace(Vec<String>),
}

/// What one source says about one package.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    /// The package found (the real one behind an npm alias).
    pub package: String,
    /// The version or requirement.
    pub spec: VersionSpec,
    /// The file where the version is written.
    pub source: PathBuf,
    /// 1-based line of the version or requirement.
    pub line: Option<usize>,
    /// Something the user should know about this answer (several versions locked).
    pub note: Option<Warning>,
}

/// A source's answer: `None` when it does not name the package, an error when what it says
/// cannot be used (the next source is tried).
pub(crate) type Answer = Option<Result<Hit, Warning>>;

/// One folder's files of interest, found by listing it once.
#[derive(Debug, Default)]
pub(crate) struct Dir {
    /// It holds `.git` (a folder, or a file in a worktree): the search stops after it.
    pub has_git: bool,
    /// Lockfiles present, in the order they are tried.
    pub lockfiles: Vec<(FileKind, PathBuf)>,
    /// Requirements files first (`requirements.txt`, other `requirements*.txt`,
    /// `requirements/*.txt`, each group by name), then the fixed-name manifests.
    pub manifests: Vec<(FileKind, PathBuf)>,
    /// `pnpm-workspace.yaml`, when present.
    pub pnpm_workspace: Option<PathBuf>,
    /// Sub-folder names, for expanding workspace patterns.
    pub subdirs: Vec<String>,
}

/// The run's memory of folders, files and reported problems.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    /// Folder listings by path.
    dirs: HashMap<PathBuf, Arc<Dir>>,
    /// Parsed files by path (`Nothing` for absent or broken ones).
    files: HashMap<PathBuf, Arc<Parsed>>,
    /// Warnings not yet taken by the caller.
    warnings: Vec<Warning>,
    /// Every warning reported in this run, so that none is reported twice.
    reported: HashSet<Warning>,
}

impl Cache {
    /// The folder's files of interest (listed on first use).
    pub fn dir(&mut self, path: &Path) -> Arc<Dir> {
        if let Some(d) = self.dirs.get(path) {
            return d.clone();
        }
        let dir = Arc::new(list_dir(path));
        self.dirs.insert(path.to_path_buf(), dir.clone());
        dir
    }

    /// The parsed file (read on first use); problems are reported once and give `Nothing`.
    pub fn parsed(&mut self, path: &Path, kind: FileKind) -> Arc<Parsed> {
        if let Some(p) = self.files.get(path) {
            return p.clone();
        }
        let parsed = match read::text(path) {
            Ok(None) => Parsed::Nothing,
            Ok(Some(text)) => match parse(kind, &text) {
                Ok(p) => p,
                Err(problem) => {
                    self.warn(Warning::from_problem(path, problem));
                    Parsed::Nothing
                }
            },
            Err(problem) => {
                self.warn(Warning::from_problem(path, problem));
                Parsed::Nothing
            }
        };
        let parsed = Arc::new(parsed);
        self.files.insert(path.to_path_buf(), parsed.clone());
        parsed
    }

    /// Report a warning unless the same one was reported before.
    pub fn warn(&mut self, warning: Warning) {
        if self.reported.insert(warning.clone()) {
            self.warnings.push(warning);
        }
    }

    /// The warnings reported since the last call.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }
}

/// Parse a file's text by its kind.
fn parse(kind: FileKind, text: &str) -> Result<Parsed, Problem> {
    Ok(match kind {
        FileKind::UvLock | FileKind::PoetryLock | FileKind::PdmLock => {
            Parsed::Python(python::parse_toml_lock(text)?)
        }
        FileKind::PipfileLock => Parsed::Python(python::parse_pipfile_lock(text)?),
        FileKind::Requirements => Parsed::Requirements(python::parse_requirements(text)),
        FileKind::Pyproject => Parsed::Python(python::parse_pyproject(text)?),
        FileKind::SetupCfg => Parsed::Python(python::parse_setup_cfg(text)?),
        FileKind::Pipfile => Parsed::Python(python::parse_pipfile(text)?),
        FileKind::NpmShrinkwrap | FileKind::PackageLock => {
            Parsed::PackageLock(npm::parse_package_lock(text)?)
        }
        FileKind::PnpmLock => Parsed::Pnpm(npm::parse_pnpm_lock(text)?),
        FileKind::YarnLock => Parsed::Yarn(npm::parse_yarn_lock(text)?),
        FileKind::BunLock => Parsed::Bun(npm::parse_bun_lock(text)?),
        FileKind::PackageJson => Parsed::PackageJson(npm::parse_package_json(text)?),
        FileKind::PnpmWorkspace => Parsed::PnpmWorkspace(npm::parse_pnpm_workspace(text)?),
    })
}

/// List a folder once; an unreadable folder has nothing of interest.
fn list_dir(path: &Path) -> Dir {
    let mut dir = Dir::default();
    let Ok(entries) = std::fs::read_dir(path) else {
        return dir;
    };
    let mut requirements = Vec::new();
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name == ".git" {
            dir.has_git = true;
            continue;
        }
        let is_dir = is_dir(&entry);
        if is_dir {
            if name == "requirements" {
                requirements.extend(txt_files(&entry.path()));
            }
            dir.subdirs.push(name);
            continue;
        }
        if name.starts_with("requirements") && name.ends_with(".txt") {
            requirements.push((u8::from(name != "requirements.txt"), entry.path()));
        } else if name == "pnpm-workspace.yaml" {
            dir.pnpm_workspace = Some(entry.path());
        } else {
            found.push(name);
        }
    }
    requirements.sort();
    dir.subdirs.sort();
    for (name, kind) in FileKind::LOCKFILES {
        if found.iter().any(|f| f == name) {
            dir.lockfiles.push((*kind, path.join(name)));
        }
    }
    dir.manifests.extend(
        requirements
            .into_iter()
            .map(|(_, p)| (FileKind::Requirements, p)),
    );
    for (name, kind) in FileKind::MANIFESTS {
        if found.iter().any(|f| f == name) {
            dir.manifests.push((*kind, path.join(name)));
        }
    }
    dir
}

/// Whether a folder entry is a folder (following a symlink).
fn is_dir(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => entry.path().is_dir(),
        Ok(t) => t.is_dir(),
        Err(_) => false,
    }
}

/// The `.txt` files of a `requirements/` folder, sorted after the top-level ones.
fn txt_files(path: &Path) -> Vec<(u8, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| !is_dir(e))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (2, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: &[FileKind] = &[
        FileKind::UvLock,
        FileKind::PipfileLock,
        FileKind::Requirements,
        FileKind::Pyproject,
        FileKind::SetupCfg,
        FileKind::Pipfile,
        FileKind::PackageLock,
        FileKind::PnpmLock,
        FileKind::YarnLock,
        FileKind::BunLock,
        FileKind::PackageJson,
        FileKind::PnpmWorkspace,
    ];

    /// Every fixture file, cut at every line, parsed as every kind: errors, never panics.
    #[test]
    fn truncated_and_mistaken_files_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sdk");
        let mut stack = vec![root];
        let mut texts = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 50);
        for text in &texts {
            let cuts = text.match_indices('\n').map(|(i, _)| i).chain([text.len()]);
            for cut in cuts {
                for kind in KINDS {
                    let _ = parse(*kind, &text[..cut]);
                }
            }
        }
    }

    #[test]
    fn folders_list_requirements_first() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "requirements_dev.txt",
            "requirements.txt",
            "Pipfile",
            "pyproject.toml",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("requirements")).unwrap();
        std::fs::write(dir.path().join("requirements/base.txt"), "").unwrap();
        std::fs::write(dir.path().join("requirements/notes.md"), "").unwrap();
        let listing = list_dir(dir.path());
        let names: Vec<String> = listing
            .manifests
            .iter()
            .map(|(_, p)| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "requirements.txt",
                "requirements_dev.txt",
                "requirements/base.txt",
                "Pipfile",
                "pyproject.toml"
            ]
        );
        assert!(!listing.has_git);
    }
}
