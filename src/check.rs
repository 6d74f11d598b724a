//! The `check` pipeline: configuration → discovery → extraction → cross-file resolution → rules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, ConfigError, Excludes};
use crate::diagnostic::Finding;
use crate::discover::{self, ReadOutcome, Skipped};
use crate::fix::{Applicability, Fix};
use crate::lang;
use crate::lang::modules::Modules;
use crate::model::{FileModel, FunctionStrings, HookTarget};
use crate::policy::{self, Policy};
use crate::registry::Rule;
use crate::rules::{self, Context};
use crate::source::SourceFile;

/// What `check` was asked.
#[derive(Debug, Default)]
pub struct CheckRequest {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub exclude: Vec<String>,
    /// `--select`: replaces the configuration's selection.
    pub select: Option<Vec<String>>,
    /// `--extend-select`, `--ignore`: added to the configuration's.
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub fix: FixMode,
    /// Findings it records are accepted (reported as suppressed).
    pub baseline: Option<crate::baseline::Baseline>,
    /// `--stdin-filename PATH -`: this text is judged as the file at PATH (which need not exist),
    /// in the context of its project; fixes are never written.
    pub stdin: Option<(PathBuf, String)>,
    /// Work out `Report::fixable` (by applying the fixes to a copy): for the outputs that state it.
    pub count_fixable: bool,
}

/// Whether and how fixes are applied.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    #[default]
    Off,
    /// Apply fixes (safe ones; unsafe ones too with `unsafe_fixes`); `write` false computes the
    /// result without touching the files (`--diff`).
    Apply { unsafe_fixes: bool, write: bool },
}

/// A file the fixes changed.
#[derive(Debug)]
pub struct Changed {
    /// Index into `Report::files` (which hold the fixed text).
    pub file: usize,
    /// The text before the fixes.
    pub original: String,
    /// Whether it was written to disk.
    pub written: bool,
}

/// What `check` found (after fixes, what remains).
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<SourceFile>,
    pub models: Vec<FileModel>,
    /// Per file, the policy of each of its inits (in the order of `models[file].inits`).
    pub policies: Vec<Vec<Policy>>,
    /// Per file: whether it was asked about (named, or under a named folder), rather than read
    /// for context.
    pub focused: Vec<bool>,
    pub findings: Vec<Finding>,
    /// Files read and parsed.
    pub checked: usize,
    /// Problems with files read for context (a malformed lockfile), each naming the file and line.
    pub warnings: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Findings fixed: per file and rule, how many fewer findings there are after the fixes.
    pub fixed: usize,
    /// Per rule: how many of the reported findings `--fix` would fix, and how many more
    /// `--fix --unsafe-fixes` would (found by applying the fixes to a copy).
    pub fixable: Vec<(Rule, usize, usize)>,
    pub changed: Vec<Changed>,
    /// Fixes refused or files that could not be written, each naming the file.
    pub fix_errors: Vec<String>,
    /// With a baseline: how many of its entries matched no finding (fixed or changed since).
    pub baseline_stale: Option<usize>,
    /// Enabled rules that could not judge anything for want of a configuration key, with the key
    /// (`SPA002`, `sensitive_fields`), when the tree has an init they would judge.
    pub unconfigured: Vec<(crate::registry::Rule, &'static str)>,
    /// The wording of each acceptance criterion, from the configuration (the first one read).
    pub criteria: std::collections::BTreeMap<String, String>,
}

impl Report {
    /// How many findings a baseline accepted.
    pub fn baseline_accepted(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| {
                f.suppressed
                    .as_ref()
                    .is_some_and(|s| s.kind == crate::diagnostic::SuppressionKind::External)
            })
            .count()
    }
}

/// How many fix passes a tier runs at most (fixes that touch each other wait for the next pass).
const MAX_FIX_PASSES: usize = 10;

/// A file's model and the tree it was extracted from.
type Extracted = (FileModel, tree_sitter::Tree);

