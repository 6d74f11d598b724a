//! The module graph: which file an import names, and the lowered modules read for an init's
//! options (only those reachable from an init, each read once per run).
//!
//! - Python: relative imports from the importing package; absolute ones from each folder above the
//!   importing file (and its `src/`), so that package roots need not be declared; Django's
//!   `settings` from the `DJANGO_SETTINGS_MODULE` that `manage.py`, `wsgi.py` or `asgi.py` sets.
//! - JavaScript and TypeScript: relative paths with the usual extensions and `index` files;
//!   `tsconfig.json`/`jsconfig.json` `baseUrl` and `paths` (with `extends`, from a file or a
//!   package); `package.json` `imports` (`#alias`); workspace packages (`workspaces`,
//!   `pnpm-workspace.yaml`) through their `exports`, `source`, `module`, `main` or `index`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::eval::Module;
use crate::discover::{self, ReadOutcome};
use crate::source::Lang;

/// How many folders an upward search climbs.
const MAX_HOPS: usize = 16;
/// How many `extends` a tsconfig chain follows.
const MAX_EXTENDS: usize = 8;

/// A module read for its bindings.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    /// The path as findings show it.
    pub display: String,
    pub lang: Lang,
    pub module: Module,
}

/// The modules of one run, and what resolving imports needs (tsconfig files, workspaces), each
/// read once.
#[derive(Default)]
pub struct Modules {
    loaded: Mutex<HashMap<PathBuf, Option<Arc<Loaded>>>>,
    tsconfigs: Mutex<HashMap<PathBuf, Option<Arc<TsPaths>>>>,
    workspaces: Mutex<HashMap<PathBuf, Arc<Packages>>>,
}

impl std::fmt::Debug for Modules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Modules")
    }
}

/// A workspace's packages: each name and folder.
type Packages = Vec<(String, PathBuf)>;

/// The `baseUrl` and `paths` a tsconfig gives (after its `extends`).
#[derive(Debug, Default)]
struct TsPaths {
    base_url: Option<PathBuf>,
    /// Pattern → targets, each target already joined to the folder it is relative to.
    paths: Vec<(String, Vec<PathBuf>)>,
}

impl Modules {
    pub fn new() -> Modules {
        Modules::default()
    }

    /// The lowered module at `path` (read, parsed and lowered once).
    pub fn load(&self, path: &Path) -> Option<Arc<Loaded>> {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(known) = self.loaded.lock().ok()?.get(&key) {
            return known.clone();
        }
        let loaded = match discover::read(path, true) {
            ReadOutcome::File(file) => {
                let tree = super::parse(file.lang, &file.text);
                let module = match file.lang {
                    // Other modules are read for what they define at module level.
                    Lang::Python => super::python_lower::module(
                        &crate::syntax::Flat::new(tree.root_node()),
                        &file.text,
                        Some(&Default::default()),
                    ),
                    Lang::TypeScript | Lang::Tsx => super::javascript_lower::module(
                        &crate::syntax::Flat::new(tree.root_node()),
                        &file.text,
                        Some(&Default::default()),
                    ),
                    // Event data is never read as a module.
                    Lang::Data => return None,
                };
                Some(Arc::new(Loaded {
                    path: path.to_path_buf(),
                    display: file.display.clone(),
                    lang: file.lang,
                    module,
                }))
            }
            _ => None,
        };
        if let Ok(mut map) = self.loaded.lock() {
            map.insert(key, loaded.clone());
        }
        loaded
    }

    /// The file an import in `from` names: `spec` is the module as written (`.settings`,
    /// `app.conf`, `./sentry`, `@/lib/sentry`, `#config`, `@acme/config/sentry`).
    pub fn resolve(&self, from: &Path, lang: Lang, spec: &str) -> Option<PathBuf> {
        match lang {
            Lang::Python => python_module(from, spec),
            Lang::TypeScript | Lang::Tsx => self.js_module(from, spec),
            Lang::Data => None,
        }
    }

    /// The module Django's `settings` reads: the `DJANGO_SETTINGS_MODULE` default set by the
    /// nearest `manage.py`, `wsgi.py` or `asgi.py` above `from` (or in its project folder).
    pub fn django_settings(&self, from: &Path) -> Option<PathBuf> {
        let dir = std::path::absolute(from).ok()?.parent()?.to_path_buf();
        for base in dir.ancestors().take(MAX_HOPS) {
            for name in ["manage.py", "wsgi.py", "asgi.py"] {
                let candidate = base.join(name);
                let Ok(text) = std::fs::read_to_string(&candidate) else {
                    continue;
                };
                if let Some(module) = settings_module_in(&text) {
                    if let Some(p) = python_module(&candidate, &module) {
                        return Some(p);
                    }
                }
            }
        }
        None
    }

