"""The likely cause of a wrong step (:mod:`nbn.check.causes`), against hand derivations.

Every expected cause below is derived in this file: the right step redone from
the author's stated inputs, each slip of the catalogue worked out by hand, and the
stated value compared with them on its printed digits. The checker's output is
only ever the thing compared, never the source of an expected value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples
from worked_files import NEURON

from nbn.check import Report, check, check_text, format_table, loads, to_json
from nbn.check.causes import (
    CAUSES,
    MAX_TRANSPOSE_OPERANDS,
    MAX_VARIANTS_PER_WAY,
    Grid,
    Slip,
    Variant,
    batch_size,
    choose,
    grid_variants,
    rank,
    rank_grid,
    scalar_variants,
    transpose_variants,
    update_variants,
)
from nbn.check.numbers import parse_number
from nbn.examples import example, path

F = Fraction
SLIPS = "learner-batch-slips.nbn.toml"


def reproduces(stated: str, x: Fraction) -> bool:
    """By hand: ``stated`` is less than one unit of its last printed digit from ``x``
    (the loosest of the verdict rules' "matches": rounded, truncated or within a unit
    all imply it)."""
    digits = len(stated.split(".")[1]) if "." in stated else 0
    return abs(F(stated) - x) < F(1, 10**digits)


def _sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# -- the learner's batch iteration: each slip derived by hand ------------------------
#
# The learner's stated predictions y_hat = 0.5, 0.6457, 0.5250, 0.6682 (labels
# 0, 1, 1, 1), m = 4, learning rate 1/2. Each wrong step, redone right from the
# learner's stated inputs (R), and the slip that gives the stated value:
#
#   cost = 0.3556      R = (0.5^2 + 0.3543^2 + 0.475^2 + 0.3318^2) / 8 = 0.71124473 / 8
#                      = 0.0889056; 4 R = 0.3556224 -> 0.3556          factor-m (sum)
#   dcost/dy_hat_2 = 0.0886   R = (0.6457 - 1)/4 = -0.088575; -R -> 0.0886   sign
#   dcost/dy_hat_4 = -0.1659  R = (0.6682 - 1)/4 = -0.08295; 2 R = -0.1659   factor-2
#   dcost/dz_3 = -0.0107      R = (0.5250 - 1)/4 * sigma'(0.1) = -0.11875 * 0.249376
#                      = -0.0296; with z_3 (1 - z_3) = 0.1 * 0.9 for sigma':
#                      -0.11875 * 0.09 = -0.0106875 -> -0.0107   activation-derivative
#   w1 after = 0.0763  R = 0.1 - 0.5 * (-0.0475) = 0.12375; 0.1 + 0.5 * (-0.0475)
#                      = 0.07625 -> 0.0763 (a tie: half up)       update-direction
#   w2 after = 0.6165  R = 0.6 - 0.5 * (-0.0165) = 0.60825; 0.6 - (-0.0165) = 0.6165
#                                                                 learning-rate
#
# The carried steps, from the learner's numbers (own-value derivatives):
#   dz_1 = 0.125 * 0.5 * 0.5 = 0.03125, dz_2 = 0.0886 * 0.6457 * 0.3543 = 0.0202692,
#   dz_3 = -0.0107, dz_4 = -0.1659 * 0.6682 * 0.3318 = -0.0367815;
#   dw1 = dz_3 + dz_4 = -0.0474815 -> -0.0475; dw2 = dz_2 + dz_4 = -0.0165123 -> -0.0165;
#   db = sum = 0.0040377 -> 0.0040; b after = 0 - 0.5 * 0.0040 = -0.0020.
_YH = (F("0.5"), F("0.6457"), F("0.5250"), F("0.6682"))
_Y = (0, 1, 1, 1)
_M = 4
_RATE = F(1, 2)
#: The wrong steps: claim -> (R from the stated inputs, the slip's value, its cause).
WRONG_BY_HAND: dict[str, tuple[Fraction, Fraction, str]] = {
    "cost": (
        sum((y - yh) ** 2 for y, yh in zip(_Y, _YH, strict=True)) / (2 * _M),
        sum((y - yh) ** 2 for y, yh in zip(_Y, _YH, strict=True)) / 2,
        "factor-m",
    ),
    "grad(cost, y_hat_2)": ((_YH[1] - 1) / _M, (1 - _YH[1]) / _M, "sign"),
    "grad(cost, y_hat_4)": ((_YH[3] - 1) / _M, 2 * (_YH[3] - 1) / _M, "factor-2"),
    "grad(cost, z_3)": (
        (_YH[2] - 1) / _M * _YH[2] * (1 - _YH[2]),
        (_YH[2] - 1) / _M * F("0.1") * (1 - F("0.1")),
        "activation-derivative",
    ),
    "after(1, w1)": (
        F("0.1") - _RATE * F("-0.0475"),
        F("0.1") + _RATE * F("-0.0475"),
        "update-direction",
    ),
    "after(1, w2)": (F("0.6") - _RATE * F("-0.0165"), F("0.6") - F("-0.0165"), "learning-rate"),
}
#: Every claim's verdict by hand, and the likely cause of the wrong ones.
SLIPS_BY_HAND: dict[str, tuple[str, str | None]] = {
    "y_hat_1": ("agrees", None),  # sigma(0) = 0.5
    "y_hat_2": ("agrees", None),  # sigma(0.6) = 0.645656 -> 0.6457
    "y_hat_3": ("agrees", None),  # sigma(0.1) = 0.524979 -> 0.5250
    "y_hat_4": ("agrees", None),  # sigma(0.7) = 0.668188 -> 0.6682
    "cost": ("wrong", "factor-m"),
    "grad(cost, y_hat_1)": ("agrees", None),  # (0.5 - 0) / 4 = 0.125 exactly
    "grad(cost, y_hat_2)": ("wrong", "sign"),
    "grad(cost, y_hat_4)": ("wrong", "factor-2"),
    "grad(cost, z_3)": ("wrong", "activation-derivative"),
    "grad(cost, w1)": ("carried", None),
    "grad(cost, w2)": ("carried", None),
    "grad(cost, b)": ("carried", None),
    "after(1, w1)": ("wrong", "update-direction"),
    "after(1, w2)": ("wrong", "learning-rate"),
    "after(1, b)": ("carried", None),
}


def _catalogue_by_hand(claim: str, right: Fraction) -> dict[str, list[Fraction]]:
    """Every slip of the catalogue a claim of the file can have, worked out by hand."""
    if claim == "after(1, w1)":
        p, g = F("0.1"), F("-0.0475")
        return {"update-direction": [p + _RATE * g], "learning-rate": [p - g]}
    if claim == "after(1, w2)":
        p, g = F("0.6"), F("-0.0165")
        return {"update-direction": [p + _RATE * g], "learning-rate": [p - g]}
    out = {
        "sign": [-right],
        "factor-2": [2 * right, right / 2],
        "factor-m": [_M * right, right / _M],
    }
    if claim == "grad(cost, z_3)":
        out["activation-derivative"] = [(_YH[2] - 1) / _M * F("0.1") * (1 - F("0.1"))]
    return out


@pytest.fixture(scope="module")
def slips() -> Report:
    return check(path(SLIPS))


def test_slips_file_claims_are_the_hand_derived_ones(slips: Report) -> None:
    assert [r.claim for r in slips.results] == list(SLIPS_BY_HAND)


@pytest.mark.parametrize("claim", list(SLIPS_BY_HAND))
def test_slips_file_verdict_and_likely_cause_match_the_hand_derivation(
    claim: str, slips: Report
) -> None:
    verdict, cause = SLIPS_BY_HAND[claim]
    result = slips.result(claim)
    assert (result.verdict, result.likely_cause) == (verdict, (cause,) if cause else ()), (
        repr(result.verdict),
        repr(result.likely_cause),
    )


@pytest.mark.parametrize("claim", list(WRONG_BY_HAND))
def test_each_slip_alone_reproduces_the_stated_value_by_hand(claim: str) -> None:
    """The hand derivation itself: the named slip gives the stated digits, the right
    step does not, and no other slip of the catalogue does."""
    right, slipped, cause = WRONG_BY_HAND[claim]
    text = next(c.stated_text for c in example(SLIPS).claims if c.text == claim)
    assert reproduces(text, slipped), (text, float(slipped))
    assert not reproduces(text, right), (text, float(right))
    others = {
        name: values
        for name, values in _catalogue_by_hand(claim, right).items()
        if any(reproduces(text, v) for v in values)
    }
    assert set(others) == {cause}, (claim, others)


@pytest.mark.parametrize("claim", list(WRONG_BY_HAND))
def test_the_right_step_the_checker_redid_is_the_hand_one(claim: str, slips: Report) -> None:
    redone = slips.result(claim).recomputed
    right = WRONG_BY_HAND[claim][0]
    assert redone is not None
    # R is an exact rational here except for grad(cost, z_3), where sigma'(0.1) is
    # irrational in one of the two recomputations and 0.5250 * 0.4750 in the other:
    # they differ by 1.3e-6 relative, so 1e-5 relative tells them from any slip (the
    # nearest slip differs by a factor 2)
    assert float(redone) == pytest.approx(float(right), rel=1e-5), (repr(redone), repr(right))


def test_slips_file_exact_values_by_hand(slips: Report) -> None:
    """A few exact values from the hand derivation (floats: 1e-12 relative covers
    float64 rounding in the few operations of each)."""
    s = [_sigma(z) for z in (0.0, 0.6, 0.1, 0.7)]
    cost = sum((y - v) ** 2 for y, v in zip(_Y, s, strict=True)) / 8
    assert float(slips.result("cost").exact) == pytest.approx(cost, rel=1e-12)
    assert float(slips.result("grad(cost, y_hat_2)").exact) == pytest.approx((s[1] - 1) / 4)
    dz3 = (s[2] - 1) / 4 * s[2] * (1 - s[2])
    assert float(slips.result("grad(cost, z_3)").exact) == pytest.approx(dz3, rel=1e-12)


def test_carried_steps_name_no_cause_and_verdicts_are_the_expected_ones(slips: Report) -> None:
    assert slips.ok  # every verdict is the one the file's [expect] table records
    for r in slips.results:
        if r.verdict != "wrong":
            assert r.likely == (), r.claim


# -- the report, JSON and pytest message ------------------------------------------------


def test_table_shows_each_likely_cause_under_its_claim(slips: Report) -> None:
    lines = format_table([slips]).splitlines()
    at = next(i for i, line in enumerate(lines) if "grad(cost, y_hat_2)" in line)
    assert lines[at + 1].strip() == (
        "likely: sign error (the right value negated, as y - y_hat for y_hat - y)"
    )
    text = "\n".join(lines)
    assert "likely: off by the batch size m = 4 (a sum where the mean is meant)" in text
    assert "likely: learning rate left out (p - grad for p - 0.5 * grad)" in text


def test_json_has_likely_cause_beside_the_carried_cause(slips: Report) -> None:
    records = {r["claim"]: r for r in json.loads(to_json([slips]))}
    assert records["grad(cost, z_3)"]["likely_cause"] == ["activation-derivative"]
    assert records["grad(cost, z_3)"]["cause"] is None
    assert records["after(1, w1)"]["likely_cause"] == ["update-direction"]
    assert records["after(1, b)"]["likely_cause"] == []
    assert records["after(1, b)"]["likely_cause_text"] is None
    assert records["after(1, b)"]["cause"] == "wrong-input"


# -- small files, one slip each, derived by hand -----------------------------------------


@pytest.mark.parametrize(
    ("claims", "judged", "cause"),
    [
        # L = 1/2 (1 - 0.646)^2 = 0.062658 from the stated 0.646; the 1/2 dropped:
        # 0.125316 -> 0.1253; halved: 0.031329 -> 0.0313
        ({"y_hat": "0.646", "L": "0.1253"}, "L", ("factor-2",)),
        ({"y_hat": "0.646", "L": "0.0313"}, "L", ("factor-2",)),
        # the sign: -0.062658 -> -0.0627
        ({"y_hat": "0.646", "L": "-0.0627"}, "L", ("sign",)),
        # 0.5 is none of 0.0627, -0.0627, 0.125, 0.0313: wrong, no cause named
        ({"y_hat": "0.646", "L": "0.5"}, "L", ()),
        # dL/dw = (y_hat - y) y_hat (1 - y_hat) = -0.354 * 0.646 * 0.354 = -0.080955
        # from the stated grad(L, y_hat) = -0.354 and y_hat = 0.646; with the
        # derivative at the input w = 0.6: -0.354 * 0.6 * 0.4 = -0.08496 -> -0.0850
        (
            {"y_hat": "0.646", "grad(L, y_hat)": "-0.354", "grad(L, w)": "-0.0850"},
            "grad(L, w)",
            ("activation-derivative",),
        ),
    ],
)
def test_single_slips_on_one_neuron(
    claims: dict[str, str], judged: str, cause: tuple[str, ...]
) -> None:
    text = NEURON + "[claims]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in claims.items())
    result = check_text(text).result(judged)
    assert result.verdict == "wrong"
    assert result.likely_cause == cause


def test_tanh_derivative_at_the_input() -> None:
    """a = tanh(w), w = 0.5: tanh(0.5) = 0.462117; da/dw = 1 - a^2 = 0.786448. With
    the stated a = 0.4621 the right step is 1 - 0.4621^2 = 0.786464 -> 0.7865; with the
    input instead, 1 - 0.5^2 = 0.75."""
    text = """title = "tanh"
