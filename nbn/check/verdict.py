"""The verdict on one stated value, decided on its printed digits.

Notation: ``S`` the stated value, ``u`` one unit of its last printed digit
(``0.01`` for ``"0.20"``), ``E`` the exact value, ``R`` the *recomputation*: the
same step done from the author's own stated values of its direct inputs (see
:mod:`nbn.check.derivation`). "``S`` matches ``X``" means ``S`` is ``X``
correctly rounded to ``u``, or ``X`` truncated to ``u``, or ``|S - X| < u``.

The rules, in order of precedence (the first that holds is the verdict):

1. ``agrees``: ``S`` is ``E`` correctly rounded to ``u`` (``|S - E| <= u/2``;
   on an exact tie both neighbours count, as half-up and half-to-even both do).
2. ``truncated``: ``S`` is ``E`` truncated to ``u`` (digits past ``u`` dropped,
   toward zero), and not rounded.
3. ``carried``: some direct input's verdict is not ``agrees`` and ``S`` matches
   ``R``: the step was done right from a wrong input; the error came earlier.
   (A step may be redone in two ways, see :mod:`nbn.check.derivation`: a local
   derivative at the node's inputs or at its own value; either counts.)
4. ``last-digit``: ``|S - E| < u``, one unit of the last printed digit or less
   off, as rounded intermediate values produce.
5. ``carried`` again: every direct input agrees, ``S`` is more than one unit
   from ``E``, and ``S`` matches ``R``: the step was done right from correctly
   rounded inputs, and the rounding of those inputs (a rounded intermediate)
   moved the result by more than its printed digits admit. The step is not
   wrong; what differs came in with the inputs.
6. ``wrong``: none of these: the error was made in this step.

A stated fraction (``"1/3"``) or integer (``"0"``, ``"3"``: see
:mod:`nbn.check.numbers`) has no unit: it agrees only when it equals ``E``, is
carried when it equals ``R`` from a wrong input, and is wrong otherwise.
``unanswered`` is the verdict of a ``"?"`` (not filled in yet). A claim with no
stated direct inputs has ``R = E``, so rules 3 and 5 add nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .numbers import Printed, round_to_unit, truncate_to_unit

__all__ = ["judge", "matches", "rounds_to", "truncates_to"]


def rounds_to(stated: Printed, x: Fraction) -> bool:
    """``stated`` is ``x`` correctly rounded to its last digit (or equal, for a fraction)."""
    if stated.unit is None:
        return stated.value == x
    return stated.value in round_to_unit(x, stated.unit)


def truncates_to(stated: Printed, x: Fraction) -> bool:
    """``stated`` is ``x`` with the digits past its last printed one dropped."""
    return stated.unit is not None and stated.value == truncate_to_unit(x, stated.unit)


def _within_unit(stated: Printed, x: Fraction) -> bool:
    return stated.unit is not None and abs(stated.value - x) < stated.unit


def matches(stated: Printed, x: Fraction) -> bool:
    """Rounded, truncated, or less than one unit of the last digit from ``x``."""
    return rounds_to(stated, x) or truncates_to(stated, x) or _within_unit(stated, x)


def judge(
    stated: Printed,
    exact: Fraction,
    recomputations: Sequence[tuple[Fraction | None, Sequence[str]]],
) -> tuple[str, int | None]:
    """The verdict on ``stated`` (rules in the module docstring), and which
    recomputation it matched (for ``carried`` and rounded intermediates).

    Parameters
    ----------
    stated : Printed
    exact : Fraction
        The exact value (or its 50-digit approximation).
    recomputations : sequence of (R, input verdicts)
        Each way of redoing the step from the stated inputs (``R`` is ``None``
        if it cannot be redone, e.g. a stated input outside a function's domain)
        with the verdicts of the stated inputs it read. Any of them counts.
    """
    if rounds_to(stated, exact):
        return "agrees", None
    if truncates_to(stated, exact):
        return "truncated", None
    redone = [
        (i, all(v == "agrees" for v in verdicts))
        for i, (recomputed, verdicts) in enumerate(recomputations)
        if recomputed is not None and verdicts and matches(stated, recomputed)
    ]
    carried = [i for i, inputs_agree in redone if not inputs_agree]
    if carried:
        return "carried", carried[0]
    if _within_unit(stated, exact):
        return "last-digit", None
    if redone:  # rule 5: a rounded intermediate, carried through a right step
        return "carried", redone[0][0]
    return "wrong", None
