//! npm, pnpm and bun lockfiles (yarn's is in [`super::yarn`]), each reduced to its `@sentry/*`
//! entries with the line of each version, and the names of all the packages it installs.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use jsonc_parser::ast::{Object, Value};

use super::super::cache::Answer;
use super::super::declared::{Names, Pattern};
use super::super::json::{self, Doc};
use super::super::names::{is_sdk, npm_relevant, split_descriptor};
use super::super::read::Problem;
use super::super::version::VersionSpec;
use super::super::yaml::{self, Node};
use super::{hit, locked_version, several};

/// One entry of package-lock.json.
#[derive(Debug, Clone)]
struct LockEntry {
    version: Option<String>,
    /// Line of the version (else of the entry).
    line: usize,
    /// `"link": true` entries: the folder they point to (`resolved`).
    link: Option<String>,
}

/// package-lock.json / npm-shrinkwrap.json: v2/v3 `packages` (by install path) and v1
/// `dependencies` (top level).
#[derive(Debug, Default)]
pub(crate) struct PackageLock {
    /// `node_modules/@sentry/react`, `apps/web/node_modules/@sentry/react`, and workspace folders.
    packages: HashMap<String, LockEntry>,
    v1: HashMap<String, LockEntry>,
    /// Every package installed, in file order: the folder whose `node_modules` holds it
    /// (`""`, `apps/web`), the package, the line of its key.
    installs: Vec<(String, String, usize)>,
}

/// The package installed at a package-lock path (`a/node_modules/@x/y` → `@x/y`).
fn package_of_install_path(key: &str) -> Option<&str> {
    key.rsplit_once("node_modules/").map(|(_, p)| p)
}

/// Parse package-lock.json or npm-shrinkwrap.json (strict JSON).
pub(crate) fn parse_package_lock(text: &str) -> Result<PackageLock, Problem> {
    let doc = json::parse_strict(text)?;
    let root = doc.root_object()?;
    let mut out = PackageLock::default();
    if let Some(packages) = doc.object_at(root, "packages")? {
        for prop in &packages.properties {
            let key = prop.name.as_str();
            if let Some((prefix, pkg)) = key.rsplit_once("node_modules/") {
                let dir = prefix.trim_end_matches('/').to_string();
                out.installs
                    .push((dir, pkg.to_string(), doc.line(&prop.name)));
            }
            let relevant = match package_of_install_path(key) {
                Some(pkg) => npm_relevant(pkg),
                None => true,
            };
            if relevant {
                let entry = lock_entry(&doc, &prop.value, &format!("packages.{key}"))?;
                out.packages.insert(key.to_string(), entry);
            }
        }
    }
    if let Some(deps) = doc.object_at(root, "dependencies")? {
        for prop in &deps.properties {
            let key = prop.name.as_str();
            out.installs
                .push((String::new(), key.to_string(), doc.line(&prop.name)));
            if npm_relevant(key) {
                let entry = lock_entry(&doc, &prop.value, &format!("dependencies.{key}"))?;
                out.v1.insert(key.to_string(), entry);
            }
        }
    }
    Ok(out)
}

/// One package-lock entry object.
fn lock_entry(doc: &Doc<'_>, value: &Value<'_>, what: &str) -> Result<LockEntry, Problem> {
    let Value::Object(fields) = value else {
        return Err(Problem::at(
            doc.line(value),
            format!("`{what}` should be an object"),
        ));
    };
    let version = doc.string_at(fields, "version")?;
    let is_link =
        matches!(fields.get("link").map(|p| &p.value), Some(Value::BooleanLit(b)) if b.value);
    let link = if is_link {
        doc.string_at(fields, "resolved")?
            .map(|(r, _)| r.to_string())
    } else {
        None
    };
    Ok(LockEntry {
        line: version.map_or_else(|| doc.line(value), |(_, l)| l),
        version: version.map(|(v, _)| v.to_string()),
        link,
    })
}

impl PackageLock {
    /// Where Node would resolve `pkg` from the init's folder: the nearest `node_modules`.
    pub fn find(&self, pkg: &str, scope: &[String], path: &Path) -> Answer {
        for dir in scope {
            let key = if dir.is_empty() {
                format!("node_modules/{pkg}")
            } else {
                format!("{dir}/node_modules/{pkg}")
            };
            if let Some(entry) = self.packages.get(&key) {
                return Some(self.entry_answer(entry, pkg, path));
            }
        }
        let entry = self.v1.get(pkg)?;
        let text = entry.version.as_deref().unwrap_or("");
        Some(hit(pkg, locked_version(text, pkg), path, entry.line))
    }

