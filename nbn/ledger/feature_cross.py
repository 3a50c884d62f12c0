"""Claims of the section "Feature Engineering": the feature cross x3 = x1 x2 makes
XOR learnable by one neuron, with a curved decision boundary."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..linear import LinearLayer
from ..predict import predict
from ..sigmoid import SigmoidLayer
from .core import Claim, Oracle, ledger_cache
from .oracles import (
    GraphRun,
    exact,
    fd_gradient,
    graph_batch,
    reference_train_neuron,
    sym_batch_neuron,
    sympy,
    to_float,
)
from .runs import (
    OR_B,
    Pass,
    Training,
    neuron_pass,
    train_neuron,
    xor_cross_data,
    xor_data,
)

__all__ = ["CLAIMS", "CROSS_W"]

SECTION = "Feature Engineering"
SYMPY_TOL = 1e-12
FD_TOL = 1e-6
TRAIN_TOL = 1e-9

#: The article's weights with the feature cross's weight 0.2 appended.
CROSS_W: tuple[float, float, float] = (0.1, 0.6, 0.2)
RATE = 1.0
EPOCHS = 5000
_INPUTS = "XOR data with x3 = x1 x2 as a third row, W = (0.1, 0.6, 0.2), b = 0, learning rate 1"


def _data() -> tuple[list[list[float]], list[float]]:
    X, Y = xor_cross_data()
    return X.astype(float).tolist(), Y[0].astype(float).tolist()


def _centred_products() -> tuple[float, ...]:
    """(2 x1 - 1)(2 x2 - 1) for the four XOR points moved to the four quadrants."""
    X, _ = xor_data()
    return tuple(float(v) for v in (2 * X[0] - 1) * (2 * X[1] - 1))


def _centred_products_sympy() -> tuple[float, ...]:
    """1 - 2 y: positive (+1) where XOR is 0, negative (-1) where it is 1."""
    sp = sympy()
    x1, x2 = sp.symbols("x1 x2")
    X, Y = xor_data()
    product = (2 * x1 - 1) * (2 * x2 - 1)
    values = []
    for j in range(4):
        value = product.subs({x1: int(X[0, j]), x2: int(X[1, j])})
        if value != 1 - 2 * int(Y[0, j]):
            raise AssertionError("the sign pattern does not follow the labels")
        values.append(float(value))
    return tuple(values)


def _cross_row_sympy() -> tuple[float, ...]:
    sp = sympy()
    x1, x2 = sp.symbols("x1 x2")
    X, _ = xor_data()
    return tuple(float((x1 * x2).subs({x1: int(a), x2: int(b)})) for a, b in X.T)


#: A plane that separates XOR once x3 is added: x1 + x2 - 2 x3 - 0.5 = 0.
WITNESS = ((1.0, 1.0, -2.0), -0.5)


def _witness_library() -> float:
    X, Y = xor_cross_data()
    layer = LinearLayer(input_shape=X.shape, n_out=1)
    layer.params["W"] = np.array([WITNESS[0]])
    layer.params["b"] = np.array([[WITNESS[1]]])
    return predict(X, Y, [layer], [SigmoidLayer(layer.Z.shape)])[2]


def _witness_sympy() -> float:
    """x1 + x2 - 2 x1 x2 equals XOR on {0, 1}^2, so the plane at 1/2 separates it."""
    sp = sympy()
    x1, x2 = sp.symbols("x1 x2")
    X, Y = xor_data()
    linear = x1 + x2 - 2 * x1 * x2
    right = sum(linear.subs({x1: int(X[0, j]), x2: int(X[1, j])}) == int(Y[0, j]) for j in range(4))
    return 100.0 * int(right) / 4


@ledger_cache
def _pass(iteration: int) -> Pass:
    X, Y = xor_cross_data()
    run = train_neuron(X, Y, CROSS_W, OR_B, RATE, iteration)
    return neuron_pass(X, Y, run.W, run.b)


@ledger_cache
def _training() -> Training:
    X, Y = xor_cross_data()
    return train_neuron(X, Y, CROSS_W, OR_B, RATE, EPOCHS)


@ledger_cache
def _sym() -> dict[str, Any]:
    X, Y = _data()
    first = sym_batch_neuron(X, Y, [exact(w) for w in CROSS_W], 0)
    first["W1"] = [to_float(exact(w) - RATE * g) for w, g in zip(CROSS_W, first["dW"], strict=True)]
    first["b1"] = to_float(-RATE * first["db"])
    return first


def _updated() -> tuple[float, ...]:
    X, Y = xor_cross_data()
    run = train_neuron(X, Y, CROSS_W, OR_B, RATE, 1)
    return (*run.W, run.b)


@ledger_cache
def _graph() -> GraphRun:
    X, Y = _data()
    return graph_batch(X, Y, CROSS_W, OR_B)


def _fd() -> tuple[float, ...]:
    X, Y = xor_cross_data()

    def cost(params: np.ndarray) -> float:
        return neuron_pass(X, Y, tuple(params[:3]), float(params[3])).cost

    return tuple(fd_gradient(cost, [*CROSS_W, OR_B]))


@ledger_cache
def _reference() -> tuple[list[float], list[float], float]:
    X, Y = _data()
    return reference_train_neuron(X, Y, CROSS_W, OR_B, RATE, EPOCHS)


def _reference_accuracy() -> float:
    X, Y = _data()
    _, W, b = _reference()
    right = 0
    for j, y in enumerate(Y):
        z = sum(W[i] * X[i][j] for i in range(3)) + b
        right += (z >= 0) == (y == 1)
    return 100.0 * right / len(Y)


#: Vertical lines x1 = const on which the boundary's x2 is found.
BOUNDARY_X1 = (-1.0, 0.0, 1.0, 2.0)


def _boundary_library() -> tuple[float, ...]:
    """Where nbn's trained z crosses 0 on each line x1 = c (z is linear in x2 there)."""
    run = _training()
    layer = LinearLayer(input_shape=(3, 2), n_out=1)
    layer.params["W"] = np.array([run.W])
    layer.params["b"] = np.array([[run.b]])
    crossings = []
    for x1 in BOUNDARY_X1:
        points = np.array([[x1, x1], [0.0, 1.0], [0.0, x1]])  # (x1, x2, x1 x2) at x2 = 0, 1
        z0, z1 = layer.forward(points)[0]
        crossings.append(-z0 / (z1 - z0))
    return tuple(crossings)


