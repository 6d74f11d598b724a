//! The installed SDK version for inits in the fixture trees under `fixtures/sdk/`: for each
//! lockfile and manifest format, and each malformed variant, the exact answer (package, spec,
//! source file, line) and the exact warnings.

use std::path::{Path, PathBuf};

use sentry_privacy_audit::sdk::{Declared, Ecosystem, Installed, Version, VersionSpec};

const PY: Ecosystem = Ecosystem::Python;
const NPM: Ecosystem = Ecosystem::Npm;

/// The fixtures' root, absolute.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sdk")
}

/// A path shown relative to the fixtures' root.
fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What one lookup gave: `package spec-text source:line`, and the warnings as
/// `source:line: message`.
fn look(file: &str, eco: Ecosystem, imported: Option<&str>) -> (Option<String>, Vec<String>) {
    let mut installed = Installed::new();
    look_with(&mut installed, file, eco, imported)
}

/// [`look`] with a shared cache.
fn look_with(
    installed: &mut Installed,
    file: &str,
    eco: Ecosystem,
    imported: Option<&str>,
) -> (Option<String>, Vec<String>) {
    let found = installed
        .lookup(&root().join(file), eco, imported)
        .map(|f| {
            let line = f.line.map_or("-".to_string(), |l| l.to_string());
            format!(
                "{} `{}` {}:{line}",
                f.package,
                f.spec.text(),
                rel(&f.source)
            )
        });
    let warnings = installed
        .take_warnings()
        .into_iter()
        .map(|w| {
            let line = w.line.map_or("-".to_string(), |l| l.to_string());
            format!("{}:{line}: {}", rel(&w.path), w.message)
        })
        .collect();
    (found, warnings)
}

/// Assert one lookup's answer and warnings.
#[track_caller]
fn expect(
    file: &str,
    eco: Ecosystem,
    imported: Option<&str>,
    found: Option<&str>,
    warnings: &[&str],
) {
    let (got, got_warnings) = look(file, eco, imported);
    assert_eq!(got.as_deref(), found, "answer for {file} ({imported:?})");
    assert_eq!(got_warnings, warnings, "warnings for {file} ({imported:?})");
}

fn v(text: &str) -> Version {
    Version::parse(text).expect("a valid version")
}

// ---- Python lockfiles ----

#[test]
fn uv_lock_fork_gives_both_versions_and_says_so() {
    expect(
        "py-uv-fork/app.py",
        PY,
        None,
        Some("sentry-sdk `2.70.0 || 2.75.0` py-uv-fork/uv.lock:16"),
        &[
            "py-uv-fork/uv.lock:16: sentry-sdk is locked at several versions (2.70.0, 2.75.0), \
           one per environment; any of them may be installed",
        ],
    );
    let found = Installed::new()
        .lookup(&root().join("py-uv-fork/app.py"), PY, None)
        .unwrap();
    assert!(found.spec.allows(&v("2.70.0")) && found.spec.allows(&v("2.75.0")));
    assert!(!found.spec.allows(&v("2.72.0")));
    assert_eq!(
        found.spec,
        VersionSpec::AnyOf(vec![v("2.70.0"), v("2.75.0")])
    );
}

#[test]
fn poetry_lock_beats_the_manifest_beside_it() {
    expect(
        "py-poetry-lock/app.py",
        PY,
        None,
        Some("sentry-sdk `2.19.2` py-poetry-lock/poetry.lock:14"),
        &[],
    );
}

#[test]
fn pdm_lock_names_compare_normalised() {
    expect(
        "py-pdm-lock/app.py",
        PY,
        Some("sentry_sdk"),
        Some("sentry-sdk `2.60.1` py-pdm-lock/pdm.lock:12"),
        &[],
    );
}

#[test]
fn pipfile_lock_default_section() {
    expect(
        "py-pipfile-lock/app.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-pipfile-lock/Pipfile.lock:23"),
        &[],
    );
}

#[test]
fn a_lockfile_in_an_ancestor_beats_a_nearer_manifest() {
    expect(
        "py-lock-beats-nearer-manifest/services/api/main.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-lock-beats-nearer-manifest/uv.lock:6"),
        &[],
    );
}

// ---- Python manifests ----

#[test]
fn requirements_follow_includes_through_a_cycle() {
    expect(
        "py-requirements/app.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-requirements/requirements/base.txt:5"),
        &[],
    );
}

#[test]
fn a_bare_requirement_means_any_version() {
    expect(
        "py-requirements-bare/app.py",
        PY,
        None,
        Some("sentry-sdk `` py-requirements-bare/requirements-dev.txt:2"),
        &[],
    );
    let found = Installed::new()
        .lookup(&root().join("py-requirements-bare/app.py"), PY, None)
        .unwrap();
    assert!(found.spec.allows(&v("1.45.0")) && found.spec.allows(&v("2.75.0")));
    assert!(
        !found.spec.allows(&v("3.0.0a1")),
        "pip needs --pre for this"
    );
}

#[test]
fn a_constraint_pin_governs_a_loose_requirement() {
    expect(
        "py-requirements-constraint/app.py",
        PY,
        None,
        Some("sentry-sdk `2.74.0` py-requirements-constraint/constraints.txt:2"),
        &[],
    );
}

