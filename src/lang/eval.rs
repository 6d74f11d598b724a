//! One expression type for Python and JavaScript, and its bounded evaluator.
//!
//! Each language lowers its syntax tree into [`Expr`]s held in a [`Module`]: the expressions the
//! extraction asks about, and the value of every binding of the file (assignments, declarations,
//! mutations such as `opts["k"] = v` or `Object.assign(opts, …)`, parameters). The evaluator then
//! works on `Expr`s only, so both languages mean the same thing by a value:
//!
//! - A binding is visible only after its statement ends: in `x = f(x)` the `x` read is the
//!   earlier one. A binding under an `if` makes the name's value conditional on that branch.
//! - One [`EvalState`] (budget, the set of expressions being evaluated, a memo) is shared by a whole
//!   file's evaluation. Values are memoised per expression, so a chain of spreads costs its size,
//!   not the number of paths through it; a cycle (`hook = hook`, `opts = {**opts}` seen from
//!   inside) gives an unknown value; the recursion depth is bounded whatever the input.
//! - Environment and settings reads keep the variable they name and their default, through
//!   comparisons, negations and conversions (`os.getenv("PII", "0") == "1"` depends on `PII`,
//!   default `False`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::modules::{Loaded, Modules};
use crate::model::{
    ArgList, Evaluated, Item, Literal, Opaque, OptionEntry, Options, ProdBranch, Value,
};
use crate::source::Lang;

/// How deep one evaluation may recurse (names followed, values nested) before it gives up.
pub const MAX_DEPTH: usize = 48;
/// How deep lowering descends into nested syntax before it stops (the rest is unknown).
pub const MAX_LOWER_DEPTH: usize = 96;
/// Evaluation steps one file may take; past it, values are unknown.
const MAX_STEPS: usize = 200_000;
/// Bindings of one name that are joined into a conditional value (older ones are unknown).
const MAX_JOINED: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExprId(u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScopeId(pub u32);

/// The module scope.
pub const ROOT_SCOPE: ScopeId = ScopeId(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
    /// `??`
    Nullish,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    In,
    NotIn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// `bool(x)`, `Boolean(x)`, `!!x`: truthiness.
    Bool,
    /// `env.bool(...)`, `cast=bool`, `strtobool(x)`: a string read as a boolean ("1", "true",
    /// "yes", "on" are true).
    ParseBool,
    /// `str(x)`, `String(x)`.
    Str,
    /// `x.lower()`, `x.toLowerCase()`.
    Lower,
    /// `x.upper()`, `x.toUpperCase()`.
    Upper,
    /// `x.strip()`, `x.trim()`.
    Strip,
}

/// One expression, lowered from either language.
#[derive(Clone, Debug)]
pub enum Expr {
    Lit(Literal),
    /// A name read where it is written: resolved through the bindings visible there.
    Name {
        name: String,
        scope: ScopeId,
        at: usize,
    },
    /// A dict or object literal, `dict(...)`, `Object.assign(...)`, or a binding's mutation.
    Object {
        props: Vec<Prop>,
        /// The literal, where entries can be inserted.
        literal: Option<ArgList>,
    },
    List(Vec<Elem>),
    Not(ExprId),
    Neg(ExprId),
    Logical(Logic, ExprId, ExprId),
    Compare(Compare, ExprId, ExprId),
    Cond {
        test: ExprId,
        then: ExprId,
        otherwise: ExprId,
    },
    /// An environment or settings read: the variable or setting it names and its default.
    Env {
        var: String,
        default: Option<ExprId>,
    },
    Convert(Conversion, ExprId),
    /// `x.name`, `getattr(x, "name")` on a value that may be a known object.
    Attr {
        object: ExprId,
        name: String,
    },
    /// `x["key"]`, `x.get("key", default)`: a key of a known object, or else a settings read
    /// named by the key (when `fallback_env`).
    Key {
        object: ExprId,
        key: String,
        default: Option<ExprId>,
        fallback_env: bool,
    },
    /// A name imported from another module: `from m import x`, `import { x } from "m"`
    /// (`name` is the exported name; `default` for a default import), or the module itself
    /// (`import m as y`, `import * as y from "m"`, `require("m")`: `name` is `None`).
    Import {
        spec: String,
        name: Option<String>,
    },
    /// Django's `settings.NAME` (`object` is the `settings` read): the settings module's value,
    /// else a settings read.
    Setting {
        name: String,
        object: ExprId,
    },
    /// The environment as an object: `process.env`, `import.meta.env`, `os.environ`; its members
    /// are environment reads, also through a name bound to it (`const env = import.meta.env`).
    EnvObject,
    /// A function or class: a value that is never an option literal.
    Function,
    /// Anything else: unknown, but environment-dependent when one of its operands is.
    Opaque(Vec<ExprId>),
}

#[derive(Clone, Debug)]
pub enum Prop {
    Entry {
        key: String,
        key_range: Range<usize>,
        value: ExprId,
        whole: Range<usize>,
    },
    /// `**x`, `...x`, or a positional argument of `dict(...)` / `Object.assign(...)`.
    Spread { value: ExprId, whole: Range<usize> },
    /// An entry whose key cannot be read (`[k]: v`).
    Opaque { whole: Range<usize> },
}

#[derive(Clone, Debug)]
pub enum Elem {
    Item(ExprId),
    Spread(ExprId),
}

#[derive(Clone, Debug)]
struct ExprNode {
    expr: Expr,
    range: Range<usize>,
}

/// A branch a binding runs under, and what decides it.
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    pub condition: String,
    pub production: Option<ProdBranch>,
    /// The branch's extent: a read inside it runs under the same condition as the binding.
    pub branch: Range<usize>,
}

#[derive(Clone, Debug)]
struct BindingDef {
    /// Reads at or after this offset see the binding (the end of its statement).
    visible_from: usize,
    /// The branches it runs under within its scope, innermost first.
    guards: Vec<Guard>,
    value: ExprId,
}

impl BindingDef {
    /// The condition under which the binding runs, seen from a read at `at`: the innermost
    /// branch around the binding that is not also around the read.
    fn guard_for(&self, at: usize) -> Option<&Guard> {
        self.guards.iter().find(|g| !g.branch.contains(&at))
    }
}

#[derive(Clone, Copy, Debug)]
struct Scope {
    parent: Option<ScopeId>,
}

