"""The official formats of the 政府信息公开工作年度报告, one module per version, found on their own.

Pure Python, no Django: models, forms and the admin import `FORMATS` / `get_format` and store a
format's ``code`` on each filing. Every module of this package that defines ``FORMAT`` (a
`Format`) is registered at import: the next format the State Council issues is one new module,
and nothing else is edited. Today, in chronological order:

* ``gb2014`` — 《政府信息公开情况统计表》, 国办发〔2014〕32号, report years up to 2018;
* ``gb2019`` — 年度报告格式（试行）, 国办公开办函〔2019〕60号, 2019–2020;
* ``gb2021`` — 年度报告格式, 国办公开办函〔2021〕30号, 2021 onwards.

A format whose ``last_year`` is None ends the year before the next format's ``first_year``
(an explicit ``last_year`` wins); two formats starting in the same year, or overlapping years,
stop start-up with a message naming both. A declared variant (``variant_of`` set) is not a year
of its own: it is registered by code but takes no part in the timeline.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

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
from .narrative import NarrativeFormat

__all__ = [
    "FORMATS",
    "CellSpec",
    "Column",
    "Finding",
    "Format",
    "FormatRegistryError",
    "HeaderCell",
    "Row",
    "Rule",
    "Severity",
    "Table",
    "build_registry",
    "find_format",
    "format_choices",
    "format_for_year",
    "format_number",
    "get_format",
    "narrative_format",
]


class FormatRegistryError(ValueError):
    """The declared formats contradict each other (same code, same first year, overlap)."""


def discover() -> list[Format]:
    """The ``FORMAT`` of every module in this package, in module-name order."""
    found = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        declared = getattr(importlib.import_module(f"{__name__}.{module}"), "FORMAT", None)
        if isinstance(declared, Format):
            found.append(declared)
    return found


def build_registry(formats: list[Format]) -> dict[str, Format]:
    """code → format, oldest first, each open-ended format ended the year before the next one.

    Raises FormatRegistryError naming the formats when two share a code or a first year, or
    when an explicit ``last_year`` runs into the next format's years.
    """
    codes = [fmt.code for fmt in formats]
    doubled = sorted({code for code in codes if codes.count(code) > 1})
    if doubled:
        raise FormatRegistryError(f"格式代码重复：{', '.join(doubled)}")
    timeline = sorted((f for f in formats if not f.variant_of), key=lambda f: f.first_year)
    ended = {}
    for fmt, following in zip(timeline, [*timeline[1:], None], strict=True):
        if following is None:
            ended[fmt.code] = fmt
            continue
        if following.first_year == fmt.first_year:
            raise FormatRegistryError(
                f"格式 {fmt.code} 与 {following.code} 都从 {fmt.first_year} 年起施行，"
                "无法确定该年度使用哪一个：请修改其中一个的 first_year"
            )
        if fmt.last_year is None:
            fmt = dataclasses.replace(fmt, last_year=following.first_year - 1)
        elif fmt.last_year >= following.first_year:
            raise FormatRegistryError(
                f"格式 {fmt.code} 施行至 {fmt.last_year} 年，"
                f"与 {following.code}（{following.first_year} 年起）重叠"
            )
        ended[fmt.code] = fmt
    variants = {f.code: f for f in formats if f.variant_of}
    return {**ended, **variants}


FORMATS: dict[str, Format] = build_registry(discover())


def get_format(code: str) -> Format:
    """The format with this code; KeyError naming the known codes otherwise."""
    try:
        return FORMATS[code]
    except KeyError:
        raise KeyError(f"unknown format {code!r} (known: {', '.join(FORMATS)})") from None


def find_format(code: str | None) -> Format | None:
    """Like `get_format`, but None for an unknown or empty code."""
    return FORMATS.get(code or "")


def narrative_format(code: str) -> NarrativeFormat:
    """The narrative (正文) of the format `code`; KeyError naming the known codes."""
    return get_format(code).narrative


def format_choices() -> list[tuple[str, str]]:
    """(code, Chinese name) pairs, oldest first — ready for a model field's ``choices``."""
    return [(fmt.code, fmt.name) for fmt in FORMATS.values()]


def format_for_year(year: int) -> Format:
    """The national format a report for `year` is filed in (the earliest format for older years)."""
    timeline = [fmt for fmt in FORMATS.values() if not fmt.variant_of]
    for fmt in timeline:
        if fmt.covers(year):
            return fmt
    return timeline[0]
