"""Exact values after training: ``after(n, e)`` judged on a proven value, not on float64.

The float64 runs of :mod:`nbn.check.train` drift by rounding at every step, so
their value of ``after(n, e)`` cannot decide a verdict at a rounding boundary (an
exact tie such as 0.55875 stated to four decimals) or against a fraction
(``"28/15"``). This module computes the trained worlds again, in one of two ways:

* **exact rationals** where the values are rational: ``+ - * /``, integer
  powers and ``relu`` of rational givens at a rational learning rate keep every
  value an exact fraction, each bounded by :data:`RATIONAL_BITS` (a power's size
  is estimated before it is computed, every other result checked as it is made:
  its operands are within the budget, so its work is bounded);
* **balls** elsewhere (:class:`Balls`): midpoint-radius intervals of Arb
  (python-flint), each a proven enclosure of its exact value, for ``exp``,
  ``sigmoid``, a fractional power..., or a fraction past the budget. An exact 0
  or 1 stays exact through products, so a parameter whose gradient is exactly
  zero keeps its exact value. Balls start at :data:`PRECISION` bits; a run is
  accepted once every trained parameter is known to :data:`RELATIVE_RADIUS`
  relative. The radius grows with the steps (interval arithmetic cannot see
  that a descent step contracts), by a number of bits per step that depends on
  the network: a run stops as soon as a radius passes :data:`GIVE_UP_RADIUS`
  and is redone at twice the precision, up to :data:`MAX_PRECISION`.

A verdict is then decided on the enclosure: :func:`decide` accepts it only when
no rounding boundary of the stated digits lies in it (then every value in it
gets the same verdict); otherwise the run is redone at four times the precision,
and if the boundary is still inside at :data:`MAX_PRECISION` (a value that is
exactly on it, computed through a ball), the checker says it cannot decide (a
:class:`~nbn.check.errors.CheckError`), never guesses.

This is a fourth oracle, written separately from the other three: its own
reverse-mode tape (:class:`Tape`) for the gradients and its own walk of a
claim's expression (which world each ``after`` is read in). It shares only the
parsed tree (:mod:`nbn.check.expr`) and the file (:mod:`nbn.check.load`) with
them, so a bug in :func:`nbn.check.backends.evaluate` or in one oracle's world
lookup makes it disagree with the float64 oracles instead of agreeing unseen.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import expr
from .bounds import Deadline
from .errors import CheckError
from .load import WorkedExample
from .numbers import Printed

__all__ = [
    "MAX_PRECISION",
    "PRECISION",
    "RATIONAL_BITS",
    "RELATIVE_RADIUS",
    "Balls",
    "ExactWorlds",
    "Tape",
    "UndecidableError",
    "decide",
]

#: Largest numerator or denominator of an exact rational during training, in bits.
#: A step of a quadratic loss adds a few bits (``L = (1 - w)**2 / 2`` at rate 0.4:
#: about 2.3 bits a step); a loss of higher degree multiplies them, so exact runs
#: are for short runs and simple losses; past the budget the run uses balls.
RATIONAL_BITS = 4096
#: First working precision of the balls, in bits (float64 has 53). A run whose
#: enclosure is too wide is redone at the precision its radius asks for.
PRECISION = 256
#: Highest working precision tried, in bits.
MAX_PRECISION = 8192
#: A ball run stops early once a radius passes this (relative): its growth rate is known.
GIVE_UP_RADIUS = Fraction(1, 2**20)
#: A ball run is accepted once every parameter's radius is at most this times
#: ``max(1, |midpoint|)`` (about 6e-52): the midpoint then has the 50 significant
#: digits the checker reports for irrational values, far below any printed digit.
RELATIVE_RADIUS = Fraction(1, 2**170)


class UndecidableError(ArithmeticError):
    """A value the enclosure cannot decide (a ball holding 0 under ``log`` or ``relu``)."""


class _TooWideError(ArithmeticError):
    """A ball run whose radius passed :data:`GIVE_UP_RADIUS` at ``step``."""

    def __init__(self, step: int) -> None:
        super().__init__(f"the enclosure grew too wide at step {step}")
        self.step = step


_ONE = Fraction(1)


def _bits(q: Fraction) -> int:
    return max(q.numerator.bit_length(), q.denominator.bit_length())


class Balls:
    """Exact rationals where they can be, Arb balls at ``precision`` bits elsewhere.

    A value is a ``Fraction`` (exact) or an ``arb`` ball (enclosing the exact
    value). Two fractions give a fraction through ``+ - * /``, integer powers and
    ``relu`` while it stays within ``budget`` bits (every fraction on hand is
    within it, so one operation's work is bounded, and its result is checked; a
    power's size is estimated before it is computed); anything else is a ball.
    Multiplying by an exact 0 or 1, or adding an exact 0, leaves the other value
    as it is: a parameter whose gradient is exactly zero (a relu at rest, an
    input of 0) keeps its exact value through every step.
    """

    def __init__(self, precision: int, budget: int = RATIONAL_BITS) -> None:
        import flint

        self.flint = flint
        self.precision = precision
        self.budget = budget
        #: whether relu met an argument of exactly 0 (its kink): float64 runs of the
        #: same file may have seen a rounding of 0 there and taken the other side
        self.met_kink = False
        self._balls: dict[Fraction, Any] = {}
        with self.working():
            self.one = self.ball(_ONE)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Arb's precision is global: set it for the computation, restore it after."""
        ctx = self.flint.ctx
        previous = ctx.prec
        ctx.prec = self.precision
        try:
            yield
        finally:
            ctx.prec = previous

    # type(x) is Fraction, not isinstance: Fraction's ABC makes isinstance slow, and
    # this runs a few hundred thousand times per thousand steps of a small network
    def ball(self, x: Any) -> Any:
        """``x`` as a ball (a fraction rounded outward at this precision)."""
        if type(x) is not Fraction:
            return x
        cached = self._balls.get(x)
        if cached is None:
            cached = self._balls[x] = self.flint.arb(self.flint.fmpq(x.numerator, x.denominator))
        return cached

    def _exact(self, q: Fraction) -> Any:
        return q if _bits(q) <= self.budget else self.ball(q)

    @staticmethod
    def _finite(v: Any, what: str) -> Any:
        if not v.is_finite():
            raise UndecidableError(f"{what}: the enclosure is not finite")
        return v

    def number(self, q: Fraction) -> Any:
        return self._exact(q)

    def add(self, a: Any, b: Any) -> Any:
        exact_a, exact_b = type(a) is Fraction, type(b) is Fraction
        if exact_a and exact_b:
            return self._exact(a + b)
        if exact_a and not a.numerator:
            return b
        if exact_b and not b.numerator:
            return a
        return self.ball(a) + self.ball(b)

    def sub(self, a: Any, b: Any) -> Any:
        exact_a, exact_b = type(a) is Fraction, type(b) is Fraction
        if exact_a and exact_b:
            return self._exact(a - b)
        if exact_b and not b.numerator:
            return a
        if exact_a and not a.numerator:
            return -b
        return self.ball(a) - self.ball(b)

    def mul(self, a: Any, b: Any) -> Any:
        exact_a, exact_b = type(a) is Fraction, type(b) is Fraction
        if exact_a and exact_b:
            return self._exact(a * b)
        if (exact_a and not a.numerator) or (exact_b and not b.numerator):
            return Fraction(0)
        if exact_a and a.denominator == 1 and a.numerator in (1, -1):
            return b if a.numerator == 1 else -b
        if exact_b and b.denominator == 1 and b.numerator in (1, -1):
            return a if b.numerator == 1 else -a
        return self.ball(a) * self.ball(b)

    def div(self, a: Any, b: Any) -> Any:
        if type(b) is Fraction:
            if b == 0:
                raise UndecidableError("division by zero")
            if type(a) is Fraction:
                return self._exact(a / b)
        elif b.contains(0):
            raise UndecidableError("a divisor's enclosure contains 0")
        return self._finite(self.ball(a) / self.ball(b), "division")

    def power(self, a: Any, q: Fraction) -> tuple[Any, Any]:
        """``a ** q`` and its derivative ``q a ** (q - 1)``."""
        if q == 0:
            return Fraction(1), Fraction(0)
        if q.denominator == 1:
            n = q.numerator
            if type(a) is Fraction:
                if a == 0 and n < 1:
                    raise UndecidableError(f"division by zero (0 ** {n})")
                if abs(n) * _bits(a) <= self.budget:
                    return a**n, n * a ** (n - 1)
            elif n < 1 and a.contains(0):
                raise UndecidableError(f"** {n} of an enclosure containing 0")
            ball = self.ball(a)
            return ball**n, n * ball ** (n - 1)
        root = _exact_sqrt(a) if type(a) is Fraction and q.denominator == 2 else None
        if root is not None and root and abs(q.numerator) * _bits(root) <= self.budget:
            value = root**q.numerator  # a ** (n/2) of a perfect square: exact
            return value, q * value / a
        ball = self.ball(a)
        if not ball > 0:
            raise UndecidableError(f"** {q} of an enclosure not above 0")
        value = ball ** self.ball(q)
        return value, self.ball(q) * value / ball

    def call(self, func: str, a: Any) -> tuple[Any, Any]:
        """``func(a)`` and its derivative."""
        if func == "relu":  # exact on a fraction; 0 at exactly 0, as the engine takes it
            if type(a) is Fraction:
                self.met_kink = self.met_kink or a == 0
                return (a, Fraction(1)) if a > 0 else (Fraction(0), Fraction(0))
            if a > 0:
                return a, Fraction(1)
            if a < 0 or a == 0:
                self.met_kink = self.met_kink or a == 0
                return Fraction(0), Fraction(0)
            raise UndecidableError("relu of an enclosure containing 0")
        if type(a) is Fraction:
            exact = _exact_call(func, a)
            if exact is not None:
                return exact
        x = self.ball(a)
        one = self.one
        if func == "exp":
            v = self._finite(x.exp(), "exp")
            return v, v
        if func == "sigmoid":
            v = one / (one + self._finite((-x).exp(), "sigmoid"))
            return v, v * (one - v)  # s' = s (1 - s)
        if func == "tanh":
            v = x.tanh()
            return v, one - v * v  # tanh' = 1 - t^2
        if not x > 0:
            raise UndecidableError(f"{func} of an enclosure not above 0")
        if func == "log":
            return x.log(), one / x
        v = x.sqrt()  # sqrt
        return v, one / (2 * v)

    def too_wide(self, a: Any) -> bool:
        """The radius is past :data:`GIVE_UP_RADIUS` relative to ``max(1, |a|)``."""
        if type(a) is Fraction:
            return False
        limit = self.ball(GIVE_UP_RADIUS) * (abs(a.mid()) + 1)
        return bool(a.rad() > limit) or not a.is_finite()

    def to_interval(self, a: Any) -> tuple[Fraction, Fraction]:
        """The value as exact rational endpoints (equal for a fraction)."""
        if type(a) is Fraction:
            return a, a
        mid, rad = (self._fraction(x) for x in (a.mid(), a.rad()))
        return mid - rad, mid + rad

    @staticmethod
    def _fraction(point: Any) -> Fraction:
        mantissa, exponent = point.man_exp()
        m, e = int(mantissa), int(exponent)
        return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2**-e)


