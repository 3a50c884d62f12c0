"""Three independent oracles for every value of a worked example, and their agreement.

A *world* is the value of every name for one set of given values: the file's
givens (world 0) or the givens with the trained parameters after ``n`` steps.
Each oracle computes a world its own way:

* :class:`SympyOracle`: exact SymPy values; ``grad(f, x)`` by symbolic
  differentiation (``x`` replaced by a symbol of ours, every quantity
  downstream of it recomputed, ``diff``, then ``x``'s value substituted).
* :class:`EngineOracle`: the scalar graph engine (:mod:`nbn.graph`) in float64;
  ``grad(f, x)`` is ``x.grad`` after ``f.backward()``: the total derivative
  through every path, as backpropagation computes it at that node.
* :class:`FloatOracle`: plain float64; ``grad(f, x)`` by central differences
  (``x`` moved by ``h`` and everything downstream recomputed).

:func:`agree` compares them and raises :class:`OracleDisagreementError` when
they differ by more than the stated tolerances, which would be a bug in nbn:

* engine vs SymPy: ``|engine - exact| <= 1e-12 * scale``, ``scale`` the largest
  of 1, ``|exact|`` and the magnitude of the world's values (float64 rounding
  grows with the operands, not with the result, when terms cancel);
* finite differences vs SymPy: ``|fd - exact| <= 1e-6 * max(1, |exact|, |f|)``
  with step ``h = 1e-6 * max(1, |x|)`` (truncation ~h^2, rounding ~eps |f| / h).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from .. import graph
from . import expr
from .backends import (
    DomainError,
    EngineBackend,
    FloatBackend,
    SympyBackend,
    compile_floats,
    evaluate,
)
from .bounds import MAX_MAGNITUDE, Deadline
from .errors import CheckError, OracleDisagreementError
from .load import WorkedExample

__all__ = [
    "ENGINE_RTOL",
    "FD_RTOL",
    "EngineOracle",
    "FloatOracle",
    "SympyOracle",
    "agree",
    "where_computed",
]

#: Engine vs SymPy, relative to the world's scale.
ENGINE_RTOL = 1e-12
#: Finite differences vs SymPy, relative.
FD_RTOL = 1e-6


def where_computed(steps: int) -> str:
    """`` after n steps of [train]`` for a world other than the file's givens."""
    return f" (after {steps} step{'s' if steps != 1 else ''} of [train])" if steps else ""


def _fail(example: WorkedExample, table: str, key: str, problem: str) -> CheckError:
    return CheckError(example.file, table, key, problem, example.line(table, key))


class SympyOracle:
    """Exact values of one world, and symbolic gradients.

    Parameters
    ----------
    example : WorkedExample
    givens : mapping of str to Fraction
        The given values of this world (exact).
    steps : int
        Which world (0: the file's givens), for messages.
    deadline : Deadline, optional
    """

    def __init__(
        self,
        example: WorkedExample,
        givens: Mapping[str, Fraction],
        steps: int = 0,
        deadline: Deadline | None = None,
    ) -> None:
        self.example = example
        self.backend = SympyBackend()
        self.sp = self.backend.sp
        self.steps = steps
        self.deadline = deadline
        self.values: dict[str, Any] = {n: self.backend.number(q) for n, q in givens.items()}
        for name in example.order:
            self.values[name] = self._define(name, self.values)
            self._check_magnitude(name)
        self._grads: dict[tuple[str, str], Any] = {}
        self._scale: float | None = None
        self._numeric: dict[str, Any] | None = None

    def _define(self, name: str, values: Mapping[str, Any]) -> Any:
        if self.deadline is not None:
            self.deadline.check()
        try:
            return evaluate(self.example.define[name], self.backend, values.__getitem__)
        except DomainError as error:
            raise _fail(
                self.example,
                "define",
                name,
                f"{error} while computing {name} = {self.example.definition_text[name]!r}"
                f"{where_computed(self.steps)}",
            ) from None

    def _check_magnitude(self, name: str) -> None:
        value = self.values[name]
        approx = value if isinstance(value, self.sp.Rational) else value.evalf(20)
        if not approx.is_real or abs(approx) > MAX_MAGNITUDE:
            if isinstance(approx, self.sp.Rational):
                shown = f"a number of about {len(str(abs(approx.p))) - len(str(approx.q))} digits"
            else:
                shown = str(self.sp.Float(approx, 6))
            raise _fail(
                self.example,
                "define",
                name,
                f"expected a real value within float64's range (|x| <= {MAX_MAGNITUDE:g}), got "
                f"{shown}{where_computed(self.steps)}; the graph engine computes in float64",
            )

    def grad(self, f: str, x: str) -> Any:
        """``d f / d x`` (exact where possible) by symbolic differentiation."""
        key = (f, x)
        if key not in self._grads:
            self._grads[key] = self._grad(f, x)
        return self._grads[key]

    def _grad(self, f: str, x: str) -> Any:
        if f == x:
            return self.sp.Integer(1)
        symbol = self.sp.Dummy("x")
        # what does not depend on x enters as a 60-digit number (fast to differentiate)
        if self._numeric is None:
            self._numeric = {n: self.backend.numeric(v) for n, v in self.values.items()}
        world = dict(self._numeric)
        world[x] = symbol
        for name in self.example.order:
            if name != x and x in self.example.depends[name]:
                world[name] = self._define(name, world)
        derivative = self.sp.diff(world[f], symbol)
        return derivative.subs(symbol, self.values[x])

    def value(self, node: expr.Node, world: Callable[[int], SympyOracle] | None = None) -> Any:
        """The value of a claim's expression in this world; each ``after(n, e)`` in it
        is ``e`` in ``world(n)``."""
        after = None if world is None else (lambda a: world(a.n).value(a.body))
        return evaluate(
            node, self.backend, self.values.__getitem__, lambda g: self.grad(g.f, g.x), after
        )

    def scale(self) -> float:
        """The largest magnitude among the world's values (at least 1)."""
        if self._scale is None:
            if self._numeric is None:
                self._numeric = {n: self.backend.numeric(v) for n, v in self.values.items()}
            self._scale = max([1.0, *(abs(float(v)) for v in self._numeric.values())])
        return self._scale


