"""Payload-specific math: the only place that knows what a node's number is.

A graph node holds a *payload*: a Python ``float`` (or ``int``), an exact
``fractions.Fraction``, or a SymPy expression. Arithmetic (``+ - * /`` and
integer powers) is the payload's own; this module supplies what differs
between payloads: zero and one of the right type, and the transcendental
functions (``exp``, ``log``, ``sigmoid``, ``tanh``) plus ReLU.

Rules
-----
- ``float``/``int``: the ``math`` module; ``int`` behaves as ``float`` in the
  transcendental functions (``sigmoid(0)`` is ``0.5``).
- ``Fraction``: exact or an error, never a silent float. ``exp(q)`` is irrational
  for every rational ``q != 0`` (Lindemann), so ``exp``, ``sigmoid`` and ``tanh``
  are exact only at 0 (``sigmoid(0) = 1/2``) and ``log`` only at 1; any other
  argument raises :class:`ExactnessError`. Mixing a ``Fraction`` with a ``float``
  raises ``TypeError`` (the result would silently be a float).
- SymPy: the matching SymPy function, so derivatives stay symbolic. SymPy is
  never imported here: a SymPy payload can only exist if SymPy was imported by
  its creator, so we look it up in ``sys.modules``.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable
from fractions import Fraction
from types import ModuleType
from typing import Any, TypeAlias

__all__ = [
    "ExactnessError",
    "Payload",
    "check_all_compatible",
    "check_compatible",
    "exp",
    "is_symbolic",
    "log",
    "normalize",
    "one_like",
    "relu",
    "relu_grad",
    "sigmoid",
    "tanh",
    "zero_like",
]

#: A node's number: ``float | int | fractions.Fraction | sympy.Expr``. SymPy is
#: untyped and optional, so the alias is ``Any``; :func:`normalize` is the gate.
Payload: TypeAlias = Any

#: ``exp(-z)`` overflows float64 for ``z`` below ``-log(DBL_MAX)`` = -709.78...
_Z_MIN = -709.78


class NotDifferentiableError(ValueError):
    """``backward()`` met a node whose local derivative is infinite (``sqrt`` or
    another power below 1 at 0): the chain rule has no number to pass on there,
    so the engine refuses instead of returning ``inf`` or ``nan`` gradients."""


class ExactnessError(ValueError):
    """A ``Fraction`` payload met a function whose value there is irrational."""


def _sympy() -> ModuleType | None:
    """The SymPy module if something already imported it, else ``None``."""
    return sys.modules.get("sympy")


def _sp() -> Any:
    """SymPy, for a payload already known to be symbolic (so SymPy is loaded)."""
    return sys.modules["sympy"]


def is_symbolic(x: object) -> bool:
    """True if ``x`` is a SymPy object."""
    sympy = _sympy()
    return sympy is not None and isinstance(x, sympy.Basic)


def normalize(x: object, name: str = "data") -> Payload:
    """Check a payload and bring number-like values to a Python type.

    ``int``, ``float``, ``Fraction`` and SymPy objects pass unchanged; other
    integers (e.g. NumPy's) become ``int`` and other reals become ``float``.
    ``bool`` and everything else raise ``TypeError`` naming ``name``.
    """
    if is_symbolic(x):
        return x
    if isinstance(x, bool):
        raise TypeError(f"{name} must be a number, not a bool (got {x!r})")
    if isinstance(x, (int, float, Fraction)):
        return x
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(
        f"{name} must be a float, int, fractions.Fraction or SymPy expression, "
        f"got {type(x).__name__} {x!r}"
    )


def check_compatible(a: Payload, b: Payload, op: str) -> None:
    """Refuse ``Fraction`` with ``float``: Python would silently give a float."""
    a_frac, b_frac = isinstance(a, Fraction), isinstance(b, Fraction)
    if (a_frac and isinstance(b, float)) or (b_frac and isinstance(a, float)):
        raise TypeError(
            f"cannot combine a Fraction and a float in {op!r} ({a!r}, {b!r}): "
            "the result would silently be a float; convert the float with Fraction(...)"
        )


def check_all_compatible(values: Iterable[Payload], op: str) -> None:
    """:func:`check_compatible` over a whole list of payloads."""
    values = list(values)
    fraction = next((v for v in values if isinstance(v, Fraction)), None)
    if fraction is not None:
        for v in values:
            check_compatible(fraction, v, op)


def zero_like(x: Payload) -> Payload:
    """The number 0 of the payload's kind (``0.0``, ``0``, ``Fraction(0)``, ``S.Zero``)."""
    if isinstance(x, float):
        return 0.0
    if isinstance(x, Fraction):
        return Fraction(0)
    if isinstance(x, int):
        return 0
    sympy = _sympy()
    return sympy.S.Zero if sympy is not None else 0


def one_like(x: Payload) -> Payload:
    """The number 1 of the payload's kind (``1.0``, ``1``, ``Fraction(1)``, ``S.One``)."""
    if isinstance(x, float):
        return 1.0
    if isinstance(x, Fraction):
        return Fraction(1)
    if isinstance(x, int):
        return 1
    sympy = _sympy()
    return sympy.S.One if sympy is not None else 1


def _inexact(function: str, x: Fraction, why: str) -> ExactnessError:
    return ExactnessError(
        f"{function}({x!r}) is irrational ({why}), so a Fraction payload cannot hold it "
        "exactly; use float or SymPy payloads"
    )


def exp(x: Payload) -> Payload:
    """``e**x``; for a ``Fraction`` only ``exp(0) = 1``."""
    if isinstance(x, Fraction):
        if x == 0:
            return Fraction(1)
        raise _inexact("exp", x, "e**q is irrational for every rational q != 0")
    if is_symbolic(x):
        return _sp().exp(x)
    return math.exp(x)


def log(x: Payload) -> Payload:
    """Natural logarithm; for a ``Fraction`` only ``log(1) = 0``."""
    if is_symbolic(x):
        return _sp().log(x)
    if x <= 0:
        raise ValueError(f"log needs a positive argument, got {x!r}")
    if isinstance(x, Fraction):
        if x == 1:
            return Fraction(0)
        raise _inexact("log", x, "log q is irrational for every rational q > 0, q != 1")
    return math.log(x)


def sigmoid(x: Payload) -> Payload:
    """``1 / (1 + e**-x)``; for a ``Fraction`` only ``sigmoid(0) = 1/2``."""
    if isinstance(x, Fraction):
        if x == 0:
            return Fraction(1, 2)
        raise _inexact("sigmoid", x, "it needs e**q, irrational for every rational q != 0")
    if is_symbolic(x):
        return 1 / (1 + _sp().exp(-x))
    # same formula as nbn.sigmoid: exp(-x) cannot overflow once x >= -709.78
    return 1.0 / (1.0 + math.exp(-max(x, _Z_MIN)))


def tanh(x: Payload) -> Payload:
    """Hyperbolic tangent; for a ``Fraction`` only ``tanh(0) = 0``."""
    if isinstance(x, Fraction):
        if x == 0:
            return Fraction(0)
        raise _inexact("tanh", x, "it needs e**q, irrational for every rational q != 0")
    if is_symbolic(x):
        return _sp().tanh(x)
    return math.tanh(x)


def relu(x: Payload) -> Payload:
    """``max(0, x)``, of the payload's kind (SymPy: ``Max(0, x)``)."""
    if is_symbolic(x):
        return _sp().Max(0, x)
    return x if x > 0 else zero_like(x)


def relu_grad(x: Payload) -> Payload:
    """``d relu / dx``: 1 where ``x > 0``, else 0 (0 at ``x = 0``, as ``nbn.ReLULayer``)."""
    if is_symbolic(x):
        return _sp().Heaviside(x, 0)
    return one_like(x) if x > 0 else zero_like(x)
