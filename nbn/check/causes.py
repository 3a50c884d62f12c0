"""The likely cause of a wrong step: a fixed catalogue of standard slips.

For a claim judged ``wrong`` (:mod:`nbn.check.verdict`), the step is redone from
the author's stated inputs (the recomputation ``R`` of
:mod:`nbn.check.derivation`) with each slip of the catalogue, and the stated
value is judged against each slip's value with the verdict rules on printed
digits. A slip is named only when it reproduces the stated value and the right
step does not; when several reproduce it, only those that reproduce it best
(rounded beats truncated beats within one unit of the last digit) are named, all
of them if they tie. The cause is a hint shown as "likely"; it never changes a
verdict.

The catalogue (identifiers as in the table, the JSON field ``likely_cause`` and
the pytest message):

``sign``
    ``-R``: the right value negated (``y - y_hat`` written for ``y_hat - y``).
``factor-2``
    ``2 R`` or ``R / 2``: the ``1/2`` of a squared error dropped, or applied twice.
``factor-m``
    ``m R`` or ``R / m``, where the file has a batch of ``m`` examples: a sum where
    the mean is meant, or ``1/m`` applied twice. Tried on the loss and on claims
    that read it or its gradients. ``m`` is found in the structure of the loss's
    definition (:func:`batch_size`): a sum of ``m >= 2`` terms of the same shape
    (one per example, differing only in names), possibly multiplied or divided by
    constants, as the batch cost of a scalar file is written. No file field.
``update-direction``
    For ``after(n, p)`` of a trained parameter ``p``: ``p + rate * g`` instead of
    ``p - rate * g`` (``p`` and ``g`` the author's values of world ``n - 1``);
    for a claim written ``a - b`` with a ``grad(...)`` in ``b`` (an update written
    out, ``w - 0.5 * grad(L, w)``): ``a + b``.
``learning-rate``
    For ``after(n, p)`` of a trained parameter: ``p - g``, the step without its
    learning rate. Only "without" is tried (any other rate would be a guess);
    when the rate is 1 the slip is the right step and is not tried.
``activation-derivative``
    A gradient's chain rule with each sigmoid's or tanh's local derivative taken
    at the node's input instead of its output: ``z (1 - z)`` for ``a (1 - a)``
    with ``a = sigmoid(z)``, ``1 - z**2`` for ``1 - a**2`` with ``a = tanh(z)``
    (:class:`~nbn.check.derivation.Derivation` with ``activation_at_input``).
``transpose``
    For array steps (an operand, or the result, transposed where the shape still
    fits): :func:`transpose_variants`, against a small interface that array steps
    implement; scalar files have none.

Array claims plug in through the same parts: the right value and each slip's
value as a :data:`Grid` (:func:`grid_variants` applies the scalar slips entry by
entry, :func:`transpose_variants` adds the transposes), the stated array as a
grid of printed entries (``None`` for ``"?"``), and :func:`choose`, which judges
a stated array entry by entry (:func:`rank_grid`: an array is reproduced when
every stated entry is, and ranks as its worst entry).

The work is bounded before it is done: per wrong claim at most
:data:`MAX_VARIANTS_PER_WAY` values computed from each recomputation ``R`` (one
multiplication each), two for an update (two evaluations of its sides for an
update written out), one more redone step for the activation derivative (its
values shared between the claims of a file), and for an array step one
evaluation per operand plus one (:data:`MAX_TRANSPOSE_OPERANDS` operands at
most).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from . import expr
from .backends import DomainError, to_fraction
from .derivation import Derivation
from .load import WorkedExample
from .numbers import Printed
from .verdict import rounds_to, truncates_to

__all__ = [
    "CAUSES",
    "MAX_TRANSPOSE_OPERANDS",
    "MAX_VARIANTS_PER_WAY",
    "Grid",
    "Slip",
    "Variant",
    "activation_variant",
    "batch_size",
    "choose",
    "describe",
    "grid_variants",
    "involves_loss",
    "loss_name",
    "rank",
    "rank_grid",
    "scalar_causes",
    "scalar_variants",
    "transpose",
    "transpose_variants",
    "update_variants",
]

#: Every cause of the catalogue, in the order they are listed when several tie.
CAUSES = (
    "sign",
    "factor-2",
    "factor-m",
    "transpose",
    "update-direction",
    "learning-rate",
    "activation-derivative",
)
#: Most slip values computed from one recomputation of a scalar step (sign: 1,
#: factor-2: 2, factor-m: 2).
MAX_VARIANTS_PER_WAY = 5
#: Most operands of one array step tried transposed.
MAX_TRANSPOSE_OPERANDS = 8

#: A two-dimensional array of exact entries, row by row (a scalar is 1x1).
Grid: TypeAlias = tuple[tuple[Fraction, ...], ...]
#: A stated array: each entry as printed, ``None`` for ``"?"``.
StatedGrid: TypeAlias = tuple[tuple[Printed | None, ...], ...]


@dataclass(frozen=True)
class Slip:
    """A cause named for a claim: its identifier and the short phrase shown."""

    cause: str
    phrase: str


@dataclass(frozen=True)
class Variant:
    """One slip's value of a step: ``value`` a number, or a :data:`Grid` for arrays."""

    slip: Slip
    value: Fraction | Grid


