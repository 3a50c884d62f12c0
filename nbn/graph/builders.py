"""The article's computational graphs, built from given numbers.

Each builder returns a :class:`Graph`: the nodes by name and the output node.
The numbers may be floats, ``Fraction`` or SymPy symbols (the same builder then
gives exact or symbolic results). Names use the article's letters with 1-based
indices, as in the maths: ``w1``, ``y_hat``, ``x2(3)`` (feature 2 of example 3),
``W1[2,1]`` (layer 1, row 2, column 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .functions import linear, sigmoid, squared_error, squared_error_cost
from .payload import Payload
from .value import Value

__all__ = [
    "ACTIVATIONS",
    "Graph",
    "batch_or_cost",
    "bias_sum_example",
    "dense_network",
    "network_2_3_1",
    "or_neuron",
]

#: Activations :func:`dense_network` accepts.
ACTIVATIONS = ("sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class Graph:
    """A built graph: named nodes and the output.

    Attributes
    ----------
    nodes : dict of str to Value
        Every named node (inputs, parameters, intermediate results, output).
    output : Value
        The node whose gradients ``backward`` computes (loss or cost).
    data : frozenset of str
        Names of the data inputs (features ``x`` and labels ``y``): the article
        draws no gradient into them, as training never changes the data.
    """

    nodes: dict[str, Value]
    output: Value
    data: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> Value:
        try:
            return self.nodes[name]
        except KeyError:
            raise KeyError(f"no node named {name!r}; the graph has {list(self.nodes)}") from None

    def backward(self) -> None:
        """``output.backward()``: fill every node's ``grad`` with ``d output / d node``."""
        self.output.backward()

    def gradients(self) -> dict[str, Payload]:
        """Run ``backward()`` and return ``d output / d node`` for every named node."""
        self.backward()
        return {name: node.grad for name, node in self.nodes.items()}


