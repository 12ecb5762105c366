"""Reads shaped for pages: every query a page needs is made here, bounded."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from reports import websites
from reports.filing_data import assemble, person_name
from reports.formats import Format, find_format
from reports.formats.website import WEBSITE_FORM
from reports.models import (
    Agency,
    AnnualReport,
    NarrativeSection,
    ReportValue,
    StatusChange,
    WebsiteForm,
)
from reports.narrative import narrative_findings, report_narrative_findings
from reports.numbers import format_number
from reports.validation import validate


def report_values(report: AnnualReport) -> tuple[dict, dict]:
    """(values, notes) of a filing: cell code → Decimal (blank cells absent), code → note."""
    values, notes = {}, {}
    for code, value, note in ReportValue.objects.filter(report=report).values_list(
        "code", "value", "note"
    ):
        if value is not None:
            values[code] = value
        if note:
            notes[code] = note
    return values, notes


def previous_filing(report: AnnualReport) -> tuple[Format, dict] | None:
    """(format, values) of the agency's filing for the year before, for cross-year rules."""
    previous = (
        AnnualReport.objects.filter(agency_id=report.agency_id, period__year=report.period.year - 1)
        .select_related("period")
        .first()
    )
    if previous is None:
        return None
    fmt = find_format(previous.period.format_code)
    if fmt is None:
        return None
    values, _ = report_values(previous)
    return fmt, values


def report_findings(report: AnnualReport, values: dict, *, require_complete=False) -> list:
    """Every rule finding of `report`: its tables (cross-year rules included), each
    website form (checked against the tables too), then its narrative."""
    findings = validate(
        report.format,
        values,
        previous_filing(report),
        require_complete=require_complete,
    )
    for form in report.website_forms.all():
        findings += websites.findings_for(form, statistics=(report.format, values))
    # The narrative's checks (empty sections, figures that contradict the tables,
    # 微博/微信 figures against the website form, same text as last year).
    findings += report_narrative_findings(report)
    return findings


def _values_by_report(report_ids) -> dict[int, dict]:
    values: dict[int, dict] = {report_id: {} for report_id in report_ids}
    rows = ReportValue.objects.filter(report_id__in=report_ids, value__isnull=False)
    for report_id, code, value in rows.values_list("report_id", "code", "value"):
        values[report_id][code] = value
    return values


def period_findings(year: int, agency_slug: str | None = None):
    """(report, findings) for every filing of `year` — tables, website forms and narrative,
    as on the filing's pages — in a fixed number of queries whatever their number."""
    reports = list(
        AnnualReport.objects.filter(period__year=year)
        .select_related("agency", "period", "submitted_by", "reviewed_by", "approved_by")
        .order_by("agency__slug")
    )
    if agency_slug:
        reports = [r for r in reports if r.agency.slug == agency_slug]
    previous = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            period__year=year - 1, agency_id__in=[r.agency_id for r in reports]
        ).select_related("agency", "period", "submitted_by", "reviewed_by", "approved_by")
    }
    everyone = reports + list(previous.values())
    ids = [r.pk for r in everyone]
    values = _values_by_report(ids)
    forms, sections = defaultdict(list), defaultdict(list)
    for form in WebsiteForm.objects.filter(report_id__in=ids).order_by("position"):
        forms[form.report_id].append(form)
    for section in NarrativeSection.objects.filter(report_id__in=ids):
        sections[section.report_id].append(section)

    def data(report):
        return assemble(report, values[report.pk], {}, forms[report.pk], sections[report.pk])

    for report in reports:
        before = previous.get(report.agency_id)
        before_format = before and find_format(before.period.format_code)
        prior = (before_format, values[before.pk]) if before_format else None
        findings = validate(report.format, values[report.pk], prior)
        for form in forms[report.pk]:
            statistics = (report.format, values[report.pk])
            findings += websites.findings_for(form, statistics=statistics)
        findings += narrative_findings(data(report), data(before) if before else None)
        yield report, findings


# --- workflow pages ----------------------------------------------------------------


def describe_code(fmt, code: str) -> str:
    """A person's name for a stored code: a table cell, a website field, a section."""
    if code.startswith("w") and ":" in code:
        position, name = code[1:].split(":", 1)
        if name == "media":
            return f"网站报表{position}·移动新媒体"
        try:
            return f"网站报表{position}·{WEBSITE_FORM.field(name).name}"
        except KeyError:
            return code
    if code.startswith("n:"):
        return f"正文·{code[2:]}"
    if fmt.has_cell(code):
        return fmt.cell(code).label
    return code


