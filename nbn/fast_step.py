"""The vectorized batch gradient close to its floor: in-place ufuncs on cache-sized blocks.

``nbn.gradients_vectorized`` is the readable reference: each line is one
equation, and NumPy writes every intermediate result (``W . X``, ``+ b``,
``exp``, ``1 +``, ``1 /``, ``Y - A``, ...) into a new array of ``m`` numbers.
With a million examples each of those arrays is 8 MB, far larger than the
processor's caches, so every step is a full trip to main memory and back.

The functions here compute the same gradients with the same equations, but

1. **in place**: every step writes into a workspace with ``out=`` instead of
   allocating a new array, so the whole step needs two small buffers;
2. **in blocks of columns**: the examples are processed ``block`` at a time
   (tens of thousands for one neuron), so that the buffers and the slice of
   ``X`` being worked on stay in the processor's cache while all the steps run
   over them. ``X`` and ``Y`` are then read from main memory once, and the
   gradients, being sums over examples, are added up block by block;
3. with the cost's ``1/m`` applied once to the small results ``dW`` and ``db``
   instead of to every entry of ``dZ``.

Each block computes, for its columns ``x`` of ``X`` (the buffer names in brackets):

* ``[Z] = -(W . x + b)``, clipped at 709.78, then ``[Z] = 1 / (1 + exp([Z]))``:
  the sigmoid ``a``, exactly as ``nbn.sigmoid`` computes it;
* ``[D] = (a - y) * a * (1 - a)``: ``m`` times ``dCost/dz``;
* ``dW += [D] . x^T`` and ``db += sum([D])``.

Results agree with the reference up to rounding (the sums run in another
order); the tests check them against it and against finite differences.
Input checks are the reference's, shared through ``nbn.accumulate``.
"""

from __future__ import annotations

import numpy as np

from ._validate import FloatArray, check_positive_int
from .accumulate import _check_inputs, _check_result

__all__ = ["BLOCK_BYTES", "MIN_BLOCK", "gradients_fast", "gradients_fast_2layer"]

#: Bytes a block may touch: its columns of ``X`` and ``Y`` and the workspace
#: buffers. 1 MiB stays within the caches of current processors (the L2 of some,
#: the shared L3 of all), which is what the blocking is for. Smaller blocks fit a
#: smaller cache but pay their couple of dozen NumPy calls more often: on the
#: 2-core machine that builds the docs, blocks of 1 to 4 MiB were quickest, and
#: 256 KiB (L2-sized there) cost about half as much again.
BLOCK_BYTES = 1024 * 1024
#: Fewest examples per block by default: each block costs a couple of dozen NumPy
#: calls, so for wide layers, whose blocks would be very narrow, a block spills
#: out of L2 into the next cache rather than paying those calls too often.
MIN_BLOCK = 256

#: ``exp`` overflows float64 above log(DBL_MAX) = 709.78...; nbn.sigmoid clips ``Z``
#: at -709.78, which is clipping ``-Z`` at +709.78 here.
_NEG_Z_MAX = 709.78


