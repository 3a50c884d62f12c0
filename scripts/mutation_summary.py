"""Summarise a finished mutmut run as JSON (called by scripts/mutation.sh).

Usage: python scripts/mutation_summary.py SCRATCH_DIR COMMIT MINUTES OUT.json

Reads mutmut 2.x's cache (``SCRATCH_DIR/.mutmut-cache``, SQLite) for every
mutant's module and status, asks ``mutmut show`` for each survivor's diff, and
writes the record the mutation-testing page is generated from: the date, the
commit, the versions, the minutes, per-module counts and the survivors.
"""

from __future__ import annotations

import datetime
import json
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path

#: mutmut's statuses: a mutant the tests noticed, one they missed, one not run.
KILLED = {"ok_killed", "ok_suspicious"}
SURVIVED = {"bad_survived", "bad_timeout"}
SKIPPED = {"skipped", "untested"}


def summarise(scratch: Path, commit: str, minutes: int) -> dict[str, object]:
    import mutmut
    import numpy

    db = sqlite3.connect(scratch / ".mutmut-cache")
    rows = db.execute(
        "SELECT Mutant.id, Mutant.status, SourceFile.filename, Line.line_number "
        "FROM Mutant JOIN Line ON Mutant.line = Line.id "
        "JOIN SourceFile ON Line.sourcefile = SourceFile.id ORDER BY Mutant.id"
    ).fetchall()
    modules: dict[str, dict[str, int]] = {}
    survivors = []
    for mutant_id, status, filename, line_number in rows:
        counts = modules.setdefault(filename, {"mutants": 0, "killed": 0, "survived": 0})
        if status in SKIPPED:
            continue
        counts["mutants"] += 1
        if status in KILLED:
            counts["killed"] += 1
        elif status in SURVIVED:
            counts["survived"] += 1
            diff = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", str(mutant_id)],
                cwd=scratch,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            survivors.append(
                {"id": mutant_id, "module": filename, "line": line_number + 1, "diff": diff}
            )
        else:
            raise ValueError(f"mutant {mutant_id}: unknown status {status!r}")
    return {
        "date": datetime.date.today().isoformat(),
        "commit": commit,
        "mutmut": mutmut.__version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "minutes": minutes,
        "modules": modules,
        "survivors": survivors,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    scratch, commit, minutes, out = Path(argv[0]), argv[1], int(argv[2]), Path(argv[3])
    if not (scratch / ".mutmut-cache").is_file():
        print(f"mutation_summary: no .mutmut-cache in {scratch}", file=sys.stderr)
        return 2
    record = summarise(scratch, commit, minutes)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    total = sum(m["mutants"] for m in record["modules"].values())  # type: ignore[attr-defined]
    killed = sum(m["killed"] for m in record["modules"].values())  # type: ignore[attr-defined]
    print(f"mutation_summary: {killed}/{total} killed; record written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
