"""Claims of the sections "Let's dig in" and "Loss Function": the OR neuron on
its first example, the sigmoid, the squared-error loss and its derivative."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from .._validate import FloatArray
from ..costs import compute_cost
from ..examples import article_numbers, printed
from ..linear import LinearLayer
from ..predict import predict
from ..sigmoid import SigmoidLayer, sigmoid
from .core import Claim, Oracle, ledger_cache
from .oracles import (
    GraphRun,
    exact,
    fd_gradient,
    fd_neuron_params,
    graph_or_neuron,
    sym_descent,
    sym_sigmoid,
    sympy,
    to_float,
)
from .runs import OR_B, OR_W, Pass, neuron_pass, or_data

__all__ = [
    "CLAIMS",
    "FROM_EXAMPLES",
    "first_example",
    "first_fd",
    "first_graph",
    "first_pass",
    "first_sympy",
]

DIG_IN = "Let's dig in"
LOSS = "Loss Function"

SYMPY_TOL = 1e-12
FD_TOL = 1e-6

#: Claims whose article numbers are read from a worked-example file (nbn/examples):
#: claim id -> (file, the file's claims holding the numbers, in order).
FROM_EXAMPLES: dict[str, tuple[str, ...]] = {
    "or-single-forward": ("article-or-neuron.nbn.toml", "z", "y_hat"),
    "or-single-loss": ("article-or-neuron.nbn.toml", "L"),
    "or-single-weight-gradients-zero": ("article-or-neuron.nbn.toml", "grad(L, w1)", "grad(L, w2)"),
}
_Z, _Y_HAT = printed(*FROM_EXAMPLES["or-single-forward"])
(_LOSS,) = printed(*FROM_EXAMPLES["or-single-loss"])

_FIRST = "OR example 1: x = (0, 0), y = 0; w = (0.1, 0.6); no bias node (b = 0 in nbn's layer)"


# -- the first OR example, shared with the section "Bias" ----------------------------


def first_example() -> tuple[FloatArray, FloatArray]:
    """The OR table's first example: X of shape (2, 1), Y of shape (1, 1)."""
    X, Y = or_data()
    return X[:, :1], Y[:, :1]


@ledger_cache
def first_pass() -> Pass:
    """nbn's forward and backward pass on the first example, w = (0.1, 0.6), b = 0."""
    X, Y = first_example()
    return neuron_pass(X, Y, OR_W, OR_B)


@ledger_cache
def first_sympy() -> dict[str, Any]:
    """SymPy's values and gradients on the first example (exact rationals)."""
    X, Y = first_example()
    return sym_descent(X.tolist(), Y[0].tolist(), OR_W, OR_B)


def first_graph(with_bias: bool = False) -> GraphRun:
    """The engine's OR neuron on the first example, with or without a bias node.

    Fraction payloads: sigmoid(0) = 1/2 exactly, so every number is exact.
    """
    X, Y = first_example()
    x = [Fraction(int(v)) for v in X[:, 0]]
    w = [Fraction(str(v)) for v in OR_W]
    return graph_or_neuron(x, Fraction(int(Y[0, 0])), w, Fraction(str(OR_B)) if with_bias else None)


@ledger_cache
def first_fd() -> tuple[float, ...]:
    """Central differences of nbn's loss on the first example: (dL/dw1, dL/dw2, dL/db)."""
    X, Y = first_example()
    return fd_neuron_params(lambda W, b: neuron_pass(X, Y, W, b).cost, OR_W, OR_B)


# -- the sigmoid -----------------------------------------------------------------

#: Points at which the sigmoid's derivative is compared.
SIGMOID_POINTS: tuple[float, ...] = (-4.0, -1.0, 0.0, 0.5, 3.0)


def _sigmoid_local_grad() -> tuple[float, ...]:
    layer = SigmoidLayer((1, len(SIGMOID_POINTS)))
    layer.forward(np.array([SIGMOID_POINTS]))
    return tuple(layer.backward(np.ones((1, len(SIGMOID_POINTS)))).ravel())


