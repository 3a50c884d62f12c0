"""What ``nbn check`` prints: the table, JSON, the ``--trace`` Markdown and ``--svg``.

* :func:`format_table`: one line per claim (verdict, claim, stated, exact,
  oracles), where a carried error came from, the likely cause of a wrong step
  (:mod:`nbn.check.causes`), the first wrong steps, a summary;
* :func:`to_json`: one object per claim (:meth:`ClaimResult.to_json`);
* :func:`trace` / :func:`trace_markdown`: every given and defined quantity with
  its exact value and its gradient (with respect to ``[train].loss`` or a named
  quantity), as a Markdown table an author can paste;
* :func:`to_svg`: the example's computational graph drawn by nbn's renderer
  (:mod:`nbn.graph.render`, which needs matplotlib).
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .. import graph
from .arrays import nested_text
from .backends import DomainError, to_fraction
from .causes import describe
from .checker import ClaimResult, Report
from .errors import CheckError
from .load import WorkedExample
from .numbers import parse_number
from .oracles import EngineOracle, SympyOracle

__all__ = [
    "TraceRow",
    "entry_lines",
    "format_table",
    "to_json",
    "to_svg",
    "trace",
    "trace_markdown",
]

_ORACLE_SHORT = {"sympy": "sympy", "graph-engine": "graph", "finite-difference": "fd"}


#: Fewest significant digits of the exact column, and the most it can show (the
#: exact value is known to 50 significant digits where it is irrational).
EXACT_MIN_DIGITS = 10
EXACT_MAX_DIGITS = 50


def _stated_digits(stated: str) -> int:
    """Significant digits of a stated number as printed (0 for ``"?"`` or a fraction)."""
    try:
        printed = parse_number(stated)
    except ValueError:
        return 0
    if printed.unit is None:
        return 0
    digits = 1
    while abs(printed.value) >= printed.unit * 10**digits:
        digits += 1
    return digits


def exact_digits(stated: str) -> int:
    """How many significant digits the exact column shows next to ``stated``: the
    claim's own digits plus two, at least :data:`EXACT_MIN_DIGITS`, at most
    :data:`EXACT_MAX_DIGITS`."""
    return min(EXACT_MAX_DIGITS, max(EXACT_MIN_DIGITS, _stated_digits(stated) + 2))


def significant(x: Fraction, digits: int) -> str:
    """``x`` correctly rounded to ``digits`` significant digits, written as Python's
    ``g`` format writes a float (no trailing zeros; an exponent below 1e-4 and from
    ``10**digits`` on), but from the exact value, so past float64's 17 digits too."""
    if x == 0:
        return "0"
    context = decimal.Context(prec=digits, rounding=decimal.ROUND_HALF_EVEN)
    value = context.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))
    mantissa = "".join(str(d) for d in value.as_tuple().digits).rstrip("0") or "0"
    exponent = value.adjusted()  # of the leading digit
    sign = "-" if x < 0 else ""
    if exponent < -4 or exponent >= digits:
        rest = f".{mantissa[1:]}" if len(mantissa) > 1 else ""
        return f"{sign}{mantissa[0]}{rest}e{exponent:+03d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{mantissa}"
    whole = mantissa[: exponent + 1].ljust(exponent + 1, "0")
    fraction = mantissa[exponent + 1 :]
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def _exact_text(result: ClaimResult, reveal: bool) -> str:
    if result.verdict == "unanswered" and not reveal:
        return "(hidden)"
    if result.entries:
        digits = max(exact_digits(e.stated) for e in result.entries) - 6
        shown = [
            "?"  # an entry stated "?" keeps its answer hidden
            if e.verdict == "unanswered" and not reveal and not result.note
            else significant(e.exact, max(4, digits))
            for e in result.entries
        ]
        return nested_text(shown, result.shape)
    return significant(result.exact, exact_digits(result.stated))


def entry_lines(result: ClaimResult, reveal: bool = False) -> list[str]:
    """For an array claim: its shape note and each entry that does not agree."""
    lines = [result.note] if result.note else []
    if result.verdict == "unanswered" and not reveal:
        return lines
    for e in result.disagreeing:
        if e.verdict == "unanswered" and (result.note or not reveal):
            continue
        index = ", ".join(str(i) for i in e.index)
        lines.append(
            f"[{index}]: stated {e.stated}, exact {significant(e.exact, exact_digits(e.stated))}"
            f": {e.verdict}"
        )
    return lines


