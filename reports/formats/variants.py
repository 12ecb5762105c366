"""Declared variants of a national format: a regional or legacy layout, mapped onto it.

Pure Python (no Django). A variant (福建's 统计表 with 本年度 / 历年累计, a 2021 report printed
with 2019's single （六）其他处理 row) is a `Format` of its own — its own tables, rows, columns
and rules, so every cell is entered, checked, shown and exported as printed — with
``variant_of`` naming its national format and ``twins`` mapping each of its cells that means the
same as a national cell of another code onto that cell's code; a cell under a national cell's
code is that cell (see docs/decisions/0011-format-variants.md).

* `national_values` is the one way a variant filing's values are read as the national format's
  (汇总, trends): twins under the national code, the variant's own cells under their own codes.
* `variant` declares one: the national narrative and trend indicators are carried over through
  the twins, so a variant module lists only what differs.
* `translate` says where each cell of a filing goes when the filing changes from one format of
  a family to another (`reports.services.report_choose_format`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal

from .base import Format, Table
from .narrative import IfZero, NarrativeFormat
from .rules import Rule

_FIGURE = re.compile(r"\{([^{}]+)\}")


def national_values(fmt: Format, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """`values` of a filing in format `fmt`, keyed by the national format's cell codes where the
    cell has a national twin; a variant's cells without one stay under their own codes. For a
    national format, a copy."""
    if not fmt.variant_of:
        return dict(values)
    return {fmt.twins.get(code, code): value for code, value in values.items()}


def translate(codes: Iterable[str], source: Format, target: Format) -> dict[str, str | None]:
    """Where each cell code of a filing in `source` goes in `target` (two formats of one family:
    a national format and its variants): the same cell, its twin, or None when `target` has no
    cell that means the same."""
    to_target = {national: own for own, national in target.twins.items()}
    result: dict[str, str | None] = {}
    for code in codes:
        national = source.twins.get(code, code) if source.variant_of else code
        mapped = to_target.get(national, national) if target.variant_of else national
        # A variant's own cell exists in `target` only if `target` declares that very cell.
        result[code] = mapped if target.has_cell(mapped) else None
    return result


def variant(
    national: Format,
    *,
    code: str,
    name: str,
    tables: tuple[Table, ...],
    rules: tuple[Rule, ...],
    twins: Mapping[str, str],
    document: str = "",
    renames: Mapping[str, str] | None = None,
) -> Format:
    """A variant of `national`: the given tables, rules and twins, and the national narrative
    and indicators read through the twins (`renames`: a draft figure such as
    ``"t3-r3_6_1-c7+t3-r3_6_2-c7+t3-r3_6_3-c7"`` → the variant's expression for it). A draft
    sentence whose figure has no twin is left out of the draft, as for a blank figure."""
    cells = {spec.code for table in tables for spec in table.cells()}
    own = {code: code for code in cells if national.has_cell(code)}
    own |= {national_code: variant_code for variant_code, national_code in twins.items()}
    indicators = {
        key: tuple(own[cell] for cell in cells)
        for key, cells in national.indicators.items()
        if all(cell in own for cell in cells)
    }
    return Format(
        code=code,
        name=name,
        document=document or national.document,
        first_year=national.first_year,
        last_year=national.last_year,
        tables=tables,
        rules=rules,
        narrative=_narrative(national.narrative, own, renames or {}, tables),
        indicators=indicators,
        variant_of=national.code,
        twins=dict(twins),
    )


def _narrative(
    narrative: NarrativeFormat,
    own: Mapping[str, str],
    renames: Mapping[str, str],
    tables: tuple[Table, ...],
) -> NarrativeFormat:
    cells = {spec.code for table in tables for spec in table.cells()}

    def figure(expression: str) -> str:
        if expression in renames:
            return renames[expression]
        return "+".join(own.get(term, term) for term in expression.split("+"))

    def sentence(text):
        if isinstance(text, IfZero):
            return IfZero(figure(text.cells), sentence(text.zero), sentence(text.other))
        if isinstance(text, str):
            return _FIGURE.sub(lambda m: "{" + figure(m.group(1)) + "}", text)
        return text  # Otherwise: no figures

    drafts = {
        key: tuple(tuple(sentence(s) for s in paragraph) for paragraph in paragraphs)
        for key, paragraphs in narrative.drafts.items()
    }
    quotes = []
    for quote in narrative.quotes:
        groups = (tuple(own.get(c, c) for c in group) for group in quote.accept)
        accept = tuple(group for group in groups if all(c in cells for c in group))
        if accept:
            quotes.append(replace(quote, accept=accept))
    # Statements of outcome (「均获维持」) deny cells: kept where the variant has every one.
    outcomes = []
    for outcome in getattr(narrative, "outcomes", ()):
        denies = tuple(own.get(c, c) for c in outcome.denies)
        if all(c in cells for c in denies):
            outcomes.append(replace(outcome, denies=denies))
    codes = [table.code for table in tables]
    placed = {section.table for section in narrative.sections}
    after = tuple(code for code in narrative.tables_after if code in codes)
    if narrative.tables_after and not after:
        after = tuple(code for code in codes if code not in placed)
    extra = {"outcomes": tuple(outcomes)} if hasattr(narrative, "outcomes") else {}
    return replace(narrative, drafts=drafts, quotes=tuple(quotes), tables_after=after, **extra)
