//! Parsing and the language-independent parts of extraction: a parser cached per thread, tree
//! walks without recursion, scoped bindings, and reading a condition as "production".

use std::collections::HashMap;

use tree_sitter::Node;

use crate::model::{FileModel, ProdBranch};
use crate::source::{Lang, SourceFile};

pub mod comments;
pub mod eval;
pub mod javascript;
pub mod javascript_lower;
pub mod modules;
pub mod python;
pub mod python_lower;

pub use crate::syntax::{first_error, parse, walk};

/// Parse a file and extract its model. `route_masks` (the masking wrapper components) asks for the JSX roots (customer-data routes).
///
/// `modules` loads the files an init's options are imported from (none: options in other files
/// are unknown).
pub fn extract(
    file: &SourceFile,
    route_masks: Option<&[String]>,
    modules: Option<&modules::Modules>,
) -> FileModel {
    if file.lang == Lang::Data {
        return FileModel::default();
    }
    let tree = parse(file.lang, &file.text);
    extract_parsed(file, &tree, route_masks, modules)
}

/// [`extract`] from the file's tree, already parsed.
pub fn extract_parsed(
    file: &SourceFile,
    tree: &tree_sitter::Tree,
    route_masks: Option<&[String]>,
    modules: Option<&modules::Modules>,
) -> FileModel {
    if file.lang == Lang::Data {
        return FileModel::default();
    }
    extract_flat(
        file,
        &crate::syntax::Flat::new(tree.root_node()),
        route_masks,
        modules,
    )
}

/// [`extract_parsed`] from the tree's nodes, already gathered.
pub fn extract_flat(
    file: &SourceFile,
    flat: &crate::syntax::Flat,
    route_masks: Option<&[String]>,
    modules: Option<&modules::Modules>,
) -> FileModel {
    let mut model = match file.lang {
        Lang::Python => python::extract(file, flat, modules, false),
        Lang::TypeScript | Lang::Tsx => javascript::extract(file, flat, route_masks, modules),
        Lang::Data => return FileModel::default(),
    };
    model.suppressions = comments::find(flat.root(), file);
    model.parse_error = crate::syntax::confirm_at(file, flat.root(), flat.depth);
    model
}

/// Refuse a rewrite that adds a syntax error (see [`crate::syntax::reparse_guard`]); the dialect
/// is the language's own (`.ts`, `.tsx`, `.py`).
pub fn reparse_guard(lang: Lang, old: &str, new: &str) -> Result<(), String> {
    let name = match lang {
        Lang::Python => "fixed.py",
        Lang::TypeScript => "fixed.ts",
        Lang::Tsx => "fixed.tsx",
        Lang::Data => return Err("event data is never rewritten".into()),
    };
    crate::syntax::reparse_guard(lang, std::path::Path::new(name), old, new)
}

/// A bracketed list's geometry: its range and its items without comments.
pub fn arg_list(n: Node) -> crate::model::ArgList {
    let mut c = n.walk();
    crate::model::ArgList {
        range: n.byte_range(),
        items: n
            .named_children(&mut c)
            .filter(|x| x.kind() != "comment")
            .map(|x| x.byte_range())
            .collect(),
    }
}

/// Every descendant (and the node itself) of one of `kinds`, in source order.
pub fn descendants_of_kind<'t>(root: Node<'t>, kinds: &[&str]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(root, |n| {
        if kinds.contains(&n.kind()) {
            out.push(n);
        }
        true
    });
    out
}

pub fn text<'s>(node: Node, src: &'s str) -> &'s str {
    &src[node.byte_range()]
}

/// What a language tells the binding analysis.
pub struct Grammar {
    /// Node kinds that open a function scope.
    pub scopes: &'static [&'static str],
    /// Node kinds whose body runs only on some paths.
    pub branches: &'static [&'static str],
}

/// One `name = value` binding.
#[derive(Clone, Copy, Debug)]
pub struct Binding<'t> {
    pub value: Node<'t>,
    /// Where the statement (or declarator) that binds it ends: reads from there on see it.
    pub at: usize,
    /// Bound inside an `if`/`try`/loop of its scope.
    pub conditional: bool,
}

/// All simple bindings of a file, by name and scope, in source order.
pub struct Bindings<'t> {
    by_name: HashMap<String, HashMap<usize, Vec<Binding<'t>>>>,
    grammar: &'static Grammar,
    root: usize,
}

