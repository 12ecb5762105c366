from decimal import Decimal

import pytest

from reports.numbers import NumberError, format_number, parse_number


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
