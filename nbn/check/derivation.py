"""The author's derivation: each step redone from the author's own stated inputs.

To tell an error *made* in a step from one *carried* into it, every claim is
recomputed from the values the author stated for its direct inputs (the
*recomputation* ``R`` of :mod:`nbn.check.verdict`). Values are looked up in the
author's world, where a quantity's value is:

* its stated value, if a claim states it (a bare name, ``grad(f, x)``, or the
  same inside ``after(n, ...)``; ``"?"`` counts as not stated);
* otherwise, for a given: its exact value (a trained parameter after ``n`` steps:
  one step from world ``n - 1``'s author values, ``p - rate * grad(loss, p)``,
  when some claim of world ``n - 1`` is stated, else the exact run's value);
* otherwise, for a defined quantity: its definition computed from the author's
  values of the names it reads (so an error carries through unstated steps);
* for ``grad(f, x)`` not stated: ``1`` if ``x`` is ``f``, else the chain rule
  ``sum over the quantities c that read x (and lead to f) of
  grad(f, c) * d c / d x``, each ``grad(f, c)`` the author's value and each local
  derivative ``d c / d x`` evaluated at the author's forward values: at the
  values of what ``c`` reads or, in the second recomputation (``own_values``),
  at ``c``'s own value where the derivative is written in it
  (``sigmoid' = c (1 - c)``), as hand derivations do. Either recomputation
  counts (:func:`nbn.check.verdict.judge`).

The recomputation of a claim is its own step done in that world: a defined
quantity's definition, a gradient's chain-rule sum, a parameter's update, or the
claim's expression; its *direct inputs* are the stated claims the step read
(through unstated quantities). Stated values are exact rationals and rational
arithmetic stays exact; irrational intermediate values are carried as 60-digit
SymPy floats (ten digits more than the verdicts read).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from . import expr
from .backends import DomainError, SympyBackend, evaluate, to_fraction
from .load import WorkedExample
from .oracles import SympyOracle

__all__ = ["Derivation", "claim_key"]

Key = tuple[int, tuple[str, ...]]
Traced = tuple[Any, frozenset[int]]


def claim_key(node: expr.Node) -> Key | None:
    """``(steps, ("v", name))`` or ``(steps, ("g", f, x))`` for a claim that states one
    quantity's value, else ``None`` (an expression)."""
    steps = node.n if isinstance(node, expr.After) else 0
    body = node.body if isinstance(node, expr.After) else node
    if isinstance(body, expr.Name):
        return steps, ("v", body.id)
    if isinstance(body, expr.Grad):
        return steps, ("g", body.f, body.x)
    return None


