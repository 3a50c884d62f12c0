"""The sigmoid (logistic) activation ``A = 1 / (1 + exp(-Z))`` and its layer."""

from __future__ import annotations

import numpy as np

from ._validate import FloatArray
from .activation import ActivationLayer

__all__ = ["SigmoidLayer", "sigmoid"]


def sigmoid(Z: FloatArray) -> FloatArray:
    """Numerically stable sigmoid, element-wise.

    ``exp`` is only ever called on ``-|Z|``, so it never overflows:
    for ``Z >= 0`` we use ``1 / (1 + exp(-Z))`` and for ``Z < 0`` the equal form
    ``exp(Z) / (1 + exp(Z))``. Where the textbook formula does not overflow the
    two agree to a few units in the last place.

    Parameters
    ----------
    Z : ndarray of shape (n, m)

    Returns
    -------
    ndarray of shape (n, m)
        Values in [0, 1] (exactly 0 or 1 only where float64 cannot tell).
    """
    e = np.exp(-np.abs(Z))  # in (0, 1]: no overflow for any finite Z
    r = 1.0 / (1.0 + e)
    return np.where(Z >= 0, r, e * r)


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
