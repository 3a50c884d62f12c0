"""Figures and small computations for the pages single-neuron, loss, backprop,
bias, learning-rate, faq and code.

Everything here runs while the site builds, from the pages' markdown-exec
blocks: every curve, point and boundary is computed by ``nbn`` (or SymPy) at
build time. Colours follow the article: red for class 0, green for class 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from common import new_figure
from matplotlib.colors import ListedColormap
from numpy.typing import NDArray

import nbn
from nbn import SigmoidLayer, compute_cost

__all__ = [
    "GREEN",
    "RED",
    "backward_table",
    "boundary_figure",
    "data_figure",
    "descent_path",
    "forward_table",
    "gradients_of",
    "learning_curve_figure",
    "learning_rate_figure",
    "sigmoid_figure",
    "squared_loss_figure",
]

FloatArray = NDArray[np.float64]

RED = "#d62728"
GREEN = "#2ca02c"
BLUE = "#1f77b4"
ORANGE = "#ff7f0e"


def _plot_points(ax: Any, X: Any, Y: Any) -> None:
    """Class-0 examples as red dots, class-1 examples as green crosses."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(Y).ravel()
    ax.scatter(X[0, y == 0], X[1, y == 0], c=RED, marker="o", s=70, label="y = 0", zorder=3)
    ax.scatter(
        X[0, y == 1], X[1, y == 1], c=GREEN, marker="x", s=90, lw=2.5, label="y = 1", zorder=3
    )


def data_figure(X: Any, Y: Any, title: str) -> Any:
    """Scatter plot of a two-feature data set (features x examples)."""
    fig, ax = new_figure(3.6, 3.4)
    _plot_points(ax, X, Y)
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylim(-0.4, 1.4)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    return fig


def sigmoid_figure(z_marks: Sequence[float] = (0.0,)) -> Any:
    """The sigmoid (from ``nbn.sigmoid``) and its derivative (from ``SigmoidLayer``)."""
    z = np.linspace(-8.0, 8.0, 401)
    s = nbn.sigmoid(z.reshape(1, -1))
    ds = SigmoidLayer.local_grad(z.reshape(1, -1), s)
    fig, ax = new_figure(6.4, 3.4)
    ax.plot(z, s.ravel(), color=BLUE, lw=2, label=r"$\sigma(z)$")
    ax.plot(
        z, ds.ravel(), color=ORANGE, lw=2, ls="--", label=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$"
    )
    for z0 in z_marks:
        s0 = float(nbn.sigmoid(np.array([[z0]]))[0, 0])
        d0 = float(SigmoidLayer.local_grad(np.array([[z0]]), np.array([[s0]]))[0, 0])
        ax.plot([z0, z0], [s0, d0], "o", color="black", ms=4, zorder=3)
        ax.annotate(f"σ({z0:g}) = {s0:g}", (z0, s0), xytext=(8, 6), textcoords="offset points")
        ax.annotate(f"σ'({z0:g}) = {d0:g}", (z0, d0), xytext=(8, -12), textcoords="offset points")
    ax.set_xlabel("$z$")
    ax.set_ylabel("value")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(loc="upper left", fontsize=9)
    ax.set_title("The sigmoid and its derivative")
    return fig


def squared_loss_figure(y: float, y_hat: float) -> Any:
    """The squared-error loss as a function of the prediction, for a fixed label ``y``.

    The loss and its slope at ``y_hat`` come from ``nbn.compute_cost`` (one example,
    so the cost is the loss).
    """
    grid = np.linspace(-0.2, 1.2, 141)
    # With one example the cost is the loss: one compute_cost call per grid point.
    losses = np.array([compute_cost(np.array([[y]]), np.array([[g]]))[0] for g in grid])
    loss0, grad0 = compute_cost(np.array([[y]]), np.array([[y_hat]]))
    slope = float(grad0[0, 0])
    fig, ax = new_figure(5.2, 3.4)
    ax.plot(grid, losses, color=BLUE, lw=2, label=r"$L(\hat y)=\frac{1}{2}(y-\hat y)^2$")
    tangent = loss0 + slope * (grid - y_hat)
    ax.plot(
        grid, tangent, color=ORANGE, ls="--", lw=1.5, label=f"slope at ŷ = {y_hat:g}: {slope:g}"
    )
    ax.plot([y_hat], [loss0], "o", color="black", ms=5, zorder=3)
    ax.annotate(f"L = {loss0:g}", (y_hat, loss0), xytext=(10, -4), textcoords="offset points")
    ax.set_ylim(-0.02, max(losses.max(), 0.4))
    ax.set_xlabel(r"prediction $\hat y$")
    ax.set_ylabel("loss $L$")
    ax.set_title(f"Squared-error loss for y = {y:g}")
    ax.legend(loc="upper center", fontsize=8)
    return fig


# ---------------------------------------------------------------- learning rate


def descent_path(
    grad: Callable[[float], float], start: float, alpha: float, steps: int
) -> list[float]:
    """Parameters visited by ``steps`` gradient-descent steps ``p <- p - alpha * grad(p)``."""
    path = [float(start)]
    for _ in range(steps):
        p = path[-1]
        path.append(p - alpha * grad(p))
    return path


