"""Figures of graphs: the layered layout, what the scene writes where, and the SVG.

The SVG must parse as XML, be self-contained (nothing fetched when viewed), be
reproducible, and carry the node names and the article's numbers as text.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nbn.graph import Value, batch_or_cost, bias_sum_example, or_neuron
from nbn.graph.layout import layered_layout
from nbn.graph.render import save, to_svg
from nbn.graph.scene import R, _overlap, _text_box, build_scene, display_label

SVG_NS = "{http://www.w3.org/2000/svg}"
OR_X = [[0, 0, 1, 1], [0, 1, 0, 1]]
OR_Y = [[0, 1, 1, 1]]


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def test_or_neuron_svg_is_valid_xml_with_labels_and_article_numbers() -> None:
    texts = svg_texts(to_svg(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)))
    for label in ["w₁", "w₂", "x₁", "x₂", "b", "z", "ŷ", "y", "L"]:
        assert label in texts, label
    # forward: w = (0.1, 0.6), y_hat = 0.5, L = 0.125; backward: dL/db = dL/dz = 0.125
    for number in ["0.1", "0.6", "0.5", "0.125"]:
        assert number in texts, number
    assert texts.count("0.125") >= 3  # L's value, dL/dz on z -> y_hat, dL/db on b -> z


def test_svg_is_self_contained_and_reproducible() -> None:
    graph = bias_sum_example()
    first, second = to_svg(graph), to_svg(graph)
    assert first == second
    for needle in ['href="http', "url(http", "@import", "<script", "<image"]:
        assert needle not in first


def test_bias_sum_figure_shows_both_incoming_gradients_and_their_sum() -> None:
    texts = svg_texts(to_svg(bias_sum_example(3.0, 2.0, 4.0)))
    # b hands nothing up itself; it receives 8 from u (1 x 8) and 20 from v (c x 5)
    assert "8" in texts and "20" in texts
    assert "∂f/∂b = 28" in texts


def test_no_gradient_is_drawn_into_data_nodes() -> None:
    scene = build_scene(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0))
    gradients = [label for label in scene.labels if label.role == "gradient"]
    # edges: w1, x1, w2, x2, b -> z; z -> y_hat; y_hat, y -> L; plus the output stub;
    # x1, x2 and y are data: 9 - 3 = 6 gradient labels on edges + 1 in the legend
    assert len(scene.arrows) == 9
    assert len(gradients) == 6 + 1


@pytest.mark.parametrize(
    "graph",
    [
        or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0),
        bias_sum_example(),
        batch_or_cost(OR_X, OR_Y, [0.1, 0.6], 0.0),
    ],
    ids=["or", "bias_sum", "batch"],
)
def test_edge_labels_overlap_no_node_and_no_other_label(graph: object) -> None:
    scene = build_scene(graph)  # type: ignore[arg-type]
    edge_labels = [t for t in scene.labels if t.angle or t.role in ("forward", "gradient")]
    edge_labels = [t for t in edge_labels if t.ha == "center"]  # not the legend
    boxes = [_text_box(t.x, t.y, t.text, t.size, math.radians(t.angle)) for t in edge_labels]
    nodes = [(c.x, c.y, R, R, 0.0) for c in scene.circles]
    assert not any(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    assert not any(_overlap(a, n) for a in boxes for n in nodes)


def test_hide_leaves_out_the_named_inputs() -> None:
    graph = batch_or_cost(OR_X, OR_Y, [0.1, 0.6], 0.0)
    texts = svg_texts(to_svg(graph, hide_data=True, hide=["w1", "w2"], legend=False))
    assert "b" in texts and "cost" in texts
    assert not {"w₁", "w₂", "x₁⁽¹⁾", "y⁽¹⁾"} & set(texts)
    with pytest.raises(ValueError, match="does not have"):
        build_scene(graph, hide=["w9"])
    with pytest.raises(ValueError, match="only input nodes"):
        build_scene(graph, hide=["z(1)"])


def test_layout_puts_inputs_left_output_right_and_label_next_to_the_loss() -> None:
    g = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)
    layout = layered_layout(g.output)
    x = {node.label: pos[0] for node, pos in layout.position.items()}
    assert x["w1"] == x["x1"] == x["b"] == 0.0
    assert x["z"] == 1.0 and x["y_hat"] == 2.0 and x["L"] == 3.0
    assert x["y"] == 2.0  # moved right, next to its only child L
    by_layer: dict[float, list[float]] = {}
    for lx, ly in layout.position.values():
        by_layer.setdefault(lx, []).append(ly)
    for heights in by_layer.values():
        heights.sort()
        assert all(b - a >= 1.0 - 1e-12 for a, b in itertools.pairwise(heights))


def test_a_bare_value_renders_with_op_names_for_unlabelled_nodes() -> None:
    a = Value(2.0, "a")
    texts = svg_texts(to_svg((a * 3.0).exp()))
    assert {"a", "3", "×", "exp"} <= set(texts)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("w1", "w₁"),
        ("y_hat", "ŷ"),
        ("y_hat(2)", "ŷ⁽²⁾"),
        ("x1(3)", "x₁⁽³⁾"),
        ("W1[2,1]", "W₁[2,1]"),
        ("cost", "cost"),
        ("z", "z"),
        ("a#3", "a#3"),
    ],
)
def test_display_label_writes_subscripts_and_hats(label: str, shown: str) -> None:
    assert display_label(label) == shown


def test_save_writes_png_and_svg(tmp_path: Path) -> None:
    graph = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0)
    png = save(graph, tmp_path / "or.png", dpi=40)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = save(graph, tmp_path / "or.svg")
    assert "w₁" in svg_texts(svg.read_text(encoding="utf-8"))


def test_upstream_turns_a_parts_gradients_into_the_losss() -> None:
    # the part a = sigmoid(w x) of L = 1/2 (y - a)^2; by hand dL/da = -(y - a) and
    # dL/dw = dL/da * a (1 - a) * x
    w, x, y = 0.8, 1.5, 1.0
    a = 1.0 / (1.0 + math.exp(-w * x))
    w_node, x_node = Value(w, "w"), Value(x, "x")
    part = (w_node * x_node).sigmoid("a")
    scene = build_scene(part, upstream=("L", -(y - a)))
    want = -(y - a) * a * (1.0 - a) * x
    assert math.isclose(w_node.grad, want, rel_tol=1e-12), (w_node.grad, want)
    legend = [t.text for t in scene.labels if t.ha == "left"]
    assert "gradient ∂L/∂·, local × upstream" in legend, legend
    # the arrow out of the part carries dL/da
    assert f"{-(y - a):.3f}".rstrip("0") in [t.text for t in scene.labels], scene.labels


def test_text_scale_enlarges_the_numbers_and_spreads_the_rows() -> None:
    graph = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)
    plain, large = build_scene(graph), build_scene(graph, text_scale=1.5)
    for before, after in zip(plain.labels, large.labels, strict=True):
        assert before.text == after.text
        if before.role != "name":  # names are also held to the circle
            assert math.isclose(after.size, 1.5 * before.size, rel_tol=1e-12), after
    height = plain.ylim[1] - plain.ylim[0], large.ylim[1] - large.ylim[0]
    width = plain.xlim[1] - plain.xlim[0], large.xlim[1] - large.xlim[0]
    # the width comes from the layers alone, the same sums at either scale
    assert height[1] > height[0] and math.isclose(width[1], width[0], rel_tol=1e-12), (
        height,
        width,
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"text_scale": 3.0}, "text_scale must be a number from 0.5 to 2, got 3.0"),
        ({"text_scale": float("nan")}, "text_scale must be a number from 0.5 to 2, got nan"),
        ({"upstream": 0.5}, "upstream must be a pair (loss name, gradient at the root), got 0.5"),
        ({"upstream": ("", 1.0)}, "upstream must be a pair"),
    ],
)
def test_bad_scene_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_scene(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0), **options)  # type: ignore[arg-type]
