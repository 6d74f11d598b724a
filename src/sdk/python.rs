//! Python sources of the installed `sentry-sdk`: lockfiles (`uv.lock`, `poetry.lock`,
//! `pdm.lock`, `Pipfile.lock`) and manifests (`requirements*.txt`, `pyproject.toml`,
//! `setup.cfg`, `Pipfile`).
//!
//! Each file is reduced, once, to the Sentry requirements it holds ([`Entry`]) and the names of
//! all the packages it declares ([`Names`]); lookups then pick the entry for the package wanted,
//! and [`declared`] the first name that matches.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::cache::{Answer, Cache, FileKind, Hit, Parsed};
use super::declared::{Declared, Names, Pattern};
use super::installed::{absolute, Wanted, Warning};
use super::json;
use super::names::{normalise_python, python_relevant};
use super::read::{Lines, Problem};
use super::version::{Version, VersionSpec};

/// One requirement or locked version of a Sentry distribution.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// PEP 503-normalised name.
    pub name: String,
    /// The version or requirement; an error message when it cannot be parsed.
    pub spec: Result<VersionSpec, String>,
    /// 1-based line where it is written.
    pub line: Option<usize>,
}

/// The Sentry entries of a lockfile or a manifest.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    pub entries: Vec<Entry>,
    /// A lockfile: several entries of one package are several locked versions.
    pub lock: bool,
    /// Every package named (normalised), Sentry's or not.
    pub declared: Names,
}

/// A `-r`/`-c` line of a requirements file.
#[derive(Debug, Clone)]
pub(crate) struct Include {
    /// The path as written (relative to the including file's folder).
    pub target: String,
    pub line: usize,
    /// `-c`: a constraints file (pins, but installs nothing by itself).
    pub constraint: bool,
}

/// A requirements file: its Sentry requirements and the files it includes.
#[derive(Debug, Default)]
pub(crate) struct Requirements {
    pub entries: Vec<Entry>,
    pub includes: Vec<Include>,
    /// Every requirement's name (normalised), Sentry's or not.
    pub declared: Names,
}

/// What a Python source says about the wanted package.
pub(crate) fn answer(cache: &mut Cache, kind: FileKind, path: &Path, wanted: &Wanted) -> Answer {
    let package = wanted.first.as_deref()?;
    let parsed = cache.parsed(path, kind);
    match &*parsed {
        Parsed::Python(entries) => from_entries(entries, package, path),
        Parsed::Requirements(_) => from_requirements(cache, path, package),
        _ => None,
    }
}

/// The answer of a lockfile or a manifest other than requirements files.
fn from_entries(entries: &Entries, package: &str, path: &Path) -> Answer {
    let named: Vec<&Entry> = entries
        .entries
        .iter()
        .filter(|e| e.name == package)
        .collect();
    let first = *named.first()?;
    if !entries.lock {
        return Some(hit_of(first, path));
    }
    let mut versions = Vec::new();
    for entry in &named {
        match &entry.spec {
            Ok(VersionSpec::Exact(v)) => versions.push(v.clone()),
            _ => return Some(hit_of(entry, path)),
        }
    }
    let spec = VersionSpec::any_of(versions);
    let note = matches!(spec, VersionSpec::AnyOf(_)).then(|| {
        Warning::new(
            path,
            first.line,
            format!(
                "{package} is locked at several versions ({}), one per environment; \
                 any of them may be installed",
                versions_list(&spec)
            ),
        )
    });
    Some(Ok(Hit {
        package: package.to_string(),
        spec,
        source: path.to_path_buf(),
        line: first.line,
        note,
    }))
}

