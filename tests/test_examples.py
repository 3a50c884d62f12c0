"""The worked-example files that ship with nbn (``nbn/examples``, linked as
``examples/``): the article's hand-worked examples and the ledger that reads its
numbers from them, a learner's attempt whose verdicts are derived by hand here,
and the closing exercise.

Expected values come from the article (through the files), from the ledger's
own oracles, or from arithmetic written out in this file; never from the checker
under test.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from nbn import datasets
from nbn.check import Report, check, check_text
from nbn.examples import DIRECTORY, article_numbers, example, files, path, printed, stated
from nbn.ledger import batch as ledger_batch
from nbn.ledger import bias as ledger_bias
from nbn.ledger import check_claim, get_claim
from nbn.ledger import single_neuron as ledger_single
from nbn.ledger.runs import OR_B, OR_W

ROOT = Path(__file__).resolve().parents[1]

#: Every ledger claim that reads its article numbers from a file: id -> (file, claims...).
FROM_EXAMPLES: dict[str, tuple[str, ...]] = {
    **ledger_single.FROM_EXAMPLES,
    **ledger_bias.FROM_EXAMPLES,
    **ledger_batch.FROM_EXAMPLES,
}
ARTICLE_FILES = tuple(name for name in files() if name.startswith("article-"))
LEARNER = "learner-or-neuron.nbn.toml"
EXERCISE = "exercise-or-neuron.nbn.toml"


@pytest.fixture(scope="module")
def article_reports() -> dict[str, Report]:
    return {name: check(path(name)) for name in ARTICLE_FILES}


def _sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _decimals(text: str) -> int:
    """Digits after the point of a printed decimal ("0.125" -> 3, "0" -> 0)."""
    return len(text.split(".")[1]) if "." in text else 0


# -- the package's files and accessors ----------------------------------------------


def test_examples_link_at_the_repository_root_points_at_the_package_folder() -> None:
    link = ROOT / "examples"
    assert link.is_symlink()
    assert link.resolve() == DIRECTORY


def test_shipped_files_are_the_article_examples_the_learner_and_the_exercise() -> None:
    assert set(ARTICLE_FILES) == {
        "article-or-neuron.nbn.toml",
        "article-bias-step.nbn.toml",
        "article-batch-iteration.nbn.toml",
    }
    assert {LEARNER, EXERCISE} <= set(files())


def test_article_files_name_the_article_and_its_section() -> None:
    for name in ARTICLE_FILES:
        source = example(name).source
        assert "Nothing but NumPy" in source and "section" in source, (name, source)


def test_article_files_start_from_the_ledgers_weights_bias_and_or_table() -> None:
    """The inputs are typed in the files and in nbn.ledger.runs: they must match."""
    X, Y = datasets.or_gate()
    for name in ARTICLE_FILES:
        given = {key: value.value for key, value in example(name).given.items()}
        assert (given["w1"], given["w2"]) == tuple(Fraction(str(w)) for w in OR_W)
        assert given.get("b", Fraction(0)) == Fraction(str(OR_B))
    batch = {k: v.value for k, v in example("article-batch-iteration.nbn.toml").given.items()}
    for j in range(X.shape[1]):
        assert batch[f"x1_{j + 1}"] == X[0, j]
        assert batch[f"x2_{j + 1}"] == X[1, j]
        assert batch[f"y_{j + 1}"] == Y[0, j]


def test_path_of_an_unknown_file_lists_the_shipped_ones() -> None:
    with pytest.raises(ValueError, match=r"article-bias-step\.nbn\.toml.*got 'nope\.toml'"):
        path("nope.toml")


def test_stated_of_an_unknown_claim_names_the_closest_claims() -> None:
    with pytest.raises(KeyError, match=r"no claim 'after\(1, l\)'; did you mean .*'after\(1, L\)'"):
        stated("article-bias-step.nbn.toml", "after(1, l)")


def test_article_numbers_refuses_an_unanswered_claim() -> None:
    with pytest.raises(ValueError, match=r"key 'cost': expected a number, got '\?'"):
        article_numbers(EXERCISE, "cost")


def test_article_numbers_gives_the_printed_decimals_as_floats() -> None:
    """On the learner's file (our numbers, not the article's)."""
    assert stated(LEARNER, "L") == "0.062658"
    assert article_numbers(LEARNER, "L") == 0.062658
    assert printed(LEARNER, "z", "grad(L, y_hat)") == ("0.6", "0.354")
    assert article_numbers(LEARNER, "z", "grad(L, y_hat)") == (0.6, 0.354)


# -- the ledger reads the article's numbers from the files ---------------------------


@pytest.mark.parametrize("claim_id", sorted(FROM_EXAMPLES))
def test_ledger_article_value_is_the_files_printed_number(claim_id: str) -> None:
    """One source of truth: the ledger's article value is the file's stated value,
    and the ledger's rounding (decimals) is the number of digits printed."""
    name, *claims = FROM_EXAMPLES[claim_id]
    claim = get_claim(claim_id)
    assert claim.article_value == article_numbers(name, *claims)
    texts = printed(name, *claims)
    if claim.decimals is not None:
        assert claim.decimals == max(_decimals(t) for t in texts), texts
    for text in texts:
        assert text in claim.statement, (text, claim.statement)


