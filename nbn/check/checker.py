"""Checking a worked example: every claim's oracles, recomputation and verdict.

:func:`check_example` runs the whole check of one loaded file and returns a
:class:`Report` with one :class:`ClaimResult` per claim, in file order.
"""

from __future__ import annotations

import decimal
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from . import expr
from .arrayfloat import NumpyOracle, check_entries
from .arrays import entry_name, indices
from .backends import DomainError, Float64KinkError, to_fraction
from .bounds import (
    DEFAULT_TIME_LIMIT,
    MAX_MAGNITUDE,
    Deadline,
    TimeLimitExceeded,
    deeper_recursion,
)
from .causes import Grid, Slip, batch_size, choose, scalar_causes, transpose_variants
from .derivation import Derivation
from .entries import EntryResult, transposed_agrees, worst
from .errors import CheckError, OracleDisagreementError
from .exact import ExactWorlds, UndecidableError, decide
from .load import Claim, WorkedExample
from .lower import ArrayClaim
from .oracles import (
    ENGINE_RTOL,
    FD_RTOL,
    EngineOracle,
    FloatOracle,
    StepAside,
    SympyOracle,
    agree,
    where_computed,
)
from .shapes import describe
from .train import AFTER_RTOL, Trajectories
from .train import run as train_run
from .verdict import judge

__all__ = ["ClaimResult", "Report", "check_example"]


def _json_number(q: Fraction) -> float | str:
    """``q`` as a float, or as 17 significant digits in a string where it is beyond
    float64 (a step redone from a wrongly stated input can be: 1e300 squared)."""
    if abs(q) <= Fraction(repr(sys.float_info.max)):
        return float(q)
    with decimal.localcontext(decimal.Context(prec=17)):
        return str(decimal.Decimal(q.numerator) / decimal.Decimal(q.denominator))