#[test]
fn a_missing_include_is_reported_at_its_line() {
    expect(
        "py-requirements-missing-include/app.py",
        PY,
        None,
        Some("sentry-sdk `~=2.70` py-requirements-missing-include/requirements.txt:2"),
        &[
            "py-requirements-missing-include/requirements.txt:1: included file \
           `requirements-common.txt` does not exist",
        ],
    );
}

#[test]
fn pyproject_pep621_dependencies_with_extras() {
    expect(
        "py-pep621/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.0,<3` py-pep621/pyproject.toml:10"),
        &[],
    );
}

#[test]
fn pyproject_optional_dependencies() {
    expect(
        "py-optional-deps/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.40` py-optional-deps/pyproject.toml:8"),
        &[],
    );
}

#[test]
fn pyproject_dependency_groups() {
    expect(
        "py-dependency-groups/app.py",
        PY,
        None,
        Some("sentry-sdk `2.71.0` py-dependency-groups/pyproject.toml:10"),
        &[],
    );
}

#[test]
fn poetry_table_with_caret_means_what_poetry_means() {
    expect(
        "py-poetry/app.py",
        PY,
        None,
        Some("sentry-sdk `^2.19` py-poetry/pyproject.toml:10"),
        &[],
    );
    let found = Installed::new()
        .lookup(&root().join("py-poetry/app.py"), PY, None)
        .unwrap();
    assert!(found.spec.allows(&v("2.75.0")));
    assert!(!found.spec.allows(&v("2.18.0")) && !found.spec.allows(&v("3.0.0")));
}

#[test]
fn poetry_group_with_tilde() {
    expect(
        "py-poetry-group/app.py",
        PY,
        None,
        Some("sentry-sdk `~2.1` py-poetry-group/pyproject.toml:12"),
        &[],
    );
    let found = Installed::new()
        .lookup(&root().join("py-poetry-group/app.py"), PY, None)
        .unwrap();
    assert!(found.spec.allows(&v("2.1.9")) && !found.spec.allows(&v("2.2.0")));
}

#[test]
fn pdm_dev_dependencies() {
    expect(
        "py-pdm-dev/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.50` py-pdm-dev/pyproject.toml:8"),
        &[],
    );
}

#[test]
fn setup_cfg_install_requires() {
    expect(
        "py-setup-cfg/app.py",
        PY,
        None,
        Some("sentry-sdk `>=1.45,<2` py-setup-cfg/setup.cfg:9"),
        &[],
    );
}

#[test]
fn pipfile_version_table_and_star() {
    expect(
        "py-pipfile/app.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-pipfile/Pipfile:8"),
        &[],
    );
    expect(
        "py-pipfile-star/app.py",
        PY,
        None,
        Some("sentry-sdk `*` py-pipfile-star/Pipfile:2"),
        &[],
    );
}

// ---- Python: broken sources are reported once and the next one wins ----

#[test]
fn invalid_toml_lockfile() {
    expect(
        "py-bad-uv-lock/app.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-bad-uv-lock/requirements.txt:1"),
        &["py-bad-uv-lock/uv.lock:6: invalid TOML: invalid basic string"],
    );
}

#[test]
fn wrong_type_in_a_toml_lockfile() {
    expect(
        "py-bad-poetry-type/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.19` py-bad-poetry-type/pyproject.toml:4"),
        &["py-bad-poetry-type/poetry.lock:1: invalid TOML: invalid type: map, expected a sequence"],
    );
}

#[test]
fn truncated_pipfile_lock() {
    expect(
        "py-bad-pipfile-lock/app.py",
        PY,
        None,
        Some("sentry-sdk `2.75.0` py-bad-pipfile-lock/Pipfile:2"),
        &["py-bad-pipfile-lock/Pipfile.lock:6: invalid JSON: Unterminated object"],
    );
}

#[test]
fn unparseable_locked_version() {
    expect(
        "py-bad-version/app.py",
        PY,
        None,
        Some("sentry-sdk `2.70.0` py-bad-version/pyproject.toml:8"),
        &["py-bad-version/poetry.lock:3: unparseable version `two point seventy` for sentry-sdk"],
    );
}

#[test]
fn invalid_pyproject() {
    expect(
        "py-bad-pyproject/app.py",
        PY,
        None,
        Some("sentry-sdk `2.40.0` py-bad-pyproject/setup.cfg:3"),
        &["py-bad-pyproject/pyproject.toml:5: invalid TOML: invalid array, expected `]`"],
    );
}

#[test]
fn unparseable_requirement() {
    expect(
        "py-bad-spec/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.1` py-bad-spec/Pipfile:2"),
        &["py-bad-spec/requirements.txt:1: invalid version specifier `>=two`: Failed to parse \
           version: expected version to start with a number, but no leading ASCII digits were found"],
    );
}

#[test]
fn a_file_that_is_not_utf8() {
    expect(
        "py-not-utf8/app.py",
        PY,
        None,
        Some("sentry-sdk `>=2.60` py-not-utf8/pyproject.toml:4"),
        &["py-not-utf8/requirements.txt:1: not valid UTF-8 (byte 5), not read"],
    );
}

