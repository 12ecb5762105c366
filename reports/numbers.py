"""Reading numbers the way staff type them, and the bounds on anything typed.

Forms, workbook imports and the demo loader all turn text into a cell value
here, so 「1,980,321」, full-width 「１２」, 「3天」 and 「22.69万」 mean the same
everywhere, and anything else is refused with a message that names the text.
`text_refusal` is the one check on free text (notes, website-form answers).
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

# Words accepted after a number in a cell whose unit the form does not print
# (the 2019/2021 tables): counts only, never 天 or 元.
COUNTING_WORDS = ("人次", "项", "个", "条", "件", "次", "人", "篇", "期")
BLANK_MARKS = {"", "—", "——", "-", "--", "－", "/", "／", "无数据"}
# Digits are ASCII or full-width 「１２」. NFKC would also fold superscripts and circled
# digits (「10²」 into 102), and `\d` and Decimal() take Arabic-Indic 「١٢」 as 12: refused.
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")

# Values are stored as NUMERIC(22, 6) (ReportValue.value, ValueChange.old/new_value, which
# also records website-form counts): PostgreSQL holds 16 digits before the point; SQLite
# keeps 15 significant digits (Django reads its decimals back through a float). A number
# typed into a cell may have 11 digits before the point (below 1000亿, beyond any count or
# amount these forms report) and, all told, MAX_SIGNIFICANT_DIGITS digits: exact on both.
# Six decimals hold a 元 amount to the 分 in a 万元 cell (「219062.78元」 = 21.906278万元).
# A total of up to 10 000 such cells still fits PostgreSQL's column (a format sums at most
# 126, whose total has at most 14 digits before the point).
MAX_INTEGER_DIGITS = 11
MAX_SIGNIFICANT_DIGITS = 15
# Longer text is refused before it is read at all, so a pasted 10 000-digit run costs
# nothing: the longest sensible entry, 「99,999,999,999.9999万元」, has 21.
MAX_TEXT_LENGTH = 40
# Characters no column, workbook or document can hold: C0 controls but tab and line ends
# (PostgreSQL refuses NUL; XML, hence .xlsx and .docx, refuses the rest), lone surrogates,
# and the noncharacters U+FFFE/U+FFFF.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class NumberError(ValueError):
    """A text that is not a number for this cell; str() is the Chinese message."""


def parse_number(
    text, *, unit: str = "", decimals: int = 0, signed: bool = False
) -> Decimal | None:
    """The value of `text` for a cell, or None when it is blank (see `read_number`)."""
    return read_number(text, unit=unit, decimals=decimals, signed=signed)[0]


def read_number(
    text, *, unit: str = "", decimals: int = 0, signed: bool = False
) -> tuple[Decimal | None, str]:
    """(value, printed): the value of `text` for a cell (None when blank) and, when reading it
    converted a unit (「1500元」 in a 万元 cell, 「22.69万」), `text` as typed, trimmed — what a
    cell keeps beside its value (`ReportValue.printed`); "" otherwise.

    - full-width digits and punctuation are folded (NFKC); other digits (「١٢」, 「²」) are not
      read;
    - thousands separators 「1,980,321」 are dropped;
    - a trailing unit is dropped only when it is the cell's own unit (「3天」 in
      a 天 cell; 「3天」 in a 件 cell is refused), or a counting word where the
      form prints no unit; 「1500元」 in a 万元 cell is converted to 0.15;
    - 「万」 multiplies by 10 000, unless the cell is itself in 万元;
    - 「—」, 「-」 and empty mean blank (not 0).
    Raises NumberError when the text is not a number (NaN, Infinity and 「1e5」 are not),
    is longer than MAX_TEXT_LENGTH, has more than MAX_INTEGER_DIGITS digits before the
    point or MAX_SIGNIFICANT_DIGITS in all, is negative where the cell is not signed, or has
    more decimals than the cell allows.
    """
    if text is None:
        return None, ""
    if isinstance(text, int | Decimal) and not isinstance(text, bool):
        value = Decimal(text)
        if not value.is_finite():
            raise NumberError(f"「{text}」不是数字")
        return _checked(value, shorten(str(value)), decimals=decimals, signed=signed), ""
    if isinstance(text, float):
        text = repr(text)
    shown = str(text).strip()
    if len(shown) > MAX_TEXT_LENGTH:
        raise NumberError(f"「{shorten(shown)}」过长（{len(shown)}个字符），不是数字")
    if any(unicodedata.digit(c, None) is not None and c not in _DIGITS for c in shown):
        raise NumberError(f"「{shown}」不是数字")
    cleaned = unicodedata.normalize("NFKC", shown).strip().replace(" ", "")
    if cleaned in BLANK_MARKS:
        return None, ""
    cleaned = cleaned.replace("，", ",")
    cleaned, factor = _strip_unit(cleaned, unit)
    if cleaned.endswith("万") and unit != "万元":
        factor, cleaned = factor * Decimal(10000), cleaned[:-1]
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise NumberError(f"「{shown}」不是数字")
    # Exact: at most MAX_TEXT_LENGTH digits times a power of ten, never rounded to the
    # default 28 digits (which would turn 「1.000…0001」 into an integer).
    with localcontext(prec=2 * MAX_TEXT_LENGTH):
        try:
            value = Decimal(cleaned) * factor
        except InvalidOperation:
            raise NumberError(f"「{shown}」不是数字") from None
        value = _checked(value, shown, decimals=decimals, signed=signed)
    return value, (shown if factor != 1 else "")


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
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise NumberError(f"「{shown}」数值过大（整数部分最多{MAX_INTEGER_DIGITS}位）")
    if value < 0 and not signed:
        raise NumberError(f"「{shown}」不能为负数")
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        if decimals == 0:
            raise NumberError(f"「{shown}」应为整数")
        raise NumberError(f"「{shown}」最多保留{decimals}位小数")
    value = value.normalize() if value != 0 else Decimal(0)
    if len(value.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS and value.as_tuple().exponent < 0:
        raise NumberError(
            f"「{shown}」有效数字过多（整数与小数合计最多{MAX_SIGNIFICANT_DIGITS}位）"
        )
    return value


def text_refusal(text: str, max_length: int) -> str | None:
    """Why `text` (already trimmed) cannot be stored, in Chinese; None when it can.

    Too long (more than `max_length` characters), or holding a character no column,
    workbook or document can hold (NUL and the other control characters but tab and line
    ends, lone surrogates, U+FFFE/U+FFFF)."""
    if len(text) > max_length:
        return f"不能超过{max_length}字（现有{len(text)}字）"
    if _UNSTORABLE.search(text):
        return "含有不可见的控制字符，请删除后再保存"
    return None


def shorten(text: str, limit: int = 20) -> str:
    """`text` cut to `limit` characters with 「…」, for messages that quote what was typed."""
    return text if len(text) <= limit else text[:limit] + "…"


def format_number(value: Decimal | int | None) -> str:
    """A number as staff write it: no exponent, no trailing zeros ("0.3", "100", "-18");
    blank for None."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")
