//! `sentry-privacy-audit init`: a starter configuration with every key documented, pre-filled from
//! what the project already has.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check::{check, CheckRequest};
use crate::model::HookTarget;

/// Folder names under which web apps keep their route components.
const ROUTE_FOLDERS: &[&str] = &["routes", "pages", "views", "screens"];

/// What the starter file is filled with.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Guess {
    /// Field names the project's `before_send` hooks and scrubber denylists already drop.
    pub sensitive_fields: BTreeSet<String>,
    /// Globs of route folders, relative to the project folder.
    pub routes: BTreeSet<String>,
}

/// Look at the project: scrubbing it already does, and where its routes live.
pub fn guess(root: &Path) -> Guess {
    let mut g = Guess::default();
    let Ok(report) = check(&CheckRequest {
        paths: vec![root.to_path_buf()],
        ..Default::default()
    }) else {
        return g;
    };
    let field_like = |s: &str| {
        s.len() > 2
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && s.contains('_')
    };
    for model in &report.models {
        for init in &model.inits {
            if let Some(hook) = &init.python.before_send {
                if let HookTarget::Local(strings) | HookTarget::Resolved { strings, .. } =
                    &hook.target
                {
                    g.sensitive_fields
                        .extend(strings.iter().filter(|s| field_like(s)).cloned());
                }
            }
            if let Some(list) = init
                .python
                .scrubber
                .as_ref()
                .and_then(|s| s.denylist.as_ref())
            {
                g.sensitive_fields
                    .extend(list.entries.iter().filter(|s| field_like(s)).cloned());
            }
        }
    }
    // Route folders: below the project, any folder named like one that holds components.
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if path.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|n| crate::discover::ALWAYS_SKIPPED.contains(&n))
        }) {
            continue;
        }
        let is_component = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "tsx" | "jsx"));
        if !is_component {
            continue;
        }
        let Some(rel) = crate::config::relative_to(path, root) else {
            continue;
        };
        let parts: Vec<&str> = rel.split('/').collect();
        if let Some(i) = parts.iter().position(|p| ROUTE_FOLDERS.contains(p)) {
            g.routes.insert(format!("{}/**", parts[..=i].join("/")));
        }
    }
    g
}

fn toml_list(items: &BTreeSet<String>) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let lines: String = items.iter().map(|i| format!("\n    {i:?},")).collect();
    format!("[{lines}\n]")
}

/// The starter file.
pub fn render(g: &Guess) -> String {
    format!(
        r#"# sentry-privacy-audit configuration. Every key is optional; run `sentry-privacy-audit check`.

# Event fields that hold customer data (SPA002): a Python init must drop each of them in
# `before_send` or list it in its `EventScrubber` denylist. Pre-filled with the fields the
# project's scrubbing already names; add the ones it misses.
sensitive_fields = {}

# Files that render customer data, as globs relative to this file (SPA201): while any Session
# Replay records text, their outermost element must be masked. Pre-filled with the route folders
# found; keep only those that show customer data.
customer_data_routes = {}

# Wrapper components that mask their content (SPA201). @sentry/react has none: apps write their own.
mask_components = ["Mask"]

# The highest `replaysSessionSampleRate` allowed in production while replay masking is off (SPA104).
max_session_sample_rate = 0.0

# Paths to skip, as globs; a pattern without "/" matches any path component.
exclude = []

# Rules to run and to skip, by code or prefix ("SPA1" is SPA101 to SPA105).
# select = ["SPA"]
ignore = []

# Severity per rule: "error", "warning", "info" or "off".
[severity]
# SPA004 = "error"
"#,
        toml_list(&g.sensitive_fields),
        toml_list(&g.routes)
    )
}

/// Write `sentry-privacy-audit.toml` in `dir`; an existing file is kept unless `force`.
pub fn run(dir: &Path, force: bool) -> Result<PathBuf, String> {
    let target = dir.join("sentry-privacy-audit.toml");
    if target.exists() && !force {
        return Err(format!(
            "{} exists; pass --force to overwrite it",
            target.display()
        ));
    }
    if !dir.is_dir() {
        return Err(format!("{}: not a folder", dir.display()));
    }
    let text = render(&guess(dir));
    // The starter must be a valid configuration.
    debug_assert!(toml::from_str::<toml::Table>(&text).is_ok());
    std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(target)
}
