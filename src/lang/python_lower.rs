//! Python syntax lowered into the shared [`Expr`](super::eval::Expr): the bindings of a file
//! (assignments, dict mutations, parameters, definitions, imports) and the expressions the
//! extraction asks about.

use tree_sitter::Node;

use super::eval::{
    Compare, Conversion, Elem, Expr, ExprId, Guard, Logic, Module, Prop, ScopeId, ROOT_SCOPE,
};
use super::{arg_list, text, walk};
use crate::model::Literal;

/// Node kinds that open a scope.
pub const SCOPES: &[&str] = &["function_definition", "lambda", "class_definition"];

/// Node kinds whose body runs only on some paths.
pub const BRANCHES: &[&str] = &[
    "if_statement",
    "elif_clause",
    "else_clause",
    "try_statement",
    "except_clause",
    "for_statement",
    "while_statement",
    "match_statement",
    "case_clause",
];

/// Functions that read an environment variable or a setting by name: `os.getenv("X", d)`.
const ENV_FUNCTIONS: &[&str] = &[
    "os.getenv",
    "getenv",
    "os.environ.get",
    "environ.get",
    "os.environ.setdefault",
    "env",
    "config",
    "get_from_env",
];

/// Conversions from a string to a boolean, by function name.
fn parses_bool(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    last.contains("bool") || matches!(last.as_str(), "truthy" | "is_true" | "is_truthy")
}

/// `settings`, `django.conf.settings`, `app.config`, `get_settings()`, `self.settings`.
pub fn settings_like(t: &str) -> bool {
    let t = t.trim_end_matches("()").to_ascii_lowercase();
    let last = t.rsplit('.').next().unwrap_or(&t);
    last.ends_with("settings") || last == "config" || last == "conf" || last == "cfg"
}

/// The value of a string literal without interpolation (raw escapes kept except `\\`, `\"`, `\'`).
pub fn string_value(node: Node, src: &str) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            let mut raw = false;
            for c in node.children(&mut cursor) {
                match c.kind() {
                    "string_start" => raw = text(c, src).to_ascii_lowercase().contains('r'),
                    "interpolation" => return None,
                    "string_content" => {
                        let t = text(c, src);
                        if raw {
                            out.push_str(t);
                        } else {
                            out.push_str(&unescape(t));
                        }
                    }
                    "escape_sequence" => out.push_str(&unescape(text(c, src))),
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for c in node.named_children(&mut cursor) {
                out.push_str(&string_value(c, src)?);
            }
            Some(out)
        }
        _ => None,
    }
}

fn unescape(s: &str) -> String {
    s.replace("\\\\", "\u{0}")
        .replace("\\\"", "\"")
        .replace("\\'", "'")
        .replace("\\n", "\n")
        .replace('\u{0}', "\\")
}

/// The condition of an `if`/`elif`, the negated condition for its `else`, or the header of a
/// loop, `try`, `except` or `case`.
pub fn branch_condition(branch: Node, src: &str) -> Guard {
    let condition_of = |n: Node| n.child_by_field_name("condition").map(|c| text(c, src));
    let condition = match branch.kind() {
        "if_statement" | "elif_clause" => condition_of(branch).map(str::to_string),
        "else_clause" => branch
            .parent()
            .filter(|p| p.kind() == "if_statement")
            .and_then(condition_of)
            .map(|c| format!("not ({c})")),
        _ => None,
    };
    super::branch_guard(branch, src, condition, ':')
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
            if m.tracked_kept() {
                bind_definition(m, n, parent, src);
            }
            if kept {
                bind_parameters(m, n, scope, src);
            }
        },
        |m, n| match n.kind() {
            "assignment" => bind_assignment(m, n, n, src),
            "augmented_assignment" => bind_augmented(m, n, src),
            "named_expression" => {
                if let (Some(name), Some(v)) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ) {
                    let e = lower(m, v, src);
                    let scope = scope_at(m, n);
                    let g = guard(m, n, src);
                    m.bind(text(name, src), scope, n.end_byte(), g, e);
                }
            }
            "expression_statement" => {
                if let Some(call) = n.named_child(0).filter(|c| c.kind() == "call") {
                    bind_update(m, call, n, src);
                }
            }
            "for_statement" => {
                if let Some(left) = n.child_by_field_name("left") {
                    bind_unknown_targets(m, left, n, src);
                }
            }
            "as_pattern" => {
                if let Some(alias) = n.child_by_field_name("alias") {
                    bind_unknown_targets(m, alias, n, src);
                }
            }
            "import_statement" | "import_from_statement" => bind_imports(m, n, src),
            _ => {}
        },
    )
}

