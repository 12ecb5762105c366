"""Previewing and applying a published report's reading to a filing (layer 5: Django).

The same path as the workbook import (`reports.spreadsheets.workbook_import`): `preview_report`
writes nothing and refuses at once when `services.edit_refusal` refuses the filing; it lists
every cell and section that would change, the cells flagged 「无法唯一拆分」 or unreadable (left
blank), and the findings validation would report on the result. `apply_report` writes all or
nothing in one `services.one_edit` block against the version the preview read — table values
through `services.report_save_values` (kept as printed: totals are not recomputed, so a
printed break stays visible to validation), sections through `narrative.narrative_save`, both
with ValueChange source 导入 — then records an ImportRecord whose summary keeps the provenance
of every value written (file SHA-256 in `sha256`; per cell its line(s), page, printed text,
raw run and status) and an entry in the filing's admin history.

For the pages: `cell_sources` (what the preview shows beside each cell) and `Tally` (a
reading counted: the summary of one file, also per file in bulk, `reports.backfill.bulk`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError

from reports.findings import filing_findings
from reports.formats.codes import section_code
from reports.formats.rules import Severity
from reports.models import AnnualReport, ImportRecord, ValueChange
from reports.narrative import check_texts, narrative_save
from reports.numbers import format_number
from reports.selectors import filing_data
from reports.services import EntryError, edit_refusal, one_edit, report_save_values
from reports.spreadsheets.workbook_import import log_history

from . import Document, Reading, read_document
from .reading import AMBIGUOUS, FLAGGED, VALUED

BLANK = "（空）"


class ReportImportError(Exception):
    """A refusal of the whole import (Chinese); `problems` lists what to fix."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Change:
    code: str
    label: str
    old: str
    new: str
    where: str  # 「第12行」「第2页第40行」
    printed: str  # the printed text the value came from


@dataclass
class ReportPreview:
    report: AnnualReport
    document: Document
    reading: Reading
    version: int
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)  # validation of the filing as it would be
    values: dict = field(default_factory=dict)  # the table values as they would be (code → Decimal)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == Severity.ERROR]


def preview_report(report: AnnualReport, document: Document, *, user=None) -> ReportPreview:
    """Every change reading `document` would bring to `report`; writes nothing.

    Raises ReportImportError at once when `services.edit_refusal` refuses the filing (to
    `user`, if given)."""
    report = AnnualReport.objects.select_related("agency", "period").get(pk=report.pk)
    if refusal := edit_refusal(report, user):
        raise ReportImportError(refusal)
    current = filing_data(report)
    reading = read_document(document, report.format)
    preview = ReportPreview(report, document, reading, report.version)
    values = dict(current.values)
    for cell in reading.cells.values():
        if cell.status not in VALUED:
            continue
        old = current.values.get(cell.code)
        if old == cell.value:
            continue
        preview.entries[cell.code] = (format_number(cell.value), current.notes.get(cell.code, ""))
        values[cell.code] = cell.value
        preview.changes.append(
            Change(
                cell.code,
                cell.label,
                BLANK if old is None else format_number(old),
                format_number(cell.value),
                cell.source.where(),
                cell.source.text,
            )
        )
    narrative = dict(current.narrative)
    texts = {key: section.text for key, section in reading.sections.items()}
    try:
        texts = check_texts(report.period.format_code, texts)
    except EntryError as problem:
        preview.problems += [f"正文：{message}" for message in problem.errors.values()]
    for key, text in texts.items():
        if narrative.get(key, "") == text:
            continue
        section = reading.sections[key]
        preview.texts[key] = text
        narrative[key] = text
        preview.changes.append(
            Change(
                section_code(key),
                section.title or "开头语",
                _short(current.narrative.get(key, "")) or BLANK,
                _short(text),
                section.source.where() if section.source else "",
                section.source.text if section.source else "",
            )
        )
    if not reading.values() and not reading.sections:
        preview.problems.append(
            f"「{document.name}」中没有找到{report.format.name}的统计表或正文，"
            "请确认文件与报告年度是否对应。"
        )
    would_be = current.__class__(**{**current.__dict__, "values": values, "narrative": narrative})
    preview.findings = filing_findings(would_be)
    preview.values = values
    return preview


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 40 else text[:40] + "…"


