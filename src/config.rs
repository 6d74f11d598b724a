//! The configuration file: `sentry-privacy-audit.toml`, `.sentry-privacy-audit.toml` or
//! `[tool.sentry-privacy-audit]` in `pyproject.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::registry::{Rule, RuleSelector, RuleSet};

pub const CONFIG_FILES: [&str; 2] = ["sentry-privacy-audit.toml", ".sentry-privacy-audit.toml"];

/// A configuration error; the message names the file, line and key.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

/// A severity override: a severity or `"off"`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    Error,
    Warning,
    Info,
    Off,
}

/// The file's keys, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    sensitive_fields: Vec<String>,
    #[serde(default)]
    customer_data_routes: Vec<String>,
    #[serde(default)]
    mask_components: Option<Vec<String>>,
    #[serde(default)]
    max_session_sample_rate: Option<f64>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, SeverityOverride>,
    #[serde(default)]
    criteria: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct PyProject {
    #[serde(default)]
    tool: Option<PyProjectTool>,
}

#[derive(Debug, Deserialize)]
struct PyProjectTool {
    #[serde(rename = "sentry-privacy-audit")]
    this: Option<RawConfig>,
}

/// The resolved configuration.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from (None: defaults).
    pub file: Option<PathBuf>,
    /// The folder relative globs are matched from.
    pub root: PathBuf,
    anchor: Anchor,
    pub sensitive_fields: Vec<String>,
    pub customer_data_routes: GlobSet,
    pub has_routes: bool,
    pub mask_components: Vec<String>,
    pub max_session_sample_rate: f64,
    pub exclude: Excludes,
    pub select: Vec<RuleSelector>,
    pub ignore: Vec<RuleSelector>,
    /// The rules `select` and `ignore` leave enabled, resolved once.
    pub rules: RuleSet,
    pub severity: BTreeMap<Rule, SeverityOverride>,
    /// The wording of each acceptance criterion (`AC2` → "customer-data routes masked in Session
    /// Replay"): the defaults, with the configuration's `[criteria]` over them.
    pub criteria: BTreeMap<String, String>,
}

impl Config {
    pub fn defaults(root: PathBuf) -> Config {
        Config::from_raw(RawConfig::default(), None, root).expect("defaults are valid")
    }

    /// Is the rule enabled, and at which severity?
    pub fn severity_of(&self, rule: Rule, default: Severity) -> Option<Severity> {
        if !self.rules.contains(rule) {
            return None;
        }
        match self.severity.get(&rule) {
            Some(SeverityOverride::Off) => None,
            Some(SeverityOverride::Error) => Some(Severity::Error),
            Some(SeverityOverride::Warning) => Some(Severity::Warning),
            Some(SeverityOverride::Info) => Some(Severity::Info),
            None => Some(default),
        }
    }

    /// Apply `--select` (replaces), `--extend-select` and `--ignore` (add) from the command line.
    pub fn override_selection(
        &mut self,
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
    ) -> Result<(), String> {
        if let Some(list) = select {
            self.select = parse_selectors(list, "--select")?;
        }
        self.select
            .extend(parse_selectors(extend_select, "--extend-select")?);
        self.ignore.extend(parse_selectors(ignore, "--ignore")?);
        self.rules = RuleSet::resolve(&self.select, &self.ignore);
        Ok(())
    }

    /// Is `path` (as found on disk) one of the customer-data routes?
    pub fn is_customer_route(&self, path: &Path) -> bool {
        self.has_routes
            && self
                .anchor
                .relative(path)
                .map(|rel| self.customer_data_routes.is_match(rel))
                .unwrap_or(false)
    }