def rank(stated: Printed, x: Fraction) -> int | None:
    """How well ``stated`` reproduces ``x`` on its printed digits: 0 rounded (or equal,
    for a fraction), 1 truncated, 2 less than one unit of the last digit off, ``None``
    not at all (the verdict rules' notion of "matches", graded)."""
    if rounds_to(stated, x):
        return 0
    if truncates_to(stated, x):
        return 1
    if stated.unit is not None and abs(stated.value - x) < stated.unit:
        return 2
    return None


def rank_grid(stated: StatedGrid, value: Grid) -> int | None:
    """:func:`rank` of a stated array: its worst entry's rank, ``None`` when the shapes
    differ, an entry is not reproduced, or every entry is ``"?"``."""
    if [len(row) for row in stated] != [len(row) for row in value]:
        return None
    worst: int | None = None
    for row_s, row_v in zip(stated, value, strict=True):
        for s, v in zip(row_s, row_v, strict=True):
            if s is None:
                continue
            r = rank(s, v)
            if r is None:
                return None
            worst = r if worst is None else max(worst, r)
    return worst


def _rank_any(stated: Printed | StatedGrid, value: Fraction | Grid) -> int | None:
    if isinstance(stated, Printed):
        return rank(stated, value) if isinstance(value, Fraction) else None
    return rank_grid(stated, value) if isinstance(value, tuple) else None


def choose(
    stated: Printed | StatedGrid,
    rights: Iterable[Fraction | Grid],
    variants: Iterable[Variant],
) -> tuple[Slip, ...]:
    """The slips that reproduce ``stated`` best, in catalogue order (none when a right
    value in ``rights`` reproduces it, or no slip does).

    Parameters
    ----------
    stated : Printed or StatedGrid
        The stated value (a number, or an array of shape (rows, columns)).
    rights : iterable of Fraction or Grid
        The right step's values (the exact value and each recomputation).
    variants : iterable of Variant
        Each slip's value of the step.
    """
    if any(_rank_any(stated, right) is not None for right in rights):
        return ()
    best: dict[str, tuple[int, Slip]] = {}
    for variant in variants:
        r = _rank_any(stated, variant.value)
        if r is None:
            continue
        cause = variant.slip.cause
        if cause not in best or r < best[cause][0]:
            best[cause] = (r, variant.slip)
    if not best:
        return ()
    top = min(r for r, _ in best.values())
    return tuple(best[c][1] for c in CAUSES if c in best and best[c][0] == top)


def describe(slips: Sequence[Slip]) -> str:
    """The phrase shown in the table: ``likely: ...`` (``or`` between tied causes)."""
    return "likely: " + " or ".join(s.phrase for s in slips)


# -- the scalar slips ------------------------------------------------------------
SIGN = Slip("sign", "sign error (the right value negated, as y - y_hat for y_hat - y)")
DOUBLED = Slip("factor-2", "off by a factor 2 (twice the right value: a 1/2 dropped)")
HALVED = Slip("factor-2", "off by a factor 2 (half the right value: a 1/2 applied twice)")
ACTIVATION = Slip(
    "activation-derivative",
    "activation derivative at the wrong node (z(1 - z) for a(1 - a))",
)
UPDATE = Slip("update-direction", "update direction (the gradient added, not subtracted)")


def _summed(m: int) -> Slip:
    return Slip("factor-m", f"off by the batch size m = {m} (a sum where the mean is meant)")


def _divided(m: int) -> Slip:
    return Slip("factor-m", f"off by the batch size m = {m} (divided by m twice)")


