"""Check a filing's values against its format: cell types, blanks, and the 勾稽关系 rules.

Pure Python (no Django); the entry pages, the submit transition, the reviewer's page and
`validate_reports` all call `validate` (through `reports.findings.filing_findings`).

Blank policy
------------
A cell is *blank* when its value is None (or the key is missing); blank is not 0 — real filings
leave 总计 cells empty (上海2019), and reading that as 0 would flag rows that are merely
unfinished. Therefore (issue 15, `reports.formats.blanks`):

* every blank value cell is reported, grouped by table (rule_id ``"required"``): an ERROR
  「未填写（无数据请填 0）」 in a live filing, a WARNING 「原表空白」 in a 历史补录 filing
  (``historical=True``: the printed report left it blank, the filer explains why);
* a rule skips (reports nothing of its own) when any cell it reads is blank, and the rules so
  skipped are reported once per table as a HINT (rule_id ``"unchecked"``):
  「无法核对：<rules>——<blank cells> 空白」;
* type checks (rule_id ``"type"``, ERROR) look only at filled cells: a negative value where the
  cell is unsigned, a fraction in an int cell, more decimals than the cell allows.

Cross-year rules need ``previous=(previous_format, previous_values)``; without it they skip (no
hint: nothing is blank). When last year's filing is in another format (2020 gb2019 → 2021
gb2021) cells are matched by code and whatever last year's format lacks is skipped silently.

Findings come in a stable order: type, required, the format's rules in declared order, then
the 「无法核对」 hints.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from reports.formats.base import (
    INT,
    CellSpec,
    Finding,
    Format,
    Severity,
    Table,
    brief,
    format_number,
)
from reports.formats.blanks import blank_finding, blocked_by, unchecked_findings

if TYPE_CHECKING:
    from reports.formats.rules import Previous

__all__ = ["Finding", "Severity", "validate", "errors", "warnings", "hints"]

SHOWN_ROWS = 8  # a "required" finding names the blank cells of this many rows, then "等N行"


def validate(
    fmt: Format,
    values: Mapping[str, Decimal | None],
    previous: Previous = None,
    *,
    historical: bool = False,
) -> list[Finding]:
    """All findings for `values` (cell code → Decimal or None) filed in `fmt`; `historical`:
    a 历史补录 filing, whose blank cells are warnings (原表空白) rather than errors."""
    findings = check_types(fmt, values)
    findings += check_blanks(fmt, values, historical=historical)
    blocked = []
    for rule in fmt.rules:
        found = rule.check(values, previous)
        findings += found
        blanks = () if found else blocked_by(rule, values, previous)
        if blanks:
            blocked.append((rule, blanks))
    tables = {table.code: table for table in fmt.tables}

    def whole(table_code: str, cells: set[str]) -> str:
        table = tables[table_code]
        if all(values.get(c.code) is None for c in table.cells()):
            return f"{_table_name(table)}全表"  # "表三 全表 空白"
        return ""

    findings += unchecked_findings(
        blocked,
        group_of=lambda code: fmt.cell(code).table_code,
        label=lambda code: fmt.cell(code).label,
        whole=whole,
    )
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.WARNING]


def hints(findings: list[Finding]) -> list[Finding]:
    """Findings shown for the reader only: no explanation is asked for them."""
    return [f for f in findings if f.severity == Severity.HINT]


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


def check_blanks(
    fmt: Format, values: Mapping[str, Decimal | None], *, historical: bool = False
) -> list[Finding]:
    """One "required" finding per table with blank cells, naming them by their printed labels
    (a whole blank table at once, else row by row)."""
    findings = []
    for table in fmt.tables:
        cells = table.cells()
        blank = [spec for spec in cells if values.get(spec.code) is None]
        if not blank:
            continue
        codes = [spec.code for spec in blank]
        if len(blank) == 1:
            what, detail = blank[0].label, ""
        elif len(blank) == len(cells):
            what, detail = f"{_table_name(table)}全表", f"共{len(cells)}格"
        else:
            what, detail = f"{_table_name(table)}共{len(blank)}格", _by_row(table, blank)
        findings.append(blank_finding(codes, what, detail, historical=historical))
    return findings


def _table_name(table: Table) -> str:
    """ "表三 " for a numbered table, "统计表 " for the 2014 one."""
    return f"表{table.number} " if table.number else "统计表 "


def _by_row(table: Table, blank: list[CellSpec]) -> str:
    """ "一、本年新收…·自然人、商业企业；四、结转下年度继续办理（整行）" — the single-value
    table's cells are rows already: their labels."""
    if table.single_value:
        labels = [spec.label for spec in blank]
    else:
        rows: dict[str, list[CellSpec]] = {}
        for spec in blank:
            rows.setdefault(spec.row_code, []).append(spec)
        labels = []
        for row_code, specs in rows.items():
            row = table.row(row_code)
            where = table.path(row) if row.label else ""
            if len(specs) == len(table.row_columns(row)) and len(specs) > 1:
                labels.append(f"{where}（整行）")
                continue
            names = "、".join(_column_name(table, spec) for spec in specs)
            labels.append("·".join(part for part in (where, names) if part))
    more = f"等{len(labels)}行" if len(labels) > SHOWN_ROWS else ""
    return "；".join(labels[:SHOWN_ROWS]) + more


def _column_name(table: Table, spec: CellSpec) -> str:
    column = table.column(spec.column_code)
    return f"{column.group}·{brief(column.label)}" if column.group else brief(column.label)


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
