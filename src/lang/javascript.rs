//! JavaScript and TypeScript: `Sentry.init({...})` for any import or `require` of an `@sentry/*`
//! package (and the loader's global `Sentry`), the replay integration in all its forms, and the root
//! elements of components in customer-data route files.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::syntax::Flat;

use super::eval::{self, Cx, EvalState, Module};
use super::javascript_lower::{self, string_value};
use super::modules::Modules;
use super::{arg_list, text, walk, Bindings, Grammar};
use crate::model::{FileModel, Integration, JsxRoot, Options, PythonInit, Replay, Sdk, SentryInit};
use crate::source::SourceFile;

static GRAMMAR: Grammar = Grammar {
    scopes: javascript_lower::SCOPES,
    branches: javascript_lower::BRANCHES,
};

const MAX_DEPTH: usize = 12;

struct Js<'t> {
    src: &'t str,
    file: &'t SourceFile,
    modules: Option<&'t Modules>,
    bindings: Bindings<'t>,
    /// Local names of a Sentry package namespace (`Sentry`, `SentryReact`).
    namespaces: HashSet<String>,
    /// Named imports from Sentry packages: local name → exported name.
    named: HashMap<String, String>,
    /// The Sentry package each local name was imported from.
    packages: HashMap<String, String>,
    /// The file loads the replay integration lazily (`lazyLoadIntegration("replayIntegration")`):
    /// a call of a function named `replayIntegration` is that integration.
    lazy_replay: bool,
    /// The file's bindings and expressions, lowered for the evaluator.
    module: RefCell<Module>,
    /// The evaluation shared by the whole file.
    state: RefCell<EvalState>,
}

pub fn extract<'t>(
    file: &'t SourceFile,
    flat: &Flat<'t>,
    route_masks: Option<&[String]>,
    modules: Option<&'t Modules>,
) -> FileModel {
    let src = file.text.as_str();
    let root = flat.root();
    let mut pairs = Vec::new();
    let mut imports = Vec::new();
    let mut calls = Vec::new();
    let mut declarators = Vec::new();
    flat.walk(|n| {
        match n.kind() {
            "variable_declarator" => {
                declarators.push(n);
                if let (Some(name), Some(value)) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ) {
                    if name.kind() == "identifier" {
                        pairs.push((text(name, src).to_string(), value, n));
                    }
                }
            }
            "import_statement" => imports.push(n),
            "call_expression" => calls.push(n),
            _ => {}
        }
        true
    });
    let mut js = Js {
        src,
        file,
        modules,
        bindings: Bindings::new(root, &GRAMMAR, pairs),
        namespaces: HashSet::new(),
        named: HashMap::new(),
        packages: HashMap::new(),
        lazy_replay: false,
        module: RefCell::new(javascript_lower::module(
            flat,
            src,
            Some(&super::scopes_around(&calls, src, &GRAMMAR)),
        )),
        state: RefCell::new(EvalState::default()),
    };
    let mut sentry_shadowed = false;
    for n in imports {
        sentry_shadowed |= js.read_import(n);
    }
    for d in declarators {
        sentry_shadowed |= js.read_require(d);
    }
    if !sentry_shadowed {
        // The loader script and CDN bundles define a global `Sentry`.
        js.namespaces.insert("Sentry".into());
        js.namespaces.insert("window.Sentry".into());
    }
    js.lazy_replay = calls.iter().any(|c| {
        c.child_by_field_name("function")
            .is_some_and(|f| text(f, src).ends_with("lazyLoadIntegration"))
            && c.child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
                .and_then(|a| string_value(a, src))
                .is_some_and(|s| s == "replayIntegration")
    });
    let mut model = FileModel::default();
    let mut added_replays = Vec::new();
    for call in &calls {
        if js.is_sentry_fn(call.child_by_field_name("function"), "init") {
            model.inits.push(js.init(*call));
        } else if let Some(f) = call.child_by_field_name("function") {
            // `Sentry.addIntegration(replay)`, `client.addIntegration(replay)`.
            let is_add = match f.kind() {
                "member_expression" => f
                    .child_by_field_name("property")
                    .is_some_and(|p| text(p, src) == "addIntegration"),
                "identifier" => js
                    .named
                    .get(text(f, src))
                    .is_some_and(|n| n == "addIntegration"),
                _ => false,
            };
            if is_add {
                if let Some(arg) = call
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                {
                    if let Some(r) = js.find_replay(arg) {
                        added_replays.push(r);
                    }
                }
            }
        }
    }
    for r in added_replays {
        if let Some(init) = model.inits.iter_mut().find(|i| i.replay.is_none()) {
            init.replay = Some(r);
        }
    }
    if let Some(masks) = route_masks {
        model.jsx_roots = jsx_roots(root, src, masks);
    }
    model.foreign = std::mem::take(&mut js.state.borrow_mut().foreign);
    model
}

