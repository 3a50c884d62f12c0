"""The ledger's kinds of discrepancy: what the article gets wrong (erratum), how it
rounds (truncated, last digit), loose wording (rule of thumb, too vague to check)
and naming or notation conventions (convention).

The expected classification is a reading of the article, typed here by hand: a
claim must not move from one kind to another without this test changing too.
"""

from __future__ import annotations

import re

import pytest
from claims import make_claim

from nbn import cli
from nbn.ledger import CLAIMS, DISCREPANCY_KINDS, Claim, check_claim, get_claim
from nbn.ledger.core import evaluate

pytest.importorskip("sympy")

#: Every claim on which the article and the computed value differ, and why.
EXPECTED_KINDS = {
    # "if z > 2 then, σ(z) ≈ 1": a rough guide; sigma(2) = 0.881
    "sigmoid-at-2": "rule-of-thumb",
    "sigmoid-at-minus-2": "rule-of-thumb",
    # 1/2 sigma(-0.125)^2 = 0.10988..., printed as 0.109: cut off, not rounded
    "bias-new-loss": "truncated",
    # "always" zero, while its own FAQ says biases may start random
    "bias-zero-start-is-a-convention": "rule-of-thumb",
    # "flattens after about 3000 epochs": 737, 1658 or 3095 depending on "flat"
    "batch-or-flattens-3000": "vague",
    # "as the training data set grows this becomes a polynomial-time algorithm, O(n²)":
    # each example costs the same fixed work, so the loop is O(m)
    "looped-is-linear-in-m": "erratum",
    # "we tend to use “Xavier” or “He” initialization methods", and its code's 'xavier'
    # divides by sqrt(n_in): the name many courses give LeCun's scaling
    "xavier-is-lecun": "convention",
    # "Fig 89. Helper function to set weights and bias" sits under the compute_cost listing
    "code-fig89-caption": "erratum",
    # "(1/2m)*sum(Y - Y_hat)^.2" next to np.sum(np.square(Y - Y_hat)): an element-wise power
    "code-cost-docstring": "convention",
}

#: Claims that were once recorded as discrepancies and are not: the article is right.
NOT_DISCREPANCIES = {
    # The text says the constructor "takes in as an argument the shape of data coming
    # in(`input_shape`)"; the listing's `def __init__(self, shape)` takes exactly that.
    "code-sigmoid-argument-name": "shape",
}


def test_every_discrepancy_has_the_expected_kind() -> None:
    recorded = {claim.id: claim.kind for claim in CLAIMS if claim.kind is not None}
    assert recorded == EXPECTED_KINDS


def test_an_argument_name_is_not_recorded_as_a_discrepancy() -> None:
    for claim_id, printed in NOT_DISCREPANCIES.items():
        result = check_claim(claim_id)
        assert result.kind is None and result.erratum is None, claim_id
        assert result.passed and result.article_agrees is True, result.detail
        assert result.article_value == printed


def test_a_convention_is_a_note_not_an_erratum() -> None:
    for claim_id in ("xavier-is-lecun", "code-cost-docstring"):
        result = check_claim(claim_id)
        assert result.passed and result.kind == "convention", result.detail
        assert not result.is_erratum
        assert result.erratum is not None and "not an error" in result.erratum


def test_the_xavier_note_keeps_lecuns_scaling_as_information() -> None:
    # 'xavier' divides by sqrt(n_in); n_in = 2 here: 1/sqrt(2) = 0.70710678118654752...
    result = check_claim("xavier-is-lecun")
    assert result.computed == pytest.approx(0.7071067811865476, rel=1e-15)
    assert result.erratum is not None and "LeCun" in result.erratum
    assert "2 / (n_in + n_out)" in result.erratum  # Glorot and Bengio's variance


def test_the_docstring_notation_matters_because_the_two_readings_differ() -> None:
    # OR data, W = (0.1, 0.6), b = 0: predictions sigma(0), sigma(0.6), sigma(0.1), sigma(0.7)
    # for labels 0, 1, 1, 1. Sum of squares / 8 (by hand with math.exp) = 0.088913 (the
    # code); the square of the sum / 8 would be (-0.5 + 0.354 + 0.475 + 0.332)^2 / 8 = 0.0546.
    import math

    s = [1 / (1 + math.exp(-z)) for z in (0.0, 0.6, 0.1, 0.7)]
    diffs = [y - a for y, a in zip((0, 1, 1, 1), s, strict=True)]
    squares, square_of_sum = sum(d * d for d in diffs) / 8, sum(diffs) ** 2 / 8
    result = check_claim("code-cost-docstring")
    assert result.computed == pytest.approx(squares, rel=1e-12)  # float64, a few roundings
    assert abs(squares - square_of_sum) > 1e-2, (squares, square_of_sum)