    /// A v2/v3 entry's version, through a workspace link to the folder's own entry.
    fn entry_answer(
        &self,
        entry: &LockEntry,
        pkg: &str,
        path: &Path,
    ) -> Result<super::Hit, super::Warning> {
        let (entry, link) = match &entry.link {
            Some(target) => match self.packages.get(target) {
                Some(t) => (t, None),
                None => (entry, Some(format!("link:{target}"))),
            },
            None => (entry, None),
        };
        let spec = match (&entry.version, link) {
            (_, Some(location)) => Ok(VersionSpec::unknown(&location)),
            (Some(v), None) => locked_version(v, pkg),
            (None, None) => Ok(VersionSpec::unknown("")),
        };
        hit(pkg, spec, path, entry.line)
    }

    /// The packages installed where the init would look.
    pub fn packages(&self, scope: &[String]) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.v1.keys().cloned().collect();
        for key in self.packages.keys() {
            let Some((prefix, pkg)) = key.rsplit_once("node_modules/") else {
                continue;
            };
            let dir = prefix.trim_end_matches('/');
            if scope.iter().any(|s| s == dir) {
                out.insert(pkg.to_string());
            }
        }
        out
    }

    /// The first package matching `pattern` where the init would resolve it (the nearest
    /// `node_modules` first), else anywhere in the lockfile: the package and its line.
    pub fn declared(&self, pattern: &Pattern, scope: &[String]) -> Option<(String, usize)> {
        let first = |dir: Option<&String>| {
            self.installs
                .iter()
                .find(|(d, p, _)| dir.is_none_or(|dir| d == dir) && pattern.matches(p))
                .map(|(_, p, line)| (p.clone(), *line))
        };
        scope
            .iter()
            .find_map(|d| first(Some(d)))
            .or_else(|| first(None))
    }
}

/// One dependency of a pnpm importer, or one `packages` entry: package, version text, line.
type PnpmEntry = (String, String, usize);

/// pnpm-lock.yaml (v5 to v9): each importer's direct dependencies, and all package entries.
#[derive(Debug, Default)]
pub(crate) struct PnpmLock {
    /// Importer path (`.`, `apps/web`) → its `@sentry/*` dependencies.
    importers: HashMap<String, Vec<PnpmEntry>>,
    packages: Vec<PnpmEntry>,
    /// Importer path → all its direct dependencies.
    importer_names: HashMap<String, Names>,
    /// Every package entry's name.
    package_names: Names,
}

/// Parse pnpm-lock.yaml.
pub(crate) fn parse_pnpm_lock(text: &str) -> Result<PnpmLock, Problem> {
    let doc = yaml::parse(text)?;
    if doc.entries().is_none() {
        return Err(Problem::at(doc.line, "the top level should be a mapping"));
    }
    let mut out = PnpmLock::default();
    let mut add = |member: String, importer: &Node| -> Result<(), Problem> {
        let (deps, names) = importer_deps(importer)?;
        out.importers.insert(member.clone(), deps);
        out.importer_names.insert(member, names);
        Ok(())
    };
    if let Some(importers) = doc.map_at("importers")? {
        for (key, importer) in importers {
            add(key.as_str().unwrap_or("").to_string(), importer)?;
        }
    } else {
        add(".".to_string(), &doc)?;
    }
    if let Some(packages) = doc.map_at("packages")? {
        for (key, _) in packages {
            let Some((pkg, version)) = key.as_str().and_then(pnpm_key) else {
                continue;
            };
            out.package_names.push(pkg, key.line);
            if npm_relevant(pkg) {
                out.packages
                    .push((pkg.to_string(), version.to_string(), key.line));
            }
        }
    }
    Ok(out)
}

/// An importer's `@sentry/*` dependencies (`name: 8.1.0` in v5, `name: {version: ...}` later),
/// and the names of all its dependencies.
fn importer_deps(importer: &Node) -> Result<(Vec<PnpmEntry>, Names), Problem> {
    if importer.entries().is_none() && !importer.is_null() {
        return Err(Problem::at(
            importer.line,
            "an importer should be a mapping",
        ));
    }
    let mut out = Vec::new();
    let mut names = Names::default();
    for section in ["dependencies", "devDependencies", "optionalDependencies"] {
        let Some(deps) = importer.map_at(section)? else {
            continue;
        };
        for (key, value) in deps {
            if let Some(name) = key.as_str() {
                names.push(name, key.line);
            }
            let Some(name) = key.as_str().filter(|n| npm_relevant(n)) else {
                continue;
            };
            let version = match value.as_str() {
                Some(v) => (v, value.line),
                None => match value.get("version") {
                    Some(v) => (v.as_str().unwrap_or(""), v.line),
                    None => {
                        return Err(Problem::at(
                            value.line,
                            format!("`{name}` should have a `version`"),
                        ))
                    }
                },
            };
            out.push((name.to_string(), version.0.to_string(), version.1));
        }
    }
    Ok((out, names))
}

