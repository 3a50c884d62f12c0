"""The expression language, parsed with a whitelist into nbn's own small tree.

An expression is text from an untrusted file, so it never reaches ``eval``,
``exec``, ``sympify`` or ``parse_expr``. :func:`parse` first bounds the text
(length, nesting depth and operator count, found by scanning the characters, so
that ``ast.parse`` and every later tree walk stay shallow), then parses it with
:func:`ast.parse` in ``eval`` mode and accepts only these nodes:

* ``Expression``; ``BinOp`` with ``+ - * / **``; ``UnaryOp`` with ``-`` or ``+``;
* numbers (``int`` or ``float`` literals, read back from the source text so that
  ``0.1`` is exactly 1/10; no ``True``, complex or string constants);
* ``Name``;
* ``Call`` of a bare function name with exactly its arity, no ``*``:
  ``sigmoid tanh relu exp log sqrt`` (one argument each); in claims also
  ``grad(f, x)`` (two names) and ``after(n, e)`` (a non-negative integer
  literal and an expression);
* for arrays (see :mod:`nbn.check.shapes` and :mod:`nbn.check.lower`): ``@``
  (matrix product), the attribute ``.T`` (transpose) and no other,
  ``sum(e)`` / ``mean(e)`` with the keyword arguments ``axis`` (a constant
  integer) and ``keepdims`` (``True`` or ``False``) and no others, and integer
  indexing ``e[i]``, ``e[i, j]`` (constant integers, negative ones counting from
  the end; no slices).

Everything else (other attributes, slices, lambdas, comprehensions, comparisons,
``__import__('os')``...) is refused with a message naming what was found. The
exponent of ``**`` must be a constant (numbers only): the scalar graph engine
takes a constant exponent, and knowing it before computing lets the size of an
exact power be bounded (see :mod:`nbn.check.bounds`).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_OPERATORS",
    "REDUCTIONS",
    "After",
    "Binary",
    "Call",
    "ExpressionError",
    "Grad",
    "Index",
    "Name",
    "Node",
    "Num",
    "Reduce",
    "Transpose",
    "Unary",
    "afters_in",
    "constant_value",
    "derivative",
    "grads_in",
    "names_in",
    "parse",
    "replace",
    "to_text",
]

#: The functions of the language, each with one argument.
FUNCTIONS = ("sigmoid", "tanh", "relu", "exp", "log", "sqrt")
#: The reductions of arrays: ``sum(e)``, ``sum(e, axis=k)``, ``sum(e, axis=k, keepdims=True)``.
REDUCTIONS = ("sum", "mean")
#: Longest expression text, in characters.
MAX_LENGTH = 1000
#: Deepest nesting (parentheses plus chains of ``**`` and unary signs).
MAX_DEPTH = 40
#: Most operators (``+ - * / **``) in one expression.
MAX_OPERATORS = 200
#: Most nodes in one parsed expression.
MAX_NODES = 600


class ExpressionError(ValueError):
    """An expression that is not in the language or exceeds a bound."""


@dataclass(frozen=True)
class Num:
    """A number literal: exact value and the text it was written as."""

    value: Fraction
    text: str


@dataclass(frozen=True)
class Name:
    """A name: a given or a defined quantity."""

    id: str


@dataclass(frozen=True)
class Unary:
    """``-operand`` or ``+operand``."""

    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    """``left op right`` for ``op`` in ``+ - * / ** @`` (``**``: ``right`` is constant;
    ``@``: the matrix product)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """``func(arg)`` for ``func`` in :data:`FUNCTIONS`."""

    func: str
    arg: Node


@dataclass(frozen=True)
class Grad:
    """``grad(f, x)``: d f / d x, through every path from ``x`` to ``f``."""

    f: str
    x: str


@dataclass(frozen=True)
class After:
    """``after(n, body)``: ``body`` after ``n`` steps of gradient descent."""

    n: int
    body: Node


@dataclass(frozen=True)
class Transpose:
    """``arg.T``: rows and columns swapped (a 0-d or 1-d array is unchanged, as in NumPy)."""

    arg: Node


@dataclass(frozen=True)
class Reduce:
    """``func(arg, axis=axis, keepdims=keepdims)`` for ``func`` in :data:`REDUCTIONS`
    (``axis`` ``None``: every entry)."""

    func: str
    arg: Node
    axis: int | None = None
    keepdims: bool = False


@dataclass(frozen=True)
class Index:
    """``arg[i, j]``: integer indexing (0-based, negative from the end), no slices."""

    arg: Node
    indices: tuple[int, ...]


