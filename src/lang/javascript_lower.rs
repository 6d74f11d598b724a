//! JavaScript and TypeScript syntax lowered into the shared [`Expr`](super::eval::Expr): the
//! bindings of a file (declarations, assignments, property writes, `Object.assign`, parameters,
//! imports) and the expressions the extraction asks about.

use tree_sitter::Node;

use super::eval::{
    Compare, Conversion, Elem, Export, Expr, ExprId, Guard, Logic, Module, Prop, ScopeId,
    CJS_EXPORTS,
};
use super::{arg_list, text, walk};
use crate::model::Literal;

/// Node kinds that open a scope.
pub const SCOPES: &[&str] = &[
    "function_declaration",
    "generator_function_declaration",
    "function_expression",
    "function",
    "generator_function",
    "arrow_function",
    "method_definition",
];

/// Node kinds whose body runs only on some paths.
pub const BRANCHES: &[&str] = &[
    "if_statement",
    "else_clause",
    "try_statement",
    "catch_clause",
    "for_statement",
    "for_in_statement",
    "while_statement",
    "do_statement",
    "switch_statement",
];

/// Wrappers that do not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`.
const WRAPPERS: &[&str] = &[
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "type_assertion",
];

/// The value of a string or substitution-free template literal.
pub fn string_value(n: Node, src: &str) -> Option<String> {
    match n.kind() {
        "string" => {
            let mut out = String::new();
            let mut c = n.walk();
            for part in n.named_children(&mut c) {
                match part.kind() {
                    "string_fragment" => out.push_str(text(part, src)),
                    "escape_sequence" => {
                        let t = text(part, src);
                        out.push_str(match t {
                            "\\n" => "\n",
                            "\\t" => "\t",
                            _ => &t[1..],
                        })
                    }
                    _ => {}
                }
            }
            Some(out)
        }
        "template_string" => {
            let mut c = n.walk();
            if n.named_children(&mut c)
                .any(|p| p.kind() == "template_substitution")
            {
                return None;
            }
            let t = text(n, src);
            Some(t.trim_start_matches('`').trim_end_matches('`').to_string())
        }
        _ => None,
    }
}

/// The expression inside wrappers that do not change its value.
pub fn unwrap(mut n: Node) -> Node {
    while WRAPPERS.contains(&n.kind()) {
        let mut c = n.walk();
        let inner = n.named_children(&mut c).find(|c| {
            c.kind() != "comment" && !c.kind().ends_with("type") && c.kind() != "type_arguments"
        });
        match inner {
            Some(i) => n = i,
            None => break,
        }
    }
    n
}

/// `process.env` or `import.meta.env` (optional chaining allowed).
fn is_env_object(t: &str) -> bool {
    matches!(
        t.replace("?.", ".").as_str(),
        "process.env" | "import.meta.env"
    )
}

/// The condition of an `if`, the negated condition for its `else`, or the header of a loop,
/// `try`, `catch` or `switch`.
pub fn branch_condition(branch: Node, src: &str) -> Guard {
    let condition_of = |n: Node| {
        n.child_by_field_name("condition")
            .map(|c| text(unwrap(c), src))
    };
    let condition = match branch.kind() {
        "if_statement" => condition_of(branch).map(str::to_string),
        "else_clause" => branch
            .parent()
            .filter(|p| p.kind() == "if_statement")
            .and_then(condition_of)
            .map(|c| format!("!({c})")),
        _ => None,
    };
    super::branch_guard(branch, src, condition, '{')
}

static GRAMMAR: super::Grammar = super::Grammar {
    scopes: SCOPES,
    branches: BRANCHES,
};

static LOWERING: super::Lowering = super::Lowering {
    grammar: &GRAMMAR,
    condition: branch_condition,
    lower_at,
};

/// The scope a node is in.
pub fn scope_at(m: &Module, n: Node) -> ScopeId {
    LOWERING.scope_at(m, n)
}

/// What decides whether a binding runs: the branches between it and its scope.
fn guard(m: &Module, n: Node, src: &str) -> Vec<Guard> {
    LOWERING.guards(m, n, src)
}