@dataclass
class Change:
    at: object
    actor: str
    what: str
    old: str
    new: str
    source: str


def _change_rows(report, queryset) -> list[Change]:
    fmt = report.format
    rows = []
    for change in queryset.select_related("actor"):
        old = format_number(change.old_value) if change.old_value is not None else change.old_text
        new = format_number(change.new_value) if change.new_value is not None else change.new_text
        if change.old_note != change.new_note:
            old, new = f"{old}（注：{change.old_note}）", f"{new}（注：{change.new_note}）"
        rows.append(
            Change(
                change.changed_at,
                person_name(change.actor) or "系统",
                describe_code(fmt, change.code),
                old or "（空）",
                new or "（空）",
                change.get_source_display(),
            )
        )
    return rows


def changes_since_return(report) -> list[Change]:
    """What the filer changed since the filing was last returned (for the reviewer)."""
    last_return = report.status_changes.filter(action="return").order_by("-at", "-id").first()
    if last_return is None:
        return []
    return _change_rows(report, report.value_changes.filter(changed_at__gte=last_return.at))


def review_targets(report) -> list[tuple[str, str]]:
    """Parts a return may be pinned to: each table, each website form, the narrative."""
    targets = [
        (f"table:{t.code}", f"统计表{t.number or ''} {t.title}") for t in report.format.tables
    ]
    targets += [
        (f"website:{form.position}", f"政府网站工作年度报表：{form}")
        for form in report.website_forms.all()
    ]
    targets.append(("narrative", "报告正文"))
    return targets


def describe_target(report, code: str) -> str:
    """A return reason's target (a part of the filing, or a cell) as a person reads it."""
    parts = dict(review_targets(report))
    return parts.get(code) or describe_code(report.format, code)


def pinned_cells(report) -> set[str]:
    """Cells named by open (unticked) review comments, to highlight on the entry pages."""
    return {
        code
        for targets in report.comments.filter(resolved_at__isnull=True).values_list(
            "targets", flat=True
        )
        for code in targets
    }


def report_timeline(report, limit: int = 500) -> list:
    """State changes and the latest value changes, newest first (three queries)."""
    entries = [
        Change(
            s.at,
            person_name(s.actor),
            f"状态：{s.get_from_status_display()} → {s.get_to_status_display()}",
            "",
            s.note,
            "流转",
        )
        for s in report.status_changes.select_related("actor")
    ]
    entries += _change_rows(report, report.value_changes.order_by("-changed_at", "-id")[:limit])
    entries += [
        Change(
            i.created_at,
            person_name(i.user),
            f"导入文件 {i.file_name}",
            "",
            f"修改{i.cells_changed}项（SHA-256 {i.sha256[:12]}…）",
            "导入",
        )
        for i in report.imports.select_related("user")
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


BOARD_STATES = ["未开始", "填报中", "待审核", "已退回", "待签发", "已签发", "已公开"]
STATE_OF_STATUS = {
    AnnualReport.Status.SUBMITTED: "待审核",
    AnnualReport.Status.REVIEWED: "待签发",
    AnnualReport.Status.APPROVED: "已签发",
    AnnualReport.Status.PUBLISHED: "已公开",
}


@dataclass
class BoardRow:
    agency: Agency
    report: AnnualReport | None
    state: str
    due: object
    overdue: bool


def progress_board(period, agency_ids, *, today) -> list[BoardRow]:
    """Every visible agency's state for `period` (two queries, whatever their number)."""
    agencies = Agency.objects.order_by("kind", "name")
    if agency_ids is not None:
        agencies = agencies.filter(id__in=agency_ids)
    last_action = StatusChange.objects.filter(report=OuterRef("pk")).order_by("-at", "-id")
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(period=period, agency__in=agencies).annotate(
            last_action=Subquery(last_action.values("action")[:1])
        )
    }
    rows = []
    for agency in agencies:
        report = reports.get(agency.pk)
        if report is None:
            state = "未开始"
        elif report.status in STATE_OF_STATUS:
            state = STATE_OF_STATUS[report.status]
        elif report.last_action == "return":
            state = "已退回"
        elif report.version == 0:
            state = "未开始"
        else:
            state = "填报中"
        due = period.due_for(agency)
        rows.append(BoardRow(agency, report, state, due, state != "已公开" and today > due))
    return rows
