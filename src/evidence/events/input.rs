//! Reading event files: gzip and zlib compression, JSON lines, single or concatenated JSON
//! documents, top-level arrays (API lists, replay recordings, lists of recording segments), Sentry
//! envelopes with their items, and replay recording payloads (`{"segment_id":N}` and a compressed
//! or plain rrweb array). Everything is read as a stream, one event at a time.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, LockResult, Mutex, MutexGuard, TryLockError};
use std::thread::Scope;

use serde_json::Value;

use wide::u8x16;

use super::bytes::first16;
use super::replay::{is_rrweb_event, Tally};
use super::text::walk_text;
use super::walk::{Buffers, PosSource, Walk};
use super::{Collector, FileAudit, Part, Pos, Settings};
use crate::registry::Rule;

const BUF: usize = 256 * 1024;
/// The bytes of lines or array elements handed to a thread at once.
const BATCH: usize = 256 * 1024;
/// The longest first line looked at to tell the kind of file, and the longest item header.
const MAX_HEAD_LINE: u64 = 1 << 20;
/// The longest line of a JSON lines file (one event).
const MAX_LINE: u64 = 64 << 20;

/// Keys of an envelope item header.
const ITEM_HEADER_KEYS: [&str; 11] = [
    "type",
    "length",
    "content_type",
    "filename",
    "attachment_type",
    "item_count",
    "platform",
    "source",
    "meta_length",
    "span_count",
    "sdk",
];

/// Item types whose payload is not JSON.
const BINARY_ITEMS: [&str; 4] = ["attachment", "statsd", "unreal_report", "form_data"];

struct Ctx<'a> {
    out: &'a mut Collector,
    audit: &'a mut FileAudit,
    fields: Vec<String>,
    /// The buffers of the last text walk, for the next one.
    bufs: Buffers,
}

impl Ctx<'_> {
    fn unreadable(&mut self, pos: Pos, message: String) {
        self.out.add(
            Rule::EventUnreadable,
            "",
            &format!("{}:{}", pos.line, pos.column),
            || message,
            pos,
        );
    }

    /// Count one event walked.
    fn counted(&mut self, error_event: bool) {
        self.audit.events += 1;
        self.audit.error_events += usize::from(error_event);
    }

    /// Walk an event already parsed.
    fn walk_value(&mut self, v: &Value, prefix: String, pos: Pos) {
        let mut w = Walk::new(self.out, &self.fields, PosSource::Fixed(pos), prefix);
        // A parsed value cannot fail to deserialize.
        let _ = w.run(v);
        let error_event = w.error_event;
        self.counted(error_event);
    }

    /// Walk the event in `raw` straight from its text ([`walk_text`]), when it is UTF-8: true
    /// when it was read whole (and counted). Otherwise what it found is undone, for serde_json's
    /// walk to read it again.
    fn walked_from_text(
        &mut self,
        raw: &[u8],
        prefix: String,
        pos: Pos,
        unique_keys: bool,
    ) -> bool {
        let Ok(text) = std::str::from_utf8(raw) else {
            return false;
        };
        self.out.mark();
        let bufs = std::mem::take(&mut self.bufs);
        let mut w = Walk::with_buffers(self.out, &self.fields, PosSource::Fixed(pos), prefix, bufs);
        w.unique_keys = unique_keys;
        let whole = walk_text(&mut w, text).is_ok();
        let error_event = w.error_event;
        self.bufs = w.into_buffers();
        if whole {
            self.out.unmark();
            self.counted(error_event);
        } else {
            self.out.rollback();
        }
        whole
    }
}

/// Lines of a JSON lines file or events of an array, cut out of the file, to be judged together.
struct Job {
    /// The records' bytes, one after the other from the start; what follows the last record is
    /// not part of the job (a block of lines is read into a buffer that keeps its length).
    data: Vec<u8>,
    records: Vec<Record>,
}

impl Job {
    /// An empty job with room for a batch (and the record that ends past it).
    fn with_room() -> Job {
        Job {
            data: Vec::with_capacity(BATCH + BATCH / 2),
            records: Vec::new(),
        }
    }
}

/// One record of a [`Job`]: its bytes end at `end` (and start where the one before ends).
enum Record {
    Line { end: usize, line: usize },
    Element { end: usize, index: usize, pos: Pos },
}

/// What a [`Job`] found.
struct Done {
    part: Part,
    events: usize,
    error_events: usize,
    replay_segments: usize,
    /// An element was broken: what follows it in the array is not judged.
    stopped: bool,
}

impl Done {
    /// Add what the job found to the file's (it came after everything merged so far); true when
    /// it ended with a broken element.
    fn merge_into(self, ctx: &mut Ctx) -> bool {
        ctx.out.merge(self.part);
        ctx.audit.events += self.events;
        ctx.audit.error_events += self.error_events;
        ctx.audit.replay_segments += self.replay_segments;
        self.stopped
    }
}

/// What a thread judges jobs with.
struct Worker {
    out: Collector,
    fields: Vec<String>,
    bufs: Buffers,
}

impl Worker {
    fn new(settings: &Settings) -> Worker {
        Worker {
            out: Collector::for_part(settings.clone()),
            fields: settings.fields.clone(),
            bufs: Buffers::default(),
        }
    }

    fn run(&mut self, job: &Job) -> Done {
        let mut audit = FileAudit::default();
        let mut ctx = Ctx {
            out: &mut self.out,
            audit: &mut audit,
            fields: std::mem::take(&mut self.fields),
            bufs: std::mem::take(&mut self.bufs),
        };
        let mut start = 0;
        let mut stopped = false;
        for record in &job.records {
            match *record {
                Record::Line { end, line: n } => {
                    line(&job.data[start..end], n, &mut ctx);
                    start = end;
                }
                Record::Element { end, index, pos } => {
                    if !event_element(&job.data[start..end], index, pos, &mut ctx) {
                        stopped = true;
                        break;
                    }
                    start = end;
                }
            }
        }
        self.fields = ctx.fields;
        self.bufs = ctx.bufs;
        Done {
            part: self.out.take_part(),
            events: audit.events,
            error_events: audit.error_events,
            replay_segments: audit.replay_segments,
            stopped,
        }
    }
}

/// How many threads judge besides this one: the machine's other cores, at most three.
fn other_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .min(3)
}

/// Judges jobs on the machine's other cores while the file is read, and on this thread when they
/// are busy; merges what they found in the order of the file, so that the findings are the same as
/// if each record had been judged here, one after the other. Threads start with the second job:
/// a small file is judged on this thread alone.
struct Pipeline<'scope, 'env> {
    scope: &'scope Scope<'scope, 'env>,
    settings: Settings,
    jobs: Option<SyncSender<(usize, Job)>>,
    done: Option<Receiver<(usize, Done, Job)>>,
    here: Option<Worker>,
    /// Jobs handed out, and merged.
    next: usize,
    merged: usize,
    pending: BTreeMap<usize, (Done, Job)>,
    /// Jobs judged, emptied, to be filled again.
    spare: Vec<Job>,
    /// A job ended with a broken element: nothing after it counts.
    stopped: bool,
}

impl<'scope, 'env> Pipeline<'scope, 'env> {
    fn new(scope: &'scope Scope<'scope, 'env>, ctx: &Ctx) -> Self {
        Pipeline {
            scope,
            settings: ctx.out.settings().clone(),
            jobs: None,
            done: None,
            here: None,
            next: 0,
            merged: 0,
            pending: BTreeMap::new(),
            spare: Vec::new(),
            stopped: false,
        }
    }

