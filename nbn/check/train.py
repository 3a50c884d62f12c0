"""``after(n, e)``: plain gradient descent on ``[train].loss``, by three oracles.

Each step sets every parameter ``p`` to ``p - learning_rate * d loss / d p``,
every other given held fixed. The run is done once per file, up to the largest
``n`` the claims ask for, keeping only the states the claims need. Three
independent runs, which must agree:

* ``sympy``: the loss built symbolically in the parameters (symbols nbn names
  itself; the other givens exact), differentiated by SymPy, and the gradient
  evaluated in float64 (``lambdify`` on those symbols, ``math`` module). float64
  is enough here: the rounding it adds over the run stays far below the digits
  a worked example prints (the runs below agree to about 1e-10).
* ``graph-engine``: the scalar graph engine built once with the parameters as
  symbols (SymPy payloads); ``backward()`` gives each parameter's gradient as a
  formula, the engine's own chain rule, which is evaluated in float64 at every
  step (``lambdify`` on nbn's symbols). Rebuilding the float graph at every step
  gives the same numbers 20 times slower.
* ``finite-difference``: central differences of the loss in float64, all
  parameters' perturbations in one vectorized NumPy evaluation per step.

Tolerances after ``n`` steps (see :data:`AFTER_RTOL`): every step rounds in
float64 and gradient descent carries the rounding on, so the runs drift apart
slowly; finite differences add their own truncation error each step.

These float64 runs are the cross-check. The value a verdict is decided on comes
from :mod:`nbn.check.exact` (exact rationals, or a proven enclosure), which the
three runs must agree with within the same tolerances.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backends import DomainError, SympyBackend, Watch, evaluate
from .bounds import Deadline
from .errors import CheckError, OracleDisagreementError
from .load import Train, WorkedExample
from .oracles import EngineOracle, FloatOracle, StepAside

__all__ = ["AFTER_RTOL", "ORACLES", "Trajectories", "run"]

#: The training oracles, in report order.
ORACLES = ("sympy", "graph-engine", "finite-difference")

#: How far the engine's and the finite differences' parameters may be from the
#: SymPy run's after n steps: ``rtol * max(1, |p|)``. The engine's gradient formula
#: (from ``backward()``) and SymPy's (from ``diff``) are evaluated in float64 in
#: different operation orders; finite differences carry a gradient error near
#: 1e-10 relative each step. Measured on the 2-2-1 XOR example after 10000 steps:
#: engine 7e-16, finite differences 1.1e-10 (largest relative parameter
#: difference). The bounds leave three orders of magnitude for other networks.
AFTER_RTOL = {"graph-engine": 1e-9, "finite-difference": 1e-6}


@dataclass(frozen=True)
class Trajectories:
    """The parameters after each kept step, per oracle: ``states[oracle][n][param]``."""

    states: dict[str, dict[int, dict[str, float]]]
    #: the oracles whose run stepped aside (finite differences at a kink), and why
    aside: dict[str, str] = field(default_factory=dict)

    def givens(self, example: WorkedExample, oracle: str, steps: int) -> dict[str, float]:
        """The givens of world ``steps`` as floats, parameters from ``oracle``'s run.

        Raises
        ------
        StepAside
            If ``oracle``'s run stepped aside.
        """
        values = {name: float(p.value) for name, p in example.given.items()}
        if steps and oracle in self.aside:
            raise StepAside(self.aside[oracle])
        if steps:
            values.update(self.states[oracle][steps])
        return values


def _failure(example: WorkedExample, oracle: str, step: int, error: Exception) -> CheckError:
    key = "learning_rate"
    return CheckError(
        example.file,
        "train",
        key,
        f"gradient descent fails at step {step} ({oracle}): {error}; expected a run whose "
        "values stay finite (a smaller learning rate?)",
        example.line("train", key),
    )


def _check_finite(example: WorkedExample, oracle: str, step: int, params: dict[str, float]) -> None:
    for name, v in params.items():
        if not math.isfinite(v) or abs(v) > 1e300:
            raise _failure(example, oracle, step, ValueError(f"{name} became {v}"))


def _symbols(train: Train) -> dict[str, Any]:
    """One SymPy symbol per parameter, named by nbn (``p0, p1, ...``), never by the file:
    ``lambdify`` prints the symbols' names into the code it compiles."""
    import sympy as sp

    return {p: sp.Dummy(f"p{i}") for i, p in enumerate(train.params)}


def _sympy_run(
    example: WorkedExample, train: Train, keep: set[int], last: int, deadline: Deadline | None
) -> dict[int, dict[str, float]]:
    import sympy as sp

    backend = SympyBackend()
    symbols = _symbols(train)
    values: dict[str, Any] = {
        n: symbols[n] if n in symbols else backend.number(g.value) for n, g in example.given.items()
    }
    for name in example.order:
        if name == train.loss or name in example.depends[train.loss]:
            values[name] = evaluate(example.define[name], backend, values.__getitem__)
    loss = values[train.loss]
    order = [symbols[p] for p in train.params]
    gradient = sp.lambdify(order, [sp.diff(loss, s) for s in order], modules="math", cse=True)
    return _descend(example, train, "sympy", gradient, keep, last, deadline)


