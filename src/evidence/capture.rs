//! `capture`: a local stand-in for Sentry's ingestion endpoint. It accepts what the SDKs send
//! (`POST /api/<project>/envelope/` and the legacy `/api/<project>/store/`, gzip, deflate and
//! brotli bodies, the `sentry_key` query and `X-Sentry-Auth` header forms), answers as Sentry does
//! (`{"id": …}`, CORS headers for browser SDKs), and writes every request body, decoded, to a file
//! of its own. Nothing is judged here: the files are audited by [`super::events`] afterwards.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The largest request body accepted (a bigger one is refused with 413 and reported).
pub const MAX_BODY: u64 = 64 << 20;

/// A listening capture server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    pub port: u16,
    pub dir: PathBuf,
    received: Arc<Mutex<Received>>,
}

/// What the server received so far.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// The files written, in the order received.
    pub files: Vec<PathBuf>,
    /// Requests refused or that could not be kept, each said in a sentence.
    pub problems: Vec<String>,
}

/// The DSN that points an SDK at the server (project 1).
pub fn dsn(port: u16) -> String {
    format!("http://capture@127.0.0.1:{port}/1")
}

/// The next free file number in `dir` (files are `NNNN.envelope` or `NNNN.store.json`).
fn next_number(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    name.split('.').next()?.parse::<usize>().ok()
                })
                .max()
                .map_or(1, |n| n + 1)
        })
        .unwrap_or(1)
}