impl<'t> Bindings<'t> {
    /// `pairs` yields (name, value node, binding node) for each simple binding of the file.
    pub fn new(
        root: Node<'t>,
        grammar: &'static Grammar,
        pairs: impl IntoIterator<Item = (String, Node<'t>, Node<'t>)>,
    ) -> Bindings<'t> {
        let mut by_name: HashMap<String, HashMap<usize, Vec<Binding<'t>>>> = HashMap::new();
        for (name, value, node) in pairs {
            let mut conditional = false;
            let mut scope = root.id();
            let mut cur = node.parent();
            while let Some(p) = cur {
                if grammar.scopes.contains(&p.kind()) {
                    scope = p.id();
                    break;
                }
                if grammar.branches.contains(&p.kind()) {
                    conditional = true;
                }
                cur = p.parent();
            }
            by_name
                .entry(name)
                .or_default()
                .entry(scope)
                .or_default()
                .push(Binding {
                    value,
                    at: node.end_byte(),
                    conditional,
                });
        }
        for list in by_name.values_mut().flat_map(|m| m.values_mut()) {
            list.sort_by_key(|b| b.at);
        }
        Bindings {
            by_name,
            grammar,
            root: root.id(),
        }
    }

    /// The bindings of `name` visible at `at`: in the innermost enclosing function scope that binds
    /// it before `at`, else at module level (anywhere, when `at` is inside a function, which runs
    /// later). Several bindings come back when the last one is conditional (at most a few: the
    /// walk back to an unconditional one is bounded).
    pub fn lookup(&self, name: &str, at: Node<'t>) -> Vec<Binding<'t>> {
        let Some(scopes) = self.by_name.get(name) else {
            return vec![];
        };
        let mut chain = Vec::new();
        let mut cur = at.parent();
        while let Some(p) = cur {
            if self.grammar.scopes.contains(&p.kind()) {
                chain.push(p.id());
            }
            cur = p.parent();
        }
        let in_function = !chain.is_empty();
        chain.push(self.root);
        for scope in chain {
            let Some(all) = scopes.get(&scope) else {
                continue;
            };
            let end = if scope == self.root && in_function {
                all.len()
            } else {
                all.partition_point(|b| b.at <= at.start_byte())
            };
            if end == 0 {
                continue;
            }
            let floor = end.saturating_sub(9);
            let start = (floor..end)
                .rev()
                .find(|&i| !all[i].conditional)
                .unwrap_or(floor);
            return all[start..end].to_vec();
        }
        vec![]
    }
}

/// The module-level functions of a Python file and the strings each can reach (for a
/// `before_send` imported from it); empty for other languages.
pub fn functions(file: &SourceFile) -> crate::model::FunctionStrings {
    match file.lang {
        Lang::Python => {
            let tree = parse(file.lang, &file.text);
            let flat = crate::syntax::Flat::new(tree.root_node());
            python::extract(file, &flat, None, true).functions
        }
        _ => Vec::new(),
    }
}

/// The scope nodes around the calls [`relevant_callee`] picks (the inits and integrations), out
/// to the module: the only function scopes whose bindings an evaluation reads.
pub fn scopes_around(
    calls: &[Node],
    src: &str,
    grammar: &Grammar,
) -> std::collections::HashSet<usize> {
    let mut out = std::collections::HashSet::new();
    for call in calls {
        let Some(f) = call.child_by_field_name("function") else {
            continue;
        };
        if !relevant_callee(text(f, src)) {
            continue;
        }
        let mut cur = call.parent();
        while let Some(p) = cur {
            if grammar.scopes.contains(&p.kind()) && !out.insert(p.id()) {
                break;
            }
            cur = p.parent();
        }
    }
    out
}

/// Is a callee one whose arguments an evaluation reads: an init, a client, an integration?
pub fn relevant_callee(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    last == "init"
        || last == "Client"
        || last.contains("Integration")
        || last.contains("Replay")
        || last == "Sentry"
}

/// The scope of the lowered module a node is in: its innermost enclosing scope node's.
pub fn scope_at(m: &eval::Module, n: Node, grammar: &Grammar) -> eval::ScopeId {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if grammar.scopes.contains(&p.kind()) {
            if let Some(s) = m.scope_of_node(p.id()) {
                return s;
            }
        }
        cur = p.parent();
    }
    eval::ROOT_SCOPE
}

/// The branches a binding runs under between it and its scope, innermost first, each with what
/// decides it (`condition` reads a branch node of the language).
pub fn guards(
    n: Node,
    src: &str,
    grammar: &Grammar,
    condition: fn(Node, &str) -> eval::Guard,
) -> Vec<eval::Guard> {
    let mut out = Vec::new();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if grammar.scopes.contains(&p.kind()) {
            break;
        }
        if grammar.branches.contains(&p.kind()) {
            out.push(condition(p, src));
        }
        cur = p.parent();
    }
    out
}

/// A branch's guard: its condition when it has one (`if`, `elif`, and the negation for
/// `else`, spelled by `negate`), else its header (loops, `try`, `except`, `switch`).
pub fn branch_guard(
    branch: Node,
    src: &str,
    condition: Option<String>,
    header_end: char,
) -> eval::Guard {
    match condition {
        Some(c) => eval::Guard {
            production: production_branch(&c),
            condition: c,
            branch: branch.byte_range(),
        },
        None => {
            let header = text(branch, src).lines().next().unwrap_or("").trim();
            eval::Guard {
                condition: header.trim_end_matches(header_end).trim().to_string(),
                production: None,
                branch: branch.byte_range(),
            }
        }
    }
}

/// How a language lowers its files: which nodes open scopes and branches, what a branch's
/// condition is, and how its expressions lower.
pub struct Lowering {
    pub grammar: &'static Grammar,
    pub condition: fn(Node, &str) -> eval::Guard,
    pub lower_at: fn(&mut eval::Module, Node, &str, usize) -> eval::ExprId,
}

