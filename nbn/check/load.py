"""Reading a worked-example file (``*.nbn.toml``) into a validated :class:`WorkedExample`.

The file is untrusted: it is size-checked, parsed by ``tomllib`` (floats keep
their printed text), and every table and key is validated before anything is
computed. Every error is a :class:`~nbn.check.errors.CheckError` naming the
file, the table and key (with its line), what was expected and what was given.

Format (the contract of issue 10, plus two extensions)
------------------------------------------------------
``title``
    string (required); ``source``: string (optional).
``[given]``
    name = number (TOML integer or float, or a string as printed: ``"0.05"``,
    ``"-3"``, ``"1/10"``, ``"5e-3"``). Exact.
``[define]``
    name = expression (string), in any order; each name defined once, never
    also given; no cycles.
``[train]`` (optional)
    ``loss`` (a defined name), ``params`` (list of given names),
    ``learning_rate`` (number): plain gradient descent on ``loss``.
``[claims]``
    expression = stated value (a number as printed, or ``"?"``: not filled in
    yet, an extension for exercises).
``[expect]`` (optional, an extension)
    claim = expected verdict: a claim whose verdict is exactly its expectation
    does not fail the check (how known errata run in CI).

Arrays (issue 19)
-----------------
A given or a stated value may be a TOML array (:mod:`nbn.check.arrays`), and
expressions may use ``@``, ``.T``, ``sum``/``mean`` and indexing. Such a file is
*expanded*: shapes are checked (:mod:`nbn.check.shapes`) and every array
quantity and claim becomes one scalar quantity or claim per entry
(:mod:`nbn.check.lower`), so the returned :class:`WorkedExample` is scalar, as
every oracle expects, and keeps the claims as written in
:attr:`WorkedExample.arrays`. A file without arrays is loaded exactly as before.
"""

from __future__ import annotations

import difflib
import keyword
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import expr
from .arrays import ArrayValue, align, entry_name, indices, read_array
from .bounds import MAX_MAGNITUDE, MIN_MAGNITUDE
from .errors import CheckError
from .lower import (
    MAX_GRADIENT_WORK,
    MAX_TRAINING_WORK,
    ArrayClaim,
    Budget,
    Lowering,
    node_count,
    uses_arrays,
)
from .numbers import UNANSWERED, Printed, TomlFloat, parse_number
from .shapes import Shape, ShapeError, describe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "MAX_CLAIMS",
    "MAX_FILE_BYTES",
    "MAX_NAMES",
    "MAX_STEPS",
    "MAX_TOML_NESTING",
    "TABLES",
    "VERDICTS",
    "Arrays",
    "Claim",
    "Train",
    "WorkedExample",
    "load",
    "loads",
]

#: Largest file read, in bytes.
MAX_FILE_BYTES = 256 * 1024
#: Most givens plus definitions.
MAX_NAMES = 400
#: Most claims in one file.
MAX_CLAIMS = 400
#: Deepest nesting of TOML arrays and inline tables (a worked example needs 1).
MAX_TOML_NESTING = 16
#: Largest ``n`` in ``after(n, e)``.
MAX_STEPS = 100_000
#: The top-level keys of a file.
TABLES = ("title", "source", "given", "define", "train", "claims", "expect")
#: Every verdict, in order of precedence (``unanswered``: a ``"?"`` stated value).
VERDICTS = ("agrees", "truncated", "carried", "last-digit", "transposed", "wrong", "unanswered")

_RESERVED = (*expr.FUNCTIONS, *expr.REDUCTIONS, "grad", "after")


@dataclass(frozen=True)
class Train:
    """The ``[train]`` table: gradient descent on ``loss`` over ``params``."""

    loss: str
    params: tuple[str, ...]
    learning_rate: Printed