def _sigmoid_derivative_sympy() -> tuple[float, ...]:
    sp = sympy()
    z = sp.Symbol("z")
    derivative = sp.diff(sym_sigmoid(z), z)
    return tuple(to_float(derivative.subs(z, exact(p))) for p in SIGMOID_POINTS)


def _sigmoid_derivative_proof() -> tuple[float, ...]:
    """sigma' = sigma (1 - sigma), proved symbolically, then evaluated."""
    sp = sympy()
    z = sp.Symbol("z")
    s = sym_sigmoid(z)
    if sp.simplify(sp.diff(s, z) - s * (1 - s)) != 0:
        raise AssertionError("SymPy does not confirm sigma' = sigma (1 - sigma)")
    return tuple(to_float((s * (1 - s)).subs(z, exact(p))) for p in SIGMOID_POINTS)


def _sigmoid_derivative_fd() -> tuple[float, ...]:
    def total(z: np.ndarray) -> float:
        return float(np.sum(sigmoid(z)))

    return tuple(fd_gradient(total, SIGMOID_POINTS))


def _sigmoid_derivative_graph() -> tuple[float, ...]:
    from ..graph import Value

    grads = []
    for p in SIGMOID_POINTS:
        node = Value(p, "z")
        out = node.sigmoid("a")
        out.backward()
        grads.append(float(node.grad))
    return tuple(grads)


#: Grid on which the sigmoid's range is checked (float64 rounds sigma(z) to 1.0 beyond 36.7).
RANGE_GRID = np.linspace(-30.0, 30.0, 601)


def _sigmoid_range_library() -> bool:
    values = sigmoid(RANGE_GRID.reshape(1, -1)).ravel()
    return bool(np.all(values > 0.0) and np.all(values < 1.0) and np.all(np.diff(values) > 0))


def _sigmoid_range_sympy() -> bool:
    sp = sympy()
    z = sp.Symbol("z", real=True)
    s = sym_sigmoid(z)
    low, high = sp.limit(s, z, -sp.oo), sp.limit(s, z, sp.oo)
    # sigma' = e^-z / (1 + e^-z)^2 > 0: strictly increasing, so the limits are never reached
    increasing = sp.simplify(sp.diff(s, z) - sp.exp(-z) / (1 + sp.exp(-z)) ** 2) == 0
    return bool(low == 0 and high == 1 and increasing)


def _sigmoid_at(z: float) -> float:
    return float(sigmoid(np.array([[z]]))[0, 0])


def _sigmoid_at_sympy(z: int) -> float:
    return to_float(sym_sigmoid(sympy().Integer(z)))


#: The level at which we call sigma(z) "about 1".
NEAR_ONE = 0.99


def _threshold_library() -> float:
    """Bisection on nbn's sigmoid for sigma(z) = 0.99."""
    low, high = 0.0, 20.0
    for _ in range(200):
        mid = (low + high) / 2
        if _sigmoid_at(mid) < NEAR_ONE:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _threshold_sympy() -> float:
    sp = sympy()
    z = sp.Symbol("z", real=True)
    solutions = sp.solve(sp.Eq(sym_sigmoid(z), exact(NEAR_ONE)), z)
    if len(solutions) != 1:
        raise AssertionError(f"expected one solution, got {solutions}")
    return to_float(solutions[0])


# -- the loss ----------------------------------------------------------------------

#: Predictions at which the loss's slope is compared (label y = 0).
LOSS_POINTS: tuple[float, ...] = (0.1, 0.3, 0.5, 0.9)


def _loss_slope_library() -> tuple[float, ...]:
    slopes = []
    for y_hat in LOSS_POINTS:
        _, d_y_hat = compute_cost(np.zeros((1, 1)), np.array([[y_hat]]))
        slopes.append(float(d_y_hat[0, 0]))
    return tuple(slopes)


def _loss_slope_sympy() -> tuple[float, ...]:
    sp = sympy()
    y, y_hat = sp.symbols("y y_hat")
    dloss = sp.diff(sp.Rational(1, 2) * (y - y_hat) ** 2, y_hat)
    if sp.simplify(dloss + (y - y_hat)) != 0:
        raise AssertionError("SymPy does not confirm dL/dy_hat = -(y - y_hat)")
    return tuple(to_float(dloss.subs({y: 0, y_hat: exact(p)})) for p in LOSS_POINTS)


