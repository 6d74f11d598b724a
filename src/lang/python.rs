//! Python: `sentry_sdk.init(...)` and `sentry_sdk.Client(...)` in every spelling, their keyword
//! arguments, `**opts`, positional dicts, `before_send` hooks and `EventScrubber`s.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use tree_sitter::Node;

use crate::syntax::Flat;

use super::eval::{self, Cx, EvalState, ExprId, Module};
use super::modules::Modules;
use super::python_lower::{self, string_value};
use super::{arg_list, descendants_of_kind, text, walk, Bindings, Grammar};
use crate::model::{
    Denylist, Evaluated, FileModel, Hook, HookTarget, Integration, Opaque, OptionEntry, Options,
    PyImports, PythonInit, Scrubber, Sdk, SentryInit,
};
use crate::source::SourceFile;

static GRAMMAR: Grammar = Grammar {
    scopes: python_lower::SCOPES,
    branches: python_lower::BRANCHES,
};

const MAX_DEPTH: usize = 12;

struct Py<'t> {
    src: &'t str,
    file: &'t SourceFile,
    modules: Option<&'t Modules>,
    root: Node<'t>,
    bindings: Bindings<'t>,
    /// Local names of the `sentry_sdk` module.
    sdk_modules: HashSet<String>,
    /// Local names of `sentry_sdk.init` / `sentry_sdk.Client`.
    init_names: HashSet<String>,
    /// `from module import name [as local]`: local → (module, name, level).
    from_imports: HashMap<String, (String, String, usize)>,
    /// `import a.b as c`: c → a.b.
    module_aliases: HashMap<String, String>,
    /// Function definitions by name (module level first).
    functions: HashMap<String, Node<'t>>,
    /// The file's bindings and expressions, lowered for the evaluator.
    module: RefCell<Module>,
    /// The evaluation shared by the whole file.
    state: RefCell<EvalState>,
}

/// `with_functions`: also work out the strings each module-level function can reach (for a
/// `before_send` another module imports from this one).
pub fn extract<'t>(
    file: &'t SourceFile,
    flat: &Flat<'t>,
    modules: Option<&'t Modules>,
    with_functions: bool,
) -> FileModel {
    let src = file.text.as_str();
    let root = flat.root();
    let mut pairs = Vec::new();
    let mut imports = Vec::new();
    let mut defs = Vec::new();
    let mut calls = Vec::new();
    flat.walk(|n| {
        match n.kind() {
            "assignment" => {
                if let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) {
                    if left.kind() == "identifier" {
                        pairs.push((text(left, src).to_string(), right, n));
                    }
                }
            }
            "import_statement" | "import_from_statement" => imports.push(n),
            "function_definition" => defs.push(n),
            "call" => calls.push(n),
            _ => {}
        }
        true
    });
    let mut py = Py {
        src,
        file,
        modules,
        root,
        bindings: Bindings::new(root, &GRAMMAR, pairs),
        sdk_modules: HashSet::from(["sentry_sdk".to_string()]),
        init_names: HashSet::new(),
        from_imports: HashMap::new(),
        module_aliases: HashMap::new(),
        functions: HashMap::new(),
        module: RefCell::new(python_lower::module(
            flat,
            src,
            Some(&super::scopes_around(&calls, src, &GRAMMAR)),
        )),
        state: RefCell::new(EvalState::default()),
    };
    for n in &imports {
        py.read_import(*n);
    }
    let import_sites = import_sites(root, &imports, src);
    // Module-level definitions win over nested ones of the same name.
    for d in defs.iter().rev() {
        if let Some(name) = d.child_by_field_name("name") {
            let top = is_module_level(*d);
            let name = text(name, src).to_string();
            if top || !py.functions.contains_key(&name) {
                py.functions.insert(name, *d);
            }
        }
    }
    let mut model = FileModel {
        imports: import_sites,
        ..FileModel::default()
    };
    for call in calls {
        if py.is_init_callee(call) {
            model.inits.push(py.init(call));
        }
    }
    for d in defs
        .iter()
        .filter(|d| with_functions && is_module_level(**d))
    {
        if let Some(name) = d.child_by_field_name("name") {
            let mut seen = HashSet::new();
            model.functions.push((
                text(name, src).to_string(),
                py.function_strings(*d, &mut seen),
            ));
        }
    }
    model.foreign = std::mem::take(&mut py.state.borrow_mut().foreign);
    model
}

