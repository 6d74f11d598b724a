//! `cargo bench`: time `check` over a generated repository of realistic size.
//!
//! The tree mixes what a real monorepo has: many Python and TypeScript files that never name
//! Sentry (not candidates: never parsed), a share that imports it, route components, and a few inits. Each
//! scenario runs several times; the median and the throughput are printed.

use std::path::Path;
use std::time::{Duration, Instant};

use sentry_privacy_audit::check::{check, CheckRequest};

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn plain_python(i: usize) -> String {
    let mut s = format!("\"\"\"Service module {i}.\"\"\"\nimport json\n\n");
    for f in 0..20 {
        s.push_str(&format!(
            "def handler_{f}(payload):\n    data = json.loads(payload)\n    return {{\"id\": data.get(\"id\"), \"n\": {f}}}\n\n"
        ));
    }
    s
}

fn sentry_python(i: usize) -> String {
    format!(
        "import os\nimport sentry_sdk\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\n\n\
         OPTS = dict(dsn=os.getenv(\"SENTRY_DSN\"), traces_sample_rate=0.1)\nOPTS[\"environment\"] = \"svc{i}\"\n\n\
         def scrub(event, hint):\n    for key in (\"ticket_data\", \"intake_content\"):\n        event.get(\"extra\", {{}}).pop(key, None)\n    return event\n\n\
         def setup():\n    sentry_sdk.init(\n        **OPTS,\n        send_default_pii=os.getenv(\"PII\") == \"1\",\n        before_send=scrub,\n        integrations=[FastApiIntegration()],\n    )\n{}",
        plain_python(i)
    )
}

fn plain_tsx(i: usize) -> String {
    let mut s = format!("import React from \"react\";\n\nexport function Widget{i}() {{\n");
    if i % 50 == 7 {
        // A near miss: "sEntry" inside an identifier names no Sentry token.
        s.push_str("  const tracesEntry = performance.getEntriesByType(\"navigation\")[0];\n");
    }
    s.push_str("  return (\n    <div className=\"w\">\n");
    for r in 0..30 {
        s.push_str(&format!("      <p key=\"{r}\">{{\"row {r}\"}}</p>\n"));
    }
    s.push_str("    </div>\n  );\n}\n");
    s
}

fn sentry_ts(i: usize) -> String {
    format!(
        "import * as Sentry from \"@sentry/react\";\n\nconst replay = Sentry.replayIntegration({{ maskAllText: false, blockAllMedia: {} }});\n\n\
         Sentry.init({{\n  dsn: import.meta.env.VITE_SENTRY_DSN,\n  integrations: [Sentry.browserTracingIntegration(), replay],\n  replaysSessionSampleRate: import.meta.env.PROD ? 0.1 : 1.0,\n  replaysOnErrorSampleRate: 1.0,\n}});\n",
        i.is_multiple_of(2)
    )
}

/// Writes the tree: `scale` plain Python and TSX modules, and for one `i` in `sentry_every` a
/// Python init, a TypeScript init and a customer-data route.
fn generate(dir: &Path, scale: usize, sentry_every: usize) -> usize {
    let mut n = 0;
    write(
        dir,
        "sentry-privacy-audit.toml",
        "sensitive_fields = [\"ticket_data\", \"intake_content\"]\ncustomer_data_routes = [\"web/src/routes/**\"]\n",
    );
    for i in 0..scale {
        write(
            dir,
            &format!("api/pkg{}/mod{i}.py", i % 20),
            &plain_python(i),
        );
        write(dir, &format!("web/src/widgets/w{i}.tsx"), &plain_tsx(i));
        n += 2;
        if i % sentry_every == 0 {
            write(
                dir,
                &format!("api/pkg{}/sentry_setup{i}.py", i % 20),
                &sentry_python(i),
            );
            write(dir, &format!("web/src/routes/r{i}/Page.tsx"), &plain_tsx(i));
            write(dir, &format!("web/src/instrument{i}.ts"), &sentry_ts(i));
            n += 3;
        }
        // Dependencies that must be skipped without being read.
        if i % 4 == 0 {
            write(
                dir,
                &format!("web/node_modules/dep{i}/index.js"),
                &sentry_ts(i),
            );
        }
    }
    n
}

fn time(label: &str, files: usize, runs: usize, mut f: impl FnMut() -> usize) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times[runs / 2];
    println!(
        "{label:<40} median {:>8.1} ms  min {:>8.1} ms  {:>9.0} files/s",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        files as f64 / median.as_secs_f64()
    );
}

fn main() {
    // BENCH_TREE=DIR BENCH_SCALE=N BENCH_SENTRY_EVERY=K only writes the tree into DIR (2 N
    // plain source files, 3 N/K Sentry and route files, N/4 skipped dependency files), for
    // benches/floor.sh.
    let var = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    if let Some(dir) = std::env::var_os("BENCH_TREE") {
        let files = generate(
            Path::new(&dir),
            var("BENCH_SCALE", 2000),
            var("BENCH_SENTRY_EVERY", 10).max(1),
        );
        println!("{files} source files written");
        return;
    }
    // BENCH_QUICK=1 runs a small tree once.
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let scale = if quick { 50 } else { 2000 };
    let runs = if quick { 1 } else { 7 };
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), scale, 10);
    let req = CheckRequest {
        paths: vec![dir.path().to_path_buf()],
        config: None,
        exclude: vec![],
        ..Default::default()
    };
    time(&format!("check: {files} source files"), files, runs, || {
        let r = check(&req).unwrap();
        r.findings.len()
    });
    let report = check(&req).unwrap();
    println!(
        "  ({} files parsed, {} findings, {} inits)",
        report.checked,
        report.findings.len(),
        report.models.iter().map(|m| m.inits.len()).sum::<usize>()
    );
}