// ---- npm lockfiles ----

#[test]
fn package_lock_v1_and_fallback_to_core() {
    expect(
        "npm-lock-v1/src/index.js",
        NPM,
        Some("@sentry/browser"),
        Some("@sentry/browser `7.119.0` npm-lock-v1/package-lock.json:8"),
        &[],
    );
    expect(
        "npm-lock-v1/src/index.js",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/core `7.119.0` npm-lock-v1/package-lock.json:16"),
        &[],
    );
}

#[test]
fn package_lock_v3_prefers_the_members_node_modules() {
    expect(
        "npm-lock-v3-workspace/apps/web/src/sentry.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `9.0.0` npm-lock-v3-workspace/package-lock.json:25"),
        &[],
    );
    expect(
        "npm-lock-v3-workspace/apps/admin/src/sentry.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.1.0` npm-lock-v3-workspace/package-lock.json:30"),
        &[],
    );
}

#[test]
fn package_lock_link_to_a_workspace_folder() {
    expect(
        "npm-lock-link/apps/x.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `11.12.0-beta.1` npm-lock-link/package-lock.json:18"),
        &[],
    );
}

#[test]
fn shrinkwrap_beats_package_lock() {
    expect(
        "npm-shrinkwrap/index.js",
        NPM,
        Some("@sentry/node"),
        Some("@sentry/node `10.2.0` npm-shrinkwrap/npm-shrinkwrap.json:14"),
        &[],
    );
}

#[test]
fn pnpm_v6_importer_then_packages() {
    expect(
        "pnpm-v6/apps/web/src/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.1.0` pnpm-v6/pnpm-lock.yaml:19"),
        &[],
    );
    // The root importer does not name it: the one locked version, from `packages`.
    expect(
        "pnpm-v6/index.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.1.0` pnpm-v6/pnpm-lock.yaml:31"),
        &[],
    );
}

#[test]
fn pnpm_v9_member_importer_first() {
    expect(
        "pnpm-v9/apps/web/src/instrument.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.2.0` pnpm-v9/pnpm-lock.yaml:19"),
        &[],
    );
    expect(
        "pnpm-v9/apps/docs/src/instrument.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.1.0` pnpm-v9/pnpm-lock.yaml:13"),
        &[],
    );
    // Not locked at all: another SDK package the root importer names.
    expect(
        "pnpm-v9/apps/docs/src/instrument.ts",
        NPM,
        Some("@sentry/node"),
        Some("@sentry/react `8.1.0` pnpm-v9/pnpm-lock.yaml:13"),
        &[],
    );
}

#[test]
fn pnpm_v5_top_level_dependencies() {
    expect(
        "pnpm-v5/index.js",
        NPM,
        Some("@sentry/browser"),
        Some("@sentry/browser `7.100.1` pnpm-v5/pnpm-lock.yaml:7"),
        &[],
    );
}

#[test]
fn yarn_v1_entry_with_several_descriptors() {
    expect(
        "yarn-v1/src/main.ts",
        NPM,
        Some("@sentry/vue"),
        Some("@sentry/vue `8.1.0` yarn-v1/yarn.lock:11"),
        &[],
    );
}

#[test]
fn yarn_berry_picks_the_entry_for_the_members_range() {
    expect(
        "yarn-berry-two/apps/web/src/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `8.1.0` yarn-berry-two/yarn.lock:15"),
        &[],
    );
    expect(
        "yarn-berry-two/apps/legacy/src/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `7.120.0` yarn-berry-two/yarn.lock:9"),
        &[],
    );
}

#[test]
fn yarn_berry_ambiguity_is_a_warning() {
    expect(
        "yarn-berry-two/apps/other/src/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `7.120.0 || 8.1.0` yarn-berry-two/yarn.lock:9"),
        &[
            "yarn-berry-two/yarn.lock:9: @sentry/react is locked at several versions \
           (7.120.0, 8.1.0) and no entry is for the range `^9.0.0` that package.json asks for; \
           any of them may be installed",
        ],
    );
    expect(
        "yarn-berry-two/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `7.120.0 || 8.1.0` yarn-berry-two/yarn.lock:9"),
        &[
            "yarn-berry-two/yarn.lock:9: @sentry/react is locked at several versions \
           (7.120.0, 8.1.0) and no package.json between the init and the lockfile names it; \
           any of them may be installed",
        ],
    );
}

#[test]
fn bun_lock_member_scoped_then_hoisted() {
    expect(
        "bun/apps/web/src/index.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `10.5.0` bun/bun.lock:26"),
        &[],
    );
    expect(
        "bun/apps/api/src/index.ts",
        NPM,
        Some("@sentry/bun"),
        Some("@sentry/bun `9.40.0` bun/bun.lock:23"),
        &[],
    );
    expect(
        "bun/index.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `9.40.0` bun/bun.lock:25"),
        &[],
    );
}

// ---- npm manifests ----