/// A file's model, and its tree when it is kept (see [`extract_keeping`]).
type Kept = (FileModel, Option<tree_sitter::Tree>);

/// The files of a group as the fix loop changes them.
#[derive(Clone)]
struct FixState {
    files: Vec<SourceFile>,
    models: Vec<FileModel>,
    findings: Vec<Finding>,
    policies: Vec<Vec<Policy>>,
    /// Files never rewritten: they do not parse, were only read for context, or had a fix refused.
    frozen: Vec<bool>,
    /// The tree of each file's text, kept for the files with inits (those that fixes rewrite),
    /// so that a fixed text is parsed incrementally.
    trees: Vec<Option<tree_sitter::Tree>>,
}

/// The rules of the findings of `before` that `after` no longer has, one entry per finding: per
/// file and rule, how many fewer reported findings there are.
fn resolved(before: &[Finding], after: &[Finding], focused: &[bool]) -> Vec<Rule> {
    let count = |list: &[Finding]| {
        let mut m: HashMap<(usize, Rule), usize> = HashMap::new();
        for f in list
            .iter()
            .filter(|f| f.suppressed.is_none() && focused[f.file])
        {
            *m.entry((f.file, f.rule)).or_default() += 1;
        }
        m
    };
    let (b, a) = (count(before), count(after));
    let mut out = Vec::new();
    for (key, n) in b {
        let gone = n.saturating_sub(a.get(&key).copied().unwrap_or(0));
        out.extend(std::iter::repeat_n(key.1, gone));
    }
    out.sort();
    out
}

