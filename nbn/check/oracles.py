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
    WORKING_DIGITS,
    DomainError,
    EngineBackend,
    Float64OverflowError,
    FloatBackend,
    SympyBackend,
    Watch,
    compile_floats,
    evaluate,
    magnitude,
)
from .bounds import MAX_MAGNITUDE, Deadline
from .errors import CheckError, OracleDisagreementError
from .load import WorkedExample

__all__ = [
    "ENGINE_RTOL",
    "FD_RTOL",
    "EngineOracle",
    "FloatOracle",
    "StepAside",
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


class StepAside(Exception):  # noqa: N818 - not an error: an oracle that cannot judge
    """An oracle cannot judge this point (finite differences at a kink or a pole);
    the message says why. The other oracles still judge, and must agree."""


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
        self._partials: dict[tuple[str, str], Any] = {}
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
            elif isinstance(approx, self.sp.Float):
                shown = f"about {magnitude(approx)}"
            else:
                shown = f"{approx}"[:40]
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
        """Forward accumulation, one definition at a time: ``d name / d x`` is the sum over
        the inputs ``n`` a definition reads of ``diff(definition, n) * d n / d x``, each
        ``diff`` SymPy's, at this world's values. A definition is at most
        :data:`~nbn.check.expr.MAX_NODES` nodes, so SymPy never differentiates a chain
        of definitions as one expression (which grows with every link). ``x`` a
        defined name: its own inputs are held fixed (the gradient backpropagation
        leaves at ``x``'s node)."""
        if f == x:
            return self.sp.Integer(1)
        if x not in self.example.depends[f]:  # an entry of an array f does not read
            return self.sp.Integer(0)
        if self._numeric is None:
            self._numeric = {n: self.backend.numeric(v) for n, v in self.values.items()}
        sp = self.sp
        rates: dict[str, Any] = {x: sp.Integer(1)}
        for name in self.example.order:
            if name == x or x not in self.example.depends[name]:
                continue
            if name != f and name not in self.example.depends[f]:
                continue
            if self.deadline is not None:
                self.deadline.check()
            total: Any = sp.Integer(0)
            for n in expr.names_in(self.example.define[name]):
                if n in rates:
                    total = total + self._partial(name, n) * rates[n]
            rates[name] = self.backend.numeric(total)
        return rates[f]

    def _partial(self, name: str, n: str) -> Any:
        """``d name / d n`` through ``name``'s definition only (every other input held),
        by SymPy's ``diff`` at this world's values; remembered, so that the gradients
        of every name (``nbn check --trace``) cost one ``diff`` per edge."""
        key = (name, n)
        if key in self._partials:
            return self._partials[key]
        sp = self.sp
        symbol = sp.Dummy(n)
        if self._numeric is None:
            self._numeric = {n: self.backend.numeric(v) for n, v in self.values.items()}
        local = self._define(name, {**self._numeric, n: symbol})
        # exact where the definition is rational in n; else at a 60-digit value of n,
        # which SymPy evaluates term by term instead of nesting exact expressions
        if local.has(sp.exp, sp.log, sp.tanh):
            point = sp.Float(self.values[n].evalf(WORKING_DIGITS), WORKING_DIGITS)
        else:
            point = self._numeric[n]
        try:
            term = sp.diff(local, symbol).subs(symbol, point)
        except (TypeError, ZeroDivisionError, ValueError) as error:
            raise self._not_differentiable(name, n, str(error)) from None
        if not term.is_number or term.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            what = "undefined" if term.has(sp.nan) else "infinite"
            raise self._not_differentiable(name, n, f"d {name} / d {n} is {what}")
        self._partials[key] = term
        return term

    def _not_differentiable(self, name: str, n: str, why: str) -> DomainError:
        value = self.values[n]
        shown = f"{value}" if isinstance(value, self.sp.Rational) else f"{float(value):.6g}"
        return DomainError(
            f"not differentiable: [define] {name} = {self.example.definition_text[name]!r} "
            f"has no finite derivative with respect to {n} at {n} = {shown} ({why})"
        )

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
        #: the names float64 cannot hold here, and why: the engine steps aside for them
        self.aside: dict[str, str] = {}
        for name in example.order:
            if needed is not None and name not in needed:
                continue
            broken = [n for n in expr.names_in(example.define[name]) if n in self.aside]
            if broken:
                self.aside[name] = self.aside[broken[0]]
                continue
            try:
                node = evaluate(example.define[name], self.backend, self.nodes.__getitem__)
            except Float64OverflowError as error:
                self.aside[name] = f"{error} in [define] {name}"
                continue
            except DomainError as error:
                raise _fail(example, "define", name, str(error)) from None
            if any(node is known for known in self.nodes.values()):
                # a definition that only renames a quantity (a = "x") is a node of its own,
                # so that grad(f, a) is the gradient backpropagation leaves at a, not at x
                node = graph.Value(node.data, name, "=", (node,), (self.backend.one(node),))
            if not node.label:
                node.label = name
            self.nodes[name] = node
        self._grads: dict[str, dict[str, Any]] = {}

    def _step_aside(self, names: list[str]) -> None:
        for name in names:
            if name in self.aside:
                raise StepAside(f"the graph engine computes in float64: {self.aside[name]}")

    def gradients(self, f: str) -> dict[str, Any]:
        """``d f / d name`` for every name, from one ``f.backward()`` (floats, or
        formulas with ``symbolic=True``)."""
        self._step_aside([f])
        if f not in self._grads:
            try:
                self.nodes[f].backward()
            except graph.NotDifferentiableError as error:
                raise StepAside(f"the graph engine cannot backpropagate here: {error}") from None
            # a name f does not depend on is outside f's graph: its gradient is 0
            inside = self.example.depends[f] | {f}
            self._grads[f] = {
                name: node.grad if name in inside else 0 for name, node in self.nodes.items()
            }
        return self._grads[f]

    def value(self, node: expr.Node, world: Callable[[int], EngineOracle] | None = None) -> float:
        """A claim's expression in this world, computed on the engine; each
        ``after(n, e)`` in it is ``e`` in ``world(n)``."""
        self._step_aside(expr.names_in(node))
        try:
            return self._value(node, world)
        except Float64OverflowError as error:
            raise StepAside(f"the graph engine computes in float64: {error}") from None

    def _value(self, node: expr.Node, world: Callable[[int], EngineOracle] | None) -> float:
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
        self.watch: Watch = []
        self.watched = [
            (name, self.slots[name], compile_floats(example.define[name], self.slots, self.watch))
            for name in example.order
        ]
        #: why float64 cannot compute this world (an overflow), if it cannot
        self.broken: str | None = None
        try:
            self.values = self.forward({})
        except CheckError as error:
            self.broken = error.problem
            self.values = {}

    def forward(
        self, moved: Mapping[str, Any], code: list[tuple[str, int, Any]] | None = None
    ) -> dict[str, Any]:
        """Every name's value, with the names in ``moved`` set to the given values
        (floats or arrays: one evaluation per element)."""
        v: list[Any] = [moved.get(n, self.givens.get(n)) for n in self.example.names]
        name = ""
        try:
            with np.errstate(all="raise"):
                for name, slot, run in self.code if code is None else code:
                    v[slot] = moved[name] if name in moved else run(v)
        except (FloatingPointError, ZeroDivisionError, OverflowError) as error:
            raise _fail(
                self.example, "define", name, f"float64 arithmetic fails: {error}"
            ) from None
        return dict(zip(self.example.names, v, strict=True))

    def grad(self, f: str, x: str) -> float:
        """``d f / d x`` by central differences, ``h = 1e-6 * max(1, |x|)``.

        Raises
        ------
        StepAside
            Where central differences cannot judge: the step ``x +- h`` straddles
            relu's kink, reaches a pole (a denominator or a negative power's base
            at 0), leaves a function's domain (log, sqrt, fractional powers), or
            the derivative curves so fast that halving ``h`` moves the estimate by
            more than half its tolerance (:data:`FD_RTOL`).
        """
        if self.broken is not None:
            raise StepAside(f"float64 cannot compute this point: {self.broken}")
        if f == x:
            return 1.0
        x0 = float(self.values[x])
        h = 1e-6 * max(1.0, abs(x0))
        points = np.array([x0 - h, x0 + h, x0 - h / 2, x0 + h / 2])
        near = f"the step {x} = {x0!r} +- {h:.3g}"
        self.watch.clear()
        try:
            moved = self.forward({x: points}, self.watched)
        except CheckError:
            raise StepAside(f"{near} leaves a function's domain") from None
        for kind, text, argument in self.watch:
            a = np.broadcast_to(argument, points.shape)
            if kind == "kink" and bool((a > 0).any()) and bool((a <= 0).any()):
                raise StepAside(f"{near} straddles relu's kink at {text} = 0")
            if kind == "pole" and a.min() <= 0 <= a.max():
                raise StepAside(f"{near} reaches a pole: {text} = 0")
            if kind == "domain" and a.min() <= 0:
                raise StepAside(f"{near} leaves the domain of {text}")
        down, up, half_down, half_up = np.broadcast_to(moved[f], points.shape)
        coarse = float((up - down) / (2 * h))
        fine = float((half_up - half_down) / h)
        # the central difference's truncation error is ~ (4/3)|coarse - fine| (h^2 term)
        bound = FD_RTOL / 2 * max(1.0, abs(coarse), abs(float(self.values[f])))
        if not abs(coarse - fine) * 4 / 3 <= bound:
            raise StepAside(
                f"{near} is too coarse: the derivative changes too fast there "
                f"(halving h moves it from {coarse!r} to {fine!r})"
            )
        return coarse

    def value(self, node: expr.Node, world: Callable[[int], FloatOracle] | None = None) -> float:
        """A claim's expression in this world (``grad`` terms by finite differences);
        each ``after(n, e)`` in it is ``e`` in ``world(n)``."""
        if self.broken is not None:
            raise StepAside(f"float64 cannot compute this point: {self.broken}")
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
