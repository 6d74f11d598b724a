//! Versions and version requirements as the two ecosystems write them: PEP 440 for Python
//! (`3.0.0b2`, `2.75`, `>=2.0,<3`) and semver for npm (`11.12.0-beta.1`, `^10.57.0`).
//!
//! [`Version`] is this tool's own small type (the SDK tables compare against it); requirement sets
//! are parsed and matched by `pep440_rs` and `nodejs-semver`, which implement the ecosystems'
//! rules, pre-releases included.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How a pre-release is written: `3.0.0b2` (PEP 440) or `3.0.0-beta.2` (semver).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Scheme {
    /// No pre-release: both ecosystems write the same text.
    Release,
    /// PEP 440 pre-release, appended without separator (`b2`, `rc1`, `dev3`, `a1.dev2`).
    Pep440,
    /// Semver pre-release, after a hyphen (`beta.1`).
    Semver,
}

/// A released or pre-released version: `major.minor.patch` and an optional pre-release.
///
/// Missing release parts are zero (`2.75` is `2.75.0`); PEP 440 post-releases count as the
/// release they follow (`2.0.0.post1` is `2.0.0`); local versions and build metadata are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// The first release number.
    major: u64,
    /// The second release number (0 when not written).
    minor: u64,
    /// The third release number (0 when not written).
    patch: u64,
    /// The pre-release in its normalised spelling (`b2`, `rc1`, `beta.1`), if any.
    pre: Option<String>,
    /// How the pre-release is written.
    scheme: Scheme,
}

impl Version {
    /// A release version without pre-release.
    pub fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: None,
            scheme: Scheme::Release,
        }
    }

    /// The major version.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor version.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch version.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release, normalised (`b2`, `rc1`, `dev3` for PEP 440; `beta.1` for semver).
    pub fn pre(&self) -> Option<&str> {
        self.pre.as_deref()
    }

    /// Whether this is a pre-release (PEP 440 dev releases included).
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some()
    }

    /// Parse either spelling: semver first when the text has a hyphen, else PEP 440 first.
    pub fn parse(text: &str) -> Option<Version> {
        if text.contains('-') {
            Version::parse_semver(text).or_else(|| Version::parse_pep440(text))
        } else {
            Version::parse_pep440(text).or_else(|| Version::parse_semver(text))
        }
    }

    /// Parse a PEP 440 version (`3.0.0b2`, `2.75`, `2.0.0.post1`, `v1.0rc1`, `1.0.dev3`).
    ///
    /// Versions with an epoch other than `0!` or more than three release parts are refused.
    pub fn parse_pep440(text: &str) -> Option<Version> {
        let parsed = pep440_rs::Version::from_str(text.trim()).ok()?;
        if parsed.epoch() != 0 {
            return None;
        }
        let (major, minor, patch) = release_triple(parsed.release())?;
        let mut pre = parsed.pre().map(|p| {
            let phase = match p.kind {
                pep440_rs::PrereleaseKind::Alpha => "a",
                pep440_rs::PrereleaseKind::Beta => "b",
                pep440_rs::PrereleaseKind::Rc => "rc",
            };
            format!("{phase}{}", p.number)
        });
        if let Some(dev) = parsed.dev() {
            pre = Some(match pre {
                Some(p) => format!("{p}.dev{dev}"),
                None => format!("dev{dev}"),
            });
        }
        Some(Version::with_pre(major, minor, patch, pre, Scheme::Pep440))
    }

    /// Parse a semver version (`11.12.0-beta.1`, `v8.1.0`, `=8.1.0`, `10.5` as `10.5.0`).
    pub fn parse_semver(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix('=').unwrap_or(text).trim_start();
        let text = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        let text = text.split_once('+').map_or(text, |(v, _build)| v);
        let (release, pre) = match text.split_once('-') {
            Some((r, p)) => (r, Some(p)),
            None => (text, None),
        };
        let parts = release
            .split('.')
            .map(parse_number)
            .collect::<Option<Vec<u64>>>()?;
        let (major, minor, patch) = release_triple(&parts)?;
        let pre = match pre {
            Some(p) if valid_semver_pre(p) => Some(p.to_string()),
            Some(_) => return None,
            None => None,
        };
        Some(Version::with_pre(major, minor, patch, pre, Scheme::Semver))
    }

    /// Build a version; the scheme only matters when there is a pre-release.
    fn with_pre(
        major: u64,
        minor: u64,
        patch: u64,
        pre: Option<String>,
        scheme: Scheme,
    ) -> Version {
        let scheme = if pre.is_some() {
            scheme
        } else {
            Scheme::Release
        };
        Version {
            major,
            minor,
            patch,
            pre,
            scheme,
        }
    }

    /// The text in PEP 440 spelling (`3.0.0b2`; a semver pre-release keeps its hyphen, which PEP
    /// 440 accepts: `1.0.0-beta.1`).
    fn pep440_text(&self) -> String {
        self.to_string()
    }

    /// The text in semver spelling (`3.0.0-b2`).
    fn semver_text(&self) -> String {
        match &self.pre {
            Some(p) => format!("{}.{}.{}-{p}", self.major, self.minor, self.patch),
            None => format!("{}.{}.{}", self.major, self.minor, self.patch),
        }
    }
}

