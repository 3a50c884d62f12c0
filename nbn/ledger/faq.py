"""Claims of the closing questions: counting layers, why activations, and why
random initialisation."""

from __future__ import annotations

import itertools
import math

import numpy as np

from .._validate import FloatArray
from ..initializers import initialize_parameters
from ..linear import LinearLayer
from ..sequential import Sequential, TrainableLayer
from ..sigmoid import SigmoidLayer
from .core import Claim, Oracle, ledger_cache
from .hidden_layer import reference_run
from .oracles import exact, sym_sigmoid, sympy, to_float
from .runs import train_two_layer_article, xor_data

__all__ = ["CLAIMS"]

COUNT = "2- How to count the number of layers in a Neural Network?"
ACTIVATIONS = "3- Why use Activation Functions?"
RANDOM_INIT = "4- Why Random Initialization of Weights?"
SYMPY_TOL = 1e-12


def _layer_counts() -> tuple[float, float]:
    """Layers with tunable parameters in the 2-3-1 network and in the OR neuron."""
    Z1, A1, Z2, A2 = train_two_layer_article().layers
    deep = Sequential([Z1, A1, Z2, A2])
    linear = LinearLayer(input_shape=(2, 4), n_out=1)
    single = Sequential([linear, SigmoidLayer(linear.Z.shape)])
    return tuple(  # type: ignore[return-value]
        float(sum(isinstance(layer, TrainableLayer) for layer in net.layers))
        for net in (deep, single)
    )


# -- stacked linear layers -----------------------------------------------------------

STACK_SEED = 3


@ledger_cache
def _stack() -> tuple[FloatArray, ...]:
    rng = np.random.default_rng(STACK_SEED)
    W1, b1 = rng.standard_normal((3, 2)), rng.standard_normal((3, 1))
    W2, b2 = rng.standard_normal((1, 3)), rng.standard_normal((1, 1))
    X = rng.standard_normal((2, 5))
    return W1, b1, W2, b2, X


def _stacked_library() -> tuple[float, ...]:
    W1, b1, W2, b2, X = _stack()
    first = LinearLayer(input_shape=X.shape, n_out=3)
    first.params = {"W": W1, "b": b1}
    second = LinearLayer(input_shape=(3, X.shape[1]), n_out=1)
    second.params = {"W": W2, "b": b2}
    return tuple(second.forward(first.forward(X)).ravel())


def _collapsed_reference() -> tuple[float, ...]:
    """One nbn layer with W = W2 W1 and b = W2 b1 + b2."""
    W1, b1, W2, b2, X = _stack()
    single = LinearLayer(input_shape=X.shape, n_out=1)
    single.params = {"W": W2 @ W1, "b": W2 @ b1 + b2}
    return tuple(single.forward(X).ravel())


def _collapsed_sympy() -> tuple[float, ...]:
    """Prove W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2) for symbolic matrices,
    then evaluate the collapsed layer exactly."""
    sp = sympy()
    W1s = sp.MatrixSymbol("W1", 3, 2).as_explicit()
    b1s = sp.MatrixSymbol("b1", 3, 1).as_explicit()
    W2s = sp.MatrixSymbol("W2", 1, 3).as_explicit()
    b2s = sp.MatrixSymbol("b2", 1, 1).as_explicit()
    x = sp.MatrixSymbol("x", 2, 1).as_explicit()
    difference = W2s * (W1s * x + b1s) + b2s - ((W2s * W1s) * x + (W2s * b1s + b2s))
    if sp.expand(difference) != sp.zeros(1, 1):
        raise AssertionError("the stacked layers are not one linear layer")
    W1, b1, W2, b2, X = (sp.Matrix(a.tolist()).applyfunc(sp.Rational) for a in _stack())
    out = (W2 * W1) * X + (W2 * b1 + b2) * sp.ones(1, X.shape[1])
    return tuple(to_float(v) for v in out)


# -- symmetry -------------------------------------------------------------------------

SYMMETRY_EPOCHS = 1000
EQUAL_WEIGHT = 0.5