#[test]
fn a_member_without_sentry_falls_through_to_the_root() {
    expect(
        "npm-monorepo-fallthrough/apps/web/sentry.client.config.ts",
        NPM,
        Some("@sentry/nextjs/client"),
        Some("@sentry/nextjs `^10.57.0` npm-monorepo-fallthrough/package.json:6"),
        &[],
    );
}

#[test]
fn package_json_values_as_written() {
    let cases = [
        (
            "@sentry/react",
            "@sentry/react `~11.12.0` npm-specs/package.json:4",
        ),
        (
            "@sentry/browser",
            "@sentry/browser `10.x` npm-specs/package.json:5",
        ),
        (
            "@sentry/node",
            "@sentry/node `>=10 <12` npm-specs/package.json:6",
        ),
        (
            "@sentry/vue",
            "@sentry/vue `11.12.0` npm-specs/package.json:7",
        ),
        (
            "@sentry/svelte",
            "@sentry/svelte `latest` npm-specs/package.json:8",
        ),
        (
            "@sentry/remix",
            "@sentry/remix `github:getsentry/sentry-javascript#develop` npm-specs/package.json:9",
        ),
        (
            "@sentry/astro",
            "@sentry/astro `file:../vendor/sentry-astro` npm-specs/package.json:10",
        ),
        (
            "@sentry/bun",
            "@sentry/bun `workspace:*` npm-specs/package.json:11",
        ),
        (
            "@sentry/angular",
            "@sentry/angular `^11.12.0-beta.1` npm-specs/package.json:14",
        ),
        (
            "@sentry/deno",
            "@sentry/deno `^10` npm-specs/package.json:17",
        ),
    ];
    for (imported, found) in cases {
        expect("npm-specs/src/a.ts", NPM, Some(imported), Some(found), &[]);
    }
    let mut installed = Installed::new();
    let file = root().join("npm-specs/src/a.ts");
    let spec =
        |installed: &mut Installed, pkg| installed.lookup(&file, NPM, Some(pkg)).unwrap().spec;
    assert_eq!(
        spec(&mut installed, "@sentry/vue"),
        VersionSpec::Exact(v("11.12.0"))
    );
    for pkg in [
        "@sentry/svelte",
        "@sentry/remix",
        "@sentry/astro",
        "@sentry/bun",
    ] {
        assert!(
            matches!(spec(&mut installed, pkg), VersionSpec::Unknown { .. }),
            "{pkg}"
        );
    }
    let tilde = spec(&mut installed, "@sentry/react");
    assert!(tilde.allows(&v("11.12.3")) && !tilde.allows(&v("11.13.0")));
    let beta = spec(&mut installed, "@sentry/angular");
    assert!(beta.allows(&v("11.12.0-beta.2")) && !beta.allows(&v("11.13.0-beta.1")));
}

#[test]
fn npm_alias_names_the_real_package() {
    for imported in ["sentry-browser", "@sentry/browser"] {
        expect(
            "npm-alias/a.ts",
            NPM,
            Some(imported),
            Some("@sentry/browser `^10` npm-alias/package.json:4"),
            &[],
        );
    }
}

#[test]
fn another_sdk_package_of_the_release_prefers_core() {
    for imported in [Some("@sentry/react"), None] {
        expect(
            "npm-fallback-core/a.ts",
            NPM,
            imported,
            Some("@sentry/core `^9.2.0` npm-fallback-core/package.json:5"),
            &[],
        );
    }
}

#[test]
fn separately_versioned_packages_do_not_fall_back() {
    expect(
        "npm-separate-line/a.ts",
        NPM,
        Some("@sentry/react-native"),
        None,
        &[],
    );
}

#[test]
fn workspace_protocol_follows_to_the_members_version() {
    expect(
        "npm-workspace-protocol/apps/demo/src/main.tsx",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `11.12.0-beta.1` npm-workspace-protocol/packages/react/package.json:3"),
        &[],
    );
}

// ---- npm: broken sources are reported once and the next one wins ----

#[test]
fn truncated_package_lock() {
    expect(
        "npm-bad-lock/a.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `^8.0.0` npm-bad-lock/package.json:4"),
        &["npm-bad-lock/package-lock.json:5: invalid JSON: Unterminated object"],
    );
}

#[test]
fn package_lock_with_a_wrong_type() {
    expect(
        "npm-wrong-type-lock/a.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `^8.0.0` npm-wrong-type-lock/package.json:4"),
        &["npm-wrong-type-lock/package-lock.json:4: `packages` should be an object"],
    );
}

#[test]
fn invalid_pnpm_yaml() {
    expect(
        "npm-bad-pnpm/a.ts",
        NPM,
        Some("@sentry/node"),
        Some("@sentry/node `^10.0.0` npm-bad-pnpm/package.json:4"),
        &["npm-bad-pnpm/pnpm-lock.yaml:9: invalid YAML: illegal placement of ':' indicator"],
    );
}

#[test]
fn broken_yarn_v1() {
    expect(
        "npm-bad-yarn/a.ts",
        NPM,
        Some("@sentry/vue"),
        Some("@sentry/vue `^8.0.0` npm-bad-yarn/package.json:4"),
        &["npm-bad-yarn/yarn.lock:5: unterminated quote in `\"8.1.0`"],
    );
}

