//! The real pre-commit, with this repository as the hook source (`pre-commit try-repo`), on a
//! temporary git repository holding the example app. pre-commit builds the hook with
//! `cargo install` (minutes), so this is one test doing both hooks.
//!
//! Needs pre-commit from `tests/tools/install.sh` (pinned, in `target/tools`): a plain `cargo test`
//! lists these tests as ignored; `.ci/run` installs it and runs them with `--include-ignored`.

use std::path::Path;
use std::process::Command;

mod common;
use common::copy_dir;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs pre-commit (bash tests/tools/install.sh) and builds the hook with cargo install (minutes); .ci/run runs it"]
fn pre_commit_hooks_judge_changed_files_in_context_and_fix_them() {
    let pre_commit = common::tool("pre-commit");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("app");
    copy_dir(&here.join("fixtures/resolutionflow"), &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "app"]);

    // Only two changed files are passed: the backend init, and a route whose finding depends on
    // the frontend init that is not passed.
    let out = Command::new(&pre_commit)
        .current_dir(&repo)
        .env("PRE_COMMIT_HOME", work.path().join("cache"))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("NO_COLOR", "1")
        .args(["try-repo", here.to_str().unwrap(), "--color", "never"])
        .args([
            "--files",
            "backend/app/main.py",
            "frontend/src/routes/files/FileViewer.tsx",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // The check hook fails with the findings of the passed files...
    assert!(stdout.contains("sentry-privacy-audit."), "{stdout}");
    assert!(stdout.contains("SPA001 send-default-pii"), "{stdout}");
    assert!(stdout.contains("backend/app/main.py:22:5"), "{stdout}");
    assert!(
        stdout.contains("SPA201 customer-data-route-unmasked"),
        "{stdout}"
    );
    assert!(
        stdout.contains("frontend/src/routes/files/FileViewer.tsx:27:5"),
        "{stdout}"
    );
    // ... and not of the files that were not passed.
    assert!(!stdout.contains("─[frontend/src/instrument.ts"), "{stdout}");
    assert!(
        !stdout.contains("─[frontend/src/routes/flowpilot"),
        "{stdout}"
    );
    assert!(
        stdout.contains("5 findings (3 errors, 2 warnings) in 2 files"),
        "{stdout}"
    );
    // The fix hook rewrites the passed file with the safe fix, and only it.
    assert!(
        stdout.contains("files were modified by this hook"),
        "{stdout}"
    );
    let main = std::fs::read_to_string(repo.join("backend/app/main.py")).unwrap();
    assert!(main.contains("    send_default_pii=False,\n"), "{main}");
    let instrument = std::fs::read_to_string(repo.join("frontend/src/instrument.ts")).unwrap();
    assert!(instrument.contains("maskAllText: false,"), "{instrument}");
}

/// The `repo: local` form the README shows (read from the README, so that it cannot drift), with
/// the baseline passed to the hook: the tool on PATH as `cargo install` puts it there.
#[test]
#[ignore = "needs pre-commit (bash tests/tools/install.sh); .ci/run runs it"]
fn readme_local_hook_with_a_baseline_works_with_the_real_pre_commit() {
    let pre_commit = common::tool("pre-commit");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(here.join("README.md")).unwrap();
    let start = readme
        .find("# .pre-commit-config.yaml (repo: local)\n")
        .expect("the README shows the local hook");
    let config = &readme[start..start + readme[start..].find("```").unwrap()];
    assert!(config.contains("args: [--baseline, .sentry-privacy-audit-baseline.json]"));

    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("app");
    copy_dir(&here.join("fixtures/resolutionflow"), &repo);
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_sentry-privacy-audit"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    // Today's findings go into the baseline, as the README says.
    let out = Command::new(env!("CARGO_BIN_EXE_sentry-privacy-audit"))
        .current_dir(&repo)
        .args([
            "check",
            "--write-baseline",
            ".sentry-privacy-audit-baseline.json",
            ".",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "app"]);
    let run = || {
        let out = Command::new(&pre_commit)
            .current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", work.path().join("cache"))
            .env("NO_COLOR", "1")
            .args(["run", "--all-files", "--color", "never"])
            .output()
            .unwrap();
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    // Every finding is in the baseline: the hook passes.
    let (code, said) = run();
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("sentry-privacy-audit....") && said.contains("Passed"),
        "{said}"
    );
    // A new finding fails it, and only the new one is reported.
    let main = repo.join("backend/app/main.py");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text + "\n\ndef worker():\n    sentry_sdk.init(dsn=DSN, send_default_pii=True, include_local_variables=False, max_request_body_size=\"never\")\n",
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    let (code, said) = run();
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("Failed"), "{said}");
    assert!(said.contains("SPA001 send-default-pii"), "{said}");
    assert!(!said.contains("SPA101"), "{said}");
    assert!(
        said.contains("main.py:46:5") && !said.contains("main.py:22:5"),
        "{said}"
    );
    // pre-commit may split the files over several runs: each counts only its own files' entries.
    let stale: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("no longer match"))
        .collect();
    assert!(!stale.is_empty(), "{said}");
    assert!(
        stale.iter().all(|l| l.contains("; 0 baseline entries")),
        "{said}"
    );
}