/// The lowered expressions and bindings of one file.
#[derive(Debug)]
pub struct Module {
    src: String,
    exprs: Vec<ExprNode>,
    scopes: Vec<Scope>,
    /// Syntax node id of each scope-opening node → its scope.
    scope_nodes: HashMap<usize, ScopeId>,
    /// The bindings of each name in each scope, in the order they become visible.
    bindings: HashMap<String, HashMap<ScopeId, Vec<BindingDef>>>,
    /// What other modules can import by name (JavaScript's `export`s; a Python module exports
    /// its module-level names without being told).
    exports: HashMap<String, Export>,
    /// `from m import *`, `export * from "m"`: modules whose names this one passes on, with
    /// where it says so.
    stars: Vec<(String, Range<usize>)>,
    /// While the lowering walk runs: the scopes and branches around the node it visits, so
    /// that finding them costs nothing per node (a syntax node's parent is not cheap).
    position: Option<Position>,
}

/// The scopes (with where each ends) and branches (with their scope) around a node.
#[derive(Debug)]
struct Position {
    /// Each scope with where it ends and whether its bindings are lowered.
    scopes: Vec<(usize, ScopeId, bool)>,
    branches: Vec<(usize, ScopeId, Guard)>,
}

/// The name under which a CommonJS module's `module.exports` object is kept in its exports.
pub const CJS_EXPORTS: &str = "module.exports";

/// What a module exports under a name.
#[derive(Clone, Debug)]
pub enum Export {
    /// A value: `export default expr`, `exports.x = expr`, `module.exports = expr`.
    Expr(ExprId),
    /// A module-level binding: `export const x`, `export { a as x }`.
    Local(String),
    /// Another module's export: `export { a as x } from "m"` (`name` `None`: the module
    /// itself, `export * as x from "m"`), with where it says so.
    From {
        spec: String,
        name: Option<String>,
        at: Range<usize>,
    },
}

impl Module {
    pub fn new(src: &str) -> Module {
        Module {
            src: src.to_string(),
            exprs: Vec::new(),
            scopes: vec![Scope { parent: None }],
            scope_nodes: HashMap::new(),
            bindings: HashMap::new(),
            exports: HashMap::new(),
            stars: Vec::new(),
            position: None,
        }
    }

    /// Start following the lowering walk's position (see [`Module::track_node`]).
    pub fn track_begin(&mut self) {
        self.position = Some(Position {
            scopes: vec![(usize::MAX, ROOT_SCOPE, true)],
            branches: Vec::new(),
        });
    }

    /// Follow a lowering of one expression in `scope` (its names are read there).
    pub fn track_begin_in(&mut self, scope: ScopeId) {
        self.position = Some(Position {
            scopes: vec![(usize::MAX, scope, true)],
            branches: Vec::new(),
        });
    }

    pub fn track_end(&mut self) {
        self.position = None;
    }

    /// The walk (pre-order) reaches a node starting at `start`: leave the scopes and branches
    /// that ended before it.
    pub fn track_node(&mut self, start: usize) {
        if let Some(p) = &mut self.position {
            while p.scopes.len() > 1 && p.scopes.last().is_some_and(|s| s.0 <= start) {
                p.scopes.pop();
            }
            while p.branches.last().is_some_and(|b| b.0 <= start) {
                p.branches.pop();
            }
        }
    }

    /// The walk enters a scope that ends at `end`; `kept`: its bindings are lowered.
    pub fn track_scope(&mut self, end: usize, scope: ScopeId, kept: bool) {
        if let Some(p) = &mut self.position {
            p.scopes.push((end, scope, kept));
        }
    }

    /// Are the bindings of the scope the walk is in lowered? Only those of scopes an
    /// evaluation can read are: the module's, and those around the calls that matter.
    pub fn tracked_kept(&self) -> bool {
        self.position
            .as_ref()
            .and_then(|p| p.scopes.last())
            .is_none_or(|s| s.2)
    }

    /// The walk enters a branch that ends at `end`.
    pub fn track_branch(&mut self, end: usize, guard: Guard) {
        if let Some(p) = &mut self.position {
            let scope = p.scopes.last().map(|s| s.1).unwrap_or(ROOT_SCOPE);
            p.branches.push((end, scope, guard));
        }
    }

    /// The scope of the node the walk is at.
    pub fn tracked_scope(&self) -> Option<ScopeId> {
        self.position
            .as_ref()
            .and_then(|p| p.scopes.last().map(|s| s.1))
    }

    /// The branches around the node the walk is at, innermost first, within its scope.
    pub fn tracked_guards(&self) -> Option<Vec<Guard>> {
        let p = self.position.as_ref()?;
        let scope = p.scopes.last().map(|s| s.1).unwrap_or(ROOT_SCOPE);
        Some(
            p.branches
                .iter()
                .rev()
                .take_while(|b| b.1 == scope)
                .map(|b| b.2.clone())
                .collect(),
        )
    }

    /// Export `value` as `name` (the first export of a name wins, as a module has only one).
    pub fn export(&mut self, name: &str, value: Export) {
        self.exports.entry(name.to_string()).or_insert(value);
    }

    /// Pass on the names of module `spec` (`from m import *`, `export * from "m"`).
    pub fn export_star(&mut self, spec: &str, at: Range<usize>) {
        self.stars.push((spec.to_string(), at));
    }

    /// Does the module bind or export `name` at module level?
    pub fn defines(&self, name: &str) -> bool {
        self.exports.contains_key(name)
            || self
                .bindings
                .get(name)
                .is_some_and(|s| s.contains_key(&ROOT_SCOPE))
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.src.len());
        self.src.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub fn add(&mut self, expr: Expr, range: Range<usize>) -> ExprId {
        let id = ExprId(self.exprs.len() as u32);
        self.exprs.push(ExprNode { expr, range });
        id
    }

    /// A read of `name` at `at` (a mutation reads the value it extends just before itself).
    pub fn read(&mut self, name: &str, scope: ScopeId, at: usize, range: Range<usize>) -> ExprId {
        self.add(
            Expr::Name {
                name: name.to_string(),
                scope,
                at,
            },
            range,
        )
    }

    pub fn range(&self, e: ExprId) -> Range<usize> {
        self.exprs[e.0 as usize].range.clone()
    }

    pub fn expr(&self, e: ExprId) -> &Expr {
        &self.exprs[e.0 as usize].expr
    }

    pub fn text(&self, e: ExprId) -> &str {
        self.src.get(self.range(e)).unwrap_or("")
    }

