"""Claims of Part II, "Coding a Modular Neural Network": the listings (Figs 87-92)
run with nbn's article-compatible API (our re-typed equivalent of the article's
loop, :func:`runs.train_two_layer_article`) and print the article's output."""

from __future__ import annotations

import inspect

import numpy as np

from ..initializers import initialize_parameters
from ..linear import LinearLayer
from ..sigmoid import SigmoidLayer
from .core import Claim, Oracle
from .hidden_layer import reference_run
from .oracles import exact, sym_batch_neuron, to_float, xavier_draws_48
from .runs import OR_B, OR_W, neuron_pass, or_data, train_two_layer_article, xor_data

__all__ = ["CLAIMS", "PRINTED_EPOCHS", "format_predictions"]

SECTION = "Part II: Coding a Modular Neural Network"
TRAIN_TOL = 1e-9
_RUN = (
    "the article's listings (Figs 87-92) re-typed with nbn: XOR, np.random.seed(48), "
    "LinearLayer(..., ini_type='xavier') -> SigmoidLayer -> LinearLayer -> SigmoidLayer, "
    "compute_cost, learning rate 1, 5000 epochs"
)

#: The epochs whose costs the article prints.
PRINTED_EPOCHS = (4600, 4700, 4800, 4900)


def format_predictions(predictions: np.ndarray) -> str:
    """Print an array as NumPy did when the article was written (before 1.14)."""
    with np.printoptions(legacy="1.13"):
        return str(predictions)


def _reference_output() -> np.ndarray:
    """The plain-NumPy reference net's output on XOR after training, shape (1, 4)."""
    X, _ = xor_data()
    W1, b1, W2, b2 = reference_run()[1]
    return 1 / (1 + np.exp(-(W2 @ (1 / (1 + np.exp(-(W1 @ X + b1)))) + b2)))


def _reference_predictions() -> str:
    return format_predictions((_reference_output() >= 0.5).astype(np.float64))


def _reference_printed() -> tuple[float, ...]:
    return tuple(reference_run()[0][e] for e in PRINTED_EPOCHS)


def _reference_accuracy() -> float:
    _, Y = xor_data()
    return 100.0 * float(np.mean((_reference_output() >= 0.5) == (Y == 1)))


def _default_rate() -> float:
    """The step update_params() takes with no argument, as a multiple of the gradient."""
    X, Y = or_data()
    layer = LinearLayer(input_shape=X.shape, n_out=1)
    layer.params["W"] = np.array([OR_W])
    layer.forward(X)
    layer.backward(neuron_pass(X, Y, OR_W, OR_B).dZ)
    assert layer.dW is not None
    before = layer.params["W"].copy()
    layer.update_params()
    return float(np.mean((before - layer.params["W"]) / layer.dW))


def _default_rate_signature() -> float:
    default = inspect.signature(LinearLayer.update_params).parameters["learning_rate"].default
    return float(default)  # the documented default


def _default_init_factor() -> float:
    """The factor LinearLayer's default ini_type applies to standard-normal draws."""
    draws = np.random.default_rng(0).standard_normal((3, 2))
    layer = LinearLayer(input_shape=(2, 4), n_out=3, rng=np.random.default_rng(0))
    return float(np.mean(layer.params["W"] / draws))


def _sigmoid_argument() -> str:
    """The name of SigmoidLayer's constructor argument."""
    return list(inspect.signature(SigmoidLayer.__init__).parameters)[1]  # after self


def _initializer_contract() -> bool:
    """initialize_parameters does what the article's text says its initialiser does."""
    params = initialize_parameters(2, 3)
    return (
        set(params) == {"W", "b"}
        and params["W"].shape == (3, 2)
        and params["b"].shape == (3, 1)
        and not params["b"].any()
    )


def _sum_squared_cost() -> float:
    X, Y = or_data()
    return neuron_pass(X, Y, OR_W, OR_B).cost


def _sum_squared_sympy() -> float:
    X, Y = or_data()
    return to_float(
        sym_batch_neuron(X.tolist(), Y[0].tolist(), [exact(w) for w in OR_W], 0)["cost"]
    )


