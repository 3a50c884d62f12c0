"""The article ledger: every claim is its own test, plus the ledger's checking rule
and the ``nbn verify`` command line.

The claim tests assert against the values stored in each claim (the article's
number) and the claim's oracles (SymPy, finite differences, the graph engine,
proofs, reference implementations); no number is typed here.
"""

from __future__ import annotations

import json
import re

import pytest
from claims import make_claim

from nbn import cli
from nbn.ledger import (
    CLAIMS,
    ORACLE_NAMES,
    Claim,
    Oracle,
    check_all,
    check_claim,
    clear_cache,
    format_value,
    get_claim,
)
from nbn.ledger.core import agree, article_agrees, evaluate, normalize

pytest.importorskip("sympy")


@pytest.mark.parametrize("claim", CLAIMS, ids=[claim.id for claim in CLAIMS])
def test_claim(claim: Claim) -> None:
    """nbn computes the claim's value, every oracle agrees within its tolerance, the
    article's number rounds to it (or, for an erratum, provably does not)."""
    result = check_claim(claim)
    assert result.passed, result.detail
    assert all(result.oracles.values()), result.oracles
    if claim.erratum is None and claim.article_value is not None:
        assert result.article_agrees is True
    if claim.erratum is not None:
        assert result.article_agrees is not True


# -- what the ledger covers --------------------------------------------------------------

#: Claims the issue lists by name (ids in our ledger), so none can silently disappear.
REQUIRED = (
    "or-single-forward",
    "or-single-loss",
    "or-single-weight-gradients-zero",
    "bias-gradient",
    "bias-step",
    "bias-new-prediction",
    "bias-new-loss",
    "sigmoid-derivative",
    "sigmoid-range",
    "sigmoid-at-2",
    "sigmoid-threshold-099",
    "lr-small-slower",
    "lr-steps-shrink",
    "lr-tiny-barely-moves",
    "lr-large-diverges",
    "batch-or-cost",
    "batch-or-cost-after-update",
    "batch-or-first-gradients",
    "batch-or-second-gradients",
    "batch-or-cost-5000",
    "batch-or-flattens-3000",
    "batch-or-boundary-separates",
    "gradient-is-average",
    "db-is-sum-of-upstream",
    "dw-is-dz-dot-xt",
    "dimension-analysis",
    "jacobian-tensor-shape",
    "jacobian-contracts-to-dz-xt",
    "looped-equals-vectorized",
    "looped-is-linear-in-m",
    "xor-not-linearly-separable",
    "xor-single-neuron-stuck",
    "feature-cross-first-forward",
    "feature-cross-first-gradients",
    "feature-cross-learns-xor",
    "feature-cross-boundary-hyperbola",
    "hidden-cost-5000",
    "code-printed-costs",
    "code-accuracy",
    "code-predicted-output",
    "linear-stack-collapses",
    "equal-weights-stay-equal",
    "random-weights-break-symmetry",
    "layer-count",
    "code-fig89-caption",
    "xavier-is-lecun",
)

#: Discrepancies the issue asks for (of any kind), each explained in its entry.
REQUIRED_ERRATA = ("code-fig89-caption", "looped-is-linear-in-m", "sigmoid-at-2", "xavier-is-lecun")

#: Claims about a computation the article draws as a graph: the engine must confirm them.
GRAPH_CLAIMS = (
    "or-single-forward",
    "or-single-loss",
    "or-single-weight-gradients-zero",
    "bias-gradient",
    "bias-new-prediction",
    "bias-new-loss",
    "batch-or-cost",
    "batch-or-first-gradients",
    "batch-or-second-gradients",
    "db-is-sum-of-upstream",
    "dw-is-dz-dot-xt",
    "feature-cross-first-gradients",
    "hidden-first-gradients",
    "hidden-cost-5000",
)


