"""A minimal, independent reference for the fidelity tests.

Plain NumPy written straight from the article's equations: no nbn import, no
classes, no validation. For every layer ``l``::

    Z[l] = W[l] . A[l-1] + b[l]          A[l] = 1 / (1 + exp(-Z[l]))
    Cost = 1/(2m) * sum((Y - A[L])^2)    dA[L] = -(Y - A[L]) / m
    dZ[l] = dA[l] * A[l] * (1 - A[l])    dW[l] = dZ[l] . A[l-1]^T
    db[l] = sum over examples of dZ[l]   dA[l-1] = W[l]^T . dZ[l]
    W[l] -= alpha * dW[l]                b[l] -= alpha * db[l]

Initial weights are drawn as the article's notebooks draw them: NumPy's global
generator seeded once, one ``randn(n_out, n_in)`` per layer in order (biases
are zeros and draw nothing), scaled by 0.01 ("plain") or divided by
``sqrt(n_in)`` ("xavier").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def reference_costs(
    X: NDArray[np.generic],
    Y: NDArray[np.generic],
    layer_sizes: list[int],
    ini_type: str,
    seed: int,
    learning_rate: float,
    epochs: int,
    record_every: int = 100,
) -> tuple[list[float], Array]:
    """Train a sigmoid network with full-batch gradient descent.

    Returns the cost recorded every ``record_every`` epochs (before that epoch's
    update) and the final output probabilities, shape (1, m).
    """
    A0 = np.asarray(X, dtype=np.float64)
    Yf = np.asarray(Y, dtype=np.float64)
    m = A0.shape[1]
    np.random.seed(seed)
    Ws: list[Array] = []
    bs: list[Array] = []
    n_prev = A0.shape[0]
    for n in layer_sizes:
        draws = np.random.randn(n, n_prev)
        Ws.append(draws * 0.01 if ini_type == "plain" else draws / np.sqrt(n_prev))
        bs.append(np.zeros((n, 1)))
        n_prev = n
    costs: list[float] = []
    for epoch in range(epochs):
        activations = [A0]
        for W, b in zip(Ws, bs, strict=True):
            activations.append(1.0 / (1.0 + np.exp(-(W @ activations[-1] + b))))
        out = activations[-1]
        if epoch % record_every == 0:
            costs.append(float(np.sum((Yf - out) ** 2) / (2 * m)))
        dA = -(Yf - out) / m
        for layer in reversed(range(len(Ws))):
            A = activations[layer + 1]
            dZ = dA * A * (1.0 - A)
            dW = dZ @ activations[layer].T
            db = np.sum(dZ, axis=1, keepdims=True)
            dA = Ws[layer].T @ dZ
            Ws[layer] = Ws[layer] - learning_rate * dW
            bs[layer] = bs[layer] - learning_rate * db
    final = A0
    for W, b in zip(Ws, bs, strict=True):
        final = 1.0 / (1.0 + np.exp(-(W @ final + b)))
    return costs, final