@dataclass(frozen=True)
class ClaimResult:
    """The outcome for one claim.

    Attributes
    ----------
    file : str
    claim : str
        The claim's expression exactly as written in the file.
    line : int or None
        Its line in the file.
    stated : str
        The stated value as written (``"?"`` if not filled in yet).
    exact : Fraction
        The exact value (50 significant digits where irrational; a claim that
        reads ``after(n, e)``: exact where the training is rational, else the
        midpoint of a proven enclosure that decides the verdict, see
        :mod:`nbn.check.exact`).
    verdict : str
        ``agrees``, ``truncated``, ``carried``, ``last-digit``, ``wrong`` or
        ``unanswered`` (see :mod:`nbn.check.verdict`).
    expected : str or None
        The verdict the file's ``[expect]`` table expects.
    oracles : dict of str to float
        Each oracle's value: ``sympy``, ``graph-engine``, and
        ``finite-difference`` for gradients and ``after``; for ``after`` also
        ``exact``, the exact rational run or proven enclosure the verdict is
        decided on (:mod:`nbn.check.exact`).
    recomputed : Fraction or None
        The step redone from the author's stated inputs.
    inputs : tuple of str
        The stated claims the step read (its direct inputs).
    carried_from : tuple of str
        For ``carried``: the inputs that do not agree, and the first wrong
        claims upstream of them; when every input agrees (a rounded
        intermediate), the inputs that were stated rounded.
    first_wrong : bool
        A ``wrong`` claim with no ``wrong`` claim upstream of it.
    cause : str or None
        Why a ``carried`` claim is carried: ``"wrong-input"`` (a direct input's
        verdict is not ``agrees``; rule 3) or ``"rounded-inputs"`` (every input
        agrees, and the ones stated rounded moved the result; rule 5).
        ``None`` for every other verdict.
    shape : tuple of int
        The exact value's shape (``()`` for a number).
    entries : tuple of EntryResult
        For an array: every entry, row-major (see :mod:`nbn.check.entries`);
        ``exact``, ``oracles`` and ``recomputed`` are then the worst entry's.
    note : str or None
        For a stated array whose shape does not fit: both shapes.
    likely : tuple of Slip
        For a ``wrong`` claim, the slips of :mod:`nbn.check.causes` that reproduce
        its stated value from the stated inputs when the right step does not (a
        hint, never a verdict); usually one, several only when they tie; empty
        when none does, and for every other verdict.
    aside : dict of str to str
        The oracles that stepped aside at this point, and why (finite
        differences where the step straddles relu's kink or a pole).
    """

    file: str
    claim: str
    line: int | None
    stated: str
    exact: Fraction
    verdict: str
    expected: str | None
    oracles: dict[str, float]
    recomputed: Fraction | None
    inputs: tuple[str, ...]
    carried_from: tuple[str, ...] = ()
    first_wrong: bool = False
    cause: str | None = None
    shape: tuple[int, ...] = ()
    entries: tuple[EntryResult, ...] = ()
    note: str | None = None
    likely: tuple[Slip, ...] = ()

    @property
    def disagreeing(self) -> tuple[EntryResult, ...]:
        """The entries whose verdict is not ``agrees``."""
        return tuple(e for e in self.entries if e.verdict != "agrees")

    @property
    def likely_cause(self) -> tuple[str, ...]:
        """The identifiers of :attr:`likely` (``"sign"``, ``"factor-m"``, ...)."""
        return tuple(s.cause for s in self.likely)

    aside: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """The claim agrees, or has exactly the verdict ``[expect]`` expects."""
        return self.verdict == (self.expected or "agrees")

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        """The JSON object of ``nbn check --json`` (``exact`` hidden for ``"?"`` unless
        ``reveal``)."""
        hidden = self.verdict == "unanswered" and not reveal
        exact: object = None if hidden else float(self.exact)
        extra: dict[str, Any] = {}
        if self.shape or self.entries or self.note:
            # an entry stated "?" keeps its answer hidden, as a "?" claim does
            shown = {
                e.index for e in self.entries if reveal or e.verdict != "unanswered" or self.note
            }
            if not hidden and self.shape:
                exact = _nested(
                    [float(e.exact) if e.index in shown else None for e in self.entries],
                    self.shape,
                )
            extra = {
                "shape": list(self.shape),
                "entries": []
                if hidden
                else [e.to_json() for e in self.disagreeing if e.index in shown],
                "note": self.note,
            }
        return {
            "file": self.file,
            "claim": self.claim,
            "line": self.line,
            "stated": self.stated,
            "exact": exact,
            "verdict": self.verdict,
            "expected": self.expected,
            "ok": self.ok,
            "oracles": {} if hidden else dict(self.oracles),
            "recomputed": None
            if hidden or self.recomputed is None
            else _json_number(self.recomputed),
            "inputs": list(self.inputs),
            "carried_from": list(self.carried_from),
            "first_wrong": self.first_wrong,
            "cause": self.cause,
            "likely_cause": list(self.likely_cause),
            "likely_cause_text": " or ".join(s.phrase for s in self.likely) or None,
            "aside": dict(self.aside),
            **extra,
        }


def _nested(values: list[float | None], shape: tuple[int, ...]) -> object:
    """Row-major ``values`` as nested lists of ``shape``."""
    if not shape:
        return values[0]
    if len(shape) == 1:
        return values
    cols = shape[1]
    return [values[r * cols : (r + 1) * cols] for r in range(shape[0])]


@dataclass(frozen=True)
class Report:
    """The check of one file.

    Attributes
    ----------
    example : WorkedExample
    results : tuple of ClaimResult
        One per claim, in file order.
    seconds : float
        Wall time of the check.
    """

    example: WorkedExample
    results: tuple[ClaimResult, ...]
    seconds: float = field(default=0.0, compare=False)

    @property
    def file(self) -> str:
        return self.example.file

    @property
    def ok(self) -> bool:
        """Every claim agrees or has exactly its expected verdict (exit status 0)."""
        return all(r.ok for r in self.results)

    @property
    def first_wrong(self) -> tuple[ClaimResult, ...]:
        """The ``wrong`` claims none of whose upstream claims is ``wrong``."""
        return tuple(r for r in self.results if r.first_wrong)

    def counts(self) -> dict[str, int]:
        """How many claims got each verdict."""
        out: dict[str, int] = {}
        for r in self.results:
            out[r.verdict] = out.get(r.verdict, 0) + 1
        return out

    def result(self, claim: str) -> ClaimResult:
        """The result of the claim written ``claim`` (or of one entry of an array
        claim, written ``claim[i, j]``)."""
        for r in self.results:
            if r.claim == claim:
                return r
            for e in r.entries:  # one entry of an array claim: "claim[i, j]"
                if claim == f"{r.claim}[{', '.join(str(i) for i in e.index)}]":
                    return replace(
                        r,
                        claim=claim,
                        stated=e.stated,
                        exact=e.exact,
                        verdict=e.verdict,
                        recomputed=e.recomputed,
                        shape=(),
                        entries=(),
                    )
        raise KeyError(
            f"no claim {claim!r} in {self.file}; claims: {[r.claim for r in self.results]}"
        )