def test_every_claim_of_the_article_files_is_a_ledger_number(
    article_reports: dict[str, Report],
) -> None:
    """Each article number in a file is checked by the ledger too (no orphan)."""
    linked = {(entry[0], claim) for entry in FROM_EXAMPLES.values() for claim in entry[1:]}
    for name, report in article_reports.items():
        for result in report.results:
            assert (name, result.claim) in linked, (name, result.claim)


@pytest.mark.parametrize("claim_id", sorted(FROM_EXAMPLES))
def test_checker_verdicts_on_the_article_files_match_the_ledger(
    claim_id: str, article_reports: dict[str, Report]
) -> None:
    """A ledger erratum shows up as a non-agreeing verdict (truncated or wrong),
    expected by the file's [expect] table; every other article number agrees. The
    checker's exact values agree with the ledger's checked values."""
    name, *claims = FROM_EXAMPLES[claim_id]
    ledger = check_claim(claim_id)
    assert ledger.passed, ledger.detail
    results = [article_reports[name].result(claim) for claim in claims]
    verdicts = [r.verdict for r in results]
    if get_claim(claim_id).erratum is None:
        assert verdicts == ["agrees"] * len(claims)
    else:
        assert any(v in ("truncated", "wrong") for v in verdicts), verdicts
        assert all(v in ("agrees", "truncated", "wrong") for v in verdicts), verdicts
    assert all(r.ok for r in results), [(r.verdict, r.expected) for r in results]
    computed = ledger.computed if isinstance(ledger.computed, tuple) else (ledger.computed,)
    tolerance = 1e-9 if "after(5000" in " ".join(claims) else 1e-12
    for value, result in zip(computed, results, strict=True):
        assert isinstance(value, float)
        assert float(result.exact) == pytest.approx(value, rel=tolerance, abs=1e-15)


def test_the_articles_truncated_loss_is_its_only_erratum_among_the_files(
    article_reports: dict[str, Report],
) -> None:
    """By hand, from the file's own new bias b: the new loss is 1/2 sigma(b)^2 (x = 0,
    y = 0); the stated value is that number with its digits past the third cut off,
    which is not how it rounds. Every other printed number of the three files rounds
    correctly."""
    name = "article-bias-step.nbn.toml"
    not_agreeing = [
        (file, r.claim, r.verdict)
        for file, report in article_reports.items()
        for r in report.results
        if r.verdict != "agrees"
    ]
    assert not_agreeing == [(name, "after(1, L)", "truncated")]
    new_loss = 0.5 * _sigma(float(article_numbers(name, "after(1, b)"))) ** 2
    loss_text = stated(name, "after(1, L)")
    assert math.floor(new_loss * 1000) / 1000 == float(loss_text)
    assert f"{new_loss:.3f}" != loss_text
    assert all(report.ok for report in article_reports.values())


