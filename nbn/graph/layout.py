"""A layered left-to-right layout for small graphs (a few dozen nodes).

1. Layers: longest path from the inputs (an input sits in layer 0, any other
   node one layer right of its rightmost parent). An input then moves right
   to just before its leftmost child, so a label ``y`` joins the loss node
   instead of stretching an edge across the figure.
2. Order within a layer: a few barycentre sweeps (each node moves towards the
   mean height of its neighbours in the previous layer), which removes most
   crossings in graphs this small.
3. Heights: each node as close to its neighbours' mean as a gap of one unit
   between nodes of a layer allows, so chains come out straight.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .value import Value, topological_order

__all__ = ["Layout", "layered_layout"]

_SWEEPS = 4


@dataclass(frozen=True)
class Layout:
    """Node positions in grid units: ``x`` = layer (0 = inputs), ``y`` = height.

    Attributes
    ----------
    nodes : list of Value
        The drawn nodes, in topological order.
    position : dict of Value to (float, float)
        ``(layer, height)``; heights of one layer differ by at least 1.
    edges : list of (Value, Value)
        ``(parent, child)`` pairs between drawn nodes, a pair once even if the
        parent appears twice (as in ``a * a``).
    """

    nodes: list[Value]
    position: dict[Value, tuple[float, float]]
    edges: list[tuple[Value, Value]]


def _layers(nodes: list[Value], parents: dict[Value, list[Value]]) -> dict[Value, int]:
    layer: dict[Value, int] = {}
    for node in nodes:
        layer[node] = 1 + max((layer[p] for p in parents[node]), default=-1)
    children: dict[Value, list[Value]] = {node: [] for node in nodes}
    for node in nodes:
        for p in parents[node]:
            children[p].append(node)
    for node in nodes:
        if not parents[node] and children[node]:
            layer[node] = min(layer[c] for c in children[node]) - 1
    return layer


def _place(keys: list[tuple[float, int, Value]]) -> dict[Value, float]:
    """Heights closest to the wanted ``keys[i][0]``, in key order, 1 apart at least."""
    keys = sorted(keys, key=lambda k: (k[0], k[1]))
    wanted = [k[0] for k in keys]
    y = list(wanted)
    for i in range(1, len(y)):
        y[i] = max(y[i], y[i - 1] + 1.0)
    # shift the block back so that it sits, on average, where the nodes want to be
    shift = sum(a - b for a, b in zip(y, wanted, strict=True)) / len(y) if y else 0.0
    return {k[2]: yi - shift for k, yi in zip(keys, y, strict=True)}


def layered_layout(root: Value, hidden: Collection[Value] = ()) -> Layout:
    """Lay out ``root``'s graph from left (inputs) to right (``root``).

    Parameters
    ----------
    root : Value
    hidden : collection of Value, optional
        Input nodes to leave out (with their edges), e.g. the data of a batch.
    """
    hidden_set = set(hidden)
    if any(node.parents for node in hidden_set):
        raise ValueError("only input nodes (without parents) can be hidden")
    nodes = [n for n in topological_order(root) if n not in hidden_set]
    rank = {node: k for k, node in enumerate(nodes)}
    parents = {n: list(dict.fromkeys(p for p in n.parents if p not in hidden_set)) for n in nodes}
    edges = [(p, n) for n in nodes for p in parents[n]]
    neighbours: dict[Value, list[Value]] = {n: [] for n in nodes}
    for p, c in edges:
        neighbours[p].append(c)
        neighbours[c].append(p)
    layer = _layers(nodes, parents)
    by_layer: dict[int, list[Value]] = {}
    for node in nodes:
        by_layer.setdefault(layer[node], []).append(node)
    levels = sorted(by_layer)
    height = {n: float(i) for level in levels for i, n in enumerate(by_layer[level])}
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        for level in levels if forward else reversed(levels):
            keys = []
            for node in by_layer[level]:
                ref = [m for m in neighbours[node] if (layer[m] < level) == forward]
                ref = ref or neighbours[node]
                want = sum(height[m] for m in ref) / len(ref) if ref else height[node]
                keys.append((want, rank[node], node))
            height.update(_place(keys))
    low = min(height.values())
    position = {n: (float(layer[n] - levels[0]), height[n] - low) for n in nodes}
    return Layout(nodes, position, edges)
