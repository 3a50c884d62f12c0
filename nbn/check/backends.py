"""The arithmetic each oracle computes in: SymPy (exact), the graph engine, floats.

An expression tree (:mod:`nbn.check.expr`) is evaluated by :func:`evaluate`
with a *backend*: an object that turns numbers, operators and the language's
functions into its own values. Three backends, three independent oracles:

* :class:`SympyBackend`: exact SymPy numbers built with constructors
  (``Rational``, ``exp``, ``log``, ...; never ``sympify``). Rationals stay exact;
  transcendental values stay symbolic until evaluated to 50 digits. Every exact
  rational is bounded in size, an integer power's size estimated before it is
  computed, and domain errors are decided on the exact value.
* :class:`EngineBackend`: :class:`nbn.graph.Value` nodes with float payloads,
  so ``backward()`` gives every gradient.
* :class:`FloatBackend`: plain floats or NumPy arrays (vectorized central
  differences), with floating-point errors raised, never a silent NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Generic, TypeVar

import numpy as np

from .. import graph
from . import expr
from .bounds import MAX_BITS

__all__ = [
    "DIGITS",
    "Backend",
    "DomainError",
    "EngineBackend",
    "FloatBackend",
    "SympyBackend",
    "compile_floats",
    "evaluate",
    "to_fraction",
]

T = TypeVar("T")

#: Significant digits SymPy evaluates irrational values to: far more than any
#: float64-length printed value needs to decide its rounding.
DIGITS = 50
#: Digits of the floats that stand for irrational inputs of derivatives and
#: recomputations (ten guard digits above :data:`DIGITS`).
WORKING_DIGITS = 60


class DomainError(ValueError):
    """An operation outside its domain (division by zero, log of a non-positive
    number...) or a value too large; the caller adds the file, table and key."""


class Backend(Generic[T]):
    """The operations an oracle supplies (each backend overrides all of them)."""

    def number(self, q: Fraction) -> T:
        raise NotImplementedError

    def binary(self, op: str, a: T, b: T) -> T:
        raise NotImplementedError

    def power(self, a: T, q: Fraction) -> T:
        raise NotImplementedError

    def negate(self, a: T) -> T:
        raise NotImplementedError

    def call(self, func: str, a: T) -> T:
        raise NotImplementedError


def evaluate(
    node: expr.Node,
    backend: Backend[T],
    name: Callable[[str], T],
    grad: Callable[[expr.Grad], T] | None = None,
    after: Callable[[expr.After], T] | None = None,
) -> T:
    """The value of ``node``: names from ``name``, ``grad(f, x)`` terms from ``grad``,
    ``after(n, e)`` terms from ``after`` (the caller computes ``e`` in world ``n``;
    everything around it is read through ``name`` and ``grad``, in the caller's world).

    Recursive; the parser's bounds keep the depth small.
    """
    if isinstance(node, expr.Num):
        return backend.number(node.value)
    if isinstance(node, expr.Name):
        return name(node.id)
    if isinstance(node, expr.Unary):
        inner = evaluate(node.operand, backend, name, grad, after)
        return backend.negate(inner) if node.op == "-" else inner
    if isinstance(node, expr.Binary):
        left = evaluate(node.left, backend, name, grad, after)
        if node.op == "**":
            return backend.power(left, expr.constant_value(node.right, "the exponent"))
        return backend.binary(node.op, left, evaluate(node.right, backend, name, grad, after))
    if isinstance(node, expr.Call):
        return backend.call(node.func, evaluate(node.arg, backend, name, grad, after))
    if isinstance(node, expr.Grad):
        if grad is None:
            raise DomainError(f"grad({node.f}, {node.x}) is allowed in [claims] only")
        return grad(node)
    if isinstance(node, expr.After):
        if after is None:
            raise DomainError(f"after({node.n}, ...) is allowed in [claims] only")
        return after(node)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def to_fraction(value: Any) -> Fraction:
    """A SymPy number (exact, or evaluated to :data:`DIGITS` digits) as a ``Fraction``."""
    import sympy as sp

    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    approx = sp.Rational(value.evalf(DIGITS))
    return Fraction(int(approx.p), int(approx.q))


def _fmt(value: Any) -> str:
    """A number for an error message: 6 significant digits, never a page of digits."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if math.isfinite(number):
        return f"{number:.6g}"
    text = str(value)
    if len(text) <= 40:
        return text
    return f"{text[:12]}...{text[-6:]} ({len(text)} characters)"


class SympyBackend(Backend[Any]):
    """Exact SymPy arithmetic, bounded (see the module docstring)."""

    def __init__(self) -> None:
        import sympy as sp

        self.sp = sp

    def _bounded(self, v: Any) -> Any:
        if isinstance(v, self.sp.Rational):
            bits = max(int(v.p).bit_length(), int(v.q).bit_length())
            if bits > MAX_BITS:
                raise DomainError(
                    f"an exact intermediate value needs {bits} bits, more than the limit of "
                    f"{MAX_BITS} bits (about {int(MAX_BITS * math.log10(2))} digits)"
                )
        return v

    def sign(self, v: Any) -> int | None:
        """-1, 0 or 1 for a number (exact where rational, else to 50 digits); None if symbolic."""
        if isinstance(v, self.sp.Rational):
            return int(v.p > 0) - int(v.p < 0)
        if v.free_symbols:
            return None
        approx = v.evalf(DIGITS)
        if not approx.is_real:
            raise DomainError(f"a value is not a real number ({approx})")
        if abs(approx) < self.sp.Float(10) ** -(DIGITS - 5):
            return 0
        return 1 if approx > 0 else -1

    def number(self, q: Fraction) -> Any:
        return self._bounded(self.sp.Rational(q.numerator, q.denominator))

    def numeric(self, v: Any) -> Any:
        """``v`` itself if rational, else a SymPy ``Float`` of :data:`WORKING_DIGITS` digits.

        Used where a value only feeds a derivative or a recomputation that is
        evaluated to :data:`DIGITS` digits anyway: SymPy differentiates and
        substitutes fast on floats, slowly on nested exact expressions.
        """
        if isinstance(v, self.sp.Rational) or v.free_symbols:
            return v
        return self.sp.Float(v.evalf(WORKING_DIGITS), WORKING_DIGITS)

    def binary(self, op: str, a: Any, b: Any) -> Any:
        if op == "+":
            return self._bounded(a + b)
        if op == "-":
            return self._bounded(a - b)
        if op == "*":
            return self._bounded(a * b)
        if self.sign(b) == 0:
            raise DomainError(f"division by zero ({_fmt(a)} / 0)")
        return self._bounded(a / b)

    def power(self, a: Any, q: Fraction) -> Any:
        sign = self.sign(a)
        if q.denominator == 1:
            n = q.numerator
            if sign == 0 and n < 0:
                raise DomainError(f"division by zero (0 ** {n})")
            if isinstance(a, self.sp.Rational) and n:
                bits = abs(n) * max(int(a.p).bit_length(), int(a.q).bit_length())
                if bits > MAX_BITS:
                    raise DomainError(
                        f"the exact value of ({_fmt(a)}) ** {n} would need about {bits} bits, "
                        f"more than the limit of {MAX_BITS} bits "
                        f"(about {int(MAX_BITS * math.log10(2))} digits)"
                    )
            return self._bounded(a**n)
        if sign is not None and sign < 0:
            raise DomainError(
                f"a negative number to a fractional power ({_fmt(a)} ** {q}) is not real"
            )
        if sign == 0 and q < 0:
            raise DomainError(f"division by zero (0 ** {q})")
        return self.sp.Pow(a, self.sp.Rational(q.numerator, q.denominator))

    def negate(self, a: Any) -> Any:
        return -a

    def call(self, func: str, a: Any) -> Any:
        sp = self.sp
        if func == "exp":
            return sp.exp(a)
        if func == "log":
            sign = self.sign(a)
            if sign is not None and sign <= 0:
                raise DomainError(f"log of a non-positive number (log({_fmt(a)}))")
            return sp.log(a)
        if func == "sqrt":
            sign = self.sign(a)
            if sign is not None and sign < 0:
                raise DomainError(f"square root of a negative number (sqrt({_fmt(a)}))")
            return sp.sqrt(a)
        if func == "sigmoid":
            return 1 / (1 + sp.exp(-a))
        if func == "tanh":
            return sp.tanh(a)
        sign = self.sign(a)
        if func == expr.STEP:  # relu's derivative (0 at 0), inside derivatives only
            return sp.Integer(1 if sign is not None and sign > 0 else 0)
        # relu: its derivative at 0 is 0, as nbn.ReLULayer and the engine take it
        if sign is None:
            return sp.Piecewise((a, a > 0), (0, True))
        return a if sign > 0 else sp.Integer(0)


class EngineBackend(Backend[graph.Value]):
    """The scalar graph engine: float payloads, or SymPy payloads (``symbolic=True``)
    when a parameter is a symbol and the engine's ``backward()`` should give the
    gradient as a formula (see :mod:`nbn.check.train`)."""

    def __init__(self, symbolic: bool = False) -> None:
        self.symbolic = symbolic
        if symbolic:
            import sympy as sp

            self.sp = sp

    def number(self, q: Fraction) -> graph.Value:
        if self.symbolic:
            return graph.Value(self.sp.Rational(q.numerator, q.denominator))
        return graph.Value(float(q))

    def binary(self, op: str, a: graph.Value, b: graph.Value) -> graph.Value:
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return a / b
        except ZeroDivisionError:
            raise DomainError("division by zero in float64 (the graph engine)") from None
        except OverflowError:
            raise DomainError("a value overflows float64 (the graph engine)") from None

    def _exponent(self, q: Fraction) -> Any:
        if q.denominator == 1:
            return q.numerator
        return self.sp.Rational(q.numerator, q.denominator) if self.symbolic else float(q)

    def power(self, a: graph.Value, q: Fraction) -> graph.Value:
        try:
            result: graph.Value = a ** self._exponent(q)
        except (ZeroDivisionError, OverflowError, ValueError) as error:
            raise DomainError(f"{a.data!r} ** {q} fails in float64: {error}") from None
        return result

    def negate(self, a: graph.Value) -> graph.Value:
        return -a

    def call(self, func: str, a: graph.Value) -> graph.Value:
        try:
            if func == "sqrt":
                root: graph.Value = a ** self._exponent(Fraction(1, 2))
                return root
            method: Callable[[], graph.Value] = getattr(a, func)
            return method()
        except (OverflowError, ValueError) as error:
            raise DomainError(f"{func}({a.data!r}) fails in float64: {error}") from None


def _sigmoid(x: Any) -> Any:
    # same clipping as nbn.graph.payload.sigmoid: exp(-x) cannot overflow once x >= -709.78
    return 1.0 / (1.0 + np.exp(-np.maximum(x, -709.78)))


_FLOAT_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.where(np.asarray(x) > 0, x, 0.0),
}


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
}


