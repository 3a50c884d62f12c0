"""Computations and figures for the pages batch, gradients, xor and hidden-layers.

Everything here runs while the site builds: the pages call these helpers from
markdown-exec blocks, so every array, curve and boundary on those pages is
computed by ``nbn`` at build time. Numbers the ledger records are shown on the
pages through ``common.badge``; the helpers here produce what the ledger does
not hold (intermediate arrays, learning curves, figures).

Colours follow the article: red for class 0, green for class 1.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.patches as mpatches
import numpy as np
from common import new_figure
from matplotlib.colors import ListedColormap
from numpy.typing import NDArray

from nbn import (
    LinearLayer,
    Sequential,
    SigmoidLayer,
    compute_cost,
    datasets,
    sigmoid,
)

__all__ = [
    "BOUNDARY",
    "CROSS_W",
    "GREEN",
    "LIMITS",
    "OR_W",
    "RED",
    "Iteration",
    "NetworkIteration",
    "Training",
    "arrays_block",
    "bmatrix",
    "boundary_figure",
    "build_network",
    "checked",
    "feature_cross_training",
    "forward_probabilities",
    "learning_curve_figure",
    "network_diagram",
    "network_iteration",
    "network_training",
    "num",
    "one_iteration",
    "or_training",
    "printed",
    "same_leading_digits",
    "stall_points",
    "train_single_neuron",
]

FloatArray = NDArray[np.float64]
Data = NDArray[np.int64] | FloatArray

#: Class colours, as in the article's figures, and the boundary's colour.
RED = "#d62728"
GREEN = "#2ca02c"
BOUNDARY = "#1f1f1f"

#: The square shown around the four corners of the unit square.
LIMITS = (-0.5, 1.5)

#: The article's starting weights: the OR neuron, and the same with the feature
#: cross's weight appended (the bias starts at 0 in both).
OR_W = (0.1, 0.6)
CROSS_W = (0.1, 0.6, 0.2)


# ------------------------------------------------------------------ one neuron


@dataclass(frozen=True)
class Iteration:
    """Every array of one vectorized training iteration of a single sigmoid neuron.

    Shapes for ``n`` features and ``m`` examples: ``X`` (n, m); ``Y``, ``Z``,
    ``Y_hat``, ``losses``, ``dY_hat``, ``dYhat_dZ``, ``dZ`` (1, m); ``W``,
    ``dW``, ``W_new`` (1, n); ``b``, ``db``, ``b_new`` (1, 1).
    """

    X: FloatArray
    Y: FloatArray
    W: FloatArray
    b: FloatArray
    Z: FloatArray
    Y_hat: FloatArray
    losses: FloatArray
    cost: float
    dY_hat: FloatArray
    dYhat_dZ: FloatArray
    dZ: FloatArray
    dW: FloatArray
    db: FloatArray
    learning_rate: float
    W_new: FloatArray
    b_new: FloatArray
    cost_new: float


def one_iteration(
    X: Data, Y: Data, W: Sequence[float], b: float = 0.0, learning_rate: float = 1.0
) -> Iteration:
    """Forward, cost, backward and update of one neuron, with ``nbn``'s layers.

    Parameters
    ----------
    X : ndarray of shape (n, m)
    Y : ndarray of shape (1, m)
    W : sequence of n floats
    b : float
    learning_rate : float

    The per-example losses ``(y - y_hat)^2 / 2`` and the sigmoid's local
    gradient ``y_hat (1 - y_hat)`` are computed alongside for display.
    """
    linear = LinearLayer((len(W), 4), 1, rng=np.random.default_rng(0))
    linear.params["W"] = np.array([W], dtype=np.float64)
    linear.params["b"] = np.array([[b]], dtype=np.float64)
    activation = SigmoidLayer((1, 4))
    net = Sequential([linear, activation])
    W0, b0 = linear.params["W"].copy(), linear.params["b"].copy()
    Y_hat = net.forward(X).copy()
    Z = linear.Z.copy()
    cost, dY_hat = compute_cost(Y, Y_hat)
    net.backward(dY_hat)
    dW = np.array(linear.dW, dtype=np.float64)
    db = np.array(linear.db, dtype=np.float64)
    dZ = np.array(activation.dZ, dtype=np.float64)
    net.step(learning_rate)
    cost_new, _ = compute_cost(Y, net.forward(X))
    Yf = np.asarray(Y, dtype=np.float64)
    return Iteration(
        X=np.asarray(X, dtype=np.float64),
        Y=Yf,
        W=W0,
        b=b0,
        Z=Z,
        Y_hat=Y_hat,
        losses=0.5 * (Yf - Y_hat) ** 2,
        cost=cost,
        dY_hat=dY_hat,
        dYhat_dZ=Y_hat * (1.0 - Y_hat),
        dZ=dZ,
        dW=dW,
        db=db,
        learning_rate=learning_rate,
        W_new=linear.params["W"].copy(),
        b_new=linear.params["b"].copy(),
        cost_new=cost_new,
    )


@dataclass(frozen=True)
class Training:
    """A trained network: its cost at every epoch and its final parameters.

    ``costs[k]`` is the cost at epoch ``k``, before that epoch's update (the
    article's convention), for ``k = 0 .. epochs - 1``; ``final_cost`` is the
    cost after the last update. ``params`` lists ``(W, b)`` for each linear
    layer, input side first.
    """

    costs: FloatArray
    final_cost: float
    params: tuple[tuple[FloatArray, FloatArray], ...]


def _params(net: Sequential) -> tuple[tuple[FloatArray, FloatArray], ...]:
    return tuple(
        (layer.params["W"].copy(), layer.params["b"].copy())
        for layer in net.layers
        if isinstance(layer, LinearLayer)
    )


def train_single_neuron(
    X: Data,
    Y: Data,
    W: Sequence[float],
    b: float = 0.0,
    *,
    epochs: int = 5000,
    learning_rate: float = 1.0,
) -> Training:
    """Batch gradient descent on one sigmoid neuron from the given weights."""
    linear = LinearLayer((len(W), 4), 1, rng=np.random.default_rng(0))
    linear.params["W"] = np.array([W], dtype=np.float64)
    linear.params["b"] = np.array([[b]], dtype=np.float64)
    net = Sequential([linear, SigmoidLayer((1, 4))])
    costs = net.train(X, Y, learning_rate, epochs, record_every=1)
    final_cost, _ = compute_cost(Y, net.forward(X))
    return Training(np.array(costs), final_cost, _params(net))


@functools.cache
def or_training(epochs: int = 5000, learning_rate: float = 1.0) -> Training:
    """The OR neuron from ``W = [0.1, 0.6]``, ``b = 0``, trained with full batches."""
    X, Y = datasets.or_gate()
    return train_single_neuron(X, Y, OR_W, epochs=epochs, learning_rate=learning_rate)


@functools.cache
def feature_cross_training(epochs: int = 5000, learning_rate: float = 1.0) -> Training:
    """XOR with the feature cross ``x3 = x1 x2``, from ``W = [0.1, 0.6, 0.2]``, ``b = 0``."""
    X, Y = datasets.xor_feature_cross()
    return train_single_neuron(X, Y, CROSS_W, epochs=epochs, learning_rate=learning_rate)


# -------------------------------------------------------------------- networks


@dataclass(frozen=True)
class Stall:
    """One group of training runs that ended in the same kind of place."""

    kind: str
    count: int
    cost_low: float
    cost_high: float
    largest_weight: float


def stall_points(
    X: Data, Y: Data, *, starts: int, scale: float, epochs: int, seed: int
) -> list[Stall]:
    """Train ``starts`` single sigmoid neurons from random starts and group where they end.

    All neurons train at once as the rows of one wide ``nbn.LinearLayer``: each
    row's cost and gradient involve only that row, so the rows are independent
    neurons. Weights and biases are drawn from a normal distribution of standard
    deviation ``scale`` (``numpy.random.default_rng(seed)``); learning rate 1.
    Runs whose largest parameter is below 1e-3 in size are "at W = 0, b = 0";
    the others are saturated, and grouped by their final cost (below or above
    3/16, halfway between the plateaus at 1/8 and 1/4).
    """
    Xf = np.asarray(X, dtype=np.float64)
    Yk = np.tile(np.asarray(Y, dtype=np.float64), (starts, 1))
    rng = np.random.default_rng(seed)
    layer = LinearLayer(input_shape=Xf.shape, n_out=starts)
    layer.params["W"] = rng.normal(0.0, scale, (starts, Xf.shape[0]))
    layer.params["b"] = rng.normal(0.0, scale, (starts, 1))
    activation = SigmoidLayer(layer.Z.shape)
    m = Xf.shape[1]
    for _ in range(epochs):
        A = activation.forward(layer.forward(Xf))
        # compute_cost averages over the m columns, so each row gets its own gradient
        _, dA = compute_cost(Yk, A)
        layer.backward(activation.backward(dA))
        layer.update_params(1.0)
    A = activation.forward(layer.forward(Xf))
    costs = ((Yk - A) ** 2).sum(axis=1) / (2 * m)
    size = np.abs(np.hstack([layer.params["W"], layer.params["b"]])).max(axis=1)
    saturated = size >= 1e-3
    groups = (
        ("weights near zero, output 0.5 everywhere", ~saturated),
        ("large weights, cost just above 1/8", saturated & (costs < 3 / 16)),
        ("large weights, cost near 1/4", saturated & (costs >= 3 / 16)),
    )
    return [
        Stall(name, int(mask.sum()), float(costs[mask].min()), float(costs[mask].max()),
              float(size[mask].max()))
        for name, mask in groups
        if mask.any()
    ]


def build_network(widths: Sequence[int], seed: int = 48) -> Sequential:
    """Sigmoid layers of the given widths, "xavier" weights after ``np.random.seed(seed)``.

    The article seeds NumPy's global generator, so we do too, to reproduce its
    printed costs; the generator's previous state is restored afterwards.
    """
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        layers: list[LinearLayer | SigmoidLayer] = []
        for n_in, n_out in itertools.pairwise(widths):
            layers.append(LinearLayer((n_in, 4), n_out, ini_type="xavier"))
            layers.append(SigmoidLayer((n_out, 4)))
    finally:
        np.random.set_state(state)
    return Sequential(layers)


@functools.cache
def network_training(
    widths: tuple[int, ...] = (2, 3, 1),
    seed: int = 48,
    epochs: int = 5000,
    learning_rate: float = 1.0,
) -> Training:
    """Train one of the article's XOR networks with full batches; cost at every epoch."""
    X, Y = datasets.xor_gate()
    net = build_network(widths, seed)
    costs = net.train(X, Y, learning_rate, epochs, record_every=1)
    final_cost, _ = compute_cost(Y, net.forward(X))
    return Training(np.array(costs), final_cost, _params(net))