/// Lower a file's bindings: those of the module scope, and of the function scopes in `keep`
/// (all of them when `keep` is `None`).
pub fn module(
    flat: &crate::syntax::Flat,
    src: &str,
    keep: Option<&std::collections::HashSet<usize>>,
) -> Module {
    LOWERING.module(
        flat,
        src,
        keep,
        |m, n, parent, scope, kept| {
            if m.tracked_kept()
                && matches!(
                    n.kind(),
                    "function_declaration" | "generator_function_declaration"
                )
            {
                if let Some(name) = n.child_by_field_name("name") {
                    let e = m.add(Expr::Function, n.byte_range());
                    // Hoisted: visible in the whole scope.
                    let g = guard(m, n, src);
                    m.bind(text(name, src), parent, 0, g, e);
                }
            }
            if kept {
                bind_parameters(m, n, scope, src);
            }
        },
        |m, n| match n.kind() {
            "variable_declarator" => bind_declarator(m, n, src),
            "assignment_expression" => bind_assignment(m, n, src),
            "augmented_assignment_expression" => bind_augmented(m, n, src),
            "expression_statement" => {
                if let Some(call) = n.named_child(0).filter(|c| c.kind() == "call_expression") {
                    bind_object_assign(m, call, n, src);
                }
            }
            "class_declaration" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let e = m.add(Expr::Function, n.byte_range());
                    let scope = scope_at(m, n);
                    let g = guard(m, n, src);
                    m.bind(text(name, src), scope, n.start_byte(), g, e);
                }
            }
            "for_in_statement" => {
                if let Some(left) = n.child_by_field_name("left") {
                    bind_unknown_targets(m, left, n, src);
                }
            }
            "catch_clause" => {
                if let Some(p) = n.child_by_field_name("parameter") {
                    bind_unknown_targets(m, p, n, src);
                }
            }
            "import_statement" => bind_imports(m, n, src),
            "export_statement" => record_exports(m, n, src),
            _ => {}
        },
    )
}

/// Every identifier a pattern binds (type annotations and default values left out).
fn pattern_names<'t>(p: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(p, |x| {
        match x.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                out.push(x);
                return false;
            }
            "type_annotation" | "type_arguments" | "decorator" => return false,
            "assignment_pattern" | "object_assignment_pattern" => {
                if let Some(l) = x.child_by_field_name("left") {
                    out.extend(pattern_names(l));
                }
                return false;
            }
            "pair_pattern" => {
                if let Some(v) = x.child_by_field_name("value") {
                    out.extend(pattern_names(v));
                }
                return false;
            }
            _ => {}
        }
        true
    });
    out
}

fn bind_parameters(m: &mut Module, n: Node, scope: ScopeId, src: &str) {
    let params = n
        .child_by_field_name("parameters")
        .or_else(|| n.child_by_field_name("parameter"));
    let Some(params) = params else {
        return;
    };
    for name in pattern_names(params) {
        let e = m.add(Expr::Opaque(vec![]), name.byte_range());
        m.bind(text(name, src), scope, params.start_byte(), vec![], e);
    }
}

fn bind_unknown_targets(m: &mut Module, target: Node, stmt: Node, src: &str) {
    let scope = scope_at(m, stmt);
    let g = guard(m, target, src);
    for name in pattern_names(target) {
        let e = m.add(Expr::Opaque(vec![]), target.byte_range());
        m.bind(text(name, src), scope, target.end_byte(), g.clone(), e);
    }
}

