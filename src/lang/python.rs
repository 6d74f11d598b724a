//! Python: `sentry_sdk.init(...)` and `sentry_sdk.Client(...)` in every spelling, their keyword
//! arguments, `**opts`, positional dicts, `before_send` hooks and `EventScrubber`s.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::{
    arg_list, descendants_of_kind, join_bindings, production_branch, text, walk, Binding, Bindings,
    Grammar,
};
use crate::model::{
    Denylist, Evaluated, FileModel, Hook, HookTarget, Integration, Item, Literal, Opaque,
    OptionEntry, Options, ProdBranch, PyImports, PythonInit, Scrubber, Sdk, SentryInit, Value,
};
use crate::source::SourceFile;

static GRAMMAR: Grammar = Grammar {
    scopes: &["function_definition", "lambda", "class_definition"],
    branches: &[
        "if_statement",
        "elif_clause",
        "else_clause",
        "try_statement",
        "except_clause",
        "for_statement",
        "while_statement",
        "match_statement",
    ],
};

const MAX_DEPTH: usize = 12;

/// An environment or settings read: the variable and its default.
type EnvRead = (String, Option<Literal>);

/// A second opinion from the strict parser: its message and location, when it rejects the file.
pub fn strict_error(file: &SourceFile) -> Option<(Range<usize>, String)> {
    match rustpython_parser::parse(&file.text, rustpython_parser::Mode::Module, &file.display) {
        Ok(_) => None,
        Err(e) => {
            let at = usize::from(e.offset).min(file.text.len());
            let end = file.text[at..]
                .char_indices()
                .nth(1)
                .map(|(i, _)| at + i)
                .unwrap_or(file.text.len());
            Some((at..end.max(at), e.error.to_string()))
        }
    }
}

struct Py<'t> {
    src: &'t str,
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
    /// Memo of `env_behind`, by identifier node.
    env_behind: RefCell<HashMap<usize, Option<EnvRead>>>,
}