    /// A new scope for the syntax node `node_id`, inside `parent`.
    pub fn open_scope(&mut self, node_id: usize, parent: ScopeId) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope {
            parent: Some(parent),
        });
        self.scope_nodes.insert(node_id, id);
        id
    }

    /// The scope a scope-opening syntax node opened.
    pub fn scope_of_node(&self, node_id: usize) -> Option<ScopeId> {
        self.scope_nodes.get(&node_id).copied()
    }

    /// Record `name = value` in `scope`, visible from `visible_from`.
    pub fn bind(
        &mut self,
        name: &str,
        scope: ScopeId,
        visible_from: usize,
        guards: Vec<Guard>,
        value: ExprId,
    ) {
        let list = self
            .bindings
            .entry(name.to_string())
            .or_default()
            .entry(scope)
            .or_default();
        let def = BindingDef {
            visible_from,
            guards,
            value,
        };
        // Kept ordered by where each becomes visible (hoisted ones come first).
        let at = list.partition_point(|b| b.visible_from <= visible_from);
        list.insert(at, def);
    }

    /// The bindings of `name` a read at `at` in `scope` sees: those of the innermost enclosing
    /// scope that binds it before the read (any module-level one when the read is inside a
    /// function, which runs later), from the last unconditional one on.
    fn lookup(&self, name: &str, scope: ScopeId, at: usize) -> &[BindingDef] {
        let Some(scopes) = self.bindings.get(name) else {
            return &[];
        };
        let in_function = scope != ROOT_SCOPE;
        let mut cur = Some(scope);
        let mut hops = 0;
        while let Some(s) = cur {
            if let Some(all) = scopes.get(&s) {
                let anywhere = s == ROOT_SCOPE && in_function;
                let end = if anywhere {
                    all.len()
                } else {
                    all.partition_point(|b| b.visible_from <= at)
                };
                if end > 0 {
                    // From the last binding that runs unconditionally for this read; at most
                    // the last few are joined, so the walk back is bounded.
                    let floor = end.saturating_sub(MAX_JOINED + 1);
                    let start = (floor..end)
                        .rev()
                        .find(|&i| all[i].guard_for(at).is_none())
                        .unwrap_or(floor);
                    return &all[start..end];
                }
            }
            cur = self.scopes[s.0 as usize].parent;
            hops += 1;
            if hops > 256 {
                break;
            }
        }
        &[]
    }
}

/// Where an evaluation runs: the file being extracted (module 0) and what loads the modules it
/// imports from.
pub struct Cx<'a> {
    pub current: &'a Module,
    pub path: &'a Path,
    pub lang: Lang,
    pub modules: Option<&'a Modules>,
}

/// How many modules one file's evaluation may load.
const MAX_MODULES: usize = 64;

/// What one file's evaluation shares: the memo, the expressions being evaluated (a cycle reads
/// as unknown), the step budget, and the modules loaded for it (module 0 is the file itself).
#[derive(Debug, Default)]
pub struct EvalState {
    memo: HashMap<(u32, ExprId), Value>,
    active: HashSet<(u32, ExprId)>,
    steps: usize,
    loaded: Vec<Arc<Loaded>>,
    by_path: HashMap<PathBuf, u32>,
    /// Why a read's value is unknown, when an import could not be followed.
    notes: HashMap<(u32, ExprId), String>,
    /// Where values from other files enter the file (fixes never rewrite these).
    pub foreign: Vec<Range<usize>>,
}

/// A module of the evaluation: the file itself or one it loaded.
enum Src<'a> {
    Current(&'a Module),
    Loaded(Arc<Loaded>),
}

impl std::ops::Deref for Src<'_> {
    type Target = Module;
    fn deref(&self) -> &Module {
        match self {
            Src::Current(m) => m,
            Src::Loaded(l) => &l.module,
        }
    }
}

fn module<'a>(cx: &Cx<'a>, s: &EvalState, mi: u32) -> Src<'a> {
    match mi {
        0 => Src::Current(cx.current),
        i => Src::Loaded(s.loaded[i as usize - 1].clone()),
    }
}

/// The path and language of a module of the evaluation.
fn origin_of(cx: &Cx, s: &EvalState, mi: u32) -> (PathBuf, Lang) {
    match mi {
        0 => (cx.path.to_path_buf(), cx.lang),
        i => {
            let l = &s.loaded[i as usize - 1];
            (l.path.clone(), l.lang)
        }
    }
}

/// Load the module `spec` imported by module `mi`: its index, or why it could not be read.
fn load(cx: &Cx, s: &mut EvalState, mi: u32, spec: &str) -> Result<u32, String> {
    let Some(modules) = cx.modules else {
        return Err(format!("`{spec}` is in another file"));
    };
    let (from, lang) = origin_of(cx, s, mi);
    let Some(path) = modules.resolve(&from, lang, spec) else {
        return Err(format!("`{spec}` was not found"));
    };
    load_path(cx, s, &path).ok_or_else(|| format!("`{}` cannot be read", path.display()))
}

fn load_path(cx: &Cx, s: &mut EvalState, path: &Path) -> Option<u32> {
    let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(i) = s.by_path.get(&key) {
        return Some(*i);
    }
    if std::path::absolute(cx.path).ok().as_deref() == Some(key.as_path()) {
        return Some(0);
    }
    if s.loaded.len() >= MAX_MODULES {
        return None;
    }
    let loaded = cx.modules?.load(path)?;
    s.loaded.push(loaded);
    let i = s.loaded.len() as u32;
    s.by_path.insert(key, i);
    Some(i)
}

/// Evaluate an expression of the file with its source text and whether it is a literal as
/// written.
pub fn evaluated(cx: &Cx, s: &mut EvalState, e: ExprId) -> Evaluated {
    Evaluated {
        value: value(cx, s, 0, e, 0),
        text: cx.current.text(e).to_string(),
        literal: matches!(cx.current.expr(e), Expr::Lit(_)),
        origin: None,
    }
}

/// Add the entries of `e` to `o`, as a spread `**x` / `...x` written at `whole` does. Returns
/// whether `e` is a dict or object (or one of several, by condition).
pub fn spread_value_into(
    cx: &Cx,
    s: &mut EvalState,
    o: &mut Options,
    e: ExprId,
    whole: Range<usize>,
) -> bool {
    let v = value(cx, s, 0, e, 0);
    let mapping = is_mapping(&v);
    let note = s.notes.get(&(0, e)).cloned();
    spread_into(
        o,
        v,
        cx.current.src.get(whole.clone()).unwrap_or(""),
        whole,
        note,
    );
    dedupe(o);
    mapping
}

/// Is the value a dict or object, or a conditional between such values (or nothing)?
pub fn is_mapping(v: &Value) -> bool {
    match v {
        Value::Map(_) => true,
        Value::Conditional {
            then, otherwise, ..
        } => {
            let side = |x: &Value| is_mapping(x) || matches!(x, Value::Literal(l) if !l.truthy());
            (is_mapping(then) || is_mapping(otherwise)) && side(then) && side(otherwise)
        }
        _ => false,
    }
}