@dataclass(frozen=True)
class NetworkIteration:
    """One training iteration of a sigmoid network, layer by layer.

    For layer ``l`` (1 = first hidden layer): ``W[l-1]`` (n_l, n_{l-1}),
    ``b[l-1]`` (n_l, 1), ``Z[l-1]`` and ``A[l-1]`` (n_l, m), and the gradients
    ``dA``, ``dZ``, ``dW``, ``db`` with the same shapes; ``W_new``, ``b_new``
    after the update. ``dA[-1]`` is dCost/dY_hat.
    """

    W: tuple[FloatArray, ...]
    b: tuple[FloatArray, ...]
    Z: tuple[FloatArray, ...]
    A: tuple[FloatArray, ...]
    cost: float
    dA: tuple[FloatArray, ...]
    dZ: tuple[FloatArray, ...]
    dW: tuple[FloatArray, ...]
    db: tuple[FloatArray, ...]
    W_new: tuple[FloatArray, ...]
    b_new: tuple[FloatArray, ...]
    cost_new: float


def network_iteration(
    widths: Sequence[int] = (2, 3, 1), seed: int = 48, learning_rate: float = 1.0
) -> NetworkIteration:
    """The first training iteration of :func:`build_network` on XOR, every array kept."""
    X, Y = datasets.xor_gate()
    net = build_network(widths, seed)
    linears = [layer for layer in net.layers if isinstance(layer, LinearLayer)]
    sigmoids = [layer for layer in net.layers if isinstance(layer, SigmoidLayer)]
    W = tuple(layer.params["W"].copy() for layer in linears)
    b = tuple(layer.params["b"].copy() for layer in linears)
    Y_hat = net.forward(X)
    cost, dY_hat = compute_cost(Y, Y_hat)
    net.backward(dY_hat)
    # the gradient each sigmoid layer received is dCost/dA of that layer
    hidden_dA = [np.array(nxt.dA_prev, dtype=np.float64) for nxt in linears[1:]]
    dA = (*hidden_dA, dY_hat)
    record = {
        "Z": tuple(layer.Z.copy() for layer in linears),
        "A": tuple(layer.A.copy() for layer in sigmoids),
        "dZ": tuple(np.array(layer.dZ, dtype=np.float64) for layer in sigmoids),
        "dW": tuple(np.array(layer.dW, dtype=np.float64) for layer in linears),
        "db": tuple(np.array(layer.db, dtype=np.float64) for layer in linears),
    }
    net.step(learning_rate)
    cost_new, _ = compute_cost(Y, net.forward(X))
    return NetworkIteration(
        W=W,
        b=b,
        cost=cost,
        dA=dA,
        W_new=tuple(layer.params["W"].copy() for layer in linears),
        b_new=tuple(layer.params["b"].copy() for layer in linears),
        cost_new=cost_new,
        **record,
    )