/// The versions of an `AnyOf` as `2.70.0, 2.75.0`.
pub(crate) fn versions_list(spec: &VersionSpec) -> String {
    match spec {
        VersionSpec::AnyOf(vs) => vs
            .iter()
            .map(Version::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.text(),
    }
}

/// An entry as an answer from `path`.
fn hit_of(entry: &Entry, path: &Path) -> Result<Hit, Warning> {
    match &entry.spec {
        Ok(spec) => Ok(Hit {
            package: entry.name.clone(),
            spec: spec.clone(),
            source: path.to_path_buf(),
            line: entry.line,
            note: None,
        }),
        Err(message) => Err(Warning::new(path, entry.line, message.clone())),
    }
}

/// The answer of a requirements file with its includes: the first requirement naming the
/// package (the file's own lines, then its `-r` files in order); a constraints file's exact pin
/// of it takes precedence over a looser requirement.
fn from_requirements(cache: &mut Cache, path: &Path, package: &str) -> Answer {
    let mut search = Search {
        cache,
        package,
        visited: HashSet::new(),
        requirement: None,
        constraint: None,
    };
    search.visit(path, false);
    let requirement = search.requirement?;
    match (requirement, search.constraint) {
        (Ok(req), Some(pin)) if !matches!(req.spec, VersionSpec::Exact(_)) => Some(Ok(pin)),
        (req, _) => Some(req),
    }
}

/// A walk through a requirements file and the files it includes.
struct Search<'c> {
    cache: &'c mut Cache,
    package: &'c str,
    /// Files already walked (include cycles end here).
    visited: HashSet<PathBuf>,
    requirement: Option<Result<Hit, Warning>>,
    /// The first exact pin in a constraints file.
    constraint: Option<Hit>,
}

impl Search<'_> {
    /// Walk one file; `constraints` when it was reached through `-c`.
    fn visit(&mut self, path: &Path, constraints: bool) {
        if !self.visited.insert(path.to_path_buf()) {
            return;
        }
        let parsed = self.cache.parsed(path, FileKind::Requirements);
        let Parsed::Requirements(reqs) = &*parsed else {
            return;
        };
        for entry in reqs.entries.iter().filter(|e| e.name == self.package) {
            if constraints {
                if let (None, Ok(hit)) = (&self.constraint, hit_of(entry, path)) {
                    if matches!(hit.spec, VersionSpec::Exact(_)) {
                        self.constraint = Some(hit);
                    }
                }
            } else if self.requirement.is_none() {
                self.requirement = Some(hit_of(entry, path));
            }
        }
        let folder = path.parent().unwrap_or(Path::new(""));
        for include in &reqs.includes {
            let Some(target) = included(self.cache, path, folder, include) else {
                continue;
            };
            self.visit(&target, constraints || include.constraint);
        }
    }
}

/// The file an include names, made absolute; a missing one is reported (once) at its line.
fn included(cache: &mut Cache, path: &Path, folder: &Path, include: &Include) -> Option<PathBuf> {
    let target = absolute(&folder.join(&include.target));
    if target.is_file() {
        return Some(target);
    }
    cache.warn(Warning::new(
        path,
        Some(include.line),
        format!("included file `{}` does not exist", include.target),
    ));
    None
}

/// The first package a Python source declares that matches `pattern`.
pub(crate) fn declared(
    cache: &mut Cache,
    kind: FileKind,
    path: &Path,
    pattern: &Pattern,
) -> Option<Declared> {
    let parsed = cache.parsed(path, kind);
    match &*parsed {
        Parsed::Python(entries) => declared_at(&entries.declared, pattern, path),
        Parsed::Requirements(_) => {
            declared_in_requirements(cache, path, pattern, &mut HashSet::new())
        }
        _ => None,
    }
}

/// A match in `names` as declared in `path`.
fn declared_at(names: &Names, pattern: &Pattern, path: &Path) -> Option<Declared> {
    let (name, line) = names.find(pattern)?;
    Some(Declared {
        name,
        source: path.to_path_buf(),
        line: Some(line),
    })
}

