"""Checking one stored 政府网站工作年度报表: types, completeness, then the 勾稽 rules.

Pure Python (no Django). The fields are declared in `reports.formats.website`, the rules in
`reports.formats.website_rules`; this module runs both over a stored form, so neither of them
needs the other at run time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .rules import Finding, Severity
from .website import NUMERIC, WEBSITE_FORM, Field, FieldError, MediaAccount
from .website_rules import CHOICE_RULES, NARRATIVE_RULES, NUMBER_RULES, STATISTICS_RULES

if TYPE_CHECKING:
    from .base import Format


def validate_website(
    values: Mapping[str, object],
    media: Sequence[MediaAccount],
    *,
    statistics: tuple[Format, Mapping] | None = None,
    narrative: str = "",
    require_complete: bool = False,
) -> list[Finding]:
    """All findings for a stored 报表 (field code → typed value) and its media accounts.

    ``statistics=(format, values)``: the same year's 统计表 (rules w27a–b, gb2014 only);
    ``narrative``: the report's text (w27c–d). Order: type, required, then rules w22…w27d.
    ``require_complete`` (submission): a blank required field is an ERROR ("required"); the
    tick boxes are rule w26's business, always checked.
    """
    findings, numbers = [], {}
    for field in WEBSITE_FORM.fields:
        value = values.get(field.code)
        if field.kind in NUMERIC:
            numbers[field.code] = None
        if value is None or field.kind in ("choice", "yesno"):
            continue
        try:
            parsed = field.parse(value)
        except FieldError as error:
            findings.append(Finding("type", Severity.ERROR, str(error), (field.code,)))
            continue
        if field.kind in NUMERIC:
            numbers[field.code] = parsed
    if require_complete:
        findings += [
            Finding("required", Severity.ERROR, f"{field.name}：{_missing(field)}", (field.code,))
            for field in WEBSITE_FORM.fields
            if field.required
            and field.kind not in ("choice", "yesno")
            and values.get(field.code) in (None, "")
        ]
    for rule in NUMBER_RULES:
        findings += rule.check(numbers)
    for rule in CHOICE_RULES:
        findings += rule.check(values)
    for rule in STATISTICS_RULES:
        findings += rule.check(numbers, statistics)
    for rule in NARRATIVE_RULES:
        findings += rule.check_narrative(media, narrative)
    return findings


def _missing(field: Field) -> str:
    return "未填写（无数据请填 0）" if field.kind in ("count", "decimal") else "未填写"