/// Split a pnpm package key: `/@sentry/react/8.1.0` (v5), `/@sentry/react@8.1.0(react@18.3.1)`
/// (v6), `@sentry/react@8.1.0` (v9); the version keeps no peer suffix.
fn pnpm_key(key: &str) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    let name_end = if key.starts_with('@') {
        let slash = key.find('/')?;
        slash + 1 + key[slash + 1..].find(['@', '/'])?
    } else {
        key.find(['@', '/'])?
    };
    let version = &key[name_end + 1..];
    Some((
        &key[..name_end],
        version.split('_').next().unwrap_or(version),
    ))
}

/// A pnpm version without its peer suffix (`8.1.0(react@18.3.1)`, v5's `8.1.0_react@18.3.1`).
fn pnpm_version(text: &str) -> &str {
    if text.starts_with("link:") || text.starts_with("file:") {
        return text;
    }
    let text = text.split('(').next().unwrap_or(text);
    text.split('_').next().unwrap_or(text)
}

impl PnpmLock {
    /// The version in the init's importer (nearest member first, then the root); else the only
    /// version in `packages`, or all of them with a warning.
    pub fn find(&self, pkg: &str, scope: &[String], path: &Path) -> Answer {
        for dir in scope {
            let member = if dir.is_empty() { "." } else { dir.as_str() };
            let Some(deps) = self.importers.get(member) else {
                continue;
            };
            if let Some((_, version, line)) = deps.iter().find(|(n, _, _)| n == pkg) {
                let version = pnpm_version(version);
                return Some(hit(pkg, locked_version(version, pkg), path, *line));
            }
        }
        let found: Vec<(String, usize)> = self
            .packages
            .iter()
            .filter(|(n, _, _)| n == pkg)
            .map(|(_, v, line)| (v.clone(), *line))
            .collect();
        several(
            pkg,
            found,
            "no importer of the init's folder names it",
            path,
        )
    }

    /// The SDK packages the init's importers name; when they name none, all locked packages.
    pub fn packages(&self, scope: &[String]) -> BTreeSet<String> {
        let members = scope
            .iter()
            .map(|d| if d.is_empty() { "." } else { d.as_str() });
        let direct: BTreeSet<String> = members
            .filter_map(|m| self.importers.get(m))
            .flatten()
            .map(|(n, _, _)| n.clone())
            .filter(|n| is_sdk(n))
            .collect();
        if !direct.is_empty() {
            return direct;
        }
        self.packages.iter().map(|(n, _, _)| n.clone()).collect()
    }

    /// The first package matching `pattern` among the direct dependencies of the init's
    /// importers (nearest member first, then the root), else among all package entries.
    pub fn declared(&self, pattern: &Pattern, scope: &[String]) -> Option<(String, usize)> {
        scope
            .iter()
            .map(|d| if d.is_empty() { "." } else { d.as_str() })
            .filter_map(|m| self.importer_names.get(m))
            .find_map(|names| names.find(pattern))
            .or_else(|| self.package_names.find(pattern))
    }
}

/// Parse pnpm-workspace.yaml: the `packages` patterns.
pub(crate) fn parse_pnpm_workspace(text: &str) -> Result<Vec<String>, Problem> {
    let doc = yaml::parse(text)?;
    let Some(packages) = doc.get("packages") else {
        return Ok(Vec::new());
    };
    let items = packages.items().ok_or_else(|| {
        Problem::at(
            packages.line,
            "`packages` should be a list of folder patterns",
        )
    })?;
    Ok(items
        .iter()
        .filter_map(|i| i.as_str().map(str::to_string))
        .collect())
}

/// bun.lock: workspace folders (name, version) and `@sentry/*` package entries by key.
#[derive(Debug, Default)]
pub(crate) struct BunLock {
    /// Folder (`""`, `apps/web`) → the member's name and version (with its line).
    workspaces: HashMap<String, BunWorkspace>,
    /// Key (`@sentry/react`, `apps/web/@sentry/react`, `web/@sentry/react`) → ident and line.
    packages: HashMap<String, (String, usize)>,
    /// Every package key, in file order, with its line.
    keys: Vec<(String, usize)>,
}