class Derivation:
    """The author's world (see the module docstring).

    Parameters
    ----------
    example : WorkedExample
    exact : callable
        ``exact(n)``: the exact :class:`SympyOracle` of world ``n``.
    own_values : bool, default False
        Evaluate local derivatives written in the node's own value (``c = sigmoid(z)``:
        ``d c / d z = c (1 - c)``; ``exp``: ``c``; ``tanh``: ``1 - c^2``) at the
        author's value of ``c``, as one does by hand, instead of at the author's
        value of ``z``.
    """

    def __init__(
        self,
        example: WorkedExample,
        exact: Callable[[int], SympyOracle],
        own_values: bool = False,
    ) -> None:
        self.example = example
        self.exact = exact
        self.own_values = own_values
        self.backend = SympyBackend()
        self.sp = self.backend.sp
        self.stated: dict[Key, tuple[int, Any]] = {}
        for index, claim in enumerate(example.claims):
            key = claim_key(claim.node)
            if key is not None and claim.stated is not None and key not in self.stated:
                self.stated[key] = (index, self.backend.number(claim.stated.value))
        self.stated_worlds = {steps for steps, _ in self.stated}
        self._memo: dict[Key, Traced] = {}

    # -- the author's values -------------------------------------------------------
    def value(self, name: str, steps: int) -> Traced:
        """The author's value of ``name`` in world ``steps``, and the claims it read."""
        key = (steps, ("v", name))
        if key in self.stated:
            index, value = self.stated[key]
            return value, frozenset({index})
        if key not in self._memo:
            value, used = self._unstated_value(name, steps)
            self._memo[key] = self.backend.numeric(value), used
        return self._memo[key]

    def _unstated_value(self, name: str, steps: int) -> Traced:
        train = self.example.train
        if name in self.example.given:
            if steps and train is not None and name in train.params:
                if steps - 1 in self.stated_worlds:
                    return self.update(name, steps)
                return self.exact(steps).values[name], frozenset()
            return self.backend.number(self.example.given[name].value), frozenset()
        return self.definition(name, steps)

    def definition(self, name: str, steps: int) -> Traced:
        """``name``'s definition computed from the author's values of what it reads."""
        used: set[int] = set()

        def lookup(n: str) -> Any:
            value, reads = self.value(n, steps)
            used.update(reads)
            return value

        value = evaluate(self.example.define[name], self.backend, lookup)
        return value, frozenset(used)

    def update(self, param: str, steps: int) -> Traced:
        """One gradient-descent step from world ``steps - 1``'s author values."""
        train = self.example.train
        if train is None:  # pragma: no cover - after() claims need [train]
            raise DomainError("after(n, e) needs a [train] table")
        value, read_v = self.value(param, steps - 1)
        gradient, read_g = self.grad(train.loss, param, steps - 1)
        rate = self.backend.number(train.learning_rate.value)
        return value - rate * gradient, read_v | read_g

    def grad(self, f: str, x: str, steps: int) -> Traced:
        """The author's value of ``grad(f, x)`` in world ``steps``."""
        key = (steps, ("g", f, x))
        if key in self.stated:
            index, value = self.stated[key]
            return value, frozenset({index})
        if key not in self._memo:
            value, used = self.chain_rule(f, x, steps)
            self._memo[key] = self.backend.numeric(value), used
        return self._memo[key]

    def chain_rule(self, f: str, x: str, steps: int) -> Traced:
        """``sum_c grad(f, c) * d c / d x`` over the quantities ``c`` that read ``x``."""
        if f == x:
            return self.sp.Integer(1), frozenset()
        total: Any = self.sp.Integer(0)
        used: set[int] = set()
        for c in self.example.order:
            if x not in expr.names_in(self.example.define[c]):
                continue
            if c != f and c not in self.example.depends[f]:
                continue
            upstream, read_g = self.grad(f, c, steps)
            local, read_l = self.local(c, x, steps)
            total = total + upstream * local
            used |= read_g | read_l
        return total, frozenset(used)

    def local(self, c: str, x: str, steps: int) -> Traced:
        """``d c / d x`` through ``c``'s definition only, at the author's forward values."""
        used: set[int] = set()

        def lookup(n: str) -> Any:
            value, reads = self.value(n, steps)
            used.update(reads)
            return value

        definition = self.example.define[c]
        local = expr.derivative(definition, x)
        if self.own_values:
            local = expr.replace(local, definition, expr.Name(c))
        return evaluate(local, self.backend, lookup), frozenset(used)

    # -- one claim's step ------------------------------------------------------------
    def recompute(self, index: int) -> tuple[Fraction | None, frozenset[int]]:
        """Claim ``index`` redone from the author's stated inputs: ``(R, direct inputs)``.

        ``R`` is ``None`` when the step cannot be redone from the stated values (a
        stated input outside a function's domain).
        """
        node = self.example.claims[index].node
        steps = node.n if isinstance(node, expr.After) else 0
        body = node.body if isinstance(node, expr.After) else node
        train = self.example.train
        try:
            if isinstance(body, expr.Name):
                name = body.id
                if name in self.example.define:
                    value, used = self.definition(name, steps)
                elif steps and train is not None and name in train.params:
                    value, used = self.update(name, steps)
                else:
                    value, used = self.backend.number(self.example.given[name].value), frozenset()
            elif isinstance(body, expr.Grad):
                value, used = self.chain_rule(body.f, body.x, steps)
            else:
                value, used = self._expression(body, steps)
            return to_fraction(value), used - {index}
        except (DomainError, ZeroDivisionError, TypeError, ValueError):
            return None, frozenset()

    def _expression(self, node: expr.Node, steps: int) -> Traced:
        used: set[int] = set()

        def lookup(n: str) -> Any:
            value, reads = self.value(n, steps)
            used.update(reads)
            return value

        def gradient(g: expr.Grad) -> Any:
            value, reads = self.grad(g.f, g.x, steps)
            used.update(reads)
            return value

        def after(a: expr.After) -> Any:  # e in world n, the rest in this world
            value, reads = self._expression(a.body, a.n)
            used.update(reads)
            return value

        return evaluate(node, self.backend, lookup, gradient, after), frozenset(used)
