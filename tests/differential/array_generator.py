"""Random worked-example files in matrix form, their judgement, and nbn's report on them.

:func:`generate` draws a small linear layer ``Z = W @ X + b`` (``X`` as written or
``X.T``; ``b`` a number, a column or a 1x1 array, broadcast over the columns;
sometimes chosen so that ``Z[0, 0]`` is exactly at relu's kink), an activation,
optionally a second layer ``Z2 = V @ A + c`` with its own activation, a scalar
cost (``sum`` or ``mean`` of squared errors), and claims on arrays, on single
entries ``A[i, j]``, on ``grad(cost, W)``, ``grad(cost, Z) @ X.T``,
``sum(grad(cost, Z), axis=1, keepdims=True)``-style expressions and on
``after(1..3, ...)`` of the parameters, the cost and its gradients.

The stated values are built so that the author's world cannot blur a verdict:
every claim not mutated is stated correctly rounded to 16 significant digits (or
``"?"``), so each agrees, and any step redone from the author's stated values lands
within about 1e-15 (relative) of the exact value. The *mutated* claims (one claim
at random, or every claim no other claim reads: see :func:`_leaf`) have entries
drawn to hit the verdicts on purpose (rounded right, truncated, one unit off in
the last digit, sign flipped, off by far, ``"?"``), or are stated as the transpose
of the right array (a non-square one). With their inputs agreeing, rule 3
(carried from a wrong input) cannot apply to a mutated claim, and rule 5 (carried
by rounded inputs) could only where the exact value lies within 1e-10 units of a
boundary of the rules (half a unit, a unit, a multiple of the unit): such an entry
is drawn again as rounded right (:func:`entry_verdict` refuses it). Each entry is
then judged by :func:`differential.judge.verdict`, the claim by its worst entry in
the documented order. In some files a ``carried`` step is made on purpose instead
(:func:`_carried`: a wrong ``grad(cost, Z)`` and a product done right from it), its
entries judged with the step redone here from the stated gradient.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from .arrays import (
    Arr,
    ArrayExample,
    Tree,
    array,
    claim_value,
    evaluate,
    steps_in,
    train,
)
from .evaluator import UndefinedError, const, exact
from .generator import decimal_text, number_text
from .judge import IllConditionedError, printed, verdict

#: The verdicts of a stated array's entries from best to worst (docs/check.md: "the
#: verdict of its worst entry"; the order as documented in nbn/check/entries.py).
SEVERITY = ("agrees", "last-digit", "truncated", "carried", "unanswered", "transposed", "wrong")

#: Within this many units of a boundary of the rules, a redone step 1e-15 away
#: could fall on the other side: such an entry is not stated off on purpose.
MARGIN = Fraction(1, 10**10)

ACTIVATIONS = ("sigmoid", "tanh", "relu")
RATES = (Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(1, 4))


@dataclass
class ArrayClaim:
    tree: Tree
    text: str
    stated: Any  # nested lists of str, or a str
    value: Arr  # the exact value
    verdict: str  # this package's judgement of the claim
    entry_verdicts: list[str]  # per entry of the exact value, row-major (empty if a shape misfit)


@dataclass
class GeneratedArrays:
    example: ArrayExample
    claims: list[ArrayClaim]
    text: str


def to_text(tree: Tree) -> str:
    kind = tree[0]
    if kind == "num":
        return number_text(tree[1])
    if kind == "name":
        return tree[1]
    if kind == "bin":
        return f"({to_text(tree[2])} {tree[1]} {to_text(tree[3])})"
    if kind == "pow":
        return f"({to_text(tree[1])}) ** {tree[2]}"
    if kind == "call":
        return f"{tree[1]}({to_text(tree[2])})"
    if kind == "matmul":
        return f"({to_text(tree[1])} @ {to_text(tree[2])})"
    if kind == "T":
        return f"{to_text(tree[1])}.T"
    if kind == "reduce":
        args = to_text(tree[2])
        if tree[3] is not None:
            args += f", axis={tree[3]}"
        if tree[4]:
            args += ", keepdims=True"
        return f"{tree[1]}({args})"
    if kind == "index":
        return f"{to_text(tree[1])}[{', '.join(str(i) for i in tree[2])}]"
    if kind == "grad":
        return f"grad({tree[1]}, {tree[2]})"
    if kind == "after":
        return f"after({tree[1]}, {to_text(tree[2])})"
    raise ValueError(kind)


def _entry(rng: random.Random) -> Fraction:
    if rng.random() < 0.1:
        return Fraction(rng.randint(-2, 2))
    return Fraction(rng.randint(-99, 99), rng.choice([10, 100, 100]))


def _matrix(rng: random.Random, rows: int, cols: int) -> list[list[Fraction]]:
    return [[_entry(rng) for _ in range(cols)] for _ in range(rows)]


def _toml(nested: Any) -> str:
    if isinstance(nested, list):
        return "[" + ", ".join(_toml(x) for x in nested) + "]"
    if isinstance(nested, str):
        return f'"{nested}"'
    return f'"{number_text(nested).strip("()")}"'


def _sane(a: Arr) -> bool:
    for v in a.values():
        x = abs(exact(v))
        if x != 0 and not Fraction(1, 10**6) <= x <= 10**6:
            return False
    return True


def _draw_example(rng: random.Random) -> tuple[ArrayExample, dict[str, Any]]:
    n_in, n_out, m = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 4)
    transposed_x = rng.random() < 0.3
    x = _matrix(rng, m, n_in) if transposed_x else _matrix(rng, n_in, m)
    given_nested: dict[str, Any] = {"X": x, "W": _matrix(rng, n_out, n_in)}
    bias = rng.choice(["scalar", "column", "one"])
    if bias == "scalar":
        given_nested["b"] = _entry(rng)
    elif bias == "column":
        given_nested["b"] = [[_entry(rng)] for _ in range(n_out)]
    else:
        given_nested["b"] = [[_entry(rng)]]
    act = rng.choice(ACTIVATIONS)
    if act == "relu" and rng.random() < 0.3:  # Z[0, 0] exactly at relu's kink
        w = given_nested["W"][0]
        column = [x[0][k] if transposed_x else x[k][0] for k in range(n_in)]
        kink = -sum((w[k] * column[k] for k in range(n_in)), Fraction(0))
        if isinstance(given_nested["b"], list):
            given_nested["b"][0][0] = kink
        else:
            given_nested["b"] = kink
    two_layers = rng.random() < 0.4
    n_last = n_out
    if two_layers:  # a second layer: V (n2, n_out), c a number or a column
        n_last = rng.randint(1, 2)
        given_nested["V"] = _matrix(rng, n_last, n_out)
        given_nested["c"] = (
            _entry(rng) if rng.random() < 0.5 else [[_entry(rng)] for _ in range(n_last)]
        )
    given_nested["Y"] = [[Fraction(rng.randint(0, 1)) for _ in range(m)] for _ in range(n_last)]
    given = {k: array(v) for k, v in given_nested.items()}
    xt: Tree = ("T", ("name", "X")) if transposed_x else ("name", "X")
    out = "A2" if two_layers else "A"
    squared: Tree = ("pow", ("bin", "-", ("name", out), ("name", "Y")), 2)
    if rng.random() < 0.5:
        cost: Tree = ("bin", "/", ("reduce", "sum", squared, None, False), ("num", Fraction(2 * m)))
    else:
        cost = ("bin", "/", ("reduce", "mean", squared, None, False), ("num", Fraction(2)))
    define: dict[str, Tree] = {
        "Z": ("bin", "+", ("matmul", ("name", "W"), xt), ("name", "b")),
        "A": ("call", act, ("name", "Z")),
    }
    if two_layers:
        define["Z2"] = ("bin", "+", ("matmul", ("name", "V"), ("name", "A")), ("name", "c"))
        define["A2"] = ("call", rng.choice(ACTIVATIONS), ("name", "Z2"))
    define["cost"] = cost
    names = ("W", "b", "V", "c") if two_layers else ("W", "b")
    params = tuple(p for p in names if rng.random() < 0.7) or ("W",)
    example = ArrayExample(given, define, "cost", params, rng.choice(RATES))
    return example, given_nested


def _index(rng: random.Random, n: int) -> int:
    """An index into an axis of length ``n``, counted from the end one time in four."""
    i = rng.randrange(n)
    return i - n if rng.random() < 0.25 else i


def _claim_trees(rng: random.Random, example: ArrayExample, xt: Tree) -> list[Tree]:
    w_shape = example.given["W"].shape
    z_rows, z_cols = w_shape[0], example.given["Y"].shape[1]
    trees: list[Tree] = [("name", n) for n in ("Z", "A", "cost") if rng.random() < 0.6]
    trees.append(("index", ("name", "A"), (_index(rng, z_rows), _index(rng, z_cols))))
    trees += [("grad", "cost", x) for x in ("A", "Z", "W", "b") if rng.random() < 0.6]
    dz: Tree = ("grad", "cost", "Z")
    trees.append(("matmul", dz, ("T", xt)))
    trees.append(
        (
            "reduce",
            rng.choice(["sum", "mean"]),
            dz,
            rng.choice([0, 1, -1, None]),
            rng.random() < 0.6,
        )
    )
    trees.append(
        ("index", ("grad", "cost", "W"), (_index(rng, w_shape[0]), _index(rng, w_shape[1])))
    )
    if rng.random() < 0.5:
        trees.append(("T", ("grad", "cost", "W")))
    if rng.random() < 0.5:
        trees.append(
            ("reduce", rng.choice(["sum", "mean"]), ("name", "A"), rng.choice([0, 1]), True)
        )
    if "V" in example.given:  # the second layer: dZ2, dV = dZ2 A^T, dA = V^T dZ2
        trees += [("name", n) for n in ("Z2", "A2") if rng.random() < 0.5]
        trees += [("grad", "cost", x) for x in ("A2", "Z2", "V", "c") if rng.random() < 0.6]
        dz2: Tree = ("grad", "cost", "Z2")
        trees.append(("matmul", dz2, ("T", ("name", "A"))))
        trees.append(("matmul", ("T", ("name", "V")), dz2))
    for n in range(1, rng.randint(1, 3) + 1):
        trees += [("after", n, ("name", p)) for p in example.params if rng.random() < 0.6]
        if rng.random() < 0.6:
            trees.append(("after", n, ("name", "cost")))
        if rng.random() < 0.4:
            trees.append(("after", n, ("grad", "cost", example.params[0])))
    if rng.random() < 0.5:
        trees.append(
            ("bin", "-", ("name", "W"), ("bin", "*", ("num", example.rate), ("grad", "cost", "W")))
        )
    return trees


def _leaf(tree: Tree, example: ArrayExample) -> bool:
    """A claim no other claim reads in the author's world: its entries are neither a
    quantity's value nor a gradient (those are the stated inputs of later steps), or
    it states the cost, which no step reads (its derivatives do not need its value).
    A reduction over a single entry is that entry itself, so it is not a leaf."""
    body = tree[2] if tree[0] == "after" else tree
    if body == ("name", "cost") or tree[0] in ("matmul", "bin"):
        return True
    if tree[0] == "reduce":  # of grad(cost, Z) or of A, both of Z's shape
        shape = (example.given["W"].shape[0], example.given["Y"].shape[1])
        group = shape[0] * shape[1] if tree[3] is None else shape[tree[3]]
        return group >= 2
    return False


def _guard_margin(s: str, e: Fraction) -> None:
    """Refuse a stated entry whose distance to ``e`` lies within :data:`MARGIN` units of
    half a unit or a unit, or whose ``e`` lies that close to a multiple of the unit."""
    st = printed(s)
    if st.unit is None:
        return
    u = st.unit
    d = abs(st.value - e)
    near = [abs(d - u / 2), abs(d - u), abs(e / u - round(e / u)) * u]
    if d != 0 and min(near) <= MARGIN * u:
        raise IllConditionedError(e)


def entry_verdict(s: str, e_value: Any) -> str:
    """One stated entry's verdict (``"?"``: unanswered); see the module docstring for
    why the author's redone steps need not be consulted."""
    if s == "?":
        return "unanswered"
    e = exact(e_value)
    if verdict(printed(s), e_value, []) != "agrees":
        _guard_margin(s, e)
    return verdict(printed(s), e_value, [])


