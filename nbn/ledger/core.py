"""The ledger's types and its checking rule.

A :class:`Claim` is one number or checkable statement of the article. Checking
it runs ``claim.compute()`` (the value computed with nbn) and every oracle
(SymPy, finite differences, the graph engine, a proof, an independent
reference implementation), then compares:

* every oracle must agree with the computed value within the oracle's
  tolerance (relative, on the largest entry: ``|a - b|_inf <= tol * max(|a|_inf, |b|_inf)``);
* a qualitative claim (computed value ``True``/``False``) must be ``True``, and
  the claim's ``holds`` predicate, when given, must accept the computed value;
* for a claim that is not an erratum and has an article number, the computed
  value must round to what the article prints: within half a unit of the
  article's last printed digit (``decimals``), or within ``claim.tolerance``
  (relative) when the article prints the number in full;
* for a claim that records a discrepancy (``erratum`` text with a ``kind``),
  the article must *not* agree (that is the point of recording it); the
  oracles and the computed value carry the correct value, and the kind must fit
  the numbers: a ``"truncated"`` value is the computed one cut off (not
  rounded) at the article's last digit, a ``"last-digit"`` value is the rounded
  one off by at most one unit in its last digit, and a ``"convention"`` is about
  a name or a notation, so its article value is text (or nothing), never a
  number.

The kinds of discrepancy (:data:`DISCREPANCY_KINDS`) keep apart what the article
gets wrong from how it rounds, from loose wording and from conventions that
differ from the original sources; see :data:`KIND_TEXT`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "DISCREPANCY_KINDS",
    "KIND_TEXT",
    "ORACLE_NAMES",
    "ArticleValue",
    "Claim",
    "ClaimResult",
    "JSONValue",
    "Oracle",
    "agree",
    "article_agrees",
    "clear_cache",
    "evaluate",
    "format_value",
    "ledger_cache",
    "normalize",
]

#: The kinds of oracle a claim may list.
ORACLE_NAMES: tuple[str, ...] = ("sympy", "finite-difference", "graph-engine", "proof", "reference")

#: The kinds of discrepancy between the article and the computed value. Only
#: ``"erratum"`` means the article is wrong; the rounding kinds use the names of
#: the worked-example checker's verdicts; a ``"convention"`` is a name or a
#: notation that teaching material commonly uses, worth a note, not an error.
DISCREPANCY_KINDS: tuple[str, ...] = (
    "erratum",
    "truncated",
    "last-digit",
    "rule-of-thumb",
    "vague",
    "convention",
)

#: One line per kind, as the errata page and ``nbn verify`` explain them.
KIND_TEXT: dict[str, str] = {
    "erratum": "the article is wrong",
    "truncated": "the article cuts a number off instead of rounding it",
    "last-digit": "the article's last printed digit is one unit off",
    "rule-of-thumb": "loose wording: a rough guide, not true as literally stated",
    "vague": "too vague to check as stated: the verdict depends on a definition the "
    "article does not give",
    "convention": "a naming or notation convention common in teaching material: a note, "
    "not an error",
}

#: What the article prints: a number, several numbers, a text, or nothing.
ArticleValue = float | tuple[float, ...] | str | None
#: A computed value after :func:`normalize`: JSON-serialisable.
JSONValue = float | tuple[float, ...] | bool | str

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

F = TypeVar("F", bound=Callable[..., Any])
_CACHED: list[Any] = []


def ledger_cache(function: F) -> F:
    """Cache a zero-argument (or hashable-argument) ledger computation per process.

    The cache can be emptied with :func:`clear_cache`, e.g. after monkeypatching
    the library in a test, so that the next check recomputes with the new code.
    """
    import functools

    cached = functools.lru_cache(maxsize=None)(function)
    _CACHED.append(cached)
    return cached  # type: ignore[return-value]


def clear_cache() -> None:
    """Forget every cached ledger computation and every cached check result."""
    for cached in _CACHED:
        cached.cache_clear()


@dataclass(frozen=True)
class Oracle:
    """An independent way of getting a claim's value.

    Attributes
    ----------
    name : str
        One of :data:`ORACLE_NAMES`.
    compute : callable
        ``compute() -> value``, comparable with the claim's computed value.
    tolerance : float
        Relative tolerance of the comparison (1e-12 for SymPy, 1e-6 for finite
        differences, tighter or looser where the claim explains why).
    """

    name: str
    compute: Callable[[], object]
    tolerance: float

    def __post_init__(self) -> None:
        if self.name not in ORACLE_NAMES:
            raise ValueError(f"oracle name must be one of {ORACLE_NAMES}, got {self.name!r}")
        if not self.tolerance >= 0.0:
            raise ValueError(f"oracle tolerance must be >= 0, got {self.tolerance!r}")


@dataclass(frozen=True)
class Claim:
    """One number or checkable statement of the article.

    Attributes
    ----------
    id : str
        Stable kebab-case identifier, e.g. ``"or-single-loss"``.
    section : str
        The heading of the article section the claim comes from.
    statement : str
        One sentence, in our words.
    article_value : float, tuple of float, str or None
        The value as the article prints it; ``None`` for a qualitative claim or
        a number the article shows only in a figure.
    decimals : int or None
        Digits after the point that the article rounded to; ``None`` when the
        article prints the number in full or prints no number.
    inputs : str
        Inputs and assumptions.
    compute : callable
        ``compute() -> value``: the value computed with nbn.
    oracles : tuple of Oracle
        Independent confirmations (at least one).
    tolerance : float
        Relative tolerance used against an article number printed in full.
    erratum : str or None
        What differs between the article and the computed value, and why (for
        any kind of discrepancy, not only an erratum).
    kind : str or None
        The kind of discrepancy, one of :data:`DISCREPANCY_KINDS`; ``None``
        when ``erratum`` is ``None``, and ``"erratum"`` by default when it is
        given. A ``"convention"`` concerns a name or a notation: its
        ``article_value`` is a text or ``None``, never a number.
    holds : callable or None
        ``holds(computed) -> bool``: the qualitative part of the statement (for
        example "alpha = 0.5 needs more steps than alpha = 5"), checked on the
        computed value.
    note : str or None
        A remark that is not an erratum (e.g. a change in NumPy's printing).
    printed : str or None
        The article's own text for ``article_value`` when it prints the value
        as one phrase rather than as one number, e.g. ``"(4 × 1 × 2)"`` for the
        tuple ``(4, 1, 2)``: what the claims index quotes. ``None`` otherwise.
    """

    id: str
    section: str
    statement: str
    article_value: ArticleValue
    decimals: int | None
    inputs: str
    compute: Callable[[], object]
    oracles: tuple[Oracle, ...]
    tolerance: float
    erratum: str | None = None
    holds: Callable[[Any], bool] | None = field(default=None, compare=False)
    note: str | None = None
    kind: str | None = None
    printed: str | None = None

    def __post_init__(self) -> None:
        if self.erratum is not None and self.kind is None:
            object.__setattr__(self, "kind", "erratum")
        if self.kind is not None and self.kind not in DISCREPANCY_KINDS:
            raise ValueError(
                f"claim {self.id!r}: kind must be one of {DISCREPANCY_KINDS}, got {self.kind!r}"
            )
        if self.kind is not None and self.erratum is None:
            raise ValueError(f"claim {self.id!r}: kind {self.kind!r} given without its text")
        if self.kind in ("truncated", "last-digit") and self.decimals is None:
            raise ValueError(f"claim {self.id!r}: kind {self.kind!r} needs the article's decimals")
        if self.kind == "convention" and not (
            self.article_value is None or isinstance(self.article_value, str)
        ):
            raise ValueError(
                f"claim {self.id!r}: a convention is about a name or a notation, so its "
                f"article value must be a text or None, got {self.article_value!r} (a number "
                f"that differs is an erratum or a rounding kind)"
            )
        if not _ID.match(self.id):
            raise ValueError(f"claim id must be kebab-case, got {self.id!r}")
        if not self.oracles:
            raise ValueError(f"claim {self.id!r} must list at least one oracle")
        names = [oracle.name for oracle in self.oracles]
        if len(set(names)) != len(names):
            raise ValueError(f"claim {self.id!r} lists an oracle twice: {names}")
        if self.decimals is not None and (
            self.article_value is None or isinstance(self.article_value, str)
        ):
            raise ValueError(f"claim {self.id!r}: decimals given without an article number")
        if not self.tolerance > 0.0:
            raise ValueError(f"claim {self.id!r}: tolerance must be > 0, got {self.tolerance!r}")
        if self.printed is not None:
            self._check_printed(self.printed)

    def _check_printed(self, printed: str) -> None:
        """The printed text must hold the article's numbers, in order (text: be the text)."""
        value = self.article_value
        if value is None:
            raise ValueError(f"claim {self.id!r}: printed text given without an article value")
        if isinstance(value, str):
            if _squash(printed) != _squash(value):
                raise ValueError(
                    f"claim {self.id!r}: printed text {printed!r} is not the article's "
                    f"text {value!r}"
                )
            return
        numbers = tuple(float(n) for n in _NUMBER.findall(printed))
        expected = value if isinstance(value, tuple) else (value,)
        if numbers != expected:
            raise ValueError(
                f"claim {self.id!r}: printed text {printed!r} holds the numbers {numbers!r}, "
                f"but the article value is {expected!r}"
            )


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of checking one claim (every field JSON-serialisable)."""

    id: str
    section: str
    statement: str
    article_value: ArticleValue
    computed: JSONValue | None
    tolerance: float
    passed: bool
    oracles: dict[str, bool]
    article_agrees: bool | None
    erratum: str | None
    detail: str
    note: str | None = None
    kind: str | None = None

    @property
    def is_erratum(self) -> bool:
        """Whether the article is wrong here (not merely rounding or loosely worded)."""
        return self.kind == "erratum"


def normalize(value: object) -> JSONValue:
    """Turn a computed value into a plain float, tuple of floats, bool or str.

    NumPy arrays are flattened (row-major), SymPy numbers and integers become
    floats, and a single number in a tuple or array becomes that number. Raises
    ``TypeError`` for anything else.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        value = value.ravel().tolist()
    if isinstance(value, (tuple, list)):
        flat: list[float] = []
        for item in value:
            item = normalize(item)
            if isinstance(item, tuple):
                flat.extend(item)
            elif isinstance(item, (bool, str)):
                raise TypeError(f"a tuple value must hold numbers only, got {item!r}")
            else:
                flat.append(item)
        return flat[0] if len(flat) == 1 else tuple(flat)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise TypeError(f"cannot turn {value!r} into a ledger value") from error


def _squash(text: str) -> str:
    return " ".join(text.split())


def agree(computed: JSONValue, expected: JSONValue, rtol: float) -> bool:
    """Whether two normalized values agree within ``rtol``.

    Booleans and strings must be equal (strings up to runs of white space);
    numbers and tuples of numbers must have the same length and
    ``max|a - b| <= rtol * max(max|a|, max|b|)``.
    """
    if isinstance(computed, bool) or isinstance(expected, bool):
        return isinstance(computed, bool) and isinstance(expected, bool) and computed == expected
    if isinstance(computed, str) or isinstance(expected, str):
        return (
            isinstance(computed, str)
            and isinstance(expected, str)
            and _squash(computed) == _squash(expected)
        )
    a = computed if isinstance(computed, tuple) else (computed,)
    b = expected if isinstance(expected, tuple) else (expected,)
    if len(a) != len(b):
        return False
    if not all(math.isfinite(x) for x in a + b):
        return False
    scale = max((abs(x) for x in a + b), default=0.0)
    error = max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0.0)
    return error <= rtol * scale