class _Worlds:
    """The oracles of each world, built on first use."""

    def __init__(
        self,
        example: WorkedExample,
        trajectories: Trajectories | None,
        exact: ExactWorlds | None,
        deadline: Deadline,
    ) -> None:
        self.example = example
        self.trajectories = trajectories
        self.exact = exact
        self.deadline = deadline
        self._sympy: dict[int, SympyOracle] = {}
        self._engine: dict[int, EngineOracle] = {}
        self._float: dict[int, FloatOracle] = {}

    def _givens(self, oracle: str, steps: int) -> dict[str, float]:
        if self.trajectories is None:
            return {n: float(p.value) for n, p in self.example.given.items()}
        return self.trajectories.givens(self.example, oracle, steps)

    def sympy(self, steps: int) -> SympyOracle:
        if steps not in self._sympy:
            if self.exact is None or not steps:
                exact = {n: p.value for n, p in self.example.given.items()}
            else:  # exact, or the proven enclosures' midpoints
                exact = self.exact.givens(steps)
            self._sympy[steps] = SympyOracle(self.example, exact, steps, self.deadline)
        return self._sympy[steps]

    def engine(self, steps: int) -> EngineOracle:
        if steps not in self._engine:
            self._engine[steps] = EngineOracle(self.example, self._givens("graph-engine", steps))
        return self._engine[steps]

    def floats(self, steps: int) -> FloatOracle:
        if steps not in self._float:
            self._float[steps] = FloatOracle(self.example, self._givens("finite-difference", steps))
        return self._float[steps]


def _trained_steps(node: expr.Node) -> set[int]:
    """The worlds other than the givens' that a claim reads (``after(n, e)``, n > 0)."""
    return {a.n for a in expr.afters_in(node) if a.n}


def check_example(example: WorkedExample, time_limit: float = DEFAULT_TIME_LIMIT) -> Report:
    """Check every claim of ``example`` (see :mod:`nbn.check` for the whole story).

    Raises
    ------
    CheckError
        Domain errors met while computing, values out of float64's range, or the
        time limit passed.
    OracleDisagreementError
        The oracles disagree (a bug in nbn).
    """
    start = time.perf_counter()
    deadline = Deadline(time_limit)
    try:
        with deadline.armed(), deeper_recursion():
            results, way = _check(example, deadline)
            if example.arrays is not None:
                results = _as_written(example, results, way)
    except CheckError as error:
        raise _as_written_error(example, error) from None
    except TimeLimitExceeded:
        advice = "fewer or smaller after(n, e) steps, " if example.max_steps() else ""
        raise CheckError(
            example.file,
            None,
            None,
            f"expected the check to finish within {time_limit:g} s (the time limit), "
            f"stopped; {advice}shorter expressions, or a larger --time-limit",
        ) from None
    except (RecursionError, MemoryError) as error:
        what = "memory" if isinstance(error, MemoryError) else "nesting depth"
        raise CheckError(
            example.file,
            None,
            None,
            f"expected a file nbn can check within its {what} limit, got one past it; "
            "fewer nested functions or a shorter chain of definitions",
        ) from None
    return Report(example, results, time.perf_counter() - start)