/// A decimal number without sign or leading `+`.
fn parse_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// One to three release parts as `(major, minor, patch)`.
fn release_triple(parts: &[u64]) -> Option<(u64, u64, u64)> {
    match parts {
        [major] => Some((*major, 0, 0)),
        [major, minor] => Some((*major, *minor, 0)),
        [major, minor, patch] => Some((*major, *minor, *patch)),
        _ => None,
    }
}

/// Dot-separated non-empty identifiers of `[0-9A-Za-z-]`.
fn valid_semver_pre(pre: &str) -> bool {
    pre.split('.')
        .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// One part of a semver pre-release: numbers sort before words.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ident<'a> {
    /// A numeric identifier (`1`).
    Num(u64),
    /// An alphanumeric identifier (`beta`).
    Word(&'a str),
}

/// The sort key of a PEP 440 pre-release `(phase, number, dev)`: dev < a < b < rc, and a
/// `.devN` suffix sorts before the pre-release it belongs to.
fn pep440_key(pre: &str) -> (u8, u64, bool, u64) {
    let (main, dev) = match pre.split_once(".dev") {
        Some((m, d)) => (m, Some(d)),
        None if pre.starts_with("dev") => ("", pre.strip_prefix("dev")),
        None => (pre, None),
    };
    let digits = main.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let phase = match &main[..main.len() - digits.len()] {
        "" => 0,
        "a" => 1,
        "b" => 2,
        _ => 3,
    };
    let number = digits.parse().unwrap_or(0);
    let dev_number = dev.and_then(|d| d.parse().ok()).unwrap_or(0);
    (phase, number, dev.is_none(), dev_number)
}

/// Compare two semver pre-releases identifier by identifier (a shorter prefix sorts first).
fn semver_cmp(a: &str, b: &str) -> Ordering {
    semver_idents(a).cmp(&semver_idents(b))
}

/// The identifiers of a semver pre-release.
fn semver_idents(pre: &str) -> Vec<Ident<'_>> {
    pre.split('.')
        .map(|id| parse_number(id).map_or(Ident::Word(id), Ident::Num))
        .collect()
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => match (self.scheme, other.scheme) {
                    (Scheme::Pep440, Scheme::Pep440) => pep440_key(a).cmp(&pep440_key(b)),
                    (Scheme::Semver, Scheme::Semver) => semver_cmp(a, b),
                    _ => a.cmp(b),
                },
            })
            .then_with(|| self.scheme.cmp(&other.scheme))
            .then_with(|| self.pre.cmp(&other.pre))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        match (&self.pre, self.scheme) {
            (Some(p), Scheme::Semver) => write!(f, "-{p}"),
            (Some(p), _) => write!(f, "{p}"),
            (None, _) => Ok(()),
        }
    }
}

/// How a requirement matches versions; built only by this module's parsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher(MatcherKind);

/// The two ecosystems' requirement grammars.
#[derive(Debug, Clone, PartialEq, Eq)]
enum MatcherKind {
    /// PEP 440: a union of specifier sets (one set, except for Poetry's `||`).
    Pep440(Vec<pep440_rs::VersionSpecifiers>),
    /// An npm range (`^10.57.0`, `>=10 <12`, `10.x`, `1 || 2`).
    Npm(nodejs_semver::Range),
}