/// Does the node name a binding? A shorthand property (`{ dsn, sendDefaultPii }`) is both a key and
/// a reference to the variable of that name.
fn is_reference(n: Node) -> bool {
    matches!(n.kind(), "identifier" | "shorthand_property_identifier")
}

fn is_sentry_package(s: &str) -> bool {
    s.starts_with("@sentry/") || s == "@sentry"
}

impl<'t> Js<'t> {
    fn t(&self, n: Node) -> &'t str {
        text(n, self.src)
    }

    /// Read an import; returns true when it binds `Sentry` to something else.
    fn read_import(&mut self, n: Node<'t>) -> bool {
        let Some(source) = n
            .child_by_field_name("source")
            .and_then(|s| string_value(s, self.src))
        else {
            return false;
        };
        let sentry = is_sentry_package(&source);
        let mut shadowed = false;
        let mut c = n.walk();
        for clause in n
            .named_children(&mut c)
            .filter(|c| c.kind() == "import_clause")
        {
            let mut cc = clause.walk();
            for part in clause.named_children(&mut cc) {
                match part.kind() {
                    "identifier" => {
                        let name = self.t(part).to_string();
                        shadowed |= name == "Sentry" && !sentry;
                        if sentry {
                            self.packages.insert(name.clone(), source.clone());
                            self.namespaces.insert(name);
                        }
                    }
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            let name = self.t(id).to_string();
                            shadowed |= name == "Sentry" && !sentry;
                            if sentry {
                                self.packages.insert(name.clone(), source.clone());
                                self.namespaces.insert(name);
                            }
                        }
                    }
                    "named_imports" => {
                        let mut sc = part.walk();
                        for spec in part
                            .named_children(&mut sc)
                            .filter(|s| s.kind() == "import_specifier")
                        {
                            let name = spec
                                .child_by_field_name("name")
                                .map(|x| self.t(x))
                                .unwrap_or("");
                            let local = spec
                                .child_by_field_name("alias")
                                .map(|x| self.t(x))
                                .unwrap_or(name);
                            shadowed |= local == "Sentry" && !sentry;
                            if sentry {
                                self.packages.insert(local.to_string(), source.clone());
                                if name == "default" || name == "*" {
                                    self.namespaces.insert(local.to_string());
                                } else {
                                    self.named.insert(local.to_string(), name.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        shadowed
    }

    /// `const Sentry = require("@sentry/node")`, `const { init } = require("@sentry/node")`.
    fn read_require(&mut self, d: Node<'t>) -> bool {
        let (Some(name), Some(value)) = (
            d.child_by_field_name("name"),
            d.child_by_field_name("value"),
        ) else {
            return false;
        };
        let mut v = value;
        while matches!(v.kind(), "await_expression" | "parenthesized_expression") {
            match v.named_child(0) {
                Some(c) => v = c,
                None => return false,
            }
        }
        let source = (v.kind() == "call_expression")
            .then(|| v.child_by_field_name("function"))
            .flatten()
            .filter(|f| matches!(self.t(*f), "require" | "import"))
            .and_then(|_| v.child_by_field_name("arguments"))
            .and_then(|a| a.named_child(0))
            .and_then(|s| string_value(s, self.src));
        let sentry = source.as_deref().is_some_and(is_sentry_package);
        match name.kind() {
            "identifier" => {
                let local = self.t(name);
                if sentry {
                    self.namespaces.insert(local.to_string());
                    if let Some(p) = &source {
                        self.packages.insert(local.to_string(), p.clone());
                    }
                    false
                } else {
                    local == "Sentry"
                }
            }
            "object_pattern" if sentry => {
                let mut c = name.walk();
                for p in name.named_children(&mut c) {
                    match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let n = self.t(p).to_string();
                            if let Some(pkg) = &source {
                                self.packages.insert(n.clone(), pkg.clone());
                            }
                            self.named.insert(n.clone(), n);
                        }
                        "pair_pattern" => {
                            if let (Some(k), Some(v)) =
                                (p.child_by_field_name("key"), p.child_by_field_name("value"))
                            {
                                if let Some(pkg) = &source {
                                    self.packages.insert(self.t(v).to_string(), pkg.clone());
                                }
                                self.named
                                    .insert(self.t(v).to_string(), self.t(k).to_string());
                            }
                        }
                        _ => {}
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// Is `f` the Sentry export `export` (`Sentry.init`, a named `init` import, `window.Sentry.init`)?
    fn is_sentry_fn(&self, f: Option<Node>, export: &str) -> bool {
        let Some(f) = f else { return false };
        match f.kind() {
            "identifier" => self.named.get(self.t(f)).is_some_and(|n| n == export),
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    f.child_by_field_name("object"),
                    f.child_by_field_name("property"),
                ) else {
                    return false;
                };
                self.t(prop) == export && self.namespaces.contains(self.t(obj))
            }
            _ => false,
        }
    }

    fn init(&self, call: Node<'t>) -> SentryInit {
        let callee = call.child_by_field_name("function").unwrap_or(call);
        let mut options = Options::default();
        let mut args = None;
        if let Some(arg) = call
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        {
            self.options_from(arg, &mut options);
            let obj = self.resolve(arg, 0);
            if obj.kind() == "object" {
                args = Some(arg_list(obj));
            }
        }
        let mut integrations = Vec::new();
        let mut replay = None;
        if let Some(opt) = options.get("integrations") {
            let value = self.node_in(call, opt.value_range.clone());
            if let Some(v) = value {
                replay = self.find_replay(v);
                integrations = self.integrations(v);
            }
        }
        SentryInit {
            sdk: Sdk::Javascript,
            call: call.byte_range(),
            callee: callee.byte_range(),
            args,
            options,
            integrations,
            package: self.package_of(callee),
            replay,
            python: PythonInit::default(),
        }
    }

    /// The node with exactly this range, searched from the file root.
    fn node_in(&self, any: Node<'t>, range: std::ops::Range<usize>) -> Option<Node<'t>> {
        let mut root = any;
        while let Some(p) = root.parent() {
            root = p;
        }
        let mut n = root.descendant_for_byte_range(range.start, range.end)?;
        while n.byte_range() != range {
            n = n.parent()?;
        }
        while let Some(p) = n.parent() {
            if p.byte_range() == range {
                n = p;
            } else {
                break;
            }
        }
        Some(n)
    }

    /// The entries of an options object (through names, spreads and conditionals), or an
    /// opaque source.
    fn options_from(&self, arg: Node<'t>, options: &mut Options) {
        let e = javascript_lower::lower(&mut self.module.borrow_mut(), arg, self.src);
        let m = self.module.borrow();
        let cx = Cx {
            current: &m,
            path: &self.file.path,
            lang: self.file.lang,
            modules: self.modules,
        };
        eval::spread_value_into(
            &cx,
            &mut self.state.borrow_mut(),
            options,
            e,
            arg.byte_range(),
        );
    }

    /// Follow identifiers to their bound value.
    fn resolve(&self, n: Node<'t>, depth: usize) -> Node<'t> {
        let n = javascript_lower::unwrap(n);
        if depth > MAX_DEPTH || !is_reference(n) {
            return n;
        }
        match self.bindings.lookup(self.t(n), n).last() {
            Some(b) => self.resolve(b.value, depth + 1),
            None => n,
        }
    }

    /// Is `n` a replay integration constructor: `Sentry.replayIntegration(...)`,
    /// `replayIntegration(...)`, `new Sentry.Replay(...)`, `new Replay(...)`,
    /// `Sentry.mobileReplayIntegration(...)`, or the function a
    /// `lazyLoadIntegration("replayIntegration")` loaded?
    fn is_replay(&self, n: Node) -> bool {
        match n.kind() {
            "call_expression" => {
                let f = n.child_by_field_name("function");
                self.is_sentry_fn(f, "replayIntegration")
                    || self.is_sentry_fn(f, "mobileReplayIntegration")
                    || (self.lazy_replay
                        && f.is_some_and(|f| {
                            f.kind() == "identifier" && self.t(f) == "replayIntegration"
                        }))
            }
            "new_expression" => self.is_sentry_fn(n.child_by_field_name("constructor"), "Replay"),
            _ => false,
        }
    }

    /// The first replay integration in an expression (through consts and integration functions).
    fn find_replay(&self, v: Node<'t>) -> Option<Replay> {
        let mut found = None;
        let mut seen = HashSet::new();
        self.search_replay(v, &mut found, &mut seen, 0);
        found
    }

    fn search_replay(
        &self,
        v: Node<'t>,
        found: &mut Option<Replay>,
        seen: &mut HashSet<usize>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || !seen.insert(v.id()) {
            return;
        }
        walk(v, |n| {
            if found.is_some() {
                return false;
            }
            if self.is_replay(n) {
                *found = Some(self.replay(n));
                return false;
            }
            if is_reference(n) {
                if let Some(b) = self.bindings.lookup(self.t(n), n).last() {
                    self.search_replay(b.value, found, seen, depth + 1);
                }
            }
            true
        });
    }

    fn replay(&self, n: Node<'t>) -> Replay {
        let callee = n
            .child_by_field_name("function")
            .or_else(|| n.child_by_field_name("constructor"))
            .unwrap_or(n);
        let mut options = Options::default();
        if let Some(arg) = n
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        {
            self.options_from(arg, &mut options);
            let obj = self.resolve(arg, 0);
            if obj.kind() == "object" {
                options.literal = Some(arg_list(obj));
            }
        }
        Replay {
            range: n.byte_range(),
            callee: callee.byte_range(),
            options,
            mobile: self.t(callee).ends_with("mobileReplayIntegration"),
        }
    }

    /// The Sentry package a callee comes from: `Sentry.init` of `import * as Sentry from
    /// "@sentry/react"`, a named `init` import; `None` for the loader's global `Sentry`.
    fn package_of(&self, callee: Node) -> Option<String> {
        let local = match callee.kind() {
            "member_expression" => callee.child_by_field_name("object")?,
            _ => callee,
        };
        self.packages.get(self.t(local)).cloned()
    }

    /// The integrations an `integrations` value constructs, with their options objects (through
    /// consts and integration functions).
    fn integrations(&self, v: Node<'t>) -> Vec<Integration> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(v, 0usize)];
        while let Some((v, depth)) = stack.pop() {
            if depth > MAX_DEPTH || !seen.insert(v.id()) {
                continue;
            }
            walk(v, |n| {
                let callee = match n.kind() {
                    "call_expression" => n.child_by_field_name("function"),
                    "new_expression" => n.child_by_field_name("constructor"),
                    _ => None,
                };
                if let Some(c) = callee {
                    let name = self.t(c).rsplit('.').next().unwrap_or("");
                    if name.ends_with("Integration")
                        || name == "Replay"
                        || name.ends_with("Tracing")
                    {
                        let mut options = Options::default();
                        if let Some(arg) = n
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                        {
                            self.options_from(arg, &mut options);
                        }
                        out.push(Integration {
                            name: name.to_string(),
                            range: n.byte_range(),
                            options,
                        });
                        return false;
                    }
                }
                if is_reference(n) {
                    if let Some(b) = self.bindings.lookup(self.t(n), n).last() {
                        stack.push((b.value, depth + 1));
                    }
                }
                true
            });
        }
        out.sort_by_key(|i| i.range.start);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Components of customer-data route files.

/// A component of the file: its name and the function that renders it.
struct Component<'t> {
    name: String,
    func: Node<'t>,
}

fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
    )
}

fn is_class(n: Node) -> bool {
    n.is_named() && matches!(n.kind(), "class_declaration" | "class")
}

/// The function or class a declarator or default export defines, through higher-order
/// components and wrappers: `() => ...`, `memo(function X() {...})`, `forwardRef(...)`,
/// `class extends Component {...}`.
fn component_definition(value: Node) -> Option<Node> {
    let mut cur = value;
    for _ in 0..4 {
        if is_function(cur) || is_class(cur) {
            return Some(cur);
        }
        cur = match cur.kind() {
            "call_expression" => cur
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))?,
            "parenthesized_expression" | "as_expression" | "satisfies_expression" => {
                cur.named_child(0)?
            }
            _ => return None,
        };
    }
    None
}

/// Add the component `def` defines: the function itself, or a class's `render()` method.
fn add_component<'t>(out: &mut Vec<Component<'t>>, name: String, def: Node<'t>, src: &str) {
    if is_function(def) {
        out.push(Component { name, func: def });
        return;
    }
    let Some(body) = def.child_by_field_name("body") else {
        return;
    };
    let mut c = body.walk();
    for m in body.named_children(&mut c) {
        if m.kind() == "method_definition"
            && m.child_by_field_name("name")
                .is_some_and(|x| text(x, src) == "render")
        {
            out.push(Component {
                name: name.clone(),
                func: m,
            });
        }
    }
}

fn components<'t>(root: Node<'t>, src: &str) -> Vec<Component<'t>> {
    let own_name = |n: Node| {
        n.child_by_field_name("name")
            .map(|id| text(id, src).to_string())
    };
    let mut out = Vec::new();
    walk(root, |n| {
        match n.kind() {
            // `function X() {...}`, `export default function () {...}`, `class X extends Component`.
            "function_declaration" | "class_declaration" => {
                let name = own_name(n).unwrap_or_else(|| "default export".into());
                add_component(&mut out, name, n, src);
            }
            // `export default () => ...`, `export default memo(function X() {...})`,
            // `export default class extends Component {...}`.
            "export_statement" => {
                if let Some(def) = n
                    .child_by_field_name("value")
                    .and_then(component_definition)
                {
                    let name = own_name(def).unwrap_or_else(|| "default export".into());
                    add_component(&mut out, name, def, src);
                }
            }
            // `const X = () => ...`, `const X = memo(function X() {...})`, `forwardRef(...)`.
            "variable_declarator" => {
                if let (Some(id), Some(def)) = (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value")
                        .and_then(component_definition),
                ) {
                    add_component(&mut out, text(id, src).to_string(), def, src);
                    return false;
                }
            }
            _ => {}
        }
        true
    });
    // Components are named with a capital letter (or are the default export).
    out.retain(|c| {
        c.name == "default export" || c.name.starts_with(|ch: char| ch.is_ascii_uppercase())
    });
    out
}

/// The JSX trees a function returns (not those of nested functions).
fn returned_jsx<'t>(func: Node<'t>) -> Vec<Node<'t>> {
    let mut exprs = Vec::new();
    let Some(body) = func.child_by_field_name("body") else {
        return exprs;
    };
    if body.kind() != "statement_block" {
        exprs.push(body);
    } else {
        walk(body, |n| {
            if n.id() != body.id() && is_function(n) {
                return false;
            }
            if n.kind() == "return_statement" {
                if let Some(v) = n.named_child(0) {
                    exprs.push(v);
                }
                return false;
            }
            true
        });
    }
    let mut roots = Vec::new();
    while let Some(e) = exprs.pop() {
        match e.kind() {
            "jsx_element" | "jsx_self_closing_element" => roots.push(e),
            "parenthesized_expression" => {
                let mut c = e.walk();
                exprs.extend(e.named_children(&mut c).find(|x| x.kind() != "comment"));
            }
            "ternary_expression" => {
                exprs.extend(e.child_by_field_name("consequence"));
                exprs.extend(e.child_by_field_name("alternative"));
            }
            "binary_expression" => exprs.extend(e.child_by_field_name("right")),
            _ => {}
        }
    }
    roots.sort_by_key(|n| n.start_byte());
    roots
}

