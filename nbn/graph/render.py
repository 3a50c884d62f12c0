"""Static figures of a graph, in the article's style, drawn with matplotlib.

:func:`nbn.graph.scene.build_scene` decides what the figure says and where;
this module only draws it. matplotlib is imported inside the functions, so
``import nbn.graph`` does not need it. Text is written as SVG ``<text>``
(``svg.fonttype: none``): small files, searchable numbers, and no fonts or
scripts to fetch when the page is viewed.

Colours: forward values blue, gradients red; data inputs green, parameters
amber, operations pale blue, the output pale red.

Why matplotlib: it installs as a wheel from PyPI (no system binary, unlike
Graphviz's ``dot``, which the ``graphviz`` Python package only wraps), it is
already in the docs extra, and it writes a static, self-contained SVG at build
time, so nothing is fetched or run when a page is viewed (unlike Mermaid or
D3, which lay out in the browser). The layout is our own small layered
algorithm (:mod:`nbn.graph.layout`), deterministic and free to put the
article's numbers on the edges where they fit.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .builders import Graph
from .scene import INCH, R, Scene, build_scene, display_label
from .value import Value

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["COLORS", "display_label", "draw", "figure", "save", "to_svg"]

#: Colours of the text roles and node kinds.
COLORS = {
    "forward": "#1f5fa8",
    "gradient": "#c62828",
    "total": "#c62828",
    "op": "#555555",
    "name": "#111111",
    "title": "#111111",
    "edge": "#8a8a8a",
    "outline": "#3a3a3a",
    "data": "#d8efd3",
    "parameter": "#fde9b8",
    "operation": "#e3ecf7",
    "output": "#f6d5d2",
}


def _settings() -> Any:
    """matplotlib settings: text as ``<text>``, reproducible ids, and a font list that
    ends in the generic ``sans-serif`` (a viewer without DejaVu Sans uses its own)."""
    import matplotlib

    return matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "nbn", "font.family": "sans-serif"}
    )


#: A faint white box behind text, so that crossing edges do not cut through it.
_HALO = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}


def draw(scene: Scene) -> Figure:
    """A matplotlib figure of ``scene`` (equal aspect, one inch = 1/INCH units)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    (x0, x1), (y0, y1) = scene.xlim, scene.ylim
    fig = Figure(figsize=((x1 - x0) * INCH, (y1 - y0) * INCH))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")
    for arrow in scene.arrows:
        ax.annotate(
            "", xy=arrow.end, xytext=arrow.start, zorder=1,
            arrowprops={"arrowstyle": "-|>", "color": COLORS["edge"], "lw": 1.1,
                        "shrinkA": 0, "shrinkB": 0, "mutation_scale": 11},
        )  # fmt: skip
    for c in scene.circles:
        ax.add_patch(
            Circle((c.x, c.y), R, facecolor=COLORS[c.kind], edgecolor=COLORS["outline"],
                   lw=1.2, zorder=2)
        )  # fmt: skip
    for t in scene.labels:
        ax.text(
            t.x, t.y, t.text, color=COLORS[t.role], fontsize=t.size, rotation=t.angle,
            rotation_mode="anchor", ha=t.ha, va="center_baseline", zorder=3,
            bbox=None if t.role == "name" else _HALO,
        )  # fmt: skip
    return fig


def figure(graph_or_root: Graph | Value, **options: Any) -> Figure:
    """Run ``backward()`` and draw the graph: ``draw(build_scene(graph_or_root, **options))``.

    Takes the keyword options of :func:`nbn.graph.scene.build_scene` (``hide_data``,
    ``hide``, ``decimals``, ``title``, ``legend``, ``text_scale``, ``upstream``).
    """
    return draw(build_scene(graph_or_root, **options))


def to_svg(graph_or_root: Graph | Value, **options: Any) -> str:
    """The graph as a standalone SVG document (no external references, deterministic).

    Takes the keyword options of :func:`nbn.graph.scene.build_scene`.
    """
    with _settings():
        buffer = io.StringIO()
        figure(graph_or_root, **options).savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def save(graph_or_root: Graph | Value, path: str | Path, dpi: int = 150, **options: Any) -> Path:
    """Write the figure to ``path``; the format follows the suffix (``.svg``, ``.png``, ...)."""
    path = Path(path)
    meta = {"Date": None} if path.suffix.lower() in (".svg", ".pdf") else None
    with _settings():
        figure(graph_or_root, **options).savefig(path, dpi=dpi, metadata=meta)
    return path
