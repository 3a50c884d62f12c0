"""Claims of the sections that explain dCost/db and dCost/dW: why db sums the
upstream gradients, why dW = dZ . X^T, the dimension analysis and the full
Jacobian tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import FloatArray
from ..linear import LinearLayer
from .core import Claim, Oracle, ledger_cache
from .oracles import exact, fd_gradient, graph_batch, sym_batch_neuron, sympy, to_float
from .runs import OR_B, OR_W, Pass, neuron_pass, or_data

__all__ = ["CLAIMS"]

WHY_SUM = "First, we'll tackle dCost/db. Why did we sum the gradients?"
LOCAL = "How is the local gradient (dZ/dW) equal to transpose of the input training data?"
DIMENSIONS = "Is there an easier way of figuring this out, without the math?"
SYMPY_TOL = 1e-12
FD_TOL = 1e-6
_INPUTS = "OR data (4 examples as columns), W = (0.1, 0.6), b = 0"

#: Inputs of the small three-equation graph u = a + b, v = b c, f = u v.
SUM_INPUTS = (3.0, 2.0, 4.0)


def _sum_graph() -> float:
    from ..graph import bias_sum_example

    graph = bias_sum_example(*SUM_INPUTS)
    graph.backward()
    return float(graph["b"].grad)


def _sum_sympy() -> float:
    sp = sympy()
    a, b, c = sp.symbols("a b c")
    f = (a + b) * (b * c)
    return to_float(sp.diff(f, b).subs(dict(zip((a, b, c), SUM_INPUTS, strict=True))))


def _sum_fd() -> float:
    a, _, c = SUM_INPUTS

    def f(b: np.ndarray) -> float:
        return float((a + b[0]) * (b[0] * c))

    return float(fd_gradient(f, [SUM_INPUTS[1]])[0])


def _sum_proof() -> float:
    """Sum over the two paths: df/du du/db + df/dv dv/db = v * 1 + u * c."""
    a, b, c = SUM_INPUTS
    u, v = a + b, b * c
    return v * 1 + u * c


@ledger_cache
def _library() -> Pass:
    X, Y = or_data()
    return neuron_pass(X, Y, OR_W, OR_B)


@ledger_cache
def _sym_dz() -> list[Any]:
    """dCost/dz_j for the four examples, from SymPy (z_j as symbols)."""
    sp = sympy()
    X, Y = or_data()
    zs = sp.symbols("z1:5")
    from .oracles import sym_sigmoid

    cost = sum(
        sp.Rational(1, 2) * (int(y) - sym_sigmoid(z)) ** 2 for y, z in zip(Y[0], zs, strict=True)
    ) / len(zs)
    values = sym_batch_neuron(X.tolist(), Y[0].tolist(), [exact(w) for w in OR_W], 0)["z"]
    return [sp.diff(cost, z).subs(dict(zip(zs, values, strict=True))) for z in zs]


def _db_sympy() -> float:
    return to_float(sum(_sym_dz()))


def _db_graph() -> float:
    X, Y = or_data()
    run = graph_batch(X.tolist(), Y[0].tolist(), OR_W, OR_B)
    return sum(run.grad(f"z({j})") for j in range(1, 5))


def _dw_sympy() -> tuple[float, ...]:
    X, _ = or_data()
    dz = _sym_dz()
    return tuple(to_float(sum(dz[j] * int(X[i, j]) for j in range(4))) for i in range(2))


def _dw_graph() -> tuple[float, ...]:
    X, Y = or_data()
    run = graph_batch(X.tolist(), Y[0].tolist(), OR_W, OR_B)
    return tuple(sum(run.grad(f"z({j + 1})") * float(X[i, j]) for j in range(4)) for i in range(2))


def _dw_fd() -> tuple[float, ...]:
    X, Y = or_data()

    def cost(w: np.ndarray) -> float:
        return neuron_pass(X, Y, tuple(w), OR_B).cost

    return tuple(fd_gradient(cost, OR_W))


def _one_hot_rows() -> tuple[float, ...]:
    """nbn's dW when the upstream gradient is 1 for example j only, for j = 1..4."""
    X, _ = or_data()
    layer = LinearLayer(input_shape=X.shape, n_out=1)
    layer.params["W"] = np.array([OR_W])
    layer.forward(X)
    rows: list[float] = []
    for j in range(X.shape[1]):
        upstream = np.zeros((1, X.shape[1]))
        upstream[0, j] = 1.0
        layer.backward(upstream)
        assert layer.dW is not None
        rows.extend(layer.dW.ravel())
    return tuple(rows)


