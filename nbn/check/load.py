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
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import expr
from .errors import CheckError
from .numbers import UNANSWERED, Printed, TomlFloat, parse_number

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "MAX_CLAIMS",
    "MAX_FILE_BYTES",
    "MAX_NAMES",
    "MAX_STEPS",
    "TABLES",
    "VERDICTS",
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
#: Largest ``n`` in ``after(n, e)``.
MAX_STEPS = 100_000
#: The top-level keys of a file.
TABLES = ("title", "source", "given", "define", "train", "claims", "expect")
#: Every verdict, in order of precedence (``unanswered``: a ``"?"`` stated value).
VERDICTS = ("agrees", "truncated", "carried", "last-digit", "wrong", "unanswered")

_RESERVED = (*expr.FUNCTIONS, "grad", "after")


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
    """

    text: str
    node: expr.Node
    stated: Printed | None
    stated_text: str
    line: int | None
    expect: str | None = None


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
    lines : dict of (table, key) to int
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
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise CheckError(
                file,
                None,
                None,
                f"expected a file of at most {MAX_FILE_BYTES} bytes, got {size} bytes",
            )
        data = Path(path).read_bytes()
    except OSError as error:
        raise CheckError(file, None, None, f"cannot read the file ({error.strerror})") from None
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
    try:
        raw = tomllib.loads(text, parse_float=TomlFloat)
    except tomllib.TOMLDecodeError as error:
        raise CheckError(file, None, None, f"expected TOML, got a syntax error: {error}") from None
    return _Loader(file, text, raw).example()


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
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match:
            table = match.group(1)
            continue
        if "=" not in line:
            continue
        try:
            parsed = tomllib.loads(line, parse_float=TomlFloat)
        except tomllib.TOMLDecodeError:
            continue
        if len(parsed) == 1:
            lines.setdefault((table, next(iter(parsed))), number)
    return lines


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
        given = self.given()
        define, texts = self.define(given)
        order, depends = self.order(given, define)
        train = self.train(given, define, depends)
        claims = self.claims(given, define, depends, train)
        if len(given) + len(define) > MAX_NAMES:
            raise self.error(
                None,
                None,
                f"expected at most {MAX_NAMES} givens and definitions, "
                f"got {len(given) + len(define)}",
            )
        return WorkedExample(
            self.file,
            title.strip(),
            source,
            given,
            define,
            texts,
            order,
            depends,
            train,
            claims,
            self.lines,
        )

    def check_name(self, table: str, name: str) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
            raise self.error(
                table,
                name,
                "expected a name of letters, digits and '_' "
                f"(not starting with a digit, not a Python keyword), got {name!r}",
            )
        if name in _RESERVED:
            raise self.error(table, name, f"expected a name, got the function name {name!r}")

    def given(self) -> dict[str, Printed]:
        given: dict[str, Printed] = {}
        for name, value in self.table("given", required=False).items():
            self.check_name("given", name)
            try:
                given[name] = parse_number(value)
            except ValueError as error:
                raise self.error("given", name, str(error)) from None
        return given

    def define(self, given: Mapping[str, Printed]) -> tuple[dict[str, expr.Node], dict[str, str]]:
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
        self, given: Mapping[str, Printed], define: Mapping[str, expr.Node]
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
        given: Mapping[str, Printed],
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
            rate = parse_number(table["learning_rate"])
        except ValueError as error:
            raise self.error("train", "learning_rate", str(error)) from None
        if rate.value <= 0:
            raise self.error("train", "learning_rate", f"expected a positive number, got {rate}")
        return Train(loss, tuple(params), rate)

    def claims(
        self,
        given: Mapping[str, Printed],
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
            if value == UNANSWERED:
                stated, stated_text = None, UNANSWERED
            else:
                try:
                    stated = parse_number(value)
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
                )
            )
        return tuple(claims)

    def check_claim_names(
        self,
        text: str,
        node: expr.Node,
        given: Mapping[str, Printed],
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
