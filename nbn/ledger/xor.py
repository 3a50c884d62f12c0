"""Claims about XOR for a single neuron (end of the section on dimension analysis):
it is not linearly separable, and a single sigmoid neuron cannot learn it."""

from __future__ import annotations

import numpy as np

from ..linear import LinearLayer
from ..sigmoid import SigmoidLayer
from .core import Claim, Oracle, ledger_cache
from .oracles import reference_train_neuron, sym_batch_neuron, sympy, to_float
from .runs import OR_B, OR_W, Training, train_neuron, xor_data

__all__ = ["CLAIMS"]

SECTION = "Is there an easier way of figuring this out, without the math?"
EPOCHS = 5000
#: Grid of (w1, w2, b) tried at once: 41 values each in [-5, 5].
GRID = np.linspace(-5.0, 5.0, 41)


def _best_grid_accuracy() -> float:
    """Best accuracy on XOR of any neuron on the grid, all 41^3 evaluated at once as
    the rows of one wide nbn.LinearLayer."""
    X, Y = xor_data()
    w1, w2, b = (g.ravel() for g in np.meshgrid(GRID, GRID, GRID, indexing="ij"))
    layer = LinearLayer(input_shape=X.shape, n_out=w1.size)
    layer.params["W"] = np.stack([w1, w2], axis=1)
    layer.params["b"] = b.reshape(-1, 1)
    activation = SigmoidLayer(layer.Z.shape)
    outputs = activation.forward(layer.forward(X))
    right = ((outputs >= 0.5) == (Y == 1)).sum(axis=1)
    return 100.0 * float(right.max()) / int(X.shape[1])


def _farkas_proof() -> float:
    """No line separates XOR, and three of four is possible: returns 75.

    Separating XOR needs  b < 0,  w2 + b > 0,  w1 + b > 0  and  w1 + w2 + b < 0.
    Write each as (expression) > 0 and add them: the sum is identically 0, yet a
    sum of positive numbers is positive. Contradiction, so at most 3 of 4 (and
    W = (1, 1), b = -0.5 gets 3).
    """
    sp = sympy()
    w1, w2, b = sp.symbols("w1 w2 b")
    positives = [-b, w2 + b, w1 + b, -(w1 + w2 + b)]
    if sp.expand(sum(positives)) != 0:
        raise AssertionError("the four inequalities do not sum to zero")
    X, Y = xor_data()
    z = [1 * int(X[0, j]) + 1 * int(X[1, j]) - sp.Rational(1, 2) for j in range(4)]
    right = sum((zj > 0) == (int(y) == 1) for zj, y in zip(z, Y[0], strict=True))
    if right != 3:
        raise AssertionError("the witness does not get three examples right")
    return 75.0


@ledger_cache
def _training() -> Training:
    X, Y = xor_data()
    return train_neuron(X, Y, OR_W, OR_B, 1.0, EPOCHS)


@ledger_cache
def _reference() -> tuple[list[float], list[float], float]:
    X, Y = xor_data()
    return reference_train_neuron(X.tolist(), Y[0].tolist(), OR_W, OR_B, 1.0, EPOCHS)


def _stationary_sympy() -> float:
    """At W = 0, b = 0 the XOR cost is 1/8 and every gradient is exactly 0."""
    X, Y = xor_data()
    result = sym_batch_neuron(X.tolist(), Y[0].tolist(), [0, 0], 0)
    if any(g != 0 for g in [*result["dW"], result["db"]]):
        raise AssertionError(f"not a stationary point: {result['dW']}, {result['db']}")
    return to_float(result["cost"])


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="xor-not-linearly-separable",
        section=SECTION,
        statement="No straight line separates XOR: a single neuron's best accuracy on it is "
        "75% (3 of 4), never 100%.",
        article_value=None,
        decimals=None,
        inputs="XOR data; every (w1, w2, b) on a 41^3 grid over [-5, 5] at once; a "
        "Farkas-style proof for all real (w1, w2, b)",
        compute=_best_grid_accuracy,
        oracles=(Oracle("proof", _farkas_proof, 0.0),),
        tolerance=1e-12,
        holds=lambda accuracy: accuracy < 100.0,
    ),
    Claim(
        id="xor-single-neuron-stuck",
        section=SECTION,
        statement="Trained on XOR from the OR neuron's start (W = (0.1, 0.6), b = 0), the "
        "single neuron slides to W = 0, b = 0, where it predicts 0.5 for every input: its "
        "cost stalls at 1/8; from other starts it can stall elsewhere, so this holds for "
        "this start only.",
        article_value=None,
        decimals=None,
        inputs=f"XOR data, W = (0.1, 0.6), b = 0, learning rate 1, {EPOCHS} epochs; cost "
        "after the last update",
        compute=lambda: _training().costs[-1],
        oracles=(
            Oracle("sympy", _stationary_sympy, 1e-12),
            Oracle("reference", lambda: _reference()[0][-1], 1e-12),
        ),
        tolerance=1e-12,
    ),
)