    fn spawn(&mut self) {
        let threads = other_threads();
        if threads == 0 {
            return;
        }
        let (jobs_tx, jobs_rx) = mpsc::sync_channel::<(usize, Job)>(threads);
        let (done_tx, done_rx) = mpsc::channel();
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        for _ in 0..threads {
            let (jobs_rx, done_tx) = (Arc::clone(&jobs_rx), done_tx.clone());
            let settings = self.settings.clone();
            self.scope.spawn(move || {
                let mut worker = Worker::new(&settings);
                loop {
                    let next = jobs_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, job))) = next else {
                        return;
                    };
                    if done_tx.send((seq, worker.run(&job), job)).is_err() {
                        return;
                    }
                }
            });
        }
        self.jobs = Some(jobs_tx);
        self.done = Some(done_rx);
    }

    /// Hand the job out (or judge it here when the threads are busy), leaving an empty one in its
    /// place (the buffers of a job judged before, when there is one), and merge what is ready.
    fn submit(&mut self, job: &mut Job, ctx: &mut Ctx) {
        if job.records.is_empty() || self.stopped {
            job.data.clear();
            job.records.clear();
            return;
        }
        let fresh = self.spare.pop().unwrap_or_else(Job::with_room);
        let job = std::mem::replace(job, fresh);
        let seq = self.next;
        self.next += 1;
        if seq == 1 {
            self.spawn();
        }
        let job = match &self.jobs {
            Some(tx) => match tx.try_send((seq, job)) {
                Ok(()) => None,
                Err(TrySendError::Full((_, job)) | TrySendError::Disconnected((_, job))) => {
                    Some(job)
                }
            },
            None => Some(job),
        };
        if let Some(job) = job {
            let here = self.here.get_or_insert_with(|| Worker::new(&self.settings));
            let done = here.run(&job);
            self.pending.insert(seq, (done, job));
        }
        self.collect(false, ctx);
    }

    /// Wait for every job handed out, and merge what they found.
    fn finish(&mut self, ctx: &mut Ctx) {
        self.collect(true, ctx);
    }

    fn collect(&mut self, wait: bool, ctx: &mut Ctx) {
        loop {
            while let Some((done, mut job)) = self.pending.remove(&self.merged) {
                self.merged += 1;
                if self.stopped {
                    continue;
                }
                if self.spare.len() < 4 {
                    job.data.clear();
                    job.records.clear();
                    self.spare.push(job);
                }
                self.stopped = done.merge_into(ctx);
            }
            if self.merged == self.next {
                return;
            }
            let Some(rx) = &self.done else {
                return;
            };
            let got = if wait {
                rx.recv().ok()
            } else {
                rx.try_recv().ok()
            };
            match got {
                Some((seq, done, job)) => {
                    self.pending.insert(seq, (done, job));
                }
                // A thread failed: the scope reports it when it ends.
                None => return,
            }
        }
    }
}

/// Counts lines and columns of the bytes read through it.
struct Counting<'c, R> {
    inner: R,
    pos: &'c Cell<Pos>,
}

fn advance(cell: &Cell<Pos>, bytes: &[u8]) {
    // Characters are the bytes that do not continue a UTF-8 sequence. Both counts are written
    // without branches, so that the compiler can look at many bytes at once.
    fn count(b: &[u8], f: impl Fn(u8) -> bool) -> usize {
        // Byte-wide counts, 255 bytes at most each.
        b.chunks(255)
            .map(|c| usize::from(c.iter().fold(0u8, |n, &x| n + u8::from(f(x)))))
            .sum()
    }
    fn chars(b: &[u8]) -> usize {
        count(b, |c| c & 0xC0 != 0x80)
    }
    let mut p = cell.get();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            p.line += count(bytes, |c| c == b'\n');
            p.column = 1 + chars(&bytes[last + 1..]);
        }
        None => p.column += chars(bytes),
    }
    cell.set(p);
}

impl<R: BufRead> Read for Counting<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.inner.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        advance(self.pos, &out[..n]);
        self.inner.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            advance(self.pos, &buf[..n.min(buf.len())]);
        }
        self.inner.consume(n);
    }
}

/// Reads up to (not including) the next newline.
struct UntilNewline<R> {
    inner: R,
    done: bool,
}

impl<R: BufRead> BufRead for UntilNewline<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.done {
            return Ok(&[]);
        }
        let end = {
            let buf = self.inner.fill_buf()?;
            buf.iter().position(|b| *b == b'\n').unwrap_or(buf.len())
        };
        if end == 0 && !self.inner.fill_buf()?.is_empty() {
            self.done = true;
            return Ok(&[]);
        }
        Ok(&self.inner.fill_buf()?[..end])
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
    }
}

impl<R: BufRead> Read for UntilNewline<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compression {
    Gzip,
    Zlib,
}

fn compression(head: &[u8]) -> Option<Compression> {
    match head {
        [0x1f, 0x8b, ..] => Some(Compression::Gzip),
        [0x78, b, ..] if (0x7800u16 | u16::from(*b)).is_multiple_of(31) => Some(Compression::Zlib),
        _ => None,
    }
}

fn decompressed<R: BufRead>(kind: Compression, r: R) -> Decoder<R> {
    match kind {
        Compression::Gzip => Decoder::Gzip(BufReader::with_capacity(
            BUF,
            flate2::bufread::MultiGzDecoder::new(r),
        )),
        Compression::Zlib => Decoder::Zlib(BufReader::with_capacity(
            BUF,
            flate2::bufread::ZlibDecoder::new(r),
        )),
    }
}

/// The bytes a compressed stream stands for.
enum Decoder<R> {
    Gzip(BufReader<flate2::bufread::MultiGzDecoder<R>>),
    Zlib(BufReader<flate2::bufread::ZlibDecoder<R>>),
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Gzip(d) => d.read(out),
            Decoder::Zlib(d) => d.read(out),
        }
    }
}

impl<R: BufRead> BufRead for Decoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Decoder::Gzip(d) => d.fill_buf(),
            Decoder::Zlib(d) => d.fill_buf(),
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Decoder::Gzip(d) => d.consume(n),
            Decoder::Zlib(d) => d.consume(n),
        }
    }
}

/// Skip white space; the next byte, or None at the end.
fn skip_ws(r: &mut impl BufRead) -> io::Result<Option<u8>> {
    loop {
        let (skip, next) = {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => (i, Some(buf[i])),
                None => (buf.len(), None),
            }
        };
        r.consume(skip);
        if next.is_some() {
            return Ok(next);
        }
    }
}

fn read_line(r: &mut impl BufRead, cap: u64) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    r.take(cap).read_until(b'\n', &mut line)?;
    Ok(line)
}

/// serde_json's message without its ` at line L column C` (the place is given apart).
fn message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// What a file is, from its first two lines.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Envelope,
    /// `{"segment_id":N}` then the recording.
    ReplayPayload,
    /// One JSON value per line.
    JsonLines,
    /// JSON documents (pretty-printed, concatenated) or arrays.
    Documents,
}

fn object_of(line: &[u8]) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn sniff(l1: &[u8], l2: &[u8]) -> Kind {
    let l1 = l1.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l1);
    let Some(first) = object_of(l1) else {
        return Kind::Documents;
    };
    if first.contains_key("segment_id") && first.len() <= 2 {
        return Kind::ReplayPayload;
    }
    if let Some(second) = object_of(l2) {
        let item_header = second.get("type").is_some_and(Value::is_string)
            && second
                .keys()
                .all(|k| ITEM_HEADER_KEYS.contains(&k.as_str()));
        if item_header {
            return Kind::Envelope;
        }
    }
    Kind::JsonLines
}

pub(super) fn read_file(file: File, out: &mut Collector, audit: &mut FileAudit) {
    let fields = out.fields().to_vec();
    let mut ctx = Ctx {
        out,
        audit,
        fields,
        bufs: Buffers::default(),
    };
    let mut r = BufReader::with_capacity(BUF, file);
    let head = match r.fill_buf() {
        Ok(h) => h,
        Err(e) => return ctx.unreadable(Pos::START, format!("cannot be read: {e}")),
    };
    match compression(head) {
        Some(kind) => read_stream(decompressed(kind, r), &mut ctx),
        None => read_stream(r, &mut ctx),
    }
}

