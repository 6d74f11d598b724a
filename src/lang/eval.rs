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

use crate::model::{
    ArgList, Evaluated, Item, Literal, Opaque, OptionEntry, Options, ProdBranch, Value,
};

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
    scope: ScopeId,
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
    bindings: HashMap<String, Vec<BindingDef>>,
}

impl Module {
    pub fn new(src: &str) -> Module {
        Module {
            src: src.to_string(),
            exprs: Vec::new(),
            scopes: vec![Scope { parent: None }],
            scope_nodes: HashMap::new(),
            bindings: HashMap::new(),
        }
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
        self.bindings
            .entry(name.to_string())
            .or_default()
            .push(BindingDef {
                scope,
                visible_from,
                guards,
                value,
            });
    }

    /// The bindings of `name` a read at `at` in `scope` sees: those of the innermost enclosing
    /// scope that binds it before the read (any module-level one when the read is inside a
    /// function, which runs later), from the last unconditional one on.
    fn lookup(&self, name: &str, scope: ScopeId, at: usize) -> &[BindingDef] {
        let Some(all) = self.bindings.get(name) else {
            return &[];
        };
        let in_function = scope != ROOT_SCOPE;
        let mut cur = Some(scope);
        let mut hops = 0;
        while let Some(s) = cur {
            let anywhere = s == ROOT_SCOPE && in_function;
            // Bindings are recorded in source order: the visible ones of a scope are a run of
            // them; keep the indices of the scope's visible ones.
            let visible: Vec<usize> = all
                .iter()
                .enumerate()
                .filter(|(_, b)| b.scope == s && (anywhere || b.visible_from <= at))
                .map(|(i, _)| i)
                .collect();
            if let (Some(&first), Some(&last)) = (visible.first(), visible.last()) {
                let start = visible
                    .iter()
                    .rposition(|&i| all[i].guard_for(at).is_none())
                    .map(|k| visible[k])
                    .unwrap_or(first);
                // Only this scope's bindings between start and last (others are skipped by the
                // caller's scope check).
                return &all[start..=last];
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

/// What one file's evaluation shares: the memo, the expressions being evaluated (a cycle reads
/// as unknown), and the step budget.
#[derive(Debug, Default)]
pub struct EvalState {
    memo: HashMap<ExprId, Value>,
    active: HashSet<ExprId>,
    steps: usize,
}

/// Evaluate an expression with its source text and whether it is a literal as written.
pub fn evaluated(m: &Module, s: &mut EvalState, e: ExprId) -> Evaluated {
    Evaluated {
        value: value(m, s, e, 0),
        text: m.text(e).to_string(),
        literal: matches!(m.expr(e), Expr::Lit(_)),
    }
}

/// The options an expression stands for: its entries when it is a dict or object (through
/// names, spreads and conditionals), else one opaque source.
pub fn options(m: &Module, s: &mut EvalState, e: ExprId) -> Options {
    let mut o = Options::default();
    let v = value(m, s, e, 0);
    let range = m.range(e);
    spread_into(&mut o, v, m.text(e), range);
    o
}

/// Add the entries of `e` to `o`, as a spread `**x` / `...x` written at `whole` does. Returns
/// whether `e` is a dict or object (or one of several, by condition).
pub fn spread_value_into(
    m: &Module,
    s: &mut EvalState,
    o: &mut Options,
    e: ExprId,
    whole: Range<usize>,
) -> bool {
    let v = value(m, s, e, 0);
    let mapping = is_mapping(&v);
    spread_into(o, v, m.src.get(whole.clone()).unwrap_or(""), whole);
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

/// The value of an expression, evaluated as the start of an evaluation.
pub fn value_of(m: &Module, s: &mut EvalState, e: ExprId) -> Value {
    value(m, s, e, 0)
}

/// The value of an expression.
pub fn value(m: &Module, s: &mut EvalState, e: ExprId, depth: usize) -> Value {
    if let Some(v) = s.memo.get(&e) {
        return v.clone();
    }
    if depth > MAX_DEPTH || s.steps >= MAX_STEPS || !s.active.insert(e) {
        return Value::Unresolved;
    }
    s.steps += 1;
    let v = compute(m, s, e, depth + 1);
    s.active.remove(&e);
    // Memoised even when part of it was cut short (depth, cycle): every expression is then
    // evaluated once, so a file's evaluation costs its size.
    s.memo.insert(e, v.clone());
    v
}

fn compute(m: &Module, s: &mut EvalState, e: ExprId, depth: usize) -> Value {
    match m.expr(e) {
        Expr::Lit(l) => Value::Literal(l.clone()),
        Expr::Function => Value::Unresolved,
        Expr::Name { name, scope, at } => {
            let defs = m.lookup(name, *scope, *at);
            let defs: Vec<&BindingDef> = defs.iter().filter(|b| b.scope == defs[0].scope).collect();
            let skip = defs.len().saturating_sub(MAX_JOINED);
            let mut acc: Option<Value> = if skip > 0 {
                Some(Value::Unresolved)
            } else {
                None
            };
            for b in &defs[skip..] {
                let v = value(m, s, b.value, depth);
                acc = Some(match (acc, b.guard_for(*at)) {
                    (None, None) => v,
                    (None, Some(g)) => conditional(g, v, Value::Unresolved, None),
                    (Some(_), None) => v,
                    (Some(before), Some(g)) => conditional(g, v, before, None),
                });
            }
            acc.unwrap_or(Value::Unresolved)
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
                            value: value(m, s, *v, depth),
                            text: m.text(*v).to_string(),
                            literal: matches!(m.expr(*v), Expr::Lit(_)),
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
                        let sv = value(m, s, *v, depth);
                        spread_into(
                            &mut o,
                            sv,
                            m.src.get(whole.clone()).unwrap_or(""),
                            whole.clone(),
                        );
                    }
                    Prop::Opaque { whole } => o.opaque.push(Opaque {
                        text: m.src.get(whole.clone()).unwrap_or("").to_string(),
                        range: whole.clone(),
                    }),
                }
            }
            Value::Map(Box::new(o))
        }
        Expr::List(elems) => {
            let items = elems
                .iter()
                .map(|el| match el {
                    Elem::Item(x) => Item {
                        range: m.range(*x),
                        value: Evaluated {
                            value: value(m, s, *x, depth),
                            text: m.text(*x).to_string(),
                            literal: matches!(m.expr(*x), Expr::Lit(_)),
                        },
                    },
                    Elem::Spread(x) => Item {
                        range: m.range(*x),
                        value: Evaluated {
                            value: Value::Unresolved,
                            text: m.text(*x).to_string(),
                            literal: false,
                        },
                    },
                })
                .collect();
            Value::List(items)
        }
        Expr::Not(x) => map_value(value(m, s, *x, depth), &|l| {
            Some(Literal::Bool(!l.truthy()))
        }),
        Expr::Neg(x) => map_value(value(m, s, *x, depth), &Literal::negated),
        Expr::Convert(c, x) => {
            let c = *c;
            map_value(value(m, s, *x, depth), &move |l| convert(c, l))
        }
        Expr::Logical(op, l, r) => logical(m, s, *op, *l, *r, depth),
        Expr::Compare(op, l, r) => {
            let lv = value(m, s, *l, depth);
            let rv = value(m, s, *r, depth);
            compare(*op, lv, rv)
        }
        Expr::Cond {
            test,
            then,
            otherwise,
        } => {
            let t = value(m, s, *test, depth);
            match known_truth(&t) {
                Some(true) => value(m, s, *then, depth),
                Some(false) => value(m, s, *otherwise, depth),
                None => {
                    let condition = m.text(*test).to_string();
                    let production = super::production_branch(&condition);
                    Value::Conditional {
                        then: Box::new(value(m, s, *then, depth)),
                        otherwise: Box::new(value(m, s, *otherwise, depth)),
                        condition,
                        production,
                        branches: Some((m.range(*then), m.range(*otherwise))),
                    }
                }
            }
        }
        Expr::Env { var, default } => Value::Env {
            var: var.clone(),
            default: default.and_then(|d| match value(m, s, d, depth) {
                Value::Literal(l) => Some(l),
                _ => None,
            }),
        },
        Expr::Attr { object, name } => {
            let o = value(m, s, *object, depth);
            member(o, name, None, false)
        }
        Expr::Key {
            object,
            key,
            default,
            fallback_env,
        } => {
            let o = value(m, s, *object, depth);
            let d = default.map(|d| value(m, s, d, depth));
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
                if let Some((var, _)) = env_in(&value(m, s, *x, depth)) {
                    return Value::Env { var, default: None };
                }
            }
            Value::Unresolved
        }
    }
}

/// `a and b`, `a || b`, `a ?? b`.
fn logical(m: &Module, s: &mut EvalState, op: Logic, l: ExprId, r: ExprId, depth: usize) -> Value {
    let lv = value(m, s, l, depth);
    let nullish = |v: &Value| matches!(v, Value::Literal(Literal::Null | Literal::Undefined));
    match (op, known_truth(&lv)) {
        (Logic::And, Some(true)) | (Logic::Or, Some(false)) => return value(m, s, r, depth),
        (Logic::And, Some(false)) | (Logic::Or, Some(true)) => return lv,
        (Logic::Nullish, Some(_)) if !nullish(&lv) => return lv,
        (Logic::Nullish, Some(_)) => return value(m, s, r, depth),
        _ => {}
    }
    let rv = value(m, s, r, depth);
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
    let condition = m.text(l).to_string();
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

/// Add an entry: a later entry of the same name replaces an earlier one, as the SDK sees it.
fn push_entry(o: &mut Options, e: OptionEntry) {
    o.entries.retain(|x| x.name != e.name);
    o.entries.push(e);
}

/// The entries a value contributes when spread: a dict's entries, each branch's for a
/// conditional (each entry then depends on the condition), nothing for a falsy value, and an
/// opaque source for anything unknown.
fn spread_into(o: &mut Options, v: Value, text: &str, whole: Range<usize>) {
    let opaque = |o: &mut Options| {
        if !o.opaque.iter().any(|x| x.range == whole) {
            o.opaque.push(Opaque {
                text: text.to_string(),
                range: whole.clone(),
            })
        }
    };
    match v {
        Value::Map(m) => {
            let m = *m;
            for e in m.entries {
                push_entry(o, e);
            }
            for op in m.opaque {
                if !o.opaque.iter().any(|x| x.range == op.range) {
                    o.opaque.push(op);
                }
            }
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
                        spread_into(&mut inner, c, "", 0..0);
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
            for op in merged.opaque {
                if !o.opaque.iter().any(|x| x.range == op.range) {
                    o.opaque.push(op);
                }
            }
        }
        Value::Literal(l) if !l.truthy() => {}
        Value::Literal(_) => {}
        Value::Env { .. } | Value::List(_) | Value::Unresolved => opaque(o),
    }
}

/// The options of "`then` if the guard holds, else `otherwise`": each option's value depends on
/// the guard where the two differ; an option one side does not set is unset (`undefined`: the
/// SDK default) there. An option is located where the `then` side sets it, if it does.
fn merge_conditional(g: &Guard, then: Options, otherwise: Options) -> Options {
    let mut out = Options {
        literal: then.literal.clone().or(otherwise.literal.clone()),
        ..Options::default()
    };
    let unset = || Value::Literal(Literal::Undefined);
    for e in &then.entries {
        let mut merged = e.clone();
        let other = otherwise
            .get(&e.name)
            .map(|x| x.value.value.clone())
            .unwrap_or_else(unset);
        merged.value.value = conditional(g, e.value.value.clone(), other, None);
        out.entries.push(merged);
    }
    for e in &otherwise.entries {
        if then.get(&e.name).is_some() {
            continue;
        }
        let mut merged = e.clone();
        merged.value.value = conditional(g, unset(), e.value.value.clone(), None);
        out.entries.push(merged);
    }
    for op in then.opaque.into_iter().chain(otherwise.opaque) {
        if !out.opaque.iter().any(|x| x.range == op.range) {
            out.opaque.push(op);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            value(&m, &mut s, y, 0),
            Value::Literal(Literal::Bool(false))
        );
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
        assert_eq!(value(&m, &mut s, read, 0), Value::Unresolved);
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
            value(&m, &mut s, eq, 0),
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
            value(&m, &mut s, parsed, 0),
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
        let v = value(&m, &mut s, last, 0);
        assert!(s.steps < 1000, "{} steps", s.steps);
        // Deeper than the depth bound: the chain is cut, never followed without end.
        assert!(matches!(v, Value::Map(_)), "{v:?}");
    }
}