/// The first requirement matching `pattern` in a requirements file (its own lines, then its
/// `-r` files in order; `-c` files install nothing and are not read).
fn declared_in_requirements(
    cache: &mut Cache,
    path: &Path,
    pattern: &Pattern,
    visited: &mut HashSet<PathBuf>,
) -> Option<Declared> {
    if !visited.insert(path.to_path_buf()) {
        return None;
    }
    let parsed = cache.parsed(path, FileKind::Requirements);
    let Parsed::Requirements(reqs) = &*parsed else {
        return None;
    };
    if let Some(found) = declared_at(&reqs.declared, pattern, path) {
        return Some(found);
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    for include in reqs.includes.iter().filter(|i| !i.constraint) {
        let Some(target) = included(cache, path, folder, include) else {
            continue;
        };
        if let Some(found) = declared_in_requirements(cache, &target, pattern, visited) {
            return Some(found);
        }
    }
    None
}

/// The normalised distribution name a PEP 508 requirement starts with, and the rest of it.
fn split_name(text: &str) -> Option<(String, &str)> {
    let text = text.trim();
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(text.len());
    if name_end == 0 {
        return None;
    }
    Some((normalise_python(&text[..name_end]), &text[name_end..]))
}

/// Record the name of a requirement (any package) in `declared`.
fn declare(declared: &mut Names, text: &str, line: usize) {
    if let Some((name, _)) = split_name(text) {
        declared.push(name, line);
    }
}

/// Parse one PEP 508 requirement (`sentry-sdk[fastapi]>=2.0,<3; python_version>"3.8"`,
/// `sentry-sdk @ git+https://...`): the normalised name and the version requirement.
/// `None` when the text does not start with a distribution name.
pub(crate) fn requirement(text: &str) -> Option<(String, Result<VersionSpec, String>)> {
    let text = text.trim();
    let (name, rest) = split_name(text)?;
    let mut rest = rest.trim_start();
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(close) => rest = rest[close + 1..].trim_start(),
            None => return Some((name, Err(format!("unclosed `[` in requirement `{text}`")))),
        }
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.split(" ;").next().unwrap_or(url).trim();
        return Some((name, Ok(VersionSpec::unknown(url))));
    }
    let spec = rest.split(';').next().unwrap_or("").trim();
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec);
    Some((name, VersionSpec::parse_pep440(spec)))
}

/// An entry for a requirement, if it is a Sentry one.
fn relevant(text: &str, line: usize) -> Option<Entry> {
    let (name, spec) = requirement(text)?;
    python_relevant(&name).then_some(Entry {
        name,
        spec,
        line: Some(line),
    })
}

/// Parse a requirements file (pip's format): requirements, `-r`/`-c` includes, `-e` lines with
/// `#egg=`; comments, `\` continuations, `--hash` and other per-line options are skipped.
pub(crate) fn parse_requirements(text: &str) -> Requirements {
    let mut out = Requirements::default();
    for (line, logical) in logical_lines(text) {
        let content = strip_comment(&logical).trim();
        if content.is_empty() {
            continue;
        }
        if content.starts_with('-') {
            option_line(content, line, &mut out);
        } else if content.contains("://") || content.starts_with(['.', '/']) {
            egg(content, line, &mut out);
        } else {
            let requirement = cut_options(content);
            declare(&mut out.declared, requirement, line);
            out.entries.extend(relevant(requirement, line));
        }
    }
    out
}

/// The lines of a requirements file with `\` continuations joined, each with its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
        match raw.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
                pending = Some((start, joined));
            }
            None => {
                joined.push_str(raw);
                out.push((start, joined));
            }
        }
    }
    out.extend(pending);
    out
}

/// The text before a `#` that starts the line or follows whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// The requirement before per-requirement options (`--hash=...`).
fn cut_options(content: &str) -> &str {
    let bytes = content.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i - 1].is_ascii_whitespace() && content[i..].starts_with("--") {
            return content[..i].trim_end();
        }
    }
    content
}