/// The value of an expression of the file, evaluated as the start of an evaluation.
pub fn value_of(cx: &Cx, s: &mut EvalState, e: ExprId) -> Value {
    value(cx, s, 0, e, 0)
}

/// The value of an expression of module `mi`.
fn value(cx: &Cx, s: &mut EvalState, mi: u32, e: ExprId, depth: usize) -> Value {
    if let Some(v) = s.memo.get(&(mi, e)) {
        return v.clone();
    }
    if depth > MAX_DEPTH || s.steps >= MAX_STEPS || !s.active.insert((mi, e)) {
        return Value::Unresolved;
    }
    s.steps += 1;
    let v = compute(cx, s, mi, e, depth + 1);
    s.active.remove(&(mi, e));
    // Memoised even when part of it was cut short (depth, cycle): every expression is then
    // evaluated once, so a file's evaluation costs its size.
    s.memo.insert((mi, e), v.clone());
    v
}

/// The value a name has where it is read: its visible bindings joined by the conditions they
/// run under.
fn binding_value(
    cx: &Cx,
    s: &mut EvalState,
    mi: u32,
    read: Option<ExprId>,
    (name, scope, at): (&str, ScopeId, usize),
    depth: usize,
) -> Option<Value> {
    let m = module(cx, s, mi);
    let defs = m.lookup(name, scope, at);
    if defs.is_empty() {
        return None;
    }
    let defs: Vec<BindingDef> = defs.to_vec();
    let skip = defs.len().saturating_sub(MAX_JOINED);
    let mut acc: Option<Value> = (skip > 0).then_some(Value::Unresolved);
    for b in &defs[skip..] {
        let mut v = value(cx, s, mi, b.value, depth);
        if let Some(read) = read {
            // An imported value enters where it is read.
            if let Some(note) = s.notes.get(&(mi, b.value)).cloned() {
                s.notes.insert((mi, read), note);
            }
            let imported = matches!(m.expr(b.value), Expr::Import { .. });
            if imported || from_elsewhere(&v) {
                let range = m.range(read);
                if mi == 0 && from_elsewhere(&v) {
                    s.foreign.push(range.clone());
                }
                v = relocate(v, &range);
            }
        }
        acc = Some(match (acc, b.guard_for(at)) {
            (None, None) | (Some(_), None) => v,
            (None, Some(g)) => conditional(g, v, Value::Unresolved, None),
            (Some(before), Some(g)) => conditional(g, v, before, None),
        });
    }
    acc
}

/// The module a read stands for: a name bound to `import m as x` / `import * as x from "m"` /
/// `require("m")`, or to `from pkg import sub` where `sub` is a module.
fn namespace_of(cx: &Cx, s: &mut EvalState, mi: u32, e: ExprId) -> Option<u32> {
    let m = module(cx, s, mi);
    let target = match m.expr(e) {
        Expr::Name { name, scope, at } => {
            let defs = m.lookup(name, *scope, *at);
            let last = defs.last()?;
            last.value
        }
        _ => e,
    };
    match m.expr(target) {
        Expr::Import { spec, name: None } => load(cx, s, mi, spec).ok(),
        Expr::Import {
            spec,
            name: Some(n),
        } if cx_lang(cx, s, mi) == Lang::Python => {
            // `from app import settings`: a submodule, unless the package defines the name.
            let sub = if spec.ends_with('.') {
                format!("{spec}{n}")
            } else {
                format!("{spec}.{n}")
            };
            let defined = load(cx, s, mi, spec)
                .ok()
                .is_some_and(|pkg| module(cx, s, pkg).defines(n));
            if defined {
                None
            } else {
                load(cx, s, mi, &sub).ok()
            }
        }
        _ => None,
    }
}

fn cx_lang(cx: &Cx, s: &EvalState, mi: u32) -> Lang {
    origin_of(cx, s, mi).1
}

/// The value module `mj` exports as `name`, with its ranges still those of `mj`'s file.
fn export_value(cx: &Cx, s: &mut EvalState, mj: u32, name: &str, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let m = module(cx, s, mj);
    match m.exports.get(name).cloned() {
        Some(Export::Expr(e)) => return Some(value(cx, s, mj, e, depth + 1)),
        Some(Export::Local(local)) => {
            return binding_value(cx, s, mj, None, (&local, ROOT_SCOPE, usize::MAX), depth + 1)
        }
        Some(Export::From { spec, name: n, at }) => {
            let mk = load(cx, s, mj, &spec).ok()?;
            let v = export_value(cx, s, mk, n.as_deref()?, depth + 1)?;
            return Some(localize(cx, s, mk, v, &at));
        }
        None => {}
    }
    if cx_lang(cx, s, mj) == Lang::Python {
        if let Some(v) = binding_value(cx, s, mj, None, (name, ROOT_SCOPE, usize::MAX), depth + 1) {
            return Some(v);
        }
    } else if let Some(Export::Expr(e)) = m.exports.get(CJS_EXPORTS).cloned() {
        // `module.exports = { name: ... }`.
        let whole = value(cx, s, mj, e, depth + 1);
        if let Some(entry) = whole.map().and_then(|o| o.get(name)) {
            return Some(entry.value.value.clone());
        }
    }
    for (spec, at) in m.stars.clone() {
        let Ok(mk) = load(cx, s, mj, &spec) else {
            continue;
        };
        if let Some(v) = export_value(cx, s, mk, name, depth + 1) {
            return Some(localize(cx, s, mk, v, &at));
        }
    }
    None
}

/// A value of module `mj` as seen from another module, where it enters at `at`: every location
/// becomes `at`, each option keeps where it is written (`path:line`), and nothing of it is a
/// literal a fix could rewrite there.
fn localize(cx: &Cx, s: &EvalState, mj: u32, v: Value, at: &Range<usize>) -> Value {
    let m = module(cx, s, mj);
    let display = match mj {
        0 => crate::discover::display_path(cx.path),
        i => s.loaded[i as usize - 1].display.clone(),
    };
    let origin = |r: &Range<usize>| format!("{display}:{}", m.line_of(r.start));
    mark(v, at, &origin)
}