impl Matcher {
    /// Whether `v` is in the set, by the ecosystem's rules on pre-releases.
    fn allows(&self, v: &Version) -> bool {
        match &self.0 {
            MatcherKind::Pep440(sets) => {
                let Ok(pv) = pep440_rs::Version::from_str(&v.pep440_text()) else {
                    return false;
                };
                sets.iter().any(|set| {
                    set.contains(&pv)
                        && (!pv.any_prerelease() || set.iter().any(|s| s.any_prerelease()))
                })
            }
            MatcherKind::Npm(range) => {
                nodejs_semver::Version::parse(v.semver_text()).is_ok_and(|nv| range.satisfies(&nv))
            }
        }
    }
}

/// A version requirement as one manifest or lockfile writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// One version: a lockfile entry or an exact pin (`==2.75.0`, `"11.12.0"`).
    Exact(Version),
    /// Several versions locked at once (a uv lockfile forked by environment markers):
    /// exactly these are allowed.
    AnyOf(Vec<Version>),
    /// A PEP 440 specifier set (Poetry's `^`/`~` included) or an npm range; `text` is as
    /// written, empty for a bare requirement (any version).
    Range {
        /// The requirement as written.
        text: String,
        /// What it matches.
        matcher: Matcher,
    },
    /// A requirement that names no checkable version: a git URL, `file:`, `workspace:*` that
    /// could not be followed, a tag like `latest`.
    Unknown {
        /// The requirement as written.
        text: String,
    },
}

impl VersionSpec {
    /// Whether `v` satisfies this requirement (`Exact`: equal; `Unknown`: always).
    pub fn allows(&self, v: &Version) -> bool {
        match self {
            VersionSpec::Exact(e) => e == v,
            VersionSpec::AnyOf(vs) => vs.contains(v),
            VersionSpec::Range { matcher, .. } => matcher.allows(v),
            VersionSpec::Unknown { .. } => true,
        }
    }

    /// The requirement as written (for `AnyOf`: the versions joined by ` || `, ascending).
    pub fn text(&self) -> String {
        match self {
            VersionSpec::Exact(v) => v.to_string(),
            VersionSpec::AnyOf(vs) => vs
                .iter()
                .map(Version::to_string)
                .collect::<Vec<_>>()
                .join(" || "),
            VersionSpec::Range { text, .. } | VersionSpec::Unknown { text } => text.clone(),
        }
    }

    /// An unknown requirement with this text.
    pub fn unknown(text: &str) -> VersionSpec {
        VersionSpec::Unknown {
            text: text.trim().to_string(),
        }
    }

    /// Several locked versions: sorted, duplicates removed; one version is `Exact`.
    pub fn any_of(mut versions: Vec<Version>) -> VersionSpec {
        versions.sort();
        versions.dedup();
        if versions.len() == 1 {
            VersionSpec::Exact(versions.remove(0))
        } else {
            VersionSpec::AnyOf(versions)
        }
    }

    /// A PEP 440 specifier set (`>=2.0,<3`, `==2.75.0`, empty for any version).
    ///
    /// A single `==`/`===` specifier without wildcard is `Exact`.
    pub fn parse_pep440(text: &str) -> Result<VersionSpec, String> {
        let text = text.trim();
        let set = pep440_rs::VersionSpecifiers::from_str(text).map_err(|e| {
            format!(
                "invalid version specifier `{text}`: {}",
                first_line(&e.to_string())
            )
        })?;
        if let [only] = &*set {
            if matches!(
                only.operator(),
                pep440_rs::Operator::Equal | pep440_rs::Operator::ExactEqual
            ) {
                if let Some(v) = Version::parse_pep440(&only.version().to_string()) {
                    return Ok(VersionSpec::Exact(v));
                }
            }
        }
        Ok(VersionSpec::Range {
            text: text.to_string(),
            matcher: Matcher(MatcherKind::Pep440(vec![set])),
        })
    }

