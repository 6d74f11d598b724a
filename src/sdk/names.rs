//! Package names: PEP 503 normalisation, which `@sentry/*` packages share the SDK's release
//! line, and the package an import path belongs to.

/// `@sentry/<name>` packages versioned apart from the JavaScript SDK (tools and other SDKs).
pub(crate) const NOT_SDK: &[&str] = &[
    "cli",
    "wizard",
    "webpack-plugin",
    "vite-plugin",
    "rollup-plugin",
    "esbuild-plugin",
    "bundler-plugin-core",
    "babel-plugin-component-annotate",
    "react-native",
    "electron",
    "capacitor",
    "migr8",
    "ionic",
    "cordova",
];

/// A Python distribution name as PEP 503 compares it: lower case, runs of `-`, `_`, `.` as `-`.
pub(crate) fn normalise_python(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(c.to_lowercase());
            in_separator = false;
        }
    }
    out
}

/// Whether a Python package is worth keeping from a manifest (Sentry's own distributions).
pub(crate) fn python_relevant(normalised: &str) -> bool {
    normalised.starts_with("sentry")
}

/// Whether an npm package is worth keeping from a manifest or lockfile (`@sentry/*`).
pub(crate) fn npm_relevant(name: &str) -> bool {
    name.starts_with("@sentry/")
}

/// Whether an npm package belongs to the JavaScript SDK's release line.
pub(crate) fn is_sdk(name: &str) -> bool {
    name.strip_prefix("@sentry/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/') && !NOT_SDK.contains(&rest))
}

/// The npm package an import path names: `@sentry/nextjs/client` → `@sentry/nextjs`,
/// `lodash/fp` → `lodash`.
pub(crate) fn npm_package_of(import: &str) -> &str {
    let import = import.trim();
    let mut slashes = import.match_indices('/').map(|(i, _)| i);
    let end = if import.starts_with('@') {
        slashes.nth(1)
    } else {
        slashes.next()
    };
    end.map_or(import, |i| &import[..i])
}

/// Split `name@range` (the name may be scoped: `@sentry/react@^8`); `None` without a range part.
pub(crate) fn split_descriptor(descriptor: &str) -> Option<(&str, &str)> {
    let at = descriptor.get(1..)?.find('@')? + 1;
    Some((&descriptor[..at], &descriptor[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(normalise_python("Sentry_SDK"), "sentry-sdk");
        assert_eq!(normalise_python("sentry.-_sdk"), "sentry-sdk");
        assert_eq!(normalise_python("sentry-sdk"), "sentry-sdk");
    }

    #[test]
    fn sdk_packages() {
        assert!(is_sdk("@sentry/react"));
        assert!(is_sdk("@sentry/core"));
        assert!(!is_sdk("@sentry/cli"));
        assert!(!is_sdk("@sentry/react-native"));
        assert!(!is_sdk("@sentry-internal/replay"));
        assert!(!is_sdk("@sentry/"));
        assert!(!is_sdk("react"));
    }

    #[test]
    fn packages_of_imports() {
        assert_eq!(npm_package_of("@sentry/nextjs/client"), "@sentry/nextjs");
        assert_eq!(npm_package_of("@sentry/react"), "@sentry/react");
        assert_eq!(npm_package_of("lodash/fp"), "lodash");
        assert_eq!(
            split_descriptor("@sentry/react@^8.0.0"),
            Some(("@sentry/react", "^8.0.0"))
        );
        assert_eq!(
            split_descriptor("@sentry/react@npm:^8"),
            Some(("@sentry/react", "npm:^8"))
        );
        assert_eq!(split_descriptor("react@18"), Some(("react", "18")));
        assert_eq!(split_descriptor("@sentry/react"), None);
        assert_eq!(split_descriptor(""), None);
    }
}