fn mark(v: Value, at: &Range<usize>, origin: &dyn Fn(&Range<usize>) -> String) -> Value {
    match v {
        Value::Map(o) => {
            let o = *o;
            Value::Map(Box::new(Options {
                entries: o
                    .entries
                    .into_iter()
                    .map(|e| OptionEntry {
                        value: Evaluated {
                            origin: e.value.origin.clone().or_else(|| Some(origin(&e.key))),
                            literal: false,
                            text: e.value.text,
                            value: mark(e.value.value, at, origin),
                        },
                        name: e.name,
                        key: at.clone(),
                        value_range: at.clone(),
                        entry: at.clone(),
                    })
                    .collect(),
                opaque: o
                    .opaque
                    .into_iter()
                    .map(|op| Opaque {
                        range: at.clone(),
                        ..op
                    })
                    .collect(),
                literal: None,
            }))
        }
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(|i| Item {
                    range: at.clone(),
                    value: Evaluated {
                        origin: i.value.origin.clone().or_else(|| Some(origin(&i.range))),
                        literal: false,
                        text: i.value.text,
                        value: mark(i.value.value, at, origin),
                    },
                })
                .collect(),
        ),
        Value::Conditional {
            condition,
            then,
            otherwise,
            production,
            ..
        } => Value::Conditional {
            condition,
            then: Box::new(mark(*then, at, origin)),
            otherwise: Box::new(mark(*otherwise, at, origin)),
            production,
            branches: None,
        },
        other => other,
    }
}

/// Does the value hold options written in another file?
fn from_elsewhere(v: &Value) -> bool {
    match v {
        Value::Map(o) => o.entries.iter().any(|e| e.value.origin.is_some()),
        Value::List(items) => items.iter().any(|i| i.value.origin.is_some()),
        Value::Conditional {
            then, otherwise, ..
        } => from_elsewhere(then) || from_elsewhere(otherwise),
        _ => false,
    }
}

/// A value already marked with its origins, entering at another place of the same file.
fn relocate(v: Value, at: &Range<usize>) -> Value {
    mark(v, at, &|_| String::new())
}

fn compute(cx: &Cx, s: &mut EvalState, mi: u32, e: ExprId, depth: usize) -> Value {
    let m = module(cx, s, mi);
    match m.expr(e) {
        Expr::Lit(l) => Value::Literal(l.clone()),
        Expr::Function | Expr::EnvObject => Value::Unresolved,
        Expr::Name { name, scope, at } => {
            binding_value(cx, s, mi, Some(e), (name, *scope, *at), depth)
                .unwrap_or(Value::Unresolved)
        }
        Expr::Import { spec, name } => {
            let mj = match load(cx, s, mi, spec) {
                Ok(mj) => mj,
                Err(why) => {
                    s.notes.insert((mi, e), why);
                    return Value::Unresolved;
                }
            };
            // The module itself is a value only as CommonJS's `module.exports`.
            let name = name.as_deref().unwrap_or(CJS_EXPORTS);
            match export_value(cx, s, mj, name, depth) {
                Some(v) => localize(cx, s, mj, v, &m.range(e)),
                None => {
                    let shown = match mj {
                        0 => crate::discover::display_path(cx.path),
                        i => s.loaded[i as usize - 1].display.clone(),
                    };
                    s.notes
                        .insert((mi, e), format!("`{name}` is not defined in `{shown}`"));
                    Value::Unresolved
                }
            }
        }
        Expr::Setting { name, object } => {
            // Django's `settings.X`: the setting as the settings module defines it.
            let django = match m.expr(*object) {
                Expr::Name { name: n, scope, at } => m.lookup(n, *scope, *at).last().is_some_and(
                    |b| matches!(m.expr(b.value), Expr::Import { spec, name: Some(x) } if spec == "django.conf" && x == "settings"),
                ),
                _ => true,
            };
            let mut found = None;
            if django {
                let (from, _) = origin_of(cx, s, mi);
                let settings: Option<PathBuf> = cx.modules.and_then(|ms| ms.django_settings(&from));
                if let Some(mj) = settings.and_then(|p| load_path(cx, s, p.as_path())) {
                    if let Some(v) = export_value(cx, s, mj, name, depth) {
                        found = Some(localize(cx, s, mj, v, &m.range(e)));
                    }
                }
            }
            found.unwrap_or_else(|| Value::Env {
                var: name.clone(),
                default: None,
            })
        }
        Expr::Object { props, literal } => {
            let mut o = Options {
                literal: literal.clone(),
                ..Options::default()
            };
            for p in props {
                match p {
                    Prop::Entry {
                        key,
                        key_range,
                        value: v,
                        whole,
                    } => {
                        let ev = Evaluated {
                            value: value(cx, s, mi, *v, depth),
                            text: m.text(*v).to_string(),
                            literal: matches!(m.expr(*v), Expr::Lit(_)),
                            origin: None,
                        };
                        push_entry(
                            &mut o,
                            OptionEntry {
                                name: key.clone(),
                                key: key_range.clone(),
                                value_range: m.range(*v),
                                entry: whole.clone(),
                                value: ev,
                            },
                        );
                    }
                    Prop::Spread { value: v, whole } => {
                        let sv = value(cx, s, mi, *v, depth);
                        let note = s.notes.get(&(mi, *v)).cloned();
                        spread_into(
                            &mut o,
                            sv,
                            m.src.get(whole.clone()).unwrap_or(""),
                            whole.clone(),
                            note,
                        );
                    }
                    Prop::Opaque { whole } => o.opaque.push(Opaque {
                        text: m.src.get(whole.clone()).unwrap_or("").to_string(),
                        range: whole.clone(),
                        note: None,
                    }),
                }
            }
            dedupe(&mut o);
            Value::Map(Box::new(o))
        }
        Expr::List(elems) => {
            let items = elems
                .iter()
                .map(|el| match el {
                    Elem::Item(x) => Item {
                        range: m.range(*x),
                        value: Evaluated {
                            value: value(cx, s, mi, *x, depth),
                            text: m.text(*x).to_string(),
                            literal: matches!(m.expr(*x), Expr::Lit(_)),
                            origin: None,
                        },
                    },
                    Elem::Spread(x) => Item {
                        range: m.range(*x),
                        value: Evaluated {
                            value: Value::Unresolved,
                            text: m.text(*x).to_string(),
                            literal: false,
                            origin: None,
                        },
                    },
                })
                .collect();
            Value::List(items)
        }
        Expr::Not(x) => map_value(value(cx, s, mi, *x, depth), &|l| {
            Some(Literal::Bool(!l.truthy()))
        }),
        Expr::Neg(x) => map_value(value(cx, s, mi, *x, depth), &Literal::negated),
        Expr::Convert(c, x) => {
            let c = *c;
            map_value(value(cx, s, mi, *x, depth), &move |l| convert(c, l))
        }
        Expr::Logical(op, l, r) => logical(cx, s, mi, *op, *l, *r, depth),
        Expr::Compare(op, l, r) => {
            let lv = value(cx, s, mi, *l, depth);
            let rv = value(cx, s, mi, *r, depth);
            compare(*op, lv, rv)
        }
        Expr::Cond {
            test,
            then,
            otherwise,
        } => {
            let t = value(cx, s, mi, *test, depth);
            match known_truth(&t) {
                Some(true) => value(cx, s, mi, *then, depth),
                Some(false) => value(cx, s, mi, *otherwise, depth),
                None => {
                    let condition = m.text(*test).to_string();
                    let production = super::production_branch(&condition);
                    Value::Conditional {
                        then: Box::new(value(cx, s, mi, *then, depth)),
                        otherwise: Box::new(value(cx, s, mi, *otherwise, depth)),
                        condition,
                        production,
                        branches: Some((m.range(*then), m.range(*otherwise))),
                    }
                }
            }
        }
        Expr::Env { var, default } => Value::Env {
            var: var.clone(),
            default: default.and_then(|d| match value(cx, s, mi, d, depth) {
                Value::Literal(l) => Some(l),
                _ => None,
            }),
        },
        Expr::Attr { object, name } => {
            if let Some(mj) = namespace_of(cx, s, mi, *object) {
                return match export_value(cx, s, mj, name, depth) {
                    Some(v) => {
                        let v = localize(cx, s, mj, v, &m.range(e));
                        if mi == 0 && from_elsewhere(&v) {
                            s.foreign.push(m.range(e));
                        }
                        v
                    }
                    None => Value::Unresolved,
                };
            }
            if is_env_object(&m, *object) {
                return Value::Env {
                    var: name.clone(),
                    default: Some(Literal::Undefined),
                };
            }
            let o = value(cx, s, mi, *object, depth);
            member(o, name, None, false)
        }
        Expr::Key {
            object,
            key,
            default,
            fallback_env,
        } => {
            let d = default.map(|d| value(cx, s, mi, d, depth));
            if is_env_object(&m, *object) {
                return Value::Env {
                    var: key.clone(),
                    default: match d {
                        Some(d) => d.literal().cloned(),
                        None if cx_lang(cx, s, mi) == Lang::Python => None,
                        None => Some(Literal::Undefined),
                    },
                };
            }
            let o = value(cx, s, mi, *object, depth);
            if *fallback_env && o.map().is_none() && !matches!(o, Value::Env { .. }) {
                return Value::Env {
                    var: key.clone(),
                    default: d.and_then(|d| d.literal().cloned()),
                };
            }
            member(o, key, d, default.is_some())
        }
        Expr::Opaque(operands) => {
            for x in operands {
                if let Some((var, _)) = env_in(&value(cx, s, mi, *x, depth)) {
                    return Value::Env { var, default: None };
                }
            }
            Value::Unresolved
        }
    }
}

