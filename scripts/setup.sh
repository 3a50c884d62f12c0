#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv and install nbn
# (distribution nbn-verified) in editable mode with every extra (tests, docs, browser
# check, svg drawing, linters).
# Re-running is cheap: pip only installs what is missing or out of date.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
    echo "setup: Python 3.10 or newer is needed (found $("$py" --version 2>&1))" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$py" -m venv .venv
fi
stamp=.venv/.nbn-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing nbn and its extras into .venv (first run takes a few minutes)"
    .venv/bin/python -m pip install --quiet --upgrade pip
    # nbn was distributed as "nbn" before it became nbn-verified (the name "nbn" on
    # the package index is another project); drop the old editable install.
    if .venv/bin/python -m pip show nbn >/dev/null 2>&1; then
        .venv/bin/python -m pip uninstall --quiet --yes nbn
    fi
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    touch "$stamp"
fi
