"""``Sequential``: a list of layers trained together with full-batch gradient descent."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable

from ._validate import FloatArray, as_matrix, check_learning_rate, check_positive_int, describe
from .costs import compute_cost

__all__ = ["CostFunction", "Layer", "Sequential", "TrainableLayer"]

#: ``cost(Y, Y_hat) -> (cost, dY_hat)``, like ``nbn.compute_cost``.
CostFunction = Callable[[FloatArray, FloatArray], tuple[float, FloatArray]]


@runtime_checkable
class Layer(Protocol):
    """What ``Sequential`` needs of a layer: ``forward`` and ``backward`` that return."""

    def forward(self, inputs: FloatArray, /) -> FloatArray: ...

    def backward(self, upstream_grad: FloatArray, /) -> FloatArray: ...


@runtime_checkable
class TrainableLayer(Layer, Protocol):
    """A layer with parameters: it also has ``update_params(learning_rate)``."""

    def update_params(self, learning_rate: float = ..., /) -> None: ...


class Sequential:
    """Layers applied one after the other, e.g. Linear, Sigmoid, Linear, Sigmoid.

    Parameters
    ----------
    layers : iterable of layers
        Objects with ``forward`` and ``backward`` (each returning its result);
        those that also have ``update_params`` are trained by ``step``.

    Examples
    --------
    >>> import numpy as np
    >>> from nbn import LinearLayer, SigmoidLayer, Sequential, datasets
    >>> X, Y = datasets.or_gate()
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential([LinearLayer(X.shape, 1, rng=rng), SigmoidLayer((1, 4))])
    >>> history = net.train(X, Y, learning_rate=1.0, epochs=300, record_every=100)
    >>> len(history), history[-1] < history[0]
    (3, True)
    """

    def __init__(self, layers: Iterable[Layer]) -> None:
        self.layers: list[Layer] = list(layers)
        if not self.layers:
            raise ValueError("layers must hold at least one layer, got an empty sequence")
        for index, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{index}] must have forward and backward methods, got {describe(layer)}"
                )

    def forward(self, X: FloatArray) -> FloatArray:
        """Run every layer's ``forward``; return the last layer's output.

        Parameters
        ----------
        X : array_like of shape (n_in, m)
            The input: one column per example.

        Returns
        -------
        ndarray of shape (n_out, m)
            The output of the last layer, one column per example.
        """
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def backward(self, dY_hat: FloatArray) -> FloatArray:
        """Run every layer's ``backward`` in reverse; return dCost/dX.

        Parameters
        ----------
        dY_hat : array_like of shape (n_out, m)
            Gradient of the cost with respect to the network's output.

        Returns
        -------
        ndarray of shape (n_in, m)
            The gradient of the cost with respect to the input ``X``.
        """
        grad = dY_hat
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def step(self, learning_rate: float) -> None:
        """Apply one gradient-descent update to every trainable layer."""
        rate = check_learning_rate(learning_rate)
        for layer in self.layers:
            if isinstance(layer, TrainableLayer):
                layer.update_params(rate)

    def train(
        self,
        X: FloatArray,
        Y: FloatArray,
        learning_rate: float,
        epochs: int,
        record_every: int = 100,
        *,
        cost: CostFunction = compute_cost,
        progress: bool = False,
    ) -> list[float]:
        """Full-batch gradient descent: forward, cost, backward, step, ``epochs`` times.

        Parameters
        ----------
        X : array_like of shape (n_in, m)
            The training inputs, one column per example.
        Y : array_like of shape (n_out, m)
            The labels, one column per example.
        learning_rate : float
            Finite and strictly positive.
        epochs : int
            Number of full passes over the data.
        record_every : int, default 100
            The cost is recorded at epochs 0, record_every, 2 * record_every, ...
            (before that epoch's update, as in the article's training loop).
        cost : callable, optional
            ``cost(Y, Y_hat) -> (cost, dY_hat)``: the cost and its gradient with
            respect to the network's output; ``nbn.compute_cost`` (squared
            error) by default.
        progress : bool, default False
            Print a one-line progress report to stderr at each recorded epoch.

        Returns
        -------
        list of float
            The recorded costs, ``ceil(epochs / record_every)`` of them.
        """
        X = as_matrix(X, "X")
        Y = as_matrix(Y, "Y", cols=X.shape[1])
        rate = check_learning_rate(learning_rate)
        epochs = check_positive_int(epochs, "epochs")
        record_every = check_positive_int(record_every, "record_every")
        history: list[float] = []
        for epoch in range(epochs):
            value, dY_hat = cost(Y, self.forward(X))
            if epoch % record_every == 0:
                history.append(value)
                if progress:
                    print(f"epoch {epoch:>7}/{epochs}: cost {value:.6g}", file=sys.stderr)
            self.backward(dY_hat)
            self.step(rate)
        return history