# -- the learner's attempt: verdicts derived by hand -------------------------------
#
# The example (0, 1) -> y = 1, with w1 = 0.1, w2 = 0.6, b = 0 and learning rate 1.
# Exact values:
#   z = 0.1*0 + 0.6*1 + 0 = 0.6
#   y_hat = sigma(0.6) = 0.6456563...
#   L = 1/2 (1 - 0.6456563)^2 = 1/2 (0.3543437)^2 = 0.0627797...
#   sigma'(z) = y_hat (1 - y_hat) = 0.6456563 * 0.3543437 = 0.2287842...
#   dL/dy_hat = -(y - y_hat) = -0.3543437
#   dL/dz = -0.3543437 * 0.2287842 = -0.0810683...; dL/dw1 = 0 (x1 = 0);
#   dL/dw2 = dL/db = -0.0810683
#   after one step: w1 = 0.1, w2 = 0.6 + 0.0810683 = 0.6810683, b = 0.0810683,
#   y_hat = sigma(0.6810683 + 0.0810683) = sigma(0.7621365) = 0.6818174...,
#   L = 1/2 (1 - 0.6818174)^2 = 0.0506201...
# What the learner wrote, and the verdict by the rules (agrees, truncated, carried,
# last-digit, carried from a rounded intermediate, wrong), with the step redone
# from the learner's own inputs:
#   z = 0.6             exact                                          agrees
#   y_hat = 0.646       0.64566 rounds to 0.646                        agrees
#   L = 0.062658        exact rounds to 0.062780, truncates to 0.062779; redone from
#                       the agreeing 0.646: 1/2 (0.354)^2 = 0.062658 = stated, 122 units
#                       of the 6th decimal from the exact value: a rounded intermediate  carried
#   y_hat(1 - y_hat) = 0.228   0.22878 truncated                       truncated
#   dL/dy_hat = 0.354   exact -0.354; redone from 0.646: -(1 - 0.646) = -0.354,
#                       not 0.354, and the input agrees                 wrong (first)
#   dL/dz = 0.081       exact -0.081; redone: 0.354 * sigma'(0.6) = 0.354 * 0.22878
#                       = 0.08099 -> 0.081, from the wrong 0.354        carried
#   dL/dw1 = 0          0 * anything = 0                               agrees
#   dL/dw2 = 0.081      redone: 0.081 * x2 = 0.081 (wrong input)       carried
#   dL/db = 0.081       redone: 0.081 * 1 = 0.081                      carried
#   after w1 = 0.1      0.1 - 1 * 0 = 0.1                              agrees
#   after w2 = 0.519    exact 0.681; redone: 0.6 - 1 * 0.081 = 0.519  carried
#   after b = -0.081    exact 0.081; redone: 0 - 1 * 0.081 = -0.081    carried
#   after y_hat = 0.608 exact 0.682; redone: sigma(0.1*0 + 0.519*1 - 0.081)
#                       = sigma(0.438) = 0.60778 -> 0.608              carried
#   after L = 0.077     exact 0.0506; redone from the stated 0.608:
#                       1/2 (1 - 0.608)^2 = 1/2 (0.392)^2 = 0.076832 -> 0.077  carried

