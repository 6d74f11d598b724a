#!/usr/bin/env bash
# Install the pinned outside tools the ignored tests need (tests/tools/requirements.txt) into a
# virtual environment at target/tools: target/tools/bin/pre-commit and target/tools/bin/ruff.
# Needs Python 3 and PyPI. About 15 seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
venv=target/tools
if [[ ! -x $venv/bin/python ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/tools/requirements.txt
"$venv/bin/pre-commit" --version
"$venv/bin/ruff" --version
