"""Benchmarks share their workloads with ``scripts/bench_scaling.py``: put the
repository root on ``sys.path`` so that ``import scripts.bench_scaling`` works."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
