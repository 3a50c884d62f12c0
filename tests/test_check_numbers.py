"""Numbers as printed: exact value and the unit of the last digit (hand-checked)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from nbn.check.numbers import TomlFloat, parse_number, round_to_unit, truncate_to_unit


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("0.20", Fraction(1, 5), Fraction(1, 100)),
        ("-3", Fraction(-3), Fraction(1)),
        (-3, Fraction(-3), Fraction(1)),
        ("5e-3", Fraction(1, 200), Fraction(1, 1000)),
        ("1.20e-2", Fraction(3, 250), Fraction(1, 10000)),
        ("1/10", Fraction(1, 10), None),
        (".5", Fraction(1, 2), Fraction(1, 10)),
        ("+2.50", Fraction(5, 2), Fraction(1, 100)),
        (TomlFloat("0.1"), Fraction(1, 10), Fraction(1, 10)),
        (TomlFloat("6.02e23"), Fraction(602 * 10**21), Fraction(10**21)),
        (TomlFloat("1_000.5"), Fraction(2001, 2), Fraction(1, 10)),
    ],
)
def test_printed_numbers_keep_value_and_last_digit(
    raw: object, value: Fraction, unit: Fraction | None
) -> None:
    printed = parse_number(raw)
    assert (printed.value, printed.unit) == (value, unit)


@pytest.mark.parametrize(
    "raw", ["", "abc", "1.2.3", "1/0", "e5", "--1", "0x10", True, [1], {"a": 1}, "1,5"]
)
def test_anything_else_is_refused_with_what_was_given(raw: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_number(raw)


def test_rounding_and_truncation_by_hand() -> None:
    unit = Fraction(1, 100)
    # 0.4286 -> 0.43 rounded, 0.42 truncated; -0.4286 -> -0.43 and -0.42
    assert round_to_unit(Fraction(4286, 10000), unit) == (Fraction(43, 100),)
    assert truncate_to_unit(Fraction(4286, 10000), unit) == Fraction(42, 100)
    assert round_to_unit(Fraction(-4286, 10000), unit) == (Fraction(-43, 100),)
    assert truncate_to_unit(Fraction(-4286, 10000), unit) == Fraction(-42, 100)
    # 0.125 to two decimals is a tie: 0.12 and 0.13 are both correct roundings
    assert round_to_unit(Fraction(1, 8), unit) == (Fraction(12, 100), Fraction(13, 100))
