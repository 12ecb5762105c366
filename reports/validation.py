"""Check a filing's values against its format: cell types, completeness, and the 勾稽关系 rules.

Pure Python (no Django); the entry page, the submit transition and the reviewer's page all call
`validate`.

Blank policy
------------
A cell is *blank* when its value is None (or the key is missing); blank is not 0 — real filings
leave 总计 cells empty (上海2019), and reading that as 0 would flag rows that are merely unfinished.
Therefore:

* a rule skips (no finding) when any cell it reads is blank;
* with ``require_complete=True`` (submission) every blank value cell is an ERROR with rule_id
  ``"required"`` — "<label> 未填写（无数据请填 0）"; the default (False) lets the entry page show
  partial work without that noise;
* type checks (rule_id ``"type"``, ERROR) look only at filled cells: a negative value where the
  cell is unsigned, a fraction in an int cell, more decimals than the cell allows.

Cross-year rules need ``previous=(previous_format, previous_values)``; without it they skip. When
last year's filing is in another format (2020 gb2019 → 2021 gb2021) cells are matched by code and
whatever last year's format lacks is skipped silently.

Findings come in a stable order: type, required, then the format's rules in declared order.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from reports.formats.base import INT, Finding, Format, Severity, format_number

if TYPE_CHECKING:
    from reports.formats.rules import Previous

__all__ = ["Finding", "Severity", "validate", "errors", "warnings"]


def validate(
    fmt: Format,
    values: Mapping[str, Decimal | None],
    previous: Previous = None,
    *,
    require_complete: bool = False,
) -> list[Finding]:
    """All findings for `values` (cell code → Decimal or None) filed in `fmt`."""
    findings = check_types(fmt, values)
    if require_complete:
        findings += check_required(fmt, values)
    for rule in fmt.rules:
        findings += rule.check(values, previous)
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.WARNING]


def check_types(fmt: Format, values: Mapping[str, Decimal | None]) -> list[Finding]:
    findings = []
    for spec in fmt.cells():
        value = values.get(spec.code)
        if value is None:
            continue
        problem = _type_problem(spec.kind, spec.decimals, spec.signed, Decimal(value))
        if problem:
            findings.append(
                Finding("type", Severity.ERROR, f"{spec.label} {problem}", (spec.code,))
            )
    return findings


def check_required(fmt: Format, values: Mapping[str, Decimal | None]) -> list[Finding]:
    return [
        Finding("required", Severity.ERROR, f"{spec.label} 未填写（无数据请填 0）", (spec.code,))
        for spec in fmt.cells()
        if values.get(spec.code) is None
    ]


def _type_problem(kind: str, decimals: int, signed: bool, value: Decimal) -> str:
    if not value.is_finite():
        return "不是有效数字"
    shown = format_number(value)
    if value < 0 and not signed:
        return f"不能为负数（填写的是 {shown}）"
    if kind == INT and value != value.to_integral_value():
        return f"应为整数（填写的是 {shown}）"
    exponent = value.normalize().as_tuple().exponent
    if kind != INT and isinstance(exponent, int) and -exponent > decimals:
        return f"最多保留{decimals}位小数（填写的是 {shown}）"
    return ""