#: How the table shows why a claim is carried (:attr:`ClaimResult.cause`).
_CAUSE_SHORT = {"rounded-inputs": "rounded", "wrong-input": None}


def _verdict_text(result: ClaimResult) -> str:
    notes = []
    short = _CAUSE_SHORT.get(result.cause) if result.cause else None
    if short:
        notes.append(short)
    if result.expected is not None and result.verdict == result.expected:
        notes.append("expected")
    elif result.expected is not None:
        notes.append(f"expected {result.expected}")
    return result.verdict + (f" ({', '.join(notes)})" if notes else "")


def _origin(result: ClaimResult) -> str:
    """Where a claim's error came from: ``first wrong step``, ``carried from X``,
    ``carried from the rounded inputs X``, or nothing."""
    if result.first_wrong:
        return "the first wrong step"
    if not result.carried_from:
        return ""
    names = ", ".join(result.carried_from)
    if result.cause == "rounded-inputs":
        return f"carried from the rounded inputs {names}"
    return f"carried from {names}"


def claim_line(result: ClaimResult, reveal: bool = False) -> str:
    """One claim as the CLI prints it (also the pytest plugin's failure message)."""
    text = (
        f"{result.claim}: stated {result.stated}, exact {_exact_text(result, reveal)}: "
        f"{_verdict_text(result)}"
    )
    notes = [note for note in (_origin(result), _likely(result)) if note]
    return "; ".join([text, *notes, *entry_lines(result, reveal)])


def _likely(result: ClaimResult) -> str:
    """``likely: sign error (...)`` for a wrong claim with a likely cause, else ``""``."""
    return describe(result.likely) if result.likely else ""


#: Widest stated or exact array shown in the table; longer ones are cut (the JSON
#: and the entries that do not agree give every digit).
TABLE_ARRAY_WIDTH = 36


def _short(text: str) -> str:
    if len(text) <= TABLE_ARRAY_WIDTH or not text.startswith("["):
        return text
    return text[: TABLE_ARRAY_WIDTH - 4].rstrip(", ") + " ..."


def format_table(reports: Sequence[Report], reveal: bool = False) -> str:
    """The text report of ``nbn check``: per file a table, where errors came from,
    the first wrong steps; then a summary line."""
    lines: list[str] = []
    for report in reports:
        results = report.results
        lines.append(f"{report.file}: {report.example.title}")
        wc = max([5, *(len(r.claim) for r in results)])
        ws = max([6, *(len(_short(r.stated)) for r in results)])
        wv = max(len(_verdict_text(r)) for r in results)
        we = max([17, *(len(_short(_exact_text(r, reveal))) for r in results)])
        lines.append(
            f"  {'':4} {'claim':<{wc}}  {'stated':>{ws}}  {'exact':>{we}}  "
            f"{'verdict':<{wv}}  oracles"
        )
        for r in results:
            mark = "ok" if r.ok else "FAIL"
            oracles = " ".join(_ORACLE_SHORT.get(k, k) for k in r.oracles)
            lines.append(
                f"  {mark:<4} {r.claim:<{wc}}  {_short(r.stated):>{ws}}  "
                f"{_short(_exact_text(r, reveal)):>{we}}  "
                f"{_verdict_text(r):<{wv}}  {oracles}".rstrip()
            )
            for entry in entry_lines(r, reveal):
                lines.append(f"  {'':4} {'':<{wc}}  {entry}")
            if r.carried_from:
                what = "from the rounded inputs" if r.cause == "rounded-inputs" else "from"
                lines.append(f"  {'':4} {'':<{wc}}  carried {what}: {', '.join(r.carried_from)}")
            if r.likely:
                lines.append(f"  {'':4} {'':<{wc}}  {_likely(r)}")
        first = report.first_wrong
        if first:
            lines.append(
                "  first wrong step"
                + ("s" if len(first) > 1 else "")
                + ": "
                + ", ".join(f"{r.claim} (line {r.line})" if r.line else r.claim for r in first)
            )
        counts = report.counts()
        summary = ", ".join(f"{n} {v}" for v, n in counts.items())
        status = "ok" if report.ok else "FAILED"
        lines.append(f"  {len(results)} claims: {summary}; {status} ({report.seconds:.2f} s)")
        lines.append("")
    failed = sum(1 for r in reports if not r.ok)
    lines.append(
        f"{len(reports)} file{'s' if len(reports) != 1 else ''} checked: "
        f"{len(reports) - failed} ok, {failed} with claims that do not agree"
    )
    return "\n".join(lines)


