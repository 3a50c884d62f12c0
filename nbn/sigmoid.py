"""The sigmoid (logistic) activation ``A = 1 / (1 + exp(-Z))`` and its layer."""

from __future__ import annotations

import numpy as np

from ._validate import _FLOAT64, _SMALL, FloatArray
from .activation import ActivationLayer

__all__ = ["SigmoidLayer", "sigmoid"]


#: ``exp(-z)`` overflows float64 for ``z`` below ``-log(DBL_MAX)`` = -709.78...
_Z_MIN = -709.78


def sigmoid(Z: FloatArray) -> FloatArray:
    """Sigmoid ``1 / (1 + exp(-Z))``, element-wise, without overflow.

    The textbook formula is exact in float64 except that ``exp(-Z)`` overflows
    (with a warning) for ``Z < -709.78``. We raise ``Z`` to at least -709.78
    first: everywhere the textbook formula does not overflow, the result is the
    same bit for bit; below it we return ``sigmoid(-709.78)`` ~ 5.6e-309 instead
    of an even smaller number (the true values there are below 1e-308, in the
    subnormal range). Two-branch forms (``exp(Z) / (1 + exp(Z))`` for negative
    ``Z``) cost twice the work on small arrays for no practical gain.

    Parameters
    ----------
    Z : ndarray of shape (n, m)

    Returns
    -------
    ndarray of shape (n, m)
        Values in (0, 1]: exactly 1 where ``Z > 36.7`` (float64 cannot tell).
    """
    # Clip only a float64 array that reaches below _Z_MIN (rare): finding out is
    # cheaper than a np.maximum over every entry, and where nothing is clipped it is
    # a no-op. Anything else (lists, integers, booleans) goes through np.maximum,
    # which also converts it to float.
    if type(Z) is not np.ndarray or Z.dtype is not _FLOAT64 or _reaches_below(Z, _Z_MIN):
        Z = np.maximum(Z, _Z_MIN)
    return 1.0 / (1.0 + np.exp(-Z))


def _reaches_below(Z: FloatArray, limit: float) -> bool:
    """True if some entry of ``Z`` is below ``limit`` or NaN (a Python loop when small)."""
    lowest = min(Z.ravel().tolist(), default=limit) if Z.size <= _SMALL else Z.min()
    return not lowest >= limit  # NaN compares False: clip, as np.maximum would


class SigmoidLayer(ActivationLayer):
    """Sigmoid activation layer, compatible with the article's Part II API.

    Parameters
    ----------
    shape : tuple of (int, int)
        ``(n, m)``: shape of the ``Z`` coming in, e.g. ``SigmoidLayer(Z1.Z.shape)``.
    """

    @staticmethod
    def activate(Z: FloatArray) -> FloatArray:
        # A = sigma(Z) = 1 / (1 + exp(-Z))
        return sigmoid(Z)

    @staticmethod
    def local_grad(Z: FloatArray, A: FloatArray) -> FloatArray:
        # dA/dZ = sigma(Z) * (1 - sigma(Z)) = A * (1 - A), so dZ = dA * A * (1 - A)
        return A * (1.0 - A)