def _loss_slope_fd() -> tuple[float, ...]:
    def cost(y_hat: np.ndarray) -> float:
        # one m = 1 loss per prediction, summed: the gradient entries are the slopes
        return sum(compute_cost(np.zeros((1, 1)), np.array([[v]]))[0] for v in y_hat)

    return tuple(fd_gradient(cost, LOSS_POINTS))


def _loss_curvature_library() -> float:
    """d2L/dy_hat2 by central differences of nbn's analytic dL/dy_hat."""
    h = 1e-4

    def slope(y_hat: float) -> float:
        return float(compute_cost(np.zeros((1, 1)), np.array([[y_hat]]))[1][0, 0])

    return (slope(0.5 + h) - slope(0.5 - h)) / (2 * h)


def _loss_curvature_sympy() -> float:
    sp = sympy()
    y, y_hat = sp.symbols("y y_hat")
    return to_float(sp.diff(sp.Rational(1, 2) * (y - y_hat) ** 2, y_hat, 2))


#: The bias at which the loss's curvature in b is checked.
CURVATURE_B = 2.0


def _bias_curvature_library() -> float:
    """d2L/db2 at b = 2 (x = (0, 0), y = 0), by central differences of nbn's dL/db."""
    X, Y = first_example()
    h = 1e-4

    def slope(b: float) -> float:
        return float(neuron_pass(X, Y, OR_W, b).db[0, 0])

    return (slope(CURVATURE_B + h) - slope(CURVATURE_B - h)) / (2 * h)


def _bias_curvature_sympy() -> float:
    sp = sympy()
    b = sp.Symbol("b")
    loss = sp.Rational(1, 2) * sym_sigmoid(b) ** 2  # x = (0, 0), y = 0
    return to_float(sp.diff(loss, b, 2).subs(b, exact(CURVATURE_B)))


# -- OR is linearly separable -------------------------------------------------------

#: A line that separates OR: x1 + x2 - 0.5 = 0.
OR_WITNESS = ((1.0, 1.0), -0.5)


def _or_witness_library() -> float:
    X, Y = or_data()
    linear = LinearLayer(input_shape=X.shape, n_out=1)
    linear.params["W"] = np.array([OR_WITNESS[0]])
    linear.params["b"] = np.array([[OR_WITNESS[1]]])
    return predict(X, Y, [linear], [SigmoidLayer(linear.Z.shape)])[2]


def _or_witness_proof() -> float:
    """Each example's z has the sign its label asks for (exact arithmetic)."""
    X, Y = or_data()
    w, b = [Fraction(str(v)) for v in OR_WITNESS[0]], Fraction(str(OR_WITNESS[1]))
    right = 0
    for j in range(X.shape[1]):
        z = w[0] * int(X[0, j]) + w[1] * int(X[1, j]) + b
        right += bool((z > 0) == (Y[0, j] == 1))
    return 100.0 * right / int(X.shape[1])


def _sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