def _items(x: Any, name: str) -> list[Any]:
    """``x`` as a list (any sized, iterable container except text)."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or not hasattr(x, "__iter__"):
        raise TypeError(f"{name} must be a sequence, got {type(x).__name__} {x!r}")
    return list(x)


def _vector(x: Any, n: int, name: str) -> list[Any]:
    """n numbers from a flat sequence, a 1 x n row or an n x 1 column."""
    items = _items(x, name)
    if len(items) == 1 and n != 1 and hasattr(items[0], "__len__"):
        items = _items(items[0], name)  # a 1 x n row
    elif len(items) == n and all(hasattr(v, "__len__") and len(v) == 1 for v in items):
        items = [next(iter(v)) for v in items]  # an n x 1 column
    if len(items) != n:
        raise ValueError(f"{name} must hold {n} numbers, got {len(items)}: {x!r}")
    return items


def _scalar(x: Any, name: str) -> Any:
    """A number, or the single entry of a 1-element (nested) sequence."""
    return _vector(x, 1, name)[0] if hasattr(x, "__len__") else x


def _matrix(x: Any, rows: int, cols: int | None, name: str) -> list[list[Any]]:
    """A rows x cols nested sequence (cols taken from the first row if None)."""
    items = _items(x, name)
    if len(items) != rows:
        raise ValueError(f"{name} must have {rows} rows, got {len(items)}")
    cols = len(_items(items[0], name)) if cols is None else cols
    return [_vector(row, cols, f"{name} row {k + 1}") for k, row in enumerate(items)]


def or_neuron(
    x1: Payload, x2: Payload, w1: Payload, w2: Payload, y: Payload, b: Payload | None = None
) -> Graph:
    """The single-example OR neuron: ``z = w1 x1 + w2 x2 (+ b)``, ``y_hat = sigmoid(z)``,
    ``L = 1/2 (y - y_hat)^2``.

    The article's example is ``x = (0, 0)``, ``y = 0``, ``w = (0.1, 0.6)`` (and
    ``b = 0``): ``z = 0``, ``y_hat = 0.5``, ``L = 0.125``, ``dL/dw = (0, 0)`` and
    ``dL/db = 0.125``.

    Returns
    -------
    Graph
        Nodes ``x1, x2, w1, w2, [b,] z, y_hat, y, L``; output ``L``.
    """
    n = {k: Value(v, k) for k, v in (("x1", x1), ("x2", x2), ("w1", w1), ("w2", w2))}
    if b is not None:
        n["b"] = Value(b, "b")
    n["z"] = linear([n["w1"], n["w2"]], [n["x1"], n["x2"]], n.get("b"), label="z")
    n["y_hat"] = sigmoid(n["z"], "y_hat")
    n["y"] = Value(y, "y")
    n["L"] = squared_error(n["y"], n["y_hat"], "L")
    return Graph(n, n["L"], frozenset({"x1", "x2", "y"}))


def bias_sum_example(a: Payload = 3, b: Payload = 2, c: Payload = 4) -> Graph:
    """A node feeding two others, so its gradient is the sum of two incoming ones.

    The article's section "Why did we sum the gradients?" makes the point with
    three small equations in a figure; this example is nbn's own, in the same
    spirit::

        u = a + b,   v = b * c,   f = u * v

    ``b`` feeds both ``u`` and ``v``, so ``df/db = df/du * du/db + df/dv * dv/db
    = v * 1 + u * c``. With the defaults: ``u = 5``, ``v = 8``, ``f = 40`` and
    ``df/db = 8 + 20 = 28``.

    Returns
    -------
    Graph
        Nodes ``a, b, c, u, v, f``; output ``f``.
    """
    n = {k: Value(v, k) for k, v in (("a", a), ("b", b), ("c", c))}
    n["u"] = n["a"] + n["b"]
    n["v"] = n["b"] * n["c"]
    n["f"] = n["u"] * n["v"]
    for k in ("u", "v", "f"):
        n[k].label = k
    return Graph(n, n["f"])


def batch_or_cost(X: Any, Y: Any, W: Any, b: Any) -> Graph:
    """One neuron over a batch with shared ``W`` and ``b``: ``Cost = 1/(2m) sum (y - y_hat)^2``.

    Parameters
    ----------
    X : nested sequence of shape (n_in, m)
        Features x examples, as ``nbn.datasets.or_gate()`` returns them.
    Y : sequence of m labels (or shape (1, m))
    W : sequence of n_in weights (or shape (1, n_in))
    b : number (or shape (1, 1))

    Returns
    -------
    Graph
        Nodes ``w1..wn, b``, then per example j (1-based) ``x1(j)..xn(j), z(j),
        y_hat(j), y(j)``, and ``cost`` (the output). The article's numbers
        (OR inputs, ``W = [0.1, 0.6]``, ``b = 0``) give a cost of 0.089.
    """
    rows = _items(X, "X")
    n_in = len(rows)
    if n_in == 0:
        raise ValueError("X must have at least one row (feature)")
    Xm = _matrix(rows, n_in, None, "X")
    m = len(Xm[0])
    n: dict[str, Value] = {
        f"w{i + 1}": Value(w, f"w{i + 1}") for i, w in enumerate(_vector(W, n_in, "W"))
    }
    n["b"] = Value(_scalar(b, "b"), "b")
    ys, y_hats, data = [], [], set()
    for j, y in enumerate(_vector(Y, m, "Y"), start=1):
        xs = []
        for i in range(n_in):
            key = f"x{i + 1}({j})"
            n[key] = xs_node = Value(Xm[i][j - 1], key)
            xs.append(xs_node)
            data.add(key)
        weights = [n[f"w{i + 1}"] for i in range(n_in)]
        n[f"z({j})"] = linear(weights, xs, n["b"], label=f"z({j})")
        n[f"y_hat({j})"] = sigmoid(n[f"z({j})"], f"y_hat({j})")
        n[f"y({j})"] = Value(y, f"y({j})")
        data.add(f"y({j})")
        ys.append(n[f"y({j})"])
        y_hats.append(n[f"y_hat({j})"])
    n["cost"] = squared_error_cost(ys, y_hats, label="cost")
    return Graph(n, n["cost"], frozenset(data))


def network_2_3_1(x: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> Graph:
    """The 2-3-1 sigmoid network on one example, with the squared-error loss.

    ``z1 = W1 x + b1``, ``a1 = sigmoid(z1)``, ``z2 = W2 a1 + b2``,
    ``y_hat = sigmoid(z2)``, ``L = 1/2 (y - y_hat)^2``.

    Parameters
    ----------
    x : sequence of 2 numbers (or shape (2, 1))
    y : number (or shape (1, 1))
    W1 : nested sequence of shape (3, 2)
    b1 : sequence of 3 numbers (or shape (3, 1))
    W2 : sequence of 3 numbers (or shape (1, 3))
    b2 : number (or shape (1, 1))

    Returns
    -------
    Graph
        Nodes ``x1, x2, W1[k,i], b1[k], z1[k], a1[k], W2[1,k], b2, z2, y_hat, y, L``
        (1-based k, i); output ``L``.
    """
    n: dict[str, Value] = {f"x{i}": Value(v, f"x{i}") for i, v in enumerate(_vector(x, 2, "x"), 1)}
    W1m, b1v = _matrix(W1, 3, 2, "W1"), _vector(b1, 3, "b1")
    for k in range(1, 4):
        for i in range(1, 3):
            n[f"W1[{k},{i}]"] = Value(W1m[k - 1][i - 1], f"W1[{k},{i}]")
        n[f"b1[{k}]"] = Value(b1v[k - 1], f"b1[{k}]")
    for k in range(1, 4):
        weights = [n[f"W1[{k},{i}]"] for i in (1, 2)]
        n[f"z1[{k}]"] = linear(weights, [n["x1"], n["x2"]], n[f"b1[{k}]"], label=f"z1[{k}]")
        n[f"a1[{k}]"] = sigmoid(n[f"z1[{k}]"], f"a1[{k}]")
    for k, w in enumerate(_vector(W2, 3, "W2"), 1):
        n[f"W2[1,{k}]"] = Value(w, f"W2[1,{k}]")
    n["b2"] = Value(_scalar(b2, "b2"), "b2")
    hidden = [n[f"a1[{k}]"] for k in (1, 2, 3)]
    n["z2"] = linear([n[f"W2[1,{k}]"] for k in (1, 2, 3)], hidden, n["b2"], label="z2")
    n["y_hat"] = sigmoid(n["z2"], "y_hat")
    n["y"] = Value(_scalar(y, "y"), "y")
    n["L"] = squared_error(n["y"], n["y_hat"], "L")
    return Graph(n, n["L"], frozenset({"x1", "x2", "y"}))


def dense_network(
    X: Any, Y: Any, layers: Sequence[tuple[Any, Any]], activation: str | Sequence[str] = "sigmoid"
) -> Graph:
    """Any fully connected network over a batch, with ``nbn.compute_cost``'s cost.

    Parameters
    ----------
    X : nested sequence of shape (n_0, m)
        Features x examples.
    Y : nested sequence of shape (n_L, m)
        Labels.
    layers : sequence of (W, b)
        ``W`` of shape (n_l, n_{l-1}) and ``b`` of n_l numbers, layer by layer.
    activation : str or sequence of str, default "sigmoid"
        One of :data:`ACTIVATIONS` for all layers, or one per layer.

    Returns
    -------
    Graph
        Nodes ``X[i,j]``, ``Y[k,j]``, ``W{layer}[k,i]``, ``b{layer}[k]``, ``Z{layer}[k,j]``,
        ``A{layer}[k,j]`` (1-based) and ``cost`` (the output).
    """
    acts = [activation] * len(layers) if isinstance(activation, str) else list(activation)
    if len(acts) != len(layers) or not layers or any(a not in ACTIVATIONS for a in acts):
        raise ValueError(
            f"activation must be one of {ACTIVATIONS} or one per layer ({len(layers)} layers), "
            f"got {activation!r}"
        )
    rows = _items(X, "X")
    Xm = _matrix(rows, len(rows), None, "X")
    m = len(Xm[0])
    n: dict[str, Value] = {}
    data: set[str] = set()
    A = [[Value(v, f"X[{i},{j}]") for j, v in enumerate(row, 1)] for i, row in enumerate(Xm, 1)]
    for row in A:
        for node in row:
            n[node.label] = node
            data.add(node.label)
    for layer, ((W, b), act) in enumerate(zip(layers, acts, strict=True), 1):
        Wm = _matrix(W, len(_items(W, f"W{layer}")), len(A), f"W{layer}")
        bv = _vector(b, len(Wm), f"b{layer}")
        for k, w_row in enumerate(Wm, 1):
            for i, w in enumerate(w_row, 1):
                n[f"W{layer}[{k},{i}]"] = Value(w, f"W{layer}[{k},{i}]")
            n[f"b{layer}[{k}]"] = Value(bv[k - 1], f"b{layer}[{k}]")
        A_next = []
        for k in range(1, len(Wm) + 1):
            weights = [n[f"W{layer}[{k},{i}]"] for i in range(1, len(A) + 1)]
            row = []
            for j in range(1, m + 1):
                z = linear(
                    weights, [a[j - 1] for a in A], n[f"b{layer}[{k}]"], label=f"Z{layer}[{k},{j}]"
                )
                a = getattr(z, act)(f"A{layer}[{k},{j}]")
                n[z.label], n[a.label] = z, a
                row.append(a)
            A_next.append(row)
        A = A_next
    Ym = _matrix(Y, len(A), m, "Y")
    ys = [Value(v, f"Y[{k},{j}]") for k, row in enumerate(Ym, 1) for j, v in enumerate(row, 1)]
    for node in ys:
        n[node.label] = node
        data.add(node.label)
    n["cost"] = squared_error_cost(ys, [a for row in A for a in row], m=m, label="cost")
    return Graph(n, n["cost"], frozenset(data))
