"""What the scaling run measures is right, checked without a clock (default test run).

The timing suites in this folder are opt-in; these tests are not: they check the
pieces of ``scripts/bench_scaling.py`` whose results the performance page shows
as facts rather than timings. The expected values come from the design, not from
running the code under test: the graph engine computes the same gradient as the
vectorized equations; the vectorized step holds arrays of m numbers, the fast
step only its block workspace; a power law's exponent is its power.
"""

from __future__ import annotations

import numpy as np
import pytest

from nbn import gradients_fast, gradients_vectorized
from nbn.fast_step import BLOCK_BYTES
from scripts.bench_scaling import (
    METHODS,
    _fit_exponent,
    make_problem,
    peak_extra_bytes,
)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_benchmarked_method_gives_the_vectorized_gradient(name: str) -> None:
    # the graph engine included: one Python object per operation, the same numbers
    X, Y, W, b = make_problem(60, seed=3)
    ours, reference = METHODS[name](X, Y, W, b), gradients_vectorized(X, Y, W, b)
    for mine, theirs in zip(ours, reference, strict=True):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=0.0)


def test_vectorized_memory_grows_with_m_and_fast_memory_stays_within_its_block() -> None:
    m = 200_000
    problem = make_problem(m)
    # the reference writes W X + b, the sigmoid's steps and dZ to new arrays of m numbers
    assert peak_extra_bytes(gradients_vectorized, *problem) >= 2 * 8 * m
    # the fast step holds two buffers that, with their block of X and Y, fit BLOCK_BYTES
    assert peak_extra_bytes(gradients_fast, *problem) <= BLOCK_BYTES + 16_384


def test_peak_extra_bytes_counts_an_array_made_and_dropped_inside_the_call() -> None:
    def make_and_drop() -> None:
        np.ones(1_000_000).sum()  # 8 MB, freed before the call returns

    assert 8_000_000 <= peak_extra_bytes(make_and_drop) < 8_200_000


def test_fitted_exponent_of_a_power_law_is_its_power() -> None:
    ms = [100, 1_000, 10_000, 100_000]
    assert _fit_exponent(ms, [3e-9 * m**1.5 for m in ms], 1_000) == pytest.approx(1.5, rel=1e-12)
    with pytest.raises(ValueError, match="at least two sizes"):
        _fit_exponent(ms, [1.0] * 4, 100_000)
