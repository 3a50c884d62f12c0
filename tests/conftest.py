"""Shared pytest set-up: make ``tests/`` importable (reference, strategies)."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

# Hypothesis: the default run is deterministic (derandomize: the same examples on
# every machine); ``--hypothesis-profile=slow`` draws many random examples, and
# ``--hypothesis-seed=N`` with it makes a run of other seeds reproducible. Tests that
# set their own number write ``max_examples=examples(n)`` (tests/strategies.py): n in
# the default run, ten times n under the slow profile.
from hypothesis import settings  # noqa: E402

settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("slow", max_examples=1000, derandomize=False, deadline=None)
settings.load_profile("default")

# The hostile corpus is data for tests/test_hostile_corpus.py, not worked examples
# for nbn's pytest plugin to collect.
collect_ignore = ["hostile"]
