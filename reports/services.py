"""Writes and domain helpers that are not workflow moves (those are in workflow.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.access import subtree_ids
from reports.formats import format_for_year
from reports.models import Agency, AnnualReport, ReportValue, ValueChange, due_dates_for
from reports.numbers import NumberError, parse_number


def agency_check_parent(*, agency: Agency, parent: Agency) -> None:
    """Refuse a parent that would put `agency` under itself."""
    if parent.pk == agency.pk or parent.pk in subtree_ids({agency.pk}):
        raise ValidationError("上级单位不能是本单位或其下级单位。", code="cycle")


def current_report_year() -> int:
    """Reports are written early in the year about the year before."""
    return timezone.localdate().year - 1


def period_defaults(year: int) -> dict:
    """Initial values for a new reporting period on `year`."""
    department_due, government_due = due_dates_for(year)
    return {
        "year": year,
        "format_code": format_for_year(year).code,
        "opens_on": datetime.date(year + 1, 1, 1),
        "department_due": department_due,
        "government_due": government_due,
    }


class ReportLocked(Exception):
    """The filing has left 填报中: its contents are read-only (the database refuses too)."""


class EditConflict(Exception):
    """Someone saved the filing after this form was opened; nothing was saved."""


def period_accepts_edits(report: AnnualReport) -> bool:
    """A closed period takes no more edits, except corrections the coordinator reopened."""
    return report.period.is_open or report.revision > 1


def lock_for_edit(report: AnnualReport, expected_version: int | None = None) -> AnnualReport:
    """Row-lock `report` for a change of its contents and count the change.

    Call inside a transaction before writing values, website forms or the
    narrative. Raises ReportLocked unless the filing is a draft in an open
    period (or a reopened correction), and
    EditConflict when `expected_version` (the version the form was opened
    at) is no longer current. Side effect: bumps `version`.
    """
    current = (
        AnnualReport.objects.select_related("period")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )
    if current.status != AnnualReport.Status.DRAFT:
        raise ReportLocked(
            f"该报告当前状态为“{current.get_status_display()}”，内容已锁定，不能修改。"
        )
    if not period_accepts_edits(current):
        raise ReportLocked(
            f"{current.period.year}年度已关闭填报，不能修改。如需补报，请联系主管部门重新开放。"
        )
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(
            "保存冲突：在您填写期间，他人已保存了该报告，本次未保存。您填写的内容仍保留在页面上："
            "请核对后再次点击“保存”以您的内容为准，或刷新页面查看他人保存的内容。"
        )
    AnnualReport.objects.filter(pk=report.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    current.version += 1
    return current


class EntryError(Exception):
    """Some typed cells are not acceptable; nothing was saved.

    `errors` maps cell code → Chinese message naming the cell and the text.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


NOTE_MAX_LENGTH = ReportValue._meta.get_field("note").max_length


def parse_entries(fmt, entries: dict[str, tuple[str, str]]) -> tuple[dict, dict]:
    """Typed text → (values, notes) for the cells in `entries`; EntryError if any is refused.

    `entries` maps cell code → (value text, note text). Unknown codes are refused.
    """
    values, notes, errors = {}, {}, {}
    for code, (raw_value, raw_note) in entries.items():
        if not fmt.has_cell(code):
            errors[code] = f"未知单元格「{code}」（不属于{fmt.name}）"
            continue
        spec = fmt.cell(code)
        try:
            values[code] = parse_number(
                raw_value, unit=spec.unit, decimals=spec.decimals, signed=spec.signed
            )
        except NumberError as problem:
            errors[code] = f"{spec.label}：{problem}"
        note = (raw_note or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            errors[code] = f"{spec.label}：备注不能超过{NOTE_MAX_LENGTH}字"
        notes[code] = note
    if errors:
        raise EntryError(errors)
    return values, notes


@transaction.atomic
def report_save_values(
    *,
    report: AnnualReport,
    by,
    entries: dict[str, tuple[str, str]],
    source: str = ValueChange.Source.FORM,
    compute_totals: bool = True,
    expected_version: int | None = None,
) -> int:
    """Store typed cells of a filing; returns how many cells changed.

    All or nothing: any refused cell raises EntryError and nothing is written.
    With `compute_totals` (the entry form) every total cell is set to the sum
    of its parts; an import passes False so totals are kept as given and the
    validation flags any mismatch. Cells absent from `entries` are untouched.
    Raises ReportLocked / EditConflict (see `lock_for_edit`).
    Side effects: one ValueChange row per changed cell; `version` bumped.
    """
    fmt = report.format
    values, notes = parse_entries(fmt, entries)
    lock_for_edit(report, expected_version)
    existing = {row.code: row for row in ReportValue.objects.filter(report=report)}
    if compute_totals:
        merged = {code: row.value for code, row in existing.items()} | values
        for code, total in fmt.compute_totals(merged).items():
            if fmt.cell(code).computed_from:
                values[code] = total
                notes.setdefault(code, existing[code].note if code in existing else "")

    to_create, to_update, to_delete, audit = [], [], [], []
    for code, value in values.items():
        note = notes.get(code, "")
        row = existing.get(code)
        old_value, old_note = (row.value, row.note) if row else (None, "")
        if old_value == value and old_note == note:
            continue
        audit.append(
            ValueChange(
                report=report,
                code=code,
                old_value=old_value,
                new_value=value,
                old_note=old_note,
                new_note=note,
                actor=by,
                source=source,
            )
        )
        if value is None and not note:
            if row:
                to_delete.append(row.pk)
        elif row:
            row.value, row.note = value, note
            to_update.append(row)
        else:
            to_create.append(ReportValue(report=report, code=code, value=value, note=note))

    if to_delete:
        ReportValue.objects.filter(pk__in=to_delete).delete()
    if to_update:
        ReportValue.objects.bulk_update(to_update, ["value", "note"])
    if to_create:
        ReportValue.objects.bulk_create(to_create)
    if audit:
        ValueChange.objects.bulk_create(audit)
    return len(audit)