/// The opening tag of an element (the element itself when self-closing).
fn opening(el: Node) -> Node {
    if el.kind() == "jsx_element" {
        el.child_by_field_name("open_tag").unwrap_or(el)
    } else {
        el
    }
}

fn tag_name(el: Node, src: &str) -> String {
    opening(el)
        .child_by_field_name("name")
        .map(|n| text(n, src).to_string())
        .unwrap_or_default()
}

/// Does the element carry masking: the attribute, the class, or a masking wrapper component?
fn element_masked(el: Node, src: &str, masks: &[String]) -> bool {
    let tag = tag_name(el, src);
    let last = tag.rsplit('.').next().unwrap_or(&tag);
    if masks.iter().any(|m| m == &tag || m == last) {
        return true;
    }
    let open = opening(el);
    let mut c = open.walk();
    for attr in open
        .named_children(&mut c)
        .filter(|a| a.kind() == "jsx_attribute")
    {
        let Some(name) = attr.named_child(0) else {
            continue;
        };
        match text(name, src) {
            "data-sentry-mask" | "data-sentry-block" => return true,
            "className" | "class" => {
                if let Some(value) = attr.named_child(1) {
                    let mut classed = false;
                    walk(value, |n| {
                        if matches!(n.kind(), "string_fragment" | "template_string" | "string") {
                            classed |= text(n, src)
                                .split(|ch: char| {
                                    !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
                                })
                                .any(|w| w == "sentry-mask" || w == "sentry-block");
                        }
                        !classed
                    });
                    if classed {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

fn jsx_roots(root: Node, src: &str, masks: &[String]) -> Vec<JsxRoot> {
    let comps = components(root, src);
    // Components rendered by another component of this file are covered by their parent.
    let mut rendered_by_other: HashSet<String> = HashSet::new();
    for c in &comps {
        walk(c.func, |n| {
            if matches!(n.kind(), "jsx_opening_element" | "jsx_self_closing_element") {
                if let Some(name) = n.child_by_field_name("name") {
                    let name = text(name, src);
                    if name != c.name {
                        rendered_by_other.insert(name.to_string());
                    }
                }
            }
            true
        });
    }
    let mut out = Vec::new();
    for c in comps
        .iter()
        .filter(|c| !rendered_by_other.contains(&c.name))
    {
        for el in returned_jsx(c.func) {
            let tag = tag_name(el, src);
            let fragment = el.kind() == "jsx_element" && tag.is_empty();
            let masked = if fragment {
                let mut cur = el.walk();
                let children: Vec<Node> = el
                    .named_children(&mut cur)
                    .filter(|ch| {
                        !matches!(ch.kind(), "jsx_opening_element" | "jsx_closing_element")
                    })
                    .filter(|ch| !(ch.kind() == "jsx_text" && text(*ch, src).trim().is_empty()))
                    .collect();
                !children.is_empty()
                    && children.iter().all(|ch| {
                        matches!(ch.kind(), "jsx_element" | "jsx_self_closing_element")
                            && element_masked(*ch, src, masks)
                    })
            } else {
                element_masked(el, src, masks)
            };
            let open = opening(el);
            out.push(JsxRoot {
                component: c.name.clone(),
                range: open.byte_range(),
                name_end: open
                    .child_by_field_name("name")
                    .map(|n| n.end_byte())
                    .unwrap_or(open.start_byte() + 1),
                tag,
                masked,
                fragment,
            });
        }
    }
    out
}