[given]
w = "0.5"
[define]
a = "tanh(w)"
[claims]
a = "0.4621"
"grad(a, w)" = "0.75"
"""
    result = check_text(text).result("grad(a, w)")
    assert (result.verdict, result.likely_cause) == ("wrong", ("activation-derivative",))


# m = 2: the cost (1/2m)((1 - y_hat_1)^2 + (1 - y_hat_2)^2) with y_hat_1 = sigmoid(0) =
# 0.5, y_hat_2 = sigmoid(0.6) stated 0.646: R = (0.25 + 0.125316) / 4 = 0.093829.
# Stated 0.1877 = 2 R to 4 decimals: a 1/2 dropped and a sum for a mean give the
# same number, so both are named.
TWO = """title = "two examples"
[given]
x_1 = 0
x_2 = 1
w = "0.6"
[define]
y_hat_1 = "sigmoid(w*x_1)"
y_hat_2 = "sigmoid(w*x_2)"
cost = "((1 - y_hat_1)**2 + (1 - y_hat_2)**2) / (2*2)"
[claims]
y_hat_1 = "0.5"
y_hat_2 = "0.646"
cost = "0.1877"
"""


def test_two_causes_that_reproduce_equally_are_both_named() -> None:
    result = check_text(TWO).result("cost")
    assert (result.verdict, result.likely_cause) == ("wrong", ("factor-2", "factor-m"))
    assert " or " in format_table([check_text(TWO)])


def test_an_update_written_out_with_the_gradient_added() -> None:
    """dL/dw = (y_hat - 1) y_hat (1 - y_hat) at w = 0.6: -0.3543437 * 0.2287842 =
    -0.0810683; w - 0.5 dL/dw = 0.6405341. The gradient added instead: 0.6 - 0.0405341
    = 0.5594659 -> 0.5595 (the sign slip, -0.6405, and factor-2, 1.2811 and 0.3203, are
    far from it)."""
    text = NEURON + '[claims]\n"w - 0.5 * grad(L, w)" = "0.5595"\n'
    result = check_text(text).result("w - 0.5 * grad(L, w)")
    assert (result.verdict, result.likely_cause) == ("wrong", ("update-direction",))


def test_rate_one_update_has_no_learning_rate_slip() -> None:
    """With rate 1, p - g is the right step: only the direction is tried."""
    assert [v.slip.cause for v in update_variants(F(1), F(2), F(1))] == ["update-direction"]
    values = [v.value for v in update_variants(F(1), F(2), F(1, 10))]
    assert values == [F(1) + F(2, 10), F(1) - F(2)]


# -- the catalogue's parts ------------------------------------------------------------


def test_batch_size_from_the_structure_of_the_cost() -> None:
    assert batch_size(example("article-batch-iteration.nbn.toml")) == 4
    assert batch_size(example(SLIPS)) == 4
    assert batch_size(example("learner-or-neuron.nbn.toml")) is None  # one example
    assert batch_size(loads(TWO)) == 2
    # (1/8) (...) is the same mean; terms of different shapes are no batch
    written = TWO.replace(
        '"((1 - y_hat_1)**2 + (1 - y_hat_2)**2) / (2*2)"',
        '"(1/4) * ((1 - y_hat_1)**2 + (1 - y_hat_2)**2)"',
    )
    assert batch_size(loads(written)) == 2
    mixed = TWO.replace("(1 - y_hat_2)**2", "(1 - y_hat_2)**4")
    assert batch_size(loads(mixed)) is None


def test_scalar_variants_are_bounded_and_are_the_catalogues() -> None:
    r = F(3, 10)
    with_m = scalar_variants(r, 4)
    assert len(with_m) <= MAX_VARIANTS_PER_WAY
    assert [(v.slip.cause, v.value) for v in with_m] == [
        ("sign", F(-3, 10)),
        ("factor-2", F(6, 10)),
        ("factor-2", F(3, 20)),
        ("factor-m", F(12, 10)),
        ("factor-m", F(3, 40)),
    ]
    assert {v.slip.cause for v in scalar_variants(r, None)} == {"sign", "factor-2"}


def test_rank_orders_rounded_truncated_within_a_unit() -> None:
    stated = parse_number("0.43")
    assert rank(stated, F("0.4286")) == 0  # rounds to 0.43
    assert rank(stated, F("0.4391")) == 1  # truncates to 0.43, rounds to 0.44
    assert rank(stated, F("0.4209")) == 2  # 0.0091 from 0.43, rounds to 0.42
    assert rank(stated, F("0.45")) is None


def test_choose_keeps_the_best_reproduction_and_refuses_when_the_right_step_does() -> None:
    stated = parse_number("0.43")
    a, b = Slip("sign", "a"), Slip("factor-2", "b")
    variants = [Variant(b, F("0.4391")), Variant(a, F("0.4286"))]
    assert choose(stated, [F(1)], variants) == (a,)  # rounded beats truncated
    assert choose(stated, [F("0.43")], variants) == ()  # the right step reproduces it
    tied = [Variant(b, F("0.4286")), Variant(a, F("0.4301"))]
    assert choose(stated, [F(1)], tied) == (a, b)  # catalogue order
    assert CAUSES.index("sign") < CAUSES.index("factor-2")


# -- transpose, against the array interface (a hand-written matrix product) ------------


def matmul(a: Grid, b: Grid) -> Grid:
    """(n, k) @ (k, p) by the definition; ValueError when k differs."""
    if len(a[0]) != len(b):
        raise ValueError(f"shapes {len(a)}x{len(a[0])} and {len(b)}x{len(b[0])}")
    return tuple(
        tuple(sum((a[i][t] * b[t][j] for t in range(len(b))), F(0)) for j in range(len(b[0])))
        for i in range(len(a))
    )


def grid(rows: list[list[str]]) -> Grid:
    return tuple(tuple(F(x) for x in row) for row in rows)


def test_transposed_operand_of_a_square_product_is_named() -> None:
    """dW = dZ @ X.T with dZ = [[1, 2]] (1x2), X = [[1, 2], [3, 4]] (2x2).
    By hand: X.T = [[1, 3], [2, 4]], dZ @ X.T = [[1 + 4, 3 + 8]] = [[5, 11]];
    the slip dZ @ X (X.T transposed back) = [[1 + 6, 2 + 8]] = [[7, 10]]."""
    operands = {"dZ": grid([["1", "2"]]), "X.T": grid([["1", "3"], ["2", "4"]])}

    def step(ops: Mapping[str, Grid]) -> Grid:
        return matmul(ops["dZ"], ops["X.T"])

    variants = transpose_variants(operands, step)
    # dZ transposed (2x1) does not fit a 2x2 on its right: skipped; the result is 1x2
    assert [(v.slip.phrase, v.value) for v in variants] == [
        ("transpose (X.T transposed)", grid([["7", "10"]]))
    ]
    stated = ((parse_number("7"), parse_number("10")),)
    assert choose(stated, [grid([["5", "11"]])], variants) == (variants[0].slip,)
    assert rank_grid(stated, grid([["5", "11"]])) is None


def test_transposed_square_result_and_the_evaluation_count() -> None:
    """A @ B with A = [[1, 2], [3, 4]], B = I: by hand A itself; transposed result
    [[1, 3], [2, 4]]. B = I is symmetric: not tried. Evaluations: A.T once, the right
    step once (for the result): 2 <= operands + 1."""
    calls = []

    def step(ops: Mapping[str, Grid]) -> Grid:
        calls.append(1)
        return matmul(ops["A"], ops["B"])

    a, eye = grid([["1", "2"], ["3", "4"]]), grid([["1", "0"], ["0", "1"]])
    variants = transpose_variants({"A": a, "B": eye}, step)
    assert [v.value for v in variants] == [grid([["1", "3"], ["2", "4"]])] * 2
    assert len(calls) == 2


def test_transpose_refuses_too_many_operands_before_evaluating() -> None:
    operands = {f"A{i}": grid([["1"]]) for i in range(MAX_TRANSPOSE_OPERANDS + 1)}

    def step(ops: Mapping[str, Grid]) -> Grid:
        raise AssertionError("evaluated")

    with pytest.raises(
        ValueError, match=f"at most {MAX_TRANSPOSE_OPERANDS} operands to try transposed, got 9"
    ):
        transpose_variants(operands, step)
    # at the limit it runs (1x1 operands are their own transposes: one evaluation)
    at_limit = dict(list(operands.items())[:MAX_TRANSPOSE_OPERANDS])
    assert transpose_variants(at_limit, lambda ops: grid([["1"]])) == []


def test_grid_variants_apply_each_scalar_slip_to_every_entry() -> None:
    """dW = [[1/10, -2/5]] with m = 4, by hand: negated [[-1/10, 2/5]], doubled
    [[1/5, -4/5]], halved [[1/20, -1/5]], times m [[2/5, -8/5]], over m [[1/40, -1/10]].
    A stated [["0.40", "-1.60"]] is the sum-for-mean slip."""
    variants = grid_variants(grid([["0.1", "-0.4"]]), 4)
    assert [(v.slip.cause, v.value) for v in variants] == [
        ("sign", grid([["-0.1", "0.4"]])),
        ("factor-2", grid([["0.2", "-0.8"]])),
        ("factor-2", grid([["0.05", "-0.2"]])),
        ("factor-m", grid([["0.4", "-1.6"]])),
        ("factor-m", grid([["0.025", "-0.1"]])),
    ]
    stated = ((parse_number("0.40"), parse_number("-1.60")),)
    found = choose(stated, [grid([["0.1", "-0.4"]])], variants)
    assert [s.cause for s in found] == ["factor-m"]


def test_rank_grid_skips_unanswered_entries_and_takes_the_worst() -> None:
    stated = ((parse_number("0.43"), None), (parse_number("0.43"), parse_number("1")))
    value = grid([["0.4286", "9"], ["0.4391", "1"]])
    assert rank_grid(stated, value) == 1
    assert rank_grid(stated, grid([["0.4286", "9", "1"]])) is None  # shape differs
    assert rank_grid(((None,),), grid([["1"]])) is None  # nothing stated


# -- a hint, never a verdict ---------------------------------------------------------


def test_causes_do_not_change_any_verdict(monkeypatch: pytest.MonkeyPatch, slips: Report) -> None:
    """The same file checked with the catalogue switched off gets the same verdicts."""
    import nbn.check.checker as checker

    monkeypatch.setattr(checker, "_likely_causes", lambda *args, **kwargs: {})
    without = check(path(SLIPS))
    assert [r.verdict for r in without.results] == [r.verdict for r in slips.results]
    assert all(r.likely == () for r in without.results)


@settings(max_examples=examples(12), deadline=None)
@given(
    w=st.integers(min_value=-300, max_value=300).map(lambda k: Fraction(k, 100)),
    y=st.sampled_from([0, 1]),
)
def test_a_negated_gradient_is_named_a_sign_error(w: Fraction, y: int) -> None:
    """dL/dy_hat = y_hat - y with y_hat = sigmoid(w) (float math, by hand); stated as
    its negative to 4 significant digits. Its size is at least sigmoid(-3) = 0.047, so
    -E is more than a unit of the 4th digit from E, and 2E, E/2 have E's sign: only
    the sign slip gives the stated digits."""
    e = _sigma(float(w)) - y
    text = f"""title = "sign property"
[given]
w = "{w.numerator}/{w.denominator}"
y = {y}
[define]
y_hat = "sigmoid(w)"
L = "(y - y_hat)**2 / 2"
[claims]
"grad(L, y_hat)" = "{-e:.4g}"
"""
    result = check_text(text).result("grad(L, y_hat)")
    assert (result.verdict, result.likely_cause) == ("wrong", ("sign",)), (repr(e), result)
