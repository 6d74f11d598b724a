//! yarn.lock: v1 (yarn classic's own format, parsed here) and berry (YAML, with `__metadata`).
//!
//! An entry lists the descriptors it resolves (`"@sentry/react@^8.0.0, @sentry/react@^8.1.0"`)
//! and the `version` installed. When one package is locked at several versions, the entry whose
//! descriptor is the range the init's package.json asks for is the one.
//!
//! The `yarn-lock-parser` crate was considered: it reports neither lines for entries nor the
//! position of a parse error, so v1 is parsed by hand (a small line format) and berry as YAML.

use std::collections::BTreeSet;
use std::path::Path;

use super::super::cache::Answer;
use super::super::declared::{Names, Pattern};
use super::super::names::{npm_relevant, split_descriptor};
use super::super::read::Problem;
use super::super::yaml;
use super::{hit, locked_version, several};

/// One yarn.lock entry of an `@sentry/*` package.
#[derive(Debug, Clone)]
pub(crate) struct YarnEntry {
    /// `(package, range)` of each descriptor (`("@sentry/react", "npm:^8.0.0")`).
    descriptors: Vec<(String, String)>,
    version: String,
    /// Line of the version.
    line: usize,
}

/// The `@sentry/*` entries of a yarn.lock, and the packages of all its entries.
#[derive(Debug, Default)]
pub(crate) struct YarnLock {
    entries: Vec<YarnEntry>,
    /// Each entry's packages (once per entry), with the line of its key.
    names: Names,
}

impl YarnLock {
    /// Record the packages an entry resolves, at the line of its key.
    fn declare(&mut self, descriptors: &[(String, String)], line: usize) {
        let mut seen: Vec<&str> = Vec::new();
        for (package, _) in descriptors {
            if !seen.contains(&package.as_str()) {
                seen.push(package);
                self.names.push(package.as_str(), line);
            }
        }
    }
}

/// Parse yarn.lock, v1 or berry.
pub(crate) fn parse_yarn_lock(text: &str) -> Result<YarnLock, Problem> {
    if text.lines().any(|l| l.trim_end() == "__metadata:") {
        parse_berry(text)
    } else {
        parse_v1(text)
    }
}

/// The descriptors of an entry key, split on commas (`a@^1, a@^1.2`).
fn descriptors(key: &str) -> Vec<(String, String)> {
    key.split(',')
        .filter_map(|d| split_descriptor(d.trim()))
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect()
}

/// Whether an entry resolves an `@sentry/*` package.
fn relevant(descriptors: &[(String, String)]) -> bool {
    descriptors.iter().any(|(p, _)| npm_relevant(p))
}

/// Parse a berry lockfile (YAML).
fn parse_berry(text: &str) -> Result<YarnLock, Problem> {
    let doc = yaml::parse(text)?;
    let entries = doc
        .entries()
        .ok_or_else(|| Problem::at(doc.line, "the top level should be a mapping"))?;
    let mut out = YarnLock::default();
    for (key, value) in entries {
        let Some(key_text) = key.as_str() else {
            continue;
        };
        if key_text == "__metadata" {
            continue;
        }
        let descriptors = descriptors(key_text);
        out.declare(&descriptors, key.line);
        if !relevant(&descriptors) {
            continue;
        }
        if value.entries().is_none() {
            return Err(Problem::at(
                value.line,
                format!("`{key_text}` should be a mapping"),
            ));
        }
        let version = value
            .get("version")
            .and_then(|v| v.as_str().map(|s| (s.to_string(), v.line)))
            .ok_or_else(|| Problem::at(key.line, format!("`{key_text}` has no `version`")))?;
        out.entries.push(YarnEntry {
            descriptors,
            version: version.0,
            line: version.1,
        });
    }
    Ok(out)
}

/// An entry being read from a v1 lockfile.
struct Pending {
    descriptors: Vec<(String, String)>,
    header_line: usize,
    version: Option<(String, usize)>,
}

/// Parse a v1 lockfile: unindented `descriptors:` headers, indented `key value` fields.
fn parse_v1(text: &str) -> Result<YarnLock, Problem> {
    let mut out = YarnLock::default();
    let mut current: Option<Pending> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if indent == 0 {
            finish(current.take(), &mut out)?;
            let key = trimmed
                .strip_suffix(':')
                .ok_or_else(|| Problem::at(line, "expected an entry header ending in `:`"))?;
            current = Some(Pending {
                descriptors: header_descriptors(key, line)?,
                header_line: line,
                version: None,
            });
            continue;
        }
        let entry = current
            .as_mut()
            .ok_or_else(|| Problem::at(line, "an indented line outside any entry"))?;
        if let Some(value) = trimmed.strip_prefix("version ") {
            if indent == 2 {
                entry.version = Some((unquote(value.trim(), line)?, line));
            }
        }
    }
    finish(current, &mut out)?;
    Ok(out)
}