/// Is the expression the environment object, directly or through the one name bound to it?
fn is_env_object(m: &Module, e: ExprId) -> bool {
    match m.expr(e) {
        Expr::EnvObject => true,
        Expr::Name { name, scope, at } => m
            .lookup(name, *scope, *at)
            .last()
            .is_some_and(|b| matches!(m.expr(b.value), Expr::EnvObject)),
        _ => false,
    }
}

/// `a and b`, `a || b`, `a ?? b`.
fn logical(
    cx: &Cx,
    s: &mut EvalState,
    mi: u32,
    op: Logic,
    l: ExprId,
    r: ExprId,
    depth: usize,
) -> Value {
    let lv = value(cx, s, mi, l, depth);
    let nullish = |v: &Value| matches!(v, Value::Literal(Literal::Null | Literal::Undefined));
    match (op, known_truth(&lv)) {
        (Logic::And, Some(true)) | (Logic::Or, Some(false)) => return value(cx, s, mi, r, depth),
        (Logic::And, Some(false)) | (Logic::Or, Some(true)) => return lv,
        (Logic::Nullish, Some(_)) if !nullish(&lv) => return lv,
        (Logic::Nullish, Some(_)) => return value(cx, s, mi, r, depth),
        _ => {}
    }
    let rv = value(cx, s, mi, r, depth);
    if let Value::Env { var, default } = &lv {
        // `process.env.X || false`, `os.getenv("X") or "0"`: the right side is the default when
        // the variable is unset (or, for `or`/`||`, falsy).
        let falls_through = match (op, default) {
            (_, None) => true,
            (Logic::Nullish, Some(d)) => matches!(d, Literal::Null | Literal::Undefined),
            (Logic::Or, Some(d)) => !d.truthy(),
            (Logic::And, Some(d)) => d.truthy(),
        };
        let default = if falls_through {
            rv.literal().cloned()
        } else {
            default.clone()
        };
        if op != Logic::And {
            return Value::Env {
                var: var.clone(),
                default,
            };
        }
    }
    let condition = module(cx, s, mi).text(l).to_string();
    let production = super::production_branch(&condition);
    match op {
        // Short-circuited, `a and b` is `a`: falsy; what matters is that it is not `b`.
        Logic::And => Value::Conditional {
            condition,
            then: Box::new(rv),
            otherwise: Box::new(Value::Literal(Literal::Bool(false))),
            production,
            branches: None,
        },
        Logic::Or | Logic::Nullish => Value::Conditional {
            condition,
            then: Box::new(lv),
            otherwise: Box::new(rv),
            production,
            branches: None,
        },
    }
}

/// A conditional value from a guarded binding.
fn conditional(
    g: &Guard,
    then: Value,
    otherwise: Value,
    branches: Option<(Range<usize>, Range<usize>)>,
) -> Value {
    if then == otherwise {
        return then;
    }
    Value::Conditional {
        condition: g.condition.clone(),
        then: Box::new(then),
        otherwise: Box::new(otherwise),
        production: g.production,
        branches,
    }
}

/// Truthiness when it is known.
fn known_truth(v: &Value) -> Option<bool> {
    match v {
        Value::Literal(l) => Some(l.truthy()),
        Value::Map(m) => (m.opaque.is_empty() && !m.entries.is_empty()).then_some(true),
        Value::List(items) => (!items.is_empty()).then_some(true),
        _ => None,
    }
}

/// The first environment read a value depends on.
fn env_in(v: &Value) -> Option<(String, Option<Literal>)> {
    match v {
        Value::Env { var, default } => Some((var.clone(), default.clone())),
        Value::Conditional {
            then, otherwise, ..
        } => env_in(then).or_else(|| env_in(otherwise)),
        _ => None,
    }
}

/// Apply `f` to the literals a value may take: its literal, an environment read's default, the
/// branches of a conditional. A dict, list or unknown value stays unknown.
fn map_value(v: Value, f: &dyn Fn(Literal) -> Option<Literal>) -> Value {
    match v {
        Value::Literal(l) => f(l).map(Value::Literal).unwrap_or(Value::Unresolved),
        Value::Env { var, default } => Value::Env {
            var,
            default: default.and_then(f),
        },
        Value::Conditional {
            condition,
            then,
            otherwise,
            production,
            branches,
        } => Value::Conditional {
            condition,
            then: Box::new(map_value(*then, f)),
            otherwise: Box::new(map_value(*otherwise, f)),
            production,
            branches,
        },
        Value::Map(_) | Value::List(_) | Value::Unresolved => Value::Unresolved,
    }
}

