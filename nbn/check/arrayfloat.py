"""A fourth oracle for files in matrix form: NumPy on the expressions as written.

The other three oracles (SymPy, the graph engine, finite differences) compute
the file *expanded* to one scalar per entry (:mod:`nbn.check.lower`), so they
share the expansion. This one does not: it evaluates each definition and claim
as written with NumPy's own array arithmetic in float64 (``@`` is
``np.matmul``, ``.T`` is ``ndarray.T``, ``sum(e, axis=k, keepdims=True)`` is
``np.sum``, broadcasting is NumPy's), the vectorized equations as the article's
code computes them, and ``grad(f, W)`` by backpropagation on whole arrays, the
article's matrix rules node by node:

* ``C = A @ B``: ``dA = dC @ B.T``, ``dB = A.T @ dC``;
* ``C = A + B`` (broadcast): ``dA`` is ``dC`` summed over the axes ``A`` was
  repeated along (so ``db = sum(dZ, axis=1, keepdims=True)`` for a column ``b``),
  and likewise for ``- * /`` with their local derivatives;
* ``C = A.T``: ``dA = dC.T``; ``C = sum(A, axis=k)``: ``dA`` is ``dC`` repeated
  along axis ``k`` (divided by the count for ``mean``); ``C = A[i, j]``: ``dA``
  is ``dC`` at ``[i, j]`` and 0 elsewhere;
* the functions entry by entry: ``sigmoid' = s (1 - s)``, ``tanh' = 1 - t^2``,
  ``relu' = 1 where the input is positive, else 0``, ``exp' = exp``,
  ``log'(a) = 1 / a``, ``sqrt'(a) = 1 / (2 sqrt(a))``.

A mistake in the expansion (a wrong index, a broadcast read at the wrong place)
makes it disagree with the exact values.

Tolerances (:data:`NUMPY_RTOL`), relative to ``max(1, |exact|, scale)`` as in
:func:`nbn.check.oracles.agree` (``scale`` the largest magnitude among the
world's values: float64 rounding grows with the operands when terms cancel):
1e-12 for values (a few dozen rounded operations), 1e-10 for anything read
through ``grad`` (the backward pass multiplies the forward pass's rounded values
along every path; measured on the shipped files: below 1e-15).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from . import expr
from .arrays import entry_name, indices
from .backends import Float64KinkError, near_kink
from .errors import OracleDisagreementError
from .load import WorkedExample

__all__ = ["NUMPY_RTOL", "NumpyOracle", "check_entries"]

#: Tolerances against the exact values: without and with ``grad`` terms.
NUMPY_RTOL = {"value": 1e-12, "grad": 1e-10}

_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    # clipped as in nbn.graph: exp(-x) cannot overflow once x >= -709.78
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-np.maximum(x, -709.78))),
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
}


def _sigmoid_derivative(x: Any) -> Any:
    s = _FUNCTIONS["sigmoid"](x)
    return s * (1.0 - s)


#: The local derivative of each function at its input.
_DERIVATIVES: dict[str, Callable[[Any], Any]] = {
    "sigmoid": _sigmoid_derivative,
    "tanh": lambda x: 1.0 - np.tanh(x) ** 2,
    "relu": lambda x: (x > 0).astype(float),
    "exp": np.exp,
    "log": lambda x: 1.0 / x,
    "sqrt": lambda x: 0.5 / np.sqrt(x),
}


def _unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """``g`` summed over the axes a value of ``shape`` was broadcast along."""
    g = np.asarray(g, dtype=float)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


class NumpyOracle:
    """One world of a file in matrix form, in NumPy float64.

    Parameters
    ----------
    example : WorkedExample
        An expanded file (``example.arrays`` is set).
    givens : mapping of str to float
        The value of every given *entry* (``"W[0, 1]"``) in this world.
    world : callable, optional
        ``world(n)``: the oracle of the world after ``n`` training steps, where an
        ``after(n, e)`` inside an expression computes ``e``.
    """

    def __init__(
        self,
        example: WorkedExample,
        givens: Mapping[str, float],
        world: Callable[[int], NumpyOracle] | None = None,
    ) -> None:
        if example.arrays is None:
            raise ValueError("NumpyOracle needs a file with arrays (example.arrays)")
        self.arrays = example.arrays
        self.world = world
        self.given = {
            name: np.array(
                [float(givens[entry_name(name, i)]) for i in indices(value.shape)], dtype=float
            ).reshape(value.shape)
            for name, value in self.arrays.given.items()
        }
        self.values = self.forward({})
        self._backward: dict[str, dict[str, Any]] = {}

    def forward(self, moved: Mapping[str, Any]) -> dict[str, Any]:
        """Every quantity's array, with the names in ``moved`` set to the given arrays."""
        values: dict[str, Any] = {**self.given, **moved}
        with np.errstate(all="raise"):
            for name in self.arrays.order:
                if name not in moved:
                    values[name] = self.evaluate(self.arrays.define[name], values)
        return values

    def grad(self, f: str, x: str) -> Any:
        """``d f / d x`` with ``x``'s shape, by backpropagation on whole arrays."""
        if f not in self._backward:
            self._backward[f] = self.backward(f)
        if x == f:
            return np.ones(np.shape(self.values[f]))
        found = self._backward[f].get(x)
        return np.zeros(np.shape(self.values[x])) if found is None else found

    def backward(self, f: str) -> dict[str, Any]:
        """The gradient of the scalar ``f`` with respect to every quantity it reads."""
        grads: dict[str, Any] = {f: np.ones(np.shape(self.values[f]))}
        with np.errstate(all="raise"):
            for name in reversed(self.arrays.order):
                if name in grads and name in self.arrays.define:
                    self._vjp(self.arrays.define[name], grads[name], grads)
        return grads

    def _vjp(self, node: expr.Node, up: Any, grads: dict[str, Any]) -> None:
        """Push the upstream gradient ``up`` (shape of ``node``'s value) to the names."""
        values = self.values
        if isinstance(node, expr.Num):
            return
        if isinstance(node, expr.Name):
            shape = np.shape(values[node.id])
            grads[node.id] = grads.get(node.id, np.zeros(shape)) + _unbroadcast(up, shape)
            return
        if isinstance(node, expr.Unary):
            self._vjp(node.operand, -up if node.op == "-" else up, grads)
            return
        if isinstance(node, expr.Binary):
            a = self.evaluate(node.left, values)
            if node.op == "**":
                q = float(expr.constant_value(node.right, "the exponent"))
                self._vjp(node.left, up * q * np.power(np.asarray(a, dtype=float), q - 1), grads)
                return
            b = self.evaluate(node.right, values)
            if node.op == "@":  # dA = dC B^T, dB = A^T dC
                self._vjp(node.left, up @ np.asarray(b).T, grads)
                self._vjp(node.right, np.asarray(a).T @ up, grads)
                return
            local_a: Any = 1.0
            local_b: Any = -1.0 if node.op == "-" else 1.0
            if node.op == "*":
                local_a, local_b = b, a
            elif node.op == "/":  # d(a/b) = da / b - a db / b^2
                local_a, local_b = np.divide(1.0, b), -np.divide(a, np.multiply(b, b))
            self._vjp(node.left, _unbroadcast(up * local_a, np.shape(a)), grads)
            self._vjp(node.right, _unbroadcast(up * local_b, np.shape(b)), grads)
            return
        if isinstance(node, expr.Call):
            a = np.asarray(self.evaluate(node.arg, values), dtype=float)
            self._vjp(node.arg, up * _DERIVATIVES[node.func](a), grads)
            return
        if isinstance(node, expr.Transpose):
            self._vjp(node.arg, np.asarray(up).T, grads)
            return
        if isinstance(node, expr.Reduce):
            shape = np.shape(self.evaluate(node.arg, values))
            spread = np.asarray(up, dtype=float)
            if node.axis is not None and not node.keepdims:
                spread = np.expand_dims(spread, node.axis)
            spread = np.broadcast_to(spread, shape)
            if node.func == "mean":
                count = int(np.prod(shape)) if node.axis is None else shape[node.axis]
                spread = spread / count
            self._vjp(node.arg, spread, grads)
            return
        if isinstance(node, expr.Index):
            shape = np.shape(self.evaluate(node.arg, values))
            scattered = np.zeros(shape)
            scattered[node.indices] += up
            self._vjp(node.arg, scattered, grads)
            return
        raise TypeError(f"not in a definition: {node!r}")  # pragma: no cover

    def value(self, node: expr.Node) -> Any:
        """A claim's expression as written (each ``after(n, e)``: ``e`` in world ``n``)."""
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
            argument = np.asarray(self.evaluate(node.arg, values), dtype=float)
            if node.func == "relu" and near_kink(argument):
                raise Float64KinkError(
                    f"relu's argument is within float64's rounding of its kink at 0 in "
                    f"{argument.tolist()!r}"
                )
            return _FUNCTIONS[node.func](argument)
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
            other = self if self.world is None or not node.n else self.world(node.n)
            return other.evaluate(node.body, other.values)
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
