"""What ``nbn check`` prints: the table, JSON, the ``--trace`` Markdown and ``--svg``.

* :func:`format_table`: one line per claim (verdict, claim, stated, exact,
  oracles), where a carried error came from, the first wrong steps, a summary;
* :func:`to_json`: one object per claim (:meth:`ClaimResult.to_json`);
* :func:`trace` / :func:`trace_markdown`: every given and defined quantity with
  its exact value and its gradient (with respect to ``[train].loss`` or a named
  quantity), as a Markdown table an author can paste;
* :func:`to_svg`: the example's computational graph drawn by nbn's renderer
  (:mod:`nbn.graph.render`, which needs matplotlib).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .. import graph
from .backends import DomainError, to_fraction
from .checker import ClaimResult, Report
from .errors import CheckError
from .load import WorkedExample
from .oracles import EngineOracle, SympyOracle

__all__ = ["TraceRow", "format_table", "to_json", "to_svg", "trace", "trace_markdown"]

_ORACLE_SHORT = {"sympy": "sympy", "graph-engine": "graph", "finite-difference": "fd"}


def _exact_text(result: ClaimResult, reveal: bool) -> str:
    if result.verdict == "unanswered" and not reveal:
        return "(hidden)"
    return f"{float(result.exact):.10g}"


def _verdict_text(result: ClaimResult) -> str:
    if result.expected is not None and result.verdict == result.expected:
        return f"{result.verdict} (expected)"
    if result.expected is not None:
        return f"{result.verdict} (expected {result.expected})"
    return result.verdict


def claim_line(result: ClaimResult, reveal: bool = False) -> str:
    """One claim as the CLI prints it (also the pytest plugin's failure message)."""
    text = (
        f"{result.claim}: stated {result.stated}, exact {_exact_text(result, reveal)}: "
        f"{_verdict_text(result)}"
    )
    if result.carried_from:
        text += f"; carried from {', '.join(result.carried_from)}"
    return text


def format_table(reports: Sequence[Report], reveal: bool = False) -> str:
    """The text report of ``nbn check``: per file a table, where errors came from,
    the first wrong steps; then a summary line."""
    lines: list[str] = []
    for report in reports:
        results = report.results
        lines.append(f"{report.file}: {report.example.title}")
        wc = max([5, *(len(r.claim) for r in results)])
        ws = max([6, *(len(r.stated) for r in results)])
        wv = max(len(_verdict_text(r)) for r in results)
        lines.append(
            f"  {'':4} {'claim':<{wc}}  {'stated':>{ws}}  {'exact':>17}  {'verdict':<{wv}}  oracles"
        )
        for r in results:
            mark = "ok" if r.ok else "FAIL"
            oracles = " ".join(_ORACLE_SHORT.get(k, k) for k in r.oracles)
            lines.append(
                f"  {mark:<4} {r.claim:<{wc}}  {r.stated:>{ws}}  {_exact_text(r, reveal):>17}  "
                f"{_verdict_text(r):<{wv}}  {oracles}".rstrip()
            )
            if r.carried_from:
                lines.append(f"  {'':4} {'':<{wc}}  carried from: {', '.join(r.carried_from)}")
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
    if of is None:
        if example.train is None:
            raise CheckError(
                example.file,
                None,
                "--of",
                "expected --of NAME (the quantity to differentiate) or a [train] table "
                "naming the loss, got neither",
            )
        return example.train.loss
    if of not in example.define:
        raise CheckError(
            example.file,
            "define",
            of,
            f"expected --of to name a defined quantity ({', '.join(example.define)}), got {of!r}",
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
