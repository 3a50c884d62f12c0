"""The ``nbn`` command line: ``nbn verify`` and ``nbn check`` (also ``python -m nbn ...``).

``verify`` checks every claim of the article ledger (``nbn.ledger``) and
prints one line per claim, then a summary that counts each kind of
discrepancy with the article (erratum, truncated, last digit, rule of thumb,
too vague to check, convention); ``--json`` prints the results as a
JSON list instead; ``--claim ID`` (repeatable) checks only those claims. The
exit status is 0 only if every checked claim passes, 1 if one fails, and 2 for
a usage error (unknown claim id, SymPy missing).

``check PATH...`` checks worked-example files (:mod:`nbn.check`), each PATH a
file or a directory (every ``*.nbn.toml`` under it, sorted, recursively): a
table per file (claim, stated, exact, verdict, oracles), where carried errors
came from (``carried (rounded)`` when from inputs stated rounded), the likely
cause of a wrong step (``likely: ...``, :mod:`nbn.check.causes`), the first
wrong steps and a summary; ``--json`` prints one object per claim instead.
``--trace [--of NAME]`` prints every quantity's value and gradient as a
Markdown table, and ``--svg OUT [--of NAME]`` draws the example's graph to OUT
and prints where; both instead of the check. Exit status 0 when every claim
agrees (or has exactly its ``[expect]``-ed verdict), 1 when one does not, 2
when a path or a file cannot be checked (the message names the file, table and
key, or the option); one such file does not stop the others.

nbn is installed as the distribution :data:`DISTRIBUTION` (``nbn-verified``);
the command is ``nbn``, the same as ``python -m nbn``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = ["DISTRIBUTION", "JSON_FIELDS", "main"]

#: The name nbn is installed under (``pip install nbn-verified``); the package it
#: installs is imported as ``nbn`` and its command is ``nbn``.
DISTRIBUTION = "nbn-verified"

#: The fields of each object printed by ``nbn verify --json``, in order.
JSON_FIELDS: tuple[str, ...] = (
    "id",
    "section",
    "statement",
    "article_value",
    "computed",
    "tolerance",
    "passed",
    "oracles",
    "erratum",
    "kind",
)

#: Short names of the oracles in the text output.
_ORACLE_ABBREVIATIONS = {
    "sympy": "sympy",
    "finite-difference": "fd",
    "graph-engine": "graph",
    "proof": "proof",
    "reference": "ref",
}

_VALUE_WIDTH = 26

#: The one-letter marker of each kind of discrepancy in the text output, and how
#: the summary counts it (singular, plural).
_KIND_MARKERS: dict[str, tuple[str, str, str]] = {
    "erratum": ("E", "erratum", "errata"),
    "truncated": ("T", "truncated", "truncated"),
    "last-digit": ("D", "last digit off", "last digits off"),
    "rule-of-thumb": ("R", "rule of thumb", "rules of thumb"),
    "vague": ("V", "too vague to check", "too vague to check"),
    "convention": ("C", "convention", "conventions"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nbn",
        description="nbn, a verified companion to the article 'Nothing but NumPy'.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    verify = commands.add_parser(
        "verify",
        help="check every number and claim of the article",
        description="Check every number and checkable statement of the article against "
        "SymPy, finite differences, the scalar graph engine, proofs and reference "
        "implementations. Exit status 0 only if every checked claim passes.",
    )
    verify.add_argument(
        "--json", action="store_true", help="print the results as a JSON list of objects"
    )
    verify.add_argument(
        "--claim",
        action="append",
        metavar="ID",
        help="check only this claim (may be repeated); ids as listed by 'nbn verify'",
    )
    check = commands.add_parser(
        "check",
        help="check hand-worked examples (*.nbn.toml files)",
        description="Check every claim of worked-example files against SymPy, the scalar "
        "graph engine and finite differences, and judge each stated value on its printed "
        "digits (agrees, truncated, carried, last-digit, wrong), with the likely cause of a "
        "wrong step when a standard slip reproduces it. Exit status 0 when every "
        "claim agrees or has its expected verdict, 1 otherwise, 2 if a file cannot be checked.",
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="a worked-example file, or a directory: every *.nbn.toml under it",
    )
    check.add_argument("--json", action="store_true", help="print one JSON object per claim")
    check.add_argument(
        "--trace",
        action="store_true",
        help="print every given and defined quantity with its value and gradient "
        "(Markdown) instead of checking",
    )
    check.add_argument(
        "--of",
        metavar="NAME",
        help="with --trace or --svg: the quantity to differentiate (default: [train].loss)",
    )
    check.add_argument(
        "--svg",
        metavar="OUT",
        help="draw the example's graph to OUT instead of checking (one file; needs "
        f"matplotlib: pip install '{DISTRIBUTION}[svg]')",
    )
    check.add_argument(
        "--reveal", action="store_true", help="show the exact values of unanswered ('?') claims"
    )
    check.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="wall-time limit per file (default 60)",
    )
    return parser


def _files(paths: Sequence[str], err: TextIO) -> tuple[list[str], bool]:
    """The files named by ``paths``: a file as given, a directory as every
    ``*.nbn.toml`` under it (sorted, recursively). Returns the files and whether
    a path was refused (reported on ``err``: no such path, or no file in a directory)."""
    from pathlib import Path

    from .check import SUFFIX

    files: list[str] = []
    refused = False
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob(f"*{SUFFIX}") if p.is_file()), key=lambda p: p.parts
            )
            if not found:
                print(
                    f"nbn check: {given}: expected a directory holding *{SUFFIX} files "
                    "(searched recursively), found none",
                    file=err,
                )
                refused = True
            files.extend(str(p) for p in found)
        elif not path.exists():
            print(
                f"nbn check: {given}: expected a *{SUFFIX} file or a directory, "
                "but there is no such path",
                file=err,
            )
            refused = True
        else:
            files.append(given)
    return files, refused


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .check import CheckError, OracleDisagreementError, check, load

    if not args.time_limit > 0:
        print(f"nbn check: --time-limit must be positive, got {args.time_limit}", file=err)
        return 2
    if args.of is not None and not (args.trace or args.svg):
        print("nbn check: --of NAME goes with --trace or --svg, given without them", file=err)
        return 2
    files, refused = _files(args.files, err)
    if args.svg and len(files) != 1:
        print(f"nbn check: --svg draws one file, got {len(files)} files", file=err)
        return 2
    reports = []
    status = 2 if refused else 0
    for file in files:
        try:
            example = load(file)
            if args.trace:
                from .check import trace_markdown

                heading = f"## {example.title} ({file})\n\n" if len(files) > 1 else ""
                print(heading + trace_markdown(example, args.of), file=out)
            if args.svg:
                _write_svg(example, args.of, args.svg)
                print(f"nbn check: drew the graph of {file} to {args.svg}", file=out)
            if not (args.trace or args.svg):
                reports.append(check(example, args.time_limit))
        except CheckError as error:
            print(f"nbn check: {error}", file=err)
            status = 2
        except OracleDisagreementError as error:
            print(f"nbn check: {file}: {error}", file=err)
            status = 2
        except ImportError as error:
            print(f"nbn check: {error}", file=err)
            status = 2
    if args.trace or args.svg:
        return status
    if args.json:
        from .check import to_json

        print(to_json(reports, args.reveal), file=out)
    elif reports:
        from .check import format_table

        print(format_table(reports, args.reveal), file=out)
    if status:
        return status
    return 0 if all(r.ok for r in reports) else 1


def _write_svg(example: Any, of: str | None, path: str) -> None:
    from pathlib import Path

    from .check import CheckError, to_svg

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(
            "--svg draws with matplotlib, which is not installed: "
            f"pip install '{DISTRIBUTION}[svg]' (or pip install matplotlib)"
        ) from None
    try:
        Path(path).write_text(to_svg(example, of), encoding="utf-8")
    except OSError as error:
        raise CheckError(path, None, None, f"cannot write the SVG ({error.strerror})") from None


def _short(value: Any, decimals: int | None) -> str:
    """A value for the one-line report: numbers with 6 significant digits
    (the article's rounding for article values), long lists shortened."""
    from .ledger import format_value

    if value is None:
        return "-"
    if isinstance(value, float) and decimals is None:
        text = f"{value:.6g}"
    elif isinstance(value, tuple) and decimals is None:
        text = "[" + ", ".join(f"{v:.6g}" for v in value) + "]"
    else:
        text = format_value(value, decimals)
    if len(text) > _VALUE_WIDTH:
        text = text[: _VALUE_WIDTH - 4] + "...]" if text.startswith("[") else text[:_VALUE_WIDTH]
    return text


def _oracle_summary(oracles: dict[str, bool]) -> str:
    return " ".join(
        _ORACLE_ABBREVIATIONS.get(name, name) + ("" if ok else "!") for name, ok in oracles.items()
    )


def _discrepancy_summary(kinds: Sequence[str | None]) -> str:
    """ "5 discrepancies with the article: 3 errata (E), 1 truncated (T), ..."."""
    counts = {kind: kinds.count(kind) for kind in _KIND_MARKERS if kind in kinds}
    total = sum(counts.values())
    if total == 0:
        return "no discrepancies with the article"
    parts = []
    for kind, n in counts.items():
        letter, one, many = _KIND_MARKERS[kind]
        parts.append(f"{n} {one if n == 1 else many} ({letter})")
    noun = "discrepancy" if total == 1 else "discrepancies"
    return f"{total} {noun} with the article: " + ", ".join(parts)


def _sympy_available() -> bool:
    try:
        import sympy  # noqa: F401
    except ImportError:
        return False
    return True


def _verify(claim_ids: Sequence[str] | None, as_json: bool, out: TextIO, err: TextIO) -> int:
    if not _sympy_available():
        print(
            "nbn verify: SymPy is not installed, and the ledger's symbolic oracle needs it.\n"
            "SymPy is a dependency of nbn: reinstall nbn, or  pip install sympy",
            file=err,
        )
        return 2
    from .ledger import CLAIMS, check_claim, get_claim

    try:
        claims = [get_claim(i) for i in claim_ids] if claim_ids else list(CLAIMS)
    except KeyError as error:
        print(f"nbn verify: {error.args[0]}", file=err)
        return 2
    start = time.perf_counter()
    results = [check_claim(claim) for claim in claims]
    elapsed = time.perf_counter() - start
    failed = [r for r in results if not r.passed]
    if as_json:
        records = []
        for r in results:
            record = {field: getattr(r, field) for field in JSON_FIELDS}
            for key in ("article_value", "computed"):
                if isinstance(record[key], tuple):
                    record[key] = list(record[key])
            records.append(record)
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 1 if failed else 0
    width = max(len(c.id) for c in claims)
    print(
        f"{'':4} {'':1} {'claim':<{width}}  {'article':>{_VALUE_WIDTH}}  "
        f"{'nbn':<{_VALUE_WIDTH}}  oracles ('!' = disagrees)",
        file=out,
    )
    for claim, r in zip(claims, results, strict=True):
        status = "PASS" if r.passed else "FAIL"
        marker = _KIND_MARKERS[r.kind][0] if r.kind else " "
        line = (
            f"{status} {marker} {r.id:<{width}}  "
            f"{_short(r.article_value, claim.decimals):>{_VALUE_WIDTH}}  "
            f"{_short(r.computed, None):<{_VALUE_WIDTH}}  {_oracle_summary(r.oracles)}"
        )
        print(line.rstrip(), file=out)
        if not r.passed:
            print(f"{'':7}{r.detail}", file=out)
    print(
        f"{len(results)} claim{'' if len(results) == 1 else 's'}: "
        f"{len(results) - len(failed)} passed, {len(failed)} failed; "
        f"{_discrepancy_summary([r.kind for r in results])}; {elapsed:.1f} s",
        file=out,
    )
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (``sys.argv[1:]`` by default); return the exit status."""
    parser = _parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command not in ("verify", "check"):
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "verify":
            status = _verify(args.claim, args.json, sys.stdout, sys.stderr)
        else:
            status = _check(args, sys.stdout, sys.stderr)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:
        # the reader went away (nbn check ... | head): stop quietly, as other
        # command-line tools do; what is still buffered goes nowhere
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
