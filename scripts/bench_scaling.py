"""How the cost of a batch gradient grows, and how close it gets to the hardware's floor.

On the article's one-neuron model (2 inputs, 1 output, sigmoid, squared error),
in one run, this script measures four ways to compute the same gradient:

* ``looped``: :func:`nbn.accumulate_looped`, a Python loop over the examples
  summing per-example gradients (the article's capital Deltas);
* ``vectorized``: :func:`nbn.gradients_vectorized`, one NumPy expression per
  equation, the readable reference;
* ``fast``: :func:`nbn.gradients_fast`, the same equations with in-place ufuncs
  on cache-sized blocks of examples;
* ``engine``: the scalar graph engine :mod:`nbn.graph`, one Python object per
  operation and per example (how micrograd-style engines work).

For each it fits the exponent ``k`` of ``time ~ m^k`` on log-log axes and the
peak extra memory per example (``tracemalloc``, which NumPy reports its
allocations to). It also measures, in the same run:

* the **floor**: at m = 1e6, the vectorized and fast steps against the kernels
  no implementation can avoid (``W @ X``, ``np.exp`` over an array of Z's shape,
  ``dZ @ X.T``, each timed alone) and against ``X.sum()``;
* a **width** sweep: the 2-n-1 network at fixed m, vectorized and fast, over the
  hidden width n, with its exponent;
* the **library overhead**: the article's 5000-epoch 2-3-1 XOR training written
  with nbn's layers against the same loop in plain NumPy (no classes, no checks).

Timings on a shared machine are noisy: every number is the median of repeats,
the runs being compared are interleaved, and only ratios measured in one run
are reported as findings.

Usage (from the repository root, after ``scripts/setup.sh``)::

    .venv/bin/python scripts/bench_scaling.py --quick --json out.json --figures out/
    .venv/bin/python scripts/bench_scaling.py --json full.json      # the full run

Importing: ``scripts/`` is a package, so with the repository root on
``sys.path`` this is ``import scripts.bench_scaling``; :func:`run` is what the
docs' performance page calls at build time, and :mod:`scripts.bench_figures`
draws its figures.
"""

from __future__ import annotations

import os
import sys

#: One thread for the BLAS behind ``@``, set before NumPy loads it. On a shared
#: machine the threads of a multithreaded product wait on each other and on the
#: other jobs (``W @ X`` at m = 1e6 took 3 ms with one thread and 19 ms with two
#: under load), and every method is meant to run on one core alike. Once NumPy is
#: loaded the setting would change nothing, so a process that imported it first
#: (a docs build) keeps its environment and uses :func:`run_isolated` instead.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
if "numpy" not in sys.modules:
    for _variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402 (after the BLAS set-up above, on purpose)
import functools  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable, Mapping, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

import nbn  # noqa: E402
from nbn import graph  # noqa: E402

__all__ = [
    "CONFIG",
    "FIT_MIN_M",
    "METHODS",
    "engine_gradient",
    "format_bytes",
    "format_seconds",
    "library_epoch",
    "library_network",
    "make_network_problem",
    "make_problem",
    "peak_extra_bytes",
    "plain_epoch",
    "plain_parameters",
    "plain_vectorized_gradient",
    "run",
    "run_isolated",
    "train_library",
    "train_plain",
    "xor_data",
]

Array = NDArray[np.float64]
K = TypeVar("K")
Gradient = Callable[[Array, Array, Array, Array], tuple[Array, ...]]

#: Sizes of the one-neuron model timed: the article's OR set-up (2 inputs, 1 output).
N_IN, N_OUT = 2, 1
#: The exponent is fitted only from this m upwards. Below it, the time says little
#: about how the work grows: every call has a fixed cost (argument checks, a dozen
#: small NumPy calls: tens of microseconds), and the per-example cost of the loop
#: and the engine (tens to hundreds of microseconds) dwarfs it from m = 100 on.
#: The vectorized method's per-example cost is tens of nanoseconds, so its fixed
#: cost matters up to m ~ 1e3-1e4, and its per-example cost then steps up
#: severalfold once its temporary arrays reach megabytes and outgrow the caches
#: (between m = 2e5 and 3e5 on the 2-core machine that builds the docs). A fit
#: across that step would mix two constants, so the vectorized fit starts above
#: it. The fast method works on cache-sized blocks, so it has no such step; its
#: fit starts where its own fixed cost (a few hundred NumPy calls) is small.
FIT_MIN_M = {"looped": 100, "vectorized": 300_000, "fast": 100_000, "engine": 30}
#: Memory is fitted (bytes against m, a straight line) from these m upwards: past
#: the small sizes where the fast step's workspace is still growing to its block.
MEMORY_FIT_MIN_M = {"looped": 100, "vectorized": 10_000, "fast": 100_000, "engine": 10}
#: The m at which the floor is measured.
FLOOR_M = 1_000_000
#: The hidden width's exponent is fitted from this n upwards (below it, the output
#: layer and the per-example work that does not depend on n dominate).
WIDTH_FIT_MIN_N = 16
#: The article's training run (Part II): 2-3-1 XOR, learning rate 1, seed 48, xavier.
EPOCHS, LEARNING_RATE, SEED = 5000, 1.0, 48