def to_json(reports: Sequence[Report], reveal: bool = False) -> str:
    """The JSON array of ``nbn check --json``: one object per claim of every file."""
    records = [r.to_json(reveal) for report in reports for r in report.results]
    return json.dumps(records, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class TraceRow:
    """One quantity of a trace.

    Attributes
    ----------
    name : str
    kind : str
        ``"given"`` or ``"defined"``.
    definition : str
        The definition as written (the number as written, for a given).
    value : Fraction
        Exact (50 significant digits where irrational).
    gradient : Fraction
        ``d of / d name`` (0 for a quantity ``of`` does not depend on).
    """

    name: str
    kind: str
    definition: str
    value: Fraction
    gradient: Fraction


def _of(example: WorkedExample, of: str | None) -> str:
    """The quantity a trace or a drawing differentiates: ``of``, else ``[train].loss``."""
    defined = ", ".join(example.define) or "none"
    if of is None:
        if example.train is None:
            raise CheckError(
                example.file,
                None,
                None,
                "expected a [train] table naming the loss, or the option --of NAME naming "
                f"the quantity to differentiate (a defined one: {defined}); the file has "
                "no [train] table and no --of was given",
            )
        return example.train.loss
    if of not in example.define:
        kind = "a given" if of in example.given else "not a quantity of the file"
        raise CheckError(
            example.file,
            None,
            None,
            f"expected the option --of to name a defined quantity ({defined}), "
            f"got --of {of!r}, which is {kind}",
        )
    return of


def trace(example: WorkedExample, of: str | None = None) -> list[TraceRow]:
    """Every given and defined quantity with its exact value and ``d of / d quantity``.

    ``of`` defaults to ``[train].loss``.
    """
    root = _of(example, of)
    oracle = SympyOracle(example, {n: p.value for n, p in example.given.items()})
    rows = []
    for name in example.names:
        depends = name == root or name in example.depends[root]
        try:
            gradient = to_fraction(oracle.grad(root, name)) if depends else Fraction(0)
        except DomainError as error:  # e.g. sqrt at 0: the value exists, the slope does not
            raise CheckError(example.file, None, "--of", f"{error}") from None
        given = example.given.get(name)
        rows.append(
            TraceRow(
                name,
                "given" if given is not None else "defined",
                given.text if given is not None else example.definition_text[name],
                to_fraction(oracle.values[name]),
                gradient,
            )
        )
    return rows


def _significant(x: Fraction, digits: int) -> str:
    return f"{float(x):.{digits}g}"


def trace_markdown(example: WorkedExample, of: str | None = None, digits: int = 6) -> str:
    """:func:`trace` as a Markdown table (values to ``digits`` significant digits)."""
    root = _of(example, of)
    rows = trace(example, root)
    lines = [
        f"| quantity | definition | value | d{root}/d(quantity) |",
        "|---|---|---:|---:|",
    ]
    for row in rows:
        definition = row.definition.replace("|", "\\|")
        lines.append(
            f"| `{row.name}` | `{definition}` | {_significant(row.value, digits)} | "
            f"{_significant(row.gradient, digits)} |"
        )
    return "\n".join(lines)


def to_svg(example: WorkedExample, of: str | None = None, **options: Any) -> str:
    """The example's computational graph up to ``of`` as SVG (forward values and gradients).

    Keyword options go to :func:`nbn.graph.render.to_svg`. Needs matplotlib.
    """
    root = _of(example, of)
    engine = EngineOracle(example, {n: float(p.value) for n, p in example.given.items()})
    if root in engine.aside:
        raise CheckError(example.file, None, "--svg", f"cannot draw: {engine.aside[root]}")
    params = set(example.train.params) if example.train is not None else set()
    data = frozenset(n for n in example.given if n not in params) if params else frozenset()
    nodes = {n: v for n, v in engine.nodes.items() if n == root or n in example.depends[root]}
    from ..graph import render

    # matplotlib reads "$...$" as mathematics: the file's title is plain text
    options.setdefault("title", example.title.replace("$", r"\$"))
    built = graph.Graph(nodes=nodes, output=engine.nodes[root], data=data & set(nodes))
    return render.to_svg(built, **options)
