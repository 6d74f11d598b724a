//! npm sources of the installed `@sentry/*` packages: lockfiles (`package-lock.json`,
//! `npm-shrinkwrap.json`, `pnpm-lock.yaml`, `yarn.lock`, `bun.lock`) and `package.json`.
//!
//! Each source is asked for the package the init imports first, then for any other SDK package
//! it names ([`prefer`]); lockfiles of monorepos answer for the init's workspace member first.
//! The same sources say which other packages the init's package declares ([`declared`]).

mod lock;
mod manifest;
mod yarn;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(crate) use lock::{
    parse_bun_lock, parse_package_lock, parse_pnpm_lock, parse_pnpm_workspace, BunLock,
    PackageLock, PnpmLock,
};
pub(crate) use manifest::{parse_package_json, PackageJson};
pub(crate) use yarn::{parse_yarn_lock, YarnLock};

use super::cache::{Answer, Cache, FileKind, Hit, Parsed};
use super::declared::{Declared, Pattern};
use super::installed::{Wanted, Warning};
use super::names::is_sdk;
use super::version::{Version, VersionSpec};

/// What an npm source says about the wanted package, for an init in `init_dir`; `dirs` are the
/// folders of the lookup (the init's folder up to the repository root).
pub(crate) fn answer(
    cache: &mut Cache,
    kind: FileKind,
    path: &Path,
    wanted: &Wanted,
    init_dir: &Path,
    dirs: &[PathBuf],
) -> Answer {
    let parsed = cache.parsed(path, kind);
    let folder = path.parent()?;
    let scope = scope(init_dir, folder);
    match &*parsed {
        Parsed::PackageJson(pj) => prefer(
            wanted,
            |pkg| manifest::find(cache, pj, pkg, path, dirs),
            || pj.packages(),
        ),
        Parsed::PackageLock(lock) => prefer(
            wanted,
            |pkg| lock.find(pkg, &scope, path),
            || lock.packages(&scope),
        ),
        Parsed::Pnpm(lock) => prefer(
            wanted,
            |pkg| lock.find(pkg, &scope, path),
            || lock.packages(&scope),
        ),
        Parsed::Bun(lock) => prefer(
            wanted,
            |pkg| lock.find(pkg, &scope, path),
            || lock.packages(&scope),
        ),
        Parsed::Yarn(lock) => {
            let ranges = manifest::ranges(cache, init_dir, folder);
            prefer(
                wanted,
                |pkg| lock.find(pkg, ranges.get(pkg).map(String::as_str), path),
                || lock.packages(),
            )
        }
        _ => None,
    }
}

/// The first package matching `pattern` that an npm source declares, for an init in
/// `init_dir`: a direct dependency in a package.json, or a package in a lockfile (where the
/// init would resolve it first, then anywhere).
pub(crate) fn declared(
    cache: &mut Cache,
    kind: FileKind,
    path: &Path,
    pattern: &Pattern,
    init_dir: &Path,
) -> Option<Declared> {
    let parsed = cache.parsed(path, kind);
    let scope = scope(init_dir, path.parent()?);
    let (name, line) = match &*parsed {
        Parsed::PackageJson(pj) => pj.declared.find(pattern),
        Parsed::PackageLock(lock) => lock.declared(pattern, &scope),
        Parsed::Pnpm(lock) => lock.declared(pattern, &scope),
        Parsed::Bun(lock) => lock.declared(pattern, &scope),
        Parsed::Yarn(lock) => lock.declared(pattern),
        _ => None,
    }?;
    Some(Declared {
        name,
        source: path.to_path_buf(),
        line: Some(line),
    })
}

