"""The engine against three independent oracles on the article's graphs and on
random small networks:

- the ``nbn`` layers (LinearLayer + activation layers + compute_cost), relative 1e-12;
- SymPy: ``sympy.diff`` of the same cost written directly in SymPy, relative 1e-12;
- central finite differences of the engine's forward pass, relative 1e-6;

and the article's printed numbers (rounded as the article rounds them).
Gradients that are exactly zero are compared with an absolute floor of 1e-15.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import examples

from nbn import (
    FD_RTOL,
    LinearLayer,
    ReLULayer,
    SigmoidLayer,
    TanhLayer,
    compute_cost,
    gradient_error,
    numerical_gradient,
)
from nbn.graph import batch_or_cost, bias_sum_example, network_2_3_1, or_neuron
from nbn.graph.builders import ACTIVATIONS, Graph, dense_network
from nbn.ledger import get_claim


def _article(claim_id: str) -> object:
    """The number the article prints, as recorded once in the ledger."""
    return get_claim(claim_id).article_value


REL = 1e-12
ZERO_FLOOR = 1e-15
#: Largest |Z| into a sigmoid or tanh in the random networks (see the test).
SATURATION = 4.0
OR_X = [[0, 0, 1, 1], [0, 1, 0, 1]]
OR_Y = [[0, 1, 1, 1]]
ACTIVATION_LAYERS = {"sigmoid": SigmoidLayer, "tanh": TanhLayer, "relu": ReLULayer}

Layers = list[tuple[list[list[float]], list[float]]]


def close(a: float, b: float, rel: float = REL) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=ZERO_FLOOR)


# -- the three oracles -------------------------------------------------------------
def library_run(
    X: Any, Y: Any, layers: Layers, acts: Sequence[str]
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]], list[np.ndarray]]:
    """Cost, (dW, db) per layer and Z per layer from the nbn layer library."""
    A = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(0)  # the initial weights are overwritten below
    stack = []
    zs = []
    for (W, b), act in zip(layers, acts, strict=True):
        linear = LinearLayer(A.shape, len(W), rng=rng)
        linear.params["W"] = np.array(W, dtype=np.float64)
        linear.params["b"] = np.array(b, dtype=np.float64).reshape(-1, 1)
        Z = linear.forward(A)
        activation = ACTIVATION_LAYERS[act](Z.shape)
        A = activation.forward(Z)
        stack.append((linear, activation))
        zs.append(Z)
    cost, dA = compute_cost(np.asarray(Y, dtype=np.float64), A)
    grads = []
    for linear, activation in reversed(stack):
        dA = linear.backward(activation.backward(dA))
        assert linear.dW is not None and linear.db is not None
        grads.append((linear.dW, linear.db))
    return cost, grads[::-1], zs


def sympy_gradient(
    cost: Callable[[dict[str, sp.Symbol]], sp.Expr], point: dict[str, float]
) -> dict[str, float]:
    """d cost / d name for every name of ``point``, by ``sympy.diff``, at ``point``.

    Floats enter as exact rationals (their binary value) and results are
    evaluated with 30 digits.
    """
    symbols = {name: sp.Symbol(name.replace("[", "_").replace(",", "_")) for name in point}
    expr = cost(symbols)
    subs = {symbols[name]: sp.Rational(value) for name, value in point.items()}
    return {name: float(sp.diff(expr, symbols[name]).xreplace(subs).evalf(30)) for name in point}


def sympy_sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


def finite_difference(
    build: Callable[[dict[str, float]], Graph], point: dict[str, float]
) -> dict[str, float]:
    """Central differences of the engine's forward output over the named inputs."""
    names = list(point)
    theta = np.array([point[n] for n in names], dtype=np.float64)

    def f(t: np.ndarray) -> float:
        return float(build(dict(zip(names, t.tolist(), strict=True))).output.data)

    return dict(zip(names, numerical_gradient(f, theta).tolist(), strict=True))


def assert_fd_agrees(engine: dict[str, float], fd: dict[str, float]) -> None:
    names = list(fd)
    error = gradient_error(np.array([engine[n] for n in names]), np.array([fd[n] for n in names]))
    assert error <= FD_RTOL, (error, engine, fd)


# -- the OR neuron, with and without bias --------------------------------------------
def or_cost_sympy(s: dict[str, sp.Symbol], x: Sequence[float], y: float) -> sp.Expr:
    z = s["w1"] * x[0] + s["w2"] * x[1] + s.get("b", 0)
    return (y - sympy_sigmoid(z)) ** 2 / 2


