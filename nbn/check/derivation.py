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

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from . import expr
from .arrays import entry_name
from .backends import DomainError, SympyBackend, evaluate, to_fraction
from .load import WorkedExample
from .lower import Lowering
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
        activation_at_input: bool = False,
    ) -> None:
        self.example = example
        self.exact = exact
        self.own_values = own_values
        self.activation_at_input = activation_at_input
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
            # what name reads first, in computing order: each lookup below is then one
            # step deep, never a recursion as long as the chain of definitions
            for before in self.example.order:
                if before in self.example.depends[name]:
                    self._remember(before, steps)
            self._remember(name, steps)
        return self._memo[key]

    def _remember(self, name: str, steps: int) -> None:
        key = (steps, ("v", name))
        if key not in self.stated and key not in self._memo:
            value, used = self._unstated_value(name, steps)
            self._memo[key] = self.backend.numeric(value), used

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
        value, gradient, rate, used = self.update_parts(param, steps)
        return value - rate * gradient, used

    def update_parts(self, param: str, steps: int) -> tuple[Any, Any, Any, frozenset[int]]:
        """The parts of :meth:`update`: the author's ``p`` and ``grad(loss, p)`` in
        world ``steps - 1``, the learning rate, and the claims they read."""
        train = self.example.train
        if train is None:  # pragma: no cover - after() claims need [train]
            raise DomainError("after(n, e) needs a [train] table")
        value, read_v = self.value(param, steps - 1)
        gradient, read_g = self.grad(train.loss, param, steps - 1)
        rate = self.backend.number(train.learning_rate.value)
        return value, gradient, rate, read_v | read_g

    def grad(self, f: str, x: str, steps: int) -> Traced:
        """The author's value of ``grad(f, x)`` in world ``steps``."""
        key = (steps, ("g", f, x))
        if key in self.stated:
            index, value = self.stated[key]
            return value, frozenset({index})
        if key not in self._memo:
            # the gradients nearer f first (reverse computing order), so that each
            # chain-rule sum reads remembered values instead of recursing toward f
            for c in reversed(self.example.order):
                if c != x and x in self.example.depends[c] and c in self.example.depends[f]:
                    self._remember_grad(f, c, steps)
            self._remember_grad(f, x, steps)
        return self._memo[key]

    def _remember_grad(self, f: str, x: str, steps: int) -> None:
        key = (steps, ("g", f, x))
        if key not in self.stated and key not in self._memo:
            value, used = self.chain_rule(f, x, steps)
            self._memo[key] = self.backend.numeric(value), used

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
        activation = isinstance(definition, expr.Call) and definition.func in ("sigmoid", "tanh")
        if self.activation_at_input and isinstance(definition, expr.Call) and activation:
            local = expr.replace(local, definition, definition.arg)
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

    def redo(
        self,
        node: expr.Node,
        steps: int = 0,
        override: Mapping[str, Sequence[Sequence[Fraction]]] | None = None,
    ) -> tuple[tuple[int, ...], list[Fraction | None]]:
        """Any expression (a claim's, or a variant of it) evaluated in the author's
        world ``steps``, from the author's stated values: its shape and its entries.

        This is how a claim's step is redone (``node`` as written in the file, arrays
        and all), so a modified step (a slip to test) is redone the same way. An
        entry is ``None`` where the step cannot be redone (a stated input outside a
        function's domain).

        Parameters
        ----------
        node : expr.Node
        steps : int
            The world (``after(steps, ...)``).
        override : mapping of str to rows of Fraction, optional
            Matrices (each a sequence of rows) that ``node`` reads *instead of* the
            author's values of those names, e.g. one transposed; their shapes may
            differ from the names' own. Only ``node`` itself reads them: quantities
            it reads through other names keep the author's values.

        Raises
        ------
        nbn.check.shapes.ShapeError
            ``node``'s shapes do not fit (a ``ValueError``).
        """
        if self.example.arrays is None:
            entries: list[expr.Node] = [node]
            shape: tuple[int, ...] = ()
        else:
            shapes = dict(self.example.arrays.shapes)
            for name, rows in (override or {}).items():
                shapes[name] = (len(rows), len(rows[0]) if rows else 0)
            shape, entries = Lowering(shapes.__getitem__).lower(node)
        replaced = {
            entry_name(name, (i, j)): self.backend.number(x)
            for name, rows in (override or {}).items()
            for i, row in enumerate(rows)
            for j, x in enumerate(row)
        }

        def lookup(n: str) -> Any:
            return replaced[n] if n in replaced else self.value(n, steps)[0]

        def gradient(g: expr.Grad) -> Any:
            return self.grad(g.f, g.x, steps)[0]

        values: list[Fraction | None] = []
        for entry in entries:
            try:
                values.append(to_fraction(evaluate(entry, self.backend, lookup, gradient)))
            except (DomainError, ZeroDivisionError, TypeError, ValueError):
                values.append(None)
        return shape, values

    def expression(self, node: expr.Node, steps: int) -> Traced:
        """An expression (of names and ``grad`` terms) in the author's world ``steps``."""
        return self._expression(node, steps)

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