def _check(
    example: WorkedExample, deadline: Deadline
) -> tuple[tuple[ClaimResult, ...], Derivation]:
    wanted: set[int] = set()
    for claim in example.claims:
        for steps in _trained_steps(claim.node):
            wanted |= {steps, steps - 1}
    trajectories = train_run(example, wanted, deadline) if wanted else None
    exact_worlds = ExactWorlds(example, wanted, deadline) if wanted else None
    worlds = _Worlds(example, trajectories, exact_worlds, deadline)
    exacts: list[Fraction] = []
    oracles: list[dict[str, float]] = []
    asides: list[dict[str, str]] = []
    for claim in example.claims:
        deadline.check()
        stepped: dict[str, str] = {}
        exact, values = _claim_oracles(example, worlds, claim, stepped)
        exacts.append(exact)
        oracles.append(values)
        asides.append(stepped)
    if example.arrays is not None:
        _numpy_oracle(example, worlds, exacts, oracles)
    if exact_worlds is not None:
        _decide_trained(example, exact_worlds, exacts)
    ways = [Derivation(example, worlds.sympy), Derivation(example, worlds.sympy, own_values=True)]
    count = len(example.claims)
    redone = [[way.recompute(i) for way in ways] for i in range(count)]
    direct = {i: frozenset().union(*(inputs for _, inputs in redone[i])) for i in range(count)}
    verdicts: dict[int, str] = {}
    matched: dict[int, int] = {}
    # judged inputs first (the claims' inputs form a DAG: forward values read
    # earlier forward values, gradients read gradients nearer f and forward values)
    for index in _inputs_first(direct):
        claim = example.claims[index]
        if claim.stated is None:
            verdicts[index] = "unanswered"
            continue
        candidates = [
            (recomputed, [verdicts[i] for i in sorted(inputs)])
            for recomputed, inputs in redone[index]
        ]
        verdicts[index], way = judge(claim.stated, exacts[index], candidates)
        if way is not None:
            matched[index] = way
    likely = _likely_causes(example, worlds, exacts, redone, verdicts, ways[0], deadline)
    upstream = _upstream(direct)
    results = []
    for index, claim in enumerate(example.claims):
        recomputed, inputs = redone[index][matched.get(index, 0)]
        wrong_above = sorted(i for i in upstream[index] if verdicts[i] == "wrong")
        carried_from: tuple[str, ...] = ()
        cause: str | None = None
        if verdicts[index] == "carried":
            bad = [i for i in sorted(inputs) if verdicts[i] != "agrees"]
            cause = "wrong-input"
            if not bad:  # rule 5: the inputs agree; the ones stated rounded carried it in
                bad = [i for i in sorted(inputs) if _rounded(example.claims[i], exacts[i])]
                cause = "rounded-inputs"
            first = [i for i in wrong_above if not any(verdicts[j] == "wrong" for j in upstream[i])]
            carried_from = tuple(example.claims[i].text for i in dict.fromkeys(bad + first))
        results.append(
            ClaimResult(
                file=example.file,
                claim=claim.text,
                line=claim.line,
                stated=claim.stated_text,
                exact=exacts[index],
                verdict=verdicts[index],
                expected=claim.expect,
                oracles=oracles[index],
                recomputed=recomputed,
                inputs=tuple(example.claims[i].text for i in sorted(inputs)),
                carried_from=carried_from,
                first_wrong=verdicts[index] == "wrong" and not wrong_above,
                cause=cause,
                likely=likely.get(index, ()),
                aside=asides[index],
            )
        )
    return tuple(results), ways[0]


def _as_written(
    example: WorkedExample, results: tuple[ClaimResult, ...], way: Derivation
) -> tuple[ClaimResult, ...]:
    """One result per claim as written, from the results of its entries
    (see :mod:`nbn.check.entries`)."""
    if example.arrays is None:  # pragma: no cover - called for expanded files only
        return results
    owner: dict[str, str] = {}
    for array_claim in example.arrays.claims:
        for k in range(array_claim.first, array_claim.first + array_claim.count):
            owner[example.claims[k].text] = array_claim.text

    def written(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(owner.get(t, t) for t in texts))

    out = []
    for ac, written_claim in zip(example.arrays.claims, example.arrays.written, strict=True):
        parts = results[ac.first : ac.first + ac.count]
        exacts = [r.exact for r in parts]
        note = None
        stated_text = ac.stated.text()
        if ac.alignment in ("same", "flat"):
            entries = tuple(
                EntryResult(index, r.stated, r.exact, r.verdict, r.recomputed)
                for index, r in zip(indices(ac.shape), parts, strict=True)
            )
            pick = worst([e.verdict for e in entries])
            verdict = entries[pick].verdict
        else:
            entries = tuple(
                EntryResult(index, "?", r.exact, "unanswered", r.recomputed)
                for index, r in zip(indices(ac.shape), parts, strict=True)
            )
            pick = 0
            shapes = f"stated shape {describe(ac.stated.shape)}, exact shape {describe(ac.shape)}"
            if ac.alignment == "transposed" and transposed_agrees(ac.stated, exacts, ac.shape):
                verdict = "transposed"
                note = f"{shapes}: the stated array agrees once transposed"
            else:
                verdict = "wrong"
                note = f"{shapes}: the shapes do not fit"
        chosen = parts[pick]
        out.append(
            ClaimResult(
                file=example.file,
                claim=ac.text,
                line=ac.line,
                stated=stated_text,
                exact=chosen.exact,
                verdict=verdict,
                expected=ac.expect,
                oracles=chosen.oracles,
                recomputed=chosen.recomputed,
                inputs=written(tuple(t for r in parts for t in r.inputs)),
                carried_from=written(tuple(t for r in parts for t in r.carried_from))
                if verdict == "carried"
                else (),
                first_wrong=verdict == "wrong"
                and (note is not None or any(r.first_wrong for r in parts)),
                cause=chosen.cause if verdict == "carried" else None,
                aside=chosen.aside,
                likely=(
                    _shared_likely(parts)
                    or _transposed_operand(example, ac, written_claim, way, exacts)
                )
                if verdict == "wrong" and note is None
                else (),
                shape=ac.shape,
                entries=entries if ac.shape else (),
                note=note,
            )
        )
    return tuple(out)


