"""Array expressions expanded into one scalar expression per entry.

A worked example in matrix form is checked entry by entry: every array quantity
``W`` of shape ``(1, 2)`` becomes the scalar quantities ``W[0, 0]`` and
``W[0, 1]``, and every array expression one scalar expression per entry of its
result, built from the entries of its operands:

* ``(A @ B)[i, j]`` is ``sum over k of A[i, k] * B[k, j]`` (a balanced sum, so
  the nesting stays ``log2(k)`` deep);
* ``A.T[i, j]`` is ``A[j, i]``; ``A[i, j]`` picks one entry;
* ``(A + B)[i, j]`` reads each operand at the broadcast index (an axis of length
  1 is read at 0), and so for ``- * / **`` and the functions;
* ``sum(A, axis=k)`` adds the entries along axis ``k``; ``mean`` divides that
  sum by their count;
* ``grad(f, W)[i, j]`` is ``grad(f, W[i, j])`` (``f`` a scalar), and
  ``after(n, e)`` holds each entry of ``e``.

The scalar expressions are the language of :mod:`nbn.check.expr`, so every
oracle (SymPy, the graph engine with one node per entry, finite differences)
and the author's derivation work on them unchanged: the engine checks the
matrix calculus without NumPy. The expansion itself is checked by a fourth
oracle that does not use it (:mod:`nbn.check.arrayfloat`: NumPy on the
unexpanded expressions).

Work is bounded before it is done: each product's cost ``rows * inner * cols``
(:data:`MAX_PRODUCT_COST`), the entries of every value
(:data:`nbn.check.arrays.MAX_ENTRIES`), the scalar nodes of the whole file
(:data:`MAX_TOTAL_NODES`), and the estimated work of the gradients and the
training the claims ask for (:data:`MAX_GRADIENT_WORK`, :data:`MAX_TRAINING_WORK`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from . import expr, shapes
from .arrays import MAX_ENTRIES, ArrayValue, entry_name, indices
from .shapes import Shape, ShapeError, describe, size

__all__ = [
    "MAX_GRADIENT_WORK",
    "MAX_PRODUCT_COST",
    "MAX_TOTAL_NODES",
    "MAX_TRAINING_WORK",
    "ArrayClaim",
    "Budget",
    "Lowering",
    "node_count",
    "uses_arrays",
]

#: Largest ``rows * inner * cols`` of one matrix product.
MAX_PRODUCT_COST = 4096
#: Most scalar expression nodes the expansion of one file may build.
MAX_TOTAL_NODES = 40_000
#: Most gradient work of one expanded file: the number of distinct gradient entries
#: the claims ask for (``grad(cost, W)`` with ``W`` 3x2 asks for 6) times the scalar
#: nodes of the definitions. SymPy differentiates once per entry through the whole
#: graph; on 2 cores 250000 is about 5 s (an 8x8 product with its gradient: 73000).
MAX_GRADIENT_WORK = 250_000
#: Most training work of one expanded file: parameter entries times ``n`` of the
#: largest ``after(n, e)`` times the scalar nodes of the definitions (finite
#: differences move every parameter at every step). The 2-3-1 XOR network over 5000
#: steps is 13 * 5000 * 219 = 14 million (about 5 s of CPU with the exact oracle).
MAX_TRAINING_WORK = 50_000_000

Entries = list[expr.Node]


def uses_arrays(node: expr.Node) -> bool:
    """True if ``node`` has an array operation (``@``, ``.T``, a reduction, an index)."""
    if isinstance(node, (expr.Transpose, expr.Reduce, expr.Index)):
        return True
    if isinstance(node, expr.Binary):
        return node.op == "@" or uses_arrays(node.left) or uses_arrays(node.right)
    if isinstance(node, expr.Unary):
        return uses_arrays(node.operand)
    if isinstance(node, expr.Call):
        return uses_arrays(node.arg)
    if isinstance(node, expr.After):
        return uses_arrays(node.body)
    return False


def node_count(node: expr.Node) -> int:
    """The nodes of a scalar expression (its tree, shared subtrees counted each time)."""
    count, stack = 0, [node]
    while stack:
        current = stack.pop()
        count += 1
        if isinstance(current, expr.Unary):
            stack.append(current.operand)
        elif isinstance(current, expr.Binary):
            stack += [current.left, current.right]
        elif isinstance(current, expr.Call):
            stack.append(current.arg)
        elif isinstance(current, expr.After):
            stack.append(current.body)
    return count


@dataclass
class Budget:
    """The scalar nodes built so far, against :data:`MAX_TOTAL_NODES`."""

    limit: int = MAX_TOTAL_NODES
    spent: int = 0

    def spend(self, count: int) -> None:
        """Count ``count`` more nodes, before they are built."""
        self.spent += count
        if self.spent > self.limit:
            raise ShapeError(
                f"expected the file's arrays to expand to at most {self.limit} scalar nodes "
                f"(entries times operations), got more than that at this expression"
            )


@dataclass(frozen=True)
class ArrayClaim:
    """One claim as written, and where its entries are among the expanded claims.

    Attributes
    ----------
    text : str
    line : int or None
    shape : tuple of int
        The exact value's shape.
    first, count : int
        Its entries are the expanded claims ``first .. first + count - 1``
        (row-major).
    alignment : str
        How the stated value's shape relates to ``shape``: ``same``, ``flat``,
        ``transposed``, ``mismatch`` (see :func:`nbn.check.arrays.align`).
    stated : ArrayValue
        The stated value as written (shape ``()`` for a single number).
    expect : str or None
    """

    text: str
    line: int | None
    shape: Shape
    first: int
    count: int
    alignment: str
    stated: ArrayValue
    expect: str | None = None


def _balanced_sum(terms: Entries) -> expr.Node:
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return expr.Binary("+", _balanced_sum(terms[:middle]), _balanced_sum(terms[middle:]))


def _flat(index: tuple[int, ...], shape: Shape) -> int:
    position = 0
    for i, n in zip(index, shape, strict=True):
        position = position * n + i
    return position


def _read(index: tuple[int, ...], shape: Shape) -> int:
    """The position in an operand of ``shape`` of the broadcast result's ``index``."""
    aligned = index[len(index) - len(shape) :] if shape else ()
    return _flat(tuple(0 if n == 1 else i for i, n in zip(aligned, shape, strict=True)), shape)


