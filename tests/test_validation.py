"""Bad input gets a clear error that names the argument, says what was expected
and shows what was given: never a silent NaN, never a deep NumPy traceback."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from nbn import (
    LinearLayer,
    ReLULayer,
    Sequential,
    SigmoidLayer,
    TanhLayer,
    binary_cross_entropy,
    compute_cost,
    datasets,
    initialize_parameters,
    predict,
)


def _raises(exc: type[Exception], *fragments: str):
    """pytest.raises whose message must contain every fragment, in order."""
    return pytest.raises(exc, match=".*".join(re.escape(f) for f in fragments))


# --- layer sizes and shapes ------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -3])
def test_n_out_must_be_positive(bad: int) -> None:
    with _raises(ValueError, "n_out must be a positive integer", f"got {bad}"):
        LinearLayer((2, 4), bad)


@pytest.mark.parametrize(
    ("bad", "shown"), [(2.5, "float 2.5"), ("3", "str '3'"), (None, "None"), (True, "bool True")]
)
def test_n_out_must_be_an_integer(bad: object, shown: str) -> None:
    with _raises(TypeError, "n_out must be a positive integer", shown):
        LinearLayer((2, 4), bad)  # type: ignore[arg-type]


def test_n_in_must_be_a_positive_integer() -> None:
    with _raises(ValueError, "n_in must be a positive integer", "got 0"):
        initialize_parameters(0, 3)
    with _raises(TypeError, "n_in must be a positive integer", "float 2.0"):
        initialize_parameters(2.0, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "exc", "fragments"),
    [
        ((2,), TypeError, ("input_shape must be a pair (rows, columns)", "tuple (2,)")),
        ("ab", TypeError, ("input_shape must be a pair", "str 'ab'")),
        (None, TypeError, ("input_shape must be a pair", "None")),
        ((2, 0), ValueError, ("input_shape[1] must be a positive integer", "got 0")),
        ((2.0, 4), TypeError, ("input_shape[0] must be a positive integer", "float 2.0")),
    ],
)
def test_input_shape_must_be_a_pair_of_positive_integers(bad, exc, fragments) -> None:
    with _raises(exc, *fragments):
        LinearLayer(bad, 3)


def test_activation_shape_must_be_a_pair_of_positive_integers() -> None:
    with _raises(TypeError, "shape must be a pair (rows, columns)", "int 3"):
        SigmoidLayer(3)  # type: ignore[arg-type]


def test_unknown_ini_type_lists_the_valid_ones() -> None:
    with _raises(
        ValueError, "ini_type must be one of 'plain', 'xavier', 'glorot', 'he'", "str 'gaussian'"
    ):
        LinearLayer((2, 4), 3, ini_type="gaussian")


def test_rng_must_be_a_generator() -> None:
    with _raises(TypeError, "rng must be a numpy.random.Generator", "int 42"):
        initialize_parameters(2, 3, rng=42)  # type: ignore[arg-type]


# --- arrays: shape, emptiness, type --------------------------------------------------


def test_input_rows_must_match_n_in() -> None:
    layer = LinearLayer((2, 4), 3)
    with _raises(ValueError, "A_prev must have 2 rows", "got shape (3, 4)"):
        layer.forward(np.ones((3, 4)))


def test_input_must_be_two_dimensional() -> None:
    with _raises(ValueError, "A_prev must be 2-D (features x examples)", "shape (2,)"):
        LinearLayer((2, 4), 3).forward(np.ones(2))


def test_empty_batch_is_rejected() -> None:
    with _raises(ValueError, "A_prev must not be empty (m = 0 examples)", "shape (2, 0)"):
        LinearLayer((2, 4), 3).forward(np.ones((2, 0)))
    with _raises(ValueError, "Y must not be empty", "shape (1, 0)"):
        compute_cost(np.ones((1, 0)), np.ones((1, 0)))


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("abc", "str 'abc'"),
        (None, "None"),
        (np.array([[1, "a"]], dtype=object), "dtype object"),
        (np.array([["1", "2"]]), "dtype <U1"),
        ([[1, 2], [3]], "list"),
    ],
)
def test_non_numeric_input_is_a_type_error(bad: object, shown: str) -> None:
    with _raises(TypeError, "A_prev must be a 2-D array of numbers", shown):
        LinearLayer((2, 2), 3).forward(bad)  # type: ignore[arg-type]


def test_labels_must_be_numbers() -> None:
    with _raises(TypeError, "Y must be a 2-D array of numbers", "None"):
        compute_cost(None, np.ones((1, 4)))  # type: ignore[arg-type]


def test_integer_and_list_input_is_converted_to_float64() -> None:
    layer = LinearLayer((2, 4), 1)
    X, _ = datasets.or_gate()
    assert layer.forward(X).dtype == np.float64
    assert layer.A_prev is not None and layer.A_prev.dtype == np.float64
    np.testing.assert_array_equal(layer.forward(X.tolist()), layer.forward(X.astype(float)))


def test_cost_shapes_must_match() -> None:
    with _raises(ValueError, "Y and Y_hat must have the same shape", "Y (1, 4)", "Y_hat (1, 3)"):
        compute_cost(np.ones((1, 4)), np.ones((1, 3)))


def test_upstream_gradient_shape_must_match_the_layer() -> None:
    layer = LinearLayer((2, 4), 3)
    layer.forward(np.ones((2, 4)))
    with _raises(ValueError, "upstream_grad must have 4 columns", "got shape (3, 5)"):
        layer.backward(np.ones((3, 5)))
    sig = SigmoidLayer((3, 4))
    sig.forward(np.ones((3, 4)))
    with _raises(ValueError, "upstream_grad must have 3 rows", "got shape (2, 4)"):
        sig.backward(np.ones((2, 4)))


# --- NaN and infinity ----------------------------------------------------------------


def _with(value: float, shape: tuple[int, int] = (2, 4)) -> np.ndarray:
    array = np.ones(shape)
    array[0, 1] = value
    return array


@pytest.mark.parametrize(
    ("value", "word"), [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")]
)
def test_non_finite_inputs_are_rejected(value: float, word: str) -> None:
    with _raises(ValueError, "A_prev must contain only finite numbers", f"got {word}"):
        LinearLayer((2, 4), 3).forward(_with(value))
    for layer_type in (SigmoidLayer, TanhLayer, ReLULayer):
        with _raises(ValueError, "Z must contain only finite numbers", f"got {word}"):
            layer_type((2, 4)).forward(_with(value))


@pytest.mark.parametrize(("value", "word"), [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_labels_and_predictions_are_rejected(value: float, word: str) -> None:
    good = np.full((1, 4), 0.5)
    with _raises(ValueError, "Y must contain only finite numbers", f"got {word}"):
        compute_cost(_with(value, (1, 4)), good)
    with _raises(ValueError, "Y_hat must contain only finite numbers", f"got {word}"):
        compute_cost(good, _with(value, (1, 4)))
    with _raises(ValueError, "Y must contain only finite numbers", f"got {word}"):
        binary_cross_entropy(_with(value, (1, 4)), good)


@pytest.mark.parametrize(("value", "word"), [(np.nan, "NaN"), (-np.inf, "infinity")])
def test_non_finite_upstream_gradients_are_rejected(value: float, word: str) -> None:
    linear = LinearLayer((2, 4), 3)
    linear.forward(np.ones((2, 4)))
    with _raises(
        ValueError, "upstream_grad must contain only finite numbers", f"got {word} in shape (3, 4)"
    ):
        linear.backward(_with(value, (3, 4)))
    sig = SigmoidLayer((3, 4))
    sig.forward(np.ones((3, 4)))
    with _raises(ValueError, "upstream_grad must contain only finite numbers", f"got {word}"):
        sig.backward(_with(value, (3, 4)))


# --- learning rate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "exc", "shown"),
    [
        (0, ValueError, "0.0"),
        (-0.1, ValueError, "-0.1"),
        (float("nan"), ValueError, "nan"),
        (float("inf"), ValueError, "inf"),
        ("0.1", TypeError, "str '0.1'"),
        (None, TypeError, "None"),
        (True, TypeError, "bool True"),
    ],
)
def test_learning_rate_must_be_finite_and_positive(bad, exc, shown) -> None:
    layer = LinearLayer((2, 4), 1)
    layer.forward(np.ones((2, 4)))
    layer.backward(np.ones((1, 4)))
    with _raises(exc, "learning_rate must be a finite positive number", shown):
        layer.update_params(learning_rate=bad)


def test_a_rejected_learning_rate_is_rejected_again() -> None:
    """The per-object cache of the last valid rate must not let a bad one through."""
    layer = LinearLayer((2, 4), 1)
    layer.forward(np.ones((2, 4)))
    layer.backward(np.ones((1, 4)))
    layer.update_params(0.5)
    bad = -0.5
    for _ in range(2):
        with _raises(ValueError, "learning_rate must be a finite positive number"):
            layer.update_params(bad)


def test_huge_learning_rate_keeps_the_cost_finite_without_warnings() -> None:
    X, Y = datasets.xor_gate()
    for rate in (1e8, 1e300):
        rng = np.random.default_rng(7)
        net = Sequential(
            [
                LinearLayer(X.shape, 3, "xavier", rng=rng),
                SigmoidLayer((3, 4)),
                LinearLayer((3, 4), 1, "xavier", rng=rng),
                SigmoidLayer((1, 4)),
            ]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            history = net.train(X, Y, learning_rate=rate, epochs=200, record_every=10)
        assert all(np.isfinite(history))
        # squared error of outputs in [0, 1] with 0/1 labels can never exceed 1/2
        assert max(history) <= 0.5


# --- call order ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer", [LinearLayer((2, 4), 3), SigmoidLayer((2, 4)), TanhLayer((2, 4)), ReLULayer((2, 4))]
)
def test_backward_before_forward_is_a_runtime_error(layer) -> None:
    with _raises(RuntimeError, "backward called before forward"):
        layer.backward(np.ones((3 if isinstance(layer, LinearLayer) else 2, 4)))


def test_update_before_backward_is_a_runtime_error() -> None:
    with _raises(RuntimeError, "update_params called before backward"):
        LinearLayer((2, 4), 3).update_params(0.1)


# --- the rest of the public API --------------------------------------------------------


def test_binary_cross_entropy_rejects_non_probabilities_and_bad_eps() -> None:
    with _raises(ValueError, "Y_hat must hold probabilities in [0, 1]", "1.5"):
        binary_cross_entropy(np.ones((1, 2)), np.array([[0.5, 1.5]]))
    with _raises(ValueError, "eps must be a number in (0, 0.5)", "float 0.7"):
        binary_cross_entropy(np.ones((1, 2)), np.full((1, 2), 0.5), eps=0.7)


def test_sequential_rejects_bad_layers_and_settings() -> None:
    with _raises(ValueError, "layers must hold at least one layer"):
        Sequential([])
    with _raises(TypeError, "layers[1] must have forward and backward methods", "int 3"):
        Sequential([SigmoidLayer((1, 4)), 3])  # type: ignore[list-item]
    X, Y = datasets.or_gate()
    net = Sequential([LinearLayer(X.shape, 1), SigmoidLayer((1, 4))])
    with _raises(ValueError, "epochs must be a positive integer", "got 0"):
        net.train(X, Y, learning_rate=1.0, epochs=0)
    with _raises(ValueError, "Y must have 4 columns", "got shape (1, 3)"):
        net.train(X, Y[:, :3], learning_rate=1.0, epochs=1)


def test_predict_rejects_mismatched_layer_lists_and_threshold() -> None:
    X, Y = datasets.or_gate()
    Z = LinearLayer(X.shape, 1)
    with _raises(
        ValueError, "Zs and As must be non-empty and of equal length", "1 linear", "0 activation"
    ):
        predict(X, Y, [Z], [])
    with _raises(ValueError, "thresh must be in (0, 1)", "float 1.5"):
        predict(X, Y, [Z], [SigmoidLayer((1, 4))], thresh=1.5)


def test_finite_upstream_gradient_whose_sum_overflows_is_a_floating_point_error() -> None:
    linear = LinearLayer((2, 2), 1)
    linear.forward(np.ones((2, 2)))
    huge = np.full((1, 2), 1e308)  # finite entries, but 1e308 + 1e308 = inf
    with (
        warnings.catch_warnings(),
        _raises(FloatingPointError, "db overflowed although upstream_grad is finite"),
    ):
        warnings.simplefilter("ignore", RuntimeWarning)
        linear.backward(huge)
