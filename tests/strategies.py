"""Shared Hypothesis strategies: layer shapes, float64 data and small symbolic cases.

Shapes follow the article's layout: data is features x examples, ``W`` is
``(n_out, n_in)``, ``b`` is ``(n_out, 1)``. Sizes default to the ranges the
property tests use: ``n_in, n_out`` in 1..6 and ``m`` in 1..20.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray

__all__ = [
    "LayerProblem",
    "activation_inputs",
    "binary_labels",
    "layer_problems",
    "matrices",
    "probabilities",
    "shapes",
    "sizes",
]

Array = NDArray[np.float64]

#: Default size ranges.
MAX_FEATURES = 6
MAX_EXAMPLES = 20


def sizes(max_value: int) -> st.SearchStrategy[int]:
    """A dimension in ``1..max_value``."""
    return st.integers(min_value=1, max_value=max_value)


def shapes(
    max_in: int = MAX_FEATURES, max_out: int = MAX_FEATURES, max_m: int = MAX_EXAMPLES
) -> st.SearchStrategy[tuple[int, int, int]]:
    """``(n_in, n_out, m)``."""
    return st.tuples(sizes(max_in), sizes(max_out), sizes(max_m))


def matrices(
    shape: tuple[int, int], low: float = -3.0, high: float = 3.0
) -> st.SearchStrategy[Array]:
    """float64 matrices of ``shape`` with finite entries in ``[low, high]``.

    No subnormal entries (below 2.2e-308 in size): they carry fewer than float64's
    53 bits, so no computation on them can meet a relative tolerance of 1e-12.
    """
    return arrays(
        np.float64,
        shape,
        elements=st.floats(
            low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=64
        ),
    )


def activation_inputs(
    shape: tuple[int, int], away_from_zero: float = 0.0, bound: float = 6.0
) -> st.SearchStrategy[Array]:
    """Inputs ``Z`` of an activation; entries at least ``away_from_zero`` from 0
    (for ReLU's kink) and at most ``bound`` in size (where derivatives are not tiny)."""
    magnitude = st.floats(away_from_zero, bound, allow_nan=False, width=64)
    signed = st.tuples(st.sampled_from((-1.0, 1.0)), magnitude).map(lambda p: p[0] * p[1])
    return arrays(np.float64, shape, elements=signed)


def probabilities(
    shape: tuple[int, int], low: float = 0.05, high: float = 0.95
) -> st.SearchStrategy[Array]:
    """Predictions strictly inside (0, 1), away from the cross-entropy's clipping."""
    return arrays(np.float64, shape, elements=st.floats(low, high, width=64))


def binary_labels(shape: tuple[int, int]) -> st.SearchStrategy[Array]:
    """Labels 0.0 or 1.0."""
    return arrays(np.float64, shape, elements=st.sampled_from((0.0, 1.0)))


@dataclass(frozen=True)
class LayerProblem:
    """Data for one linear layer and the gradient flowing into it.

    Attributes
    ----------
    X : ndarray of shape (n_in, m)
    W : ndarray of shape (n_out, n_in)
    b : ndarray of shape (n_out, 1)
    upstream : ndarray of shape (n_out, m)
    Y : ndarray of shape (n_out, m)
        Binary labels, for costs.
    """

    X: Array
    W: Array
    b: Array
    upstream: Array
    Y: Array

    @property
    def n_in(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_out(self) -> int:
        return int(self.W.shape[0])

    @property
    def m(self) -> int:
        return int(self.X.shape[1])


@st.composite
def layer_problems(
    draw: st.DrawFn,
    max_in: int = MAX_FEATURES,
    max_out: int = MAX_FEATURES,
    max_m: int = MAX_EXAMPLES,
    among: tuple[tuple[int, int, int], ...] = (),
    data_bound: float = 3.0,
    weight_bound: float = 2.0,
) -> LayerProblem:
    """A random :class:`LayerProblem` with ``n_in, n_out, m`` drawn from the ranges,
    or from the shapes listed in ``among`` when given; entries of ``X`` within
    ``data_bound`` and of ``W``, ``b`` within ``weight_bound``."""
    if among:
        n_in, n_out, m = draw(st.sampled_from(among))
    else:
        n_in, n_out, m = draw(shapes(max_in, max_out, max_m))
    return LayerProblem(
        X=draw(matrices((n_in, m), -data_bound, data_bound)),
        W=draw(matrices((n_out, n_in), -weight_bound, weight_bound)),
        b=draw(matrices((n_out, 1), -weight_bound, weight_bound)),
        upstream=draw(matrices((n_out, m), -1.0, 1.0)),
        Y=draw(binary_labels((n_out, m))),
    )


def examples(n: int) -> int:
    """``n`` examples in the default run; as many times more as the loaded Hypothesis
    profile asks for over Hypothesis's own default of 100 (ten times under
    ``--hypothesis-profile=slow``, see tests/conftest.py)."""
    from hypothesis import settings

    return max(n, n * settings.default.max_examples // 100)
