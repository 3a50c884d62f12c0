"""Differential test: nbn's verdicts and exact values against an independent judge.

Random worked-example files (``tests/differential``: its own trees, evaluator,
dual-number derivatives, descent loop and verdict rules, none of nbn's code) are
checked by ``nbn.check.check_text``; every claim's verdict must be the one the
documented rules give, and its exact value must match to 1e-40 relative (see
:data:`differential.compare.RTOL`). A few dozen files run by default (seeds
0-29, fixed: deterministic), a few hundred in the slow run.
"""

from __future__ import annotations

import pytest
from differential.compare import findings

DEFAULT_SEEDS = range(30)
SLOW_SEEDS = range(1000, 1400)


def _check(seed: int) -> None:
    outcome = findings(seed)
    if outcome is None:
        pytest.skip("ill-conditioned: a value within 1e-30 of a rounding boundary")
    text, found = outcome
    assert not found, f"seed {seed}:\n{text}\n" + "\n".join(found)


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_nbn_agrees_with_the_independent_judge(seed: int) -> None:
    _check(seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_nbn_agrees_with_the_independent_judge_on_many_files(seed: int) -> None:
    _check(seed)
