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
    "WORKING_DIGITS",
    "Backend",
    "DomainError",
    "EngineBackend",
    "Float64OverflowError",
    "FloatBackend",
    "SympyBackend",
    "Watch",
    "check_bits",
    "compile_floats",
    "evaluate",
    "magnitude",
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


class Float64OverflowError(DomainError):
    """A float64 oracle overflowed where the exact value may fit: that oracle steps
    aside for what depends on it (:class:`nbn.check.oracles.StepAside`)."""


#: Below this magnitude a relu argument computed in float64 may be the rounding of an
#: exact 0 (0.1 + 0.2 - 0.3 is 5.6e-17): float64 cannot tell which side of the kink
#: it is on. Worked examples hold values of order 1e-3..1e3, whose rounding errors are
#: near 1e-16 relative, so 1e-12 leaves four orders of margin; an exact argument this
#: small but not 0 only costs the float64 oracles their vote (SymPy still judges).
KINK_SLACK = 1e-12


class Float64KinkError(Float64OverflowError):
    """A float64 oracle met relu with an argument within :data:`KINK_SLACK` of 0 but
    not 0: it cannot tell the side of the kink, so it steps aside like on overflow."""


def near_kink(x: Any) -> bool:
    """Whether some entry of ``x`` (a float or an array) is within :data:`KINK_SLACK`
    of relu's kink without being exactly 0."""
    a = np.abs(np.asarray(x, dtype=float))
    return bool(np.any((a > 0) & (a <= KINK_SLACK)))


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
    approx = value.evalf(DIGITS)
    if not isinstance(approx, sp.Float):
        raise DomainError(f"a value is not a real number ({_fmt(approx)})")
    check_bits(approx)
    exact = sp.Rational(approx)
    return Fraction(int(exact.p), int(exact.q))


def check_bits(value: Any) -> None:
    """Refuse a SymPy ``Float`` whose binary exponent is beyond :data:`MAX_BITS` either
    way (as an exact fraction it would need more bits than that: ``exp(-1e10)`` is
    about 1e-4342944820, a denominator of 14 billion bits)."""
    _sign, mantissa, exponent, bits = value._mpf_[:4]
    if mantissa and abs(exponent + bits) > MAX_BITS:
        raise DomainError(
            f"a value of about {magnitude(value)} is beyond what nbn can check "
            f"(magnitudes between 2**-{MAX_BITS} and 2**{MAX_BITS}, "
            f"about 1e-{int(MAX_BITS * math.log10(2))} to 1e{int(MAX_BITS * math.log10(2))})"
        )


def magnitude(value: Any) -> str:
    """``1e-4342944820`` for a SymPy ``Float``: its power of ten, never a page of digits."""
    import mpmath  # type: ignore[import-untyped]

    power = int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(value._mpf_)))))
    return f"1e{power}" if abs(power) < 10**12 else f"10**({float(power):.4g})"


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
            return self._bounded(self.shallow(a + b))
        if op == "-":
            return self._bounded(self.shallow(a - b))
        if op == "*":
            return self._bounded(self.shallow(a * b))
        if self.sign(b) == 0:
            raise DomainError(f"division by zero ({_fmt(a)} / 0)")
        return self._bounded(self.shallow(a / b))

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

    def shallow(self, a: Any) -> Any:
        """``a``, or its :meth:`numeric` value if it holds a transcendental function.

        Exact where rational (and for square roots of rationals); a value built
        from ``exp``, ``log`` or ``tanh`` is carried on as a 60-digit number
        (:data:`WORKING_DIGITS`), since SymPy's evaluation of nested exact
        transcendental expressions takes time exponential in the nesting (about
        3x per level: 39 nested sigmoids never finished) and products of sums
        of them grow with every operation. Values are read to :data:`DIGITS`
        digits, and :meth:`sign` calls anything below ``1e-45`` zero, so the
        rounding of the ten guard digits does not show."""
        if isinstance(a, self.sp.Rational) or a.free_symbols:
            return a
        if a.has(self.sp.exp, self.sp.log, self.sp.tanh):
            return self.numeric(a)
        return a

    def call(self, func: str, a: Any) -> Any:
        sp = self.sp
        a = self.shallow(a)
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

    def one(self, a: graph.Value) -> Any:
        """The number 1 of ``a``'s payload kind (the local gradient of a renaming)."""
        return self.sp.Integer(1) if self.symbolic else 1.0

    def _finite(self, v: graph.Value) -> graph.Value:
        """``v``, or :class:`DomainError` if float64 overflowed to ``inf`` (no exception
        in Python's ``*`` and ``+``)."""
        if isinstance(v.data, float) and not math.isfinite(v.data):
            raise Float64OverflowError(
                "an intermediate value exceeds float64's range (about 1.8e308)"
            )
        return v

    def number(self, q: Fraction) -> graph.Value:
        if self.symbolic:
            return graph.Value(self.sp.Rational(q.numerator, q.denominator))
        return graph.Value(float(q))

    def binary(self, op: str, a: graph.Value, b: graph.Value) -> graph.Value:
        try:
            if op == "+":
                return self._finite(a + b)
            if op == "-":
                return self._finite(a - b)
            if op == "*":
                return self._finite(a * b)
            return self._finite(a / b)
        except ZeroDivisionError:
            raise DomainError("division by zero in float64 (the graph engine)") from None
        except OverflowError:
            raise Float64OverflowError("an intermediate value overflows float64") from None

    def _exponent(self, q: Fraction) -> Any:
        if q.denominator == 1:
            return q.numerator
        return self.sp.Rational(q.numerator, q.denominator) if self.symbolic else float(q)

    def power(self, a: graph.Value, q: Fraction) -> graph.Value:
        try:
            result: graph.Value = a ** self._exponent(q)
        except OverflowError as error:
            raise Float64OverflowError(f"{a.data!r} ** {q} overflows float64: {error}") from None
        except (ZeroDivisionError, ValueError) as error:
            raise DomainError(f"{a.data!r} ** {q} fails in float64: {error}") from None
        return self._finite(result)

    def negate(self, a: graph.Value) -> graph.Value:
        return -a

    def call(self, func: str, a: graph.Value) -> graph.Value:
        if func == "relu" and isinstance(a.data, float) and near_kink(a.data):
            raise Float64KinkError(
                f"relu's argument {a.data!r} is within float64's rounding of its kink at 0"
            )
        try:
            if func == "sqrt":
                root: graph.Value = a ** self._exponent(Fraction(1, 2))
                return root
            method: Callable[[], graph.Value] = getattr(a, func)
            return method()
        except OverflowError as error:
            raise Float64OverflowError(f"{func}({a.data!r}) overflows float64: {error}") from None
        except ValueError as error:
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