/// Where `from sentry_sdk.scrubber import ...` is (and what it imports), and where a new import
/// line would go.
fn import_sites(root: Node, imports: &[Node], src: &str) -> PyImports {
    let mut sites = PyImports::default();
    for n in imports {
        if n.kind() != "import_from_statement"
            || n.child_by_field_name("module_name").map(|m| text(m, src))
                != Some("sentry_sdk.scrubber")
        {
            continue;
        }
        let mut c = n.walk();
        let names: Vec<Node> = n.children_by_field_name("name", &mut c).collect();
        let pairs: Vec<(String, String)> = names
            .iter()
            .map(|x| match x.kind() {
                "aliased_import" => {
                    let orig = x
                        .child_by_field_name("name")
                        .map(|y| text(y, src))
                        .unwrap_or("");
                    let alias = x
                        .child_by_field_name("alias")
                        .map(|y| text(y, src))
                        .unwrap_or(orig);
                    (orig.to_string(), alias.to_string())
                }
                _ => (text(*x, src).to_string(), text(*x, src).to_string()),
            })
            .collect();
        // Several `from sentry_sdk.scrubber import` lines: every name counts; new names go after the
        // last one.
        if let Some(last) = names.last() {
            let mut all = sites.scrubber.take().map(|(p, _)| p).unwrap_or_default();
            all.extend(pairs);
            sites.scrubber = Some((all, last.end_byte()));
        }
    }
    let line_after = |end: usize| {
        src[end..]
            .find('\n')
            .map(|i| end + i + 1)
            .unwrap_or(src.len())
    };
    let mut c = root.walk();
    let top: Vec<Node> = root.named_children(&mut c).collect();
    let top_imports: Vec<&Node> = top
        .iter()
        .filter(|n| {
            matches!(
                n.kind(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .collect();
    sites.top = top_imports
        .iter()
        .filter_map(|n| import_stmt(**n, src))
        .collect();
    // Next to the other Sentry imports when there are some (where isort would put it).
    let sentry_import = top_imports
        .iter()
        .rev()
        .find(|n| {
            let t = text(***n, src);
            t.starts_with("import sentry_sdk") || t.starts_with("from sentry_sdk")
        })
        .copied();
    if let Some(last) = sentry_import.or(top_imports.last().copied()) {
        sites.new_line_at = line_after(last.end_byte());
    } else if let Some(first) = top.iter().find(|n| n.kind() != "comment") {
        let docstring = first.kind() == "expression_statement"
            && first.named_child(0).is_some_and(|s| s.kind() == "string");
        sites.new_line_at = if docstring {
            line_after(first.end_byte())
        } else {
            first.start_byte()
        };
    }
    sites
}

/// A module-level import statement as [`crate::model::ImportStmt`].
fn import_stmt(n: Node, src: &str) -> Option<crate::model::ImportStmt> {
    let from = n.kind() != "import_statement";
    let module = if from {
        text(n.child_by_field_name("module_name")?, src).to_string()
    } else {
        let first = n.child_by_field_name("name")?;
        let name = first.child_by_field_name("name").unwrap_or(first);
        text(name, src).to_string()
    };
    let mut c = n.walk();
    let names = if from {
        n.children_by_field_name("name", &mut c)
            .map(|x| {
                let orig = x.child_by_field_name("name").unwrap_or(x);
                (text(orig, src).to_string(), x.byte_range())
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(crate::model::ImportStmt {
        range: n.byte_range(),
        from,
        module,
        names,
    })
}

fn is_module_level(def: Node) -> bool {
    let mut cur = def.parent();
    while let Some(p) = cur {
        match p.kind() {
            "function_definition" | "class_definition" | "lambda" => return false,
            _ => cur = p.parent(),
        }
    }
    true
}

/// The function, lambda or class a node belongs to, or the module.
fn scope_of<'t>(n: Node<'t>, root: Node<'t>) -> Node<'t> {
    let mut cur = n.parent();
    while let Some(p) = cur {
        if GRAMMAR.scopes.contains(&p.kind()) {
            return p;
        }
        cur = p.parent();
    }
    root
}

/// Every string literal below a node.
fn strings_in(node: Node, src: &str, out: &mut BTreeSet<String>) {
    walk(node, |n| {
        if n.kind() == "string" {
            if let Some(s) = string_value(n, src) {
                out.insert(s);
            }
            return false;
        }
        true
    });
}

impl<'t> Py<'t> {
    fn t(&self, n: Node) -> &'t str {
        text(n, self.src)
    }

    fn read_import(&mut self, n: Node<'t>) {
        let mut cursor = n.walk();
        if n.kind() == "import_statement" {
            for name in n.children_by_field_name("name", &mut cursor) {
                let (module, local) = match name.kind() {
                    "aliased_import" => (
                        name.child_by_field_name("name")
                            .map(|x| self.t(x))
                            .unwrap_or(""),
                        name.child_by_field_name("alias").map(|x| self.t(x)),
                    ),
                    _ => (self.t(name), None),
                };
                match local {
                    Some(alias) => {
                        if module == "sentry_sdk" {
                            self.sdk_modules.insert(alias.to_string());
                        }
                        self.module_aliases
                            .insert(alias.to_string(), module.to_string());
                    }
                    None => {
                        self.module_aliases
                            .insert(module.to_string(), module.to_string());
                    }
                }
            }
            return;
        }
        let Some(module_node) = n.child_by_field_name("module_name") else {
            return;
        };
        let (module, level) = if module_node.kind() == "relative_import" {
            let t = self.t(module_node);
            let level = t.chars().take_while(|c| *c == '.').count();
            (t[level..].to_string(), level)
        } else {
            (self.t(module_node).to_string(), 0)
        };
        for name in n.children_by_field_name("name", &mut cursor) {
            let (orig, local) = match name.kind() {
                "aliased_import" => {
                    let orig = name
                        .child_by_field_name("name")
                        .map(|x| self.t(x))
                        .unwrap_or("");
                    let alias = name
                        .child_by_field_name("alias")
                        .map(|x| self.t(x))
                        .unwrap_or(orig);
                    (orig, alias)
                }
                _ => (self.t(name), self.t(name)),
            };
            if level == 0 && module == "sentry_sdk" && (orig == "init" || orig == "Client") {
                self.init_names.insert(local.to_string());
            }
            if level == 0 && module == "sentry_sdk.client" && orig == "Client" {
                self.init_names.insert(local.to_string());
            }
            self.from_imports
                .insert(local.to_string(), (module.clone(), orig.to_string(), level));
        }
    }

    /// Is this call `sentry_sdk.init(...)`, `sdk.Client(...)`, `init(...)` (imported from sentry_sdk)?
    fn is_init_callee(&self, call: Node) -> bool {
        let Some(f) = call.child_by_field_name("function") else {
            return false;
        };
        match f.kind() {
            "identifier" => self.init_names.contains(self.t(f)),
            "attribute" => {
                let (Some(obj), Some(attr)) = (
                    f.child_by_field_name("object"),
                    f.child_by_field_name("attribute"),
                ) else {
                    return false;
                };
                matches!(self.t(attr), "init" | "Client")
                    && (self.sdk_modules.contains(self.t(obj))
                        || self.t(obj) == "sentry_sdk.client")
            }
            _ => false,
        }
    }

    fn init(&self, call: Node<'t>) -> SentryInit {
        let callee = call.child_by_field_name("function").unwrap_or(call);
        let mut options = Options::default();
        let mut python = PythonInit::default();
        if let Some(args) = call.child_by_field_name("arguments") {
            let mut cursor = args.walk();
            let mut positional = 0;
            for arg in args.named_children(&mut cursor) {
                match arg.kind() {
                    "keyword_argument" => self.keyword_entry(arg, &mut options),
                    "dictionary_splat" => {
                        let inner = arg.named_child(0).unwrap_or(arg);
                        self.spread(inner, arg, &mut options);
                    }
                    "comment" => {}
                    _ => {
                        // A positional dict is spread; the first positional otherwise is the DSN.
                        let mut spread = Options::default();
                        if self.spread(arg, arg, &mut spread) {
                            options.entries.extend(spread.entries);
                            options.opaque.extend(spread.opaque);
                        } else if positional == 0 {
                            options
                                .entries
                                .push(self.entry("dsn".into(), arg, arg, arg));
                        } else {
                            options.opaque.push(Opaque {
                                text: self.t(arg).to_string(),
                                range: arg.byte_range(),
                                note: None,
                            });
                        }
                        positional += 1;
                    }
                }
            }
        }
        let mut integrations = Vec::new();
        if let Some(opt) = options.get("integrations") {
            if let Some(v) = self.node_at(opt.value_range.clone()) {
                let v = self.resolve_node(v, 0);
                let mut cursor = v.walk();
                if matches!(v.kind(), "list" | "tuple") {
                    for el in v.named_children(&mut cursor) {
                        let el = self.resolve_node(el, 0);
                        if let Some(i) = self.integration(el) {
                            integrations.push(i);
                        }
                    }
                }
            }
        }
        if let Some(opt) = options.get("before_send") {
            if let Some(v) = self.node_at(opt.value_range.clone()) {
                python.before_send = self.hook(v, 0);
            }
        }
        if let Some(opt) = options.get("event_scrubber") {
            if let Some(v) = self.node_at(opt.value_range.clone()) {
                python.scrubber = self.scrubber(v);
            }
        }
        SentryInit {
            sdk: Sdk::Python,
            call: call.byte_range(),
            callee: callee.byte_range(),
            args: call
                .child_by_field_name("arguments")
                .filter(|a| a.kind() == "argument_list")
                .map(arg_list),
            options,
            integrations,
            package: Some("sentry_sdk".into()),
            replay: None,
            python,
        }
    }

    /// `FastApiIntegration(...)`, `OpenAIIntegration(include_prompts=False)`: its name and keyword
    /// arguments.
    fn integration(&self, el: Node<'t>) -> Option<Integration> {
        if el.kind() != "call" {
            return None;
        }
        let f = el.child_by_field_name("function")?;
        let name = self.t(f).rsplit('.').next().unwrap_or("").to_string();
        let mut options = Options::default();
        if let Some(args) = el.child_by_field_name("arguments") {
            let mut c = args.walk();
            for a in args.named_children(&mut c) {
                match a.kind() {
                    "keyword_argument" => self.keyword_entry(a, &mut options),
                    "dictionary_splat" => {
                        let inner = a.named_child(0).unwrap_or(a);
                        self.spread(inner, a, &mut options);
                    }
                    _ => {}
                }
            }
        }
        Some(Integration {
            name,
            range: el.byte_range(),
            options,
        })
    }

    /// The evaluation context of the file.
    fn cx<'a>(&'a self, m: &'a Module) -> Cx<'a> {
        Cx {
            current: m,
            path: &self.file.path,
            lang: self.file.lang,
            modules: self.modules,
        }
    }

    fn lower(&self, n: Node<'t>) -> ExprId {
        python_lower::lower(&mut self.module.borrow_mut(), n, self.src)
    }

    /// Evaluate an expression of the file.
    fn evaluated(&self, n: Node<'t>) -> Evaluated {
        let e = self.lower(n);
        let m = self.module.borrow();
        eval::evaluated(&self.cx(&m), &mut self.state.borrow_mut(), e)
    }

    fn entry(&self, name: String, key: Node, value: Node<'t>, whole: Node) -> OptionEntry {
        OptionEntry {
            name,
            key: key.byte_range(),
            value_range: value.byte_range(),
            entry: whole.byte_range(),
            value: self.evaluated(value),
        }
    }

    /// `name=value` as an option.
    fn keyword_entry(&self, arg: Node<'t>, options: &mut Options) {
        if let (Some(k), Some(v)) = (
            arg.child_by_field_name("name"),
            arg.child_by_field_name("value"),
        ) {
            options
                .entries
                .push(self.entry(self.t(k).to_string(), k, v, arg));
        }
    }

    /// `**x` (written as `whole`): the entries of the dict `x` stands for, or an opaque source.
    /// Returns whether `x` is a dict.
    fn spread(&self, inner: Node<'t>, whole: Node, options: &mut Options) -> bool {
        let e = self.lower(inner);
        let m = self.module.borrow();
        eval::spread_value_into(
            &self.cx(&m),
            &mut self.state.borrow_mut(),
            options,
            e,
            whole.byte_range(),
        )
    }

    /// The node spanning exactly `range` (values are stored as ranges).
    fn node_at(&self, range: Range<usize>) -> Option<Node<'t>> {
        let mut n = self
            .root
            .descendant_for_byte_range(range.start, range.end)?;
        while n.byte_range() != range {
            n = n.parent()?;
            if n.start_byte() < range.start {
                return None;
            }
        }
        // The outermost node with that range (a parenthesised value is its own node).
        while let Some(p) = n.parent() {
            if p.byte_range() == range {
                n = p;
            } else {
                break;
            }
        }
        Some(n)
    }

    /// Follow a name to the value it is bound to (once per level), for structural look-ups.
    fn resolve_node(&self, n: Node<'t>, depth: usize) -> Node<'t> {
        if depth > MAX_DEPTH {
            return n;
        }
        match n.kind() {
            "parenthesized_expression" => n
                .named_child(0)
                .map(|c| self.resolve_node(c, depth + 1))
                .unwrap_or(n),
            "identifier" => match self.bindings.lookup(self.t(n), n).last() {
                Some(b) => self.resolve_node(b.value, depth + 1),
                None => n,
            },
            _ => n,
        }
    }

    /// Visit the nodes that run after `binding` (a bound value) and before `use_site`, in the
    /// binding's scope and in the nested scopes that contain the use. When the use is inside a
    /// nested scope (a function, which runs later), the rest of the binding's scope counts too.
    /// `f` gets each node and the innermost branch that guards it (one that contains neither the
    /// binding nor the use), and returns whether to descend.
    fn runs_between(
        &self,
        binding: Node<'t>,
        use_site: Node<'t>,
        mut f: impl FnMut(Node<'t>, Option<Node<'t>>) -> bool,
    ) {
        let scope = scope_of(binding, self.root);
        let use_nested = scope_of(use_site, self.root).id() != scope.id();
        let from = binding.end_byte();
        let contains = |outer: Node, inner: Node| {
            outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
        };
        walk(scope, |n| {
            if n.id() != scope.id() && GRAMMAR.scopes.contains(&n.kind()) {
                return contains(n, use_site);
            }
            if n.end_byte() <= from {
                return false;
            }
            if n.start_byte() < from {
                return true; // encloses the binding
            }
            let before_use = n.end_byte() <= use_site.start_byte();
            let later = use_nested
                && n.start_byte() >= use_site.end_byte()
                && scope_of(n, self.root).id() == scope.id();
            if !(before_use || later) {
                // Encloses the use (descend) or comes after it.
                return contains(n, use_site);
            }
            let mut guard = None;
            let mut cur = n.parent();
            while let Some(p) = cur {
                if p.id() == scope.id() {
                    break;
                }
                if GRAMMAR.branches.contains(&p.kind())
                    && !contains(p, binding)
                    && !contains(p, use_site)
                {
                    guard = Some(p);
                    break;
                }
                cur = p.parent();
            }
            f(n, guard)
        });
    }

    /// `before_send=...`.
    fn hook(&self, v: Node<'t>, depth: usize) -> Option<Hook> {
        let text = self.t(v).to_string();
        if depth > MAX_DEPTH {
            return Some(Hook {
                text,
                target: HookTarget::Unknown,
            });
        }
        let target = match v.kind() {
            "none" => return None,
            "lambda" => {
                let mut seen = HashSet::new();
                HookTarget::Local(self.function_strings(v, &mut seen))
            }
            "identifier" => {
                let name = self.t(v);
                if let Some(def) = self.functions.get(name) {
                    let mut seen = HashSet::new();
                    HookTarget::Local(self.function_strings(*def, &mut seen))
                } else if let Some((module, orig, level)) = self.from_imports.get(name) {
                    HookTarget::Imported {
                        module: module.clone(),
                        name: orig.clone(),
                        level: *level,
                    }
                } else {
                    match self.bindings.lookup(name, v).last() {
                        Some(b) => return self.hook(b.value, depth + 1),
                        None => HookTarget::Unknown,
                    }
                }
            }
            "attribute" => {
                let obj = v
                    .child_by_field_name("object")
                    .map(|o| self.t(o))
                    .unwrap_or("");
                let attr = v
                    .child_by_field_name("attribute")
                    .map(|o| self.t(o))
                    .unwrap_or("");
                if let Some(module) = self.module_aliases.get(obj) {
                    HookTarget::Imported {
                        module: module.clone(),
                        name: attr.to_string(),
                        level: 0,
                    }
                } else if let Some((module, orig, level)) = self.from_imports.get(obj) {
                    HookTarget::Imported {
                        module: if module.is_empty() {
                            orig.clone()
                        } else {
                            format!("{module}.{orig}")
                        },
                        name: attr.to_string(),
                        level: *level,
                    }
                } else {
                    HookTarget::Unknown
                }
            }
            _ => HookTarget::Unknown,
        };
        Some(Hook { text, target })
    }

    /// The strings a function can reach: literals in its body, module-level constants it names,
    /// and the same-file functions it calls.
    fn function_strings(&self, def: Node<'t>, seen: &mut HashSet<usize>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if !seen.insert(def.id()) {
            return out;
        }
        let body = def.child_by_field_name("body").unwrap_or(def);
        strings_in(body, self.src, &mut out);
        for id in descendants_of_kind(body, &["identifier"]) {
            let name = self.t(id);
            if let Some(f) = self.functions.get(name) {
                out.extend(self.function_strings(*f, seen));
                continue;
            }
            for b in self.bindings.lookup(name, id) {
                if seen.insert(b.value.id()) {
                    strings_in(b.value, self.src, &mut out);
                }
            }
        }
        out
    }

    /// `event_scrubber=...`.
    fn scrubber(&self, v: Node<'t>) -> Option<Scrubber> {
        let r = self.resolve_node(v, 0);
        if r.kind() == "none" {
            return None;
        }
        let is_scrubber_call = r.kind() == "call"
            && r.child_by_field_name("function")
                .map(|f| {
                    let t = self.t(f);
                    t.rsplit('.').next() == Some("EventScrubber")
                        || self
                            .from_imports
                            .get(t)
                            .is_some_and(|(_, orig, _)| orig == "EventScrubber")
                })
                .unwrap_or(false);
        if !is_scrubber_call {
            return Some(Scrubber {
                call: None,
                args: None,
                denylist: None,
                recursive: None,
                unresolved: true,
            });
        }
        let mut denylist = None;
        let mut recursive = None;
        if let Some(args) = r.child_by_field_name("arguments") {
            let mut c = args.walk();
            let mut positional = 0;
            for a in args.named_children(&mut c) {
                let (name, key, value) = match a.kind() {
                    "keyword_argument" => {
                        let (Some(k), Some(val)) = (
                            a.child_by_field_name("name"),
                            a.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        (self.t(k).to_string(), k, val)
                    }
                    "comment" => continue,
                    _ => {
                        positional += 1;
                        let name = match positional {
                            1 => "denylist",
                            2 => "recursive",
                            _ => continue,
                        };
                        (name.to_string(), a, a)
                    }
                };
                match name.as_str() {
                    "denylist" if value.kind() != "none" => {
                        let literal = match value.kind() {
                            "list" => Some(value),
                            "binary_operator" => value
                                .child_by_field_name("right")
                                .filter(|r| r.kind() == "list"),
                            _ => None,
                        };
                        let mut list = Denylist {
                            key: key.byte_range(),
                            value_range: value.byte_range(),
                            entries: vec![],
                            includes_default: false,
                            partial: false,
                            list: literal.map(arg_list),
                        };
                        self.denylist(value, &mut list, 0);
                        denylist = Some(list);
                    }
                    "recursive" => recursive = Some(self.evaluated(value)),
                    _ => {}
                }
            }
        }
        Some(Scrubber {
            call: Some(r.byte_range()),
            args: r
                .child_by_field_name("arguments")
                .filter(|a| a.kind() == "argument_list")
                .map(arg_list),
            denylist,
            recursive,
            unresolved: false,
        })
    }

    fn is_default_denylist(&self, n: Node) -> bool {
        let t = self.t(n);
        t.rsplit('.').next() == Some("DEFAULT_DENYLIST")
            || self
                .from_imports
                .get(t)
                .is_some_and(|(_, orig, _)| orig == "DEFAULT_DENYLIST")
    }

    fn denylist(&self, n: Node<'t>, list: &mut Denylist, depth: usize) {
        if depth > MAX_DEPTH {
            list.partial = true;
            return;
        }
        if self.is_default_denylist(n) {
            list.includes_default = true;
            return;
        }
        match n.kind() {
            "parenthesized_expression" => {
                if let Some(c) = n.named_child(0) {
                    self.denylist(c, list, depth + 1);
                }
            }
            "list" | "tuple" | "set" => {
                let mut c = n.walk();
                for el in n.named_children(&mut c) {
                    match el.kind() {
                        "comment" => {}
                        "list_splat" => match el.named_child(0) {
                            Some(inner) => self.denylist(inner, list, depth + 1),
                            None => list.partial = true,
                        },
                        _ => match string_value(el, self.src) {
                            Some(s) => list.entries.push(s),
                            None => self.denylist(el, list, depth + 1),
                        },
                    }
                }
            }
            "binary_operator" => {
                for f in ["left", "right"] {
                    if let Some(side) = n.child_by_field_name(f) {
                        self.denylist(side, list, depth + 1);
                    }
                }
            }
            "identifier" => {
                let found = self.bindings.lookup(self.t(n), n);
                if found.is_empty() {
                    list.partial = true;
                    return;
                }
                for b in found {
                    self.denylist(b.value, list, depth + 1);
                    self.list_mutations(self.t(n), b.value, n, list);
                }
            }
            "call" => {
                // `list(DEFAULT_DENYLIST)`, `DEFAULT_DENYLIST.copy()`, `[...].copy()`
                let f = n.child_by_field_name("function");
                match f.map(|f| (f.kind(), self.t(f))) {
                    Some(("identifier", "list" | "tuple" | "set" | "sorted")) => {
                        if let Some(inner) = n
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                        {
                            self.denylist(inner, list, depth + 1);
                        }
                    }
                    Some(("attribute", t)) if t.ends_with(".copy") => {
                        match f.and_then(|f| f.child_by_field_name("object")) {
                            Some(obj) => self.denylist(obj, list, depth + 1),
                            None => list.partial = true,
                        }
                    }
                    _ => list.partial = true,
                }
            }
            _ => match string_value(n, self.src) {
                Some(s) => list.entries.push(s),
                None => list.partial = true,
            },
        }
    }

    /// `NAME.extend([...])`, `NAME.append("x")`, `NAME += [...]` that run after `binding` and
    /// before `use_site`.
    fn list_mutations(
        &self,
        name: &str,
        binding: Node<'t>,
        use_site: Node<'t>,
        list: &mut Denylist,
    ) {
        let (extend, append, insert) = (
            format!("{name}.extend"),
            format!("{name}.append"),
            format!("{name}.insert"),
        );
        self.runs_between(binding, use_site, |n, _guard| match n.kind() {
            "augmented_assignment" => {
                if n.child_by_field_name("left").map(|l| self.t(l)) == Some(name) {
                    if let Some(r) = n.child_by_field_name("right") {
                        self.denylist(r, list, MAX_DEPTH - 2);
                    }
                }
                false
            }
            "call" => {
                let Some(t) = n.child_by_field_name("function").map(|f| self.t(f)) else {
                    return true;
                };
                if t != extend && t != append && t != insert {
                    return true;
                }
                if let Some(args) = n.child_by_field_name("arguments") {
                    let mut c = args.walk();
                    for a in args.named_children(&mut c) {
                        if t == extend {
                            self.denylist(a, list, MAX_DEPTH - 2);
                        } else if let Some(s) = string_value(a, self.src) {
                            list.entries.push(s);
                        }
                    }
                }
                false
            }
            _ => true,
        });
    }
}
