//! `cargo bench --bench events`: `audit-events` on a large events file (200 MB by default,
//! `EVENTS_MB` to change), against serde_json's own rate on the same file, and its peak memory.
//!
//! Two files are generated once under `target/bench-events/`: JSON lines (one SDK-shaped error
//! event per line, 1 in 8 with customer fields) and the same events as one pretty-printed JSON
//! array (the API's list form, read element by element). For each file it prints:
//! - the rate of reading the bytes (from the page cache, so an upper bound of disk speed);
//! - serde_json's own rate, parsing the file the way the audit does but keeping nothing
//!   (`IgnoredAny` per line for JSON lines; a streamed `IgnoredAny` for the array);
//! - the audit's rate, in this process;
//! - the rate of the release binary's `audit-events FILE` (built by the bench with
//!   `cargo build --release` under `target/bench-events/release-build/`, see [`release_binary`]),
//!   and its peak resident memory, the largest of its runs', which the kernel gives when each
//!   run is reaped (`wait4`).
//!
//! The three are timed in turn, in [`ROUNDS`] rounds; rates are the medians, and the audit's time
//! is compared with serde_json's within each round (the median ratio, the middle half of the
//! ratios, and the range).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use serde::Deserialize;

use sentry_privacy_audit::config::Config;
use sentry_privacy_audit::evidence::events::{audit_file, Settings};

const FIELDS: [&str; 8] = [
    "intake_content",
    "conversation_messages",
    "ticket_data",
    "escalation_package",
    "resolution_note_markdown",
    "escalation_package_markdown",
    "system_prompt_snapshot",
    "pending_task_lane",
];

fn event(i: usize) -> serde_json::Value {
    let leaky = i.is_multiple_of(8);
    let frames: Vec<serde_json::Value> = (0..12)
        .map(|f| {
            serde_json::json!({
                "filename": format!("app/services/module_{f}.py"),
                "function": format!("handler_{f}"),
                "module": format!("app.services.module_{f}"),
                "lineno": 10 + f,
                "in_app": f % 3 != 0,
                "context_line": "    result = service.process(payload, options=options)",
                "pre_context": ["def handler(payload):", "    options = load()"],
                "post_context": ["    return result", ""],
                "vars": if leaky {
                    serde_json::json!({"ticket_data": format!("Printer on floor {f} shows error 0x45"), "n": f})
                } else {
                    serde_json::json!({"n": f, "options": "[Filtered]"})
                },
            })
        })
        .collect();
    serde_json::json!({
        "event_id": format!("{i:032x}"),
        "timestamp": 1_796_033_702.0 + i as f64,
        "platform": "python",
        "level": "error",
        "environment": "production",
        "release": "helpdesk@4.2.0",
        "server_name": format!("helpdesk-api-{}", i % 7),
        "sdk": {"name": "sentry.python.flask", "version": "2.75.0"},
        "user": {"id": format!("{}", i % 1000)},
        "request": {
            "url": format!("https://api.helpdesk.example/tickets/{i}/escalate"),
            "method": "POST",
            "headers": {"Content-Type": "application/json", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"},
        },
        "exception": {"values": [{"type": "EscalationError", "value": format!("could not escalate ticket {i}"),
            "stacktrace": {"frames": frames}}]},
        "breadcrumbs": {"values": (0..8).map(|b| serde_json::json!({
            "timestamp": 1_796_033_700.0 + b as f64, "category": "query",
            "message": "SELECT id, subject, status FROM tickets WHERE id = %s",
            "data": if leaky { serde_json::json!({"intake_content": "Since Monday the printer..."}) } else { serde_json::json!({"rows": b}) }
        })).collect::<Vec<_>>()},
        "extra": if leaky { serde_json::json!({"conversation_messages": ["Can you reset the fuser?"]}) } else { serde_json::json!({"batch": i % 13}) },
        "contexts": {"runtime": {"name": "CPython", "version": "3.11.7"}, "trace": {"trace_id": format!("{i:032x}"), "span_id": "00f067aa0ba902b7"}},
        "tags": {"route": "/tickets/<id>/escalate", "worker": format!("w{}", i % 4)},
    })
}

/// Generate the two files (once) of about `mb` megabytes each.
fn generate(dir: &Path, mb: usize) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let lines = dir.join(format!("events-{mb}mb.jsonl"));
    let array = dir.join(format!("events-{mb}mb.json"));
    if lines.is_file() && array.is_file() {
        return (lines, array);
    }
    let target = (mb * 1_000_000) as u64;
    let mut l = std::io::BufWriter::new(std::fs::File::create(&lines).unwrap());
    let mut a = std::io::BufWriter::new(std::fs::File::create(&array).unwrap());
    a.write_all(b"[\n").unwrap();
    let (mut written_l, mut written_a) = (0u64, 0u64);
    let mut i = 0;
    while written_l < target || written_a < target {
        let e = event(i);
        if written_l < target {
            let s = serde_json::to_string(&e).unwrap();
            written_l += s.len() as u64 + 1;
            writeln!(l, "{s}").unwrap();
        }
        if written_a < target {
            let s = serde_json::to_string_pretty(&e).unwrap();
            if i > 0 {
                a.write_all(b",\n").unwrap();
            }
            written_a += s.len() as u64 + 2;
            a.write_all(s.as_bytes()).unwrap();
        }
        i += 1;
    }
    a.write_all(b"\n]\n").unwrap();
    (lines, array)
}

