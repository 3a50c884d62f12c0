"""Batch gradients two ways: a loop with accumulators, and one vectorized pass.

The article's batch OR section describes two ways to get the gradient of the
squared-error cost ``Cost = 1/(2m) * sum((Y - Y_hat)^2)`` over ``m`` examples:

1. **Looped** (:func:`accumulate_looped`): visit the examples one at a time,
   compute each example's gradient of its own loss ``L_i = 1/2 (y_i - y_hat_i)^2``
   (the small deltas, ``dW_i``, ``db_i``), add it to accumulators (the capital
   Deltas, ``Delta_W``, ``Delta_b``), and divide by ``m`` at the end.
2. **Vectorized** (:func:`gradients_vectorized`): one matrix product over all
   examples at once, ``dW = dZ . X^T`` and ``db = sum(dZ)``, where ``dZ`` already
   carries the cost's ``1/m``.

Both give the same numbers up to rounding; they differ only in speed. The looped
method does a constant amount of work per example, so its time grows linearly
with ``m`` (not quadratically, as the article says: see the errata); the
vectorized method is linear too, with a much smaller constant.

The ``_2layer`` variants do the same for the article's 2-layer network
(Linear -> Sigmoid -> Linear -> Sigmoid), backpropagating through the hidden
layer. All four functions are written with the layer equations directly (the
same equations as :class:`nbn.LinearLayer` and :class:`nbn.SigmoidLayer`, and
the same :func:`nbn.sigmoid`) rather than through layer objects, so that a
benchmark of them times the two methods and nothing else.

Inputs are validated once per call, as in the layers: shapes and the (small)
parameters up front; NaN or infinity in the data through the (small) gradients
computed anyway, so that only when those are not finite is the data scanned to
name the culprit.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import FloatArray, as_matrix, check_finite
from .sigmoid import sigmoid

__all__ = [
    "accumulate_looped",
    "accumulate_looped_2layer",
    "gradients_vectorized",
    "gradients_vectorized_2layer",
]

#: Up to this many entries, a Python loop over a gradient beats a NumPy reduction.
_SMALL = 64


def _check_inputs(
    X: object, Y: object, layers: list[tuple[str, object, str, object]]
) -> tuple[FloatArray, FloatArray, list[tuple[FloatArray, FloatArray]]]:
    """Validate ``X``, ``Y`` and a stack of ``(W, b)`` pairs; return float64 views.

    ``layers`` holds ``(W name, W, b name, b)`` from the input side up. The
    parameters are small, so they are checked for NaN and infinity here (an
    infinite weight can saturate a sigmoid and leave finite gradients behind);
    ``X`` and ``Y`` are checked later, through the gradients they always reach.
    """
    X = as_matrix(X, "X", finite=False)
    rows, below = X.shape[0], "X has"
    params: list[tuple[FloatArray, FloatArray]] = []
    for W_name, W_value, b_name, b_value in layers:
        W = as_matrix(W_value, W_name)
        if W.shape[1] != rows:
            raise ValueError(
                f"{W_name} must have {rows} columns because {below} {rows} rows, "
                f"got {W_name} of shape {W.shape}"
            )
        b = as_matrix(b_value, b_name)
        if b.shape != (W.shape[0], 1):
            raise ValueError(
                f"{b_name} must have shape {(W.shape[0], 1)} (one bias per row of {W_name}), "
                f"got shape {b.shape}"
            )
        params.append((W, b))
        rows, below = W.shape[0], f"{W_name} has"
    Y = as_matrix(Y, "Y", finite=False)
    if Y.shape != (rows, X.shape[1]):
        raise ValueError(
            f"Y must have shape {(rows, X.shape[1])} (one row per output neuron, "
            f"one column per example of X), got shape {Y.shape}"
        )
    return X, Y, params


def _all_finite(array: FloatArray) -> bool:
    """True if ``array`` holds no NaN or infinity (a Python loop is cheaper when small)."""
    if array.size <= _SMALL:
        return all(map(math.isfinite, array.ravel().tolist()))
    return bool(np.isfinite(array).all())


def _check_result(grads: tuple[FloatArray, ...], X: FloatArray, Y: FloatArray) -> None:
    """Raise a clear error if a gradient is not finite, naming the input at fault.

    A NaN or infinity in ``X`` reaches ``dW`` (through ``dZ . X^T``; ``0 * inf`` is
    NaN) and one in ``Y`` reaches ``db`` (through ``-(Y - A)``), so the common path
    checks only the small results and scans the data only when they are not finite.
    """
    if all(map(_all_finite, grads)):
        return
    check_finite(X, "X")
    check_finite(Y, "Y")
    raise FloatingPointError(
        "the gradient overflowed although every input is finite "
        "(are X or the weights extremely large?)"
    )


def accumulate_looped(
    X: FloatArray, Y: FloatArray, W: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Gradient of the squared-error cost of ``sigmoid(W . X + b)``, one example at a time.

    For each example ``i`` (column ``x_i`` of ``X``) this computes the gradient of
    that example's loss ``L_i = 1/2 (y_i - a_i)^2`` and adds it to the
    accumulators; the cost's gradient is their average.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
        Inputs, one column per example.
    Y : array_like of shape (n_out, m)
        Labels.
    W : array_like of shape (n_out, n_in)
        Weights.
    b : array_like of shape (n_out, 1)
        Bias.

    Returns
    -------
    dW : ndarray of shape (n_out, n_in)
        ``dCost/dW = (1/m) * sum_i dL_i/dW``.
    db : ndarray of shape (n_out, 1)
        ``dCost/db = (1/m) * sum_i dL_i/db``.

    Raises
    ------
    TypeError, ValueError
        An argument is not a 2-D array of numbers, shapes do not fit together,
        or an input holds NaN or infinity (the message names the argument).
    """
    X, Y, [(W, b)] = _check_inputs(X, Y, [("W", W, "b", b)])
    m = X.shape[1]
    # NaN or infinity in the data may meet a zero (0 * inf) on the way: stay
    # quiet here, and let _check_result name the argument at fault.
    with np.errstate(invalid="ignore", over="ignore"):
        Delta_W = np.zeros_like(W)
        Delta_b = np.zeros_like(b)
        for i in range(m):
            x = X[:, i : i + 1]  # (n_in, 1)
            y = Y[:, i : i + 1]  # (n_out, 1)
            a = sigmoid(W @ x + b)  # (n_out, 1)
            # dL/da = -(y - a); da/dz = a * (1 - a); so delta_z = -(y - a) * a * (1 - a)
            delta_z = -(y - a) * a * (1.0 - a)
            # dz/dW = x^T and dz/db = 1 for this example
            Delta_W += delta_z @ x.T
            Delta_b += delta_z
        dW, db = Delta_W / m, Delta_b / m
    _check_result((dW, db), X, Y)
    return dW, db