def _block_columns(block: object, rows: int, m: int) -> int:
    """Examples per block: ``block`` if given, else as many as fit ``BLOCK_BYTES``.

    ``rows`` is the number of float64 rows a block touches (inputs, labels and
    workspace buffers), so a block of ``w`` examples touches ``8 rows w`` bytes.
    """
    if block is None:
        return min(m, max(MIN_BLOCK, BLOCK_BYTES // (8 * rows)))
    return min(check_positive_int(block, "block"), m)


def _sigmoid_into(out: FloatArray, neg_W: FloatArray, inputs: FloatArray, b: FloatArray) -> None:
    """``out = sigmoid(W . inputs + b)`` in place, as ``nbn.sigmoid`` computes it."""
    np.matmul(neg_W, inputs, out=out)  # -W . inputs
    np.subtract(out, b, out=out)  # -z = -(W . inputs + b)
    np.minimum(out, _NEG_Z_MAX, out=out)  # exp(-z) must not overflow
    np.exp(out, out=out)  # exp(-z)
    np.add(out, 1.0, out=out)  # 1 + exp(-z)
    np.reciprocal(out, out=out)  # a = 1 / (1 + exp(-z))


def _times_local_grad(delta: FloatArray, A: FloatArray) -> None:
    """``delta *= A * (1 - A)`` (the sigmoid's ``da/dz``); overwrites ``A`` with ``1 - A``."""
    np.multiply(delta, A, out=delta)
    np.subtract(1.0, A, out=A)
    np.multiply(delta, A, out=delta)


def gradients_fast(
    X: FloatArray, Y: FloatArray, W: FloatArray, b: FloatArray, *, block: int | None = None
) -> tuple[FloatArray, FloatArray]:
    """Gradient of the squared-error cost of ``sigmoid(W . X + b)``, blocked and in place.

    The same result as ``nbn.gradients_vectorized``, up to rounding.

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
    block : int, optional
        Examples per block; by default as many as keep the block's columns of
        ``X`` and ``Y`` and the workspace within ``BLOCK_BYTES``.

    Returns
    -------
    dW : ndarray of shape (n_out, n_in)
        ``dCost/dW = (1/m) sum over blocks of [D] . x^T``.
    db : ndarray of shape (n_out, 1)
        ``dCost/db = (1/m) sum over blocks of sum([D])``.

    Raises
    ------
    TypeError, ValueError
        As ``nbn.accumulate_looped``; also a ``block`` that is not a
        positive integer.
    """
    X, Y, [(W, b)] = _check_inputs(X, Y, [("W", W, "b", b)])
    n_out, m = Y.shape
    # a block touches X's n_in rows, Y's n_out rows and two buffers of n_out rows
    width = _block_columns(block, X.shape[0] + 3 * n_out, m)
    neg_W = -W
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    # The workspace: two buffers of n_out x width entries, reused by every block.
    Z_space, D_space = np.empty(n_out * width), np.empty(n_out * width)
    # NaN or infinity in the data may meet a zero (0 * inf) on the way: stay
    # quiet here, and let _check_result name the argument at fault.
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, m, width):
            stop = min(start + width, m)
            x = X[:, start:stop]  # (n_in, w): a view, no copy
            A = Z_space[: n_out * (stop - start)].reshape(n_out, stop - start)
            D = D_space[: A.size].reshape(A.shape)
            _sigmoid_into(A, neg_W, x, b)
            # m dCost/da = a - y; times da/dz = a (1 - a) gives m dCost/dz
            np.subtract(A, Y[:, start:stop], out=D)
            _times_local_grad(D, A)
            # W and b are shared by all examples: their gradients sum over the columns
            dW += D @ x.T
            db += D.sum(axis=1, keepdims=True)
        # the cost's 1/m, applied once to the sums
        dW /= m
        db /= m
    _check_result((dW, db), X, Y)
    return dW, db


def gradients_fast_2layer(
    X: FloatArray,
    Y: FloatArray,
    W1: FloatArray,
    b1: FloatArray,
    W2: FloatArray,
    b2: FloatArray,
    *,
    block: int | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Gradient for ``sigmoid(W2 . sigmoid(W1 . X + b1) + b2)``, blocked and in place.

    The same result as ``nbn.gradients_vectorized_2layer``, up to rounding.

    Parameters
    ----------
    X : array_like of shape (n_in, m)
    Y : array_like of shape (n_out, m)
    W1 : array_like of shape (n_hidden, n_in)
    b1 : array_like of shape (n_hidden, 1)
    W2 : array_like of shape (n_out, n_hidden)
    b2 : array_like of shape (n_out, 1)
        As in ``nbn.accumulate_looped_2layer``.
    block : int, optional
        Examples per block, chosen by default as in ``gradients_fast``.

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
        As ``gradients_fast``.
    """
    X, Y, [(W1, b1), (W2, b2)] = _check_inputs(X, Y, [("W1", W1, "b1", b1), ("W2", W2, "b2", b2)])
    n_hidden, (n_out, m) = W1.shape[0], Y.shape
    # X's rows, Y's, and the four buffers (two of n_hidden rows, two of n_out)
    width = _block_columns(block, X.shape[0] + 2 * n_hidden + 3 * n_out, m)
    neg_W1, neg_W2 = -W1, -W2
    dW1, db1 = np.zeros(W1.shape), np.zeros(b1.shape)
    dW2, db2 = np.zeros(W2.shape), np.zeros(b2.shape)
    # The workspace, reused by every block: A1 and D1 (n_hidden rows), A2 and D2 (n_out rows).
    spaces = [np.empty(rows * width) for rows in (n_hidden, n_hidden, n_out, n_out)]
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(0, m, width):
            stop = min(start + width, m)
            x = X[:, start:stop]
            A1, D1, A2, D2 = (
                space[: rows * (stop - start)].reshape(rows, stop - start)
                for space, rows in zip(spaces, (n_hidden, n_hidden, n_out, n_out), strict=True)
            )
            _sigmoid_into(A1, neg_W1, x, b1)
            _sigmoid_into(A2, neg_W2, A1, b2)
            # m dCost/dz2 = (a2 - y) a2 (1 - a2)
            np.subtract(A2, Y[:, start:stop], out=D2)
            _times_local_grad(D2, A2)
            dW2 += D2 @ A1.T
            db2 += D2.sum(axis=1, keepdims=True)
            # dz2/da1 = W2, so m dCost/da1 = W2^T . D2; times da1/dz1 = a1 (1 - a1)
            np.matmul(W2.T, D2, out=D1)
            _times_local_grad(D1, A1)
            dW1 += D1 @ x.T
            db1 += D1.sum(axis=1, keepdims=True)
        grads = (dW1, db1, dW2, db2)
        for grad in grads:
            grad /= m
    _check_result(grads, X, Y)
    return grads