fn convert(c: Conversion, l: Literal) -> Option<Literal> {
    Some(match c {
        Conversion::Bool => Literal::Bool(l.truthy()),
        Conversion::ParseBool => match l {
            Literal::Str(s) => Literal::Bool(matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on" | "y" | "t"
            )),
            other => Literal::Bool(other.truthy()),
        },
        Conversion::Str => match l {
            Literal::Str(s) => Literal::Str(s),
            Literal::Bool(b) => Literal::Str(if b { "True" } else { "False" }.into()),
            Literal::Int(i) => Literal::Str(i.to_string()),
            _ => return None,
        },
        Conversion::Lower | Conversion::Upper | Conversion::Strip => match l {
            Literal::Str(s) => Literal::Str(match c {
                Conversion::Lower => s.to_lowercase(),
                Conversion::Upper => s.to_uppercase(),
                _ => s.trim().to_string(),
            }),
            _ => return None,
        },
    })
}

fn literal_eq(a: &Literal, b: &Literal) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y))
            if !matches!(a, Literal::Str(_) | Literal::Null | Literal::Undefined)
                && !matches!(b, Literal::Str(_) | Literal::Null | Literal::Undefined) =>
        {
            x == y
        }
        _ => match (a, b) {
            (Literal::Null | Literal::Undefined, Literal::Null | Literal::Undefined) => true,
            _ => a == b,
        },
    }
}

/// `l op r` for literal operands (a list on the right of `in`).
fn compare_literals(op: Compare, l: &Literal, r: &Value) -> Option<Literal> {
    match op {
        Compare::Eq | Compare::Ne => {
            let r = r.literal()?;
            let eq = literal_eq(l, r);
            Some(Literal::Bool(if op == Compare::Eq { eq } else { !eq }))
        }
        Compare::In | Compare::NotIn => {
            let found = match r {
                Value::List(items) => {
                    let mut found = false;
                    for it in items {
                        match it.value.value.literal() {
                            Some(x) if literal_eq(l, x) => found = true,
                            Some(_) => {}
                            None => return None,
                        }
                    }
                    found
                }
                Value::Literal(Literal::Str(hay)) => match l {
                    Literal::Str(needle) => hay.contains(needle.as_str()),
                    _ => return None,
                },
                _ => return None,
            };
            Some(Literal::Bool(if op == Compare::In {
                found
            } else {
                !found
            }))
        }
    }
}

fn compare(op: Compare, l: Value, r: Value) -> Value {
    match (&l, &r) {
        (Value::Literal(a), _) if r.literal().is_some() || matches!(r, Value::List(_)) => {
            compare_literals(op, a, &r)
                .map(Value::Literal)
                .unwrap_or(Value::Unresolved)
        }
        (Value::Env { var, default }, _)
            if r.literal().is_some() || matches!(r, Value::List(_)) =>
        {
            Value::Env {
                var: var.clone(),
                default: default.as_ref().and_then(|d| compare_literals(op, d, &r)),
            }
        }
        (Value::Literal(a), Value::Env { var, default })
            if matches!(op, Compare::Eq | Compare::Ne) =>
        {
            Value::Env {
                var: var.clone(),
                default: default
                    .as_ref()
                    .and_then(|d| compare_literals(op, d, &Value::Literal(a.clone()))),
            }
        }
        (Value::Conditional { .. }, _) if r.literal().is_some() => {
            let rl = r.clone();
            map_value(l, &move |x| compare_literals(op, &x, &rl))
        }
        _ => match env_in(&l).or_else(|| env_in(&r)) {
            Some((var, _)) => Value::Env { var, default: None },
            None => Value::Unresolved,
        },
    }
}

/// `x.name` / `x["name"]` / `x.get("name", d)`.
fn member(o: Value, name: &str, default: Option<Value>, has_default: bool) -> Value {
    match o {
        Value::Map(map) => match map.get(name) {
            Some(e) => e.value.value.clone(),
            None if !map.opaque.is_empty() => Value::Unresolved,
            None if has_default => default.unwrap_or(Value::Unresolved),
            None => Value::Literal(Literal::Undefined),
        },
        Value::Env { var, .. } => Value::Env {
            var: format!("{var}.{name}"),
            default: None,
        },
        _ => Value::Unresolved,
    }
}

/// Add an entry: a later entry of the same name replaces an earlier one, as the SDK sees it
/// ([`Options::get`] takes the last; [`dedupe`] drops the earlier ones once the object is built).
fn push_entry(o: &mut Options, e: OptionEntry) {
    o.entries.push(e);
}

/// Keep the last entry of each name (in the order of those) and each opaque source once: linear,
/// whatever the number of spreads.
fn dedupe(o: &mut Options) {
    let mut seen = HashSet::new();
    let mut kept: Vec<OptionEntry> = Vec::with_capacity(o.entries.len());
    for e in std::mem::take(&mut o.entries).into_iter().rev() {
        if seen.insert(e.name.clone()) {
            kept.push(e);
        }
    }
    kept.reverse();
    o.entries = kept;
    let mut ranges = HashSet::new();
    o.opaque
        .retain(|x| ranges.insert((x.range.start, x.range.end)));
}

/// The entries a value contributes when spread: a dict's entries, each branch's for a
/// conditional (each entry then depends on the condition), nothing for a falsy value, and an
/// opaque source for anything unknown.
fn spread_into(o: &mut Options, v: Value, text: &str, whole: Range<usize>, note: Option<String>) {
    let opaque = |o: &mut Options| {
        o.opaque.push(Opaque {
            text: text.to_string(),
            range: whole.clone(),
            note: note.clone(),
        })
    };
    match v {
        Value::Map(m) => {
            let m = *m;
            for e in m.entries {
                push_entry(o, e);
            }
            o.opaque.extend(m.opaque);
        }
        Value::Conditional {
            condition,
            then,
            otherwise,
            production,
            ..
        } => {
            let side = |v: Value| -> Option<Options> {
                match v {
                    Value::Map(m) => Some(*m),
                    Value::Literal(l) if !l.truthy() => Some(Options::default()),
                    c @ Value::Conditional { .. } => {
                        let mut inner = Options::default();
                        spread_into(&mut inner, c, "", 0..0, None);
                        inner.opaque.retain(|x| x.range != (0..0));
                        Some(inner)
                    }
                    _ => None,
                }
            };
            let (t, f) = (side(*then), side(*otherwise));
            if t.is_none() || f.is_none() {
                opaque(o);
            }
            let merged = merge_conditional(
                &Guard {
                    condition,
                    production,
                    branch: 0..0,
                },
                t.unwrap_or_default(),
                f.unwrap_or_default(),
            );
            for e in merged.entries {
                push_entry(o, e);
            }
            o.opaque.extend(merged.opaque);
        }
        Value::Literal(l) if !l.truthy() => {}
        Value::Literal(_) => {}
        Value::Env { .. } | Value::List(_) | Value::Unresolved => opaque(o),
    }
}

