"""The worked-example files that ship with nbn (``*.nbn.toml``, see ``docs/check.md``).

* ``article-or-neuron``, ``article-bias-step``, ``article-batch-iteration`` (in
  matrix form): the article's hand-worked examples, with its numbers exactly as printed, so that
  ``nbn check`` shows its errata as verdicts. The ledger (:mod:`nbn.ledger`)
  reads those numbers from here: each article number is typed once, in a file.
* ``learner-or-neuron``: a learner's attempt with typical mistakes, and its
  expected verdicts.
* ``learner-batch-slips``: a learner's batch iteration with one slip of each
  scalar kind of :mod:`nbn.check.causes` (sign, factor-2, factor-m,
  update-direction, learning-rate, activation-derivative), each named as the
  likely cause of its wrong step.
* ``exercise-or-neuron``: the article's closing exercise, with ``"?"`` to fill in.
* ``turn-weight-gradient``, ``turn-bias-step``, ``turn-batch-gradient``: the short
  "Your turn" checks of the backpropagation, bias and batch pages, with ``"?"``.
* ``small-network-training``: a 2-2-1 network learning XOR over 10000 steps.
* ``network-xor-matrix``: the article's 2-3-1 XOR network in matrix form, with the
  weights its code draws (``np.random.seed(48)``).
* ``learner-batch-matrix``: a learner's vectorized batch step with slips of shape
  (a transposed ``dW``, ``db`` summed over the wrong axis) and a missing ``1/m``.

The files are package data: an installed nbn can read its own article numbers,
and ``examples/`` at the root of the repository is a link to this folder, so that
``python -m nbn check examples/*.nbn.toml`` and ``pytest examples/`` run them.

Examples
--------
>>> from nbn.examples import stated
>>> stated("article-bias-step.nbn.toml", "after(1, L)")
'0.109'
"""

from __future__ import annotations

import difflib
import functools
from fractions import Fraction
from pathlib import Path

# absolute, not relative: pytest imports this file as the package "examples" when it
# collects examples/ (the link at the repository root)
from nbn.check import WorkedExample, load

__all__ = [
    "DIRECTORY",
    "SUFFIX",
    "article_numbers",
    "example",
    "files",
    "path",
    "printed",
    "stated",
]

#: The folder holding the shipped files.
DIRECTORY = Path(__file__).resolve().parent
#: The suffix every worked-example file ends with.
SUFFIX = ".nbn.toml"


def files() -> tuple[str, ...]:
    """The names of the shipped worked-example files, sorted."""
    return tuple(sorted(p.name for p in DIRECTORY.glob(f"*{SUFFIX}")))


def path(name: str) -> Path:
    """The path of a shipped file, e.g. ``path("article-bias-step.nbn.toml")``.

    Raises
    ------
    ValueError
        ``name`` is not one of :func:`files`; the message lists them.
    """
    known = files()
    if name not in known:
        raise ValueError(
            f"name must be one of the shipped worked-example files {', '.join(known)}; got {name!r}"
        )
    return DIRECTORY / name


@functools.cache
def example(name: str) -> WorkedExample:
    """A shipped file, loaded and validated by the checker's loader (cached)."""
    return load(path(name))


def _stated(name: str, claim: str) -> tuple[str, Fraction | None]:
    """The stated value of a claim: as printed, and exact (``None`` for ``"?"``).

    An entry of a stated array is the claim followed by its index:
    ``"after(1, grad(cost, W))[0, 1]"``."""
    loaded = example(name)
    claims = {c.text: c for c in (*loaded.written_claims, *loaded.claims)}
    if claim not in claims:
        close = difflib.get_close_matches(claim, list(claims), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(f"{name} [claims] has no claim {claim!r}{hint}")
    found = claims[claim]
    return found.stated_text, None if found.stated is None else found.stated.value


def stated(name: str, claim: str) -> str:
    """The stated value of ``claim`` in the shipped file ``name``, as printed.

    Parameters
    ----------
    name : str
        A file of :func:`files`.
    claim : str
        The claim's expression exactly as written in the file's ``[claims]``.

    Raises
    ------
    KeyError
        The file has no such claim; the message names the closest ones.
    """
    return _stated(name, claim)[0]


def printed(name: str, *claims: str) -> tuple[str, ...]:
    """The stated values of several claims of file ``name``, as printed."""
    return tuple(stated(name, claim) for claim in claims)


def article_numbers(name: str, *claims: str) -> float | tuple[float, ...]:
    """The stated values of ``claims`` in the shipped file ``name`` as floats: one
    float for one claim, a tuple for several (a ledger claim's ``article_value``).

    Raises
    ------
    ValueError
        No claims given, or a claim is not filled in (``"?"``).
    KeyError
        The file has no such claim.
    """
    if not claims:
        raise ValueError("article_numbers needs at least one claim, got none")
    values: list[float] = []
    for text in claims:
        shown, value = _stated(name, text)
        if value is None:
            raise ValueError(f"{name} [claims] key {text!r}: expected a number, got {shown!r}")
        values.append(float(value))
    return values[0] if len(values) == 1 else tuple(values)
