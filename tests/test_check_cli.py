"""``nbn check`` on the command line: the table, ``--json``, ``--trace``, ``--svg``, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
