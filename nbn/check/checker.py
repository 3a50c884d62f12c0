"""Checking a worked example: every claim's oracles, recomputation and verdict.

:func:`check_example` runs the whole check of one loaded file and returns a
:class:`Report` with one :class:`ClaimResult` per claim, in file order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import expr
from .backends import DomainError, to_fraction
from .bounds import DEFAULT_TIME_LIMIT, Deadline, TimeLimitExceeded
from .derivation import Derivation
from .errors import CheckError
from .exact import ExactWorlds, UndecidableError, decide
from .load import Claim, WorkedExample
from .oracles import (
    ENGINE_RTOL,
    FD_RTOL,
    EngineOracle,
    FloatOracle,
    SympyOracle,
    agree,
    where_computed,
)
from .train import AFTER_RTOL, Trajectories
from .train import run as train_run
from .verdict import judge

__all__ = ["ClaimResult", "Report", "check_example"]


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

    @property
    def ok(self) -> bool:
        """The claim agrees, or has exactly the verdict ``[expect]`` expects."""
        return self.verdict == (self.expected or "agrees")

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        """The JSON object of ``nbn check --json`` (``exact`` hidden for ``"?"`` unless
        ``reveal``)."""
        hidden = self.verdict == "unanswered" and not reveal
        return {
            "file": self.file,
            "claim": self.claim,
            "line": self.line,
            "stated": self.stated,
            "exact": None if hidden else float(self.exact),
            "verdict": self.verdict,
            "expected": self.expected,
            "ok": self.ok,
            "oracles": {} if hidden else dict(self.oracles),
            "recomputed": None if hidden or self.recomputed is None else float(self.recomputed),
            "inputs": list(self.inputs),
            "carried_from": list(self.carried_from),
            "first_wrong": self.first_wrong,
        }


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
        """The result of the claim written ``claim``."""
        for r in self.results:
            if r.claim == claim:
                return r
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
        with deadline.armed():
            results = _check(example, deadline)
    except TimeLimitExceeded:
        raise CheckError(
            example.file,
            None,
            None,
            f"expected the check to finish within {time_limit:g} s (the time limit), "
            "stopped; fewer or smaller after(n, e) steps, or a larger --time-limit",
        ) from None
    return Report(example, results, time.perf_counter() - start)


def _check(example: WorkedExample, deadline: Deadline) -> tuple[ClaimResult, ...]:
    wanted: set[int] = set()
    for claim in example.claims:
        for steps in _trained_steps(claim.node):
            wanted |= {steps, steps - 1}
    trajectories = train_run(example, wanted, deadline) if wanted else None
    exact_worlds = ExactWorlds(example, wanted, deadline) if wanted else None
    worlds = _Worlds(example, trajectories, exact_worlds, deadline)
    exacts: list[Fraction] = []
    oracles: list[dict[str, float]] = []
    for claim in example.claims:
        deadline.check()
        exact, values = _claim_oracles(example, worlds, claim)
        exacts.append(exact)
        oracles.append(values)
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
    upstream = _upstream(direct)
    results = []
    for index, claim in enumerate(example.claims):
        recomputed, inputs = redone[index][matched.get(index, 0)]
        wrong_above = sorted(i for i in upstream[index] if verdicts[i] == "wrong")
        carried_from: tuple[str, ...] = ()
        if verdicts[index] == "carried":
            bad = [i for i in sorted(inputs) if verdicts[i] != "agrees"]
            if not bad:  # rule 5: the inputs agree; the ones stated rounded carried it in
                bad = [i for i in sorted(inputs) if _rounded(example.claims[i], exacts[i])]
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
            )
        )
    return tuple(results)


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
    example: WorkedExample, worlds: _Worlds, claim: Claim
) -> tuple[Fraction, dict[str, float]]:
    """The exact value of one claim and every oracle's value, checked to agree.

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
        values = {
            "sympy": float(sympy_value),
            "graph-engine": worlds.engine(0).value(node, worlds.engine),
        }
        if trained or expr.grads_in(node):
            values["finite-difference"] = worlds.floats(0).value(node, worlds.floats)
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
    agree(text, middle, values, scale, {"sympy": ENGINE_RTOL, **AFTER_RTOL})
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
