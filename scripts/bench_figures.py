"""The performance page's figures, drawn from one run of :func:`scripts.bench_scaling.run`.

Each function takes that run's result and returns an ``<svg>`` element (no XML
prologue), ready to inline in HTML. The text stays text (``svg.fonttype`` none)
and the element ids are fixed (``svg.hashsalt``), so two builds differ only
where the measurements do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import numpy as np

__all__ = ["FIGURES", "floor_svg", "memory_svg", "time_svg", "width_svg"]

#: Colour and marker of each method, the same in every figure.
STYLES = {
    "looped": ("tab:red", "o"),
    "vectorized": ("tab:blue", "s"),
    "fast": ("tab:green", "D"),
    "engine": ("tab:purple", "^"),
}


@contextmanager
def _figure(title: str, xlabel: str, ylabel: str) -> Iterator[tuple[Any, Any]]:
    """A matplotlib figure and axes with the common style; saved by :func:`_svg`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.hashsalt": "nbn-bench", "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(7.0, 5.0), facecolor="white")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def _svg(fig: Any, ax: Any, legend_columns: int = 2) -> str:
    """Add the legend below the axes and return the figure as an ``<svg>`` element."""
    ax.grid(True, which="major", linewidth=0.5, alpha=0.5)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=legend_columns, fontsize="small"
    )
    fig.tight_layout()
    buffer = StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _points_and_fit(
    ax: Any, name: str, xs: list[int], ys: list[float], fit_range: list[int], variable: str
) -> None:
    """Plot measured points and the least-squares line fitted over ``fit_range`` (log-log)."""
    color, marker = STYLES[name]
    x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
    ax.loglog(x, y, marker=marker, linestyle="none", color=color, label=f"{name} (measured)")
    lo, hi = fit_range
    inside = (x >= lo) & (x <= hi)
    slope, intercept = np.polyfit(np.log10(x[inside]), np.log10(y[inside]), 1)
    ends = np.array([lo, hi], dtype=float)
    ax.loglog(
        ends,
        10**intercept * ends**slope,
        color=color,
        linestyle="--",
        label=f"{name} fit, {variable} ≥ {lo:,}: ∝ {variable}^{slope:.2f}",
    )


def time_svg(result: dict[str, Any]) -> str:
    """Median time of one gradient against m, every method, with fitted lines."""
    with _figure(
        "One sigmoid neuron's batch gradient, four ways",
        "number of examples m (log scale)",
        "median time per gradient (s, log scale)",
    ) as (fig, ax):
        for name, data in result["methods"].items():
            _points_and_fit(ax, name, data["m"], data["median_seconds"], data["fit_m_range"], "m")
        # What O(m^2) would look like: slope 2 from the loop's first fitted point.
        loop = result["methods"]["looped"]
        m0 = loop["fit_m_range"][0]
        t0 = loop["median_seconds"][loop["m"].index(m0)]
        ref_m = np.array([m0, 10 * m0], dtype=float)
        ax.loglog(ref_m, t0 * (ref_m / m0) ** 2, color="0.45", linestyle=":", label="slope 2: ∝ m²")
        return _svg(fig, ax)


def memory_svg(result: dict[str, Any]) -> str:
    """Peak extra memory of one gradient against m, every method, with the size of X."""
    memory = result["memory"]
    with _figure(
        "Peak extra memory of one gradient",
        "number of examples m (log scale)",
        "peak memory allocated during the call (bytes, log scale)",
    ) as (fig, ax):
        for name, data in memory["methods"].items():
            color, marker = STYLES[name]
            ax.loglog(
                data["m"],
                data["peak_bytes"],
                marker=marker,
                color=color,
                label=f"{name}: {data['bytes_per_example']:,.0f} bytes per example",
            )
        ms = np.array([min(d["m"][0] for d in memory["methods"].values()), 1_000_000])
        ax.loglog(
            ms, memory["x_bytes_per_example"] * ms, color="0.45", linestyle=":", label="size of X"
        )
        return _svg(fig, ax)


def width_svg(result: dict[str, Any]) -> str:
    """Median time of the 2-n-1 network's gradient against the hidden width n."""
    width = result["width"]
    with _figure(
        f"2-n-1 network's batch gradient at m = {width['m']:,}",
        "hidden width n (log scale)",
        "median time per gradient (s, log scale)",
    ) as (fig, ax):
        for name, data in width["methods"].items():
            _points_and_fit(ax, name, width["n"], data["median_seconds"], data["fit_n_range"], "n")
        return _svg(fig, ax)


def floor_svg(result: dict[str, Any]) -> str:
    """The steps at m = 1e6 next to the kernels they cannot avoid, as horizontal bars."""
    floor = result["floor"]
    kernels = floor["kernels_seconds"]
    bars = [
        ("X.sum(): one pass over X", floor["sum_seconds"], "0.6"),
        *((f"kernel: {name}", seconds, "0.6") for name, seconds in kernels.items()),
        ("the three kernels together", floor["kernel_seconds"], "0.3"),
        ("fast step", floor["fast_seconds"], STYLES["fast"][0]),
        ("vectorized step, bare equations", floor["plain_equations_seconds"], "tab:cyan"),
        ("vectorized step (nbn)", floor["vectorized_seconds"], STYLES["vectorized"][0]),
    ]
    with _figure(
        f"Where the time goes at m = {floor['m']:,}",
        "median time (ms)",
        "",
    ) as (fig, ax):
        labels = [label for label, _, _ in bars]
        values = [1e3 * seconds for _, seconds, _ in bars]
        ax.barh(labels, values, color=[color for _, _, color in bars])
        ax.invert_yaxis()
        for y, seconds in enumerate(seconds for _, seconds, _ in bars):
            ax.annotate(
                f"{seconds / floor['kernel_seconds']:.2f}× the kernels",
                (1e3 * seconds, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
            )
        ax.set_xlim(0, 1.35 * max(values))
        ax.grid(True, axis="x", linewidth=0.5, alpha=0.5)
        fig.tight_layout()
        buffer = StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


#: Every figure, by the file name ``bench_scaling.py --figures`` gives it.
FIGURES: dict[str, Callable[[dict[str, Any]], str]] = {
    "time": time_svg,
    "floor": floor_svg,
    "memory": memory_svg,
    "width": width_svg,
}
