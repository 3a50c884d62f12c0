"""Shapes of array values, with NumPy's rules, decided when a file is loaded.

A value of a worked example is an array of exact entries: a scalar is the 0-d
array, shape ``()``; a flat TOML array is 1-d, shape ``(n,)``; a nested one is
2-d, shape ``(rows, cols)``. The rules, the same as NumPy's:

* element-wise ``+ - * / **`` and the functions: *broadcasting*. Shapes are
  aligned on the right; two lengths fit when they are equal or one of them is
  1 (it is repeated); a missing leading axis counts as 1. ``(1, 4) + ()`` is
  ``(1, 4)``; ``(3, 1) + (1, 4)`` is ``(3, 4)``; ``(1, 2) + (2, 1)`` is
  ``(2, 2)``, which is why a transposed gradient is not a harmless slip.
* ``A @ B``: both 2-d, ``(n, k) @ (k, m)`` is ``(n, m)``. A 1-d operand is
  refused (NumPy would promote it to a row or a column, a silent choice a
  learner should make explicit: write ``[[...]]`` for a row).
* ``A.T``: ``(n, m)`` becomes ``(m, n)``; 0-d and 1-d values are unchanged.
* ``sum(e)`` and ``mean(e)``: every entry, shape ``()``; ``axis=k`` removes axis
  ``k`` (negative counts from the end), ``keepdims=True`` keeps it with length 1.
* ``e[i, j]``: one integer per leading axis, each within ``-n <= i < n``; the
  remaining axes stay.

Each rule raises :class:`ShapeError` naming both shapes; the loader adds the
file, table and key.
"""

from __future__ import annotations

from .expr import ExpressionError

__all__ = [
    "MAX_DIMENSIONS",
    "Shape",
    "ShapeError",
    "broadcast",
    "describe",
    "index",
    "matmul",
    "reduce",
    "size",
    "transpose",
]

Shape = tuple[int, ...]

#: Most axes of a value: matrices (2-d) at most.
MAX_DIMENSIONS = 2


class ShapeError(ExpressionError):
    """Shapes that do not fit an operation."""


def describe(shape: Shape) -> str:
    """``(1, 2)``, ``(4,)`` or ``() (a scalar)`` for messages."""
    if not shape:
        return "() (a scalar)"
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(n) for n in shape) + ")"


def size(shape: Shape) -> int:
    """The number of entries of a value of ``shape``."""
    count = 1
    for n in shape:
        count *= n
    return count


def broadcast(a: Shape, b: Shape, op: str) -> Shape:
    """The shape of ``a op b`` for an element-wise ``op`` (NumPy broadcasting)."""
    width = max(len(a), len(b))
    left = (1,) * (width - len(a)) + a
    right = (1,) * (width - len(b)) + b
    out = []
    for m, n in zip(left, right, strict=True):
        if m != n and 1 not in (m, n):
            raise ShapeError(
                f"shapes {describe(a)} and {describe(b)} do not broadcast together for "
                f"'{op}' (expected equal lengths or 1 on each axis, aligned on the right)"
            )
        out.append(max(m, n))
    return tuple(out)


def matmul(a: Shape, b: Shape) -> Shape:
    """The shape of ``a @ b``: ``(n, k) @ (k, m)`` is ``(n, m)``."""
    if len(a) != 2 or len(b) != 2:
        raise ShapeError(
            f"expected two 2-d arrays on both sides of '@', got shapes {describe(a)} and "
            f"{describe(b)} (write a row as [[...]] and a column as [[.], [.]]; "
            "for numbers use '*')"
        )
    if a[1] != b[0]:
        raise ShapeError(
            f"expected the columns of the left side of '@' to match the rows of the right, "
            f"got shapes {describe(a)} @ {describe(b)} ({a[1]} column{'s' * (a[1] != 1)}, "
            f"{b[0]} row{'s' * (b[0] != 1)})"
        )
    return (a[0], b[1])


def transpose(a: Shape) -> Shape:
    """The shape of ``a.T``."""
    return tuple(reversed(a))


def normal_axis(shape: Shape, axis: int, what: str) -> int:
    """``axis`` as a non-negative axis of ``shape``."""
    if not -len(shape) <= axis < len(shape):
        raise ShapeError(
            f"expected {what} between {-len(shape)} and {len(shape) - 1} for a value of shape "
            f"{describe(shape)}, got {axis}"
            if shape
            else f"expected no axis for a scalar, got {what} {axis}"
        )
    return axis % len(shape)


def reduce(shape: Shape, axis: int | None, keepdims: bool, func: str = "sum") -> Shape:
    """The shape of ``func(e, axis=axis, keepdims=keepdims)`` for ``e`` of ``shape``."""
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    k = normal_axis(shape, axis, f"the axis of {func}")
    if keepdims:
        return (*shape[:k], 1, *shape[k + 1 :])
    return shape[:k] + shape[k + 1 :]


def index(shape: Shape, indices: tuple[int, ...]) -> tuple[Shape, tuple[int, ...]]:
    """The shape of ``e[indices]`` and the indices made non-negative."""
    if len(indices) > len(shape):
        raise ShapeError(
            f"expected at most {len(shape)} ind{'ex' if len(shape) == 1 else 'ices'} for a "
            f"value of shape {describe(shape)}, got {len(indices)}"
        )
    out = []
    for axis, (i, n) in enumerate(zip(indices, shape, strict=False)):
        if not -n <= i < n:
            raise ShapeError(
                f"index {i} is out of bounds for axis {axis} of length {n} (shape "
                f"{describe(shape)}; expected {-n} <= index <= {n - 1}, 0-based)"
            )
        out.append(i % n)
    return shape[len(indices) :], tuple(out)