/// Rounds of the parser, the library and the binary, taken in turn. Eleven: on a shared virtual
/// machine, the processor's speed can change by half from one second to the next, and a few
/// rounds fall in such a change.
const ROUNDS: usize = 11;

/// The median of the ratios `times[i] / base[i]` (each round's), the middle half of them, and
/// their range.
fn ratios(times: &[Duration], base: &[Duration]) -> String {
    let mut r: Vec<f64> = times
        .iter()
        .zip(base)
        .map(|(t, b)| t.as_secs_f64() / b.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    let n = r.len();
    format!(
        "{:.2}x (middle half of the rounds {:.2}-{:.2}x, all {:.2}-{:.2}x)",
        r[n / 2],
        r[n / 4],
        r[n - 1 - n / 4],
        r[0],
        r[n - 1]
    )
}

fn median(runs: &[Duration]) -> Duration {
    let mut runs = runs.to_vec();
    runs.sort();
    runs[runs.len() / 2]
}

fn rate(bytes: u64, d: Duration) -> String {
    format!("{:>7.0} MB/s", bytes as f64 / 1e6 / d.as_secs_f64())
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    let runs: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    median(&runs)
}

fn read_only(path: &Path) {
    let mut f = std::fs::File::open(path).unwrap();
    let mut buf = vec![0u8; 256 * 1024];
    while f.read(&mut buf).unwrap() > 0 {}
}

fn serde_lines(path: &Path) {
    let mut r = BufReader::with_capacity(256 * 1024, std::fs::File::open(path).unwrap());
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).unwrap() == 0 {
            break;
        }
        if line.len() > 1 {
            let _: IgnoredAny = serde_json::from_slice(&line).unwrap();
        }
    }
}

fn serde_stream(path: &Path) {
    let r = BufReader::with_capacity(256 * 1024, std::fs::File::open(path).unwrap());
    IgnoredAny::deserialize(&mut serde_json::Deserializer::from_reader(r)).unwrap();
}

