"""Claims of the sections "Cost Function" and "The derivative of Cost Function":
batch gradient descent on all four OR examples at once."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..costs import compute_cost
from ..examples import article_numbers, printed
from .core import Claim, Oracle, ledger_cache
from .oracles import (
    GraphRun,
    exact,
    fd_gradient,
    fd_neuron_params,
    graph_batch,
    graph_descent,
    reference_train_neuron,
    sym_descent,
    sympy,
    to_float,
)
from .runs import OR_B, OR_W, Pass, Training, neuron_pass, or_data, train_neuron

__all__ = [
    "CLAIMS",
    "FLAT_FRACTIONS",
    "FROM_EXAMPLES",
    "flattening_epoch",
    "flattening_sensitivity",
]

COST = "Cost Function"
DERIVATIVE = "The derivative of Cost Function"
SYMPY_TOL = 1e-12
FD_TOL = 1e-6
#: A 5000-epoch run in float64 drifts from an independent implementation by ~1e-13.
TRAIN_TOL = 1e-9

#: Claims whose article numbers are read from a worked-example file (nbn/examples):
#: claim id -> (file, the file's claims holding the numbers, in order).
FROM_EXAMPLES: dict[str, tuple[str, ...]] = {
    "batch-or-cost": ("article-batch-iteration.nbn.toml", "cost"),
    "batch-or-cost-after-update": ("article-batch-iteration.nbn.toml", "after(1, cost)"),
    "batch-or-second-gradients": (
        "article-batch-iteration.nbn.toml",
        "after(1, grad(cost, w1))",
        "after(1, grad(cost, w2))",
        "after(1, grad(cost, b))",
    ),
    "batch-or-cost-5000": ("article-batch-iteration.nbn.toml", "after(5000, cost)"),
}
(_COST,) = printed(*FROM_EXAMPLES["batch-or-cost"])
(_COST_1,) = printed(*FROM_EXAMPLES["batch-or-cost-after-update"])
_DW1, _DW2, _DB = printed(*FROM_EXAMPLES["batch-or-second-gradients"])
(_COST_5000,) = printed(*FROM_EXAMPLES["batch-or-cost-5000"])

RATE = 1.0
EPOCHS = 5000
_INPUTS = "OR data (4 examples as columns), W = (0.1, 0.6), b = 0, learning rate 1"

#: Candidate meanings of "the cost curve has flattened": the cost is below this
#: fraction of its starting value. The article gives none, and the epoch it
#: names depends on the choice (claim batch-or-flattens-3000).
FLAT_FRACTIONS = (0.05, 0.02, 0.01)


def _data() -> tuple[list[list[float]], list[float]]:
    X, Y = or_data()
    return X.astype(float).tolist(), Y[0].astype(float).tolist()


@ledger_cache
def _pass(iteration: int) -> Pass:
    """nbn's forward/backward at the start of iteration 0 or 1 (after one update)."""
    X, Y = or_data()
    run = train_neuron(X, Y, OR_W, OR_B, RATE, iteration)
    return neuron_pass(X, Y, run.W, run.b)


@ledger_cache
def _training() -> Training:
    X, Y = or_data()
    return train_neuron(X, Y, OR_W, OR_B, RATE, EPOCHS)


@ledger_cache
def _sym(iteration: int) -> dict[str, Any]:
    """SymPy's cost and gradients at iteration 0 (exact inputs) or later (40 digits)."""
    X, Y = _data()
    return sym_descent(X, Y, OR_W, OR_B, learning_rate=RATE, steps=iteration)


def _sym_floats(iteration: int, key: str) -> tuple[float, ...]:
    value = _sym(iteration)[key]
    return tuple(to_float(v) for v in (value if isinstance(value, list) else [value]))


@ledger_cache
def _graph(iteration: int) -> GraphRun:
    """The engine's batch graph, at W and b stepped by the engine's own gradients."""
    X, Y = _data()
    return graph_descent(lambda W, b: graph_batch(X, Y, W, b), OR_W, OR_B, RATE, iteration)


def _graph_params(iteration: int) -> tuple[float, ...]:
    run = _graph(iteration)
    return (run.value("w1"), run.value("w2"), run.value("b"))


def _graph_gradients(iteration: int) -> tuple[float, ...]:
    run = _graph(iteration)
    return (run.grad("w1"), run.grad("w2"), run.grad("b"))


def _fd_gradients(iteration: int) -> tuple[float, ...]:
    X, Y = or_data()
    run = train_neuron(X, Y, OR_W, OR_B, RATE, iteration)
    return fd_neuron_params(lambda W, b: neuron_pass(X, Y, W, b).cost, run.W, run.b)


def _library_gradients(iteration: int) -> tuple[float, ...]:
    step = _pass(iteration)
    return (*step.dW.ravel(), *step.db.ravel())