#[test]
fn invalid_yarn_berry_yaml() {
    expect(
        "npm-bad-berry/a.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `^8.0.0` npm-bad-berry/package.json:4"),
        &["npm-bad-berry/yarn.lock:6: invalid YAML: mapping values are not allowed in this context"],
    );
}

#[test]
fn bun_lock_with_a_wrong_type() {
    expect(
        "npm-bad-bun/a.ts",
        NPM,
        Some("@sentry/react"),
        Some("@sentry/react `^10.0.0` npm-bad-bun/package.json:4"),
        &["npm-bad-bun/bun.lock:3: `packages` should be an object"],
    );
}

#[test]
fn an_invalid_member_manifest_falls_through_to_the_root() {
    expect(
        "npm-bad-member-manifest/services/api/a.ts",
        NPM,
        Some("@sentry/node"),
        Some("@sentry/node `^10.3.0` npm-bad-member-manifest/package.json:5"),
        &[
            "npm-bad-member-manifest/services/api/package.json:4: invalid JSON: Trailing commas \
           are not allowed",
        ],
    );
}

// ---- the walk, the caches and the limits ----

#[test]
fn each_problem_is_reported_once_per_run() {
    let mut installed = Installed::new();
    let first = look_with(
        &mut installed,
        "npm-bad-lock/a.ts",
        NPM,
        Some("@sentry/react"),
    );
    let again = look_with(
        &mut installed,
        "npm-bad-lock/b.ts",
        NPM,
        Some("@sentry/react"),
    );
    assert_eq!(first.1.len(), 1);
    assert_eq!(first.0, again.0);
    assert!(again.1.is_empty(), "{:?}", again.1);
}

/// Write `files` under a fresh temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let dir = tree(&[
        (
            "package.json",
            r#"{"dependencies": {"@sentry/node": "^10"}}"#,
        ),
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        ("repo/src/app.ts", ""),
    ]);
    let mut installed = Installed::new();
    let file = dir.path().join("repo/src/app.ts");
    assert_eq!(installed.lookup(&file, NPM, Some("@sentry/node")), None);
    // A worktree's `.git` file stops it too; without one the walk goes on up.
    std::fs::remove_dir_all(dir.path().join("repo/.git")).unwrap();
    std::fs::write(dir.path().join("repo/.git"), "gitdir: /elsewhere\n").unwrap();
    assert_eq!(
        Installed::new().lookup(&file, NPM, Some("@sentry/node")),
        None
    );
    std::fs::remove_file(dir.path().join("repo/.git")).unwrap();
    let found = Installed::new()
        .lookup(&file, NPM, Some("@sentry/node"))
        .unwrap();
    assert_eq!(found.source, dir.path().join("package.json"));
    assert_eq!(found.line, Some(1));
}

#[test]
fn sources_that_do_not_name_the_package_are_skipped() {
    let dir = tree(&[
        (".git/HEAD", ""),
        (
            "uv.lock",
            "version = 1\n\n[[package]]\nname = \"sentry-sdk\"\nversion = \"2.75.0\"\n",
        ),
        (
            "svc/uv.lock",
            "version = 1\n\n[[package]]\nname = \"flask\"\nversion = \"3.1.0\"\n",
        ),
        (
            "svc/pyproject.toml",
            "[project]\nname = \"svc\"\ndependencies = [\"sentry-sdk>=2\"]\n",
        ),
    ]);
    let found = Installed::new()
        .lookup(&dir.path().join("svc/app.py"), PY, None)
        .unwrap();
    assert_eq!(found.source, dir.path().join("uv.lock"));
    assert_eq!(
        (found.spec.text(), found.line),
        ("2.75.0".to_string(), Some(5))
    );
}

#[test]
fn relative_paths_are_made_absolute() {
    let found = Installed::new()
        .lookup(
            Path::new("fixtures/sdk/py-pipfile/./sub/../app.py"),
            PY,
            None,
        )
        .unwrap();
    assert_eq!(found.source, root().join("py-pipfile/Pipfile"));
}

#[test]
fn files_are_read_once_per_run() {
    let dir = tree(&[
        (".git/HEAD", ""),
        (
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {"node_modules/@sentry/node": {"version": "10.2.0"}}}"#,
        ),
    ]);
    let mut installed = Installed::new();
    let files: Vec<PathBuf> = (0..1000)
        .map(|i| dir.path().join(format!("src/m{}/f{i}.ts", i % 10)))
        .collect();
    let first = installed
        .lookup(&files[0], NPM, Some("@sentry/node"))
        .unwrap();
    // Changed on disk after the first read: the run keeps what it read.
    std::fs::write(dir.path().join("package-lock.json"), "{ broken").unwrap();
    for file in &files {
        assert_eq!(
            installed.lookup(file, NPM, Some("@sentry/node")).as_ref(),
            Some(&first)
        );
    }
    assert!(installed.take_warnings().is_empty());
    assert_eq!(first.spec.text(), "10.2.0");
}