@dataclass(frozen=True)
class Claim:
    """One ``[claims]`` entry.

    Attributes
    ----------
    text : str
        The claim's expression exactly as written (the TOML key).
    node : expr.Node
        The parsed expression.
    stated : Printed or None
        The stated value, ``None`` for ``"?"`` (not filled in yet).
    stated_text : str
        The stated value as written.
    line : int or None
        The claim's line in the file.
    expect : str or None
        The verdict the file's ``[expect]`` table expects, if any.
    stated_array : ArrayValue or None
        A stated TOML array (then ``stated`` is ``None``).
    """

    text: str
    node: expr.Node
    stated: Printed | None
    stated_text: str
    line: int | None
    expect: str | None = None
    stated_array: ArrayValue | None = None


@dataclass(frozen=True)
class Arrays:
    """What an expanded file was as written (see "Arrays" in the module docstring).

    Attributes
    ----------
    shapes : dict of str to tuple of int
        The shape of every given and defined name as written.
    given : dict of str to ArrayValue
        The givens as written (a scalar has shape ``()``).
    define : dict of str to expr.Node
        The definitions as written.
    claims : tuple of ArrayClaim
        Each claim as written, and where its entries are in ``WorkedExample.claims``.
    written : tuple of Claim
        The claims as written.
    order : tuple of str
        The defined names as written, each after every name its definition reads.
    """

    shapes: dict[str, Shape]
    given: dict[str, ArrayValue]
    define: dict[str, expr.Node]
    claims: tuple[ArrayClaim, ...]
    written: tuple[Claim, ...]
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkedExample:
    """A validated worked-example file.

    Attributes
    ----------
    file : str
        The path as given (used in every message).
    title, source : str
    given : dict of str to Printed
    define : dict of str to expr.Node
    definition_text : dict of str to str
    order : tuple of str
        The defined names, each after every name its definition reads.
    depends : dict of str to frozenset of str
        For every name, all the names it is computed from (transitively).
    train : Train or None
    claims : tuple of Claim
        In an expanded file (arrays), one per entry of each claim as written.
    lines : dict of (table, key) to int
    arrays : Arrays or None
        For a file with arrays: the file as written.
    """

    file: str
    title: str
    source: str
    given: dict[str, Printed]
    define: dict[str, expr.Node]
    definition_text: dict[str, str]
    order: tuple[str, ...]
    depends: dict[str, frozenset[str]]
    train: Train | None
    claims: tuple[Claim, ...]
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    arrays: Arrays | None = None

    @property
    def written_claims(self) -> tuple[Claim, ...]:
        """The claims as written in the file (arrays not expanded)."""
        return self.claims if self.arrays is None else self.arrays.written

    def line(self, table: str, key: str) -> int | None:
        """The line of ``key`` in ``[table]``, if known."""
        return self.lines.get((table, key))

    @property
    def names(self) -> tuple[str, ...]:
        """Every name: the givens, then the defined names in computing order."""
        return (*self.given, *self.order)

    def max_steps(self) -> int:
        """The largest ``n`` of the file's ``after(n, e)`` claims (0 if none)."""
        return max((a.n for c in self.claims for a in expr.afters_in(c.node)), default=0)


def _scalar(value: Printed | ArrayValue) -> Printed:
    if isinstance(value, ArrayValue):  # pragma: no cover - arrays are expanded first
        raise TypeError("an array where a number was expected")
    return value


