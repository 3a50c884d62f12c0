"""The step-by-step table of a graph: one row per node, inputs first.

Each row holds what the article writes next to a node: its forward value, the
local gradient to each parent, the upstream gradient the node received
(``d root / d node``, its ``grad``) and what it hands each parent
(``local x upstream``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .payload import Payload
from .value import Value, topological_order

if TYPE_CHECKING:
    from .builders import Graph

__all__ = ["TraceRow", "format_number", "node_names", "to_markdown", "trace"]


@dataclass(frozen=True)
class TraceRow:
    """One node of a trace.

    Attributes
    ----------
    label : str
        The node's name, unique within the trace (see :func:`node_names`).
    op : str
        The operation (``""`` for an input).
    value : payload
        Forward value.
    local_grads : dict of str to payload
        ``d node / d parent`` by parent name (summed if a parent appears twice,
        as in ``a * a``).
    upstream_grad : payload
        ``d root / d node``: the gradient the node received (its ``grad``).
    grads_to_parents : dict of str to payload
        ``local x upstream``: what the node hands each parent.
    node : Value
        The node itself.
    """

    label: str
    op: str
    value: Payload
    local_grads: dict[str, Payload]
    upstream_grad: Payload
    grads_to_parents: dict[str, Payload]
    node: Value = field(repr=False, compare=False)


def node_names(order: Sequence[Value]) -> dict[Value, str]:
    """A unique name per node: its label, ``label#k`` on clashes, ``v<k>`` if unlabelled.

    ``k`` is the node's position in ``order``.
    """
    counts: dict[str, int] = {}
    for node in order:
        counts[node.label] = counts.get(node.label, 0) + 1
    names: dict[Value, str] = {}
    for k, node in enumerate(order):
        if not node.label:
            names[node] = f"v{k}"
        elif counts[node.label] > 1:
            names[node] = f"{node.label}#{k}"
        else:
            names[node] = node.label
    return names


def _root(graph_or_root: Value | Graph) -> Value:
    root = (
        graph_or_root
        if isinstance(graph_or_root, Value)
        else getattr(graph_or_root, "output", None)
    )
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value or a Graph, got {type(graph_or_root).__name__}")
    return root


def trace(graph_or_root: Value | Graph) -> list[TraceRow]:
    """Run ``backward()`` on the root and list every node in topological order.

    Parameters
    ----------
    graph_or_root : Value or Graph
        The output node, or a :class:`~nbn.graph.builders.Graph` (its ``output``).

    Returns
    -------
    list of TraceRow
        Inputs first, the root last.
    """
    root = _root(graph_or_root)
    root.backward()
    order = topological_order(root)
    names = node_names(order)
    rows = []
    for node in order:
        local: dict[str, Payload] = {}
        for parent, g in zip(node.parents, node.local_grads, strict=True):
            name = names[parent]
            local[name] = local[name] + g if name in local else g
        rows.append(
            TraceRow(
                label=names[node],
                op=node.op,
                value=node.data,
                local_grads=local,
                upstream_grad=node.grad,
                grads_to_parents={name: g * node.grad for name, g in local.items()},
                node=node,
            )
        )
    return rows


def format_number(x: Payload, decimals: int = 3) -> str:
    """A payload as the article prints it: floats rounded to ``decimals`` places.

    Floats lose trailing zeros (``0.5``, ``0.125``, ``0``); non-zero floats that
    would round to 0 keep 3 significant digits (``1.23e-05``). Fractions print
    as ``1/8``, SymPy expressions with ``str``.
    """
    if isinstance(x, float):
        if x != 0 and abs(x) < 0.5 * 10.0**-decimals:
            return f"{x:.3g}"
        text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(x)


def to_markdown(rows: Sequence[TraceRow], decimals: int = 3) -> str:
    """The trace as a Markdown table (node, op, value, local gradients, upstream)."""
    lines = [
        "| node | op | forward value | local gradients | upstream gradient |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        local = ", ".join(
            f"∂/∂{k} = {format_number(v, decimals)}" for k, v in r.local_grads.items()
        )
        lines.append(
            f"| {r.label} | {r.op or 'input'} | {format_number(r.value, decimals)} "
            f"| {local or '-'} | {format_number(r.upstream_grad, decimals)} |"
        )
    return "\n".join(lines)