impl Lowering {
    /// The scope of a node: where the lowering walk is, else found from its parents.
    pub fn scope_at(&self, m: &eval::Module, n: Node) -> eval::ScopeId {
        m.tracked_scope()
            .unwrap_or_else(|| scope_at(m, n, self.grammar))
    }

    /// The branches a binding runs under: those around the walk, else found from its parents.
    pub fn guards(&self, m: &eval::Module, n: Node, src: &str) -> Vec<eval::Guard> {
        m.tracked_guards()
            .unwrap_or_else(|| guards(n, src, self.grammar, self.condition))
    }

    /// Lower an expression; outside the module walk, its scope is found once for all its names.
    pub fn lower(&self, m: &mut eval::Module, n: Node, src: &str) -> eval::ExprId {
        if m.tracked_scope().is_some() {
            return (self.lower_at)(m, n, src, 0);
        }
        let scope = scope_at(m, n, self.grammar);
        m.track_begin_in(scope);
        let e = (self.lower_at)(m, n, src, 0);
        m.track_end();
        e
    }

    /// Walk a file and lower the bindings of the module scope and of the function scopes in
    /// `keep` (all when `None`; it holds every scope around each scope it holds). `on_scope(m,
    /// node, parent, scope, kept)` binds what a scope node
    /// binds (its name in the parent if that is kept, its parameters if it is); `on_node` binds
    /// what any other node of a kept scope binds.
    pub fn module(
        &self,
        flat: &crate::syntax::Flat,
        src: &str,
        keep: Option<&std::collections::HashSet<usize>>,
        mut on_scope: impl FnMut(&mut eval::Module, Node, eval::ScopeId, eval::ScopeId, bool),
        mut on_node: impl FnMut(&mut eval::Module, Node),
    ) -> eval::Module {
        let mut m = eval::Module::new(src);
        m.track_begin();
        flat.walk(|n| {
            m.track_node(n.start_byte());
            if self.grammar.branches.contains(&n.kind()) {
                m.track_branch(n.end_byte(), (self.condition)(n, src));
            }
            if self.grammar.scopes.contains(&n.kind()) {
                let parent = self.scope_at(&m, n);
                let scope = m.open_scope(n.id(), parent);
                let kept = keep.is_none_or(|k| k.contains(&n.id()));
                on_scope(&mut m, n, parent, scope, kept);
                m.track_scope(n.end_byte(), scope, kept);
                // `keep` holds every scope around a kept one, so nothing inside a scope that is
                // not kept binds anything: the walk does not go in.
                return kept;
            }
            if m.tracked_kept() {
                on_node(&mut m, n);
            }
            true
        });
        m.track_end();
        m
    }
}

/// Does the condition say which branch runs in production? `production`, `prod`, `PROD`,
/// `isProduction` point at the `then` branch; `development`, `dev`, `DEBUG`, `local`, `test`,
/// `staging` at the `else` branch; a negation (`!`, `not`, `!=`, `!==`) swaps them.
pub fn production_branch(condition: &str) -> Option<ProdBranch> {
    let lower = condition.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let is_prod = |w: &str| {
        w == "prod" || w.starts_with("production") || w.starts_with("isprod") || w.ends_with("prod")
    };
    let is_nonprod = |w: &str| {
        matches!(
            w,
            "dev"
                | "development"
                | "debug"
                | "local"
                | "test"
                | "testing"
                | "staging"
                | "isdev"
                | "isdevelopment"
                | "isdebug"
                | "islocal"
        )
    };
    let prod = words.iter().any(|w| is_prod(w));
    let nonprod = words.iter().any(|w| is_nonprod(w));
    let negated = condition.contains("!=")
        || condition.trim_start().starts_with('!')
        || words.first() == Some(&"not")
        || lower.contains(" not in ");
    let branch = match (prod, nonprod) {
        (true, false) => ProdBranch::Then,
        (false, true) => ProdBranch::Else,
        _ => return None,
    };
    Some(match (branch, negated) {
        (b, false) => b,
        (ProdBranch::Then, true) => ProdBranch::Else,
        (ProdBranch::Else, true) => ProdBranch::Then,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_conditions() {
        use ProdBranch::*;
        assert_eq!(
            production_branch("process.env.NODE_ENV === \"production\""),
            Some(Then)
        );
        assert_eq!(
            production_branch("process.env.NODE_ENV !== 'production'"),
            Some(Else)
        );
        assert_eq!(production_branch("import.meta.env.PROD"), Some(Then));
        assert_eq!(production_branch("import.meta.env.DEV"), Some(Else));
        assert_eq!(production_branch("!isProd"), Some(Else));
        assert_eq!(production_branch("settings.DEBUG"), Some(Else));
        assert_eq!(production_branch("not DEBUG"), Some(Then));
        assert_eq!(production_branch("ENV == \"development\""), Some(Else));
        assert_eq!(production_branch("APP_ENV == 'prod'"), Some(Then));
        assert_eq!(production_branch("flag"), None);
        assert_eq!(production_branch("isProd && DEBUG"), None);
    }
}