/// The options of "`then` if the guard holds, else `otherwise`": each option's value depends on
/// the guard where the two differ; an option one side does not set is unset (`undefined`: the
/// SDK default) there. An option is located where the `then` side sets it, if it does.
fn merge_conditional(g: &Guard, mut then: Options, mut otherwise: Options) -> Options {
    dedupe(&mut then);
    dedupe(&mut otherwise);
    let mut out = Options {
        literal: then.literal.clone().or(otherwise.literal.clone()),
        ..Options::default()
    };
    let unset = || Value::Literal(Literal::Undefined);
    let other: HashMap<&str, &OptionEntry> = otherwise
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();
    let mine: HashSet<&str> = then.entries.iter().map(|e| e.name.as_str()).collect();
    for e in &then.entries {
        let mut merged = e.clone();
        let o = other
            .get(e.name.as_str())
            .map(|x| x.value.value.clone())
            .unwrap_or_else(unset);
        merged.value.value = conditional(g, e.value.value.clone(), o, None);
        out.entries.push(merged);
    }
    for e in &otherwise.entries {
        if mine.contains(e.name.as_str()) {
            continue;
        }
        let mut merged = e.clone();
        merged.value.value = conditional(g, unset(), e.value.value.clone(), None);
        out.entries.push(merged);
    }
    out.opaque = then.opaque;
    out.opaque.extend(otherwise.opaque);
    dedupe(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(m: &Module, s: &mut EvalState, e: ExprId) -> Value {
        let cx = Cx {
            current: m,
            path: Path::new("test.py"),
            lang: Lang::Python,
            modules: None,
        };
        value_of(&cx, s, e)
    }

    fn lit(m: &mut Module, l: Literal) -> ExprId {
        m.add(Expr::Lit(l), 0..0)
    }

    #[test]
    fn a_binding_is_visible_after_its_statement() {
        // x = 1; x = not x  (the second reads the first)
        let src = "x = 1\nx = not x\ny = x\n";
        let mut m = Module::new(src);
        let one = m.add(Expr::Lit(Literal::Int(1)), 4..5);
        m.bind("x", ROOT_SCOPE, 5, vec![], one);
        let read = m.add(
            Expr::Name {
                name: "x".into(),
                scope: ROOT_SCOPE,
                at: 14,
            },
            14..15,
        );
        let not = m.add(Expr::Not(read), 10..15);
        m.bind("x", ROOT_SCOPE, 15, vec![], not);
        let y = m.add(
            Expr::Name {
                name: "x".into(),
                scope: ROOT_SCOPE,
                at: 20,
            },
            20..21,
        );
        let mut s = EvalState::default();
        assert_eq!(eval(&m, &mut s, y), Value::Literal(Literal::Bool(false)));
    }

    #[test]
    fn a_cycle_is_unknown() {
        let mut m = Module::new("hook = hook");
        let read = m.add(
            Expr::Name {
                name: "hook".into(),
                scope: ScopeId(1),
                at: 0,
            },
            7..11,
        );
        m.scopes.push(Scope {
            parent: Some(ROOT_SCOPE),
        });
        // Bound at module level, read from a function: every module binding is visible, itself
        // included.
        m.bind("hook", ROOT_SCOPE, 11, vec![], read);
        let mut s = EvalState::default();
        assert_eq!(eval(&m, &mut s, read), Value::Unresolved);
    }

    #[test]
    fn env_defaults_follow_comparisons_and_conversions() {
        let mut m = Module::new("");
        let d = lit(&mut m, Literal::Str("0".into()));
        let env = m.add(
            Expr::Env {
                var: "PII".into(),
                default: Some(d),
            },
            0..0,
        );
        let one = lit(&mut m, Literal::Str("1".into()));
        let eq = m.add(Expr::Compare(Compare::Eq, env, one), 0..0);
        let mut s = EvalState::default();
        assert_eq!(
            eval(&m, &mut s, eq),
            Value::Env {
                var: "PII".into(),
                default: Some(Literal::Bool(false))
            }
        );
        let f = lit(&mut m, Literal::Str("False".into()));
        let env2 = m.add(
            Expr::Env {
                var: "X".into(),
                default: Some(f),
            },
            0..0,
        );
        let parsed = m.add(Expr::Convert(Conversion::ParseBool, env2), 0..0);
        assert_eq!(
            eval(&m, &mut s, parsed),
            Value::Env {
                var: "X".into(),
                default: Some(Literal::Bool(false))
            }
        );
    }

    #[test]
    fn spread_chains_cost_their_size() {
        // o0 = {a: 1}; o_k = {...o_{k-1}, ...o_{k-1}, ...o_{k-1}, ...o_{k-1}} for 40 levels.
        let mut m = Module::new("");
        let one = lit(&mut m, Literal::Int(1));
        let o0 = m.add(
            Expr::Object {
                props: vec![Prop::Entry {
                    key: "a".into(),
                    key_range: 0..0,
                    value: one,
                    whole: 0..0,
                }],
                literal: None,
            },
            0..0,
        );
        m.bind("o0", ROOT_SCOPE, 0, vec![], o0);
        for k in 1..40 {
            let props = (0..4)
                .map(|_| {
                    let read = m.add(
                        Expr::Name {
                            name: format!("o{}", k - 1),
                            scope: ROOT_SCOPE,
                            at: k,
                        },
                        0..0,
                    );
                    Prop::Spread {
                        value: read,
                        whole: 0..0,
                    }
                })
                .collect();
            let o = m.add(
                Expr::Object {
                    props,
                    literal: None,
                },
                0..0,
            );
            m.bind(&format!("o{k}"), ROOT_SCOPE, k, vec![], o);
        }
        let last = m.add(
            Expr::Name {
                name: "o39".into(),
                scope: ROOT_SCOPE,
                at: 100,
            },
            0..0,
        );
        let mut s = EvalState::default();
        let v = eval(&m, &mut s, last);
        assert!(s.steps < 1000, "{} steps", s.steps);
        // Deeper than the depth bound: the chain is cut, never followed without end.
        assert!(matches!(v, Value::Map(_)), "{v:?}");
    }
}
