"""Looped (Delta accumulators), vectorized and fast batch gradients, one sigmoid neuron.

Opt-in timing suite: ``scripts/bench`` runs it. Each m is its own benchmark
group, so pytest-benchmark's table compares the methods side by side. The
loop stops at m = 1e4 (a fifth of a second per call); the vectorized and fast
methods go on to m = 1e6. Nothing here fails on a time: the assertions check
results.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import NDArray
from pytest_benchmark.fixture import BenchmarkFixture

from nbn import accumulate_looped, gradients_fast, gradients_vectorized
from scripts.bench_scaling import make_problem, plain_vectorized_gradient

pytestmark = pytest.mark.benchmark

Array = NDArray[np.float64]
Gradient = Callable[[Array, Array, Array, Array], tuple[Array, Array]]

LOOPED_M = [4, 100, 1_000, 10_000]
VECTORIZED_M = [4, 100, 1_000, 10_000, 100_000, 1_000_000]


def _run(benchmark: BenchmarkFixture, method: Gradient, m: int) -> None:
    X, Y, W, b = make_problem(m)
    benchmark.group = f"gradient, m = {m:>9,}"
    dW, db = benchmark(method, X, Y, W, b)
    assert dW.shape == W.shape and db.shape == b.shape
    assert np.isfinite(dW).all() and np.isfinite(db).all()


@pytest.mark.parametrize("m", LOOPED_M)
def test_looped_gradient(benchmark: BenchmarkFixture, m: int) -> None:
    _run(benchmark, accumulate_looped, m)


@pytest.mark.parametrize("m", VECTORIZED_M)
def test_vectorized_gradient(benchmark: BenchmarkFixture, m: int) -> None:
    _run(benchmark, gradients_vectorized, m)


@pytest.mark.parametrize("m", VECTORIZED_M)
def test_fast_gradient(benchmark: BenchmarkFixture, m: int) -> None:
    _run(benchmark, gradients_fast, m)


@pytest.mark.parametrize("m", [4, 1_000_000])
def test_vectorized_gradient_plain_equations(benchmark: BenchmarkFixture, m: int) -> None:
    """The same equations with no input checks: what validation costs, small and large m."""
    _run(benchmark, plain_vectorized_gradient, m)


def test_streaming_sum_floor(benchmark: BenchmarkFixture) -> None:
    """``X.sum()`` over the m = 1e6 data: a bare pass over X, the memory-bound floor."""
    X, _, _, _ = make_problem(1_000_000)
    benchmark.group = f"gradient, m = {1_000_000:>9,}"
    total = benchmark(X.sum)
    assert 0.0 < total < X.size
