"""Arrays for the differential test, written apart from nbn: values, derivatives, descent.

It imports nothing of nbn. An array value is an :class:`Arr`: a shape (``()``,
``(n,)`` or ``(rows, cols)``) and its entries row-major, each entry a
:class:`~differential.evaluator.Dual` over the exact/mpmath scalars of
:mod:`differential.evaluator` (Fractions while the arithmetic is rational, 70-digit
mpmath numbers after an irrational function). The operations are NumPy's, written
again here: element-wise arithmetic with broadcasting, ``@``, ``.T``, ``sum`` and
``mean`` (all entries, or along an axis, with ``keepdims``), integer indexing.

The derivative of a scalar cost in each entry of an array (``grad(cost, W)``, of
``W``'s shape) is taken in forward mode, one entry at a time: that entry's dual part
is seeded with 1 and every definition downstream is evaluated again.
``after(n, e)`` runs this module's own plain gradient descent, every entry of every
parameter moved by ``- rate * grad``.

Trees (built by :mod:`differential.array_generator`, never parsed from text)::

    ("num", Fraction)                 a constant
    ("name", "W")                     a given or defined quantity
    ("bin", op, a, b)                 + - * / element-wise, broadcasting
    ("pow", a, k)                     a constant integer exponent, element-wise
    ("call", f, a)                    sigmoid, tanh, relu, exp, ... element-wise
    ("matmul", a, b)                  a @ b, both 2-d
    ("T", a)                          a.T
    ("reduce", "sum"|"mean", a, axis, keepdims)   axis None: every entry
    ("index", a, (i, j))              integer indexing (0-based)
    ("grad", "f", "x")                claims only
    ("after", n, e)                   claims only
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

from .evaluator import Dual, Scalar, UndefinedError, const, function, power

Tree = tuple[Any, ...]
Shape = tuple[int, ...]


@dataclass(frozen=True)
class Arr:
    """A shape and its entries, row-major."""

    shape: Shape
    flat: tuple[Dual, ...]

    def at(self, index: tuple[int, ...]) -> Dual:
        k = 0
        for i, n in zip(index, self.shape, strict=True):
            k = k * n + i % n  # a negative index counts from the end
        return self.flat[k]

    def values(self) -> list[Scalar]:
        return [d.v for d in self.flat]

    def nested(self) -> Any:
        """The entries' values as nested lists (a scalar as itself)."""
        if not self.shape:
            return self.flat[0].v
        if len(self.shape) == 1:
            return [d.v for d in self.flat]
        rows, cols = self.shape
        return [[self.flat[r * cols + c].v for c in range(cols)] for r in range(rows)]


def indices(shape: Shape) -> list[tuple[int, ...]]:
    return list(product(*(range(n) for n in shape)))


def scalar(x: Scalar) -> Arr:
    return Arr((), (const(x),))


def array(nested: Any) -> Arr:
    """An exact array from nested lists (2-d), a flat list (1-d) or a number."""
    if not isinstance(nested, list):
        return scalar(nested)
    if nested and isinstance(nested[0], list):
        return Arr((len(nested), len(nested[0])), tuple(const(x) for row in nested for x in row))
    return Arr((len(nested),), tuple(const(x) for x in nested))


def broadcast_shape(a: Shape, b: Shape) -> Shape:
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(pa, pb, strict=True):
        if x != y and 1 not in (x, y):
            raise ValueError(f"shapes {a} and {b} do not broadcast")
        out.append(max(x, y))
    return tuple(out)


def _pick(a: Arr, index: tuple[int, ...]) -> Dual:
    """``a``'s entry for ``index`` of a broadcast result (lengths 1 repeated)."""
    own = index[len(index) - len(a.shape) :]
    return a.at(tuple(0 if n == 1 else i for i, n in zip(own, a.shape, strict=True)))