/// A `-r`, `-c` or `-e` line (other options are ignored).
fn option_line(content: &str, line: usize, out: &mut Requirements) {
    const FLAGS: &[(&str, char)] = &[
        ("--requirement", 'r'),
        ("--constraint", 'c'),
        ("--editable", 'e'),
        ("-r", 'r'),
        ("-c", 'c'),
        ("-e", 'e'),
    ];
    for (flag, which) in FLAGS {
        let Some(rest) = content.strip_prefix(flag) else {
            continue;
        };
        if flag.starts_with("--") && !(rest.is_empty() || rest.starts_with(['=', ' ', '\t'])) {
            continue;
        }
        let arg = rest.trim_start().trim_start_matches('=').trim();
        match which {
            'e' => egg(arg, line, out),
            _ if !arg.is_empty() => out.includes.push(Include {
                target: arg.to_string(),
                line,
                constraint: *which == 'c',
            }),
            _ => {}
        }
        return;
    }
}

/// A URL or path requirement that names its distribution with `#egg=` (version unknown).
fn egg(content: &str, line: usize, out: &mut Requirements) {
    let Some((_, fragment)) = content.split_once("#egg=") else {
        return;
    };
    let name = normalise_python(fragment.split(['&', ' ', '[']).next().unwrap_or(""));
    if name.is_empty() {
        return;
    }
    out.declared.push(name.clone(), line);
    if python_relevant(&name) {
        out.entries.push(Entry {
            name,
            spec: Ok(VersionSpec::unknown(content)),
            line: Some(line),
        });
    }
}

/// A TOML parse error as a problem at its line.
fn toml_problem(text: &str, e: &toml::de::Error) -> Problem {
    let detail: Vec<&str> = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let message = format!("invalid TOML: {}", detail.join(", "));
    match e.span() {
        Some(span) => Problem::at(Lines::new(text).line(span.start), message),
        None => Problem::whole(message),
    }
}

/// `[[package]]` tables of uv.lock, poetry.lock and pdm.lock.
#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<TomlLockPackage>,
}

/// One locked package.
#[derive(Deserialize)]
struct TomlLockPackage {
    name: Spanned<String>,
    version: Option<Spanned<String>>,
}

/// Parse a TOML lockfile (uv, Poetry, PDM).
pub(crate) fn parse_toml_lock(text: &str) -> Result<Entries, Problem> {
    let lock: TomlLock = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    let lines = Lines::new(text);
    let mut declared = Names::default();
    let entries = lock
        .package
        .into_iter()
        .filter_map(|p| {
            let name = normalise_python(p.name.get_ref());
            declared.push(name.clone(), lines.line(p.name.span().start));
            if !python_relevant(&name) {
                return None;
            }
            let (spec, line) = match p.version {
                Some(v) => (locked(&name, v.get_ref()), lines.line(v.span().start)),
                None => (
                    Ok(VersionSpec::unknown("")),
                    lines.line(p.name.span().start),
                ),
            };
            Some(Entry {
                name,
                spec,
                line: Some(line),
            })
        })
        .collect();
    Ok(Entries {
        entries,
        lock: true,
        declared,
    })
}

/// A locked version (`2.75.0`, or `==2.75.0` as Pipfile.lock writes it).
fn locked(name: &str, text: &str) -> Result<VersionSpec, String> {
    let bare = text.trim().trim_start_matches("==");
    Version::parse_pep440(bare)
        .map(VersionSpec::Exact)
        .ok_or_else(|| format!("unparseable version `{text}` for {name}"))
}

