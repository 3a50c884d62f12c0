"""The rectified linear activation ``A = max(0, Z)`` and its layer."""

from __future__ import annotations

import numpy as np

from ._validate import FloatArray
from .activation import ActivationLayer

__all__ = ["ReLULayer"]


class ReLULayer(ActivationLayer):
    """ReLU activation layer.

    At ``Z = 0`` the derivative is undefined; like most libraries we use 0 there
    (a subgradient), so finite differences only agree away from 0.

    Parameters
    ----------
    shape : tuple of (int, int)
        ``(n, m)``: shape of the ``Z`` coming in.
    """

    @staticmethod
    def activate(Z: FloatArray) -> FloatArray:
        # A = max(0, Z)
        return np.maximum(Z, 0.0)

    @staticmethod
    def local_grad(Z: FloatArray, A: FloatArray) -> FloatArray:
        # dA/dZ = 1 where Z > 0, else 0, so dZ = dA * [Z > 0]
        return (Z > 0).astype(np.float64)
