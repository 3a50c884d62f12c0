"""Random well-formed worked-example files, from trees this package builds itself.

:func:`generate` draws an :class:`~differential.evaluator.Example` (givens as short
decimals or fractions, a few definitions over them, a loss and ``[train]`` when
some claim says ``after``), a list of claims (values, ``grad(f, x)``,
``after(n, ...)``, and expressions with ``grad`` and ``after`` inside them) and
a stated value for each, drawn on purpose to hit each verdict: correctly
rounded (ties included, where the value is rational), truncated, one unit off
in the last digit, sign flipped, off by far, a stated integer, a fraction, the
recomputation from the author's earlier (wrong) stated values (to make
``carried``), or ``"?"``. It prints the TOML text itself.

Values that would make the file ill-posed (outside a function's domain, beyond
1e6 or nonzero below 1e-6 in magnitude, an irrational relu argument within
1e-50 of the kink) are drawn again. Files where an irrational value lies
within 1e-30 of a rounding boundary are skipped by the caller
(:class:`~differential.judge.IllConditionedError`): there the 50 digits nbn keeps
cannot honestly decide the verdict.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from .evaluator import Example, Scalar, Tree, UndefinedError, World, exact, names_in, train
from .judge import Author, Stated, exact_value, printed

FUNCTIONS = ("sigmoid", "tanh", "relu", "exp", "log", "sqrt")
RATES = (Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(1, 4), Fraction(2, 5))


@dataclass
class Generated:
    example: Example
    claims: list[tuple[Tree, Stated | None]]
    text: str
    claim_texts: list[str]


def to_text(tree: Tree) -> str:
    """A tree as nbn's expression syntax, fully parenthesized."""
    kind = tree[0]
    if kind == "num":
        return number_text(tree[1])
    if kind == "name":
        return tree[1]
    if kind == "neg":
        return f"(-{to_text(tree[1])})"
    if kind == "bin":
        return f"({to_text(tree[2])} {tree[1]} {to_text(tree[3])})"
    if kind == "pow":
        return (
            f"({to_text(tree[1])})**{tree[2]}"
            if tree[2] >= 0
            else (f"({to_text(tree[1])})**({tree[2]})")
        )
    if kind == "call":
        return f"{tree[1]}({to_text(tree[2])})"
    if kind == "grad":
        return f"grad({tree[1]}, {tree[2]})"
    if kind == "after":
        return f"after({tree[1]}, {to_text(tree[2])})"
    raise ValueError(kind)


def number_text(x: Fraction) -> str:
    """A short exact constant: an integer or a terminating decimal (or a/b)."""
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"({x.numerator}/{x.denominator})"
    places = max(twos, fives)
    scaled = abs(x) * 10**places
    assert scaled.denominator == 1
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}"
    return f"-{text}" if x < 0 else text


def _leaf(rng: random.Random, names: list[str]) -> Tree:
    if rng.random() < 0.8:
        return ("name", rng.choice(names))
    return ("num", Fraction(rng.choice([1, 2, 3, 5, -1, -2]), rng.choice([1, 2, 4, 10])))


def _tree(rng: random.Random, names: list[str], depth: int) -> Tree:
    if depth == 0 or rng.random() < 0.25:
        return _leaf(rng, names)
    r = rng.random()
    if r < 0.45:
        return (
            "bin",
            rng.choice("+-*/"),
            _tree(rng, names, depth - 1),
            _tree(rng, names, depth - 1),
        )
    if r < 0.8:
        f = rng.choice(FUNCTIONS)
        inner = _tree(rng, names, depth - 1)
        if f in ("log", "sqrt") and rng.random() < 0.7:
            inner = ("bin", "+", ("num", Fraction(1)), ("pow", inner, 2))  # in the domain
        return ("call", f, inner)
    if r < 0.9:
        return ("pow", _tree(rng, names, depth - 1), rng.choice([2, 3, -1, 2]))
    return ("neg", _tree(rng, names, depth - 1))


def _sane(v: Scalar) -> bool:
    a = abs(exact(v))
    return a == 0 if isinstance(v, Fraction) and v == 0 else Fraction(1, 10**6) <= a <= 10**6


def _given_value(rng: random.Random) -> Fraction:
    r = rng.random()
    if r < 0.15:
        return Fraction(rng.randint(-3, 3))
    if r < 0.25:
        return Fraction(rng.randint(-9, 9), rng.choice([3, 7, 15]))
    return Fraction(rng.randint(-200, 200), rng.choice([10, 100, 1000]))