/// One tier of the fix loop: the safe fixes until none is left, or (`Unsafe`) the unsafe ones too.
/// Each pass applies the safest fixes there are, so that a safe fix that settles a finding (masking
/// turned back on) goes before an unsafe one that would settle it otherwise (a sample rate set to
/// 0), and a fix of a rule that waits for another (SPA104 for SPA101–SPA103) goes after that
/// rule's fixes. So the result does not depend on how the fixes are asked for: `--fix
/// --unsafe-fixes` gives the files that `--fix` followed by `--fix --unsafe-fixes` gives. A file
/// whose fix is refused goes back to how it was when the tier began, and is left alone.
fn fix_tier(
    state: &mut FixState,
    analyser: &mut Analyser,
    config: &Config,
    tier: Applicability,
    errors: &mut Vec<String>,
) {
    let start: Vec<String> = state.files.iter().map(|f| f.text.clone()).collect();
    // A fix may never make an init collect more than before it: the policy when the tier began.
    let start_policies = state.policies.clone();
    // The codes fixed in each file in this tier (named if a later pass is refused).
    let mut fixed_codes: Vec<Vec<&'static str>> = vec![Vec::new(); state.files.len()];
    let unsafe_fixes = tier == Applicability::Unsafe;
    for _ in 0..MAX_FIX_PASSES {
        let pending: Vec<&Finding> = state
            .findings
            .iter()
            .filter(|f| {
                f.suppressed.is_none()
                    && !state.frozen[f.file]
                    && f.fix.as_ref().is_some_and(|x| x.applies(unsafe_fixes))
            })
            .collect();
        if pending.is_empty() {
            break;
        }
        // The safest level first, waiting rules after the rules they wait for; when a choice
        // changes nothing (its fixes cannot be applied), the next one is tried.
        let mut choices = vec![(Applicability::Safe, true), (Applicability::Safe, false)];
        if unsafe_fixes {
            choices.extend([
                (Applicability::Unsafe, true),
                (Applicability::Unsafe, false),
            ]);
        }
        let mut changed_any = false;
        let mut updates: Vec<(usize, SourceFile, Option<Extracted>)> = Vec::new();
        for (level, wait) in choices {
            let at_level: Vec<&Finding> = pending
                .iter()
                .copied()
                .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability == level))
                .collect();
            let chosen: Vec<&Finding> = at_level
                .iter()
                .copied()
                .filter(|f| {
                    !wait
                        || !f
                            .rule
                            .fix_waits_for()
                            .iter()
                            .any(|r| at_level.iter().any(|g| g.rule == *r))
                })
                .collect();
            // Per file: the fixes and the codes of their findings.
            let mut by_file: Vec<(Vec<&Fix>, Vec<&'static str>)> =
                vec![(Vec::new(), Vec::new()); state.files.len()];
            for f in &chosen {
                if let Some(fx) = &f.fix {
                    by_file[f.file].0.push(fx);
                    by_file[f.file].1.push(f.rule.code());
                }
            }
            // Applying, re-parsing and re-extracting are independent per file: spread them over
            // the cores; the policy guard, which reads the installed versions, follows in order.
            let tried: Vec<_> = by_file
                .par_iter()
                .enumerate()
                .filter(|(_, v)| !v.0.is_empty())
                .filter_map(|(i, (fixes, codes))| {
                    let file = &state.files[i];
                    let crate::fix::Applied {
                        text,
                        fixes: applied,
                        spans,
                    } = crate::fix::apply_spans(&file.text, fixes);
                    if applied.is_empty() || text == file.text {
                        return None;
                    }
                    let prior = state.trees[i].as_ref().map(|tree| crate::syntax::Prior {
                        tree,
                        spans: &spans,
                    });
                    let fixed = file.with_text(text);
                    let parsed = crate::syntax::reparse_guarded(
                        file.lang,
                        &file.path,
                        &file.text,
                        prior,
                        &fixed.text,
                        |flat| extract_from(&fixed, flat, config, &analyser.sources),
                    )
                    .map(|(tree, model)| (fixed, model, tree));
                    Some((i, codes, applied, parsed))
                })
                .collect();
            for (i, codes, applied, parsed) in tried {
                let file = &state.files[i];
                let guarded = parsed.and_then(|(fixed, model, tree)| {
                    let after = analyser.policies_of(&fixed, &model);
                    policy_guard(&fixed, &model, &start_policies[i], &after)
                        .map(|_| (fixed, model, tree))
                });
                let parsed = match guarded {
                    Ok(parsed) => parsed,
                    Err(e) => {
                        let mut named: Vec<&str> = codes.clone();
                        named.extend(fixed_codes[i].iter().copied());
                        named.sort_unstable();
                        named.dedup();
                        errors.push(format!(
                            "{}: fixes not applied ({}): {e}",
                            file.display,
                            named.join(", ")
                        ));
                        state.frozen[i] = true;
                        fixed_codes[i].clear();
                        if file.text != start[i] {
                            updates.push((i, file.with_text(start[i].clone()), None));
                            changed_any = true;
                        }
                        continue;
                    }
                };
                fixed_codes[i].extend(applied.iter().map(|&k| codes[k]));
                let (fixed, model, tree) = parsed;
                updates.push((i, fixed, Some((model, tree))));
                changed_any = true;
            }
            if changed_any {
                break;
            }
        }
        for (i, file, parsed) in updates {
            // The file, model and tree the guard had from the same text, when there are some.
            state.files[i] = file;
            (state.models[i], state.trees[i]) = match parsed {
                Some((model, tree)) => (model, Some(tree)),
                None => extract_keeping(&state.files[i], config, &analyser.sources, true),
            };
        }
        if !changed_any {
            break;
        }
        (state.findings, state.policies) = analyser.run(&state.files, &mut state.models);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("--exclude: {0}")]
    Exclude(String),
    #[error("{0}")]
    Selector(String),
    #[error("{0}")]
    Stdin(String),
}

