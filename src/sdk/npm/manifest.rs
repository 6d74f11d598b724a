//! `package.json`: the `@sentry/*` dependencies as written, the names of all its dependencies,
//! the package's own name and version, and its workspace patterns (for following `workspace:`
//! to the member's version).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use jsonc_parser::ast::Value;

use super::super::cache::{Answer, Cache, FileKind, Hit, Parsed};
use super::super::declared::Names;
use super::super::installed::Warning;
use super::super::json;
use super::super::names::{npm_relevant, split_descriptor};
use super::super::read::Problem;
use super::super::version::{Version, VersionSpec};

/// Dependency sections, in the order they are asked.
const SECTIONS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// One `@sentry/*` dependency (or an alias of one).
#[derive(Debug, Clone)]
pub(crate) struct Dep {
    /// The name in package.json (what code imports).
    pub key: String,
    /// The real package: the key, or the target of an `npm:` alias.
    pub package: String,
    /// The value as written.
    pub value: String,
    /// The range part (`^10` of `npm:@sentry/browser@^10`; else the value).
    pub range: String,
    pub line: usize,
}

/// What lookups need from a package.json.
#[derive(Debug, Default)]
pub(crate) struct PackageJson {
    pub name: Option<String>,
    /// The package's own version and its line.
    pub version: Option<(String, usize)>,
    pub deps: Vec<Dep>,
    /// Every dependency's real package (the target of an `npm:` alias), Sentry's or not.
    pub declared: Names,
    /// Workspace patterns (`packages/*`), for a workspace root.
    pub workspaces: Vec<String>,
}

impl PackageJson {
    /// The real packages of the dependencies.
    pub fn packages(&self) -> BTreeSet<String> {
        self.deps.iter().map(|d| d.package.clone()).collect()
    }
}

/// Parse a package.json (strict JSON).
pub(crate) fn parse_package_json(text: &str) -> Result<PackageJson, Problem> {
    let doc = json::parse_strict(text)?;
    let root = doc.root_object()?;
    let mut out = PackageJson {
        name: doc.string_at(root, "name")?.map(|(n, _)| n.to_string()),
        version: doc
            .string_at(root, "version")?
            .map(|(v, line)| (v.to_string(), line)),
        ..PackageJson::default()
    };
    for section in SECTIONS {
        let Some(deps) = doc.object_at(root, section)? else {
            continue;
        };
        for prop in &deps.properties {
            let key = prop.name.as_str();
            let value = match &prop.value {
                Value::StringLit(s) => s.value.as_ref(),
                other if npm_relevant(key) => {
                    return Err(Problem::at(
                        doc.line(other),
                        format!("`{section}.{key}` should be a string"),
                    ))
                }
                _ => continue,
            };
            out.declared
                .push(real_package(key, value), doc.line(&prop.name));
            if let Some(dep) = dep(key, value, doc.line(&prop.value)) {
                out.deps.push(dep);
            }
        }
    }
    out.workspaces = workspaces(&doc, root)?;
    Ok(out)
}

/// The package a dependency installs: the key, or the target of an `npm:` alias
/// (`"oai": "npm:openai@^4"` → `openai`).
fn real_package<'a>(key: &'a str, value: &'a str) -> &'a str {
    match value.trim().strip_prefix("npm:") {
        Some(target) => match split_descriptor(target) {
            Some((name, _)) => name,
            None if !target.is_empty() => target,
            None => key,
        },
        None => key,
    }
}

/// A dependency, if it is (or aliases) an `@sentry/*` package.
fn dep(key: &str, value: &str, line: usize) -> Option<Dep> {
    let alias = value
        .trim()
        .strip_prefix("npm:")
        .and_then(split_descriptor)
        .filter(|(target, _)| npm_relevant(target));
    let (package, range) = match alias {
        Some((target, range)) => (target, range),
        None if npm_relevant(key) => (key, value),
        None => return None,
    };
    Some(Dep {
        key: key.to_string(),
        package: package.to_string(),
        value: value.to_string(),
        range: range.trim().to_string(),
        line,
    })
}

