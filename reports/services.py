"""Writes and domain helpers that are not workflow moves (those are in workflow.py)."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.access import access_for, subtree_ids
from reports.formats import format_for_year
from reports.models import (
    Agency,
    AnnualReport,
    Membership,
    ReportValue,
    ReviewComment,
    ValueChange,
    due_dates_for,
)
from reports.numbers import NumberError, format_number, parse_number, shorten, text_refusal


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
    """The filing's contents may not change now (see `edit_refusal`); the message says why.

    Once a filing has left 填报中 the database refuses its contents too (triggers)."""


class EditConflict(Exception):
    """Someone saved the filing after this form was opened; nothing was saved."""


def period_accepts_edits(report: AnnualReport) -> bool:
    """A closed period takes no more edits, except corrections the coordinator reopened."""
    return report.period.is_open or report.revision > 1


def edit_refusal(report: AnnualReport, user=None) -> str | None:
    """Why the contents of `report` may not change now, in Chinese; None when they may.

    The one rule for every write of a filing's contents (table values, website forms,
    narrative), whatever the door: entry forms, workbook and period-sheet imports, commands.
    With a `user`, they must be the agency's 填报人 or a coordinator of it (a superuser may);
    `user=None` is the server operator or the program itself, and skips that check.
    Then the filing must be 填报中, in an open period unless it is a correction the
    coordinator reopened. `report` may be unsaved (a filing an import would create).
    Each message names the filing (agency, year). Reads `report.agency` and `report.period`.
    """
    agency, year = report.agency, report.period.year
    if user is not None:
        access = access_for(user)
        if not (
            access.has_role(agency.pk, Membership.Role.FILER) or access.can_manage_agency(agency.pk)
        ):
            return f"用户「{user.get_username()}」无权修改「{agency.name}」{year}年度的报告。"
    if report.status != AnnualReport.Status.DRAFT:
        return (
            f"「{agency.name}」{year}年度的报告状态为“{report.get_status_display()}”，"
            "内容已锁定，不能修改。"
        )
    if not period_accepts_edits(report):
        return (
            f"「{agency.name}」{year}年度的报告不能修改：{year}年度已关闭填报。"
            "如需补报，请联系主管部门重新开放。"
        )
    return None


# Filings whose change is already counted by an enclosing `one_edit` block.
_counted: ContextVar[frozenset[int]] = ContextVar("edits_counted", default=frozenset())


def lock_for_edit(
    report: AnnualReport, expected_version: int | None = None, *, user=None
) -> AnnualReport:
    """Row-lock `report` for a change of its contents and count the change.

    Call inside a transaction before writing values, website forms or the
    narrative. Raises ReportLocked when `edit_refusal` refuses (the row as
    locked, and `user` if given), and EditConflict when `expected_version`
    (the version the form was opened at) is no longer current.
    Side effect: bumps `version`, except inside a `one_edit` block for this
    filing, which has counted (and version-checked) the change already.
    """
    current = (
        AnnualReport.objects.select_related("agency", "period")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )
    refusal = edit_refusal(current, user)
    if refusal:
        raise ReportLocked(refusal)
    if current.pk in _counted.get():
        return current
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


@contextmanager
def one_edit(report: AnnualReport, expected_version: int | None = None, *, user=None):
    """A block of writes to `report` that counts as one change: `version` goes up by one.

    For an import that writes values, website forms and narrative through their own
    services, each of which calls `lock_for_edit`: the block locks and checks once
    (as `lock_for_edit`, yielding the locked filing) and in it those calls re-check
    the rule but neither count again nor compare versions. Runs in one transaction.
    """
    with transaction.atomic():
        current = lock_for_edit(report, expected_version, user=user)
        token = _counted.set(_counted.get() | {current.pk})
        try:
            yield current
        finally:
            _counted.reset(token)


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

    `entries` maps cell code → (value text, note text). Unknown codes are refused, and so
    is every value `parse_number` refuses (which bounds it to what the column holds) and
    every note `text_refusal` refuses; each message starts with the cell's label.
    """
    values, notes, errors = {}, {}, {}
    for code, (raw_value, raw_note) in entries.items():
        if not fmt.has_cell(code):
            errors[code] = f"未知单元格「{shorten(code)}」（不属于{fmt.name}）"
            continue
        spec = fmt.cell(code)
        problems = []
        try:
            values[code] = parse_number(
                raw_value, unit=spec.unit, decimals=spec.decimals, signed=spec.signed
            )
        except NumberError as problem:
            problems.append(str(problem))
        note = (raw_note or "").strip()
        if refusal := text_refusal(note, NOTE_MAX_LENGTH):
            problems.append(f"备注{refusal}")
        if problems:
            errors[code] = f"{spec.label}：{'；'.join(problems)}"
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
    Raises ReportLocked / EditConflict (see `lock_for_edit`; `by`, when given, must
    be allowed to edit the agency's contents).
    Side effects: one ValueChange row per changed cell; `version` bumped.
    """
    fmt = report.format
    values, notes = parse_entries(fmt, entries)
    lock_for_edit(report, expected_version, user=by)
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


def report_fill_blank_with_zero(
    *, report: AnnualReport, by, table_code: str, expected_version: int | None = None
) -> list[str]:
    """「其余未填写的填 0」: every input cell of table `table_code` that holds no value gets 0.

    Cells that hold a value, notes and the other tables are left as they are; so are totals,
    but for a blank total, which gets the sum of its parts as the entry form computes it (0 once
    its blank parts are 0), so that the table stays consistent. Returns the codes written,
    input cells first. Raises KeyError for a table the filing's format has not, and
    ReportLocked / EditConflict as `lock_for_edit` (`by` must be allowed to edit the filing).
    Side effects: one ValueChange row per written cell (source 在线填报); `version` bumped once.
    """
    fmt = report.format
    table = fmt.table(table_code)
    with one_edit(report, expected_version, user=by):
        stored = {
            code: (value, note)
            for code, value, note in ReportValue.objects.filter(report=report).values_list(
                "code", "value", "note"
            )
        }

        def blank(code: str) -> bool:
            return stored.get(code, (None, ""))[0] is None

        zeros = {
            spec.code: Decimal(0)
            for spec in table.cells()
            if not spec.computed_from and blank(spec.code)
        }
        known = {code: value for code, (value, _) in stored.items() if value is not None}
        totals = fmt.compute_totals(known | zeros)
        sums = {
            spec.code: totals[spec.code]
            for spec in table.cells()
            if spec.computed_from and blank(spec.code) and totals.get(spec.code) is not None
        }
        entries = {
            code: (format_number(value), stored.get(code, (None, ""))[1])
            for code, value in (zeros | sums).items()
        }
        report_save_values(report=report, by=by, entries=entries, compute_totals=False)
    return list(entries)


def review_comment_resolve(*, comment: ReviewComment, by, resolved: bool) -> ReviewComment:
    """The filer ticks a return reason off (`resolved`) or on again.

    The reasons are the to-do list of whoever may now edit the filing's contents
    (`edit_refusal`: its 填报人 or coordinator, the filing back in 填报中); anyone else gets
    ReportLocked. Side effect: `resolved_at` set to now or cleared (unchanged when it already
    says so).
    """
    refusal = edit_refusal(comment.report, by)
    if refusal:
        raise ReportLocked(refusal)
    if resolved != (comment.resolved_at is not None):
        comment.resolved_at = timezone.now() if resolved else None
        comment.save(update_fields=["resolved_at"])
    return comment