@dataclass
class Lowering:
    """Expands expressions given the shape of every name (see the module docstring).

    Parameters
    ----------
    shape_of : callable
        The shape of a given or defined name.
    budget : Budget
    """

    shape_of: Callable[[str], Shape]
    budget: Budget = field(default_factory=Budget)

    def entries(self, name: str) -> Entries:
        """The scalar names of ``name``'s entries, row-major."""
        shape = self.shape_of(name)
        return [expr.Name(entry_name(name, index)) for index in indices(shape)]

    def shape(self, node: expr.Node) -> Shape:
        """The shape of ``node`` (expanding it; cheap for the sizes allowed)."""
        return self.lower(node)[0]

    def lower(self, node: expr.Node) -> tuple[Shape, Entries]:
        """``node``'s shape and one scalar expression per entry, row-major.

        Raises
        ------
        ShapeError
            Shapes that do not fit, an index out of bounds, a grad of a non-scalar,
            or a bound passed; naming both shapes.
        """
        shape, out = self._lower(node)
        if size(shape) > MAX_ENTRIES:
            raise ShapeError(
                f"expected values of at most {MAX_ENTRIES} entries, got shape {describe(shape)}"
            )
        return shape, out

    def _lower(self, node: expr.Node) -> tuple[Shape, Entries]:
        if isinstance(node, expr.Num):
            return (), [node]
        if isinstance(node, expr.Name):
            return self.shape_of(node.id), self.entries(node.id)
        if isinstance(node, expr.Unary):
            shape, inner = self.lower(node.operand)
            self.budget.spend(len(inner))
            return shape, [expr.Unary(node.op, e) for e in inner]
        if isinstance(node, expr.Call):
            shape, inner = self.lower(node.arg)
            self.budget.spend(len(inner))
            return shape, [expr.Call(node.func, e) for e in inner]
        if isinstance(node, expr.Binary):
            return self._binary(node)
        if isinstance(node, expr.Transpose):
            shape, inner = self.lower(node.arg)
            if len(shape) < 2:
                return shape, inner
            out_shape = shapes.transpose(shape)
            return out_shape, [inner[_flat((j, i), shape)] for i, j in indices(out_shape)]
        if isinstance(node, expr.Reduce):
            return self._reduce(node)
        if isinstance(node, expr.Index):
            shape, inner = self.lower(node.arg)
            out_shape, fixed = shapes.index(shape, node.indices)
            return out_shape, [inner[_flat(fixed + rest, shape)] for rest in indices(out_shape)]
        if isinstance(node, expr.Grad):
            f_shape = self.shape_of(node.f)
            if f_shape:
                raise ShapeError(
                    f"expected grad(f, x) of a scalar f, got {node.f!r} of shape "
                    f"{describe(f_shape)} (sum it first, e.g. grad(cost, ...) with a scalar cost)"
                )
            shape = self.shape_of(node.x)
            self.budget.spend(size(shape))
            return shape, [expr.Grad(node.f, entry_name(node.x, i)) for i in indices(shape)]
        if isinstance(node, expr.After):
            shape, inner = self.lower(node.body)
            self.budget.spend(len(inner))
            return shape, [expr.After(node.n, e) for e in inner]
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover

    def _binary(self, node: expr.Binary) -> tuple[Shape, Entries]:
        a_shape, a = self.lower(node.left)
        if node.op == "**":
            self.budget.spend(len(a))
            return a_shape, [expr.Binary("**", e, node.right) for e in a]
        b_shape, b = self.lower(node.right)
        if node.op == "@":
            out_shape = shapes.matmul(a_shape, b_shape)
            rows, inner = a_shape
            cols = b_shape[1]
            cost = rows * inner * cols
            if cost > MAX_PRODUCT_COST:
                raise ShapeError(
                    f"expected a matrix product of at most {MAX_PRODUCT_COST} multiplications "
                    f"(rows * inner * cols), got {describe(a_shape)} @ {describe(b_shape)}: "
                    f"{rows} * {inner} * {cols} = {cost}"
                )
            self.budget.spend(2 * cost)
            return out_shape, [
                _balanced_sum(
                    [expr.Binary("*", a[i * inner + k], b[k * cols + j]) for k in range(inner)]
                )
                for i, j in indices(out_shape)
            ]
        out_shape = shapes.broadcast(a_shape, b_shape, node.op)
        if size(out_shape) > MAX_ENTRIES:
            raise ShapeError(
                f"expected values of at most {MAX_ENTRIES} entries, got {describe(a_shape)} "
                f"{node.op} {describe(b_shape)} broadcasting to {describe(out_shape)}"
            )
        self.budget.spend(size(out_shape))
        return out_shape, [
            expr.Binary(node.op, a[_read(i, a_shape)], b[_read(i, b_shape)])
            for i in indices(out_shape)
        ]

    def _reduce(self, node: expr.Reduce) -> tuple[Shape, Entries]:
        shape, inner = self.lower(node.arg)
        out_shape = shapes.reduce(shape, node.axis, node.keepdims, node.func)
        if node.axis is None:
            groups = [list(range(len(inner)))]
            count = len(inner)
        else:
            k = shapes.normal_axis(shape, node.axis, f"the axis of {node.func}")
            count = shape[k]
            groups = []
            for index in indices(out_shape):
                kept = index if not node.keepdims else index[:k] + index[k + 1 :]
                groups.append([_flat((*kept[:k], t, *kept[k:]), shape) for t in range(count)])
        self.budget.spend(len(inner) + len(groups))
        out = []
        for group in groups:
            total = _balanced_sum([inner[p] for p in group])
            if node.func == "mean" and count != 1:
                total = expr.Binary("/", total, expr.Num(Fraction(count), str(count)))
            out.append(total)
        return out_shape, out