# the article's starting weights and bias, from the ledger
_Z = OR_W[0] * 0 + OR_W[1] * 1 + OR_B
_SIGMA_06 = _sigma(_Z)
_DZ = -(1 - _SIGMA_06) * _SIGMA_06 * (1 - _SIGMA_06)
LEARNER_HAND: dict[str, tuple[str, float]] = {
    "z": ("agrees", _Z),
    "y_hat": ("agrees", _SIGMA_06),
    "L": ("carried", 0.5 * (1 - _SIGMA_06) ** 2),
    "y_hat * (1 - y_hat)": ("truncated", _SIGMA_06 * (1 - _SIGMA_06)),
    "grad(L, y_hat)": ("wrong", -(1 - _SIGMA_06)),
    "grad(L, z)": ("carried", _DZ),
    "grad(L, w1)": ("agrees", 0.0),
    "grad(L, w2)": ("carried", _DZ),
    "grad(L, b)": ("carried", _DZ),
    "after(1, w1)": ("agrees", OR_W[0]),
    "after(1, w2)": ("carried", OR_W[1] - _DZ),
    "after(1, b)": ("carried", OR_B - _DZ),
    "after(1, y_hat)": ("carried", _sigma(_Z - 2 * _DZ)),
    "after(1, L)": ("carried", 0.5 * (1 - _sigma(_Z - 2 * _DZ)) ** 2),
}
#: The learner's steps redone from their own stated inputs, by hand (see above).
LEARNER_REDONE: dict[str, float] = {
    "L": 0.5 * (1 - 0.646) ** 2,
    "grad(L, y_hat)": -(1 - 0.646),
    "grad(L, z)": 0.354 * _SIGMA_06 * (1 - _SIGMA_06),
    "after(1, w2)": OR_W[1] - 0.081,
    "after(1, b)": OR_B - 0.081,
    "after(1, y_hat)": _sigma(0.519 - 0.081),
    "after(1, L)": 0.5 * (1 - 0.608) ** 2,
}


@pytest.fixture(scope="module")
def learner() -> Report:
    return check(path(LEARNER))


def test_learner_claims_are_the_hand_derived_ones(learner: Report) -> None:
    assert [r.claim for r in learner.results] == list(LEARNER_HAND)