def apply_report(preview: ReportPreview, *, by) -> ImportRecord:
    """Write the previewed reading, all or nothing; returns the ImportRecord.

    Raises ReportImportError while the preview has problems or when the database refuses,
    ReportLocked when `services.edit_refusal` refuses (`by` included), EditConflict when the
    filing is no longer at `preview.version`. Counts as one change. Side effects: ValueChange
    rows (source 导入), ImportRecord (provenance in `summary`), LogEntry."""
    if preview.problems:
        raise ReportImportError(f"报告有{len(preview.problems)}处问题，未导入。", preview.problems)
    try:
        with one_edit(preview.report, preview.version, user=by) as report:
            changed = 0
            if preview.entries:
                changed += report_save_values(
                    report=report,
                    by=by,
                    entries=preview.entries,
                    source=ValueChange.Source.IMPORT,
                    compute_totals=False,
                )
            if preview.texts:
                changed += narrative_save(
                    report=report, by=by, texts=preview.texts, source=ValueChange.Source.IMPORT
                )
            return _record(preview, report, by, changed)
    except DatabaseError as problem:
        raise ReportImportError(
            f"数据库拒绝保存本次导入（{type(problem).__name__}），未导入，数据没有任何改动。"
        ) from problem


def provenance(reading: Reading) -> dict:
    """What the ImportRecord keeps: every cell read (value or flag) with its source."""
    cells = {}
    for cell in reading.cells.values():
        if cell.status in VALUED or cell.status in FLAGGED:
            cells[cell.code] = {
                "status": cell.status,
                "value": None if cell.value is None else format_number(cell.value),
                "message": cell.message,
                **(cell.source.to_json() if cell.source else {}),
            }
    return {
        "format": reading.format_code,
        "kind": reading.kind,
        "cells": cells,
        "sections": {
            key: section.source.to_json() if section.source else None
            for key, section in reading.sections.items()
        },
        "unplaced": [item.to_json() for item in reading.unplaced],
        "notes": reading.notes,
    }


def _record(preview: ReportPreview, report: AnnualReport, by, changed: int) -> ImportRecord:
    document, reading = preview.document, preview.reading
    flagged = len(reading.flagged())
    record = ImportRecord.objects.create(
        kind=ImportRecord.Kind.REPORT,
        report=report,
        period=report.period,
        user=by,
        file_name=document.name[:255],
        sha256=document.sha256,
        cells_changed=changed,
        summary={"changes": len(preview.changes), "flagged": flagged, **provenance(reading)},
    )
    log_history(
        [report],
        by,
        f"导入已发布报告「{document.name}」（SHA-256 {document.sha256[:12]}…），"
        f"修改{changed}处，{flagged}个单元格无法确定留空",
    )
    return record


# --- what a preview shows beside each cell ----------------------------------------------

SOURCE_LABELS = {
    "printed": "原文",
    "split": "由连写数字拆分",
    "blank": "原文空白",
    "ambiguous": AMBIGUOUS,
    "unreadable": "无法读取",
}


@dataclass(frozen=True)
class CellSource:
    """Beside a cell of the preview: where the report printed its value, or why it stays
    blank (`reports.rendering.render_tables(sources=…)`)."""

    status: str  # a CellReading status other than "missing"
    where: str  # 「第12行」「第2页第40行」
    text: str  # the row as printed, its line ends shown as 「 / 」
    raw: str  # the printed run the value came from (「801000081」)
    message: str  # a flagged cell: why it stays blank

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.status]

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


def cell_sources(reading: Reading) -> dict[str, CellSource]:
    """code → CellSource for every cell whose row the reading found (not the missing ones)."""
    sources = {}
    for cell in reading.cells.values():
        if cell.status not in SOURCE_LABELS:
            continue
        source = cell.source
        sources[cell.code] = CellSource(
            cell.status,
            source.where() if source else "",
            # The reader marks line ends with ⏎, which the admin's fonts may not draw.
            " / ".join(filter(None, source.text.split("⏎"))) if source else "",
            source.raw if source else "",
            cell.message,
        )
    return sources


@dataclass(frozen=True)
class Tally:
    """What a reading found, counted: the summary line of one file (admin page, bulk)."""

    found: int  # cells with a value (printed, or one split forced by the arithmetic)
    blank: int  # cells the report prints blank
    ambiguous: int  # 无法唯一拆分
    unreadable: int
    unplaced: int  # numbers no cell could take
    sections: int
    errors: int  # validation breaks (错误) of the filing as it would be
    warnings: int

    @classmethod
    def of(cls, preview: ReportPreview) -> Tally:
        reading = preview.reading
        return cls(
            found=reading.count(*VALUED),
            blank=reading.count("blank"),
            ambiguous=reading.count("ambiguous"),
            unreadable=reading.count("unreadable"),
            unplaced=len(reading.unplaced),
            sections=len(reading.sections),
            errors=sum(1 for f in preview.findings if f.severity == Severity.ERROR),
            warnings=sum(1 for f in preview.findings if f.severity == Severity.WARNING),
        )

    def to_json(self) -> dict:
        return dict(self.__dict__)