@pytest.mark.parametrize("with_bias", [False, True], ids=["no_bias", "bias"])
def test_or_neuron_matches_article_library_sympy_and_finite_differences(with_bias: bool) -> None:
    x, y = (0.0, 0.0), 0.0
    point = {"w1": 0.1, "w2": 0.6} | ({"b": 0.0} if with_bias else {})

    def build(p: dict[str, float]) -> Graph:
        return or_neuron(x[0], x[1], p["w1"], p["w2"], y, b=p.get("b"))

    g = build(point)
    grads = g.gradients()
    # article: z = 0, y_hat = 0.5, L = 0.125, dL/dw = 0 (x = 0), dL/db = 0.125
    assert (g["z"].data, g["y_hat"].data, g.output.data) == (0.0, 0.5, 0.125)
    assert (grads["w1"], grads["w2"]) == (0.0, 0.0)
    if with_bias:
        assert grads["b"] == 0.125
    # the library (its layer always has a bias; b = 0 leaves the forward pass unchanged)
    cost, [(dW, db)], _ = library_run([[x[0]], [x[1]]], [[y]], [([[0.1, 0.6]], [0.0])], ["sigmoid"])
    assert close(g.output.data, cost)
    assert close(grads["w1"], dW[0, 0]) and close(grads["w2"], dW[0, 1])
    if with_bias:
        assert close(grads["b"], db[0, 0])
    exact = sympy_gradient(lambda s: or_cost_sympy(s, x, y), point)
    assert all(close(grads[n], exact[n]) for n in point), (grads, exact)
    assert_fd_agrees(grads, finite_difference(build, point))


def test_bias_step_reproduces_the_articles_new_prediction_and_loss() -> None:
    # article: b = 0 - 1 x 0.125 = -0.125, then its rounded new y_hat and L (in the ledger)
    g = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)
    b_new = 0.0 - 1.0 * g.gradients()["b"]
    stepped = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=b_new)
    assert b_new == -0.125
    assert round(stepped["y_hat"].data, 3) == _article("bias-new-prediction")
    # L = 1/2 sigma(-0.125)^2 = 0.10988...: the article's 0.109 is truncated, not rounded
    loss = 0.5 * (1 / (1 + math.exp(0.125))) ** 2
    assert close(stepped.output.data, loss)
    assert math.floor(stepped.output.data * 1000) / 1000 == _article("bias-new-loss")


# -- the b-node sum example --------------------------------------------------------
def test_bias_sum_example_gradient_is_the_sum_over_both_paths() -> None:
    g = bias_sum_example(3.0, 2.0, 4.0)
    grads = g.gradients()
    # hand derivation: u = 5, v = 8; df/db = v * 1 + u * c = 8 + 20
    assert (g["u"].data, g["v"].data, g.output.data) == (5.0, 8.0, 40.0)
    assert grads["b"] == 28.0
    exact = sympy_gradient(
        lambda s: (s["a"] + s["b"]) * (s["b"] * s["c"]), {"a": 3, "b": 2, "c": 4}
    )
    assert (grads["a"], grads["b"], grads["c"]) == (exact["a"], exact["b"], exact["c"])


# -- the batch OR cost ---------------------------------------------------------------
def batch_point(W: Sequence[float], b: float) -> dict[str, float]:
    return {"w1": W[0], "w2": W[1], "b": b}


def build_batch(p: dict[str, float]) -> Graph:
    return batch_or_cost(OR_X, OR_Y, [p["w1"], p["w2"]], p["b"])


def batch_cost_sympy(s: dict[str, sp.Symbol]) -> sp.Expr:
    total = sum(
        (OR_Y[0][j] - sympy_sigmoid(s["w1"] * OR_X[0][j] + s["w2"] * OR_X[1][j] + s["b"])) ** 2
        for j in range(4)
    )
    return total / 8


def test_batch_or_cost_first_iteration_matches_library_sympy_and_finite_differences() -> None:
    point = batch_point([0.1, 0.6], 0.0)
    g = build_batch(point)
    grads = g.gradients()
    assert round(g.output.data, 3) == _article("batch-or-cost")
    cost, [(dW, db)], _ = library_run(OR_X, OR_Y, [([[0.1, 0.6]], [0.0])], ["sigmoid"])
    assert close(g.output.data, cost)
    library = {"w1": dW[0, 0], "w2": dW[0, 1], "b": db[0, 0]}
    assert all(close(grads[n], library[n]) for n in point), (grads, library)
    exact = sympy_gradient(batch_cost_sympy, point)
    assert all(close(grads[n], exact[n]) for n in point), (grads, exact)
    assert_fd_agrees(grads, finite_difference(build_batch, point))


def test_batch_or_second_iteration_matches_the_articles_rounded_numbers() -> None:
    # article: after one step with alpha = 1, its rounded cost and gradients (in the ledger)
    first = build_batch(batch_point([0.1, 0.6], 0.0)).gradients()
    point = {n: v - 1.0 * first[n] for n, v in batch_point([0.1, 0.6], 0.0).items()}
    g = build_batch(point)
    grads = g.gradients()
    assert round(g.output.data, 3) == _article("batch-or-cost-after-update")
    assert tuple(round(grads[n], 3) for n in ("w1", "w2", "b")) == _article(
        "batch-or-second-gradients"
    )


