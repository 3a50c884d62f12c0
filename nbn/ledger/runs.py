"""The computations the claims make with nbn: one pass or a training run of the
article's networks, written with the article-compatible API (``LinearLayer``,
``SigmoidLayer``, ``compute_cost``) and called in the article's order.

These are the *library* side of every claim; the oracles (``oracles.py``) never
use them. Training runs are cached per process (see :func:`core.clear_cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import datasets
from .._validate import FloatArray
from ..costs import compute_cost
from ..linear import LinearLayer
from ..predict import predict
from ..sigmoid import SigmoidLayer
from .core import ledger_cache

__all__ = [
    "OR_B",
    "OR_W",
    "Pass",
    "Training",
    "TwoLayerRun",
    "neuron_pass",
    "or_data",
    "train_neuron",
    "train_two_layer_article",
    "xor_cross_data",
    "xor_data",
]


def or_data() -> tuple[FloatArray, FloatArray]:
    """The OR gate as float64: X of shape (2, 4), Y of shape (1, 4)."""
    X, Y = datasets.or_gate()
    return X.astype(np.float64), Y.astype(np.float64)


def xor_data() -> tuple[FloatArray, FloatArray]:
    """The XOR gate as float64: X of shape (2, 4), Y of shape (1, 4)."""
    X, Y = datasets.xor_gate()
    return X.astype(np.float64), Y.astype(np.float64)


def xor_cross_data() -> tuple[FloatArray, FloatArray]:
    """XOR with the feature cross x1 x2 as a third row, float64: X (3, 4), Y (1, 4)."""
    X, Y = datasets.xor_feature_cross()
    return X.astype(np.float64), Y.astype(np.float64)


#: The article's initial weights for the OR neuron.
OR_W: tuple[float, float] = (0.1, 0.6)
#: The article's initial bias.
OR_B: float = 0.0


@dataclass(frozen=True)
class Pass:
    """One forward and backward pass of a single sigmoid neuron over a batch.

    Attributes
    ----------
    Z, A : ndarray of shape (1, m)
    cost : float
    dA : ndarray of shape (1, m)
        dCost/dA from the cost.
    dZ : ndarray of shape (1, m)
    dW : ndarray of shape (1, n_in)
    db : ndarray of shape (1, 1)
    dA_prev : ndarray of shape (n_in, m)
    """

    Z: FloatArray
    A: FloatArray
    cost: float
    dA: FloatArray
    dZ: FloatArray
    dW: FloatArray
    db: FloatArray
    dA_prev: FloatArray


def _neuron(n_in: int, m: int, W: Sequence[float], b: float) -> tuple[LinearLayer, SigmoidLayer]:
    linear = LinearLayer(input_shape=(n_in, m), n_out=1)
    linear.params["W"] = np.array([list(W)], dtype=np.float64)
    linear.params["b"] = np.array([[b]], dtype=np.float64)
    return linear, SigmoidLayer(linear.Z.shape)


def neuron_pass(X: object, Y: object, W: Sequence[float], b: float) -> Pass:
    """Forward, cost and backward of ``sigmoid(W . X + b)`` with nbn's layers.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
    Y : array_like of shape (1, m)
    W : sequence of n_in floats
    b : float
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    linear, activation = _neuron(X.shape[0], X.shape[1], W, b)
    linear.forward(X)
    activation.forward(linear.Z)
    cost, dA = compute_cost(Y=Y, Y_hat=activation.A)
    dZ = activation.backward(dA)
    dA_prev = linear.backward(dZ)
    if linear.dW is None or linear.db is None:  # pragma: no cover - set by backward
        raise RuntimeError("LinearLayer.backward did not set dW and db")
    return Pass(
        Z=linear.Z.copy(),
        A=activation.A.copy(),
        cost=cost,
        dA=dA,
        dZ=dZ.copy(),
        dW=linear.dW.copy(),
        db=linear.db.copy(),
        dA_prev=dA_prev.copy(),
    )


@dataclass(frozen=True)
class Training:
    """A full-batch gradient-descent run of one sigmoid neuron.

    Attributes
    ----------
    costs : tuple of float
        ``costs[e]`` is the cost at the start of epoch ``e`` (before its update),
        for ``e = 0 .. epochs``; ``costs[epochs]`` is the cost after the last update.
    W : tuple of float
        The final weights.
    b : float
        The final bias.
    accuracy : float
        Percentage of examples classified right at the end (threshold 0.5).
    predictions : tuple of float
    """

    costs: tuple[float, ...]
    W: tuple[float, ...]
    b: float
    accuracy: float
    predictions: tuple[float, ...]


def train_neuron(
    X: object,
    Y: object,
    W: tuple[float, ...],
    b: float,
    learning_rate: float,
    epochs: int,
) -> Training:
    """Train ``sigmoid(W . X + b)`` on the squared-error cost with nbn (cached).

    ``X`` is an array of shape (n_in, m) and ``Y`` one of shape (1, m); they are
    turned into tuples here so that the run can be cached.
    """
    labels = tuple(float(v) for v in np.asarray(Y, dtype=np.float64).ravel())
    return _train_neuron(as_rows(X), labels, W, b, learning_rate, epochs)


