"""The step-by-step trace: rows in topological order with the forward value,
local gradients, upstream gradient and what each node hands its parents.

Expected numbers for the OR neuron come from the hand derivation the article
walks through: y_hat = sigma(0) = 1/2, dL/dy_hat = y_hat - y = 1/2,
d(sigma)/dz = 1/4, dL/dz = 1/8, dz/db = 1.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from nbn.graph import Value, format_number, or_neuron, to_markdown, trace
from nbn.graph.trace import node_names


def rows_by_label(rows: list) -> dict:  # type: ignore[type-arg]
    return {row.label: row for row in rows}


def test_trace_lists_every_node_once_inputs_first_parents_before_children() -> None:
    rows = trace(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0))
    labels = [row.label for row in rows]
    assert sorted(labels) == sorted(["x1", "x2", "w1", "w2", "b", "z", "y_hat", "y", "L"])
    seen: set[str] = set()
    for row in rows:
        assert set(row.local_grads) <= seen, row.label  # every parent came earlier
        seen.add(row.label)
    assert labels[-1] == "L"
    assert all(not row.op for row in rows if row.label in {"x1", "x2", "w1", "w2", "b", "y"})


def test_or_neuron_trace_matches_the_hand_derivation() -> None:
    rows = rows_by_label(trace(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)))
    assert rows["L"].value == 0.125 and rows["L"].upstream_grad == 1.0
    # dL/dy_hat = -(y - y_hat) = y_hat - y = 0.5
    assert rows["L"].local_grads == {"y_hat": 0.5, "y": -0.5}
    assert rows["y_hat"].value == 0.5 and rows["y_hat"].upstream_grad == 0.5
    # d(sigma)/dz at z = 0 is 1/4, so dL/dz = 0.5 * 0.25
    assert rows["y_hat"].local_grads == {"z": 0.25}
    assert rows["z"].upstream_grad == 0.125
    # dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1
    assert rows["z"].local_grads == {"w1": 0.0, "x1": 0.1, "w2": 0.0, "x2": 0.6, "b": 1.0}
    assert rows["z"].grads_to_parents["b"] == 0.125
    assert rows["b"].upstream_grad == 0.125
    assert rows["w1"].upstream_grad == rows["w2"].upstream_grad == 0.0


def test_trace_runs_backward_itself_and_is_repeatable() -> None:
    g = or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)
    first = [(r.label, r.value, r.upstream_grad) for r in trace(g)]
    second = [(r.label, r.value, r.upstream_grad) for r in trace(g.output)]
    assert first == second
    assert g["b"].grad == 0.125


def test_trace_of_fraction_graph_is_exact() -> None:
    g = or_neuron(0, 0, Fraction(1, 10), Fraction(3, 5), 0, b=Fraction(0))
    rows = rows_by_label(trace(g))
    assert rows["L"].value == Fraction(1, 8)
    assert rows["b"].upstream_grad == Fraction(1, 8)


def test_repeated_parent_local_gradient_is_summed() -> None:
    a = Value(3.0, "a")
    rows = rows_by_label(trace(a * a))
    # d(a*a)/da = a + a
    (square,) = [r for r in rows.values() if r.op == "*"]
    assert square.local_grads == {"a": 6.0}
    assert rows["a"].upstream_grad == 6.0


def test_node_names_are_unique_on_clashes_and_for_unlabelled_nodes() -> None:
    a1, a2 = Value(1.0, "a"), Value(2.0, "a")
    out = a1 + a2
    names = node_names([a1, a2, out])
    assert names == {a1: "a#0", a2: "a#1", out: "v2"}


def test_trace_rejects_what_is_not_a_graph() -> None:
    with pytest.raises(TypeError, match="expected a Value or a Graph"):
        trace(3.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.125, "0.125"),
        (0.5, "0.5"),
        (0.0, "0"),
        (-0.0, "0"),
        (-0.0001, "-0.0001"),
        (0.08891294752305501, "0.089"),
        (1.0, "1"),
        (1.5e-5, "1.5e-05"),
        (Fraction(1, 8), "1/8"),
        (3, "3"),
    ],
)
def test_format_number_rounds_as_the_article(value: object, text: str) -> None:
    assert format_number(value) == text


def test_markdown_table_has_one_row_per_node_with_local_and_upstream() -> None:
    table = to_markdown(trace(or_neuron(0.0, 0.0, 0.1, 0.6, 0.0, b=0.0)))
    lines = table.splitlines()
    assert lines[0].startswith("| node | op | forward value | local gradients | upstream")
    assert len(lines) == 2 + 9
    assert "| y_hat | sigmoid | 0.5 | ∂/∂z = 0.25 | 0.5 |" in lines