/// Run the checks.
pub fn check(req: &CheckRequest) -> Result<Report, CheckError> {
    let paths = match &req.stdin {
        Some((path, _)) => {
            if crate::source::Lang::from_path(path).is_none() {
                return Err(CheckError::Stdin(format!(
                    "--stdin-filename: `{}` is not a Python or JavaScript/TypeScript file",
                    path.display()
                )));
            }
            vec![path.clone()]
        }
        None if req.paths.is_empty() => vec![PathBuf::from(".")],
        None => req.paths.clone(),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cli_excludes = Excludes::new(&req.exclude, &cwd).map_err(CheckError::Exclude)?;
    // Each path argument is judged with the configuration nearest to it.
    let mut groups: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
    for p in paths {
        let cfg = match &req.config {
            Some(c) => Some(c.clone()),
            None => match Config::discover(&p)? {
                Some(c) => Some(c),
                None => Config::discover(&cwd)?,
            },
        };
        match groups.iter_mut().find(|(c, _)| *c == cfg) {
            Some((_, ps)) => ps.push(p),
            None => groups.push((cfg, vec![p])),
        }
    }
    let mut report = Report::default();
    for (cfg_path, paths) in groups {
        let mut config = match &cfg_path {
            Some(p) => Config::load(p)?,
            None => Config::defaults(cwd.clone()),
        };
        config
            .override_selection(req.select.as_deref(), &req.extend_select, &req.ignore)
            .map_err(CheckError::Selector)?;
        for (code, text) in &config.criteria {
            report
                .criteria
                .entry(code.clone())
                .or_insert_with(|| text.clone());
        }
        check_group(&paths, &config, &cli_excludes, req, &mut report);
    }
    if let Some(b) = &req.baseline {
        // Each group marked the findings its files have; count what the whole run matched.
        let accepted = report.baseline_accepted();
        let recorded = if report.focused.iter().all(|f| *f) {
            b.total()
        } else {
            b.total_for(
                report
                    .files
                    .iter()
                    .zip(&report.focused)
                    .filter(|(_, f)| **f)
                    .map(|(file, _)| file),
            )
        };
        report.baseline_stale = Some(recorded.saturating_sub(accepted));
    }
    report.findings.sort_by(|a, b| {
        let fa = &report.files[a.file];
        let fb = &report.files[b.file];
        (
            fa.display.as_str(),
            fa.line_col(a.range.start),
            a.rule.code(),
        )
            .cmp(&(
                fb.display.as_str(),
                fb.line_col(b.range.start),
                b.rule.code(),
            ))
    });
    Ok(report)
}

fn check_group(
    paths: &[PathBuf],
    config: &Config,
    cli_excludes: &Excludes,
    req: &CheckRequest,
    report: &mut Report,
) {
    let fix = req.fix;
    // Whether fixes are applied, for real or on a copy: only then are trees kept.
    let fixing = matches!(fix, FixMode::Apply { .. }) || req.count_fixable;
    let baseline = req.baseline.as_ref();
    let stdin_path = req.stdin.as_ref().map(|(p, _)| p.as_path());
    let (walk, focus) = scope(paths, config, stdin_path);
    // The modules inits import their options from, read once for the whole group.
    let sources = Modules::new();
    let every_file = discover::every_file();
    let wanted = |path: &Path| every_file || config.is_customer_route(path);
    let candidates =
        discover::candidates(&walk, config, cli_excludes, &wanted, &mut report.skipped);
    // Parsing is independent per file: spread it over the cores, keep the order.
    let outcomes: Vec<(ReadOutcome, Option<Kept>)> = candidates
        .into_par_iter()
        .map(|(_, outcome)| {
            let model = match &outcome {
                ReadOutcome::File(file) => Some(extract_keeping(file, config, &sources, fixing)),
                _ => None,
            };
            (outcome, model)
        })
        .collect();
    let mut files = Vec::new();
    let mut models = Vec::new();
    let mut trees = Vec::new();
    for (outcome, model) in outcomes {
        match (outcome, model) {
            (ReadOutcome::File(file), Some((model, tree))) => {
                if let Some(s) = discover::binary(&file, model.parse_error.is_none()) {
                    report.skipped.push(s);
                    continue;
                }
                files.push(file);
                models.push(model);
                trees.push(tree);
            }
            (ReadOutcome::Skipped(s), _) => report.skipped.push(s),
            _ => {}
        }
    }
    if let Some((path, text)) = &req.stdin {
        // The text from stdin stands in for the file on disk, if there is one.
        let key = canonical(path);
        if let Some(i) = files.iter().position(|f| canonical(&f.path) == key) {
            files.remove(i);
            models.remove(i);
            trees.remove(i);
        }
        if let Some(lang) = crate::source::Lang::from_path(path) {
            let file = SourceFile::new(
                discover::display_path(path),
                path.clone(),
                lang,
                text.clone(),
            );
            let (model, tree) = extract_keeping(&file, config, &sources, fixing);
            models.push(model);
            trees.push(tree);
            files.push(file);
        }
    }
    let mut analyser = Analyser {
        config,
        baseline,
        sources,
        modules: HashMap::new(),
        skipped: Vec::new(),
        installed: crate::sdk::Installed::new(),
    };
    let (findings, policies) = analyser.run(&files, &mut models);
    // The fix loop reads the trees of the files it may rewrite only.
    for (i, tree) in trees.iter_mut().enumerate() {
        if !findings.iter().any(|f| f.file == i && f.fix.is_some()) {
            *tree = None;
        }
    }
    for (rule, key, empty, sdk) in [
        (
            crate::registry::Rule::CustomerFieldsNotScrubbed,
            "sensitive_fields",
            config.sensitive_fields.is_empty(),
            crate::model::Sdk::Python,
        ),
        (
            crate::registry::Rule::CustomerDataRouteUnmasked,
            "customer_data_routes",
            !config.has_routes,
            crate::model::Sdk::Javascript,
        ),
    ] {
        let relevant = models.iter().any(|m| m.inits.iter().any(|i| i.sdk == sdk));
        if empty
            && relevant
            && config.severity_of(rule, rule.severity()).is_some()
            && !report.unconfigured.contains(&(rule, key))
        {
            report.unconfigured.push((rule, key));
        }
    }
    // Which files were asked about (all, unless files were named).
    let focused: Vec<bool> = files.iter().map(|f| in_focus(&focus, &f.path)).collect();
    let offset = report.files.len();
    // Files that do not parse are never rewritten, nor are the files read only for context.
    let frozen: Vec<bool> = models
        .iter()
        .zip(&focused)
        .map(|(m, asked)| m.parse_error.is_some() || !asked)
        .collect();
    let mut state = FixState {
        files,
        models,
        findings,
        policies,
        frozen,
        trees,
    };
    if let FixMode::Apply {
        unsafe_fixes,
        write,
    } = fix
    {
        let originals: Vec<String> = state.files.iter().map(|f| f.text.clone()).collect();
        let before = state.findings.clone();
        let mut tiers = vec![Applicability::Safe];
        if unsafe_fixes {
            tiers.push(Applicability::Unsafe);
        }
        for tier in tiers {
            fix_tier(
                &mut state,
                &mut analyser,
                config,
                tier,
                &mut report.fix_errors,
            );
        }
        report.fixed += resolved(&before, &state.findings, &focused).len();
        for (i, original) in originals.into_iter().enumerate() {
            let file = &state.files[i];
            if file.text == original {
                continue;
            }
            let mut written = false;
            if write && req.stdin.is_none() {
                match writable(&file.path)
                    .and_then(|_| crate::fix::write_atomic(&file.path, &file.bytes()))
                {
                    Ok(()) => written = true,
                    Err(e) => report
                        .fix_errors
                        .push(format!("{}: not written: {e}", file.display)),
                }
            }
            report.changed.push(Changed {
                file: offset + i,
                original,
                written,
            });
        }
    }
    // What `--fix` and then `--fix --unsafe-fixes` would fix from here, found by running them on a
    // copy: the counts `check`, `--diff` and `--statistics` report are the fixes' real results.
    if req.count_fixable
        && state.findings.iter().any(|f| {
            f.suppressed.is_none()
                && !state.frozen[f.file]
                && f.fix.as_ref().is_some_and(|x| x.applies(true))
        })
    {
        // The trees move to the copy (nothing reads them after it), so that each is freed when
        // the copy's fix replaces it.
        let trees = std::mem::take(&mut state.trees);
        let mut copy = state.clone();
        copy.trees = trees;
        let mut refused = Vec::new();
        let before = copy.findings.clone();
        fix_tier(
            &mut copy,
            &mut analyser,
            config,
            Applicability::Safe,
            &mut refused,
        );
        let safe = resolved(&before, &copy.findings, &focused);
        let before = copy.findings.clone();
        fix_tier(
            &mut copy,
            &mut analyser,
            config,
            Applicability::Unsafe,
            &mut refused,
        );
        let more = resolved(&before, &copy.findings, &focused);
        for (rule, n, m) in Rule::ALL.map(|r| {
            (
                r,
                safe.iter().filter(|x| **x == r).count(),
                more.iter().filter(|x| **x == r).count(),
            )
        }) {
            if n + m == 0 {
                continue;
            }
            match report.fixable.iter_mut().find(|x| x.0 == rule) {
                Some(x) => {
                    x.1 += n;
                    x.2 += m;
                }
                None => report.fixable.push((rule, n, m)),
            }
        }
    }
    let FixState {
        files,
        models,
        mut findings,
        policies,
        ..
    } = state;
    findings.retain(|f| focused[f.file]);
    report.skipped.extend(analyser.skipped);
    report
        .warnings
        .extend(analyser.installed.take_warnings().iter().map(|w| {
            let shown = discover::display_path(&w.path);
            match w.line {
                Some(l) => format!("{shown}:{l}: {}", w.message),
                None => format!("{shown}: {}", w.message),
            }
        }));
    for f in &mut findings {
        f.file += offset;
    }
    report.checked += files.len();
    report.findings.extend(findings);
    report.files.extend(files);
    report.models.extend(models);
    report.policies.extend(policies);
    report.focused.extend(focused);
}

/// What to read, and what to report. Every path, file or folder, is judged in the context of its
/// project: the folder of the configuration file, else the git root (for a file outside both, its
/// folder). A path inside its project gets the rest of the project read as well, so that rules
/// needing other files (a route and the frontend init, a `before_send` in another module) judge it
/// as they would in a run over the whole project; only the paths asked about are reported and
/// fixed. pre-commit passes lists of files this way. Naming a configuration file reports the whole
/// project.
fn scope(
    paths: &[PathBuf],
    config: &Config,
    stdin: Option<&Path>,
) -> (Vec<PathBuf>, Option<Vec<PathBuf>>) {
    let config_dir = config
        .file
        .as_ref()
        .and_then(|f| f.parent().map(Path::to_path_buf));
    let mut walk: Vec<PathBuf> = paths
        .iter()
        .filter(|p| Some(p.as_path()) != stdin)
        .cloned()
        .collect();
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in paths {
        let is_file = p.is_file() || Some(p.as_path()) == stdin;
        if !is_file && !p.is_dir() {
            continue; // discovery reports it
        }
        let root = config_dir.clone().or_else(|| git_root(p)).or_else(|| {
            is_file.then(|| {
                std::path::absolute(p)
                    .ok()
                    .and_then(|a| a.parent().map(Path::to_path_buf))
                    .unwrap_or_default()
            })
        });
        let Some(root) = root else {
            continue; // a folder outside any project is its own context
        };
        let (abs_path, abs_root) = (canonical(p), canonical(&root));
        if abs_path != abs_root && abs_path.starts_with(&abs_root) && !roots.contains(&abs_root) {
            roots.push(abs_root);
        }
    }
    let config_named = paths.iter().any(|f| {
        f.is_file()
            && f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n == "pyproject.toml" || crate::config::CONFIG_FILES.contains(&n))
    });
    if roots.is_empty() {
        return (walk, None);
    }
    walk.extend(roots);
    let focus = (!config_named).then(|| paths.iter().map(|p| canonical(p)).collect());
    (walk, focus)
}

