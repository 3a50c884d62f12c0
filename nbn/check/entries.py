"""The verdict on a stated array, from the verdicts on its entries.

Each entry of a stated array is judged on its own printed digits with the rules
of :mod:`nbn.check.verdict` (its own exact value, its own recomputation from
the author's stated inputs). The claim's verdict is its worst entry's, in the
order of :data:`SEVERITY` (a ``"?"`` entry makes the claim ``unanswered`` unless
another entry is ``wrong``). Two verdicts concern the shape alone:

* ``transposed``: the stated array's shape is the transpose of the exact one's
  (and differs from it), and every stated entry agrees once transposed back.
  It does not pass: in NumPy a transposed ``dW`` of shape ``(2, 1)`` subtracted
  from ``W`` of shape ``(1, 2)`` broadcasts to a ``(2, 2)`` array, silently.
* ``wrong`` with both shapes named: any other shape that does not fit (a flat
  list stated for a single row or column is not a misfit: it is judged entry by
  entry in order).

A stated array whose shape does not fit (``transposed`` included) is not used
as an input of later steps in the author's world: they read it as if it were
not stated, computed from the author's other values
(:mod:`nbn.check.derivation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .arrays import ArrayValue
from .verdict import rounds_to

__all__ = ["SEVERITY", "EntryResult", "transposed_agrees", "worst"]

#: Verdicts from best to worst, for the verdict of a whole array.
SEVERITY = ("agrees", "last-digit", "truncated", "carried", "unanswered", "transposed", "wrong")


@dataclass(frozen=True)
class EntryResult:
    """One entry of a claim's value.

    Attributes
    ----------
    index : tuple of int
        0-based, row-major.
    stated : str
        As printed (``"?"`` if not filled in or not comparable).
    exact : Fraction
    verdict : str
    recomputed : Fraction or None
        The entry's step redone from the author's stated inputs.
    """

    index: tuple[int, ...]
    stated: str
    exact: Fraction
    verdict: str
    recomputed: Fraction | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "index": list(self.index),
            "stated": self.stated,
            "exact": float(self.exact),
            "verdict": self.verdict,
        }


def worst(verdicts: Sequence[str]) -> int:
    """The position of the worst verdict (the first of equals)."""
    rank = [SEVERITY.index(v) for v in verdicts]
    return rank.index(max(rank))


def transposed_agrees(
    stated: ArrayValue, exact: Sequence[Fraction], shape: tuple[int, ...]
) -> bool:
    """True if ``stated`` (shape ``(cols, rows)``) agrees, entry by entry, with the exact
    value of shape ``shape = (rows, cols)`` (row-major ``exact``) transposed."""
    rows, cols = shape
    answered = False
    for i in range(rows):
        for j in range(cols):
            entry = stated.entries[j * rows + i]
            if entry is None:
                continue
            answered = True
            if not rounds_to(entry, exact[i * cols + j]):
                return False
    return answered
