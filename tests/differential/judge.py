"""The verdict rules of docs/check.md, implemented again from the documentation.

Nothing here is imported from nbn. A stated value is parsed by :func:`printed`
(ASCII digits only; a stated integer such as ``"0"`` or ``"-3"`` means exactly that
integer, as a fraction ``"28/15"`` means exactly that fraction: neither has a unit
of the last digit). The *author's world* (:class:`Author`) redoes every step from
the author's own stated values as the documentation describes (a quantity stated
takes its stated value; an unstated given its exact value, or one descent step
from the author's previous world; an unstated definition is computed from the
author's values; an unstated gradient by the chain rule over the quantities that
read ``x``, each local derivative at the author's forward values, or, in the
second recomputation, in the node's own value for ``sigmoid``, ``exp``, ``tanh``
and ``sqrt``). :func:`verdict` applies the rules in their documented order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from .evaluator import (
    Dual,
    Example,
    Scalar,
    Tree,
    UndefinedError,
    World,
    const,
    div,
    evaluate,
    exact,
    function,
    mul,
    names_in,
    sub,
    train,
)
from .evaluator import add as add_scalar

_DECIMAL = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_FRACTION = re.compile(r"^([+-]?[0-9]+)/([0-9]+)$")

#: An irrational value this close (relative) to a rounding boundary is not judged:
#: 50 digits (nbn) and 70 (here) cannot honestly disagree that far from it.
ILL_CONDITIONED = Fraction(1, 10**30)


class IllConditionedError(Exception):
    """A value within 1e-30 (relative) of a boundary the verdict turns on."""


@dataclass(frozen=True)
class Stated:
    value: Fraction
    unit: Fraction | None  # None: an exact integer or fraction


def printed(text: str) -> Stated:
    """A stated value as the author printed it (generator output only: well-formed)."""
    text = text.strip()
    if _INTEGER.match(text):
        return Stated(Fraction(int(text)), None)
    fraction = _FRACTION.match(text)
    if fraction:
        return Stated(Fraction(int(fraction.group(1)), int(fraction.group(2))), None)
    match = _DECIMAL.match(text)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    sign, whole, frac, exponent = match.groups()
    frac = frac or ""
    unit = Fraction(10) ** (int(exponent or 0) - len(frac))
    value = int((whole or "0") + frac) * unit
    return Stated(-value if sign == "-" else value, unit)


def _guard(x: Scalar, unit: Fraction | None, stated: Fraction) -> Fraction:
    """``x`` as a fraction, refusing an irrational one too close to a boundary."""
    value = exact(x)
    if isinstance(x, Fraction):
        return value
    scale = max(abs(value), unit or abs(stated), Fraction(1, 10**40))
    if unit is None:
        if abs(value - stated) <= ILL_CONDITIONED * scale:
            raise IllConditionedError(x)
        return value
    half = unit / 2
    distance = abs(value / half - round(value / half)) * half
    if distance <= ILL_CONDITIONED * scale:
        raise IllConditionedError(x)
    return value


def rounds(s: Stated, x: Fraction) -> bool:
    if s.unit is None:
        return s.value == x
    # s rounds x when |s - x| <= u/2 (a tie: both neighbours)
    return s.value % s.unit == 0 and abs(s.value - x) <= s.unit / 2


def truncates(s: Stated, x: Fraction) -> bool:
    if s.unit is None:
        return False
    cut = (abs(x) // s.unit) * s.unit
    return s.value == (cut if x >= 0 else -cut)


def within(s: Stated, x: Fraction) -> bool:
    return s.unit is not None and abs(s.value - x) < s.unit


def matches(s: Stated, x: Fraction) -> bool:
    return rounds(s, x) or truncates(s, x) or within(s, x)


def verdict(s: Stated, exact_value: Scalar, redone: list[tuple[Scalar | None, list[str]]]) -> str:
    """The documented rules 1-6, in order."""
    e = _guard(exact_value, s.unit, s.value)
    if rounds(s, e):
        return "agrees"
    if truncates(s, e):
        return "truncated"
    hits = []
    for r, input_verdicts in redone:
        if r is None or not input_verdicts:
            continue
        if matches(s, _guard(r, s.unit, s.value)):
            hits.append(all(v == "agrees" for v in input_verdicts))
    if any(not inputs_agree for inputs_agree in hits):
        return "carried"
    if within(s, e):
        return "last-digit"
    if hits:
        return "carried"
    return "wrong"


Key = tuple[int, tuple[str, ...]]


def claim_key(tree: Tree) -> Key | None:
    steps, body = (tree[1], tree[2]) if tree[0] == "after" else (0, tree)
    if body[0] == "name":
        return steps, ("v", body[1])
    if body[0] == "grad":
        return steps, ("g", body[1], body[2])
    return None


_OWN = ("sigmoid", "exp", "tanh", "sqrt")


def _owns(tree: Tree) -> bool:
    """A definition whose local derivative a hand derivation writes in its own value:
    ``sigmoid' = c (1 - c)``, ``exp' = c``, ``tanh' = 1 - c**2``, ``sqrt' = 1 / (2 c)``,
    and a quotient ``c = a / b``, ``dc = (da - c db) / b``."""
    return (tree[0] == "call" and tree[1] in _OWN) or (tree[0] == "bin" and tree[1] == "/")


def needs(tree: Tree, x: str, own: str | None = None) -> set[str]:
    """The names the derivative of ``tree`` in ``x`` is written in (the calculus rules
    applied by hand: a factor that does not depend on ``x`` is not read, a constant
    derivative reads nothing); ``own``: the top node's own value is written ``own``."""
    if x not in names_in(tree):
        return set()
    kind = tree[0]
    if kind in ("num", "name"):
        return set()
    if kind == "neg":
        return needs(tree[1], x)
    if kind == "pow":
        return names_in(tree[1]) | needs(tree[1], x)
    if kind == "call":
        outer = {own} if own is not None and tree[1] in _OWN else names_in(tree[2])
        return outer | needs(tree[2], x)
    op, a, b = tree[1], tree[2], tree[3]
    if op in "+-":
        return needs(a, x) | needs(b, x)
    if op == "*":
        found = set()
        if x in names_in(a):
            found |= needs(a, x) | names_in(b)
        if x in names_in(b):
            found |= names_in(a) | needs(b, x)
        return found
    found = set()  # a / b: da / b - (a / b) db / b
    if x in names_in(a):
        found |= needs(a, x) | names_in(b)
    if x in names_in(b):
        found |= ({own} if own is not None else names_in(a)) | names_in(b) | needs(b, x)
    return found


