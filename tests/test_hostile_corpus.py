"""The hostile-file corpus (``tests/hostile``): every file answered cleanly, in bounds.

Each file of the corpus (written by ``tests/hostile/make_corpus.py``, whose
comments say why each known answer is right) is checked by ``python -m nbn check``
in its own process, limited to 1 GB of address space and 20 s of wall time, both
with the text report and with ``--json``. Every answer must be exit 0, 1 or 2,
with no traceback and no "internal error"; a refusal (exit 2) must be one line
on stderr; the exit status must be one ``expected.json`` allows, and the verdicts
it lists must be the ones nbn gives when it judges the file. Two more hostile
inputs are made at test time: ``/dev/zero`` and a FIFO nobody writes to.

A second test runs pytest (nbn's plugin) on a directory of the files nbn must
refuse: each must be exactly one collection error with a one-line message, and
the session must go on to the end.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
EXPECTED: dict[str, dict[str, object]] = json.loads((HOSTILE / "expected.json").read_text())
MEMORY_LIMIT = 1 << 30  # 1 GB of address space per check
TIME_LIMIT = 20.0  # seconds per check
PARALLEL = 2  # the machine has two cores

pytestmark = pytest.mark.slow


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass(frozen=True)
class Answer:
    file: str
    args: tuple[str, ...]
    exit: int | None  # None: killed at the time limit
    stdout: str
    stderr: str

    def describe(self) -> str:
        tail = (self.stdout[-600:] + "\n--- stderr ---\n" + self.stderr[-1500:]).strip()
        return f"{self.file} {' '.join(self.args)}: exit {self.exit!r}\n{tail}"


def run_check(path: Path, args: Sequence[str] = ()) -> Answer:
    """``python -m nbn check [args] path`` in bounds."""
    command = [sys.executable, "-m", "nbn", "check", *args, str(path)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=TIME_LIMIT,
            preexec_fn=_limit_memory,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        out = (timeout.stdout or b"").decode("utf-8", "replace")
        return Answer(path.name, tuple(args), None, out, "")
    return Answer(
        path.name,
        tuple(args),
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def problems(answer: Answer, allowed: Sequence[int]) -> list[str]:
    """What is wrong with one answer, in words (empty if nothing)."""
    found = []
    if answer.exit is None:
        found.append(f"did not finish in {TIME_LIMIT} s")
    elif answer.exit not in (0, 1, 2):
        found.append(f"exit {answer.exit} (killed or crashed: memory limit?)")
    elif answer.exit not in allowed:
        found.append(f"exit {answer.exit}, right is one of {list(allowed)}")
    text = answer.stdout + answer.stderr
    if "Traceback" in text:
        found.append("a traceback")
    if "internal error" in text.lower():
        found.append('"internal error"')
    if answer.exit == 2 and len(answer.stderr.strip().splitlines()) != 1:
        found.append(f"the refusal is {len(answer.stderr.strip().splitlines())} lines, not one")
    return found


def verdict_problems(answer: Answer, verdicts: dict[str, str]) -> list[str]:
    """The hand-derived verdicts that nbn's JSON contradicts."""
    if answer.exit not in (0, 1) or not verdicts:
        return []
    try:
        records = json.loads(answer.stdout)
    except json.JSONDecodeError:
        return ["--json printed no JSON"]
    given = {record["claim"]: record["verdict"] for record in records}
    return [
        f"{claim!r}: nbn says {given.get(claim)!r}, right is {right!r}"
        for claim, right in verdicts.items()
        if given.get(claim) != right
    ]


def in_parallel(jobs: Sequence[Callable[[], list[str]]]) -> list[str]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return [line for found in pool.map(lambda job: job(), jobs) for line in found]


def test_the_corpus_is_as_generated() -> None:
    """Every file listed is there, and there are at least 200 (the issue's floor)."""
    files = sorted(p.name for p in HOSTILE.glob("*.nbn.toml"))
    assert files == sorted(EXPECTED), set(files) ^ set(EXPECTED)
    assert len(files) >= 200, len(files)


def test_every_hostile_file_is_answered_cleanly() -> None:
    def job(name: str, args: tuple[str, ...]) -> Callable[[], list[str]]:
        def run() -> list[str]:
            spec = EXPECTED[name]
            answer = run_check(HOSTILE / name, args)
            found = problems(answer, spec["exit"])  # type: ignore[arg-type]
            if "--json" in args:
                found += verdict_problems(answer, spec["verdicts"])  # type: ignore[arg-type]
            return [f"{answer.describe()}\n  => " + "; ".join(found)] if found else []

        return run

    # the text report for every file; --json too where verdicts are checked or asked for
    jobs = [job(name, ()) for name in sorted(EXPECTED)] + [
        job(name, ("--json",))
        for name in sorted(EXPECTED)
        if EXPECTED[name]["verdicts"] or EXPECTED[name]["args"]
    ]
    failures = in_parallel(jobs)
    assert not failures, f"{len(failures)} of {len(jobs)} checks went wrong:\n\n" + "\n\n".join(
        failures
    )


def test_dev_zero_and_a_fifo_are_refused() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fifo = Path(tmp) / "fifo.nbn.toml"
        os.mkfifo(fifo)
        failures = []
        for path in (Path("/dev/zero"), fifo):
            answer = run_check(path)
            found = problems(answer, [2])
            if found:
                failures.append(f"{answer.describe()}\n  => " + "; ".join(found))
        assert not failures, "\n\n".join(failures)


def test_pytest_reports_each_bad_file_as_one_collection_error(tmp_path: Path) -> None:
    bad = sorted(name for name, spec in EXPECTED.items() if spec["exit"] == [2])
    for name in bad:
        (tmp_path / name).write_bytes((HOSTILE / name).read_bytes())
    # one good file among them: the session must go on and run its claims
    good = "valid-crlf.nbn.toml"  # one claim, y = 4
    (tmp_path / good).write_bytes((HOSTILE / good).read_bytes())
    report = tmp_path / "report.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            "--continue-on-collection-errors",
            "--junitxml",
            str(report),
            str(tmp_path),
        ],
        capture_output=True,
        timeout=600,
        preexec_fn=_limit_memory,
        cwd=tmp_path,
        check=False,
    )
    output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in output, output[-4000:]
    assert "internal error" not in output.lower(), output[-4000:]
    assert "INTERNALERROR" not in output, output[-4000:]
    import xml.etree.ElementTree as ElementTree

    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None
    errors: dict[str, list[str]] = {}
    passed: list[str] = []
    for case in suite.iter("testcase"):
        error = case.find("error")
        failure = case.find("failure")
        where = case.get("classname", "") + "." + case.get("name", "")
        if error is not None:
            name = case.get("name", "") if case.get("name") in bad else where
            errors.setdefault(name, []).append(error.text or "")
        elif failure is None:
            passed.append(where)
        else:
            passed.append(f"{where} (a failing test instead of a collection error)")
    missing = [name for name in bad if name not in errors]
    several = {name: m for name, m in errors.items() if len(m) != 1}
    long = {name: m[0] for name, m in errors.items() if len(m[0].strip().splitlines()) > 1}
    good_claims = [where for where in passed if good.removesuffix(".nbn.toml") in where]
    passed = [where for where in passed if where not in good_claims]
    assert len(good_claims) == 1, f"the good file's claim did not run: {good_claims}"
    assert not (missing or several or long or passed), (
        f"{len(missing)} bad files not a collection error: {missing}\n"
        f"several errors: {several}\nmulti-line messages: {long}\ncollected as tests: {passed}"
    )