/// `import x from "m"`, `import * as x from "m"`, `import { a as b } from "m"`: names that stand
/// for something of another module.
fn bind_imports(m: &mut Module, n: Node, src: &str) {
    let scope = scope_at(m, n);
    let Some(spec) = n
        .child_by_field_name("source")
        .and_then(|x| string_value(x, src))
    else {
        return;
    };
    // (local name, exported name; `None` for the module itself)
    let mut names: Vec<(Node, Option<String>)> = Vec::new();
    let mut c = n.walk();
    for clause in n
        .named_children(&mut c)
        .filter(|c| c.kind() == "import_clause")
    {
        let mut cc = clause.walk();
        for part in clause.named_children(&mut cc) {
            match part.kind() {
                "identifier" => names.push((part, Some("default".into()))),
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        names.push((id, None));
                    }
                }
                "named_imports" => {
                    let mut sc = part.walk();
                    for spec_node in part
                        .named_children(&mut sc)
                        .filter(|x| x.kind() == "import_specifier")
                    {
                        let Some(name) = spec_node.child_by_field_name("name") else {
                            continue;
                        };
                        let local = spec_node.child_by_field_name("alias").unwrap_or(name);
                        let exported =
                            string_value(name, src).unwrap_or_else(|| text(name, src).to_string());
                        names.push((local, Some(exported)));
                    }
                }
                _ => {}
            }
        }
    }
    for (local, name) in names {
        let e = m.add(
            Expr::Import {
                spec: spec.clone(),
                name,
            },
            n.byte_range(),
        );
        m.bind(text(local, src), scope, 0, vec![], e);
    }
}

/// `export const x`, `export default ...`, `export { a as b }`, `export ... from "m"`.
fn record_exports(m: &mut Module, n: Node, src: &str) {
    let source = n
        .child_by_field_name("source")
        .and_then(|x| string_value(x, src));
    let mut c = n.walk();
    let children: Vec<Node> = n.children(&mut c).collect();
    let is_default = children.iter().any(|x| x.kind() == "default");
    if let Some(decl) = n.child_by_field_name("declaration") {
        let mut names = Vec::new();
        match decl.kind() {
            "lexical_declaration" | "variable_declaration" => {
                let mut dc = decl.walk();
                for d in decl
                    .named_children(&mut dc)
                    .filter(|x| x.kind() == "variable_declarator")
                {
                    if let Some(name) = d.child_by_field_name("name") {
                        names.extend(pattern_names(name));
                    }
                }
            }
            _ => names.extend(decl.child_by_field_name("name")),
        }
        for name in &names {
            m.export(
                text(*name, src),
                Export::Local(text(*name, src).to_string()),
            );
        }
        if is_default {
            match names.first() {
                Some(name) => m.export("default", Export::Local(text(*name, src).to_string())),
                None => {
                    let e = m.add(Expr::Function, decl.byte_range());
                    m.export("default", Export::Expr(e));
                }
            }
        }
        return;
    }
    if let Some(value) = n.child_by_field_name("value") {
        let e = lower(m, value, src);
        m.export("default", Export::Expr(e));
        return;
    }
    for x in &children {
        match x.kind() {
            "export_clause" => {
                let mut ec = x.walk();
                for spec_node in x
                    .named_children(&mut ec)
                    .filter(|y| y.kind() == "export_specifier")
                {
                    let Some(name) = spec_node.child_by_field_name("name") else {
                        continue;
                    };
                    let local =
                        string_value(name, src).unwrap_or_else(|| text(name, src).to_string());
                    let exported = spec_node
                        .child_by_field_name("alias")
                        .map(|a| string_value(a, src).unwrap_or_else(|| text(a, src).to_string()))
                        .unwrap_or_else(|| local.clone());
                    let export = match &source {
                        Some(spec) => Export::From {
                            spec: spec.clone(),
                            name: Some(local),
                            at: n.byte_range(),
                        },
                        None => Export::Local(local),
                    };
                    m.export(&exported, export);
                }
            }
            "namespace_export" => {
                if let (Some(spec), Some(name)) = (&source, x.named_child(0)) {
                    m.export(
                        text(name, src),
                        Export::From {
                            spec: spec.clone(),
                            name: None,
                            at: n.byte_range(),
                        },
                    );
                }
            }
            "*" => {
                let namespaced = children.iter().any(|y| y.kind() == "namespace_export");
                if let (Some(spec), false) = (&source, namespaced) {
                    m.export_star(spec, n.byte_range());
                }
            }
            _ => {}
        }
    }
}