/// `def f` / `class C` bind their name in the enclosing scope.
fn bind_definition(m: &mut Module, n: Node, scope: ScopeId, src: &str) {
    if n.kind() == "lambda" {
        return;
    }
    if let Some(name) = n.child_by_field_name("name") {
        let e = m.add(Expr::Function, n.byte_range());
        // Visible from its start: a decorator or a recursive call sees it.
        m.bind(text(name, src), scope, n.start_byte(), guard(m, n, src), e);
    }
}

/// Parameters are bound inside the function to values the caller decides.
fn bind_parameters(m: &mut Module, n: Node, scope: ScopeId, src: &str) {
    let Some(params) = n.child_by_field_name("parameters") else {
        return;
    };
    let mut c = params.walk();
    for p in params.named_children(&mut c) {
        let name = match p.kind() {
            "identifier" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
            "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                let mut pc = p.walk();
                let found = p.named_children(&mut pc).find(|x| x.kind() == "identifier");
                found
            }
            _ => None,
        };
        if let Some(name) = name {
            let e = m.add(Expr::Opaque(vec![]), p.byte_range());
            m.bind(text(name, src), scope, params.start_byte(), vec![], e);
        }
    }
}

/// Every name a target (`for a, b in ...`, `with ... as x`) binds, to unknown values.
fn bind_unknown_targets(m: &mut Module, target: Node, stmt: Node, src: &str) {
    let scope = scope_at(m, stmt);
    let g = guard(m, target, src);
    let mut names = Vec::new();
    walk(target, |x| {
        if x.kind() == "identifier" {
            names.push(x);
        }
        !matches!(x.kind(), "attribute" | "subscript")
    });
    for name in names {
        let e = m.add(Expr::Opaque(vec![]), target.byte_range());
        m.bind(text(name, src), scope, target.end_byte(), g.clone(), e);
    }
}

/// `from m import a as b` / `import a.b as c`: the name stands for something of another module.
fn bind_imports(m: &mut Module, n: Node, src: &str) {
    let scope = scope_at(m, n);
    let g = guard(m, n, src);
    // `from m import ...`: the module as written, relative dots included.
    let from = n
        .child_by_field_name("module_name")
        .map(|x| text(x, src).to_string());
    if let Some(spec) = &from {
        let mut c = n.walk();
        if n.children(&mut c).any(|x| x.kind() == "wildcard_import") && scope == ROOT_SCOPE {
            m.export_star(spec, n.byte_range());
        }
    }
    let mut cursor = n.walk();
    for name in n.children_by_field_name("name", &mut cursor) {
        let (orig, local) = match name.kind() {
            "aliased_import" => (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ),
            _ => (Some(name), Some(name)),
        };
        let (Some(orig), Some(local)) = (orig, local) else {
            continue;
        };
        let (bound, expr) = match &from {
            Some(spec) => (
                text(local, src).to_string(),
                Expr::Import {
                    spec: spec.clone(),
                    name: Some(text(orig, src).to_string()),
                },
            ),
            // `import a.b as c` binds `c` to `a.b`; `import a.b` binds `a` to `a`.
            None if name.kind() == "aliased_import" => (
                text(local, src).to_string(),
                Expr::Import {
                    spec: text(orig, src).to_string(),
                    name: None,
                },
            ),
            None => {
                let top = text(local, src).split('.').next().unwrap_or("").to_string();
                (
                    top.clone(),
                    Expr::Import {
                        spec: top,
                        name: None,
                    },
                )
            }
        };
        let e = m.add(expr, n.byte_range());
        m.bind(&bound, scope, n.end_byte(), g.clone(), e);
    }
}