def _boundary_sympy() -> tuple[float, ...]:
    """Solve w1 x1 + w2 x2 + w3 x1 x2 + b = 0 for x2 with the reference's trained weights;
    B^2 - 4AC = w3^2 > 0, so the zero set is a hyperbola."""
    sp = sympy()
    x1, x2, w1, w2, w3, b = sp.symbols("x1 x2 w1 w2 w3 b")
    z = w1 * x1 + w2 * x2 + w3 * x1 * x2 + b
    (solution,) = sp.solve(z, x2)
    if sp.simplify(solution + (b + w1 * x1) / (w2 + w3 * x1)) != 0:
        raise AssertionError(f"unexpected boundary {solution}")
    _, W, bias = _reference()
    if W[2] == 0:
        raise AssertionError("w3 = 0: the boundary would be a line")
    values = {w1: W[0], w2: W[1], w3: W[2], b: bias}
    return tuple(to_float(solution.subs(values).subs(x1, exact(c))) for c in BOUNDARY_X1)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="xor-quadrant-pattern",
        section=SECTION,
        statement="Moved to the four quadrants, the XOR points show the pattern the article "
        "points out: the product of the coordinates is positive in quadrants 1 and 3 (label "
        "0) and negative in quadrants 2 and 4 (label 1).",
        article_value=None,
        decimals=None,
        inputs="XOR data, each coordinate mapped 0 -> -1, 1 -> +1",
        compute=_centred_products,
        oracles=(Oracle("sympy", _centred_products_sympy, 0.0),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="feature-cross-column",
        section=SECTION,
        statement="The feature cross x3 = x1 x2 is 1 only for the example (1, 1).",
        article_value=None,
        decimals=None,
        inputs="nbn.datasets.xor_cross_data(), third row",
        compute=lambda: tuple(float(v) for v in xor_cross_data()[0][2]),
        oracles=(Oracle("sympy", _cross_row_sympy, 0.0),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="feature-cross-separable",
        section=SECTION,
        statement="With x3 added XOR becomes linearly separable: the plane "
        "x1 + x2 - 2 x3 = 0.5 separates it, because x1 + x2 - 2 x1 x2 is XOR on {0, 1}.",
        article_value=None,
        decimals=None,
        inputs="XOR with x3; one neuron with W = (1, 1, -2), b = -0.5; accuracy in percent",
        compute=_witness_library,
        oracles=(Oracle("sympy", _witness_sympy, 0.0),),
        tolerance=SYMPY_TOL,
        holds=lambda accuracy: accuracy == 100.0,
    ),
    Claim(
        id="feature-cross-first-forward",
        section=SECTION,
        statement="First training iteration, forward pass: the four predictions and the cost "
        "computed by nbn from the article's starting weights.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=lambda: (*_pass(0).A.ravel(), _pass(0).cost),
        oracles=(
            Oracle(
                "sympy",
                lambda: (*(to_float(v) for v in _sym()["y_hat"]), to_float(_sym()["cost"])),
                SYMPY_TOL,
            ),
            Oracle(
                "graph-engine",
                lambda: (*(_graph().value(f"y_hat({j})") for j in range(1, 5)), _graph().output),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="feature-cross-first-gradients",
        section=SECTION,
        statement="First training iteration, backward pass: dCost/dW for the three weights "
        "and dCost/db.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=lambda: (*_pass(0).dW.ravel(), *_pass(0).db.ravel()),
        oracles=(
            Oracle(
                "sympy",
                lambda: (*(to_float(g) for g in _sym()["dW"]), to_float(_sym()["db"])),
                SYMPY_TOL,
            ),
            Oracle("finite-difference", _fd, FD_TOL),
            Oracle(
                "graph-engine",
                lambda: (*(_graph().grad(f"w{i}") for i in (1, 2, 3)), _graph().grad("b")),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="feature-cross-first-update",
        section=SECTION,
        statement="First training iteration, gradient-descent update: the new W and b.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=_updated,
        oracles=(Oracle("sympy", lambda: (*_sym()["W1"], _sym()["b1"]), SYMPY_TOL),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="feature-cross-learns-xor",
        section=SECTION,
        statement="After 5000 epochs the neuron with the feature cross classifies all four "
        "XOR examples right.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; {EPOCHS} epochs; accuracy in percent",
        compute=lambda: _training().accuracy,
        oracles=(Oracle("reference", _reference_accuracy, 0.0),),
        tolerance=SYMPY_TOL,
        holds=lambda accuracy: accuracy == 100.0,
    ),
    Claim(
        id="feature-cross-cost-5000",
        section=SECTION,
        statement="After 5000 epochs the cost with the feature cross is small and agrees with "
        "an independent implementation.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; {EPOCHS} epochs; cost after the last update",
        compute=lambda: _training().costs[-1],
        oracles=(
            Oracle("reference", lambda: _reference()[0][-1], TRAIN_TOL),
            Oracle(
                "graph-engine",
                lambda: graph_batch(*_data(), _reference()[1], _reference()[2]).output,
                TRAIN_TOL,
            ),
        ),
        tolerance=TRAIN_TOL,
    ),
    Claim(
        id="feature-cross-boundary-hyperbola",
        section=SECTION,
        statement="The Z node computes w1 x1 + w2 x2 + w3 x1 x2 + b, so the decision boundary "
        "z = 0 is the curve x2 = -(b + w1 x1) / (w2 + w3 x1), a hyperbola, not a line.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; {EPOCHS} epochs; x2 on the boundary at x1 = {BOUNDARY_X1}",
        compute=_boundary_library,
        oracles=(Oracle("sympy", _boundary_sympy, TRAIN_TOL),),
        tolerance=TRAIN_TOL,
        note="With the trained weights w1 = w2 and w3 < 0, the hyperbola's centre "
        "(-w2/w3, -w1/w3) lies near the middle of the unit square and the curve hugs its two "
        "asymptotes: a cross that cuts off the (0, 0) and (1, 1) corners.",
    ),
)
