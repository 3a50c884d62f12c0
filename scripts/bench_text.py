"""The performance page's sentences about measured numbers, from one run's result.

The page draws its figures from the result of :func:`scripts.bench_scaling.run`
(:mod:`scripts.bench_figures`) and takes every measured number of its text from
the same result, through the functions here: no ratio is typed into the page.
Where a sentence compares two timings, its words ("quicker", "slower", "about as
long as") follow from the numbers it prints, so the text cannot contradict the
chart beside it.
"""

from __future__ import annotations

from typing import Any

from scripts.bench_scaling import format_seconds

__all__ = [
    "MEMORY_NOISE_BYTES",
    "compare",
    "floor_text",
    "machine_text",
    "memory_cells",
    "overhead_per_call_text",
    "overhead_text",
    "three_ways_text",
]

#: Fitted slopes of peak memory against m smaller than this (in bytes per
#: example, either sign) are shown as 0. Anything a method keeps per example is
#: at least one float64, 8 bytes; a slope under 1 byte per example is the fit's
#: scatter (small Python objects that differ from one call to the next), not
#: storage that grows with m.
MEMORY_NOISE_BYTES = 1.0


def compare(name_a: str, seconds_a: float, name_b: str, seconds_b: float) -> str:
    """``name_a``'s time against ``name_b``'s, in words that follow the printed ratio.

    The ratio is printed with two decimals; when it shows as 1.00 the two are
    "about as long", otherwise the word is "quicker" (ratio below 1) or "slower".
    """
    ratio = seconds_a / seconds_b
    shown = f"{ratio:.2f}"
    if shown == "1.00":
        return f"{name_a} takes about as long as {name_b} ({shown}× its time)"
    word = "quicker" if ratio < 1.0 else "slower"
    return f"{name_a} is {word} than {name_b}: it takes {shown}× its time"


def machine_text(result: dict[str, Any]) -> str:
    """Where the page's numbers were measured, and how long the measuring took."""
    machine = result["machine"]
    return (
        f"Measured on {machine['cpus']} CPUs ({machine['processor']}), Python "
        f"{machine['python']}, NumPy {machine['numpy']}; all measurements took "
        f"{result['wall_seconds']:.0f} s."
    )


def three_ways_text(result: dict[str, Any]) -> str:
    """The graph engine, the loop, the vectorized and the fast step, per example."""
    w = result["three_ways"]
    per = w["seconds_per_example"]
    text = (
        f"The graph engine costs **{w['ratio_engine_to_looped']:.1f}×** the loop per example, "
        f"and the loop **{w['ratio_looped_to_vectorized']:,.0f}×** the vectorized method. "
        f"At this m, "
        + compare("the fast step", per["fast"], "the vectorized one", per["vectorized"])
        + "."
    )
    if per["fast"] >= per["vectorized"]:
        text += (
            " Its blocks can save time only once the arrays outgrow the cache, which the next "
            "section measures."
        )
    return text


def floor_text(result: dict[str, Any]) -> str:
    """The steps at the floor's m against the three kernels: the bar chart in words."""
    f = result["floor"]
    fast, plain, nbn_step = f["fast_seconds"], f["plain_equations_seconds"], f["vectorized_seconds"]
    bare = "the bare vectorized step"
    return (
        f"Against the three kernels together, nbn's vectorized step takes "
        f"**{f['ratio_vectorized_to_kernels']:.2f}×** their time, {bare} (the same equations "
        f"without checks) **{f['ratio_plain_to_kernels']:.2f}×** and the fast step "
        f"**{f['ratio_fast_to_kernels']:.2f}×**. So {compare('the fast step', fast, bare, plain)}; "
        f"nbn's vectorized step adds input checks and the clipping that keeps the exponential "
        f"from overflowing, and {compare('it', nbn_step, bare, plain)}. The kernels themselves "
        f"take {f['ratio_kernels_to_sum']:.0f}× a bare pass over $X$: the exponential costs "
        f"real arithmetic for every entry, unlike a sum."
    )


def memory_cells(method: dict[str, Any], x_bytes_per_example: float) -> tuple[str, str]:
    """A method's memory per example and as a multiple of ``X``, as the table shows them.

    A fitted slope within :data:`MEMORY_NOISE_BYTES` of zero shows as 0, marked
    as below that threshold, never as ``-0.0``.
    """
    slope = float(method["bytes_per_example"])
    if abs(slope) < MEMORY_NOISE_BYTES:
        note = f"0 (below {MEMORY_NOISE_BYTES:g} B, the fit's noise)"
        return note, "0×"
    return f"{slope:,.1f}", f"{slope / x_bytes_per_example:,.2f}×"


def overhead_text(result: dict[str, Any]) -> str:
    """The article's training with nbn's layers against the same loop in plain NumPy."""
    o = result["library_overhead"]
    ratio = o["ratio"]
    if f"{ratio:.2f}" == "1.00":
        share = "no measurable difference"
    elif ratio > 1.0:
        share = f"{(ratio - 1.0) * 100:.0f}% more time per epoch"
    else:
        share = f"{(1.0 - ratio) * 100:.0f}% less time per epoch"
    return (
        f"{o['epochs']} epochs take {format_seconds(o['library_seconds'])} with nbn and "
        f"{format_seconds(o['plain_seconds'])} in plain NumPy. Epoch by epoch, nbn's median "
        f"epoch takes **{ratio:.2f}×** the plain one's: {share}. Both compute the same "
        f"training: their recorded costs differ by at most "
        f"{o['max_abs_cost_difference']:.1e}, and the last one (epoch {o['epochs'] - 100}) is "
        f"{o['last_recorded_cost']:.6f}."
    )


def overhead_per_call_text(result: dict[str, Any]) -> str:
    """What nbn adds to one median epoch, shared over the epoch's nine calls."""
    o = result["library_overhead"]
    plain, library = o["plain_median_epoch_seconds"], o["library_median_epoch_seconds"]
    text = (
        f"A median epoch took {format_seconds(plain)} in plain NumPy and "
        f"{format_seconds(library)} with `nbn`."
    )
    extra = library - plain
    if extra <= 0.0:
        return text + " nbn's checks cost less than the scatter of the timings."
    return text + (
        f" The difference, {format_seconds(extra)}, comes to {format_seconds(extra / 9)} for "
        f"each of the nine calls of an epoch (four forward, one cost, four backward)."
    )