/// The package a bun.lock key installs: `apps/web/@sentry/react` → `@sentry/react`.
fn package_of_bun_key(key: &str) -> &str {
    let Some(last) = key.rfind('/') else {
        return key;
    };
    let before = &key[..last];
    let start = before.rfind('/').map_or(0, |i| i + 1);
    if before[start..].starts_with('@') {
        &key[start..]
    } else {
        &key[last + 1..]
    }
}

/// Parse bun.lock (JSONC: comments and trailing commas).
pub(crate) fn parse_bun_lock(text: &str) -> Result<BunLock, Problem> {
    let doc = json::parse_jsonc(text)?;
    let root = doc.root_object()?;
    let mut out = BunLock::default();
    if let Some(workspaces) = doc.object_at(root, "workspaces")? {
        for prop in &workspaces.properties {
            let Value::Object(fields) = &prop.value else {
                return Err(Problem::at(
                    doc.line(&prop.value),
                    format!("`workspaces.{}` should be an object", prop.name.as_str()),
                ));
            };
            out.workspaces
                .insert(prop.name.as_str().to_string(), bun_workspace(&doc, fields)?);
        }
    }
    if let Some(packages) = doc.object_at(root, "packages")? {
        for prop in &packages.properties {
            let key = prop.name.as_str();
            out.keys.push((key.to_string(), doc.line(&prop.name)));
            if !npm_relevant(package_of_bun_key(key)) {
                continue;
            }
            let ident = match &prop.value {
                Value::Array(a) => match a.elements.first() {
                    Some(Value::StringLit(s)) => Some((s.value.to_string(), doc.line(s))),
                    _ => None,
                },
                _ => None,
            };
            let ident = ident.ok_or_else(|| {
                Problem::at(
                    doc.line(&prop.value),
                    format!("`packages.{key}` should be a list starting with `name@version`"),
                )
            })?;
            out.packages.insert(key.to_string(), ident);
        }
    }
    Ok(out)
}

/// A bun.lock workspace entry's name and version.
type BunWorkspace = (Option<String>, Option<(String, usize)>);

/// Read one `workspaces` entry.
fn bun_workspace(doc: &Doc<'_>, fields: &Object<'_>) -> Result<BunWorkspace, Problem> {
    let name = doc.string_at(fields, "name")?.map(|(n, _)| n.to_string());
    let version = doc
        .string_at(fields, "version")?
        .map(|(v, line)| (v.to_string(), line));
    Ok((name, version))
}

impl BunLock {
    /// The keys bun would install `pkg` under for the init: member-scoped (by folder, then by
    /// the member's name), nearest first, then the hoisted key.
    fn keys(&self, pkg: &str, scope: &[String]) -> Vec<String> {
        let mut keys = Vec::new();
        for dir in scope.iter().filter(|d| !d.is_empty()) {
            keys.push(format!("{dir}/{pkg}"));
            if let Some((Some(name), _)) = self.workspaces.get(dir) {
                keys.push(format!("{name}/{pkg}"));
            }
        }
        keys.push(pkg.to_string());
        keys
    }

    /// The version of `pkg` where the init would find it.
    pub fn find(&self, pkg: &str, scope: &[String], path: &Path) -> Answer {
        let (ident, line) = self
            .keys(pkg, scope)
            .iter()
            .find_map(|k| self.packages.get(k))?;
        let (name, rest) = split_descriptor(ident).unwrap_or((pkg, ""));
        if let Some(folder) = rest.strip_prefix("workspace:") {
            if let Some((_, Some((version, vline)))) = self.workspaces.get(folder) {
                return Some(hit(name, locked_version(version, name), path, *vline));
            }
            return Some(hit(name, Ok(VersionSpec::unknown(rest)), path, *line));
        }
        Some(hit(name, locked_version(rest, name), path, *line))
    }

    /// The key prefixes the init would look under: member-scoped (by folder, then by the
    /// member's name), nearest first, then the hoisted `""`.
    fn prefixes(&self, scope: &[String]) -> Vec<String> {
        let mut prefixes = Vec::new();
        for dir in scope.iter().filter(|d| !d.is_empty()) {
            prefixes.push(format!("{dir}/"));
            if let Some((Some(name), _)) = self.workspaces.get(dir) {
                prefixes.push(format!("{name}/"));
            }
        }
        prefixes.push(String::new());
        prefixes
    }