/// Keep a finished v1 entry if it is a Sentry one; it must have a version.
fn finish(entry: Option<Pending>, out: &mut YarnLock) -> Result<(), Problem> {
    let Some(entry) = entry else {
        return Ok(());
    };
    out.declare(&entry.descriptors, entry.header_line);
    if !relevant(&entry.descriptors) {
        return Ok(());
    }
    let (version, line) = entry
        .version
        .ok_or_else(|| Problem::at(entry.header_line, "the entry has no `version`"))?;
    out.entries.push(YarnEntry {
        descriptors: entry.descriptors,
        version,
        line,
    });
    Ok(())
}

/// The descriptors of a v1 header: comma-separated, each optionally in double quotes.
fn header_descriptors(key: &str, line: usize) -> Result<Vec<(String, String)>, Problem> {
    let parts = key
        .split(',')
        .map(|part| unquote(part.trim(), line))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(descriptors(&parts.join(",")))
}

/// A v1 value without its double quotes (unquoted values are taken as they are).
fn unquote(text: &str, line: usize) -> Result<String, Problem> {
    match text.strip_prefix('"') {
        Some(rest) => rest
            .strip_suffix('"')
            .map(str::to_string)
            .ok_or_else(|| Problem::at(line, format!("unterminated quote in `{text}`"))),
        None => Ok(text.to_string()),
    }
}

impl YarnLock {
    /// The version of `pkg`: the only one locked, or the entry for `range` (what the init's
    /// package.json asks for); else all of them, with a warning.
    pub fn find(&self, pkg: &str, range: Option<&str>, path: &Path) -> Answer {
        let named: Vec<&YarnEntry> = self
            .entries
            .iter()
            .filter(|e| e.descriptors.iter().any(|(p, _)| p == pkg))
            .collect();
        let versions: BTreeSet<&str> = named.iter().map(|e| e.version.as_str()).collect();
        if versions.len() == 1 {
            let first = named[0];
            return Some(hit(
                pkg,
                locked_version(&first.version, pkg),
                path,
                first.line,
            ));
        }
        if let Some(range) = range {
            let npm_range = format!("npm:{range}");
            let chosen = named.iter().find(|e| {
                e.descriptors
                    .iter()
                    .any(|(p, r)| p == pkg && (r == range || *r == npm_range))
            });
            if let Some(e) = chosen {
                return Some(hit(pkg, locked_version(&e.version, pkg), path, e.line));
            }
        }
        let why = match range {
            Some(r) => format!("no entry is for the range `{r}` that package.json asks for"),
            None => "no package.json between the init and the lockfile names it".to_string(),
        };
        let found = named.iter().map(|e| (e.version.clone(), e.line)).collect();
        several(pkg, found, &why, path)
    }

    /// The first package matching `pattern` (in file order) and the line of its entry.
    pub fn declared(&self, pattern: &Pattern) -> Option<(String, usize)> {
        self.names.find(pattern)
    }

    /// The packages locked.
    pub fn packages(&self) -> BTreeSet<String> {
        self.entries
            .iter()
            .flat_map(|e| e.descriptors.iter().map(|(p, _)| p.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@sentry/core@8.1.0":
  version "8.1.0"
  resolved "https://registry.example/@sentry/core/-/core-8.1.0.tgz"

"@sentry/react@^8.0.0", "@sentry/react@^8.1.0":
  version "8.1.0"
  dependencies:
    "@sentry/core" "8.1.0"

react@^18:
  version "18.3.1"
"#;

    #[test]
    fn v1_entries_and_lines() {
        let lock = parse_yarn_lock(V1).unwrap();
        assert_eq!(lock.entries.len(), 2);
        assert_eq!(lock.entries[1].line, 10);
        assert_eq!(
            lock.entries[1].descriptors,
            [
                ("@sentry/react".to_string(), "^8.0.0".to_string()),
                ("@sentry/react".to_string(), "^8.1.0".to_string())
            ]
        );
    }

    #[test]
    fn every_entry_is_declared_at_its_header() {
        let p = |n: &str| Pattern::new(n, crate::sdk::Ecosystem::Npm);
        let lock = parse_yarn_lock(V1).unwrap();
        assert_eq!(lock.declared(&p("react")), Some(("react".into(), 14)));
        assert_eq!(
            lock.declared(&p("@sentry/*")),
            Some(("@sentry/core".into(), 5))
        );
        let berry = "__metadata:\n  version: 8\n\n\"ai@npm:^4.1.0\":\n  version: 4.1.45\n\n\
                     \"web@workspace:apps/web\":\n  version: 0.0.0-use.local\n";
        let lock = parse_yarn_lock(berry).unwrap();
        assert_eq!(lock.declared(&p("ai")), Some(("ai".into(), 4)));
        assert_eq!(lock.declared(&p("openai")), None);
    }

    #[test]
    fn v1_errors_name_the_line() {
        let err = parse_yarn_lock("\"@sentry/react@^8\":\n  version \"8.1.0\n")
            .err()
            .unwrap();
        assert_eq!(err.line, Some(2));
        let err = parse_yarn_lock("\"@sentry/react@^8\"\n  version \"8.1.0\"\n")
            .err()
            .unwrap();
        assert_eq!(err.line, Some(1));
        let err = parse_yarn_lock("\"@sentry/react@^8\":\n  resolved \"x\"\n")
            .err()
            .unwrap();
        assert_eq!(err, Problem::at(1, "the entry has no `version`"));
    }
}