def _transposed_operand(
    example: WorkedExample,
    ac: ArrayClaim,
    claim: Claim,
    way: Derivation,
    exacts: Sequence[Fraction],
) -> tuple[Slip, ...]:
    """The ``transpose`` cause of a wrong matrix step (:func:`nbn.check.causes.transpose_variants`):
    the step redone from the author's values with one operand, or the result, transposed,
    where the shapes still fit. The step is the claim's expression, or the definition
    of the quantity it names; a ``grad`` claim's chain rule has no operands to try."""
    if example.arrays is None or len(ac.shape) != 2 or ac.alignment not in ("same", "flat"):
        return ()
    steps, body = (
        (claim.node.n, claim.node.body) if isinstance(claim.node, expr.After) else (0, claim.node)
    )
    if isinstance(body, expr.Name) and body.id in example.arrays.define:
        step = example.arrays.define[body.id]
    elif isinstance(body, (expr.Name, expr.Grad)):
        return ()
    else:
        step = body
    rows, cols = ac.shape
    operands: dict[str, Grid] = {}
    for name in expr.names_in(step):
        if len(example.arrays.shapes[name]) != 2:
            continue
        shape, values = way.redo(expr.Name(name), steps)
        if any(v is None for v in values):
            return ()
        operands[name] = _grid(shape, [v for v in values if v is not None])

    def redo(given: Mapping[str, Grid]) -> Grid:
        shape, values = way.redo(step, steps, override=given)
        if len(shape) != 2 or any(v is None for v in values):
            raise ValueError(f"the step gives shape {shape} or cannot be redone")
        return _grid(shape, [v for v in values if v is not None])

    try:
        variants = transpose_variants(operands, redo)
        rights = [redo(operands)]
    except ValueError:
        return ()
    rights.append(_grid(ac.shape, list(exacts)))
    stated = tuple(tuple(ac.stated.entries[r * cols : (r + 1) * cols]) for r in range(rows))
    return choose(stated, rights, variants)


def _grid(shape: tuple[int, ...], values: list[Fraction]) -> Grid:
    rows, cols = shape
    return tuple(tuple(values[r * cols : (r + 1) * cols]) for r in range(rows))


def _as_written_error(example: WorkedExample, error: CheckError) -> CheckError:
    """An error met while computing one entry of a file in matrix form, named by the
    key as written in the file (``Z``, not ``Z[0, 1]``) and the entry."""
    arrays = example.arrays
    if arrays is None or error.key is None:
        return error
    owner: dict[str, tuple[str, str]] = {}
    if error.table == "claims":
        for ac in arrays.claims:
            if not ac.shape:
                continue
            span = range(ac.first, ac.first + ac.count)
            for k, at in zip(span, indices(ac.shape), strict=True):
                owner[example.claims[k].text] = (ac.text, ", ".join(map(str, at)))
    elif error.table == "define":
        for name, shape in arrays.shapes.items():
            for at in indices(shape):
                if at:
                    owner[entry_name(name, at)] = (name, ", ".join(map(str, at)))
    if error.key not in owner:
        return error
    key, index = owner[error.key]
    return CheckError(
        error.file,
        error.table,
        key,
        f"entry [{index}]: {error.problem}",
        example.line(error.table or "", key),
    )