def _given_text(x: Fraction) -> str:
    return number_text(x).strip("()")


def _draw_example(rng: random.Random, training: bool) -> Example:
    for _ in range(200):
        given = {f"g{i}": _given_value(rng) for i in range(rng.randint(2, 4))}
        if rng.random() < 0.2:  # a relu exactly at its kink
            a, b = rng.sample(sorted(given), 2)
            given[b] = given[a]
            kink: Tree | None = ("call", "relu", ("bin", "-", ("name", a), ("name", b)))
        else:
            kink = None
        example = Example(given, {})
        names = list(given)
        try:
            for i in range(rng.randint(2, 5)):
                tree = kink if (i == 0 and kink is not None) else _tree(rng, names, 2)
                if not names_in(tree):
                    tree = ("bin", "*", tree, ("name", rng.choice(names)))
                example.define[f"d{i}"] = tree
                world = World(example, dict(given))
                if not _sane(world.values[f"d{i}"]):
                    raise UndefinedError("out of range")
                names.append(f"d{i}")
            last = names[-1]
            example.define["L"] = (
                "bin",
                "/",
                ("pow", ("bin", "-", ("name", last), ("num", Fraction(1, 2))), 2),
                ("num", Fraction(2)),
            )
            example.loss = "L"
            if training:
                reachable = [g for g in given if g in example.depends("L")]
                if not reachable:
                    continue
                example.params = tuple(rng.sample(reachable, rng.randint(1, len(reachable))))
                example.rate = rng.choice(RATES)
            worlds = train(example, 3 if training else 0)
            for world in worlds:
                for name in example.define:
                    if not _sane(world.values[name]):
                        raise UndefinedError("out of range")
                    for g in given:
                        world.grad("L", g)
            return example
        except (UndefinedError, ZeroDivisionError, OverflowError):
            continue
    raise RuntimeError("no well-posed example in 200 draws")


def _claim_trees(rng: random.Random, ex: Example) -> list[Tree]:
    defined = list(ex.define)
    trees: list[Tree] = [("name", n) for n in defined if rng.random() < 0.7]
    xs = [n for n in (*ex.given, *defined) if n != "L" and n in ex.depends("L")]
    rng.shuffle(xs)
    # gradients closest to the loss first, so a carried error can flow back
    order = {n: i for i, n in enumerate((*ex.given, *defined))}
    trees += [
        ("grad", "L", x) for x in sorted(xs[: rng.randint(1, len(xs))], key=lambda n: -order[n])
    ]
    if ex.params:
        for n in range(1, rng.randint(1, 3) + 1):
            trees += [("after", n, ("name", p)) for p in ex.params if rng.random() < 0.7]
            if rng.random() < 0.5:
                trees.append(("after", n, ("name", "L")))
            if rng.random() < 0.3:
                trees.append(("after", n, ("grad", "L", ex.params[0])))
        p = rng.choice(ex.params)
        trees.append(("bin", "*", ("num", Fraction(2)), ("after", 1, ("name", p))))
        if rng.random() < 0.5:
            trees.append(("bin", "+", ("name", rng.choice(defined)), ("after", 1, ("name", "L"))))
    if rng.random() < 0.5:
        a, b = rng.choice(defined), rng.choice(defined)
        trees.append(("bin", "*", ("name", a), ("name", b)))
    if rng.random() < 0.3 and xs:
        trees.append(("bin", "-", ("grad", "L", xs[0]), ("name", rng.choice(defined))))
    return trees


def decimal_text(x: Fraction, unit_exponent: int) -> str:
    """``x`` (a multiple of 10**unit_exponent) printed with exactly that last digit."""
    if unit_exponent >= 0 or abs(x) >= 10**6 or (x != 0 and abs(x) < Fraction(1, 10**4)):
        mantissa = x / Fraction(10) ** unit_exponent
        assert mantissa.denominator == 1
        digits = str(abs(mantissa.numerator))
        if len(digits) > 1:
            text = f"{digits[0]}.{digits[1:]}e{unit_exponent + len(digits) - 1}"
        else:
            text = f"{digits}e{unit_exponent}"
        return f"-{text}" if x < 0 else text
    places = -unit_exponent
    scaled = abs(x) * 10**places
    assert scaled.denominator == 1
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}"
    return f"-{text}" if x < 0 else text


