"""Each verdict of ``nbn check`` against cases derived by hand (arithmetic in the comments).

The expected verdicts and values here come from the hand derivations, never from
the checker. Where a number is irrational, its digits are quoted from a table of
constants (e = 2.718281828459045235..., sigmoid(0.6) = 0.645656306225795...).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from nbn.check import CheckError, check_text

HEADER = 'title = "hand-derived case"\n'


def verdicts(toml: str) -> dict[str, str]:
    return {r.claim: r.verdict for r in check_text(HEADER + toml).results}


# -- agrees, truncated, last-digit, wrong on one number -------------------------------


@pytest.mark.parametrize(
    ("stated", "verdict"),
    [
        # 3/7 = 0.428571...: rounded to 3 decimals 0.429, truncated 0.428
        ("0.429", "agrees"),
        ("0.428", "truncated"),
        ("0.43", "agrees"),  # 2 decimals: 0.43 (0.4286 rounds up)
        ("0.42", "truncated"),
        ("0.427", "wrong"),  # |0.427 - 0.428571| = 0.00157 > 0.001
        ("0.4286", "agrees"),
        ("0.4285", "truncated"),
        ("0.4287", "wrong"),  # |0.4287 - 0.428571| = 0.000129 > 0.0001
        ("3/7", "agrees"),  # a fraction states the exact value
        ("428571/1000000", "wrong"),  # an exact fraction that is not 3/7
    ],
)
def test_three_sevenths(stated: str, verdict: str) -> None:
    toml = f'[given]\na = 3\n[define]\ns = "a / 7"\n[claims]\ns = "{stated}"\n'
    assert verdicts(toml) == {"s": verdict}


@pytest.mark.parametrize(
    ("stated", "verdict"),
    [
        # 1/7 = 0.142857...: to 2 decimals rounded and truncated are both 0.14
        ("0.14", "agrees"),
        ("0.15", "last-digit"),  # |0.15 - 0.142857| = 0.00714 < 0.01
        ("0.13", "wrong"),  # |0.13 - 0.142857| = 0.0129 > 0.01
        ("1.4e-1", "agrees"),  # the same digits in exponent form
        ("1.5e-1", "last-digit"),
    ],
)
def test_one_seventh_last_digit(stated: str, verdict: str) -> None:
    toml = f'[given]\na = 1\n[define]\ns = "a / 7"\n[claims]\ns = "{stated}"\n'
    assert verdicts(toml) == {"s": verdict}


def test_negative_values_truncate_toward_zero() -> None:
    # -3/7 = -0.428571...: rounded -0.43, truncated (toward zero) -0.42
    toml = (
        '[given]\na = -3\n[define]\ns = "a / 7"\nt = "s"\nu = "s"\n'
        '[claims]\ns = "-0.43"\nt = "-0.42"\nu = "-0.44"\n'
    )
    assert verdicts(toml) == {"s": "agrees", "t": "truncated", "u": "wrong"}


def test_an_exact_tie_accepts_both_neighbours() -> None:
    # 1/8 = 0.125 exactly: half-up gives 0.13, half-to-even 0.12; both are correct roundings
    toml = '[given]\na = 1\n[define]\nt = "a / 8"\nu = "t"\n[claims]\nt = "0.12"\nu = "0.13"\n'
    assert verdicts(toml) == {"t": "agrees", "u": "agrees"}


def test_transcendental_values_are_judged_past_float64_digits() -> None:
    # e = 2.718281828459045235...: 15 decimals round to ...045; ...046 is 0.76e-15 away,
    # less than one unit (1e-15) but not the rounding: last-digit. float64(e) itself is
    # 2.718281828459045090..., so a float comparison could not tell these apart.
    toml = (
        '[given]\none = 1\n[define]\ne = "exp(one)"\nf = "e"\ng = "e"\n'
        '[claims]\ne = "2.718281828459045"\nf = "2.718281828459046"\n'
        'g = "2.7182818284590452354"\n'
    )
    assert verdicts(toml) == {"e": "agrees", "f": "last-digit", "g": "agrees"}


def test_sigmoid_value_rounds_at_the_printed_digits() -> None:
    # sigmoid(0.6) = 1 / (1 + e^-0.6) = 1 / 1.548811636... = 0.645656306...
    toml = (
        '[given]\nz = "0.6"\n[define]\ns = "sigmoid(z)"\nt = "s"\nu = "s"\n'
        '[claims]\ns = "0.6457"\nt = "0.6456"\nu = "0.645"\n'
    )
    assert verdicts(toml) == {"s": "agrees", "t": "truncated", "u": "truncated"}


# -- carried, rounded intermediates, first wrong step --------------------------------------

CHAIN = """
[given]
a = 3
b = "0.5"
[define]
p = "a * b"
q = "p * p"
r = "q / 3"
[claims]
"""


def test_an_error_is_carried_and_the_first_wrong_step_named() -> None:
    # exact: p = 1.5, q = 2.25, r = 0.75.
    # The author writes p = 1.6 (wrong: 0.1 away, one full unit), then squares it
    # correctly, q = 1.6^2 = 2.56 (carried), and divides correctly, r = 2.56 / 3 =
    # 0.85333... -> 0.853 (carried).
    report = check_text(HEADER + CHAIN + 'p = "1.6"\nq = "2.56"\nr = "0.853"\n')
    assert {r.claim: r.verdict for r in report.results} == {
        "p": "wrong",
        "q": "carried",
        "r": "carried",
    }
    assert [r.claim for r in report.first_wrong] == ["p"]
    assert report.result("q").carried_from == ("p",)
    # r's direct input is q (not agreeing); the first wrong step upstream is p
    assert report.result("r").carried_from == ("q", "p")
    assert report.result("r").recomputed == Fraction(256, 300)


def test_an_error_carried_through_an_unstated_step() -> None:
    # p stated wrong (1.6), q not stated: the author's q is 1.6^2 = 2.56, so the
    # stated r = 2.56 / 3 = 0.853 is carried from p.
    report = check_text(HEADER + CHAIN + 'p = "1.6"\nr = "0.853"\n')
    assert report.result("r").verdict == "carried"
    assert report.result("r").inputs == ("p",)


def test_a_wrong_step_after_a_wrong_input_is_wrong_but_not_first() -> None:
    # p = 1.6 (wrong); q = 2.7 is neither 2.25 nor 1.6^2 = 2.56 to one decimal
    # (|2.7 - 2.56| = 0.14 > 0.1): wrong again, but not a first wrong step (p is
    # upstream of it). (q = 2.6 would be 2.56 rounded: carried.)
    report = check_text(HEADER + CHAIN + 'p = "1.6"\nq = "2.7"\n')
    assert [r.verdict for r in report.results] == ["wrong", "wrong"]
    assert [r.claim for r in report.first_wrong] == ["p"]


def test_a_rounded_intermediate_is_carried_not_wrong() -> None:
    # u = 1/3 = 0.333..., v = 300 u = 100 exactly. The author rounds u correctly to
    # 0.33 and computes v = 0.33 * 300 = 99.0: 1.0 away from 100 (ten units of the
    # last digit, so not last-digit), but the step is right from the rounded input:
    # the difference was carried in by rounding u, and u is where it came from.
    toml = (
        '[given]\na = 1\n[define]\nu = "a / 3"\nv = "u * 300"\n[claims]\nu = "0.33"\nv = "99.0"\n'
    )
    assert verdicts(toml) == {"u": "agrees", "v": "carried"}
    report = check_text(HEADER + toml)
    assert report.result("v").carried_from == ("u",)
    assert report.first_wrong == ()


def test_a_rounded_intermediate_within_one_unit_is_last_digit() -> None:
    # u = 1/6 = 0.1666..., stated 0.17 (correctly rounded). v = 2 u = 0.3333...; from
    # the rounded u the author gets 2 * 0.17 = 0.34, which is 0.0067 from the exact v:
    # less than one unit (0.01), and neither its rounding nor its truncation (both
    # 0.33): last-digit, which takes precedence over the rounded-intermediate carry.
    toml = '[given]\na = 1\n[define]\nu = "a / 6"\nv = "2 * u"\n[claims]\nu = "0.17"\nv = "0.34"\n'
    assert verdicts(toml) == {"u": "agrees", "v": "last-digit"}


def test_a_gradient_error_is_carried_down_the_chain_rule() -> None:
    # f = x^2 at x = 3: f = 9; g = 2 f = 18. d g / d f = 2, d g / d x = 2 * 2x = 12.
    # The author states d g / d f = 3 (wrong) and then d g / d x = 3 * 6 = 18: the
    # chain rule done right from the wrong upstream gradient: carried.
    toml = (
        '[given]\nx = 3\n[define]\nf = "x * x"\ng = "2 * f"\n'
        '[claims]\n"grad(g, f)" = "3"\n"grad(g, x)" = "18"\n"grad(g, g)" = 1\n'
    )
    assert verdicts(toml) == {
        "grad(g, f)": "wrong",
        "grad(g, x)": "carried",
        "grad(g, g)": "agrees",
    }


def test_gradient_through_two_paths_is_the_total_derivative() -> None:
    # h = x * y with y = x + 1, at x = 2: h = x (x + 1), dh/dx = 2x + 1 = 5
    # (3 through the x factor, 2 through y); dh/dy = x = 2.
    toml = (
        '[given]\nx = 2\n[define]\ny = "x + 1"\nh = "x * y"\n'
        '[claims]\n"grad(h, x)" = 5\n"grad(h, y)" = 2\n"grad(h, x) - grad(h, y)" = 3\n'
    )
    assert set(verdicts(toml).values()) == {"agrees"}


def test_unanswered_claims_hide_their_value() -> None:
    report = check_text(HEADER + CHAIN + 'p = "?"\nq = "2.25"\n')
    p = report.result("p")
    assert p.verdict == "unanswered"
    assert not p.ok
    assert p.to_json()["exact"] is None
    assert p.to_json(reveal=True)["exact"] == 1.5
    assert report.result("q").verdict == "agrees"
    assert not report.ok


def test_expect_table_makes_a_known_erratum_pass() -> None:
    # 3/7 truncated to 0.428: expected, so the report is ok; 0.43 would be a surprise
    base = '[given]\na = 3\n[define]\ns = "a / 7"\n[claims]\ns = "{}"\n[expect]\ns = "truncated"\n'
    report = check_text(HEADER + base.format("0.428"))
    assert report.ok
    assert report.results[0].expected == "truncated"
    report = check_text(HEADER + base.format("0.429"))
    assert not report.ok  # agrees, but truncated was expected: strict


# -- after(n, e) --------------------------------------------------------------------------

TRAIN = """
[given]
w = 1
[define]
L = "(w - 3)**2"
[train]
loss = "L"
params = ["w"]
learning_rate = "1/4"
[claims]
"""


def test_after_steps_by_hand() -> None:
    # dL/dw = 2 (w - 3). Step 1: w = 1 - (1/4)(2)(-2) = 2; L = 1.
    # Step 2: w = 2 - (1/4)(2)(-1) = 2.5; L = 0.25. Step n: w = 3 - 2^(1-n), so after
    # 10 steps w = 3 - 1/512 = 2.998046875.
    toml = (
        '"grad(L, w)" = -4\n"after(1, w)" = 2\n"after(1, L)" = 1\n"after(2, w)" = "2.5"\n'
        '"after(2, L)" = "0.25"\n"after(10, w)" = "2.998046875"\n"after(0, w)" = 1\n'
        '"after(1, grad(L, w))" = -2\n'
    )
    assert set(verdicts(TRAIN + toml).values()) == {"agrees"}


def test_after_carries_a_wrong_gradient() -> None:
    # The author states dL/dw = -2 (wrong: it is -4), then updates correctly from it:
    # w = 1 - (1/4)(-2) = 1.5 (carried; exact 2), and L = (1.5 - 3)^2 = 2.25 (carried).
    toml = '"grad(L, w)" = -2\n"after(1, w)" = "1.5"\n"after(1, L)" = "2.25"\n'
    report = check_text(HEADER + TRAIN + toml)
    assert [r.verdict for r in report.results] == ["wrong", "carried", "carried"]
    assert report.result("after(1, L)").carried_from == ("after(1, w)", "grad(L, w)")


def test_a_local_derivative_written_in_the_nodes_own_rounded_value_is_fair() -> None:
    # z = 0.6, y_hat = sigmoid(0.6) = 0.645656..., L = (1 - y_hat)^2 / 2.
    # dL/dy_hat = -(1 - y_hat) = -0.354344 -> "-0.35" agrees; y_hat -> "0.65" agrees.
    # By hand, dL/dz = dL/dy_hat * y_hat (1 - y_hat) = -0.35 * 0.65 * 0.35 = -0.079625,
    # written -0.0796. The exact value is -0.0810683 (wrong by 15 units), and redone
    # at the stated z it is -0.35 * sigmoid'(0.6) = -0.35 * 0.2287842 = -0.0800745
    # (5 units away); but from the stated, correctly rounded y_hat it is exactly the
    # author's step: a rounded intermediate, carried in from y_hat and grad(L, y_hat).
    toml = (
        '[given]\nz = "0.6"\n[define]\ny_hat = "sigmoid(z)"\nL = "(1 - y_hat)**2 / 2"\n'
        '[claims]\ny_hat = "0.65"\n"grad(L, y_hat)" = "-0.35"\n"grad(L, z)" = "-0.0796"\n'
    )
    report = check_text(HEADER + toml)
    assert [r.verdict for r in report.results] == ["agrees", "agrees", "carried"]
    assert report.result("grad(L, z)").recomputed == Fraction(-79625, 1000000)
    assert report.first_wrong == ()
    assert set(report.result("grad(L, z)").inputs) == {"y_hat", "grad(L, y_hat)"}


def test_a_stated_integer_means_exactly_that_integer() -> None:
    # grad(L, w) = w - 1 = -0.7 at w = 0.3 (L = (1 - w)**2 / 2): a hand-worked "0" is
    # not "zero to the nearest unit", and "-1" is not -0.7 rounded
    head = 'title = "t"\n[given]\nw = "0.3"\n[define]\nL = "(1 - w)**2 / 2"\n[claims]\n'
    for stated in ("0", "-1", "-0e3"):
        report = check_text(head + f'"grad(L, w)" = "{stated}"\n')
        assert report.results[0].verdict == "wrong", (stated, report.results[0].verdict)
    exact = check_text(head + '"2 * w - 1" = "0"\n"3*w/w" = 3\n"w" = "0.3"\n')
    assert [r.verdict for r in exact.results] == ["wrong", "agrees", "agrees"]
    # 2*0.3 - 1 = -0.4: "0" is wrong, "-0.4" and "0e3" (zero) differ as written
    assert check_text(head + '"1 - 2*w - 0.4" = "0e3"\n').results[0].verdict == "agrees"


def test_zero_with_a_large_exponent_does_not_agree_with_everything() -> None:
    head = 'title = "t"\n[given]\nx = "123.456"\n[claims]\n'
    assert check_text(head + 'x = "0e3"\n').results[0].verdict == "wrong"
    assert check_text(head + '"-x" = "0e3"\n').results[0].verdict == "wrong"
    with pytest.raises(CheckError, match="exponent"):
        check_text(head + 'x = "0e9999"\n')
