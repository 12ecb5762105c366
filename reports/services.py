"""Writes and domain helpers that are not workflow moves (those are in workflow.py)."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports import levels
from reports.access import access_for, subtree_ids
from reports.compilation import written_values
from reports.formats import family, find_format, format_for_year
from reports.formats.variants import translate
from reports.models import (
    Agency,
    AnnualReport,
    Compilation,
    Membership,
    ReportValue,
    ReviewComment,
    ValueChange,
    due_dates_for,
)
from reports.numbers import NumberError, format_number, read_number, shorten, text_refusal


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


def parse_entries(fmt, entries: dict[str, tuple[str, str]]) -> tuple[dict, dict, dict]:
    """Typed text → (values, notes, printed) for the cells in `entries`; EntryError if any is
    refused. `printed` holds, for a cell whose unit was converted (「1500元」 in a 万元 cell),
    the text as typed (`read_number`).

    `entries` maps cell code → (value text, note text). Unknown codes are refused, and so
    is every value `read_number` refuses (which bounds it to what the column holds) and
    every note `text_refusal` refuses; each message starts with the cell's label.
    """
    values, notes, printed, errors = {}, {}, {}, {}
    for code, (raw_value, raw_note) in entries.items():
        if not fmt.has_cell(code):
            errors[code] = f"未知单元格「{shorten(code)}」（不属于{fmt.name}）"
            continue
        spec = fmt.cell(code)
        problems = []
        try:
            values[code], printed[code] = read_number(
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
    return values, notes, printed


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
    values, notes, printed = parse_entries(fmt, entries)
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
        old_value, old_note, old_printed = (
            (row.value, row.note, row.printed) if row else (None, "", "")
        )
        # The text a converted value was typed as stays until the value itself changes: the
        # entry page posts the value back as a plain number.
        shown = printed.get(code) or (old_printed if value == old_value else "")
        if old_value == value and old_note == note and old_printed == shown:
            continue
        audit.append(
            ValueChange(
                report=report,
                code=code,
                old_value=old_value,
                new_value=value,
                old_note=old_note,
                new_note=note,
                old_text=old_printed,
                new_text=shown,
                actor=by,
                source=source,
            )
        )
        if value is None and not note:
            if row:
                to_delete.append(row.pk)
        elif row:
            row.value, row.note, row.printed = value, note, shown
            to_update.append(row)
        else:
            to_create.append(
                ReportValue(report=report, code=code, value=value, note=note, printed=shown)
            )

    if to_delete:
        ReportValue.objects.filter(pk__in=to_delete).delete()
    if to_update:
        ReportValue.objects.bulk_update(to_update, ["value", "note", "printed"])
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


def report_choose_format(
    *, report: AnnualReport, by, code: str, expected_version: int | None = None
) -> AnnualReport:
    """Enter the filing's tables in format `code`: its period's format, or another of the same
    family (a declared variant of it, or the national format of the variant it is).

    Every filled cell moves to the cell of `code` that means the same
    (`reports.formats.variants.translate`); when some has none, EntryError names each (its value
    or note must be cleared first) and nothing changes. Raises ReportLocked / EditConflict as
    `lock_for_edit` (the filing must be editable by `by`). Side effects: `format_code` set ("" for
    the period's own); one ValueChange row per cell that changes code, for the old and the new
    code; `version` bumped.
    """
    target = find_format(code)
    allowed = family(report.period.format_code)
    if target is None or target not in allowed:
        names = "、".join(fmt.name for fmt in allowed)
        raise EntryError(
            {"format": f"「{shorten(code)}」不是本年度可用的报告格式（可选：{names}）"}
        )
    with one_edit(report, expected_version, user=by) as current:
        source = current.format
        if source.code == target.code:
            return current
        rows = list(ReportValue.objects.filter(report=current))
        moves = translate([row.code for row in rows], source, target)
        lost = {
            row.code: f"{source.cell(row.code).label}：{target.name}中没有对应的单元格，"
            "请先清空该单元格（数值和备注）再更换格式"
            for row in rows
            if moves[row.code] is None
        }
        if lost:
            raise EntryError(lost)
        moved = [row for row in rows if moves[row.code] != row.code]
        audit = []
        for row in moved:
            new = moves[row.code]
            audit += [
                ValueChange(report=current, code=row.code, old_value=row.value, old_note=row.note,
                            old_text=row.printed, actor=by, source=ValueChange.Source.FORM),
                ValueChange(report=current, code=new, new_value=row.value, new_note=row.note,
                            new_text=row.printed, actor=by, source=ValueChange.Source.FORM),
            ]  # fmt: skip
        # Delete, then create: a moved cell may take a code another row is leaving.
        ReportValue.objects.filter(pk__in=[row.pk for row in moved]).delete()
        ReportValue.objects.bulk_create(
            ReportValue(report=current, code=moves[r.code], value=r.value, note=r.note,
                        printed=r.printed)
            for r in moved
        )  # fmt: skip
        ValueChange.objects.bulk_create(audit)
        current.format_code = "" if target.code == current.period.format_code else target.code
        current.save(update_fields=["format_code", "updated_at"])
    return current


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


# --- the 本级 report compiled from subordinate filings ----------------------------------------


@dataclass(frozen=True)
class Compiled:
    """What `report_compile` did: the filing, the preview it applied, the record it wrote."""

    report: AnnualReport
    preview: levels.CompilePreview
    compilation: Compilation
    changed: int  # cells written


def report_compile(
    *,
    agency: Agency,
    period,
    by,
    include: list[str] | None = None,
    expected_version: int | None = None,
    expected_sources: str | None = None,
) -> Compiled:
    """A government's 本级 statistics tables compiled from the filings `include` names (slugs;
    see `levels.chosen` for the default), creating its filing of `period` if it has none.

    Each cell gets the sum over the sources (`reports.compilation`); input cells typed by hand
    since the last compilation are kept, and the totals above them follow. The write goes the
    way of every edit (`one_edit`: `edit_refusal`, row lock, version check against
    `expected_version`); `by` must coordinate the government (None: the server operator).
    The source filings are row-locked while read; `expected_sources` (a preview's `stamp`)
    refuses with EditConflict when any of them changed since that preview. Raises
    levels.CompileRefusal, ReportLocked, EditConflict; nothing is written then.
    Side effects: one ValueChange per changed cell (source 汇总生成); one Compilation row;
    the filing's `version` bumped once.
    """
    levels.check_government(agency)
    if by is not None and not access_for(by).can_manage_agency(agency.pk):
        raise ReportLocked(f"只有「{agency.name}」的主管部门可以汇总生成本级报告。")
    with transaction.atomic():
        report, _ = AnnualReport.objects.get_or_create(agency=agency, period=period)
        with one_edit(report, expected_version, user=by) as current:
            below = subtree_ids({agency.pk}) - {agency.pk}
            # Lock the sources: a filing returned or reopened meanwhile waits for this write.
            list(
                AnnualReport.objects.select_for_update(of=("self",))
                .filter(period=period, agency_id__in=below)
                .values_list("pk", flat=True)
            )
            preview = levels.compile_preview(current, include)
            if expected_sources is not None and preview.stamp != expected_sources:
                raise EditConflict(
                    "汇总来源在预览之后有变化（有单位修改、更正或退回了报告），本次未写入。"
                    "请重新预览，核对后再应用。"
                )
            notes = dict(
                ReportValue.objects.filter(report=current)
                .exclude(note="")
                .values_list("code", "note")
            )
            entries = {
                code: (format_number(value) if value is not None else "", notes.get(code, ""))
                for code, value in written_values(preview.plans).items()
            }
            changed = 0
            if entries:
                changed = report_save_values(
                    report=current,
                    by=by,
                    entries=entries,
                    source=ValueChange.Source.COMPILE,
                    compute_totals=False,
                )
            compilation = Compilation.objects.create(
                report=current,
                compiled_by=by,
                sources=[source.to_json() for source in preview.sources],
                sums={p.code: str(p.summed) for p in preview.plans if p.summed is not None},
                cells_changed=changed,
            )
    current.refresh_from_db()
    return Compiled(current, preview, compilation, changed)
