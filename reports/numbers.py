"""Reading numbers the way staff type them.

Forms, workbook imports and the demo loader all turn text into a cell value
here, so 「1,980,321」, full-width 「１２」, 「3天」 and 「22.69万」 mean the same
everywhere, and anything else is refused with a message that names the text.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

COUNTING_WORDS = {"项", "个", "条", "件", "次", "人", "人次", "天", "篇", "期", "元"}
BLANK_MARKS = {"", "—", "——", "-", "--", "－", "/", "／", "无数据"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class NumberError(ValueError):
    """A text that is not a number for this cell; str() is the Chinese message."""


def parse_number(
    text, *, unit: str = "", decimals: int = 0, signed: bool = False
) -> Decimal | None:
    """The value of `text` for a cell, or None when it is blank.

    - full-width digits and punctuation are folded (NFKC);
    - thousands separators 「1,980,321」 are dropped;
    - a trailing unit is dropped when it is the cell's unit (「3天」 in a 天 cell)
      or a counting word (项, 个, 条, 件, 次, 人);
    - 「万」 multiplies by 10 000, unless the cell is itself in 万元;
    - 「—」, 「-」 and empty mean blank (not 0).
    Raises NumberError when the text is not a number, is negative where the
    cell is not signed, or has more decimals than the cell allows.
    """
    if text is None:
        return None
    if isinstance(text, int | Decimal) and not isinstance(text, bool):
        value = Decimal(text)
        return _checked(value, str(text), decimals=decimals, signed=signed)
    if isinstance(text, float):
        text = repr(text)
    original = str(text)
    cleaned = unicodedata.normalize("NFKC", original).strip().replace(" ", "")
    if cleaned in BLANK_MARKS:
        return None
    cleaned = cleaned.replace("，", ",")
    for suffix in sorted({unit, *COUNTING_WORDS} - {""}, key=len, reverse=True):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            break
    factor = Decimal(1)
    if cleaned.endswith("万") and unit != "万元":
        factor, cleaned = Decimal(10000), cleaned[:-1]
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise NumberError(f"「{original.strip()}」不是数字")
    try:
        value = Decimal(cleaned) * factor
    except InvalidOperation:
        raise NumberError(f"「{original.strip()}」不是数字") from None
    return _checked(value, original.strip(), decimals=decimals, signed=signed)


def _checked(value: Decimal, shown: str, *, decimals: int, signed: bool) -> Decimal:
    if value < 0 and not signed:
        raise NumberError(f"「{shown}」不能为负数")
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        if decimals == 0:
            raise NumberError(f"「{shown}」应为整数")
        raise NumberError(f"「{shown}」最多保留{decimals}位小数")
    return value.normalize() if value != 0 else Decimal(0)


def format_number(value: Decimal | None) -> str:
    """A stored value as staff would write it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text