@ledger_cache
def _reference() -> tuple[list[float], list[float], float]:
    X, Y = _data()
    return reference_train_neuron(X, Y, OR_W, OR_B, RATE, EPOCHS)


#: A nonzero bias, to see it added to every example.
BROADCAST_B = 0.3


def _broadcast_library() -> tuple[float, ...]:
    """Z - W . X for a (1 x 1) bias: the bias lands on every example's z."""
    X, Y = or_data()
    step = neuron_pass(X, Y, OR_W, BROADCAST_B)
    return tuple((step.Z - np.array([OR_W]) @ X).ravel())


def _broadcast_sympy() -> tuple[float, ...]:
    sp = sympy()
    X, _ = _data()
    W = sp.Matrix([[exact(w) for w in OR_W]])
    b = exact(BROADCAST_B)
    Z = W * sp.Matrix(X).applyfunc(exact) + b * sp.ones(1, len(X[0]))
    return tuple(to_float(v) for v in Z - W * sp.Matrix(X).applyfunc(exact))


def _decreasing(costs: Sequence[float]) -> bool:
    return all(b < a for a, b in itertools.pairwise(costs))


def flattening_epoch(costs: Sequence[float], fraction: float) -> int | None:
    """First epoch at which the cost is below ``fraction`` of its initial value.

    ``None`` when the cost never gets there within ``costs``.
    """
    for epoch, cost in enumerate(costs):
        if cost < fraction * costs[0]:
            return epoch
    return None


def flattening_sensitivity(costs: Sequence[float]) -> tuple[float, ...]:
    """The flattening epoch for each of ``FLAT_FRACTIONS``, then the last cost
    as a percentage of the first (a fraction below it is never reached)."""
    epochs = [flattening_epoch(costs, fraction) for fraction in FLAT_FRACTIONS]
    if any(epoch is None for epoch in epochs):
        raise ValueError(f"the cost never fell below {FLAT_FRACTIONS[-1]:.0%} of its start")
    return (*(float(e) for e in epochs if e is not None), 100.0 * costs[-1] / costs[0])


def _per_example_average() -> tuple[float, ...]:
    """The average of the four single-example (m = 1) loss gradients, from nbn."""
    X, Y = or_data()
    passes = [neuron_pass(X[:, j : j + 1], Y[:, j : j + 1], OR_W, OR_B) for j in range(4)]
    dW = sum(p.dW for p in passes) / 4
    db = sum(p.db for p in passes) / 4
    return (*np.ravel(dW), *np.ravel(db))


def _per_example_losses() -> tuple[float, float]:
    _, Y = or_data()
    A = _pass(0).A
    losses = [compute_cost(Y[:, j : j + 1], A[:, j : j + 1])[0] for j in range(4)]
    return _pass(0).cost, sum(losses) / len(losses)


def _cost_vs_loss_gradient() -> tuple[float, ...]:
    """nbn's dCost/dY_hat (1 x 4), and 1/m times each example's dL/dy_hat."""
    _, Y = or_data()
    A = _pass(0).A
    batch = compute_cost(Y, A)[1].ravel()
    single = [compute_cost(Y[:, j : j + 1], A[:, j : j + 1])[1][0, 0] / 4 for j in range(4)]
    return (*batch, *single)


def _cost_vs_loss_gradient_sympy() -> tuple[float, ...]:
    sp = sympy()
    _, Y = _data()
    y_hats = sp.symbols("y_hat1:5")
    cost = sum(sp.Rational(1, 2) * (exact(y) - h) ** 2 for y, h in zip(Y, y_hats, strict=True)) / 4
    at = dict(zip(y_hats, _sym(0)["y_hat"], strict=True))
    grads = [to_float(sp.diff(cost, h).subs(at)) for h in y_hats]
    return (*grads, *grads)


def _cost_gradient_fd() -> tuple[float, ...]:
    _, Y = or_data()
    A = _pass(0).A

    def cost(y_hat: np.ndarray) -> float:
        return compute_cost(Y, y_hat.reshape(1, -1))[0]

    grads = tuple(fd_gradient(cost, A.ravel().tolist()))
    return (*grads, *grads)


def _updated_params() -> tuple[float, ...]:
    X, Y = or_data()
    run = train_neuron(X, Y, OR_W, OR_B, RATE, 1)
    return (*run.W, run.b)


def _reference_accuracy() -> float:
    X, Y = _data()
    _, W, b = _reference()
    right = sum(
        (W[0] * x1 + W[1] * x2 + b >= 0) == (y == 1)
        for x1, x2, y in zip(X[0], X[1], Y, strict=True)
    )
    return 100.0 * right / len(Y)