fn read_stream<R: BufRead + Send>(mut r: R, ctx: &mut Ctx) {
    let head = (|| -> io::Result<(Vec<u8>, Vec<u8>)> {
        let l1 = read_line(&mut r, MAX_HEAD_LINE)?;
        let l2 = if l1.ends_with(b"\n") {
            read_line(&mut r, MAX_HEAD_LINE)?
        } else {
            Vec::new()
        };
        Ok((l1, l2))
    })();
    let (l1, l2) = match head {
        Ok(h) => h,
        Err(e) => return ctx.unreadable(Pos::START, format!("cannot be read: {e}")),
    };
    let kind = sniff(&l1, &l2);
    let mut again = l1;
    again.extend_from_slice(&l2);
    let cell = Cell::new(Pos::START);
    let mut c = Counting {
        inner: Cursor::new(again).chain(r),
        pos: &cell,
    };
    if c.fill_buf().is_ok_and(|b| b.starts_with(b"\xef\xbb\xbf")) {
        c.consume(3);
        cell.set(Pos::START);
    }
    let result = match kind {
        Kind::Envelope => envelope(&mut c, &cell, ctx),
        Kind::ReplayPayload => {
            let pos = cell.get();
            replay_payload(&mut c, Some(&cell), pos, ctx)
        }
        // Lines are counted as they are read: no need to count every byte.
        Kind::JsonLines => json_lines(&mut c.inner, &cell, ctx),
        Kind::Documents => documents(&mut c, &cell, ctx),
    };
    if let Err(e) = result {
        ctx.unreadable(cell.get(), format!("cannot be read: {e}"));
    }
}

/// One event per line; a broken line is reported and the next one read. The file is cut into
/// blocks of whole lines ([`LineBlocks`]) that this thread and the machine's other cores take in
/// turn, each reading its block straight into its own buffer and judging it there; what they found
/// is merged in the order of the file.
fn json_lines<R: BufRead + Send>(r: &mut R, cell: &Cell<Pos>, ctx: &mut Ctx) -> io::Result<()> {
    let blocks = Mutex::new(LineBlocks::new(r, cell.get().line));
    let settings = ctx.out.settings().clone();
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Done)>(4);
    let take = |job: &mut Job| lock_spinning(&blocks).ok().and_then(|mut b| b.next(job));
    std::thread::scope(|scope| {
        let mut here = Worker::new(&settings);
        let mut job = Job::with_room();
        let mut pending = BTreeMap::new();
        let mut merged = 0;
        let merge = |pending: &mut BTreeMap<usize, Done>, merged: &mut usize, ctx: &mut Ctx| {
            while let Some(done) = pending.remove(merged) {
                *merged += 1;
                done.merge_into(ctx);
            }
        };
        while let Some(seq) = take(&mut job) {
            // The other threads start once there is more than one block: a small file is judged
            // on this thread alone.
            if seq == 0 && !blocks.lock().is_ok_and(|b| b.stop.is_some()) {
                for _ in 0..other_threads() {
                    let (take, done_tx, settings) = (&take, done_tx.clone(), &settings);
                    scope.spawn(move || {
                        let mut worker = Worker::new(settings);
                        let mut job = Job::with_room();
                        while let Some(seq) = take(&mut job) {
                            if done_tx.send((seq, worker.run(&job))).is_err() {
                                return;
                            }
                        }
                    });
                }
            }
            pending.insert(seq, here.run(&job));
            while let Ok((seq, done)) = done_rx.try_recv() {
                pending.insert(seq, done);
            }
            merge(&mut pending, &mut merged, ctx);
        }
        drop(done_tx);
        // The blocks the other threads took; once they are all judged, the threads end and the
        // channel with them.
        while let Ok((seq, done)) = done_rx.recv() {
            pending.insert(seq, done);
            merge(&mut pending, &mut merged, ctx);
        }
    });
    let stop = match blocks.into_inner() {
        Ok(b) => b.stop,
        // A thread failed while it read: the scope has reported it.
        Err(_) => None,
    };
    match stop {
        Some(Stop::TooLong(line)) => {
            ctx.unreadable(
                Pos { line, column: 1 },
                format!(
                    "line {line} is longer than {} MiB; the rest of the file was not audited",
                    MAX_LINE >> 20
                ),
            );
            Ok(())
        }
        Some(Stop::Failed(e)) => Err(e),
        Some(Stop::End) | None => Ok(()),
    }
}

/// How long a thread waits for the next block of a JSON lines file by trying the lock again and
/// again, before it sleeps until the lock is free.
const SPIN: std::time::Duration = std::time::Duration::from_micros(500);

/// Lock `m`, trying again and again for up to [`SPIN`] before sleeping. The lock of the blocks is
/// held while one block is read (some tens of microseconds), and a thread that sleeps on it is
/// woken by the scheduler where it sees fit: at times on the core of the thread that woke it,
/// the two taking turns there while the other core is idle for milliseconds.
fn lock_spinning<T>(m: &Mutex<T>) -> LockResult<MutexGuard<'_, T>> {
    let start = std::time::Instant::now();
    loop {
        for _ in 0..64 {
            match m.try_lock() {
                Ok(guard) => return Ok(guard),
                Err(TryLockError::Poisoned(e)) => return Err(e),
                Err(TryLockError::WouldBlock) => std::hint::spin_loop(),
            }
        }
        if start.elapsed() > SPIN {
            return m.lock();
        }
    }
}

/// Why [`LineBlocks`] hands out no more blocks.
enum Stop {
    /// The end of the file.
    End,
    /// This line is longer than [`MAX_LINE`]: it and the rest of the file are not judged.
    TooLong(usize),
    /// The reader failed; the lines before are judged.
    Failed(io::Error),
}

/// A JSON lines file cut into blocks of about [`BATCH`] bytes of whole lines, read straight into
/// the buffer of the thread that takes the block (and judges it), in the order of the file.
struct LineBlocks<'r, R> {
    r: &'r mut R,
    /// The start of the line the last block ended in the middle of: the next block starts with it.
    carry: Vec<u8>,
    /// The number of the next line.
    line: usize,
    /// Blocks handed out.
    seq: usize,
    /// Why no more blocks are handed out.
    stop: Option<Stop>,
    /// The longest line ([`MAX_LINE`]).
    max_line: u64,
}

impl<'r, R: Read> LineBlocks<'r, R> {
    fn new(r: &'r mut R, line: usize) -> Self {
        LineBlocks {
            r,
            carry: Vec::new(),
            line,
            seq: 0,
            stop: None,
            max_line: MAX_LINE,
        }
    }