    /// The first package matching `pattern` under the keys the init would look at (nearest
    /// first), else under any key.
    pub fn declared(&self, pattern: &Pattern, scope: &[String]) -> Option<(String, usize)> {
        let first = |prefix: Option<&str>| {
            self.keys.iter().find_map(|(key, line)| {
                let pkg = package_of_bun_key(key);
                let at = &key[..key.len() - pkg.len()];
                (prefix.is_none_or(|p| p == at) && pattern.matches(pkg))
                    .then(|| (pkg.to_string(), *line))
            })
        };
        self.prefixes(scope)
            .iter()
            .find_map(|p| first(Some(p)))
            .or_else(|| first(None))
    }

    /// The packages under the keys the init would look at.
    pub fn packages(&self, scope: &[String]) -> BTreeSet<String> {
        let prefixes = self.prefixes(scope);
        self.packages
            .keys()
            .filter_map(|k| {
                let pkg = package_of_bun_key(k);
                let prefix = &k[..k.len() - pkg.len()];
                prefixes
                    .iter()
                    .any(|p| p == prefix)
                    .then(|| pkg.to_string())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnpm_keys_of_each_version() {
        assert_eq!(
            pnpm_key("/@sentry/react/8.1.0"),
            Some(("@sentry/react", "8.1.0"))
        );
        assert_eq!(
            pnpm_key("/@sentry/react/8.1.0_react@18.2.0"),
            Some(("@sentry/react", "8.1.0"))
        );
        assert_eq!(
            pnpm_key("/@sentry/react@8.1.0(react@18.3.1)"),
            Some(("@sentry/react", "8.1.0"))
        );
        assert_eq!(
            pnpm_key("@sentry/react@8.1.0"),
            Some(("@sentry/react", "8.1.0"))
        );
        assert_eq!(pnpm_version("8.1.0(react@18.3.1)(x@1)"), "8.1.0");
        assert_eq!(pnpm_version("link:../react"), "link:../react");
    }

    #[test]
    fn bun_keys() {
        assert_eq!(
            package_of_bun_key("apps/web/@sentry/react"),
            "@sentry/react"
        );
        assert_eq!(
            package_of_bun_key("@sentry/nextjs/@sentry/core"),
            "@sentry/core"
        );
        assert_eq!(package_of_bun_key("@sentry/react"), "@sentry/react");
        assert_eq!(package_of_bun_key("web/react"), "react");
        assert_eq!(package_of_bun_key("react"), "react");
    }

    fn pattern(text: &str) -> Pattern {
        Pattern::new(text, crate::sdk::Ecosystem::Npm)
    }

    #[test]
    fn package_lock_declares_nearest_install_first() {
        let lock = parse_package_lock(
            r#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "mono" },
    "node_modules/openai": { "version": "4.80.0" },
    "apps/web/node_modules/openai": { "version": "4.85.1" },
    "apps/web": { "dependencies": { "openai": "^4.85.0" } }
  },
  "dependencies": { "graphql": { "version": "16.10.0" } }
}"#,
        )
        .unwrap();
        let web = ["apps/web/src", "apps/web", "apps", ""].map(String::from);
        assert_eq!(
            lock.declared(&pattern("openai"), &web),
            Some(("openai".into(), 6))
        );
        assert_eq!(
            lock.declared(&pattern("openai"), &[String::new()]),
            Some(("openai".into(), 5))
        );
        assert_eq!(
            lock.declared(&pattern("graph*"), &web),
            Some(("graphql".into(), 9))
        );
        assert_eq!(lock.declared(&pattern("mono"), &web), None);
    }

    #[test]
    fn bun_lock_declares_member_scoped_keys_first() {
        let lock = parse_bun_lock(
            r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "mono" },
    "apps/web": { "name": "web", "version": "1.0.0" },
  },
  "packages": {
    "@langchain/core": ["@langchain/core@0.3.40", "", {}, "sha512-A"],
    "web/@langchain/core": ["@langchain/core@0.3.41", "", {}, "sha512-B"],
    "ai": ["ai@4.1.45", "", {}, "sha512-C"],
  },
}"#,
        )
        .unwrap();
        let web = ["apps/web", ""].map(String::from);
        assert_eq!(
            lock.declared(&pattern("@langchain/*"), &web),
            Some(("@langchain/core".into(), 9))
        );
        assert_eq!(
            lock.declared(&pattern("@langchain/*"), &[String::new()]),
            Some(("@langchain/core".into(), 8))
        );
        assert_eq!(lock.declared(&pattern("ai"), &web), Some(("ai".into(), 10)));
        assert_eq!(lock.declared(&pattern("openai"), &web), None);
    }

    #[test]
    fn install_paths() {
        assert_eq!(
            package_of_install_path("apps/web/node_modules/@sentry/react"),
            Some("@sentry/react")
        );
        assert_eq!(package_of_install_path("packages/react"), None);
    }
}
