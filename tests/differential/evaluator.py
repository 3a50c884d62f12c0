"""An evaluator of worked examples written apart from nbn: trees, duals, descent.

It imports nothing of nbn. Expressions are small trees of tuples built by
:mod:`differential.generator` (never parsed from text). Values are exact
:class:`fractions.Fraction` as long as the arithmetic is rational (and at the few
points where a function is rational: ``sigmoid(0) = 1/2``, ``exp(0) = 1``, a
square root of a square), and mpmath floats at :data:`DIGITS` digits once a
function is irrational. Derivatives are forward-mode dual numbers of this
module; ``after(n, e)`` runs its own gradient-descent loop.

Trees::

    ("num", Fraction)            a constant
    ("name", "w")                a given or defined quantity
    ("neg", a)
    ("bin", "+", a, b)           also "-", "*", "/"
    ("pow", a, k)                a constant integer exponent k
    ("call", "sigmoid", a)       also tanh, relu, exp, log, sqrt
    ("grad", "f", "x")           claims only
    ("after", n, e)              claims only
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Any

import mpmath

#: Working precision: ten digits more than nbn's 50, so the last of those is sound.
DIGITS = 70
mpmath.mp.dps = DIGITS

Tree = tuple[Any, ...]
Scalar = Any  # Fraction or mpmath.mpf


#: How often a derivative passed sqrt at 0 with a zero tangent (see :func:`train`).
_SQRT_AT_ZERO = [0]


class UndefinedError(Exception):
    """Outside a function's domain, a division by zero, or a value too ill-posed to judge."""


def mp(x: Scalar) -> Any:
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return x


def exact(x: Scalar) -> Fraction:
    """The binary float's exact value as a fraction (a Fraction stays itself)."""
    if isinstance(x, Fraction):
        return x
    sign, man, exp, _ = mpmath.mpf(x)._mpf_  # man_exp drops the sign
    value = Fraction(int(man)) * Fraction(2) ** int(exp)
    return -value if sign else value


def _both_exact(a: Scalar, b: Scalar) -> bool:
    return isinstance(a, Fraction) and isinstance(b, Fraction)


def add(a: Scalar, b: Scalar) -> Scalar:
    return a + b if _both_exact(a, b) else mp(a) + mp(b)


def sub(a: Scalar, b: Scalar) -> Scalar:
    return a - b if _both_exact(a, b) else mp(a) - mp(b)


def mul(a: Scalar, b: Scalar) -> Scalar:
    if (isinstance(a, Fraction) and a == 0) or (isinstance(b, Fraction) and b == 0):
        return Fraction(0)
    return a * b if _both_exact(a, b) else mp(a) * mp(b)


def div(a: Scalar, b: Scalar) -> Scalar:
    if is_zero(b):
        raise UndefinedError("division by zero")
    return a / b if _both_exact(a, b) else mp(a) / mp(b)


def is_zero(x: Scalar) -> bool:
    """Exactly zero; an irrational value within 1e-50 of zero cannot be told apart."""
    if isinstance(x, Fraction):
        return x == 0
    if abs(x) < mpmath.mpf("1e-50"):
        raise UndefinedError("an irrational value too close to zero to tell its sign")
    return False


def sign(x: Scalar) -> int:
    return 0 if is_zero(x) else (1 if x > 0 else -1)


@dataclass(frozen=True)
class Dual:
    """``v + d epsilon`` with ``epsilon**2 = 0``: a value and its derivative."""

    v: Scalar
    d: Scalar

    def __add__(self, o: Dual) -> Dual:
        return Dual(add(self.v, o.v), add(self.d, o.d))

    def __sub__(self, o: Dual) -> Dual:
        return Dual(sub(self.v, o.v), sub(self.d, o.d))

    def __mul__(self, o: Dual) -> Dual:
        return Dual(mul(self.v, o.v), add(mul(self.d, o.v), mul(self.v, o.d)))

    def __truediv__(self, o: Dual) -> Dual:
        q = div(self.v, o.v)
        return Dual(q, div(sub(self.d, mul(q, o.d)), o.v))

    def __neg__(self) -> Dual:
        return Dual(sub(Fraction(0), self.v), sub(Fraction(0), self.d))


def const(x: Scalar) -> Dual:
    return Dual(x, Fraction(0))


def power(a: Dual, k: int) -> Dual:
    if k < 0 and is_zero(a.v):
        raise UndefinedError("a negative power of zero")
    if isinstance(a.v, Fraction):
        if max(abs(a.v.numerator), a.v.denominator).bit_length() > 2000:
            raise UndefinedError("an exact power too large for a generated example")
        v: Scalar = a.v**k
        local: Scalar = k * a.v ** (k - 1) if k != 0 else Fraction(0)
    else:
        v = mp(a.v) ** k
        local = k * mp(a.v) ** (k - 1)
    return Dual(v, mul(local, a.d))


def _sqrt_exact(x: Fraction) -> Fraction | None:
    n, d = isqrt(x.numerator), isqrt(x.denominator)
    return Fraction(n, d) if n * n == x.numerator and d * d == x.denominator else None