def learning_rate_figure(
    loss: Callable[[FloatArray], FloatArray],
    panels: Sequence[tuple[str, Sequence[float], str]],
    xlabel: str,
    minimum: float,
) -> Any:
    """One panel per learning rate: the u-shaped loss and the steps taken on it.

    Parameters
    ----------
    loss : callable
        The loss as a function of the parameter, vectorised: ndarray of shape (n,)
        to ndarray of shape (n,).
    panels : sequence of (title, parameters visited, note)
        ``note`` is printed in the panel's corner (may be empty).
    xlabel : str
        Name of the parameter.
    minimum : float
        Where the loss is smallest; every panel shows it.
    """
    fig, axes = new_figure(8.6, 6.6, nrows=2, ncols=2)
    for ax, (title, path, note) in zip(np.ravel(axes), panels, strict=True):
        pts = np.asarray(path, dtype=float)
        lo, hi = min(float(pts.min()), minimum), max(float(pts.max()), minimum)
        span = hi - lo
        grid = np.linspace(lo - 0.12 * span, hi + 0.12 * span, 400)
        ax.plot(grid, loss(grid), color=BLUE, lw=1.8, zorder=1)
        values = loss(pts)
        for i in range(len(pts) - 1):
            if abs(pts[i + 1] - pts[i]) < 1e-3 * span:
                continue  # too short to draw an arrow
            ax.annotate(
                "",
                xy=(pts[i + 1], values[i + 1]),
                xytext=(pts[i], values[i]),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": GREEN,
                    "lw": 1.3,
                    "shrinkA": 2,
                    "shrinkB": 2,
                },
                zorder=2,
            )
        ax.plot(pts, values, "o", color=GREEN, ms=3, zorder=3)
        ax.plot([pts[0]], [values[0]], "o", color="black", ms=5, zorder=4, label="start")
        ax.axvline(minimum, color="grey", lw=0.8, ls=":", zorder=0)
        if note:
            ax.text(
                0.5,
                0.97,
                note,
                transform=ax.transAxes,
                ha="center",
                va="top",
                fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("loss")
        ax.ticklabel_format(axis="both", style="sci", scilimits=(-3, 4))
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- training runs


def learning_curve_figure(epochs: Sequence[int], costs: Sequence[float], title: str) -> Any:
    """Cost against epoch."""
    fig, ax = new_figure(4.4, 3.6)
    ax.plot(epochs, costs, color=BLUE, lw=2)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    ax.set_title(title)
    return fig


def boundary_figure(
    probabilities: Callable[[FloatArray], FloatArray],
    X: Any,
    Y: Any,
    title: str,
    *,
    shaded: bool = True,
    lim: tuple[float, float] = (-0.5, 1.5),
) -> Any:
    """Decision boundary (output = 0.5) of a trained model, optionally shaded by class."""
    grid = np.linspace(lim[0], lim[1], 301)
    g1, g2 = np.meshgrid(grid, grid)
    P = probabilities(np.vstack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    fig, ax = new_figure(4.0, 3.8)
    if shaded:
        ax.contourf(
            g1,
            g2,
            (P >= 0.5).astype(float),
            levels=[-0.5, 0.5, 1.5],
            cmap=ListedColormap(["#f6c6c6", "#c9ebc9"]),
        )
    ax.contour(g1, g2, P, levels=[0.5], colors="black", linewidths=1.5)
    _plot_points(ax, X, Y)
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.grid(False)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    return fig


# ---------------------------------------------------------------- graph-engine traces


def _num(x: object, digits: int = 4) -> str:
    """A payload as a short decimal: ``digits`` places, trailing zeros dropped."""
    from common import fmt

    text = fmt(float(x), digits)  # type: ignore[arg-type]
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


#: How node names are shown in tables.
_SHOW = {"y_hat": "ŷ", "w1": "w₁", "w2": "w₂", "x1": "x₁", "x2": "x₂"}


def _show(name: str) -> str:
    return _SHOW.get(name, name)


def forward_table(graph: Any, digits: int = 4) -> str:
    """Markdown table of a graph's forward pass, from ``nbn.graph.trace``, inputs first."""
    from common import table

    from nbn.graph import trace

    rows = []
    for row in trace(graph):
        if not row.op:
            kind = "data" if row.label in graph.data else "parameter"
            rows.append([_show(row.label), kind, "given", _num(row.value, digits)])
        else:
            rows.append(
                [
                    _show(row.label),
                    row.op,
                    "from " + ", ".join(_show(p) for p in row.local_grads),
                    _num(row.value, digits),
                ]
            )
    return table(rows, ["node", "kind / operation", "computed", "value"], "lllr")


def backward_table(graph: Any, digits: int = 4) -> str:
    """Markdown table of backpropagation, one row per edge, from the output backwards.

    Each row is one use of the chain rule: the gradient a node hands a parent is
    its local gradient times the upstream gradient it received. Data nodes
    (features, labels) get no row: training never changes them.
    """
    from common import table

    from nbn.graph import trace

    rows = []
    step = 0
    out = _show(graph.output.label)
    for row in reversed(trace(graph)):
        for parent, local in row.local_grads.items():
            if parent in graph.data:
                continue
            step += 1
            upstream = row.upstream_grad
            rows.append(
                [
                    str(step),
                    f"∂{out}/∂{_show(parent)}" + (" (one path)" if _fan_out(graph, parent) else ""),
                    f"∂{_show(row.label)}/∂{_show(parent)} = {_num(local, digits)}",
                    f"∂{out}/∂{_show(row.label)} = {_num(upstream, digits)}",
                    _num(row.grads_to_parents[parent], digits),
                ]
            )
    return table(rows, ["step", "gradient", "local", "upstream", "local × upstream"], "rllll")


def _fan_out(graph: Any, name: str) -> bool:
    """Whether the named node feeds more than one node (its gradient is then a sum)."""
    from nbn.graph import topological_order

    node = graph[name]
    return sum(1 for n in topological_order(graph.output) for p in n.parents if p is node) > 1


def gradients_of(graph: Any, names: Sequence[str]) -> dict[str, float]:
    """``d output / d node`` for the named nodes, as floats (runs backward)."""
    grads = graph.gradients()
    return {name: float(grads[name]) for name in names}
