"""How the time of a batch gradient grows with the number of examples m.

Times :func:`nbn.accumulate_looped` (a Python loop over the examples, summing
per-example gradients) and :func:`nbn.gradients_vectorized` (one pass of matrix
operations) on the article's one-neuron model (2 inputs, 1 output, squared
error) for a range of m, in one run, and fits the exponent ``k`` of
``time ~ m^k`` by least squares on log-log axes. Two more ratios are measured
in the same run:

(a) the vectorized gradient at m = 1e6 against ``X.sum()`` over the same ``X``,
    a bare streaming pass over the data (the memory-bound floor);
(b) the article's 5000-epoch 2-3-1 XOR training written with nbn's layers
    against the same loop in plain NumPy (no classes, no validation).

Timings on a shared machine are noisy: every number is the median of repeats,
the runs being compared are interleaved, and only ratios measured in one run
are reported as findings.

Usage (from the repository root, after ``scripts/setup.sh``)::

    .venv/bin/python scripts/bench_scaling.py --quick --json out.json --svg out.svg

Importing: ``scripts/`` is a package, so with the repository root on
``sys.path`` this is ``import scripts.bench_scaling``; :func:`run` and
:func:`plot_svg` are what the docs' performance page calls at build time.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

import nbn

__all__ = [
    "CONFIG",
    "FIT_MIN_M",
    "format_seconds",
    "library_epoch",
    "library_network",
    "make_problem",
    "plain_epoch",
    "plain_parameters",
    "plain_vectorized_gradient",
    "plot_svg",
    "run",
    "train_library",
    "train_plain",
    "xor_data",
]

Array = NDArray[np.float64]
K = TypeVar("K")

#: Sizes of the one-neuron model timed: the article's OR set-up (2 inputs, 1 output).
N_IN, N_OUT = 2, 1
#: The exponent is fitted only from this m upwards. Below it, the time says little
#: about how the work grows: every call has a fixed cost (argument checks, a dozen
#: small NumPy calls: tens of microseconds), and the loop's per-example cost (tens
#: of microseconds) dwarfs it from m = 100 on. The vectorized method's per-example
#: cost is tens of nanoseconds, so its fixed cost matters up to m ~ 1e3-1e4, and
#: its per-example cost then steps up severalfold once its temporary arrays reach
#: megabytes (between m = 2e5 and 3e5 on the 2-core machine that builds the docs:
#: caches and allocation). A fit across that step would mix two constants, so the
#: vectorized fit starts above it; the grid stops at 3e6, before the arrays outgrow
#: the last-level cache as well.
FIT_MIN_M = {"looped": 100, "vectorized": 300_000}
#: The m at which ratio (a) is measured.
FLOOR_M = 1_000_000
#: The article's training run (Part II): 2-3-1 XOR, learning rate 1, seed 48, xavier.
EPOCHS, LEARNING_RATE, SEED = 5000, 1.0, 48

_M_GRID = [4, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 200_000, 300_000]
_M_GRID += [500_000, 1_000_000, 2_000_000, 3_000_000]
#: Sizes and repeats, by ``quick``.
CONFIG: dict[bool, dict[str, Any]] = {
    # quick: under 30 s on 2 cores, for the docs build
    True: {
        "looped_max_m": 10_000,
        "vectorized_max_m": 3_000_000,
        "repeats": 5,
        "min_batch_seconds": 0.01,
        "train_repeats": 3,
    },
    False: {
        "looped_max_m": 30_000,
        "vectorized_max_m": 3_000_000,
        "repeats": 9,
        "min_batch_seconds": 0.05,
        "train_repeats": 11,
    },
}


# ----------------------------------------------------------------------------- workloads


def make_problem(m: int, seed: int = 0) -> tuple[Array, Array, Array, Array]:
    """A one-neuron problem with ``m`` examples: ``X`` (2, m), ``Y`` (1, m), ``W``, ``b``.

    ``X`` is uniform in [0, 1), ``Y`` is 0 or 1, ``W = [0.1, 0.6]`` and ``b = 0`` as
    in the article's batch OR example.
    """
    rng = np.random.default_rng(seed)
    X = rng.random((N_IN, m))
    Y = (rng.random((N_OUT, m)) < 0.5).astype(np.float64)
    return X, Y, np.array([[0.1, 0.6]]), np.zeros((N_OUT, 1))


def plain_vectorized_gradient(X: Array, Y: Array, W: Array, b: Array) -> tuple[Array, Array]:
    """The vectorized gradient as a bare expression: no checks, naive sigmoid."""
    m = X.shape[1]
    A = 1.0 / (1.0 + np.exp(-(W @ X + b)))
    dZ = -(Y - A) / m * A * (1.0 - A)
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def xor_data() -> tuple[Array, Array]:
    """The XOR data as float64 (converted once, for both trainers): X (2, 4), Y (1, 4)."""
    X, Y = nbn.datasets.xor_gate()
    return X.astype(np.float64), Y.astype(np.float64)


LibraryNet = tuple[nbn.LinearLayer, nbn.SigmoidLayer, nbn.LinearLayer, nbn.SigmoidLayer]


def library_network() -> LibraryNet:
    """The article's 2-3-1 network (Fig 91): ``Z1, A1, Z2, A2``, xavier, seed 48.

    Seeds NumPy's global generator with 48, as the article does; its state is
    restored afterwards.
    """
    saved = np.random.get_state()
    np.random.seed(SEED)  # the article's global seed, on purpose
    try:
        Z1 = nbn.LinearLayer(input_shape=(2, 4), n_out=3, ini_type="xavier")
        A1 = nbn.SigmoidLayer(Z1.Z.shape)
        Z2 = nbn.LinearLayer(input_shape=A1.A.shape, n_out=1, ini_type="xavier")
        A2 = nbn.SigmoidLayer(Z2.Z.shape)
    finally:
        np.random.set_state(saved)
    return Z1, A1, Z2, A2


def library_epoch(net: LibraryNet, X: Array, Y: Array) -> float:
    """One epoch of the article's training loop (Fig 92) with nbn's layers; the cost."""
    Z1, A1, Z2, A2 = net
    Z1.forward(X)
    A1.forward(Z1.Z)
    Z2.forward(A1.A)
    A2.forward(Z2.Z)
    cost, dA2 = nbn.compute_cost(Y=Y, Y_hat=A2.A)
    # The article passes A2.dZ, Z2.dA_prev, A1.dZ: the same arrays backward returns.
    dZ2 = A2.backward(dA2)
    dA1 = Z2.backward(dZ2)
    dZ1 = A1.backward(dA1)
    Z1.backward(dZ1)
    Z2.update_params(learning_rate=LEARNING_RATE)
    Z1.update_params(learning_rate=LEARNING_RATE)
    return cost


def train_library(epochs: int = EPOCHS) -> list[float]:
    """The article's 5000-epoch XOR training with nbn's layers; the cost every 100 epochs."""
    X, Y = xor_data()
    net = library_network()
    costs = []
    for epoch in range(epochs):
        cost = library_epoch(net, X, Y)
        if epoch % 100 == 0:
            costs.append(cost)
    return costs


def plain_parameters() -> list[Array]:
    """``[W1, b1, W2, b2]`` drawn as :func:`library_network` draws them (W1 first)."""
    saved = np.random.get_state()
    np.random.seed(SEED)
    try:
        W1 = np.random.randn(3, 2) / np.sqrt(2)
        W2 = np.random.randn(1, 3) / np.sqrt(3)
    finally:
        np.random.set_state(saved)
    return [W1, np.zeros((3, 1)), W2, np.zeros((1, 1))]


def plain_epoch(params: list[Array], X: Array, Y: Array) -> float:
    """The same epoch in plain NumPy: no classes, no checks, the naive sigmoid.

    Updates ``params`` (``[W1, b1, W2, b2]``) in place and returns the cost.
    """
    W1, b1, W2, b2 = params
    m: int = X.shape[1]
    A1 = 1.0 / (1.0 + np.exp(-(W1 @ X + b1)))
    A2 = 1.0 / (1.0 + np.exp(-(W2 @ A1 + b2)))
    cost = float(np.sum(np.square(Y - A2))) / (2 * m)
    dZ2 = -(Y - A2) / m * A2 * (1.0 - A2)
    dW2 = dZ2 @ A1.T
    db2 = np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = (W2.T @ dZ2) * A1 * (1.0 - A1)
    dW1 = dZ1 @ X.T
    db1 = np.sum(dZ1, axis=1, keepdims=True)
    params[:] = [
        W1 - LEARNING_RATE * dW1,
        b1 - LEARNING_RATE * db1,
        W2 - LEARNING_RATE * dW2,
        b2 - LEARNING_RATE * db2,
    ]
    return cost


def train_plain(epochs: int = EPOCHS) -> list[float]:
    """The same training as :func:`train_library` in plain NumPy; same draws, same costs."""
    X, Y = xor_data()
    params = plain_parameters()
    costs = []
    for epoch in range(epochs):
        cost = plain_epoch(params, X, Y)
        if epoch % 100 == 0:
            costs.append(cost)
    return costs


# ----------------------------------------------------------------------------- timing


def _batch_seconds(fn: Callable[[], object], number: int) -> float:
    """Seconds per call of ``fn`` over ``number`` back-to-back calls, GC paused."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - start) / number
    finally:
        if gc_was_enabled:
            gc.enable()


