"""The looped (Delta accumulators), vectorized and fast batch gradients agree, and are right.

Oracles, none of them the code under test:

* each other, to 1e-12 relative to the size of the terms being averaged (the
  methods add the same numbers in a different order, so they may differ by a few
  rounding errors of those terms, never more); the fast step is checked against
  the readable vectorized one this way, over drawn shapes and block sizes;
* central finite differences of a cost written here in plain NumPy, to 1e-6;
* nbn's ``LinearLayer``/``SigmoidLayer``/``compute_cost`` backward pass, to 1e-12;
* the article's gradient after one step on the OR data, to its 3 printed decimals.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray
from strategies import examples

from nbn import (
    FD_RTOL,
    LinearLayer,
    SigmoidLayer,
    accumulate_looped,
    accumulate_looped_2layer,
    compute_cost,
    datasets,
    gradient_error,
    gradients_fast,
    gradients_fast_2layer,
    gradients_vectorized,
    gradients_vectorized_2layer,
    numerical_gradient,
    sigmoid,
)
from nbn.ledger import get_claim

Array = NDArray[np.float64]
AGREE_RTOL = 1e-12
#: Below the smallest normal float64 (2.2e-308) relative precision is lost: there
#: the comparison is absolute, far below any gradient that matters.
SUBNORMAL_FLOOR = 1e-300

# ---------------------------------------------------------------- oracles


def _sigmoid(Z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-Z))


def _cost_1layer(X: Array, Y: Array, W: Array, b: Array) -> float:
    """``1/(2m) * sum((Y - sigmoid(W X + b))^2)``, straight from the article."""
    A = _sigmoid(W @ X + b)
    return float(np.sum((Y - A) ** 2) / (2 * X.shape[1]))


def _cost_2layer(X: Array, Y: Array, W1: Array, b1: Array, W2: Array, b2: Array) -> float:
    A2 = _sigmoid(W2 @ _sigmoid(W1 @ X + b1) + b2)
    return float(np.sum((Y - A2) ** 2) / (2 * X.shape[1]))


def _term_scales_1layer(X: Array, Y: Array, W: Array, b: Array) -> tuple[Array, Array]:
    """Mean absolute size of the per-example terms that both methods average.

    ``dW = mean_i dz_i x_i^T``: rounding in either method is a few ulps of the
    terms ``|dz_i| |x_i|``, however much they cancel in the sum.
    """
    A = _sigmoid(W @ X + b)
    dz = np.abs((A - Y) * A * (1.0 - A))
    m = X.shape[1]
    return dz @ np.abs(X).T / m, dz.sum(axis=1, keepdims=True) / m


def _assert_agree(first: Array, second: Array, scale: Array) -> None:
    """``|first - second| <= AGREE_RTOL * scale + SUBNORMAL_FLOOR``, element-wise."""
    assert first.shape == second.shape == scale.shape
    excess = np.abs(first - second) - AGREE_RTOL * scale - SUBNORMAL_FLOOR
    assert np.all(excess <= 0.0), f"differ by {np.max(np.abs(first - second))!r}"


def _relative_error(first: Array, second: Array) -> float:
    return float(np.max(np.abs(first - second)) / np.max(np.abs(second)))


def _or_problem() -> tuple[Array, Array, Array, Array]:
    """The article's batch OR set-up: W = [0.1, 0.6], b = 0."""
    X, Y = datasets.or_gate()
    return X.astype(float), Y.astype(float), np.array([[0.1, 0.6]]), np.zeros((1, 1))


# ---------------------------------------------------------------- strategies

_values = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)


@st.composite
def _one_layer_problems(draw: st.DrawFn) -> tuple[Array, Array, Array, Array]:
    n_in = draw(st.integers(1, 6))
    n_out = draw(st.integers(1, 3))
    m = draw(st.integers(1, 20))
    X = draw(arrays(np.float64, (n_in, m), elements=_values))
    Y = draw(arrays(np.float64, (n_out, m), elements=st.floats(0.0, 1.0)))
    W = draw(arrays(np.float64, (n_out, n_in), elements=_values))
    b = draw(arrays(np.float64, (n_out, 1), elements=_values))
    return X, Y, W, b