/// One run of the release binary auditing `path`: its wall time, from its start until it is
/// reaped, and its peak resident memory (kB), which the kernel gives with its exit status
/// (`wait4`'s `ru_maxrss`): exact, and nothing watches the binary while it runs.
#[expect(
    clippy::zombie_processes,
    reason = "reaped by `wait4`, which gives its resource usage"
)]
fn run_binary(bin: &Path, path: &Path, config: &Path) -> (u64, Duration) {
    let t = Instant::now();
    let child = std::process::Command::new(bin)
        .args(["audit-events", "--output-format", "json", "--config"])
        .arg(config)
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the release binary starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a process id");
    let (mut status, mut usage) = (0, std::mem::MaybeUninit::<libc::rusage>::zeroed());
    // SAFETY: `pid` is our child, not yet reaped (`child` is never waited for), and `status` and
    // `usage` are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
    let wall = t.elapsed();
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    // Exit 1: it found something, as it should on these events.
    assert!(
        libc::WIFEXITED(status) && matches!(libc::WEXITSTATUS(status), 0 | 1),
        "the release binary failed (wait status {status})"
    );
    // SAFETY: `wait4` succeeded, so it wrote `usage`.
    let usage = unsafe { usage.assume_init() };
    (u64::try_from(usage.ru_maxrss).expect("a size"), wall)
}

/// The binary as `cargo build --release` makes it. The one `cargo bench` builds next to this
/// bench (`target/release/`) is not it: the dev-dependencies turn on more features of shared
/// crates (serde_json's `float_roundtrip`, hashbrown's `inline-more` …), and the code is laid
/// out differently. So it is built here, in a directory of its own, without them.
fn release_binary(root: &Path) -> PathBuf {
    let dir = root.join("target/bench-events/release-build");
    let status = std::process::Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()))
        .args([
            "build",
            "--release",
            "--quiet",
            "--bin",
            "sentry-privacy-audit",
        ])
        .arg("--target-dir")
        .arg(&dir)
        .current_dir(root)
        .status()
        .expect("cargo build --release");
    assert!(status.success(), "cargo build --release failed");
    dir.join("release/sentry-privacy-audit")
}

fn main() {
    let mb: usize = std::env::var("EVENTS_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-events");
    let (lines, array) = generate(&dir, mb);
    let config_path = dir.join("sentry-privacy-audit.toml");
    std::fs::write(
        &config_path,
        format!(
            "sensitive_fields = [{}]\n",
            FIELDS.map(|f| format!("\"{f}\"")).join(", ")
        ),
    )
    .unwrap();
    let config = Config::load(&config_path).unwrap();
    let settings = Settings::from_config(&config);
    let bin = release_binary(&root);
    for (path, parse, how) in [
        (
            &lines,
            serde_lines as fn(&Path),
            "serde_json::from_slice per line",
        ),
        (&array, serde_stream, "serde_json::from_reader, streamed"),
    ] {
        let bytes = std::fs::metadata(path).unwrap().len();
        println!(
            "{} ({:.0} MB)",
            path.file_name().unwrap().to_string_lossy(),
            bytes as f64 / 1e6
        );
        let read = time(3, || read_only(path));
        println!("  read the bytes:                {}", rate(bytes, read));
        // Rounds of serde_json, the library and the binary one after the other: the machine's
        // speed drifts from one second to the next, so each ratio is taken within a round.
        let (mut base, mut audit, mut binary) = (Vec::new(), Vec::new(), Vec::new());
        let (mut findings, mut peak) = (0, 0);
        for _ in 0..ROUNDS {
            base.push(time(1, || parse(path)));
            audit.push(time(1, || {
                let a = audit_file(path, "bench".into(), &settings).unwrap();
                findings = a.hits.len();
            }));
            let (kb, wall) = run_binary(&bin, path, &config_path);
            binary.push(wall);
            peak = peak.max(kb);
        }
        println!("  parse only ({how}): {}", rate(bytes, median(&base)));
        println!(
            "  audit-events (library):       {}  = {} the parse-only time, {findings} distinct findings",
            rate(bytes, median(&audit)),
            ratios(&audit, &base)
        );
        println!(
            "  audit-events (release binary): {} = {} the parse-only time, peak resident memory {:.1} MB",
            rate(bytes, median(&binary)),
            ratios(&binary, &base),
            peak as f64 / 1024.0
        );
    }
}
