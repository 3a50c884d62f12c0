"""The hidden-layers page's backward pass, drawn one layer at a time (docs/_support/two_layer.py).

Each layer's graph must give the whole network's gradients (checked against a
backward pass of the 2-3-1 network written out by hand below, sharing no code
with the engine), its figure must have no crossing edges and few labels, and
its smallest label must never be shown below 11 px (the SVG's minimum width).
"""

from __future__ import annotations

import math
import re

import docs_pages  # noqa: F401  (puts docs/_support on sys.path)
import pytest
from two_layer import (
    FIGURE_OPTIONS,
    MIN_LABEL_PX,
    check_against_whole,
    gradient_rows,
    hidden_layer,
    output_layer,
    readable_figure,
    short_name,
)

from nbn.graph import builders
from nbn.graph.scene import build_scene

# Arbitrary numbers, not the page's: x, y, W1 (3 x 2), b1, W2 (3), b2.
X = [0.7, -1.3]
Y = 1.0
W1 = [[0.5, -0.2], [-0.9, 0.4], [0.3, 0.8]]
B1 = [0.1, -0.05, 0.2]
W2 = [1.1, -0.6, 0.45]
B2 = -0.15


def whole() -> builders.Graph:
    return builders.network_2_3_1(X, Y, W1, B1, W2, B2)


def hand_gradients() -> dict[str, float]:
    """dL/d(parameter) of L = 1/2 (y - sigmoid(W2 . sigmoid(W1 x + b1) + b2))^2, by hand."""

    def sig(t: float) -> float:
        return 1.0 / (1.0 + math.exp(-t))

    a = [sig(W1[k][0] * X[0] + W1[k][1] * X[1] + B1[k]) for k in range(3)]
    y_hat = sig(sum(W2[k] * a[k] for k in range(3)) + B2)
    dz2 = -(Y - y_hat) * y_hat * (1.0 - y_hat)  # dL/dy_hat * dy_hat/dz2
    grads = {"b2": dz2}
    for k in range(3):
        grads[f"W2[1,{k + 1}]"] = dz2 * a[k]
        dz1 = dz2 * W2[k] * a[k] * (1.0 - a[k])  # through a1[k] = sigmoid(z1[k])
        grads[f"b1[{k + 1}]"] = dz1
        for i in range(2):
            grads[f"W1[{k + 1},{i + 1}]"] = dz1 * X[i]
    return grads


def test_each_layers_graph_gives_the_hand_derived_gradients() -> None:
    expected = hand_gradients()
    out = output_layer(whole())
    out.backward()
    hidden, (loss, upstream) = hidden_layer(whole())
    hidden.backward()
    assert loss == "L"
    for name, want in expected.items():
        part = out if name.startswith(("W2", "b2")) else hidden
        scale = 1.0 if part is out else upstream
        got = scale * part[short_name(name)].grad
        # a dozen float operations in another order: a relative 1e-12
        assert math.isclose(got, want, rel_tol=1e-12), (name, got, want)


def test_check_against_whole_passes_and_the_table_rounds_the_hand_gradients() -> None:
    check_against_whole(whole())
    expected = hand_gradients()
    rows = {row[0]: row for row in gradient_rows(whole())}
    assert len(rows) == len(expected) == 13
    for name, want in expected.items():
        shown = float(rows[short_name(name)][2])
        assert abs(shown - want) <= 0.0005 + 1e-15, (name, shown, want)  # 3 decimals


def _crosses(p: tuple[float, ...], q: tuple[float, ...]) -> bool:
    """Whether segments p = (x1, y1, x2, y2) and q cross at a point inside both."""

    def side(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)

    d1 = side(q[0], q[1], q[2], q[3], p[0], p[1])
    d2 = side(q[0], q[1], q[2], q[3], p[2], p[3])
    d3 = side(p[0], p[1], p[2], p[3], q[0], q[1])
    d4 = side(p[0], p[1], p[2], p[3], q[2], q[3])
    return d1 * d2 < 0 and d3 * d4 < 0


@pytest.mark.parametrize("layer", ["output", "hidden"])
def test_layer_figure_has_no_crossing_edges_and_few_labels(layer: str) -> None:
    if layer == "output":
        scene = build_scene(output_layer(whole()), **FIGURE_OPTIONS)
    else:
        graph, upstream = hidden_layer(whole())
        scene = build_scene(graph, upstream=upstream, **FIGURE_OPTIONS)
    segments = [(*a.start, *a.end) for a in scene.arrows]
    crossing = [(p, q) for i, p in enumerate(segments) for q in segments[i + 1 :] if _crosses(p, q)]
    assert not crossing, crossing
    # the whole network in one figure: 25 nodes, 83 labels and 9 pairs of crossing edges
    assert len(scene.labels) <= 60, len(scene.labels)
    everything = build_scene(whole())
    assert len(scene.labels) < len(everything.labels), (len(scene.labels), len(everything.labels))


def test_readable_figure_keeps_its_smallest_label_at_11_px() -> None:
    graph = output_layer(whole())
    markup = readable_figure(graph, alt="output layer", caption="c")
    min_width = float(re.search(r"min-width: (\d+)px", markup).group(1))  # type: ignore[union-attr]
    width_pt = float(re.search(r'width="([\d.]+)pt"', markup).group(1))  # type: ignore[union-attr]
    # the SVG's unit is its point: a font of s units is drawn at s * shown width / width units
    sizes = [float(s) for s in re.findall(r"font-size: ?([\d.]+)px", markup)]
    sizes += [float(s) for s in re.findall(r"font: ?([\d.]+)px", markup)]
    assert sizes, "no font sizes found in the SVG"
    assert min(sizes) * min_width / width_pt >= MIN_LABEL_PX - 0.01, (min(sizes), min_width)
    assert 'class="nbn-figure nbn-readable"' in markup and "nbn-figure-scroll" in markup
