"""Claims of the section "Changing Neural Network Architecture": the 2-3-1 sigmoid
network on XOR.

The article's Part I works this network through from starting weights shown in
its figures; its Part II trains it from ``np.random.seed(48)`` with "xavier"
weights. nbn starts both from the Part II weights: the first iteration's
gradients are computed from them (and checked three ways), and the final cost is
compared with the one the article prints.
"""

from __future__ import annotations

import numpy as np

from .._validate import FloatArray
from ..costs import compute_cost
from ..linear import LinearLayer
from ..sigmoid import SigmoidLayer
from .core import Claim, Oracle, ledger_cache
from .oracles import (
    fd_gradient,
    graph_2_3_1_cost_gradients,
    reference_train_2layer,
    sym_two_layer,
    to_float,
    xavier_draws_48,
)
from .runs import train_two_layer_article, xor_data

__all__ = ["CLAIMS", "reference_run"]

SECTION = "Changing Neural Network Architecture"
SYMPY_TOL = 1e-12
FD_TOL = 1e-6
TRAIN_TOL = 1e-9
EPOCHS = 5000
_INPUTS = (
    "XOR data; 2-3-1 sigmoid network; np.random.seed(48) and 'xavier' weights (standard "
    "normal / sqrt(n_in)), zero biases; squared-error cost; learning rate 1"
)

Params = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
#: Printed costs, final parameters, first gradients (see oracles.reference_train_2layer).
ReferenceRun = tuple[dict[int, float], tuple[FloatArray, ...], list[tuple[FloatArray, ...]]]


def _float_data() -> tuple[FloatArray, FloatArray]:
    X, Y = xor_data()
    return X.astype(np.float64), Y.astype(np.float64)


def _initial_reference() -> Params:
    """The starting weights drawn independently of nbn (legacy RandomState(48))."""
    W1, W2 = xavier_draws_48()
    return W1, np.zeros((3, 1)), W2, np.zeros((1, 1))


@ledger_cache
def reference_run() -> tuple[
    dict[int, float], tuple[FloatArray, ...], list[tuple[FloatArray, ...]]
]:
    """The plain-NumPy reference run from the same start, cached."""
    X, Y = _float_data()
    return reference_train_2layer(X, Y, _initial_reference(), 1.0, EPOCHS)


def _start() -> Params:
    """The initial weights, from a one-epoch run of the article's loop."""
    return train_two_layer_article(1).initial


def _first_gradients() -> tuple[float, ...]:
    return tuple(float(v) for g in train_two_layer_article(1).first_gradients for v in g.ravel())


def _sympy_gradients() -> tuple[float, ...]:
    X, Y = _float_data()
    _, gradient = sym_two_layer(X, Y, _start())
    return tuple(to_float(g) for g in gradient)


def _fd_gradients() -> tuple[float, ...]:
    X, Y = _float_data()
    shapes = [p.shape for p in _start()]

    def cost(flat: np.ndarray) -> float:
        parts, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            parts.append(flat[start : start + size].reshape(shape))
            start += size
        hidden = LinearLayer(input_shape=X.shape, n_out=3)
        hidden.params = {"W": parts[0], "b": parts[1]}
        out = LinearLayer(input_shape=(3, X.shape[1]), n_out=1)
        out.params = {"W": parts[2], "b": parts[3]}
        A1 = SigmoidLayer((3, X.shape[1])).forward(hidden.forward(X))
        A2 = SigmoidLayer((1, X.shape[1])).forward(out.forward(A1))
        return compute_cost(Y, A2)[0]

    flat = [float(v) for p in _start() for v in p.ravel()]
    return tuple(fd_gradient(cost, flat))


def _graph_gradients() -> tuple[float, ...]:
    X, Y = _float_data()
    _, grads = graph_2_3_1_cost_gradients(X, Y, _start())
    return tuple(grads)


def _graph_final_cost() -> float:
    X, Y = _float_data()
    W1, b1, W2, b2 = reference_run()[1]
    return graph_2_3_1_cost_gradients(X, Y, (W1, b1, W2, b2))[0]


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="hidden-first-gradients",
        section=SECTION,
        statement="One training iteration of the 2-3-1 network: the gradients of the cost "
        "with respect to all 13 weights and biases, starting from the Part II weights "
        "(np.random.seed(48), 'xavier').",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; order dW1 (3 x 2, row by row), db1, dW2, db2",
        compute=_first_gradients,
        oracles=(
            Oracle("sympy", _sympy_gradients, SYMPY_TOL),
            Oracle("finite-difference", _fd_gradients, FD_TOL),
            Oracle("graph-engine", _graph_gradients, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="hidden-cost-5000",
        section=SECTION,
        statement="After 5000 epochs the 2-3-1 network's cost has decreased steadily to "
        "about 0.0009.",
        article_value=0.0009,
        decimals=4,
        inputs=f"{_INPUTS}; {EPOCHS} epochs; cost after the last update",
        compute=lambda: train_two_layer_article().final_cost,
        oracles=(
            Oracle("reference", lambda: reference_run()[0][EPOCHS], TRAIN_TOL),
            Oracle("graph-engine", _graph_final_cost, TRAIN_TOL),
        ),
        tolerance=TRAIN_TOL,
    ),
)
