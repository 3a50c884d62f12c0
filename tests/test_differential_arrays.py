"""Differential test in matrix form: nbn's verdicts and exact entries against an
independent judge.

Random files with a linear layer ``Z = W @ X + b`` (broadcast bias, ``X`` or
``X.T``), an activation and a scalar cost (``sum``/``mean``), with claims on arrays,
single entries, ``grad(cost, W)``, ``grad(cost, Z) @ X.T``, reductions of gradients
along an axis and ``after(1..3, ...)`` (``tests/differential/arrays.py`` and
``array_generator.py``: their own array arithmetic, per-entry forward-mode
derivatives, descent loop and verdicts, none of nbn's code), are checked by
``nbn.check.check_text``. Every claim's verdict, every entry's verdict and every
entry's exact value (to 1e-40 relative, :data:`differential.compare.RTOL`) must be
the ones found here. 20 fixed seeds by default (deterministic), 200 in the slow run.
"""

from __future__ import annotations

import pytest
from differential.compare import array_findings

DEFAULT_SEEDS = range(20)
# Seeds 1049, 1096 and 1108 found a bug, now fixed: a relu argument exactly 0 in exact
# arithmetic but not in float64 (Z[0, 0] = 0.1 + 0.2 - 0.3: SymPy takes relu'(0) = 0,
# the graph engine and NumPy saw 5.6e-17 and took 1) stopped nbn with "internal error:
# the oracles disagree". The float64 oracles now step aside within KINK_SLACK of the
# kink, and trained claims whose exact run meets the kink are judged by the exact
# oracle (tests/test_check_hostile.py has the scalar case).
SLOW_SEEDS = range(1000, 1200)


def _check(seed: int) -> None:
    outcome = array_findings(seed)
    if outcome is None:
        pytest.skip("ill-conditioned: a value within 1e-30 of a rounding boundary")
    text, found = outcome
    assert not found, f"seed {seed}:\n{text}\n" + "\n".join(found)


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_nbn_agrees_with_the_independent_judge_in_matrix_form(seed: int) -> None:
    _check(seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_nbn_agrees_with_the_independent_judge_on_many_matrix_files(seed: int) -> None:
    _check(seed)
