"""Show nbn's own source on a page, read from the module while the site builds.

A listing is never typed into a page: :func:`listing` reads the function's text
with :func:`inspect.getsource` at build time, so the page cannot drift from the
code it teaches. The fenced block's title names the function
(``nbn.linear.LinearLayer.forward``); ``tests/test_docs_listings.py`` finds the
listings by that title, in the page's output and in the built HTML, and checks
that their text is exactly the module's source.

:func:`shapes` turns the NumPy docstring's ``name : ... of shape (...)`` entries
into a short table, so each array's shape is stated next to the code.
"""

from __future__ import annotations

import importlib
import inspect
import re
import textwrap
from collections.abc import Collection
from typing import Any

__all__ = ["TITLE_PREFIX", "listing", "resolve", "shapes", "source_of"]

#: Every listing's title starts with this, followed by the dotted name.
TITLE_PREFIX = "source: "

_SHAPE = re.compile(r"^(?P<name>\w+)\s*:\s*(?P<kind>.*?)\bof shape\s*(?P<shape>\([^)]*\))")
_UNNAMED = re.compile(r"^(?P<kind>ndarray|array_like)\s+of shape\s*(?P<shape>\([^)]*\))")
_SECTION = re.compile(r"^(Parameters|Returns|Attributes)\n-+$", re.M)


def resolve(dotted: str) -> Any:
    """The object named ``module.Class.method`` (or ``module.function``).

    The module is the longest importable prefix: ``nbn.linear.LinearLayer.forward``
    imports ``nbn.linear`` and looks up ``LinearLayer`` then ``forward``.
    """
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = inspect.getattr_static(obj, attr) if inspect.isclass(obj) else getattr(obj, attr)
            if isinstance(obj, (staticmethod, classmethod)):
                obj = obj.__func__
        return obj
    raise ValueError(f"listing: {dotted!r} does not start with an importable module")


def source_of(dotted: str) -> str:
    """The source text of the named function, dedented, without a trailing newline."""
    return textwrap.dedent(inspect.getsource(resolve(dotted))).rstrip("\n")


def listing(dotted: str) -> str:
    """A fenced Python block (Markdown) holding the named function's source.

    Parameters
    ----------
    dotted : str
        ``"nbn.linear.LinearLayer.forward"``: module, then attributes.
    """
    code = source_of(dotted)
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", code)), default=0))
    return f'{fence}python title="{TITLE_PREFIX}{dotted}"\n{code}\n{fence}'


def _entries(doc: str) -> list[tuple[str, str, str]]:
    """(name, shape, section) for every array entry of the docstring's sections."""
    found: list[tuple[str, str, str]] = []
    pieces = _SECTION.split(doc)
    for section, body in zip(pieces[1::2], pieces[2::2], strict=True):
        lines = body.splitlines()
        for i, line in enumerate(lines):
            if not line or line[0].isspace():
                continue
            named = _SHAPE.match(line)
            if named:
                found.append((named["name"], named["shape"], section))
                continue
            unnamed = _UNNAMED.match(line)
            if unnamed and section == "Returns":
                following = lines[i + 1] if i + 1 < len(lines) else ""
                shown = re.search(r"``([\w.]+)``", following)
                found.append((shown[1] if shown else "result", unnamed["shape"], section))
    return found


def shapes(*dotted: str, only: Collection[str] = ()) -> str:
    """A Markdown table of the arrays the named functions take and return, with shapes.

    Read from each function's NumPy docstring (``A_prev : array_like of shape
    (n_in, m)``; an unnamed return is named by the first ````self.x```` in its
    description). A class contributes its ``Attributes`` entries, limited to
    the names in ``only`` when given. Raises if a docstring states no shape.
    """
    rows: list[str] = []
    seen: set[tuple[str, str]] = set()
    for name in dotted:
        doc = inspect.getdoc(resolve(name)) or ""
        entries = _entries(doc)
        if only and inspect.isclass(resolve(name)):
            entries = [entry for entry in entries if entry[0] in only]
        if not entries:
            raise ValueError(f"shapes: the docstring of {name} states no array shape")
        short = ".".join(name.split(".")[-2:])
        for array, shape, section in entries:
            if (array, shape) in seen:
                continue
            seen.add((array, shape))
            if section == "Attributes":
                array, where = f"self.{array}", f"kept by `{name.split('.')[-1]}`"
            else:
                where = f"{'in' if section == 'Parameters' else 'out'}, `{short}`"
            rows.append(f"| `{array}` | {shape} | {where} |")
    return "\n".join(["| array | shape | where |", "| :-- | :-- | :-- |", *rows])