def _train_from(W1: FloatArray, W2: FloatArray, epochs: int) -> FloatArray:
    """The article's loop on XOR from the given weights (zero biases); final W1."""
    X, Y = xor_data()
    from ..costs import compute_cost

    Z1 = LinearLayer(input_shape=X.shape, n_out=3)
    Z1.params = {"W": W1.copy(), "b": np.zeros((3, 1))}
    A1 = SigmoidLayer(Z1.Z.shape)
    Z2 = LinearLayer(input_shape=A1.A.shape, n_out=1)
    Z2.params = {"W": W2.copy(), "b": np.zeros((1, 1))}
    A2 = SigmoidLayer(Z2.Z.shape)
    for _ in range(epochs):
        A2.forward(Z2.forward(A1.forward(Z1.forward(X))))
        _, dA2 = compute_cost(Y, A2.A)
        Z1.backward(A1.backward(Z2.backward(A2.backward(dA2))))
        Z2.update_params(learning_rate=1.0)
        Z1.update_params(learning_rate=1.0)
    return Z1.params["W"]


def _equal_start_stays_equal() -> bool:
    W1 = _train_from(np.full((3, 2), EQUAL_WEIGHT), np.full((1, 3), EQUAL_WEIGHT), SYMMETRY_EPOCHS)
    spread = np.max(np.abs(W1 - W1[0]))
    return bool(spread <= 1e-12 * np.max(np.abs(W1)))


def _symmetry_sympy() -> bool:
    """With equal rows of W1, equal entries of W2 and equal biases, the gradient of the
    loss is the same for every hidden unit (so the units stay equal forever)."""
    sp = sympy()
    x1, x2, y, p, q, r, c = sp.symbols("x1 x2 y p q r c")
    W1 = sp.Matrix(3, 2, lambda k, i: sp.Symbol(f"W1_{k}{i}"))
    b1 = sp.Matrix(3, 1, lambda k, _: sp.Symbol(f"b1_{k}"))
    W2 = sp.Matrix(1, 3, lambda _, k: sp.Symbol(f"W2_{k}"))
    hidden = (W1 * sp.Matrix([x1, x2]) + b1).applyfunc(sym_sigmoid)
    loss = sp.Rational(1, 2) * (y - sym_sigmoid((W2 * hidden)[0, 0])) ** 2
    equal = {**{W1[k, 0]: p for k in range(3)}, **{W1[k, 1]: q for k in range(3)}}
    equal.update({b1[k]: c for k in range(3)})
    equal.update({W2[0, k]: r for k in range(3)})
    for i in range(2):
        grads = [sp.diff(loss, W1[k, i]).subs(equal) for k in range(3)]
        if any(sp.simplify(g - grads[0]) != 0 for g in grads[1:]):
            return False
    return True


def _min_row_distance(W: FloatArray) -> float:
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(W, 2))


# -- initialisation scales --------------------------------------------------------------

N_IN, N_OUT = 2, 3
INIT_SEED = 0


def _scales() -> tuple[float, ...]:
    """The factor each ini_type applies to the same standard-normal draws."""
    draws = np.random.default_rng(INIT_SEED).standard_normal((N_OUT, N_IN))
    factors = []
    for ini_type in ("plain", "xavier", "glorot", "he"):
        W = initialize_parameters(N_IN, N_OUT, ini_type, rng=np.random.default_rng(INIT_SEED))["W"]
        factors.append(float(np.mean(W / draws)))
    return tuple(factors)