def article_agrees(
    computed: JSONValue, article: ArticleValue, decimals: int | None, rtol: float
) -> bool | None:
    """Whether the computed value reproduces what the article prints.

    ``None`` when the article prints nothing to compare. With ``decimals`` the
    test is "within half a unit of the last printed digit", entry by entry;
    without, :func:`agree` with ``rtol``.
    """
    if article is None:
        return None
    if isinstance(article, str):
        return isinstance(computed, str) and _squash(computed) == _squash(article)
    if isinstance(computed, (bool, str)):
        return False
    if decimals is None:
        return agree(computed, article, rtol)
    a = computed if isinstance(computed, tuple) else (computed,)
    b = article if isinstance(article, tuple) else (article,)
    half_unit = 0.5 * 10.0 ** (-decimals) * (1.0 + 1e-9)
    return len(a) == len(b) and all(abs(x - y) <= half_unit for x, y in zip(a, b, strict=True))


def format_value(value: object, decimals: int | None = None) -> str:
    """Show a value as the docs and the CLI do: rounded like the article when
    ``decimals`` is given, else with up to 12 significant digits.

    ``None`` shows as an em dash; tuples as ``[a, b, ...]``.
    """
    if value is None:
        return "\u2014"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list, np.ndarray)):
        items = list(np.ravel(np.asarray(value, dtype=np.float64)))
        return "[" + ", ".join(format_value(float(v), decimals) for v in items) + "]"
    number = float(value)  # type: ignore[arg-type]
    if decimals is not None and decimals < 0:
        return f"{round(number, decimals):.0f}"
    if decimals is not None:
        text = f"{number:.{decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text
    return f"{number:.12g}"


