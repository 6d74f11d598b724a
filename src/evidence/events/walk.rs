//! The walk over one event (or one envelope item, one rrweb event): a serde visitor that sees
//! every key and value as it is parsed, keeping only the path to the current value, and feeds the
//! rules. Nothing of the event is kept, so an event of any size streams through in bounded
//! memory; the walk runs the same over an event already parsed into a `serde_json::Value`.

use std::cell::Cell;
use std::fmt;

use std::hash::Hasher as _;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use super::{Collector, KeyClass, KeyHasher, Pos, Seg};
use crate::evidence::rules::glance::Glance;
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
    /// `segs.len()` when it opened (the path is written when it reports, from the segments).
    depth: usize,
    pos: Pos,
    /// The field or key it is about.
    name: ScopeName,
}

/// What a [`Scope`] is about: a configured field (its index), a key (a credential's), nothing.
enum ScopeName {
    None,
    Field(u32),
    Key(String),
}

/// One segment of the current path: a key, in `Walk::src` or in `Walk::keys`, or an index. Kept
/// in two numbers, which is all a segment pushed and popped for every key and index costs.
#[derive(Clone, Copy)]
struct SegBuf {
    /// The key's start, or the index.
    start: usize,
    /// The key's end, with [`IN_KEYS`] for a key in `Walk::keys`; [`INDEX`] for an index.
    end: usize,
}

/// [`SegBuf::end`] of an index.
const INDEX: usize = usize::MAX;
/// The mark on [`SegBuf::end`] of a key in `Walk::keys` (not in `Walk::src`).
const IN_KEYS: usize = 1 << (usize::BITS - 1);

impl SegBuf {
    fn in_src(a: usize, b: usize) -> SegBuf {
        SegBuf { start: a, end: b }
    }

    fn in_keys(a: usize, b: usize) -> SegBuf {
        SegBuf {
            start: a,
            end: b | IN_KEYS,
        }
    }

    fn index(i: usize) -> SegBuf {
        SegBuf {
            start: i,
            end: INDEX,
        }
    }

    fn is_index(&self) -> bool {
        self.end == INDEX
    }

    /// A key in `Walk::src`.
    fn is_in_src(&self) -> bool {
        self.end & IN_KEYS == 0
    }

    /// The key's range, in `Walk::src` or `Walk::keys`; `None` for an index.
    #[inline]
    fn range(&self) -> Option<(usize, usize)> {
        (!self.is_index()).then_some((self.start, self.end & !IN_KEYS))
    }

    /// The segment's key: `keys` and `src` are the walk's.
    #[inline]
    fn key<'k>(&self, keys: &'k str, src: &'k str) -> Option<&'k str> {
        let (a, b) = self.range()?;
        Some(if self.is_in_src() {
            &src[a..b]
        } else {
            &keys[a..b]
        })
    }
}

