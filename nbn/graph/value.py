"""The graph node: a scalar ``Value`` with its forward value, local gradients and grad.

Every operation builds a new node and stores, next to the forward value, the
*local* gradient of the result with respect to each parent (the derivative is
written as a comment beside it). ``backward()`` walks the graph once in reverse
topological order: each node hands each parent ``local x upstream`` and a parent
reached along several paths sums what flows in.

Backward contract (idempotent)
------------------------------
``root.backward()`` first sets ``grad`` to zero on every node of ``root``'s
graph (``root`` and all its ancestors), then sets ``root.grad = 1`` and
propagates. So, after it, every node of the graph holds exactly
``d root / d node``: calling it twice gives the same numbers, and a node
reused in a second graph holds the gradient for the last graph whose
``backward()`` ran (never a sum over both). Nodes outside ``root``'s graph are
not touched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from . import payload as pl
from .payload import Payload

__all__ = ["Value", "topological_order"]


class Value:
    """A scalar node of a computational graph.

    Parameters
    ----------
    data : float, int, fractions.Fraction or SymPy expression
        The forward value (the *payload*); see :mod:`nbn.graph.payload`.
    label : str, default ""
        Name shown in traces and figures (e.g. ``"w1"``, ``"y_hat"``).
    op : str, default ""
        The operation that produced the node (``""`` for an input).
    parents : iterable of Value, default ()
        The nodes this one was computed from.
    local_grads : iterable of payloads, default ()
        ``d self / d parent`` for each parent, in the same order.

    Attributes
    ----------
    data, label, op : as above
    parents : tuple of Value
    local_grads : tuple of payloads
    grad : payload
        ``d root / d self`` after the last ``root.backward()`` over a graph
        containing this node; 0 of the payload's kind before.
    """

    __slots__ = ("data", "grad", "label", "local_grads", "op", "parents")

    def __init__(
        self,
        data: Payload,
        label: str = "",
        op: str = "",
        parents: Iterable[Value] = (),
        local_grads: Iterable[Payload] = (),
    ) -> None:
        if isinstance(data, Value):
            raise TypeError("data must be a number, not a Value: use the Value itself")
        self.data: Payload = pl.normalize(data, "data")
        if not isinstance(label, str) or not isinstance(op, str):
            raise TypeError(f"label and op must be str, got {label!r} and {op!r}")
        self.label = label
        self.op = op
        self.parents: tuple[Value, ...] = tuple(parents)
        self.local_grads: tuple[Payload, ...] = tuple(
            pl.normalize(g, "local_grads") for g in local_grads
        )
        if not all(isinstance(p, Value) for p in self.parents):
            raise TypeError(f"parents must be Value nodes, got {self.parents!r}")
        if len(self.local_grads) != len(self.parents):
            raise ValueError(
                "local_grads must hold one derivative per parent, got "
                f"{len(self.parents)} parents and {len(self.local_grads)} local_grads"
            )
        self.grad: Payload = pl.zero_like(self.data)

    def __repr__(self) -> str:
        return (
            f"Value(data={self.data!r}, grad={self.grad!r}, label={self.label!r}, op={self.op!r})"
        )

    # -- binary operations ---------------------------------------------------
    def _other(self, other: Value | Payload, op: str) -> Value:
        """``other`` as a node (a plain number becomes an unlabelled input)."""
        node = other if isinstance(other, Value) else Value(pl.normalize(other, "other operand"))
        pl.check_compatible(self.data, node.data, op)
        return node

    def __add__(self, other: Value | Payload) -> Value:
        b = self._other(other, "+")
        out = self.data + b.data
        # d(a + b)/da = 1,  d(a + b)/db = 1
        one = pl.one_like(out)
        return Value(out, op="+", parents=(self, b), local_grads=(one, one))

    def __sub__(self, other: Value | Payload) -> Value:
        b = self._other(other, "-")
        out = self.data - b.data
        # d(a - b)/da = 1,  d(a - b)/db = -1
        one = pl.one_like(out)
        return Value(out, op="-", parents=(self, b), local_grads=(one, -one))

    def __mul__(self, other: Value | Payload) -> Value:
        b = self._other(other, "*")
        # d(a * b)/da = b,  d(a * b)/db = a
        return Value(self.data * b.data, op="*", parents=(self, b), local_grads=(b.data, self.data))

    def __truediv__(self, other: Value | Payload) -> Value:
        b = self._other(other, "/")
        out = self.data / b.data
        # d(a / b)/da = 1 / b,  d(a / b)/db = -a / b^2 = -(a / b) / b
        return Value(
            out, op="/", parents=(self, b), local_grads=(pl.one_like(out) / b.data, -out / b.data)
        )

    def __radd__(self, other: Payload) -> Value:
        return self._other(other, "+") + self

    def __rsub__(self, other: Payload) -> Value:
        return self._other(other, "-") - self

    def __rmul__(self, other: Payload) -> Value:
        return self._other(other, "*") * self

    def __rtruediv__(self, other: Payload) -> Value:
        return self._other(other, "/") / self

    def __pow__(self, exponent: Payload) -> Value:
        """``self ** n`` for a constant ``n`` (an int for Fraction payloads)."""
        if isinstance(exponent, Value):
            raise TypeError("exponent must be a constant number, not a Value")
        n = pl.normalize(exponent, "exponent")
        pl.check_compatible(self.data, n, "**")
        if isinstance(n, Fraction) and n.denominator == 1:
            n = n.numerator
        if isinstance(self.data, Fraction) and not isinstance(n, int):
            raise pl.ExactnessError(
                f"a Fraction payload needs an integer exponent to stay exact, got {n!r}"
            )
        out = self.data**n
        if isinstance(out, complex):
            raise ValueError(f"{self.data!r} ** {n!r} is complex; the graph holds real numbers")
        # d(a^n)/da = n * a^(n - 1)   (0 for n = 0, also at a = 0; at a = 0 with
        # 0 < n < 1, e.g. sqrt, it is unbounded: inf for a float, never a number to trust)
        if n == 0:
            local = pl.zero_like(out)
        elif isinstance(self.data, (int, float)) and self.data == 0 and n < 1:
            local = math.inf
        else:
            local = n * self.data ** (n - 1)
        return Value(out, op=f"**{n}", parents=(self,), local_grads=(local,))

    def __neg__(self) -> Value:
        # d(-a)/da = -1
        return Value(-self.data, op="neg", parents=(self,), local_grads=(-pl.one_like(self.data),))

    # -- functions -------------------------------------------------------------
    def exp(self, label: str = "") -> Value:
        """``e ** self``."""
        out = pl.exp(self.data)
        # d(e^a)/da = e^a
        return Value(out, label, "exp", (self,), (out,))

    def log(self, label: str = "") -> Value:
        """Natural logarithm (``self`` must be positive)."""
        out = pl.log(self.data)
        # d(log a)/da = 1 / a
        return Value(out, label, "log", (self,), (pl.one_like(out) / self.data,))

    def sigmoid(self, label: str = "") -> Value:
        """``1 / (1 + e ** -self)``."""
        s = pl.sigmoid(self.data)
        # d(sigmoid)/dz = s * (1 - s)
        return Value(s, label, "sigmoid", (self,), (s * (1 - s),))

    def tanh(self, label: str = "") -> Value:
        """Hyperbolic tangent."""
        t = pl.tanh(self.data)
        # d(tanh)/dz = 1 - t^2
        return Value(t, label, "tanh", (self,), (1 - t * t,))

    def relu(self, label: str = "") -> Value:
        """``max(0, self)``; its derivative at 0 is taken as 0."""
        out = pl.relu(self.data)
        # d(relu)/dz = 1 if z > 0 else 0
        return Value(out, label, "relu", (self,), (pl.relu_grad(self.data),))

    # -- gradients -------------------------------------------------------------
    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this node and all its ancestors."""
        for node in topological_order(self):
            node.grad = pl.zero_like(node.data)

    def backward(self) -> None:
        """Fill ``grad`` with ``d self / d node`` for every node of this graph.

        Idempotent: the graph's gradients are zeroed first (see the module
        docstring for the full contract).
        """
        order = topological_order(self)
        for node in order:
            node.grad = pl.zero_like(node.data)
        self.grad = pl.one_like(self.data)
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                if isinstance(local, float) and math.isinf(local):
                    raise pl.NotDifferentiableError(
                        f"not differentiable: the local derivative of {node.op or 'a node'} "
                        f"at {parent.data!r} is infinite, so the chain rule cannot pass a "
                        "gradient through it"
                    )
                # chain rule: the parent receives local x upstream, summed over all paths
                parent.grad = parent.grad + local * node.grad


def topological_order(root: Value) -> list[Value]:
    """Every node of ``root``'s graph once, each after all of its parents.

    Inputs come first and ``root`` last; parents are visited in their order, so
    the order is deterministic. Iterative, so deep graphs do not hit the
    recursion limit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order