def _shared_likely(parts: tuple[ClaimResult, ...]) -> tuple[Slip, ...]:
    """The likely cause of an array claim from its entries': named only when every
    wrong entry has the same one (a slip of the whole step, not of one entry)."""
    wrong = [r for r in parts if r.verdict == "wrong"]
    if not wrong or not wrong[0].likely:
        return ()
    first = wrong[0].likely_cause
    return wrong[0].likely if all(r.likely_cause == first for r in wrong) else ()


def _numpy_oracle(
    example: WorkedExample,
    worlds: _Worlds,
    exacts: list[Fraction],
    oracles: list[dict[str, float]],
) -> None:
    """Each claim as written by NumPy (:mod:`nbn.check.arrayfloat`), checked against the
    exact entries and added to each entry's oracles as ``numpy``. A world after ``n``
    training steps has the givens of SymPy's world ``n``."""
    if example.arrays is None:  # pragma: no cover - called for files with arrays only
        return
    numpy_worlds: dict[int, NumpyOracle] = {}

    def world(steps: int) -> NumpyOracle:
        if steps not in numpy_worlds:
            values = worlds.sympy(steps).values
            givens = {name: float(values[name]) for name in example.given}
            numpy_worlds[steps] = NumpyOracle(example, givens, world)
        return numpy_worlds[steps]

    for ac, written in zip(example.arrays.claims, example.arrays.written, strict=True):
        worlds.deadline.check()
        try:
            value = world(0).value(written.node)
        except (FloatingPointError, ZeroDivisionError, OverflowError, Float64KinkError):
            continue  # NumPy cannot compute or judge it in float64: three oracles remain
        span = range(ac.first, ac.first + ac.count)
        scale = max(worlds.sympy(n).scale() for n in {0, *_trained_steps(written.node)})
        values = check_entries(
            ac.text,
            [float(exacts[k]) for k in span],
            value,
            scale,
            bool(expr.grads_in(written.node)),
        )
        for k, v in zip(span, values, strict=True):
            oracles[k]["numpy"] = v


def _likely_causes(
    example: WorkedExample,
    worlds: _Worlds,
    exacts: list[Fraction],
    redone: list[list[tuple[Fraction | None, frozenset[int]]]],
    verdicts: dict[int, str],
    way: Derivation,
    deadline: Deadline,
) -> dict[int, tuple[Slip, ...]]:
    """The likely cause of each ``wrong`` claim (:mod:`nbn.check.causes`)."""
    m = batch_size(example)
    slipped: list[Derivation] = []

    def with_slip() -> Derivation:
        if not slipped:
            slipped.append(Derivation(example, worlds.sympy, activation_at_input=True))
        return slipped[0]

    out: dict[int, tuple[Slip, ...]] = {}
    for index, verdict in verdicts.items():
        if verdict != "wrong":
            continue
        deadline.check()
        rights = [exacts[index], *(r for r, _ in redone[index] if r is not None)]
        found = scalar_causes(example, index, rights, way, with_slip, m)
        if found:
            out[index] = found
    return out


def _rounded(claim: Claim, exact: Fraction) -> bool:
    """True if ``claim`` was stated as a value other than its exact one."""
    return claim.stated is not None and claim.stated.value != exact


def _inputs_first(inputs: dict[int, frozenset[int]]) -> list[int]:
    """The claims ordered so that each comes after its inputs (iterative, no recursion)."""
    order: list[int] = []
    done: set[int] = set()
    for start in inputs:
        stack = [(start, iter(sorted(inputs[start])))]
        while stack:
            node, pending = stack[-1]
            child = next((i for i in pending if i not in done and i != node), None)
            if child is None:
                stack.pop()
                if node not in done:
                    done.add(node)
                    order.append(node)
            elif all(child != n for n, _ in stack):
                stack.append((child, iter(sorted(inputs[child]))))
    return order