@st.composite
def _two_layer_problems(draw: st.DrawFn) -> tuple[Array, ...]:
    n_in = draw(st.integers(1, 6))
    n_hidden = draw(st.integers(1, 4))
    m = draw(st.integers(1, 20))
    X = draw(arrays(np.float64, (n_in, m), elements=_values))
    Y = draw(arrays(np.float64, (1, m), elements=st.floats(0.0, 1.0)))
    W1 = draw(arrays(np.float64, (n_hidden, n_in), elements=_values))
    b1 = draw(arrays(np.float64, (n_hidden, 1), elements=_values))
    W2 = draw(arrays(np.float64, (1, n_hidden), elements=_values))
    b2 = draw(arrays(np.float64, (1, 1), elements=_values))
    return X, Y, W1, b1, W2, b2


def _xor_2layer_problem() -> tuple[Array, ...]:
    """The article's 2-3-1 XOR network shapes, with weights from a fixed generator."""
    X, Y = datasets.xor_gate()
    rng = np.random.default_rng(7)
    W1 = rng.standard_normal((3, 2))
    b1 = rng.standard_normal((3, 1))
    W2 = rng.standard_normal((1, 3))
    b2 = rng.standard_normal((1, 1))
    return X.astype(float), Y.astype(float), W1, b1, W2, b2


# ---------------------------------------------------------------- looped == vectorized


@settings(deadline=None, max_examples=examples(60))
@given(_one_layer_problems())
def test_looped_and_vectorized_agree_for_random_shapes(problem: tuple[Array, ...]) -> None:
    X, Y, W, b = problem
    scale_W, scale_b = _term_scales_1layer(X, Y, W, b)
    looped = accumulate_looped(X, Y, W, b)
    vectorized = gradients_vectorized(X, Y, W, b)
    _assert_agree(looped[0], vectorized[0], scale_W)
    _assert_agree(looped[1], vectorized[1], scale_b)


@settings(deadline=None, max_examples=examples(60))
@given(_two_layer_problems())
def test_two_layer_looped_and_vectorized_agree_for_random_shapes(
    problem: tuple[Array, ...],
) -> None:
    X, Y, W1, b1, W2, b2 = problem
    # Per-example terms, computed here one column at a time, bound the rounding.
    per_example = [
        accumulate_looped_2layer(X[:, [i]], Y[:, [i]], W1, b1, W2, b2) for i in range(X.shape[1])
    ]
    looped = accumulate_looped_2layer(X, Y, W1, b1, W2, b2)
    vectorized = gradients_vectorized_2layer(X, Y, W1, b1, W2, b2)
    for k in range(4):
        scale = np.mean([np.abs(terms[k]) for terms in per_example], axis=0)
        _assert_agree(looped[k], vectorized[k], 4 * scale)


def test_looped_and_vectorized_agree_on_the_article_or_data() -> None:
    X, Y, W, b = _or_problem()
    for looped, vectorized in zip(
        accumulate_looped(X, Y, W, b), gradients_vectorized(X, Y, W, b), strict=True
    ):
        np.testing.assert_allclose(looped, vectorized, rtol=AGREE_RTOL, atol=0.0)


def test_both_methods_give_the_article_gradient_after_one_or_step() -> None:
    # The article, batch OR section: after one step with learning rate 1 from
    # W = [0.1, 0.6], b = 0, the article prints dCost/dW and dCost/db to 3 decimals.
    X, Y, W, b = _or_problem()
    for method in (accumulate_looped, gradients_vectorized):
        dW, db = method(X, Y, W, b)
        dW_next, db_next = method(X, Y, W - dW, b - db)
        # the article's numbers, read from the ledger (the one place they are typed)
        dw1, dw2, db_article = get_claim("batch-or-second-gradients").article_value  # type: ignore[misc]
        np.testing.assert_array_equal(np.round(dW_next, 3), [[dw1, dw2]])
        np.testing.assert_array_equal(np.round(db_next, 3), [[db_article]])


# ---------------------------------------------------------------- fast == vectorized


@settings(deadline=None, max_examples=examples(60))
@given(_one_layer_problems(), st.integers(1, 8) | st.none())
def test_fast_step_equals_the_readable_one_for_random_shapes_and_blocks(
    problem: tuple[Array, ...], block: int | None
) -> None:
    X, Y, W, b = problem
    scale_W, scale_b = _term_scales_1layer(X, Y, W, b)
    fast = gradients_fast(X, Y, W, b, block=block)
    reference = gradients_vectorized(X, Y, W, b)
    _assert_agree(fast[0], reference[0], scale_W)
    _assert_agree(fast[1], reference[1], scale_b)