def _descend(
    example: WorkedExample,
    train: Train,
    oracle: str,
    gradient: Callable[..., Any],
    keep: set[int],
    last: int,
    deadline: Deadline | None,
) -> dict[int, dict[str, float]]:
    """Gradient descent in float64 with a gradient function of the parameters."""
    rate = float(train.learning_rate.value)
    params = [float(example.given[p].value) for p in train.params]
    states = {}
    for step in range(last + 1):
        if step in keep:
            states[step] = dict(zip(train.params, params, strict=True))
        if step == last:
            break
        if deadline is not None and step % 256 == 0:
            deadline.check()
        try:
            g = gradient(*params)
        except OverflowError as error:
            raise _failure(example, oracle, step + 1, error) from None
        except (ValueError, ZeroDivisionError) as error:
            # the gradient's formula divides by zero or leaves a domain: the point has
            # no derivative for backpropagation (sqrt or a power below 1 at 0, log at 0)
            shown = ", ".join(f"{n} = {v!r}" for n, v in zip(train.params, params, strict=True))
            raise CheckError(
                example.file,
                "train",
                "loss",
                f"not differentiable: at step {step + 1} of gradient descent ({shown}) the "
                f"gradient of {train.loss} has no finite value ({oracle}: {error}); a local "
                "derivative is infinite or undefined there (sqrt or a power below 1 at 0, "
                "log at 0), so nbn cannot judge training through this point",
                example.line("train", "loss"),
            ) from None
        params = [p - rate * float(d) for p, d in zip(params, g, strict=True)]
        _check_finite(example, oracle, step + 1, dict(zip(train.params, params, strict=True)))
    return states


def _engine_run(
    example: WorkedExample, train: Train, keep: set[int], last: int, deadline: Deadline | None
) -> dict[int, dict[str, float]]:
    import sympy as sp

    symbols = _symbols(train)
    givens: dict[str, Any] = {
        n: symbols[n] if n in symbols else sp.Rational(g.value.numerator, g.value.denominator)
        for n, g in example.given.items()
    }
    try:
        engine = EngineOracle(example, givens, only=train.loss, symbolic=True)
    except CheckError as error:
        raise _failure(example, "graph-engine", 0, error) from None
    grads = engine.gradients(train.loss)
    order = [symbols[p] for p in train.params]
    return _descend(
        example,
        train,
        "graph-engine",
        sp.lambdify(order, [grads[p] for p in train.params], modules="math", cse=True),
        keep,
        last,
        deadline,
    )


def _fd_run(
    example: WorkedExample, train: Train, keep: set[int], last: int, deadline: Deadline | None
) -> dict[int, dict[str, float]]:
    rate = float(train.learning_rate.value)
    oracle = FloatOracle(example, {n: float(p.value) for n, p in example.given.items()})
    params = np.array([float(example.given[p].value) for p in train.params])
    count = len(params)
    states = {}
    for step in range(last + 1):
        if step in keep:
            states[step] = dict(zip(train.params, params.tolist(), strict=True))
        if step == last:
            break
        if deadline is not None and step % 256 == 0:
            deadline.check()
        h = 1e-6 * np.maximum(1.0, np.abs(params))
        # column 2i moves parameter i up by h_i, column 2i + 1 moves it down
        moved = np.repeat(params[:, None], 2 * count, axis=1)
        for i in range(count):
            moved[i, 2 * i] += h[i]
            moved[i, 2 * i + 1] -= h[i]
        oracle.watch.clear()
        try:
            world = oracle.forward(dict(zip(train.params, moved, strict=True)), oracle.watched)
        except (CheckError, DomainError) as error:
            raise _failure(example, "finite-difference", step + 1, error) from None
        loss = np.broadcast_to(world[train.loss], (2 * count,))
        straddled = _straddled(oracle.watch, 2 * count)
        if straddled is not None:
            raise StepAside(f"at step {step + 1}, a finite-difference step {straddled}")
        grads = (loss[0::2] - loss[1::2]) / (2 * h)
        params = params - rate * grads
        _check_finite(
            example, "finite-difference", step + 1, dict(zip(train.params, params, strict=True))
        )
    return states


def _straddled(watch: Watch, width: int) -> str | None:
    """What a step straddles (relu's kink, a pole, a domain's edge), or ``None``."""
    for kind, text, argument in watch:
        a = np.broadcast_to(argument, (width,))
        if kind == "kink" and bool((a > 0).any()) and bool((a <= 0).any()):
            return f"straddles relu's kink at {text} = 0"
        if kind == "pole" and a.min() <= 0 <= a.max():
            return f"reaches a pole: {text} = 0"
        if kind == "domain" and a.min() <= 0:
            return f"leaves the domain of {text}"
    return None


def run(
    example: WorkedExample, steps: Iterable[int], deadline: Deadline | None = None
) -> Trajectories:
    """Train with each oracle up to ``max(steps)``, keep those steps, check agreement.

    Raises
    ------
    CheckError
        If the run leaves float64's range.
    OracleDisagreementError
        If the runs differ by more than :data:`AFTER_RTOL`.
    """
    if example.train is None:
        raise CheckError(example.file, None, "train", "expected a [train] table, got none")
    keep = set(steps) | {0}
    last = max(keep)
    states = {
        "sympy": _sympy_run(example, example.train, keep, last, deadline),
        "graph-engine": _engine_run(example, example.train, keep, last, deadline),
    }
    aside: dict[str, str] = {}
    try:
        states["finite-difference"] = _fd_run(example, example.train, keep, last, deadline)
    except StepAside as reason:
        aside["finite-difference"] = str(reason)
    for n in sorted(keep):
        for p, reference in states["sympy"][n].items():
            for oracle, rtol in AFTER_RTOL.items():
                if oracle in aside:
                    continue
                value = states[oracle][n][p]
                if abs(value - reference) > rtol * max(1.0, abs(reference)):
                    raise OracleDisagreementError(
                        f"internal error in nbn: after {n} steps the training runs disagree on "
                        f"{p!r}: sympy gives {reference!r}, {oracle} gives {value!r} (tolerance "
                        f"{rtol:g} relative). This is a bug in nbn: please report it with the file."
                    )
    return Trajectories(states, aside)
