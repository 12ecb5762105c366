"""The period sheet: one row per filing, one column per cell, headers 「<label>（<code>）」.

Analysts get every figure of a year in one sheet; a coordinator loads many filings at once
(past years included) by importing the same shape through `reports.resources.
PeriodSheetResource` (the admin's import page) or `reports.spreadsheets.period_import` (the
command line, a batch at a time, with the resource's rules). Columns are identified by the code in the header, so they may be
reordered and their label text may differ; a column whose code the period's format does not
have is refused. Notes and website forms do not travel in this sheet (the workbook carries
them); importing leaves every cell without a column, and every note, as it was.

`sheet_rows` reads an upload line by line, naming formulas; `load_dataset` reads it whole
with formulas refused; `dataset_bytes` writes one with text neutralised; `write_period_rows`
stores the changed rows in a bounded number of queries.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports import services
from reports.formats import CellSpec
from reports.models import AnnualReport, ImportRecord, ReportingPeriod, ReportValue, ValueChange
from reports.spreadsheets.safety import (
    CSV,
    XLSX,
    SpreadsheetError,
    Upload,
    decode_csv,
    formula_text,
    is_formula,
    neutralise,
)
from reports.spreadsheets.versions import changed_since_preview, created_since_preview

AGENCY, AGENCY_NAME, YEAR = "agency", "agency_name", "year"
KEY_HEADERS = {
    AGENCY: "单位标识（agency）",
    AGENCY_NAME: "单位名称（agency_name）",
    YEAR: "报告年度（year）",
}
MAX_ROWS = 20000
MAX_COLUMNS = 1000
BATCH = 2000
_CODE = re.compile(r"[（(]\s*([A-Za-z0-9_\-]+)\s*[）)]\s*$")


def cell_header(spec: CellSpec) -> str:
    return f"{spec.label}（{spec.code}）"


def header_code(header) -> str | None:
    """The code in 「…（t3-r1-c1）」, or None."""
    match = _CODE.search(str(header or "").strip())
    return match.group(1) if match else None


def file_name(period: ReportingPeriod, kind: str) -> str:
    return f"period-{period.year}-{period.format_code}.{kind}"


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


# --- reading -------------------------------------------------------------------------------


def load_dataset(upload: Upload) -> tablib.Dataset:
    """The first sheet (or the CSV) as a Dataset: headers from line 1, blank lines dropped.

    Raises SpreadsheetError naming every formula cell (line and column) and oversized sheets."""
    problems, dataset = [], None
    for _line, row, formulas in sheet_rows(upload):
        problems += formulas
        if dataset is None:
            dataset = tablib.Dataset(headers=headers_of(row))
        elif not formulas:
            dataset.append(fit(row, len(dataset.headers)))
    if problems:
        shown = problems[:20] + (
            [f"……另有{len(problems) - 20}处公式"] if len(problems) > 20 else []
        )
        raise SpreadsheetError(f"「{upload.name}」含有公式：" + "；".join(shown), problems)
    if dataset is None:
        raise SpreadsheetError(f"「{upload.name}」是空表。")
    # What the file was, for the ImportRecord.
    dataset.upload_name, dataset.upload_sha256 = upload.name, upload.sha256
    return dataset


def sheet_rows(upload: Upload):
    """(line, values, formula problems) of each non-blank line of the first sheet (or the
    CSV), read one at a time (openpyxl's read-only mode, the csv reader), so a sheet of any
    length takes the memory of a line. The header line comes first. Raises SpreadsheetError
    for an oversized sheet; a formula is not refused here but named in the line's problems
    (「第N行第M列（B2）：不能使用公式…」)."""
    kept = 0
    for line, row in enumerate(_xlsx_rows(upload) if upload.kind == XLSX else _csv_rows(upload), 1):
        if line == 1 and len(row) > MAX_COLUMNS:
            raise SpreadsheetError(
                f"「{upload.name}」有{len(row)}列，超过了{MAX_COLUMNS}列的上限。"
            )
        if all(value in (None, "") for value in row):
            continue
        kept += 1
        if kept > MAX_ROWS + 1:
            raise SpreadsheetError(f"「{upload.name}」超过了{MAX_ROWS}行的上限。")
        formulas = [
            f"第{line}行第{index + 1}列（{column_letter(index)}{line}）："
            f"不能使用公式（{formula_text(value)}），请填写数值"
            for index, value in enumerate(row)
            if is_formula(value)
        ]
        yield line, row, formulas


def headers_of(row) -> list[str]:
    return [("" if h is None else str(h).strip()) for h in row]


def fit(row, width: int) -> list:
    """`row` cut or padded with None to `width` values (the header line's)."""
    return list(row[:width]) + [None] * (width - len(row))


def _xlsx_rows(upload: Upload):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(upload.data), read_only=True, data_only=False)
    except Exception:
        raise SpreadsheetError(f"「{upload.name}」无法作为工作簿打开，文件可能已损坏。") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _csv_rows(upload: Upload):
    text = decode_csv(upload.data, upload.name)
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as problem:
        raise SpreadsheetError(f"「{upload.name}」不是有效的 CSV 文件（{problem}）。") from None


# --- writing -------------------------------------------------------------------------------


def dataset_bytes(dataset: tablib.Dataset, kind: str) -> bytes:
    """The dataset as an .xlsx or .csv file, every text cell neutralised against formulas."""
    safe = tablib.Dataset(headers=[neutralise(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([neutralise(value) for value in row])
    if kind == XLSX:
        return safe.export("xlsx")
    if kind == CSV:
        return safe.export("csv").encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    raise ValueError(kind)


# --- storing -------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    """One filing of an imported period sheet with its changed cells (code → (old, new))."""

    report: AnnualReport  # unsaved when the import creates the filing
    line: int
    version: int | None  # the filing's version when previewed; None: the import creates it
    changes: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)


def write_period_rows(
    *, period: ReportingPeriod, rows: list[PeriodRow], by, file_name: str, sha256: str
) -> int:
    """Store the changed cells of many filings at once; returns how many cells changed.

    Queries are bounded whatever the number of filings: the filings are row-locked and
    re-checked (`services.edit_refusal` for `by`, on the period as it is now; still at the
    version the preview read, and still absent where the import creates one), new filings
    and the cell rows are written with bulk statements. Notes are kept. Side effects:
    ValueChange (source 导入) per cell, `version` bumped, one ImportRecord and one admin
    history entry per filing.
    Raises SpreadsheetError (nothing written) when a filing is refused or moved since the
    preview, or when the database refuses the rows (said in Chinese, never with the
    database's text; the values were bounded by `parse_number` already, cell by cell)."""
    try:
        return _write_period_rows(
            period=period, rows=rows, by=by, file_name=file_name, sha256=sha256
        )
    except DatabaseError as problem:
        # The transaction above rolled back: nothing of this import is stored.
        raise SpreadsheetError(
            f"数据库拒绝保存本次导入（{type(problem).__name__}），本次未导入，数据没有任何改动。"
            "请检查表格中过大或格式异常的数字后重新导入。"
        ) from problem


@transaction.atomic
def _write_period_rows(*, period, rows, by, file_name, sha256) -> int:
    period = ReportingPeriod.objects.get(pk=period.pk)  # closed since the rows were read?
    existing = [row.report.pk for row in rows if row.report.pk]
    current = {
        report.pk: report
        for report in AnnualReport.objects.select_related("agency", "period")
        .select_for_update(of=("self",))
        .filter(pk__in=existing)
    }
    refused, moved = [], []
    for row in rows:
        if row.report.pk is None:
            row.report.period = period
        report = current.get(row.report.pk, row.report)
        if refusal := services.edit_refusal(report, by):
            refused.append(f"第{row.line}行：{refusal}")
        elif report.format.code != period.format_code:
            # A declared variant (福建's 统计表): its cells are not the sheet's columns.
            refused.append(
                f"第{row.line}行：「{report.agency.name}」{period.year}年度的报告按"
                f"「{report.format.name}」填写，不能用本年度汇总表导入，请用该报告的工作簿"
            )
        elif row.report.pk and report.version != row.version:
            moved.append(f"第{row.line}行：{changed_since_preview(report)}")
    # A filing another request created since the rows were read: the insert below would
    # hit the one-per-agency-and-period constraint.
    creating = {row.report.agency_id: row for row in rows if row.report.pk is None}
    for agency_id in AnnualReport.objects.filter(
        period=period, agency_id__in=list(creating)
    ).values_list("agency_id", flat=True):
        row = creating[agency_id]
        moved.append(
            f"第{row.line}行：{created_since_preview(row.report.agency.name, period.year)}"
        )
    if refused:
        raise SpreadsheetError("本次未导入：" + "；".join(refused), refused)
    if moved:
        raise SpreadsheetError("请重新预览后再导入：" + "；".join(moved), moved)
    new = [row.report for row in rows if row.report.pk is None]
    if new:
        AnnualReport.objects.bulk_create(new, batch_size=BATCH)
        ids = dict(
            AnnualReport.objects.filter(
                period=period, agency_id__in=[r.agency_id for r in new]
            ).values_list("agency_id", "pk")
        )
        for report in new:
            report.pk = ids[report.agency_id]

    by_report = {row.report.pk: row for row in rows}
    notes, stale = {}, []
    for pk, report_id, code, note in ReportValue.objects.filter(
        report_id__in=list(by_report)
    ).values_list("pk", "report_id", "code", "note"):
        if code in by_report[report_id].changes:
            notes[(report_id, code)] = note
            stale.append(pk)
    for start in range(0, len(stale), 900):
        ReportValue.objects.filter(pk__in=stale[start : start + 900]).delete()

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    actor = by.pk if by is not None else None
    fresh, audit, total = [], [], 0
    for report_id, row in by_report.items():
        for code, (old, value) in row.changes.items():
            note = notes.get((report_id, code), "")
            if value is not None or note:
                fresh.append((report_id, code, value, note))
            audit.append((report_id, code, old, value, note, note, "", "", actor, IMPORT, now))
        total += len(row.changes)
    insert_rows(ReportValue, ("report", "code", "value", "note"), fresh)
    insert_rows(ValueChange, AUDIT_COLUMNS, audit)
    AnnualReport.objects.filter(pk__in=list(by_report)).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    record_period_import(period=period, rows=rows, by=by, file_name=file_name, sha256=sha256)
    return total


IMPORT = ValueChange.Source.IMPORT.value
AUDIT_COLUMNS = (
    "report", "code", "old_value", "new_value", "old_note", "new_note",
    "old_text", "new_text", "actor", "source", "changed_at",
)  # fmt: skip


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT `rows` (values already in database form) as fast as the database allows.

    Why not bulk_create: for 1,000 filings × 200 cells it builds and compiles 400,000 model
    objects (two tables), about 20 s. PostgreSQL gets COPY (its row triggers still fire, so
    the lock on submitted filings holds); SQLite one prepared statement run by executemany.
    Decimals and ints pass as they are; datetimes go through `connection.ops` first."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The raw psycopg cursor: its errors become Django's (DataError …) only here.
            copy_sql = f"COPY {table} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        for start in range(0, len(rows), 10 * BATCH):
            cursor.executemany(sql, rows[start : start + 10 * BATCH])


def record_period_import(*, period, rows: list[PeriodRow], by, file_name: str, sha256: str):
    """One ImportRecord and one history entry per changed filing (one empty record if none)."""
    name = (file_name or "（未命名文件）")[:255]
    records = [
        ImportRecord(
            kind=ImportRecord.Kind.PERIOD,
            report_id=row.report.pk,
            period=period,
            user=by,
            file_name=name,
            sha256=sha256,
            cells_changed=len(row.changes),
            summary={"line": row.line, "created": row.version is None},
        )
        for row in rows
    ] or [
        ImportRecord(
            kind=ImportRecord.Kind.PERIOD,
            period=period,
            user=by,
            file_name=name,
            sha256=sha256,
            summary={"filings": 0},
        )
    ]
    ImportRecord.objects.bulk_create(records, batch_size=BATCH)
    if by is None or not rows:
        return
    content_type = ContentType.objects.get_for_model(AnnualReport)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                user_id=by.pk,
                content_type=content_type,
                object_id=str(row.report.pk),
                object_repr=str(row.report)[:200],
                action_flag=CHANGE,
                change_message=f"导入{period.year}年度汇总表「{name}」（SHA-256 {sha256[:12]}…）"
                f"第{row.line}行，修改{len(row.changes)}处",
            )
            for row in rows
        ],
        batch_size=BATCH,
    )