def elementwise(op: Callable[[Dual, Dual], Dual], a: Arr, b: Arr) -> Arr:
    shape = broadcast_shape(a.shape, b.shape)
    return Arr(shape, tuple(op(_pick(a, i), _pick(b, i)) for i in indices(shape)))


def matmul(a: Arr, b: Arr) -> Arr:
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise ValueError(f"{a.shape} @ {b.shape}")
    out = []
    for r in range(n):
        for c in range(m):
            total = a.at((r, 0)) * b.at((0, c))
            for j in range(1, k):
                total = total + a.at((r, j)) * b.at((j, c))
            out.append(total)
    return Arr((n, m), tuple(out))


def transpose(a: Arr) -> Arr:
    if len(a.shape) < 2:
        return a
    rows, cols = a.shape
    return Arr((cols, rows), tuple(a.at((r, c)) for c in range(cols) for r in range(rows)))


def reduce(kind: str, a: Arr, axis: int | None, keepdims: bool) -> Arr:
    if axis is None:
        groups = [list(a.flat)]
        shape: Shape = (1,) * len(a.shape) if keepdims else ()
    else:
        axis %= len(a.shape)
        rest = [n for k, n in enumerate(a.shape) if k != axis]
        groups = []
        for kept in indices(tuple(rest)):
            group = []
            for i in range(a.shape[axis]):
                full = list(kept)
                full.insert(axis, i)
                group.append(a.at(tuple(full)))
            groups.append(group)
        shape = (
            tuple(1 if k == axis else n for k, n in enumerate(a.shape)) if keepdims else tuple(rest)
        )
    out = []
    for group in groups:
        total = group[0]
        for d in group[1:]:
            total = total + d
        out.append(total / const(Fraction(len(group))) if kind == "mean" else total)
    return Arr(shape, tuple(out))


_OPS: dict[str, Callable[[Dual, Dual], Dual]] = {
    "+": Dual.__add__,
    "-": Dual.__sub__,
    "*": Dual.__mul__,
    "/": Dual.__truediv__,
}


def evaluate(
    tree: Tree,
    lookup: Callable[[str], Arr],
    grad: Callable[[str, str], Arr] | None = None,
    after: Callable[[int, Tree], Arr] | None = None,
) -> Arr:
    """A tree's value, entry by entry (with the dual parts ``lookup`` seeds)."""
    kind = tree[0]

    def sub(t: Tree) -> Arr:
        return evaluate(t, lookup, grad, after)

    if kind == "num":
        return scalar(tree[1])
    if kind == "name":
        return lookup(tree[1])
    if kind == "bin":
        return elementwise(_OPS[tree[1]], sub(tree[2]), sub(tree[3]))
    if kind == "pow":
        a = sub(tree[1])
        return Arr(a.shape, tuple(power(d, tree[2]) for d in a.flat))
    if kind == "call":
        a = sub(tree[2])
        return Arr(a.shape, tuple(function(tree[1], d) for d in a.flat))
    if kind == "matmul":
        return matmul(sub(tree[1]), sub(tree[2]))
    if kind == "T":
        return transpose(sub(tree[1]))
    if kind == "reduce":
        return reduce(tree[1], sub(tree[2]), tree[3], tree[4])
    if kind == "index":
        a = sub(tree[1])
        return Arr((), (a.at(tree[2]),))
    if kind == "grad":
        if grad is None:
            raise ValueError("grad() outside a claim")
        return grad(tree[1], tree[2])
    if kind == "after":
        if after is None:
            raise ValueError("after() outside a claim")
        return after(tree[1], tree[2])
    raise ValueError(f"unknown node {kind!r}")


def names_in(tree: Tree) -> set[str]:
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] in ("num", "grad"):
        return set()
    children = [t for t in tree[1:] if isinstance(t, tuple) and t and isinstance(t[0], str)]
    return set().union(*(names_in(t) for t in children)) if children else set()