/// Parse Pipfile.lock (JSON `default` and `develop` sections).
pub(crate) fn parse_pipfile_lock(text: &str) -> Result<Entries, Problem> {
    let doc = json::parse_strict(text)?;
    let root = doc.root_object()?;
    let mut entries = Vec::new();
    let mut declared = Names::default();
    for section in ["default", "develop"] {
        let Some(packages) = doc.object_at(root, section)? else {
            continue;
        };
        for prop in &packages.properties {
            let name = normalise_python(prop.name.as_str());
            declared.push(name.clone(), doc.line(&prop.name));
            if !python_relevant(&name) {
                continue;
            }
            let jsonc_parser::ast::Value::Object(fields) = &prop.value else {
                return Err(Problem::at(
                    doc.line(&prop.value),
                    format!("`{section}.{}` should be an object", prop.name.as_str()),
                ));
            };
            let (spec, line) = match doc.string_at(fields, "version")? {
                Some((v, line)) => (locked(&name, v), line),
                None => (Ok(pipfile_location(&doc, fields)), doc.line(&prop.value)),
            };
            entries.push(Entry {
                name,
                spec,
                line: Some(line),
            });
        }
    }
    Ok(Entries {
        entries,
        lock: true,
        declared,
    })
}

/// A Pipfile.lock entry without version (git, path, file): unknown, with its location.
fn pipfile_location(doc: &json::Doc<'_>, fields: &jsonc_parser::ast::Object<'_>) -> VersionSpec {
    ["git", "path", "file"]
        .iter()
        .find_map(|k| doc.string_at(fields, k).ok().flatten())
        .map_or_else(
            || VersionSpec::unknown(""),
            |(v, _)| VersionSpec::unknown(v),
        )
}

/// The parts of pyproject.toml that name dependencies.
#[derive(Deserialize, Default)]
struct Pyproject {
    project: Option<Project>,
    #[serde(rename = "dependency-groups")]
    dependency_groups: Option<BTreeMap<String, Vec<Spanned<toml::Value>>>>,
    tool: Option<Tool>,
}

/// PEP 621 `[project]`.
#[derive(Deserialize, Default)]
struct Project {
    dependencies: Option<Vec<Spanned<String>>>,
    #[serde(rename = "optional-dependencies")]
    optional_dependencies: Option<BTreeMap<String, Vec<Spanned<String>>>>,
}

/// `[tool]`: the tools that keep their own dependency lists.
#[derive(Deserialize, Default)]
struct Tool {
    poetry: Option<Poetry>,
    pdm: Option<Pdm>,
    uv: Option<Uv>,
}

/// A Poetry dependency table: name → constraint string, table or list of tables.
type PoetryDeps = BTreeMap<String, Spanned<toml::Value>>;

/// `[tool.poetry]`.
#[derive(Deserialize, Default)]
struct Poetry {
    dependencies: Option<PoetryDeps>,
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<PoetryDeps>,
    group: Option<BTreeMap<String, PoetryGroup>>,
}

/// `[tool.poetry.group.<name>]`.
#[derive(Deserialize, Default)]
struct PoetryGroup {
    dependencies: Option<PoetryDeps>,
}

/// `[tool.pdm]`.
#[derive(Deserialize, Default)]
struct Pdm {
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<BTreeMap<String, Vec<Spanned<String>>>>,
}

/// `[tool.uv]`.
#[derive(Deserialize, Default)]
struct Uv {
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<Vec<Spanned<String>>>,
}