/// `x = value`, `x = y = value`, `x["key"] = value`, `x: T = value`.
fn bind_assignment(m: &mut Module, n: Node, stmt: Node, src: &str) {
    let (Some(left), Some(right)) = (
        n.child_by_field_name("left"),
        n.child_by_field_name("right"),
    ) else {
        return;
    };
    // `a = b = v`: tree-sitter nests the second assignment as the right side.
    let value_node = if right.kind() == "assignment" {
        bind_assignment(m, right, stmt, src);
        match innermost_value(right) {
            Some(v) => v,
            None => return,
        }
    } else {
        right
    };
    let scope = scope_at(m, stmt);
    let g = guard(m, stmt, src);
    match left.kind() {
        "identifier" => {
            let e = lower(m, value_node, src);
            m.bind(text(left, src), scope, stmt.end_byte(), g, e);
        }
        "subscript" => {
            let (Some(obj), Some(key)) = (
                left.child_by_field_name("value"),
                left.child_by_field_name("subscript"),
            ) else {
                return;
            };
            if obj.kind() != "identifier" {
                return;
            }
            let Some(k) = string_value(key, src) else {
                return;
            };
            let name = text(obj, src);
            let before = m.read(name, scope, stmt.start_byte(), obj.byte_range());
            let v = lower(m, value_node, src);
            let e = m.add(
                Expr::Object {
                    props: vec![
                        Prop::Spread {
                            value: before,
                            whole: obj.byte_range(),
                        },
                        Prop::Entry {
                            key: k,
                            key_range: key.byte_range(),
                            value: v,
                            whole: stmt.byte_range(),
                        },
                    ],
                    literal: None,
                },
                stmt.byte_range(),
            );
            m.bind(name, scope, stmt.end_byte(), g, e);
        }
        "pattern_list" | "tuple_pattern" | "list_pattern" => {
            bind_unknown_targets(m, left, stmt, src)
        }
        _ => {}
    }
}

fn innermost_value(n: Node) -> Option<Node> {
    let mut cur = n;
    loop {
        let r = cur.child_by_field_name("right")?;
        if r.kind() == "assignment" {
            cur = r;
        } else {
            return Some(r);
        }
    }
}

/// `x |= {...}` (a dict merge); other operators make `x` unknown.
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
    let scope = scope_at(m, n);
    let name = text(left, src);
    let op = n
        .child_by_field_name("operator")
        .map(|o| text(o, src))
        .unwrap_or("");
    let e = if op == "|=" {
        let before = m.read(name, scope, n.start_byte(), left.byte_range());
        let added = lower(m, right, src);
        m.add(
            Expr::Object {
                props: vec![
                    Prop::Spread {
                        value: before,
                        whole: left.byte_range(),
                    },
                    Prop::Spread {
                        value: added,
                        whole: right.byte_range(),
                    },
                ],
                literal: None,
            },
            n.byte_range(),
        )
    } else {
        m.add(Expr::Opaque(vec![]), n.byte_range())
    };
    m.bind(name, scope, n.end_byte(), guard(m, n, src), e);
}

/// `x.update(other, key=value)` as a statement: `x` now also has those entries.
fn bind_update(m: &mut Module, call: Node, stmt: Node, src: &str) {
    let Some(f) = call.child_by_field_name("function") else {
        return;
    };
    if f.kind() != "attribute" {
        return;
    }
    let (Some(obj), Some(attr)) = (
        f.child_by_field_name("object"),
        f.child_by_field_name("attribute"),
    ) else {
        return;
    };
    if obj.kind() != "identifier" || text(attr, src) != "update" {
        return;
    }
    let scope = scope_at(m, stmt);
    let name = text(obj, src);
    let before = m.read(name, scope, stmt.start_byte(), obj.byte_range());
    let mut props = vec![Prop::Spread {
        value: before,
        whole: obj.byte_range(),
    }];
    if let Some(args) = call.child_by_field_name("arguments") {
        call_props(m, args, src, &mut props, 0);
    }
    let e = m.add(
        Expr::Object {
            props,
            literal: None,
        },
        stmt.byte_range(),
    );
    m.bind(name, scope, stmt.end_byte(), guard(m, stmt, src), e);
}