def gradients_vectorized(
    X: FloatArray, Y: FloatArray, W: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Gradient of the squared-error cost of ``sigmoid(W . X + b)``, all examples at once.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
        Inputs, one column per example.
    Y : array_like of shape (n_out, m)
        Labels.
    W : array_like of shape (n_out, n_in)
        Weights.
    b : array_like of shape (n_out, 1)
        Bias.

    Returns
    -------
    dW : ndarray of shape (n_out, n_in)
        ``dCost/dW = dZ . X^T``.
    db : ndarray of shape (n_out, 1)
        ``dCost/db = sum of dZ over the examples``.

    Raises
    ------
    TypeError, ValueError
        As :func:`accumulate_looped`.
    """
    X, Y, [(W, b)] = _check_inputs(X, Y, [("W", W, "b", b)])
    m = X.shape[1]
    # NaN or infinity in the data may meet a zero (0 * inf) on the way: stay
    # quiet here, and let _check_result name the argument at fault.
    with np.errstate(invalid="ignore", over="ignore"):
        A = sigmoid(W @ X + b)  # (n_out, m)
        # dCost/dA = -(Y - A) / m; dA/dZ = A * (1 - A)
        dZ = -(Y - A) / m * A * (1.0 - A)
        # W and b are shared by all m examples: their gradients sum over the columns
        dW = dZ @ X.T
        db = dZ.sum(axis=1, keepdims=True)
    _check_result((dW, db), X, Y)
    return dW, db


def accumulate_looped_2layer(
    X: FloatArray,
    Y: FloatArray,
    W1: FloatArray,
    b1: FloatArray,
    W2: FloatArray,
    b2: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Looped gradient for ``sigmoid(W2 . sigmoid(W1 . X + b1) + b2)`` and squared error.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
        Inputs, one column per example.
    Y : array_like of shape (n_out, m)
        Labels.
    W1 : array_like of shape (n_hidden, n_in)
        Hidden layer weights.
    b1 : array_like of shape (n_hidden, 1)
        Hidden layer bias.
    W2 : array_like of shape (n_out, n_hidden)
        Output layer weights.
    b2 : array_like of shape (n_out, 1)
        Output layer bias.

    Returns
    -------
    dW1 : ndarray of shape (n_hidden, n_in)
    db1 : ndarray of shape (n_hidden, 1)
    dW2 : ndarray of shape (n_out, n_hidden)
    db2 : ndarray of shape (n_out, 1)
        Each the average over the examples of that example's loss gradient.

    Raises
    ------
    TypeError, ValueError
        As :func:`accumulate_looped`.
    """
    X, Y, [(W1, b1), (W2, b2)] = _check_inputs(X, Y, [("W1", W1, "b1", b1), ("W2", W2, "b2", b2)])
    m = X.shape[1]
    # NaN or infinity in the data may meet a zero (0 * inf) on the way: stay
    # quiet here, and let _check_result name the argument at fault.
    with np.errstate(invalid="ignore", over="ignore"):
        Delta_W1, Delta_b1 = np.zeros_like(W1), np.zeros_like(b1)
        Delta_W2, Delta_b2 = np.zeros_like(W2), np.zeros_like(b2)
        for i in range(m):
            x = X[:, i : i + 1]  # (n_in, 1)
            y = Y[:, i : i + 1]  # (n_out, 1)
            a1 = sigmoid(W1 @ x + b1)  # (n_hidden, 1)
            a2 = sigmoid(W2 @ a1 + b2)  # (n_out, 1)
            # dL/da2 = -(y - a2); delta_z2 = dL/da2 * a2 * (1 - a2)
            delta_z2 = -(y - a2) * a2 * (1.0 - a2)
            Delta_W2 += delta_z2 @ a1.T
            Delta_b2 += delta_z2
            # dz2/da1 = W2, so dL/da1 = W2^T . delta_z2; delta_z1 = dL/da1 * a1 * (1 - a1)
            delta_z1 = (W2.T @ delta_z2) * a1 * (1.0 - a1)
            Delta_W1 += delta_z1 @ x.T
            Delta_b1 += delta_z1
        grads = (Delta_W1 / m, Delta_b1 / m, Delta_W2 / m, Delta_b2 / m)
    _check_result(grads, X, Y)
    return grads


def gradients_vectorized_2layer(
    X: FloatArray,
    Y: FloatArray,
    W1: FloatArray,
    b1: FloatArray,
    W2: FloatArray,
    b2: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Vectorized gradient for ``sigmoid(W2 . sigmoid(W1 . X + b1) + b2)`` and squared error.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
    Y : array_like of shape (n_out, m)
    W1 : array_like of shape (n_hidden, n_in)
    b1 : array_like of shape (n_hidden, 1)
    W2 : array_like of shape (n_out, n_hidden)
    b2 : array_like of shape (n_out, 1)
        As in :func:`accumulate_looped_2layer`.

    Returns
    -------
    dW1 : ndarray of shape (n_hidden, n_in)
    db1 : ndarray of shape (n_hidden, 1)
    dW2 : ndarray of shape (n_out, n_hidden)
    db2 : ndarray of shape (n_out, 1)
        Gradients of ``Cost = 1/(2m) * sum((Y - A2)^2)``.

    Raises
    ------
    TypeError, ValueError
        As :func:`accumulate_looped`.
    """
    X, Y, [(W1, b1), (W2, b2)] = _check_inputs(X, Y, [("W1", W1, "b1", b1), ("W2", W2, "b2", b2)])
    m = X.shape[1]
    # NaN or infinity in the data may meet a zero (0 * inf) on the way: stay
    # quiet here, and let _check_result name the argument at fault.
    with np.errstate(invalid="ignore", over="ignore"):
        A1 = sigmoid(W1 @ X + b1)  # (n_hidden, m)
        A2 = sigmoid(W2 @ A1 + b2)  # (n_out, m)
        # dCost/dA2 = -(Y - A2) / m; dA2/dZ2 = A2 * (1 - A2)
        dZ2 = -(Y - A2) / m * A2 * (1.0 - A2)
        dW2 = dZ2 @ A1.T
        db2 = dZ2.sum(axis=1, keepdims=True)
        # dZ2/dA1 = W2, so dA1 = W2^T . dZ2; dA1/dZ1 = A1 * (1 - A1)
        dZ1 = (W2.T @ dZ2) * A1 * (1.0 - A1)
        dW1 = dZ1 @ X.T
        db1 = dZ1.sum(axis=1, keepdims=True)
        grads = (dW1, db1, dW2, db2)
    _check_result(grads, X, Y)
    return grads