    /// Read the next block into `job` (its records are its lines) and give its number; None when
    /// there is none (`stop` tells why).
    fn next(&mut self, job: &mut Job) -> Option<usize> {
        if self.stop.is_some() {
            return None;
        }
        job.records.clear();
        // The buffer is filled with zeros once, when it is made: the reader writes over them.
        let room = self.carry.len() + BATCH;
        if job.data.len() < room {
            job.data.resize(room.max(2 * BATCH), 0);
        }
        let mut filled = self.carry.len();
        job.data[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        // Where the line being read starts, and how far newlines were looked for.
        let (mut start, mut scanned) = (0, 0);
        loop {
            for nl in memchr::memchr_iter(b'\n', &job.data[scanned..filled]) {
                let end = scanned + nl + 1;
                if (end - start) as u64 > self.max_line {
                    self.stop = Some(Stop::TooLong(self.line));
                    break;
                }
                job.records.push(Record::Line {
                    end,
                    line: self.line,
                });
                self.line += 1;
                start = end;
            }
            scanned = filled;
            if self.stop.is_none() && (filled - start) as u64 >= self.max_line {
                self.stop = Some(Stop::TooLong(self.line));
            }
            if self.stop.is_some() || (filled >= BATCH && !job.records.is_empty()) {
                break;
            }
            if job.data.len() - filled < BATCH {
                job.data.resize(filled + BATCH, 0);
            }
            // As much as the reader's own buffer holds, for it to read straight into ours.
            match self.r.read(&mut job.data[filled..filled + BATCH]) {
                Ok(0) => {
                    // The last line, without its newline.
                    if start < filled {
                        job.records.push(Record::Line {
                            end: filled,
                            line: self.line,
                        });
                        self.line += 1;
                        start = filled;
                    }
                    self.stop = Some(Stop::End);
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => self.stop = Some(Stop::Failed(e)),
            }
        }
        if self.stop.is_none() {
            self.carry.extend_from_slice(&job.data[start..filled]);
        }
        if job.records.is_empty() {
            return None;
        }
        self.seq += 1;
        Some(self.seq - 1)
    }
}

/// One line of a JSON lines file.
fn line(raw: &[u8], this: usize, ctx: &mut Ctx) {
    line_by(raw, this, ctx, true);
}

/// One line, walked straight from its text when `from_text` (and it is UTF-8), else (or when
/// the text walk is unsure of it) with serde_json.
fn line_by(raw: &[u8], this: usize, ctx: &mut Ctx, from_text: bool) {
    let text = raw.trim_ascii();
    let pos = Pos {
        line: this,
        column: 1 + raw.len() - raw.trim_ascii_start().len(),
    };
    match text.first() {
        None => {}
        Some(b'{') => {
            if from_text && ctx.walked_from_text(text, String::new(), pos, false) {
                return;
            }
            let mut w = Walk::new(ctx.out, &ctx.fields, PosSource::Fixed(pos), String::new());
            let result = walk_slice(&mut w, text);
            let error_event = w.error_event;
            ctx.counted(error_event);
            if let Err(e) = result {
                ctx.unreadable(
                    Pos {
                        line: this,
                        column: pos.column + e.column().saturating_sub(1),
                    },
                    format!("line {this} is not a JSON event: {}", message(&e)),
                );
            }
        }
        Some(b'[') => match serde_json::from_slice::<Value>(text) {
            Ok(Value::Array(items)) => {
                elements(items.into_iter().map(|v| (v, pos)), "recording", ctx)
            }
            Ok(_) => {}
            Err(e) => ctx.unreadable(
                Pos {
                    line: this,
                    column: pos.column + e.column().saturating_sub(1),
                },
                format!("line {this} is not a JSON array: {}", message(&e)),
            ),
        },
        Some(b) => ctx.unreadable(
            pos,
            format!(
                "line {this} is not JSON event data: it starts with {}",
                describe_byte(*b)
            ),
        ),
    }
}

/// Walk the one JSON value in `text` (and check that nothing follows it). Text that is valid
/// UTF-8 as a whole is parsed as a `str`, which spares serde_json a check of every string.
fn walk_slice(w: &mut Walk, text: &[u8]) -> Result<(), serde_json::Error> {
    match std::str::from_utf8(text) {
        Ok(s) => {
            let mut de = serde_json::Deserializer::from_str(s);
            w.run(&mut de).and_then(|_| de.end())
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(text);
            w.run(&mut de).and_then(|_| de.end())
        }
    }
}

/// JSON documents one after the other (pretty-printed or not), each an event or an array.
fn documents<R: BufRead>(r: &mut R, cell: &Cell<Pos>, ctx: &mut Ctx) -> io::Result<()> {
    loop {
        let Some(b) = skip_ws(r)? else {
            return Ok(());
        };
        match b {
            b'{' => {
                if !stream_event(r, cell, ctx, "") {
                    return Ok(());
                }
            }
            b'[' => {
                if !array(r, Some(cell), cell.get(), "recording", ctx)? {
                    return Ok(());
                }
            }
            _ => {
                ctx.unreadable(
                    cell.get(),
                    format!(
                        "not JSON event data: it starts with {}; the rest of the file was not audited",
                        describe_byte(b)
                    ),
                );
                return Ok(());
            }
        }
    }
}

/// Walk the event the reader is at, as it is parsed. False when it was broken (reported).
fn stream_event<R: Read>(r: &mut R, cell: &Cell<Pos>, ctx: &mut Ctx, what: &str) -> bool {
    let mut w = Walk::new(ctx.out, &ctx.fields, PosSource::Live(cell), String::new());
    let mut de = serde_json::Deserializer::from_reader(&mut *r);
    let result = w.run(&mut de);
    let error_event = w.error_event;
    ctx.counted(error_event);
    match result {
        Ok(()) => true,
        Err(e) => {
            ctx.unreadable(
                cell.get(),
                format!(
                    "{what}not a complete JSON event: {}; what follows was not audited",
                    message(&e)
                ),
            );
            false
        }
    }
}

/// A JSON array (at `[`): its elements, each parsed alone: events, rrweb events (a recording) or
/// arrays of rrweb events (recording segments). False when it was broken (reported).
///
/// The elements' bytes are cut out by a scan of their brackets and strings, then parsed from
/// memory: much faster than parsing from the reader byte by byte. Events are handed out in
/// batches to [`Pipeline`]'s threads; anything else (rrweb events, whose recording is judged as a
/// whole, segments, other values) is judged here, in order, once the events before it are.
fn array<R: BufRead>(
    r: &mut R,
    cell: Option<&Cell<Pos>>,
    fixed: Pos,
    label: &str,
    ctx: &mut Ctx,
) -> io::Result<bool> {
    std::thread::scope(|scope| {
        let mut p = Pipeline::new(scope, ctx);
        let mut rec = Recording::default();
        let mut job = Job::with_room();
        let result = array_elements(r, cell, fixed, &mut p, &mut job, &mut rec, ctx);
        // The events cut out before the end (or before the reader failed).
        p.submit(&mut job, ctx);
        p.finish(ctx);
        match result {
            // The reader ran ahead of an element found broken: what it met there does not count.
            Err(e) if !p.stopped => Err(e),
            Ok(true) if !p.stopped => {
                rec.finish(label, ctx);
                Ok(true)
            }
            // An element found broken ends the array there.
            _ => {
                rec.finish(label, ctx);
                Ok(false)
            }
        }
    })
}

fn array_elements<R: BufRead>(
    r: &mut R,
    cell: Option<&Cell<Pos>>,
    fixed: Pos,
    p: &mut Pipeline,
    job: &mut Job,
    rec: &mut Recording,
    ctx: &mut Ctx,
) -> io::Result<bool> {
    let now = |fallback: Pos| cell.map(Cell::get).unwrap_or(fallback);
    r.consume(1);
    let mut raw = Vec::new();
    let mut keys = Vec::new();
    let mut index = 0usize;
    loop {
        let next = skip_ws(r)?;
        if next == Some(b']') {
            r.consume(1);
            break;
        }
        if index > 0 {
            if next != Some(b',') {
                let what = next
                    .map(describe_byte)
                    .unwrap_or("the end of the data".into());
                p.submit(job, ctx);
                p.finish(ctx);
                if p.stopped {
                    return Ok(false);
                }
                ctx.unreadable(
                    now(fixed),
                    format!("a JSON array is broken: {what} where `,` or `]` was expected; what follows was not audited"),
                );
                return Ok(false);
            }
            r.consume(1);
            skip_ws(r)?;
        }
        let pos = now(fixed);
        let start = job.data.len();
        let cut = value_bytes(r, &mut job.data, &mut keys)?;
        if let Ok(Shape::Object) = cut {
            if !might_be_rrweb(&job.data[start..], &keys) {
                job.records.push(Record::Element {
                    end: job.data.len(),
                    index,
                    pos,
                });
                if job.data.len() >= BATCH {
                    p.submit(job, ctx);
                    if p.stopped {
                        return Ok(false);
                    }
                }
                index += 1;
                continue;
            }
        }
        // Judged here, after the events before it.
        raw.clear();
        raw.extend_from_slice(&job.data[start..]);
        job.data.truncate(start);
        p.submit(job, ctx);
        p.finish(ctx);
        if p.stopped {
            return Ok(false);
        }
        let parsed = match cut {
            Ok(_) => serde_json::from_slice::<Value>(&raw).map_err(|e| (at(pos, &e), message(&e))),
            Err(why) => Err((now(fixed), why.to_string())),
        };
        match parsed {
            Ok(v) => element(&v, index, pos, rec, ctx),
            Err((at, why)) => {
                ctx.unreadable(
                    at,
                    format!("a JSON array is broken: {why}; what follows was not audited"),
                );
                return Ok(false);
            }
        }
        index += 1;
    }
    Ok(true)
}

/// Where a parse error of an element that starts at `pos` is.
fn at(pos: Pos, e: &serde_json::Error) -> Pos {
    if e.line() <= 1 {
        Pos {
            line: pos.line,
            column: pos.column + e.column().saturating_sub(1),
        }
    } else {
        Pos {
            line: pos.line + e.line() - 1,
            column: e.column().max(1),
        }
    }
}

/// An element of an array that is an event (not an rrweb event), walked as it is parsed. False
/// when it is broken (reported; what it had found is taken back, as if it had not been read).
fn event_element(raw: &[u8], index: usize, pos: Pos, ctx: &mut Ctx) -> bool {
    event_element_by(raw, index, pos, ctx, true)
}

/// An element of an array, walked straight from its text when `from_text` (and it is UTF-8),
/// else (or when the text walk is unsure of it) with serde_json.
fn event_element_by(raw: &[u8], index: usize, pos: Pos, ctx: &mut Ctx, from_text: bool) -> bool {
    if from_text && ctx.walked_from_text(raw, format!("[{index}]."), pos, true) {
        return true;
    }
    ctx.out.mark();
    let mut w = Walk::new(
        ctx.out,
        &ctx.fields,
        PosSource::Fixed(pos),
        format!("[{index}]."),
    );
    w.unique_keys = true;
    let result = walk_slice(&mut w, raw);
    let (error_event, repeated) = (w.error_event, w.repeated_key);
    match result {
        Ok(()) => {
            ctx.out.unmark();
            ctx.counted(error_event);
            true
        }
        Err(_) if repeated => {
            // A key given twice: judged as the object serde_json keeps (the last value, at the
            // first place), like any element.
            ctx.out.rollback();
            match serde_json::from_slice::<Value>(raw) {
                Ok(v) => {
                    ctx.walk_value(&v, format!("[{index}]."), pos);
                    true
                }
                Err(e) => broken_array(ctx, pos, &e),
            }
        }
        Err(e) => {
            ctx.out.rollback();
            broken_array(ctx, pos, &e)
        }
    }
}

/// Report an array broken at an element (the rest of the file is not audited); false.
fn broken_array(ctx: &mut Ctx, pos: Pos, e: &serde_json::Error) -> bool {
    ctx.unreadable(
        at(pos, e),
        format!(
            "a JSON array is broken: {}; what follows was not audited",
            message(e)
        ),
    );
    false
}

/// Could this object (its top-level keys, as ranges of `raw`) be an rrweb event? Only `type`,
/// `timestamp` and `data` without `event_id` can ([`is_rrweb_event`]); a key written with an
/// escape is not read here, so it might.
fn might_be_rrweb(raw: &[u8], keys: &[(usize, usize)]) -> bool {
    let (mut ty, mut ts, mut data) = (false, false, false);
    for &(a, b) in keys {
        match &raw[a..b] {
            b"type" => ty = true,
            b"timestamp" => ts = true,
            b"data" => data = true,
            b"event_id" => return false,
            k if k.contains(&b'\\') => return true,
            _ => {}
        }
    }
    ty && ts && data
}

/// Where the next `"`, `{`, `}`, `[`, `]` or `,` is, sixteen bytes at a time.
fn next_structural(b: &[u8]) -> Option<usize> {
    let v = u8x16::splat;
    // `{` and `[`, `}` and `]` differ by one bit.
    first16(b, |x| {
        let y = x | v(0x20);
        x.simd_eq(v(b'"')) | x.simd_eq(v(b',')) | y.simd_eq(v(b'{')) | y.simd_eq(v(b'}'))
    })
}

/// [`value_bytes`] for an object or an array (at its `{` or `[`): only strings and brackets are
/// looked at, found by [`next_structural`] and `memchr`.
fn container_bytes<R: BufRead>(
    r: &mut R,
    out: &mut Vec<u8>,
    keys: &mut Vec<(usize, usize)>,
    object: bool,
) -> io::Result<Result<Shape, &'static str>> {
    let base = out.len();
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    // In the top-level object, whether a key can start (after `{` or `,`), and where the key
    // being read starts.
    let mut key_next = false;
    let mut key_start: Option<usize> = None;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(Err("EOF while parsing a value"));
        }
        let offset = out.len() - base;
        let n = buf.len();
        let mut end = None;
        let mut i = 0;
        if escaped {
            // The byte after a backslash that ended the last buffer.
            escaped = false;
            i = 1;
        }
        while i < n {
            if in_str {
                let Some(k) = memchr::memchr2(b'"', b'\\', &buf[i..]) else {
                    break;
                };
                let p = i + k;
                if buf[p] == b'\\' {
                    if p + 1 < n {
                        i = p + 2;
                    } else {
                        escaped = true;
                        break;
                    }
                    continue;
                }
                in_str = false;
                if let Some(a) = key_start.take() {
                    keys.push((a, offset + p));
                }
                i = p + 1;
                continue;
            }
            let Some(k) = next_structural(&buf[i..]) else {
                break;
            };
            let p = i + k;
            match buf[p] {
                b'"' => {
                    in_str = true;
                    if key_next && depth == 1 {
                        key_start = Some(offset + p + 1);
                        key_next = false;
                    }
                }
                b'{' | b'[' => {
                    key_next = object && depth == 0;
                    depth += 1;
                }
                b',' => key_next = object && depth == 1,
                _ => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(p + 1);
                        break;
                    }
                }
            }
            i = p + 1;
        }
        let n = end.unwrap_or(n);
        out.extend_from_slice(&buf[..n]);
        r.consume(n);
        if end.is_some() {
            return Ok(Ok(if object { Shape::Object } else { Shape::Other }));
        }
        if (out.len() - base) as u64 > MAX_LINE {
            return Ok(Err("an element is longer than 64 MiB"));
        }
    }
}