def _one_hot_sympy() -> tuple[float, ...]:
    sp = sympy()
    X, _ = or_data()
    w = sp.symbols("w1 w2")
    rows: list[float] = []
    for j in range(X.shape[1]):
        z = w[0] * int(X[0, j]) + w[1] * int(X[1, j])
        rows.extend(to_float(sp.diff(z, wi)) for wi in w)
    return tuple(rows)


def _one_hot_fd() -> tuple[float, ...]:
    X, _ = or_data()
    rows: list[float] = []
    for j in range(X.shape[1]):

        def z_j(w: np.ndarray, j: int = j) -> float:
            layer = LinearLayer(input_shape=X.shape, n_out=1)
            layer.params["W"] = w.reshape(1, -1)
            return float(layer.forward(X)[0, j])

        rows.extend(fd_gradient(z_j, OR_W))
    return tuple(rows)


def _shapes() -> tuple[float, ...]:
    step = _library()
    X, _ = or_data()
    return tuple(
        float(n) for shape in (step.dZ.shape, X.shape, step.dW.shape, step.db.shape) for n in shape
    )


def _shapes_proof() -> tuple[float, ...]:
    """From the definitions: upstream is (n_out, m), X is (n_in, m), dW has W's shape
    (n_out, n_in) and db has b's shape (n_out, 1); n_out = 1, n_in = 2, m = 4."""
    n_out, n_in, m = 1, 2, 4
    return tuple(float(n) for n in (n_out, m, n_in, m, n_out, n_in, n_out, 1))


@ledger_cache
def _jacobian() -> FloatArray:
    """dZ/dW for Z = W . X (1 x 4) and W (1 x 2), by finite differences of nbn's layer:
    an array of shape (1, 4, 1, 2)."""
    X, _ = or_data()
    layer = LinearLayer(input_shape=X.shape, n_out=1)
    W = np.array([OR_W], dtype=np.float64)
    J = np.zeros((1, X.shape[1], *W.shape))
    for j in range(X.shape[1]):

        def z_j(w: np.ndarray, j: int = j) -> float:
            layer.params["W"] = w.reshape(1, -1)
            return float(layer.forward(X)[0, j])

        J[0, j] = fd_gradient(z_j, W.tolist()[0]).reshape(W.shape)
    return J


def _jacobian_shape_library() -> tuple[float, ...]:
    return tuple(float(n) for n in _jacobian()[0].shape)


def _jacobian_shape_sympy() -> tuple[float, ...]:
    sp = sympy()
    X, _ = or_data()
    W = sp.Array([list(sp.symbols("w1 w2"))])  # (1, 2)
    Z = sp.Array([[sum(W[0, i] * int(X[i, j]) for i in range(2)) for j in range(4)]])  # (1, 4)
    J = sp.permutedims(sp.derive_by_array(Z, W), (2, 3, 0, 1))  # (1, 4, 1, 2): Z axes first
    if J.shape[0] != 1:
        raise AssertionError(f"unexpected Jacobian shape {J.shape}")
    return tuple(float(n) for n in J.shape[1:])


