"""Contracts of the core modules that the first mutation run found untested.

Each test here kills mutants that survived ``scripts/mutation.sh`` (see
docs/mutation.md): the layer's size properties, the documented initial state of
the layers, exact error messages (the other tests match substrings, which a
message wrapped in extra text still satisfies), the cross-entropy's clipping
constant and the bounds of its ``eps``, the initialiser's messages.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

from nbn import (
    BCE_EPSILON,
    LinearLayer,
    SigmoidLayer,
    TanhLayer,
    binary_cross_entropy,
    compute_cost,
    initialize_parameters,
)


def _exactly(message: str) -> str:
    """A ``match=`` pattern for the whole message, not a substring of it."""
    return "^" + re.escape(message) + "$"


def test_linear_layer_reports_its_input_and_output_sizes() -> None:
    layer = LinearLayer(input_shape=(3, 5), n_out=2)
    assert (layer.n_in, layer.n_out) == (3, 2)


def test_layers_start_without_inputs_or_gradients() -> None:
    linear = LinearLayer(input_shape=(2, 4), n_out=3)
    assert linear.A_prev is None and linear.dW is None
    assert linear.db is None and linear.dA_prev is None
    activation = SigmoidLayer((3, 4))
    assert activation.Z is None and activation.dZ is None


def test_call_order_errors_have_exact_messages() -> None:
    with pytest.raises(
        RuntimeError,
        match=_exactly("LinearLayer.backward called before forward: call forward first"),
    ):
        LinearLayer((2, 4), 3).backward(np.ones((3, 4)))
    with pytest.raises(
        RuntimeError, match=_exactly("TanhLayer.backward called before forward: call forward first")
    ):
        TanhLayer((2, 4)).backward(np.ones((2, 4)))
    with pytest.raises(
        RuntimeError,
        match=_exactly("LinearLayer.update_params called before backward: no gradients to apply"),
    ):
        LinearLayer((2, 4), 3).update_params(0.1)


def test_overflowing_db_error_has_the_exact_message() -> None:
    """Finite upstream gradients whose sum overflows: the whole message, not a substring."""
    linear = LinearLayer((2, 2), 1)
    linear.forward(np.ones((2, 2)))
    huge = np.full((1, 2), 1e308)  # each entry finite, but 1e308 + 1e308 = inf
    with (
        warnings.catch_warnings(),
        pytest.raises(
            FloatingPointError,
            match=_exactly(
                "db overflowed although upstream_grad is finite: its entries are too large"
            ),
        ),
    ):
        warnings.simplefilter("ignore", RuntimeWarning)
        linear.backward(huge)


def test_cost_errors_have_exact_messages() -> None:
    with pytest.raises(
        ValueError,
        match=_exactly("Y and Y_hat must have the same shape, got Y (1, 4) and Y_hat (1, 3)"),
    ):
        compute_cost(np.ones((1, 4)), np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"^Y_hat must be 2-D"):
        compute_cost(np.ones((1, 2)), np.ones(2))
    with (
        np.errstate(over="ignore"),
        pytest.raises(
            FloatingPointError,
            match=_exactly("the cost overflowed to inf although Y and Y_hat are finite"),
        ),
    ):
        compute_cost(np.full((1, 2), 1e200), np.full((1, 2), -1e200))


def test_cross_entropy_errors_have_exact_messages() -> None:
    with pytest.raises(
        ValueError,
        # NumPy 2 shows the numbers as np.float64(...): allow either form
        match=r"^Y_hat must hold probabilities in \[0, 1\], "
        r"got values from \S*0\.5\)? to \S*1\.5\)?$",
    ):
        binary_cross_entropy(np.ones((1, 2)), np.array([[0.5, 1.5]]))
    with pytest.raises(
        ValueError, match=_exactly("eps must be a number in (0, 0.5), got float 0.7")
    ):
        binary_cross_entropy(np.ones((1, 2)), np.full((1, 2), 0.5), eps=0.7)
    with pytest.raises(ValueError, match=r"^Y_hat must contain only finite numbers"):
        binary_cross_entropy(np.ones((1, 2)), np.array([[0.5, np.nan]]))


@pytest.mark.parametrize("eps", [0.0, 0.5, "0.1", True])
def test_cross_entropy_eps_must_be_a_number_strictly_inside_0_and_half(eps: object) -> None:
    with pytest.raises(ValueError, match=r"^eps must be a number in \(0, 0\.5\)"):
        binary_cross_entropy(np.ones((1, 1)), np.full((1, 1), 0.5), eps=eps)  # type: ignore[arg-type]


def test_cross_entropy_clips_a_certainly_wrong_prediction_at_1e_12() -> None:
    """Label 1, prediction exactly 0: the documented clip gives cost -log(1e-12)."""
    assert BCE_EPSILON == 1e-12
    cost, _ = binary_cross_entropy(np.ones((1, 1)), np.zeros((1, 1)))
    assert cost == pytest.approx(-math.log(1e-12), rel=1e-12)


def test_initializer_errors_have_exact_messages() -> None:
    with pytest.raises(
        ValueError,
        match=_exactly(
            "ini_type must be one of 'plain', 'xavier', 'glorot', 'he', got str 'lecun'"
        ),
    ):
        initialize_parameters(2, 3, "lecun")
    with pytest.raises(
        TypeError, match=_exactly("rng must be a numpy.random.Generator or None, got int 1")
    ):
        initialize_parameters(2, 3, rng=1)  # type: ignore[arg-type]