def _upstream(inputs: dict[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """Every claim upstream of each claim (its inputs, their inputs, ...)."""
    out: dict[int, frozenset[int]] = {}
    for start in inputs:
        seen: set[int] = set()
        stack = list(inputs[start])
        while stack:
            i = stack.pop()
            if i in seen or i == start:
                continue
            seen.add(i)
            stack.extend(inputs[i])
        out[start] = frozenset(seen)
    return out


def _enclose(example: WorkedExample, exact: ExactWorlds, claim: Claim) -> tuple[Fraction, Fraction]:
    try:
        return exact.enclosure(claim.node)
    except UndecidableError as error:
        raise CheckError(
            example.file,
            "claims",
            claim.text,
            f"cannot decide the value after training: {error}",
            claim.line,
        ) from None


def _claim_oracles(
    example: WorkedExample, worlds: _Worlds, claim: Claim, aside: dict[str, str]
) -> tuple[Fraction, dict[str, float]]:
    """The exact value of one claim and every oracle's value, checked to agree (an
    oracle that cannot judge this point steps aside: in ``aside``, with why).

    Each ``after(n, e)`` in the claim is ``e`` in world ``n``, the rest of it in
    world 0, in every oracle. A claim reading a trained world is judged on the
    exact oracle (:mod:`nbn.check.exact`): the three float64 runs must agree with
    it within :data:`~nbn.check.train.AFTER_RTOL` (SymPy, computing in the exact
    world, within :data:`~nbn.check.oracles.ENGINE_RTOL`).
    """
    node, text = claim.node, claim.text
    trained = _trained_steps(node)
    where = where_computed(max(trained)) if len(trained) == 1 else ""
    try:
        world = worlds.sympy(0)
        sympy_value = to_fraction(world.value(node, worlds.sympy))
        if abs(sympy_value) > MAX_MAGNITUDE:
            raise DomainError(
                f"expected a value within float64's range (|x| <= {MAX_MAGNITUDE:g}: the graph "
                "engine computes in float64), got one of about "
                f"{len(str(int(abs(sympy_value))))} digits"
            )
        values = {"sympy": float(sympy_value)}
        try:
            values["graph-engine"] = worlds.engine(0).value(node, worlds.engine)
        except StepAside as reason:
            aside["graph-engine"] = str(reason)
        if trained or expr.grads_in(node):
            try:
                values["finite-difference"] = worlds.floats(0).value(node, worlds.floats)
            except StepAside as reason:
                aside["finite-difference"] = str(reason)
    except DomainError as error:
        raise CheckError(
            example.file,
            "claims",
            text,
            f"{error} while computing the claim{where}",
            example.line("claims", text),
        ) from None
    if not trained or worlds.exact is None:
        others = {k: v for k, v in values.items() if k != "sympy"}
        tolerances = {"graph-engine": ENGINE_RTOL, "finite-difference": FD_RTOL}
        agree(text, sympy_value, others, world.scale(), tolerances)
        return sympy_value, values
    low, high = _enclose(example, worlds.exact, claim)
    middle = (low + high) / 2
    scale = max(worlds.sympy(n).scale() for n in trained | {0})
    try:
        agree(text, middle, values, scale, {"sympy": ENGINE_RTOL, **AFTER_RTOL})
    except OracleDisagreementError:
        if not worlds.exact.arithmetic.met_kink:
            raise
        # the exact run met relu at exactly 0, where a float64 run may have seen a
        # rounding of 0 and taken the other side: the float64 runs step aside
        for name in values:
            aside[name] = (
                "the exact run meets relu exactly at its kink (argument 0), where a float64 "
                "run cannot tell the side; its value differs, so it steps aside"
            )
        values = {}
    return middle, {**values, "exact": float(middle)}


def _decide_trained(example: WorkedExample, exact: ExactWorlds, exacts: list[Fraction]) -> None:
    """Replace each trained claim's value by one that decides its verdict (in place):
    the exact value, or a point of an enclosure holding no rounding boundary of the
    stated digits, refining the precision while one does (:func:`nbn.check.exact.decide`)."""
    pending = [i for i, c in enumerate(example.claims) if _trained_steps(c.node)]
    while pending:
        undecided = []
        for i in pending:
            claim = example.claims[i]
            low, high = _enclose(example, exact, claim)
            decided = decide(claim.stated, low, high)
            if decided is None:
                undecided.append(i)
            else:
                exacts[i] = decided
        if undecided and not exact.refine():
            claim = example.claims[undecided[0]]
            low, high = _enclose(example, exact, claim)
            raise CheckError(
                example.file,
                "claims",
                claim.text,
                f"cannot decide the verdict on {claim.stated_text!r}: the value after training "
                f"is proven to lie in [{float(low)!r}, {float(high)!r}] (at {exact.precision} "
                "bits), which holds a rounding boundary of the stated digits; state more "
                "digits or fewer",
                claim.line,
            )
        pending = undecided