/// The real path, or the absolute one for a path that does not exist (stdin's).
fn canonical(p: &Path) -> PathBuf {
    p.canonicalize()
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

fn in_focus(focus: &Option<Vec<PathBuf>>, path: &Path) -> bool {
    match focus {
        None => true,
        Some(list) => {
            let p = canonical(path);
            list.iter().any(|f| p.starts_with(f))
        }
    }
}

/// The folder holding `.git` at or above a path (the path itself, when it is that folder).
fn git_root(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    abs.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// A file the user marked read-only is left alone.
fn writable(path: &Path) -> std::io::Result<()> {
    if std::fs::metadata(path)?.permissions().readonly() {
        return Err(std::io::Error::other("the file is read-only"));
    }
    Ok(())
}

/// The file's model, and its tree when `keep` (fixes are to be applied) and the file has inits (the
/// files that fixes rewrite).
fn extract_keeping(file: &SourceFile, config: &Config, sources: &Modules, keep: bool) -> Kept {
    if file.lang == crate::source::Lang::Data {
        return (FileModel::default(), None);
    }
    let tree = crate::syntax::parse(file.lang, &file.text);
    let model = extract_from(
        file,
        &crate::syntax::Flat::new(tree.root_node()),
        config,
        sources,
    );
    let keep = keep && !model.inits.is_empty();
    (model, keep.then_some(tree))
}

/// A file's model from its tree's nodes, gathered once (the fix guard gathers them for its depth).
fn extract_from(
    file: &SourceFile,
    flat: &crate::syntax::Flat,
    config: &Config,
    sources: &Modules,
) -> FileModel {
    let masks = config
        .is_customer_route(&file.path)
        .then_some(config.mask_components.as_slice());
    lang::extract_flat(file, flat, masks, Some(sources))
}

/// Cross-file resolution, then the rules; kept across fix passes, so that the modules read for
/// imported `before_send` hooks (which fixes never rewrite) are read once.
struct Analyser<'a> {
    config: &'a Config,
    baseline: Option<&'a crate::baseline::Baseline>,
    /// The modules inits import their options from (read once, kept across fix passes).
    sources: Modules,
    /// Modules read from disk, by real path: their functions and the strings each can reach.
    modules: HashMap<PathBuf, Option<FunctionStrings>>,
    skipped: Vec<Skipped>,
    /// The SDK versions the lockfiles and manifests name, read once per run.
    installed: crate::sdk::Installed,
}

impl Analyser<'_> {
    fn run(
        &mut self,
        files: &[SourceFile],
        models: &mut [FileModel],
    ) -> (Vec<Finding>, Vec<Vec<Policy>>) {
        self.resolve_hooks(files, models);
        let policies: Vec<Vec<Policy>> = files
            .iter()
            .zip(models.iter())
            .map(|(f, m)| self.policies_of(f, m))
            .collect();
        let mut findings = rules::check(&Context {
            files,
            models,
            policies: &policies,
            config: self.config,
        });
        if let Some(b) = self.baseline {
            b.apply(files, &mut findings);
        }
        (findings, policies)
    }

    /// The policy of each init of a file.
    fn policies_of(&mut self, file: &SourceFile, model: &FileModel) -> Vec<Policy> {
        model
            .inits
            .iter()
            .map(|init| {
                let found = match init.sdk {
                    crate::model::Sdk::Python => {
                        self.installed
                            .lookup(&file.path, crate::sdk::Ecosystem::Python, None)
                    }
                    crate::model::Sdk::Javascript => self.installed.lookup(
                        &file.path,
                        crate::sdk::Ecosystem::Npm,
                        init.package.as_deref(),
                    ),
                };
                let installed = found.map(|f| policy::Installed {
                    package: f.package,
                    spec: f.spec,
                    source: discover::display_path(&f.source),
                    line: f.line,
                });
                let mut p = policy::compute(init, &file.path, installed.as_ref());
                let eco = match init.sdk {
                    crate::model::Sdk::Python => crate::sdk::Ecosystem::Python,
                    crate::model::Sdk::Javascript => crate::sdk::Ecosystem::Npm,
                };
                for kind in policy::LibraryKind::ALL {
                    if let Some(d) =
                        self.installed
                            .declares(&file.path, eco, kind.packages(init.sdk))
                    {
                        let shown = discover::display_path(&d.source);
                        p.libraries.push(policy::Library {
                            kind,
                            name: d.name,
                            source: match d.line {
                                Some(l) => format!("{shown}:{l}"),
                                None => shown,
                            },
                        });
                    }
                }
                p
            })
            .collect()
    }

    /// Resolve `before_send` functions imported from other modules: the module is looked up among
    /// the checked files first, then on disk next to the importing file (it need not mention
    /// Sentry).
    fn resolve_hooks(&mut self, files: &[SourceFile], models: &mut [FileModel]) {
        // The checked files' real paths, worked out at the first imported hook.
        let mut reals: Option<Vec<PathBuf>> = None;
        for i in 0..files.len() {
            for init_idx in 0..models[i].inits.len() {
                let Some(HookTarget::Imported {
                    module,
                    name,
                    level,
                }) = models[i].inits[init_idx]
                    .python
                    .before_send
                    .as_ref()
                    .map(|h| &h.target)
                else {
                    continue;
                };
                let spec = format!("{}{module}", ".".repeat(*level));
                let Some(module_path) = crate::lang::modules::python_module(&files[i].path, &spec)
                else {
                    continue;
                };
                let real = canonical(&module_path);
                let reals =
                    reals.get_or_insert_with(|| files.iter().map(|f| canonical(&f.path)).collect());
                // A checked file is read as it is now (fixes may have changed it); another one once.
                let computed;
                let functions = match reals.iter().position(|r| *r == real) {
                    Some(j) => {
                        computed = lang::functions(&files[j]);
                        Some(&computed)
                    }
                    None => self
                        .modules
                        .entry(real)
                        .or_insert_with(|| match discover::read(&module_path, true) {
                            ReadOutcome::File(f) => Some(lang::functions(&f)),
                            ReadOutcome::Skipped(s) => {
                                self.skipped.push(s);
                                None
                            }
                            ReadOutcome::NotCandidate => None,
                        })
                        .as_ref(),
                };
                let Some(strings) = functions
                    .and_then(|fs| fs.iter().find(|(n, _)| n == name))
                    .map(|(_, strings)| strings.clone())
                else {
                    continue;
                };
                if let Some(h) = models[i].inits[init_idx].python.before_send.as_mut() {
                    h.target = HookTarget::Resolved {
                        path: discover::display_path(&module_path),
                        strings,
                    };
                }
            }
        }
    }
}

/// Refuse a fix that makes an init collect more than before, or makes the SDK ignore an option it
/// honoured: the message names the init, the category and the option.
fn policy_guard(
    file: &SourceFile,
    model: &FileModel,
    before: &[Policy],
    after: &[Policy],
) -> Result<(), String> {
    if before.len() != after.len() {
        return Err(format!(
            "the fixed file has {} Sentry inits instead of {}",
            after.len(),
            before.len()
        ));
    }
    for (k, (b, a)) in before.iter().zip(after).enumerate() {
        let line = model
            .inits
            .get(k)
            .map(|i| file.line_col(i.call.start).line)
            .unwrap_or(0);
        for ((c, was), (_, now)) in b.decisions().zip(a.decisions()) {
            if now.state.rank() > was.state.rank() {
                return Err(format!(
                    "`{}` of the init at line {line} would become more permissive ({} → {})",
                    c.name(),
                    was.state.name(),
                    now.state.name()
                ));
            }
        }
        for ig in &a.ignored {
            if !b.ignored.iter().any(|x| x.option == ig.option) {
                return Err(format!(
                    "the SDK would ignore `{}` of the init at line {line}: {}",
                    ig.option, ig.message
                ));
            }
        }
    }
    Ok(())
}
