//! The walk over one event (or one envelope item, one rrweb event): a serde visitor that sees
//! every key and value as it is parsed, keeping only the path to the current value, and feeds the
//! rules. Nothing of the event is kept, so an event of any size streams through in bounded
//! memory; the walk runs the same over an event already parsed into a `serde_json::Value`.

use std::cell::Cell;
use std::fmt::{self, Write as _};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Collector, Pos, Seg};
use crate::evidence::rules::{
    credential_in_event as credential, customer_field_in_event as customer,
    frame_vars_in_event as vars, personal_data_in_event as personal, request_body_in_event as body,
};
use crate::registry::Rule;

/// Where the walk reads positions from: the reader it parses from, or one fixed place (an event
/// already parsed, a compressed payload).
#[derive(Clone, Copy)]
pub enum PosSource<'a> {
    Live(&'a Cell<Pos>),
    Fixed(Pos),
}

impl PosSource<'_> {
    fn now(&self) -> Pos {
        match self {
            PosSource::Live(c) => c.get(),
            PosSource::Fixed(p) => *p,
        }
    }
}

/// A scope that reports once when it closes, if a value inside it was not scrubbed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Field,
    Credential,
    Body,
    Vars,
    /// IP addresses are personal data here (`user`, forwarding headers): no report of its own.
    Ip,
}

struct Scope {
    kind: ScopeKind,
    /// `segs.len()` when it opened.
    depth: usize,
    path: String,
    pos: Pos,
    /// The field or key it is about.
    name: String,
    dirty: bool,
}

/// One segment of the current path.
struct SegBuf {
    /// The length of `Walk::path` before it.
    path_len: usize,
    /// The key, in `Walk::keys`, or an index.
    key: Option<(usize, usize)>,
    index: usize,
}

/// The state of the walk over one root (an event, an envelope item).
pub struct Walk<'a> {
    out: &'a mut Collector,
    pos: PosSource<'a>,
    fields: &'a [String],
    /// Shown before every path (`items[2].`, `[3].`).
    prefix: String,
    path: String,
    keys: String,
    segs: Vec<SegBuf>,
    scopes: Vec<Scope>,
    meta_depth: Option<usize>,
    /// The last short string leaf and the depth it was at (pair keys, `{key, value}` objects),
    /// kept only while `want_str`.
    last_str: Option<(usize, String)>,
    want_str: bool,
    /// Whether the root is an error event.
    pub error_event: bool,
    /// Inside a JSON document held in a string (a request body).
    in_json_string: bool,
}

/// The longest string judged as the JSON document it holds.
const MAX_JSON_STRING: usize = 1 << 20;

/// The longest string kept as a pair key.
const MAX_PAIR_KEY: usize = 256;