def forward_probabilities(
    training: Training, points: FloatArray, cross: bool = False
) -> FloatArray:
    """Output of a trained network at ``points`` (2, N); ``cross`` appends ``x1 * x2``.

    Computed from copies of the final parameters (the sigmoid of every layer),
    so nothing trained is modified. Returns an array of shape (1, N).
    """
    A = np.asarray(points, dtype=np.float64)
    if cross:
        A = np.vstack([A, A[0] * A[1]])
    for W, b in training.params:
        A = sigmoid(W @ A + b)
    return A


# ------------------------------------------------------------------------ text


def num(x: float, decimals: int = 3) -> str:
    """``x`` rounded to ``decimals`` places, without the sign of a negative zero."""
    text = f"{float(x):.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def bmatrix(A: Any, decimals: int = 3) -> str:
    """LaTeX ``bmatrix`` of an array, rounded to ``decimals``; integers print as integers."""
    A = np.atleast_2d(np.asarray(A))
    integral = np.issubdtype(A.dtype, np.integer)
    rows = [
        " & ".join(str(int(v)) if integral else num(float(v), decimals) for v in row) for row in A
    ]
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def arrays_block(lines: Sequence[tuple[str, str]]) -> str:
    """A display-math block of aligned equations, from (left side, right side) LaTeX pairs."""
    body = " \\\\[6pt]\n".join(f"{lhs} &= {rhs}" for lhs, rhs in lines)
    return "\n$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$\n"