def _scales_proof() -> tuple[float, ...]:
    sp = sympy()
    return tuple(
        to_float(v)
        for v in (
            exact(0.01),
            1 / sp.sqrt(N_IN),
            sp.sqrt(sp.Rational(2, N_IN + N_OUT)),
            sp.sqrt(sp.Rational(2, N_IN)),
        )
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="layer-count",
        section=COUNT,
        statement="Counting only layers with tunable weights and biases, the 2-3-1 network "
        "is a 2-layer network and the OR neuron a 1-layer network (the input layer is not "
        "counted).",
        article_value=(2.0, 1.0),
        printed="2 layer neural network … 1 layer neural network",
        decimals=0,
        inputs="nbn.Sequential of the article's layers; layers with update_params counted",
        compute=_layer_counts,
        oracles=(Oracle("proof", lambda: (2.0, 1.0), 0.0),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="linear-stack-collapses",
        section=ACTIVATIONS,
        statement="Without activations, two stacked linear layers are one linear layer: "
        "W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2).",
        article_value=None,
        decimals=None,
        inputs=f"W1 (3 x 2), b1, W2 (1 x 3), b2 and 5 inputs x, standard normal from "
        f"numpy.random.default_rng({STACK_SEED}); symbolic matrices for the proof",
        compute=_stacked_library,
        oracles=(
            Oracle("sympy", _collapsed_sympy, SYMPY_TOL),
            Oracle("reference", _collapsed_reference, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="equal-weights-stay-equal",
        section=RANDOM_INIT,
        statement="If every hidden unit starts with the same weights, all get the same "
        "gradient and stay identical through training: they learn the same feature.",
        article_value=None,
        decimals=None,
        inputs=f"XOR; 2-3-1 sigmoid network with every weight {EQUAL_WEIGHT} and zero biases; "
        f"learning rate 1; {SYMMETRY_EPOCHS} epochs; rows of W1 compared",
        compute=_equal_start_stays_equal,
        oracles=(Oracle("sympy", _symmetry_sympy, 0.0),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="random-weights-break-symmetry",
        section=RANDOM_INIT,
        statement="Random initial weights break the symmetry: after training, the hidden "
        "units of the article's network have clearly different weights.",
        article_value=None,
        decimals=None,
        inputs="the article's Part II run (seed 48, 'xavier', 5000 epochs); smallest "
        "distance between two rows of W1",
        compute=lambda: _min_row_distance(train_two_layer_article().layers[0].params["W"]),
        oracles=(Oracle("reference", lambda: _min_row_distance(reference_run()[1][0]), 1e-9),),
        tolerance=1e-9,
        holds=lambda distance: distance > 0.1,
    ),
    Claim(
        id="initializer-scales",
        section=RANDOM_INIT,
        statement="The initialisers set the variance of random weights: 'plain' multiplies "
        "standard-normal draws by 0.01, 'xavier' by 1/sqrt(n_in), 'glorot' by "
        "sqrt(2/(n_in + n_out)) and 'he' by sqrt(2/n_in).",
        article_value=None,
        decimals=None,
        inputs=f"n_in = {N_IN}, n_out = {N_OUT}; nbn.initialize_parameters with "
        f"numpy.random.default_rng({INIT_SEED}); order plain, xavier, glorot, he",
        compute=_scales,
        oracles=(Oracle("proof", _scales_proof, SYMPY_TOL),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="xavier-is-lecun",
        section=RANDOM_INIT,
        statement="The article's 'Xavier' initialisation (in its code, 'xavier') divides "
        "standard-normal weights by sqrt(n_in): LeCun's scaling, which much teaching "
        "material calls 'Xavier'; Glorot and Bengio's own has variance 2 / (n_in + n_out).",
        article_value=None,
        decimals=None,
        inputs=f"n_in = {N_IN}, n_out = {N_OUT}; factor nbn's 'xavier' applies to the draws",
        compute=lambda: _scales()[1],
        oracles=(Oracle("proof", lambda: to_float(1 / sympy().sqrt(N_IN)), SYMPY_TOL),),
        tolerance=SYMPY_TOL,
        holds=lambda factor: not math.isclose(factor, math.sqrt(2 / (N_IN + N_OUT))),
        kind="convention",
        erratum="A naming convention, not an error: many courses and tutorials call the "
        "1/sqrt(n_in) scaling 'Xavier'. Glorot and Bengio's paper scales the variance by "
        "2 / (n_in + n_out), both layer sizes; 1/sqrt(n_in), the input size alone, is the "
        "scaling LeCun et al. recommend. nbn keeps the article's scaling under the name "
        "'xavier' (so its printed costs are reproduced) and offers Glorot and Bengio's as "
        "'glorot'.",
    ),
)
