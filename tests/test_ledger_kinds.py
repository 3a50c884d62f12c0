"""The ledger's kinds of discrepancy: what the article gets wrong (erratum), how it
rounds (truncated, last digit) and loose wording (rule of thumb, too vague to check).

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
    "looped-is-linear-in-m": "erratum",
    "xavier-is-lecun": "erratum",
    "code-sigmoid-argument-name": "erratum",
    "code-fig89-caption": "erratum",
    "code-cost-docstring": "erratum",
}


def test_every_discrepancy_has_the_expected_kind() -> None:
    recorded = {claim.id: claim.kind for claim in CLAIMS if claim.kind is not None}
    assert recorded == EXPECTED_KINDS


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