    /// A Poetry constraint (`^2.0`, `~2.1`, `2.75.0`, `>=2,<3`, `*`, `^1 || ^2`): Poetry's
    /// operators mean what Poetry means (`^2.1` is `>=2.1,<3`, `~2.1` is `>=2.1,<2.2`, a bare
    /// version is `==`).
    pub fn parse_poetry(text: &str) -> Result<VersionSpec, String> {
        let text = text.trim();
        let invalid = |why: &str| format!("invalid Poetry version constraint `{text}`: {why}");
        let mut sets = Vec::new();
        for alternative in text.split("||").flat_map(|a| a.split('|')) {
            let mut specifiers = Vec::new();
            for part in alternative
                .split([',', ' '])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                specifiers.extend(poetry_constraint(part).map_err(|e| invalid(&e))?);
            }
            let set = pep440_rs::VersionSpecifiers::from_str(&specifiers.join(","))
                .map_err(|e| invalid(first_line(&e.to_string())))?;
            sets.push(set);
        }
        if let [set] = sets.as_slice() {
            if let [only] = &**set {
                let bare = !text.starts_with(['<', '>', '=', '!', '~', '^']);
                if bare && *only.operator() == pep440_rs::Operator::Equal {
                    if let Some(v) = Version::parse_pep440(&only.version().to_string()) {
                        return Ok(VersionSpec::Exact(v));
                    }
                }
            }
        }
        if text.starts_with("==") && !text.contains(['*', ',', '|']) {
            return VersionSpec::parse_pep440(text);
        }
        Ok(VersionSpec::Range {
            text: text.to_string(),
            matcher: Matcher(MatcherKind::Pep440(sets)),
        })
    }

    /// An npm range (`^10.57.0`, `~11.12.0`, `10.x`, `>=10 <12`, `*`, empty); an exact version
    /// (`11.12.0`, `=11.12.0`, `v11.12.0`) is `Exact`; anything npm would read as a tag or a
    /// location (`latest`, `next`) is `Unknown`.
    pub fn parse_npm(text: &str) -> VersionSpec {
        let text = text.trim();
        if let Some(v) = exact_npm(text) {
            return VersionSpec::Exact(v);
        }
        if text.contains([':', '/']) {
            return VersionSpec::unknown(text);
        }
        match nodejs_semver::Range::parse(text) {
            Ok(range) => VersionSpec::Range {
                text: text.to_string(),
                matcher: Matcher(MatcherKind::Npm(range)),
            },
            Err(_) => VersionSpec::unknown(text),
        }
    }
}

/// An npm exact version: a full `major.minor.patch` (pre-release allowed), optionally after `=`/`v`.
fn exact_npm(text: &str) -> Option<Version> {
    let bare = text.strip_prefix('=').unwrap_or(text).trim_start();
    let bare = bare.strip_prefix('v').unwrap_or(bare);
    let release = bare.split(['-', '+']).next().unwrap_or("");
    if release.split('.').count() != 3 {
        return None;
    }
    Version::parse_semver(bare)
}

/// One Poetry constraint as PEP 440 specifiers.
fn poetry_constraint(part: &str) -> Result<Vec<String>, String> {
    if part == "*" {
        return Ok(Vec::new());
    }
    if let Some(base) = part.strip_prefix('^') {
        let release = release_of(base)?;
        let upper = bump(&release, caret_index(&release));
        return Ok(vec![format!(">={}", base.trim()), format!("<{upper}")]);
    }
    if let Some(base) = part.strip_prefix('~').filter(|b| !b.starts_with('=')) {
        let release = release_of(base)?;
        let index = if release.len() == 1 { 0 } else { 1 };
        let upper = bump(&release, index);
        return Ok(vec![format!(">={}", base.trim()), format!("<{upper}")]);
    }
    if part.starts_with(['<', '>', '=', '!', '~']) {
        return Ok(vec![part.to_string()]);
    }
    Ok(vec![format!("=={part}")])
}

/// The release numbers of a PEP 440 version.
fn release_of(text: &str) -> Result<Vec<u64>, String> {
    pep440_rs::Version::from_str(text.trim())
        .map(|v| v.release().to_vec())
        .map_err(|e| first_line(&e.to_string()).to_string())
}

/// Poetry's caret: the first non-zero part is the one that may not change (the last given part
/// when all are zero).
fn caret_index(release: &[u64]) -> usize {
    release
        .iter()
        .position(|&n| n != 0)
        .unwrap_or(release.len().saturating_sub(1))
}

/// `release` with part `index` raised by one and the parts after it dropped to zero.
fn bump(release: &[u64], index: usize) -> String {
    release
        .iter()
        .enumerate()
        .take(index + 1)
        .map(|(i, &n)| if i == index { n + 1 } else { n })
        .chain(std::iter::repeat_n(
            0,
            release.len().saturating_sub(index + 1),
        ))
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// The first line of a multi-line parser message.
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or(text).trim();
    line.strip_suffix(':').unwrap_or(line)
}

