"""Arrays written in a worked-example file: given values and stated values.

A TOML array is a NumPy array of the same nesting: ``[1, 2]`` has shape
``(2,)``, ``[["0.1", "0.6"]]`` has shape ``(1, 2)``. Entries are numbers or
number strings as printed (:func:`nbn.check.numbers.parse_number`); a stated
array may also hold ``"?"`` for an entry not filled in. Ragged arrays, empty
arrays, deeper nesting than :data:`~nbn.check.shapes.MAX_DIMENSIONS` and more
than :data:`MAX_ENTRIES` entries are refused before any entry is read.

A stated array is compared with the exact value's shape by :func:`align`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

from .numbers import UNANSWERED, Printed, parse_number
from .shapes import MAX_DIMENSIONS, Shape, describe, size

__all__ = [
    "MAX_ENTRIES",
    "ArrayValue",
    "align",
    "entry_name",
    "indices",
    "read_array",
]

#: Most entries of one array (given, defined, stated or computed in a claim).
MAX_ENTRIES = 1024


@dataclass(frozen=True)
class ArrayValue:
    """An array as written: its shape and its entries in row-major order.

    Attributes
    ----------
    shape : tuple of int
    entries : tuple of (Printed or None)
        ``None`` for a ``"?"`` entry (stated arrays only).
    """

    shape: Shape
    entries: tuple[Printed | None, ...]

    def text(self) -> str:
        """The array as nested brackets of its printed entries."""
        shown = [UNANSWERED if e is None else e.text for e in self.entries]
        return nested_text(shown, self.shape)


def nested_text(entries: list[str], shape: Shape) -> str:
    """Row-major ``entries`` written as nested brackets of ``shape``."""
    if not shape:
        return entries[0]
    if len(shape) == 1:
        return "[" + ", ".join(entries) + "]"
    cols = shape[1]
    rows = ["[" + ", ".join(entries[r * cols : (r + 1) * cols]) + "]" for r in range(shape[0])]
    return "[" + ", ".join(rows) + "]"


def indices(shape: Shape) -> Iterator[tuple[int, ...]]:
    """Every index of ``shape`` in row-major order (``()`` once for a scalar)."""
    return product(*(range(n) for n in shape))


def entry_name(name: str, index: tuple[int, ...]) -> str:
    """The name of one entry of an array quantity: ``W[0, 1]``; a scalar keeps its name."""
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def _shape_of(raw: list[object]) -> Shape:
    """The shape of a nested list, refusing ragged, empty and too deep ones (no entry read)."""
    if not raw:
        raise ValueError("expected a non-empty array, got []")
    inner = [isinstance(item, list) for item in raw]
    if not any(inner):
        return (len(raw),)
    if not all(inner):
        raise ValueError(
            "expected an array whose items are all numbers or all rows, got a mix (a ragged array)"
        )
    lengths = {len(item) for item in raw if isinstance(item, list)}
    if len(lengths) != 1:
        raise ValueError(
            f"expected rows of one length, got rows of lengths {sorted(lengths)} (a ragged array)"
        )
    cols = lengths.pop()
    if cols == 0:
        raise ValueError("expected non-empty rows, got []")
    for item in raw:
        if isinstance(item, list) and any(isinstance(x, list) for x in item):
            raise ValueError(
                f"expected at most {MAX_DIMENSIONS} levels of nesting (a matrix), got more"
            )
    return (len(raw), cols)


def read_array(raw: list[object], stated: bool = False) -> ArrayValue:
    """An :class:`ArrayValue` from a TOML array (``stated``: ``"?"`` entries allowed).

    Raises
    ------
    ValueError
        Naming what was expected and what was given (the caller adds the file,
        table and key); an entry's error names its index.
    """
    shape = _shape_of(raw)
    if size(shape) > MAX_ENTRIES:
        raise ValueError(
            f"expected an array of at most {MAX_ENTRIES} entries, got shape {describe(shape)} "
            f"({size(shape)} entries)"
        )
    flat: list[object] = []
    for item in raw:
        flat.extend(item if isinstance(item, list) else [item])
    entries: list[Printed | None] = []
    for index, value in zip(indices(shape), flat, strict=True):
        if stated and value == UNANSWERED:
            entries.append(None)
            continue
        try:
            entries.append(parse_number(value))
        except ValueError as error:
            raise ValueError(f"entry {list(index)}: {error}") from None
    return ArrayValue(shape, tuple(entries))


def align(stated: Shape, exact: Shape) -> str:
    """How a stated array's shape relates to the exact value's.

    Returns
    -------
    str
        ``"same"``; ``"flat"`` (a flat list stated for a single row or column:
        judged entry by entry in order); ``"transposed"`` (a 2-d stated shape
        that is the exact one's transpose, the two differing); or ``"mismatch"``.
    """
    if stated == exact:
        return "same"
    if len(stated) == 1 and len(exact) == 2 and 1 in exact and size(exact) == stated[0]:
        return "flat"
    if len(stated) == 2 and len(exact) == 2 and stated == (exact[1], exact[0]):
        return "transposed"
    return "mismatch"