/// The package.json files whose dependencies the init's package has: the nearest one among
/// `dirs` (the init's folder upwards), and the workspace root's (the nearest folder from there
/// up with workspace patterns), when that is another.
pub(crate) fn own_manifests(cache: &mut Cache, dirs: &[PathBuf]) -> Vec<PathBuf> {
    let package_json = |cache: &mut Cache, dir: &Path| {
        cache
            .dir(dir)
            .manifests
            .iter()
            .find(|(k, _)| *k == FileKind::PackageJson)
            .map(|(_, p)| p.clone())
    };
    let mut out = Vec::new();
    let Some(nearest) = dirs.iter().position(|d| package_json(cache, d).is_some()) else {
        return out;
    };
    out.extend(package_json(cache, &dirs[nearest]));
    let root = dirs[nearest..]
        .iter()
        .find(|d| manifest::workspace_patterns(cache, d).is_some());
    if let Some(path) = root.and_then(|d| package_json(cache, d)) {
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// Ask a source for the imported package, then (when allowed) for another SDK package it
/// names: `@sentry/core` if present, else the first by name.
fn prefer(
    wanted: &Wanted,
    mut find: impl FnMut(&str) -> Answer,
    names: impl FnOnce() -> BTreeSet<String>,
) -> Answer {
    if let Some(first) = &wanted.first {
        if let Some(answer) = find(first) {
            return Some(answer);
        }
    }
    if !wanted.any_sdk {
        return None;
    }
    let names = names();
    let sdk: Vec<&String> = names.iter().filter(|n| is_sdk(n)).collect();
    let pick = sdk
        .iter()
        .find(|n| n.as_str() == "@sentry/core")
        .or_else(|| sdk.first())?;
    find(pick)
}

/// The init's folder relative to a source's folder, and its ancestors up to the source's
/// folder itself (`""`): `["apps/web/src", "apps/web", "apps", ""]`.
pub(crate) fn scope(init_dir: &Path, folder: &Path) -> Vec<String> {
    let Ok(rel) = init_dir.strip_prefix(folder) else {
        return vec![String::new()];
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (0..=parts.len())
        .rev()
        .map(|n| parts[..n].join("/"))
        .collect()
}

/// A locked npm version: exact semver; a location (`file:`, `link:`, git) is unknown.
pub(crate) fn locked_version(text: &str, package: &str) -> Result<VersionSpec, String> {
    let text = text.trim();
    if text.contains(':') || text.contains('/') {
        return Ok(VersionSpec::unknown(text));
    }
    Version::parse_semver(text)
        .map(VersionSpec::Exact)
        .ok_or_else(|| format!("unparseable version `{text}` for {package}"))
}

/// An answer from a lockfile entry.
pub(crate) fn hit(
    package: &str,
    spec: Result<VersionSpec, String>,
    path: &Path,
    line: usize,
) -> Result<Hit, Warning> {
    match spec {
        Ok(spec) => Ok(Hit {
            package: package.to_string(),
            spec,
            source: path.to_path_buf(),
            line: Some(line),
            note: None,
        }),
        Err(message) => Err(Warning::new(path, Some(line), message)),
    }
}

/// Several locked versions of one package that nothing chooses between: all of them, with a
/// warning that says why.
pub(crate) fn several(
    package: &str,
    found: Vec<(String, usize)>,
    why: &str,
    path: &Path,
) -> Answer {
    let (_, first_line) = found.first()?.clone();
    let mut versions = Vec::new();
    for (text, line) in &found {
        match locked_version(text, package) {
            Ok(VersionSpec::Exact(v)) => versions.push(v),
            Ok(other) => return Some(hit(package, Ok(other), path, *line)),
            Err(message) => return Some(Err(Warning::new(path, Some(*line), message))),
        }
    }
    let spec = VersionSpec::any_of(versions);
    let note = matches!(spec, VersionSpec::AnyOf(_)).then(|| {
        Warning::new(
            path,
            Some(first_line),
            format!(
                "{package} is locked at several versions ({}) and {why}; any of them may be installed",
                super::python::versions_list(&spec)
            ),
        )
    });
    Some(hit(package, Ok(spec), path, first_line).map(|h| Hit { note, ..h }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_run_from_the_init_to_the_source() {
        assert_eq!(
            scope(Path::new("/r/apps/web/src"), Path::new("/r")),
            ["apps/web/src", "apps/web", "apps", ""]
        );
        assert_eq!(scope(Path::new("/r"), Path::new("/r")), [""]);
        assert_eq!(scope(Path::new("/x"), Path::new("/r")), [""]);
    }

    #[test]
    fn preference_picks_core_then_first() {
        let wanted = Wanted {
            first: Some("@sentry/react".into()),
            any_sdk: true,
        };
        let names = || {
            ["@sentry/browser", "@sentry/cli", "@sentry/core"]
                .map(String::from)
                .into_iter()
                .collect()
        };
        let mut asked = Vec::new();
        prefer(
            &wanted,
            |p| {
                asked.push(p.to_string());
                None
            },
            names,
        );
        assert_eq!(asked, ["@sentry/react", "@sentry/core"]);
    }
}