    fn from_raw(raw: RawConfig, file: Option<PathBuf>, root: PathBuf) -> Result<Config, String> {
        let routes = build_globs(&raw.customer_data_routes)?;
        let select = match raw.select {
            Some(list) => parse_selectors(&list, "select")?,
            None => vec![RuleSelector::All],
        };
        let ignore = parse_selectors(&raw.ignore, "ignore")?;
        let mut severity = BTreeMap::new();
        for (code, level) in raw.severity {
            let rule = Rule::from_code(&code)
                .ok_or_else(|| format!("[severity]: unknown rule code `{code}`"))?;
            severity.insert(rule, level);
        }
        let mut criteria: BTreeMap<String, String> = crate::registry::CRITERIA
            .iter()
            .map(|(c, t)| (c.to_string(), t.to_string()))
            .collect();
        for (code, text) in raw.criteria {
            let Some(slot) = criteria.get_mut(&code) else {
                return Err(format!(
                    "[criteria]: unknown criterion `{code}` (the rules are judged against {})",
                    crate::registry::CRITERIA.map(|c| c.0).join(", ")
                ));
            };
            if text.trim().is_empty() {
                return Err(format!("[criteria]: `{code}` is empty"));
            }
            *slot = text.trim().to_string();
        }
        if let Some(rate) = raw.max_session_sample_rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "max_session_sample_rate: {rate} is not a rate between 0 and 1"
                ));
            }
        }
        Ok(Config {
            file,
            has_routes: !raw.customer_data_routes.is_empty(),
            customer_data_routes: routes,
            sensitive_fields: raw.sensitive_fields,
            mask_components: raw
                .mask_components
                .unwrap_or_else(|| vec!["Mask".to_string()]),
            max_session_sample_rate: raw.max_session_sample_rate.unwrap_or(0.0),
            exclude: Excludes::new(&raw.exclude, &root)?,
            anchor: Anchor::new(&root),
            root,
            rules: RuleSet::resolve(&select, &ignore),
            select,
            ignore,
            severity,
            criteria,
        })
    }

    /// Read a configuration file (a `pyproject.toml` is read for its `[tool.sentry-privacy-audit]`).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."));
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let raw = if is_pyproject {
            let py: PyProject = toml::from_str(&text).map_err(|e| err(toml_message(&text, &e)))?;
            py.tool.and_then(|t| t.this).unwrap_or_default()
        } else {
            toml::from_str(&text).map_err(|e| err(toml_message(&text, &e)))?
        };
        Config::from_raw(raw, Some(path.to_path_buf()), root).map_err(err)
    }

    /// The nearest configuration at or above `start` (a file or folder).
    pub fn discover(start: &Path) -> Result<Option<PathBuf>, ConfigError> {
        let abs = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if abs.is_dir() {
            Some(abs.as_path())
        } else {
            abs.parent()
        };
        while let Some(d) = dir {
            for name in CONFIG_FILES {
                let candidate = d.join(name);
                if candidate.is_file() {
                    return Ok(Some(candidate));
                }
            }
            let py = d.join("pyproject.toml");
            if py.is_file() && pyproject_has_section(&py)? {
                return Ok(Some(py));
            }
            dir = d.parent();
        }
        Ok(None)
    }
}

fn pyproject_has_section(path: &Path) -> Result<bool, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let table: toml::Table = match toml::from_str(&text) {
        Ok(t) => t,
        // A pyproject.toml that is not valid TOML is some other tool's problem unless it is ours.
        Err(e) if text.contains("[tool.sentry-privacy-audit") => {
            return Err(ConfigError {
                path: path.display().to_string(),
                message: toml_message(&text, &e),
            })
        }
        Err(_) => return Ok(false),
    };
    Ok(table
        .get("tool")
        .and_then(|t| t.get("sentry-privacy-audit"))
        .is_some())
}

/// `line N, column C: message`, from a TOML error with a span.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let line_start = text[..span.start.min(text.len())]
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let column = text[line_start..span.start.min(text.len())].chars().count() + 1;
            // Name the key: the one the error points at, or the key of the line it is on.
            let line_text = text[line_start..].lines().next().unwrap_or("");
            let key = match line_text.split_once('=') {
                Some((k, _)) if !k.trim_start().starts_with('[') => k.trim().to_string(),
                _ => text[span.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
            };
            format!("line {line}, column {column}: key `{key}`: {msg}")
        }
        None => msg,
    }
}

fn parse_selectors(list: &[String], key: &str) -> Result<Vec<RuleSelector>, String> {
    list.iter()
        .map(|s| RuleSelector::parse(s).ok_or_else(|| format!("{key}: `{s}` matches no rule code")))
        .collect()
}