def _long(e: Fraction) -> str:
    """``e`` correctly rounded to 16 significant digits (an exact zero as ``0``)."""
    if e == 0:
        return "0"
    k = int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(e.numerator) / e.denominator)))) - 15
    unit = Fraction(10) ** k
    return decimal_text(round(e / unit) * unit, k)


def _mutated(rng: random.Random, e: Fraction) -> str:
    magnitude = (
        int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(e.numerator) / e.denominator))))
        if e != 0
        else -1
    )
    k = min(magnitude - rng.randint(1, 5), -1)
    unit = Fraction(10) ** k
    choice = rng.choices(
        ["round", "truncate", "off", "flip", "far", "?"], weights=[4, 2, 3, 2, 1, 1]
    )[0]
    if choice == "?":
        return "?"
    if choice == "truncate":
        cut = (abs(e) // unit) * unit
        return decimal_text(cut if e >= 0 else -cut, k)
    rounded = round(e / unit) * unit
    if choice == "off":
        rounded += rng.choice([-1, 1]) * unit
    elif choice == "flip":
        rounded = -rounded if rounded != 0 else unit
    elif choice == "far":
        rounded += rng.choice([-1, 1]) * rng.randint(3, 40) * unit
    return decimal_text(rounded, k)


def _nest(shape: tuple[int, ...], flat: list[str]) -> Any:
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    rows, cols = shape
    return [flat[r * cols : (r + 1) * cols] for r in range(rows)]


def _state(rng: random.Random, value: Arr, mutate: bool) -> tuple[Any, str, list[str]]:
    """(stated nested, claim verdict, entry verdicts)."""
    exacts = [exact(v) for v in value.values()]
    if (
        mutate
        and len(value.shape) == 2
        and value.shape[0] != value.shape[1]
        and rng.random() < 0.25
    ):
        rows, cols = value.shape
        flat = [_long(exacts[r * cols + c]) for c in range(cols) for r in range(rows)]
        return _nest((cols, rows), flat), "transposed", []
    texts: list[str] = []
    verdicts: list[str] = []
    for e, v in zip(exacts, value.values(), strict=True):
        if mutate:
            s = _mutated(rng, e)
            try:
                ev = entry_verdict(s, v)
            except IllConditionedError:
                s = _long(e)
                ev = entry_verdict(s, v)
        else:
            s = "?" if rng.random() < 0.01 else _long(e)
            ev = entry_verdict(s, v)
        texts.append(s)
        verdicts.append(ev)
    worst = max(verdicts, key=SEVERITY.index)
    shape = value.shape
    if len(shape) == 2 and 1 in shape and rng.random() < 0.3:
        shape = (len(texts),)  # a flat list for a single row or column
    return _nest(shape, texts), worst, verdicts


def _digits(e: Fraction, places: int) -> str:
    """``e`` correctly rounded to ``places`` significant digits (zero as ``0``)."""
    if e == 0:
        return "0"
    k = int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(e.numerator) / e.denominator)))) + 1
    k -= places
    unit = Fraction(10) ** k
    return decimal_text(round(e / unit) * unit, k)