/// `const x = value`, `let x;`, `const { a, b: c } = value`.
fn bind_declarator(m: &mut Module, n: Node, src: &str) {
    let Some(name) = n.child_by_field_name("name") else {
        return;
    };
    let scope = scope_at(m, n);
    let g = guard(m, n, src);
    let value = n.child_by_field_name("value");
    match name.kind() {
        "identifier" => {
            let e = match value {
                Some(v) => lower(m, v, src),
                None => m.add(Expr::Lit(Literal::Undefined), n.byte_range()),
            };
            m.bind(text(name, src), scope, n.end_byte(), g, e);
        }
        "object_pattern" => {
            let object = value.map(|v| lower(m, v, src));
            let mut c = name.walk();
            for p in name.named_children(&mut c) {
                let (local, key, default) = match p.kind() {
                    "shorthand_property_identifier_pattern" => (p, text(p, src).to_string(), None),
                    "object_assignment_pattern" => {
                        let Some(l) = p.child_by_field_name("left") else {
                            continue;
                        };
                        (l, text(l, src).to_string(), p.child_by_field_name("right"))
                    }
                    "pair_pattern" => {
                        let (Some(k), Some(v)) =
                            (p.child_by_field_name("key"), p.child_by_field_name("value"))
                        else {
                            continue;
                        };
                        let key = match k.kind() {
                            "property_identifier" => text(k, src).to_string(),
                            _ => match string_value(k, src) {
                                Some(s) => s,
                                None => continue,
                            },
                        };
                        match v.kind() {
                            "identifier" => (v, key, None),
                            "assignment_pattern" => match v.child_by_field_name("left") {
                                Some(l) if l.kind() == "identifier" => {
                                    (l, key, v.child_by_field_name("right"))
                                }
                                _ => continue,
                            },
                            _ => {
                                bind_unknown_targets(m, v, n, src);
                                continue;
                            }
                        }
                    }
                    _ => {
                        bind_unknown_targets(m, p, n, src);
                        continue;
                    }
                };
                let e = match object {
                    Some(o) => {
                        let attr = m.add(
                            Expr::Attr {
                                object: o,
                                name: key,
                            },
                            p.byte_range(),
                        );
                        match default {
                            Some(d) => {
                                let d = lower(m, d, src);
                                m.add(Expr::Logical(Logic::Nullish, attr, d), p.byte_range())
                            }
                            None => attr,
                        }
                    }
                    None => m.add(Expr::Opaque(vec![]), p.byte_range()),
                };
                m.bind(text(local, src), scope, n.end_byte(), g.clone(), e);
            }
        }
        _ => bind_unknown_targets(m, name, n, src),
    }
}

/// A read of `name` just before `stmt` (the value a mutation starts from).
fn read_before(m: &mut Module, name: Node, stmt: Node, src: &str) -> ExprId {
    let scope = scope_at(m, stmt);
    m.read(text(name, src), scope, stmt.start_byte(), name.byte_range())
}

/// The statement a binding expression belongs to (its end is where the binding becomes
/// visible).
fn statement_of(n: Node) -> Node {
    let mut cur = n;
    while let Some(p) = cur.parent() {
        if p.kind() == "expression_statement" {
            return p;
        }
        if !matches!(
            p.kind(),
            "parenthesized_expression" | "sequence_expression" | "assignment_expression"
        ) {
            break;
        }
        cur = p;
    }
    n
}