class Author:
    """The author's world: every quantity as the author's stated values make it."""

    def __init__(
        self,
        example: Example,
        claims: list[tuple[Tree, Stated | None]],
        worlds: list[World],
        own: bool,
    ) -> None:
        self.ex, self.worlds, self.own = example, worlds, own
        self.stated: dict[Key, tuple[int, Fraction]] = {}
        for index, (tree, s) in enumerate(claims):
            key = claim_key(tree)
            if key is not None and s is not None and key not in self.stated:
                self.stated[key] = (index, s.value)
        self.stated_worlds = {steps for steps, _ in self.stated}
        self.memo: dict[Key, tuple[Scalar, frozenset[int]]] = {}

    def value(self, name: str, steps: int) -> tuple[Scalar, frozenset[int]]:
        key = (steps, ("v", name))
        if key in self.stated:
            index, v = self.stated[key]
            return v, frozenset({index})
        if key not in self.memo:
            if name in self.ex.given:
                if steps and name in self.ex.params:
                    if steps - 1 in self.stated_worlds:
                        self.memo[key] = self.update(name, steps)
                    else:
                        self.memo[key] = self.worlds[steps].given[name], frozenset()
                else:
                    self.memo[key] = self.ex.given[name], frozenset()
            else:
                self.memo[key] = self.definition(name, steps)
        return self.memo[key]

    def _reader(self, steps: int, used: set[int]) -> Any:
        def lookup(n: str) -> Dual:
            v, reads = self.value(n, steps)
            used.update(reads)
            return const(v)

        return lookup

    def definition(self, name: str, steps: int) -> tuple[Scalar, frozenset[int]]:
        used: set[int] = set()
        v = evaluate(self.ex.define[name], self._reader(steps, used)).v
        return v, frozenset(used)

    def update(self, p: str, steps: int) -> tuple[Scalar, frozenset[int]]:
        assert self.ex.loss is not None
        v, a = self.value(p, steps - 1)
        g, b = self.grad(self.ex.loss, p, steps - 1)
        return sub(v, mul(self.ex.rate, g)), a | b

    def grad(self, f: str, x: str, steps: int) -> tuple[Scalar, frozenset[int]]:
        key = (steps, ("g", f, x))
        if key in self.stated:
            index, v = self.stated[key]
            return v, frozenset({index})
        if key not in self.memo:
            self.memo[key] = self.chain(f, x, steps)
        return self.memo[key]

    def chain(self, f: str, x: str, steps: int) -> tuple[Scalar, frozenset[int]]:
        if f == x:
            return Fraction(1), frozenset()
        total: Scalar = Fraction(0)
        used: set[int] = set()
        upstream_of_f = self.ex.depends(f)
        for c, tree in self.ex.define.items():
            if x not in names_in(tree) or (c != f and c not in upstream_of_f):
                continue
            g, reads = self.grad(f, c, steps)
            used |= reads
            total = add_scalar(total, mul(g, self.local(c, x, steps, used)))
        return total, frozenset(used)

    def local(self, c: str, x: str, steps: int, used: set[int]) -> Scalar:
        """``d c / d x`` through ``c``'s definition, at the author's values.

        The step reads the values its derivative is written in (:func:`needs`): the
        local derivative of ``w * x`` in ``x`` is ``w``, which does not read ``x``.
        """
        tree = self.ex.define[c]
        own = self.own and _owns(tree)
        for n in needs(tree, x, c if own else None):
            used.update(self.value(n, steps)[1])

        def seeded(n: str) -> Dual:
            return Dual(self.value(n, steps)[0], Fraction(1) if n == x else Fraction(0))

        if not own:
            return evaluate(tree, seeded).d
        mine = self.value(c, steps)[0]
        if tree[0] == "bin":  # a quotient c = a / b: dc = (da - c db) / b
            a, b = evaluate(tree[2], seeded), evaluate(tree[3], seeded)
            return div(sub(a.d, mul(mine, b.d)), b.v)
        inner = evaluate(tree[2], seeded)
        if tree[1] == "sigmoid":
            outer: Scalar = mul(mine, sub(Fraction(1), mine))
        elif tree[1] == "exp":
            outer = mine
        elif tree[1] == "tanh":
            outer = sub(Fraction(1), mul(mine, mine))
        else:  # sqrt: 1 / (2 c)
            outer = div(Fraction(1), mul(Fraction(2), mine))
        return mul(outer, inner.d)

    def recompute(self, index: int, tree: Tree) -> tuple[Scalar | None, frozenset[int]]:
        steps, body = (tree[1], tree[2]) if tree[0] == "after" else (0, tree)
        try:
            if body[0] == "name":
                name = body[1]
                if name in self.ex.define:
                    v, used = self.definition(name, steps)
                elif steps and name in self.ex.params:
                    v, used = self.update(name, steps)
                else:
                    v, used = self.ex.given[name], frozenset()
            elif body[0] == "grad":
                v, used = self.chain(body[1], body[2], steps)
            else:
                used_set: set[int] = set()

                def grad_at(f: str, x: str, at: int = steps) -> Scalar:
                    g, reads = self.grad(f, x, at)
                    used_set.update(reads)
                    return g

                def after_at(n: int, e: Tree) -> Scalar:
                    return evaluate(e, self._reader(n, used_set), lambda f, x: grad_at(f, x, n)).v

                v = evaluate(body, self._reader(steps, used_set), grad_at, after_at).v
                used = frozenset(used_set)
        except (UndefinedError, ZeroDivisionError):
            return None, frozenset()
        return v, used - {index}


