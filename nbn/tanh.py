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
        # dA/dZ = 1 - tanh(Z)^2 = sech(Z)^2 = 4 e / (1 + e)^2 with e = exp(-2|Z|),
        # so dZ = dA * (1 - A^2). The exp form keeps full relative accuracy where
        # 1 - A^2 would cancel (|Z| > ~5) and never overflows.
        e = np.exp(-2.0 * np.abs(Z))
        return 4.0 * e / ((1.0 + e) * (1.0 + e))
