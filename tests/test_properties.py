"""Property tests: every layer's and cost's backward pass equals finite differences
(relative 1e-6) on random shapes and float64 data, and equals SymPy's derivative
(relative 1e-12) on small cases; the looped and vectorized batch gradients agree
(1e-12).

Each layer is checked through a scalar objective whose gradient the backward
pass must reproduce: for a layer ``out = layer(inp)`` and a fixed random
upstream gradient ``U``, ``f(inp) = sum(U * out)`` has ``df/dinp =
layer.backward(U)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from strategies import (
    LayerProblem,
    activation_inputs,
    binary_labels,
    examples,
    layer_problems,
    matrices,
    probabilities,
    shapes,
)

from nbn import (
    FD_RTOL,
    LinearLayer,
    ReLULayer,
    SigmoidLayer,
    TanhLayer,
    binary_cross_entropy,
    compute_cost,
    gradient_error,
    numerical_gradient,
)
from nbn.accumulate import accumulate_looped, gradients_vectorized
from nbn.activation import ActivationLayer

sp = pytest.importorskip("sympy")
mpmath = pytest.importorskip("mpmath")

Array = NDArray[np.float64]

#: Library vs SymPy, relative to the largest entry.
SYMPY_RTOL = 1e-12
#: Central differences carry a rounding error of about eps |f| / h ~ 2e-10 |f|
#: (h = 1e-6), so an entry much smaller than the objective itself cannot be
#: checked to a relative 1e-6: entries below FD_FLOOR |f| are compared absolutely,
#: to FD_RTOL * FD_FLOOR |f| = 1e-9 |f|. Every other entry is checked to 1e-6.
FD_FLOOR = 1e-3
FD_SETTINGS = settings(max_examples=examples(40), deadline=None)
SYMPY_SETTINGS = settings(max_examples=examples(10), deadline=None)


def _linear(problem: LayerProblem) -> LinearLayer:
    layer = LinearLayer(input_shape=(problem.n_in, problem.m), n_out=problem.n_out)
    layer.params["W"] = problem.W.copy()
    layer.params["b"] = problem.b.copy()
    return layer


def _fd_agrees(analytic: Array, f: Callable[[Array], float], at: Array) -> bool:
    """``analytic`` equals the central-difference gradient of ``f`` at ``at`` (see FD_FLOOR)."""
    numeric = numerical_gradient(f, at.copy())
    floor = FD_FLOOR * max(1.0, abs(f(at.copy())))
    return gradient_error(analytic, numeric, floor=floor) < FD_RTOL


def _close_to(analytic: Array, exact: Array, rtol: float = SYMPY_RTOL, atol: float = 0.0) -> bool:
    """``max|a - e| <= rtol * max|e| + atol`` (or both zero)."""
    scale = max(float(np.max(np.abs(exact))), float(np.max(np.abs(analytic))))
    error = float(np.max(np.abs(analytic - exact)))
    assert np.all(np.isfinite(analytic)), f"non-finite gradient {analytic!r}"
    return error <= rtol * scale + atol


#: Absolute slack where a batch sum cancels (e.g. db = mean((A - Y) A (1 - A)) with
#: labels 0 and 1 and A near 1/2): the result can be 1e-9 while its terms are about
#: 0.1, and float64 rounds each term by up to eps * 0.1 ~ 1e-17. With inputs, weights
#: and labels in [-1, 1] and at most 3 x 3 terms per entry, the rounding of the sum
#: stays below 1e-15; 1e-14 leaves room and still fails any real error in a gradient.
CANCELLATION_ATOL = 1e-14


# -- finite differences -------------------------------------------------------------------


@FD_SETTINGS
@given(problem=layer_problems())
def test_linear_layer_gradients_equal_finite_differences(problem: LayerProblem) -> None:
    layer = _linear(problem)
    layer.forward(problem.X)
    dA_prev = layer.backward(problem.upstream)
    assert layer.dW is not None and layer.db is not None

    def objective_of(name: str) -> Callable[[Array], float]:
        def f(value: Array) -> float:
            probe = _linear(problem)
            if name == "X":
                return float(np.sum(problem.upstream * probe.forward(value)))
            probe.params[name] = value
            return float(np.sum(problem.upstream * probe.forward(problem.X)))

        return f

    assert _fd_agrees(layer.dW, objective_of("W"), problem.W)
    assert _fd_agrees(layer.db, objective_of("b"), problem.b)
    assert _fd_agrees(dA_prev, objective_of("X"), problem.X)


ACTIVATIONS: dict[str, tuple[type[ActivationLayer], float]] = {
    # name: (layer, distance kept from 0 so finite differences do not straddle a kink)
    "sigmoid": (SigmoidLayer, 0.0),
    "tanh": (TanhLayer, 0.0),
    "relu": (ReLULayer, 1e-3),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@FD_SETTINGS
@given(data=st.data())
def test_activation_gradient_equals_finite_differences(name: str, data: st.DataObject) -> None:
    layer_type, away = ACTIVATIONS[name]
    n, _, m = data.draw(shapes())
    Z = data.draw(activation_inputs((n, m), away_from_zero=away))
    upstream = data.draw(matrices((n, m), -1.0, 1.0))
    layer = layer_type((n, m))
    layer.forward(Z)
    dZ = layer.backward(upstream)

    def f(z: Array) -> float:
        return float(np.sum(upstream * layer_type((n, m)).forward(z)))

    assert _fd_agrees(dZ, f, Z)


COSTS = {"compute_cost": compute_cost, "binary_cross_entropy": binary_cross_entropy}


@pytest.mark.parametrize("name", list(COSTS))
@FD_SETTINGS
@given(data=st.data())
def test_cost_gradient_equals_finite_differences(name: str, data: st.DataObject) -> None:
    cost = COSTS[name]
    _, n_out, m = data.draw(shapes())
    Y = data.draw(binary_labels((n_out, m)))
    Y_hat = data.draw(probabilities((n_out, m)))
    _, dY_hat = cost(Y, Y_hat)

    def f(y_hat: Array) -> float:
        return cost(Y, y_hat)[0]

    assert _fd_agrees(dY_hat, f, Y_hat)


@FD_SETTINGS
@given(problem=layer_problems())
def test_linear_sigmoid_cost_chain_equals_finite_differences(problem: LayerProblem) -> None:
    """The three pieces composed, as in every training step of the article."""

    def forward(W: Array, b: Array, X: Array) -> tuple[LinearLayer, SigmoidLayer, float, Array]:
        layer = _linear(problem)
        layer.params["W"], layer.params["b"] = W, b
        activation = SigmoidLayer((problem.n_out, problem.m))
        activation.forward(layer.forward(X))
        cost, dA = compute_cost(problem.Y, activation.A)
        return layer, activation, cost, dA

    layer, activation, _, dA = forward(problem.W, problem.b, problem.X)
    dX = layer.backward(activation.backward(dA))
    assert layer.dW is not None and layer.db is not None
    assert _fd_agrees(layer.dW, lambda w: forward(w, problem.b, problem.X)[2], problem.W)
    assert _fd_agrees(layer.db, lambda v: forward(problem.W, v, problem.X)[2], problem.b)
    assert _fd_agrees(dX, lambda x: forward(problem.W, problem.b, x)[2], problem.X)


# -- SymPy, on small cases -------------------------------------------------------------------


def _symbols(prefix: str, shape: tuple[int, ...]) -> Any:
    return sp.Matrix(shape[0], shape[1], lambda i, j: sp.Symbol(f"{prefix}_{i}_{j}"))


def _sympy_gradients(expr: Any, variables: list[tuple[Any, Array]]) -> list[Array]:
    """d expr / d each symbol matrix, at the given float values, to 30 digits.

    The derivatives are exact (``sympy.diff``); they are evaluated with mpmath at
    30 digits from the exact binary value of each float.
    """
    symbols = [s for matrix, _ in variables for s in matrix]
    values = [mpmath.mpf(float(v)) for _, array in variables for v in array.ravel()]
    derivatives = [sp.diff(expr, s) for s in symbols]
    evaluate = sp.lambdify(symbols, [expr, *derivatives], "mpmath", cse=True)
    with mpmath.workdps(30):
        numbers = [float(v) for v in evaluate(*values)]
    gradients, start = [], 1
    for _, array in variables:
        gradients.append(np.array(numbers[start : start + array.size]).reshape(array.shape))
        start += array.size
    return [np.array([numbers[0]]), *gradients]


SYMBOLIC_FUNCTIONS: dict[str, tuple[type[ActivationLayer], Callable[[object], object]]] = {
    "sigmoid": (SigmoidLayer, lambda z: 1 / (1 + sp.exp(-z))),
    "tanh": (TanhLayer, sp.tanh),
    "relu": (ReLULayer, lambda z: sp.Max(0, z)),
}


#: Small shapes (n_in, n_out, m) for the symbolic checks (each compiled once).
SYMBOLIC_SHAPES = ((1, 1, 1), (2, 1, 3), (2, 2, 2))


@functools.cache
def _chain_gradients(name: str, n_in: int, n_out: int, m: int) -> Callable[..., list[float]]:
    """SymPy's cost and exact gradients of Linear -> activation -> squared error, for one
    shape, compiled once (mpmath, 30 digits): ``f(W, b, X, Y) -> [cost, dW.., db.., dX..]``."""
    _, function = SYMBOLIC_FUNCTIONS[name]
    W, b, X, Y = (
        _symbols(p, shape)
        for p, shape in (
            ("W", (n_out, n_in)),
            ("b", (n_out, 1)),
            ("X", (n_in, m)),
            ("Y", (n_out, m)),
        )
    )
    A = (W * X + b * sp.ones(1, m)).applyfunc(function)
    cost = sum((Y[k] - A[k]) ** 2 for k in range(len(A))) / (2 * m)
    variables = [*W, *b, *X]
    evaluate = sp.lambdify(
        [*variables, *Y], [cost, *(sp.diff(cost, v) for v in variables)], "mpmath", cse=True
    )

    def gradients(*arrays: Array) -> list[float]:
        with mpmath.workdps(30):
            values = [mpmath.mpf(float(v)) for a in arrays for v in a.ravel()]
            return [float(v) for v in evaluate(*values)]

    return gradients


#: Found by Hypothesis (issue 18): labels 0 and 1, z = b = 1e-8 for both examples, so
#: db = ((A - 0) + (A - 1)) A (1 - A) / 2 = 6.25e-10 comes from cancelling terms of 0.125.
_CANCELLING_BATCH = LayerProblem(
    X=np.zeros((1, 2)),
    W=np.zeros((1, 1)),
    b=np.full((1, 1), 1e-8),
    upstream=np.ones((1, 2)),
    Y=np.array([[0.0, 1.0]]),
)


@pytest.mark.parametrize("name", list(SYMBOLIC_FUNCTIONS))
@SYMPY_SETTINGS
@given(problem=layer_problems(among=SYMBOLIC_SHAPES, data_bound=1.0, weight_bound=1.0))
@example(problem=_CANCELLING_BATCH)
def test_linear_activation_cost_equal_sympy(name: str, problem: LayerProblem) -> None:
    """Linear -> activation -> squared-error cost: dW, db and dA_prev equal SymPy's.

    Inputs and weights stay within [-1, 1], so |z| <= 3: the layers compute the
    derivative from the activation A (sigma' = A (1 - A), tanh' = 1 - A^2), which
    loses relative accuracy as A saturates (1 - A^2 cancels), and 1e-12 is only
    meaningful away from saturation. Finite differences cover the full range.
    """
    layer_type, _ = SYMBOLIC_FUNCTIONS[name]
    layer = _linear(problem)
    Z = layer.forward(problem.X)
    if name == "relu" and np.min(np.abs(Z)) < 1e-9:
        return  # the kink: the derivative is a convention there
    activation = layer_type((problem.n_out, problem.m))
    _, dA = compute_cost(problem.Y, activation.forward(Z))
    dX = layer.backward(activation.backward(dA))
    assert layer.dW is not None and layer.db is not None
    exact = _chain_gradients(name, problem.n_in, problem.n_out, problem.m)(
        problem.W, problem.b, problem.X, problem.Y
    )
    sizes = np.cumsum([1, problem.W.size, problem.b.size])
    pairs = (
        ("dW", layer.dW, np.reshape(exact[sizes[0] : sizes[1]], problem.W.shape)),
        ("db", layer.db, np.reshape(exact[sizes[1] : sizes[2]], problem.b.shape)),
        ("dX", dX, np.reshape(exact[sizes[2] :], problem.X.shape)),
    )
    for label, mine, theirs in pairs:
        assert _close_to(mine, theirs, atol=CANCELLATION_ATOL), (
            f"{label}: nbn {mine.tolist()!r}, SymPy {theirs.tolist()!r}"
        )


@SYMPY_SETTINGS
@given(data=st.data())
def test_binary_cross_entropy_gradient_equals_sympy(data: st.DataObject) -> None:
    _, n_out, m = data.draw(shapes(max_out=2, max_m=3))
    Y = data.draw(binary_labels((n_out, m)))
    Y_hat = data.draw(probabilities((n_out, m)))
    cost, dY_hat = binary_cross_entropy(Y, Y_hat)
    P = _symbols("P", Y_hat.shape)
    Ys = sp.Matrix(Y.tolist()).applyfunc(sp.Rational)
    expr = -sum(Ys[k] * sp.log(P[k]) + (1 - Ys[k]) * sp.log(1 - P[k]) for k in range(len(P))) / m
    exact_cost, exact_grad = _sympy_gradients(expr, [(P, Y_hat)])
    assert _close_to(np.array([cost]), exact_cost)
    assert _close_to(dY_hat, exact_grad)


# -- looped and vectorized accumulation --------------------------------------------------------


@FD_SETTINGS
@given(problem=layer_problems())
def test_looped_accumulation_equals_vectorized(problem: LayerProblem) -> None:
    """Delta accumulators over examples give the vectorized gradient, and nbn's layers'."""
    dW_loop, db_loop = accumulate_looped(problem.X, problem.Y, problem.W, problem.b)
    dW_vec, db_vec = gradients_vectorized(problem.X, problem.Y, problem.W, problem.b)
    layer = _linear(problem)
    activation = SigmoidLayer((problem.n_out, problem.m))
    _, dA = compute_cost(problem.Y, activation.forward(layer.forward(problem.X)))
    layer.backward(activation.backward(dA))
    assert layer.dW is not None and layer.db is not None
    for looped, vectorized in ((dW_loop, dW_vec), (db_loop, db_vec)):
        assert _close_to(looped, vectorized, 1e-12)
    assert _close_to(dW_loop, layer.dW, 1e-12)
    assert _close_to(db_loop, layer.db, 1e-12)
