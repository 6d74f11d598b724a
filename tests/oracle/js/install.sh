#!/usr/bin/env bash
# Installs the pinned Sentry JavaScript SDK versions for the oracle (see README.md).
#
#   bash tests/oracle/js/install.sh [VERSION ...]
#
# Reads tests/oracle/js/versions.txt. For each pinned SDK version it installs the
# listed packages (@sentry/core, @sentry/browser, @sentry/node) with exact
# versions into  ${ORACLE_DIR:-<repo>/target/oracle}/js/<version>/  and the pinned
# typescript (and @types/node, for type checks of cases that use Node APIs) once
# into  .../js/_tools/ . With VERSION arguments only those
# pinned versions are installed (typescript is always installed).
#
# Idempotent: a folder is complete when its `.oracle-complete` stamp lists exactly
# the packages wanted; complete folders are skipped. An install goes to a
# temporary folder first and is renamed into place only when npm succeeded, so an
# interrupted run never leaves a folder that looks complete.
#
# Needs only node/npm and the npm registry. No install scripts are run.
# Environment: ORACLE_DIR (install root), NPM (npm binary, default `npm`),
# ORACLE_JOBS (parallel npm installs, default 2), ORACLE_JS_LEAN=1 (skip the packages
# versions.txt marks optional with a trailing `?`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
root="${ORACLE_DIR:-$repo/target/oracle}/js"
npm_bin="${NPM:-npm}"
jobs="${ORACLE_JOBS:-2}"
versions_file="$here/versions.txt"

command -v "$npm_bin" >/dev/null || { echo "install.sh: npm not found" >&2; exit 1; }
command -v node >/dev/null || { echo "install.sh: node not found" >&2; exit 1; }
mkdir -p "$root"

ts_version=""
types_node_version=""
declare -a sdk_lines=()
while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"
    read -r -a words <<<"$line" || true
    [[ ${#words[@]} -eq 0 ]] && continue
    if [[ "${words[0]}" == typescript ]]; then
        ts_version="${words[1]:?typescript line needs a version}"
        continue
    fi
    if [[ "${words[0]}" == types-node ]]; then
        types_node_version="${words[1]:?types-node line needs a version}"
        continue
    fi
    if ! [[ "${words[0]}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
        echo "install.sh: bad version '${words[0]}' in $versions_file" >&2
        exit 1
    fi
    sdk_lines+=("${words[*]}")
done <"$versions_file"

# installed_ok DIR SPEC...: every SPEC (name@version) is installed in DIR at that version.
installed_ok() {
    local dir="$1" spec name ver got
    shift
    for spec in "$@"; do
        name="${spec%@*}"
        ver="${spec##*@}"
        got="$(node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' \
            "$dir/node_modules/$name/package.json")"
        if [[ "$got" != "$ver" ]]; then
            echo "install.sh: $name in $dir is '${got:-missing}', not $ver" >>"$dir/.npm.log"
            return 1
        fi
    done
}

# stamp_covers HAVE WANT: every word of WANT is a word of HAVE (a full install also
# satisfies a lean one).
stamp_covers() {
    local have=" $1 " w
    for w in $2; do
        [[ "$have" == *" $w "* ]] || return 1
    done
}

# install_into DIR STAMP BEFORE SPEC...: npm-install SPECs into DIR unless DIR's
# stamp equals STAMP. BEFORE (a date or "") becomes npm's --before.
install_into() {
    local dir="$1" stamp="$2" before="$3"
    shift 3
    local -a extra=()
    [[ -n "$before" ]] && extra=(--before="$before")
    if [[ -f "$dir/.oracle-complete" ]] && stamp_covers "$(cat "$dir/.oracle-complete")" "$stamp"; then
        echo "skip     ${dir#"$root"/} (complete)"
        return 0
    fi
    local tmp="$dir.partial.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # A package.json makes --prefix install into $tmp/node_modules and keeps npm
    # from walking up to a parent project.
    printf '{"name":"sentry-oracle-install","private":true}\n' >"$tmp/package.json"
    local start=$SECONDS attempt ok=0
    for attempt in 1 2; do
        if "$npm_bin" install --no-save --no-audit --no-fund --ignore-scripts \
            --no-package-lock --loglevel=error "${extra[@]}" --prefix "$tmp" "$@" >"$tmp/.npm.log" 2>&1 &&
            installed_ok "$tmp" "$@"; then
            ok=1
            break
        fi
        [[ $attempt -eq 1 ]] && echo "retry    ${dir#"$root"/} ($*)" >&2
        rm -rf "$tmp/node_modules"
    done
    if [[ $ok -ne 1 ]]; then
        echo "install.sh: npm install failed for $*; log:" >&2
        cat "$tmp/.npm.log" >&2
        rm -rf "$tmp"
        return 1
    fi
    printf '%s\n' "$stamp" >"$tmp/.oracle-complete"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    echo "install  ${dir#"$root"/} ($*) in $((SECONDS - start))s, $(du -sh "$dir" | cut -f1)"
}

declare -a wanted=("$@")
is_wanted() {
    [[ ${#wanted[@]} -eq 0 ]] && return 0
    local w
    for w in "${wanted[@]}"; do [[ "$w" == "$1" ]] && return 0; done
    return 1
}

overall=$SECONDS
declare -a pids=()
failed=0
if [[ -n "$ts_version" ]]; then
    tools=("typescript@$ts_version")
    [[ -n "$types_node_version" ]] && tools+=("@types/node@$types_node_version")
    install_into "$root/_tools" "${tools[*]}" "" "${tools[@]}" &
    pids+=($!)
fi
for entry in "${sdk_lines[@]}"; do
    read -r -a words <<<"$entry"
    version="${words[0]}"
    is_wanted "$version" || continue
    specs=()
    before=""
    for short in "${words[@]:1}"; do
        case "$short" in
        core | browser | node) specs+=("@sentry/$short@$version") ;;
        core\? | browser\? | node\?)
            [[ -n "${ORACLE_JS_LEAN:-}" ]] || specs+=("@sentry/${short%\?}@$version")
            ;;
        before=????-??-??) before="${short#before=}" ;;
        *)
            echo "install.sh: unknown package '$short' for $version" >&2
            exit 1
            ;;
        esac
    done
    [[ ${#specs[@]} -eq 0 ]] && specs=("@sentry/core@$version")
    install_into "$root/$version" "${specs[*]}${before:+ before=$before}" "$before" "${specs[@]}" &
    pids+=($!)
    if [[ ${#pids[@]} -ge $jobs ]]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
done
if [[ $failed -ne 0 ]]; then
    echo "install.sh: some installs failed" >&2
    exit 1
fi
echo "oracle SDKs ready in $root ($((SECONDS - overall))s, $(du -sh "$root" | cut -f1))"