/// `x = value`, `x.key = value`, `x["key"] = value`.
fn bind_assignment(m: &mut Module, n: Node, src: &str) {
    let (Some(left), Some(right)) = (
        n.child_by_field_name("left"),
        n.child_by_field_name("right"),
    ) else {
        return;
    };
    let stmt = statement_of(n);
    let scope = scope_at(m, n);
    let g = guard(m, n, src);
    let left = unwrap(left);
    // CommonJS: `module.exports = {...}`, `exports.x = ...`, `module.exports.x = ...`.
    let lt = text(left, src);
    if scope == super::eval::ROOT_SCOPE {
        if lt == "module.exports" {
            let e = lower(m, right, src);
            m.export(CJS_EXPORTS, Export::Expr(e));
            m.export("default", Export::Expr(e));
            return;
        }
        if let Some(name) = lt
            .strip_prefix("module.exports.")
            .or_else(|| lt.strip_prefix("exports."))
        {
            if !name.contains('.') {
                let e = lower(m, right, src);
                m.export(name, Export::Expr(e));
                return;
            }
        }
    }
    match left.kind() {
        "identifier" => {
            let e = lower(m, right, src);
            m.bind(text(left, src), scope, stmt.end_byte(), g, e);
        }
        "member_expression" | "subscript_expression" => {
            let Some(obj) = left.child_by_field_name("object").map(unwrap) else {
                return;
            };
            if obj.kind() != "identifier" {
                return;
            }
            let key_node = left
                .child_by_field_name("property")
                .or_else(|| left.child_by_field_name("index"));
            let Some(key_node) = key_node else {
                return;
            };
            let key = match key_node.kind() {
                "property_identifier" => text(key_node, src).to_string(),
                _ => match string_value(key_node, src) {
                    Some(k) => k,
                    None => return,
                },
            };
            let before = read_before(m, obj, stmt, src);
            let v = lower(m, right, src);
            let e = m.add(
                Expr::Object {
                    props: vec![
                        Prop::Spread {
                            value: before,
                            whole: obj.byte_range(),
                        },
                        Prop::Entry {
                            key,
                            key_range: key_node.byte_range(),
                            value: v,
                            whole: n.byte_range(),
                        },
                    ],
                    literal: None,
                },
                n.byte_range(),
            );
            m.bind(text(obj, src), scope, stmt.end_byte(), g, e);
        }
        _ => bind_unknown_targets(m, left, n, src),
    }
}

/// `x ??= v`, `x ||= v`, `x &&= v`; other operators make `x` unknown.
fn bind_augmented(m: &mut Module, n: Node, src: &str) {
    let (Some(left), Some(right)) = (
        n.child_by_field_name("left"),
        n.child_by_field_name("right"),
    ) else {
        return;
    };
    if left.kind() != "identifier" {
        return;
    }
    let stmt = statement_of(n);
    let scope = scope_at(m, n);
    let op = n
        .child_by_field_name("operator")
        .map(|o| text(o, src))
        .unwrap_or("");
    let logic = match op {
        "??=" => Some(Logic::Nullish),
        "||=" => Some(Logic::Or),
        "&&=" => Some(Logic::And),
        _ => None,
    };
    let e = match logic {
        Some(l) => {
            let before = read_before(m, left, stmt, src);
            let r = lower(m, right, src);
            m.add(Expr::Logical(l, before, r), n.byte_range())
        }
        None => m.add(Expr::Opaque(vec![]), n.byte_range()),
    };
    m.bind(text(left, src), scope, stmt.end_byte(), guard(m, n, src), e);
}

/// `Object.assign(x, a, b)` as a statement: `x` now also has the entries of `a` and `b`.
fn bind_object_assign(m: &mut Module, call: Node, stmt: Node, src: &str) {
    let Some(f) = call.child_by_field_name("function") else {
        return;
    };
    if text(f, src) != "Object.assign" {
        return;
    }
    let Some(args) = call.child_by_field_name("arguments") else {
        return;
    };
    let mut c = args.walk();
    let list: Vec<Node> = args
        .named_children(&mut c)
        .filter(|x| x.kind() != "comment")
        .collect();
    let Some(target) = list.first().map(|t| unwrap(*t)) else {
        return;
    };
    if target.kind() != "identifier" {
        return;
    }
    let before = read_before(m, target, stmt, src);
    let mut props = vec![Prop::Spread {
        value: before,
        whole: target.byte_range(),
    }];
    for a in &list[1..] {
        let v = lower(m, *a, src);
        props.push(Prop::Spread {
            value: v,
            whole: a.byte_range(),
        });
    }
    let e = m.add(
        Expr::Object {
            props,
            literal: None,
        },
        stmt.byte_range(),
    );
    let scope = scope_at(m, stmt);
    m.bind(
        text(target, src),
        scope,
        stmt.end_byte(),
        guard(m, stmt, src),
        e,
    );
}