impl<'a> Walk<'a> {
    pub fn new(
        out: &'a mut Collector,
        fields: &'a [String],
        pos: PosSource<'a>,
        prefix: String,
    ) -> Walk<'a> {
        Walk {
            out,
            pos,
            fields,
            prefix,
            path: String::new(),
            keys: String::new(),
            segs: Vec::new(),
            scopes: Vec::new(),
            meta_depth: None,
            last_str: None,
            want_str: false,
            error_event: false,
            in_json_string: false,
        }
    }

    /// Walk one value from a deserializer (a reader being parsed, or a parsed `Value`).
    pub fn run<'de, D: Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        Node { w: self }.deserialize(d)
    }

    fn seg(&self, i: usize) -> Seg<'_> {
        match self.segs[i].key {
            Some((a, b)) => Seg::Key(&self.keys[a..b]),
            None => Seg::Index(self.segs[i].index),
        }
    }

    fn segs_view(&self) -> Vec<Seg<'_>> {
        (0..self.segs.len()).map(|i| self.seg(i)).collect()
    }

    fn full_path(&self) -> String {
        let p = self.path.strip_prefix('.').unwrap_or(&self.path);
        if self.prefix.is_empty() {
            p.to_string()
        } else if p.is_empty() || p.starts_with('[') {
            format!("{}{p}", self.prefix.trim_end_matches('.'))
        } else {
            format!("{}{p}", self.prefix)
        }
    }

    fn in_meta(&self) -> bool {
        self.meta_depth.is_some()
    }

    fn has_scope(&self, kind: ScopeKind) -> bool {
        self.scopes.iter().any(|s| s.kind == kind)
    }

    fn open(&mut self, kind: ScopeKind, name: &str, pos: Pos) {
        self.scopes.push(Scope {
            kind,
            depth: self.segs.len(),
            path: self.full_path(),
            pos,
            name: name.to_string(),
            dirty: false,
        });
    }

    /// Enter a key (`name`) or an index (`name` is the pair key it stands for, if any).
    fn enter(&mut self, key: Option<&str>, index: usize, virtual_name: Option<&str>) {
        let path_len = self.path.len();
        let pos = self.key_pos(key);
        match key {
            Some(k) => {
                let a = self.keys.len();
                self.keys.push_str(k);
                self.segs.push(SegBuf {
                    path_len,
                    key: Some((a, self.keys.len())),
                    index: 0,
                });
                push_key(&mut self.path, k);
            }
            None => {
                self.segs.push(SegBuf {
                    path_len,
                    key: None,
                    index,
                });
                let _ = write!(self.path, "[{index}]");
            }
        }
        let depth = self.segs.len();
        if depth == 1 && key == Some("_meta") {
            self.meta_depth = Some(depth);
        }
        if self.in_meta() {
            return;
        }
        if depth == 1 && key == Some("exception") {
            self.error_event = true;
        }
        let name = virtual_name.or(key);
        if let Some(name) = name {
            let class = self.out.classify(name);
            if let Some(i) = class.field {
                if !self.has_scope(ScopeKind::Field) {
                    let field = self.fields[i].clone();
                    self.open(ScopeKind::Field, &field, pos);
                }
            } else if class.credential && !self.has_scope(ScopeKind::Credential) {
                self.open(ScopeKind::Credential, name, pos);
            }
            let ip = if depth == 1 { name == "user" } else { class.ip };
            if ip && !self.has_scope(ScopeKind::Ip) {
                self.open(ScopeKind::Ip, name, pos);
            }
        }
        if key == Some("data") || key == Some("vars") {
            let view = self.segs_view();
            if body::is_body(&view) && !self.has_scope(ScopeKind::Body) {
                self.open(ScopeKind::Body, "", pos);
            } else if vars::is_frame_vars(&view) && !self.has_scope(ScopeKind::Vars) {
                self.open(ScopeKind::Vars, "", pos);
            }
        }
    }

    fn leave(&mut self) {
        let depth = self.segs.len();
        while self.scopes.last().is_some_and(|s| s.depth == depth) {
            let s = self.scopes.pop().expect("checked");
            if s.dirty {
                self.report_scope(s);
            }
        }
        if self.meta_depth == Some(depth) {
            self.meta_depth = None;
        }
        let seg = self.segs.pop().expect("leave after enter");
        if let Some((a, _)) = seg.key {
            self.keys.truncate(a);
        }
        self.path.truncate(seg.path_len);
    }

    fn report_scope(&mut self, s: Scope) {
        let rule = match s.kind {
            ScopeKind::Field => Rule::CustomerFieldInEvent,
            ScopeKind::Credential => Rule::CredentialInEvent,
            ScopeKind::Body => Rule::RequestBodyInEvent,
            ScopeKind::Vars => Rule::FrameVarsInEvent,
            ScopeKind::Ip => return,
        };
        let Scope {
            kind, path, name, ..
        } = &s;
        self.out.add(
            rule,
            path,
            "",
            || match kind {
                ScopeKind::Field => {
                    format!("`{path}` holds the customer field `{name}`, not scrubbed")
                }
                ScopeKind::Credential => format!("`{path}` holds a credential (`{name}`) in clear"),
                ScopeKind::Body => format!("`{path}` is the body of an incoming request"),
                _ => format!("`{path}` holds a stack frame's local variables"),
            },
            s.pos,
        );
    }

    /// Where the key just read starts (the reader is past its closing quote).
    fn key_pos(&self, key: Option<&str>) -> Pos {
        let now = self.pos.now();
        match (self.pos, key) {
            (PosSource::Live(_), Some(k)) => Pos {
                line: now.line,
                column: now.column.saturating_sub(k.chars().count() + 2).max(1),
            },
            _ => now,
        }
    }

    fn dirty(&mut self) {
        for s in &mut self.scopes {
            s.dirty = true;
        }
    }

    fn leaf_str(&mut self, s: &str) {
        let depth = self.segs.len();
        if self.want_str {
            self.last_str = (s.len() <= MAX_PAIR_KEY).then(|| (depth, s.to_string()));
        }
        if self.in_meta() {
            return;
        }
        let scrubbed = customer::is_scrubbed(s);
        if !scrubbed {
            self.dirty();
        }
        // An error event: `level` error or fatal, or an `exception` entry in the API format.
        match depth {
            1 if self.seg(0) == Seg::Key("level") => {
                self.error_event |= matches!(s, "error" | "fatal");
            }
            3 if s == "exception"
                && self.seg(0) == Seg::Key("entries")
                && self.seg(2) == Seg::Key("type") =>
            {
                self.error_event = true;
            }
            _ => {}
        }
        if scrubbed || self.has_scope(ScopeKind::Field) || self.has_scope(ScopeKind::Credential) {
            return;
        }
        // A body sent as a JSON string (the JS SDKs do): judged as the JSON it holds.
        if self.has_scope(ScopeKind::Body) && !self.in_json_string {
            let t = s.trim_start();
            if t.starts_with(['{', '[']) && s.len() <= MAX_JSON_STRING {
                if let Ok(inner) = serde_json::from_str::<serde_json::Value>(s) {
                    self.in_json_string = true;
                    let _ = Node { w: self }.deserialize(&inner);
                    self.in_json_string = false;
                    return;
                }
            }
        }
        // A query string or form body with a customer field: `ticket=881&ticket_data=…`.
        if s.contains('=') {
            if let Some(field) = query_field(s, self.fields) {
                let path = self.full_path();
                let pos = self.leaf_pos();
                let field = field.to_string();
                self.out.add(
                    Rule::CustomerFieldInEvent,
                    &path,
                    &field,
                    || format!("`{path}` holds the customer field `{field}` in a query string"),
                    pos,
                );
            }
        }
        let mut kinds = Vec::new();
        personal::scan(s, self.has_scope(ScopeKind::Ip), &mut kinds);
        if !kinds.is_empty() {
            let path = self.full_path();
            let pos = self.leaf_pos();
            for k in kinds {
                self.out.add(
                    Rule::PersonalDataInEvent,
                    &path,
                    k.describe(),
                    || format!("`{path}` holds {}", k.describe()),
                    pos,
                );
            }
        }
        if let Some(kind) = credential::scan(s) {
            let path = self.full_path();
            let pos = self.leaf_pos();
            self.out.add(
                Rule::CredentialInEvent,
                &path,
                kind,
                || format!("`{path}` holds {kind}"),
                pos,
            );
        }
    }

    /// A leaf's place: its key's, or the reader's for an array item.
    fn leaf_pos(&self) -> Pos {
        self.pos.now()
    }

    fn leaf_other(&mut self) {
        self.last_str = None;
        if !self.in_meta() {
            self.dirty();
        }
    }
}