# --------------------------------------------------------------------- figures


def learning_curve_figure(
    costs: FloatArray,
    *,
    title: str,
    marker: tuple[int, str] | None = None,
    log_panel: bool = True,
) -> Any:
    """Cost against epoch; ``marker = (epoch, label)`` draws a dashed vertical line there.

    With ``log_panel`` a second panel shows the same curve on a logarithmic cost
    axis, where the slow tail of the curve stays visible.
    """
    if log_panel:
        fig, (ax, ax_log) = new_figure(7.6, 3.2, ncols=2, layout="constrained")
        panels = ((ax, "linear"), (ax_log, "log"))
    else:
        fig, ax = new_figure(5.6, 3.4, layout="constrained")
        panels = ((ax, "linear"),)
    # about 1000 points are plenty for a smooth curve and keep the inline SVG small
    step = max(1, len(costs) // 1000)
    epochs = np.append(np.arange(0, len(costs), step), len(costs) - 1)
    for axis, scale in panels:
        axis.plot(epochs, costs[epochs], color="#1f77b4", linewidth=1.8, label="cost")
        if marker is not None:
            epoch, label = marker
            axis.axvline(epoch, color="#7f7f7f", linestyle="--", linewidth=1.2, label=label)
        axis.set_xlabel("epoch")
        axis.set_xlim(0, len(costs))
        if scale == "log":
            axis.set_yscale("log")
            axis.set_ylabel("cost (log scale)")
        else:
            axis.set_ylabel("cost")
            axis.set_ylim(bottom=0)
    if marker is not None:
        ax.legend(loc="upper right", framealpha=0.95, edgecolor="none")
    fig.suptitle(title, fontsize=11)
    return fig


def boundary_figure(
    prob: Callable[[FloatArray], FloatArray],
    X: Data,
    Y: Data,
    *,
    title: str,
    shaded: bool,
    resolution: int = 201,
) -> Any:
    """The four examples and the curve where a network's output crosses 0.5.

    ``prob`` maps points of shape (2, N) to outputs of shape (1, N). When
    ``shaded``, the region predicted 0 is tinted red and the region predicted 1
    green.
    """
    fig, ax = new_figure(4.4, 4.3)
    grid = np.linspace(*LIMITS, resolution)
    G1, G2 = np.meshgrid(grid, grid)
    P = prob(np.vstack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    if shaded:
        ax.contourf(
            G1, G2, P, levels=[0.0, 0.5, 1.0], cmap=ListedColormap([RED, GREEN]), alpha=0.28
        )
    ax.contour(G1, G2, P, levels=[0.5], colors=BOUNDARY, linewidths=1.8)
    labels = np.asarray(Y).ravel()
    X = np.asarray(X)
    for value, colour in ((0, RED), (1, GREEN)):
        pick = labels == value
        ax.scatter(
            X[0, pick],
            X[1, pick],
            s=110,
            c=colour,
            edgecolors="black",
            linewidths=0.8,
            zorder=3,
            label=f"y = {value}",
        )
    ax.plot([], [], color=BOUNDARY, linewidth=1.8, label="output = 0.5")
    ax.set_xlim(*LIMITS)
    ax.set_ylim(*LIMITS)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    return fig


def network_diagram(widths: Sequence[int], *, title: str, names: Sequence[str] = ()) -> Any:
    """A drawing of a fully connected network, one circle per neuron, inputs on the left.

    ``names`` labels the layers from the input side (e.g. "input", "hidden", "output").
    """
    fig, ax = new_figure(5.0, 3.2)
    gap = 1.8  # horizontal distance between layers
    columns: list[list[tuple[float, float]]] = []
    for layer, width in enumerate(widths):
        ys = np.linspace((width - 1) / 2, -(width - 1) / 2, width)
        columns.append([(gap * layer, float(y)) for y in ys])
    for left, right in itertools.pairwise(columns):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], color="#9e9e9e", linewidth=1.0, zorder=1)
    for layer, column in enumerate(columns):
        for index, (x, y) in enumerate(column):
            colour = "#e8f0fb" if layer == 0 else "#fff4e0"
            ax.add_patch(mpatches.Circle((x, y), 0.22, facecolor=colour, edgecolor="#1f1f1f"))
            text = f"$x_{index + 1}$" if layer == 0 else r"$\sigma$"
            ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=3)
    top = max(widths) / 2
    for layer, name in enumerate(names):
        ax.text(gap * layer, -top - 0.05, name, ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.8, gap * (len(widths) - 1) + 0.8)
    ax.set_ylim(-top - 0.45, top)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    return fig