/// Lower an expression.
pub fn lower(m: &mut Module, n: Node, src: &str) -> ExprId {
    LOWERING.lower(m, n, src)
}

fn lower_at(m: &mut Module, n: Node, src: &str, depth: usize) -> ExprId {
    if depth > super::eval::MAX_LOWER_DEPTH {
        return m.add(Expr::Opaque(vec![]), n.byte_range());
    }
    let d = depth + 1;
    let range = n.byte_range();
    if WRAPPERS.contains(&n.kind()) {
        let inner = unwrap(n);
        if inner.id() == n.id() {
            return m.add(Expr::Opaque(vec![]), range);
        }
        let e = lower_at(m, inner, src, d);
        let expr = m.expr(e).clone();
        return m.add(expr, range);
    }
    let expr = match n.kind() {
        "true" => Expr::Lit(Literal::Bool(true)),
        "false" => Expr::Lit(Literal::Bool(false)),
        "null" => Expr::Lit(Literal::Null),
        "undefined" => Expr::Lit(Literal::Undefined),
        "number" => match Literal::parse_number(text(n, src)) {
            Some(l) => Expr::Lit(l),
            None => Expr::Opaque(vec![]),
        },
        "string" | "template_string" => match string_value(n, src) {
            Some(s) => Expr::Lit(Literal::Str(s)),
            None => {
                let mut parts = Vec::new();
                for sub in super::descendants_of_kind(n, &["template_substitution"]) {
                    if let Some(x) = sub.named_child(0) {
                        parts.push(lower_at(m, x, src, d));
                    }
                }
                Expr::Opaque(parts)
            }
        },
        "object" => lower_object(m, n, src, d),
        "array" => {
            let mut c = n.walk();
            let kids: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect();
            let elems = kids
                .into_iter()
                .map(|x| match x.kind() {
                    "spread_element" => Elem::Spread(lower_at(m, x, src, d)),
                    _ => Elem::Item(lower_at(m, x, src, d)),
                })
                .collect();
            Expr::List(elems)
        }
        "unary_expression" => {
            let op = n.child_by_field_name("operator").map(|o| text(o, src));
            match (op, n.child_by_field_name("argument")) {
                (Some("!"), Some(a)) => Expr::Not(lower_at(m, a, src, d)),
                (Some("-"), Some(a)) => {
                    let inner = lower_at(m, a, src, d);
                    match m.expr(inner) {
                        Expr::Lit(l) => match l.clone().negated() {
                            Some(l) => Expr::Lit(l),
                            None => Expr::Neg(inner),
                        },
                        _ => Expr::Neg(inner),
                    }
                }
                (Some("+"), Some(a)) => return lower_at(m, a, src, d),
                (Some("void"), _) => Expr::Lit(Literal::Undefined),
                (_, Some(a)) => Expr::Opaque(vec![lower_at(m, a, src, d)]),
                _ => Expr::Opaque(vec![]),
            }
        }
        "binary_expression" => {
            let op = n.child_by_field_name("operator").map(|o| text(o, src));
            let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return m.add(Expr::Opaque(vec![]), range);
            };
            let l = lower_at(m, l, src, d);
            let r = lower_at(m, r, src, d);
            match op {
                Some("&&") => Expr::Logical(Logic::And, l, r),
                Some("||") => Expr::Logical(Logic::Or, l, r),
                Some("??") => Expr::Logical(Logic::Nullish, l, r),
                Some("===" | "==") => Expr::Compare(Compare::Eq, l, r),
                Some("!==" | "!=") => Expr::Compare(Compare::Ne, l, r),
                _ => Expr::Opaque(vec![l, r]),
            }
        }
        "ternary_expression" => {
            match (
                n.child_by_field_name("condition"),
                n.child_by_field_name("consequence"),
                n.child_by_field_name("alternative"),
            ) {
                (Some(c), Some(a), Some(b)) => {
                    let test = lower_at(m, c, src, d);
                    let then = lower_at(m, a, src, d);
                    let otherwise = lower_at(m, b, src, d);
                    Expr::Cond {
                        test,
                        then,
                        otherwise,
                    }
                }
                _ => Expr::Opaque(vec![]),
            }
        }
        "identifier" | "shorthand_property_identifier" => {
            if text(n, src) == "undefined" {
                Expr::Lit(Literal::Undefined)
            } else {
                Expr::Name {
                    name: text(n, src).to_string(),
                    scope: scope_at(m, n),
                    at: n.start_byte(),
                }
            }
        }
        "member_expression" if is_env_object(text(n, src)) => Expr::EnvObject,
        "member_expression" => {
            let (Some(obj), Some(prop)) = (
                n.child_by_field_name("object"),
                n.child_by_field_name("property"),
            ) else {
                return m.add(Expr::Opaque(vec![]), range);
            };
            if is_env_object(text(obj, src)) {
                let unset = m.add(Expr::Lit(Literal::Undefined), range.clone());
                Expr::Env {
                    var: text(prop, src).to_string(),
                    default: Some(unset),
                }
            } else {
                Expr::Attr {
                    object: lower_at(m, obj, src, d),
                    name: text(prop, src).to_string(),
                }
            }
        }
        "subscript_expression" => {
            let (Some(obj), Some(idx)) = (
                n.child_by_field_name("object"),
                n.child_by_field_name("index"),
            ) else {
                return m.add(Expr::Opaque(vec![]), range);
            };
            match string_value(idx, src) {
                Some(k) if is_env_object(text(obj, src)) => {
                    let unset = m.add(Expr::Lit(Literal::Undefined), range.clone());
                    Expr::Env {
                        var: k,
                        default: Some(unset),
                    }
                }
                Some(k) => Expr::Key {
                    object: lower_at(m, obj, src, d),
                    key: k,
                    default: None,
                    fallback_env: false,
                },
                None => {
                    let o = lower_at(m, obj, src, d);
                    let i = lower_at(m, idx, src, d);
                    Expr::Opaque(vec![o, i])
                }
            }
        }
        "call_expression" => lower_call(m, n, src, d),
        "arrow_function" | "function_expression" | "function" | "generator_function" | "class" => {
            Expr::Function
        }
        _ => {
            let mut c = n.walk();
            let kids: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment" && !x.kind().ends_with("type"))
                .collect();
            let parts = kids.into_iter().map(|x| lower_at(m, x, src, d)).collect();
            Expr::Opaque(parts)
        }
    };
    m.add(expr, range)
}