    fn js_module(&self, from: &Path, spec: &str) -> Option<PathBuf> {
        let dir = std::path::absolute(from).ok()?.parent()?.to_path_buf();
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return js_file(&dir.join(spec));
        }
        if spec.starts_with('/') {
            return js_file(Path::new(spec));
        }
        if let Some(p) = self.ts_paths(&dir).and_then(|ts| ts.resolve(spec)) {
            return Some(p);
        }
        if spec.starts_with('#') {
            if let Some(p) = package_imports(&dir, spec) {
                return Some(p);
            }
        }
        self.workspace_package(&dir, spec)
    }

    /// The `paths` of the tsconfig (or jsconfig) nearest above `dir`.
    fn ts_paths(&self, dir: &Path) -> Option<Arc<TsPaths>> {
        for base in dir.ancestors().take(MAX_HOPS) {
            for name in ["tsconfig.json", "jsconfig.json"] {
                let file = base.join(name);
                if !file.is_file() {
                    continue;
                }
                if let Some(known) = self.tsconfigs.lock().ok()?.get(&file) {
                    return known.clone();
                }
                let mut paths = TsPaths::default();
                read_tsconfig(&file, &mut paths, 0);
                let found = Some(Arc::new(paths));
                if let Ok(mut map) = self.tsconfigs.lock() {
                    map.insert(file, found.clone());
                }
                return found;
            }
        }
        None
    }

    /// A package of the workspace around `dir` named by `spec` (or a subpath of it).
    fn workspace_package(&self, dir: &Path, spec: &str) -> Option<PathBuf> {
        let root = workspace_root(dir)?;
        let packages = {
            let mut map = self.workspaces.lock().ok()?;
            map.entry(root.clone())
                .or_insert_with(|| Arc::new(workspace_packages(&root)))
                .clone()
        };
        for (name, pkg_dir) in packages.iter() {
            let sub = if spec == name {
                ""
            } else if let Some(rest) = spec.strip_prefix(name.as_str()) {
                match rest.strip_prefix('/') {
                    Some(sub) => sub,
                    None => continue,
                }
            } else {
                continue;
            };
            return package_entry(pkg_dir, sub);
        }
        None
    }
}