@dataclass
class ArrayExample:
    """A worked example in matrix form as the generator knows it."""

    given: dict[str, Arr]
    define: dict[str, Tree]  # each reads only earlier names
    loss: str = "cost"
    params: tuple[str, ...] = ()
    rate: Fraction = Fraction(0)
    texts: dict[str, str] = field(default_factory=dict)


def _plain(a: Arr) -> Arr:
    """The same values with zero dual parts."""
    return Arr(a.shape, tuple(const(d.v) for d in a.flat))


class ArrayWorld:
    """One step of training: the givens (parameters moved) and every definition."""

    def __init__(self, example: ArrayExample, given: dict[str, Arr]) -> None:
        self.example, self.given = example, given
        self.values: dict[str, Arr] = {}
        for name, tree in example.define.items():
            self.values[name] = _plain(evaluate(tree, self.value))
        self._grads: dict[tuple[str, str], Arr] = {}

    def value(self, name: str) -> Arr:
        return self.given[name] if name in self.given else self.values[name]

    def grad(self, f: str, x: str) -> Arr:
        """``d f / d x`` for a scalar ``f``, of ``x``'s shape: forward mode, one entry of
        ``x`` seeded at a time, through every definition downstream of ``x``."""
        key = (f, x)
        if key in self._grads:
            return self._grads[key]
        target = self.value(x)
        if self.value(f).shape != ():
            raise ValueError(f"grad of the non-scalar {f!r}")
        out = []
        for k in range(len(target.flat)):
            seeded_x = Arr(
                target.shape,
                tuple(
                    Dual(d.v, Fraction(1) if j == k else Fraction(0))
                    for j, d in enumerate(target.flat)
                ),
            )
            env: dict[str, Arr] = dict(self.given)
            if x in env:
                env[x] = seeded_x
            derivative = None
            for name, tree in self.example.define.items():
                env[name] = seeded_x if name == x else evaluate(tree, env.__getitem__)
                if name == f:
                    derivative = env[name].flat[0].d
                    break
            if f == x:
                derivative = Fraction(1)
            if derivative is None:
                raise ValueError(f"{f!r} is not defined")
            out.append(const(derivative))
        self._grads[key] = Arr(target.shape, tuple(out))
        return self._grads[key]


def train(example: ArrayExample, steps: int) -> list[ArrayWorld]:
    """Worlds 0..steps of plain gradient descent on the loss, every entry of every
    parameter moved by ``- rate * d loss / d entry`` (this module's own loop)."""
    worlds = [ArrayWorld(example, dict(example.given))]
    for _ in range(steps):
        last = worlds[-1]
        moved = dict(last.given)
        for p in example.params:
            g = last.grad(example.loss, p)
            rate = const(example.rate)
            moved[p] = Arr(
                g.shape,
                tuple(
                    const((w - rate * d).v) for w, d in zip(last.given[p].flat, g.flat, strict=True)
                ),
            )
        worlds.append(ArrayWorld(example, moved))
    return worlds


def claim_value(worlds: list[ArrayWorld], tree: Tree) -> Arr:
    """A claim's exact value (``after(n, e)`` read in world ``n``)."""

    def in_world(n: int, e: Tree) -> Arr:
        world = worlds[n]
        return _plain(evaluate(e, world.value, world.grad, in_world))

    return in_world(0, tree)


def steps_in(tree: Tree) -> int:
    if tree[0] == "after":
        return max(tree[1], steps_in(tree[2]))
    return max(
        [
            0,
            *(
                steps_in(t)
                for t in tree[1:]
                if isinstance(t, tuple) and t and isinstance(t[0], str)
            ),
        ]
    )


__all__ = [
    "Arr",
    "ArrayExample",
    "ArrayWorld",
    "UndefinedError",
    "array",
    "broadcast_shape",
    "claim_value",
    "evaluate",
    "indices",
    "matmul",
    "names_in",
    "reduce",
    "scalar",
    "steps_in",
    "train",
    "transpose",
]