class EngineOracle:
    """One world on the scalar graph engine.

    Parameters
    ----------
    example : WorkedExample
    givens : mapping of str to float (or SymPy objects with ``symbolic=True``)
    only : str, optional
        Build just the quantities this name needs (and itself).
    symbolic : bool, default False
        SymPy payloads: ``backward()`` then gives gradients as formulas.
    """

    def __init__(
        self,
        example: WorkedExample,
        givens: Mapping[str, Any],
        only: str | None = None,
        symbolic: bool = False,
    ) -> None:
        self.example = example
        self.backend = EngineBackend(symbolic)
        self.nodes: dict[str, graph.Value] = {
            n: graph.Value(v if symbolic else float(v), label=n) for n, v in givens.items()
        }
        needed = None if only is None else example.depends[only] | {only}
        for name in example.order:
            if needed is not None and name not in needed:
                continue
            try:
                node = evaluate(example.define[name], self.backend, self.nodes.__getitem__)
            except DomainError as error:
                raise _fail(example, "define", name, str(error)) from None
            if not node.label:
                node.label = name
            self.nodes[name] = node
        self._grads: dict[str, dict[str, Any]] = {}

    def gradients(self, f: str) -> dict[str, Any]:
        """``d f / d name`` for every name, from one ``f.backward()`` (floats, or
        formulas with ``symbolic=True``)."""
        if f not in self._grads:
            self.nodes[f].backward()
            # a name f does not depend on is outside f's graph: its gradient is 0
            inside = self.example.depends[f] | {f}
            self._grads[f] = {
                name: node.grad if name in inside else 0 for name, node in self.nodes.items()
            }
        return self._grads[f]

    def value(self, node: expr.Node, world: Callable[[int], EngineOracle] | None = None) -> float:
        """A claim's expression in this world, computed on the engine; each
        ``after(n, e)`` in it is ``e`` in ``world(n)``."""
        after = None if world is None else (lambda a: graph.Value(world(a.n).value(a.body)))
        result = evaluate(
            node,
            self.backend,
            self.nodes.__getitem__,
            lambda g: graph.Value(float(self.gradients(g.f)[g.x])),
            after,
        )
        return float(result.data)


class FloatOracle:
    """One world in plain float64, with gradients by central differences.

    The definitions are compiled once (:func:`~nbn.check.backends.compile_floats`),
    so a forward pass costs one closure call per operation.
    """

    def __init__(self, example: WorkedExample, givens: Mapping[str, float]) -> None:
        self.example = example
        self.backend = FloatBackend()
        self.givens = {n: float(v) for n, v in givens.items()}
        self.slots = {name: i for i, name in enumerate(example.names)}
        self.code = [
            (name, self.slots[name], compile_floats(example.define[name], self.slots))
            for name in example.order
        ]
        self.values = self.forward({})

    def forward(self, moved: Mapping[str, Any]) -> dict[str, Any]:
        """Every name's value, with the names in ``moved`` set to the given values
        (floats or arrays: one evaluation per element)."""
        v: list[Any] = [moved.get(n, self.givens.get(n)) for n in self.example.names]
        name = ""
        try:
            with np.errstate(all="raise"):
                for name, slot, code in self.code:
                    v[slot] = moved[name] if name in moved else code(v)
        except (FloatingPointError, ZeroDivisionError, OverflowError) as error:
            raise _fail(
                self.example, "define", name, f"float64 arithmetic fails: {error}"
            ) from None
        return dict(zip(self.example.names, v, strict=True))

    def grad(self, f: str, x: str) -> float:
        """``d f / d x`` by central differences, ``h = 1e-6 * max(1, |x|)``."""
        if f == x:
            return 1.0
        x0 = float(self.values[x])
        h = 1e-6 * max(1.0, abs(x0))
        moved = self.forward({x: np.array([x0 + h, x0 - h])})
        up, down = np.broadcast_to(moved[f], (2,))
        return float((up - down) / (2 * h))

    def value(self, node: expr.Node, world: Callable[[int], FloatOracle] | None = None) -> float:
        """A claim's expression in this world (``grad`` terms by finite differences);
        each ``after(n, e)`` in it is ``e`` in ``world(n)``."""
        after = None if world is None else (lambda a: world(a.n).value(a.body))
        return float(
            evaluate(
                node, self.backend, self.values.__getitem__, lambda g: self.grad(g.f, g.x), after
            )
        )


def agree(
    claim: str,
    exact: Fraction,
    others: Mapping[str, float],
    scale: float,
    tolerances: Mapping[str, float],
) -> None:
    """Raise :class:`OracleDisagreementError` unless every oracle in ``others`` is within
    ``tolerances[name] * max(scale, |exact|)`` of the exact value."""
    reference = float(exact)
    for name, value in others.items():
        bound = tolerances[name] * max(scale, abs(reference), 1.0)
        if not math.isfinite(value) or abs(value - reference) > bound:
            raise OracleDisagreementError(
                f"internal error in nbn: the oracles disagree on {claim!r}: sympy gives "
                f"{reference!r}, {name} gives {value!r} (difference {abs(value - reference):.3g},"
                f" tolerance {bound:.3g}). This is a bug in nbn, not in your file: please "
                "report it with the file."
            )
