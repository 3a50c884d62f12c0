"""The backward pass of the 2-3-1 network drawn one layer at a time (hidden-layers page).

The whole network as one graph has 25 nodes and about 70 numbers on its edges:
shrunk to a page, let alone a phone, none of them can be read. So the page
draws each layer as its own graph, built by the graph engine from the numbers
of the whole network's graph for one example:

* :func:`output_layer`: the hidden activations enter as inputs, then
  ``z = w·a + b``, ``ŷ = σ(z)`` and the loss ``L``: its gradients are the loss's own;
* :func:`hidden_layer`: the inputs' weights and biases, ``z``, ``a`` for the
  three hidden neurons, up to the output neuron's ``z``; drawn with the loss's
  gradient at that ``z`` as upstream, so every gradient shown is ``∂L/∂·``.

:func:`check_against_whole` compares every gradient of both parts with the
whole graph's (the chain rule says they are equal) and stops the build if they
are not. :func:`readable_figure` wraps a figure in a box that scrolls sideways
where the screen is too narrow to show its smallest label at ``MIN_LABEL_PX``.

Node names: one layer per figure, so the layer is a superscript (``w¹₁₂``: the
weight from input 2 into hidden neuron 1; ``w²₁``: from hidden neuron 1 into
the output), short enough to fit a node at a readable size.
"""

from __future__ import annotations

import math
import re
from typing import Any

from common import inline_svg

from nbn.graph.builders import Graph
from nbn.graph.functions import linear, sigmoid, squared_error
from nbn.graph.render import draw, to_svg
from nbn.graph.scene import Scene, build_scene
from nbn.graph.value import Value

__all__ = [
    "FIGURE_OPTIONS",
    "MIN_LABEL_PX",
    "check_against_whole",
    "gradient_rows",
    "hidden_layer",
    "output_layer",
    "readable_figure",
    "short_name",
]

#: The smallest label, in CSS pixels, that a figure may be shown at.
MIN_LABEL_PX = 11.0
#: Larger text than the engine's default: a page shows these figures at about
#: three quarters of their natural width on a desktop.
FIGURE_OPTIONS: dict[str, Any] = {"text_scale": 1.4, "hide_data": True}
#: Relative gap allowed between a part's gradient and the whole graph's: the same
#: products in another order (chain rule applied in two steps), a few roundings.
_REL_TOL = 1e-12

_SUP = str.maketrans("12", "¹²")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def short_name(name: str) -> str:
    """The figures' name of a node of ``builders.network_2_3_1``: ``W1[2,1]`` -> ``w¹₂₁``."""
    m = re.fullmatch(r"([A-Za-z]+)([12])\[([\d,]+)\]", name)
    if m:
        letter, layer, index = m.groups()
        digits = index.replace(",", "")
        if layer == "2":  # one output neuron: W2[1,k] is w²ₖ
            digits = digits[1:]
        return letter.lower() + layer.translate(_SUP) + digits.translate(_SUB)
    return {"b2": "b²", "z2": "z²", "y_hat": "ŷ"}.get(name, name)


def _leaf(whole: Graph, name: str) -> Value:
    return Value(whole[name].data, short_name(name))


def output_layer(whole: Graph) -> Graph:
    """The output layer of ``whole`` (a ``network_2_3_1`` graph) as a graph of its own.

    Its inputs carry ``whole``'s forward values: the hidden activations
    ``a1[k]``, the weights ``W2[1,k]``, the bias ``b2`` and the label ``y``.
    """
    whole.backward()
    nodes = {name: _leaf(whole, name) for name in ("b2", "y")}
    for k in (1, 2, 3):
        for name in (f"W2[1,{k}]", f"a1[{k}]"):
            nodes[name] = _leaf(whole, name)
    weights = [nodes[f"W2[1,{k}]"] for k in (1, 2, 3)]
    hidden = [nodes[f"a1[{k}]"] for k in (1, 2, 3)]
    nodes["z2"] = linear(weights, hidden, nodes["b2"], label=short_name("z2"))
    nodes["y_hat"] = sigmoid(nodes["z2"], short_name("y_hat"))
    nodes["L"] = squared_error(nodes["y"], nodes["y_hat"], "L")
    return _renamed(nodes, "L", {"y"})


def _renamed(nodes: dict[str, Value], output: str, data: set[str]) -> Graph:
    """A graph whose node names are the figures' (``W1[1,2]`` -> ``w¹₁₂``)."""
    return Graph(
        {short_name(n): v for n, v in nodes.items()},
        nodes[output],
        frozenset(short_name(n) for n in data),
    )