def load(path: str | Path) -> WorkedExample:
    """Read and validate the worked-example file at ``path``.

    Raises
    ------
    CheckError
        If the file cannot be read, is too large, is not TOML, or any table or
        key is invalid.
    """
    file = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
            raise CheckError(
                file, None, None, f"expected a regular file (a worked example), got {kind}"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise CheckError(
                file,
                None,
                None,
                f"expected a file of at most {MAX_FILE_BYTES} bytes, got {info.st_size} bytes",
            )
        # read one byte past the limit: a file that grew since stat() is caught too
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CheckError(file, None, None, f"cannot read the file ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise CheckError(
            file, None, None, f"expected a file of at most {MAX_FILE_BYTES} bytes, got more"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CheckError(
            file, None, None, f"expected UTF-8 text, got {error.reason} at byte {error.start}"
        ) from None
    return loads(text, file)


def loads(text: str, file: str = "<string>") -> WorkedExample:
    """Validate a worked example given as TOML text; ``file`` names it in messages."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise CheckError(file, None, None, f"expected at most {MAX_FILE_BYTES} bytes of TOML")
    depth = _nesting(text)
    if depth > MAX_TOML_NESTING:
        raise CheckError(
            file,
            None,
            None,
            f"expected arrays and inline tables nested at most {MAX_TOML_NESTING} deep, "
            f"got {depth}",
        )
    try:
        raw = tomllib.loads(text, parse_float=TomlFloat)
    except tomllib.TOMLDecodeError as error:
        raise CheckError(file, None, None, f"expected TOML, got a syntax error: {error}") from None
    return _Loader(file, text, raw).example()


def _nesting(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings and comments, found by scanning
    the characters before ``tomllib`` (which recurses once per level) parses them.

    Table headers (``[given]``) count one level, like a one-element array; a
    string's brackets do not count. An over-count on text that is not TOML only
    turns a syntax error into a nesting error.
    """
    depth = deepest = 0
    quote = ""
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote in ('"', '"""'):
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            continue
        elif c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return deepest


def _in_range(number: Printed) -> Printed:
    """``number`` if its magnitude is 0 or within float64's checkable range, else ValueError."""
    size = abs(number.value)
    if size > Fraction(repr(MAX_MAGNITUDE)) or (size and size < Fraction(repr(MIN_MAGNITUDE))):
        raise ValueError(
            f"expected a number within float64's range ({MIN_MAGNITUDE:g} <= |x| <= "
            f"{MAX_MAGNITUDE:g}, or 0), got {number.text}; nbn's graph engine computes in float64"
        )
    return number


def _array_in_range(array: ArrayValue) -> ArrayValue:
    """:func:`_in_range` for every entry of ``array`` (the error names the entry)."""
    for index, entry in zip(indices(array.shape), array.entries, strict=True):
        if entry is not None:
            try:
                _in_range(entry)
            except ValueError as error:
                raise ValueError(f"entry {list(index)}: {error}") from None
    return array


def _close(name: str, candidates: list[str]) -> str:
    matches = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    return f" (did you mean {', '.join(repr(m) for m in matches)}?)" if matches else ""


def _kind(value: object) -> str:
    if isinstance(value, TomlFloat):
        return f"the number {value.text}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """The line of each ``key = value`` per table, read one line at a time by ``tomllib``."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    header = re.compile(r"^\s*\[\s*([A-Za-z_][\w-]*)\s*\]\s*(#.*)?$")
    all_lines = text.splitlines()
    for number, line in enumerate(all_lines, start=1):
        match = header.match(line)
        if match:
            table = match.group(1)
            continue
        if "=" not in line:
            continue
        try:
            parsed = tomllib.loads(line, parse_float=TomlFloat)
        except tomllib.TOMLDecodeError:
            parsed = _multiline_array(all_lines, number - 1)
        if len(parsed) == 1:
            lines.setdefault((table, next(iter(parsed))), number)
    return lines


def _multiline_array(lines: list[str], start: int) -> dict[str, Any]:
    """``key = [`` continued on the next lines (a matrix written one row per line):
    the lines up to the closing bracket, parsed once (brackets counted outside
    strings); ``{}`` if it is not that."""
    depth = 0
    quoted = ""
    for end in range(start, min(len(lines), start + 2000)):
        for c in lines[end]:
            if quoted:
                quoted = "" if c == quoted else quoted
            elif c in "\"'":
                quoted = c
            elif c == "#":
                break
            elif c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
        if depth <= 0:
            if end == start:
                return {}
            try:
                return tomllib.loads("\n".join(lines[start : end + 1]), parse_float=TomlFloat)
            except tomllib.TOMLDecodeError:
                return {}
    return {}


class _Loader:
    def __init__(self, file: str, text: str, raw: dict[str, Any]) -> None:
        self.file = file
        self.raw = raw
        self.lines = _key_lines(text)

    def error(self, table: str | None, key: str | None, problem: str) -> CheckError:
        line = self.lines.get((table or "", key)) if key is not None else None
        return CheckError(self.file, table, key, problem, line)

    def table(self, name: str, required: bool) -> dict[str, Any]:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.error(None, None, f"expected a [{name}] table, got none")
            return {}
        if not isinstance(value, dict):
            raise self.error(None, name, f"expected a table [{name}], got {_kind(value)}")
        return value

    def example(self) -> WorkedExample:
        for key in self.raw:
            if key not in TABLES:
                raise self.error(
                    None,
                    key,
                    "expected one of the keys "
                    f"{', '.join(TABLES)}, got {key!r}{_close(key, list(TABLES))}",
                )
        title = self.raw.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.error(
                None,
                "title",
                f"expected a non-empty string, got {'nothing' if title is None else _kind(title)}",
            )
        source = self.raw.get("source", "")
        if not isinstance(source, str):
            raise self.error(None, "source", f"expected a string, got {_kind(source)}")
        # counted before anything is parsed: the dependency sets grow with the square
        count = len(self.table("given", required=False)) + len(self.table("define", False))
        if count > MAX_NAMES:
            raise self.error(
                None, None, f"expected at most {MAX_NAMES} givens and definitions, got {count}"
            )
        given = self.given()
        define, texts = self.define(given)
        order, depends = self.order(given, define)
        train = self.train(given, define, depends)
        claims = self.claims(given, define, depends, train)
        arrays = (
            any(isinstance(v, ArrayValue) for v in given.values())
            or any(uses_arrays(node) for node in define.values())
            or any(uses_arrays(c.node) or c.stated_array is not None for c in claims)
        )
        if arrays:
            return self.expand(title.strip(), source, given, define, texts, order, train, claims)
        return WorkedExample(
            self.file,
            title.strip(),
            source,
            {name: _scalar(value) for name, value in given.items()},
            define,
            texts,
            order,
            depends,
            train,
            claims,
            self.lines,
        )

    def expand(
        self,
        title: str,
        source: str,
        given: Mapping[str, Printed | ArrayValue],
        define: Mapping[str, expr.Node],
        texts: Mapping[str, str],
        order: tuple[str, ...],
        train: Train | None,
        claims: tuple[Claim, ...],
    ) -> WorkedExample:
        """The file with every array expanded to its entries (see :mod:`nbn.check.lower`)."""
        written = {
            name: value if isinstance(value, ArrayValue) else ArrayValue((), (value,))
            for name, value in given.items()
        }
        shapes: dict[str, Shape] = {name: value.shape for name, value in written.items()}
        lowering = Lowering(shapes.__getitem__, Budget())
        flat_given: dict[str, Printed] = {}
        for name, value in written.items():
            for index, entry in zip(indices(value.shape), value.entries, strict=True):
                if entry is None:  # pragma: no cover - read_array refuses "?" in [given]
                    raise self.error("given", name, 'expected numbers, got "?"')
                flat_given[entry_name(name, index)] = entry
        flat_define: dict[str, expr.Node] = {}
        flat_texts: dict[str, str] = {}
        for name in order:
            try:
                shape, entries = lowering.lower(define[name])
            except ShapeError as error:
                raise self.error("define", name, f"{error} in {texts[name]!r}") from None
            shapes[name] = shape
            for index, node in zip(indices(shape), entries, strict=True):
                flat_define[entry_name(name, index)] = node
                flat_texts[entry_name(name, index)] = texts[name]
        flat_order, flat_depends = self.order(flat_given, flat_define)
        flat_train = None
        if train is not None:
            if shapes[train.loss]:
                raise self.error(
                    "train",
                    "loss",
                    f"expected a scalar loss, got {train.loss!r} of shape "
                    f"{describe(shapes[train.loss])} (take its sum or mean)",
                )
            params = tuple(
                entry_name(p, index) for p in train.params for index in indices(shapes[p])
            )
            flat_train = Train(train.loss, params, train.learning_rate)
        flat_claims: list[Claim] = []
        array_claims: list[ArrayClaim] = []
        for claim in claims:
            try:
                shape, entries = lowering.lower(claim.node)
            except ShapeError as error:
                raise self.error("claims", claim.text, str(error)) from None
            stated = claim.stated_array or ArrayValue((), (claim.stated,))
            if claim.stated_array is None and claim.stated is None:
                alignment = "same"  # "?" for the whole array
                stated = ArrayValue(shape, (None,) * len(entries))
            else:
                alignment = align(stated.shape, shape)
            per_entry = stated.entries if alignment in ("same", "flat") else (None,) * len(entries)
            array_claims.append(
                ArrayClaim(
                    claim.text,
                    claim.line,
                    shape,
                    len(flat_claims),
                    len(entries),
                    alignment,
                    stated,
                    claim.expect,
                )
            )
            for index, node, entry in zip(indices(shape), entries, per_entry, strict=True):
                text = claim.text + (f"[{', '.join(str(i) for i in index)}]" if index else "")
                flat_claims.append(
                    Claim(
                        text,
                        node,
                        entry,
                        UNANSWERED if entry is None else entry.text,
                        claim.line,
                        claim.expect if not shape else None,
                    )
                )
        self.check_work(claims, array_claims, flat_define, flat_claims, flat_train)
        return WorkedExample(
            self.file,
            title,
            source,
            flat_given,
            flat_define,
            flat_texts,
            flat_order,
            flat_depends,
            flat_train,
            tuple(flat_claims),
            self.lines,
            Arrays(shapes, written, dict(define), tuple(array_claims), claims, order),
        )

    def check_work(
        self,
        claims: tuple[Claim, ...],
        array_claims: list[ArrayClaim],
        define: Mapping[str, expr.Node],
        flat_claims: list[Claim],
        train: Train | None,
    ) -> None:
        """The gradient and training work of an expanded file, bounded before any is done
        (:data:`nbn.check.lower.MAX_GRADIENT_WORK`, :data:`~nbn.check.lower.MAX_TRAINING_WORK`)."""
        size = sum(node_count(node) for node in define.values())
        seen: set[tuple[str, str]] = set()
        for claim, ac in zip(claims, array_claims, strict=True):
            for k in range(ac.first, ac.first + ac.count):
                seen.update((g.f, g.x) for g in expr.grads_in(flat_claims[k].node))
            if len(seen) * size > MAX_GRADIENT_WORK:
                raise self.error(
                    "claims",
                    claim.text,
                    f"expected at most {MAX_GRADIENT_WORK} units of gradient work (gradient "
                    f"entries asked for times the {size} scalar nodes of the definitions), got "
                    f"{len(seen)} * {size} = {len(seen) * size} by this claim; ask for fewer "
                    "or smaller gradients",
                )
        steps = max((a.n for c in flat_claims for a in expr.afters_in(c.node)), default=0)
        if train is not None and steps:
            work = len(train.params) * steps * size
            if work > MAX_TRAINING_WORK:
                longest = max(
                    (c for c in claims if expr.afters_in(c.node)),
                    key=lambda c: max(a.n for a in expr.afters_in(c.node)),
                )
                raise self.error(
                    "claims",
                    longest.text,
                    f"expected at most {MAX_TRAINING_WORK} units of training work (parameter "
                    f"entries times steps times the {size} scalar nodes of the definitions), "
                    f"got {len(train.params)} * {steps} * {size} = {work}; fewer steps or "
                    "smaller parameters",
                )

    def check_name(self, table: str, name: str) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
            raise self.error(
                table,
                name,
                "expected a name of letters, digits and '_' "
                f"(not starting with a digit, not a Python keyword), got {name!r}",
            )
        if name.startswith("__"):
            raise self.error(
                table, name, f"expected a name not starting with '__' (Python's own), got {name!r}"
            )
        if name in _RESERVED:
            raise self.error(table, name, f"expected a name, got the function name {name!r}")

    def given(self) -> dict[str, Printed | ArrayValue]:
        given: dict[str, Printed | ArrayValue] = {}
        for name, value in self.table("given", required=False).items():
            self.check_name("given", name)
            try:
                given[name] = (
                    _array_in_range(read_array(value))
                    if isinstance(value, list)
                    else _in_range(parse_number(value))
                )
            except ValueError as error:
                raise self.error("given", name, str(error)) from None
        return given

    def define(
        self, given: Mapping[str, Printed | ArrayValue]
    ) -> tuple[dict[str, expr.Node], dict[str, str]]:
        define: dict[str, expr.Node] = {}
        texts: dict[str, str] = {}
        table = self.table("define", required=False)
        for name, text in table.items():
            self.check_name("define", name)
            if name in given:
                raise self.error(
                    "define",
                    name,
                    f"expected each name to be either given or "
                    f"defined, got {name!r} in both [given] and [define]",
                )
            if not isinstance(text, str):
                raise self.error(
                    "define", name, f"expected an expression as a string, got {_kind(text)}"
                )
            try:
                define[name] = expr.parse(text)
            except expr.ExpressionError as error:
                raise self.error("define", name, str(error)) from None
            texts[name] = text
        known = [*given, *define]
        for name, node in define.items():
            for used in expr.names_in(node):
                if used not in given and used not in define:
                    raise self.error(
                        "define",
                        name,
                        f"unknown name {used!r} in {texts[name]!r}: "
                        f"expected a given or defined name{_close(used, known)}",
                    )
        return define, texts

    def order(
        self, given: Mapping[str, Printed | ArrayValue], define: Mapping[str, expr.Node]
    ) -> tuple[tuple[str, ...], dict[str, frozenset[str]]]:
        reads = {name: [n for n in expr.names_in(node)] for name, node in define.items()}
        order: list[str] = []
        depends: dict[str, frozenset[str]] = {name: frozenset() for name in given}
        state: dict[str, int] = {}  # 1: on the stack, 2: done
        for start in define:
            if state.get(start) == 2:
                continue
            stack: list[tuple[str, int]] = [(start, 0)]
            path: list[str] = []
            while stack:
                name, index = stack.pop()
                if index == 0:
                    state[name] = 1
                    path.append(name)
                inputs = reads[name]
                while index < len(inputs) and (
                    inputs[index] in given or state.get(inputs[index]) == 2
                ):
                    index += 1
                if index < len(inputs):
                    nxt = inputs[index]
                    if state.get(nxt) == 1:
                        cycle = [*path[path.index(nxt) :], nxt]
                        raise self.error(
                            "define",
                            nxt,
                            "expected definitions without cycles, got "
                            f"the cycle {' -> '.join(cycle)}",
                        )
                    stack.append((name, index + 1))
                    stack.append((nxt, 0))
                    continue
                state[name] = 2
                path.pop()
                order.append(name)
                deps: set[str] = set()
                for used in inputs:
                    deps.add(used)
                    deps |= depends[used]
                depends[name] = frozenset(deps)
        return tuple(order), depends

    def train(
        self,
        given: Mapping[str, Printed | ArrayValue],
        define: Mapping[str, expr.Node],
        depends: Mapping[str, frozenset[str]],
    ) -> Train | None:
        table = self.table("train", required=False)
        if not table:
            return None
        for key in table:
            if key not in ("loss", "params", "learning_rate"):
                raise self.error(
                    "train",
                    key,
                    "expected the keys loss, params, learning_rate, "
                    f"got {key!r}{_close(key, ['loss', 'params', 'learning_rate'])}",
                )
        for key in ("loss", "params", "learning_rate"):
            if key not in table:
                raise self.error("train", key, f"expected [train] to have {key!r}, got none")
        loss = table["loss"]
        if not isinstance(loss, str) or loss not in define:
            raise self.error(
                "train",
                "loss",
                "expected the name of a defined quantity, got "
                f"{_kind(loss)}{_close(str(loss), list(define))}",
            )
        params = table["params"]
        if not isinstance(params, list) or not params:
            raise self.error(
                "train", "params", f"expected a non-empty array of given names, got {_kind(params)}"
            )
        for p in params:
            if not isinstance(p, str) or p not in given:
                raise self.error(
                    "train",
                    "params",
                    f"expected given names, got {_kind(p)}{_close(str(p), list(given))}",
                )
            if p not in depends[loss]:
                raise self.error(
                    "train",
                    "params",
                    f"expected parameters that {loss!r} depends "
                    f"on, got {p!r}, which {loss!r} does not read",
                )
        if len(set(params)) != len(params):
            raise self.error("train", "params", f"expected each parameter once, got {params}")
        try:
            rate = _in_range(parse_number(table["learning_rate"]))
        except ValueError as error:
            raise self.error("train", "learning_rate", str(error)) from None
        if rate.value <= 0:
            raise self.error("train", "learning_rate", f"expected a positive number, got {rate}")
        return Train(loss, tuple(params), rate)

    def claims(
        self,
        given: Mapping[str, Printed | ArrayValue],
        define: Mapping[str, expr.Node],
        depends: Mapping[str, frozenset[str]],
        train: Train | None,
    ) -> tuple[Claim, ...]:
        table = self.table("claims", required=True)
        if not table:
            raise self.error(None, "claims", "expected at least one claim, got an empty table")
        if len(table) > MAX_CLAIMS:
            raise self.error(
                None, "claims", f"expected at most {MAX_CLAIMS} claims, got {len(table)}"
            )
        expect = self.table("expect", required=False)
        for key, verdict in expect.items():
            if key not in table:
                raise self.error(
                    "expect",
                    key,
                    f"expected a claim of [claims], got {key!r}{_close(key, list(table))}",
                )
            if verdict not in VERDICTS:
                raise self.error(
                    "expect",
                    key,
                    f"expected one of the verdicts {', '.join(VERDICTS)}, got {_kind(verdict)}",
                )
        known = [*given, *define]
        claims = []
        for text, value in table.items():
            try:
                node = expr.parse(text, claim=True)
            except expr.ExpressionError as error:
                raise self.error("claims", text, str(error)) from None
            self.check_claim_names(text, node, given, define, depends, train, known)
            stated_array = None
            if value == UNANSWERED:
                stated, stated_text = None, UNANSWERED
            elif isinstance(value, list):
                try:
                    stated_array = _array_in_range(read_array(value, stated=True))
                except ValueError as error:
                    raise self.error("claims", text, f"stated value: {error}") from None
                stated, stated_text = None, stated_array.text()
            else:
                try:
                    stated = _in_range(parse_number(value))
                except ValueError as error:
                    raise self.error("claims", text, f"stated value: {error}") from None
                stated_text = stated.text
            claims.append(
                Claim(
                    text,
                    node,
                    stated,
                    stated_text,
                    self.lines.get(("claims", text)),
                    expect.get(text),
                    stated_array,
                )
            )
        return tuple(claims)

    def check_claim_names(
        self,
        text: str,
        node: expr.Node,
        given: Mapping[str, Printed | ArrayValue],
        define: Mapping[str, expr.Node],
        depends: Mapping[str, frozenset[str]],
        train: Train | None,
        known: list[str],
    ) -> None:
        for used in expr.names_in(node):
            if used not in given and used not in define:
                raise self.error(
                    "claims",
                    text,
                    f"unknown name {used!r}: expected a given or defined name{_close(used, known)}",
                )
        for g in expr.grads_in(node):
            if g.f not in define:
                raise self.error(
                    "claims",
                    text,
                    f"expected grad(f, x) with f a defined quantity, "
                    f"got f = {g.f!r}{_close(g.f, list(define))}",
                )
            if g.x not in given and g.x not in define:
                raise self.error(
                    "claims",
                    text,
                    f"expected grad(f, x) with x a given or defined "
                    f"name, got x = {g.x!r}, which does not exist"
                    f"{_close(g.x, known)}",
                )
            if g.x != g.f and g.x not in depends[g.f]:
                raise self.error(
                    "claims",
                    text,
                    f"expected grad({g.f}, x) with x something "
                    f"{g.f!r} depends on, got {g.x!r}, which {g.f!r} does not read",
                )
        for after in expr.afters_in(node):  # anywhere in the claim, not only at its top
            if train is None:
                raise self.error(
                    "claims", text, "expected a [train] table for after(n, e), got none"
                )
            if after.n > MAX_STEPS:
                raise self.error(
                    "claims",
                    text,
                    f"expected at most {MAX_STEPS} steps in after(n, e), got {after.n}",
                )
