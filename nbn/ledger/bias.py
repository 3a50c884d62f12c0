"""Claims of the section "Bias": why the first OR example needs a bias, its
gradient, one gradient-descent step and the new prediction and loss."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .._validate import FloatArray
from .core import Claim, Oracle, ledger_cache
from .oracles import (
    GraphRun,
    exact,
    fd_gradient,
    graph_or_neuron,
    reference_train_neuron,
    sym_batch_neuron,
    sympy,
    to_float,
)
from .runs import OR_B, OR_W, Pass, neuron_pass, or_data, train_neuron

__all__ = ["CLAIMS"]

BIAS = "Bias"
SYMPY_TOL = 1e-12
FD_TOL = 1e-6

#: Learning rate of the article's single bias step.
STEP_RATE = 1.0
_FIRST = (
    "OR example 1: x = (0, 0), y = 0; w = (0.1, 0.6), b = 0; one gradient-descent step "
    "with learning rate 1"
)


def _first_example() -> tuple[FloatArray, FloatArray]:
    X, Y = or_data()
    return X[:, :1], Y[:, :1]


@ledger_cache
def _before() -> Pass:
    X, Y = _first_example()
    return neuron_pass(X, Y, OR_W, OR_B)


@ledger_cache
def _after() -> Pass:
    """The pass after one step: the layer's own update, then a new forward pass."""
    from ..linear import LinearLayer
    from ..sigmoid import SigmoidLayer

    X, Y = _first_example()
    linear = LinearLayer(input_shape=X.shape, n_out=1)
    linear.params["W"] = np.array([OR_W])
    linear.params["b"] = np.array([[OR_B]])
    activation = SigmoidLayer(linear.Z.shape)
    from ..costs import compute_cost

    activation.forward(linear.forward(X))
    _, dA = compute_cost(Y, activation.A)
    linear.backward(activation.backward(dA))
    linear.update_params(learning_rate=STEP_RATE)
    W = tuple(float(w) for w in linear.params["W"].ravel())
    return neuron_pass(X, Y, W, float(linear.params["b"][0, 0]))


@ledger_cache
def _sym_before() -> dict[str, Any]:
    X, Y = _first_example()
    return sym_batch_neuron(X.tolist(), Y[0].tolist(), [exact(w) for w in OR_W], 0)


@ledger_cache
def _sym_after() -> dict[str, Any]:
    X, Y = _first_example()
    before = _sym_before()
    W = [exact(w) - STEP_RATE * g for w, g in zip(OR_W, before["dW"], strict=True)]
    b = 0 - sympy().Integer(int(STEP_RATE)) * before["db"]
    result = sym_batch_neuron(X.tolist(), Y[0].tolist(), W, b)
    result["b"] = b
    return result


def _graph_before() -> GraphRun:
    # exact: sigmoid(0) = 1/2 with Fraction payloads
    return graph_or_neuron(
        [Fraction(0), Fraction(0)], Fraction(0), (Fraction(1, 10), Fraction(3, 5)), Fraction(0)
    )


def _graph_after() -> GraphRun:
    before = _graph_before()
    b = float(Fraction(0) - Fraction(int(STEP_RATE)) * before.graph["b"].grad)
    w = [float(Fraction(1, 10)), float(Fraction(3, 5))]
    return graph_or_neuron([0.0, 0.0], 0.0, w, b)


def _fd_bias() -> float:
    X, Y = _first_example()

    def loss(b: np.ndarray) -> float:
        return neuron_pass(X, Y, OR_W, float(b[0])).cost

    return float(fd_gradient(loss, [OR_B])[0])


#: Weights tried to show that, without a bias, the loss at the origin cannot move.
NO_BIAS_WEIGHTS: tuple[tuple[float, float], ...] = ((0.1, 0.6), (-3.0, 5.0), (10.0, -10.0))


def _no_bias_library() -> tuple[float, ...]:
    X, Y = _first_example()
    return tuple(neuron_pass(X, Y, w, 0.0).cost for w in NO_BIAS_WEIGHTS)


def _no_bias_sympy() -> tuple[float, ...]:
    """The loss at x = (0, 0) as a function of symbolic w1, w2: it has no w in it."""
    sp = sympy()
    w1, w2 = sp.symbols("w1 w2")
    X, Y = _first_example()
    cost = sym_batch_neuron(X.tolist(), Y[0].tolist(), [w1, w2], 0)["cost"]
    if cost.free_symbols & {w1, w2}:
        raise AssertionError(f"the loss depends on the weights: {cost}")
    return tuple(to_float(cost) for _ in NO_BIAS_WEIGHTS)


def _no_bias_graph() -> tuple[float, ...]:
    return tuple(graph_or_neuron([0.0, 0.0], 0.0, w).output for w in NO_BIAS_WEIGHTS)


#: A nonzero initial bias, to show that starting from zero is a convention.
NONZERO_B = 0.5
TRAIN_EPOCHS = 5000


