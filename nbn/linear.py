"""The linear layer: ``Z = W . A_prev + b``."""

from __future__ import annotations

import numpy as np

from ._validate import (
    FloatArray,
    as_matrix,
    check_finite,
    check_learning_rate,
    check_shape_pair,
    is_finite,
)
from .initializers import initialize_parameters

__all__ = ["LinearLayer"]

#: Marks that no learning rate has been checked yet (``None`` is a bad rate to check).
_UNCHECKED = object()


class LinearLayer:
    """A fully connected layer, compatible with the article's Part II API.

    Parameters
    ----------
    input_shape : tuple of (int, int)
        ``(n_in, m)``: the shape of the activations coming in, features x examples.
    n_out : int
        Number of neurons (rows of ``Z``).
    ini_type : {"plain", "xavier", "glorot", "he"}, default "plain"
        Weight initialisation, see ``nbn.initialize_parameters``.
    rng : numpy.random.Generator, optional
        Source of randomness for the weights; the global generator when omitted.

    Attributes
    ----------
    params : dict
        ``"W"``: ndarray of shape (n_out, n_in); ``"b"``: ndarray of shape (n_out, 1).
    m : int
        Number of examples in the last batch (``input_shape[1]`` before any forward).
    Z : ndarray of shape (n_out, m)
        Output of the last ``forward``; zeros right after construction.
    A_prev : ndarray of shape (n_in, m) or None
        Input of the last ``forward`` (``None`` before the first one).
    dW : ndarray of shape (n_out, n_in)
        dCost/dW from the last ``backward``.
    db : ndarray of shape (n_out, 1)
        dCost/db from the last ``backward``.
    dA_prev : ndarray of shape (n_in, m)
        dCost/dA_prev from the last ``backward``, to pass to the layer below.
    """

    def __init__(
        self,
        input_shape: tuple[int, int],
        n_out: int,
        ini_type: str = "plain",
        *,
        rng: np.random.Generator | None = None,
    ) -> None:
        n_in, m = check_shape_pair(input_shape, "input_shape")
        self.m = m
        self.params = initialize_parameters(n_in, n_out, ini_type, rng=rng)
        self.Z: FloatArray = np.zeros((self.params["W"].shape[0], m))
        self.A_prev: FloatArray | None = None
        self.dW: FloatArray | None = None
        self.db: FloatArray | None = None
        self.dA_prev: FloatArray | None = None
        # The last learning rate checked, and its float value: a training loop passes
        # the same object every epoch, so it is validated once, not 5000 times.
        self._checked_rate: tuple[object, float] = (_UNCHECKED, 0.0)

    @property
    def n_in(self) -> int:
        """Number of inputs (columns of ``W``)."""
        return int(self.params["W"].shape[1])

    @property
    def n_out(self) -> int:
        """Number of neurons (rows of ``W``)."""
        return int(self.params["W"].shape[0])

    def forward(self, A_prev: FloatArray) -> FloatArray:
        """Compute ``Z = W . A_prev + b`` and store it in ``self.Z``.

        Parameters
        ----------
        A_prev : array_like of shape (n_in, m)
            Activations of the previous layer (or the data), one column per example.

        Returns
        -------
        ndarray of shape (n_out, m)
            ``self.Z``.
        """
        W = self.params["W"]
        A_prev = as_matrix(A_prev, "A_prev", rows=W.shape[1])
        self.A_prev = A_prev
        self.m = A_prev.shape[1]
        self.Z = W @ A_prev + self.params["b"]
        return self.Z

    def backward(self, upstream_grad: FloatArray) -> FloatArray:
        """Push ``upstream_grad = dCost/dZ`` through the layer.

        Parameters
        ----------
        upstream_grad : array_like of shape (n_out, m)
            dCost/dZ, from the activation layer above.

        Returns
        -------
        ndarray of shape (n_in, m)
            ``self.dA_prev``; ``self.dW`` and ``self.db`` are set too.
        """
        if self.A_prev is None:
            raise RuntimeError("LinearLayer.backward called before forward: call forward first")
        W = self.params["W"]
        up = as_matrix(upstream_grad, "upstream_grad", W.shape[0], self.m, finite=False)
        # dZ/db = 1 for every example, so db sums the upstream gradients over examples
        db = up.sum(axis=1, keepdims=True)
        # A NaN or infinity in upstream_grad always reaches the sum, so the small db
        # is checked; only when it is not finite is the whole upstream_grad scanned.
        if not is_finite(db):
            check_finite(up, "upstream_grad")
            raise FloatingPointError(
                "db overflowed although upstream_grad is finite: its entries are too large"
            )
        self.db = db
        # W is shared by all m examples: dW = sum_i dZ_i x_i^T = dZ . A_prev^T
        self.dW = up @ self.A_prev.T
        # dZ/dA_prev = W, so dA_prev = W^T . dZ
        self.dA_prev = W.T @ up
        return self.dA_prev

    def update_params(self, learning_rate: float = 0.1) -> None:
        """One gradient-descent step: ``W -= learning_rate * dW``, ``b -= learning_rate * db``.

        Parameters
        ----------
        learning_rate : float, default 0.1
            Finite and strictly positive.
        """
        given, rate = self._checked_rate
        if learning_rate is not given:
            rate = check_learning_rate(learning_rate)
            self._checked_rate = (learning_rate, rate)
        if self.dW is None or self.db is None:
            raise RuntimeError(
                "LinearLayer.update_params called before backward: no gradients to apply"
            )
        self.params["W"] = self.params["W"] - rate * self.dW
        self.params["b"] = self.params["b"] - rate * self.db
