"""The 2-2-1 XOR training example (``small-network-training.nbn.toml``): its stated
numbers come from an independent plain-NumPy trainer, re-run here.

The trainer is written straight from the article's matrix equations (no nbn code):
``A1 = sigmoid(W1 X + b1)``, ``A2 = sigmoid(W2 A1 + b2)``,
``Cost = 1/(2m) sum (Y - A2)^2``, backward ``dA2 = -(Y - A2)/m``,
``dZ = dA * A (1 - A)``, ``dW = dZ A_prev^T``, ``db = sum dZ``, ``dA_prev = W^T dZ``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import numpy as np
import pytest

import nbn
from nbn.check import check, load

FILE = Path(nbn.__file__).parent / "examples" / "small-network-training.nbn.toml"

X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
Y = np.array([[0.0, 1.0, 1.0, 0.0]])


def numpy_run(steps: int) -> dict[str, float]:
    """Every quantity the file names, after ``steps`` steps of gradient descent."""
    W1 = np.array([[0.5, -0.4], [0.3, 0.8]])
    b1 = np.array([[0.1], [-0.1]])
    W2 = np.array([[0.7, -0.6]])
    b2 = np.array([[0.2]])
    m = X.shape[1]
    for step in range(steps + 1):
        A1 = 1 / (1 + np.exp(-(W1 @ X + b1)))
        A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
        dZ2 = -(Y - A2) / m * A2 * (1 - A2)
        dW2, db2 = dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)
        dZ1 = (W2.T @ dZ2) * A1 * (1 - A1)
        dW1, db1 = dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True)
        if step == steps:
            break
        W1, b1, W2, b2 = W1 - dW1, b1 - db1, W2 - dW2, b2 - db2  # learning rate 1
    values = {
        "cost": float(np.sum((Y - A2) ** 2) / (2 * m)),
        "w11": W1[0, 0], "w12": W1[0, 1], "b1": b1[0, 0],
        "w21": W1[1, 0], "w22": W1[1, 1], "b2": b1[1, 0],
        "v1": W2[0, 0], "v2": W2[0, 1], "c": b2[0, 0],
    }  # fmt: skip
    grads = {
        "w11": dW1[0, 0], "w12": dW1[0, 1], "b1": db1[0, 0],
        "w21": dW1[1, 0], "w22": dW1[1, 1], "b2": db1[1, 0],
        "v1": dW2[0, 0], "v2": dW2[0, 1], "c": db2[0, 0],
    }  # fmt: skip
    for j in range(4):
        values[f"h1_{j + 1}"] = A1[0, j]
        values[f"h2_{j + 1}"] = A1[1, j]
        values[f"yhat_{j + 1}"] = A2[0, j]
    values.update({f"grad(cost, {name})": float(g) for name, g in grads.items()})
    return {k: float(v) for k, v in values.items()}


def rounded_like(value: float, stated: str) -> Decimal:
    """``value`` rounded to the last printed digit of ``stated`` (half to even)."""
    return Decimal(repr(value)).quantize(Decimal(stated), rounding=ROUND_HALF_EVEN)


def test_every_stated_number_is_the_numpy_trainers_value_rounded() -> None:
    runs: dict[int, dict[str, float]] = {}
    example = load(FILE)
    assert len(example.claims) >= 30
    for claim in example.claims:
        match = re.fullmatch(r"after\((\d+), (.+)\)", claim.text)
        steps, name = (int(match.group(1)), match.group(2)) if match else (0, claim.text)
        if steps not in runs:
            runs[steps] = numpy_run(steps)
        stated = claim.stated_text
        assert rounded_like(runs[steps][name], stated) == Decimal(stated), claim.text


def test_the_network_learns_xor_in_10000_steps() -> None:
    after = numpy_run(10000)
    predictions = [after[f"yhat_{j}"] > 0.5 for j in range(1, 5)]
    assert predictions == [False, True, True, False]


@pytest.mark.slow
def test_nbn_check_agrees_with_every_number() -> None:
    # runs in CI through `pytest examples/` too; here for `scripts/test -m slow`
    report = check(FILE)
    assert {r.verdict for r in report.results} == {"agrees"}
