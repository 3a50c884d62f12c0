"""The performance page's sentences follow the run's numbers (scripts/bench_text.py).

Each test feeds a small hand-made run result, with numbers chosen here, and
checks that the sentence prints those numbers (rounded as the page rounds them,
worked out by hand in the comments) and that its words agree with them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from docs_pages import DOCS, code_blocks  # puts the repository root on sys.path

from scripts import bench_text


def _floor(fast: float, plain: float, vectorized: float) -> dict[str, Any]:
    kernels, x_sum = 1.0, 0.25  # seconds; the ratios below are typed from these by hand
    return {
        "floor": {
            "fast_seconds": fast,
            "plain_equations_seconds": plain,
            "vectorized_seconds": vectorized,
            "ratio_fast_to_kernels": fast / kernels,
            "ratio_plain_to_kernels": plain / kernels,
            "ratio_vectorized_to_kernels": vectorized / kernels,
            "ratio_kernels_to_sum": kernels / x_sum,
        }
    }


def test_floor_text_says_the_fast_step_is_slower_when_the_chart_shows_it_slower() -> None:
    # The run: bare equations 2.76x the kernels, fast step 2.85x, nbn's step 3.10x.
    text = bench_text.floor_text(_floor(fast=2.85, plain=2.76, vectorized=3.10))
    assert "**3.10×**" in text and "**2.76×**" in text and "**2.85×**" in text, repr(text)
    # 2.85 / 2.76 = 1.0326... -> "1.03"; 2.76 / 3.10 = 0.8903... -> "0.89"
    assert "the fast step is slower than the bare vectorized step: it takes 1.03× its time" in text
    # 3.10 / 2.76 = 1.1231... -> "1.12"
    assert "it is slower than the bare vectorized step: it takes 1.12× its time" in text
    assert "4× a bare pass over $X$" in text  # 1.0 / 0.25


def test_floor_text_says_quicker_when_the_fast_step_is_quicker() -> None:
    text = bench_text.floor_text(_floor(fast=1.5, plain=2.0, vectorized=2.5))
    # 1.5 / 2.0 = 0.75
    assert "the fast step is quicker than the bare vectorized step: it takes 0.75× its" in text


def test_compare_calls_a_ratio_that_prints_as_one_about_as_long() -> None:
    # 1.004 prints as 1.00: neither "quicker" nor "slower" would match the number shown.
    assert bench_text.compare("a", 1.004, "b", 1.0) == "a takes about as long as b (1.00× its time)"
    assert bench_text.compare("a", 0.99, "b", 1.0) == "a is quicker than b: it takes 0.99× its time"


@pytest.mark.parametrize("slope", [-0.04, -0.0, 0.0, 0.9])
def test_memory_within_the_noise_threshold_shows_as_zero_never_minus_zero(slope: float) -> None:
    cells = bench_text.memory_cells({"bytes_per_example": slope}, x_bytes_per_example=16)
    assert cells == ("0 (below 1 B, the fit's noise)", "0×")
    assert not any(cell.startswith("-") for cell in cells)


def test_memory_above_the_threshold_shows_the_fitted_slope() -> None:
    # 48 bytes per example against 16 bytes of X per example: 3.00x
    assert bench_text.memory_cells({"bytes_per_example": 48.0}, 16) == ("48.0", "3.00×")


def _overhead(ratio: float, library: float, plain: float) -> dict[str, Any]:
    return {
        "library_overhead": {
            "epochs": 5000,
            "library_seconds": library * 5000,
            "plain_seconds": plain * 5000,
            "library_median_epoch_seconds": library,
            "plain_median_epoch_seconds": plain,
            "ratio": ratio,
            "max_abs_cost_difference": 2.5e-15,
            "last_recorded_cost": 0.0009210166430616655,
        }
    }


def test_overhead_text_prints_the_run_numbers_and_no_target() -> None:
    text = bench_text.overhead_text(_overhead(1.23, 120e-6, 100e-6))
    assert "**1.23×**" in text and "23% more time per epoch" in text, repr(text)
    assert "600 ms with nbn and 500 ms in plain NumPy" in text  # 5000 x 120 µs, 5000 x 100 µs
    assert "2.5e-15" in text and "(epoch 4900) is 0.000921" in text
    assert "aim" not in text and "build" not in text


def test_overhead_per_call_text_does_not_share_out_a_negative_difference() -> None:
    text = bench_text.overhead_per_call_text(_overhead(0.98, 98e-6, 100e-6))
    # format_seconds keeps 3 significant digits: 98 µs
    assert "98 µs with `nbn`" in text and "nine calls" not in text, repr(text)
    text = bench_text.overhead_per_call_text(_overhead(1.09, 109e-6, 100e-6))
    assert "The difference, 9 µs, comes to 1 µs for each of the nine calls" in text, repr(text)


def test_three_ways_text_follows_the_per_example_times() -> None:
    result = {
        "three_ways": {
            "seconds_per_example": {"fast": 3e-9, "vectorized": 2e-9},
            "ratio_engine_to_looped": 41.26,
            "ratio_looped_to_vectorized": 1234.4,
        }
    }
    text = bench_text.three_ways_text(result)
    assert "**41.3×** the loop" in text and "**1,234×** the vectorized" in text, repr(text)
    assert "the fast step is slower than the vectorized one: it takes 1.50× its time" in text
    assert "next section" in text
    result["three_ways"]["seconds_per_example"]["fast"] = 1e-9
    text = bench_text.three_ways_text(result)
    assert "is quicker than the vectorized one: it takes 0.50× its time" in text
    assert "next section" not in text


def test_performance_page_types_no_measured_ratio_in_its_prose_or_code() -> None:
    # Every "N×" on the page is formatted from the run's result at build time: none is typed.
    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", page, flags=re.S)
    assert not re.findall(r"\d(?:\.\d+)?\s*×", prose)
    code = "\n".join(block.code for block in code_blocks("performance.md"))
    assert not re.findall(r"[\"'][^\"'{}]*\d(?:\.\d+)?×", code), "a ratio typed in a block"
    for name in (
        "machine_text",
        "three_ways_text",
        "floor_text",
        "memory_cells",
        "overhead_text",
        "overhead_per_call_text",
    ):
        assert f"bench_text.{name}(" in code, f"the page does not use {name}"


@pytest.mark.slow
def test_performance_page_text_and_chart_come_from_the_same_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The page's one run, made in this process so that the test sees its result.
    from docs_pages import run_page

    from scripts import bench_scaling

    runs: list[dict[str, Any]] = []

    def run_here(quick: bool = True) -> dict[str, Any]:
        runs.append(bench_scaling.run(quick=quick))
        return runs[-1]

    monkeypatch.setattr(bench_scaling, "run_isolated", run_here)
    page = "\n".join(run_page("performance.md"))
    assert len(runs) == 1, "the page must measure once and draw everything from that run"
    result = runs[0]
    for sentence in (
        bench_text.machine_text,
        bench_text.three_ways_text,
        bench_text.floor_text,
        bench_text.overhead_text,
        bench_text.overhead_per_call_text,
    ):
        assert sentence(result) in page, sentence.__name__
    floor = result["floor"]
    # The bar chart labels each bar with its ratio to the kernels; the text prints the same.
    for key in ("fast_seconds", "plain_equations_seconds", "vectorized_seconds"):
        label = f"{floor[key] / floor['kernel_seconds']:.2f}× the kernels"
        assert label in page, label
    x_bytes = result["memory"]["x_bytes_per_example"]
    for method in result["memory"]["methods"].values():
        for cell in bench_text.memory_cells(method, x_bytes):
            assert f"| {cell} |" in page, cell
    rows = [line for line in page.splitlines() if line.startswith("|")]
    assert not [row for row in rows if "-0.0" in row], "a negative zero in a table"