@settings(deadline=None, max_examples=examples(60))
@given(_two_layer_problems(), st.integers(1, 8) | st.none())
def test_two_layer_fast_step_equals_the_readable_one_for_random_shapes_and_blocks(
    problem: tuple[Array, ...], block: int | None
) -> None:
    X, Y, W1, b1, W2, b2 = problem
    per_example = [
        gradients_vectorized_2layer(X[:, [i]], Y[:, [i]], W1, b1, W2, b2) for i in range(X.shape[1])
    ]
    fast = gradients_fast_2layer(X, Y, W1, b1, W2, b2, block=block)
    reference = gradients_vectorized_2layer(X, Y, W1, b1, W2, b2)
    for k in range(4):
        scale = np.mean([np.abs(terms[k]) for terms in per_example], axis=0)
        _assert_agree(fast[k], reference[k], 4 * scale)


def test_fast_step_equals_the_readable_one_over_many_default_blocks() -> None:
    # 50,003 examples: several full default blocks and a short last one.
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 50_003))
    Y = (rng.random((2, 50_003)) < 0.5).astype(float)
    W, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 1))
    scale_W, scale_b = _term_scales_1layer(X, Y, W, b)
    fast, reference = gradients_fast(X, Y, W, b), gradients_vectorized(X, Y, W, b)
    for ours, theirs, scale in zip(fast, reference, (scale_W, scale_b), strict=True):
        _assert_agree(ours, theirs, scale)
    W1, b1 = rng.standard_normal((5, 3)), rng.standard_normal((5, 1))
    W2, b2 = rng.standard_normal((2, 5)), rng.standard_normal((2, 1))
    for fast, reference in zip(
        gradients_fast_2layer(X, Y, W1, b1, W2, b2),
        gradients_vectorized_2layer(X, Y, W1, b1, W2, b2),
        strict=True,
    ):
        assert _relative_error(fast, reference) < AGREE_RTOL