fn build_globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./");
        let glob = GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("customer_data_routes: {e}"))?;
        b.add(glob);
    }
    b.build().map_err(|e| e.to_string())
}

/// `path` relative to `root`, with `/`, when it is below it.
pub fn relative_to(path: &Path, root: &Path) -> Option<String> {
    Anchor::new(root).relative(path)
}

/// A folder that paths are made relative to, resolved once: matching a path against it costs no
/// system call (`std::path::absolute` asks for the working directory every time).
#[derive(Debug, Clone, Default)]
pub struct Anchor {
    /// The folder, absolute.
    root: PathBuf,
    /// The working directory relative paths are read from.
    cwd: PathBuf,
    /// The folder's names below the working directory, when it is there (every file of a walk
    /// is matched, so its relative paths are matched without building absolute ones).
    below_cwd: Option<Vec<std::ffi::OsString>>,
}

impl Anchor {
    pub fn new(root: &Path) -> Anchor {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = cwd.join(root);
        let below_cwd = root.strip_prefix(&cwd).ok().and_then(|rel| {
            rel.components()
                .map(|c| match c {
                    std::path::Component::Normal(s) => Some(s.to_os_string()),
                    _ => None,
                })
                .collect()
        });
        Anchor {
            root,
            cwd,
            below_cwd,
        }
    }

    /// `path` relative to the folder, with `/`, when it is below it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        if let (true, Some(base)) = (path.is_relative(), &self.below_cwd) {
            // A relative path of names (and `.`): below the folder when it starts with the
            // folder's names, the rest being the relative path.
            let mut names = Vec::with_capacity(8);
            let mut plain = true;
            for c in path.components() {
                match c {
                    std::path::Component::Normal(s) => names.push(s),
                    std::path::Component::CurDir => {}
                    _ => plain = false,
                }
            }
            if plain {
                if names.len() < base.len() || names.iter().zip(base).any(|(n, b)| *n != b) {
                    return None;
                }
                let mut out = String::with_capacity(path.as_os_str().len());
                for (k, name) in names[base.len()..].iter().enumerate() {
                    if k > 0 {
                        out.push('/');
                    }
                    out.push_str(&name.to_string_lossy());
                }
                return Some(out);
            }
        }
        let joined;
        let abs = if path.is_absolute() {
            path
        } else {
            joined = self.cwd.join(path);
            &joined
        };
        // Components drop `.`; `..` is kept as written, as `std::path::absolute` does.
        Some(names_joined(abs.strip_prefix(&self.root).ok()?))
    }
}