/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")`.
fn settings_module_in(text: &str) -> Option<String> {
    let at = text.find("DJANGO_SETTINGS_MODULE")?;
    let rest = &text[at + "DJANGO_SETTINGS_MODULE".len()..];
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(',')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    let module = &body[..end];
    (!module.is_empty()
        && module
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
    .then(|| module.to_string())
}

/// The file of a Python module imported from `importer` (`spec` with its leading dots): relative
/// imports from the importer's package, absolute ones from each folder above the importer and its
/// `src/` (the package root is not declared anywhere the tool could read reliably).
pub fn python_module(importer: &Path, spec: &str) -> Option<PathBuf> {
    let level = spec.chars().take_while(|c| *c == '.').count();
    let module = &spec[level..];
    let rel: PathBuf = module.split('.').filter(|s| !s.is_empty()).collect();
    let candidates = |base: &Path| {
        let mut v = Vec::new();
        if rel.as_os_str().is_empty() {
            v.push(base.join("__init__.py"));
        } else {
            v.push(base.join(&rel).with_extension("py"));
            v.push(base.join(&rel).join("__init__.py"));
        }
        v
    };
    let dir = std::path::absolute(importer).ok()?.parent()?.to_path_buf();
    if level > 0 {
        let mut base = dir;
        for _ in 1..level {
            base = base.parent()?.to_path_buf();
        }
        return candidates(&base).into_iter().find(|p| p.is_file());
    }
    for b in dir.ancestors().take(MAX_HOPS) {
        for base in [b.to_path_buf(), b.join("src")] {
            if let Some(p) = candidates(&base).into_iter().find(|p| p.is_file()) {
                return Some(p);
            }
        }
    }
    None
}

const JS_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// A JavaScript or TypeScript file for a path as imported: the file itself, with an extension
/// added, with `.js` written for a `.ts` source, or the folder's `index`.
fn js_file(p: &Path) -> Option<PathBuf> {
    let p = normalize(p);
    if p.is_file() && Lang::from_path(&p).is_some() {
        return Some(p);
    }
    // `./sentry.js` in TypeScript sources names `./sentry.ts`.
    if let Some(ext) = p.extension().and_then(|e| e.to_str()) {
        let stem = p.with_extension("");
        let swapped: &[&str] = match ext {
            "js" => &["ts", "tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            "jsx" => &["tsx"],
            _ => &[],
        };
        for e in swapped {
            let c = stem.with_extension(e);
            if c.is_file() {
                return Some(c);
            }
        }
    }
    for e in JS_EXTENSIONS {
        let mut s = p.clone().into_os_string();
        s.push(".");
        s.push(e);
        let c = PathBuf::from(s);
        if c.is_file() {
            return Some(c);
        }
    }
    if p.is_dir() {
        for e in JS_EXTENSIONS {
            let c = p.join(format!("index.{e}"));
            if c.is_file() {
                return Some(c);
            }
        }
    }
    None
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A JSONC file (tsconfig, package.json) as a serde value.
fn read_jsonc(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        ..Default::default()
    };
    let value = jsonc_parser::parse_to_value(&text, &options).ok()??;
    Some(to_serde(&value, 0))
}

fn to_serde(v: &jsonc_parser::JsonValue, depth: usize) -> serde_json::Value {
    use jsonc_parser::JsonValue as J;
    use serde_json::Value as S;
    if depth > 64 {
        return S::Null;
    }
    match v {
        J::String(s) => S::String(s.to_string()),
        J::Number(n) => n
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(S::Number)
            .unwrap_or(S::Null),
        J::Boolean(b) => S::Bool(*b),
        J::Null => S::Null,
        J::Array(a) => S::Array(a.iter().map(|x| to_serde(x, depth + 1)).collect()),
        J::Object(o) => S::Object(
            o.clone()
                .into_iter()
                .map(|(k, v)| (k.to_string(), to_serde(&v, depth + 1)))
                .collect(),
        ),
    }
}

/// Read a tsconfig and the ones it extends (bases first, so that the child's settings win).
fn read_tsconfig(file: &Path, out: &mut TsPaths, depth: usize) {
    if depth > MAX_EXTENDS {
        return;
    }
    let Some(doc) = read_jsonc(file) else {
        return;
    };
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    let extends: Vec<String> = match doc.get("extends") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    };
    for e in extends {
        if let Some(base) = tsconfig_extends(&dir, &e) {
            read_tsconfig(&base, out, depth + 1);
        }
    }
    let Some(options) = doc.get("compilerOptions") else {
        return;
    };
    if let Some(base) = options.get("baseUrl").and_then(|b| b.as_str()) {
        out.base_url = Some(normalize(&dir.join(base)));
    }
    if let Some(paths) = options.get("paths").and_then(|p| p.as_object()) {
        // Relative to `baseUrl` when one is in effect, else to this file's folder.
        let anchor = out.base_url.clone().unwrap_or_else(|| dir.clone());
        out.paths = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = targets
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str())
                            .map(|t| anchor.join(t))
                            .collect()
                    })
                    .unwrap_or_default();
                (pattern.clone(), targets)
            })
            .collect();
    }
}

/// The file an `extends` names: a path from the tsconfig's folder, or a file of a package
/// (installed in `node_modules` above, or a package of the workspace).
fn tsconfig_extends(dir: &Path, spec: &str) -> Option<PathBuf> {
    let with_json = |p: PathBuf| -> Option<PathBuf> {
        if p.is_file() {
            return Some(p);
        }
        let mut s = p.clone().into_os_string();
        s.push(".json");
        let j = PathBuf::from(s);
        if j.is_file() {
            return Some(j);
        }
        let t = p.join("tsconfig.json");
        t.is_file().then_some(t)
    };
    if spec.starts_with('.') || spec.starts_with('/') {
        return with_json(normalize(&dir.join(spec)));
    }
    // A package: `@acme/tsconfig/base.json`, `@tsconfig/node20`.
    let (name, sub) = split_package(spec);
    for base in dir.ancestors().take(MAX_HOPS) {
        let pkg = base.join("node_modules").join(name);
        if pkg.is_dir() {
            return match sub {
                "" => package_json_field(&pkg, "tsconfig")
                    .and_then(|t| with_json(pkg.join(t)))
                    .or_else(|| with_json(pkg.join("tsconfig.json"))),
                sub => with_json(pkg.join(sub)),
            };
        }
    }
    let root = workspace_root(dir)?;
    let (_, pkg) = workspace_packages(&root)
        .into_iter()
        .find(|(n, _)| n == name)?;
    match sub {
        "" => with_json(pkg.join("tsconfig.json")),
        sub => with_json(pkg.join(sub)),
    }
}