def test_ledger_has_at_least_thirty_claims_with_unique_ids() -> None:
    ids = [claim.id for claim in CLAIMS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_every_claim_the_issue_lists_is_in_the_ledger() -> None:
    ids = {claim.id for claim in CLAIMS}
    assert set(REQUIRED) <= ids


def test_required_errata_are_recorded_with_an_explanation() -> None:
    for claim_id in REQUIRED_ERRATA:
        erratum = get_claim(claim_id).erratum
        assert erratum is not None and len(erratum) > 40, claim_id


def test_graph_engine_confirms_every_claim_about_a_drawn_graph() -> None:
    for claim_id in GRAPH_CLAIMS:
        assert "graph-engine" in [o.name for o in get_claim(claim_id).oracles], claim_id


def test_every_oracle_is_of_a_known_kind_and_every_gradient_claim_has_two_oracles() -> None:
    for claim in CLAIMS:
        assert {o.name for o in claim.oracles} <= set(ORACLE_NAMES)
        if "gradient" in claim.id:
            assert len(claim.oracles) >= 2, claim.id


def test_statements_are_single_sentences_in_our_words() -> None:
    for claim in CLAIMS:
        assert claim.statement[0].isupper() and claim.statement.endswith("."), claim.id
        assert claim.section and claim.inputs, claim.id


# -- the checking rule -------------------------------------------------------------------


def _claim(**overrides: object) -> Claim:
    return make_claim(0.125, **overrides)


def test_evaluate_passes_a_consistent_claim() -> None:
    result = evaluate(_claim())
    assert result.passed and result.article_agrees is True and result.oracles == {"proof": True}


def test_evaluate_fails_when_an_oracle_disagrees() -> None:
    result = evaluate(_claim(oracles=(Oracle("sympy", lambda: 0.126, 1e-12),)))
    assert not result.passed and result.oracles == {"sympy": False}
    assert "sympy" in result.detail


def test_evaluate_fails_when_the_article_number_does_not_round_to_the_value() -> None:
    result = evaluate(_claim(article_value=0.124, oracles=(Oracle("proof", lambda: 0.125, 1e-12),)))
    assert not result.passed and result.article_agrees is False
    assert "article prints 0.124" in result.detail


def test_evaluate_fails_an_erratum_whose_article_value_agrees() -> None:
    assert not evaluate(_claim(erratum="not really wrong")).passed


def test_evaluate_passes_an_erratum_that_differs_from_the_article() -> None:
    result = evaluate(_claim(article_value=0.2, erratum="the article rounds wrongly"))
    assert result.passed and result.article_agrees is False


def test_evaluate_reports_a_crash_as_a_failed_claim() -> None:
    def broken() -> float:
        raise ZeroDivisionError("boom")

    result = evaluate(_claim(compute=broken))
    assert not result.passed and "ZeroDivisionError: boom" in result.detail


def test_evaluate_fails_a_false_statement_and_a_failed_predicate() -> None:
    false = _claim(
        article_value=None,
        decimals=None,
        compute=lambda: False,
        oracles=(Oracle("proof", lambda: False, 0.0),),
    )
    assert not evaluate(false).passed
    assert not evaluate(_claim(holds=lambda value: value > 1)).passed


def test_claim_rejects_bad_definitions() -> None:
    with pytest.raises(ValueError, match="kebab-case"):
        _claim(id="Not Kebab")
    with pytest.raises(ValueError, match="at least one oracle"):
        _claim(oracles=())
    with pytest.raises(ValueError, match="oracle twice"):
        _claim(oracles=(Oracle("proof", lambda: 1, 0.0), Oracle("proof", lambda: 1, 0.0)))
    with pytest.raises(ValueError, match="decimals given without an article number"):
        _claim(article_value=None)
    with pytest.raises(ValueError, match="oracle name"):
        Oracle("guess", lambda: 1, 0.0)


def test_article_agreement_is_half_a_unit_of_the_last_printed_digit() -> None:
    assert article_agrees(0.08891, 0.089, 3, 1e-12) is True
    assert article_agrees(0.0895, 0.089, 3, 1e-12) is True  # exactly half a unit
    assert article_agrees(0.0896, 0.089, 3, 1e-12) is False
    assert article_agrees(3095.0, 3000.0, -3, 1e-12) is True  # "about 3000"
    assert article_agrees((0.1, 0.2), (0.1,), 1, 1e-12) is False
    assert article_agrees(0.5, None, None, 1e-12) is None
    assert article_agrees("[[ 0.  1.]]", "[[ 0. 1.]]", None, 1e-12) is True
    assert article_agrees(1.0, "O(n²)", None, 1e-12) is False


def test_agree_is_relative_to_the_largest_entry() -> None:
    assert agree((1.0, 1e-20), (1.0, 0.0), 1e-12)
    assert not agree((1.0, 2e-12), (1.0, 0.0), 1e-12)
    assert agree(0.0, 0.0, 0.0)
    assert not agree(True, 1.0, 1.0)
    assert not agree(float("nan"), float("nan"), 1.0)


def test_normalize_gives_json_values() -> None:
    import numpy as np

    assert normalize(np.array([[0.5]])) == 0.5
    assert normalize((np.float64(1.0), [2, 3])) == (1.0, 2.0, 3.0)
    assert normalize(np.bool_(True)) is True
    with pytest.raises(TypeError):
        normalize(object())


def test_format_value_rounds_like_the_article() -> None:
    assert format_value(0.08891294752305501, 3) == "0.089"
    assert format_value((-0.0442872, -0.0350044), 3) == "[-0.044, -0.035]"
    assert format_value(3095.0, -3) == "3000"
    assert format_value(None) == "\u2014"
    assert format_value(True) == "true"
    assert format_value(-0.0001, 3) == "0.000"


def test_unknown_claim_id_suggests_close_ids() -> None:
    with pytest.raises(KeyError, match="or-single-loss"):
        get_claim("or-single-los")


def test_check_all_returns_one_result_per_claim_in_article_order() -> None:
    assert [r.id for r in check_all()] == [c.id for c in CLAIMS]


# -- the command line ----------------------------------------------------------------------


def test_cli_text_report_has_one_line_per_claim_and_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    for claim in CLAIMS:
        assert any(re.match(rf"PASS [ETDRVC ] {re.escape(claim.id)}\s", line) for line in out), (
            claim.id
        )
    discrepancies = sum(claim.erratum is not None for claim in CLAIMS)
    assert re.match(
        rf"{len(CLAIMS)} claims: {len(CLAIMS)} passed, 0 failed; {discrepancies} discrepancies "
        r"with the article: \d+ errata \(E\)",
        out[-1],
    )


def test_cli_json_has_exactly_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == [c.id for c in CLAIMS]
    for record in records:
        assert list(record) == list(cli.JSON_FIELDS)
        assert record["passed"] is True
        assert set(record["oracles"]) <= set(ORACLE_NAMES)
    assert cli.JSON_FIELDS == (
        "id",
        "section",
        "statement",
        "article_value",
        "computed",
        "tolerance",
        "passed",
        "oracles",
        "erratum",
        "kind",
    )


def test_cli_claim_option_checks_only_that_claim(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "--json", "--claim", "bias-gradient"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    claim = get_claim("bias-gradient")
    assert record["id"] == claim.id and record["article_value"] == claim.article_value
    assert record["computed"] == check_claim(claim).computed


def test_cli_unknown_claim_exits_2_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", "--claim", "bias-gradiant"]) == 2
    assert "bias-gradient" in capsys.readouterr().err


def test_cli_without_sympy_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_sympy_available", lambda: False)
    assert cli.main(["verify"]) == 2
    assert "pip install sympy" in capsys.readouterr().err


def test_cli_without_a_command_prints_help_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([]) == 2
    assert "verify" in capsys.readouterr().err


def test_python_dash_m_nbn_runs_the_cli() -> None:
    # a subprocess: nbn's pytest plugin makes pytest import nbn's modules through its
    # assertion-rewriting loader, which runpy cannot run a module with
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "nbn", "verify", "--claim", "or-single-loss"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "1 claim: 1 passed, 0 failed" in done.stdout


# Last: it empties the cache that the tests above share.
def test_check_claim_is_cached_until_the_cache_is_cleared() -> None:
    first = check_claim("or-single-loss")
    assert check_claim("or-single-loss") is first
    clear_cache()
    again = check_claim("or-single-loss")
    assert again is not first and again == first
