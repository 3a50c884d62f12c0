"""Cost functions. Each returns ``(cost, dY_hat)``: the average loss over the
``m`` examples as a Python float, and its gradient with respect to ``Y_hat``.

Because the cost averages the per-example losses, ``dY_hat`` carries a factor
``1/m``; the layers below only ever sum over examples.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import FloatArray, as_matrix, check_finite, describe

__all__ = ["BCE_EPSILON", "binary_cross_entropy", "compute_cost"]

#: Probabilities are clipped to ``[BCE_EPSILON, 1 - BCE_EPSILON]`` before ``log``.
BCE_EPSILON = 1e-12


def _labels_and_predictions(Y: FloatArray, Y_hat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Check ``Y`` and ``Y_hat``: float64 matrices of one shape, ``m >= 1``.

    Finiteness is checked by the caller, through the cost it sums anyway.
    """
    Y = as_matrix(Y, "Y", finite=False)
    Y_hat = as_matrix(Y_hat, "Y_hat", finite=False)
    if Y.shape != Y_hat.shape:
        raise ValueError(
            f"Y and Y_hat must have the same shape, got Y {Y.shape} and Y_hat {Y_hat.shape}"
        )
    return Y, Y_hat


def _finite_cost(cost: float, Y: FloatArray, Y_hat: FloatArray) -> float:
    """Return ``cost`` if finite; otherwise name the argument that holds NaN or inf.

    A NaN or infinity in ``Y`` or ``Y_hat`` always makes the summed cost non-finite,
    so checking the one number we computed anyway is enough on the common path.
    """
    if not math.isfinite(cost):
        check_finite(Y, "Y")
        check_finite(Y_hat, "Y_hat")
        raise FloatingPointError(f"the cost overflowed to {cost!r} although Y and Y_hat are finite")
    return cost


def compute_cost(Y: FloatArray, Y_hat: FloatArray) -> tuple[float, FloatArray]:
    """Squared-error cost, as in the article: ``Cost = 1/(2m) * sum((Y - Y_hat)^2)``.

    Parameters
    ----------
    Y : array_like of shape (n_out, m)
        Labels.
    Y_hat : array_like of shape (n_out, m)
        Predictions (activations of the output layer).

    Returns
    -------
    cost : float
        The mean over the ``m`` examples of half the squared error, summed over
        the ``n_out`` outputs: a plain Python float.
    dY_hat : ndarray of shape (n_out, m)
        ``dCost/dY_hat = -(Y - Y_hat) / m``: the gradient to pass to the output
        layer's ``backward``, the ``1/m`` already included.
    """
    Y, Y_hat = _labels_and_predictions(Y, Y_hat)
    m = Y.shape[1]
    error = Y_hat - Y  # (Y - Y_hat)^2 = (Y_hat - Y)^2, and the gradient needs Y_hat - Y
    cost = _finite_cost(float((error * error).sum()) / (2 * m), Y, Y_hat)
    # dCost/dY_hat = (1/2m) * 2 * (Y - Y_hat) * (-1) = (Y_hat - Y) / m
    return cost, error / m


def binary_cross_entropy(
    Y: FloatArray, Y_hat: FloatArray, eps: float = BCE_EPSILON
) -> tuple[float, FloatArray]:
    """Binary cross-entropy: ``Cost = -1/m * sum(Y log P + (1 - Y) log(1 - P))``.

    ``P`` is ``Y_hat`` clipped to ``[eps, 1 - eps]``, so that a saturated sigmoid
    (exactly 0 or 1 in float64) gives a large but finite cost and gradient instead
    of ``inf`` or ``NaN``. Inside the clip range the value and gradient are exact;
    outside it the gradient is the one at the clip boundary.

    Parameters
    ----------
    Y : array_like of shape (n_out, m)
        Labels in [0, 1].
    Y_hat : array_like of shape (n_out, m)
        Predicted probabilities in [0, 1].
    eps : float, default 1e-12
        Clipping distance from 0 and 1; must be in (0, 0.5).

    Returns
    -------
    cost : float
        The mean over the ``m`` examples of the cross-entropy, summed over the
        ``n_out`` outputs: a plain Python float.
    dY_hat : ndarray of shape (n_out, m)
        ``dCost/dY_hat = -(Y / P - (1 - Y) / (1 - P)) / m``.
    """
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0.0 < eps < 0.5:
        raise ValueError(f"eps must be a number in (0, 0.5), got {describe(eps)}")
    Y, Y_hat = _labels_and_predictions(Y, Y_hat)
    # Checked up front: inf * log(P) terms would meet as inf - inf before the sum.
    check_finite(Y, "Y")
    check_finite(Y_hat, "Y_hat")
    if Y_hat.min() < 0.0 or Y_hat.max() > 1.0:
        raise ValueError(
            "Y_hat must hold probabilities in [0, 1], "
            f"got values from {float(Y_hat.min())!r} to {float(Y_hat.max())!r}"
        )
    m = Y.shape[1]
    P = np.clip(Y_hat, eps, 1.0 - eps)
    cost = -float(np.sum(Y * np.log(P) + (1.0 - Y) * np.log1p(-P))) / m
    # dCost/dP = -(Y / P - (1 - Y) / (1 - P)) / m
    return cost, -(Y / P - (1.0 - Y) / (1.0 - P)) / m