def _no_rate(rate: Fraction) -> Slip:
    return Slip(
        "learning-rate",
        f"learning rate left out (p - grad for p - {_number(rate)} * grad)",
    )


def _number(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{float(q):g}"


def scalar_variants(right: Fraction, m: int | None) -> list[Variant]:
    """The slips of a step whose right value is ``right``: sign, factor-2 and, when
    the file has a batch of ``m`` examples (``m`` not ``None``), factor-m.

    At most :data:`MAX_VARIANTS_PER_WAY` values.
    """
    out = [
        Variant(SIGN, -right),
        Variant(DOUBLED, 2 * right),
        Variant(HALVED, right / 2),
    ]
    if m is not None and m > 1:
        out += [Variant(_summed(m), m * right), Variant(_divided(m), right / m)]
    return out


def grid_variants(right: Grid, m: int | None) -> list[Variant]:
    """:func:`scalar_variants` of an array step, each slip applied to every entry.

    Parameters
    ----------
    right : Grid
        The right step's value, of shape (rows, columns).
    m : int or None
        The batch size, or ``None``.

    Returns
    -------
    list of Variant
        One per scalar slip, each value of shape (rows, columns).
    """
    cells = [[scalar_variants(x, m) for x in row] for row in right]
    out: list[Variant] = []
    for k, prototype in enumerate(scalar_variants(Fraction(1), m)):
        value: Grid = tuple(tuple(_entry(cell[k]) for cell in row) for row in cells)
        out.append(Variant(prototype.slip, value))
    return out


def _entry(variant: Variant) -> Fraction:
    if not isinstance(variant.value, Fraction):  # pragma: no cover - scalar_variants
        raise TypeError("expected a number")
    return variant.value


def update_variants(value: Fraction, gradient: Fraction, rate: Fraction) -> list[Variant]:
    """The slips of one gradient-descent step ``value - rate * gradient``: the
    gradient added (update-direction) and, when ``rate`` is not 1, the step
    without the rate (learning-rate)."""
    out = [Variant(UPDATE, value + rate * gradient)]
    if rate != 1:
        out.append(Variant(_no_rate(rate), value - gradient))
    return out


def activation_variant(value: Fraction) -> Variant:
    """The step redone with each activation's derivative at its input."""
    return Variant(ACTIVATION, value)


# -- the batch size --------------------------------------------------------------
def _shape(node: expr.Node) -> object:
    """The tree with every name forgotten: terms for different examples share it."""
    if isinstance(node, expr.Name):
        return "name"
    if isinstance(node, expr.Num):
        return ("num", node.value)
    if isinstance(node, expr.Unary):
        return ("unary", node.op, _shape(node.operand))
    if isinstance(node, expr.Binary):
        return ("binary", node.op, _shape(node.left), _shape(node.right))
    if isinstance(node, expr.Call):
        return ("call", node.func, _shape(node.arg))
    return ("other", type(node).__name__)


def _is_constant(node: expr.Node) -> bool:
    try:
        expr.constant_value(node, "a factor")
    except (expr.ExpressionError, ZeroDivisionError):
        return False
    return True


def _terms(node: expr.Node) -> list[expr.Node]:
    if isinstance(node, expr.Binary) and node.op == "+":
        return _terms(node.left) + _terms(node.right)
    return [node]


def batch_size(example: WorkedExample) -> int | None:
    """The number of examples ``m`` the loss averages over, or ``None``.

    The loss is ``[train].loss``, or else the one defined quantity no other
    definition reads. Its definition, with constant factors and divisors stripped
    (``(...) / (2*4)``, ``(1/8) * (...)``), must be a sum of at least two terms of
    the same shape (the same tree up to names): ``m`` is their count.
    """
    loss = loss_name(example)
    if loss is None:
        return None
    node = example.define.get(loss)
    while isinstance(node, expr.Binary) and node.op in "*/":
        if _is_constant(node.right):
            node = node.left
        elif node.op == "*" and _is_constant(node.left):
            node = node.right
        else:
            break
    if node is None:
        return None
    terms = _terms(node)
    if len(terms) < 2 or len({repr(_shape(t)) for t in terms}) != 1:
        return None
    return len(terms)


def loss_name(example: WorkedExample) -> str | None:
    """``[train].loss``, or the single defined quantity no definition reads."""
    if example.train is not None:
        return example.train.loss
    read = {n for d in example.define.values() for n in expr.names_in(d)}
    roots = [n for n in example.define if n not in read]
    return roots[0] if len(roots) == 1 else None


def involves_loss(node: expr.Node, loss: str | None) -> bool:
    """The claim is the loss, a gradient of it, or an expression reading either."""
    if loss is None:
        return False
    if isinstance(node, expr.After):
        node = node.body
    return loss in expr.names_in(node) or any(g.f == loss for g in expr.grads_in(node))


# -- the transpose slip (arrays) ---------------------------------------------------
def transpose(grid: Grid) -> Grid:
    """The transpose of a (rows, columns) grid: shape (columns, rows)."""
    return tuple(zip(*grid, strict=True)) if grid and grid[0] else ()


def transpose_variants(
    operands: Mapping[str, Grid],
    step: Callable[[Mapping[str, Grid]], Grid],
) -> list[Variant]:
    """The slips of an array step with one operand, or the result, transposed.

    Parameters
    ----------
    operands : mapping of str to Grid
        The author's values of the step's operands by name, each of shape
        (rows, columns); at most :data:`MAX_TRANSPOSE_OPERANDS`.
    step : callable
        ``step(operands) -> Grid``: the step computed from the given operands; raises
        ``ValueError`` when their shapes do not fit (then that variant is skipped).

    Returns
    -------
    list of Variant
        One per operand whose transpose differs from it and still fits, then the
        result transposed when it is square and not symmetric. At most
        ``len(operands) + 1`` evaluations of ``step``.

    Raises
    ------
    ValueError
        More than :data:`MAX_TRANSPOSE_OPERANDS` operands (before any evaluation).
    """
    if len(operands) > MAX_TRANSPOSE_OPERANDS:
        raise ValueError(
            f"expected at most {MAX_TRANSPOSE_OPERANDS} operands to try transposed, "
            f"got {len(operands)}"
        )
    out: list[Variant] = []
    for name, grid in operands.items():
        flipped = transpose(grid)
        if flipped == grid:
            continue
        try:
            value = step({**operands, name: flipped})
        except ValueError:
            continue
        out.append(Variant(Slip("transpose", f"transpose ({name} transposed)"), value))
    try:
        result = step(operands)
    except ValueError:
        return out
    flipped = transpose(result)
    if len(result) == len(flipped) and flipped != result:
        out.append(Variant(Slip("transpose", "transpose (the result transposed)"), flipped))
    return out


# -- one wrong scalar claim --------------------------------------------------------
def scalar_causes(
    example: WorkedExample,
    index: int,
    rights: Sequence[Fraction],
    way: Derivation,
    slipped: Callable[[], Derivation],
    m: int | None,
) -> tuple[Slip, ...]:
    """The likely cause of the wrong claim ``index`` of a scalar file.

    Parameters
    ----------
    example : WorkedExample
    index : int
        A claim judged ``wrong`` (with a stated value).
    rights : sequence of Fraction
        The right step's values: the exact value, then each recomputation.
    way : Derivation
        The author's world, for the parts of a parameter's update.
    slipped : callable
        Builds (once) the author's world with ``activation_at_input``.
    m : int or None
        The batch size (:func:`batch_size`).
    """
    claim = example.claims[index]
    stated = claim.stated
    if stated is None:
        return ()
    node = claim.node
    steps = node.n if isinstance(node, expr.After) else 0
    body = node.body if isinstance(node, expr.After) else node
    train = example.train
    variants: list[Variant] = []
    try:
        if isinstance(body, expr.Name) and steps and train and body.id in train.params:
            value, gradient, rate, _ = way.update_parts(body.id, steps)
            parts = (to_fraction(value), to_fraction(gradient), to_fraction(rate))
            variants += update_variants(*parts)
        else:
            factor = m if involves_loss(node, loss_name(example)) else None
            for right in rights[1:] or rights[:1]:
                variants += scalar_variants(right, factor)
            if isinstance(body, expr.Binary) and body.op == "-" and expr.grads_in(body.right):
                # an update written out, p - rate * grad(...): the gradient added
                left, _ = way.expression(body.left, steps)
                step, _ = way.expression(body.right, steps)
                variants.append(Variant(UPDATE, to_fraction(left) + to_fraction(step)))
    except (DomainError, ZeroDivisionError, TypeError, ValueError):
        return ()
    slip_value, _ = slipped().recompute(index)
    if slip_value is not None:
        variants.append(activation_variant(slip_value))
    return choose(stated, rights, variants)
