"""Claims of the section "Learning Rate", on a concrete u-shaped loss.

The article's figures show gradient descent on a u-shaped curve, without its
equation, with learning rates 0.5, 5, 5e-10 and 50. We use the 1-D
quadratic

    L(w) = 1/2 (y - w x)^2  with  x = 1/sqrt(10), y = 2/sqrt(10),

that is ``L(w) = (w - 2)^2 / 20`` (curvature ``a = 1/20``, minimum at
``w* = 2``), computed by a one-input ``nbn.LinearLayer`` (its bias held at 0)
and ``nbn.compute_cost``, and stepped by ``LinearLayer.update_params``. Each
step multiplies the distance to the minimum by ``1 - 2 a alpha = 1 - alpha/10``:
descent converges exactly when ``0 < alpha < 1/a = 20``, which puts 0.5 and 5
on the converging side and 50 on the diverging side, as in the article.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..costs import compute_cost
from ..linear import LinearLayer
from .core import Claim, Oracle
from .oracles import exact, sympy, to_float

__all__ = ["CLAIMS", "descend"]

LEARNING_RATE = "Learning Rate"

#: The quadratic: curvature a (L = a (w - w*)^2), minimum w*, start w0.
CURVATURE = 0.05
MINIMUM = 2.0
START = 10.0
#: "Reached the minimum": within this fraction of the starting distance.
REACHED = 1e-3
_INPUTS = (
    "L(w) = 1/2 (y - w x)^2 with x = 1/sqrt(10), y = 2/sqrt(10), i.e. L(w) = (w - 2)^2 / 20; "
    "start w0 = 10; nbn.LinearLayer (bias held at 0), nbn.compute_cost, update_params"
)


def descend(alpha: float, steps: int, stop_within: float = 0.0) -> list[float]:
    """Gradient descent on the quadratic with nbn's layer: ``[w0, w1, ..., w_steps]``.

    Stops early once ``|w - w*| <= stop_within``.
    """
    x = math.sqrt(2 * CURVATURE)  # a = x^2 / 2
    X = np.array([[x]])
    Y = np.array([[MINIMUM * x]])
    layer = LinearLayer(input_shape=(1, 1), n_out=1)
    layer.params["W"] = np.array([[START]])
    layer.params["b"] = np.zeros((1, 1))
    path = [START]
    for _ in range(steps):
        _, dZ = compute_cost(Y, layer.forward(X))
        layer.backward(dZ)
        layer.update_params(learning_rate=alpha)
        layer.params["b"] = np.zeros((1, 1))  # a 1-D loss: only w moves
        path.append(float(layer.params["W"][0, 0]))
        if abs(path[-1] - MINIMUM) <= stop_within:
            break
    return path


def _factor(alpha: float) -> float:
    """Closed form: each step multiplies w - w* by 1 - 2 a alpha."""
    return 1.0 - 2.0 * CURVATURE * alpha


def _steps_to_reach(alpha: float) -> int:
    path = descend(alpha, 10_000, stop_within=REACHED * abs(START - MINIMUM))
    for k, w in enumerate(path):
        if abs(w - MINIMUM) <= REACHED * abs(START - MINIMUM):
            return k
    raise RuntimeError(f"alpha = {alpha} did not reach the minimum in 10000 steps")


def _steps_proof() -> tuple[float, float]:
    # |1 - 2 a alpha|^k <= REACHED  <=>  k >= log(REACHED) / log|1 - 2 a alpha|
    return tuple(  # type: ignore[return-value]
        float(math.ceil(math.log(REACHED) / math.log(abs(_factor(alpha))))) for alpha in (0.5, 5.0)
    )


#: Steps shown for alpha = 5.
SHOWN_STEPS = 6


def _step_sizes() -> tuple[float, ...]:
    path = descend(5.0, SHOWN_STEPS)
    return tuple(abs(b - a) for a, b in itertools.pairwise(path))


def _step_sizes_proof() -> tuple[float, ...]:
    # step k = |w_k - w_{k-1}| = |1 - q| |q|^(k-1) |w0 - w*|, q = 1 - 2 a alpha
    q = _factor(5.0)
    return tuple(abs(1 - q) * abs(q) ** k * abs(START - MINIMUM) for k in range(SHOWN_STEPS))


TINY_ALPHA = 5e-10
TINY_STEPS = 1000


def _tiny_progress() -> float:
    path = descend(TINY_ALPHA, TINY_STEPS)
    return abs(path[-1] - START) / abs(START - MINIMUM)


def _tiny_progress_sympy() -> float:
    """1 - (1 - 2 a alpha)^1000, exactly in rationals."""
    q = 1 - 2 * exact(CURVATURE) * exact(TINY_ALPHA)
    return to_float(1 - q**TINY_STEPS)


HUGE_ALPHA = 50.0
HUGE_STEPS = 5


def _growth() -> float:
    path = descend(HUGE_ALPHA, HUGE_STEPS)
    return float((abs(path[-1] - MINIMUM) / abs(START - MINIMUM)) ** (1 / HUGE_STEPS))


def _limit_library() -> float:
    """The largest converging learning rate, by bisection on nbn's descent."""

    def converges(alpha: float) -> bool:
        path = descend(alpha, 50)
        return abs(path[-1] - MINIMUM) < abs(START - MINIMUM)

    low, high = 5.0, 50.0
    for _ in range(30):
        mid = (low + high) / 2
        if converges(mid):
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _limit_sympy() -> float:
    sp = sympy()
    alpha = sp.Symbol("alpha", positive=True)
    region = sp.solve_univariate_inequality(
        sp.Abs(1 - 2 * exact(CURVATURE) * alpha) < 1, alpha, relational=False
    )
    return to_float(region.sup)


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="lr-small-slower",
        section=LEARNING_RATE,
        statement="A lower learning rate descends more slowly: alpha = 0.5 needs many more "
        "steps than alpha = 5 to reach the minimum.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; steps until |w - 2| <= 0.001 |w0 - 2|, for alpha = 0.5 and 5",
        compute=lambda: (_steps_to_reach(0.5), _steps_to_reach(5.0)),
        oracles=(Oracle("proof", _steps_proof, 0.0),),
        tolerance=1e-12,
        holds=lambda steps: steps[0] > steps[1],
    ),
    Claim(
        id="lr-steps-shrink",
        section=LEARNING_RATE,
        statement="With a fixed learning rate the steps shrink near the minimum, because "
        "each is the learning rate times a gradient that shrinks.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; alpha = 5; the first {SHOWN_STEPS} step lengths |w_k - w_(k-1)|",
        compute=_step_sizes,
        oracles=(Oracle("proof", _step_sizes_proof, 1e-12),),
        tolerance=1e-12,
        holds=lambda steps: all(a > b for a, b in itertools.pairwise(steps)),
    ),
    Claim(
        id="lr-tiny-barely-moves",
        section=LEARNING_RATE,
        statement=f"With alpha = 5e-10 gradient descent barely moves: {TINY_STEPS} steps cover "
        f"only about {1 - _factor(TINY_ALPHA) ** TINY_STEPS:.0e} of the distance to the minimum.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; alpha = 5e-10; fraction of the distance covered in 1000 steps",
        compute=_tiny_progress,
        oracles=(Oracle("sympy", _tiny_progress_sympy, 1e-6),),
        tolerance=1e-6,
        holds=lambda fraction: 0 < fraction < 1e-6,
    ),
    Claim(
        id="lr-large-diverges",
        section=LEARNING_RATE,
        statement="With alpha = 50 gradient descent overshoots further at every step and "
        f"diverges: the distance to the minimum grows {abs(_factor(HUGE_ALPHA)):g}-fold per step.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; alpha = 50; growth of |w - 2| per step over 5 steps",
        compute=_growth,
        oracles=(Oracle("proof", lambda: abs(_factor(HUGE_ALPHA)), 1e-12),),
        tolerance=1e-12,
        holds=lambda growth: growth > 1,
    ),
    Claim(
        id="lr-convergence-limit",
        section=LEARNING_RATE,
        statement="On this quadratic, gradient descent converges exactly for learning rates "
        f"below 2 / L'' = {1 / CURVATURE:g}, where L'' = {2 * CURVATURE:g} is the loss's "
        "second derivative: 0.5 and 5 converge, 50 diverges.",
        article_value=None,
        decimals=None,
        inputs=f"{_INPUTS}; bisection on alpha between 5 and 50 (converged: closer after 50 steps)",
        compute=_limit_library,
        oracles=(Oracle("sympy", _limit_sympy, 1e-6),),
        tolerance=1e-6,
        holds=lambda limit: 5.0 < limit < 50.0,
    ),
)