Stating = tuple[Any, str, list[str]]


def _carried(
    example: ArrayExample, dz: Arr, product: Tree, value: Arr
) -> tuple[Stating, Stating] | None:
    """A ``carried`` step on purpose: ``grad(cost, Z)`` stated twice its value on every
    entry (the 1/2 of the squared error dropped: each entry ``wrong``), and
    ``grad(cost, Z) @ X.T`` stated as that product done right from the stated
    ``grad(cost, Z)`` (rounded to 5 digits). Each entry ``(i, j)`` of the product reads
    row ``i`` of the stated gradient; :func:`differential.judge.verdict` decides it with
    that redone value (exact: the stated entries and ``X`` are rational). None when an
    entry of ``grad(cost, Z)`` is zero (doubling it is no slip) or too close to a
    boundary of the rules."""
    exacts = [exact(v) for v in dz.values()]
    if any(e == 0 for e in exacts):
        return None
    texts = [_digits(2 * e, 4) for e in exacts]
    try:
        verdicts = [entry_verdict(t, v) for t, v in zip(texts, dz.values(), strict=True)]
    except IllConditionedError:
        return None
    if set(verdicts) != {"wrong"}:
        return None
    stated_dz = Arr(dz.shape, tuple(const(printed(t).value) for t in texts))
    redo = evaluate(product, example.given.__getitem__, lambda f, x: stated_dz)
    cols = value.shape[1]
    m = dz.shape[1]
    product_texts, product_verdicts = [], []
    for k, (r, e) in enumerate(zip(redo.values(), value.values(), strict=True)):
        t = _digits(r, 5)
        row = verdicts[(k // cols) * m : (k // cols + 1) * m]
        try:
            product_verdicts.append(verdict(printed(t), e, [(r, row), (r, row)]))
        except IllConditionedError:
            return None
        product_texts.append(t)
    return (
        (_nest(dz.shape, texts), "wrong", verdicts),
        (
            _nest(value.shape, product_texts),
            max(product_verdicts, key=SEVERITY.index),
            product_verdicts,
        ),
    )


def generate(rng: random.Random) -> GeneratedArrays:
    """One random file in matrix form (drawn again while a value is out of range)."""
    for _ in range(100):
        try:
            return _generate(rng)
        except (UndefinedError, ZeroDivisionError):
            continue
    raise RuntimeError("no well-posed file in 100 draws")


def _generate(rng: random.Random) -> GeneratedArrays:
    example, given_nested = _draw_example(rng)
    xt = example.define["Z"][2][2]
    trees = _claim_trees(rng, example, xt)
    worlds = train(example, max(steps_in(t) for t in trees))
    for world in worlds:
        for name in example.define:
            if not _sane(world.values[name]):
                raise UndefinedError("out of range")
    values = [claim_value(worlds, t) for t in trees]
    if not all(_sane(v) for v in values):
        raise UndefinedError("out of range")
    dz: Tree = ("grad", "cost", "Z")
    product: Tree = ("matmul", dz, ("T", xt))
    carried = None
    if dz in trees and rng.random() < 0.3:
        carried = _carried(example, values[trees.index(dz)], product, values[trees.index(product)])
    if carried is not None:
        mutated = {trees.index(dz), trees.index(product)}
    elif rng.random() < 0.5:
        mutated = {rng.randrange(len(trees))}
    else:
        mutated = {i for i, t in enumerate(trees) if _leaf(t, example)}
    claims = []
    for i, (tree, value) in enumerate(zip(trees, values, strict=True)):
        if carried is not None and i in mutated:
            stated, claim_verdict, entry_verdicts = carried[tree == product]
        else:
            stated, claim_verdict, entry_verdicts = _state(rng, value, i in mutated)
        text = to_text(tree)
        if tree[0] in ("bin", "matmul"):
            text = text[1:-1]
        claims.append(ArrayClaim(tree, text, stated, value, claim_verdict, entry_verdicts))
    lines = ['title = "differential, matrix form"', "[given]"]
    lines += [f"{k} = {_toml(v)}" for k, v in given_nested.items()]
    lines.append("[define]")
    lines += [f'{n} = "{to_text(t)}"' for n, t in example.define.items()]
    lines += [
        "[train]",
        'loss = "cost"',
        "params = [" + ", ".join(f'"{p}"' for p in example.params) + "]",
        f'learning_rate = "{number_text(example.rate).strip("()")}"',
        "[claims]",
    ]
    lines += [f'"{c.text}" = {_toml(c.stated)}' for c in claims]
    return GeneratedArrays(example, claims, "\n".join(lines) + "\n")
