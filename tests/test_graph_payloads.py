"""One graph code, three payloads: floats, exact Fractions and SymPy expressions.

Fractions stay exact (sigma(0) = 1/2, the OR example's loss and dL/db = 1/8,
from the article and a hand derivation) or fail loudly; SymPy payloads give
symbolic derivatives that agree with ``sympy.diff``; SymPy and matplotlib are
optional at import time and the engine never touches NumPy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import nbn.graph
from nbn.graph import ExactnessError, Value, batch_or_cost, or_neuron

GRAPH_DIR = Path(nbn.graph.__file__).parent
ENGINE_MODULES = ["payload", "value", "functions", "trace", "builders", "layout", "scene"]


def test_sigmoid_of_fraction_zero_is_exactly_one_half() -> None:
    z = Value(Fraction(0))
    s = z.sigmoid()
    s.backward()
    assert s.data == Fraction(1, 2) and type(s.data) is Fraction
    # d(sigmoid)/dz = s (1 - s) = 1/4 exactly
    assert z.grad == Fraction(1, 4) and type(z.grad) is Fraction


def test_or_example_loss_and_bias_gradient_are_exactly_one_eighth() -> None:
    # article: x = (0, 0), y = 0, w = (0.1, 0.6), b = 0 -> L = 0.125, dL/db = 0.125
    g = or_neuron(0, 0, Fraction(1, 10), Fraction(3, 5), 0, b=Fraction(0))
    grads = g.gradients()
    assert g["z"].data == 0
    assert g["y_hat"].data == Fraction(1, 2)
    assert g.output.data == Fraction(1, 8) and type(g.output.data) is Fraction
    assert grads["b"] == Fraction(1, 8) and type(grads["b"]) is Fraction
    # hand derivation: dL/dy_hat = y_hat - y = 1/2; dL/dw_i = dL/dz * x_i = 0
    assert grads["y_hat"] == Fraction(1, 2)
    assert grads["w1"] == grads["w2"] == 0


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: Value(Fraction(1, 10)).sigmoid(), "sigmoid"),
        (lambda: Value(Fraction(1)).exp(), "exp"),
        (lambda: Value(Fraction(2)).log(), "log"),
        (lambda: Value(Fraction(-1, 3)).tanh(), "tanh"),
    ],
)
def test_fraction_with_an_irrational_result_raises(make: object, name: str) -> None:
    with pytest.raises(ExactnessError, match=rf"{name}\(Fraction.*irrational"):
        make()  # type: ignore[operator]


def test_fraction_functions_exact_where_the_value_is_rational() -> None:
    assert Value(Fraction(0)).exp().data == 1
    assert Value(Fraction(1)).log().data == 0
    assert Value(Fraction(0)).tanh().data == 0
    assert Value(Fraction(-3, 2)).relu().data == 0
    assert Value(Fraction(3, 2)).relu().data == Fraction(3, 2)
    assert (Value(Fraction(2, 3)) ** -2).data == Fraction(9, 4)


def test_batch_or_cost_with_fractions_fails_loudly_not_silently_in_float() -> None:
    # example 2 has z = w2 = 3/5, whose sigmoid is irrational
    X = [[0, 0, 1, 1], [0, 1, 0, 1]]
    with pytest.raises(ExactnessError, match="sigmoid"):
        batch_or_cost(X, [0, 1, 1, 1], [Fraction(1, 10), Fraction(3, 5)], Fraction(0))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(Fraction(1, 2)) * 0.5,
        lambda: 0.5 + Value(Fraction(1, 2)),
        lambda: Value(Fraction(1, 2)) ** 0.5,
        lambda: Value(0.5) - Value(Fraction(1, 2)),
    ],
)
def test_mixing_fraction_and_float_raises(make: object) -> None:
    with pytest.raises(TypeError, match="Fraction and a float"):
        make()  # type: ignore[operator]


def test_fraction_needs_an_integer_exponent() -> None:
    assert (Value(Fraction(1, 4)) ** Fraction(2, 1)).data == Fraction(1, 16)
    with pytest.raises(ExactnessError, match="integer exponent"):
        Value(Fraction(1, 4)) ** Fraction(1, 2)


def test_sympy_sigmoid_local_gradient_is_sigma_times_one_minus_sigma() -> None:
    z = sp.Symbol("z")
    node = Value(z, "z").sigmoid()
    sigma = 1 / (1 + sp.exp(-z))
    (local,) = node.local_grads
    assert node.data == sigma  # the same expression tree, not just an equal value
    assert local == sigma * (1 - sigma)
    # and it is the derivative: compare with sympy.diff at a few exact points
    for point in (sp.Integer(0), sp.Rational(1, 3), sp.Integer(-2)):
        assert abs((local - sp.diff(sigma, z)).subs(z, point).evalf(30)) < 1e-25


def test_sympy_or_neuron_gradients_equal_sympy_diff_of_the_loss() -> None:
    x1, x2, w1, w2, b, y = sp.symbols("x1 x2 w1 w2 b y")
    g = or_neuron(x1, x2, w1, w2, y, b=b)
    grads = g.gradients()
    loss = g.output.data
    for name, symbol in [("w1", w1), ("w2", w2), ("b", b), ("x1", x1), ("y", y)]:
        assert sp.simplify(grads[name] - sp.diff(loss, symbol)) == 0, name
    # at the article's numbers the symbolic derivative is exactly 1/8
    point = {x1: 0, x2: 0, w1: sp.Rational(1, 10), w2: sp.Rational(3, 5), b: 0, y: 0}
    assert sp.nsimplify(grads["b"].subs(point)) == sp.Rational(1, 8)


def test_sympy_relu_uses_heaviside_for_its_derivative() -> None:
    z = sp.Symbol("z", real=True)
    node = Value(z).relu()
    assert node.data == sp.Max(0, z)
    assert node.local_grads[0] == sp.Heaviside(z, 0)
    assert Value(sp.Integer(-2)).relu().data == 0


def test_engine_imports_without_sympy_and_matplotlib() -> None:
    code = (
        "import sys\n"
        "sys.modules['sympy'] = None\n"
        "sys.modules['matplotlib'] = None\n"
        "from fractions import Fraction\n"
        "import nbn.graph as g\n"
        "f = g.or_neuron(0, 0, 0.1, 0.6, 0, b=0).gradients()\n"
        "q = g.or_neuron(0, 0, Fraction(1, 10), Fraction(3, 5), 0, b=Fraction(0)).gradients()\n"
        "print(f['b'], q['b'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0.125", "1/8"]


@pytest.mark.parametrize("module", ENGINE_MODULES)
def test_engine_modules_do_not_import_numpy_sympy_or_matplotlib(module: str) -> None:
    tree = ast.parse((GRAPH_DIR / f"{module}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & {"numpy", "sympy", "matplotlib"}