@pytest.mark.parametrize("copies", [1, 50])  # 4 examples, and 200 (past nbn.sigmoid's small path)
def test_fast_step_saturates_like_nbn_sigmoid_without_warnings(copies: int) -> None:
    # z = -1000 x1 is far below -709.78, where exp(-z) would overflow: both methods
    # clip there, so the (tiny) gradients agree and no RuntimeWarning is raised.
    X = np.tile([[1.0, 2.0, 0.5, 0.0], [0.0, 1.0, 1.0, 1.0]], copies)
    Y = np.tile([[1.0, 0.0, 1.0, 1.0]], copies)
    W, b = np.array([[-1000.0, 0.5]]), np.zeros((1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = gradients_fast(X, Y, W, b, block=3)
        reference = gradients_vectorized(X, Y, W, b)
    for ours, theirs in zip(fast, reference, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=AGREE_RTOL, atol=SUBNORMAL_FLOOR)


@pytest.mark.parametrize("size", [6, 100])  # nbn.sigmoid's small-array path and the NumPy one
def test_sigmoid_clips_below_the_overflow_limit_at_every_size(size: int) -> None:
    # Both methods rely on nbn.sigmoid clipping z at -709.78 whatever the array's size.
    z = np.full((1, size), 700.0)
    z[0, -1] = -800.0
    with_nan = z.copy()
    with_nan[0, 0] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, b = sigmoid(z), sigmoid(with_nan)
    assert a[0, -1] == b[0, -1] == 1.0 / (1.0 + math.exp(709.78))  # sigmoid(-709.78)
    assert np.all(a[0, :-1] == 1.0 / (1.0 + math.exp(-700.0)))
    assert math.isnan(b[0, 0])


@pytest.mark.parametrize(
    ("block", "error", "shown"),
    [(0, ValueError, "0"), (2.0, TypeError, "float 2.0"), (True, TypeError, "bool True")],
)
def test_fast_step_rejects_a_block_that_is_not_a_positive_integer(
    block: object, error: type[Exception], shown: str
) -> None:
    X, Y, W, b = _or_problem()
    with pytest.raises(error, match=f"block must be a positive integer, got {shown}"):
        gradients_fast(X, Y, W, b, block=block)  # type: ignore[arg-type]


# ---------------------------------------------------------------- finite differences


def _numeric_1layer(X: Array, Y: Array, W: Array, b: Array) -> tuple[Array, Array]:
    W, b = W.copy(), b.copy()
    return (
        numerical_gradient(lambda w: _cost_1layer(X, Y, w, b), W),
        numerical_gradient(lambda c: _cost_1layer(X, Y, W, c), b),
    )


#: The fast step, also forced into several blocks on small data (the last one shorter).
FAST_1 = [gradients_fast, partial(gradients_fast, block=3)]
FAST_2 = [gradients_fast_2layer, partial(gradients_fast_2layer, block=3)]


@pytest.mark.parametrize("method", [accumulate_looped, gradients_vectorized, *FAST_1])
def test_one_layer_gradient_equals_central_differences_on_or(
    method: Callable[..., tuple[Array, Array]],
) -> None:
    X, Y, W, b = _or_problem()
    for analytic, numeric in zip(method(X, Y, W, b), _numeric_1layer(X, Y, W, b), strict=True):
        assert gradient_error(analytic, numeric) < FD_RTOL


@pytest.mark.parametrize("method", [accumulate_looped, gradients_vectorized, *FAST_1])
def test_one_layer_gradient_equals_central_differences_on_random_data(
    method: Callable[..., tuple[Array, Array]],
) -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((4, 9))
    Y = rng.uniform(0.0, 1.0, (2, 9))
    W = rng.standard_normal((2, 4))
    b = rng.standard_normal((2, 1))
    for analytic, numeric in zip(method(X, Y, W, b), _numeric_1layer(X, Y, W, b), strict=True):
        assert gradient_error(analytic, numeric) < FD_RTOL


@pytest.mark.parametrize("method", [accumulate_looped_2layer, gradients_vectorized_2layer, *FAST_2])
def test_two_layer_gradient_equals_central_differences_on_xor(
    method: Callable[..., tuple[Array, ...]],
) -> None:
    X, Y, *params = _xor_2layer_problem()
    analytic = method(X, Y, *params)
    for k in range(4):
        point = [p.copy() for p in params]

        def cost(value: Array, k: int = k, point: list[Array] = point) -> float:
            args = list(point)
            args[k] = value
            return _cost_2layer(X, Y, *args)

        numeric = numerical_gradient(cost, point[k])
        assert gradient_error(analytic[k], numeric) < FD_RTOL


# ---------------------------------------------------------------- the layer library


def test_one_layer_gradients_equal_the_layers_backward_pass() -> None:
    rng = np.random.default_rng(11)
    X = rng.standard_normal((3, 17))
    Y = rng.uniform(0.0, 1.0, (2, 17))
    linear = LinearLayer(X.shape, 2, rng=rng)
    sigmoid = SigmoidLayer((2, 17))
    sigmoid.forward(linear.forward(X))
    _, dA = compute_cost(Y, sigmoid.A)
    linear.backward(sigmoid.backward(dA))
    assert linear.dW is not None and linear.db is not None
    W, b = linear.params["W"], linear.params["b"]
    for method in (accumulate_looped, gradients_vectorized):
        dW, db = method(X, Y, W, b)
        assert _relative_error(dW, linear.dW) < AGREE_RTOL
        assert _relative_error(db, linear.db) < AGREE_RTOL


def test_two_layer_gradients_equal_the_layers_backward_pass() -> None:
    X, Y, W1, b1, W2, b2 = _xor_2layer_problem()
    Z1, Z2 = LinearLayer(X.shape, 3), LinearLayer((3, 4), 1)
    Z1.params = {"W": W1, "b": b1}
    Z2.params = {"W": W2, "b": b2}
    A1, A2 = SigmoidLayer((3, 4)), SigmoidLayer((1, 4))
    A2.forward(Z2.forward(A1.forward(Z1.forward(X))))
    _, dA2 = compute_cost(Y, A2.A)
    Z1.backward(A1.backward(Z2.backward(A2.backward(dA2))))
    expected = (Z1.dW, Z1.db, Z2.dW, Z2.db)
    for method in (accumulate_looped_2layer, gradients_vectorized_2layer):
        for ours, theirs in zip(method(X, Y, W1, b1, W2, b2), expected, strict=True):
            assert theirs is not None
            assert _relative_error(ours, theirs) < AGREE_RTOL


# ---------------------------------------------------------------- inputs


def test_integer_data_from_the_datasets_is_accepted_as_float() -> None:
    X_int, Y_int = datasets.or_gate()
    X, Y, W, b = _or_problem()
    for method in (accumulate_looped, gradients_vectorized, gradients_fast):
        for ours, expected in zip(method(X_int, Y_int, W, b), method(X, Y, W, b), strict=True):
            np.testing.assert_array_equal(ours, expected)


def test_inputs_are_left_unchanged() -> None:
    X, Y, W, b = _or_problem()
    copies = [a.copy() for a in (X, Y, W, b)]
    accumulate_looped(X, Y, W, b)
    gradients_vectorized(X, Y, W, b)
    gradients_fast(X, Y, W, b, block=3)
    for array, copy in zip((X, Y, W, b), copies, strict=True):
        np.testing.assert_array_equal(array, copy)


ALL_METHODS_1 = [accumulate_looped, gradients_vectorized, *FAST_1]
ALL_METHODS_2 = [accumulate_looped_2layer, gradients_vectorized_2layer, *FAST_2]


@pytest.mark.parametrize("method", ALL_METHODS_1)
@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda p: {**p, "b": np.zeros((2, 1))}, ValueError, r"b must have shape \(1, 1\)"),
        (lambda p: {**p, "b": np.zeros((1, 2))}, ValueError, r"b must have shape \(1, 1\)"),
        (lambda p: {**p, "W": np.zeros((1, 3))}, ValueError, "W must have 2 columns"),
        (lambda p: {**p, "Y": np.zeros((1, 3))}, ValueError, r"Y must have shape \(1, 4\)"),
        (lambda p: {**p, "Y": np.zeros((2, 4))}, ValueError, r"Y must have shape \(1, 4\)"),
        (lambda p: {**p, "X": np.zeros(4)}, ValueError, "X must be 2-D"),
        (lambda p: {**p, "X": "data"}, TypeError, "X must be a 2-D array"),
        (lambda p: {**p, "W": np.array([[np.inf, 0.6]])}, ValueError, "W must contain only"),
        (lambda p: {**p, "b": np.array([[np.nan]])}, ValueError, "b must contain only"),
    ],
)
def test_bad_one_layer_input_raises_an_error_naming_the_argument(
    method: Callable[..., object],
    change: Callable[[dict[str, Array]], dict[str, object]],
    error: type[Exception],
    message: str,
) -> None:
    X, Y, W, b = _or_problem()
    with pytest.raises(error, match=message):
        method(**change({"X": X, "Y": Y, "W": W, "b": b}))


