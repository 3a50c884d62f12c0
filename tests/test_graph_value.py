"""The graph node: each operation's forward value and local gradients, the chain
rule with sums over paths, the idempotent backward contract, and input errors.

Expected values come from hand derivatives (written next to each case) and
from central finite differences, never from the engine itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from nbn.graph import (
    NotDifferentiableError,
    Value,
    exp,
    log,
    relu,
    sigmoid,
    tanh,
    topological_order,
)

A, B = 1.5, -0.5

# (name, f(a, b) built with the engine, forward by hand, (df/da, df/db) by hand)
BINARY: list[tuple[str, Callable[[Value, Value], Value], float, tuple[float, float]]] = [
    ("add", lambda a, b: a + b, A + B, (1.0, 1.0)),
    ("sub", lambda a, b: a - b, A - B, (1.0, -1.0)),
    ("mul", lambda a, b: a * b, A * B, (B, A)),
    ("div", lambda a, b: a / b, A / B, (1 / B, -A / B**2)),
]

_S = 1 / (1 + math.exp(-A))
# (name, f(a), forward by hand, df/da by hand)
UNARY: list[tuple[str, Callable[[Value], Value], float, float]] = [
    ("neg", lambda a: -a, -A, -1.0),
    ("square", lambda a: a**2, A**2, 2 * A),
    ("cube", lambda a: a**3, A**3, 3 * A**2),
    ("inverse_sqrt", lambda a: a**-0.5, A**-0.5, -0.5 * A**-1.5),
    ("exp", lambda a: a.exp(), math.exp(A), math.exp(A)),
    ("log", lambda a: a.log(), math.log(A), 1 / A),
    ("sigmoid", lambda a: a.sigmoid(), _S, _S * (1 - _S)),
    ("tanh", lambda a: a.tanh(), math.tanh(A), 1 - math.tanh(A) ** 2),
    ("relu_positive", lambda a: a.relu(), A, 1.0),
]


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize(("name", "f", "forward", "grads"), BINARY, ids=[c[0] for c in BINARY])
def test_binary_op_forward_and_gradients_match_hand_derivatives(
    name: str, f: Callable[[Value, Value], Value], forward: float, grads: tuple[float, float]
) -> None:
    a, b = Value(A, "a"), Value(B, "b")
    out = f(a, b)
    out.backward()
    assert out.data == pytest.approx(forward, rel=1e-15)
    assert (a.grad, b.grad) == pytest.approx(grads, rel=1e-15)
    assert a.grad == pytest.approx(central_difference(lambda x: f(Value(x), b).data, A), rel=1e-6)
    assert b.grad == pytest.approx(central_difference(lambda x: f(a, Value(x)).data, B), rel=1e-6)


@pytest.mark.parametrize(("name", "f", "forward", "grad"), UNARY, ids=[c[0] for c in UNARY])
def test_unary_op_forward_and_gradient_match_hand_derivative(
    name: str, f: Callable[[Value], Value], forward: float, grad: float
) -> None:
    a = Value(A, "a")
    out = f(a)
    out.backward()
    assert out.data == pytest.approx(forward, rel=1e-15)
    assert a.grad == pytest.approx(grad, rel=1e-14)
    assert a.grad == pytest.approx(central_difference(lambda x: f(Value(x)).data, A), rel=1e-6)


def test_relu_passes_no_gradient_at_or_below_zero() -> None:
    # d relu/dz = 0 for z <= 0 (0 at z = 0, the convention of nbn.ReLULayer)
    for z in (-2.0, 0.0):
        v = Value(z)
        out = v.relu()
        out.backward()
        assert (out.data, v.grad) == (0.0, 0.0)


def test_module_functions_equal_methods_and_accept_plain_numbers() -> None:
    assert sigmoid(0.0).data == 0.5
    assert exp(0.0).data == 1.0
    assert log(1.0).data == 0.0
    assert tanh(0.0).data == 0.0
    assert relu(-1.0).data == 0.0
    assert sigmoid(Value(2.0), "s").label == "s"


def test_reverse_operations_with_plain_numbers() -> None:
    v = Value(4.0, "v")
    cases = [
        (2 * v, 8.0, 2.0),  # d(2v)/dv = 2
        (1 - v, -3.0, -1.0),  # d(1 - v)/dv = -1
        (3 + v, 7.0, 1.0),  # d(3 + v)/dv = 1
        (2 / v, 0.5, -2 / 16),  # d(2/v)/dv = -2/v^2
    ]
    for out, forward, grad in cases:
        out.backward()
        assert (out.data, v.grad) == (forward, grad)


def test_node_used_twice_receives_the_sum_of_both_paths() -> None:
    a = Value(3.0, "a")
    square = a * a  # d(a*a)/da = a + a
    square.backward()
    assert a.grad == 6.0
    double = a + a  # d(a+a)/da = 1 + 1
    double.backward()
    assert a.grad == 2.0


def test_bias_gradient_equals_sum_of_upstream_from_two_children() -> None:
    # f = (a + b) * (b * c): b feeds two nodes; df/db = (b c) * 1 + (a + b) * c
    a, b, c = Value(3.0), Value(2.0), Value(4.0)
    f = (a + b) * (b * c)
    f.backward()
    assert b.grad == 8.0 + 20.0


def test_backward_twice_gives_the_same_gradients() -> None:
    w, x = Value(0.5, "w"), Value(2.0, "x")
    loss = (w * x).sigmoid()
    loss.backward()
    first = (w.grad, x.grad, loss.grad)
    loss.backward()
    assert (w.grad, x.grad, loss.grad) == first


def test_reused_node_holds_the_second_graphs_gradient_not_the_sum() -> None:
    w = Value(3.0, "w")
    first = w * 2.0  # d/dw = 2
    first.backward()
    assert w.grad == 2.0
    second = w * w * 5.0  # d/dw = 10 w = 30
    second.backward()
    assert w.grad == 30.0
    first.backward()  # back to the first graph: its own gradient, not 2 + 30
    assert w.grad == 2.0


def test_zero_grad_clears_every_node_of_the_graph() -> None:
    a, b = Value(1.0), Value(2.0)
    out = (a * b).exp()
    out.backward()
    assert a.grad != 0.0
    out.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(out))


def test_topological_order_lists_each_node_once_after_its_parents() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    out = c + a * c
    order = topological_order(out)
    assert len(order) == len(set(order)) == 5
    position = {node: k for k, node in enumerate(order)}
    assert all(position[p] < position[n] for n in order for p in n.parents)
    assert order[-1] is out


def test_deep_chain_backward_needs_no_recursion() -> None:
    x = Value(0.0, "x")
    out = x
    for _ in range(2000):
        out = out + 1.0
    out.backward()
    assert (out.data, x.grad) == (2000.0, 1.0)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Value(True), TypeError, "not a bool"),
        (lambda: Value("1.0"), TypeError, "data must be a float, int"),
        (lambda: Value(Value(1.0)), TypeError, "not a Value"),
        (lambda: Value(1.0) ** Value(2.0), TypeError, "exponent must be a constant"),
        (lambda: Value(1.0) + "x", TypeError, "other operand must be"),
        (lambda: Value(1.0, parents=[Value(2.0)]), ValueError, "one derivative per parent"),
        (lambda: Value(1.0, parents=[2.0], local_grads=[1.0]), TypeError, "parents must be"),  # type: ignore[list-item]
        (lambda: Value(1.0, label=3), TypeError, "label and op must be str"),  # type: ignore[arg-type]
        (lambda: Value(0.0).log(), ValueError, "log needs a positive argument"),
        (lambda: Value(-8.0) ** 0.5, ValueError, "complex"),
    ],
)
def test_bad_input_raises_a_clear_error(
    make: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        make()


def test_power_zero_has_zero_gradient_even_at_zero() -> None:
    # d(a^0)/da = 0 everywhere; the naive 0 * a^-1 would divide by zero at a = 0
    a = Value(0.0)
    out = a**0
    out.backward()
    assert (out.data, a.grad) == (1.0, 0.0)


def test_numpy_scalars_become_python_numbers() -> None:
    np = pytest.importorskip("numpy")
    assert type(Value(np.int64(3)).data) is int
    assert type(Value(np.float32(0.5)).data) is float


def test_backward_refuses_an_infinite_local_derivative() -> None:
    """sqrt(a - a) at any a: the value is 0, but sqrt's derivative at 0 is unbounded,
    so backpropagation has no number to pass on (it would give inf - inf = nan)."""
    a = Value(0.3, label="a")
    out = (a - a) ** 0.5
    assert out.data == 0.0
    with pytest.raises(NotDifferentiableError, match="infinite"):
        out.backward()