def hidden_layer(whole: Graph) -> tuple[Graph, tuple[str, Any]]:
    """The hidden layer of ``whole``, up to the output neuron's ``z``, and its upstream.

    Returns
    -------
    graph : Graph
        Inputs ``x1, x2`` (data), ``W1[k,i]``, ``b1[k]``; then ``z1[k]``,
        ``a1[k]``; output ``z2`` (with ``W2`` and ``b2`` as inputs, data here:
        the figure leaves them out to keep to one layer). Nodes are named as
        :func:`short_name` says, as in :func:`output_layer`.
    upstream : (str, number)
        ``("L", ∂L/∂z2)`` from ``whole``, for ``build_scene(upstream=...)``.
    """
    whole.backward()
    nodes = {name: _leaf(whole, name) for name in ("x1", "x2", "b2")}
    for k in (1, 2, 3):
        for name in (f"W1[{k},1]", f"W1[{k},2]", f"b1[{k}]", f"W2[1,{k}]"):
            nodes[name] = _leaf(whole, name)
        weights = [nodes[f"W1[{k},{i}]"] for i in (1, 2)]
        inputs = [nodes["x1"], nodes["x2"]]
        z = linear(weights, inputs, nodes[f"b1[{k}]"], label=short_name(f"z1[{k}]"))
        nodes[f"z1[{k}]"] = z
        nodes[f"a1[{k}]"] = sigmoid(z, short_name(f"a1[{k}]"))
    out = [nodes[f"W2[1,{k}]"] for k in (1, 2, 3)]
    nodes["z2"] = linear(
        out, [nodes[f"a1[{k}]"] for k in (1, 2, 3)], nodes["b2"], label=short_name("z2")
    )
    data = {"x1", "x2", "b2", "W2[1,1]", "W2[1,2]", "W2[1,3]"}
    return _renamed(nodes, "z2", data), ("L", whole["z2"].grad)


def check_against_whole(whole: Graph) -> None:
    """Raise ``ValueError`` unless both parts' gradients equal ``whole``'s (chain rule)."""
    whole.backward()
    expected = {short_name(name): node.grad for name, node in whole.nodes.items()}
    out = output_layer(whole)
    out.backward()
    hidden, (_, upstream) = hidden_layer(whole)
    hidden.backward()
    parts = [(name, node.grad) for name, node in out.nodes.items() if name not in out.data]
    parts += [
        (name, upstream * node.grad)
        for name, node in hidden.nodes.items()
        if name not in hidden.data
    ]
    for name, grad in parts:
        want = expected[name]
        if not math.isclose(grad, want, rel_tol=_REL_TOL, abs_tol=_REL_TOL * abs(upstream)):
            raise ValueError(
                f"{name}: the layer's graph gives dL/d{name} = {grad!r}, the whole "
                f"network's graph {want!r}"
            )


def gradient_rows(whole: Graph, decimals: int = 3) -> list[list[str]]:
    """One row per parameter of ``whole``: name, value and ∂L/∂parameter, rounded."""
    whole.backward()
    names = [f"W1[{k},{i}]" for k in (1, 2, 3) for i in (1, 2)]
    names += [f"b1[{k}]" for k in (1, 2, 3)] + [f"W2[1,{k}]" for k in (1, 2, 3)] + ["b2"]
    return [
        [short_name(n), f"{whole[n].data:.{decimals}f}", f"{whole[n].grad:.{decimals}f}"]
        for n in names
    ]


def _natural_width_pt(scene: Scene) -> float:
    figure = draw(scene)
    return float(figure.get_figwidth() * 72)


def readable_figure(graph: Graph, *, alt: str, caption: str, **options: Any) -> str:
    """A figure of ``graph`` whose smallest label never shows below ``MIN_LABEL_PX``.

    The SVG shrinks with the page down to the width at which its smallest font
    (in points, the SVG's own unit) is drawn at ``MIN_LABEL_PX``; on a narrower
    screen it keeps that width and scrolls sideways inside its own box.
    ``options`` go to ``build_scene`` after ``FIGURE_OPTIONS``.
    """
    options = {**FIGURE_OPTIONS, **options}
    scene = build_scene(graph, **options)
    smallest = min(label.size for label in scene.labels)
    min_width = math.ceil(MIN_LABEL_PX * _natural_width_pt(scene) / smallest)
    markup = inline_svg(to_svg(graph, **options), alt=alt)
    markup = markup.replace("<svg", f'<svg style="min-width: {min_width}px"', 1)
    return (
        f'<figure class="nbn-figure nbn-readable"><div class="nbn-figure-scroll">{markup}</div>'
        f"<figcaption>{caption}</figcaption></figure>"
    )
