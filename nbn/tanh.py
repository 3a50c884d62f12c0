"""The hyperbolic tangent activation ``A = tanh(Z)`` and its layer."""

from __future__ import annotations

import numpy as np

from ._validate import FloatArray
from .activation import ActivationLayer

__all__ = ["TanhLayer"]


class TanhLayer(ActivationLayer):
    """Tanh activation layer: outputs in (-1, 1), zero-centred.

    Parameters
    ----------
    shape : tuple of (int, int)
        ``(n, m)``: shape of the ``Z`` coming in.
    """

    @staticmethod
    def activate(Z: FloatArray) -> FloatArray:
        # A = tanh(Z); np.tanh saturates to +-1 without overflow
        return np.tanh(Z)

    @staticmethod
    def local_grad(Z: FloatArray, A: FloatArray) -> FloatArray:
        # dA/dZ = 1 - tanh(Z)^2 = 1 - A^2, so dZ = dA * (1 - A^2)
        return 1.0 - A * A