#[test]
fn oversized_files_are_a_warning() {
    let big = format!(
        "[packages]\nsentry-sdk = \"==2.75.0\"\n{}",
        "#\n".repeat(3 * 1024 * 1024)
    );
    let dir = tree(&[
        (".git/HEAD", ""),
        ("Pipfile", &big),
        (
            "setup.cfg",
            "[options]\ninstall_requires = sentry-sdk==2.1.0\n",
        ),
    ]);
    let mut installed = Installed::new();
    let found = installed
        .lookup(&dir.path().join("app.py"), PY, None)
        .unwrap();
    assert_eq!(found.source, dir.path().join("setup.cfg"));
    assert_eq!(found.line, Some(2));
    let warnings: Vec<String> = installed
        .take_warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        warnings,
        [format!(
            "{}: larger than 5 MiB, not read",
            dir.path().join("Pipfile").display()
        )]
    );
}

#[test]
fn nothing_found_is_none_without_warnings() {
    let dir = tree(&[(".git/HEAD", ""), ("package.json", r#"{"name": "x"}"#)]);
    let mut installed = Installed::new();
    assert_eq!(installed.lookup(&dir.path().join("a.ts"), NPM, None), None);
    assert_eq!(installed.lookup(&dir.path().join("a.py"), PY, None), None);
    assert!(installed.take_warnings().is_empty());
}

// ---- the other dependencies an init's project declares ----

/// AI clients, as the AI rules ask for them.
const AI: &[&str] = &[
    "openai",
    "anthropic",
    "@anthropic-ai/sdk",
    "langchain*",
    "@langchain/*",
    "ai",
    "@google/genai",
    "mistralai",
];

/// Job queues, as the queue rules ask for them.
const QUEUES: &[&str] = &["celery", "rq", "arq", "huey", "dramatiq"];

/// The warnings taken from `installed`, as `source:line: message`.
fn warnings_of(installed: &mut Installed) -> Vec<String> {
    installed
        .take_warnings()
        .into_iter()
        .map(|w| {
            let line = w.line.map_or("-".to_string(), |l| l.to_string());
            format!("{}:{line}: {}", rel(&w.path), w.message)
        })
        .collect()
}

/// The `Declared` for `name` at `source` (relative to the fixtures' root) and `line`.
fn declared(name: &str, source: &str, line: usize) -> Declared {
    Declared {
        name: name.to_string(),
        source: root().join(source),
        line: Some(line),
    }
}

/// Assert one `declares` answer (name, source relative to the fixtures' root, line) and the
/// warnings it gave, with a shared cache.
#[track_caller]
fn expect_declared_with(
    installed: &mut Installed,
    file: &str,
    eco: Ecosystem,
    names: &[&str],
    found: Option<(&str, &str, usize)>,
    warnings: &[&str],
) {
    let got = installed.declares(&root().join(file), eco, names);
    let want = found.map(|(name, source, line)| declared(name, source, line));
    assert_eq!(got, want, "declared for {file} ({names:?})");
    assert_eq!(
        warnings_of(installed),
        warnings,
        "warnings for {file} ({names:?})"
    );
}

/// [`expect_declared_with`] with a fresh cache.
#[track_caller]
fn expect_declared(
    file: &str,
    eco: Ecosystem,
    names: &[&str],
    found: Option<(&str, &str, usize)>,
    warnings: &[&str],
) {
    expect_declared_with(&mut Installed::new(), file, eco, names, found, warnings);
}

#[test]
fn requirements_declare_openai_and_celery_but_not_a_constraint() {
    let init = "declares-fastapi/app/main.py";
    let reqs = "declares-fastapi/requirements.txt";
    expect_declared(init, PY, AI, Some(("openai", reqs, 8)), &[]);
    // Names are tried in the order given: `anthropic` is only pinned by the `-c` file, which
    // installs nothing, so `openai` answers.
    expect_declared(
        init,
        PY,
        &["anthropic", "openai"],
        Some(("openai", reqs, 8)),
        &[],
    );
    expect_declared(init, PY, &["anthropic"], None, &[]);
    // `Celery[redis]==5.4.0  # workers`: normalised, extras and comment cut.
    expect_declared(init, PY, QUEUES, Some(("celery", reqs, 9)), &[]);
    expect_declared(
        init,
        PY,
        &["asyncpg", "psycopg*"],
        Some(("psycopg", reqs, 10)),
        &[],
    );
    expect_declared(init, NPM, AI, None, &[]);
}

#[test]
fn pyproject_optional_dependencies_declare_anthropic() {
    let init = "declares-pyproject-extras/src/support_bot/app.py";
    let manifest = "declares-pyproject-extras/pyproject.toml";
    expect_declared(init, PY, AI, Some(("anthropic", manifest, 12)), &[]);
    expect_declared(
        init,
        PY,
        &["ANTHROPIC"],
        Some(("anthropic", manifest, 12)),
        &[],
    );
    expect_declared(init, PY, &["pytest"], Some(("pytest", manifest, 15)), &[]);
    expect_declared(init, PY, QUEUES, None, &[]);
}

#[test]
fn poetry_lock_declares_langchain_core_by_prefix() {
    let init = "declares-poetry-lock/rag/app.py";
    let lock = "declares-poetry-lock/poetry.lock";
    expect_declared(
        init,
        PY,
        &["langchain*"],
        Some(("langchain-core", lock, 4)),
        &[],
    );
    // The lockfile answers before the manifest that names it too (pyproject.toml:9).
    expect_declared(
        init,
        PY,
        &["LangChain_OpenAI"],
        Some(("langchain-openai", lock, 13)),
        &[],
    );
    // Locked only as a dependency of langchain-openai: a package in the lockfile all the same.
    expect_declared(init, PY, AI, Some(("openai", lock, 26)), &[]);
    // Poetry's `python = "^3.11"` is the interpreter, not a package.
    expect_declared(init, PY, &["python"], None, &[]);
}

#[test]
fn package_json_declares_the_anthropic_sdk() {
    let init = "declares-npm-anthropic/src/instrument.ts";
    let manifest = "declares-npm-anthropic/package.json";
    expect_declared(init, NPM, AI, Some(("@anthropic-ai/sdk", manifest, 7)), &[]);
    expect_declared(
        init,
        NPM,
        &["@anthropic-ai/*"],
        Some(("@anthropic-ai/sdk", manifest, 7)),
        &[],
    );
    expect_declared(
        init,
        NPM,
        &["typescript"],
        Some(("typescript", manifest, 12)),
        &[],
    );
    // npm names are not Python names: no normalisation, no match.
    expect_declared(init, NPM, &["anthropic", "@Anthropic-AI/sdk"], None, &[]);
    expect_declared(init, PY, AI, None, &[]);
}

#[test]
fn pnpm_lock_declares_a_members_dependencies_in_its_importer() {
    let web = "declares-pnpm-workspace/apps/web/src/instrumentation.ts";
    let api = "declares-pnpm-workspace/apps/api/src/instrument.ts";
    let lock = "declares-pnpm-workspace/pnpm-lock.yaml";
    let mut installed = Installed::new();
    expect_declared_with(
        &mut installed,
        web,
        NPM,
        &["ai"],
        Some(("ai", lock, 35)),
        &[],
    );
    expect_declared_with(
        &mut installed,
        web,
        NPM,
        &["@langchain/*"],
        Some(("@langchain/openai", lock, 29)),
        &[],
    );
    // A dependency of a dependency: the `packages` entry.
    expect_declared_with(
        &mut installed,
        web,
        NPM,
        &["@langchain/core"],
        Some(("@langchain/core", lock, 44)),
        &[],
    );
    // The whole AI list: `openai` comes first and is in the lockfile (through langchain).
    expect_declared_with(
        &mut installed,
        web,
        NPM,
        AI,
        Some(("openai", lock, 73)),
        &[],
    );
    expect_declared_with(
        &mut installed,
        api,
        NPM,
        &["fastify"],
        Some(("fastify", lock, 23)),
        &[],
    );
    // The root importer is the member's too.
    expect_declared_with(
        &mut installed,
        api,
        NPM,
        &["turbo"],
        Some(("turbo", lock, 11)),
        &[],
    );
    // Another member installs it: a package in the lockfile, so declared here as well.
    expect_declared_with(
        &mut installed,
        api,
        NPM,
        &["ai"],
        Some(("ai", lock, 62)),
        &[],
    );
    expect_declared_with(&mut installed, api, NPM, &["graphql*"], None, &[]);
}

#[test]
fn npm_workspace_member_and_root_manifests_declare() {
    let storefront = "declares-npm-workspace/packages/storefront/src/main.tsx";
    let admin = "declares-npm-workspace/packages/admin/src/instrument.ts";
    let root_manifest = "declares-npm-workspace/package.json";
    let mut installed = Installed::new();
    expect_declared_with(
        &mut installed,
        storefront,
        NPM,
        &["@apollo/*", "graphql"],
        Some((
            "@apollo/client",
            "declares-npm-workspace/packages/storefront/package.json",
            5,
        )),
        &[],
    );
    // The workspace root's dependencies are the member's too.
    expect_declared_with(
        &mut installed,
        storefront,
        NPM,
        &["graphql"],
        Some(("graphql", root_manifest, 8)),
        &[],
    );
    expect_declared_with(
        &mut installed,
        admin,
        NPM,
        &["vite"],
        Some(("vite", root_manifest, 11)),
        &[],
    );
    // Another member's manifest is not the storefront's (and there is no lockfile).
    expect_declared_with(&mut installed, storefront, NPM, AI, None, &[]);
    // `"llm": "npm:openai@^4.85.1"` installs openai; `llm` is only the name it is imported as.
    expect_declared_with(
        &mut installed,
        admin,
        NPM,
        AI,
        Some((
            "openai",
            "declares-npm-workspace/packages/admin/package.json",
            6,
        )),
        &[],
    );
    expect_declared_with(&mut installed, admin, NPM, &["llm"], None, &[]);
}

#[test]
fn a_project_without_them_declares_none() {
    let mut installed = Installed::new();
    for names in [AI, QUEUES] {
        expect_declared_with(
            &mut installed,
            "declares-none/web/settings.py",
            PY,
            names,
            None,
            &[],
        );
        expect_declared_with(
            &mut installed,
            "declares-none/frontend/src/main.tsx",
            NPM,
            names,
            None,
            &[],
        );
    }
    expect_declared_with(
        &mut installed,
        "declares-none/web/settings.py",
        PY,
        &["django"],
        Some(("django", "declares-none/requirements.txt", 1)),
        &[],
    );
    assert_eq!(
        installed.declares(&root().join("declares-none/a.py"), PY, &[]),
        None
    );
}

#[test]
fn a_malformed_lockfile_warns_once_and_the_manifest_answers() {
    let worker = "declares-bad-lock/worker/tasks.py";
    let web = "declares-bad-lock/web/src/instrument.ts";
    // What a lookup alone reports about the broken lockfiles.
    let (_, uv_warning) = look(worker, PY, None);
    let (_, npm_warning) = look(web, NPM, Some("@sentry/node"));
    assert_eq!(uv_warning.len(), 1);
    assert!(uv_warning[0].starts_with("declares-bad-lock/worker/uv.lock:6: invalid TOML"));
    assert_eq!(npm_warning.len(), 1);
    assert!(npm_warning[0].starts_with("declares-bad-lock/web/package-lock.json:"));

    let mut installed = Installed::new();
    let uv_warning: Vec<&str> = uv_warning.iter().map(String::as_str).collect();
    expect_declared_with(
        &mut installed,
        worker,
        PY,
        QUEUES,
        Some(("dramatiq", "declares-bad-lock/worker/pyproject.toml", 6)),
        &uv_warning,
    );
    // Asked again, for other names, and looked up: the file was parsed once, warned once.
    expect_declared_with(&mut installed, worker, PY, AI, None, &[]);
    expect_declared_with(
        &mut installed,
        worker,
        PY,
        QUEUES,
        Some(("dramatiq", "declares-bad-lock/worker/pyproject.toml", 6)),
        &[],
    );
    assert_eq!(
        look_with(&mut installed, worker, PY, None),
        (
            Some("sentry-sdk `2.22.0` declares-bad-lock/worker/pyproject.toml:7".to_string()),
            Vec::new()
        )
    );

    let npm_warning: Vec<&str> = npm_warning.iter().map(String::as_str).collect();
    expect_declared_with(
        &mut installed,
        web,
        NPM,
        AI,
        Some(("openai", "declares-bad-lock/web/package.json", 5)),
        &npm_warning,
    );
    assert_eq!(
        look_with(&mut installed, web, NPM, Some("@sentry/node")).1,
        Vec::<String>::new()
    );
}

#[test]
fn declares_follows_includes_and_stops_at_the_repository_root() {
    let dir = tree(&[
        ("requirements.txt", "openai==1.63.2\n"),
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        (
            "repo/requirements.txt",
            "sentry-sdk==2.22.0\n-r deps/worker.in\n-r deps/missing.in\n",
        ),
        ("repo/deps/worker.in", "# queue\nrq==2.1.0\n"),
        ("repo/src/app.py", ""),
    ]);
    let mut installed = Installed::new();
    let file = dir.path().join("repo/src/app.py");
    let found = installed.declares(&file, PY, &["huey", "rq"]).unwrap();
    assert_eq!(
        found,
        Declared {
            name: "rq".to_string(),
            source: dir.path().join("repo/deps/worker.in"),
            line: Some(2),
        }
    );
    // Above the folder holding `.git`: not the project's.
    assert_eq!(installed.declares(&file, PY, &["openai"]), None);
    let missing = format!(
        "{}:3: included file `deps/missing.in` does not exist",
        dir.path().join("repo/requirements.txt").display()
    );
    let warnings: Vec<String> = installed
        .take_warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings, [missing]);
    // The lookup walks the same includes: the missing one is not reported again.
    assert!(installed.lookup(&file, PY, None).is_some());
    assert!(installed.take_warnings().is_empty());
}

#[test]
fn declares_and_lookup_share_one_parse_per_file() {
    let dir = tree(&[
        (".git/HEAD", ""),
        (
            "package-lock.json",
            r#"{
  "lockfileVersion": 3,
  "packages": {
    "node_modules/@sentry/node": { "version": "10.2.0" },
    "node_modules/bullmq": { "version": "5.41.0" }
  }
}"#,
        ),
    ]);
    let mut installed = Installed::new();
    let files: Vec<PathBuf> = (0..200)
        .map(|i| dir.path().join(format!("src/m{}/f{i}.ts", i % 10)))
        .collect();
    let first = installed.declares(&files[0], NPM, &["bull*"]).unwrap();
    assert_eq!(
        first,
        Declared {
            name: "bullmq".to_string(),
            source: dir.path().join("package-lock.json"),
            line: Some(5),
        }
    );
    // Changed on disk after the first read: the run keeps what it read, for both questions.
    std::fs::write(dir.path().join("package-lock.json"), "{ broken").unwrap();
    for file in &files {
        assert_eq!(
            installed.declares(file, NPM, &["bull*"]).as_ref(),
            Some(&first)
        );
        assert_eq!(
            installed
                .lookup(file, NPM, Some("@sentry/node"))
                .map(|f| f.spec.text()),
            Some("10.2.0".to_string())
        );
    }
    assert!(installed.take_warnings().is_empty());
}
