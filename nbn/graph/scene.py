"""What a graph figure shows, as plain shapes: circles, arrows and placed text.

:func:`build_scene` decides everything a figure says and where (no matplotlib
here); :mod:`nbn.graph.render` only draws the shapes. The rules:

- nodes in layers from left (inputs) to right (output), see :mod:`.layout`;
- on each edge the parent's forward value above the arrow and the gradient
  flowing back along it (``local x upstream``) below; none into the data
  (``x``, ``y``), as in the article;
- a node with several children has one forward value for all its edges (left
  of an input, above other nodes) and, under it, its total gradient: the sum
  of what flows in;
- edge labels slide along their edge until they overlap no node and no other
  label (sizes are estimated from the font size; the figure uses an equal
  aspect, so the estimates hold for rotated text too);
- a part of a larger graph (one layer of a network) can be drawn with the
  gradients of the whole graph's loss: ``upstream`` names the loss and gives
  its gradient with respect to the part's output, and every gradient of the
  part is multiplied by it (the chain rule).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .builders import Graph
from .layout import Layout, layered_layout
from .payload import Payload
from .trace import format_number
from .value import Value, topological_order

__all__ = ["Arrow", "Circle", "Label", "Scene", "build_scene", "display_label"]

# geometry in data units; one unit is INCH inches on paper
DX, DY, R, INCH = 3.0, 1.3, 0.42, 0.62
_GAP = 0.07  # between an edge and its labels
_CHAR = 0.6  # average glyph width, in em

_OPS = {
    "+": "+",
    "-": "−",
    "*": "×",
    "/": "÷",
    "neg": "−x",
    "exp": "exp",
    "log": "log",
    "sigmoid": "σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "linear": "Σ w·x + b",
    "squared_error": "½(y − ŷ)²",
    "cost": "Σ(y − ŷ)² / 2m",
}
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


@dataclass(frozen=True)
class Circle:
    """A node: centre, display name and kind (data, parameter, operation, output)."""

    x: float
    y: float
    name: str
    kind: str


@dataclass(frozen=True)
class Arrow:
    """An edge, from ``start`` to ``end`` (on the circles' rims)."""

    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True)
class Label:
    """A piece of text, centred at ``(x, y)``, rotated by ``angle`` degrees.

    ``role`` is one of name, op, forward, gradient, total, title, legend.
    """

    x: float
    y: float
    text: str
    role: str
    size: float
    angle: float = 0.0
    ha: str = "center"


@dataclass(frozen=True)
class Scene:
    """Everything to draw, and the visible area ``xlim`` x ``ylim``."""

    circles: list[Circle]
    arrows: list[Arrow]
    labels: list[Label]
    xlim: tuple[float, float]
    ylim: tuple[float, float]


def display_label(label: str) -> str:
    """A node name as the article writes it: ``w1`` -> ``w₁``, ``y_hat(2)`` -> ``ŷ⁽²⁾``."""
    m = re.fullmatch(r"([A-Za-z]+?)(_hat)?(\d*)(\(\d+\))?(\[[\d,]+\])?", label)
    if not m:
        return label
    name, hat, digits, example, index = m.groups()
    if hat:  # the precomposed letter where there is one, else a combining circumflex
        name = "\u0177" if name == "y" else name + "\u0302"
    return name + digits.translate(_SUB) + (example or "").translate(_SUP) + (index or "")


def op_text(op: str, n_parents: int = 0) -> str:
    """An op as a short formula: ``sigmoid`` -> ``σ``, ``**2`` -> ``x²``.

    A ``linear`` node has pairs ``(w_i, x_i)`` of parents, plus one for a bias.
    """
    if op == "linear" and n_parents % 2 == 0:
        return "Σ w·x"
    if op.startswith("**"):
        power = op[2:]
        return "x" + power.translate(_SUP) if power.isdigit() else f"x^{power}"
    return _OPS.get(op, op)


# -- overlap tests between rotated rectangles ----------------------------------
_Box = tuple[float, float, float, float, float]  # centre x, y, half width, half height, angle


def _text_box(x: float, y: float, text: str, size: float, angle: float = 0.0) -> _Box:
    em = size / 72 / INCH
    return (x, y, 0.5 * len(text) * _CHAR * em + 0.04, 0.5 * 1.15 * em, angle)


