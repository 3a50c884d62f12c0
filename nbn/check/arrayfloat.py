"""A fourth oracle for files in matrix form: NumPy on the expressions as written.

The other three oracles (SymPy, the graph engine, finite differences) compute
the file *expanded* to one scalar per entry (:mod:`nbn.check.lower`), so they
share the expansion. This one does not: it evaluates each definition and claim
as written with NumPy's own array arithmetic in float64 (``@`` is
``np.matmul``, ``.T`` is ``ndarray.T``, ``sum(e, axis=k, keepdims=True)`` is
``np.sum``, broadcasting is NumPy's), the vectorized equations as the article's
code computes them, and ``grad(f, W)`` by central differences, one entry of
``W`` moved at a time (``h = 1e-6 * max(1, |w|)``) and every quantity
downstream recomputed. A mistake in the expansion (a wrong index, a broadcast
read at the wrong place) makes it disagree with the exact values.

Tolerances (:data:`NUMPY_RTOL`), relative to ``max(1, |exact|, scale)`` as in
:func:`nbn.check.oracles.agree`: 1e-12 for values (float64 rounding of a few
dozen operations), 1e-6 for anything read through ``grad`` (central differences:
truncation ~h^2, rounding ~eps |f| / h).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from . import expr
from .arrays import entry_name, indices
from .errors import OracleDisagreementError
from .load import WorkedExample

__all__ = ["NUMPY_RTOL", "NumpyOracle", "check_entries"]

#: Tolerances against the exact values: without and with ``grad`` terms.
NUMPY_RTOL = {"value": 1e-12, "grad": 1e-6}

_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    # clipped as in nbn.graph: exp(-x) cannot overflow once x >= -709.78
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-np.maximum(x, -709.78))),
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
}


class NumpyOracle:
    """One world of a file in matrix form, in NumPy float64.

    Parameters
    ----------
    example : WorkedExample
        An expanded file (``example.arrays`` is set).
    givens : mapping of str to float
        The value of every given *entry* (``"W[0, 1]"``) in this world.
    """

    def __init__(self, example: WorkedExample, givens: Mapping[str, float]) -> None:
        if example.arrays is None:
            raise ValueError("NumpyOracle needs a file with arrays (example.arrays)")
        self.arrays = example.arrays
        self.given = {
            name: np.array(
                [float(givens[entry_name(name, i)]) for i in indices(value.shape)], dtype=float
            ).reshape(value.shape)
            for name, value in self.arrays.given.items()
        }
        self.values = self.forward({})

    def forward(self, moved: Mapping[str, Any]) -> dict[str, Any]:
        """Every quantity's array, with the names in ``moved`` set to the given arrays."""
        values: dict[str, Any] = {**self.given, **moved}
        with np.errstate(all="raise"):
            for name in self.arrays.order:
                if name not in moved:
                    values[name] = self.evaluate(self.arrays.define[name], values)
        return values

    def grad(self, f: str, x: str) -> Any:
        """``d f / d x`` with ``x``'s shape, by central differences entry by entry."""
        base = np.asarray(self.values[x], dtype=float)
        out = np.zeros(base.shape)
        for index in indices(base.shape):
            h = 1e-6 * max(1.0, abs(float(base[index])))
            up, down = base.copy(), base.copy()
            up[index] += h
            down[index] -= h
            f_up = float(self.forward({x: up})[f])
            f_down = float(self.forward({x: down})[f])
            out[index] = (f_up - f_down) / (2 * h)
        return out

    def value(self, node: expr.Node) -> Any:
        """A claim's expression as written (``after``: this world is already world n)."""
        with np.errstate(all="raise"):
            return np.asarray(self.evaluate(node, self.values), dtype=float)

    def evaluate(self, node: expr.Node, values: Mapping[str, Any]) -> Any:
        if isinstance(node, expr.Num):
            return float(node.value)
        if isinstance(node, expr.Name):
            return values[node.id]
        if isinstance(node, expr.Unary):
            inner = self.evaluate(node.operand, values)
            return -inner if node.op == "-" else inner
        if isinstance(node, expr.Binary):
            left = self.evaluate(node.left, values)
            if node.op == "**":
                exponent = float(expr.constant_value(node.right, "the exponent"))
                return np.power(np.asarray(left, dtype=float), exponent)
            right = self.evaluate(node.right, values)
            if node.op == "@":
                return np.matmul(left, right)
            if node.op == "+":
                return np.add(left, right)
            if node.op == "-":
                return np.subtract(left, right)
            if node.op == "*":
                return np.multiply(left, right)
            return np.divide(left, right)
        if isinstance(node, expr.Call):
            return _FUNCTIONS[node.func](np.asarray(self.evaluate(node.arg, values), dtype=float))
        if isinstance(node, expr.Transpose):
            return np.asarray(self.evaluate(node.arg, values)).T
        if isinstance(node, expr.Reduce):
            reduce = np.sum if node.func == "sum" else np.mean
            return reduce(self.evaluate(node.arg, values), axis=node.axis, keepdims=node.keepdims)
        if isinstance(node, expr.Index):
            return np.asarray(self.evaluate(node.arg, values))[node.indices]
        if isinstance(node, expr.Grad):
            return self.grad(node.f, node.x)
        if isinstance(node, expr.After):
            return self.evaluate(node.body, values)
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def check_entries(
    claim: str, exact: list[float], numpy_value: Any, scale: float, has_grad: bool
) -> list[float]:
    """The NumPy oracle's entries (row-major), checked against the exact ones.

    Raises
    ------
    OracleDisagreementError
        An entry differs by more than :data:`NUMPY_RTOL` (a bug in nbn).
    """
    values = [float(v) for v in np.ravel(numpy_value)]
    rtol = NUMPY_RTOL["grad" if has_grad else "value"]
    if len(values) != len(exact):
        raise OracleDisagreementError(
            f"internal error in nbn: on {claim!r} NumPy gives {len(values)} entries, the "
            f"expansion {len(exact)}. This is a bug in nbn: please report it with the file."
        )
    for k, (v, e) in enumerate(zip(values, exact, strict=True)):
        bound = rtol * max(scale, abs(e), 1.0)
        if not np.isfinite(v) or abs(v - e) > bound:
            raise OracleDisagreementError(
                f"internal error in nbn: the oracles disagree on entry {k} of {claim!r}: sympy "
                f"gives {e!r}, numpy gives {v!r} (tolerance {bound:.3g}). This is a bug in "
                "nbn, not in your file: please report it with the file."
            )
    return values