impl fmt::Display for VersionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn parses_pep440_forms() {
        assert_eq!(v("3.0.0b2").to_string(), "3.0.0b2");
        assert_eq!(v("3.0.0beta2").to_string(), "3.0.0b2");
        assert_eq!(v("3.0.0rc1").pre(), Some("rc1"));
        assert_eq!(v("2.75"), Version::new(2, 75, 0));
        assert_eq!(v("2.0.0.post1"), Version::new(2, 0, 0));
        assert_eq!(v("1.0.dev3").to_string(), "1.0.0dev3");
        assert_eq!(v("1.0+local.7"), Version::new(1, 0, 0));
        assert_eq!(Version::parse_pep440("1!2.0"), None);
        assert_eq!(Version::parse_pep440("1.2.3.4"), None);
        assert_eq!(Version::parse("garbage"), None);
        assert_eq!(Version::parse(""), None);
    }

    #[test]
    fn parses_semver_forms() {
        let beta = v("11.12.0-beta.1");
        assert_eq!((beta.major(), beta.minor(), beta.patch()), (11, 12, 0));
        assert_eq!(beta.pre(), Some("beta.1"));
        assert_eq!(beta.to_string(), "11.12.0-beta.1");
        assert_eq!(v("v8.1.0"), Version::new(8, 1, 0));
        assert_eq!(v("8.1.0+build.5"), Version::new(8, 1, 0));
        assert_eq!(v("8.0.0-alpha.3").pre(), Some("alpha.3"));
        assert_eq!(Version::parse_semver("8.1.0-"), None);
        assert_eq!(Version::parse_semver("8.a.0"), None);
        assert_eq!(Version::parse_semver("-1.0.0"), None);
    }

    #[test]
    fn orders_releases_and_prereleases() {
        assert!(v("2.75.0") > v("2.9.0"));
        assert!(v("3.0.0b2") < v("3.0.0"));
        assert!(v("3.0.0a1") < v("3.0.0b1"));
        assert!(v("3.0.0b2") < v("3.0.0rc1"));
        assert!(v("3.0.0b10") > v("3.0.0b2"));
        assert!(v("3.0.0.dev1") < v("3.0.0a1"));
        assert!(v("3.0.0a1.dev1") < v("3.0.0a1"));
        assert!(v("11.12.0-alpha.3") < v("11.12.0-beta.1"));
        assert!(v("11.12.0-beta.2") < v("11.12.0-beta.10"));
        assert!(v("11.12.0-beta") < v("11.12.0-beta.1"));
        assert!(v("11.12.0-1") < v("11.12.0-alpha"));
        assert!(v("11.12.0-rc.1") < v("11.12.0"));
        let mut all = [v("2.1"), v("2.0.0rc1"), v("2.0"), v("1.9.9")];
        all.sort();
        let shown: Vec<String> = all.iter().map(Version::to_string).collect();
        assert_eq!(shown, ["1.9.9", "2.0.0rc1", "2.0.0", "2.1.0"]);
    }

    #[test]
    fn pep440_sets_follow_prerelease_rules() {
        let spec = VersionSpec::parse_pep440(">=2.0,<3").unwrap();
        assert!(spec.allows(&v("2.75.0")));
        assert!(!spec.allows(&v("3.0.0")));
        assert!(
            !spec.allows(&v("2.80.0rc1")),
            "no specifier names a pre-release"
        );
        let pre = VersionSpec::parse_pep440(">=3.0.0a1").unwrap();
        assert!(pre.allows(&v("3.0.0b2")));
        assert!(pre.allows(&v("3.1.0")));
        let any = VersionSpec::parse_pep440("").unwrap();
        assert_eq!(any.text(), "");
        assert!(any.allows(&v("1.0.0")));
        assert!(!any.allows(&v("3.0.0b1")));
        let compatible = VersionSpec::parse_pep440("~=2.70").unwrap();
        assert!(compatible.allows(&v("2.99")));
        assert!(!compatible.allows(&v("3.0")));
        assert!(VersionSpec::parse_pep440(">=two").is_err());
    }

    #[test]
    fn exact_pins_are_exact() {
        assert_eq!(
            VersionSpec::parse_pep440("==2.75.0").unwrap(),
            VersionSpec::Exact(v("2.75.0"))
        );
        assert!(matches!(
            VersionSpec::parse_pep440("==2.*").unwrap(),
            VersionSpec::Range { .. }
        ));
        assert_eq!(
            VersionSpec::parse_npm("11.12.0"),
            VersionSpec::Exact(v("11.12.0"))
        );
        assert_eq!(VersionSpec::parse_npm("=11.12.0").text(), "11.12.0");
        let exact = VersionSpec::Exact(v("2.75.0"));
        assert!(exact.allows(&v("2.75")));
        assert!(!exact.allows(&v("2.75.1")));
    }

    #[test]
    fn poetry_operators_mean_what_poetry_means() {
        let caret = VersionSpec::parse_poetry("^2.1").unwrap();
        assert_eq!(caret.text(), "^2.1");
        assert!(
            caret.allows(&v("2.75.0")) && !caret.allows(&v("3.0.0")) && !caret.allows(&v("2.0.9"))
        );
        let zero = VersionSpec::parse_poetry("^0.2.3").unwrap();
        assert!(zero.allows(&v("0.2.9")) && !zero.allows(&v("0.3.0")));
        let tilde = VersionSpec::parse_poetry("~2.1").unwrap();
        assert!(tilde.allows(&v("2.1.5")) && !tilde.allows(&v("2.2.0")));
        let tilde_major = VersionSpec::parse_poetry("~2").unwrap();
        assert!(tilde_major.allows(&v("2.9")) && !tilde_major.allows(&v("3.0")));
        assert_eq!(
            VersionSpec::parse_poetry("2.75.0").unwrap(),
            VersionSpec::Exact(v("2.75.0"))
        );
        let or = VersionSpec::parse_poetry("^1.5 || ^2.0").unwrap();
        assert!(or.allows(&v("1.9")) && or.allows(&v("2.3")) && !or.allows(&v("3.0")));
        let star = VersionSpec::parse_poetry("*").unwrap();
        assert!(star.allows(&v("0.1")));
        let and = VersionSpec::parse_poetry(">=2.0,<2.50").unwrap();
        assert!(and.allows(&v("2.10")) && !and.allows(&v("2.50")));
        assert!(VersionSpec::parse_poetry("^x").is_err());
    }

    #[test]
    fn npm_ranges_follow_node_semver() {
        let caret = VersionSpec::parse_npm("^10.57.0");
        assert!(caret.allows(&v("10.99.1")) && !caret.allows(&v("11.0.0")));
        assert!(
            !caret.allows(&v("10.60.0-beta.1")),
            "pre-release on another tuple"
        );
        let tilde = VersionSpec::parse_npm("~11.12.0");
        assert!(tilde.allows(&v("11.12.5")) && !tilde.allows(&v("11.13.0")));
        let x = VersionSpec::parse_npm("10.x");
        assert!(x.allows(&v("10.1.0")) && !x.allows(&v("11.0.0")));
        let both = VersionSpec::parse_npm(">=10 <12");
        assert!(both.allows(&v("11.5.0")) && !both.allows(&v("12.0.0")));
        let beta = VersionSpec::parse_npm("^11.12.0-beta.1");
        assert!(beta.allows(&v("11.12.0-beta.2")));
        assert!(beta.allows(&v("11.13.0")));
        assert!(!beta.allows(&v("11.13.0-beta.1")));
        let or = VersionSpec::parse_npm("^8 || ^9");
        assert!(or.allows(&v("9.1.0")) && !or.allows(&v("10.0.0")));
        assert!(VersionSpec::parse_npm("*").allows(&v("1.0.0")));
        assert!(!VersionSpec::parse_npm("*").allows(&v("1.0.0-rc.1")));
    }

    #[test]
    fn tags_and_locations_are_unknown() {
        for text in [
            "latest",
            "next",
            "github:getsentry/sentry-javascript",
            "file:../x",
        ] {
            let spec = VersionSpec::parse_npm(text);
            assert_eq!(spec, VersionSpec::unknown(text), "{text}");
            assert!(spec.allows(&v("1.0.0")));
        }
    }

    #[test]
    fn any_of_allows_exactly_its_versions() {
        let spec = VersionSpec::any_of(vec![v("2.75.0"), v("2.70.0"), v("2.75.0")]);
        assert_eq!(spec.text(), "2.70.0 || 2.75.0");
        assert!(spec.allows(&v("2.70.0")) && spec.allows(&v("2.75.0")));
        assert!(!spec.allows(&v("2.72.0")));
        assert_eq!(
            VersionSpec::any_of(vec![v("1.0")]),
            VersionSpec::Exact(v("1.0"))
        );
    }
}