def _overlap(a: _Box, b: _Box) -> bool:
    """Separating-axis test for two rotated rectangles."""
    axes = []
    for box in (a, b):
        c, s = math.cos(box[4]), math.sin(box[4])
        axes += [(c, s), (-s, c)]

    def radius(box: _Box, u: tuple[float, float]) -> float:
        c, s = math.cos(box[4]), math.sin(box[4])
        return box[2] * abs(u[0] * c + u[1] * s) + box[3] * abs(-u[0] * s + u[1] * c)

    dx, dy = b[0] - a[0], b[1] - a[1]
    return all(abs(dx * u[0] + dy * u[1]) < radius(a, u) + radius(b, u) for u in axes)


# -- the scene -------------------------------------------------------------------
def _layer_x(layout: Layout) -> list[float]:
    """x of each layer: a gap widens with the number of edges crossing it."""
    n_layers = 1 + int(max(x for x, _ in layout.position.values()))
    crossing = [0] * n_layers
    for p, c in layout.edges:
        for gap in range(int(layout.position[p][0]), int(layout.position[c][0])):
            crossing[gap] += 1
    xs = [0.0]
    for gap in range(n_layers - 1):
        xs.append(xs[-1] + DX * min(2.0, max(1.0, crossing[gap] / 6)))
    return xs


def _parts(graph_or_root: Graph | Value) -> tuple[Value, dict[Value, str], set[Value]]:
    """The root, a name per named node, and the data nodes."""
    if isinstance(graph_or_root, Graph):
        names = {node: name for name, node in graph_or_root.nodes.items()}
        return graph_or_root.output, names, {graph_or_root.nodes[k] for k in graph_or_root.data}
    if isinstance(graph_or_root, Value):
        return graph_or_root, {}, set()
    raise TypeError(f"expected a Graph or a Value, got {type(graph_or_root).__name__}")


def _flow(parent: Value, child: Value) -> Payload:
    """What ``child`` hands ``parent``: local x upstream, summed if the parent repeats."""
    total = None
    for p, g in zip(child.parents, child.local_grads, strict=True):
        if p is parent:
            total = g * child.grad if total is None else total + g * child.grad
    return total


def build_scene(
    graph_or_root: Graph | Value,
    *,
    hide_data: bool = False,
    hide: Collection[str] = (),
    decimals: int = 3,
    title: str | None = None,
    legend: bool = True,
    text_scale: float = 1.0,
    upstream: tuple[str, Payload] | None = None,
) -> Scene:
    """Run ``backward()`` on the graph and lay out its figure.

    Parameters
    ----------
    graph_or_root : Graph or Value
    hide_data : bool, default False
        Leave out the data inputs (``Graph.data``).
    hide : collection of str, optional
        Names (or labels) of further input nodes to leave out, e.g. ``["w1", "w2"]``
        to show only the bias shared by a batch.
    decimals : int, default 3
        Floats are rounded to this many places, as in the article.
    title : str, optional
    legend : bool, default True
        A line under the figure saying which colour is which.
    text_scale : float, default 1.0
        Every font size is multiplied by it (between 0.5 and 2), e.g. 1.2 for a
        figure that a page shows smaller than its natural size.
    upstream : (str, number), optional
        ``(loss name, d loss / d root)``: the graph is the last part of a larger
        one whose loss has this gradient at the root. Every gradient shown is
        then ``d loss / d node = upstream * d root / d node`` and is named after
        the loss.
    """
    if not (isinstance(text_scale, (int, float)) and 0.5 <= text_scale <= 2.0):
        raise ValueError(f"text_scale must be a number from 0.5 to 2, got {text_scale!r}")
    if upstream is not None and not (
        isinstance(upstream, Sequence)
        and len(upstream) == 2
        and isinstance(upstream[0], str)
        and upstream[0]
    ):
        raise ValueError(
            f"upstream must be a pair (loss name, gradient at the root), got {upstream!r}"
        )
    root, names, data = _parts(graph_or_root)
    root.backward()
    if upstream is not None:
        for node in topological_order(root):
            # chain rule: d loss/d node = d loss/d root * d root/d node
            node.grad = upstream[1] * node.grad
    name_of = {n: names.get(n) or n.label for n in topological_order(root)}
    hide = set(hide)
    if hide - set(name_of.values()):
        raise ValueError(
            f"hide names nodes the graph does not have: {sorted(hide - set(name_of.values()))}"
        )
    hidden = {n for n, k in name_of.items() if k in hide} | (data if hide_data else set())
    loss_name = display_label(upstream[0]) if upstream is not None else None
    builder = _Builder(
        layered_layout(root, hidden=hidden), root, name_of, data, decimals, loss_name, text_scale
    )
    fixed = builder.node_labels()
    obstacles = [(x, y, R, R, 0.0) for x, y in builder.pos.values()]
    obstacles += [_text_box(t.x, t.y, t.text, t.size) for t in fixed if t.role != "name"]
    arrows, edge_labels = builder.edges(obstacles)
    xlim, ylim = builder.frame(fixed, title, legend)
    return Scene(builder.circles(), arrows, fixed + edge_labels, xlim, ylim)