/// Parse pyproject.toml: PEP 621 dependencies and extras, PEP 735 groups, Poetry's tables,
/// PDM's and uv's dev dependencies, in that order.
pub(crate) fn parse_pyproject(text: &str) -> Result<Entries, Problem> {
    let doc: Pyproject = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    let lines = Lines::new(text);
    let mut pep508: Vec<&Spanned<String>> = Vec::new();
    let project = doc.project.unwrap_or_default();
    pep508.extend(project.dependencies.iter().flatten());
    pep508.extend(
        project
            .optional_dependencies
            .iter()
            .flat_map(|m| m.values().flatten()),
    );
    let mut entries = Vec::new();
    let mut declared = Names::default();
    for s in pep508 {
        let line = lines.line(s.span().start);
        declare(&mut declared, s.get_ref(), line);
        entries.extend(relevant(s.get_ref(), line));
    }
    for item in doc
        .dependency_groups
        .iter()
        .flat_map(|m| m.values().flatten())
    {
        // Tables (`{include-group = "..."}`) name other groups, which are read anyway.
        if let toml::Value::String(s) = item.get_ref() {
            let line = lines.line(item.span().start);
            declare(&mut declared, s, line);
            entries.extend(relevant(s, line));
        }
    }
    let tool = doc.tool.unwrap_or_default();
    let poetry = tool.poetry.unwrap_or_default();
    let groups = poetry.group.iter().flat_map(|g| g.values());
    let tables = poetry
        .dependencies
        .iter()
        .chain(groups.filter_map(|g| g.dependencies.as_ref()))
        .chain(poetry.dev_dependencies.iter());
    for table in tables {
        for (name, value) in table {
            let name = normalise_python(name);
            let line = lines.line(value.span().start);
            // `python` is the interpreter's constraint, not a package.
            if name != "python" {
                declared.push(name.clone(), line);
            }
            if python_relevant(&name) {
                entries.push(Entry {
                    spec: poetry_spec(value.get_ref()),
                    name,
                    line: Some(line),
                });
            }
        }
    }
    let tool_lists = tool
        .pdm
        .and_then(|p| p.dev_dependencies)
        .into_iter()
        .flat_map(|m| m.into_values().flatten())
        .chain(
            tool.uv
                .and_then(|u| u.dev_dependencies)
                .into_iter()
                .flatten(),
        );
    for s in tool_lists {
        let line = lines.line(s.span().start);
        declare(&mut declared, s.get_ref(), line);
        entries.extend(relevant(s.get_ref(), line));
    }
    Ok(Entries {
        entries,
        lock: false,
        declared,
    })
}

/// A Poetry dependency value: `"^2.0"`, `{ version = "^2.0", extras = [...] }`, a git/path/url
/// table, or a list of such tables (the first one counts).
fn poetry_spec(value: &toml::Value) -> Result<VersionSpec, String> {
    match value {
        toml::Value::String(s) => VersionSpec::parse_poetry(s),
        toml::Value::Table(t) => match t.get("version") {
            Some(toml::Value::String(s)) => VersionSpec::parse_poetry(s),
            Some(_) => Err("`version` should be a string".to_string()),
            None => Ok(location_of(t)),
        },
        toml::Value::Array(items) => match items.first() {
            Some(first) => poetry_spec(first),
            None => Err("an empty list of constraints".to_string()),
        },
        _ => Err("a dependency should be a version string or a table".to_string()),
    }
}

/// A dependency table without version: unknown, with its git/path/url/file location.
fn location_of(table: &toml::Table) -> VersionSpec {
    ["git", "path", "url", "file"]
        .iter()
        .find_map(|k| table.get(*k).and_then(toml::Value::as_str))
        .map_or_else(|| VersionSpec::unknown(""), VersionSpec::unknown)
}

/// The parts of a Pipfile that name packages.
#[derive(Deserialize)]
struct Pipfile {
    packages: Option<BTreeMap<String, Spanned<toml::Value>>>,
    #[serde(rename = "dev-packages")]
    dev_packages: Option<BTreeMap<String, Spanned<toml::Value>>>,
}

/// Parse a Pipfile (`[packages]`, `[dev-packages]`).
pub(crate) fn parse_pipfile(text: &str) -> Result<Entries, Problem> {
    let doc: Pipfile = toml::from_str(text).map_err(|e| toml_problem(text, &e))?;
    let lines = Lines::new(text);
    let mut entries = Vec::new();
    let mut declared = Names::default();
    for (name, value) in doc.packages.iter().chain(doc.dev_packages.iter()).flatten() {
        let name = normalise_python(name);
        let line = lines.line(value.span().start);
        declared.push(name.clone(), line);
        if !python_relevant(&name) {
            continue;
        }
        entries.push(Entry {
            spec: pipfile_spec(value.get_ref()),
            name,
            line: Some(line),
        });
    }
    Ok(Entries {
        entries,
        lock: false,
        declared,
    })
}

