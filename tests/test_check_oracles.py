"""The checker's oracles: they agree on random expressions (Hypothesis round trip
through the parser into the engine and SymPy), and a broken one is caught loudly."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from strategies import examples

from nbn import graph
from nbn.check import OracleDisagreementError, backends, check_text, loads, train
from nbn.check.backends import DomainError, EngineBackend, SympyBackend, evaluate
from nbn.check.expr import Binary, Call, Name, Node, Num, Unary, derivative, parse, to_text

NAMES = ("a", "b", "c")
VALUES = {"a": Fraction(3, 10), "b": Fraction(-7, 5), "c": Fraction(2)}


def _numbers() -> st.SearchStrategy[Node]:
    return st.sampled_from(["0.5", "2", "3", "0.25", "1.5"]).map(lambda t: Num(Fraction(t), t))


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.tuples(st.sampled_from("+-*/"), children, children).map(lambda t: Binary(*t)),
        st.tuples(children, st.sampled_from(["2", "3", "0.5"])).map(
            lambda t: Binary("**", t[0], Num(Fraction(t[1]), t[1]))
        ),
        children.map(lambda n: Binary("**", n, Unary("-", Num(Fraction(1), "1")))),
        children.map(lambda n: Unary("-", n)),
        st.tuples(st.sampled_from(["sigmoid", "tanh", "exp", "log", "sqrt", "relu"]), children).map(
            lambda t: Call(*t)
        ),
    )


EXPRESSIONS = st.recursive(
    st.one_of(st.sampled_from(NAMES).map(Name), _numbers()), _extend, max_leaves=8
)


def _engine(node: Node) -> tuple[float, float]:
    """Value and d/da on the engine (float64)."""
    inputs = {n: graph.Value(float(v), label=n) for n, v in VALUES.items()}
    out = evaluate(node, EngineBackend(), inputs.__getitem__)
    out.backward()
    return float(out.data), float(inputs["a"].grad) if out is not inputs["a"] else 1.0


def _sympy(node: Node) -> tuple[float, float]:
    """Value and d/da by SymPy (exact inputs, a as a symbol)."""
    a = sp.Symbol("a")
    backend = SympyBackend()
    values = {n: backend.number(v) for n, v in VALUES.items()}
    exact = evaluate(node, backend, values.__getitem__)
    symbolic = evaluate(node, backend, {**values, "a": a}.__getitem__)
    derivative = sp.diff(symbolic, a).subs(a, values["a"])
    return float(exact.evalf(30)), float(sp.N(derivative, 30))


@settings(max_examples=examples(150), deadline=None)
@given(EXPRESSIONS)
# Found by Hypothesis (issue 18; also under --hypothesis-seed=11): sqrt(a - a) is the
# constant 0 to SymPy (a - a cancels before differentiating), while backpropagation
# needs sqrt's derivative at 0, which does not exist: the engine must refuse the
# point (NotDifferentiableError), not divide by zero or return nan.
@example(Unary("-", Unary("-", Call("sqrt", Binary("-", Name("a"), Name("a"))))))
def test_random_expressions_round_trip_into_engine_and_sympy(node: Node) -> None:
    text = to_text(node)
    parsed = parse(text)
    assert to_text(parsed) == text  # the printed text parses back to the same tree
    try:
        value, gradient = _sympy(parsed)
    except (DomainError, TypeError, ZeroDivisionError):
        assume(False)
        return
    assume(all(math.isfinite(v) and abs(v) < 1e8 for v in (value, gradient)))
    try:
        e_value, e_gradient = _engine(parsed)
    except (DomainError, graph.NotDifferentiableError):
        # the chain rule meets a point where a local derivative does not exist
        # (sqrt at 0 inside a constant, say): the engine refuses it, which is right
        assume(False)
        return
    # relu's kink: SymPy's Piecewise and the engine both take 0 at 0, but a
    # value that is 0 in exact arithmetic may be -1e-17 in float64; skip those.
    assume("relu" not in text or abs(value) > 1e-9)
    scale = max(1.0, abs(value))
    assert abs(e_value - value) <= 1e-12 * scale, text
    assert abs(e_gradient - gradient) <= 1e-12 * max(1.0, abs(gradient)), text


TOML = """title = "t"
[given]
x = "0.5"
w = 2
[define]
z = "w * x + 1"
y = "sigmoid(z)"
L = "(1 - y)**2 / 2"
[train]
loss = "L"
params = ["w"]
learning_rate = 1
[claims]
y = "0.8808"
"grad(L, w)" = "-0.006"
"after(3, w)" = "?"
"""


def test_the_three_oracles_agree_and_are_reported() -> None:
    report = check_text(TOML)
    y, g, after = report.results
    # sigmoid(2) = 0.880797077977882...
    assert set(y.oracles) == {"sympy", "graph-engine"}
    assert set(g.oracles) == {"sympy", "graph-engine", "finite-difference"}
    # after training, the exact oracle (nbn.check.exact) the verdict is decided on too
    assert set(after.oracles) == {"sympy", "graph-engine", "finite-difference", "exact"}
    assert abs(y.oracles["graph-engine"] - 0.880797077977882) < 1e-15
    # dL/dw = -(1 - y) y (1 - y) x = -(0.119202922)^2 * 0.880797078 * 0.5
    #       = -0.014209336 * 0.440398539 = -0.0062577711
    assert abs(g.oracles["finite-difference"] - (-0.0062577711)) < 1e-9


def test_a_broken_engine_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    original = EngineBackend.call

    def broken(self: EngineBackend, func: str, a: graph.Value) -> graph.Value:
        out = original(self, func, a)
        return out + 1e-9 if func == "sigmoid" else out

    monkeypatch.setattr(EngineBackend, "call", broken)
    with pytest.raises(OracleDisagreementError, match=r"oracles disagree on 'y'.*graph-engine"):
        check_text(TOML)


def test_a_broken_finite_difference_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    functions = dict(backends._FLOAT_FUNCTIONS)
    functions["sigmoid"] = lambda x: 1.0 / (1.0 + np.exp(-1.001 * x))
    monkeypatch.setattr(backends, "_FLOAT_FUNCTIONS", functions)
    with pytest.raises(OracleDisagreementError, match="finite-difference"):
        check_text(TOML.replace('"after(3, w)" = "?"\n', ""))


def test_a_broken_training_run_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    original = train._descend

    def drifting(*args: object) -> dict[int, dict[str, float]]:
        states = original(*args)  # type: ignore[arg-type]
        if args[2] == "graph-engine":
            states = {n: {p: v + 1e-7 for p, v in s.items()} for n, s in states.items()}
        return states

    monkeypatch.setattr(train, "_descend", drifting)
    with pytest.raises(OracleDisagreementError, match="training runs disagree"):
        check_text(TOML)


def test_training_runs_agree_closely() -> None:
    example = loads(TOML)
    runs = train.run(example, {100})
    w = runs.states["sympy"][100]["w"]
    assert abs(runs.states["graph-engine"][100]["w"] - w) <= 1e-13 * max(1.0, abs(w))
    assert abs(runs.states["finite-difference"][100]["w"] - w) <= 1e-8 * max(1.0, abs(w))


@settings(max_examples=examples(100), deadline=None)
@given(EXPRESSIONS)
def test_the_derivations_own_derivative_rules_match_sympy(node: Node) -> None:
    """The recomputation of a gradient step differentiates one definition with nbn's
    own rules (expr.derivative); they must give SymPy's derivative."""
    try:
        _, expected = _sympy(node)
    except (DomainError, TypeError, ZeroDivisionError):
        assume(False)
        return
    assume(math.isfinite(expected) and abs(expected) < 1e8)
    backend = SympyBackend()
    values = {n: backend.number(v) for n, v in VALUES.items()}
    try:
        got = evaluate(derivative(node, "a"), backend, values.__getitem__)
    except DomainError:
        assume(False)
        return
    assert abs(float(sp.N(got, 30)) - expected) <= 1e-12 * max(1.0, abs(expected)), to_text(node)