/// What [`value_bytes`] cut out.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Object,
    Other,
}

/// The bytes [`value_bytes`] looks at outside strings.
const fn structural() -> [bool; 256] {
    let mut t = [false; 256];
    let special = b"\"{}[],: \t\n\r\x0c";
    let mut i = 0;
    while i < special.len() {
        t[special[i] as usize] = true;
        i += 1;
    }
    t
}
static STRUCTURAL: [bool; 256] = structural();

/// Copy the JSON value the reader is at (after white space) to the end of `out`, by its brackets
/// and strings, without parsing it; `keys` gets the places (in the copy) of an object's top-level
/// keys. `Err` says why the value is broken (the data ended, or it is longer than
/// [`MAX_LINE`]).
fn value_bytes<R: BufRead>(
    r: &mut R,
    out: &mut Vec<u8>,
    keys: &mut Vec<(usize, usize)>,
) -> io::Result<Result<Shape, &'static str>> {
    keys.clear();
    if let Some(&first @ (b'{' | b'[')) = r.fill_buf()?.first() {
        return container_bytes(r, out, keys, first == b'{');
    }
    let base = out.len();
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    // In the top-level object, where a key can start (after `{` or `,`), and where the key being
    // read starts.
    let mut key_next = false;
    let mut key_start: Option<usize> = None;
    let mut object = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(Err("EOF while parsing a value"));
        }
        let offset = out.len() - base;
        let mut end = None;
        let mut i = 0;
        while i < buf.len() {
            let c = buf[i];
            if in_str {
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                    None => {
                        i = buf.len();
                        continue;
                    }
                    Some(k) => i += k,
                }
                if buf[i] == b'\\' {
                    escaped = true;
                } else {
                    in_str = false;
                    if let Some(a) = key_start.take() {
                        keys.push((a, offset + i));
                    }
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                i += 1;
                continue;
            }
            if !STRUCTURAL[usize::from(c)] {
                key_next &= depth != 1;
                i += 1;
                continue;
            }
            match c {
                b'"' => {
                    in_str = true;
                    if key_next && depth == 1 {
                        key_start = Some(offset + i + 1);
                        key_next = false;
                    }
                }
                b'{' | b'[' => {
                    if depth == 0 {
                        object = c == b'{';
                        key_next = object;
                    }
                    depth += 1;
                }
                b'}' | b']' if depth == 0 => {
                    end = Some(i);
                    break;
                }
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                b',' if depth == 0 => {
                    end = Some(i);
                    break;
                }
                b',' => key_next = object && depth == 1,
                c if depth == 0 && c.is_ascii_whitespace() => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let n = end.unwrap_or(buf.len());
        out.extend_from_slice(&buf[..n]);
        r.consume(n);
        if end.is_some() {
            return Ok(Ok(if object { Shape::Object } else { Shape::Other }));
        }
        if (out.len() - base) as u64 > MAX_LINE {
            return Ok(Err("an element is longer than 64 MiB"));
        }
    }
}

/// The rrweb events of one recording, as they are read.
#[derive(Default)]
struct Recording {
    tally: Tally,
    pos: Option<Pos>,
}

impl Recording {
    fn event(&mut self, ev: &Value, path: &str, pos: Pos, ctx: &mut Ctx) {
        self.pos.get_or_insert(pos);
        let (out, fields) = (&mut *ctx.out, &ctx.fields);
        self.tally.event(ev, path, &mut |other, p| {
            let mut w = Walk::new(out, fields, PosSource::Fixed(pos), format!("{p}."));
            // A parsed value cannot fail to deserialize.
            let _ = w.run(other);
        });
    }