/// The names of a relative path, joined with `/` (`.` and `..` left out).
fn names_joined(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Exclusion patterns: a pattern without `/` matches any path component; one with `/` is matched
/// against the path relative to the folder it was given in.
#[derive(Debug, Default, Clone)]
pub struct Excludes {
    names: Option<GlobSet>,
    paths: Option<GlobSet>,
    root: Anchor,
}

impl Excludes {
    pub fn new(patterns: &[String], root: &Path) -> Result<Excludes, String> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        let (mut n, mut p) = (0, 0);
        for pat in patterns {
            let trimmed = pat.trim_start_matches("./").trim_end_matches('/');
            let glob = |s: &str| {
                GlobBuilder::new(s)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("exclude: {e}"))
            };
            if trimmed.contains('/') {
                paths.add(glob(trimmed)?);
                // `a/b` also excludes everything below it.
                paths.add(glob(&format!("{trimmed}/**"))?);
                p += 1;
            } else {
                names.add(glob(trimmed)?);
                n += 1;
            }
        }
        Ok(Excludes {
            names: (n > 0)
                .then(|| names.build())
                .transpose()
                .map_err(|e| e.to_string())?,
            paths: (p > 0)
                .then(|| paths.build())
                .transpose()
                .map_err(|e| e.to_string())?,
            root: Anchor::new(root),
        })
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        if let Some(names) = &self.names {
            if let Some(name) = path.file_name() {
                if names.is_match(Path::new(name)) {
                    return true;
                }
            }
        }
        if let Some(paths) = &self.paths {
            if let Some(rel) = self.root.relative(path) {
                return paths.is_match(rel);
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_matched_as_absolute_ones_are() {
        // What `relative` gives, worked out from absolute paths.
        let reference = |root: &Path, path: &Path| -> Option<String> {
            let cwd = std::env::current_dir().unwrap();
            Some(names_joined(
                cwd.join(path).strip_prefix(cwd.join(root)).ok()?,
            ))
        };
        let cwd = std::env::current_dir().unwrap();
        let roots = [
            PathBuf::from("."),
            PathBuf::from(""),
            PathBuf::from("web"),
            PathBuf::from("./web/src"),
            PathBuf::from(".."),
            cwd.join("web"),
            PathBuf::from("/"),
        ];
        let paths = [
            "./web/src/a.tsx",
            "web/src/a.tsx",
            "web",
            "web/",
            "./web/./src//b.ts",
            "a.py",
            "webapp/a.py",
            "../web/a.py",
            "web/../api/a.py",
            ".",
        ];
        for root in &roots {
            let anchor = Anchor::new(root);
            for p in paths
                .iter()
                .map(PathBuf::from)
                .chain(paths.iter().map(|p| cwd.join(p)))
            {
                assert_eq!(
                    anchor.relative(&p),
                    reference(root, &p),
                    "{} under {}",
                    p.display(),
                    root.display()
                );
            }
        }
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_all_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "sentry-privacy-audit.toml",
            r#"
sensitive_fields = ["ticket_data"]
customer_data_routes = ["src/routes/**"]
mask_components = ["Mask", "Private"]
max_session_sample_rate = 0.05
exclude = ["legacy", "tools/scripts"]
select = ["SPA"]
ignore = ["SPA005"]
[severity]
SPA004 = "error"
SPA104 = "off"
"#,
        );
        let c = Config::load(&p).unwrap();
        assert_eq!(c.sensitive_fields, ["ticket_data"]);
        assert_eq!(c.mask_components, ["Mask", "Private"]);
        assert_eq!(c.max_session_sample_rate, 0.05);
        assert!(c.is_customer_route(&dir.path().join("src/routes/chat/Page.tsx")));
        assert!(!c.is_customer_route(&dir.path().join("src/other/Page.tsx")));
        assert!(c.exclude.is_excluded(&dir.path().join("a/legacy")));
        assert!(c
            .exclude
            .is_excluded(&dir.path().join("tools/scripts/x.py")));
        assert!(!c.exclude.is_excluded(&dir.path().join("tools/x.py")));
        assert_eq!(
            c.severity_of(Rule::LocalVariablesSent, Severity::Warning),
            None
        );
        assert_eq!(
            c.severity_of(Rule::ReplaySamplingWhileUnmasked, Severity::Error),
            None
        );
        assert_eq!(
            c.severity_of(Rule::RequestBodiesSent, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            c.severity_of(Rule::SendDefaultPii, Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "sentry-privacy-audit.toml",
            "sensitive_fields = []\nmask_component = [\"Mask\"]\n",
        );
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains("sentry-privacy-audit.toml"), "{e}");
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("mask_component"), "{e}");
    }

    #[test]
    fn wrong_type_names_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "sentry-privacy-audit.toml",
            "\n\nmax_session_sample_rate = \"high\"\n",
        );
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("max_session_sample_rate"), "{e}");
    }

    #[test]
    fn unknown_codes_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "c.toml", "ignore = [\"XYZ1\"]\n");
        assert!(Config::load(&p).unwrap_err().to_string().contains("XYZ1"));
        let p = write(dir.path(), "d.toml", "[severity]\nSPA999 = \"error\"\n");
        assert!(Config::load(&p).unwrap_err().to_string().contains("SPA999"));
    }

    #[test]
    fn pyproject_section_is_found_and_read() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.sentry-privacy-audit]\nsensitive_fields = [\"a\"]\n",
        );
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let found = Config::discover(&dir.path().join("sub")).unwrap().unwrap();
        assert!(found.ends_with("pyproject.toml"));
        assert_eq!(Config::load(&found).unwrap().sensitive_fields, ["a"]);
    }

    #[test]
    fn pyproject_without_section_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        // Nothing at or above (within the temp dir); the search may find nothing further up.
        let found = Config::discover(&sub).unwrap();
        assert!(found.is_none_or(|p| !p.starts_with(dir.path())));
    }
}