/// `@scope/name/sub/path` → (`@scope/name`, `sub/path`); `name/sub` → (`name`, `sub`).
fn split_package(spec: &str) -> (&str, &str) {
    let parts = if spec.starts_with('@') { 2 } else { 1 };
    let mut idx = 0;
    let mut seen = 0;
    for (i, c) in spec.char_indices() {
        if c == '/' {
            seen += 1;
            if seen == parts {
                idx = i;
                break;
            }
        }
    }
    if idx == 0 {
        (spec, "")
    } else {
        (&spec[..idx], &spec[idx + 1..])
    }
}

fn package_json_field(pkg: &Path, field: &str) -> Option<String> {
    read_jsonc(&pkg.join("package.json"))?
        .get(field)?
        .as_str()
        .map(str::to_string)
}

impl TsPaths {
    /// The file a `paths` pattern maps `spec` to (the longest matching prefix wins), or one
    /// under `baseUrl`.
    fn resolve(&self, spec: &str) -> Option<PathBuf> {
        let mut best: Option<(usize, &Vec<PathBuf>, &str)> = None;
        for (pattern, targets) in &self.paths {
            let captured = match pattern.split_once('*') {
                Some((pre, post)) => spec
                    .strip_prefix(pre)
                    .and_then(|r| r.strip_suffix(post))
                    .map(|c| (pre.len(), c)),
                None => (pattern == spec).then_some((pattern.len(), "")),
            };
            if let Some((len, c)) = captured {
                if best.is_none_or(|(l, _, _)| len > l) {
                    best = Some((len, targets, c));
                }
            }
        }
        if let Some((_, targets, captured)) = best {
            for t in targets {
                let p = PathBuf::from(t.to_string_lossy().replace('*', captured));
                if let Some(f) = js_file(&p) {
                    return Some(f);
                }
            }
        }
        js_file(&self.base_url.as_ref()?.join(spec))
    }
}

/// `#alias` through the `imports` of the nearest `package.json` that has them.
fn package_imports(dir: &Path, spec: &str) -> Option<PathBuf> {
    for base in dir.ancestors().take(MAX_HOPS) {
        let Some(doc) = read_jsonc(&base.join("package.json")) else {
            continue;
        };
        let Some(imports) = doc.get("imports").and_then(|i| i.as_object()) else {
            continue;
        };
        for (key, target) in imports {
            let captured = match key.split_once('*') {
                Some((pre, post)) => spec.strip_prefix(pre).and_then(|r| r.strip_suffix(post)),
                None => (key == spec).then_some(""),
            };
            let Some(captured) = captured else {
                continue;
            };
            for t in condition_targets(target) {
                if let Some(f) = js_file(&base.join(t.replace('*', captured))) {
                    return Some(f);
                }
            }
        }
        return None;
    }
    None
}

/// The paths a `package.json` export or import target gives, in preference order: source-like
/// conditions first (`source`, `types`, `import`, `module`, `default`, `require`, `node`).
fn condition_targets(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(condition_targets).collect(),
        serde_json::Value::Object(o) => {
            let mut out = Vec::new();
            for key in [
                "source", "types", "import", "module", "default", "require", "node",
            ] {
                if let Some(x) = o.get(key) {
                    out.extend(condition_targets(x));
                }
            }
            out
        }
        _ => vec![],
    }
}

/// The folder of the workspace root above `dir`: a `package.json` with `workspaces`, or a
/// `pnpm-workspace.yaml`.
fn workspace_root(dir: &Path) -> Option<PathBuf> {
    for base in dir.ancestors().take(MAX_HOPS) {
        if base.join("pnpm-workspace.yaml").is_file() {
            return Some(base.to_path_buf());
        }
        if read_jsonc(&base.join("package.json")).is_some_and(|d| d.get("workspaces").is_some()) {
            return Some(base.to_path_buf());
        }
    }
    None
}