/// The entries of `dict(...)` / `x.update(...)` arguments: keywords, `**x`, and positional
/// mappings.
fn call_props(m: &mut Module, args: Node, src: &str, props: &mut Vec<Prop>, depth: usize) {
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (
                    a.child_by_field_name("name"),
                    a.child_by_field_name("value"),
                ) {
                    let value = lower_at(m, v, src, depth + 1);
                    props.push(Prop::Entry {
                        key: text(k, src).to_string(),
                        key_range: k.byte_range(),
                        value,
                        whole: a.byte_range(),
                    });
                }
            }
            "dictionary_splat" => {
                let inner = a.named_child(0).unwrap_or(a);
                let value = lower_at(m, inner, src, depth + 1);
                props.push(Prop::Spread {
                    value,
                    whole: a.byte_range(),
                });
            }
            "comment" => {}
            _ => {
                let value = lower_at(m, a, src, depth + 1);
                props.push(Prop::Spread {
                    value,
                    whole: a.byte_range(),
                });
            }
        }
    }
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
    let expr = match n.kind() {
        "parenthesized_expression" => {
            let mut c = n.walk();
            let inner = n.named_children(&mut c).find(|x| x.kind() != "comment");
            return match inner {
                // `(x)` is x, with its own range (fixes rewrite the whole value).
                Some(i) => {
                    let e = lower_at(m, i, src, d);
                    let expr = m.expr(e).clone();
                    m.add(expr, range)
                }
                None => m.add(Expr::Opaque(vec![]), range),
            };
        }
        "true" => Expr::Lit(Literal::Bool(true)),
        "false" => Expr::Lit(Literal::Bool(false)),
        "none" => Expr::Lit(Literal::Null),
        "integer" | "float" => match Literal::parse_number(text(n, src)) {
            Some(l) => Expr::Lit(l),
            None => Expr::Opaque(vec![]),
        },
        "string" | "concatenated_string" => match string_value(n, src) {
            Some(s) => Expr::Lit(Literal::Str(s)),
            None => {
                // An f-string: environment-dependent through what it interpolates.
                let mut parts = Vec::new();
                for i in super::descendants_of_kind(n, &["interpolation"]) {
                    if let Some(x) = i.named_child(0) {
                        parts.push(lower_at(m, x, src, d));
                    }
                }
                Expr::Opaque(parts)
            }
        },
        "dictionary" => {
            let mut props = Vec::new();
            let mut c = n.walk();
            for child in n.named_children(&mut c) {
                match child.kind() {
                    "pair" => {
                        let (Some(k), Some(v)) = (
                            child.child_by_field_name("key"),
                            child.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        match string_value(k, src) {
                            Some(key) => {
                                let value = lower_at(m, v, src, d);
                                props.push(Prop::Entry {
                                    key,
                                    key_range: k.byte_range(),
                                    value,
                                    whole: child.byte_range(),
                                });
                            }
                            None => props.push(Prop::Opaque {
                                whole: child.byte_range(),
                            }),
                        }
                    }
                    "dictionary_splat" => {
                        let inner = child.named_child(0).unwrap_or(child);
                        let value = lower_at(m, inner, src, d);
                        props.push(Prop::Spread {
                            value,
                            whole: child.byte_range(),
                        });
                    }
                    "comment" => {}
                    _ => props.push(Prop::Opaque {
                        whole: child.byte_range(),
                    }),
                }
            }
            Expr::Object {
                props,
                literal: Some(arg_list(n)),
            }
        }
        "list" | "tuple" | "set" => {
            let mut c = n.walk();
            let kids: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect();
            let elems = kids
                .into_iter()
                .map(|x| match x.kind() {
                    "list_splat" => Elem::Spread(lower_at(m, x, src, d)),
                    _ => Elem::Item(lower_at(m, x, src, d)),
                })
                .collect();
            Expr::List(elems)
        }
        "not_operator" => match n.child_by_field_name("argument") {
            Some(a) => Expr::Not(lower_at(m, a, src, d)),
            None => Expr::Opaque(vec![]),
        },
        "unary_operator" => {
            let op = n.child_by_field_name("operator").map(|o| text(o, src));
            match (op, n.child_by_field_name("argument")) {
                (Some("-"), Some(a)) => {
                    let inner = lower_at(m, a, src, d);
                    // `-1` is a literal as written.
                    match m.expr(inner) {
                        Expr::Lit(l) => match l.clone().negated() {
                            Some(l) => Expr::Lit(l),
                            None => Expr::Neg(inner),
                        },
                        _ => Expr::Neg(inner),
                    }
                }
                (Some("+"), Some(a)) => return lower_at(m, a, src, d),
                (_, Some(a)) => Expr::Opaque(vec![lower_at(m, a, src, d)]),
                _ => Expr::Opaque(vec![]),
            }
        }
        "boolean_operator" => {
            let op = n.child_by_field_name("operator").map(|o| text(o, src));
            match (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
                op,
            ) {
                (Some(l), Some(r), Some(op)) => {
                    let l = lower_at(m, l, src, d);
                    let r = lower_at(m, r, src, d);
                    Expr::Logical(if op == "and" { Logic::And } else { Logic::Or }, l, r)
                }
                _ => Expr::Opaque(vec![]),
            }
        }
        "comparison_operator" => {
            let mut c = n.walk();
            let operands: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect();
            if operands.len() == 2 {
                let between = src
                    .get(operands[0].end_byte()..operands[1].start_byte())
                    .unwrap_or("");
                let op: Vec<&str> = between.split_whitespace().collect();
                let op = match op.as_slice() {
                    ["=="] | ["is"] => Some(Compare::Eq),
                    ["!="] | ["is", "not"] => Some(Compare::Ne),
                    ["in"] => Some(Compare::In),
                    ["not", "in"] => Some(Compare::NotIn),
                    _ => None,
                };
                let l = lower_at(m, operands[0], src, d);
                let r = lower_at(m, operands[1], src, d);
                match op {
                    Some(op) => Expr::Compare(op, l, r),
                    None => Expr::Opaque(vec![l, r]),
                }
            } else {
                let parts = operands
                    .into_iter()
                    .map(|x| lower_at(m, x, src, d))
                    .collect();
                Expr::Opaque(parts)
            }
        }
        "conditional_expression" => {
            let mut c = n.walk();
            let parts: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect();
            if parts.len() == 3 {
                let then = lower_at(m, parts[0], src, d);
                let test = lower_at(m, parts[1], src, d);
                let otherwise = lower_at(m, parts[2], src, d);
                Expr::Cond {
                    test,
                    then,
                    otherwise,
                }
            } else {
                Expr::Opaque(vec![])
            }
        }
        "identifier" => Expr::Name {
            name: text(n, src).to_string(),
            scope: scope_at(m, n),
            at: n.start_byte(),
        },
        "attribute" if text(n, src) == "os.environ" => Expr::EnvObject,
        "attribute" => {
            let (Some(obj), Some(attr)) = (
                n.child_by_field_name("object"),
                n.child_by_field_name("attribute"),
            ) else {
                return m.add(Expr::Opaque(vec![]), range);
            };
            if matches!(text(obj, src), "settings" | "django.conf.settings") {
                // Django's settings: the settings module's value when it can be found.
                Expr::Setting {
                    name: text(attr, src).to_string(),
                    object: lower_at(m, obj, src, d),
                }
            } else if settings_like(text(obj, src)) {
                Expr::Env {
                    var: text(attr, src).to_string(),
                    default: None,
                }
            } else {
                Expr::Attr {
                    object: lower_at(m, obj, src, d),
                    name: text(attr, src).to_string(),
                }
            }
        }
        "subscript" => {
            let (Some(obj), Some(key)) = (
                n.child_by_field_name("value"),
                n.child_by_field_name("subscript"),
            ) else {
                return m.add(Expr::Opaque(vec![]), range);
            };
            let ot = text(obj, src);
            match string_value(key, src) {
                Some(k) if matches!(ot, "os.environ" | "environ") || settings_like(ot) => {
                    Expr::Env {
                        var: k,
                        default: None,
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
                    let k = lower_at(m, key, src, d);
                    Expr::Opaque(vec![o, k])
                }
            }
        }
        "call" => lower_call(m, n, src, d),
        "lambda" => Expr::Function,
        _ => {
            let mut c = n.walk();
            let kids: Vec<Node> = n
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .collect();
            let parts = kids.into_iter().map(|x| lower_at(m, x, src, d)).collect();
            Expr::Opaque(parts)
        }
    };
    m.add(expr, range)
}

/// The positional and keyword arguments of a call.
struct Args<'t> {
    positional: Vec<Node<'t>>,
    keywords: Vec<(&'t str, Node<'t>)>,
    splats: Vec<Node<'t>>,
}

