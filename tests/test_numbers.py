import time
from decimal import Decimal

import pytest

from reports.numbers import (
    MAX_INTEGER_DIGITS,
    MAX_SIGNIFICANT_DIGITS,
    MAX_TEXT_LENGTH,
    NumberError,
    format_number,
    parse_number,
    text_refusal,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("247", "条", Decimal(247)),
        ("1,980,321", "个", Decimal(1980321)),
        ("１２", "件", Decimal(12)),
        ("3天", "天", Decimal(3)),
        ("0项", "项", Decimal(0)),
        ("22.69万", "个", Decimal(226900)),
        ("21人次", "人次", Decimal(21)),
        ("0.3", "万元", Decimal("0.3")),
        ("0.3万元", "万元", Decimal("0.3")),
        ("251000元", "元", Decimal(251000)),
        ("1500元", "万元", Decimal("0.15")),
        ("5件", "", Decimal(5)),
        (" 15 ", "个", Decimal(15)),
    ],
)
def test_numbers_as_staff_type_them_are_understood(text, unit, expected):
    decimals = 4 if unit in ("万元", "元") else 0
    assert parse_number(text, unit=unit, decimals=decimals) == expected


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "-", None])
def test_blank_marks_mean_blank_not_zero(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("十二", "「十二」不是数字"),
        ("一次不跑“1”项、只跑一次11项", "不是数字"),
        ("-3", "不能为负数"),
        ("2.5", "应为整数"),
        ("1,98", "不是数字"),
        ("=SUM(A1)", "不是数字"),
        ("3天", "不是数字"),  # a 件 cell: another unit is not silently dropped
        ("12条", "不是数字"),
    ],
)
def test_text_that_is_not_a_number_is_refused_with_a_message(text, message):
    with pytest.raises(NumberError, match=message):
        parse_number(text, unit="件")


def test_signed_cells_accept_negative_numbers():
    assert parse_number("-18", signed=True) == Decimal(-18)


def test_decimal_places_are_limited():
    with pytest.raises(NumberError, match="最多保留2位小数"):
        parse_number("1.234", unit="元", decimals=2)


def test_format_number_drops_trailing_zeros():
    assert format_number(Decimal("0.3000")) == "0.3"
    assert format_number(Decimal("12635")) == "12635"
    assert format_number(Decimal("1E+4")) == "10000"
    assert format_number(None) == ""


# --- bounds: what the database columns hold, and nothing costly ---------------------------


def test_the_largest_number_is_accepted_and_one_more_digit_is_refused():
    largest = "9" * MAX_INTEGER_DIGITS
    assert parse_number(largest) == Decimal(largest)
    with pytest.raises(NumberError, match=f"数值过大（整数部分最多{MAX_INTEGER_DIGITS}位）"):
        parse_number("1" + "0" * MAX_INTEGER_DIGITS)


def test_the_bound_applies_to_the_value_not_to_the_digits_typed():
    assert parse_number("0" * 30 + "7") == 7
    with pytest.raises(NumberError, match="数值过大"):
        parse_number("1" + "0" * (MAX_INTEGER_DIGITS - 4) + "万")


@pytest.mark.parametrize(
    "value",
    [10**11, -(10**40), 10**5000, Decimal("1E+400")],
    ids=["12 digits", "negative 41 digits", "5001 digits", "1E+400"],
)
def test_numbers_already_parsed_are_bounded_too(value):
    with pytest.raises(NumberError, match="数值过大"):
        parse_number(value, signed=True)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), float("nan"), 1e400])
def test_nan_and_infinity_are_not_numbers(value):
    with pytest.raises(NumberError, match="不是数字"):
        parse_number(value)


def test_a_huge_text_is_refused_before_it_is_read():
    text = "1" * 1_000_000
    started = time.perf_counter()
    with pytest.raises(NumberError) as refusal:
        parse_number(text)
    assert time.perf_counter() - started < 0.1
    assert str(refusal.value) == f"「{'1' * 20}…」过长（1000000个字符），不是数字"
    with pytest.raises(NumberError, match="过长"):
        parse_number("1" * (MAX_TEXT_LENGTH + 1))


@pytest.mark.parametrize("text", ["١٢", "۱۲", "10²", "①", "𝟏𝟐", "1_000", "1e5", "--1", "0x10"])
def test_digits_other_than_ascii_and_full_width_are_not_read(text):
    with pytest.raises(NumberError, match=f"「{text}」不是数字"):
        parse_number(text)


def test_many_decimals_are_not_rounded_away():
    with pytest.raises(NumberError, match="应为整数"):
        parse_number("1." + "0" * 30 + "1")


def summed_cells(fmt, code) -> int:
    """How many typed cells the total `code` adds up (1 for a typed cell)."""
    spec = fmt.cell(code)
    return sum(summed_cells(fmt, part) for part in spec.computed_from) or 1


def test_every_cell_and_every_total_fits_the_value_columns_exactly():
    """Typed values and computed totals fit NUMERIC(22, 6) and SQLite's 15 exact digits."""
    from reports.formats import FORMATS
    from reports.formats.website import WEBSITE_FORM
    from reports.models import ReportValue, ValueChange

    decimals = [spec.decimals for fmt in FORMATS.values() for spec in fmt.cells()]
    decimals += [field.decimals for field in WEBSITE_FORM.fields]
    # A typed value: at most 15 significant digits (refused beyond), whatever its decimals.
    assert MAX_SIGNIFICANT_DIGITS <= 15
    with pytest.raises(NumberError, match="有效数字过多"):
        parse_number("12345678901.12345", unit="万元", decimals=6)
    assert parse_number("1234567890.12345", unit="万元", decimals=6) == Decimal("1234567890.12345")
    # A computed total sums whole numbers only, so it has no decimals to lose.
    totals = [spec for fmt in FORMATS.values() for spec in fmt.cells() if spec.computed_from]
    assert all(fmt.cell(part).kind == "int" for fmt in FORMATS.values() for spec in fmt.cells()
               for part in spec.computed_from)  # fmt: skip
    assert totals
    largest = Decimal("9" * MAX_INTEGER_DIGITS)
    widest = max(summed_cells(fmt, spec.code) for fmt in FORMATS.values() for spec in fmt.cells())
    assert len(str(largest * widest)) <= 15
    for column in (ReportValue._meta.get_field("value"), ValueChange._meta.get_field("new_value")):
        assert max(decimals) <= column.decimal_places
        assert len(str(largest * widest)) <= column.max_digits - column.decimal_places


def test_text_refusal_names_length_and_control_characters():
    assert text_refusal("好" * 200, 200) is None
    assert text_refusal("好" * 201, 200) == "不能超过200字（现有201字）"
    for bad in ("\x00", "\x07", "\x1b", "\ufffe"):
        assert text_refusal(f"a{bad}b", 200) == "含有不可见的控制字符，请删除后再保存"
    assert text_refusal("第一行\n第二行\t制表", 200) is None
