"""Independent ways of getting a claim's value: SymPy, finite differences, the
scalar graph engine, and small reference implementations written straight from
the article's equations (pure Python floats or plain NumPy, no nbn layers).

SymPy is not a runtime dependency of nbn: it is imported inside the functions
that need it, and a missing SymPy raises an ``ImportError`` that says to install
the ``test`` extra.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from types import ModuleType
from typing import Any

import numpy as np

from .._validate import FloatArray
from ..gradcheck import numerical_gradient

__all__ = [
    "GraphRun",
    "exact",
    "fd_gradient",
    "fd_neuron_params",
    "graph_2_3_1_cost_gradients",
    "graph_batch",
    "graph_dense",
    "graph_descent",
    "graph_or_neuron",
    "payload_float",
    "reference_train_2layer",
    "reference_train_neuron",
    "sym_batch_neuron",
    "sym_descent",
    "sym_sigmoid",
    "sym_two_layer",
    "to_float",
    "xavier_draws_48",
]

#: Digits SymPy evaluates to when the value is not exact.
DIGITS = 30


def sympy() -> ModuleType:
    """Import SymPy, or explain how to get it."""
    try:
        import sympy as sp
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the SymPy oracle needs sympy, which is not installed: pip install 'nbn-verified[test]'"
        ) from error
    module: ModuleType = sp
    return module


def exact(value: float | int | str) -> Any:
    """A decimal number as the article prints it, as an exact SymPy Rational
    (``0.1`` becomes ``1/10``, not the nearest float)."""
    return sympy().Rational(str(value))


def sym_sigmoid(z: Any) -> Any:
    """``1 / (1 + exp(-z))`` as a SymPy expression."""
    sp = sympy()
    return 1 / (1 + sp.exp(-z))


def to_float(expr: Any) -> float:
    """A SymPy number as a float: exact Rationals directly, others via ``evalf(30)``."""
    sp = sympy()
    expr = sp.sympify(expr)
    if expr.is_Rational:
        return float(Fraction(int(expr.p), int(expr.q)))
    return float(expr.evalf(DIGITS))


def sym_batch_neuron(
    X: Sequence[Sequence[float]], Y: Sequence[float], W: Sequence[Any], b: Any
) -> dict[str, Any]:
    """The batch cost of one sigmoid neuron, built from symbols and differentiated.

    Parameters
    ----------
    X : n_in rows of m numbers
    Y : m labels
    W : n_in values (numbers or SymPy expressions)
    b : value

    Returns
    -------
    dict
        ``"cost"``, ``"dW"`` (list), ``"db"``, ``"y_hat"`` (list), ``"z"`` (list),
        ``"losses"`` (list), every entry a SymPy number (exact where possible).
    """
    sp = sympy()
    n_in, m = len(X), len(Y)
    ws = sp.symbols(f"w1:{n_in + 1}")
    bs = sp.Symbol("b")
    zs = [sum(ws[i] * exact(X[i][j]) for i in range(n_in)) + bs for j in range(m)]
    y_hats = [sym_sigmoid(z) for z in zs]
    losses = [sp.Rational(1, 2) * (exact(Y[j]) - y_hats[j]) ** 2 for j in range(m)]
    cost = sum(losses) / m
    values = {w: v for w, v in zip(ws, W, strict=True)}
    values[bs] = b

    def at(expr: Any) -> Any:
        result = expr.subs(values)
        return sp.nsimplify(result) if result.is_Rational else result

    return {
        "z": [at(z) for z in zs],
        "y_hat": [at(y) for y in y_hats],
        "losses": [at(loss) for loss in losses],
        "cost": at(cost),
        "dW": [at(sp.diff(cost, w)) for w in ws],
        "db": at(sp.diff(cost, bs)),
    }


def sym_descent(
    X: Sequence[Sequence[float]],
    Y: Sequence[float],
    W: Sequence[float],
    b: float,
    learning_rate: float = 1.0,
    steps: int = 0,
) -> dict[str, Any]:
    """:func:`sym_batch_neuron` after ``steps`` full-batch gradient-descent updates.

    The parameters enter as the exact decimals they print as (:func:`exact`) and
    stay exact while every update is rational; an irrational one is evaluated to
    40 digits, ten more than the 30 the values are compared at.

    Parameters
    ----------
    X : n_in rows of m numbers
    Y : m labels
    W : n_in starting weights
    b : starting bias
    learning_rate : the step size of every update (the article's 1 by default)
    steps : number of updates (by default 0: the starting point)

    Returns
    -------
    dict
        :func:`sym_batch_neuron`'s entries at the parameters reached, plus ``"W"``
        (list) and ``"b"``: those parameters.
    """
    rate = exact(learning_rate)
    weights = [exact(w) for w in W]
    bias = exact(b)
    result = sym_batch_neuron(X, Y, weights, bias)
    for _ in range(steps):
        weights = [_settle(w - rate * g) for w, g in zip(weights, result["dW"], strict=True)]
        bias = _settle(bias - rate * result["db"])
        result = sym_batch_neuron(X, Y, weights, bias)
    result["W"], result["b"] = weights, bias
    return result


def _settle(value: Any) -> Any:
    """An updated parameter: kept if rational, else evaluated to 40 digits."""
    return value if value.is_Rational else value.evalf(40)


def sym_two_layer(
    X: FloatArray, Y: FloatArray, params: Sequence[FloatArray]
) -> tuple[Any, list[Any]]:
    """Cost and gradient of a 2-layer sigmoid network, from symbols and ``sympy.diff``.

    The float parameters enter as exact rationals (every float64 is one) and the
    results are evaluated to 30 digits.

    Parameters
    ----------
    X : ndarray of shape (n_in, m)
    Y : ndarray of shape (1, m)
    params : (W1, b1, W2, b2)
        Shapes (n_h, n_in), (n_h, 1), (1, n_h), (1, 1).

    Returns
    -------
    cost : SymPy number
    gradient : list of SymPy numbers
        ``dW1`` (row-major), ``db1``, ``dW2``, ``db2``.
    """
    sp = sympy()
    W1, b1, W2, b2 = params
    n_h, n_in = W1.shape
    w1 = sp.Matrix(n_h, n_in, lambda k, i: sp.Symbol(f"W1_{k}{i}"))
    c1 = sp.Matrix(n_h, 1, lambda k, _: sp.Symbol(f"b1_{k}"))
    w2 = sp.Matrix(1, n_h, lambda _, k: sp.Symbol(f"W2_{k}"))
    c2 = sp.Symbol("b2")
    # one example's loss with symbolic inputs, differentiated once, evaluated per example
    xs = sp.Matrix(n_in, 1, lambda i, _: sp.Symbol(f"x_{i}"))
    y = sp.Symbol("y")
    hidden = (w1 * xs + c1).applyfunc(sym_sigmoid)
    loss = sp.Rational(1, 2) * (y - sym_sigmoid((w2 * hidden)[0, 0] + c2)) ** 2
    symbols = [*w1, *c1, *w2, c2]
    values = [*W1.ravel(), *b1.ravel(), *W2.ravel(), *b2.ravel()]
    import mpmath  # type: ignore[import-untyped]  # SymPy's own dependency: 30-digit evaluation, much faster than evalf(subs)

    evaluate = sp.lambdify(
        [*symbols, *xs, y], [loss, *(sp.diff(loss, s) for s in symbols)], "mpmath", cse=True
    )
    m = X.shape[1]
    with mpmath.workdps(DIGITS):
        params = [mpmath.mpf(float(v)) for v in values]
        totals = [mpmath.mpf(0)] * (len(symbols) + 1)
        for j in range(m):
            inputs = [mpmath.mpf(float(v)) for v in X[:, j]]
            results = evaluate(*params, *inputs, mpmath.mpf(float(Y[0, j])))
            totals = [t + r / m for t, r in zip(totals, results, strict=True)]
        numbers = [sp.Float(t, DIGITS) for t in totals]
    return numbers[0], numbers[1:]


def fd_gradient(f: Callable[[FloatArray], float], x: Sequence[float]) -> FloatArray:
    """Central finite differences of ``f`` at ``x`` (float64, step ``nbn.FD_STEP``)."""
    point = np.array(x, dtype=np.float64)
    return numerical_gradient(f, point)


def fd_neuron_params(
    cost: Callable[[tuple[float, ...], float], float], W: Sequence[float], b: float
) -> tuple[float, ...]:
    """Central finite differences of ``cost(W, b)`` in every weight and in the bias.

    Parameters
    ----------
    cost : callable
        ``cost(W, b) -> float`` for a tuple of n_in weights and a bias.
    W : n_in weights
    b : bias

    Returns
    -------
    tuple of float
        ``(dW_1, ..., dW_n_in, db)``.
    """
    n_in = len(W)

    def at(params: FloatArray) -> float:
        return cost(tuple(float(w) for w in params[:n_in]), float(params[n_in]))

    return tuple(float(g) for g in fd_gradient(at, [*W, b]))


# -- reference implementations (no nbn layers) ---------------------------------


def _sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def reference_train_neuron(
    X: Sequence[Sequence[float]],
    Y: Sequence[float],
    W: Sequence[float],
    b: float,
    learning_rate: float,
    epochs: int,
) -> tuple[list[float], list[float], float]:
    """Full-batch gradient descent of one sigmoid neuron in pure Python floats.

    Written from the hand derivation, example by example: for each example
    ``z = w . x + b``, ``a = sigma(z)``, ``dz = -(y - a) a (1 - a) / m``; ``dW``
    sums ``dz * x`` and ``db`` sums ``dz``.

    Returns
    -------
    costs : list of float
        Cost before each epoch's update, then the cost after the last one.
    W : list of float
    b : float
    """
    w = [float(v) for v in W]
    bias = float(b)
    n_in, m = len(X), len(Y)
    columns = [[float(X[i][j]) for i in range(n_in)] for j in range(m)]
    labels = [float(y) for y in Y]
    costs: list[float] = []
    for epoch in range(epochs + 1):
        cost = 0.0
        dW = [0.0] * n_in
        db = 0.0
        for x, y in zip(columns, labels, strict=True):
            a = _sigma(sum(wi * xi for wi, xi in zip(w, x, strict=True)) + bias)
            cost += 0.5 * (y - a) ** 2 / m
            dz = -(y - a) * a * (1.0 - a) / m
            for i in range(n_in):
                dW[i] += dz * x[i]
            db += dz
        costs.append(cost)
        if epoch == epochs:
            break
        w = [wi - learning_rate * gi for wi, gi in zip(w, dW, strict=True)]
        bias -= learning_rate * db
    return costs, w, bias


def xavier_draws_48() -> tuple[FloatArray, FloatArray]:
    """The 2-3-1 network's initial weights as the article's notebook draws them:
    a legacy ``RandomState(48)``, ``randn(3, 2) / sqrt(2)`` then ``randn(1, 3) / sqrt(3)``."""
    state = np.random.RandomState(48)
    W1 = state.randn(3, 2) / np.sqrt(2)
    W2 = state.randn(1, 3) / np.sqrt(3)
    return W1, W2


def reference_train_2layer(
    X: FloatArray,
    Y: FloatArray,
    params: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    learning_rate: float,
    epochs: int,
) -> tuple[dict[int, float], tuple[FloatArray, ...], list[tuple[FloatArray, ...]]]:
    """Plain-NumPy gradient descent of a 2-layer sigmoid network (squared error).

    Returns
    -------
    printed : dict of int to float
        The cost every 100 epochs (before that epoch's update) and at ``epochs``
        (after the last update).
    final : tuple of ndarray
        ``(W1, b1, W2, b2)`` after training.
    gradients : list of tuple of ndarray
        ``(dW1, db1, dW2, db2)`` of the first epoch only.
    """
    W1, b1, W2, b2 = (p.copy() for p in params)
    m = X.shape[1]
    printed: dict[int, float] = {}
    gradients: list[tuple[FloatArray, ...]] = []
    for epoch in range(epochs + 1):
        A1 = 1.0 / (1.0 + np.exp(-(W1 @ X + b1)))
        A2 = 1.0 / (1.0 + np.exp(-(W2 @ A1 + b2)))
        if epoch % 100 == 0 or epoch == epochs:
            printed[epoch] = float(np.sum((Y - A2) ** 2)) / (2 * m)
        if epoch == epochs:
            break
        dZ2 = -(Y - A2) / m * A2 * (1 - A2)
        dW2, db2 = dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)
        dZ1 = (W2.T @ dZ2) * A1 * (1 - A1)
        dW1, db1 = dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True)
        if not gradients:
            gradients.append((dW1, db1, dW2, db2))
        W1, b1 = W1 - learning_rate * dW1, b1 - learning_rate * db1
        W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2
    return printed, (W1, b1, W2, b2), gradients


# -- the scalar graph engine -----------------------------------------------------


class GraphRun:
    """A graph built by one of ``nbn.graph.builders``, after ``backward()``.

    ``value(name)`` and ``grad(name)`` read a node's forward value and its
    gradient (``d output / d node``) as floats.
    """

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        graph.backward()

    def value(self, name: str) -> float:
        return payload_float(self.graph[name].data)

    def grad(self, name: str) -> float:
        return payload_float(self.graph[name].grad)

    @property
    def output(self) -> float:
        return payload_float(self.graph.output.data)


def payload_float(x: Any) -> float:
    """A graph payload (float, int, Fraction or SymPy number) as a float."""
    if isinstance(x, (Fraction, int, float)):
        return float(x)
    return to_float(x)


def _builders() -> ModuleType:
    from ..graph import builders

    return builders


def graph_or_neuron(x: Sequence[Any], y: Any, w: Sequence[Any], b: Any = None) -> GraphRun:
    """The article's OR neuron for one example, node by node.

    Payloads may be floats or ``Fraction`` (exact wherever the sigmoid's argument is 0).
    """
    return GraphRun(_builders().or_neuron(x[0], x[1], w[0], w[1], y, b=b))


def graph_batch(
    X: Sequence[Sequence[float]], Y: Sequence[float], W: Sequence[float], b: float
) -> GraphRun:
    """The batch cost of one sigmoid neuron as a scalar graph (float payloads).

    Nodes ``w1..wn``, ``b``, ``z(j)``, ``y_hat(j)`` (1-based ``j``) and ``cost``.
    """
    rows = [[float(v) for v in row] for row in X]
    return GraphRun(
        _builders().batch_or_cost(rows, [float(y) for y in Y], [float(w) for w in W], float(b))
    )


def graph_descent(
    run_at: Callable[[list[Any], Any], GraphRun],
    W: Sequence[Any],
    b: Any,
    learning_rate: float,
    steps: int,
) -> GraphRun:
    """A graph of the engine after ``steps`` gradient-descent updates of its
    parameters ``w1..wn`` and ``b``, each update using the engine's own gradients.

    The first graph gets ``W`` and ``b`` as given (``Fraction`` payloads stay exact
    where they can); the updated parameters are floats, since the sigmoid of a
    nonzero rational is irrational.

    Parameters
    ----------
    run_at : callable
        ``run_at(W, b) -> GraphRun``: the graph at these parameters, e.g.
        ``lambda W, b: graph_batch(X, Y, W, b)``.
    W : n weights
    b : bias
    learning_rate : the step size of every update
    steps : number of updates (0 for the starting point)
    """
    weights, bias = list(W), b
    run = run_at(weights, bias)
    for _ in range(steps):
        weights = [
            payload_float(w) - learning_rate * run.grad(f"w{i + 1}") for i, w in enumerate(weights)
        ]
        bias = payload_float(bias) - learning_rate * run.grad("b")
        run = run_at(weights, bias)
    return run


def graph_dense(
    X: FloatArray, Y: FloatArray, layers: Sequence[tuple[FloatArray, FloatArray]]
) -> GraphRun:
    """A fully connected sigmoid network over a batch as one scalar graph.

    Nodes ``W{l}[k,i]``, ``b{l}[k]``, ``Z{l}[k,j]``, ``A{l}[k,j]`` (1-based) and ``cost``.
    """
    return GraphRun(
        _builders().dense_network(
            X.tolist(), Y.tolist(), [(W.tolist(), b.ravel().tolist()) for W, b in layers]
        )
    )


def graph_2_3_1_cost_gradients(
    X: FloatArray, Y: FloatArray, params: tuple[FloatArray, FloatArray, FloatArray, FloatArray]
) -> tuple[float, list[float]]:
    """Cost and its gradient for the 2-3-1 network, from one per-example graph each.

    The article draws the network for one example; the cost is the average of the
    per-example losses, so its gradient is the average of theirs. Returns the cost
    and ``(dW1 (3 x 2, row-major), db1 (3), dW2 (3), db2)`` as 13 floats.
    """
    W1, b1, W2, b2 = params
    m = X.shape[1]
    names = (
        [f"W1[{k},{i}]" for k in (1, 2, 3) for i in (1, 2)]
        + [f"b1[{k}]" for k in (1, 2, 3)]
        + [f"W2[1,{k}]" for k in (1, 2, 3)]
        + ["b2"]
    )
    cost = 0.0
    grads = [0.0] * len(names)
    for j in range(m):
        run = GraphRun(
            _builders().network_2_3_1(
                X[:, j].tolist(),
                float(Y[0, j]),
                W1.tolist(),
                b1.ravel().tolist(),
                W2.ravel().tolist(),
                float(b2[0, 0]),
            )
        )
        cost += run.output / m
        grads = [g + run.grad(name) / m for g, name in zip(grads, names, strict=True)]
    return cost, grads