#: ln 99: sigma(z) > 0.99 exactly when z > ln 99.
LN99 = math.log(NEAR_ONE / (1 - NEAR_ONE))

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="sigmoid-range",
        section=DIG_IN,
        statement="The sigmoid maps every real z into the open interval (0, 1) and is "
        "strictly increasing, so it never outputs exactly 0 or 1.",
        article_value=None,
        decimals=None,
        inputs="nbn.sigmoid on 601 points from -30 to 30; SymPy limits at -oo and +oo",
        compute=_sigmoid_range_library,
        oracles=(Oracle("sympy", _sigmoid_range_sympy, 0.0),),
        tolerance=SYMPY_TOL,
        note="In float64 the sigmoid rounds to exactly 1.0 for z above about 36.7; "
        "mathematically it stays below 1.",
    ),
    Claim(
        id="sigmoid-at-2",
        section=DIG_IN,
        statement=f"The rule of thumb 'if z > 2 then sigma(z) ~ 1' is loose: at its edge, "
        f"z = 2, the sigmoid is {_sigma(2):.3f}.",
        article_value="if z > 2 then, σ(z) ≈ 1",
        decimals=None,
        inputs="z = 2",
        compute=lambda: _sigmoid_at(2.0),
        oracles=(Oracle("sympy", lambda: _sigmoid_at_sympy(2), SYMPY_TOL),),
        tolerance=SYMPY_TOL,
        kind="rule-of-thumb",
        erratum=f"A rule of thumb, not an error: sigma(z) is close to 1 for large z, but at "
        f"z = 2 it is {_sigma(2):.3f}, and it exceeds 0.99 only for z > ln 99 = {LN99:.3f} "
        "(claim sigmoid-threshold-099).",
    ),
    Claim(
        id="sigmoid-at-minus-2",
        section=DIG_IN,
        statement=f"The rule of thumb 'if z < -2 then sigma(z) ~ 0' is loose: at its edge, "
        f"z = -2, the sigmoid is {_sigma(-2):.3f}.",
        article_value="if z < -2 then, σ(z) ≈ 0",
        decimals=None,
        inputs="z = -2",
        compute=lambda: _sigmoid_at(-2.0),
        oracles=(Oracle("sympy", lambda: _sigmoid_at_sympy(-2), SYMPY_TOL),),
        tolerance=SYMPY_TOL,
        kind="rule-of-thumb",
        erratum=f"A rule of thumb, not an error: sigma(z) is close to 0 for very negative z, "
        f"but at z = -2 it is {_sigma(-2):.3f}, and it is below 0.01 only for "
        f"z < -ln 99 = {-LN99:.3f}.",
    ),
    Claim(
        id="sigmoid-threshold-099",
        section=DIG_IN,
        statement=f"The sigmoid exceeds 0.99 exactly when z > ln 99 = {LN99:.3f} "
        "(and is below 0.01 when z < -ln 99).",
        article_value=None,
        decimals=None,
        inputs="bisection on nbn.sigmoid for sigma(z) = 0.99; SymPy solves the same equation",
        compute=_threshold_library,
        oracles=(Oracle("sympy", _threshold_sympy, SYMPY_TOL),),
        tolerance=SYMPY_TOL,
        holds=lambda z: z > 4.0,
    ),
    Claim(
        id="or-linearly-separable",
        section=DIG_IN,
        statement="The OR data is linearly separable: the line x1 + x2 = 0.5 puts (0, 0) on "
        "one side and the other three examples on the other.",
        article_value=None,
        decimals=None,
        inputs="OR data; one sigmoid neuron with W = (1, 1), b = -0.5; accuracy in percent",
        compute=_or_witness_library,
        oracles=(Oracle("proof", _or_witness_proof, 0.0),),
        tolerance=SYMPY_TOL,
        holds=lambda accuracy: accuracy == 100.0,
    ),
    Claim(
        id="or-single-forward",
        section=DIG_IN,
        statement=f"On the first OR example the linear node gives z = {_Z} and the sigmoid "
        f"gives y_hat = {_Y_HAT}.",
        article_value=article_numbers(*FROM_EXAMPLES["or-single-forward"]),
        decimals=1,
        inputs=_FIRST,
        compute=lambda: (first_pass().Z, first_pass().A),
        oracles=(
            Oracle(
                "sympy",
                lambda: (to_float(first_sympy()["z"][0]), to_float(first_sympy()["y_hat"][0])),
                SYMPY_TOL,
            ),
            Oracle(
                "graph-engine",
                lambda: (first_graph().value("z"), first_graph().value("y_hat")),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="or-single-loss",
        section=LOSS,
        statement=f"The squared-error loss of that prediction is 1/2 (0 - {_Y_HAT})^2 = {_LOSS}.",
        article_value=article_numbers(*FROM_EXAMPLES["or-single-loss"]),
        decimals=3,
        inputs=_FIRST,
        compute=lambda: first_pass().cost,
        oracles=(
            Oracle("sympy", lambda: to_float(first_sympy()["cost"]), SYMPY_TOL),
            Oracle("graph-engine", lambda: first_graph().output, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="loss-derivative",
        section=LOSS,
        statement="The 1/2 in the loss cancels when differentiating: dL/dy_hat = -(y - y_hat), "
        "which is 0.5 on the first OR example.",
        article_value=None,
        decimals=None,
        inputs=_FIRST,
        compute=lambda: first_pass().dA,
        oracles=(
            Oracle(
                "sympy",
                lambda: _loss_slope_sympy()[LOSS_POINTS.index(0.5)],
                SYMPY_TOL,
            ),
            Oracle("graph-engine", lambda: first_graph().grad("y_hat"), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="loss-slope-is-error",
        section=LOSS,
        statement="The steeper the loss's slope, the more wrong the prediction: the slope "
        "dL/dy_hat equals the error y_hat - y.",
        article_value=None,
        decimals=None,
        inputs=f"label y = 0, predictions y_hat = {LOSS_POINTS}; nbn.compute_cost with m = 1",
        compute=_loss_slope_library,
        oracles=(
            Oracle("sympy", _loss_slope_sympy, SYMPY_TOL),
            Oracle("finite-difference", _loss_slope_fd, FD_TOL),
        ),
        tolerance=SYMPY_TOL,
        holds=lambda slopes: all(a < b for a, b in itertools.pairwise(slopes)),
    ),
    Claim(
        id="loss-u-shaped-in-prediction",
        section=LOSS,
        statement="As a function of the prediction the loss is a u-shaped parabola: "
        "its second derivative is 1 everywhere.",
        article_value=None,
        decimals=None,
        inputs="y = 0, y_hat = 0.5; central difference (step 1e-4) of nbn's dL/dy_hat",
        compute=_loss_curvature_library,
        oracles=(Oracle("sympy", _loss_curvature_sympy, 1e-9),),
        tolerance=1e-9,
    ),
    Claim(
        id="loss-not-convex-in-bias",
        section=LOSS,
        statement="As a function of a parameter seen through the sigmoid the loss is not "
        "u-shaped everywhere: on the first OR example d2L/db2 < 0 at b = 2 (it changes sign "
        "at b = ln 2), which is why the article calls its u-shaped curve an ideal version.",
        article_value=None,
        decimals=None,
        inputs=f"{_FIRST}; b = {CURVATURE_B}; central difference (step 1e-4) of nbn's dL/db",
        compute=_bias_curvature_library,
        oracles=(Oracle("sympy", _bias_curvature_sympy, 1e-6),),
        tolerance=1e-6,
        holds=lambda curvature: curvature < 0,
    ),
    Claim(
        id="sigmoid-derivative",
        section=LOSS,
        statement="The sigmoid's derivative is sigma(z) (1 - sigma(z)), the local gradient "
        "the sigmoid node passes back.",
        article_value=None,
        decimals=None,
        inputs=f"z = {SIGMOID_POINTS}; nbn.SigmoidLayer.backward with upstream gradient 1",
        compute=_sigmoid_local_grad,
        oracles=(
            Oracle("sympy", _sigmoid_derivative_sympy, SYMPY_TOL),
            Oracle("proof", _sigmoid_derivative_proof, SYMPY_TOL),
            Oracle("finite-difference", _sigmoid_derivative_fd, FD_TOL),
            Oracle("graph-engine", _sigmoid_derivative_graph, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="or-single-weight-gradients-zero",
        section=LOSS,
        statement="On the first OR example both weight gradients are exactly zero, because "
        "their local gradients dz/dw1 and dz/dw2 are the inputs x1 = x2 = 0.",
        article_value=article_numbers(*FROM_EXAMPLES["or-single-weight-gradients-zero"]),
        decimals=None,
        inputs=_FIRST,
        compute=lambda: first_pass().dW,
        oracles=(
            Oracle("sympy", lambda: tuple(to_float(g) for g in first_sympy()["dW"]), SYMPY_TOL),
            Oracle("finite-difference", lambda: first_fd()[:2], FD_TOL),
            Oracle(
                "graph-engine",
                lambda: (first_graph().grad("w1"), first_graph().grad("w2")),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
)