/// `workspaces` as an array of patterns or `{ "packages": [...] }`.
fn workspaces(
    doc: &json::Doc<'_>,
    root: &jsonc_parser::ast::Object<'_>,
) -> Result<Vec<String>, Problem> {
    let value = match root.get("workspaces").map(|p| &p.value) {
        None => return Ok(Vec::new()),
        Some(Value::Object(o)) => match o.get("packages").map(|p| &p.value) {
            None => return Ok(Vec::new()),
            Some(v) => v,
        },
        Some(v) => v,
    };
    let wrong = |v: &Value<'_>| {
        Problem::at(
            doc.line(v),
            "`workspaces` should be a list of folder patterns",
        )
    };
    let Value::Array(items) = value else {
        return Err(wrong(value));
    };
    items
        .elements
        .iter()
        .map(|item| match item {
            Value::StringLit(s) => Ok(s.value.to_string()),
            other => Err(wrong(other)),
        })
        .collect()
}

/// What a package.json says about `pkg` (a dependency key or the real package of an alias).
pub(crate) fn find(
    cache: &mut Cache,
    pj: &PackageJson,
    pkg: &str,
    path: &Path,
    dirs: &[PathBuf],
) -> Answer {
    let dep = pj.deps.iter().find(|d| d.key == pkg || d.package == pkg)?;
    let spec = match dep.range.strip_prefix("workspace:") {
        Some(_) => match follow_workspace(cache, &dep.package, dirs) {
            Some(answer) => return Some(answer),
            None => VersionSpec::unknown(&dep.value),
        },
        None => VersionSpec::parse_npm(&dep.range),
    };
    Some(Ok(Hit {
        package: dep.package.clone(),
        spec,
        source: path.to_path_buf(),
        line: Some(dep.line),
        note: None,
    }))
}

/// The version of the workspace member named `package`: the nearest folder of the lookup with
/// workspace patterns (package.json `workspaces` or pnpm-workspace.yaml) is the root.
fn follow_workspace(cache: &mut Cache, package: &str, dirs: &[PathBuf]) -> Answer {
    let (root, patterns) = dirs
        .iter()
        .find_map(|d| workspace_patterns(cache, d).map(|p| (d.clone(), p)))?;
    let globs: Vec<GlobMatcher> = patterns
        .iter()
        .filter(|p| !p.starts_with('!'))
        .filter_map(|p| {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .ok()
                .map(|g| g.compile_matcher())
        })
        .collect();
    let depth = patterns
        .iter()
        .map(|p| {
            if p.contains("**") {
                4
            } else {
                p.split('/').count()
            }
        })
        .max()
        .unwrap_or(0);
    for member in member_dirs(cache, &root, depth, &globs) {
        let manifest = member.join("package.json");
        let parsed = cache.parsed(&manifest, FileKind::PackageJson);
        let Parsed::PackageJson(pj) = &*parsed else {
            continue;
        };
        if pj.name.as_deref() != Some(package) {
            continue;
        }
        let (text, line) = pj.version.clone()?;
        return Some(match Version::parse_semver(&text) {
            Some(v) => Ok(Hit {
                package: package.to_string(),
                spec: VersionSpec::Exact(v),
                source: manifest,
                line: Some(line),
                note: None,
            }),
            None => Err(Warning::new(
                &manifest,
                Some(line),
                format!("unparseable version `{text}` for {package}"),
            )),
        });
    }
    None
}

