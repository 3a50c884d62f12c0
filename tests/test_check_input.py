"""Bad worked-example files: every error names file, table and key, what was expected
and what was given; the CLI exits 2 without a traceback; the bounds hold quickly."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from nbn.check import CheckError, check_text, load, loads
from nbn.check.expr import ExpressionError, parse
from nbn.cli import main

OK = """title = "t"
[given]
x = 2
w = "0.5"
[define]
z = "w * x"
s = "sigmoid(z)"
[claims]
s = "0.7311"
"""


def error_of(toml: str, check: bool = False) -> CheckError:
    with pytest.raises(CheckError) as info:
        if check:
            check_text(toml, "case.nbn.toml")
        else:
            loads(toml, "case.nbn.toml")
    assert str(info.value).startswith("case.nbn.toml")
    return info.value


def test_the_reference_file_is_valid() -> None:
    example = loads(OK, "case.nbn.toml")
    assert example.order == ("z", "s")
    assert example.claims[0].line == 9


def test_toml_syntax_error_names_the_line() -> None:
    error = error_of('title = "t"\n[given]\nx = = 2\n')
    assert "syntax error" in str(error)
    assert "line 3" in str(error)


def test_unknown_name_suggests_close_matches() -> None:
    error = error_of(OK.replace('"w * x"', '"ww * x"'))
    assert (error.table, error.key) == ("define", "z")
    assert "unknown name 'ww'" in str(error)
    assert "did you mean 'w'" in str(error)
    assert error.line == 6


def test_unknown_name_in_a_claim() -> None:
    error = error_of(OK.replace('s = "0.7311"', 'sig = "0.7311"'))
    assert (error.table, error.key) == ("claims", "sig")
    assert "'s'" in str(error)


def test_cycle_lists_the_names() -> None:
    error = error_of(OK.replace('z = "w * x"', 'z = "w * s"'))
    assert "cycle" in str(error)
    assert "z -> s -> z" in str(error) or "s -> z -> s" in str(error)


def test_name_both_given_and_defined() -> None:
    error = error_of(OK.replace('z = "w * x"', 'z = "w * x"\nx = "w"'))
    assert (error.table, error.key) == ("define", "x")
    assert "both [given] and [define]" in str(error)


def test_grad_of_something_f_does_not_depend_on() -> None:
    toml = OK.replace("x = 2", "x = 2\nunused = 1") + '"grad(s, unused)" = 0\n'
    error = error_of(toml)
    assert error.key == "grad(s, unused)"
    assert "does not read" in str(error)


def test_grad_with_respect_to_a_name_that_does_not_exist() -> None:
    error = error_of(OK + '"grad(s, q)" = 0\n')
    assert "does not exist" in str(error) or "unknown name" in str(error)


def test_stated_value_that_is_not_a_number() -> None:
    error = error_of(OK.replace('s = "0.7311"', 's = "about 0.73"'))
    assert (error.table, error.key) == ("claims", "s")
    assert "expected a number" in str(error)
    assert "'about 0.73'" in str(error)


def test_stated_value_of_the_wrong_type() -> None:
    error = error_of(OK.replace('s = "0.7311"', "s = true"))
    assert "the boolean true" in str(error)


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", '"NaN"', '"inf"'])
def test_nan_and_infinite_givens(bad: str) -> None:
    error = error_of(OK.replace("x = 2", f"x = {bad}"))
    assert (error.table, error.key) == ("given", "x")
    assert "finite" in str(error)


def test_log_of_a_non_positive_number() -> None:
    error = error_of(OK.replace('s = "sigmoid(z)"', 's = "log(z - 1)"'), check=True)
    assert (error.table, error.key) == ("define", "s")
    assert "log of a non-positive number" in str(error)


def test_division_by_zero_says_where() -> None:
    error = error_of(OK.replace('s = "sigmoid(z)"', 's = "x / (z - 1)"'), check=True)
    assert (error.table, error.key) == ("define", "s")
    assert "division by zero" in str(error)
    assert "x / (z - 1)" in str(error)


def test_division_by_zero_in_a_claim() -> None:
    error = error_of(OK + '"1 / (z - 1)" = 0\n', check=True)
    assert (error.table, error.key) == ("claims", "1 / (z - 1)")
    assert "division by zero" in str(error)


def test_unknown_top_level_key_and_train_errors() -> None:
    assert "did you mean 'claims'" in str(error_of(OK.replace("[claims]", "[claim]")))
    train = '[train]\nloss = "s"\nparams = ["x"]\n'
    error = error_of(OK + train)
    assert (error.table, error.key) == ("train", "learning_rate")
    error = error_of(OK + '"after(1, s)" = 1\n')
    assert "[train]" in str(error)


def test_learning_rate_must_be_positive() -> None:
    train = '[train]\nloss = "s"\nparams = ["w"]\nlearning_rate = "-0.1"\n[claims]'
    error = error_of(OK.replace("[claims]", train))
    assert (error.table, error.key) == ("train", "learning_rate")
    assert "expected a positive number, got -0.1" in str(error)


def test_after_step_count_is_bounded() -> None:
    train = '[train]\nloss = "s"\nparams = ["w"]\nlearning_rate = 1\n[claims]'
    error = error_of(OK.replace("[claims]", train) + '"after(1000000, w)" = 1\n')
    assert "at most 100000 steps" in str(error)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(CheckError, match="cannot read"):
        load(tmp_path / "missing.nbn.toml")
    bad = tmp_path / "latin.nbn.toml"
    bad.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(CheckError, match="UTF-8"):
        load(bad)


# -- the expression whitelist and the bounds ---------------------------------------------

REJECTED = [
    "__import__('os')",
    "__import__('os').system('true')",
    "x.real",
    "(lambda: 1)()",
    "lambda x: x",
    "[x for x in y]",
    "{x: 1 for x in y}",
    "x if y else z",
    "x < y",
    "x[0:1]",  # slices: integer indexing only
    "x[y]",
    "x.T.real",
    "sum(x, out=y)",
    "sum(x, axis=y)",
    "'text'",
    "True",
    "1j",
    "f(x)",
    "exp(x, y)",
    "exp(x=1)",
    "exp(*x)",
    "x ** y",
    "x // 2",
    "x % 2",
    "not x",
    "grad(s, x)",  # outside [claims]
]


@pytest.mark.parametrize("text", REJECTED)
def test_expressions_outside_the_language_are_rejected(text: str) -> None:
    with pytest.raises(ExpressionError, match="expected"):
        parse(text)


def test_rejected_expressions_in_a_file_name_their_key() -> None:
    error = error_of(OK.replace('"w * x"', "\"__import__('os')\""))
    assert (error.table, error.key) == ("define", "z")
    assert "__import__" in str(error)


def test_claim_functions_need_their_forms() -> None:
    for text in [
        "grad(s)",
        "grad(s, x + 1)",
        "after(-1, s)",
        "after(1.5, s)",
        "after(n, s)",
        "after(1, after(1, s))",
    ]:
        with pytest.raises(ExpressionError):
            parse(text, claim=True)


def test_deep_nesting_is_refused_before_parsing() -> None:
    start = time.perf_counter()
    for text in ["(" * 100_000 + "x" + ")" * 100_000, "-" * 100_000 + "x", "x" + "**2" * 50_000]:
        with pytest.raises(ExpressionError, match="at most"):
            parse(text)
    deep = "(" * 60 + "x" + ")" * 60
    with pytest.raises(ExpressionError, match="nesting"):
        parse(deep)
    assert time.perf_counter() - start < 30  # generous: the point is "no crash, no hang"


def test_huge_exact_powers_are_refused_before_computing() -> None:
    # x = 2: (((x^64)^64)^64)^64 = 2^(64^4) = 2^16777216, over five million digits
    toml = OK.replace('s = "sigmoid(z)"', 's = "(((x**64)**64)**64)**64"')
    error = error_of(toml, check=True)
    assert (error.table, error.key) == ("define", "s")
    assert "bits" in str(error)
    # the same growth through definitions, one squaring at a time
    chain = "\n".join(f'a{i} = "a{i - 1} * a{i - 1}"' for i in range(1, 40))
    toml = f'title = "t"\n[given]\na0 = 3\n[define]\n{chain}\n[claims]\na39 = 1\n'
    error = error_of(toml, check=True)  # 3^(2^10) already leaves float64's range
    assert (error.key, "float64") == ("a10", "float64") and "digits" in str(error)


def test_values_beyond_float64_are_refused() -> None:
    toml = OK.replace('s = "sigmoid(z)"', 's = "exp(exp(exp(x)))"')
    error = error_of(toml, check=True)
    assert "float64" in str(error)


def test_the_time_limit_stops_a_long_check() -> None:
    toml = OK.replace(
        "[claims]", '[train]\nloss = "s"\nparams = ["w"]\nlearning_rate = 1\n[claims]'
    )
    toml += '"after(100000, s)" = 1\n'
    with pytest.raises(CheckError, match="time limit"):
        check_text(toml, "case.nbn.toml", time_limit=0.2)


def test_cli_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.nbn.toml"
    bad.write_text(OK.replace('"w * x"', "\"__import__('os')\""), encoding="utf-8")
    good = tmp_path / "good.nbn.toml"
    good.write_text(OK, encoding="utf-8")
    assert main(["check", str(bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert f"{bad} [define] key 'z' (line 6)" in captured.err
    assert "good.nbn.toml" in captured.out  # the good file is still reported


def test_numbers_are_read_exactly() -> None:
    example = loads(OK.replace('w = "0.5"', 'w = 0.1\nv = 1e-3\nu = "-3"\nt = "1/10"'))
    assert example.given["w"].value * 10 == 1  # 0.1 is 1/10, not the float
    assert example.given["v"].unit is not None and example.given["v"].unit * 1000 == 1
    assert example.given["t"].unit is None
    assert math.isclose(float(example.given["u"].value), -3)


def test_a_huge_exact_base_is_abbreviated_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (2**64)**64 = 2**4096 (1234 digits) is within the bound; raising it to 64 again
    # would need 262144 bits. The error must name the limit
    # without printing the 1234 digits.
    path = tmp_path / "huge.nbn.toml"
    path.write_text(
        'title = "t"\n[given]\nx = 2\n[define]\ny = "(((x**64)**64)**64)**64"\n[claims]\ny = "1"\n'
    )
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "more than the limit of 10000 bits" in err
    assert "Traceback" not in err
    assert len(err) < 400, err


def test_numbers_past_float64s_range_are_refused_cleanly() -> None:
    """The graph engine computes in float64 (largest about 1.8e308); nbn's bound is
    1e300. A given past it is refused at load (also inside an array); a claim whose
    exact value passes it (1e200 squared is 1e400) is refused while computing."""
    for given, key in [('w = "1e400"', "w"), ('W = [1, "-9e300"]', "W")]:
        with pytest.raises(CheckError, match="float64's range") as info:
            loads(f'title = "t"\n[given]\n{given}\n[claims]\n"sum({key})" = 1\n')
        assert (info.value.table, info.value.key) == ("given", key)
    with pytest.raises(CheckError, match="within float64's range") as info:
        check_text('title = "t"\n[given]\nw = "1e200"\n[claims]\n"w * w" = 1\n')
    assert (info.value.table, info.value.key) == ("claims", "w * w")
