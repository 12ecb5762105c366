"""Checking one stored 政府网站工作年度报表: types, completeness, then the 勾稽 rules.

Pure Python (no Django). The fields are declared in `reports.formats.website`, the rules in
`reports.formats.website_rules`; this module runs both over a stored form, so neither of them
needs the other at run time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .blanks import blank_finding, blocked_by, is_blank, unchecked_findings
from .rules import Finding, Severity
from .website import NUMERIC, WEBSITE_FORM, Field, FieldError, MediaAccount
from .website_rules import (
    CHOICE_RULES,
    MEDIA_RULES,
    NARRATIVE_RULES,
    NUMBER_RULES,
    STATISTICS_RULES,
)

if TYPE_CHECKING:
    from .base import Format


def validate_website(
    values: Mapping[str, object],
    media: Sequence[MediaAccount],
    *,
    statistics: tuple[Format, Mapping] | None = None,
    narrative: str = "",
    historical: bool = False,
) -> list[Finding]:
    """All findings for a stored 报表 (field code → typed value) and its media accounts.

    ``statistics=(format, values)``: the same year's 统计表 (rules w27a–b, e–f, gb2014 only);
    ``narrative``: the report's text (w27c–d). Order: type, required, rules w22…w27f, then the
    「无法核对」 hint for the rules that blank fields kept from being checked.
    Blank required fields are reported by part of the form ("required", `reports.formats.blanks`):
    an ERROR, or a 「原表空白」 WARNING when `historical` (a 历史补录 filing); the
    tick boxes are rule w26's business, always checked (w26a: several boxes of a single choice
    ticked, as a 历史补录 filing may keep them). Text kept as printed in a number field is an
    ERROR of its own ("printed") and counts as blank for the rules.
    """
    findings, numbers = [], {}
    for field in WEBSITE_FORM.fields:
        value = values.get(field.code)
        if field.kind in NUMERIC:
            numbers[field.code] = None
        if value is None or field.kind in ("choice", "yesno"):
            continue
        if field.kind in NUMERIC and isinstance(value, str):
            # Text printed in a number field, kept as printed (历史补录, Field.parse_as_printed).
            message = (
                f"{field.name}：原表填写的是文字「{value}」，不是数字（已按原表记录，不参与核对）"
            )
            findings.append(Finding("printed", Severity.ERROR, message, (field.code,)))
            continue
        try:
            parsed = field.parse(value)
        except FieldError as error:
            findings.append(Finding("type", Severity.ERROR, str(error), (field.code,)))
            continue
        if field.kind in NUMERIC:
            numbers[field.code] = parsed
    findings += _blanks(values, historical=historical)
    blocked = []
    for rule in NUMBER_RULES:
        found = rule.check(numbers)
        findings += found
        blanks = () if found else blocked_by(rule, values)  # printed text is not blank
        if blanks:
            blocked.append((rule, blanks))
    for rule in CHOICE_RULES:
        findings += rule.check(values)
    for rule in STATISTICS_RULES:
        findings += rule.check(numbers, statistics)
    for rule in MEDIA_RULES:
        findings += rule.check_media(media, statistics)
    for rule in NARRATIVE_RULES:
        findings += rule.check_narrative(media, narrative)
    names = {field.code: field.name for field in WEBSITE_FORM.fields}
    findings += unchecked_findings(blocked, group_of=lambda code: "", label=names.__getitem__)
    return findings


def _blanks(values: Mapping[str, object], *, historical: bool) -> list[Finding]:
    """One "required" finding per part of the form (信息发布, 办事服务, …; the top fields and
    the footer are a part too) naming its blank required fields."""
    parts: dict[str, list[Field]] = {}
    for field in WEBSITE_FORM.fields:
        answered = field.kind in ("choice", "yesno") or not is_blank(values.get(field.code))
        if field.required and not answered:
            parts.setdefault(field.section, []).append(field)
    findings = []
    for section, fields in parts.items():
        numbers = any(field.kind in NUMERIC for field in fields)
        names = "、".join(field.name for field in fields)
        what = f"{section}（{names}）" if section and len(fields) > 1 else names
        codes = [field.code for field in fields]
        findings.append(
            blank_finding(codes, what, historical=historical, ask_zero=numbers, joiner="：")
        )
    return findings