/// A folder's workspace patterns, if it is a workspace root.
pub(crate) fn workspace_patterns(cache: &mut Cache, dir: &Path) -> Option<Vec<String>> {
    let listing = cache.dir(dir);
    if let Some(path) = &listing.pnpm_workspace {
        if let Parsed::PnpmWorkspace(p) = &*cache.parsed(path, FileKind::PnpmWorkspace) {
            return Some(p.clone());
        }
    }
    let (_, path) = listing
        .manifests
        .iter()
        .find(|(k, _)| *k == FileKind::PackageJson)?;
    match &*cache.parsed(path, FileKind::PackageJson) {
        Parsed::PackageJson(pj) if !pj.workspaces.is_empty() => Some(pj.workspaces.clone()),
        _ => None,
    }
}

/// Folders below `root` (at most `depth` levels, skipping `node_modules` and hidden folders)
/// whose relative path matches a pattern, in name order.
fn member_dirs(
    cache: &mut Cache,
    root: &Path,
    depth: usize,
    globs: &[GlobMatcher],
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut level = vec![(root.to_path_buf(), String::new())];
    for _ in 0..depth {
        let mut next = Vec::new();
        for (dir, rel) in level {
            for name in &cache.dir(&dir).subdirs {
                if name == "node_modules" || name.starts_with('.') {
                    continue;
                }
                let child_rel = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                let child = dir.join(name);
                if globs.iter().any(|g| g.is_match(&child_rel)) {
                    out.push(child.clone());
                }
                next.push((child, child_rel));
            }
        }
        level = next;
    }
    out
}

/// The ranges package.json files ask for, nearest first, from `init_dir` up to `top`
/// (inclusive): package → range as written (for choosing among yarn.lock entries).
pub(crate) fn ranges(cache: &mut Cache, init_dir: &Path, top: &Path) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for dir in init_dir.ancestors() {
        let listing = cache.dir(dir);
        if let Some((_, path)) = listing
            .manifests
            .iter()
            .find(|(k, _)| *k == FileKind::PackageJson)
        {
            if let Parsed::PackageJson(pj) = &*cache.parsed(path, FileKind::PackageJson) {
                for dep in &pj.deps {
                    out.entry(dep.key.clone())
                        .or_insert_with(|| dep.value.clone());
                }
            }
        }
        if dir == top {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_and_aliases() {
        let pj = parse_package_json(
            r#"{
  "name": "web",
  "dependencies": { "react": "^18", "@sentry/react": "^10.57.0" },
  "devDependencies": { "sentry-browser": "npm:@sentry/browser@^10" },
  "workspaces": { "packages": ["apps/*"] }
}"#,
        )
        .unwrap();
        assert_eq!(pj.name.as_deref(), Some("web"));
        assert_eq!(pj.deps.len(), 2);
        assert_eq!(
            (pj.deps[0].package.as_str(), pj.deps[0].line),
            ("@sentry/react", 3)
        );
        assert_eq!(pj.deps[1].package, "@sentry/browser");
        assert_eq!(pj.deps[1].range, "^10");
        assert_eq!(pj.workspaces, ["apps/*"]);
        let p = |n: &str| crate::sdk::declared::Pattern::new(n, crate::sdk::Ecosystem::Npm);
        assert_eq!(pj.declared.find(&p("react")), Some(("react".into(), 3)));
        assert_eq!(
            pj.declared.find(&p("@sentry/browser")),
            Some(("@sentry/browser".into(), 4))
        );
        assert_eq!(pj.declared.find(&p("sentry-browser")), None);
        assert_eq!(real_package("oai", "npm:openai"), "openai");
        assert_eq!(real_package("oai", "npm:"), "oai");
    }

    #[test]
    fn wrong_types_name_the_line() {
        let err = parse_package_json("{\n  \"dependencies\": []\n}")
            .err()
            .unwrap();
        assert_eq!(err, Problem::at(2, "`dependencies` should be an object"));
        let err = parse_package_json("{\n  \"dependencies\": {\n    \"@sentry/react\": 10\n  }\n}")
            .err()
            .unwrap();
        assert_eq!(err.line, Some(3));
    }
}
