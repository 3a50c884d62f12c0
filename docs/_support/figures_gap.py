"""The picture behind the squared error: the vertical gap between label and prediction.

Used by the loss page. The page computes every point with nbn's layers while
the site builds and passes the arrays in; this module only draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from common import new_figure
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

__all__ = ["vertical_gap_figure"]

FloatArray = NDArray[np.float64]

RED = "#d62728"
GREEN = "#2ca02c"
BLUE = "#1f77b4"
ORANGE = "#ff7f0e"


def vertical_gap_figure(
    z: FloatArray,
    y: FloatArray,
    y_hat: FloatArray,
    curve: Callable[[FloatArray], FloatArray],
    *,
    square: int = 0,
) -> Any:
    """Labels and predictions over the linear node's output, joined by their gaps.

    Parameters
    ----------
    z : ndarray of shape (m,)
        Each example's ``z = w . x + b``: where it sits on the horizontal axis.
    y : ndarray of shape (m,)
        The labels (dots: red for 0, green for 1).
    y_hat : ndarray of shape (m,)
        The predictions ``sigma(z)``, on the curve.
    curve : callable
        The prediction as a function of ``z`` (an array of shape (k,) in and out).
    square : int, default 0
        The example whose gap gets a drawn square: its area is ``(y - y_hat)^2``,
        twice that example's loss.
    """
    grid = np.linspace(min(z.min(), 0.0) - 0.9, max(z.max(), 1.0) + 0.5, 241)
    fig, ax = new_figure(5.6, 3.6)
    ax.plot(grid, curve(grid), color=BLUE, lw=2, label=r"prediction $\hat y=\sigma(z)$")
    for i, (zi, yi, pi) in enumerate(zip(z, y, y_hat, strict=True)):
        ax.plot(
            [zi, zi],
            [yi, pi],
            color=ORANGE,
            lw=2,
            ls="--",
            zorder=2,
            label="gap $y-\\hat y$" if i == 0 else None,
        )
        ax.plot([zi], [pi], "o", color=BLUE, ms=5, zorder=3)
        colour = GREEN if yi == 1 else RED
        ax.plot([zi], [yi], "o", color=colour, ms=8, zorder=4)
    gap = float(y[square] - y_hat[square])
    side = abs(gap)
    bottom = min(float(y[square]), float(y_hat[square]))
    ax.add_patch(
        Rectangle(
            (float(z[square]) - side, bottom),
            side,
            side,
            facecolor=ORANGE,
            alpha=0.2,
            edgecolor=ORANGE,
            zorder=1,
            label=r"square of the gap: $2L$",
        )
    )
    ax.annotate(
        f"y − ŷ = {gap:.3f}".replace("-", "−"),
        (float(z[square]), bottom + side / 2),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
    )
    ax.set_xlabel(r"$z = w_1 x_1 + w_2 x_2 + b$")
    ax.set_ylabel(r"label $y$, prediction $\hat y$")
    ax.set_ylim(-0.15, 1.15)
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    return fig