fn lower_object(m: &mut Module, n: Node, src: &str, d: usize) -> Expr {
    let mut props = Vec::new();
    let mut c = n.walk();
    for p in n.named_children(&mut c) {
        match p.kind() {
            "pair" => {
                let (Some(k), Some(v)) =
                    (p.child_by_field_name("key"), p.child_by_field_name("value"))
                else {
                    continue;
                };
                let name = match k.kind() {
                    "property_identifier" | "number" => Some(text(k, src).to_string()),
                    "string" => string_value(k, src),
                    _ => None,
                };
                match name {
                    Some(key) => {
                        let value = lower_at(m, v, src, d);
                        props.push(Prop::Entry {
                            key,
                            key_range: k.byte_range(),
                            value,
                            whole: p.byte_range(),
                        });
                    }
                    None => props.push(Prop::Opaque {
                        whole: p.byte_range(),
                    }),
                }
            }
            "shorthand_property_identifier" => {
                let value = lower_at(m, p, src, d);
                props.push(Prop::Entry {
                    key: text(p, src).to_string(),
                    key_range: p.byte_range(),
                    value,
                    whole: p.byte_range(),
                });
            }
            "method_definition" => {
                if let Some(name) = p.child_by_field_name("name") {
                    let value = m.add(Expr::Function, p.byte_range());
                    props.push(Prop::Entry {
                        key: text(name, src).to_string(),
                        key_range: name.byte_range(),
                        value,
                        whole: p.byte_range(),
                    });
                }
            }
            "spread_element" => {
                if let Some(inner) = p.named_child(0) {
                    let value = lower_at(m, inner, src, d);
                    props.push(Prop::Spread {
                        value,
                        whole: p.byte_range(),
                    });
                }
            }
            "comment" => {}
            _ => props.push(Prop::Opaque {
                whole: p.byte_range(),
            }),
        }
    }
    Expr::Object {
        props,
        literal: Some(arg_list(n)),
    }
}