#: What a watched argument may not do across a finite-difference step, by function:
#: ``"kink"`` (relu: change side of 0), ``"pole"`` (a denominator, or the base of a
#: negative power: reach or cross 0), ``"domain"`` (log, a fractional power: leave
#: the positive numbers; sqrt: the non-negative ones).
Watch = list[tuple[str, str, Any]]


def compile_floats(
    node: expr.Node, slots: dict[str, int], watch: Watch | None = None
) -> Callable[[list[Any]], Any]:
    """``node`` as a float64 function of a list of values (``slots``: name -> index).

    Compiled once into nested closures (no text, no ``eval``), so that finite
    differences and training evaluate a tree many times without re-walking it.
    Call it inside ``np.errstate(all="raise")`` to turn overflow and invalid
    operations into ``FloatingPointError``. With ``watch``, every evaluation
    appends ``(kind, text, argument)`` for each relu argument (``"kink"``), each
    denominator (``"pole"``) and each argument of log, sqrt and fractional powers
    (``"domain"``), so that finite differences can tell when a step straddles
    one (:class:`nbn.check.oracles.FloatOracle`).
    """
    if isinstance(node, expr.Num):
        constant = float(node.value)
        return lambda v: constant
    if isinstance(node, expr.Name):
        index = slots[node.id]
        return lambda v: v[index]
    if isinstance(node, expr.Unary):
        inner = compile_floats(node.operand, slots, watch)
        return (lambda v: np.negative(inner(v))) if node.op == "-" else inner
    if isinstance(node, expr.Binary):
        left = compile_floats(node.left, slots, watch)
        if node.op == "**":
            q = expr.constant_value(node.right, "the exponent")
            exponent = float(q)
            if watch is not None and (q < 0 or q.denominator != 1):
                left = _watched(left, "pole" if q < 0 else "domain", node.left, watch)
            return lambda v: np.power(left(v), exponent)
        right = compile_floats(node.right, slots, watch)
        if watch is not None and node.op == "/":
            right = _watched(right, "pole", node.right, watch)
        operator = _OPERATORS[node.op]
        return lambda v: operator(left(v), right(v))
    if isinstance(node, expr.Call):
        arg = compile_floats(node.arg, slots, watch)
        kind = {"relu": "kink", "log": "domain", "sqrt": "domain"}.get(node.func)
        if watch is not None and kind is not None:
            arg = _watched(arg, kind, node.arg if kind == "kink" else node, watch)
        function = _FLOAT_FUNCTIONS[node.func]
        return lambda v: function(arg(v))
    raise DomainError(f"{expr.to_text(node)} cannot be compiled to floats")


def _watched(
    code: Callable[[list[Any]], Any], kind: str, node: expr.Node, watch: Watch
) -> Callable[[list[Any]], Any]:
    text = expr.to_text(node)

    def run(v: list[Any]) -> Any:
        value = code(v)
        watch.append((kind, text, value))
        return value

    return run


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