    fn finish(self, label: &str, ctx: &mut Ctx) {
        if let Some(pos) = self.pos {
            ctx.audit.replay_segments += 1;
            self.tally.report(ctx.out, label, pos);
        }
    }
}

/// One element of an array: an event, an rrweb event of the recording, or a segment (an array of
/// rrweb events).
fn element(v: &Value, index: usize, pos: Pos, rec: &mut Recording, ctx: &mut Ctx) {
    if is_rrweb_event(v) {
        rec.event(v, &format!("[{index}]"), pos, ctx);
    } else if let Value::Array(segment) = v {
        let mut seg = Recording::default();
        for (j, ev) in segment.iter().enumerate() {
            if is_rrweb_event(ev) {
                seg.event(ev, &format!("[{index}][{j}]"), pos, ctx);
            }
        }
        seg.finish(&format!("segment {index}"), ctx);
    } else if v.is_object() {
        ctx.walk_value(v, format!("[{index}]."), pos);
    }
}

/// Elements of an array already parsed.
fn elements(items: impl Iterator<Item = (Value, Pos)>, label: &str, ctx: &mut Ctx) {
    let mut rec = Recording::default();
    for (index, (v, pos)) in items.enumerate() {
        element(&v, index, pos, &mut rec, ctx);
    }
    rec.finish(label, ctx);
}

/// A replay recording payload: `{"segment_id":N}`, a newline, then the rrweb array, compressed
/// (zlib or gzip, as the SDK sends it) or not.
fn replay_payload<R: BufRead>(
    r: &mut R,
    cell: Option<&Cell<Pos>>,
    pos: Pos,
    ctx: &mut Ctx,
) -> io::Result<()> {
    let header = read_line(r, MAX_HEAD_LINE)?;
    let label = match object_of(header.trim_ascii()) {
        Some(h) => match h.get("segment_id").and_then(Value::as_u64) {
            Some(n) => format!("segment {n}"),
            None => "recording".into(),
        },
        None => {
            ctx.unreadable(
                pos,
                "a replay recording does not start with its `{\"segment_id\": N}` header".into(),
            );
            return Ok(());
        }
    };
    let head = r.fill_buf()?;
    match compression(head) {
        Some(kind) => {
            let mut d = decompressed(kind, r);
            rrweb(&mut d, None, pos, &label, ctx)
        }
        None => rrweb(r, cell, pos, &label, ctx),
    }
}

fn rrweb<R: BufRead>(
    r: &mut R,
    cell: Option<&Cell<Pos>>,
    pos: Pos,
    label: &str,
    ctx: &mut Ctx,
) -> io::Result<()> {
    match skip_ws(r) {
        Ok(Some(b'[')) => {
            array(r, cell, pos, label, ctx)?;
        }
        Ok(Some(b)) => ctx.unreadable(
            cell.map(Cell::get).unwrap_or(pos),
            format!(
                "the replay {label} is not an array of rrweb events: it starts with {}",
                describe_byte(b)
            ),
        ),
        Ok(None) => ctx.unreadable(pos, format!("the replay {label} is empty")),
        Err(e) => ctx.unreadable(
            pos,
            format!("the replay {label} cannot be decompressed: {e}"),
        ),
    }
    Ok(())
}

/// An envelope: a header line, then items, each a header line and a payload (of `length` bytes,
/// or up to the next newline). A broken item is reported and, when its length is known, skipped.
fn envelope<R: BufRead>(r: &mut R, cell: &Cell<Pos>, ctx: &mut Ctx) -> io::Result<()> {
    read_line(r, MAX_HEAD_LINE)?;
    ctx.audit.envelopes += 1;
    let mut item = 0usize;
    loop {
        // Blank lines between items.
        loop {
            let buf = r.fill_buf()?;
            match buf.first() {
                Some(b'\n') => r.consume(1),
                Some(b'\r') if buf.get(1) == Some(&b'\n') => r.consume(2),
                _ => break,
            }
        }
        if r.fill_buf()?.is_empty() {
            return Ok(());
        }
        item += 1;
        let item_pos = cell.get();
        let line = read_line(r, MAX_HEAD_LINE)?;
        let Some(header) = object_of(line.trim_ascii()) else {
            ctx.unreadable(
                item_pos,
                format!("envelope item {item}: its header is not a JSON object; the rest of the envelope was not audited"),
            );
            return Ok(());
        };
        let ty = header
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let content_type = header
            .get("content_type")
            .and_then(Value::as_str)
            .unwrap_or("");
        let json = !BINARY_ITEMS.contains(&ty.as_str())
            && (content_type.is_empty() || content_type.contains("json"));
        match header.get("length").and_then(Value::as_u64) {
            Some(length) => {
                let mut payload = (&mut *r).take(length);
                item_payload(&mut payload, cell, item_pos, item, &ty, json, ctx)?;
                io::copy(&mut payload, &mut io::sink())?;
                if payload.limit() > 0 {
                    ctx.unreadable(
                        cell.get(),
                        format!("envelope item {item} (`{ty}`) is shorter than its length of {length} bytes: the envelope is truncated"),
                    );
                    return Ok(());
                }
            }
            None => {
                let mut payload = UntilNewline {
                    inner: &mut *r,
                    done: false,
                };
                item_payload(&mut payload, cell, item_pos, item, &ty, json, ctx)?;
                io::copy(&mut payload, &mut io::sink())?;
            }
        }
        // The newline after the payload.
        let buf = r.fill_buf()?;
        match buf.first() {
            Some(b'\n') => r.consume(1),
            Some(b'\r') if buf.get(1) == Some(&b'\n') => r.consume(2),
            _ => {}
        }
    }
}