/// `a == b`, without calling `memcmp` for two empty strings. An empty `String` points at no
/// memory, and glibc's `memcmp` for AVX-512 reads even zero bytes with a masked load: on AMD's
/// Zen 5, that load at an address with no page is a microcode assist, about 80 ns a call against
/// 1.5 ns at a real address. The walk compares empty strings often: a scope's finding has no
/// detail, a JSON line no prefix.
#[inline(always)]
fn same_str(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

/// A hit counted lately ([`Walk::count_recent`]).
#[derive(Default)]
struct Recent {
    /// `None`: not in use.
    rule: Option<Rule>,
    detail: String,
    hit: usize,
    /// The path's keys (their places in `Walk::src`), `None` for an index.
    segs: Vec<Option<(usize, usize)>>,
}

/// How many hits [`Walk::count_recent`] keeps: a walk often finds the same few findings in turn
/// (a frame's `vars` and a customer field in them, frame after frame).
const RECENT: usize = 4;

/// A walk's buffers, handed from one walk to the next (the lines of a file) so that each walk does
/// not allocate them again.
#[derive(Default)]
pub struct Buffers {
    keys: String,
    key: String,
    path: String,
    shape: String,
    raw: Vec<u8>,
    segs: Vec<SegBuf>,
    scopes: Vec<Scope>,
    siblings: Vec<u64>,
    recent: Vec<Recent>,
    /// The prefix the shapes were written for, and its shapes (`Walk::prefix_shapes`).
    shapes_of: String,
    prefix_shapes: Option<[Option<String>; 2]>,
}

/// The state of the walk over one root (an event, an envelope item).
pub struct Walk<'a> {
    out: &'a mut Collector,
    pos: PosSource<'a>,
    fields: &'a [String],
    /// Shown before every path (`items[2].`, `[3].`).
    prefix: String,
    /// The keys of the current path, one after the other (the segments point into it), but for
    /// the keys that are part of `src`.
    keys: String,
    /// The text walked, when the walk is driven from it ([`super::text`]): its keys are not
    /// copied.
    pub(super) src: &'a str,
    /// The key being read (a map key is read before its value is entered).
    key: String,
    /// The current path, written only when a finding needs it.
    path: String,
    /// The current path's shape ([`Walk::write_shape`]).
    shape: String,
    /// The shape of the prefix, as the shape of a path starts with it (after a plain key first
    /// and after anything else); `None` when the shape is to be worked out from the path.
    /// Written at the first finding.
    prefix_shapes: Option<[Option<String>; 2]>,
    /// The raw key of the finding being reported ([`Walk::write_raw`]).
    raw: Vec<u8>,
    segs: Vec<SegBuf>,
    scopes: Vec<Scope>,
    /// The scopes below this place in `scopes` hold a value that is not scrubbed (the ones
    /// opened since do not, yet).
    dirty_below: usize,
    /// How many scopes of each kind are open.
    open_kinds: [u16; 5],
    meta_depth: Option<usize>,
    /// The last short string leaf and the depth it was at (pair keys, `{key, value}` objects),
    /// kept only while `want_str`.
    last_str: Option<(usize, String)>,
    want_str: bool,
    /// Whether the root is an error event.
    pub error_event: bool,
    /// Inside a JSON document held in a string (a request body).
    in_json_string: bool,
    /// Stop with an error at a key given twice in an object (`repeated_key` tells it), for the
    /// caller to judge the object serde_json would keep instead.
    pub unique_keys: bool,
    pub repeated_key: bool,
    /// Hashes of the keys of the objects being read, when `unique_keys`.
    siblings: Vec<u64>,
    /// Hits counted lately, and which of them to replace next.
    recent: Vec<Recent>,
    recent_next: usize,
}

/// The keys the walk looks for by name, whatever else they name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// `_meta` at the root: Sentry's own notes, not judged.
    Meta,
    /// `exception` at the root: an error event.
    Exception,
    /// `user` at the root: IP addresses there are personal data.
    User,
    /// `data` and `vars`: a request body or a frame's local variables, by the path above.
    Data,
    Vars,
}