def _kind_fits(kind: str, computed: JSONValue, article: ArticleValue, decimals: int) -> bool:
    """Whether a rounding kind describes the numbers: every entry of the article's
    value is the computed one truncated (``"truncated"``), or the computed one
    rounded and then off by at most one unit in the last digit (``"last-digit"``)."""
    if isinstance(computed, (bool, str)) or article is None or isinstance(article, str):
        return False
    a = computed if isinstance(computed, tuple) else (computed,)
    b = article if isinstance(article, tuple) else (article,)
    if len(a) != len(b):
        return False
    unit = 10.0 ** (-decimals)
    slack = 1e-9 * unit
    if kind == "truncated":
        return all(abs(math.trunc(x / unit) * unit - y) <= slack for x, y in zip(a, b, strict=True))
    return all(abs(round(x / unit) * unit - y) <= unit + slack for x, y in zip(a, b, strict=True))


def _run(function: Callable[[], object]) -> tuple[JSONValue | None, str]:
    try:
        return normalize(function()), ""
    except ImportError as error:
        return None, f"{error} (install the test extra: pip install 'nbn-verified[test]')"
    except Exception as error:  # a broken library must give a failed claim, not a crash
        return None, f"{type(error).__name__}: {error}"


def evaluate(claim: Claim) -> ClaimResult:
    """Check one claim now (no cache): see the module docstring for the rule."""
    problems: list[str] = []
    computed, error = _run(claim.compute)
    if error:
        problems.append(f"compute failed: {error}")
    oracles: dict[str, bool] = {}
    for oracle in claim.oracles:
        value, error = _run(oracle.compute)
        if error:
            oracles[oracle.name] = False
            problems.append(f"{oracle.name} failed: {error}")
            continue
        ok = computed is not None and value is not None and agree(computed, value, oracle.tolerance)
        oracles[oracle.name] = ok
        if not ok and computed is not None:
            problems.append(
                f"{oracle.name} gives {value!r}, nbn gives {computed!r}"
                f" (tolerance {oracle.tolerance:g})"
            )
    agrees: bool | None = None
    if computed is not None:
        if isinstance(computed, bool) and not computed:
            problems.append("the statement does not hold (computed False)")
        if claim.holds is not None and not claim.holds(computed):
            problems.append(f"the statement does not hold for {format_value(computed)}")
        agrees = article_agrees(computed, claim.article_value, claim.decimals, claim.tolerance)
        if claim.erratum is None and agrees is False:
            problems.append(
                f"the article prints {format_value(claim.article_value, claim.decimals)}, "
                f"nbn gives {format_value(computed, claim.decimals)}"
            )
        if claim.erratum is not None and agrees is True:
            problems.append(f"recorded as {claim.kind}, but the article's value agrees")
        if (
            claim.kind in ("truncated", "last-digit")
            and claim.decimals is not None
            and not _kind_fits(claim.kind, computed, claim.article_value, claim.decimals)
        ):
            problems.append(
                f"recorded as {claim.kind}, but the article's "
                f"{format_value(claim.article_value, claim.decimals)} is not "
                f"{format_value(computed)} {claim.kind.replace('-', ' ')}"
            )
    return ClaimResult(
        id=claim.id,
        section=claim.section,
        statement=claim.statement,
        article_value=claim.article_value,
        computed=computed,
        tolerance=claim.tolerance,
        passed=not problems,
        oracles=oracles,
        article_agrees=agrees,
        erratum=claim.erratum,
        detail="; ".join(problems),
        note=claim.note,
        kind=claim.kind,
    )