def test_a_convention_must_concern_a_name_or_a_notation_not_a_number() -> None:
    with pytest.raises(ValueError, match="a convention is about a name or a notation"):
        _claim(kind="convention", article_value=0.109, decimals=None)
    assert evaluate(_claim(kind="convention", article_value="xavier", decimals=None)).passed


def test_printed_text_must_hold_the_article_numbers_in_order() -> None:
    # The article prints the Jacobian's shape as "(4 × 1 × 2)".
    assert get_claim("jacobian-tensor-shape").printed == "(4 × 1 × 2)"
    with pytest.raises(ValueError, match="holds the numbers"):
        make_claim(1.0, article_value=(4.0, 1.0, 2.0), decimals=0, printed="(4 × 2 × 1)")
    with pytest.raises(ValueError, match="without an article value"):
        make_claim(1.0, article_value=None, decimals=None, printed="(1)")


def test_a_rule_of_thumb_quotes_the_article_instead_of_inventing_a_number() -> None:
    # The article never prints sigma(2) = 1; it states a rule for z > 2.
    claim = get_claim("sigmoid-at-2")
    assert claim.article_value == "if z > 2 then, σ(z) ≈ 1"
    assert check_claim("sigmoid-at-2").computed == pytest.approx(0.8807970779778823, rel=1e-15)


def test_the_flattening_epoch_depends_on_the_definition_of_flat() -> None:
    # The measurements: 5% -> 737, 2% -> 1658, 1% -> 3095, 0.5% never.
    result = check_claim("batch-or-flattens-3000")
    assert result.passed and result.kind == "vague"
    assert isinstance(result.computed, tuple)
    assert result.computed[:3] == (737.0, 1658.0, 3095.0)
    assert 0.5 < result.computed[3] < 1.0


def _claim(**overrides: object) -> Claim:
    overrides.setdefault("article_value", 0.109)
    overrides.setdefault("erratum", "the article's number differs")
    return make_claim(0.10988, **overrides)


def test_an_erratum_text_without_a_kind_is_an_erratum() -> None:
    assert _claim().kind == "erratum"
    assert evaluate(_claim()).is_erratum


def test_truncated_holds_when_the_article_cut_the_number_off() -> None:
    result = evaluate(_claim(kind="truncated"))
    assert result.passed and result.kind == "truncated" and not result.is_erratum


def test_truncated_fails_when_the_article_number_is_not_the_cut_off_value() -> None:
    # 0.10988 cut off at 3 decimals is 0.109, not 0.108
    result = evaluate(_claim(kind="truncated", article_value=0.108))
    assert not result.passed
    assert "recorded as truncated" in result.detail


def test_last_digit_allows_one_unit_and_no_more() -> None:
    assert evaluate(_claim(kind="last-digit", article_value=0.111)).passed  # 0.110 rounded, +1
    result = evaluate(_claim(kind="last-digit", article_value=0.112))
    assert not result.passed and "recorded as last-digit" in result.detail


def test_a_kind_needs_its_explanation_and_must_be_known() -> None:
    with pytest.raises(ValueError, match="kind 'vague' given without its text"):
        _claim(kind="vague", erratum=None)
    with pytest.raises(ValueError, match="kind must be one of"):
        _claim(kind="typo")
    with pytest.raises(ValueError, match="needs the article's decimals"):
        _claim(kind="truncated", decimals=None, article_value="0.109")


def test_every_kind_is_one_of_the_documented_kinds() -> None:
    assert set(EXPECTED_KINDS.values()) <= set(DISCREPANCY_KINDS)


def test_cli_summary_counts_conventions_apart_from_errata(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["verify", "--claim", "xavier-is-lecun", "--claim", "code-fig89-caption"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(re.match(r"PASS C xavier-is-lecun\s", line) for line in out)
    assert re.match(
        r"2 claims: 2 passed, 0 failed; 2 discrepancies with the article: "
        r"1 erratum \(E\), 1 convention \(C\)",
        out[-1],
    ), out[-1]


def test_cli_summary_counts_each_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "--claim", "bias-new-loss", "--claim", "looped-is-linear-in-m"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(re.match(r"PASS T bias-new-loss\s", line) for line in out)
    assert any(re.match(r"PASS E looped-is-linear-in-m\s", line) for line in out)
    assert re.match(
        r"2 claims: 2 passed, 0 failed; 2 discrepancies with the article: "
        r"1 erratum \(E\), 1 truncated \(T\); ",
        out[-1],
    )