Node: TypeAlias = "Num | Name | Unary | Binary | Call | Grad | After | Transpose | Reduce | Index"

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.MatMult: "@",
}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}
_DESCRIBE = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.Starred: "starred arguments",
    ast.JoinedStr: "f-strings",
    ast.Tuple: "a comma (a tuple)",
    ast.List: "square brackets (a list)",
    ast.Dict: "braces (a dict)",
    ast.Set: "braces (a set)",
    ast.NamedExpr: "':='",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
    ast.Slice: "a slice",
    ast.Constant: "a constant",
}
#: Operators of Python the language does not have: (symbol, what it is here, the
#: operator to write instead or None).
_OTHER_OPERATORS = {
    ast.BitXor: ("^", "is not a power here", "**"),
    ast.FloorDiv: ("//", "(floor division) is not in the language", "/"),
    ast.Mod: ("%", "is not in the language", None),
    ast.LShift: ("<<", "is not in the language", None),
    ast.RShift: (">>", "is not in the language", None),
    ast.BitOr: ("|", "is not in the language", None),
    ast.BitAnd: ("&", "is not in the language", None),
}
_OTHER_UNARY = {ast.Not: "not", ast.Invert: "~"}


def _scan(text: str) -> None:
    """Bounds checked on the characters, before anything parses the text."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expected an expression of at most {MAX_LENGTH} characters, got {len(text)}"
        )
    depth = deepest = operators = chain = 0
    previous = ""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c in "+-*/@":
            operators += 1
            if text.startswith("**", i):
                i += 1
            # a sign after an operator or "(" is unary: chains of them nest
            chain = chain + 1 if previous in ("", "(", "op") else 1
            previous = "op"
        elif not c.isspace():
            if c not in "eE" or previous != "digit":
                chain = 0 if c != "(" else chain
            previous = "(" if c == "(" else ("digit" if c.isdigit() or c == "." else "other")
        deepest = max(deepest, depth + chain)
        i += 1
    if deepest > MAX_DEPTH:
        raise ExpressionError(
            f"expected nesting at most {MAX_DEPTH} deep (parentheses, signs and powers), "
            f"got {deepest}"
        )
    powers = text.count("**")
    if powers > MAX_DEPTH:
        raise ExpressionError(
            f"expected at most {MAX_DEPTH} powers '**' in one expression, got {powers}"
        )
    if operators > MAX_OPERATORS:
        raise ExpressionError(
            f"expected at most {MAX_OPERATORS} operators (+ - * / ** @) in one expression, "
            f"got {operators}"
        )


def parse(text: str, *, claim: bool = False) -> Node:
    """Parse ``text`` into the expression tree (``claim=True`` allows ``grad`` and ``after``).

    Raises
    ------
    ExpressionError
        Naming what was expected and what was found.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as a string, got {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("expected an expression, got an empty string")
    _scan(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(
            f"expected an expression, got a syntax error in {text!r} at column {error.offset}"
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:  # e.g. null bytes
        raise ExpressionError(f"expected an expression, got {text!r} ({error})") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"expected at most {MAX_NODES} parts in one expression, got {count}")
    return _Converter(text.strip(), claim).convert(tree.body)


class _Converter:
    def __init__(self, source: str, claim: bool) -> None:
        self.source = source
        self.claim = claim

    def convert(self, node: ast.AST, inside_after: bool = False) -> Node:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            op = _BINARY[type(node.op)]
            left = self.convert(node.left, inside_after)
            right = self.convert(node.right, inside_after)
            if op == "**":
                _ = constant_value(right, "the exponent of '**'")
            return Binary(op, left, right)
        if isinstance(node, ast.BinOp) and type(node.op) in _OTHER_OPERATORS:
            symbol, what, instead = _OTHER_OPERATORS[type(node.op)]
            segment = ast.get_source_segment(self.source, node) or symbol
            advice = f"; write {segment.replace(symbol, instead)}" if instead else ""
            raise ExpressionError(
                f"'{symbol}' {what}{advice} (expected the operators + - * / ** @, got {segment!r})"
            )
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return Unary(_UNARY[type(node.op)], self.convert(node.operand, inside_after))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OTHER_UNARY:
            raise ExpressionError(
                f"expected numbers, names, + - * / ** and functions, got "
                f"'{_OTHER_UNARY[type(node.op)]}' in {ast.get_source_segment(self.source, node)!r}"
            )
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return Name(node.id)
        if isinstance(node, ast.Call):
            return self.call(node, inside_after)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise ExpressionError(
                    f"expected the attribute .T (transpose) and no other, got {self.describe(node)}"
                )
            return Transpose(self.convert(node.value, inside_after))
        if isinstance(node, ast.Subscript):
            return Index(self.convert(node.value, inside_after), self.indices(node))
        raise ExpressionError(
            f"expected numbers, names, + - * / ** and functions, got {self.describe(node)}"
        )

    def describe(self, node: ast.AST) -> str:
        kind = _DESCRIBE.get(type(node), "a form the language does not have")
        segment = ast.get_source_segment(self.source, node)
        return f"{kind} {segment!r}" if segment else kind

    def integer(self, node: ast.AST, what: str) -> int:
        """A constant integer literal, possibly negative (an index or an axis)."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1, node.operand
        if (
            not isinstance(node, ast.Constant)
            or isinstance(node.value, bool)
            or not isinstance(node.value, int)
        ):
            raise ExpressionError(f"expected {what} to be an integer, got {self.describe(node)}")
        if abs(node.value) > 10**6:
            raise ExpressionError(f"expected {what} of at most 10**6 in size, got {node.value}")
        return sign * node.value

    def indices(self, node: ast.Subscript) -> tuple[int, ...]:
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if not parts:
            raise ExpressionError(f"expected integer indices, got {self.describe(node)}")
        for part in parts:
            if isinstance(part, ast.Slice):
                raise ExpressionError(
                    "expected integer indices such as A[0, 1] (0-based), got a slice in "
                    f"{self.describe(node)}"
                )
        return tuple(self.integer(part, "an index") for part in parts)

    def reduction(self, node: ast.Call, name: str, inside_after: bool) -> Reduce:
        if any(isinstance(a, ast.Starred) for a in node.args) or len(node.args) != 1:
            raise ExpressionError(
                f"expected {name}(e), {name}(e, axis=k) or {name}(e, axis=k, keepdims=True), "
                f"got {self.describe(node)}"
            )
        axis: int | None = None
        keepdims = False
        for keyword in node.keywords:
            if keyword.arg == "axis":
                axis = self.integer(keyword.value, f"the axis of {name}")
            elif keyword.arg == "keepdims":
                value = keyword.value
                if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
                    raise ExpressionError(
                        f"expected keepdims=True or keepdims=False in {name}(...), got "
                        f"{self.describe(value)}"
                    )
                keepdims = value.value
            else:
                given = "'**'" if keyword.arg is None else repr(keyword.arg)
                raise ExpressionError(
                    f"expected the keyword arguments axis and keepdims of {name}(...), got {given}"
                )
        return Reduce(name, self.convert(node.args[0], inside_after), axis, keepdims)

    def number(self, node: ast.Constant) -> Num:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"expected a number, got {self.describe(node)}")
        text = ast.get_source_segment(self.source, node) or repr(value)
        text = text.replace("_", "")
        mantissa, _, exponent = text.lower().partition("e")
        if exponent and (len(exponent.lstrip("+-")) > 4 or len(mantissa) > 120):
            # Fraction("1e99999999") would build a 100-million-digit integer first
            raise ExpressionError(f"expected a number between 1e-100 and 1e100 in size, got {text}")
        try:
            exact = Fraction(text)
        except ValueError:  # e.g. 0x10: read the int the parser made
            if not isinstance(value, int):
                raise ExpressionError(f"expected a decimal number, got {text!r}") from None
            exact = Fraction(value)
        if abs(exact) > Fraction(10) ** 100 or (exact and abs(exact) < Fraction(10) ** -100):
            raise ExpressionError(f"expected a number between 1e-100 and 1e100 in size, got {text}")
        return Num(exact, text)

    def call(self, node: ast.Call, inside_after: bool) -> Node:
        func = node.func
        if not isinstance(func, ast.Name):
            raise ExpressionError(f"expected a function name, got {self.describe(func)}")
        name = func.id
        if name in REDUCTIONS:
            return self.reduction(node, name, inside_after)
        allowed = FUNCTIONS + REDUCTIONS + (("grad", "after") if self.claim else ())
        if name not in allowed:
            if not self.claim and name in ("grad", "after"):
                raise ExpressionError(
                    f"{name}(...) is allowed in [claims] only: expected one of the functions "
                    f"{', '.join(allowed)}, got {name!r}"
                )
            close = difflib.get_close_matches(name.lower(), allowed, n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            raise ExpressionError(
                f"expected one of the functions {', '.join(allowed)}, "
                f"got the unknown function {name!r}{hint}"
            )
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"expected plain arguments to {name}, got keywords or '*'")
        arity = 2 if name in ("grad", "after") else 1
        if len(node.args) != arity:
            raise ExpressionError(
                f"expected {arity} argument{'s' if arity > 1 else ''} to {name}, "
                f"got {len(node.args)}"
            )
        if name == "grad":
            f, x = node.args
            if not isinstance(f, ast.Name) or not isinstance(x, ast.Name):
                raise ExpressionError(
                    "expected grad(f, x) with two names (a defined f and a given or defined x), "
                    f"got {self.describe(node)}"
                )
            return Grad(f.id, x.id)
        if name == "after":
            if inside_after:
                raise ExpressionError(
                    f"expected no after(...) inside after(...), got {self.describe(node)}"
                )
            steps, body = node.args
            if (
                not isinstance(steps, ast.Constant)
                or isinstance(steps.value, bool)
                or not isinstance(steps.value, int)
            ):
                raise ExpressionError(
                    f"expected after(n, e) with n a non-negative integer, got {self.describe(node)}"
                )
            return After(steps.value, self.convert(body, inside_after=True))
        return Call(name, self.convert(node.args[0], inside_after))


def constant_value(node: Node, what: str) -> Fraction:
    """The exact value of a constant expression (numbers, signs, + - * /).

    Raises
    ------
    ExpressionError
        If ``node`` holds a name or a function, naming ``what`` it is.
    """
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Unary):
        inner = constant_value(node.operand, what)
        return -inner if node.op == "-" else inner
    if isinstance(node, Binary) and node.op in "+-*/":
        a, b = constant_value(node.left, what), constant_value(node.right, what)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if b == 0:
            raise ExpressionError(f"division by zero in {what}")
        return a / b
    raise ExpressionError(f"expected {what} to be a constant number, got {to_text(node)!r}")


def names_in(node: Node) -> list[str]:
    """The names an expression reads, in order of first appearance (not inside ``grad``)."""
    found: dict[str, None] = {}
    _walk_names(node, found)
    return list(found)


def _walk_names(node: Node, found: dict[str, None]) -> None:
    if isinstance(node, Name):
        found.setdefault(node.id)
    elif isinstance(node, Unary):
        _walk_names(node.operand, found)
    elif isinstance(node, Binary):
        _walk_names(node.left, found)
        _walk_names(node.right, found)
    elif isinstance(node, Call):
        _walk_names(node.arg, found)
    elif isinstance(node, After):
        _walk_names(node.body, found)
    elif isinstance(node, (Transpose, Reduce, Index)):
        _walk_names(node.arg, found)


def grads_in(node: Node) -> list[Grad]:
    """The ``grad(f, x)`` terms of an expression, in order."""
    if isinstance(node, Grad):
        return [node]
    if isinstance(node, Unary):
        return grads_in(node.operand)
    if isinstance(node, Binary):
        return grads_in(node.left) + grads_in(node.right)
    if isinstance(node, Call):
        return grads_in(node.arg)
    if isinstance(node, After):
        return grads_in(node.body)
    if isinstance(node, (Transpose, Reduce, Index)):
        return grads_in(node.arg)
    return []


def afters_in(node: Node) -> list[After]:
    """The ``after(n, e)`` terms of an expression, in order (anywhere in it, not only
    at the top: ``2 * after(1, w)`` holds one)."""
    if isinstance(node, After):
        return [node]
    if isinstance(node, Unary):
        return afters_in(node.operand)
    if isinstance(node, Binary):
        return afters_in(node.left) + afters_in(node.right)
    if isinstance(node, Call):
        return afters_in(node.arg)
    if isinstance(node, (Transpose, Reduce, Index)):
        return afters_in(node.arg)
    return []


#: Internal function of derivatives only (not in the language): 1 where the argument
#: is positive, else 0 (the derivative of relu, 0 at 0 as in the engine).
STEP = "step"


def _add(a: Node, b: Node) -> Node:
    if a == _ZERO:
        return b
    if b == _ZERO:
        return a
    return Binary("+", a, b)


def _mul(a: Node, b: Node) -> Node:
    if a == _ZERO or b == _ZERO:
        return _ZERO
    if a == _ONE:
        return b
    if b == _ONE:
        return a
    return Binary("*", a, b)


_ZERO = Num(Fraction(0), "0")
_ONE = Num(Fraction(1), "1")


def derivative(node: Node, x: str) -> Node:
    """``d node / d x`` as a tree, by the rules of calculus (names other than ``x``
    are constants). Used to redo one step of an author's derivation; the oracles
    differentiate independently (SymPy, the engine, finite differences)."""
    if isinstance(node, Num):
        return _ZERO
    if isinstance(node, Name):
        return _ONE if node.id == x else _ZERO
    if isinstance(node, Unary):
        inner = derivative(node.operand, x)
        return _ZERO if inner == _ZERO else (Unary("-", inner) if node.op == "-" else inner)
    if isinstance(node, Binary) and node.op != "@":
        a, b = node.left, node.right
        da = derivative(a, x)
        if node.op == "**":
            q = constant_value(b, "the exponent")
            if q == 0:
                return _ZERO
            # d(a^q) = q a^(q-1) da
            power = Binary("**", a, Num(q - 1, str(q - 1)))
            return _mul(_mul(Num(q, str(q)), power), da)
        db = derivative(b, x)
        if node.op in "+-":
            if node.op == "-" and db != _ZERO:
                return Binary("-", da, db) if da != _ZERO else Unary("-", db)
            return _add(da, db)
        if node.op == "*":
            # d(ab) = da b + a db
            return _add(_mul(da, b), _mul(a, db))
        # d(a/b) = da / b - (a / b) db / b
        first = _ZERO if da == _ZERO else Binary("/", da, b)
        if db == _ZERO:
            return first
        second = Binary("/", _mul(Binary("/", a, b), db), b)
        return Binary("-", first, second) if first != _ZERO else Unary("-", second)
    if isinstance(node, Call):
        a = node.arg
        da = derivative(a, x)
        if da == _ZERO:
            return _ZERO
        if node.func == "exp":
            local: Node = node  # d exp(a) = exp(a) da
        elif node.func == "log":
            local = Binary("/", _ONE, a)  # d log(a) = da / a
        elif node.func == "sqrt":
            local = Binary("/", _ONE, Binary("*", Num(Fraction(2), "2"), node))
        elif node.func == "sigmoid":
            local = Binary("*", node, Binary("-", _ONE, node))  # s (1 - s)
        elif node.func == "tanh":
            local = Binary("-", _ONE, Binary("**", node, Num(Fraction(2), "2")))  # 1 - t^2
        elif node.func == "relu":
            local = Call(STEP, a)
        else:  # STEP: constant where it is defined
            return _ZERO
        return _mul(local, da)
    raise ExpressionError(
        f"no derivative of {to_text(node)!r} (grad and after are claims only; array "
        "operations are expanded to entries first)"
    )


def replace(node: Node, target: Node, replacement: Node) -> Node:
    """``node`` with every subtree equal to ``target`` replaced by ``replacement``."""
    if node == target:
        return replacement
    if isinstance(node, Unary):
        return Unary(node.op, replace(node.operand, target, replacement))
    if isinstance(node, Binary):
        return Binary(
            node.op,
            replace(node.left, target, replacement),
            replace(node.right, target, replacement),
        )
    if isinstance(node, Call):
        return Call(node.func, replace(node.arg, target, replacement))
    if isinstance(node, After):
        return After(node.n, replace(node.body, target, replacement))
    if isinstance(node, Transpose):
        return Transpose(replace(node.arg, target, replacement))
    if isinstance(node, Reduce):
        return Reduce(node.func, replace(node.arg, target, replacement), node.axis, node.keepdims)
    if isinstance(node, Index):
        return Index(replace(node.arg, target, replacement), node.indices)
    return node


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "@": 2, "**": 4}


def to_text(node: Node) -> str:
    """The expression as text (parentheses only where needed); ``parse`` reads it back."""
    return _text(node, 0)


def _text(node: Node, outer: int) -> str:
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Grad):
        return f"grad({node.f}, {node.x})"
    if isinstance(node, After):
        return f"after({node.n}, {_text(node.body, 0)})"
    if isinstance(node, Call):
        return f"{node.func}({_text(node.arg, 0)})"
    if isinstance(node, Transpose):
        return f"{_text(node.arg, 5)}.T"
    if isinstance(node, Index):
        return f"{_text(node.arg, 5)}[{', '.join(str(i) for i in node.indices)}]"
    if isinstance(node, Reduce):
        options = "" if node.axis is None else f", axis={node.axis}"
        options += ", keepdims=True" if node.keepdims else ""
        return f"{node.func}({_text(node.arg, 0)}{options})"
    if isinstance(node, Unary):
        text = node.op + _text(node.operand, 3)
        return f"({text})" if outer >= 3 else text
    p = _PRECEDENCE[node.op]
    if node.op == "**":
        text = f"{_text(node.left, p + 1)} ** {_text(node.right, p)}"
    else:
        text = f"{_text(node.left, p)} {node.op} {_text(node.right, p + 1)}"
    return f"({text})" if p < outer or (p == outer and outer != 0) else text