/// A Pipfile value: `"*"`, `"==2.75.0"`, `{version = "...", extras = [...]}`, `{git = ...}`.
fn pipfile_spec(value: &toml::Value) -> Result<VersionSpec, String> {
    let text = match value {
        toml::Value::String(s) => s.as_str(),
        toml::Value::Table(t) => match t.get("version") {
            Some(toml::Value::String(s)) => s.as_str(),
            Some(_) => return Err("`version` should be a string".to_string()),
            None => return Ok(location_of(t)),
        },
        _ => return Err("a package should be a version string or a table".to_string()),
    };
    if text.trim() == "*" {
        VersionSpec::parse_poetry("*")
    } else {
        VersionSpec::parse_pep440(text)
    }
}

/// Parse setup.cfg: `[options] install_requires` and `[options.extras_require]`, one
/// requirement per (continuation) line.
pub(crate) fn parse_setup_cfg(text: &str) -> Result<Entries, Problem> {
    let mut entries = Vec::new();
    let mut declared = Names::default();
    let mut section = String::new();
    let mut in_requirements = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            if in_requirements {
                let requirement = strip_comment(trimmed);
                declare(&mut declared, requirement, line);
                entries.extend(relevant(requirement, line));
            }
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| Problem::at(line, "a section header should end with `]`"))?;
            section = name.trim().to_string();
            in_requirements = false;
            continue;
        }
        let Some(split) = trimmed.find(['=', ':']) else {
            return Err(Problem::at(
                line,
                "expected `key = value`, a `[section]` header or an indented continuation line",
            ));
        };
        let key = trimmed[..split].trim();
        in_requirements = (section == "options" && key == "install_requires")
            || section == "options.extras_require";
        let value = strip_comment(&trimmed[split + 1..]).trim();
        if in_requirements && !value.is_empty() && !value.starts_with("file:") {
            declare(&mut declared, value, line);
            entries.extend(relevant(value, line));
        }
    }
    Ok(Entries {
        entries,
        lock: false,
        declared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_of(text: &str) -> (String, String) {
        let (name, spec) = requirement(text).unwrap();
        (name, spec.unwrap().text())
    }

    #[test]
    fn pep508_requirements() {
        assert_eq!(
            spec_of("sentry-sdk[fastapi,celery]==2.75.0"),
            ("sentry-sdk".into(), "2.75.0".into())
        );
        assert_eq!(
            spec_of("Sentry_SDK >=2.0, <3 ; python_version >= \"3.8\""),
            ("sentry-sdk".into(), ">=2.0, <3".into())
        );
        assert_eq!(spec_of("sentry-sdk"), ("sentry-sdk".into(), "".into()));
        assert_eq!(
            spec_of("sentry-sdk (>=2)"),
            ("sentry-sdk".into(), ">=2".into())
        );
        assert_eq!(
            spec_of("sentry-sdk @ git+https://example.invalid/sentry-python@2.0"),
            (
                "sentry-sdk".into(),
                "git+https://example.invalid/sentry-python@2.0".into()
            )
        );
        assert!(requirement("sentry-sdk>=two").unwrap().1.is_err());
        assert!(requirement("sentry-sdk[fastapi").unwrap().1.is_err());
        assert!(requirement("[x]").is_none());
    }

    #[test]
    fn requirements_lines() {
        let text = "# top\n-r base.txt\n--constraint=c.txt\nrequests==2.0\n\
                    sentry-sdk==2.75.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n\
                    -e git+https://example.invalid/x.git#egg=sentry_sdk\n";
        let reqs = parse_requirements(text);
        let includes: Vec<_> = reqs
            .includes
            .iter()
            .map(|i| (i.target.as_str(), i.line, i.constraint))
            .collect();
        assert_eq!(includes, [("base.txt", 2, false), ("c.txt", 3, true)]);
        assert_eq!(reqs.entries.len(), 2);
        assert_eq!(reqs.entries[0].line, Some(5));
        assert_eq!(reqs.entries[0].spec.as_ref().unwrap().text(), "2.75.0");
        assert_eq!(reqs.entries[1].line, Some(8));
        assert!(matches!(
            reqs.entries[1].spec,
            Ok(VersionSpec::Unknown { .. })
        ));
    }

    #[test]
    fn every_format_declares_all_its_packages() {
        let p = |n: &str| Pattern::new(n, crate::sdk::Ecosystem::Python);
        let reqs = parse_requirements(
            "-e git+https://example.invalid/q.git#egg=Huey_Extra\nrq==2.1.0 --hash=sha256:a\n",
        );
        assert_eq!(
            reqs.declared.find(&p("huey*")),
            Some(("huey-extra".into(), 1))
        );
        assert_eq!(reqs.declared.find(&p("rq")), Some(("rq".into(), 2)));
        let cfg = parse_setup_cfg(
            "[options]\ninstall_requires =\n    celery>=5\n[options.extras_require]\nai = openai\n",
        )
        .unwrap();
        assert_eq!(cfg.declared.find(&p("celery")), Some(("celery".into(), 3)));
        assert_eq!(cfg.declared.find(&p("openai")), Some(("openai".into(), 5)));
        let pipfile = parse_pipfile("[packages]\nMistralAI = \"*\"\n").unwrap();
        assert_eq!(
            pipfile.declared.find(&p("mistralai")),
            Some(("mistralai".into(), 2))
        );
        let lock = parse_pipfile_lock(
            "{\n  \"default\": {\n    \"openai\": {\"version\": \"==1.63.2\"}\n  },\n  \
             \"develop\": {\n    \"arq\": 7\n  }\n}",
        )
        .unwrap();
        assert_eq!(lock.declared.find(&p("openai")), Some(("openai".into(), 3)));
        assert_eq!(lock.declared.find(&p("arq")), Some(("arq".into(), 6)));
        let pyproject = parse_pyproject(
            "[dependency-groups]\nworker = [\"dramatiq\"]\n[tool.uv]\ndev-dependencies = [\"huey\"]\n",
        )
        .unwrap();
        assert_eq!(
            pyproject.declared.find(&p("dramatiq")),
            Some(("dramatiq".into(), 2))
        );
        assert_eq!(
            pyproject.declared.find(&p("huey")),
            Some(("huey".into(), 4))
        );
    }

    #[test]
    fn comments_need_whitespace_before_them() {
        assert_eq!(strip_comment("a # b"), "a ");
        assert_eq!(strip_comment("x#egg=y"), "x#egg=y");
        assert_eq!(cut_options("a==1 --hash=x"), "a==1");
        assert_eq!(cut_options("a==1"), "a==1");
    }

    #[test]
    fn setup_cfg_continuations() {
        let text = "[metadata]\nname = x\n\n[options]\ninstall_requires =\n    requests\n    \
                    sentry-sdk>=2.0  # min\n[options.extras_require]\nfast = sentry-sdk[fastapi]==2.1\n";
        let e = parse_setup_cfg(text).unwrap().entries;
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].line, e[0].spec.as_ref().unwrap().text()),
            (Some(7), ">=2.0".into())
        );
        assert_eq!(e[1].line, Some(9));
        assert!(parse_setup_cfg("[options\n").is_err());
        assert_eq!(parse_setup_cfg("junk line\n").err().unwrap().line, Some(1));
    }

    #[test]
    fn toml_errors_name_the_line() {
        let err = parse_toml_lock("[[package]]\nname = \"sentry-sdk\"\nversion = 2\n")
            .err()
            .unwrap();
        assert_eq!(err.line, Some(3), "{}", err.message);
        let err = parse_pyproject("[project]\ndependencies = \"sentry-sdk\"\n")
            .err()
            .unwrap();
        assert_eq!(err.line, Some(2), "{}", err.message);
    }
}
