"""The "Your turn" checks along the lessons: a question, a file, a worked solution.

Each check is a worked-example file shipped in ``nbn/examples`` with ``"?"`` for
the learner's answers (``turn-*.nbn.toml``). The page asks the question and
points to the file; the worked solution behind a fold takes every number from
nbn's checker while the site builds: the claims' exact values from
:func:`nbn.check.check` (the values ``nbn check --reveal`` prints) and the
intermediate quantities from the checker's trace of the file. No number of a
solution is typed into a page.
"""

from __future__ import annotations

from fractions import Fraction

from nbn.check import check
from nbn.check.report import trace
from nbn.examples import example, path

__all__ = ["Answers", "answers", "num"]


def num(value: float | Fraction, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits, with a typographic minus sign."""
    text = f"{float(value):.{digits}g}"
    return text.replace("-", "\u2212")


class Answers:
    """The exact values of one shipped file: its claims and its quantities.

    Parameters
    ----------
    name : str
        A shipped file, e.g. ``"turn-bias-step.nbn.toml"``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        report = check(path(name))
        if not report.ok:
            raise ValueError(f"{name}: the shipped file does not pass its own check")
        self.claims: dict[str, Fraction] = {
            r.claim: Fraction(r.exact) for r in report.results if r.exact is not None
        }
        loaded = example(name)
        root = loaded.train.loss if loaded.train is not None else list(loaded.define)[-1]
        self.quantities: dict[str, Fraction] = {row.name: row.value for row in trace(loaded, root)}

    def claim(self, text: str, digits: int = 4) -> str:
        """A claim's exact value (``"grad(L, b)"``), to ``digits`` significant digits."""
        if text not in self.claims:
            raise KeyError(f"{self.name}: no claim {text!r}; claims: {', '.join(self.claims)}")
        return num(self.claims[text], digits)

    def value(self, quantity: str, digits: int = 4) -> str:
        """A given or defined quantity's exact value (``"z"``), to ``digits`` digits."""
        return num(self.of(quantity), digits)

    def of(self, quantity: str) -> Fraction:
        """A given or defined quantity's exact value."""
        if quantity not in self.quantities:
            raise KeyError(
                f"{self.name}: no quantity {quantity!r}; quantities: {', '.join(self.quantities)}"
            )
        return self.quantities[quantity]


def answers(name: str) -> Answers:
    """The exact values of the shipped file ``name`` (see :class:`Answers`)."""
    return Answers(name)
