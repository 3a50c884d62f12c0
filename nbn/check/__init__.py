"""Check any hand-worked example: ``nbn check``, its Python API and pytest plugin.

Write the example down in a small TOML file (``*.nbn.toml``) with the numbers
as printed; nbn recomputes every claim with three independent oracles (SymPy
exactly, the scalar graph engine, finite differences), then judges each stated
value on its printed digits: ``agrees``, ``truncated``, ``carried`` (the step
was right, from an input that was wrong or rounded), ``last-digit`` or ``wrong`` (see
:mod:`nbn.check.verdict`), and names the first wrong steps.

Public API
----------
``load(path)`` -> :class:`WorkedExample`
    Read and validate a file (:class:`CheckError` on bad input).
``loads(text, file="<string>")`` -> :class:`WorkedExample`
    The same from TOML text.
``check(path_or_example, time_limit=60.0)`` -> :class:`Report`
    Check a file (a path, or a :class:`WorkedExample` from ``load``/``loads``).
``check_text(text, file="<string>")`` -> :class:`Report`
    Check TOML text.
``Report``
    ``.results`` (one :class:`ClaimResult` per claim: ``claim``, ``stated``,
    ``exact``, ``verdict``, ``expected``, ``oracles``, ``recomputed``, ``inputs``,
    ``carried_from``, ``cause``, ``likely``/``likely_cause`` (the likely slip of
    a wrong step, :mod:`nbn.check.causes`), ``first_wrong``, ``ok``,
    ``to_json()``), ``.ok``,
    ``.first_wrong``, ``.counts()``, ``.result(claim)``.
``format_table(reports)``, ``to_json(reports)``
    The CLI's text table and JSON (:mod:`nbn.check.report`).
``trace(example, of=None)``, ``trace_markdown(...)``, ``to_svg(...)``
    Every quantity's value and gradient, as rows or a Markdown table, and the
    computational graph as SVG.
``VERDICTS``
    Every verdict, in order of precedence.
``SUFFIX``
    ``".nbn.toml"``: the files ``nbn check DIR`` and the pytest plugin collect.

SymPy and NumPy are imported on first use, so ``import nbn.check`` stays cheap
(the pytest plugin imports it in every pytest run).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CheckError, OracleDisagreementError
from .load import VERDICTS, WorkedExample, load, loads

if TYPE_CHECKING:
    from .checker import ClaimResult, Report

#: How a worked-example file's name ends (``nbn check DIR`` and ``pytest DIR`` find these).
SUFFIX = ".nbn.toml"

__all__ = [
    "SUFFIX",
    "VERDICTS",
    "CheckError",
    "ClaimResult",
    "OracleDisagreementError",
    "Report",
    "WorkedExample",
    "check",
    "check_text",
    "format_table",
    "load",
    "loads",
    "to_json",
    "to_svg",
    "trace",
    "trace_markdown",
]


def check(source: str | Path | WorkedExample, time_limit: float = 60.0) -> Report:
    """Check the worked-example file at ``source`` (a path or a loaded example).

    Raises
    ------
    CheckError
        If the file cannot be checked (names file, table, key, expected, given).
    OracleDisagreementError
        If nbn's oracles disagree (a bug in nbn).
    """
    from .checker import check_example

    example = source if isinstance(source, WorkedExample) else load(source)
    return check_example(example, time_limit)


def check_text(text: str, file: str = "<string>", time_limit: float = 60.0) -> Report:
    """Check a worked example given as TOML text (``file`` names it in messages)."""
    return check(loads(text, file), time_limit)


def __getattr__(name: str) -> Any:
    """Lazy access to the parts that import SymPy or NumPy."""
    if name in ("ClaimResult", "Report"):
        from . import checker

        return getattr(checker, name)
    if name in ("format_table", "to_json", "trace", "trace_markdown", "to_svg"):
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module 'nbn.check' has no attribute {name!r}")
