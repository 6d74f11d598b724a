#!/usr/bin/env bash
# Syntax errors on real code: every source file of the given checked-out repositories is made a
# candidate (SENTRY_PRIVACY_AUDIT_EVERY_FILE=1) and parsed; the SPA000 findings are counted per
# repository and listed. On valid code the count must be zero.
#
#   benches/public-repos.sh DIR...          e.g. benches/public-repos.sh ~/src/outline ~/src/netbox
#
# Each DIR is checked on its own (its .gitignore honoured, dependency folders skipped), with an
# empty configuration so that no setting of the repository changes what is read. It prints one
# line per repository (files parsed, SPA000 count, time) and then each SPA000 (path:line:col
# message). Exits 1 when any SPA000 was found. Needs a release build (built when missing) and
# python3. The repositories used for the README's figure are listed there.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/target/release/sentry-privacy-audit"
if [ ! -x "$bin" ] || [ -n "${BUILD:-}" ]; then
    (cd "$here" && cargo build --release --quiet)
fi
[ $# -gt 0 ] || { echo "usage: $0 DIR..." >&2; exit 2; }

config="$(mktemp --suffix=.toml)"
trap 'rm -f "$config"' EXIT
: > "$config"

total=0
for dir in "$@"; do
    out="$(mktemp)"
    start=$(date +%s.%N)
    # Exit 1 means findings; anything else is a failure of the run.
    (cd "$dir" && SENTRY_PRIVACY_AUDIT_EVERY_FILE=1 "$bin" check . --config "$config" \
        --select SPA000 --output-format json > "$out" 2> /dev/null) || [ $? -eq 1 ]
    end=$(date +%s.%N)
    count=$(python3 - "$out" "$dir" "$start" "$end" <<'EOF'
import json, sys
out, name, start, end = sys.argv[1:]
doc = json.load(open(out))
spa = [f for f in doc["findings"] if f["code"] == "SPA000"]
print(f"{name}: {doc['summary']['files_checked']} files parsed, {len(spa)} SPA000, "
      f"{float(end) - float(start):.1f} s", file=sys.stderr)
for f in spa:
    print(f"  {f['path']}:{f['line']}:{f['column']}: {f['message']}", file=sys.stderr)
print(len(spa))
EOF
)
    rm -f "$out"
    total=$((total + count))
done
echo "total SPA000: $total"
[ "$total" -eq 0 ]
