#!/usr/bin/env bash
# Install Sentry's Relay library (the `sentry-relay` Python package, pinned) for the scrub-rules
# tests: Relay validates every generated PII config and strips events with it.
#
#   bash tests/relay/install.sh
#
# Installs the manylinux wheel of sentry-relay and its runtime dependency cffi (pinned below) with
# `pip install --no-deps --only-binary=:all: --target` into ${RELAY_DIR:-<repo>/target/relay}/<version>/.
# A folder is complete when its `.complete` marker names the pins; complete folders are skipped. The
# install goes to a temporary folder, is import-checked, and is then moved into place. Needs CPython
# 3.10+ (x86_64 Linux) with pip and PyPI; about 8 MB.
set -euo pipefail

RELAY=sentry-relay==0.10.1
DEPS=(cffi==1.17.1 pycparser==2.22)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# The interpreter itself rather than a version manager's shim: pyenv's shim runs `pyenv rehash`
# after each pip install, which fails when installs run at once (the shims' lock is taken).
py="$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')"
version="${RELAY#*==}"
dest="${RELAY_DIR:-$repo/target/relay}/$version"
marker="$RELAY ${DEPS[*]}"

if [[ -f "$dest/.complete" && "$(cat "$dest/.complete")" == "$marker" ]]; then
    echo "relay install.sh: $marker: up to date ($dest)"
    exit 0
fi
mkdir -p "$(dirname "$dest")"
tmp="$dest.tmp.$$"
rm -rf "$tmp"
echo "relay install.sh: installing $marker into $dest"
"$py" -m pip install --quiet --disable-pip-version-check --no-input --no-deps \
    --only-binary=:all: --target "$tmp" "$RELAY" "${DEPS[@]}"
# Import check in an isolated interpreter that sees only this folder and the standard library.
"$py" -I -S -c '
import sys
sys.path.insert(0, sys.argv[1])
from sentry_relay.processing import validate_pii_config
validate_pii_config("{}")
print("relay install.sh: sentry_relay imports and validates")' "$tmp"
printf '%s\n' "$marker" >"$tmp/.complete"
rm -rf "$dest"
mv "$tmp" "$dest"
echo "relay install.sh: installed $marker -> $dest"
