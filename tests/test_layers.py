"""The layers, costs, initialisers and helpers against hand derivations."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nbn import (
    BCE_EPSILON,
    LinearLayer,
    ReLULayer,
    Sequential,
    SigmoidLayer,
    TanhLayer,
    binary_cross_entropy,
    compute_cost,
    datasets,
    gradient_error,
    initialize_parameters,
    numerical_gradient,
    predict,
    sigmoid,
)


def _or_layer() -> LinearLayer:
    layer = LinearLayer((2, 4), 1)
    layer.params["W"] = np.array([[0.1, 0.6]])
    return layer


# --- LinearLayer ---------------------------------------------------------------------


def test_linear_layer_starts_with_zero_Z_of_the_output_shape() -> None:
    layer = LinearLayer((2, 4), 3)
    np.testing.assert_array_equal(layer.Z, np.zeros((3, 4)))
    assert layer.params["W"].shape == (3, 2) and layer.params["b"].shape == (3, 1)
    assert layer.m == 4 and layer.A_prev is None
    assert SigmoidLayer(layer.Z.shape).A.shape == (3, 4)


def test_linear_forward_is_w_dot_x_plus_b_on_the_or_inputs() -> None:
    X, _ = datasets.or_gate()
    layer = _or_layer()
    layer.params["b"] = np.array([[0.25]])
    # by hand: z = 0.1 x1 + 0.6 x2 + 0.25 for (0,0), (0,1), (1,0), (1,1)
    np.testing.assert_allclose(layer.forward(X), [[0.25, 0.85, 0.35, 0.95]], rtol=1e-15)
    assert layer.Z is layer.forward(X) or np.array_equal(layer.Z, layer.forward(X))


def test_linear_backward_gives_dw_db_and_da_prev_by_hand() -> None:
    X, _ = datasets.or_gate()
    layer = _or_layer()
    layer.forward(X)
    up = np.array([[1.0, 2.0, 3.0, 4.0]])
    dA_prev = layer.backward(up)
    # dW_j = sum_i up_i x_ji: x1 = (0,0,1,1) -> 3 + 4; x2 = (0,1,0,1) -> 2 + 4
    np.testing.assert_array_equal(layer.dW, [[7.0, 6.0]])
    # db = sum_i up_i = 10 (dZ/db = 1)
    np.testing.assert_array_equal(layer.db, [[10.0]])
    # dA_prev = W^T up: row j is w_j * up
    np.testing.assert_allclose(dA_prev, [[0.1, 0.2, 0.3, 0.4], [0.6, 1.2, 1.8, 2.4]], rtol=1e-15)
    assert dA_prev is layer.dA_prev


def test_update_params_steps_against_the_gradient() -> None:
    X, _ = datasets.or_gate()
    layer = _or_layer()
    layer.forward(X)
    layer.backward(np.array([[1.0, 2.0, 3.0, 4.0]]))
    layer.update_params(learning_rate=0.5)
    np.testing.assert_allclose(layer.params["W"], [[0.1 - 3.5, 0.6 - 3.0]], rtol=1e-15)
    np.testing.assert_allclose(layer.params["b"], [[-5.0]], rtol=1e-15)


def test_update_params_default_learning_rate_is_a_tenth() -> None:
    layer = _or_layer()
    layer.forward(np.ones((2, 1)))
    layer.backward(np.array([[1.0]]))
    layer.update_params()
    np.testing.assert_allclose(layer.params["b"], [[-0.1]], rtol=1e-15)


def test_linear_layer_accepts_a_new_batch_size() -> None:
    layer = LinearLayer((2, 4), 3)
    layer.forward(np.ones((2, 7)))
    assert layer.m == 7
    assert layer.backward(np.ones((3, 7))).shape == (2, 7)


# --- activations ---------------------------------------------------------------------


def test_sigmoid_layer_starts_with_zero_A() -> None:
    np.testing.assert_array_equal(SigmoidLayer((3, 4)).A, np.zeros((3, 4)))


def test_sigmoid_of_zero_is_one_half_and_its_local_gradient_one_quarter() -> None:
    layer = SigmoidLayer((1, 1))
    np.testing.assert_array_equal(layer.forward(np.zeros((1, 1))), [[0.5]])
    # dZ = dA * A * (1 - A) = 1 * 0.5 * 0.5
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1))), [[0.25]])


def test_sigmoid_matches_the_textbook_formula_where_it_does_not_overflow() -> None:
    z = np.linspace(-709.78, 709.78, 400_001).reshape(1, -1)
    textbook = np.array([[1.0 / (1.0 + math.exp(-v)) for v in z[0]]])
    np.testing.assert_allclose(sigmoid(z), textbook, rtol=1e-15, atol=0)


def test_sigmoid_is_stable_for_huge_inputs() -> None:
    z = np.array([[-1e4, -1000.0, -709.79, 709.79, 1000.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = SigmoidLayer(z.shape).forward(z)
    assert np.all(np.isfinite(a)) and np.all(a >= 0.0) and np.all(a <= 1.0)
    np.testing.assert_array_equal(a[0, 3:], 1.0)
    assert np.all(a[0, :3] < 1e-307)


def test_sigmoid_is_symmetric() -> None:
    z = np.linspace(-30, 30, 601).reshape(1, -1)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), atol=2e-16)


def test_tanh_layer_values_and_local_gradient() -> None:
    z = np.array([[-2.0, 0.0, 0.5]])
    layer = TanhLayer(z.shape)
    np.testing.assert_allclose(
        layer.forward(z), [[math.tanh(-2.0), 0.0, math.tanh(0.5)]], rtol=1e-15
    )
    # dZ = dA * (1 - tanh(z)^2) = dA / cosh(z)^2; at z = 0 the slope is exactly 1
    expected = [[1 / math.cosh(-2.0) ** 2, 1.0, 1 / math.cosh(0.5) ** 2]]
    np.testing.assert_allclose(layer.backward(np.ones((1, 3))), expected, rtol=1e-15)


def test_tanh_local_gradient_keeps_relative_accuracy_in_saturation() -> None:
    # 1 - tanh(z)^2 = 1 / cosh(z)^2 ~ 4 exp(-2|z|): at z = 10 the cancelling form
    # 1 - A^2 is off by ~1e-8 relative; the exact value is 8.2e-9.
    z = np.array([[-300.0, -10.0, 10.0, 300.0]])
    layer = TanhLayer(z.shape)
    layer.forward(z)
    expected = [[1 / math.cosh(v) ** 2 for v in z[0]]]
    np.testing.assert_allclose(layer.backward(np.ones((1, 4))), expected, rtol=1e-14)


def test_relu_layer_passes_positive_values_and_their_gradients_only() -> None:
    z = np.array([[-1.5, 0.0, 2.0]])
    layer = ReLULayer(z.shape)
    np.testing.assert_array_equal(layer.forward(z), [[0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0, 5.0]])), [[0.0, 0.0, 5.0]])


# --- costs ---------------------------------------------------------------------------


def test_compute_cost_of_the_articles_first_example() -> None:
    # y = 0, y_hat = 0.5: loss = (0 - 0.5)^2 / 2 = 1/8, dL/dy_hat = y_hat - y = 1/2
    cost, d = compute_cost(np.array([[0]]), np.array([[0.5]]))
    assert cost == 0.125 and isinstance(cost, float)
    np.testing.assert_array_equal(d, [[0.5]])


def test_compute_cost_averages_over_examples() -> None:
    Y = np.array([[0.0, 1.0, 1.0, 1.0]])
    Y_hat = np.array([[0.5, 0.25, 1.0, 0.0]])
    # (0.25 + 0.5625 + 0 + 1) / (2 * 4)
    cost, d = compute_cost(Y, Y_hat)
    assert cost == pytest.approx(1.8125 / 8, rel=1e-15)
    np.testing.assert_allclose(d, -(Y - Y_hat) / 4, rtol=1e-15)


def test_binary_cross_entropy_value_by_hand() -> None:
    Y = np.array([[1.0, 0.0]])
    Y_hat = np.array([[0.8, 0.3]])
    cost, d = binary_cross_entropy(Y, Y_hat)
    assert cost == pytest.approx(-(math.log(0.8) + math.log(0.7)) / 2, rel=1e-15)
    # dC/dp = -(y/p - (1-y)/(1-p)) / m
    np.testing.assert_allclose(d, [[-1 / 0.8 / 2, 1 / 0.7 / 2]], rtol=1e-15)


def test_binary_cross_entropy_gradient_matches_finite_differences() -> None:
    Y = np.array([[1.0, 0.0, 1.0]])
    Y_hat = np.array([[0.3, 0.6, 0.9]])
    _, analytic = binary_cross_entropy(Y, Y_hat)
    numeric = numerical_gradient(lambda p: binary_cross_entropy(Y, p)[0], Y_hat.copy())
    assert gradient_error(analytic, numeric) < 1e-6


def test_binary_cross_entropy_clips_saturated_predictions() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost, d = binary_cross_entropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    # both predictions are clipped to eps away from the wrong end: -log(eps) each.
    # 1 - eps is rounded in float64 (by ~1e-4 relative at eps = 1e-12), hence rel=1e-5.
    assert cost == pytest.approx(-math.log(BCE_EPSILON), rel=1e-5)
    assert np.all(np.isfinite(d))


# --- initialisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ini_type", "scale"),
    [
        ("plain", lambda n_in, n_out: 0.01),
        ("xavier", lambda n_in, n_out: 1 / math.sqrt(n_in)),
        ("glorot", lambda n_in, n_out: math.sqrt(2 / (n_in + n_out))),
        ("he", lambda n_in, n_out: math.sqrt(2 / n_in)),
    ],
)
def test_initialisers_scale_standard_normal_draws(ini_type, scale) -> None:
    np.random.seed(48)
    draws = np.random.randn(3, 2)
    np.random.seed(48)
    params = initialize_parameters(2, 3, ini_type)
    np.testing.assert_allclose(params["W"], draws * scale(2, 3), rtol=1e-15)
    np.testing.assert_array_equal(params["b"], np.zeros((3, 1)))


def test_initialisers_have_the_stated_spread() -> None:
    rng = np.random.default_rng(0)
    W = initialize_parameters(400, 300, "glorot", rng=rng)["W"]
    assert W.std() == pytest.approx(math.sqrt(2 / 700), rel=0.02)
    W = initialize_parameters(400, 300, "he", rng=rng)["W"]
    assert W.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)


def test_explicit_rng_is_reproducible_and_leaves_the_global_generator_alone() -> None:
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    a = initialize_parameters(4, 3, "he", rng=np.random.default_rng(5))
    b = initialize_parameters(4, 3, "he", rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a["W"], b["W"])
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_linear_layer_draws_w_from_the_global_generator_like_the_notebooks() -> None:
    np.random.seed(48)
    expected = np.random.randn(3, 2) / np.sqrt(2)
    np.random.seed(48)
    np.testing.assert_array_equal(LinearLayer((2, 4), 3, "xavier").params["W"], expected)


# --- Sequential, predict, datasets ---------------------------------------------------


def test_sequential_forward_backward_step_equal_the_layer_by_layer_calls() -> None:
    X, Y = datasets.xor_gate()
    rng1, rng2 = np.random.default_rng(3), np.random.default_rng(3)
    a = [
        LinearLayer(X.shape, 3, "xavier", rng=rng1),
        SigmoidLayer((3, 4)),
        LinearLayer((3, 4), 1, "xavier", rng=rng1),
        SigmoidLayer((1, 4)),
    ]
    b = [
        LinearLayer(X.shape, 3, "xavier", rng=rng2),
        SigmoidLayer((3, 4)),
        LinearLayer((3, 4), 1, "xavier", rng=rng2),
        SigmoidLayer((1, 4)),
    ]
    net = Sequential(a)
    _, dY = compute_cost(Y, net.forward(X))
    net.backward(dY)
    net.step(0.7)
    b[1].forward(b[0].forward(X))
    b[3].forward(b[2].forward(b[1].A))
    _, dY_b = compute_cost(Y, b[3].A)
    b[0].backward(b[1].backward(b[2].backward(b[3].backward(dY_b))))
    b[0].update_params(0.7)
    b[2].update_params(0.7)
    for la, lb in zip(a[::2], b[::2], strict=True):
        np.testing.assert_array_equal(la.params["W"], lb.params["W"])
        np.testing.assert_array_equal(la.params["b"], lb.params["b"])


def test_train_records_every_record_every_epochs_and_is_quiet_by_default(capsys) -> None:
    X, Y = datasets.or_gate()
    net = Sequential([LinearLayer(X.shape, 1, rng=np.random.default_rng(0)), SigmoidLayer((1, 4))])
    history = net.train(X, Y, learning_rate=1.0, epochs=250, record_every=100)
    assert len(history) == 3  # epochs 0, 100, 200
    assert history[0] > history[1] > history[2]
    assert capsys.readouterr().err == ""
    net.train(X, Y, learning_rate=1.0, epochs=2, record_every=1, progress=True)
    assert capsys.readouterr().err.count("cost") == 2


def test_predict_thresholds_at_one_half_and_scores_in_percent() -> None:
    X = np.array([[0.0, 1.0, 2.0, 3.0]])
    Y = np.array([[0, 0, 1, 0]])
    Z = LinearLayer((1, 4), 1)
    Z.params["W"] = np.array([[1.0]])
    Z.params["b"] = np.array([[-1.0]])  # z = x - 1: sigma >= 0.5 exactly when x >= 1
    predictions, probabilities, accuracy = predict(X, Y, [Z], [SigmoidLayer((1, 4))])
    np.testing.assert_array_equal(predictions, [[0.0, 1.0, 1.0, 1.0]])
    np.testing.assert_allclose(
        probabilities,
        [[1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-1)), 1 / (1 + math.exp(-2))]],
        rtol=1e-15,
    )
    assert accuracy == 50.0


@pytest.mark.parametrize(
    ("loader", "rule"),
    [
        (datasets.or_gate, lambda a, b: a or b),
        (datasets.and_gate, lambda a, b: a and b),
        (datasets.xor_gate, lambda a, b: a != b),
    ],
)
def test_datasets_are_the_truth_tables_in_the_articles_layout(loader, rule) -> None:
    X, Y = loader()
    assert X.shape == (2, 4) and Y.shape == (1, 4)
    assert [tuple(col) for col in X.T] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert Y[0].tolist() == [int(bool(rule(a, b))) for a, b in X.T.tolist()]


def test_feature_cross_adds_the_product_row() -> None:
    X, Y = datasets.xor_feature_cross()
    assert X.shape == (3, 4)
    assert X[2].tolist() == [a * b for a, b in X[:2].T.tolist()]
    assert Y.tolist() == datasets.xor_gate()[1].tolist()