fn lower_call(m: &mut Module, n: Node, src: &str, d: usize) -> Expr {
    let Some(f) = n.child_by_field_name("function") else {
        return Expr::Opaque(vec![]);
    };
    let ft = text(f, src);
    let args: Vec<Node> = match n.child_by_field_name("arguments") {
        Some(a) => {
            let mut c = a.walk();
            a.named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect()
        }
        None => vec![],
    };
    match (ft, args.as_slice()) {
        ("require", [one]) => {
            if let Some(spec) = string_value(*one, src) {
                return Expr::Import { spec, name: None };
            }
        }
        ("Boolean", [one]) => return Expr::Convert(Conversion::Bool, lower_at(m, *one, src, d)),
        ("String", [one]) => return Expr::Convert(Conversion::Str, lower_at(m, *one, src, d)),
        ("Object.assign", list) if !list.is_empty() => {
            let props = list
                .iter()
                .map(|a| Prop::Spread {
                    value: lower_at(m, *a, src, d),
                    whole: a.byte_range(),
                })
                .collect();
            return Expr::Object {
                props,
                literal: None,
            };
        }
        _ => {}
    }
    if f.kind() == "member_expression" {
        let method = f
            .child_by_field_name("property")
            .map(|p| text(p, src))
            .unwrap_or("");
        let obj = f.child_by_field_name("object");
        if args.is_empty() {
            let conv = match method {
                "toLowerCase" | "toLocaleLowerCase" => Some(Conversion::Lower),
                "toUpperCase" | "toLocaleUpperCase" => Some(Conversion::Upper),
                "trim" => Some(Conversion::Strip),
                _ => None,
            };
            if let (Some(conv), Some(obj)) = (conv, obj) {
                return Expr::Convert(conv, lower_at(m, obj, src, d));
            }
        }
        // `config.get("key", default)`: the key of a known object, or else a settings read.
        if method == "get" {
            if let (Some(obj), Some(key)) = (obj, args.first().and_then(|a| string_value(*a, src)))
            {
                let default = args.get(1).map(|x| lower_at(m, *x, src, d));
                let object = lower_at(m, obj, src, d);
                return Expr::Key {
                    object,
                    key,
                    default,
                    fallback_env: default.is_some(),
                };
            }
        }
    }
    // A settings reader: the setting's name and a literal default (`getEnv("X", "false")`,
    // `config.bool("sentry.pii", false)`).
    if let (Some(first), Some(default)) = (args.first(), args.get(1)) {
        if let (Some(var), true) = (string_value(*first, src), is_literal(*default, src)) {
            let default = Some(lower_at(m, *default, src, d));
            let last = ft.rsplit('.').next().unwrap_or(ft).to_ascii_lowercase();
            let read = Expr::Env { var, default };
            return if last.contains("bool") {
                let inner = m.add(read, n.byte_range());
                Expr::Convert(Conversion::ParseBool, inner)
            } else {
                read
            };
        }
    }
    let mut parts = Vec::new();
    if f.kind() == "member_expression" {
        if let Some(obj) = f.child_by_field_name("object") {
            parts.push(lower_at(m, obj, src, d));
        }
    }
    for a in args {
        parts.push(lower_at(m, a, src, d));
    }
    Expr::Opaque(parts)
}

/// A literal as written.
fn is_literal(n: Node, src: &str) -> bool {
    let n = unwrap(n);
    match n.kind() {
        "true" | "false" | "null" | "undefined" | "number" => true,
        "string" | "template_string" => string_value(n, src).is_some(),
        "unary_expression" => n
            .child_by_field_name("argument")
            .is_some_and(|a| a.kind() == "number"),
        _ => false,
    }
}