@pytest.mark.parametrize("method", ALL_METHODS_1)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [(0, 0), (1, 3)])
def test_non_finite_data_is_reported_by_name_even_behind_a_zero_weight(
    method: Callable[..., object], bad: float, where: tuple[int, int]
) -> None:
    X, Y, _, b = _or_problem()
    W = np.array([[0.0, 0.0]])  # zero weights: 0 * inf must still be caught
    X[where] = bad
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        method(X, Y, W, b)
    X, Y, _, b = _or_problem()
    Y[0, where[1]] = bad
    with pytest.raises(ValueError, match="Y must contain only finite numbers"):
        method(X, Y, W, b)


@pytest.mark.parametrize("method", ALL_METHODS_2)
def test_bad_two_layer_input_raises_an_error_naming_the_argument(
    method: Callable[..., object],
) -> None:
    X, Y, W1, b1, W2, b2 = _xor_2layer_problem()
    with pytest.raises(ValueError, match="W2 must have 3 columns"):
        method(X, Y, W1, b1, np.zeros((1, 2)), b2)
    with pytest.raises(ValueError, match=r"b1 must have shape \(3, 1\)"):
        method(X, Y, W1, np.zeros((2, 1)), W2, b2)
    with pytest.raises(ValueError, match="W2 must contain only finite numbers"):
        method(X, Y, W1, b1, np.full((1, 3), np.inf), b2)
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        method(X, Y, W1, b1, W2, b2)
