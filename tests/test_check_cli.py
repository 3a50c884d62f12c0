"""``nbn check`` on the command line: the table, ``--json``, ``--trace``, ``--svg``, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from worked_files import NEURON as ONE_WEIGHT_NEURON

from nbn.cli import main

# OR neuron on (x1, x2) = (0, 1), y = 1, w = (0.1, 0.6), b = 0:
# z = 0.6; y_hat = sigmoid(0.6) = 0.645656306...; L = (1 - y_hat)^2 / 2 = 0.062779727...
# dL/dy_hat = -(1 - y_hat) = -0.354343694; dL/dz = dL/dy_hat * y_hat (1 - y_hat)
# = -0.354343694 * 0.228784240 = -0.081068253; dL/dw2 = dL/dz * x2 = -0.081068253.
NEURON = """title = "OR neuron"
[given]
x1 = 0
x2 = 1
y = 1
w1 = "0.1"
w2 = "0.6"
b = 0
[define]
z = "w1*x1 + w2*x2 + b"
y_hat = "sigmoid(z)"
L = "(y - y_hat)**2 / 2"
[train]
loss = "L"
params = ["w1", "w2", "b"]
learning_rate = 1
[claims]
z = "0.6"
y_hat = "0.6457"
L = "0.0627"
"grad(L, z)" = "-0.08107"
"grad(L, w2)" = "-0.0811"
"""


@pytest.fixture
def neuron(tmp_path: Path) -> Path:
    path = tmp_path / "neuron.nbn.toml"
    path.write_text(NEURON, encoding="utf-8")
    return path


def test_table_and_exit_status_1_when_a_claim_does_not_agree(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(neuron)]) == 1
    out = capsys.readouterr().out
    # L = 0.0627797...: 0.0627 is truncated (rounded it is 0.0628)
    assert "FAIL L" in out
    assert "truncated" in out
    assert "5 claims: 4 agrees, 1 truncated; FAILED" in out


def test_exit_status_0_when_every_claim_agrees_or_is_expected(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    neuron.write_text(NEURON + '[expect]\nL = "truncated"\n', encoding="utf-8")
    assert main(["check", str(neuron)]) == 0
    assert "truncated (expected)" in capsys.readouterr().out


def test_json_fields(neuron: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", str(neuron)]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [r["claim"] for r in records] == ["z", "y_hat", "L", "grad(L, z)", "grad(L, w2)"]
    first = records[0]
    assert {"file", "claim", "stated", "exact", "verdict", "oracles"} <= set(first)
    assert first["file"] == str(neuron)
    assert first["stated"] == "0.6"
    assert first["exact"] == 0.6
    assert records[2]["verdict"] == "truncated"
    assert abs(records[2]["exact"] - 0.062779727) < 1e-9
    assert set(records[3]["oracles"]) == {"sympy", "graph-engine", "finite-difference"}
    assert abs(records[3]["oracles"]["graph-engine"] - (-0.081068253)) < 1e-9
    assert records[2]["line"] == 20


def test_trace_is_a_markdown_table_of_values_and_gradients(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--trace", str(neuron)]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0] == "| quantity | definition | value | dL/d(quantity) |"
    rows = {line.split("|")[1].strip(" `"): line for line in lines[2:]}
    assert set(rows) == {"x1", "x2", "y", "w1", "w2", "b", "z", "y_hat", "L"}
    assert "| 0.645656 | -0.354344 |" in rows["y_hat"]
    assert "| -0.0810683 |" in rows["w2"]
    assert rows["w1"].endswith("| 0 |")  # x1 = 0: w1 gets no gradient


def test_trace_of_another_quantity(neuron: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--trace", "--of", "y_hat", str(neuron)]) == 0
    out = capsys.readouterr().out
    assert "dy_hat/d(quantity)" in out
    # d y_hat / d z = y_hat (1 - y_hat) = 0.228784240
    assert "| `z` | `w1*x1 + w2*x2 + b` | 0.6 | 0.228784 |" in out


def test_trace_of_an_unknown_quantity_exits_2(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--trace", "--of", "nope", str(neuron)]) == 2
    assert "--of" in capsys.readouterr().err


def test_svg_draws_the_graph_and_says_where_instead_of_the_table(
    neuron: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "neuron.svg"
    # like --trace, --svg draws and does not check: exit 0, one line saying where
    assert main(["check", "--svg", str(out), str(neuron)]) == 0
    printed = capsys.readouterr().out
    assert printed == f"nbn check: drew the graph of {neuron} to {out}\n"
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "0.646" in svg  # y_hat's forward value, drawn to 3 decimals


def test_svg_needs_one_file(neuron: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--svg", "x.svg", str(neuron), str(neuron)]) == 2
    assert "one file" in capsys.readouterr().err


def test_unanswered_values_are_hidden_unless_revealed(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    neuron.write_text(NEURON.replace('L = "0.0627"', 'L = "?"'), encoding="utf-8")
    assert main(["check", str(neuron)]) == 1
    out = capsys.readouterr().out
    assert "(hidden)" in out
    assert "0.06277972" not in out
    assert main(["check", "--reveal", str(neuron)]) == 1
    assert "0.06277972" in capsys.readouterr().out


def test_carried_errors_and_first_wrong_steps_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the sign of dL/dy_hat dropped (0.3543 instead of -0.3543), then the chain rule
    # done right from it: dL/dz = 0.3543 * 0.228784 = 0.08106 (carried)
    path = tmp_path / "sign.nbn.toml"
    text = NEURON.replace(
        '"grad(L, z)" = "-0.08107"', '"grad(L, y_hat)" = "0.3543"\n"grad(L, z)" = "0.08106"'
    )
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "carried from: grad(L, y_hat)" in out
    assert "first wrong step: grad(L, y_hat) (line 21)" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2
    assert main(["check", "--time-limit", "0", "x.nbn.toml"]) == 2


def test_svg_title_is_plain_text(neuron: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    # "$...$" would be mathematics to matplotlib; a file's title is text
    neuron.write_text(NEURON.replace('"OR neuron"', '"costs $5 and $\\\\frac{"'), encoding="utf-8")
    out = tmp_path / "dollar.svg"
    assert main(["check", "--svg", str(out), str(neuron)]) == 0
    assert "costs $5 and $\\frac{" in out.read_text(encoding="utf-8")


# --- a newcomer's first runs: directories, messages in the file's language -------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_directory_checks_every_worked_example_under_it_sorted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "b.nbn.toml", NEURON)
    _write(tmp_path / "a" / "z.nbn.toml", NEURON)
    _write(tmp_path / "a" / "deeper" / "y.nbn.toml", NEURON)
    _write(tmp_path / "notes.toml", "not a worked example")
    assert main(["check", "--json", str(tmp_path)]) == 1  # L is truncated in each
    files = list(dict.fromkeys(r["file"] for r in json.loads(capsys.readouterr().out)))
    assert files == [
        str(tmp_path / "a" / "deeper" / "y.nbn.toml"),
        str(tmp_path / "a" / "z.nbn.toml"),
        str(tmp_path / "b.nbn.toml"),
    ]


def test_an_empty_directory_or_a_missing_path_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    err = capsys.readouterr().err
    assert f"nbn check: {empty}: expected a directory holding *.nbn.toml files" in err
    assert "found none" in err
    missing = tmp_path / "nowhere.nbn.toml"
    assert main(["check", str(missing)]) == 2
    assert f"nbn check: {missing}:" in capsys.readouterr().err


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "a-bad.nbn.toml", NEURON.replace('"sigmoid(z)"', '"sigmoid(z"'))
    good = _write(tmp_path / "b-good.nbn.toml", NEURON.replace('"0.0627"', '"0.0628"'))
    assert main(["check", str(tmp_path)]) == 2  # b agrees everywhere, a cannot be checked
    captured = capsys.readouterr()
    assert "a-bad.nbn.toml [define] key 'y_hat'" in captured.err
    assert f"{good}: OR neuron" in captured.out
    assert "5 claims: 5 agrees; ok" in captured.out


@pytest.mark.parametrize(
    ("definition", "wanted"),
    [
        ("w2^2", "'^' is not a power here; write w2**2"),
        ("(w2 + 1)^2", "'^' is not a power here; write (w2 + 1)**2"),
        ("w2 // 2", "'//' (floor division) is not in the language; write w2 / 2"),
        ("sigmiod(z)", "got the unknown function 'sigmiod' (did you mean 'sigmoid'?)"),
        ("Tanh(z)", "got the unknown function 'Tanh' (did you mean 'tanh'?)"),
    ],
)
def test_parser_messages_speak_the_files_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], definition: str, wanted: str
) -> None:
    path = _write(tmp_path / "e.nbn.toml", NEURON.replace('"sigmoid(z)"', f'"{definition}"'))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path} [define] key 'y_hat' (line 11): " in err
    assert wanted in err
    for python_word in ("BinOp", "Call", "Name", "ast", "Constant"):
        assert python_word not in err


def test_an_unknown_function_lists_the_allowed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "e.nbn.toml", NEURON.replace('"sigmoid(z)"', '"sin(z)"'))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "expected one of the functions sigmoid, tanh, relu, exp, log, sqrt" in err
    assert "got the unknown function 'sin'" in err
    assert "did you mean" not in err  # nothing is close to sin


NO_TRAIN = NEURON[: NEURON.index("[train]")] + NEURON[NEURON.index("[claims]") :]


def test_trace_without_train_names_the_option_and_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "plain.nbn.toml", NO_TRAIN)
    assert main(["check", "--trace", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nbn check: {path}: expected a [train] table naming the loss")
    assert "--of NAME" in err
    assert "key '--of'" not in err
    assert main(["check", "--trace", "--of", "L", str(path)]) == 0


def test_of_naming_a_given_or_used_without_trace_is_refused(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--trace", "--of", "w2", str(neuron)]) == 2
    err = capsys.readouterr().err
    assert f"nbn check: {neuron}: expected the option --of to name a defined quantity" in err
    assert "got --of 'w2', which is a given" in err
    assert "[define] key" not in err
    assert main(["check", "--of", "L", str(neuron)]) == 2
    assert "--of NAME goes with --trace or --svg" in capsys.readouterr().err


def test_svg_without_matplotlib_names_the_extra(
    neuron: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises
    assert main(["check", "--svg", str(tmp_path / "g.svg"), str(neuron)]) == 2
    assert "pip install 'nbn-verified[svg]'" in capsys.readouterr().err


# --- carried: from a wrong input, or from inputs stated rounded ---------------------
# One sigmoid neuron, w = 0.6, y = 1: y_hat = sigmoid(0.6) = 0.645656..., exact
# L = (1 - y_hat)^2 / 2 = 0.0627797.
# Rounded: y_hat stated 0.65 (correctly rounded), L from it = 0.35^2 / 2 = 0.06125,
# stated 0.061: right from the rounded input, 1.8 units of 0.001 from the exact L.
# Wrong input: y_hat stated 0.654 (wrong), L from it = 0.346^2 / 2 = 0.059858, stated 0.060.
CASE = ONE_WEIGHT_NEURON + "[claims]\n"


def test_carried_from_rounded_inputs_is_told_apart_in_table_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rounded = _write(tmp_path / "r.nbn.toml", CASE + 'y_hat = "0.65"\nL = "0.061"\n')
    wrong = _write(tmp_path / "w.nbn.toml", CASE + 'y_hat = "0.654"\nL = "0.060"\n')
    assert main(["check", str(rounded)]) == 1
    out = capsys.readouterr().out
    assert "carried (rounded)" in out
    assert "carried from the rounded inputs: y_hat" in out
    assert main(["check", str(wrong)]) == 1
    out = capsys.readouterr().out
    assert "carried (rounded)" not in out
    assert "carried from: y_hat" in out
    assert main(["check", "--json", str(rounded), str(wrong)]) == 1
    records = {(Path(r["file"]).name, r["claim"]): r for r in json.loads(capsys.readouterr().out)}
    assert records["r.nbn.toml", "L"]["verdict"] == "carried"
    assert records["r.nbn.toml", "L"]["cause"] == "rounded-inputs"
    assert records["r.nbn.toml", "L"]["carried_from"] == ["y_hat"]
    assert records["w.nbn.toml", "L"]["verdict"] == "carried"
    assert records["w.nbn.toml", "L"]["cause"] == "wrong-input"
    assert records["w.nbn.toml", "L"]["carried_from"] == ["y_hat"]
    assert records["w.nbn.toml", "y_hat"]["cause"] is None  # wrong, not carried


# --- the exact column: as many digits as the claim, plus two -------------------------


def _significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "")
    return len(mantissa.lstrip("0"))


def test_the_exact_column_shows_the_claims_digits_plus_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import mpmath

    # sigmoid(0.6) from mpmath at 40 digits, an evaluator that is not nbn's
    with mpmath.workdps(40):
        exact = mpmath.mpf(1) / (1 + mpmath.exp(-mpmath.mpf(6) / 10))
        wanted = mpmath.nstr(exact, 18, strip_zeros=False)
    sixteen = mpmath.nstr(exact, 16, strip_zeros=False)  # a 16-digit claim
    assert len(sixteen.replace("0.", "", 1)) == 16
    path = _write(tmp_path / "d.nbn.toml", CASE + f'y_hat = "{sixteen}"\n')
    assert main(["check", str(path)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if " y_hat " in line)
    shown = row.split()[3]
    assert _significant_digits(shown) == 18, (row, wanted)
    assert shown == wanted, (shown, wanted)


def test_the_exact_column_keeps_ten_digits_for_short_claims(
    neuron: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(neuron)]) == 1
    row = next(line for line in capsys.readouterr().out.splitlines() if " y_hat " in line)
    # sigmoid(0.6) = 0.64565630622579...: ten significant digits
    assert row.split()[3] == "0.6456563062", row


def test_significant_digits_match_pythons_float_formatting() -> None:
    import random
    from fractions import Fraction

    from nbn.check.report import significant

    # Python's format(x, ".Ng") rounds the float's exact binary value correctly: the
    # same value as a Fraction must print the same, for every size and digit count
    rng = random.Random(18)
    for _ in range(3000):
        x = rng.choice([-1, 1]) * rng.uniform(1, 10) * 10.0 ** rng.randint(-12, 20)
        digits = rng.randint(1, 17)
        assert significant(Fraction(x), digits) == f"{x:.{digits}g}", (repr(x), digits)
    assert significant(Fraction(0), 10) == "0"
    assert significant(Fraction(1, 3), 20) == "0." + "3" * 20  # past float64's digits


def test_a_reader_that_goes_away_gets_no_traceback(neuron: Path) -> None:
    import subprocess
    import sys

    # nbn check FILE | head -0: the pipe is closed before nbn writes its report
    process = subprocess.Popen(
        [sys.executable, "-m", "nbn", "check", str(neuron)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1, err
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