def _reference_final_params() -> tuple[list[float], float]:
    _, W, b = _reference()
    return W, b


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="cost-is-average-loss",
        section=COST,
        statement="The cost is the average of the four examples' losses.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; nbn.compute_cost on the batch vs the mean of its m = 1 losses",
        compute=_per_example_losses,
        oracles=(
            Oracle(
                "sympy",
                lambda: (to_float(_sym(0)["cost"]),) * 2,
                SYMPY_TOL,
            ),
            Oracle("graph-engine", lambda: (_graph(0).output,) * 2, SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="cost-derivative-has-1-over-m",
        section=DERIVATIVE,
        statement="The cost's derivative with respect to each prediction is 1/m times that "
        "example's loss derivative: dCost/dy_hat_j = -(y_j - y_hat_j) / m.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; m = 4; nbn's dCost/dY_hat, then each example's dL/dy_hat / 4",
        compute=_cost_vs_loss_gradient,
        oracles=(
            Oracle("sympy", _cost_vs_loss_gradient_sympy, SYMPY_TOL),
            Oracle("finite-difference", _cost_gradient_fd, FD_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-bias-broadcast",
        section=DERIVATIVE,
        statement="The bias stays a single number in the vectorized form: W . X gives one z "
        "per example and b is added to each of them (broadcast).",
        article_value=None,
        decimals=None,
        inputs=f"OR data, W = (0.1, 0.6), b = {BROADCAST_B}; nbn's Z minus W . X",
        compute=_broadcast_library,
        oracles=(Oracle("sympy", _broadcast_sympy, SYMPY_TOL),),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-forward",
        section=DERIVATIVE,
        statement="The vectorized forward pass computes Z = W.X + b and Y_hat = sigma(Z) for "
        "all four examples at once.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=lambda: (_pass(0).Z, _pass(0).A),
        oracles=(
            Oracle("sympy", lambda: (*_sym_floats(0, "z"), *_sym_floats(0, "y_hat")), SYMPY_TOL),
            Oracle(
                "graph-engine",
                lambda: tuple(
                    _graph(0).value(f"{node}({j})") for node in ("z", "y_hat") for j in range(1, 5)
                ),
                SYMPY_TOL,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-cost",
        section=DERIVATIVE,
        statement=f"The initial cost over the four OR examples is {_COST}.",
        article_value=article_numbers(*FROM_EXAMPLES["batch-or-cost"]),
        decimals=3,
        inputs=_INPUTS,
        compute=lambda: _pass(0).cost,
        oracles=(
            Oracle("sympy", lambda: to_float(_sym(0)["cost"]), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph(0).output, SYMPY_TOL),
            Oracle("reference", lambda: _reference()[0][0], SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-first-gradients",
        section=DERIVATIVE,
        statement="The first iteration's gradients dCost/dW and dCost/db, each computed "
        "over the four examples at once.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=lambda: _library_gradients(0),
        oracles=(
            Oracle("sympy", lambda: (*_sym_floats(0, "dW"), *_sym_floats(0, "db")), SYMPY_TOL),
            Oracle("finite-difference", lambda: _fd_gradients(0), FD_TOL),
            Oracle("graph-engine", lambda: _graph_gradients(0), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-first-update",
        section=DERIVATIVE,
        statement="One gradient-descent update with learning rate 1 gives the new W and b.",
        article_value=None,
        decimals=None,
        inputs=_INPUTS,
        compute=_updated_params,
        oracles=(
            Oracle(
                "sympy",
                lambda: (*(to_float(w) for w in _sym(1)["W"]), to_float(_sym(1)["b"])),
                SYMPY_TOL,
            ),
            Oracle("graph-engine", lambda: _graph_params(1), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-cost-after-update",
        section=DERIVATIVE,
        statement=f"After that update the cost is down from {_COST} to {_COST_1}.",
        article_value=article_numbers(*FROM_EXAMPLES["batch-or-cost-after-update"]),
        decimals=3,
        inputs=_INPUTS,
        compute=lambda: _pass(1).cost,
        oracles=(
            Oracle("sympy", lambda: to_float(_sym(1)["cost"]), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph(1).output, SYMPY_TOL),
            Oracle("reference", lambda: _reference()[0][1], SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-second-gradients",
        section=DERIVATIVE,
        statement=f"The second iteration's gradients are dCost/dW = ({_DW1}, {_DW2}) and "
        f"dCost/db = {_DB}.",
        article_value=article_numbers(*FROM_EXAMPLES["batch-or-second-gradients"]),
        decimals=3,
        inputs=_INPUTS,
        compute=lambda: _library_gradients(1),
        oracles=(
            Oracle("sympy", lambda: (*_sym_floats(1, "dW"), *_sym_floats(1, "db")), SYMPY_TOL),
            Oracle("finite-difference", lambda: _fd_gradients(1), FD_TOL),
            Oracle("graph-engine", lambda: _graph_gradients(1), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-cost-5000",
        section=DERIVATIVE,
        statement=f"After 5000 epochs the cost has decreased steadily to about {_COST_5000}.",
        article_value=article_numbers(*FROM_EXAMPLES["batch-or-cost-5000"]),
        decimals=4,
        inputs=f"{_INPUTS}; 5000 epochs; cost after the last update",
        compute=lambda: _training().costs[-1],
        oracles=(
            Oracle("reference", lambda: _reference()[0][-1], TRAIN_TOL),
            Oracle(
                "graph-engine",
                lambda: graph_batch(*_data(), *_reference_final_params()).output,
                TRAIN_TOL,
            ),
        ),
        tolerance=TRAIN_TOL,
        holds=lambda cost: cost > 0,
    ),
    Claim(
        id="batch-or-cost-decreases-steadily",
        section=DERIVATIVE,
        statement="The cost decreases at every one of the 5000 epochs.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; 5000 epochs",
        compute=lambda: _decreasing(_training().costs),
        oracles=(
            Oracle(
                "reference",
                lambda: _decreasing(_reference()[0]),
                0.0,
            ),
        ),
        tolerance=SYMPY_TOL,
    ),
    Claim(
        id="batch-or-flattens-3000",
        section=DERIVATIVE,
        statement="The statement that the cost curve flattens after about 3000 epochs "
        "cannot be checked as it stands: the epoch depends on what 'flat' means. The "
        "cost first falls below 5%, 2% and 1% of its start at the epochs listed, and "
        "after 5000 epochs it is still at the last value, in percent of its start (so "
        "0.5% is never reached).",
        article_value="flattens after about 3000 epochs",
        decimals=None,
        inputs=f"{_INPUTS}; first epoch with cost < 5%, 2%, 1% of the initial cost; "
        "final cost in percent of the initial cost",
        compute=lambda: flattening_sensitivity(_training().costs),
        # The epochs are discrete, but read off float64 costs: they agree only because
        # every threshold is crossed with room to spare. Measured: the cost nearest a
        # threshold is 5.4e-5 of it away (1%, epoch 3095), the two runs differ by at most
        # 6e-15 relative, so no epoch can move. TRAIN_TOL (relative to the largest entry,
        # 3095) still fails on an epoch off by one and lets the final percentage, computed
        # by two different code paths, differ by a few ulps.
        oracles=(
            Oracle("reference", lambda: flattening_sensitivity(_reference()[0]), TRAIN_TOL),
        ),
        tolerance=SYMPY_TOL,
        holds=lambda v: v[0] < v[1] < v[2] and v[3] > 0.5,
        kind="vague",
        erratum="The article gives no definition of 'flat', and the epoch moves with the "
        "choice: 737 epochs for 5% of the starting cost, 1658 for 2%, 3095 for 1%, never for "
        "0.5%. Only the 1% reading gives 'about 3000'; the statement is a description of the "
        "picture, not a number that can be checked.",
    ),
    Claim(
        id="batch-or-boundary-separates",
        section=DERIVATIVE,
        statement="After 5000 epochs the decision boundary w1 x1 + w2 x2 + b = 0 separates "
        "(0, 0) from the three other examples: the neuron outputs 1 when x1 or x2 or both "
        "are 1.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; 5000 epochs; final (w1, w2, b)",
        compute=lambda: (*_training().W, _training().b),
        oracles=(Oracle("reference", lambda: (*_reference()[1], _reference()[2]), TRAIN_TOL),),
        tolerance=TRAIN_TOL,
        holds=lambda p: p[2] < 0 < p[0] + p[2] and p[1] + p[2] > 0 and p[0] + p[1] + p[2] > 0,
    ),
    Claim(
        id="batch-or-accuracy-5000",
        section=DERIVATIVE,
        statement="The trained OR neuron classifies all four examples right.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; 5000 epochs; nbn.predict with threshold 0.5, accuracy in percent",
        compute=lambda: _training().accuracy,
        oracles=(Oracle("reference", _reference_accuracy, 0.0),),
        tolerance=SYMPY_TOL,
        holds=lambda accuracy: accuracy == 100.0,
    ),
    Claim(
        id="gradient-is-average",
        section=DERIVATIVE,
        statement="The gradient used for the update is the average of the four examples' "
        "own loss gradients, for the weights and for the bias.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; mean of nbn's four m = 1 gradients vs the cost's gradient",
        compute=_per_example_average,
        oracles=(
            Oracle("sympy", lambda: (*_sym_floats(0, "dW"), *_sym_floats(0, "db")), SYMPY_TOL),
            Oracle("graph-engine", lambda: _graph_gradients(0), SYMPY_TOL),
        ),
        tolerance=SYMPY_TOL,
    ),
)