pub fn extract(file: &SourceFile, tree: &Tree) -> FileModel {
    let src = file.text.as_str();
    let root = tree.root_node();
    let mut pairs = Vec::new();
    let mut imports = Vec::new();
    let mut defs = Vec::new();
    let mut calls = Vec::new();
    walk(root, |n| {
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
        root,
        bindings: Bindings::new(root, &GRAMMAR, pairs),
        sdk_modules: HashSet::from(["sentry_sdk".to_string()]),
        init_names: HashSet::new(),
        from_imports: HashMap::new(),
        module_aliases: HashMap::new(),
        functions: HashMap::new(),
        env_behind: RefCell::new(HashMap::new()),
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
    for d in defs.iter().filter(|d| is_module_level(**d)) {
        if let Some(name) = d.child_by_field_name("name") {
            let mut seen = HashSet::new();
            model.functions.push((
                text(name, src).to_string(),
                py.function_strings(*d, &mut seen),
            ));
        }
    }
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

/// Add an option set by a mutation; under a guard it only may replace the value before it. An
/// option that was absent before stays unknown on the other path (its SDK default is the
/// rule's business).
fn push_guarded(
    options: &mut Options,
    mut entry: OptionEntry,
    guard: Option<(String, Option<ProdBranch>)>,
) {
    if let Some((condition, production)) = guard {
        // Absent before: the SDK's default applies on the other path.
        let before = options
            .get(&entry.name)
            .map(|e| e.value.value.clone())
            .unwrap_or(Value::Literal(Literal::Undefined));
        entry.value.value = Value::Conditional {
            condition,
            then: Box::new(entry.value.value),
            otherwise: Box::new(before),
            production,
            branches: None,
        };
    }
    options.entries.push(entry);
}

/// The options of a name bound differently on different paths: each option's value depends on
/// which binding runs (unknown where a binding does not set it). It is located where the last
/// of those bindings sets it: in the usual "defaults, then `if ...:` override" the override.
fn merge_bindings(name: &str, per_binding: Vec<Options>, options: &mut Options) {
    if per_binding.len() == 1 {
        let only = per_binding.into_iter().next().expect("one binding");
        options.entries.extend(only.entries);
        options.opaque.extend(only.opaque);
        return;
    }
    let mut seen = HashSet::new();
    let mut merged_entries = Vec::new();
    for o in per_binding.iter().rev() {
        for e in o.entries.iter().rev() {
            if !seen.insert(e.name.clone()) {
                continue;
            }
            let values = per_binding
                .iter()
                .map(|b| {
                    b.get(&e.name)
                        .map(|x| x.value.value.clone())
                        .unwrap_or(Value::Unresolved)
                })
                .collect();
            let mut merged = e.clone();
            merged.value.value = join_bindings(name, values);
            merged_entries.push(merged);
        }
    }
    merged_entries.sort_by_key(|e| e.key.start);
    options.entries.extend(merged_entries);
    for o in per_binding {
        for op in o.opaque {
            if !options.opaque.iter().any(|x| x.range == op.range) {
                options.opaque.push(op);
            }
        }
    }
}

/// The value of a string literal without interpolation (raw escapes kept except `\\`, `\"`, `\'`).
fn string_value(node: Node, src: &str) -> Option<String> {
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
                    "keyword_argument" => self.keyword_entry(arg, &mut options, 0),
                    "dictionary_splat" => {
                        let inner = arg.named_child(0).unwrap_or(arg);
                        self.splat(inner, arg, call, &mut options);
                    }
                    "comment" => {}
                    _ => {
                        if self.dict_like(arg).is_some() {
                            self.splat(arg, arg, call, &mut options);
                        } else if positional == 0 {
                            options
                                .entries
                                .push(self.entry("dsn".into(), arg, arg, arg));
                        } else {
                            self.opaque(arg, &mut options);
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
                python.before_send = self.hook(v);
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
                    "keyword_argument" => self.keyword_entry(a, &mut options, 1),
                    "dictionary_splat" => self.opaque(a, &mut options),
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

    fn entry(&self, name: String, key: Node, value: Node<'t>, whole: Node) -> OptionEntry {
        self.entry_at(name, key, value, whole, 0)
    }

    /// An option whose value is evaluated `depth` levels into an enclosing evaluation.
    fn entry_at(
        &self,
        name: String,
        key: Node,
        value: Node<'t>,
        whole: Node,
        depth: usize,
    ) -> OptionEntry {
        OptionEntry {
            name,
            key: key.byte_range(),
            value_range: value.byte_range(),
            entry: whole.byte_range(),
            value: Evaluated {
                value: self.eval(value, depth),
                text: self.t(value).to_string(),
            },
        }
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

    /// A dict literal or `dict(...)` call (directly or through a name).
    fn dict_like(&self, n: Node<'t>) -> Option<Node<'t>> {
        let r = self.resolve_node(n, 0);
        match r.kind() {
            "dictionary" => Some(r),
            "call" => {
                let f = r.child_by_field_name("function")?;
                (self.t(f) == "dict").then_some(r)
            }
            _ => None,
        }
    }

    /// `**opts` or a positional dict: its entries, or an opaque source. A name is read through
    /// each of its bindings visible at the call, with the mutations that run before the call.
    fn splat(&self, inner: Node<'t>, whole: Node, call: Node<'t>, options: &mut Options) {
        let bound = match inner.kind() {
            "identifier" => self.bindings.lookup(self.t(inner), inner),
            _ => vec![],
        };
        if bound.is_empty() {
            self.nested_entries(inner, whole, options, 0);
            return;
        }
        let name = self.t(inner);
        let per_binding: Vec<Options> = bound
            .iter()
            .map(|b| {
                let mut o = Options::default();
                match self.dict_like(b.value) {
                    Some(dict) => self.dict_entries(dict, &mut o, 0),
                    None => o.opaque.push(Opaque {
                        text: self.t(whole).to_string(),
                        range: whole.byte_range(),
                    }),
                }
                self.dict_mutations(name, b.value, call, &mut o);
                o
            })
            .collect();
        merge_bindings(name, per_binding, options);
    }

    /// `name["key"] = value` and `name.update(...)` that run after `binding` and before `call`.
    /// A mutation under a branch that the binding and the call are not both in makes the option
    /// conditional on that branch.
    fn dict_mutations(&self, name: &str, binding: Node<'t>, call: Node<'t>, options: &mut Options) {
        let update = format!("{name}.update");
        self.runs_between(binding, call, |n, guard| match n.kind() {
            "assignment" => {
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return false;
                };
                if l.kind() == "subscript"
                    && l.child_by_field_name("value").map(|v| self.t(v)) == Some(name)
                {
                    if let Some(k) = l.child_by_field_name("subscript") {
                        if let Some(key) = string_value(k, self.src) {
                            let entry = self.entry(key, k, r, n);
                            push_guarded(options, entry, guard.map(|g| self.guard_condition(g)));
                        }
                    }
                }
                false
            }
            "call" => {
                if n.child_by_field_name("function").map(|f| self.t(f)) != Some(update.as_str()) {
                    return true;
                }
                let mut added = Options::default();
                if let Some(args) = n.child_by_field_name("arguments") {
                    let mut c = args.walk();
                    for a in args.named_children(&mut c) {
                        match a.kind() {
                            "keyword_argument" => {
                                if let (Some(k), Some(v)) = (
                                    a.child_by_field_name("name"),
                                    a.child_by_field_name("value"),
                                ) {
                                    added
                                        .entries
                                        .push(self.entry(self.t(k).to_string(), k, v, a));
                                }
                            }
                            "comment" => {}
                            _ => match self.dict_like(a) {
                                Some(d) => self.dict_entries(d, &mut added, 0),
                                None => added.opaque.push(Opaque {
                                    text: self.t(n).to_string(),
                                    range: n.byte_range(),
                                }),
                            },
                        }
                    }
                }
                let condition = guard.map(|g| self.guard_condition(g));
                for entry in added.entries {
                    push_guarded(options, entry, condition.clone());
                }
                options.opaque.extend(added.opaque);
                false
            }
            _ => true,
        });
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

    /// What decides whether a branch runs: the condition of an `if`/`elif`, the negated
    /// condition for its `else`, or the header of a loop, `try` or `except`.
    fn guard_condition(&self, branch: Node<'t>) -> (String, Option<ProdBranch>) {
        let condition_of = |n: Node<'t>| n.child_by_field_name("condition").map(|c| self.t(c));
        let parent = branch.parent();
        let condition = match branch.kind() {
            "if_statement" | "elif_clause" => condition_of(branch).map(str::to_string),
            "else_clause" => parent
                .filter(|p| p.kind() == "if_statement")
                .and_then(condition_of)
                .map(|c| format!("not ({c})")),
            _ => None,
        };
        match condition {
            Some(c) => {
                let production = production_branch(&c);
                (c, production)
            }
            None => {
                let header = self.t(branch).lines().next().unwrap_or("").trim();
                (header.trim_end_matches(':').trim().to_string(), None)
            }
        }
    }

    fn dict_entries(&self, dict: Node<'t>, options: &mut Options, depth: usize) {
        let mut cursor = dict.walk();
        if dict.kind() == "call" {
            // `dict(k=v, **other)`, `dict(other)`.
            if let Some(args) = dict.child_by_field_name("arguments") {
                let mut c = args.walk();
                for a in args.named_children(&mut c) {
                    match a.kind() {
                        "keyword_argument" => self.keyword_entry(a, options, depth),
                        "dictionary_splat" => {
                            self.nested_entries(a.named_child(0).unwrap_or(a), a, options, depth)
                        }
                        "comment" => {}
                        _ => self.nested_entries(a, a, options, depth),
                    }
                }
            }
            return;
        }
        for child in dict.named_children(&mut cursor) {
            match child.kind() {
                "pair" => {
                    if let (Some(k), Some(v)) = (
                        child.child_by_field_name("key"),
                        child.child_by_field_name("value"),
                    ) {
                        match string_value(k, self.src) {
                            Some(key) => {
                                options.entries.push(self.entry_at(key, k, v, child, depth))
                            }
                            None => self.opaque(child, options),
                        }
                    }
                }
                "dictionary_splat" => self.nested_entries(
                    child.named_child(0).unwrap_or(child),
                    child,
                    options,
                    depth,
                ),
                _ => {}
            }
        }
    }

    /// `name=value` as an option.
    fn keyword_entry(&self, arg: Node<'t>, options: &mut Options, depth: usize) {
        if let (Some(k), Some(v)) = (
            arg.child_by_field_name("name"),
            arg.child_by_field_name("value"),
        ) {
            options
                .entries
                .push(self.entry_at(self.t(k).to_string(), k, v, arg, depth));
        }
    }

    /// The entries of a dict given inside another (`**base`), or an opaque source.
    fn nested_entries(&self, inner: Node<'t>, whole: Node, options: &mut Options, depth: usize) {
        match self.dict_like(inner) {
            Some(d) => self.dict_entries(d, options, depth + 1),
            None => self.opaque(whole, options),
        }
    }

    fn opaque(&self, n: Node, options: &mut Options) {
        options.opaque.push(Opaque {
            text: self.t(n).to_string(),
            range: n.byte_range(),
        });
    }

    /// Evaluate an expression.
    fn eval(&self, n: Node<'t>, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Unresolved;
        }
        match n.kind() {
            "parenthesized_expression" => {
                return n
                    .named_child(0)
                    .map(|c| self.eval(c, depth + 1))
                    .unwrap_or(Value::Unresolved)
            }
            "true" => return Value::Literal(Literal::Bool(true)),
            "false" => return Value::Literal(Literal::Bool(false)),
            "none" => return Value::Literal(Literal::Null),
            "dictionary" => {
                let mut o = Options::default();
                self.dict_entries(n, &mut o, depth + 1);
                o.literal = Some(arg_list(n));
                return Value::Map(Box::new(o));
            }
            "list" | "tuple" => {
                let mut c = n.walk();
                let items = n
                    .named_children(&mut c)
                    .filter(|x| x.kind() != "comment")
                    .map(|x| Item {
                        range: x.byte_range(),
                        value: Evaluated {
                            value: match x.kind() {
                                "list_splat" => Value::Unresolved,
                                _ => self.eval(x, depth + 1),
                            },
                            text: self.t(x).to_string(),
                        },
                    })
                    .collect();
                return Value::List(items);
            }
            "integer" | "float" => {
                if let Some(l) = Literal::parse_number(self.t(n)) {
                    return Value::Literal(l);
                }
            }
            "string" | "concatenated_string" => {
                if let Some(s) = string_value(n, self.src) {
                    return Value::Literal(Literal::Str(s));
                }
            }
            "unary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| self.t(o));
                if let Some(arg) = n.child_by_field_name("argument") {
                    let v = self.eval(arg, depth + 1);
                    return match op {
                        Some("-") => v.map_literals(&Literal::negated),
                        Some("+") => v,
                        _ => Value::Unresolved,
                    };
                }
            }
            "not_operator" => {
                if let Some(arg) = n.child_by_field_name("argument") {
                    return self.eval(arg, depth + 1).map_literals(&Literal::negation);
                }
            }
            "conditional_expression" => {
                let mut c = n.walk();
                let parts: Vec<Node> = n
                    .named_children(&mut c)
                    .filter(|x| x.kind() != "comment")
                    .collect();
                if parts.len() == 3 {
                    let condition = self.t(parts[1]).to_string();
                    let production = production_branch(&condition);
                    return Value::Conditional {
                        then: Box::new(self.eval(parts[0], depth + 1)),
                        otherwise: Box::new(self.eval(parts[2], depth + 1)),
                        condition,
                        production,
                        branches: Some((parts[0].byte_range(), parts[2].byte_range())),
                    };
                }
            }
            "identifier" => {
                let found: Vec<Binding> = self.bindings.lookup(self.t(n), n);
                if !found.is_empty() {
                    let values = found
                        .iter()
                        .map(|b| self.eval(b.value, depth + 1))
                        .collect();
                    return join_bindings(self.t(n), values);
                }
                return Value::Unresolved;
            }
            "call" => {
                if n.child_by_field_name("function").map(|f| self.t(f)) == Some("dict") {
                    let mut o = Options::default();
                    self.dict_entries(n, &mut o, depth + 1);
                    return Value::Map(Box::new(o));
                }
                // `bool(x)`, `str(x)`: the value of x (for constants and env reads).
                if let (Some(f), Some(args)) = (
                    n.child_by_field_name("function"),
                    n.child_by_field_name("arguments"),
                ) {
                    if matches!(self.t(f), "bool" | "str" | "int" | "float")
                        && args.named_child_count() == 1
                    {
                        let inner = args.named_child(0).expect("one argument");
                        let v = self.eval(inner, depth + 1);
                        if matches!(v, Value::Env { .. })
                            || self.t(f) == "bool" && v.literal().is_some()
                        {
                            return match self.t(f) {
                                "bool" => v.map_literals(&|l| Some(Literal::Bool(l.truthy()))),
                                _ => v,
                            };
                        }
                    }
                }
            }
            _ => {}
        }
        // An environment or settings read anywhere in the expression, or behind a name it uses,
        // makes it environment-dependent.
        let mut env = None;
        walk(n, |x| {
            if env.is_some() {
                return false;
            }
            env = self.env_read(x);
            if env.is_none() && self.is_name_reference(x) {
                env = self.env_behind(x, depth);
            }
            env.is_none()
        });
        if let Some((var, default)) = env {
            return Value::Env { var, default };
        }
        Value::Unresolved
    }

    /// The environment read a name's value comes from, once per name (expressions that use
    /// several names each would otherwise be evaluated exponentially often).
    fn env_behind(&self, name: Node<'t>, depth: usize) -> Option<EnvRead> {
        if let Some(known) = self.env_behind.borrow().get(&name.id()) {
            return known.clone();
        }
        let found = match self.eval(name, depth + 1) {
            Value::Env { var, default } => Some((var, default)),
            _ => None,
        };
        self.env_behind
            .borrow_mut()
            .insert(name.id(), found.clone());
        found
    }

    /// An identifier used as a value: not an attribute name (`x.NAME`) or a keyword (`NAME=...`).
    fn is_name_reference(&self, n: Node) -> bool {
        if n.kind() != "identifier" {
            return false;
        }
        let Some(p) = n.parent() else {
            return true;
        };
        let is_field = |field: &str| p.child_by_field_name(field).map(|c| c.id()) == Some(n.id());
        !(p.kind() == "attribute" && is_field("attribute")
            || p.kind() == "keyword_argument" && is_field("name"))
    }

    /// `os.getenv("X", d)`, `os.environ.get("X")`, `os.environ["X"]`, `env.bool("X", default=d)`,
    /// `config("X", default=d)`, `settings.X`, `get_settings().X`.
    fn env_read(&self, n: Node<'t>) -> Option<EnvRead> {
        match n.kind() {
            "call" => {
                let f = n.child_by_field_name("function")?;
                let ft = self.t(f);
                if ft == "getattr" {
                    return self.settings_getattr(n);
                }
                let env_fn = matches!(
                    ft,
                    "os.getenv"
                        | "getenv"
                        | "os.environ.get"
                        | "environ.get"
                        | "env"
                        | "config"
                        | "os.environ.setdefault"
                ) || (f.kind() == "attribute"
                    && f.child_by_field_name("object").map(|o| self.t(o)) == Some("env"));
                if !env_fn {
                    return None;
                }
                let args = n.child_by_field_name("arguments")?;
                let mut c = args.walk();
                let mut var = None;
                let mut default = None;
                let mut positional = 0;
                for a in args.named_children(&mut c) {
                    if a.kind() == "keyword_argument" {
                        if a.child_by_field_name("name").map(|k| self.t(k)) == Some("default") {
                            default = a
                                .child_by_field_name("value")
                                .and_then(|v| self.eval(v, MAX_DEPTH - 1).literal().cloned());
                        }
                        continue;
                    }
                    if a.kind() == "comment" {
                        continue;
                    }
                    match positional {
                        0 => {
                            var = Some(
                                string_value(a, self.src).unwrap_or_else(|| self.t(a).to_string()),
                            )
                        }
                        1 => default = self.eval(a, MAX_DEPTH - 1).literal().cloned(),
                        _ => {}
                    }
                    positional += 1;
                }
                Some((var?, default))
            }
            "subscript" => {
                let v = n.child_by_field_name("value")?;
                let vt = self.t(v);
                let is_env = matches!(vt, "os.environ" | "environ") || settings_like(vt);
                if !is_env {
                    return None;
                }
                let key = n.child_by_field_name("subscript")?;
                Some((
                    string_value(key, self.src).unwrap_or_else(|| self.t(key).to_string()),
                    None,
                ))
            }
            "attribute" => {
                let obj = n.child_by_field_name("object")?;
                let attr = n.child_by_field_name("attribute")?;
                settings_like(self.t(obj)).then(|| (self.t(attr).to_string(), None))
            }
            _ => None,
        }
    }

    /// `getattr(settings, "NAME", default)`: the setting `NAME`.
    fn settings_getattr(&self, call: Node<'t>) -> Option<EnvRead> {
        let args = call.child_by_field_name("arguments")?;
        let mut c = args.walk();
        let positional: Vec<Node> = args
            .named_children(&mut c)
            .filter(|a| a.kind() != "comment")
            .collect();
        let (obj, name) = (positional.first()?, positional.get(1)?);
        if obj.kind() == "keyword_argument" || !settings_like(self.t(*obj)) {
            return None;
        }
        let var = string_value(*name, self.src)?;
        let default = positional
            .get(2)
            .and_then(|d| self.eval(*d, MAX_DEPTH - 1).literal().cloned());
        Some((var, default))
    }

    /// `before_send=...`.
    fn hook(&self, v: Node<'t>) -> Option<Hook> {
        let text = self.t(v).to_string();
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
                        Some(b) if b.value.kind() != "identifier" => return self.hook(b.value),
                        Some(b) => return self.hook(b.value),
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
                    "recursive" => {
                        recursive = Some(Evaluated {
                            value: self.eval(value, 0),
                            text: self.t(value).to_string(),
                        })
                    }
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

/// `settings`, `django.conf.settings`, `app.config`, `get_settings()`, `self.settings`.
fn settings_like(t: &str) -> bool {
    let t = t.trim_end_matches("()").to_ascii_lowercase();
    let last = t.rsplit('.').next().unwrap_or(&t);
    last.ends_with("settings") || last == "config" || last == "conf" || last == "cfg"
}