_M_GRID = [4, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 200_000, 300_000]
_M_GRID += [500_000, 1_000_000, 2_000_000, 3_000_000]
_MEMORY_GRID = [10, 30, 100, 300, 1_000, 3_000, 10_000, 100_000, 1_000_000]
_WIDTH_GRID = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
#: Sizes and repeats, by ``quick``.
CONFIG: dict[bool, dict[str, Any]] = {
    # quick: about 20 s on 2 cores, for the docs build
    True: {
        "max_m": {"looped": 10_000, "vectorized": 2_000_000, "fast": 2_000_000, "engine": 1_000},
        "memory_max_m": {
            "looped": 3_000,
            "vectorized": 1_000_000,
            "fast": 1_000_000,
            "engine": 300,
        },
        "width_m": 4_000,
        "width_max_n": 256,
        "repeats": 5,
        "min_batch_seconds": 0.01,
        "train_repeats": 3,
    },
    False: {
        "max_m": {"looped": 30_000, "vectorized": 3_000_000, "fast": 3_000_000, "engine": 10_000},
        "memory_max_m": {
            "looped": 10_000,
            "vectorized": 1_000_000,
            "fast": 1_000_000,
            "engine": 3_000,
        },
        "width_m": 30_000,
        "width_max_n": 512,
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


def make_network_problem(n_hidden: int, m: int, seed: int = 0) -> tuple[Array, ...]:
    """A 2-n-1 network problem: ``X`` (2, m), ``Y`` (1, m), ``W1, b1, W2, b2`` (xavier-sized)."""
    rng = np.random.default_rng(seed)
    X = rng.random((N_IN, m))
    Y = (rng.random((N_OUT, m)) < 0.5).astype(np.float64)
    W1 = rng.standard_normal((n_hidden, N_IN)) / math.sqrt(N_IN)
    W2 = rng.standard_normal((N_OUT, n_hidden)) / math.sqrt(n_hidden)
    return X, Y, W1, np.zeros((n_hidden, 1)), W2, np.zeros((N_OUT, 1))


def plain_vectorized_gradient(X: Array, Y: Array, W: Array, b: Array) -> tuple[Array, Array]:
    """The vectorized gradient as a bare expression: no checks, naive sigmoid."""
    m = X.shape[1]
    A = 1.0 / (1.0 + np.exp(-(W @ X + b)))
    dZ = -(Y - A) / m * A * (1.0 - A)
    return dZ @ X.T, dZ.sum(axis=1, keepdims=True)


def engine_gradient(X: Array, Y: Array, W: Array, b: Array) -> tuple[Array, Array]:
    """The same gradient from the scalar graph engine: one node per operation and example.

    The arrays become Python lists (the engine knows nothing of NumPy), the
    engine builds the batch cost's graph (:func:`nbn.graph.batch_or_cost`) and
    runs ``backward()``; the weights' and bias's gradients come back as arrays.
    """
    cost = graph.batch_or_cost(X.tolist(), Y.tolist(), W.tolist(), b.tolist())
    grads = cost.gradients()
    dW = [[float(grads[f"w{i + 1}"]) for i in range(X.shape[0])]]
    return np.array(dW), np.array([[float(grads["b"])]])


#: The four methods of the scaling run, all with the signature ``(X, Y, W, b) -> (dW, db)``.
METHODS: dict[str, Gradient] = {
    "looped": nbn.accumulate_looped,
    "vectorized": nbn.gradients_vectorized,
    "fast": nbn.gradients_fast,
    "engine": engine_gradient,
}


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


def _fit_exponent(xs: Sequence[int], seconds: Sequence[float], min_x: int) -> float:
    """Least-squares slope of log10(seconds) against log10(x), over x >= ``min_x``."""
    points = [
        (math.log10(x), math.log10(s)) for x, s in zip(xs, seconds, strict=True) if x >= min_x
    ]
    if len(points) < 2:
        raise ValueError(
            f"need at least two sizes >= {min_x} to fit an exponent, got {len(points)}"
        )
    x, y = np.array(points).T
    slope, _ = np.polyfit(x, y, 1)
    return float(slope)


def _relative_difference(ours: Sequence[Array], reference: Sequence[Array]) -> float:
    """Largest ``|ours - reference|`` over all gradients, relative to the largest entry."""
    return max(
        float(np.max(np.abs(a - r)) / np.max(np.abs(r)))
        for a, r in zip(ours, reference, strict=True)
    )


# ----------------------------------------------------------------------------- measurements


def measure_scaling(quick: bool) -> dict[str, Any]:
    """Median time of each method over the m grid, the fitted exponents, the speed-ups.

    Each repeat times every (method, m) pair once, so a burst of load from other
    jobs spoils one sample of many pairs rather than every sample of one pair.
    Every method's gradient is compared with the vectorized one at every m both
    reach.
    """
    config = CONFIG[quick]
    max_m = config["max_m"]
    grid = [m for m in _M_GRID if m <= max(max_m.values())]
    problems = {m: make_problem(m) for m in grid}
    calls = {
        (name, m): functools.partial(fn, *problems[m])
        for m in grid
        for name, fn in METHODS.items()
        if m <= max_m[name]
    }
    medians = _interleaved_medians(calls, config["repeats"], config["min_batch_seconds"])
    agreement = dict.fromkeys(METHODS, 0.0)
    for m in grid:
        reference = nbn.gradients_vectorized(*problems[m])
        for name, fn in METHODS.items():
            if m <= min(max_m[name], max_m["vectorized"]):
                ours = fn(*problems[m])
                agreement[name] = max(agreement[name], _relative_difference(ours, reference))
    out: dict[str, Any] = {"methods": {}}
    for name in METHODS:
        ms = [m for m in grid if (name, m) in medians]
        seconds = [medians[name, m] for m in ms]
        out["methods"][name] = {
            "m": ms,
            "median_seconds": seconds,
            "fitted_exponent": _fit_exponent(ms, seconds, FIT_MIN_M[name]),
            "fit_m_range": [FIT_MIN_M[name], ms[-1]],
            "seconds_per_example_at_largest_m": seconds[-1] / ms[-1],
            "max_rel_difference_to_vectorized": agreement[name],
        }
    common = max_m["looped"]
    out["speedup"] = {
        "m": common,
        "looped_seconds": medians["looped", common],
        "vectorized_seconds": medians["vectorized", common],
        "speedup": medians["looped", common] / medians["vectorized", common],
    }
    engine_m = max_m["engine"]
    per_example = {name: medians[name, engine_m] / engine_m for name in METHODS}
    out["three_ways"] = {
        "m": engine_m,
        "seconds_per_example": per_example,
        "ratio_engine_to_looped": per_example["engine"] / per_example["looped"],
        "ratio_looped_to_vectorized": per_example["looped"] / per_example["vectorized"],
        "ratio_vectorized_to_fast": per_example["vectorized"] / per_example["fast"],
    }
    out["max_rel_gradient_difference"] = max(agreement.values())
    return out


def measure_floor(quick: bool, m: int = FLOOR_M) -> dict[str, Any]:
    """The vectorized and fast steps at ``m`` against the kernels they cannot avoid.

    The kernels, each timed alone on arrays of the step's shapes: ``W @ X`` (the
    forward product), ``np.exp`` over an array of Z's shape (the sigmoid's one
    transcendental function) and ``dZ @ X.T`` (the gradient's product). Their
    sum is the floor: what any implementation pays before it writes a single
    temporary. ``X.sum()``, one streaming pass over ``X``, is timed alongside.
    """
    config = CONFIG[quick]
    X, Y, W, b = make_problem(m)
    Z = W @ X + b
    dZ = np.random.default_rng(1).random(Z.shape)
    medians = _interleaved_medians(
        {
            "vectorized": lambda: nbn.gradients_vectorized(X, Y, W, b),
            "fast": lambda: nbn.gradients_fast(X, Y, W, b),
            "plain": lambda: plain_vectorized_gradient(X, Y, W, b),
            "sum": X.sum,
            "W @ X": lambda: W @ X,
            "exp(Z)": lambda: np.exp(Z),
            "dZ @ X.T": lambda: dZ @ X.T,
        },
        repeats=config["repeats"] + 2,
        min_seconds=5 * config["min_batch_seconds"],
    )
    kernels = {name: medians[name] for name in ("W @ X", "exp(Z)", "dZ @ X.T")}
    floor = sum(kernels.values())
    return {
        "m": m,
        "x_megabytes": X.nbytes / 1e6,
        "kernels_seconds": kernels,
        "kernel_seconds": floor,
        "vectorized_seconds": medians["vectorized"],
        "fast_seconds": medians["fast"],
        "plain_equations_seconds": medians["plain"],
        "sum_seconds": medians["sum"],
        "ratio_fast_to_kernels": medians["fast"] / floor,
        "ratio_vectorized_to_kernels": medians["vectorized"] / floor,
        "ratio_plain_to_kernels": medians["plain"] / floor,
        "ratio_vectorized_to_fast": medians["vectorized"] / medians["fast"],
        "ratio_kernels_to_sum": floor / medians["sum"],
        "ratio_vectorized_to_sum": medians["vectorized"] / medians["sum"],
        "ratio_fast_to_sum": medians["fast"] / medians["sum"],
    }


def peak_extra_bytes(fn: Callable[..., object], *args: object) -> int:
    """Peak memory allocated while ``fn(*args)`` runs, beyond what existed before.

    ``tracemalloc`` traces Python's allocations and NumPy's array buffers (NumPy
    reports them to it), so the peak counts every temporary array and every
    Python object the call creates, its results included.
    """
    gc.collect()
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure_memory(quick: bool) -> dict[str, Any]:
    """Peak extra memory of each method as m grows, fitted as bytes per example.

    Memory does not vary from run to run as time does: one measurement per
    (method, m). The fitted slope (least squares, bytes against m) is the memory
    each extra example costs; divided by the bytes of one column of ``X``
    (``8 n_in``) it is the peak as a multiple of the size of ``X``.
    """
    max_m = CONFIG[quick]["memory_max_m"]
    x_bytes_per_example = 8 * N_IN
    out: dict[str, Any] = {"x_bytes_per_example": x_bytes_per_example, "methods": {}}
    for name, fn in METHODS.items():
        ms = [m for m in _MEMORY_GRID if m <= max_m[name]]
        peaks = [peak_extra_bytes(fn, *make_problem(m)) for m in ms]
        fitted = [(m, p) for m, p in zip(ms, peaks, strict=True) if m >= MEMORY_FIT_MIN_M[name]]
        slope, intercept = np.polyfit(*np.array(fitted, dtype=float).T, 1)
        out["methods"][name] = {
            "m": ms,
            "peak_bytes": peaks,
            "fit_m_range": [MEMORY_FIT_MIN_M[name], ms[-1]],
            "bytes_per_example": float(slope),
            "fixed_bytes": float(intercept),
            "ratio_to_x": float(slope) / x_bytes_per_example,
            "peak_ratio_to_x_at_largest_m": peaks[-1] / (x_bytes_per_example * ms[-1]),
        }
    return out


def measure_width(quick: bool) -> dict[str, Any]:
    """The 2-n-1 network's gradient at fixed m over the hidden width n: vectorized and fast.

    The work per example grows linearly with n (two matrix products with n rows
    or columns, element-wise work on n x m arrays), so the fitted exponent of
    time against n should approach 1 once n is large enough for that work to
    dominate.
    """
    config = CONFIG[quick]
    m = config["width_m"]
    widths = [n for n in _WIDTH_GRID if n <= config["width_max_n"]]
    methods = {"vectorized": nbn.gradients_vectorized_2layer, "fast": nbn.gradients_fast_2layer}
    problems = {n: make_network_problem(n, m) for n in widths}
    calls = {
        (name, n): functools.partial(fn, *problems[n])
        for n in widths
        for name, fn in methods.items()
    }
    medians = _interleaved_medians(calls, config["repeats"], config["min_batch_seconds"])
    agreement = max(
        _relative_difference(
            nbn.gradients_fast_2layer(*problems[n]), nbn.gradients_vectorized_2layer(*problems[n])
        )
        for n in widths
    )
    out: dict[str, Any] = {"m": m, "n": widths, "methods": {}}
    for name in methods:
        seconds = [medians[name, n] for n in widths]
        out["methods"][name] = {
            "median_seconds": seconds,
            "fitted_exponent": _fit_exponent(widths, seconds, WIDTH_FIT_MIN_N),
            "fit_n_range": [WIDTH_FIT_MIN_N, widths[-1]],
        }
    out["ratio_vectorized_to_fast"] = [
        medians["vectorized", n] / medians["fast", n] for n in widths
    ]
    out["max_rel_difference_fast_to_vectorized"] = agreement
    return out


def _epoch_interleaved_training(epochs: int) -> dict[str, list[float]]:
    """Run both trainings side by side, one epoch of each in turn, timing every epoch.

    Returns each epoch's seconds and the cost every 100 epochs, for the library
    (``library_times``, ``library_costs``) and the plain loop (``plain_times``,
    ``plain_costs``). Taking turns epoch by epoch (tens of microseconds each)
    means that any slow-down of the machine falls on both trainings alike.
    """
    X, Y = xor_data()
    net, params = library_network(), plain_parameters()
    clock = time.perf_counter
    out: dict[str, list[float]] = {
        "library_times": [],
        "plain_times": [],
        "library_costs": [],
        "plain_costs": [],
    }
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for epoch in range(epochs):
            t0 = clock()
            library_cost = library_epoch(net, X, Y)
            t1 = clock()
            plain_cost = plain_epoch(params, X, Y)
            t2 = clock()
            out["library_times"].append(t1 - t0)
            out["plain_times"].append(t2 - t1)
            if epoch % 100 == 0:
                out["library_costs"].append(library_cost)
                out["plain_costs"].append(plain_cost)
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


def measure_library_overhead(quick: bool, epochs: int = EPOCHS) -> dict[str, Any]:
    """The article's training loop with nbn's layers against the same loop in plain NumPy.

    Both 5000-epoch trainings run in full, epoch by epoch in turn
    (:func:`_epoch_interleaved_training`), several times. Each run's ratio is
    that of the median epoch times: on a shared machine a burst of other work
    lands on a few epochs of one training or the other, and a median ignores it
    where a total would not. The ratio reported is the median over the runs; the
    ratio of the total times is reported too.
    """
    config = CONFIG[quick]
    _epoch_interleaved_training(epochs // 10)  # warm-up
    runs = [_epoch_interleaved_training(epochs) for _ in range(config["train_repeats"])]
    library_costs, plain_costs = runs[0]["library_costs"], runs[0]["plain_costs"]
    median = statistics.median
    return {
        "epochs": epochs,
        "library_seconds": median(sum(run["library_times"]) for run in runs),
        "plain_seconds": median(sum(run["plain_times"]) for run in runs),
        "library_median_epoch_seconds": median(median(run["library_times"]) for run in runs),
        "plain_median_epoch_seconds": median(median(run["plain_times"]) for run in runs),
        "ratio": median(median(run["library_times"]) / median(run["plain_times"]) for run in runs),
        "ratio_of_totals": median(
            sum(run["library_times"]) / sum(run["plain_times"]) for run in runs
        ),
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
        Smaller grids and fewer repeats: about 20 s on 2 cores.

    Returns
    -------
    dict
        ``methods`` (per method: ``m``, ``median_seconds``, ``fitted_exponent``,
        ``fit_m_range``, ``seconds_per_example_at_largest_m``,
        ``max_rel_difference_to_vectorized``), ``speedup``, ``three_ways``,
        ``max_rel_gradient_difference``, ``floor`` (``kernel_seconds``,
        ``ratio_fast_to_kernels``, ``ratio_vectorized_to_kernels``, ...),
        ``memory``, ``width``, ``library_overhead`` (``ratio``, ...),
        ``machine`` and ``wall_seconds``.
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
            "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
            "blas_threads": {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES},
        },
    }
    sections: dict[str, float] = {}
    for name, measure in (
        ("scaling", measure_scaling),
        ("floor", measure_floor),
        ("memory", measure_memory),
        ("width", measure_width),
        ("library_overhead", measure_library_overhead),
    ):
        section_start = time.perf_counter()
        measured = measure(quick)
        if name == "scaling":
            result.update(measured)
        else:
            result[name] = measured
        sections[name] = time.perf_counter() - section_start
    result["section_seconds"] = sections
    result["wall_seconds"] = time.perf_counter() - start
    return result


def run_isolated(quick: bool = True) -> dict[str, Any]:
    """:func:`run` in a fresh Python process (one BLAS thread), its result read back.

    For callers that have already imported NumPy (a docs build): the BLAS
    thread count can only be set before NumPy loads, and a fresh process also
    keeps the measurements apart from the caller's own memory and threads.
    """
    env = {**os.environ, **dict.fromkeys(BLAS_THREAD_VARIABLES, "1")}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--json", str(path)]
        subprocess.run(
            command + (["--quick"] if quick else []), check=True, env=env, stdout=subprocess.DEVNULL
        )
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


# ----------------------------------------------------------------------------- output


def format_seconds(seconds: float) -> str:
    """A duration for people: ``"812 ns"``, ``"21.6 µs"``, ``"3.20 ms"``, ``"1.23 s"``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_bytes(count: float) -> str:
    """A memory size for people: ``"812 B"``, ``"3.2 kB"``, ``"24.0 MB"`` (powers of 1000)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count:.0f} B"


def _summary(result: dict[str, Any]) -> str:
    lines = []
    for name, data in result["methods"].items():
        lo, hi = data["fit_m_range"]
        lines.append(
            f"{name:>10}: m up to {max(data['m']):,}, time ~ m^{data['fitted_exponent']:.3f} "
            f"(fitted on {lo:,} <= m <= {hi:,}), "
            f"{format_seconds(data['seconds_per_example_at_largest_m'])} per example, "
            f"gradient within {data['max_rel_difference_to_vectorized']:.1e} of vectorized"
        )
    s = result["speedup"]
    lines.append(f"  speed-up: looped / vectorized = {s['speedup']:.0f}x at m = {s['m']:,}")
    w = result["three_ways"]
    lines.append(
        f"  per example at m = {w['m']:,}: engine / looped = {w['ratio_engine_to_looped']:.1f}x, "
        f"looped / vectorized = {w['ratio_looped_to_vectorized']:.0f}x, "
        f"vectorized / fast = {w['ratio_vectorized_to_fast']:.1f}x"
    )
    f = result["floor"]
    lines.append(
        f"     floor: at m = {f['m']:,}, kernels {format_seconds(f['kernel_seconds'])}; "
        f"fast / kernels = {f['ratio_fast_to_kernels']:.2f}x, "
        f"vectorized / kernels = {f['ratio_vectorized_to_kernels']:.2f}x, "
        f"kernels / X.sum() = {f['ratio_kernels_to_sum']:.1f}x"
    )
    for name, data in result["memory"]["methods"].items():
        lines.append(
            f"    memory: {name:>10} {data['bytes_per_example']:8.1f} bytes per example "
            f"({data['ratio_to_x']:.2f}x the size of X), peak at m = {data['m'][-1]:,}: "
            f"{format_bytes(data['peak_bytes'][-1])}"
        )
    wd = result["width"]
    for name, data in wd["methods"].items():
        lines.append(
            f"     width: {name:>10} time ~ n^{data['fitted_exponent']:.2f} at m = {wd['m']:,} "
            f"(fitted on {data['fit_n_range'][0]} <= n <= {data['fit_n_range'][1]})"
        )
    o = result["library_overhead"]
    lines.append(
        f"  overhead: nbn / plain NumPy, {o['epochs']} XOR epochs: {o['ratio']:.2f}x "
        f"(median epochs {format_seconds(o['library_median_epoch_seconds'])} vs "
        f"{format_seconds(o['plain_median_epoch_seconds'])}; totals {o['ratio_of_totals']:.2f}x)"
    )
    sections = ", ".join(f"{k} {v:.1f} s" for k, v in result["section_seconds"].items())
    lines.append(
        f"wall time: {result['wall_seconds']:.1f} s ({sections}) "
        f"(load average before: {result['machine']['load_average_1min']})"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller grids, fewer repeats (~20 s)")
    parser.add_argument("--json", metavar="PATH", help="write the measurements as JSON")
    parser.add_argument("--figures", metavar="DIR", help="write the figures there as SVG files")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
            handle.write("\n")
    if args.figures:
        root = str(Path(__file__).resolve().parents[1])
        if root not in sys.path:  # run as a script: make `scripts` importable
            sys.path.insert(0, root)
        from scripts import bench_figures

        folder = Path(args.figures)
        folder.mkdir(parents=True, exist_ok=True)
        for name, draw in bench_figures.FIGURES.items():
            (folder / f"{name}.svg").write_text(draw(result), encoding="utf-8")
    print(_summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
