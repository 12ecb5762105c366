"""The official statistics tables of the 政府信息公开工作年度报告, one module per version.

Pure Python, no Django: models, forms and the admin import `FORMATS` / `get_format` and store a
format's ``code`` on each filing. In chronological order:

* ``gb2014`` — 《政府信息公开情况统计表》, 国办发〔2014〕32号, report years up to 2018;
* ``gb2019`` — 年度报告格式（试行）, 国办公开办函〔2019〕60号, 2019–2020;
* ``gb2021`` — 年度报告格式, 国办公开办函〔2021〕30号, 2021 onwards.
"""

from __future__ import annotations

from . import gb2014, gb2019, gb2021
from .base import (
    CellSpec,
    Column,
    Finding,
    Format,
    HeaderCell,
    Row,
    Rule,
    Severity,
    Table,
    format_number,
)

FORMATS: dict[str, Format] = {
    fmt.code: fmt for fmt in (gb2014.FORMAT, gb2019.FORMAT, gb2021.FORMAT)
}

__all__ = [
    "FORMATS",
    "CellSpec",
    "Column",
    "Finding",
    "Format",
    "HeaderCell",
    "Row",
    "Rule",
    "Severity",
    "Table",
    "find_format",
    "format_choices",
    "format_for_year",
    "format_number",
    "get_format",
]


def get_format(code: str) -> Format:
    """The format with this code; KeyError naming the known codes otherwise."""
    try:
        return FORMATS[code]
    except KeyError:
        raise KeyError(f"unknown format {code!r} (known: {', '.join(FORMATS)})") from None


def find_format(code: str | None) -> Format | None:
    """Like `get_format`, but None for an unknown or empty code."""
    return FORMATS.get(code or "")


def format_choices() -> list[tuple[str, str]]:
    """(code, Chinese name) pairs, oldest first — ready for a model field's ``choices``."""
    return [(fmt.code, fmt.name) for fmt in FORMATS.values()]


def format_for_year(year: int) -> Format:
    """The national format a report for `year` is filed in (the earliest format for older years)."""
    for fmt in FORMATS.values():
        if fmt.covers(year):
            return fmt
    return gb2014.FORMAT
