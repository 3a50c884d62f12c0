"""Numbers as the author printed them: the exact value and the unit of the last digit.

A stated ``"0.20"`` is the exact rational 1/5 *and* a claim about two decimals:
its last printed digit is worth 0.01. A verdict is decided on the printed digits,
so a printed number keeps both (:class:`Printed`).

Accepted forms (strings, or TOML numbers, whose text is kept as printed through
``tomllib.load(..., parse_float=...)``):

========================  =======================  =====================
text                      exact value              unit of the last digit
========================  =======================  =====================
``"-3"``, TOML ``-3``     -3                       none (exactly -3)
``"3.0"``                 3                        1/10
``"0.05"``, ``0.05``      1/20                     1/100
``"5e-3"``                1/200                    1/1000
``"1.20e-2"``             3/250                    1/10000
``"1/10"``                1/10                     none (exact fraction)
``"?"`` (a stated value)  not filled in yet        -
========================  =======================  =====================

A fraction states an exact value, not digits: it agrees only with that exact
value. So does an integer written without a decimal point or an exponent
(``"0"``, ``"3"``, TOML ``3``): a learner who writes 0 means zero, not "zero to
the nearest unit"; ``"3.0"`` states one decimal. A zero mantissa with an exponent
(``"0e3"``) is exactly zero as well; other mantissas with an exponent keep their
significant digits (``"5e-3"``: unit 1/1000).

Only ASCII digits are read (no Arabic-Indic or full-width digits), and an exponent
is at most :data:`MAX_EXPONENT` in size: a number beyond float64's range cannot be
judged against values computed in float64. TOML's ``inf`` and ``nan`` are refused,
as are ``_`` separators in strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "UNANSWERED",
    "Printed",
    "TomlFloat",
    "parse_number",
    "round_to_unit",
    "truncate_to_unit",
]

#: The stated value of a claim not filled in yet.
UNANSWERED = "?"

# [0-9], not \d: \d matches every Unicode digit ("٠.٥", full-width "０")
_DECIMAL = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$", re.ASCII)
_FRACTION = re.compile(r"^([+-]?[0-9]+)[ \t]*/[ \t]*([0-9]+)$", re.ASCII)
#: Digits a printed number may have: far beyond float64, far below trouble.
MAX_DIGITS = 100
#: Largest exponent in size (``"1e300"``): float64 reaches about 1.8e308, and the
#: checker judges values no larger than 1e300 (:data:`nbn.check.bounds.MAX_MAGNITUDE`).
MAX_EXPONENT = 300


@dataclass(frozen=True)
class TomlFloat:
    """A TOML float as written in the file (``parse_float`` keeps the text)."""

    text: str


@dataclass(frozen=True)
class Printed:
    """A number as printed.

    Attributes
    ----------
    text : str
        The number as written (``"0.20"``).
    value : Fraction
        Its exact value.
    unit : Fraction or None
        One unit of the last printed digit (``Fraction(1, 100)`` for ``"0.20"``);
        ``None`` for a number that states an exact value: a fraction such as
        ``"1/10"`` or an integer such as ``"3"``.
    """

    text: str
    value: Fraction
    unit: Fraction | None

    def __str__(self) -> str:
        return self.text


def parse_number(raw: object) -> Printed:
    """A printed number from a TOML value (int, :class:`TomlFloat` or str).

    Raises
    ------
    ValueError
        With a message saying what was expected and what was given (the caller
        adds the file, table and key).
    """
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got the boolean {str(raw).lower()}")
    if isinstance(raw, int):
        if len(str(abs(raw))) > MAX_DIGITS:
            raise ValueError(f"expected a number of at most {MAX_DIGITS} digits, got {raw}")
        return Printed(str(raw), Fraction(raw), None)  # an integer means exactly itself
    if isinstance(raw, TomlFloat):
        text = raw.text.replace("_", "")
        if text.lstrip("+-") in ("inf", "nan"):
            raise ValueError(f"expected a finite number, got {raw.text}")
        return _parse_text(text, shown=raw.text)
    if isinstance(raw, str):
        return _parse_text(raw.strip(), shown=raw)
    kind = (
        "a table"
        if isinstance(raw, dict)
        else "an array"
        if isinstance(raw, list)
        else (type(raw).__name__)
    )
    raise ValueError(f'expected a number (TOML number or a string such as "0.05"), got {kind}')


def _parse_text(text: str, shown: str) -> Printed:
    expected = 'expected a number such as "0.05", "-3", "1/10" or "5e-3"'
    if len(text) > MAX_DIGITS + 10:
        raise ValueError(f"{expected} of at most {MAX_DIGITS} digits, got {len(text)} characters")
    if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        raise ValueError(f"expected a finite number, got {shown!r}")
    fraction = _FRACTION.match(text)
    if fraction:
        numerator, denominator = int(fraction.group(1)), int(fraction.group(2))
        if denominator == 0:
            raise ValueError(f"expected a fraction with a non-zero denominator, got {shown!r}")
        return Printed(text, Fraction(numerator, denominator), None)
    decimal = _DECIMAL.match(text)
    if not decimal or not (decimal.group(2) or decimal.group(3)):
        raise ValueError(f"{expected}, got {shown!r}")
    sign, whole, frac, exponent = decimal.groups()
    if exponent is not None and abs(int(exponent)) > MAX_EXPONENT:
        raise ValueError(
            f"expected an exponent between -{MAX_EXPONENT} and {MAX_EXPONENT} (values beyond "
            f"float64's range cannot be judged), got {shown!r}"
        )
    digits = int((whole or "0") + (frac or ""))
    scale = int(exponent or 0) - len(frac or "")
    value = digits * Fraction(10) ** scale
    value = -value if sign == "-" else value
    if frac is None and (exponent is None or digits == 0):
        # "3", "-0", "0e3": an integer (or a zero) written without a decimal point
        # states exactly that value, not a value rounded to the units
        return Printed(text, value, None)
    return Printed(text, value, Fraction(10) ** scale)


def round_to_unit(x: Fraction, unit: Fraction) -> tuple[Fraction, ...]:
    """The multiples of ``unit`` nearest ``x``: one, or two on an exact tie.

    On a tie (``x`` exactly half-way) both neighbours are correct roundings: the
    half-up and the half-to-even conventions are both in use.
    """
    q, r = divmod(x, unit)  # floor division: x = q unit + r, 0 <= r < unit
    low = q * unit
    if 2 * r < unit:
        return (low,)
    if 2 * r > unit:
        return (low + unit,)
    return (low, low + unit)


def truncate_to_unit(x: Fraction, unit: Fraction) -> Fraction:
    """``x`` cut to a multiple of ``unit`` toward zero (its digits past the unit dropped)."""
    q = abs(x) // unit
    return (q * unit) if x >= 0 else -(q * unit)