Arithmetic = Balls


def _exact_sqrt(a: Fraction) -> Fraction | None:
    """The square root of ``a`` if it is a fraction (``a`` a perfect square), else None."""
    if a < 0:
        return None
    p, q = math.isqrt(a.numerator), math.isqrt(a.denominator)
    return Fraction(p, q) if p * p == a.numerator and q * q == a.denominator else None


def _exact_call(func: str, a: Fraction) -> tuple[Fraction, Fraction] | None:
    """``func(a)`` and its derivative where both are fractions, else None: the values
    an input at rest produces (``sigmoid(0) = 1/2``, ``exp(0) = 1``, ``sqrt(1) = 1``)."""
    if func == "sqrt":
        root = _exact_sqrt(a)
        return None if not root else (root, 1 / (2 * root))  # sqrt' = 1 / (2 sqrt)
    if func == "exp" and a == 0:
        return Fraction(1), Fraction(1)
    if func == "log" and a == 1:
        return Fraction(0), Fraction(1)
    if func == "sigmoid" and a == 0:
        return Fraction(1, 2), Fraction(1, 4)  # s (1 - s) at s = 1/2
    if func == "tanh" and a == 0:
        return Fraction(0), Fraction(1)  # 1 - t^2 at t = 0
    return None


class Tape:
    """A reverse-mode tape: each value with its parents and local derivatives.

    :meth:`node` evaluates a tree onto the tape; :meth:`backward` gives the
    derivative of one value with respect to every value on the tape (the total
    derivative through every path, as backpropagation computes it).
    """

    def __init__(self, arithmetic: Arithmetic) -> None:
        self.a = arithmetic
        self.values: list[Any] = []
        self.parents: list[tuple[tuple[int, Any], ...]] = []
        self.one = arithmetic.number(Fraction(1))
        self.minus_one = arithmetic.number(Fraction(-1))
        self.zero = arithmetic.number(Fraction(0))
        self._constants: dict[int, Any] = {}  # by id of the Num node: no Fraction hashing

    def push(self, value: Any, parents: tuple[tuple[int, Any], ...] = ()) -> int:
        if len(parents) == 2 and parents[0][0] == parents[1][0]:
            # one value read twice (g - g, g * g): add the local derivatives first, so
            # that g - g has the exact derivative 1 - 1 = 0, not X - X of a ball X
            parents = ((parents[0][0], self.a.add(parents[0][1], parents[1][1])),)
        self.values.append(value)
        self.parents.append(parents)
        return len(self.values) - 1

    def node(
        self,
        tree: expr.Node,
        slot: Callable[[str], int],
        leaf: Callable[[expr.Grad | expr.After], Any] | None = None,
    ) -> int:
        """Evaluate ``tree`` onto the tape; names read from ``slot``; ``grad`` and
        ``after`` terms (claims only) become leaves valued by ``leaf``."""
        a, v = self.a, self.values
        if isinstance(tree, expr.Num):
            constant = self._constants.get(id(tree))
            if constant is None:
                constant = self._constants[id(tree)] = a.number(tree.value)
            return self.push(constant)
        if isinstance(tree, expr.Name):
            return slot(tree.id)
        if isinstance(tree, expr.Unary):
            inner = self.node(tree.operand, slot, leaf)
            if tree.op == "+":
                return inner
            return self.push(a.sub(self.zero, v[inner]), ((inner, self.minus_one),))
        if isinstance(tree, expr.Binary):
            left = self.node(tree.left, slot, leaf)
            if tree.op == "**":
                value, local = a.power(v[left], expr.constant_value(tree.right, "the exponent"))
                return self.push(value, ((left, local),))
            right = self.node(tree.right, slot, leaf)
            x, y = v[left], v[right]
            if tree.op == "+":
                return self.push(a.add(x, y), ((left, self.one), (right, self.one)))
            if tree.op == "-":
                difference = Fraction(0) if left == right else a.sub(x, y)  # g - g is 0
                return self.push(difference, ((left, self.one), (right, self.minus_one)))
            if tree.op == "*":
                return self.push(a.mul(x, y), ((left, y), (right, x)))
            quotient = a.div(x, y)  # d(x/y) = dx / y - (x/y) dy / y
            one_over = a.div(self.one, y)
            return self.push(
                quotient, ((left, one_over), (right, a.sub(self.zero, a.mul(quotient, one_over))))
            )
        if isinstance(tree, expr.Call):
            arg = self.node(tree.arg, slot, leaf)
            value, local = a.call(tree.func, v[arg])
            return self.push(value, ((arg, local),))
        if leaf is None:
            raise UndecidableError(f"{expr.to_text(tree)} is allowed in [claims] only")
        if not isinstance(tree, (expr.Grad, expr.After)):  # arrays are expanded first
            raise UndecidableError(f"{expr.to_text(tree)} is not expanded to its entries")
        return self.push(leaf(tree))

    def backward(self, out: int) -> list[Any]:
        """``d values[out] / d values[k]`` for every ``k`` (``0`` where none flows)."""
        a = self.a
        adjoint: list[Any] = [None] * (out + 1)
        adjoint[out] = self.one
        for k in range(out, -1, -1):
            upstream = adjoint[k]
            if upstream is None:
                continue
            for parent, local in self.parents[k]:
                flow = a.mul(upstream, local)
                adjoint[parent] = flow if adjoint[parent] is None else a.add(adjoint[parent], flow)
        return [self.zero if g is None else g for g in adjoint]