def exact_value(example: Example, worlds: list[World], tree: Tree) -> Scalar:
    """A claim's exact value (``after`` read from the descent's worlds)."""

    def in_world(n: int, e: Tree) -> Scalar:
        world = worlds[n]
        return evaluate(e, lambda name: const(world.value(name)), world.grad).v

    if tree[0] == "after":
        return in_world(tree[1], tree[2])
    return evaluate(tree, lambda name: const(worlds[0].value(name)), worlds[0].grad, in_world).v


def judge_all(
    example: Example, claims: list[tuple[Tree, Stated | None]]
) -> list[tuple[str, Scalar]]:
    """``(verdict, exact)`` for every claim, in order."""
    steps = max([0, *(_steps_in(tree) for tree, _ in claims)])
    worlds = train(example, steps)
    authors = [Author(example, claims, worlds, own) for own in (False, True)]
    exacts = [exact_value(example, worlds, tree) for tree, _ in claims]
    verdicts: dict[int, str] = {}

    def verdict_of(i: int, stack: tuple[int, ...] = ()) -> str:
        if i in verdicts:
            return verdicts[i]
        if i in stack:
            raise RuntimeError(f"claims read each other in a cycle: {stack}")
        tree, s = claims[i]
        if s is None:
            verdicts[i] = "unanswered"
            return "unanswered"
        redone: list[tuple[Scalar | None, list[str]]] = []
        for author in authors:
            r, used = author.recompute(i, tree)
            redone.append((r, [verdict_of(j, (*stack, i)) for j in sorted(used)]))
        verdicts[i] = verdict(s, exacts[i], redone)
        return verdicts[i]

    return [(verdict_of(i), exacts[i]) for i in range(len(claims))]


def _steps_in(tree: Tree) -> int:
    if tree[0] == "after":
        return max(tree[1], _steps_in(tree[2]))
    return max([0, *(_steps_in(t) for t in tree[1:] if isinstance(t, tuple))])


def to_mp(x: Scalar) -> Any:
    return mpmath.mpf(x.numerator) / x.denominator if isinstance(x, Fraction) else x


__all__ = [
    "Author",
    "IllConditionedError",
    "Stated",
    "claim_key",
    "exact_value",
    "function",
    "judge_all",
    "printed",
    "to_mp",
    "verdict",
]
