"""Numbers as printed: exact value and the unit of the last digit (hand-checked)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from nbn.check.numbers import TomlFloat, parse_number, round_to_unit, truncate_to_unit


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("0.20", Fraction(1, 5), Fraction(1, 100)),
        ("-3", Fraction(-3), None),
        (-3, Fraction(-3), None),
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


@pytest.mark.parametrize("raw", ["٠.٥", "٣", "０.５", "１", "1/２", "5e-３", "0.5\u0663"])
def test_only_ascii_digits_are_numbers(raw: str) -> None:
    with pytest.raises(ValueError, match="expected a number"):
        parse_number(raw)


@pytest.mark.parametrize("raw", ["0e9999", "1e301", "1.5e-301", TomlFloat("1e400")])
def test_an_exponent_past_float64s_range_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="expected an exponent between -300 and 300"):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), (0, 0), ("3", 3), (3, 3), ("-0", 0), ("+3", 3), ("0e3", 0), ("-0e-5", 0)],
)
def test_an_integer_or_a_bare_zero_states_an_exact_value(raw: object, value: int) -> None:
    printed = parse_number(raw)
    assert (printed.value, printed.unit) == (Fraction(value), None)


def test_a_decimal_point_or_a_nonzero_mantissa_keeps_its_digits() -> None:
    assert parse_number("3.0").unit == Fraction(1, 10)
    assert parse_number("3.").unit == Fraction(1)
    assert parse_number("3e2").unit == Fraction(100)
    assert parse_number("0.0e3").unit == Fraction(100)
