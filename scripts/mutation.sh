#!/usr/bin/env bash
# Mutation testing of nbn's core modules (linear, sigmoid, activation, costs,
# initializers) with mutmut 2.x. Not part of CI: it takes about half an hour on
# 2 cores. It writes a JSON record of the run (scripts/mutation_summary.py),
# from which docs/mutation.md is generated once copied to
# docs/_support/mutation_run.json.
#
# mutmut edits the file it mutates in place, so this never runs in the working
# tree: it exports the committed HEAD (git archive) to a scratch directory and
# runs there, with that copy first on PYTHONPATH (the editable install of the
# working tree must not shadow the mutated files).
#
# Usage: scripts/mutation.sh [scratch-dir]
#   PYTHON=...  interpreter to use (default: .venv/bin/python of this checkout)
# Configuration (paths, test runner): [tool.mutmut] in pyproject.toml.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
WORK="${1:-$(mktemp -d "${TMPDIR:-/tmp}/nbn-mutation.XXXXXX")}"
mkdir -p "$WORK"

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)"
echo "mutation: exporting $COMMIT to $WORK"
git -C "$ROOT" archive "$COMMIT" | tar -x -C "$WORK"
cd "$WORK"

# The runner in pyproject.toml calls "python": make it this interpreter (its bin
# directory first on PATH; a symlink elsewhere would lose the virtual environment).
export PATH="$(dirname "$PY"):$PATH"
if [[ "$(command -v python)" != "$(dirname "$PY")/python" ]]; then
    echo "mutation: expected $PY to be named python; set PYTHON to a venv's bin/python" >&2
    exit 2
fi
python -c 'import mutmut' || { echo "mutation: mutmut is not installed for $PY" >&2; exit 2; }
export PYTHONPATH="$WORK${PYTHONPATH:+:$PYTHONPATH}"

imported="$(python -c 'import nbn, os; print(os.path.dirname(nbn.__file__))')"
if [[ "$imported" != "$WORK/nbn" ]]; then
    echo "mutation: nbn is imported from $imported, not from the copy $WORK/nbn" >&2
    exit 2
fi

started=$(date +%s)
# mutmut exits non-zero when mutants survive; the report below is what matters.
python -m mutmut run --no-progress --simple-output || true
elapsed=$(( $(date +%s) - started ))

python -m mutmut results || true
python -m mutmut junitxml > "$WORK/mutmut.xml" || true
python - "$WORK/mutmut.xml" "$elapsed" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suite = root if root.tag == "testsuite" else root.find("testsuite")
cases = suite.findall("testcase")
survived = [c for c in cases if c.find("failure") is not None]
skipped = [c for c in cases if c.find("skipped") is not None]
total = len(cases) - len(skipped)
killed = total - len(survived)
print(f"mutation score: {killed}/{total} killed ({100 * killed / total:.1f}%), "
      f"{len(survived)} survived, {len(skipped)} skipped; {int(sys.argv[2]) // 60} min")
EOF
python "$ROOT/scripts/mutation_summary.py" "$WORK" "$COMMIT" \
    "$(( elapsed / 60 ))" "$WORK/mutation-run.json"
echo "mutation: details with  cd $WORK && PYTHONPATH=$WORK python -m mutmut show <id>"
echo "mutation: the docs page is generated from docs/_support/mutation_run.json;"
echo "mutation: copy $WORK/mutation-run.json there to publish this run"
