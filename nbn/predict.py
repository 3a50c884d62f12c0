"""``predict``: run a trained stack of (linear, activation) pairs and score it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import FloatArray, as_matrix, describe
from .activation import ActivationLayer
from .linear import LinearLayer

__all__ = ["predict"]


def predict(
    X: FloatArray,
    Y: FloatArray,
    Zs: Sequence[LinearLayer],
    As: Sequence[ActivationLayer],
    thresh: float = 0.5,
) -> tuple[FloatArray, FloatArray, float]:
    """Forward ``X`` through ``Zs[0], As[0], Zs[1], As[1], ...`` and threshold the output.

    This follows the helper of the article's notebooks.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
        The inputs, one column per example.
    Y : array_like of shape (1, m)
        Labels, 0 or 1.
    Zs : sequence of LinearLayer
        The network's linear layers, first to last.
    As : sequence of activation layers
        The activation layer that follows each linear layer: as many as ``Zs``.
    thresh : float, default 0.5
        Outputs ``>= thresh`` are predicted as 1.

    Returns
    -------
    predictions : ndarray of shape (1, m)
        0.0 or 1.0.
    probabilities : ndarray of shape (1, m)
        The last activation layer's output.
    accuracy : float
        Percentage of predictions equal to ``Y``.
    """
    if len(Zs) != len(As) or not Zs:
        raise ValueError(
            "Zs and As must be non-empty and of equal length, "
            f"got {len(Zs)} linear and {len(As)} activation layers"
        )
    if not 0.0 < thresh < 1.0:
        raise ValueError(f"thresh must be in (0, 1), got {describe(thresh)}")
    X = as_matrix(X, "X")
    Y = as_matrix(Y, "Y", cols=X.shape[1])
    out = X
    for linear, activation in zip(Zs, As, strict=True):
        out = activation.forward(linear.forward(out))
    probabilities = out
    if probabilities.shape != Y.shape:
        raise ValueError(
            f"Y must have the network's output shape {probabilities.shape}, got {Y.shape}"
        )
    predictions = (probabilities >= thresh).astype(np.float64)
    accuracy = float(np.mean(predictions == Y)) * 100.0
    return predictions, probabilities, accuracy