def _round(x: Fraction, unit: Fraction, rng: random.Random) -> Fraction:
    q, r = divmod(x, unit)
    if 2 * r == unit:  # a tie: either neighbour is right
        return (q + rng.randint(0, 1)) * unit
    return (q + (1 if 2 * r > unit else 0)) * unit


def _tie_exponent(x: Fraction) -> int | None:
    """The exponent of the last digit at which ``x`` is exactly a tie (its last decimal
    is a 5), if ``x`` is a short terminating decimal."""
    for places in range(1, 12):
        scaled = x * 10**places
        if scaled.denominator == 1:
            return 1 - places if scaled.numerator % 10 == 5 and places > 1 else None
    return None


def _state(rng: random.Random, e: Fraction, r: Fraction | None) -> str:
    """A stated value drawn to hit one verdict (the judge decides which it is)."""
    magnitude = (
        mpmath.floor(mpmath.log10(abs(mpmath.mpf(e.numerator) / e.denominator))) if e != 0 else -1
    )
    # the exponent of the last printed digit (never a unit of 1 or more: an integer
    # written with an exponent, "0e3", is left to the hostile corpus)
    k = min(int(magnitude) - rng.randint(1, 6), -1)
    base = r if (r is not None and rng.random() < 0.8) else e
    tie = _tie_exponent(base)
    if tie is not None and rng.random() < 0.5:
        k = tie  # a value exactly half-way at this digit: both neighbours agree
    unit = Fraction(10) ** k
    choice = rng.choices(
        ["round", "truncate", "off", "flip", "far", "integer", "fraction", "?"],
        weights=[6, 2, 3, 1, 1, 1, 1, 1],
    )[0]
    if choice == "?":
        return "?"
    if choice == "integer":
        return str(round(base))
    if choice == "fraction":
        if base.denominator < 1000:
            return f"{base.numerator}/{base.denominator}"
        return f"{round(base * 7)}/7"
    if choice == "truncate":
        cut = (abs(base) // unit) * unit
        return decimal_text(cut if base >= 0 else -cut, k)
    rounded = _round(base, unit, rng)
    if choice == "off":
        rounded += rng.choice([-1, 1]) * unit
    elif choice == "flip":
        rounded = -rounded if rounded != 0 else unit
    elif choice == "far":
        rounded += rng.choice([-1, 1]) * rng.randint(3, 40) * unit
    return decimal_text(rounded, k)


def generate(rng: random.Random) -> Generated:
    """One random file and what the generator knows about it (drawn again, from the
    same random stream, while a claim is not defined: a gradient of sqrt at 0)."""
    for _ in range(100):
        try:
            return _generate(rng)
        except (UndefinedError, ZeroDivisionError):
            continue
    raise RuntimeError("no well-posed file in 100 draws")


def _generate(rng: random.Random) -> Generated:
    training = rng.random() < 0.6
    ex = _draw_example(rng, training)
    trees = _claim_trees(rng, ex)
    steps = max(
        [
            0,
            *(t[1] for t in trees if t[0] == "after"),
            *(t[3][1] for t in trees if t[0] == "bin" and t[3][0] == "after"),
        ]
    )
    worlds = train(ex, steps)
    claims: list[tuple[Tree, Stated | None]] = []
    texts: list[str] = []
    for tree in trees:
        e = exact(exact_value(ex, worlds, tree))
        author = Author(ex, claims, worlds, own=False)
        r_value, _ = author.recompute(len(claims), tree)
        r = None if r_value is None else exact(r_value)
        text = _state(rng, e, r)
        claims.append((tree, None if text == "?" else printed(text)))
        texts.append(text)
    lines = ['title = "differential"', "[given]"]
    lines += [f'{g} = "{_given_text(v)}"' for g, v in ex.given.items()]
    lines.append("[define]")
    lines += [f'{n} = "{to_text(t)}"' for n, t in ex.define.items()]
    if ex.params:
        lines += [
            "[train]",
            'loss = "L"',
            f"params = {list(ex.params)!r}".replace("'", '"'),
            f'learning_rate = "{_given_text(ex.rate)}"',
        ]
    lines.append("[claims]")
    claim_texts = [to_text(t) if t[0] != "bin" else to_text(t)[1:-1] for t in trees]
    lines += [f'"{c}" = "{s}"' for c, s in zip(claim_texts, texts, strict=True)]
    return Generated(ex, claims, "\n".join(lines) + "\n", claim_texts)