@ledger_cache
def _train_neuron(
    X: tuple[tuple[float, ...], ...],
    Y: tuple[float, ...],
    W: tuple[float, ...],
    b: float,
    learning_rate: float,
    epochs: int,
) -> Training:
    """:func:`train_neuron` on hashable inputs: ``X`` as ``n_in`` row tuples, ``Y`` the labels."""
    X_arr = np.array(X, dtype=np.float64)
    Y_arr = np.array([Y], dtype=np.float64)
    linear, activation = _neuron(X_arr.shape[0], X_arr.shape[1], W, b)
    costs: list[float] = []
    for _ in range(epochs):
        linear.forward(X_arr)
        activation.forward(linear.Z)
        cost, dA = compute_cost(Y=Y_arr, Y_hat=activation.A)
        costs.append(cost)
        linear.backward(activation.backward(dA))
        linear.update_params(learning_rate=learning_rate)
    predictions, probabilities, accuracy = predict(X_arr, Y_arr, [linear], [activation])
    costs.append(compute_cost(Y_arr, probabilities)[0])
    return Training(
        costs=tuple(costs),
        W=tuple(float(w) for w in linear.params["W"].ravel()),
        b=float(linear.params["b"][0, 0]),
        accuracy=accuracy,
        predictions=tuple(float(p) for p in predictions.ravel()),
    )


def as_rows(X: object) -> tuple[tuple[float, ...], ...]:
    """An array of shape (n, m) as a tuple of ``n`` row tuples (hashable, for the cache)."""
    return tuple(tuple(float(v) for v in row) for row in np.asarray(X, dtype=np.float64))


@dataclass(frozen=True)
class TwoLayerRun:
    """The article's Part II run: 2-3-1 sigmoid network on XOR.

    Attributes
    ----------
    initial : tuple of ndarray
        ``(W1, b1, W2, b2)`` right after construction.
    first_gradients : tuple of ndarray
        ``(dW1, db1, dW2, db2)`` of the first epoch.
    printed : dict of int to float
        The costs the listing prints, every 100 epochs.
    final_cost : float
        The cost after the last update.
    predictions : ndarray of shape (1, 4)
    accuracy : float
    layers : tuple
        ``(Z1, A1, Z2, A2)``, the trained layers.
    """

    initial: tuple[FloatArray, FloatArray, FloatArray, FloatArray]
    first_gradients: tuple[FloatArray, FloatArray, FloatArray, FloatArray]
    printed: dict[int, float]
    final_cost: float
    predictions: FloatArray
    accuracy: float
    layers: tuple[LinearLayer, SigmoidLayer, LinearLayer, SigmoidLayer]


def _gradients(
    Z1: LinearLayer, Z2: LinearLayer
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    if Z1.dW is None or Z1.db is None or Z2.dW is None or Z2.db is None:  # pragma: no cover
        raise RuntimeError("LinearLayer.backward did not set dW and db")
    return Z1.dW.copy(), Z1.db.copy(), Z2.dW.copy(), Z2.db.copy()


@ledger_cache
def train_two_layer_article(epochs: int = 5000) -> TwoLayerRun:
    """Re-typed equivalent of the article's Part II training loop (Figs 91-92).

    XOR data, ``np.random.seed(48)``, hidden layer of 3 sigmoid units and one
    sigmoid output, ``"xavier"`` initialisation, learning rate 1. The global
    NumPy random state is restored afterwards.
    """
    X_train, Y_train = xor_data()
    learning_rate = 1
    saved = np.random.get_state()  # noqa: NPY002 - restored below
    try:
        np.random.seed(48)  # noqa: NPY002 - the article seeds the global generator
        Z1 = LinearLayer(input_shape=X_train.shape, n_out=3, ini_type="xavier")
        A1 = SigmoidLayer(Z1.Z.shape)
        Z2 = LinearLayer(input_shape=A1.A.shape, n_out=1, ini_type="xavier")
        A2 = SigmoidLayer(Z2.Z.shape)
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    initial = (
        Z1.params["W"].copy(),
        Z1.params["b"].copy(),
        Z2.params["W"].copy(),
        Z2.params["b"].copy(),
    )
    printed: dict[int, float] = {}
    first: tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None = None
    for epoch in range(epochs):
        Z1.forward(X_train)
        A1.forward(Z1.Z)
        Z2.forward(A1.A)
        A2.forward(Z2.Z)
        cost, dA2 = compute_cost(Y=Y_train, Y_hat=A2.A)
        if epoch % 100 == 0:
            printed[epoch] = cost
        # the article's order; each backward also returns what the next one needs
        dZ2 = A2.backward(dA2)
        dA1 = Z2.backward(dZ2)
        dZ1 = A1.backward(dA1)
        Z1.backward(dZ1)
        if first is None:
            first = _gradients(Z1, Z2)
        Z2.update_params(learning_rate=learning_rate)
        Z1.update_params(learning_rate=learning_rate)
    if first is None:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    predictions, probabilities, accuracy = predict(X_train, Y_train, [Z1, Z2], [A1, A2])
    final_cost = compute_cost(Y_train, probabilities)[0]
    return TwoLayerRun(
        initial=initial,
        first_gradients=first,
        printed=printed,
        final_cost=final_cost,
        predictions=predictions,
        accuracy=accuracy,
        layers=(Z1, A1, Z2, A2),
    )