class _Builder:
    """The pieces of :func:`build_scene`, sharing the layout and the node names."""

    def __init__(
        self,
        layout: Layout,
        root: Value,
        name_of: dict[Value, str],
        data: set[Value],
        decimals: int,
        loss_name: str | None = None,
        text_scale: float = 1.0,
    ) -> None:
        self.layout, self.root, self.name_of, self.data = layout, root, name_of, data
        self.decimals, self.scale = decimals, text_scale
        xs = _layer_x(layout)
        # rows move apart with larger text, so that labels of converging edges keep
        # their room; the width, which sets how small a page shows the figure, stays
        dy = DY * max(1.0, text_scale)
        self.pos = {n: (xs[int(x)], -y * dy) for n, (x, y) in layout.position.items()}
        # unlabelled nodes show their op, unlabelled constants their value
        self.shown = {
            n: display_label(name_of[n])
            if name_of[n]
            else op_text(n.op)
            if n.op
            else self.fmt(n.data)
            for n in layout.nodes
        }
        self.children = {n: 0 for n in layout.nodes}
        for p, _ in layout.edges:
            self.children[p] += 1
        # the name in the gradients' labels: the root's, or the loss above it
        self.out_name = loss_name or self.shown[root]

    def size(self, points: float) -> float:
        """A font size of the unscaled figure, scaled."""
        return points * self.scale

    def name_size(self, name: str) -> float:
        """A node name's font size: smaller for longer names, which must fit the circle."""
        base = 12.0 if len(name) <= 3 else max(7.0, 15.0 - len(name))
        fits = 2 * R * 0.9 * 72 * INCH / (len(name) * _CHAR)  # points across the circle
        return min(self.size(base), max(base, fits))

    def fmt(self, v: Payload) -> str:
        return format_number(v, self.decimals)

    def kind(self, node: Value) -> str:
        if node is self.root:
            return "output"
        if node in self.data:
            return "data"
        return "operation" if node.parents else "parameter"

    def circles(self) -> list[Circle]:
        return [Circle(*self.pos[n], self.shown[n], self.kind(n)) for n in self.layout.nodes]

    def node_labels(self) -> list[Label]:
        """Name inside; op and shared forward value above; total gradient below."""
        labels = []
        out_name, value_size = self.out_name, self.size(9.0)
        for node in self.layout.nodes:
            (x, y), name, fan_out = self.pos[node], self.shown[node], self.children[node]
            labels.append(Label(x, y, name, "name", self.name_size(name)))
            op = op_text(node.op, len(node.parents))
            above = [(op, "op", self.size(8.0))] if node.op and self.name_of[node] else []
            if fan_out > 1 and node.parents:  # one forward value for all its edges
                above.append((self.fmt(node.data), "forward", value_size))
            elif fan_out > 1:  # an input: its value to its left
                text = self.fmt(node.data)
                left = x - R - 0.06 - _text_box(0, 0, text, value_size)[2]
                labels.append(Label(left, y, text, "forward", value_size))
            y_text = y + R + 0.04
            for text, role, size in above:
                half = _text_box(0, 0, text, size)[3]
                labels.append(Label(x, y_text + half, text, role, size))
                y_text += 2 * half + 0.02
            if node not in self.data and fan_out > 1:  # the sum of what flows in
                text = f"∂{out_name}/∂{name} = {self.fmt(node.grad)}"
                half = _text_box(0, 0, text, self.size(8.5))[3]
                labels.append(Label(x, y - R - 0.04 - half, text, "total", self.size(8.5)))
        return labels

    def edges(self, obstacles: list[_Box]) -> tuple[list[Arrow], list[Label]]:
        """Arrows, each with its forward value above and its gradient below."""
        arrows: list[Arrow] = []
        labels: list[Label] = []
        children = self.children
        fan_in = {n: len(set(n.parents)) for n in self.layout.nodes}
        slot = _slots(self.layout, self.pos, children)
        for parent, child in self.layout.edges:
            a, b = _rim(self.pos[parent], self.pos[child])
            arrows.append(Arrow(a, b))
            # start where the edge is least crowded: near the parent when the child has
            # many parents, spread along the edge when the parent has many children
            t = 0.3 + 0.4 * children[parent] / (children[parent] + fan_in[child])
            if children[parent] > 1:
                t = 0.2 + 0.6 * (slot[parent, child] + 0.5) / children[parent]
            fwd = self.fmt(parent.data) if children[parent] == 1 else None
            grad = None if parent in self.data else self.fmt(_flow(parent, child))
            labels += _place(a, b, t, fwd, grad, obstacles, self.size(9.0))
        rx, ry = self.pos[self.root]
        a, b = (rx + R, ry), (rx + 0.7 * DX, ry)
        arrows.append(Arrow(a, b))
        root_text = (self.fmt(self.root.data), self.fmt(self.root.grad))
        labels += _place(a, b, 0.5, *root_text, obstacles, self.size(9.0))
        return arrows, labels

    def frame(
        self, labels: list[Label], title: str | None, legend: bool
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The visible area; adds the title and the legend to ``labels``."""
        all_x = [x for x, _ in self.pos.values()]
        all_y = [y for _, y in self.pos.values()]
        x0, x1 = min(all_x) - 2.0, max(all_x) + 0.85 * DX
        y0, y1 = min(all_y) - 1.2, max(all_y) + 1.0 + (0.5 if title else 0.0)
        if title:
            labels.append(Label((x0 + x1) / 2, y1 - 0.35, title, "title", self.size(12.0)))
        if legend:
            x, size = x0 + 0.2, self.size(9.0)
            for text, role in (
                ("forward value", "forward"),
                (f"gradient ∂{self.out_name}/∂·, local × upstream", "gradient"),
            ):
                labels.append(Label(x, y0 + 0.3, text, role, size, ha="left"))
                x += 2 * _text_box(0, 0, text, size)[2] + 0.5
        return (x0, x1), (y0, y1)


def _rim(
    p: tuple[float, float], c: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The segment from circle ``p`` to circle ``c``, between their rims."""
    d = math.hypot(c[0] - p[0], c[1] - p[1])
    ux, uy = (c[0] - p[0]) / d, (c[1] - p[1]) / d
    return (p[0] + ux * R, p[1] + uy * R), (c[0] - ux * R, c[1] - uy * R)


def _slots(
    layout: Layout, pos: dict[Value, tuple[float, float]], children: dict[Value, int]
) -> dict[tuple[Value, Value], int]:
    """A spot along the edge for each edge of a parent with several children.

    The edges of one parent get different spots (top child first); the next such
    parent starts one spot further, so that labels converging on one child differ.
    """
    slot: dict[tuple[Value, Value], int] = {}
    for turn, parent in enumerate(n for n in layout.nodes if children[n] > 1):
        kids = sorted((c for p, c in layout.edges if p is parent), key=lambda c: -pos[c][1])
        slot.update({(parent, c): (k + turn) % len(kids) for k, c in enumerate(kids)})
    return slot


def _place(
    a: tuple[float, float],
    b: tuple[float, float],
    t: float,
    fwd: str | None,
    grad: str | None,
    obstacles: list[_Box],
    size: float = 9.0,
) -> list[Label]:
    """Put ``fwd`` above and ``grad`` below the edge ``a -> b``, near ``t``, clear of
    ``obstacles`` if any spot is (else where it overlaps least); adds them to obstacles."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    nx, ny = -math.sin(angle), math.cos(angle)
    candidates = [t] + [t + s * k * 0.07 for k in range(1, 6) for s in (1, -1)]
    best: tuple[int, list[_Box], list[Label]] = (-1, [], [])
    for u in (min(0.88, max(0.12, c)) for c in candidates):
        px, py = a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])
        boxes, labels = [], []
        for text, role, side in ((fwd, "forward", 1), (grad, "gradient", -1)):
            if text is None:
                continue
            half = _text_box(0, 0, text, size)[3]
            off = side * (_GAP + half)
            cx, cy = px + nx * off, py + ny * off
            boxes.append(_text_box(cx, cy, text, size, angle))
            labels.append(Label(cx, cy, text, role, size, math.degrees(angle)))
        hits = sum(_overlap(box, o) for box in boxes for o in obstacles)
        if best[0] < 0 or hits < best[0]:
            best = (hits, boxes, labels)
        if hits == 0:
            break
    obstacles += best[1]
    return best[2]