def _calls_per_batch(fn: Callable[[], object], min_seconds: float) -> int:
    """How many calls make a batch of at least ``min_seconds`` (one warm-up call first)."""
    per_call = _batch_seconds(fn, 1)
    return max(1, math.ceil(min_seconds / max(per_call, 1e-9)))


def _interleaved_medians(
    fns: Mapping[K, Callable[[], object]], repeats: int, min_seconds: float
) -> dict[K, float]:
    """Median seconds per call of each function; the functions take turns each repeat.

    The order rotates from one repeat to the next, so that drift in the machine's
    speed (other jobs, frequency changes) is shared evenly.
    """
    numbers = {name: _calls_per_batch(fn, min_seconds) for name, fn in fns.items()}
    samples: dict[K, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(_batch_seconds(fns[name], numbers[name]))
    return {name: statistics.median(values) for name, values in samples.items()}


def _fit_exponent(ms: Sequence[int], seconds: Sequence[float], min_m: int) -> float:
    """Least-squares slope of log10(seconds) against log10(m), over m >= ``min_m``."""
    points = [
        (math.log10(m), math.log10(s)) for m, s in zip(ms, seconds, strict=True) if m >= min_m
    ]
    if len(points) < 2:
        raise ValueError(f"need at least two m >= {min_m} to fit an exponent, got {len(points)}")
    x, y = np.array(points).T
    slope, _ = np.polyfit(x, y, 1)
    return float(slope)


# ----------------------------------------------------------------------------- measurements


def measure_scaling(quick: bool) -> dict[str, Any]:
    """Median time of each method over the m grid, the fitted exponents, the speed-up.

    Each repeat times every (method, m) pair once, so a burst of load from other
    jobs spoils one sample of many pairs rather than every sample of one pair.
    """
    config = CONFIG[quick]
    methods = {"looped": nbn.accumulate_looped, "vectorized": nbn.gradients_vectorized}
    max_m = {"looped": config["looped_max_m"], "vectorized": config["vectorized_max_m"]}
    grid = [m for m in _M_GRID if m <= max(max_m.values())]
    problems = {m: make_problem(m) for m in grid}
    calls = {
        (name, m): functools.partial(fn, *problems[m])
        for m in grid
        for name, fn in methods.items()
        if m <= max_m[name]
    }
    medians = _interleaved_medians(calls, config["repeats"], config["min_batch_seconds"])
    max_abs_diff = max_rel_diff = 0.0
    for m in grid:
        if m > min(max_m.values()):
            continue
        both = zip(
            nbn.accumulate_looped(*problems[m]), nbn.gradients_vectorized(*problems[m]), strict=True
        )
        for looped, vectorized in both:
            diff = float(np.max(np.abs(looped - vectorized)))
            max_abs_diff = max(max_abs_diff, diff)
            max_rel_diff = max(max_rel_diff, diff / float(np.max(np.abs(vectorized))))
    out: dict[str, Any] = {"methods": {}}
    for name in methods:
        ms = [m for m in grid if (name, m) in medians]
        seconds = [medians[name, m] for m in ms]
        out["methods"][name] = {
            "m": ms,
            "median_seconds": seconds,
            "fitted_exponent": _fit_exponent(ms, seconds, FIT_MIN_M[name]),
            "fit_m_range": [FIT_MIN_M[name], ms[-1]],
            "seconds_per_example_at_largest_m": seconds[-1] / ms[-1],
        }
    common = min(max_m.values())
    out["speedup"] = {
        "m": common,
        "looped_seconds": medians["looped", common],
        "vectorized_seconds": medians["vectorized", common],
        "speedup": medians["looped", common] / medians["vectorized", common],
    }
    out["max_abs_gradient_difference"] = max_abs_diff
    out["max_rel_gradient_difference"] = max_rel_diff
    return out


def measure_floor(quick: bool, m: int = FLOOR_M) -> dict[str, Any]:
    """Ratio (a): the vectorized gradient against ``X.sum()`` over the same ``X``."""
    config = CONFIG[quick]
    X, Y, W, b = make_problem(m)
    medians = _interleaved_medians(
        {
            "vectorized": lambda: nbn.gradients_vectorized(X, Y, W, b),
            "plain": lambda: plain_vectorized_gradient(X, Y, W, b),
            "sum": X.sum,
        },
        repeats=config["repeats"] + 2,
        min_seconds=5 * config["min_batch_seconds"],
    )
    return {
        "m": m,
        "x_megabytes": X.nbytes / 1e6,
        "vectorized_seconds": medians["vectorized"],
        "plain_equations_seconds": medians["plain"],
        "sum_seconds": medians["sum"],
        "ratio_vectorized_to_sum": medians["vectorized"] / medians["sum"],
        "ratio_plain_to_sum": medians["plain"] / medians["sum"],
        "ratio_vectorized_to_plain": medians["vectorized"] / medians["plain"],
    }


def _epoch_interleaved_training(epochs: int) -> tuple[float, float, list[float], list[float]]:
    """Run both trainings side by side, one epoch of each in turn, timing every epoch.

    Returns the library's and the plain loop's total seconds and their recorded
    costs. Taking turns epoch by epoch (tens of microseconds each) means that any
    slow-down of the machine falls on both trainings alike.
    """
    X, Y = xor_data()
    net, params = library_network(), plain_parameters()
    clock = time.perf_counter
    library_total = plain_total = 0.0
    library_costs, plain_costs = [], []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for epoch in range(epochs):
            t0 = clock()
            library_cost = library_epoch(net, X, Y)
            t1 = clock()
            plain_cost = plain_epoch(params, X, Y)
            t2 = clock()
            library_total += t1 - t0
            plain_total += t2 - t1
            if epoch % 100 == 0:
                library_costs.append(library_cost)
                plain_costs.append(plain_cost)
    finally:
        if gc_was_enabled:
            gc.enable()
    return library_total, plain_total, library_costs, plain_costs


def measure_library_overhead(quick: bool, epochs: int = EPOCHS) -> dict[str, Any]:
    """Ratio (b): the article's training loop with nbn's layers against plain NumPy.

    Both 5000-epoch trainings run in full, epoch by epoch in turn
    (:func:`_epoch_interleaved_training`), several times; the ratio is the median
    of the per-run ratios.
    """
    config = CONFIG[quick]
    _epoch_interleaved_training(epochs // 10)  # warm-up
    runs = [_epoch_interleaved_training(epochs) for _ in range(config["train_repeats"])]
    library_costs, plain_costs = runs[0][2], runs[0][3]
    return {
        "epochs": epochs,
        "library_seconds": statistics.median(run[0] for run in runs),
        "plain_seconds": statistics.median(run[1] for run in runs),
        "ratio": statistics.median(run[0] / run[1] for run in runs),
        "max_abs_cost_difference": max(
            abs(a - b) for a, b in zip(library_costs, plain_costs, strict=True)
        ),
        "last_recorded_cost": library_costs[-1],
    }


def run(quick: bool = True) -> dict[str, Any]:
    """Every measurement of this script, in one run, as a JSON-ready dict.

    Parameters
    ----------
    quick : bool, default True
        A smaller grid and fewer repeats: under 30 s on 2 cores.

    Returns
    -------
    dict
        ``methods`` (per method: ``m``, ``median_seconds``, ``fitted_exponent``,
        ``fit_m_range``), ``speedup``, ``max_abs_gradient_difference``,
        ``floor`` (ratio (a)), ``library_overhead`` (ratio (b)), ``machine`` and
        ``wall_seconds``.
    """
    start = time.perf_counter()
    result: dict[str, Any] = {
        "quick": quick,
        "model": {"n_in": N_IN, "n_out": N_OUT, "cost": "squared error", "activation": "sigmoid"},
        "repeats": CONFIG[quick]["repeats"],
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "processor": platform.machine(),
        },
    }
    result.update(measure_scaling(quick))
    result["floor"] = measure_floor(quick)
    result["library_overhead"] = measure_library_overhead(quick)
    result["wall_seconds"] = time.perf_counter() - start
    return result


# ----------------------------------------------------------------------------- output


def plot_svg(result: dict[str, Any]) -> str:
    """The log-log plot of median time against m, with the fitted lines, as SVG text.

    Returns the ``<svg>`` element alone (no XML prologue), ready to inline in HTML.
    """
    from io import StringIO

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = {"looped": ("tab:red", "o"), "vectorized": ("tab:blue", "s")}
    with plt.rc_context({"svg.hashsalt": "nbn-bench", "svg.fonttype": "none"}):
        fig, ax = plt.subplots(figsize=(7.0, 5.4), facecolor="white")
        for name, data in result["methods"].items():
            color, marker = styles[name]
            m = np.array(data["m"], dtype=float)
            t = np.array(data["median_seconds"])
            ax.loglog(m, t, marker=marker, linestyle="none", color=color, label=f"{name} (median)")
            lo, hi = data["fit_m_range"]
            inside = (m >= lo) & (m <= hi)
            slope, intercept = np.polyfit(np.log10(m[inside]), np.log10(t[inside]), 1)
            fit_m = np.array([lo, hi], dtype=float)
            ax.loglog(
                fit_m,
                10**intercept * fit_m**slope,
                color=color,
                linestyle="--",
                label=f"{name} fit, m ≥ {lo:,}: time ∝ m^{slope:.2f}",
            )
        # What O(m^2) would look like: slope 2 from the loop's first fitted point.
        loop = result["methods"]["looped"]
        m0 = loop["fit_m_range"][0]
        t0 = loop["median_seconds"][loop["m"].index(m0)]
        ref_m = np.array([m0, 10 * m0], dtype=float)
        ax.loglog(
            ref_m,
            t0 * (ref_m / m0) ** 2,
            color="0.45",
            linestyle=":",
            label="slope 2, for comparison: time ∝ m²",
        )
        ax.set_xlabel("number of examples m (log scale)")
        ax.set_ylabel("median time per gradient (s, log scale)")
        ax.set_title("Batch gradient of one sigmoid neuron: looped vs vectorized")
        ax.grid(True, which="major", linewidth=0.5, alpha=0.5)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small")
        fig.tight_layout()
        buffer = StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
        plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def format_seconds(seconds: float) -> str:
    """A duration for people: ``"812 ns"``, ``"21.6 µs"``, ``"3.20 ms"``, ``"1.23 s"``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _summary(result: dict[str, Any]) -> str:
    lines = []
    for name, data in result["methods"].items():
        lo, hi = data["fit_m_range"]
        lines.append(
            f"{name:>10}: m up to {max(data['m']):,}, time ~ m^{data['fitted_exponent']:.3f} "
            f"(fitted on {lo:,} <= m <= {hi:,})"
        )
    s = result["speedup"]
    lines.append(
        f"   speed-up: {s['speedup']:.0f}x at m = {s['m']:,} ({s['looped_seconds'] * 1e3:.1f} ms "
        f"looped, {s['vectorized_seconds'] * 1e3:.3f} ms vectorized)"
    )
    lines.append(
        f"  gradients: max |looped - vectorized| = {result['max_abs_gradient_difference']:.2e} "
        f"(relative {result['max_rel_gradient_difference']:.2e})"
    )
    f = result["floor"]
    lines.append(
        f"(a)  floor: vectorized gradient / X.sum() at m = {f['m']:,}: "
        f"{f['ratio_vectorized_to_sum']:.1f}x (plain equations: {f['ratio_plain_to_sum']:.1f}x)"
    )
    o = result["library_overhead"]
    lines.append(
        f"(b) nbn vs plain NumPy, {o['epochs']} XOR epochs: {o['ratio']:.2f}x "
        f"({o['library_seconds']:.3f} s vs {o['plain_seconds']:.3f} s)"
    )
    lines.append(f"wall time: {result['wall_seconds']:.1f} s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller grid, fewer repeats (< 30 s)")
    parser.add_argument("--json", metavar="PATH", help="write the measurements as JSON")
    parser.add_argument("--svg", metavar="PATH", help="write the log-log plot as SVG")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
            handle.write("\n")
    if args.svg:
        with open(args.svg, "w", encoding="utf-8") as handle:
            handle.write(plot_svg(result))
    print(_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