fn item_payload<R: BufRead>(
    payload: &mut R,
    cell: &Cell<Pos>,
    item_pos: Pos,
    item: usize,
    ty: &str,
    json: bool,
    ctx: &mut Ctx,
) -> io::Result<()> {
    if ty == "replay_recording" {
        let pos = cell.get();
        return replay_payload(payload, Some(cell), pos, ctx);
    }
    if !json {
        ctx.audit.skipped_items += 1;
        return Ok(());
    }
    match skip_ws(payload)? {
        Some(b'{') => {
            stream_event(
                payload,
                cell,
                ctx,
                &format!("envelope item {item} (`{ty}`) is "),
            );
        }
        Some(b'[') => {
            array(payload, Some(cell), item_pos, "recording", ctx)?;
        }
        Some(b) => ctx.unreadable(
            cell.get(),
            format!(
                "envelope item {item} (`{ty}`) is not JSON: it starts with {}",
                describe_byte(b)
            ),
        ),
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_the_first_lines() {
        assert_eq!(
            sniff(
                b"{\"event_id\":\"a\",\"sent_at\":\"x\"}\n",
                b"{\"type\":\"event\",\"length\":2}\n"
            ),
            Kind::Envelope
        );
        assert_eq!(sniff(b"{}\n", b"{\"type\":\"session\"}\n"), Kind::Envelope);
        assert_eq!(
            sniff(b"{\"segment_id\":0}\n", b"x\x9c..."),
            Kind::ReplayPayload
        );
        assert_eq!(
            sniff(
                b"{\"event_id\":\"a\",\"level\":\"error\"}\n",
                b"{\"event_id\":\"b\",\"type\":\"error\",\"level\":\"error\"}\n"
            ),
            Kind::JsonLines
        );
        assert_eq!(sniff(b"{\n", b"  \"event_id\": \"a\",\n"), Kind::Documents);
        assert_eq!(sniff(b"[{\"type\":2}]", b""), Kind::Documents);
        assert_eq!(sniff(b"\x00\x01binary", b""), Kind::Documents);
    }

    #[test]
    fn compression_magic() {
        assert_eq!(compression(&[0x1f, 0x8b, 8]), Some(Compression::Gzip));
        assert_eq!(compression(&[0x78, 0x9c]), Some(Compression::Zlib));
        assert_eq!(compression(&[0x78, 0xda]), Some(Compression::Zlib));
        assert_eq!(compression(b"{\"a\""), None);
    }

    #[test]
    fn counting_counts_lines_and_characters() {
        let cell = Cell::new(Pos::START);
        let mut c = Counting {
            inner: Cursor::new("é\nab".as_bytes().to_vec()),
            pos: &cell,
        };
        let mut s = String::new();
        c.read_to_string(&mut s).unwrap();
        assert_eq!(cell.get(), Pos { line: 2, column: 3 });
    }

    #[test]
    fn value_bytes_cut_one_element_by_brackets_and_strings() {
        let mut r = Cursor::new(br#"{"a": "x}]\"", "b": [1, {"c": 2}]}, 3, "s,"]"#.to_vec());
        let (mut out, mut keys) = (Vec::new(), Vec::new());
        assert_eq!(
            value_bytes(&mut r, &mut out, &mut keys).unwrap(),
            Ok(Shape::Object)
        );
        assert_eq!(out, br#"{"a": "x}]\"", "b": [1, {"c": 2}]}"#);
        let names: Vec<&[u8]> = keys.iter().map(|&(a, b)| &out[a..b]).collect();
        assert_eq!(names, [&b"a"[..], b"b"]);
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, r#", 3, "s,"]"#);
        for (input, want) in [(&b"3, 4"[..], &b"3"[..]), (b"\"s,\"]", b"\"s,\"")] {
            let mut out = Vec::new();
            let shape = value_bytes(&mut Cursor::new(input.to_vec()), &mut out, &mut keys)
                .unwrap()
                .unwrap();
            assert_eq!(shape, Shape::Other);
            assert_eq!(out, want);
        }
        let mut out = Vec::new();
        assert!(
            value_bytes(&mut Cursor::new(b"{\"a\": [".to_vec()), &mut out, &mut keys)
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn next_structural_finds_quotes_commas_and_brackets() {
        for (text, want) in [
            (&b"abcdefgh  ijkl\"x"[..], Some(14)),
            (b"    ,", Some(4)),
            (b"0123456789 : [", Some(13)),
            (b"\n        }", Some(9)),
            (b"{", Some(0)),
            (b"\xdb\x9b\xfb\xfd\xa2\xac\x7b", Some(6)),
            (b"no structure at all here", None),
        ] {
            assert_eq!(next_structural(text), want, "{text:?}");
        }
    }

    /// Numbers below `n` (xorshift from `seed`): the same ones on every run.
    fn random_below(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        }
    }

    /// Reads at most `step` bytes at a time (a pipe, a decompressor), and fails at `fail`.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
        fail: Option<usize>,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.fail.is_some_and(|f| self.at >= f) {
                return Err(io::Error::other("the disk went away"));
            }
            let end = self.data.len().min(self.at + self.step);
            let end = self.fail.map_or(end, |f| end.min(f));
            let n = (end - self.at).min(out.len());
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// The lines of every block `blocks` hands out, with their numbers, and why it stopped.
    fn cut(blocks: &mut LineBlocks<Trickle>) -> (Vec<(usize, Vec<u8>)>, Vec<usize>) {
        let mut job = Job::with_room();
        let mut lines = Vec::new();
        let mut seqs = Vec::new();
        while let Some(seq) = blocks.next(&mut job) {
            seqs.push(seq);
            let mut start = 0;
            for r in &job.records {
                let Record::Line { end, line } = *r else {
                    panic!("a line block holds lines");
                };
                lines.push((line, job.data[start..end].to_vec()));
                start = end;
            }
        }
        (lines, seqs)
    }

    /// Blocks hold whole lines, all of them, in order and numbered from the first, however the
    /// reader hands out the bytes: lines across the ends of blocks and of reads, empty lines,
    /// CRLF, a last line without its newline, lines longer than a block.
    #[test]
    fn line_blocks_hold_every_line_once_in_order() {
        let mut random = random_below(0x9e37_79b9_7f4a_7c15);
        for case in 0..40 {
            let mut data = Vec::new();
            let mut expected = Vec::new();
            let count = 1 + random(if case % 4 == 0 { 5 } else { 300 });
            for i in 0..count {
                let len = match random(40) {
                    0..=3 => 0,
                    4 => BATCH + random(2 * BATCH),
                    _ => random(3000),
                };
                let mut line = vec![b'x'; len];
                if len > 1 && i % 3 == 0 {
                    line[len - 1] = b'\r';
                }
                let last = i == count - 1;
                if !(last && case % 2 == 0) {
                    line.push(b'\n');
                }
                data.extend_from_slice(&line);
                if !line.is_empty() {
                    expected.push((7 + i, line));
                }
            }
            let step = [1 << 20, 4096, 61, 70_001][case % 4];
            let mut r = Trickle {
                data: data.clone(),
                at: 0,
                step,
                fail: None,
            };
            let mut blocks = LineBlocks::new(&mut r, 7);
            let (lines, seqs) = cut(&mut blocks);
            assert!(matches!(blocks.stop, Some(Stop::End)), "case {case}");
            assert_eq!(seqs, (0..seqs.len()).collect::<Vec<_>>());
            assert_eq!(lines.len(), expected.len(), "case {case}");
            assert!(lines == expected, "case {case}: the lines differ");
            assert_eq!(
                lines
                    .iter()
                    .flat_map(|(_, l)| l.clone())
                    .collect::<Vec<u8>>(),
                data
            );
        }
    }

    /// The lock is taken at once when it is free; when another thread holds it, it is taken
    /// once that thread lets it go, whether that is within [`SPIN`] (the thread tries again and
    /// again) or long after (it sleeps); a poisoned lock is an error, as with `lock`.
    #[test]
    fn lock_spinning_waits_for_the_lock_however_long_it_is_held() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::Duration;
        let m = Mutex::new(0);
        *lock_spinning(&m).unwrap() += 1;
        for held in [Duration::from_micros(50), SPIN * 4] {
            let released = AtomicBool::new(false);
            std::thread::scope(|scope| {
                let guard = m.lock().unwrap();
                let (m, released) = (&m, &released);
                let waiter = scope.spawn(move || {
                    let mut n = lock_spinning(m).unwrap();
                    assert!(released.load(Ordering::SeqCst), "taken while held");
                    *n += 1;
                });
                std::thread::sleep(held);
                released.store(true, Ordering::SeqCst);
                drop(guard);
                waiter.join().unwrap();
            });
        }
        assert_eq!(*m.lock().unwrap(), 3);
        let poisoned = Mutex::new(0);
        let _ = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _g = poisoned.lock().unwrap();
                    panic!("poison the lock");
                })
                .join()
        });
        assert!(lock_spinning(&poisoned).is_err());
    }

    /// A line longer than the longest allowed stops the blocks there (the lines before it are
    /// handed out), and so does a reader that fails (the lines read whole before it).
    #[test]
    fn line_blocks_stop_at_a_line_too_long_and_at_a_failed_read() {
        // A line of 100 bytes with its newline is whole; one byte more is too long, and so is
        // a last line of 100 bytes without one.
        for (long, newline, whole) in [
            (99, true, true),
            (100, true, false),
            (400_000, true, false),
            (99, false, true),
            (100, false, false),
        ] {
            let mut data = b"{}\n[]\n".to_vec();
            data.extend(std::iter::repeat_n(b'a', long));
            if newline {
                data.extend_from_slice(b"\n{\"after\":1}\n");
            }
            let mut r = Trickle {
                data,
                at: 0,
                step: 33,
                fail: None,
            };
            let mut blocks = LineBlocks::new(&mut r, 1);
            blocks.max_line = 100;
            let (lines, _) = cut(&mut blocks);
            if whole {
                assert_eq!(lines.len(), 3 + usize::from(newline), "{long} {newline}");
                assert!(matches!(blocks.stop, Some(Stop::End)));
            } else {
                assert_eq!(lines.len(), 2, "{long} {newline}");
                assert!(
                    matches!(blocks.stop, Some(Stop::TooLong(3))),
                    "{long} {newline}"
                );
            }
        }
        let mut r = Trickle {
            data: b"{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n".to_vec(),
            at: 0,
            step: 5,
            fail: Some(20),
        };
        let mut blocks = LineBlocks::new(&mut r, 1);
        let (lines, _) = cut(&mut blocks);
        assert_eq!(lines.len(), 2);
        assert!(matches!(blocks.stop, Some(Stop::Failed(_))));
    }

    #[test]
    fn until_newline_stops_before_it() {
        let mut r = Cursor::new(b"abc\ndef".to_vec());
        let mut u = UntilNewline {
            inner: &mut r,
            done: false,
        };
        let mut s = String::new();
        u.read_to_string(&mut s).unwrap();
        assert_eq!(s, "abc");
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "\ndef");
    }

    /// Lines that exercise every part of the text walk: escapes, pairs, key-value tags, `_meta`,
    /// bodies held as JSON strings, query strings, personal data, credentials, and numbers of
    /// every shape (some of them out of serde_json's range).
    fn text_walk_lines() -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for name in ["python-error.json", "node-error.json", "api-event.json"] {
            let text = std::fs::read_to_string(format!("fixtures/events/{name}")).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap();
            lines.push(v.to_string());
        }
        let jsonl = std::fs::read_to_string("fixtures/events/events.jsonl").unwrap();
        lines.extend(jsonl.lines().map(str::to_string));
        lines.extend(
            [
                r#"{"level":"fatal","user":{"ip_address":"203.0.113.9","email":"ann@example.com"},"request":{"method":"POST","data":"{\"ticket_data\": \"the printer\", \"n\": [1, {\"intake_content\": \"x\"}]}","query_string":"a=1&ticket_data=printer","headers":[["Authorization","Bearer abcdefghijklmnopqrstuvwxyz012345"],["X-Forwarded-For","198.51.100.7"],["Cookie"]]}}"#,
                r#"{"exception":{"values":[{"stacktrace":{"frames":[{"vars":{"card":"4111 1111 1111 1111","ssn":"078-05-1120","tok":"sk_live_abcdefghijklmnopqrstuvwx","n":null,"t":true,"f":false}}]}}]},"tags":[{"key":"ticket_data","value":"Printer \u00e9 \ud83d\ude00"},{"value":"v","key":"k"},["ticket_data","x"]]}"#,
                r#"{"_meta":{"extra":{"ticket_data":{"":{"rem":[["!config","x"]]}}}},"extra":{"ticket_data":"[Filtered]","escalation_package":"***","pending_task_lane":"  ","x":"\"quoted\" \\ back\/slash \b\f\n\r\t"}}"#,
                r#"{"entries":[{"type":"exception","data":{"values":[]}},{"type":"request","data":{"data":{"conversation_messages":["hi"]},"env":{"REMOTE_ADDR":"192.0.2.1"}}}],"contexts":{"x":{"eyJ":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl"}}}"#,
                r#"{"n":[0,-0,1.5,-2.25e3,1E+5,1e-7,0.000,1e400,-1e400,1e-400,123456789012345678901234567890,12345678901234567890.5e-3]}"#,
                r#" {	"a" :	[ ] , "b" : { } ,"c":[[]],"d":[{}],"e":"" } "#,
                r#"{"a":1,"a":{"ticket_data":"x"},"a":"[Filtered]"}"#,
                r#"{"\u0074icket_data":"x","tick\"et":"y","ke\u0079":"ticket_data","value":"z"}"#,
                // Findings at paths of the same keys, counted into one hit (the keys at other
                // places, or escaped), beside paths of other keys at the same depth.
                r#"{"exception":{"values":[{"stacktrace":{"frames":[{"vars":{"ticket_data":"a","n":1}},{"vars":{"ticket_data":"b"}},{"v\u0061rs":{"n":2,"ticket_data":"c"}},{"vars":{"ticket_data":"[Filtered]","x":"ann@example.com"}},{"vars":{"ticket_d\u0061ta":"d"},"x":"bob@example.com"},{"varz":{"ticket_data":"e"}}]}}]},"threads":{"values":[{"stacktrace":{"frames":[{"vars":{"n":1}},{"vars":{"n":2}}]}}]}}"#,
                r#"{"breadcrumbs":{"values":[{"message":"ann@example.com"},{"message":"bob@example.com"},{"messagf":"c@example.com"},{"message":"078-05-1120 d@example.com"},{"data":{"message":"e@example.com"}},{"message":"f@example.com"}]},"extra":{"message":"g@example.com","m":["h@example.com","i@example.com"],"n":[["j@example.com"]]}}"#,
            ]
            .map(str::to_string),
        );
        // Broken, each in its own way.
        for bad in [
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "1e",
            "1e+",
            "-",
            "+1",
            "0x1",
            "tru",
            "nul",
            "1,",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\\x\"",
            "\"a\u{1}b\"",
            "\"a\u{7f}b\"",
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{,}",
            "{\"a\" 1}",
            "{\"a\":}",
            "{1:2}",
            "1 2",
        ] {
            lines.push(format!(
                "{{\"ticket_data\":[{bad}],\"x\":\"ann@example.com\"}}"
            ));
        }
        lines.push(format!("{{\"n\":{}}}", "9".repeat(400)));
        lines.push(format!("{{\"n\":-{}.5}}", "9".repeat(310)));
        for depth in [125, 126, 127, 128] {
            lines.push(format!(
                "{{\"ticket_data\":{}\"x\"{}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            ));
        }
        lines
    }

    /// The text walk finds what serde_json's walk finds, as a line and as an element of an array,
    /// on every line above and on many broken variants of them (cut short, a byte replaced,
    /// deleted or doubled), findings and counts alike.
    #[test]
    fn text_walk_agrees_with_serde_json() {
        let config = crate::config::Config::load(std::path::Path::new(
            "fixtures/events/sentry-privacy-audit.toml",
        ))
        .unwrap();
        let settings = Settings::from_config(&config);
        let judge = |line: &[u8], from_text: bool| {
            let mut out = Collector::for_part(settings.clone());
            let mut audit = FileAudit::default();
            let mut ctx = Ctx {
                out: &mut out,
                audit: &mut audit,
                fields: settings.fields.clone(),
                bufs: Buffers::default(),
            };
            line_by(line, 7, &mut ctx, from_text);
            // The same text as an element of an array (where a key given twice is judged as
            // the object serde_json keeps).
            let kept = event_element_by(line, 3, Pos::START, &mut ctx, from_text);
            let hits = format!("{:?}", out.take_part().hits);
            (hits, audit.events, audit.error_events, kept)
        };
        let mut random = random_below(0x2545_f491_4f6c_dd1d);
        let bytes = b"\"\\,:[]{} \t\r\x01\x7fe-+.0a\xc3\xa9";
        let (mut cases, mut broken, mut found) = (0, 0, 0);
        for base in text_walk_lines() {
            // Every line serde_json reads is read by the text walk too (it gives none up).
            if serde_json::from_str::<Value>(&base).is_ok() {
                let mut out = Collector::for_part(settings.clone());
                let mut w = Walk::new(
                    &mut out,
                    &settings.fields,
                    PosSource::Fixed(Pos::START),
                    String::new(),
                );
                assert_eq!(walk_text(&mut w, &base), Ok(()), "{base}");
            }
            let base = base.into_bytes();
            let mut variants = vec![base.clone()];
            let step = (base.len() / 150).max(1);
            for cut in (0..base.len()).step_by(step) {
                variants.push(base[..cut].to_vec());
            }
            for _ in 0..400 {
                let at = random(base.len());
                let mut v = base.clone();
                match random(3) {
                    0 => v[at] = bytes[random(bytes.len())],
                    1 => {
                        v.remove(at);
                    }
                    _ => v.insert(at, v[at]),
                }
                variants.push(v);
            }
            for v in variants {
                let serde = judge(&v, false);
                let text = judge(&v, true);
                assert_eq!(text, serde, "on line {:?}", String::from_utf8_lossy(&v));
                // The parser's loops compiled for any processor, not for this one, judge the same.
                let any = super::super::text::baseline_only(|| judge(&v, true));
                assert_eq!(any, text, "on line {:?}", String::from_utf8_lossy(&v));
                cases += 1;
                broken += usize::from(serde.0.contains("EventUnreadable"));
                found += usize::from(serde.0.len() > 2);
            }
        }
        // The cases cover valid and broken lines, with findings.
        assert!(cases > 8000, "{cases}");
        assert!(
            broken > cases / 3 && broken < cases * 9 / 10,
            "{broken} of {cases}"
        );
        assert!(found > cases / 2, "{found} of {cases}");
    }
}