impl Named {
    pub fn of(key: &str) -> Option<Named> {
        match key {
            "_meta" => Some(Named::Meta),
            "exception" => Some(Named::Exception),
            "user" => Some(Named::User),
            "data" => Some(Named::Data),
            "vars" => Some(Named::Vars),
            _ => None,
        }
    }
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
        Walk::with_buffers(out, fields, pos, prefix, Buffers::default())
    }

    /// A walk that writes in the buffers of one before it ([`Walk::into_buffers`]).
    pub fn with_buffers(
        out: &'a mut Collector,
        fields: &'a [String],
        pos: PosSource<'a>,
        prefix: String,
        b: Buffers,
    ) -> Walk<'a> {
        let prefix_shapes = b.prefix_shapes.filter(|_| same_str(&b.shapes_of, &prefix));
        let mut recent = b.recent;
        // Their places were in another walk's text.
        for r in &mut recent {
            r.rule = None;
        }
        Walk {
            out,
            pos,
            fields,
            prefix,
            keys: b.keys,
            src: "",
            key: b.key,
            path: b.path,
            shape: b.shape,
            prefix_shapes,
            raw: b.raw,
            segs: b.segs,
            scopes: b.scopes,
            dirty_below: 0,
            open_kinds: [0; 5],
            meta_depth: None,
            last_str: None,
            want_str: false,
            error_event: false,
            in_json_string: false,
            unique_keys: false,
            repeated_key: false,
            siblings: b.siblings,
            recent,
            recent_next: 0,
        }
    }

    /// The walk's buffers, emptied, for the next walk.
    pub fn into_buffers(mut self) -> Buffers {
        self.keys.clear();
        self.key.clear();
        self.segs.clear();
        self.scopes.clear();
        self.siblings.clear();
        Buffers {
            keys: self.keys,
            key: self.key,
            path: self.path,
            shape: self.shape,
            raw: self.raw,
            segs: self.segs,
            scopes: self.scopes,
            siblings: self.siblings,
            recent: self.recent,
            shapes_of: self.prefix,
            prefix_shapes: self.prefix_shapes,
        }
    }

    /// Walk one value from a deserializer (a reader being parsed, or a parsed `Value`).
    pub fn run<'de, D: Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error> {
        Node { w: self }.deserialize(d)
    }

    #[inline(always)]
    fn seg(&self, i: usize) -> Seg<'_> {
        let s = &self.segs[i];
        match s.key(&self.keys, self.src) {
            Some(k) => Seg::Key(k),
            None => Seg::Index(s.start),
        }
    }

    /// The current path with the prefix, as shown in findings (`exception.values[0].vars`,
    /// `[3].extra`), written into `self.path`.
    fn write_path(&mut self) {
        // A plain key first is written without its dot, after the whole prefix; anything else
        // (an index, a quoted key, nothing) comes after the prefix without its last dot.
        let plain_first = self.plain_first();
        let path = &mut self.path;
        path.clear();
        if plain_first {
            path.push_str(&self.prefix);
        } else {
            path.push_str(self.prefix.trim_end_matches('.'));
        }
        for (i, s) in self.segs.iter().enumerate() {
            match s.key(&self.keys, self.src) {
                Some(k) => {
                    if i == 0 && plain_first {
                        path.push_str(k);
                    } else {
                        push_key(path, k);
                    }
                }
                None => push_index(path, s.start),
            }
        }
    }

    fn in_meta(&self) -> bool {
        self.meta_depth.is_some()
    }

    fn has_scope(&self, kind: ScopeKind) -> bool {
        self.open_kinds[kind as usize] > 0
    }

    fn open(&mut self, kind: ScopeKind, name: ScopeName, pos: Pos) {
        self.open_kinds[kind as usize] += 1;
        self.scopes.push(Scope {
            kind,
            depth: self.segs.len(),
            pos,
            name,
        });
    }

    /// Enter `key`, or the index when there is no key (`virtual_name` is the pair key it stands
    /// for, if any).
    #[inline(always)]
    pub(super) fn enter(&mut self, key: Option<&str>, index: usize, virtual_name: Option<&str>) {
        let mut padded = None;
        match key {
            Some(k) => {
                // A key that is part of the text walked is kept as its place there.
                let at = (k.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
                let seg = if at <= self.src.len() && k.len() <= self.src.len() - at {
                    // A short key with sixteen bytes of the text from its start is read from it.
                    if k.len() <= 16 && self.src.len() - at >= 16 {
                        padded = Some(super::padded_key_in(self.src.as_bytes(), at, k.len()));
                    }
                    SegBuf::in_src(at, at + k.len())
                } else {
                    let a = self.keys.len();
                    self.keys.push_str(k);
                    SegBuf::in_keys(a, self.keys.len())
                };
                self.segs.push(seg);
            }
            None => self.segs.push(SegBuf::index(index)),
        }
        self.judge_key(key, virtual_name, padded);
    }

    /// `padded`: the key's [`super::padded_key`], when it was read from the text.
    #[inline(always)]
    fn judge_key(
        &mut self,
        key: Option<&str>,
        virtual_name: Option<&str>,
        padded: Option<(u8, u64, u64)>,
    ) {
        // An index, or a key with nothing to judge (most keys): nothing to do.
        let Some(name) = virtual_name.or(key) else {
            return;
        };
        let class = match (virtual_name, padded) {
            (None, Some(p)) => self.out.classify_padded(Some(p), name),
            _ => self.out.classify(name),
        };
        if virtual_name.is_none() && class.plain() {
            return;
        }
        // The key itself is looked for by name only when it stands for no other name (the
        // `value` of a `{key, value}` object, a pair's second item).
        let key_named = if virtual_name.is_none() {
            class.named
        } else {
            None
        };
        self.judge_named(key, name, class, key_named);
    }

    /// A key that opens a scope or is looked for by name (`name` is what it stands for, `class`
    /// what that names).
    #[inline(never)]
    fn judge_named(
        &mut self,
        key: Option<&str>,
        name: &str,
        class: KeyClass,
        key_named: Option<Named>,
    ) {
        let pos = self.key_pos(key);
        let depth = self.segs.len();
        if depth == 1 && key_named == Some(Named::Meta) {
            self.meta_depth = Some(depth);
        }
        if self.in_meta() {
            return;
        }
        if depth == 1 && key_named == Some(Named::Exception) {
            self.error_event = true;
        }
        if let Some(i) = class.field {
            if !self.has_scope(ScopeKind::Field) {
                self.open(ScopeKind::Field, ScopeName::Field(i), pos);
            }
        } else if class.credential && !self.has_scope(ScopeKind::Credential) {
            self.open(ScopeKind::Credential, ScopeName::Key(name.to_string()), pos);
        }
        let ip = if depth == 1 {
            class.named == Some(Named::User)
        } else {
            class.ip
        };
        if ip && !self.has_scope(ScopeKind::Ip) {
            self.open(ScopeKind::Ip, ScopeName::None, pos);
        }
        if let Some(Named::Data | Named::Vars) = key_named {
            // The rules look at the whole path (a body is `request.data` or
            // `entries[N].data.data`) or at its end (`frames[N].vars`): the last four segments
            // tell both.
            let tail = depth.min(4);
            let mut view = [Seg::Index(0); 4];
            for (k, v) in view.iter_mut().take(tail).enumerate() {
                *v = self.seg(depth - tail + k);
            }
            let view = &view[..tail];
            if depth == tail && body::is_body(view) && !self.has_scope(ScopeKind::Body) {
                self.open(ScopeKind::Body, ScopeName::None, pos);
            } else if vars::is_frame_vars(view) && !self.has_scope(ScopeKind::Vars) {
                self.open(ScopeKind::Vars, ScopeName::None, pos);
            }
        }
    }

    #[inline(always)]
    pub(super) fn leave(&mut self) {
        let depth = self.segs.len();
        while self.scopes.last().is_some_and(|s| s.depth == depth) {
            let s = self.scopes.pop().expect("checked");
            self.open_kinds[s.kind as usize] -= 1;
            let i = self.scopes.len();
            let dirty = i < self.dirty_below;
            self.dirty_below = self.dirty_below.min(i);
            if dirty {
                self.report_scope(s);
            }
        }
        if self.meta_depth == Some(depth) {
            self.meta_depth = None;
        }
        let seg = self.segs.pop().expect("leave after enter");
        if !seg.is_index() && !seg.is_in_src() {
            let a = seg.start;
            self.keys.truncate(a);
        }
    }

    fn report_scope(&mut self, s: Scope) {
        let rule = match s.kind {
            ScopeKind::Field => Rule::CustomerFieldInEvent,
            ScopeKind::Credential => Rule::CredentialInEvent,
            ScopeKind::Body => Rule::RequestBodyInEvent,
            ScopeKind::Vars => Rule::FrameVarsInEvent,
            ScopeKind::Ip => return,
        };
        let fields = self.fields;
        let name = match &s.name {
            ScopeName::Field(i) => fields[*i as usize].as_str(),
            ScopeName::Key(k) => k.as_str(),
            ScopeName::None => "",
        };
        let kind = s.kind;
        self.report(
            rule,
            "",
            |path| match kind {
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

    /// Report `rule` at the current path. A finding already made at a path of the same shape is
    /// counted without writing the path, one already made with the same raw key without writing
    /// the shape either, and one made lately at a path of the same keys without writing its raw
    /// key ([`Walk::count_recent`]).
    fn report(&mut self, rule: Rule, detail: &str, message: impl FnOnce(&str) -> String, pos: Pos) {
        if self.count_recent(rule, detail) {
            return;
        }
        let raw = self.write_raw(rule, detail);
        let counted = if raw {
            self.out.count_raw(rule, &self.raw)
        } else {
            None
        };
        let hit = counted.unwrap_or_else(|| {
            let hit = match self.write_shape() {
                true => self.out.count_shaped(rule, &self.shape, detail),
                false => None,
            };
            let hit = hit.unwrap_or_else(|| {
                self.write_path();
                let path = &self.path;
                self.out.add(rule, path, detail, || message(path), pos)
            });
            if let (true, Some(i)) = (raw, hit) {
                self.out.remember_raw(&self.raw, i);
            }
            hit
        });
        if let Some(i) = hit {
            self.remember_recent(rule, detail, i);
        }
    }

    /// Count the finding of `rule` with `detail` at the current path into a recent hit made at a
    /// path of the same keys (its indices may differ), which has the same raw key: true when
    /// there is one.
    #[inline]
    fn count_recent(&mut self, rule: Rule, detail: &str) -> bool {
        let (segs, src) = (&self.segs, self.src.as_bytes());
        let found = self.recent.iter().find(|r| {
            r.rule == Some(rule)
                && r.segs.len() == segs.len()
                && same_str(&r.detail, detail)
                && segs
                    .iter()
                    .zip(&r.segs)
                    .all(|(s, was)| match (s.range(), was) {
                        (None, None) => true,
                        // The same place in the text, or the same bytes at another.
                        (Some(k), Some(was)) => {
                            s.is_in_src() && (k == *was || src[k.0..k.1] == src[was.0..was.1])
                        }
                        _ => false,
                    })
        });
        match found {
            Some(r) => {
                let i = r.hit;
                self.out.count_hit(i);
                true
            }
            None => false,
        }
    }

    /// Remember hit `i` as the one findings of `rule` with `detail` at a path of the current
    /// keys count into, when the path's keys are all in the text walked (others are not kept
    /// where they were).
    fn remember_recent(&mut self, rule: Rule, detail: &str, i: usize) {
        if !self.segs.iter().all(|s| s.is_index() || s.is_in_src()) {
            return;
        }
        if self.recent.len() < RECENT {
            self.recent.push(Recent::default());
        }
        let at = self.recent_next % self.recent.len();
        self.recent_next = at + 1;
        let r = &mut self.recent[at];
        r.rule = Some(rule);
        r.detail.clear();
        r.detail.push_str(detail);
        r.hit = i;
        r.segs.clear();
        r.segs.extend(self.segs.iter().map(SegBuf::range));
    }

    /// The shape of the prefix as the shape of the current path starts with it (by whether a
    /// plain key comes first); `None` when the prefix ends in an open bracket.
    fn prefix_shape(&mut self, plain_first: bool) -> Option<&str> {
        let prefix = &self.prefix;
        let shapes = self.prefix_shapes.get_or_insert_with(|| {
            [false, true].map(|plain_first| {
                let prefix = if plain_first {
                    prefix.as_str()
                } else {
                    prefix.trim_end_matches('.')
                };
                if prefix
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    .ends_with('[')
                {
                    return None;
                }
                let mut out = String::new();
                super::push_shape(&mut out, prefix);
                Some(out)
            })
        });
        shapes[usize::from(plain_first)].as_deref()
    }

    /// The raw key of a finding of `rule` with `detail` at the current path, written into
    /// `self.raw`: all that the finding's merge key is made of (the rule, the detail, the
    /// prefix's shape and the segments, each index as one mark), without the work of writing the
    /// shape. Keys are UTF-8, in which bytes 0xFE and 0xFF never occur: they end the parts.
    /// False when the shape is to be worked out from the path.
    fn write_raw(&mut self, rule: Rule, detail: &str) -> bool {
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        // With no prefix (a line's event), its shape is empty whatever comes first.
        let prefix = if self.prefix.is_empty() {
            Some("")
        } else {
            let plain_first = self.plain_first();
            self.prefix_shape(plain_first)
        };
        let Some(prefix) = prefix else {
            self.raw = raw;
            return false;
        };
        raw.push(rule as u8);
        raw.extend_from_slice(detail.as_bytes());
        raw.push(0xff);
        raw.extend_from_slice(prefix.as_bytes());
        raw.push(0xff);
        let (src, keys) = (self.src.as_bytes(), self.keys.as_bytes());
        for s in &self.segs {
            match s.range() {
                Some((a, b)) => {
                    raw.extend_from_slice(if s.is_in_src() {
                        &src[a..b]
                    } else {
                        &keys[a..b]
                    });
                    raw.push(0xff);
                }
                None => raw.push(0xfe),
            }
        }
        self.raw = raw;
        true
    }

    /// Whether a plain key comes first in the path (written after the prefix without a dot).
    #[inline(always)]
    fn plain_first(&self) -> bool {
        self.segs
            .first()
            .and_then(|s| s.key(&self.keys, self.src))
            .is_some_and(is_plain)
    }

    /// The current path's shape (what [`Collector`] merges findings by: indices as `[*]`), written
    /// into `self.shape` from the segments. False when the prefix ends in an open bracket: the
    /// shape is then to be worked out from the path.
    fn write_shape(&mut self) -> bool {
        let plain_first = self.plain_first();
        let mut out = std::mem::take(&mut self.shape);
        out.clear();
        let Some(prefix) = self.prefix_shape(plain_first) else {
            self.shape = out;
            return false;
        };
        out.push_str(prefix);
        for (i, s) in self.segs.iter().enumerate() {
            match s.key(&self.keys, self.src) {
                Some(k) => {
                    if i == 0 && plain_first {
                        out.push_str(k);
                    } else if is_plain(k) {
                        out.push('.');
                        out.push_str(k);
                    } else {
                        let mut quoted = String::new();
                        push_key(&mut quoted, k);
                        super::push_shape(&mut out, &quoted);
                    }
                }
                None => out.push_str("[*]"),
            }
        }
        self.shape = out;
        true
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

    /// Every open scope holds a value that is not scrubbed.
    fn dirty(&mut self) {
        self.dirty_below = self.scopes.len();
    }

    /// [`Walk::leaf_str`] of a string shorter than sixteen bytes, in line, where it has nothing to
    /// do but mark the open scopes (most strings): true when done so. `plain` tells whether no
    /// scanner can match it ([`crate::evidence::rules::glance::short_is_plain`]), asked only when a scanner would run.
    #[inline(always)]
    pub(super) fn leaf_short(&mut self, s: &str, plain: impl FnOnce() -> bool) -> bool {
        let depth = self.segs.len();
        // Left to `leaf_str`: a string kept (a pair's first), `_meta`, the depths where an error
        // event is told (1 and 3), a body (which may hold JSON), IP addresses.
        if self.want_str
            || self.in_meta()
            || depth | 2 == 3
            || self.has_scope(ScopeKind::Body)
            || self.has_scope(ScopeKind::Ip)
        {
            return false;
        }
        // Not scrubbed, by its first byte ([`customer::is_scrubbed`] tells the others).
        if !s
            .as_bytes()
            .first()
            .is_some_and(|&c| customer::starts_unscrubbed(c))
        {
            return false;
        }
        self.dirty();
        self.has_scope(ScopeKind::Field) || self.has_scope(ScopeKind::Credential) || plain()
    }

    // Kept apart from the parser's loop, which runs faster without it.
    #[inline(never)]
    pub(super) fn leaf_str(&mut self, s: &str) {
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
        let glance = Glance::of(s.as_bytes());
        // Most strings give no scanner anything to look at: told by one test, not one for each.
        if glance.nothing_to_scan() && !self.has_scope(ScopeKind::Ip) {
            return;
        }
        // A query string or form body with a customer field: `ticket=881&ticket_data=…`.
        if glance.eq {
            if let Some(field) = query_field(s, self.fields) {
                let pos = self.leaf_pos();
                self.report(
                    Rule::CustomerFieldInEvent,
                    field,
                    |path| format!("`{path}` holds the customer field `{field}` in a query string"),
                    pos,
                );
            }
        }
        let mut kinds = Vec::new();
        personal::scan(s, self.has_scope(ScopeKind::Ip), glance, &mut kinds);
        if !kinds.is_empty() {
            let pos = self.leaf_pos();
            for k in kinds {
                self.report(
                    Rule::PersonalDataInEvent,
                    k.describe(),
                    |path| format!("`{path}` holds {}", k.describe()),
                    pos,
                );
            }
        }
        if let Some(kind) = credential::scan(s, glance) {
            let pos = self.leaf_pos();
            self.report(
                Rule::CredentialInEvent,
                kind,
                |path| format!("`{path}` holds {kind}"),
                pos,
            );
        }
    }

    /// A leaf's place: its key's, or the reader's for an array item.
    fn leaf_pos(&self) -> Pos {
        self.pos.now()
    }

    /// A number or a boolean.
    #[inline(always)]
    pub(super) fn leaf_other(&mut self) {
        self.last_str = None;
        if !self.in_meta() {
            self.dirty();
        }
    }

    #[inline(always)]
    pub(super) fn null(&mut self) {
        self.last_str = None;
    }

    /// An array is about to be read (at the current path).
    pub(super) fn seq_start(&self) -> SeqState {
        SeqState {
            // An array inside an array is a pair list's item (`[["Authorization", "…"]]`): its
            // second value is judged under the name its first one gives.
            pair: self.segs.last().is_some_and(SegBuf::is_index),
            depth: self.segs.len(),
            pair_key: None,
            i: 0,
        }
    }

    /// The next element (or the end of the array) is about to be read.
    #[inline(always)]
    pub(super) fn seq_before(&mut self, st: &SeqState) {
        self.last_str = None;
        self.want_str = st.pair && st.i == 0;
    }

    /// An element was read.
    #[inline(always)]
    pub(super) fn seq_after(&mut self, st: &mut SeqState) {
        if st.pair && st.i == 0 {
            st.pair_key = match self.last_str.take() {
                Some((d, s)) if d == st.depth + 1 => Some(s),
                _ => None,
            };
        }
        st.i += 1;
    }

    /// An object is about to be read (at the current path).
    pub(super) fn map_start(&self) -> MapState {
        MapState {
            depth: self.segs.len(),
            kv_key: None,
            siblings: self.siblings.len(),
            is_key: false,
            is_value: false,
        }
    }

    /// A key was read, its value is next. Err: the key is repeated, with `unique_keys`.
    #[inline(always)]
    pub(super) fn map_key(&mut self, st: &mut MapState, key: &str) -> Result<(), ()> {
        if self.unique_keys {
            let mut h = KeyHasher::default();
            h.write(key.as_bytes());
            let h = h.finish();
            if self.siblings[st.siblings..].contains(&h) {
                self.repeated_key = true;
                return Err(());
            }
            self.siblings.push(h);
        }
        self.last_str = None;
        st.is_key = key == "key";
        self.want_str = st.is_key;
        st.is_value = key == "value";
        Ok(())
    }

    /// A key's value was read.
    #[inline(always)]
    pub(super) fn map_after(&mut self, st: &mut MapState) {
        if st.is_key {
            st.kv_key = match self.last_str.take() {
                Some((d, s)) if d == st.depth + 1 => Some(s),
                _ => None,
            };
        }
    }

    /// The object was read to its end.
    pub(super) fn map_end(&mut self, st: MapState) {
        self.siblings.truncate(st.siblings);
    }
}

/// What the walk keeps while it reads an array.
pub(super) struct SeqState {
    pair: bool,
    depth: usize,
    /// The first value of a pair, when it is a short string.
    pair_key: Option<String>,
    i: usize,
}

impl SeqState {
    /// The index of the element about to be read.
    pub(super) fn index(&self) -> usize {
        self.i
    }

    /// The name the element about to be read is judged under (a pair's second value).
    pub(super) fn virtual_name(&self) -> Option<&str> {
        if self.i == 1 {
            self.pair_key.as_deref()
        } else {
            None
        }
    }
}

/// What the walk keeps while it reads an object.
pub(super) struct MapState {
    depth: usize,
    /// `{"key": "ticket_data", "value": "…"}` (tags in the API format): the `key`'s string.
    kv_key: Option<String>,
    /// Where this object's key hashes start in `Walk::siblings`.
    siblings: usize,
    /// The key just read is `key`, or `value`.
    is_key: bool,
    is_value: bool,
}

impl MapState {
    /// The name the value about to be read is judged under (`value` of a key-value object).
    pub(super) fn virtual_name(&self) -> Option<&str> {
        if self.is_value {
            self.kv_key.as_deref()
        } else {
            None
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

/// A key written after a dot in a path (others are quoted in brackets).
fn is_plain(k: &str) -> bool {
    k.bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_' || c == b'$')
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
}

fn push_index(path: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = index;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    path.push_str(std::str::from_utf8(&digits[i..]).expect("ASCII digits"));
    path.push(']');
}

fn push_key(path: &mut String, k: &str) {
    if is_plain(k) {
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
    /// Under this key, or at `index`.
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
        self.w.null();
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.w.null();
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut st = self.w.seq_start();
        loop {
            self.w.seq_before(&st);
            let got = seq.next_element_seed(Child {
                w: &mut *self.w,
                key: None,
                index: st.index(),
                virtual_name: st.virtual_name(),
            })?;
            if got.is_none() {
                break;
            }
            self.w.seq_after(&mut st);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut st = self.w.map_start();
        while map
            .next_key_seed(Key {
                buf: &mut self.w.key,
            })?
            .is_some()
        {
            let key = std::mem::take(&mut self.w.key);
            if self.w.map_key(&mut st, &key).is_err() {
                return Err(A::Error::custom("a key is repeated"));
            }
            let r = map.next_value_seed(Child {
                w: &mut *self.w,
                key: Some(&key),
                index: 0,
                virtual_name: st.virtual_name(),
            });
            self.w.key = key;
            r?;
            self.w.map_after(&mut st);
        }
        self.w.map_end(st);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_str_is_equality() {
        let strings = [
            String::new(),
            String::from(""),
            "a".into(),
            "ab".into(),
            "b".into(),
        ];
        for a in &strings {
            for b in &strings {
                assert_eq!(same_str(a, b), a == b, "{a:?} {b:?}");
            }
            assert!(same_str(a, &a.clone()));
        }
        // A literal's empty string and a `String`'s (which points at no memory).
        let empty = String::new();
        assert!(same_str("", &empty));
    }
}