@dataclass
class _World:
    tape: Tape
    slots: dict[str, int]
    grads: dict[str, list[Any]]


class ExactWorlds:
    """The trained worlds, exact or enclosed, and claims' values in them.

    Parameters
    ----------
    example : WorkedExample
        With a ``[train]`` table.
    steps : iterable of int
        The worlds the claims read.
    deadline : Deadline, optional

    Raises
    ------
    CheckError
        Naming ``[train]`` when no precision tried encloses the run (an enclosure
        straddling a kink of relu, or the radius growing too fast).
    """

    def __init__(
        self, example: WorkedExample, steps: Iterable[int], deadline: Deadline | None = None
    ) -> None:
        self.example = example
        self.deadline = deadline
        self.keep = set(steps) | {0}
        self._worlds: dict[int, _World] = {}
        try:
            self.arithmetic = Balls(PRECISION)
        except ImportError:  # a dependency of nbn, but an install may lack it
            raise CheckError(
                example.file,
                "train",
                None,
                "expected python-flint to be installed (it encloses the values after "
                "training), got none: pip install python-flint",
            ) from None
        self._run_balls(PRECISION)

    @property
    def kind(self) -> str:
        """``"rational"`` when every trained value is an exact fraction, else ``"ball"``."""
        exact = all(isinstance(v, Fraction) for s in self.states.values() for v in s.values())
        return "rational" if exact else "ball"

    def _run_balls(self, precision: int) -> None:
        reason = ""
        while precision <= MAX_PRECISION:
            self.arithmetic = Balls(precision)
            self._worlds = {}
            try:
                with self.arithmetic.working():
                    self.states = self._descend()
                widest = self._widest(self.states)
                if widest <= RELATIVE_RADIUS:
                    return
                reason = f"the enclosure is wider than 2^-170 relative even at {precision} bits"
                # the radius shrinks like 2^-precision: ask for what this run lacked
                precision = max(2 * precision, precision + _log2(widest / RELATIVE_RADIUS) + 32)
            except _TooWideError as error:
                # the radius grows fastest early in a run, so a measured rate overstates
                # what the whole run needs: twice the precision, until it is enough
                reason = f"{error} even at {precision} bits"
                precision *= 2
        raise CheckError(
            self.example.file,
            "train",
            "learning_rate",
            f"cannot decide the values after training: {reason}; expected a run nbn can "
            f"enclose within {MAX_PRECISION} bits (fewer steps, or no relu input at exactly "
            "its kink)",
            self.example.line("train", "learning_rate"),
        )

    def refine(self) -> bool:
        """Run again at four times the precision (at most :data:`MAX_PRECISION`);
        False once at :data:`MAX_PRECISION`. (An exact run gives the same fractions
        again, but the balls of a claim's irrational parts are then narrower.)"""
        if self.arithmetic.precision >= MAX_PRECISION:
            return False
        self._run_balls(min(4 * self.arithmetic.precision, MAX_PRECISION))
        return True

    @property
    def precision(self) -> int:
        """The working precision of the balls, in bits."""
        return self.arithmetic.precision

    def _widest(self, states: dict[int, dict[str, Any]]) -> Fraction:
        """The largest radius of a trained parameter, relative to ``max(1, |value|)``."""
        widest = Fraction(0)
        for state in states.values():
            for value in state.values():
                low, high = self.arithmetic.to_interval(value)
                size = max(Fraction(1), abs(low), abs(high))
                widest = max(widest, (high - low) / 2 / size)
        return widest

    def _world(self, givens: dict[str, Any], names: Iterable[str]) -> _World:
        tape = Tape(self.arithmetic)
        slots = {n: tape.push(v) for n, v in givens.items()}
        for name in names:
            slots[name] = tape.node(self.example.define[name], slots.__getitem__)
        return _World(tape, slots, {})

    def _descend(self) -> dict[int, dict[str, Any]]:
        example, a = self.example, self.arithmetic
        train = example.train
        if train is None:  # pragma: no cover - the loader requires [train] for after()
            raise CheckError(example.file, None, "train", "expected a [train] table, got none")
        rate = a.number(train.learning_rate.value)
        fixed = {n: a.number(g.value) for n, g in example.given.items() if n not in train.params}
        params = {p: a.number(example.given[p].value) for p in train.params}
        needed = [n for n in example.order if n == train.loss or n in example.depends[train.loss]]
        last = max(self.keep)
        states: dict[int, dict[str, Any]] = {}
        for step in range(last + 1):
            if step in self.keep:
                states[step] = dict(params)
            if step == last:
                break
            if step % 8 == 0:
                if self.deadline is not None:
                    self.deadline.check()
                if any(a.too_wide(v) for v in params.values()):
                    raise _TooWideError(step)
            try:
                world = self._world({**fixed, **params}, needed)
                adjoint = world.tape.backward(world.slots[train.loss])
            except UndecidableError:  # a ball grown over a pole or a kink: more bits
                raise _TooWideError(step) from None
            params = {p: a.sub(v, a.mul(rate, adjoint[world.slots[p]])) for p, v in params.items()}
        return states

    def givens(self, steps: int) -> dict[str, Fraction]:
        """World ``steps``'s givens as rationals for the SymPy oracle and the
        recomputations: exact where short, else rounded to 256 bits (far inside
        :data:`RELATIVE_RADIUS`, and short enough that SymPy's exact arithmetic
        on them stays within :data:`nbn.check.bounds.MAX_BITS`)."""
        values = {n: g.value for n, g in self.example.given.items()}
        for name, value in self.states[steps].items():
            low, high = self.arithmetic.to_interval(value)
            mid = (low + high) / 2
            short = low == high and _bits(mid) <= 256
            values[name] = mid if short else Fraction(round(mid * 2**256), 2**256)
        return values

    def enclosure(self, claim: expr.Node) -> tuple[Fraction, Fraction]:
        """The claim's value as ``(low, high)``: equal when exact, else a proven interval.

        Each ``after(n, e)`` in the claim is ``e`` in world ``n``; everything around
        it is read in world 0 (the file's givens).

        Raises
        ------
        UndecidableError
            Where the enclosure holds a point outside a function's domain or a kink.
        """
        return self._enclosure(claim)

    def _enclosure(self, claim: expr.Node) -> tuple[Fraction, Fraction]:
        with self.arithmetic.working():
            world = self._claim_world(0)
            out = world.tape.node(claim, world.slots.__getitem__, self._leaf(world))
            return self.arithmetic.to_interval(world.tape.values[out])

    def _claim_world(self, steps: int) -> _World:
        if steps not in self._worlds:
            given = {n: self.arithmetic.number(g.value) for n, g in self.example.given.items()}
            given.update(self.states[steps])
            self._worlds[steps] = self._world(given, self.example.order)
        return self._worlds[steps]

    def _leaf(self, world: _World) -> Callable[[expr.Grad | expr.After], Any]:
        def leaf(term: expr.Grad | expr.After) -> Any:
            if isinstance(term, expr.After):
                inner = self._claim_world(term.n)
                out = inner.tape.node(term.body, inner.slots.__getitem__, self._leaf(inner))
                return inner.tape.values[out]
            if term.f not in world.grads:
                world.grads[term.f] = world.tape.backward(world.slots[term.f])
            adjoint = world.grads[term.f]
            slot = world.slots[term.x]
            return adjoint[slot] if slot < len(adjoint) else self.arithmetic.number(Fraction(0))

        return leaf


def _log2(x: Fraction) -> int:
    """``ceil(log2(x))`` for ``x > 0``, exactly enough for choosing a precision."""
    return max(0, math.ceil(math.log2(x.numerator) - math.log2(x.denominator)))


def decide(stated: Printed | None, low: Fraction, high: Fraction) -> Fraction | None:
    """A value of ``[low, high]`` whose verdict every value of it shares, or ``None``.

    The verdict on a stated ``S`` with unit ``u`` changes only where the exact
    value crosses ``S - u, S - u/2, S + u/2`` or ``S + u`` (rounding, truncation
    and the one-unit rule of :mod:`nbn.check.verdict`); a value stated exactly
    (an integer or a fraction) changes only at ``S``. An interval holding none
    of these points decides the verdict; one holding a point (a tie, or a value
    too close to it) does not, unless it is that single point.
    """
    mid = (low + high) / 2
    if stated is None or low == high:
        return mid
    s, u = stated.value, stated.unit
    # S itself is no boundary for a stated unit: it lies inside [S - u/2, S + u/2],
    # where the first rule (agrees) holds whatever else does
    boundaries = [s] if u is None else [s - u, s - u / 2, s + u / 2, s + u]
    if any(low <= b <= high for b in boundaries):
        return None
    return mid
