"""The pytest plugin: ``pytest DIR`` collects ``*.nbn.toml`` files, one item per claim."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from worked_files import NEURON

# pytester's in-process runs drop the modules a run imported; import the checker
# (and SymPy with it) here once, so each run does not import them again.
import nbn.check.checker
import nbn.check.report  # noqa: F401


@pytest.fixture(autouse=True)
def only_our_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs load nbn's plugin alone (other installed plugins cost seconds a run);
    that installing nbn registers it is checked through its entry point below."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


ARGS = ("-p", "nbn.check.plugin", "-p", "no:cacheprovider")


def test_installing_nbn_registers_the_plugin() -> None:
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("nbn-check") == "nbn.check.plugin"


# 3/7 = 0.428571...: "0.429" agrees, "0.428" is truncated, "0.43" agrees;
# p = a * b = 1.5, q = p^2 = 2.25: p stated 1.6 is wrong, q = 1.6^2 = 2.56 carried.
EXAMPLE = """title = "plugin case"
[given]
a = 3
b = "0.5"
[define]
s = "a / 7"
p = "a * b"
q = "p * p"
[claims]
s = "0.429"
"s * 1" = "0.428"
"s + 0" = "0.43"
p = "1.6"
q = "2.56"
[expect]
"s * 1" = "truncated"
"""


def test_one_item_per_claim_named_by_its_expression(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE)
    result = pytester.runpytest("--collect-only", "-q", *ARGS)
    result.stdout.fnmatch_lines(
        [
            "case.nbn.toml::s",
            "case.nbn.toml::s * 1",
            "case.nbn.toml::s + 0",
            "case.nbn.toml::p",
            "case.nbn.toml::q",
        ]
    )


def test_verdicts_become_outcomes(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE)
    result = pytester.runpytest("-rxX", *ARGS)
    # s and s + 0 agree; s * 1 has its expected verdict (xfail); p wrong, q carried
    result.assert_outcomes(passed=2, failed=2, xfailed=1)
    result.stdout.fnmatch_lines(
        [
            "*p: stated 1.6, exact 1.5: wrong*",
            "*q: stated 2.56, exact 2.25: carried; carried from p*",
            "*expected verdict truncated*s * 1: stated 0.428*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_an_expected_verdict_is_strict(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE.replace('"s * 1" = "0.428"', '"s * 1" = "0.429"'))
    result = pytester.runpytest(*ARGS)
    # s * 1 now agrees, but truncated was expected: it fails
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        ["*s * 1: stated 0.429, exact 0.4285714286: agrees (expected truncated)*"]
    )


def test_reportinfo_points_at_the_claims_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE)
    items, _ = pytester.inline_genitems(*ARGS)
    lines = {item.name: item.reportinfo()[1] for item in items}
    # 0-based, as pytest's reportinfo: "s" is on line 10 of the file
    assert lines == {"s": 9, "s * 1": 10, "s + 0": 11, "p": 12, "q": 13}


def test_a_bad_file_is_a_collection_error_naming_the_key(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", bad=EXAMPLE.replace('"a / 7"', "\"__import__('os')\""))
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.nbn.toml [[]define[]] key 's' (line 6): expected one of*"])


def test_a_file_that_fails_while_computing_is_one_collection_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".nbn.toml", zero=EXAMPLE.replace('"a / 7"', '"a / (b - 0.5)"'))
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*zero.nbn.toml [[]define[]] key 's'*division by zero*"])
    assert "Traceback" not in result.stdout.str()


def test_importing_the_plugin_does_not_import_sympy() -> None:
    code = "import sys, nbn.check.plugin; sys.exit('sympy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_expected_agrees_is_an_ordinary_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE + '"s + 0" = "agrees"\n')
    result = pytester.runpytest("-rxX", *ARGS)
    # s and s + 0 pass (s + 0 with its expected agrees), not xfail
    result.assert_outcomes(passed=2, failed=2, xfailed=1)
    assert "expected verdict agrees" not in result.stdout.str()


def test_failures_show_file_line_and_where_the_error_started(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", case=EXAMPLE)
    result = pytester.runpytest(*ARGS)
    # p is on line 13 of the file, q on line 14 (1-based, as editors count)
    result.stdout.fnmatch_lines(
        [
            "*case.nbn.toml:13: p: stated 1.6, exact 1.5: wrong; the first wrong step",
            "*case.nbn.toml:14: q: stated 2.56, exact 2.25: carried; carried from p",
        ]
    )


# y_hat = sigmoid(0.6) = 0.645656..., stated 0.65 (rounded right); L from it
# = 0.35^2 / 2 = 0.06125, stated 0.061; the exact L = (1 - y_hat)^2 / 2 is
# 0.06277972666 to ten digits (mpmath at 30 digits).
ROUNDED = NEURON + '[claims]\ny_hat = "0.65"\nL = "0.061"\n'


def test_a_failure_carried_from_rounded_inputs_says_so(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", rounded=ROUNDED)
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*rounded.nbn.toml:10: L: stated 0.061, exact 0.06277972666: carried (rounded); "
            "carried from the rounded inputs y_hat"
        ]
    )


# dW = dZ @ X.T with dZ = Z = W @ X = [[1, 2]], X = [[1, 0], [0, 2]]: [[1, 4]];
# stated as a column it is transposed, the number of its second entry wrong.
MATRIX = """title = "plugin matrix case"
[given]
W = [[1, 1]]
X = [[1, 0], [0, 2]]
[define]
Z = "W @ X"
cost = "sum(Z ** 2) / 2"
[claims]
"grad(cost, W)" = [[1, 4]]
"grad(cost, Z) @ X.T" = [[1], [4]]
"grad(cost, Z)" = [[1, 3]]
"""


def test_a_matrix_file_gives_one_item_per_claim_as_written(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", matrix=MATRIX)
    result = pytester.runpytest("-q", *ARGS)
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert (
        "grad(cost, Z) @ X.T: stated [[1], [4]], exact [[1, 4]]: transposed; stated shape "
        "(2, 1), exact shape (1, 2)" in out
    ), out
    assert "grad(cost, Z): stated [[1, 3]], exact [[1, 2]]: wrong" in out, out
    assert "[0, 1]: stated 3, exact 2: wrong" in out, out


# dL/dy_hat = y_hat - y with y_hat = sigmoid(0.6) = 0.645656, y = 1: -0.354344.
# Stated 0.354 is its negative to 3 decimals: the sign slip.
SIGN_ONLY = """title = "sign"
[given]
w = "0.6"
y = 1
[define]
y_hat = "sigmoid(w)"
L = "(y - y_hat)**2 / 2"
[claims]
"grad(L, y_hat)" = "0.354"
"""


def test_pytest_failure_message_says_likely(pytester: pytest.Pytester) -> None:
    pytester.makefile(".nbn.toml", sign=SIGN_ONLY)
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*sign.nbn.toml:9: grad(L, y_hat): stated 0.354, exact -0.3543436938: wrong; "
            "the first wrong step; likely: sign error*"
        ]
    )
