#!/usr/bin/env bash
# Speed at the floor: `check .` against `rg -l -i sentry` on a generated tree of 100,000 source
# files (benches/check.rs's generator: Python and TSX modules that never name Sentry, some with
# near misses such as `tracesEntry`; one Python init, one TypeScript init and one customer-data
# route per 500 of them; and dependency folders that are skipped), in the same hyperfine run;
# then peak RSS (/usr/bin/time -v), and parsing throughput with every source file a candidate
# (SENTRY_PRIVACY_AUDIT_EVERY_FILE=1).
#
#   benches/floor.sh [DIR]     DIR (default: target/floor-tree) is generated once and reused.
#
# Needs hyperfine and ripgrep (Debian: apt-get install hyperfine ripgrep). Times on a machine
# shared with other work vary; the ratio of the two commands in one run is the figure to read.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
tree="${1:-$here/target/floor-tree}"
scale="${BENCH_SCALE:-49900}"
every="${BENCH_SENTRY_EVERY:-500}"
bin="$here/target/release/sentry-privacy-audit"
runs="${RUNS:-10}"

(cd "$here" && cargo build --release --quiet)
if [ ! -f "$tree/sentry-privacy-audit.toml" ]; then
    mkdir -p "$tree"
    (cd "$here" && BENCH_TREE="$tree" BENCH_SCALE="$scale" BENCH_SENTRY_EVERY="$every" cargo bench --quiet --bench check)
fi
cd "$tree"
files=$(find . -path ./web/node_modules -prune -o -type f \( -name '*.py' -o -name '*.tsx' -o -name '*.ts' \) -print | wc -l)
bytes=$(find . -path ./web/node_modules -prune -o -type f \( -name '*.py' -o -name '*.tsx' -o -name '*.ts' \) -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "tree: $tree, $files source files, $((bytes / 1024 / 1024)) MiB"

# `check` exits 1 on findings: -i.
hyperfine -N -i --warmup 2 --runs "$runs" --export-json /tmp/floor-hyperfine.json \
    "$bin check ." "rg -l -i sentry"
python3 - /tmp/floor-hyperfine.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
check, rg = r[0]["mean"], r[1]["mean"]
print(f"check . / rg -l -i sentry: {check / rg:.2f}x ({check * 1e3:.0f} ms vs {rg * 1e3:.0f} ms)")
PY

peak() {
    /usr/bin/time -o /tmp/floor-peak.time -f '%M' "$@" >/dev/null 2>&1 || true
    awk '{printf "%.1f MiB\n", $1 / 1024}' /tmp/floor-peak.time | tail -1
}
echo "peak RSS, check .: $(peak "$bin" check .)"
echo "peak RSS, rg -l -i sentry: $(peak rg -l -i sentry)"

# Every file a candidate: parsing throughput (wall clock and CPU time) and peak RSS, one run.
/usr/bin/time -o /tmp/floor-every.time -f '%e %U %S %M' \
    env SENTRY_PRIVACY_AUDIT_EVERY_FILE=1 "$bin" check . >/dev/null 2>&1 || true
stats=$(tail -1 /tmp/floor-every.time)
python3 - "$bytes" "$stats" "$(nproc)" <<'PY'
import sys
mib = int(sys.argv[1]) / 1024 / 1024
wall, user, sys_, rss = map(float, sys.argv[2].split())
print(f"every file a candidate: {mib / wall:.1f} MiB/s on {sys.argv[3]} cores ({wall:.1f} s for "
      f"{mib:.0f} MiB), {mib / (user + sys_):.1f} MiB per CPU-second, peak RSS {rss / 1024:.0f} MiB")
PY