def compile_floats(node: expr.Node, slots: dict[str, int]) -> Callable[[list[Any]], Any]:
    """``node`` as a float64 function of a list of values (``slots``: name -> index).

    Compiled once into nested closures (no text, no ``eval``), so that finite
    differences and training evaluate a tree many times without re-walking it.
    Call it inside ``np.errstate(all="raise")`` to turn overflow and invalid
    operations into ``FloatingPointError``.
    """
    if isinstance(node, expr.Num):
        constant = float(node.value)
        return lambda v: constant
    if isinstance(node, expr.Name):
        index = slots[node.id]
        return lambda v: v[index]
    if isinstance(node, expr.Unary):
        inner = compile_floats(node.operand, slots)
        return (lambda v: np.negative(inner(v))) if node.op == "-" else inner
    if isinstance(node, expr.Binary):
        left = compile_floats(node.left, slots)
        if node.op == "**":
            exponent = float(expr.constant_value(node.right, "the exponent"))
            return lambda v: np.power(left(v), exponent)
        right = compile_floats(node.right, slots)
        operator = _OPERATORS[node.op]
        return lambda v: operator(left(v), right(v))
    if isinstance(node, expr.Call):
        arg = compile_floats(node.arg, slots)
        function = _FLOAT_FUNCTIONS[node.func]
        return lambda v: function(arg(v))
    raise DomainError(f"{expr.to_text(node)} cannot be compiled to floats")


class FloatBackend(Backend[Any]):
    """float64 arithmetic on floats or NumPy arrays (floating-point errors raise)."""

    def number(self, q: Fraction) -> Any:
        return float(q)

    def binary(self, op: str, a: Any, b: Any) -> Any:
        with np.errstate(all="raise"):
            try:
                if op == "+":
                    return np.add(a, b)
                if op == "-":
                    return np.subtract(a, b)
                if op == "*":
                    return np.multiply(a, b)
                return np.divide(a, b)
            except FloatingPointError as error:
                raise DomainError(f"float64 arithmetic failed: {error}") from None

    def power(self, a: Any, q: Fraction) -> Any:
        with np.errstate(all="raise"):
            try:
                return np.power(np.asarray(a, dtype=float), float(q))
            except FloatingPointError as error:
                raise DomainError(f"float64 power failed: {error}") from None

    def negate(self, a: Any) -> Any:
        return np.negative(a)

    def call(self, func: str, a: Any) -> Any:
        with np.errstate(all="raise"):
            try:
                return _FLOAT_FUNCTIONS[func](np.asarray(a, dtype=float))
            except FloatingPointError as error:
                raise DomainError(f"float64 {func} failed: {error}") from None
