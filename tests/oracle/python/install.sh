#!/usr/bin/env bash
# Install the pinned sentry-sdk versions that the Python oracle runs against.
#
#   bash tests/oracle/python/install.sh            # all versions in versions.txt
#   bash tests/oracle/python/install.sh 2.75.0     # only these (must be pinned)
#
# Layout (ORACLE_DIR defaults to <repo>/target/oracle):
#   $ORACLE_DIR/python/<version>/sentry_sdk/...   one folder per SDK version (pip --no-deps --target)
#   $ORACLE_DIR/python/<version>/.complete        written last; a folder without it is reinstalled
#   $ORACLE_DIR/python/_deps/{urllib3,certifi}    the SDK's runtime deps, once, pinned below
#
# Idempotent: a folder whose .complete matches its version is skipped. Installs go to a
# temporary folder first and are moved into place, so an interrupted run leaves no
# half-folder that looks complete. Needs only python3 (CPython 3.11) with pip and PyPI.
# Up to ORACLE_JOBS (default 4) pip processes run at once; they mostly wait on the network.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
oracle_dir="${ORACLE_DIR:-$repo/target/oracle}"
dest="$oracle_dir/python"
# The interpreter itself rather than a version manager's shim: pyenv's shim runs `pyenv rehash`
# after each pip install, which fails when installs run at once (the shims' lock is taken).
py="$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')"
njobs="${ORACLE_JOBS:-4}"

# Runtime deps of every pinned sentry-sdk (all require urllib3>=1.26.11 and certifi).
DEPS=(urllib3==2.5.0 certifi==2025.8.3)

pip_install() { # target, requirement...
  local target="$1"; shift
  "$py" -m pip install --quiet --disable-pip-version-check --no-input \
    --no-deps --only-binary=:all: --target "$target" "$@"
}

# install_into FOLDER MARKER VERSION|"" REQUIREMENT...: install to FOLDER.tmp.$$, check that
# sentry_sdk imports as VERSION (if given), then move into place.
install_into() {
  local folder="$1" marker="$2" version="$3"; shift 3
  local tmp="$folder.tmp.$$" got
  rm -rf "$tmp"
  if ! pip_install "$tmp" "$@" >"$tmp.log" 2>&1; then
    echo "install.sh: FAILED: pip install $* (log: $tmp.log)" >&2
    cat "$tmp.log" >&2
    rm -rf "$tmp"
    return 1
  fi
  if [[ -n "$version" ]]; then
    # Import check (no init, no network): the folder must provide exactly this version.
    got="$(PYTHONPATH="$tmp:$dest/_deps" "$py" -S -c \
          'import sentry_sdk.consts as c; print(c.VERSION)' 2>&1 || true)"
    if [[ "$got" != "$version" ]]; then
      echo "install.sh: FAILED: $* imports as: $got" >&2
      rm -rf "$tmp"
      return 1
    fi
  fi
  printf '%s\n' "$marker" >"$tmp/.complete"
  rm -rf "$folder" "$tmp.log"
  mv "$tmp" "$folder"
  echo "install.sh: installed $* -> $folder"
}

is_complete() { # folder marker
  [[ -f "$1/.complete" ]] && [[ "$(cat "$1/.complete")" == "$2" ]]
}

mkdir -p "$dest"
# One install.sh at a time per folder (parallel test runs may all call it).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$dest/.install.lock"
  flock 9
fi
# Leftovers of an interrupted run (safe: we hold the lock).
rm -rf "$dest"/*.tmp.* 2>/dev/null || true
"$py" -c 'import sys; assert sys.version_info >= (3, 8), sys.version' || {
  echo "install.sh: need python3 >= 3.8" >&2; exit 1; }
echo "install.sh: python: $("$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
echo "install.sh: target: $dest"

mapfile -t pinned < <(grep -v -E '^[[:space:]]*(#|$)' "$here/versions.txt" | sed -e 's/[[:space:]]//g')
if (($#)); then
  for v in "$@"; do
    printf '%s\n' "${pinned[@]}" | grep -qxF "$v" || { echo "install.sh: $v is not in versions.txt" >&2; exit 2; }
  done
  wanted=("$@")
else
  wanted=("${pinned[@]}")
fi

start=$SECONDS
failed=0

deps_marker="${DEPS[*]}"
if is_complete "$dest/_deps" "$deps_marker"; then
  echo "install.sh: _deps: up to date (${DEPS[*]})"
else
  echo "install.sh: _deps: installing ${DEPS[*]}"
  install_into "$dest/_deps" "$deps_marker" "" "${DEPS[@]}" || exit 1
fi

for v in "${wanted[@]}"; do
  if is_complete "$dest/$v" "sentry-sdk==$v"; then
    echo "install.sh: $v: up to date"
    continue
  fi
  while (( $(jobs -rp | wc -l) >= njobs )); do wait -n || true; done
  echo "install.sh: $v: installing sentry-sdk==$v"
  install_into "$dest/$v" "sentry-sdk==$v" "$v" "sentry-sdk==$v" &
done
wait || true

is_complete "$dest/_deps" "$deps_marker" || { echo "install.sh: _deps: FAILED" >&2; failed=1; }
for v in "${wanted[@]}"; do
  if ! is_complete "$dest/$v" "sentry-sdk==$v"; then
    echo "install.sh: $v: FAILED (not installed)" >&2; failed=1
  fi
done

echo "install.sh: finished in $((SECONDS - start))s ($dest)"
exit "$failed"