@pytest.mark.parametrize("claim", list(LEARNER_HAND))
def test_learner_verdict_and_exact_value_match_the_hand_derivation(
    claim: str, learner: Report
) -> None:
    verdict, value = LEARNER_HAND[claim]
    result = learner.result(claim)
    assert result.verdict == verdict
    assert float(result.exact) == pytest.approx(value, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("claim", list(LEARNER_REDONE))
def test_learner_step_redone_from_the_learners_inputs(claim: str, learner: Report) -> None:
    redone = learner.result(claim).recomputed
    assert redone is not None
    assert float(redone) == pytest.approx(LEARNER_REDONE[claim], rel=1e-12)


def test_learner_report_names_the_sign_error_as_the_first_wrong_step(learner: Report) -> None:
    assert [r.claim for r in learner.first_wrong] == ["grad(L, y_hat)"]
    for claim, (verdict, _) in LEARNER_HAND.items():
        if verdict == "carried" and claim != "L":
            assert "grad(L, y_hat)" in learner.result(claim).carried_from, claim
    # the loss is carried from the rounded prediction, not from the sign error
    assert learner.result("L").carried_from == ("y_hat",)


def test_learner_file_expects_exactly_the_hand_derived_verdicts(learner: Report) -> None:
    """The file's [expect] table (which lets it pass in CI) says what the hand
    derivation says, for every claim that does not agree."""
    expected = {c.text: c.expect for c in example(LEARNER).claims if c.expect}
    assert expected == {c: v for c, (v, _) in LEARNER_HAND.items() if v != "agrees"}
    assert learner.ok


def test_learner_loss_went_up_because_of_the_sign_error() -> None:
    """The learner's numbers say the step made the loss worse (0.063 -> 0.077);
    the true step makes it better (0.0628 -> 0.0506)."""
    assert LEARNER_HAND["after(1, L)"][1] < LEARNER_HAND["L"][1]
    assert float(stated(LEARNER, "after(1, L)")) > float(stated(LEARNER, "L"))


# -- the exercise ---------------------------------------------------------------------


def _exercise_answers() -> dict[str, float]:
    """The exercise worked by hand in floats: four examples, then one step."""
    X = [(0, 0), (0, 1), (1, 0), (1, 1)]
    Y = [0, 1, 1, 1]
    (w1, w2), b = OR_W, OR_B

    def forward(w1: float, w2: float, b: float) -> tuple[list[float], float]:
        y_hats = [_sigma(w1 * x1 + w2 * x2 + b) for x1, x2 in X]
        return y_hats, sum((y - a) ** 2 for y, a in zip(Y, y_hats, strict=True)) / 8

    y_hats, cost = forward(w1, w2, b)
    # dCost/dz_j = -(y_j - y_hat_j) / 4 * y_hat_j (1 - y_hat_j)
    dz = [-(y - a) / 4 * a * (1 - a) for y, a in zip(Y, y_hats, strict=True)]
    dw1 = sum(d * x1 for d, (x1, _) in zip(dz, X, strict=True))
    dw2 = sum(d * x2 for d, (_, x2) in zip(dz, X, strict=True))
    db = sum(dz)
    _, new_cost = forward(w1 - dw1, w2 - dw2, b - db)
    answers = {f"y_hat_{j + 1}": a for j, a in enumerate(y_hats)}
    answers.update(
        {
            "cost": cost,
            "grad(cost, y_hat_2)": -(Y[1] - y_hats[1]) / 4,
            "grad(cost, z_2)": dz[1],
            "grad(cost, w1)": dw1,
            "grad(cost, w2)": dw2,
            "grad(cost, b)": db,
            "after(1, w1)": w1 - dw1,
            "after(1, w2)": w2 - dw2,
            "after(1, b)": b - db,
            "after(1, cost)": new_cost,
        }
    )
    return answers


def test_exercise_ships_blank_and_hides_the_answers() -> None:
    report = check(path(EXERCISE))
    assert [r.verdict for r in report.results] == ["unanswered"] * len(report.results)
    assert report.ok
    assert all(r.to_json()["exact"] is None for r in report.results)


def _filled_in(name: str, answers: dict[str, float]) -> Report:
    """Follow a blank file's instructions: answers to 4 significant digits in place of
    each "?", the [expect] table deleted; check the result."""
    text = path(name).read_text(encoding="utf-8").split("\n[expect]")[0]
    done: list[str] = []

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        claim = key.strip('"')
        done.append(claim)
        return f'{key} = "{answers[claim]:.4g}"'

    text = re.sub(r'^("[^"\n]+"|\w+) = "\?"$', fill, text, flags=re.MULTILINE)
    assert sorted(done) == sorted(answers)
    return check_text(text, file=f"filled-in {name}")


def test_exercise_filled_in_with_hand_answers_agrees_everywhere() -> None:
    """Following the file's instructions gives a report where every claim agrees."""
    answers = _exercise_answers()
    report = _filled_in(EXERCISE, answers)
    assert {r.claim: r.verdict for r in report.results} == dict.fromkeys(answers, "agrees")


# -- the "Your turn" checks of the lessons ---------------------------------------------
#
# Worked by hand in floats, from the files' givens (the article's starting weights).
#   weight gradient, x = (1, 0), y = 1, no bias:
#     z = 0.1, y_hat = sigma(0.1), dL/dy_hat = -(1 - y_hat),
#     dL/dz = dL/dy_hat * y_hat (1 - y_hat), dL/dw1 = x1 dL/dz = dL/dz, dL/dw2 = 0
#   bias step, x = (1, 1), y = 1, b = 0, rate 1:
#     z = 0.7, dL/db = -(1 - y_hat) y_hat (1 - y_hat), b_new = 0 - dL/db
#   batch gradient, the OR inputs with AND labels (0, 0, 0, 1), m = 4:
#     dCost/dz_j = -(y_j - y_hat_j) / 4 * y_hat_j (1 - y_hat_j),
#     dCost/db = sum_j dCost/dz_j, dCost/dw1 = sum_j x1_j dCost/dz_j


def _turn_answers() -> dict[str, dict[str, float]]:
    (w1, w2), b = OR_W, OR_B
    y_hat = _sigma(w1 * 1 + w2 * 0)
    dz = -(1 - y_hat) * y_hat * (1 - y_hat)
    weight = {
        "y_hat": y_hat,
        "grad(L, y_hat)": -(1 - y_hat),
        "grad(L, z)": dz,
        "grad(L, w1)": 1 * dz,
        "grad(L, w2)": 0 * dz,
    }
    y_hat = _sigma(w1 + w2 + b)
    db = -(1 - y_hat) * y_hat * (1 - y_hat)
    bias = {"y_hat": y_hat, "grad(L, b)": db, "after(1, b)": b - 1 * db}
    X = [(0, 0), (0, 1), (1, 0), (1, 1)]
    Y = [0, 0, 0, 1]
    dzs = []
    for (x1, x2), y in zip(X, Y, strict=True):
        a = _sigma(w1 * x1 + w2 * x2 + b)
        dzs.append(-(y - a) / 4 * a * (1 - a))
    batch = {
        "grad(cost, z_4)": dzs[3],
        "grad(cost, b)": sum(dzs),
        "grad(cost, w1)": sum(d * x1 for d, (x1, _) in zip(dzs, X, strict=True)),
    }
    return {
        "turn-weight-gradient.nbn.toml": weight,
        "turn-bias-step.nbn.toml": bias,
        "turn-batch-gradient.nbn.toml": batch,
    }


TURNS = _turn_answers()


def test_turn_files_are_shipped() -> None:
    assert set(TURNS) <= set(files())
    assert {n for n in files() if n.startswith("turn-")} == set(TURNS)


@pytest.mark.parametrize("name", sorted(TURNS))
def test_turn_ships_blank_and_hides_the_answers(name: str) -> None:
    report = check(path(name))
    assert [r.claim for r in report.results] == list(TURNS[name])
    assert [r.verdict for r in report.results] == ["unanswered"] * len(report.results)
    assert report.ok
    assert all(r.to_json()["exact"] is None for r in report.results)


@pytest.mark.parametrize("name", sorted(TURNS))
def test_turn_exact_values_are_the_hand_derived_ones(name: str) -> None:
    """What the page's worked solution shows (the checker's exact values) is the
    hand derivation; a few float operations on each side: 1e-12 relative, and
    absolute 1e-15 for the zero gradient."""
    report = check(path(name))
    for claim, value in TURNS[name].items():
        exact = float(report.result(claim).exact)
        assert exact == pytest.approx(value, rel=1e-12, abs=1e-15), (claim, exact, value)


@pytest.mark.parametrize("name", sorted(TURNS))
def test_turn_filled_in_with_hand_answers_agrees_everywhere(name: str) -> None:
    report = _filled_in(name, TURNS[name])
    assert {r.claim: r.verdict for r in report.results} == dict.fromkeys(TURNS[name], "agrees")


def test_turn_with_a_sign_error_names_the_step() -> None:
    """A learner who forgets the minus in dL/dy_hat: that step is wrong, the ones
    after it carry the error (by the hand derivation above, every later value
    changes sign)."""
    answers = dict(TURNS["turn-weight-gradient.nbn.toml"])
    for claim in ("grad(L, y_hat)", "grad(L, z)", "grad(L, w1)"):
        answers[claim] = -answers[claim]
    report = _filled_in("turn-weight-gradient.nbn.toml", answers)
    assert [r.claim for r in report.first_wrong] == ["grad(L, y_hat)"]
    assert report.result("grad(L, z)").verdict == "carried"
    assert report.result("y_hat").verdict == "agrees"


@pytest.mark.slow  # a pytest subprocess; CI also runs `pytest examples/` itself
def test_pytest_collects_the_examples_link_one_item_per_claim() -> None:
    """`pytest examples/` as CI runs it: pytest imports the folder's __init__ as a
    package named "examples", then the plugin makes each claim an item."""
    target = "examples/article-or-neuron.nbn.toml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    claims = [c.text for c in example("article-or-neuron.nbn.toml").claims]
    assert f"{len(claims)} passed" in done.stdout, done.stdout