impl Server {
    /// Listen on 127.0.0.1 (`port` 0: an ephemeral port) and write into `dir` (created).
    pub fn start(port: u16, dir: &Path) -> Result<Server, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
        let http = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
            let reason = e.to_string();
            if reason.to_lowercase().contains("in use") {
                format!("cannot listen on 127.0.0.1:{port}: the port is in use (choose another with --port, or leave it out for a free one)")
            } else {
                format!("cannot listen on 127.0.0.1:{port}: {reason}")
            }
        })?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or("the server has no IP address")?;
        Ok(Server {
            http: Arc::new(http),
            port,
            dir: dir.to_path_buf(),
            received: Arc::new(Mutex::new(Received::default())),
        })
    }

    /// Serve requests on a thread until [`Server::stop`]; `on_file` is called with each file
    /// written (from the server's thread).
    pub fn spawn(&self, on_file: impl Fn(&Path) + Send + 'static) -> std::thread::JoinHandle<()> {
        let http = Arc::clone(&self.http);
        let received = Arc::clone(&self.received);
        let dir = self.dir.clone();
        let counter = Arc::new(AtomicUsize::new(next_number(&dir)));
        std::thread::spawn(move || {
            for request in http.incoming_requests() {
                handle(request, &dir, &counter, &received, &on_file);
            }
        })
    }

    /// Stop serving (requests already accepted are answered first).
    pub fn stop(&self) {
        self.http.unblock();
    }

    pub fn received(&self) -> Received {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn header<'r>(request: &'r tiny_http::Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn respond(request: tiny_http::Request, status: u16, body: String) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    for (k, v) in [
        ("Content-Type", "application/json"),
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "POST, OPTIONS"),
        (
            "Access-Control-Allow-Headers",
            "Content-Type, Content-Encoding, X-Sentry-Auth, Authorization, sentry-trace, baggage",
        ),
        (
            "Access-Control-Expose-Headers",
            "X-Sentry-Error, X-Sentry-Rate-Limits, Retry-After",
        ),
        ("Access-Control-Max-Age", "3600"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    // The SDK may be gone already; nothing to do about a failed answer.
    let _ = request.respond(response);
}

fn error_body(detail: &str) -> String {
    serde_json::json!({ "detail": detail }).to_string()
}

/// The endpoint of a path: `envelope` or `store` for `/api/<digits>/envelope/`.
fn endpoint(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or("");
    let mut parts = path.trim_matches('/').split('/');
    if parts.next() != Some("api") {
        return None;
    }
    let project = parts.next()?;
    if project.is_empty() || !project.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let kind = match parts.next()? {
        "envelope" => "envelope",
        "store" => "store",
        _ => return None,
    };
    parts.next().is_none().then_some(kind)
}

/// Decode a body by its `Content-Encoding`.
pub fn decode(body: Vec<u8>, encoding: Option<&str>) -> Result<Vec<u8>, String> {
    let enc = encoding.unwrap_or("identity").trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let result = match enc.as_str() {
        "" | "identity" => return Ok(body),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
            .take(MAX_BODY * 4)
            .read_to_end(&mut out),
        "deflate" => {
            // HTTP's deflate is zlib-wrapped; some clients send raw deflate.
            let zlib = flate2::read::ZlibDecoder::new(&body[..])
                .take(MAX_BODY * 4)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(MAX_BODY * 4)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        "br" => brotli::Decompressor::new(&body[..], 64 * 1024)
            .take(MAX_BODY * 4)
            .read_to_end(&mut out),
        other => return Err(format!("unknown Content-Encoding `{other}`")),
    };
    result
        .map(|_| out)
        .map_err(|e| format!("the {enc} body does not decode: {e}"))
}

/// The event id Sentry would answer with: the envelope header's or the event's `event_id`, or a
/// new one.
fn event_id(body: &[u8], counter: usize) -> String {
    let first = body.split(|b| *b == b'\n').next().unwrap_or(&[]);
    serde_json::from_slice::<serde_json::Value>(first)
        .ok()
        .and_then(|v| v.get("event_id")?.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{counter:032x}"))
}

fn handle(
    mut request: tiny_http::Request,
    dir: &Path,
    counter: &AtomicUsize,
    received: &Mutex<Received>,
    on_file: &dyn Fn(&Path),
) {
    let problem = |p: String| {
        if let Ok(mut r) = received.lock() {
            r.problems.push(p);
        }
    };
    if *request.method() == tiny_http::Method::Options {
        return respond(request, 200, String::new());
    }
    let url = request.url().to_string();
    let Some(kind) = endpoint(&url) else {
        return respond(request, 404, error_body("not an ingestion endpoint"));
    };
    if *request.method() != tiny_http::Method::Post {
        return respond(request, 405, error_body("method not allowed"));
    }
    if let Some(len) = request.body_length() {
        if len as u64 > MAX_BODY {
            problem(format!(
                "a request to {url} of {len} bytes was refused: over the {} MiB limit",
                MAX_BODY >> 20
            ));
            return respond(request, 413, error_body("request too large"));
        }
    }
    let mut body = Vec::new();
    if let Err(e) = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
    {
        problem(format!("a request to {url} could not be read: {e}"));
        return respond(request, 400, error_body("cannot read the body"));
    }
    if body.len() as u64 > MAX_BODY {
        problem(format!(
            "a request to {url} was refused: its body is over the {} MiB limit",
            MAX_BODY >> 20
        ));
        return respond(request, 413, error_body("request too large"));
    }
    let encoding = header(&request, "Content-Encoding").map(str::to_string);
    let n = counter.fetch_add(1, Ordering::SeqCst);
    let (decoded, note) = match decode(body.clone(), encoding.as_deref()) {
        Ok(d) => (d, None),
        // Kept as it came, so that it can be looked at; the audit reports it.
        Err(e) => (body, Some(e)),
    };
    let ext = if kind == "store" {
        "store.json"
    } else {
        "envelope"
    };
    let path = dir.join(format!("{n:04}.{ext}"));
    if let Err(e) = std::fs::write(&path, &decoded) {
        problem(format!("{}: cannot be written: {e}", path.display()));
        return respond(request, 500, error_body("cannot store the event"));
    }
    if let Some(e) = note {
        problem(format!("{}: kept as received: {e}", path.display()));
    }
    if let Ok(mut r) = received.lock() {
        r.files.push(path.clone());
    }
    on_file(&path);
    let id = event_id(&decoded, n);
    respond(request, 200, serde_json::json!({ "id": id }).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(endpoint("/api/1/envelope/"), Some("envelope"));
        assert_eq!(
            endpoint("/api/42/envelope/?sentry_key=abc&sentry_version=7"),
            Some("envelope")
        );
        assert_eq!(endpoint("/api/1/store/"), Some("store"));
        assert_eq!(endpoint("/api/x/envelope/"), None);
        assert_eq!(endpoint("/api/1/minidump/"), None);
        assert_eq!(endpoint("/"), None);
    }

    #[test]
    fn bodies_decode_by_their_encoding() {
        use std::io::Write;
        let text = b"{\"event_id\":\"abc\"}\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        assert_eq!(decode(gz.finish().unwrap(), Some("gzip")).unwrap(), text);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&text).unwrap();
        assert_eq!(decode(z.finish().unwrap(), Some("deflate")).unwrap(), text);
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 5, 22);
            w.write_all(&text).unwrap();
        }
        assert_eq!(decode(br, Some("br")).unwrap(), text);
        assert!(decode(b"nope".to_vec(), Some("gzip"))
            .unwrap_err()
            .contains("does not decode"));
        assert!(decode(text.clone(), Some("zstd"))
            .unwrap_err()
            .contains("unknown Content-Encoding"));
        assert_eq!(event_id(&text, 1), "abc");
    }
}
