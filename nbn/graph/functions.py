"""Functions on nodes: the activations as functions, and the article's composite nodes.

The article draws some computations as a single node: the linear node
``z = w1 x1 + w2 x2 + b``, the loss ``L = 1/2 (y - y_hat)^2`` and the cost
``Cost = 1/(2m) sum (y - y_hat)^2``. Each is one :class:`Value` here, with its
local gradients to every parent, so traces and figures match the article's
graphs node for node. Built from ``+``, ``*`` and ``**`` they give the same
numbers (the tests check this), just with more nodes.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import payload as pl
from .payload import Payload
from .value import Value

__all__ = [
    "as_value",
    "exp",
    "linear",
    "log",
    "relu",
    "sigmoid",
    "squared_error",
    "squared_error_cost",
    "tanh",
]


def as_value(x: Value | Payload, label: str = "") -> Value:
    """``x`` itself if it is a node, otherwise a new input node holding ``x``."""
    return x if isinstance(x, Value) else Value(x, label)


def exp(x: Value | Payload, label: str = "") -> Value:
    """``e ** x`` as a node."""
    return as_value(x).exp(label)


def log(x: Value | Payload, label: str = "") -> Value:
    """``log x`` as a node."""
    return as_value(x).log(label)


def sigmoid(x: Value | Payload, label: str = "") -> Value:
    """``1 / (1 + e ** -x)`` as a node."""
    return as_value(x).sigmoid(label)


def tanh(x: Value | Payload, label: str = "") -> Value:
    """``tanh x`` as a node."""
    return as_value(x).tanh(label)


def relu(x: Value | Payload, label: str = "") -> Value:
    """``max(0, x)`` as a node."""
    return as_value(x).relu(label)


def linear(
    weights: Sequence[Value | Payload],
    inputs: Sequence[Value | Payload],
    bias: Value | Payload | None = None,
    label: str = "z",
) -> Value:
    """The linear node ``z = sum_i w_i x_i (+ b)``, one node as in the article.

    Parameters
    ----------
    weights : sequence of n nodes or numbers
    inputs : sequence of n nodes or numbers
    bias : node or number, optional
    label : str, default "z"

    Returns
    -------
    Value
        Parents ``(w_1, x_1, ..., w_n, x_n[, b])``.
    """
    ws = [as_value(w) for w in weights]
    xs = [as_value(x) for x in inputs]
    if not ws or len(ws) != len(xs):
        raise ValueError(
            "weights and inputs must be non-empty and of one length, "
            f"got {len(ws)} weights and {len(xs)} inputs"
        )
    b = None if bias is None else as_value(bias)
    pl.check_all_compatible([v.data for v in [*ws, *xs, *([b] if b is not None else [])]], "linear")
    out = ws[0].data * xs[0].data
    for w, x in zip(ws[1:], xs[1:], strict=True):
        out = out + w.data * x.data
    parents: list[Value] = []
    local: list[Payload] = []
    for w, x in zip(ws, xs, strict=True):
        # dz/dw_i = x_i,  dz/dx_i = w_i
        parents += [w, x]
        local += [x.data, w.data]
    if b is not None:
        out = out + b.data
        # dz/db = 1
        parents.append(b)
        local.append(pl.one_like(out))
    return Value(out, label, "linear", parents, local)


def squared_error(y: Value | Payload, y_hat: Value | Payload, label: str = "L") -> Value:
    """The loss node ``L = 1/2 (y - y_hat)^2`` for one example.

    Returns
    -------
    Value
        Parents ``(y_hat, y)``.
    """
    y_node, y_hat_node = as_value(y), as_value(y_hat)
    pl.check_compatible(y_node.data, y_hat_node.data, "squared_error")
    diff = y_node.data - y_hat_node.data
    # dL/dy_hat = -(y - y_hat),  dL/dy = y - y_hat
    return Value(diff * diff / 2, label, "squared_error", (y_hat_node, y_node), (-diff, diff))


def squared_error_cost(
    ys: Sequence[Value | Payload],
    y_hats: Sequence[Value | Payload],
    m: int | None = None,
    label: str = "cost",
) -> Value:
    """The cost node ``Cost = 1/(2m) sum_j (y_j - y_hat_j)^2``, as ``nbn.compute_cost``.

    Parameters
    ----------
    ys, y_hats : sequences of one length (labels and predictions, all outputs
        of all examples)
    m : int, optional
        Number of examples; ``len(ys)`` by default (pass it when there are
        several outputs per example).
    label : str, default "cost"

    Returns
    -------
    Value
        Parents ``(y_hat_1, y_1, y_hat_2, y_2, ...)``.
    """
    y_nodes = [as_value(y) for y in ys]
    y_hat_nodes = [as_value(y) for y in y_hats]
    if not y_nodes or len(y_nodes) != len(y_hat_nodes):
        raise ValueError(
            "ys and y_hats must be non-empty and of one length, "
            f"got {len(y_nodes)} and {len(y_hat_nodes)}"
        )
    m = len(y_nodes) if m is None else m
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise ValueError(f"m must be a positive int, got {m!r}")
    pl.check_all_compatible([v.data for v in y_nodes + y_hat_nodes], "squared_error_cost")
    diffs = [y.data - y_hat.data for y, y_hat in zip(y_nodes, y_hat_nodes, strict=True)]
    total = diffs[0] * diffs[0]
    for d in diffs[1:]:
        total = total + d * d
    parents: list[Value] = []
    local: list[Payload] = []
    for y, y_hat, d in zip(y_nodes, y_hat_nodes, diffs, strict=True):
        # dCost/dy_hat_j = -(y_j - y_hat_j) / m,  dCost/dy_j = (y_j - y_hat_j) / m
        parents += [y_hat, y]
        local += [-d / m, d / m]
    return Value(total / (2 * m), label, "cost", parents, local)