def _contraction() -> tuple[float, ...]:
    """Contract the upstream gradient (1 x 4) with the full Jacobian over Z's axes."""
    return tuple(np.tensordot(_library().dZ, _jacobian(), axes=2).ravel())


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="gradients-sum-over-paths",
        section=WHY_SUM,
        statement="A node that feeds two others receives the sum of the two gradients: in "
        "u = a + b, v = b c, f = u v, df/db = df/du du/db + df/dv dv/db = v + u c.",
        article_value=None,
        decimals=None,
        inputs="a = 3, b = 2, c = 4 (values chosen by nbn for this example); "
        "nbn.graph.bias_sum_example",
        compute=_sum_graph,
        oracles=(
            Oracle("sympy", _sum_sympy, SYMPY_TOL),
            Oracle("finite-difference", _sum_fd, FD_TOL),
            Oracle("proof", _sum_proof, 0.0),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="db-is-sum-of-upstream",
        section=WHY_SUM,
        statement="The bias is shared by every example and dZ/db = 1, so dCost/db is the sum "
        "of the upstream gradients dCost/dZ over the examples.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; nbn's db vs the sum of dCost/dz_j",
        compute=lambda: _library().db,
        oracles=(
            Oracle("sympy", _db_sympy, SYMPY_TOL),
            Oracle("graph-engine", _db_graph, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="local-gradient-is-input-row",
        section=LOCAL,
        statement="For one example, the local gradient dz/dW is that example's input as a "
        "row, x^T.",
        article_value=None,
        decimals=None,
        inputs="OR inputs; nbn's dW for an upstream gradient of 1 on example j only, "
        "j = 1..4, which gives the rows (0, 0), (0, 1), (1, 0), (1, 1)",
        compute=_one_hot_rows,
        oracles=(
            Oracle("sympy", _one_hot_sympy, SYMPY_TOL),
            Oracle("finite-difference", _one_hot_fd, FD_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="dw-is-dz-dot-xt",
        section=LOCAL,
        statement="Summing each example's upstream gradient times its input row gives "
        "dCost/dW = dZ . X^T.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; nbn's dW vs sum_j dCost/dz_j x_j^T",
        compute=lambda: _library().dW,
        oracles=(
            Oracle("sympy", _dw_sympy, SYMPY_TOL),
            Oracle("finite-difference", _dw_fd, FD_TOL),
            Oracle("graph-engine", _dw_graph, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="dimension-analysis",
        section=DIMENSIONS,
        statement="Dimension analysis: the upstream gradient is (1 x 4), X is (2 x 4), so "
        "the (1 x 2) dCost/dW can only be dZ . X^T, and the (1 x 1) dCost/db only the sum "
        "of the upstream gradient.",
        article_value=(1.0, 4.0, 2.0, 4.0, 1.0, 2.0, 1.0, 1.0),
        printed="(1 × 4) … (2 × 4) … (1 × 2) … (1 × 1)",
        decimals=0,
        inputs=f"{_INPUTS}; shapes of nbn's dZ, X, dW, db",
        compute=_shapes,
        oracles=(Oracle("proof", _shapes_proof, 0.0),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="jacobian-tensor-shape",
        section=DIMENSIONS,
        statement="The full Jacobian of Z = W . X with respect to W, over all four examples, "
        "is a (4 x 1 x 2) tensor.",
        article_value=(4.0, 1.0, 2.0),
        printed="(4 × 1 × 2)",
        decimals=0,
        inputs=f"{_INPUTS}; Jacobian of nbn's Z by finite differences, leading axis of Z's "
        "single row dropped",
        compute=_jacobian_shape_library,
        oracles=(Oracle("sympy", _jacobian_shape_sympy, 0.0),),
        tolerance=SYMPY_TOL,
        note="Strictly, dZ/dW for a (1 x 4) Z and a (1 x 2) W is a 4-index array of shape "
        "(1, 4, 1, 2); the article's (4 x 1 x 2) drops Z's single row. Example j's block is "
        "x_j^T.",
    ),
    Claim(
        id="jacobian-contracts-to-dz-xt",
        section=DIMENSIONS,
        statement="Contracting the upstream gradient with that tensor gives the same "
        "dCost/dW as the shortcut dZ . X^T.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; tensordot of nbn's dZ (1 x 4) with the (1, 4, 1, 2) Jacobian",
        compute=_contraction,
        oracles=(
            Oracle("reference", lambda: tuple(_library().dW.ravel()), 1e-8),
            Oracle("sympy", _dw_sympy, 1e-8),
        ),
        tolerance=1e-8,
    ),
)
