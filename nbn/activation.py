"""What every element-wise activation layer shares: shapes, checks and caching.

A concrete layer (sigmoid, tanh, ReLU) supplies two functions, written side by
side in its own module: ``activate(Z) -> A`` and ``local_grad(Z, A) -> dA/dZ``.
``backward`` multiplies the upstream gradient by that local gradient (the chain
rule, element by element): ``dZ = upstream_grad * dA/dZ``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import FloatArray, as_matrix, check_shape_pair

__all__ = ["ActivationLayer"]


class ActivationLayer:
    """Base class of the element-wise activation layers.

    Parameters
    ----------
    shape : tuple of (int, int)
        ``(n, m)``: shape of the ``Z`` coming in from the linear layer below.

    Attributes
    ----------
    A : ndarray of shape (n, m)
        Output of the last ``forward``; zeros right after construction.
    Z : ndarray of shape (n, m) or None
        Input of the last ``forward`` (``None`` before the first one).
    dZ : ndarray of shape (n, m) or None
        dCost/dZ from the last ``backward``.
    """

    def __init__(self, shape: Sequence[int]) -> None:
        rows, cols = check_shape_pair(shape, "shape")
        self.A: FloatArray = np.zeros((rows, cols))
        self.Z: FloatArray | None = None
        self.dZ: FloatArray | None = None

    @staticmethod
    def activate(Z: FloatArray) -> FloatArray:
        """The activation function, element-wise: ``A = f(Z)``."""
        raise NotImplementedError

    @staticmethod
    def local_grad(Z: FloatArray, A: FloatArray) -> FloatArray:
        """The derivative ``dA/dZ = f'(Z)``, element-wise, from ``Z`` and/or ``A``."""
        raise NotImplementedError

    def forward(self, Z: FloatArray) -> FloatArray:
        """Apply the activation and store the result in ``self.A``.

        Parameters
        ----------
        Z : array_like of shape (n, m)
            Output of the linear layer below.

        Returns
        -------
        ndarray of shape (n, m)
            ``self.A``.
        """
        Z = as_matrix(Z, "Z", rows=self.A.shape[0])
        self.Z = Z
        self.A = self.activate(Z)
        return self.A

    def backward(self, upstream_grad: FloatArray) -> FloatArray:
        """Chain rule through the activation: ``dZ = upstream_grad * f'(Z)``.

        Parameters
        ----------
        upstream_grad : array_like of shape (n, m)
            dCost/dA, from the layer above or the cost.

        Returns
        -------
        ndarray of shape (n, m)
            ``self.dZ``.
        """
        if self.Z is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before forward: call forward first"
            )
        up = as_matrix(upstream_grad, "upstream_grad", rows=self.A.shape[0], cols=self.A.shape[1])
        self.dZ = up * self.local_grad(self.Z, self.A)
        return self.dZ
