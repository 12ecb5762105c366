"""Reading numbers the way staff type them.

Forms, workbook imports and the demo loader all turn text into a cell value
here, so 「1,980,321」, full-width 「１２」, 「3天」 and 「22.69万」 mean the same
everywhere, and anything else is refused with a message that names the text.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Words accepted after a number in a cell whose unit the form does not print
# (the 2019/2021 tables): counts only, never 天 or 元.
COUNTING_WORDS = ("人次", "项", "个", "条", "件", "次", "人", "篇", "期")
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
    - a trailing unit is dropped only when it is the cell's own unit (「3天」 in
      a 天 cell; 「3天」 in a 件 cell is refused), or a counting word where the
      form prints no unit; 「1500元」 in a 万元 cell is converted to 0.15;
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
    cleaned, factor = _strip_unit(cleaned, unit)
    if cleaned.endswith("万") and unit != "万元":
        factor, cleaned = factor * Decimal(10000), cleaned[:-1]
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise NumberError(f"「{original.strip()}」不是数字")
    try:
        value = Decimal(cleaned) * factor
    except InvalidOperation:
        raise NumberError(f"「{original.strip()}」不是数字") from None
    return _checked(value, original.strip(), decimals=decimals, signed=signed)


def _strip_unit(text: str, unit: str) -> tuple[str, Decimal]:
    """`text` without its unit, and the factor that unit implies for the cell."""
    if unit == "万元":
        if text.endswith("万元"):
            return text[:-2], Decimal(1)
        if text.endswith("元"):
            return text[:-1], Decimal("0.0001")
        return text, Decimal(1)
    if unit:
        return (text[: -len(unit)], Decimal(1)) if text.endswith(unit) else (text, Decimal(1))
    for word in COUNTING_WORDS:
        if text.endswith(word):
            return text[: -len(word)], Decimal(1)
    return text, Decimal(1)


def _checked(value: Decimal, shown: str, *, decimals: int, signed: bool) -> Decimal:
    if value < 0 and not signed:
        raise NumberError(f"「{shown}」不能为负数")
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        if decimals == 0:
            raise NumberError(f"「{shown}」应为整数")
        raise NumberError(f"「{shown}」最多保留{decimals}位小数")
    return value.normalize() if value != 0 else Decimal(0)


def format_number(value: Decimal | int | None) -> str:
    """A number as staff write it: no exponent, no trailing zeros ("0.3", "100", "-18");
    blank for None."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")