def _squared_sum_reading() -> float:
    """The docstring read literally: (1/2m) * (sum(Y - Y_hat))^2."""
    X, Y = or_data()
    A = neuron_pass(X, Y, OR_W, OR_B).A
    return float(np.sum(Y - A)) ** 2 / (2 * int(Y.shape[1]))


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="code-default-learning-rate",
        section=SECTION,
        statement="LinearLayer.update_params takes a gradient-descent step with learning "
        "rate 0.1 when none is given.",
        article_value=0.1,
        decimals=1,
        inputs="OR data, W = (0.1, 0.6), b = 0; one backward pass, then update_params()",
        compute=_default_rate,
        oracles=(Oracle("proof", _default_rate_signature, 1e-12),),
        tolerance=1e-12,
    ),
    Claim(
        id="code-default-init-plain",
        section=SECTION,
        statement="LinearLayer's default initialisation is 'plain': small random Gaussian "
        "numbers, standard-normal draws times 0.01 as in the article's repository.",
        article_value=None,
        decimals=None,
        inputs="LinearLayer(input_shape=(2, 4), n_out=3) with numpy.random.default_rng(0)",
        compute=_default_init_factor,
        oracles=(Oracle("reference", lambda: 0.01, 1e-12),),
        tolerance=1e-12,
    ),
    Claim(
        id="code-sigmoid-argument-name",
        section=SECTION,
        statement="SigmoidLayer's constructor takes the shape of the Z coming in, under the "
        "name Fig 88's listing gives it: shape.",
        article_value="shape",
        decimals=None,
        inputs="inspect.signature(nbn.SigmoidLayer.__init__)",
        compute=_sigmoid_argument,
        oracles=(Oracle("reference", lambda: "shape", 0.0),),
        tolerance=1e-12,
        note="The text before the listing describes the argument as the shape of the data "
        "coming in and writes it input_shape, the LinearLayer's name for its own argument; "
        "the training code passes it positionally (SigmoidLayer(Z1.Z.shape)), so the name "
        "never matters there.",
    ),
    Claim(
        id="code-fig89-caption",
        section=SECTION,
        statement="The helper initialize_parameters(n_in, n_out) returns {'W': (n_out x n_in) "
        "random weights, 'b': (n_out x 1) zeros}, the helper the article describes but "
        "never lists.",
        article_value="Helper function to set weights and bias",
        decimals=None,
        inputs="initialize_parameters(2, 3)",
        compute=_initializer_contract,
        oracles=(Oracle("reference", lambda: True, 0.0),),
        tolerance=1e-12,
        erratum="Fig 89's caption announces the parameter-initialisation helper, but the "
        "listing above it is compute_cost (the same code as Fig 90), so no code for the "
        "initialiser is shown. nbn documents its own in nbn.initializers.",
    ),
    Claim(
        id="code-cost-docstring",
        section=SECTION,
        statement="The cost listing squares each difference before summing, "
        "(1/2m) sum((Y - Y_hat)^2); its docstring writes this '(1/2m)*sum(Y - Y_hat)^.2', "
        "with '^.2' as an element-wise square (squaring the sum would give a different "
        "number).",
        article_value="(1/2m)*sum(Y - Y_hat)^.2",
        decimals=None,
        inputs="OR data, W = (0.1, 0.6), b = 0",
        compute=_sum_squared_cost,
        oracles=(Oracle("sympy", _sum_squared_sympy, 1e-12),),
        tolerance=1e-12,
        holds=lambda cost: abs(cost - _squared_sum_reading()) > 1e-3,
        kind="convention",
        erratum="A notation, not an error: the docstring of the cost listings (Figs 89 and "
        "90) writes '(1/2m)*sum(Y - Y_hat)^.2', where the dot marks an element-wise power as "
        "MATLAB's '.^2' does. The code beside it settles the reading, as Part I does: it "
        "sums the squares (np.sum(np.square(Y - Y_hat))). Read as the square of the sum, the "
        "formula would give another number.",
    ),
    Claim(
        id="code-seed-48-weights",
        section=SECTION,
        statement="With np.random.seed(48), the 'xavier' layers draw exactly the weights of "
        "the article's notebook: randn(3, 2) / sqrt(2), then randn(1, 3) / sqrt(3).",
        article_value=None,
        decimals=None,
        inputs=_RUN,
        compute=lambda: (
            *train_two_layer_article().initial[0].ravel(),
            *train_two_layer_article().initial[2].ravel(),
        ),
        oracles=(
            Oracle(
                "reference",
                lambda: tuple(float(v) for W in xavier_draws_48() for v in W.ravel()),
                0.0,
            ),
        ),
        tolerance=1e-12,
    ),
    Claim(
        id="code-printed-costs",
        section=SECTION,
        statement="The training loop prints the article's costs at epochs 4600, 4700, 4800 "
        "and 4900, to 9 significant digits or better.",
        article_value=(
            0.001018305488651183,
            0.000983783942124411,
            0.0009514180100050973,
            0.0009210166430616655,
        ),
        decimals=None,
        inputs=_RUN,
        compute=lambda: tuple(train_two_layer_article().printed[e] for e in PRINTED_EPOCHS),
        oracles=(
            Oracle(
                "reference", lambda: tuple(reference_run()[0][e] for e in PRINTED_EPOCHS), TRAIN_TOL
            ),
        ),
        tolerance=TRAIN_TOL,
        note="nbn's costs match the article's printed digits to a few units in the last "
        "place (floating-point sums in a different order, NumPy and BLAS versions, over 4900 "
        "epochs); the claim's tolerance, 1e-9 relative, leaves room for other platforms.",
    ),
    Claim(
        id="code-cost-about-00009",
        section=SECTION,
        statement="The cost is about 0.0009 after 4900 epochs.",
        article_value=0.0009,
        decimals=4,
        inputs=_RUN,
        compute=lambda: train_two_layer_article().printed[4900],
        oracles=(Oracle("reference", lambda: reference_run()[0][4900], TRAIN_TOL),),
        tolerance=TRAIN_TOL,
    ),
    Claim(
        id="code-predicted-output",
        section=SECTION,
        statement="The trained network predicts XOR exactly and prints [[ 0. 1. 1. 0.]].",
        article_value="[[ 0. 1. 1. 0.]]",
        decimals=None,
        inputs=f"{_RUN}; predictions thresholded at 0.5, printed as NumPy < 1.14 did",
        compute=lambda: format_predictions(train_two_layer_article().predictions),
        oracles=(Oracle("reference", _reference_predictions, 0.0),),
        tolerance=1e-12,
        note="NumPy 1.14 changed array printing: NumPy 2 prints [[0. 1. 1. 0.]] (no space "
        "for a sign) where the article shows [[ 0. 1. 1. 0.]]; the values are the same. We "
        "compare with np.printoptions(legacy='1.13') and runs of spaces collapsed, as the "
        "web page collapses them.",
    ),
    Claim(
        id="code-accuracy",
        section=SECTION,
        statement="The accuracy of the trained network on XOR is 100.0%.",
        article_value=100.0,
        decimals=1,
        inputs=f"{_RUN}; nbn.predict, threshold 0.5",
        compute=lambda: train_two_layer_article().accuracy,
        oracles=(Oracle("reference", _reference_accuracy, 0.0),),
        tolerance=1e-12,
    ),
)