/// The workspace's packages: their names and folders.
fn workspace_packages(root: &Path) -> Vec<(String, PathBuf)> {
    let mut globs: Vec<String> = Vec::new();
    if let Some(doc) = read_jsonc(&root.join("package.json")) {
        match doc.get("workspaces") {
            Some(serde_json::Value::Array(a)) => {
                globs.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)))
            }
            Some(serde_json::Value::Object(o)) => {
                if let Some(serde_json::Value::Array(a)) = o.get("packages") {
                    globs.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)))
                }
            }
            _ => {}
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join("pnpm-workspace.yaml")) {
        // `packages:` followed by `- "glob"` items.
        let mut in_packages = false;
        for line in text.lines() {
            let t = line.trim();
            if !line.starts_with(' ') && !line.starts_with('-') {
                in_packages = t.starts_with("packages:");
                continue;
            }
            if in_packages {
                if let Some(item) = t.strip_prefix('-') {
                    globs.push(item.trim().trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    for g in globs {
        if g.starts_with('!') {
            continue;
        }
        // `packages/*`, `apps/**`, `tooling/config`: the folders matched, one level of `*`.
        let g = g.trim_end_matches("/**").trim_end_matches('/');
        let dirs: Vec<PathBuf> = match g.strip_suffix("/*") {
            Some(parent) => std::fs::read_dir(root.join(parent))
                .map(|rd| {
                    let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
                    v.sort();
                    v
                })
                .unwrap_or_default(),
            None => vec![root.join(g)],
        };
        for d in dirs {
            if let Some(name) = package_json_field(&d, "name") {
                out.push((name, d));
            }
        }
    }
    out
}

/// The file of a workspace package (or of a subpath of it).
fn package_entry(pkg: &Path, sub: &str) -> Option<PathBuf> {
    let doc = read_jsonc(&pkg.join("package.json"));
    let key = if sub.is_empty() {
        ".".to_string()
    } else {
        format!("./{sub}")
    };
    if let Some(exports) = doc.as_ref().and_then(|d| d.get("exports")) {
        let target = match exports {
            serde_json::Value::Object(o) if o.keys().any(|k| k.starts_with('.')) => {
                o.get(&key).cloned().or_else(|| {
                    o.iter().find_map(|(k, v)| {
                        let (pre, post) = k.split_once('*')?;
                        let c = key.strip_prefix(pre)?.strip_suffix(post)?;
                        Some(serde_json::Value::String(
                            condition_targets(v).first()?.replace('*', c),
                        ))
                    })
                })
            }
            other if sub.is_empty() => Some(other.clone()),
            _ => None,
        };
        if let Some(t) = target {
            for t in condition_targets(&t) {
                if let Some(f) = js_file(&pkg.join(t)) {
                    return Some(f);
                }
            }
        }
    }
    if !sub.is_empty() {
        return js_file(&pkg.join(sub)).or_else(|| js_file(&pkg.join("src").join(sub)));
    }
    for field in ["source", "module", "main", "types"] {
        if let Some(t) = doc
            .as_ref()
            .and_then(|d| d.get(field))
            .and_then(|v| v.as_str())
        {
            if let Some(f) = js_file(&pkg.join(t)) {
                return Some(f);
            }
        }
    }
    js_file(&pkg.join("src/index")).or_else(|| js_file(&pkg.join("index")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_settings_module() {
        let manage = "import os\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings.production\")\n";
        assert_eq!(
            settings_module_in(manage).as_deref(),
            Some("shop.settings.production")
        );
        assert_eq!(settings_module_in("DJANGO_SETTINGS_MODULE = x"), None);
    }

    #[test]
    fn package_names_and_subpaths() {
        assert_eq!(
            split_package("@acme/config/sentry"),
            ("@acme/config", "sentry")
        );
        assert_eq!(split_package("@acme/config"), ("@acme/config", ""));
        assert_eq!(split_package("lodash/get"), ("lodash", "get"));
    }

    #[test]
    fn paths_prefer_the_longest_pattern() {
        let ts = TsPaths {
            base_url: None,
            paths: vec![
                ("@/*".into(), vec![PathBuf::from("/nowhere/src/*")]),
                ("@/lib/*".into(), vec![PathBuf::from("/nowhere/lib/*")]),
            ],
        };
        // Neither exists: no file, and no panic.
        assert_eq!(ts.resolve("@/lib/sentry"), None);
    }
}