/// The configured field a query string (`a=1&ticket_data=x`) gives a value that is not scrubbed.
fn query_field<'f>(s: &str, fields: &'f [String]) -> Option<&'f str> {
    // URL-encoded: no white space (a line of source code is not a query string).
    if s.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    s.trim_start_matches('?')
        .split(['&', ';'])
        .find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let k = k.trim();
            (!customer::is_scrubbed(v) && !v.is_empty())
                .then(|| customer::field_of(k, fields))
                .flatten()
        })
}

/// A key whose value is an IP address that identifies the sender (below the root; at the root,
/// `user`): the forwarding headers and `REMOTE_ADDR`.
pub fn is_ip_key(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("forwarded")
        || n.ends_with("-ip")
        || n.ends_with("_ip")
        || n == "remote_addr"
        || n == "ip_address"
}

fn push_key(path: &mut String, k: &str) {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain {
        path.push('.');
        path.push_str(k);
    } else {
        path.push('[');
        path.push_str(&serde_json::Value::from(k).to_string());
        path.push(']');
    }
}

/// The visitor of one value at the current path.
struct Node<'w, 'a> {
    w: &'w mut Walk<'a>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// A value under a key or at an index: enters the segment, walks, leaves.
struct Child<'w, 'a, 'k> {
    w: &'w mut Walk<'a>,
    key: Option<&'k str>,
    index: usize,
    virtual_name: Option<&'k str>,
}

impl<'de> DeserializeSeed<'de> for Child<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.w.enter(self.key, self.index, self.virtual_name);
        let r = d.deserialize_any(Node { w: &mut *self.w });
        self.w.leave();
        r
    }
}

/// Reads a map key into a buffer.
struct Key<'b> {
    buf: &'b mut String,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.buf.clear();
        self.buf.push_str(v);
        Ok(())
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.w.leaf_other();
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.w.leaf_other();
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.w.leaf_other();
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.w.leaf_other();
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.w.leaf_str(v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.w.last_str = None;
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.w.last_str = None;
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // An array inside an array is a pair list's item (`[["Authorization", "…"]]`): its second
        // value is judged under the name its first one gives.
        let pair = self.w.segs.last().is_some_and(|s| s.key.is_none());
        let depth = self.w.segs.len();
        let mut pair_key: Option<String> = None;
        let mut i = 0;
        loop {
            self.w.last_str = None;
            self.w.want_str = pair && i == 0;
            let got = seq.next_element_seed(Child {
                w: &mut *self.w,
                key: None,
                index: i,
                virtual_name: if i == 1 { pair_key.as_deref() } else { None },
            })?;
            if got.is_none() {
                break;
            }
            if pair && i == 0 {
                pair_key = match self.w.last_str.take() {
                    Some((d, s)) if d == depth + 1 => Some(s),
                    _ => None,
                };
            }
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let depth = self.w.segs.len();
        let mut key = String::new();
        // `{"key": "ticket_data", "value": "…"}` (tags in the API format).
        let mut kv_key: Option<String> = None;
        while map.next_key_seed(Key { buf: &mut key })?.is_some() {
            self.w.last_str = None;
            self.w.want_str = key == "key";
            let is_value = key == "value";
            map.next_value_seed(Child {
                w: &mut *self.w,
                key: Some(&key),
                index: 0,
                virtual_name: if is_value { kv_key.as_deref() } else { None },
            })?;
            if key == "key" {
                kv_key = match self.w.last_str.take() {
                    Some((d, s)) if d == depth + 1 => Some(s),
                    _ => None,
                };
            }
        }
        Ok(())
    }
}
