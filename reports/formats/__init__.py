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
stop start-up with a message naming both. A declared variant (``variant_of`` set, built with
`reports.formats.variants`) is not a year of its own: it is registered by code, takes no part in
the timeline, and must map onto a registered national format (`_check_variant`). Today:

* ``gb2014-fujian`` — 福建's 统计表 (本年度 / 历年累计) of 2017–2018, a variant of gb2014;
* ``gb2014-fujian2013`` — the earlier 福建 统计表 (平潭县 2013), a variant of gb2014;
* ``gb2021-single6`` — the 2021 tables printed with 2019's single （六）其他处理 row.
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
    "family",
    "find_format",
    "format_choices",
    "format_for_year",
    "format_number",
    "get_format",
    "narrative_format",
    "national_code",
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
    for variant in variants.values():
        _check_variant(variant, ended.get(variant.variant_of))
    return {**ended, **variants}


def _check_variant(variant: Format, national: Format | None) -> None:
    """Raise FormatRegistryError unless `variant` maps onto a registered national format: its
    declared twins are cells of that format, and no national cell has two twins (a cell of the
    variant under a national cell's code is that cell's twin, `reports.formats.variants`)."""
    if national is None:
        raise FormatRegistryError(
            f"格式 {variant.code} 声明为 {variant.variant_of} 的变体，但没有这个全国格式"
        )
    strange = sorted(code for code in variant.twins.values() if not national.has_cell(code))
    if strange:
        raise FormatRegistryError(
            f"格式 {variant.code} 对应到 {national.code} 中不存在的单元格：{_some(strange)}"
        )
    doubled = sorted(
        code
        for own, code in variant.twins.items()
        if own != code and variant.has_cell(code) and variant.twins.get(code, code) == code
    )
    if doubled:
        raise FormatRegistryError(
            f"格式 {variant.code} 中有两个单元格对应 {national.code} 的同一单元格：{_some(doubled)}"
        )


def _some(codes: list[str]) -> str:
    shown = "、".join(codes[:5])
    return shown if len(codes) <= 5 else f"{shown}等{len(codes)}个"


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


def national_code(code: str) -> str:
    """The national format a format belongs to: itself, or the one it is a variant of."""
    return get_format(code).variant_of or code


def family(code: str) -> list[Format]:
    """The national format of `code` and its declared variants, national first: the formats a
    filing of a period in format `code` may be entered in."""
    national = national_code(code)
    return [fmt for fmt in FORMATS.values() if national in (fmt.code, fmt.variant_of)]


def format_for_year(year: int) -> Format:
    """The national format a report for `year` is filed in (the earliest format for older years)."""
    timeline = [fmt for fmt in FORMATS.values() if not fmt.variant_of]
    for fmt in timeline:
        if fmt.covers(year):
            return fmt
    return timeline[0]