def function(name: str, a: Dual) -> Dual:
    """``name(a)`` with its derivative; the local derivative of each is written out here."""
    v = a.v
    if abs(mp(v)) > 10**4:  # the generator keeps values small; a diverging descent is redrawn
        raise UndefinedError(f"{name} of a value beyond 1e4")
    if name == "relu":
        s = sign(v)  # relu'(0) = 0: the convention at the kink
        return Dual(v if s > 0 else Fraction(0), a.d if s > 0 else Fraction(0))
    if name == "exp":
        e: Scalar = Fraction(1) if isinstance(v, Fraction) and v == 0 else mpmath.exp(mp(v))
        return Dual(e, mul(e, a.d))
    if name == "sigmoid":
        if isinstance(v, Fraction) and v == 0:
            s_v: Scalar = Fraction(1, 2)
        else:
            s_v = 1 / (1 + mpmath.exp(-mp(v)))
        return Dual(s_v, mul(mul(s_v, sub(Fraction(1), s_v)), a.d))
    if name == "tanh":
        t: Scalar = Fraction(0) if isinstance(v, Fraction) and v == 0 else mpmath.tanh(mp(v))
        return Dual(t, mul(sub(Fraction(1), mul(t, t)), a.d))
    if name == "log":
        if sign(v) <= 0:
            raise UndefinedError("log of a value <= 0")
        lg: Scalar = Fraction(0) if v == 1 else mpmath.log(mp(v))
        return Dual(lg, div(a.d, v))
    if name == "sqrt":
        s = sign(v)
        if s < 0:
            raise UndefinedError("sqrt of a negative value")
        root: Scalar = _sqrt_exact(v) if isinstance(v, Fraction) else None
        if root is None:
            root = mpmath.sqrt(mp(v))
        if s == 0:
            if isinstance(a.d, Fraction) and a.d == 0:
                _SQRT_AT_ZERO[0] += 1
                return Dual(Fraction(0), Fraction(0))
            raise UndefinedError("the derivative of sqrt at 0")
        return Dual(root, div(a.d, mul(Fraction(2), root)))
    raise ValueError(f"unknown function {name!r}")


def evaluate(
    tree: Tree,
    lookup: Callable[[str], Dual],
    grad: Callable[[str, str], Scalar] | None = None,
    after: Callable[[int, Tree], Scalar] | None = None,
) -> Dual:
    """A tree's value (and derivative, through the duals ``lookup`` returns)."""
    kind = tree[0]
    if kind == "num":
        return const(tree[1])
    if kind == "name":
        return lookup(tree[1])
    if kind == "neg":
        return -evaluate(tree[1], lookup, grad, after)
    if kind == "bin":
        a = evaluate(tree[2], lookup, grad, after)
        b = evaluate(tree[3], lookup, grad, after)
        return {"+": a.__add__, "-": a.__sub__, "*": a.__mul__, "/": a.__truediv__}[tree[1]](b)
    if kind == "pow":
        return power(evaluate(tree[1], lookup, grad, after), tree[2])
    if kind == "call":
        return function(tree[1], evaluate(tree[2], lookup, grad, after))
    if kind == "grad":
        if grad is None:
            raise ValueError("grad() outside a claim")
        return const(grad(tree[1], tree[2]))
    if kind == "after":
        if after is None:
            raise ValueError("after() outside a claim")
        return const(after(tree[1], tree[2]))
    raise ValueError(f"unknown node {kind!r}")


def names_in(tree: Tree) -> set[str]:
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] in ("num", "grad"):
        return set()
    children = [t for t in tree[1:] if isinstance(t, tuple)]
    return set().union(*(names_in(t) for t in children)) if children else set()


@dataclass
class Example:
    """A worked example as the generator knows it (no text involved)."""

    given: dict[str, Fraction]
    define: dict[str, Tree]  # in an order where each reads only earlier names
    loss: str | None = None
    params: tuple[str, ...] = ()
    rate: Fraction = Fraction(0)

    def depends(self, name: str) -> set[str]:
        """Every name ``name`` is computed from, transitively."""
        if name in self.given:
            return set()
        direct = names_in(self.define[name])
        return direct.union(*(self.depends(n) for n in direct)) if direct else set()


class World:
    """Exact values of one training step's world: givens (params moved) and definitions."""

    def __init__(self, example: Example, given: dict[str, Scalar]) -> None:
        self.example = example
        self.given = given
        self.values: dict[str, Scalar] = {}
        for name, tree in example.define.items():
            self.values[name] = evaluate(tree, lambda n: const(self.value(n))).v

    def value(self, name: str) -> Scalar:
        return self.given[name] if name in self.given else self.values[name]

    def grad(self, f: str, x: str) -> Scalar:
        """``d f / d x``, total through every path from ``x`` (``x``'s own node seeded)."""
        if f == x:
            return Fraction(1)
        seeded: dict[str, Dual] = {
            n: Dual(v, Fraction(1) if n == x else Fraction(0)) for n, v in self.given.items()
        }
        for name, tree in self.example.define.items():
            if name == x:
                seeded[name] = Dual(self.values[name], Fraction(1))
            else:
                seeded[name] = evaluate(tree, seeded.__getitem__)
            if name == f:
                return seeded[name].d
        raise ValueError(f"{f!r} is not defined")


def train(example: Example, steps: int) -> list[World]:
    """Worlds 0..steps of plain gradient descent on ``example.loss`` (own loop).

    A step whose gradient passes sqrt at 0 is undefined here, even where forward
    mode carries a zero tangent through it (sqrt(relu(p)) at p < 0): nbn's
    documented rule is that sqrt has no derivative at 0, so backpropagation
    refuses such a point, and the generator draws another file."""
    worlds = [World(example, dict(example.given))]
    for _ in range(steps):
        last = worlds[-1]
        assert example.loss is not None
        moved = dict(last.given)
        _SQRT_AT_ZERO[0] = 0
        for p in example.params:
            moved[p] = sub(last.given[p], mul(example.rate, last.grad(example.loss, p)))
        if _SQRT_AT_ZERO[0]:
            raise UndefinedError("a training step's gradient passes sqrt at 0")
        worlds.append(World(example, moved))
    return worlds
