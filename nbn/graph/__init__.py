"""A scalar computational-graph engine: the article's graphs, node by node.

Each :class:`Value` node holds its forward value, the local gradient to each
parent and, after ``backward()``, the upstream gradient it received
(``d output / d node``). A node's gradient is local x upstream, summed over all
paths. ``backward()`` is idempotent: it zeroes the graph's gradients first.

The same graph code runs on ``float``, exact ``fractions.Fraction`` and SymPy
payloads (see :mod:`nbn.graph.payload`); no NumPy inside. :func:`trace` lists
a graph as the article's step-by-step table, :mod:`nbn.graph.builders` builds
the article's graphs, :mod:`nbn.graph.scene` decides what a figure shows
(layout from :mod:`nbn.graph.layout`) and :func:`nbn.graph.render.to_svg`
draws it with matplotlib, imported only there.

Modules: ``payload`` (what differs between float, Fraction and SymPy),
``value`` (the node and backward), ``functions`` (activations as functions and
the article's composite nodes: linear, loss, cost), ``trace``, ``builders``,
``layout``, ``scene``, ``render``.
"""

from __future__ import annotations

from . import builders
from .builders import (
    Graph,
    batch_or_cost,
    bias_sum_example,
    dense_network,
    network_2_3_1,
    or_neuron,
)
from .functions import (
    as_value,
    exp,
    linear,
    log,
    relu,
    sigmoid,
    squared_error,
    squared_error_cost,
    tanh,
)
from .payload import ExactnessError, NotDifferentiableError, Payload
from .trace import TraceRow, format_number, to_markdown, trace
from .value import Value, topological_order

__all__ = [
    "ExactnessError",
    "Graph",
    "NotDifferentiableError",
    "Payload",
    "TraceRow",
    "Value",
    "as_value",
    "batch_or_cost",
    "bias_sum_example",
    "builders",
    "dense_network",
    "exp",
    "format_number",
    "linear",
    "log",
    "network_2_3_1",
    "or_neuron",
    "relu",
    "sigmoid",
    "squared_error",
    "squared_error_cost",
    "tanh",
    "to_markdown",
    "topological_order",
    "trace",
]