def test_shared_bias_gradient_is_the_sum_of_the_four_examples_z_gradients() -> None:
    g = build_batch(batch_point([0.1, 0.6], 0.0))
    grads = g.gradients()
    # dz(j)/db = 1, so the shared b receives sum_j dCost/dz(j)
    assert close(grads["b"], math.fsum(grads[f"z({j})"] for j in range(1, 5)))


# -- the 2-3-1 network -----------------------------------------------------------------
def net_point(W1: Any, b1: Any, W2: Any, b2: float) -> dict[str, float]:
    p = {f"W1[{k + 1},{i + 1}]": W1[k][i] for k in range(3) for i in range(2)}
    p |= {f"b1[{k + 1}]": b1[k] for k in range(3)}
    p |= {f"W2[1,{k + 1}]": W2[k] for k in range(3)}
    return p | {"b2": b2}


def net_params(p: dict[str, float]) -> tuple[list[list[float]], list[float], list[float], float]:
    W1 = [[p[f"W1[{k},{i}]"] for i in (1, 2)] for k in (1, 2, 3)]
    return W1, [p[f"b1[{k}]"] for k in (1, 2, 3)], [p[f"W2[1,{k}]"] for k in (1, 2, 3)], p["b2"]


@pytest.mark.parametrize(("x", "y"), [((0.0, 1.0), 1.0), ((1.0, 1.0), 0.0)])
def test_network_2_3_1_matches_library_sympy_and_finite_differences(
    x: tuple[float, float], y: float
) -> None:
    rng = np.random.default_rng(231)
    W1, b1, W2 = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=3)
    point = net_point(W1.tolist(), b1.tolist(), W2.tolist(), float(rng.normal()))

    def build(p: dict[str, float]) -> Graph:
        return network_2_3_1(x, y, *net_params(p))

    g = build(point)
    grads = g.gradients()
    W1l, b1l, W2l, b2l = net_params(point)
    cost, [(dW1, db1), (dW2, db2)], _ = library_run(
        [[x[0]], [x[1]]], [[y]], [(W1l, b1l), ([W2l], [b2l])], ["sigmoid", "sigmoid"]
    )
    assert close(g.output.data, cost)
    library = net_point(dW1.tolist(), db1.ravel().tolist(), dW2.ravel().tolist(), db2[0, 0])
    assert all(close(grads[n], library[n]) for n in point), (grads, library)

    def cost_sympy(s: dict[str, sp.Symbol]) -> sp.Expr:
        a1 = [
            sympy_sigmoid(s[f"W1[{k},1]"] * x[0] + s[f"W1[{k},2]"] * x[1] + s[f"b1[{k}]"])
            for k in (1, 2, 3)
        ]
        z2 = sum(s[f"W2[1,{k}]"] * a1[k - 1] for k in (1, 2, 3)) + s["b2"]
        return (y - sympy_sigmoid(z2)) ** 2 / 2

    if y == 1.0:  # SymPy once (the slowest oracle); the library and FD on every case
        exact = sympy_gradient(cost_sympy, point)
        assert all(close(grads[n], exact[n]) for n in point), (grads, exact)
    assert_fd_agrees(grads, finite_difference(build, point))


# -- random small networks ----------------------------------------------------------------
values = st.floats(-1.5, 1.5, allow_nan=False, allow_infinity=False)


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[list[float]], list[list[float]], Layers, list[str]]:
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    m = draw(st.integers(1, 3))
    X = [[draw(values) for _ in range(m)] for _ in range(sizes[0])]
    Y = [[draw(st.floats(0.0, 1.0)) for _ in range(m)] for _ in range(sizes[-1])]
    layers = [
        (
            [[draw(values) for _ in range(n_in)] for _ in range(n_out)],
            [draw(values) for _ in range(n_out)],
        )
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    acts = [draw(st.sampled_from(ACTIVATIONS)) for _ in layers]
    return X, Y, layers, acts


@settings(max_examples=examples(40), deadline=None)
@given(networks())
def test_random_network_engine_matches_library(
    net: tuple[list[list[float]], list[list[float]], Layers, list[str]],
) -> None:
    X, Y, layers, acts = net
    cost, grads, zs = library_run(X, Y, layers, acts)
    for Z, act in zip(zs, acts, strict=True):
        if act == "relu":  # its derivative jumps at 0: both sides must see the same sign
            assume(np.all(np.abs(Z) > 1e-9))
        else:
            # s (1 - s) and 1 - t^2 cancel where the activation saturates: there a one-ulp
            # difference between math.exp/tanh and NumPy's grows to 1e-10 relative (|Z| = 8)
            assume(np.all(np.abs(Z) <= SATURATION))
    g = dense_network(X, Y, layers, acts)
    engine = g.gradients()
    assert close(g.output.data, cost)
    for layer, (dW, db) in enumerate(grads, 1):
        for (k, i), expected in np.ndenumerate(dW):
            assert close(engine[f"W{layer}[{k + 1},{i + 1}]"], expected)
        for (k, _), expected in np.ndenumerate(db):
            assert close(engine[f"b{layer}[{k + 1}]"], expected)