def _bias_start_library() -> tuple[float, float]:
    X, Y = or_data()
    runs = [train_neuron(X, Y, OR_W, b, 1.0, TRAIN_EPOCHS) for b in (OR_B, NONZERO_B)]
    return runs[0].accuracy, runs[1].accuracy


def _bias_start_reference() -> tuple[float, float]:
    X, Y = or_data()
    accuracies = []
    for b0 in (OR_B, NONZERO_B):
        _, w, b = reference_train_neuron(X.tolist(), Y[0].tolist(), OR_W, b0, 1.0, TRAIN_EPOCHS)
        right = sum(
            (w[0] * x1 + w[1] * x2 + b >= 0) == (y == 1)
            for x1, x2, y in zip(X[0], X[1], Y[0], strict=True)
        )
        accuracies.append(100.0 * right / X.shape[1])
    return accuracies[0], accuracies[1]


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="no-bias-stuck-at-origin",
        section=BIAS,
        statement="Without a bias the line passes through the origin: at x = (0, 0) the "
        "prediction is 0.5 and the loss 0.125 whatever the weights.",
        article_value=None,
        decimals=None,
        inputs=f"OR example 1: x = (0, 0), y = 0; no bias; weights {NO_BIAS_WEIGHTS}",
        compute=_no_bias_library,
        oracles=(
            Oracle("sympy", _no_bias_sympy, SYMPY_TOL),
            Oracle("graph-engine", _no_bias_graph, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="bias-forward-unchanged",
        section=BIAS,
        statement="Adding a bias node with b = 0 leaves the forward pass unchanged: "
        "y_hat = 0.5 and loss 0.125.",
        article_value=(0.5, 0.125),
        decimals=3,
        inputs=_FIRST,
        compute=lambda: (_before().A, _before().cost),
        oracles=(
            Oracle(
                "sympy",
                lambda: (to_float(_sym_before()["y_hat"][0]), to_float(_sym_before()["cost"])),
                SYMPY_TOL,
            ),
            Oracle(
                "graph-engine",
                lambda: (_graph_before().value("y_hat"), _graph_before().output),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="bias-gradient",
        section=BIAS,
        statement="The gradient of the loss with respect to the bias is +0.125 "
        "(= (y_hat - y) sigma'(0) = 0.5 x 0.25), although both weight gradients are zero.",
        article_value=0.125,
        decimals=3,
        inputs=_FIRST,
        compute=lambda: _before().db,
        oracles=(
            Oracle("sympy", lambda: to_float(_sym_before()["db"]), SYMPY_TOL),
            Oracle("finite-difference", _fd_bias, FD_TOL),
            Oracle("graph-engine", lambda: _graph_before().grad("b"), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="bias-step",
        section=BIAS,
        statement="One gradient-descent step with learning rate 1 moves the bias to "
        "b = 0 - 1 x 0.125 = -0.125.",
        article_value=-0.125,
        decimals=3,
        inputs=_FIRST,
        compute=lambda: _after().Z[0, 0],  # z = b at x = (0, 0)
        oracles=(
            Oracle("sympy", lambda: to_float(_sym_after()["b"]), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph_after().value("b"), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="bias-new-prediction",
        section=BIAS,
        statement="With b = -0.125 the prediction drops from 0.5 to sigma(-0.125), about 0.469.",
        article_value=0.469,
        decimals=3,
        inputs=_FIRST,
        compute=lambda: _after().A,
        oracles=(
            Oracle("sympy", lambda: to_float(_sym_after()["y_hat"][0]), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph_after().value("y_hat"), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="bias-new-loss",
        section=BIAS,
        statement="After the step the loss is down from 0.125 to 0.1099, which rounds to "
        "0.110 (the article prints 0.109).",
        article_value=0.109,
        decimals=3,
        inputs=_FIRST,
        compute=lambda: _after().cost,
        oracles=(
            Oracle("sympy", lambda: to_float(_sym_after()["cost"]), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph_after().output, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
        kind="truncated",
        erratum="The new loss is 1/2 sigma(-0.125)^2 = 0.10988, which rounds to 0.110 at "
        "three decimals; the article's 'around 0.109' truncates instead of rounding (every "
        "other number in this example is rounded). The drop from 0.125 is real either way.",
    ),
    Claim(
        id="bias-zero-start-is-a-convention",
        section=BIAS,
        statement="Starting the bias at zero is a convention, not a requirement: from "
        "b = 0.5 the OR neuron learns OR just as well (100% after 5000 epochs).",
        article_value="initial bias is always set to zero, rather than a random number",
        decimals=None,
        inputs="OR data, W = (0.1, 0.6), learning rate 1, 5000 epochs, from b = 0 and b = 0.5; "
        "accuracies in percent",
        compute=_bias_start_library,
        oracles=(Oracle("reference", _bias_start_reference, 0.0),),
        tolerance=SYMPY_TOL,
        holds=lambda accuracies: accuracies == (100.0, 100.0),
        kind="rule-of-thumb",
        erratum="The article says the initial bias is 'always' set to zero; its own FAQ "
        "later says biases can be initialised randomly too. Zero is the usual choice "
        "(random weights already break the symmetry), not a rule.",
    ),
)
