"""Compare nbn's report on a generated file with this package's own judgement."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from .evaluator import exact
from .generator import generate
from .judge import IllConditionedError, judge_all

#: nbn keeps 50 significant digits of an irrational exact value and this package
#: 70, so two right answers differ by less than 1e-49 relative; 1e-40 leaves nine
#: digits for the few digits a generated expression's rounding can cost (values
#: are kept between 1e-6 and 1e6, so no cancellation reaches that far). Zero is
#: compared absolutely, at the same 1e-40.
RTOL = Fraction(1, 10**40)


def close(a: Fraction, b: Fraction) -> bool:
    return abs(a - b) <= RTOL * max(abs(a), abs(b), Fraction(1))


def _nbn_report(text: str, file: str) -> tuple[Any, list[str]]:
    """nbn's report on a generated file, or ``None`` and why a well-formed file got none
    (refused, or a crash: both are findings)."""
    from nbn.check import CheckError, OracleDisagreementError, check_text

    try:
        return check_text(text, file=file), []
    except (CheckError, OracleDisagreementError) as error:
        return None, [f"nbn refused a well-formed file: {error}"]
    except Exception as error:
        return None, [f"nbn crashed: {type(error).__name__}: {error}"]


def findings(seed: int) -> tuple[str, list[str]] | None:
    """The file of ``seed`` and what nbn got wrong on it (None: ill-conditioned, skipped)."""
    generated = generate(random.Random(seed))
    try:
        mine = judge_all(generated.example, generated.claims)
    except IllConditionedError:
        return None
    report, refused = _nbn_report(generated.text, f"differential-{seed}.nbn.toml")
    if report is None:
        return generated.text, refused
    found = []
    results = {r.claim: r for r in report.results}
    for claim, (verdict, value) in zip(generated.claim_texts, mine, strict=True):
        result = results.get(claim)
        if result is None:
            found.append(f"{claim!r}: no result from nbn")
            continue
        if result.verdict != verdict:
            found.append(
                f"{claim!r} stated {result.stated!r}: nbn says {result.verdict!r}, "
                f"right is {verdict!r} (exact {float(exact(value))!r}, nbn's exact "
                f"{float(result.exact)!r}, nbn recomputed {result.recomputed!r})"
            )
        elif not close(Fraction(result.exact), exact(value)):
            found.append(
                f"{claim!r}: nbn's exact {float(result.exact)!r} is not {float(exact(value))!r}"
                f" (differs by {float(abs(Fraction(result.exact) - exact(value)))!r})"
            )
    return generated.text, found


def array_findings(seed: int) -> tuple[str, list[str]] | None:
    """The matrix-form file of ``seed`` and what nbn got wrong on it (None: skipped)."""
    from .array_generator import generate as generate_arrays

    try:
        generated = generate_arrays(random.Random(seed))
    except IllConditionedError:
        return None
    report, refused = _nbn_report(generated.text, f"differential-arrays-{seed}.nbn.toml")
    if report is None:
        return generated.text, refused
    found = []
    results = {r.claim: r for r in report.results}
    for claim in generated.claims:
        result = results.get(claim.text)
        if result is None:
            found.append(f"{claim.text!r}: no result from nbn")
            continue
        exacts = [exact(v) for v in claim.value.values()]
        if result.verdict != claim.verdict:
            found.append(
                f"{claim.text!r} stated {result.stated!r}: nbn says {result.verdict!r}, "
                f"right is {claim.verdict!r} (exact {[float(e) for e in exacts]!r}, "
                f"entries {claim.entry_verdicts!r})"
            )
        if tuple(result.shape) != claim.value.shape:
            found.append(
                f"{claim.text!r}: nbn's shape {result.shape!r}, right is {claim.value.shape!r}"
            )
            continue
        if not result.entries:
            if not close(Fraction(result.exact), exacts[0]):
                found.append(
                    f"{claim.text!r}: nbn's exact {float(result.exact)!r} "
                    f"is not {float(exacts[0])!r}"
                )
            continue
        for k, entry in enumerate(result.entries):
            if not close(Fraction(entry.exact), exacts[k]):
                found.append(
                    f"{claim.text!r}{list(entry.index)}: nbn's exact {float(entry.exact)!r} "
                    f"is not {float(exacts[k])!r}"
                )
            if claim.entry_verdicts and entry.verdict != claim.entry_verdicts[k]:
                found.append(
                    f"{claim.text!r}{list(entry.index)} stated {entry.stated!r}: nbn says "
                    f"{entry.verdict!r}, right is {claim.entry_verdicts[k]!r} "
                    f"(exact {float(exacts[k])!r})"
                )
    return generated.text, found
