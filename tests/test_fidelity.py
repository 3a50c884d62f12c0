"""The fidelity contract: the article's Part II listings, run with nbn, print the
article's costs, and the notebooks' other two networks follow the plain
algorithm's whole cost trajectory.

The 2-3-1 listing below is the article's training loop (Figs 91-92) in the
article's API, with only the import changed; the costs it must print are the
ones the article shows (from the ledger). The other
trajectories are compared with ``tests/reference.py``, an independent plain-NumPy
implementation of the article's equations.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference import reference_costs

from nbn import LinearLayer, Sequential, SigmoidLayer, compute_cost, datasets, predict
from nbn.ledger import get_claim
from nbn.ledger.code import PRINTED_EPOCHS

#: The article's printed costs of the 2-3-1 XOR network (Part II, after Fig 92),
#: read from the ledger, the one place the article's numbers are typed.
_PRINTED = get_claim("code-printed-costs").article_value
ARTICLE_COSTS = dict(zip(PRINTED_EPOCHS, _PRINTED, strict=True))  # type: ignore[arg-type]
#: Reference trajectories are the same algorithm: they may differ only by rounding.
TRAJECTORY_RTOL = 1e-10


def _article_2_3_1_listing() -> tuple[dict[int, float], list[float], float, np.ndarray]:
    """Figs 91-92 with the article's names; returns printed costs, history, accuracy."""
    X_train, Y_train = datasets.xor_gate()  # integers, as in the article
    learning_rate = 1
    number_of_epochs = 5000
    np.random.seed(48)
    Z1 = LinearLayer(input_shape=X_train.shape, n_out=3, ini_type="xavier")
    A1 = SigmoidLayer(Z1.Z.shape)
    Z2 = LinearLayer(input_shape=A1.A.shape, n_out=1, ini_type="xavier")
    A2 = SigmoidLayer(Z2.Z.shape)
    printed: dict[int, float] = {}
    costs: list[float] = []
    for epoch in range(number_of_epochs):
        Z1.forward(X_train)
        A1.forward(Z1.Z)
        Z2.forward(A1.A)
        A2.forward(Z2.Z)
        cost, dA2 = compute_cost(Y=Y_train, Y_hat=A2.A)
        if (epoch % 100) == 0:
            printed[epoch] = cost
            costs.append(cost)
        A2.backward(dA2)
        Z2.backward(A2.dZ)
        A1.backward(Z2.dA_prev)
        Z1.backward(A1.dZ)
        Z2.update_params(learning_rate=learning_rate)
        Z1.update_params(learning_rate=learning_rate)
    predictions, _, accuracy = predict(X_train, Y_train, [Z1, Z2], [A1, A2])
    return printed, costs, accuracy, predictions


@pytest.fixture(scope="module")
def listing_run() -> tuple[dict[int, float], list[float], float, np.ndarray]:
    return _article_2_3_1_listing()


@pytest.mark.parametrize("epoch", sorted(ARTICLE_COSTS))
def test_2_3_1_listing_prints_the_articles_cost(listing_run, epoch: int) -> None:
    printed = listing_run[0]
    assert printed[epoch] == pytest.approx(ARTICLE_COSTS[epoch], rel=1e-9)


def test_2_3_1_listing_reaches_full_accuracy_with_the_articles_predictions(listing_run) -> None:
    _, _, accuracy, predictions = listing_run
    _, Y = datasets.xor_gate()
    assert accuracy == 100.0
    np.testing.assert_array_equal(predictions, Y)


def test_2_3_1_listing_follows_the_reference_trajectory(listing_run) -> None:
    X, Y = datasets.xor_gate()
    expected, _ = reference_costs(X, Y, [3, 1], "xavier", seed=48, learning_rate=1, epochs=5000)
    np.testing.assert_allclose(listing_run[1], expected, rtol=TRAJECTORY_RTOL, atol=0)


def _train_with_layers(X, Y, sizes: list[int], ini_type: str) -> tuple[list[float], np.ndarray]:
    """The notebooks' pattern: seed the global generator, stack Linear+Sigmoid pairs."""
    np.random.seed(48)
    layers = []
    shape = X.shape
    for n in sizes:
        linear = LinearLayer(input_shape=shape, n_out=n, ini_type=ini_type)
        layers += [linear, SigmoidLayer(linear.Z.shape)]
        shape = linear.Z.shape
    net = Sequential(layers)
    history = net.train(X, Y, learning_rate=1, epochs=5000, record_every=100)
    return history, net.forward(X)


@pytest.mark.parametrize(
    ("name", "data", "sizes", "ini_type"),
    [
        (
            "1-layer net on feature-crossed XOR, plain init",
            datasets.xor_feature_cross,
            [1],
            "plain",
        ),
        ("2-5-3-1 net on XOR, xavier init", datasets.xor_gate, [5, 3, 1], "xavier"),
    ],
)
def test_notebook_networks_follow_the_reference_trajectory_and_separate_xor(
    name, data, sizes, ini_type
) -> None:
    X, Y = data()
    expected_costs, expected_out = reference_costs(
        X, Y, sizes, ini_type, seed=48, learning_rate=1, epochs=5000
    )
    costs, out = _train_with_layers(X, Y, sizes, ini_type)
    assert len(costs) == 50
    np.testing.assert_allclose(costs, expected_costs, rtol=TRAJECTORY_RTOL, atol=0)
    np.testing.assert_allclose(out, expected_out, rtol=TRAJECTORY_RTOL, atol=0)
    np.testing.assert_array_equal(out >= 0.5, Y == 1)