# ---------------------------------------------------------------------- digits


def printed(value: float) -> str:
    """A float as Python and NumPy print it: the shortest text that reads back as it.

    This is how the article's notebook printed its costs (``str`` of a NumPy
    float64), so it shows the article's numbers digit for digit.
    """
    return repr(float(value))


def _significant_digits(text: str) -> str:
    mantissa = text.lower().split("e")[0].lstrip("+-").replace(".", "")
    return mantissa.lstrip("0")


def same_leading_digits(article: str, ours: float) -> tuple[int, int]:
    """How many leading significant digits ``ours`` shares with the printed ``article``.

    Returns ``(same, printed)``: the length of the common prefix of the two
    numbers' significant digits, and how many significant digits the article
    printed. Both numbers must have the same sign and order of magnitude.
    """
    a = _significant_digits(article)
    b = _significant_digits(printed(ours))
    if f"{float(article):e}".split("e")[1] != f"{float(ours):e}".split("e")[1]:
        raise ValueError(f"{article} and {ours!r} differ in order of magnitude")
    pairs = enumerate(zip(a, b, strict=False))
    same = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    return same, len(a)


# ---------------------------------------------------------------------- ledger


def checked(claim_id: str, *arrays: Any, rtol: float = 1e-12) -> str:
    """Compare arrays shown on a page with the ledger's value of a claim; return its badge.

    The arrays are flattened and concatenated in order and must match the claim's
    checked ``computed`` value entry by entry (relative ``rtol`` on the largest
    entry). So an array the page computes itself and a ledger claim about the
    same numbers cannot drift apart: either mismatch or a failing claim raises,
    and the build fails.
    """
    from common import badge, require

    result = require(claim_id)
    ledger = np.ravel(np.asarray(result.computed, dtype=np.float64))
    ours = np.concatenate([np.ravel(np.asarray(a, dtype=np.float64)) for a in arrays])
    if ledger.shape != ours.shape:
        raise ValueError(
            f"claim {claim_id!r} holds {ledger.size} numbers, the page shows {ours.size}"
        )
    scale = max(float(np.abs(ledger).max(initial=0.0)), float(np.abs(ours).max(initial=0.0)))
    if float(np.abs(ledger - ours).max(initial=0.0)) > rtol * scale:
        raise ValueError(f"claim {claim_id!r}: ledger {ledger.tolist()} != page {ours.tolist()}")
    return str(badge(claim_id, show_value=False))