fn args_of<'t>(call: Node<'t>, src: &'t str) -> Args<'t> {
    let mut out = Args {
        positional: vec![],
        keywords: vec![],
        splats: vec![],
    };
    if let Some(args) = call.child_by_field_name("arguments") {
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        a.child_by_field_name("name"),
                        a.child_by_field_name("value"),
                    ) {
                        out.keywords.push((text(k, src), v));
                    }
                }
                "comment" => {}
                "dictionary_splat" | "list_splat" => out.splats.push(a),
                _ => out.positional.push(a),
            }
        }
    }
    out
}

fn lower_call(m: &mut Module, n: Node, src: &str, d: usize) -> Expr {
    let Some(f) = n.child_by_field_name("function") else {
        return Expr::Opaque(vec![]);
    };
    let ft = text(f, src);
    let args = args_of(n, src);
    let keyword = |k: &str| args.keywords.iter().find(|(n, _)| *n == k).map(|x| x.1);
    if ft == "dict" {
        let mut props = Vec::new();
        if let Some(a) = n.child_by_field_name("arguments") {
            call_props(m, a, src, &mut props, d);
        }
        return Expr::Object {
            props,
            literal: None,
        };
    }
    if let (Some(conv), [one], true) = (
        match ft {
            "bool" => Some(Conversion::Bool),
            "str" => Some(Conversion::Str),
            "int" | "float" => None,
            _ if parses_bool(ft) => Some(Conversion::ParseBool),
            _ => None,
        },
        args.positional.as_slice(),
        args.keywords.is_empty(),
    ) {
        // `env.bool("X", default=...)` is a settings read, below; `strtobool(x)` converts x.
        let is_reader = string_value(*one, src).is_some();
        if !is_reader {
            return Expr::Convert(conv, lower_at(m, *one, src, d));
        }
    }
    if matches!(ft, "int" | "float") && args.positional.len() == 1 {
        return Expr::Opaque(vec![lower_at(m, args.positional[0], src, d)]);
    }
    // `x.lower()`, `x.strip()`: a conversion of x.
    if f.kind() == "attribute" && args.positional.is_empty() && args.keywords.is_empty() {
        let method = f
            .child_by_field_name("attribute")
            .map(|a| text(a, src))
            .unwrap_or("");
        let conv = match method {
            "lower" | "casefold" => Some(Conversion::Lower),
            "upper" => Some(Conversion::Upper),
            "strip" => Some(Conversion::Strip),
            _ => None,
        };
        if let (Some(conv), Some(obj)) = (conv, f.child_by_field_name("object")) {
            return Expr::Convert(conv, lower_at(m, obj, src, d));
        }
    }
    // `getattr(obj, "NAME", default)`.
    if ft == "getattr" && args.positional.len() >= 2 {
        if let Some(name) = string_value(args.positional[1], src) {
            let obj = args.positional[0];
            let default = args.positional.get(2).map(|x| lower_at(m, *x, src, d));
            if default.is_some() || settings_like(text(obj, src)) {
                return Expr::Env { var: name, default };
            }
            return Expr::Attr {
                object: lower_at(m, obj, src, d),
                name,
            };
        }
    }
    // `x.get("key", default)`: the key of a known dict, or else a settings read.
    if f.kind() == "attribute" && !args.positional.is_empty() {
        let method = f
            .child_by_field_name("attribute")
            .map(|a| text(a, src))
            .unwrap_or("");
        if let (Some(obj), Some(key)) = (
            f.child_by_field_name("object"),
            string_value(args.positional[0], src),
        ) {
            let obj_text = text(obj, src);
            if method == "get" && !matches!(obj_text, "os.environ" | "environ") {
                let default = args
                    .positional
                    .get(1)
                    .copied()
                    .or_else(|| keyword("default"))
                    .map(|x| lower_at(m, x, src, d));
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
    // Settings readers: a call whose first argument names the setting. The known environment
    // functions read it with or without a default; any other call does when it has a literal
    // default (`get_from_env("X", default=False)`, `CONFIG.y_bool("a.b", False)`).
    if let Some(first) = args.positional.first() {
        if let Some(var) = string_value(*first, src) {
            let default_node = args
                .positional
                .get(1)
                .copied()
                .or_else(|| keyword("default"));
            let default_is_literal = default_node.is_some_and(|x| is_literal(x, src));
            let env_fn = ENV_FUNCTIONS.contains(&ft)
                || (f.kind() == "attribute"
                    && f.child_by_field_name("object").map(|o| text(o, src)) == Some("env"));
            if env_fn || default_is_literal {
                let default = match default_node {
                    Some(x) => Some(lower_at(m, x, src, d)),
                    // `os.getenv("X")` is None when X is unset.
                    None if matches!(
                        ft,
                        "os.getenv" | "getenv" | "os.environ.get" | "environ.get"
                    ) =>
                    {
                        Some(m.add(Expr::Lit(Literal::Null), first.byte_range()))
                    }
                    None => None,
                };
                let cast = keyword("cast").or_else(|| keyword("type_cast"));
                let read = Expr::Env { var, default };
                let to_bool = cast
                    .is_some_and(|c| text(c, src) == "bool" || parses_bool(text(c, src)))
                    || parses_bool(ft);
                return if to_bool {
                    let inner = m.add(read, n.byte_range());
                    Expr::Convert(Conversion::ParseBool, inner)
                } else {
                    read
                };
            }
        }
    }
    // Anything else: unknown, environment-dependent through its arguments or the object whose
    // method it calls.
    let mut parts = Vec::new();
    if f.kind() == "attribute" {
        if let Some(obj) = f.child_by_field_name("object") {
            parts.push(lower_at(m, obj, src, d));
        }
    }
    for a in args.positional.iter().chain(args.splats.iter()) {
        parts.push(lower_at(m, *a, src, d));
    }
    for (_, v) in &args.keywords {
        parts.push(lower_at(m, *v, src, d));
    }
    Expr::Opaque(parts)
}

/// A literal as written: a constant, or a negative number.
fn is_literal(n: Node, src: &str) -> bool {
    match n.kind() {
        "true" | "false" | "none" | "integer" | "float" => true,
        "string" | "concatenated_string" => string_value(n, src).is_some(),
        "unary_operator" => n
            .child_by_field_name("argument")
            .is_some_and(|a| matches!(a.kind(), "integer" | "float")),
        _ => false,
    }
}
