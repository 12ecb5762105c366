"""Reads shaped for pages: every query a page needs is made here, bounded."""

from collections import defaultdict

from django.db.models import QuerySet

from reports import websites
from reports.formats import Format, find_format
from reports.models import AnnualReport, ReportValue, WebsiteForm
from reports.validation import validate


def published_reports() -> QuerySet[AnnualReport]:
    """Filings the public may read, newest year first."""
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
        .select_related("agency", "period")
        .order_by("-period__year", "agency__name")
    )


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
    """Every rule finding of `report`: its tables (cross-year rules included), then each
    website form (checked against the tables too)."""
    findings = validate(
        report.format,
        values,
        previous_filing(report),
        require_complete=require_complete,
    )
    for form in report.website_forms.all():
        findings += websites.findings_for(form, statistics=(report.format, values))
    return findings


def _values_by_report(report_ids) -> dict[int, dict]:
    values: dict[int, dict] = {report_id: {} for report_id in report_ids}
    rows = ReportValue.objects.filter(report_id__in=report_ids, value__isnull=False)
    for report_id, code, value in rows.values_list("report_id", "code", "value"):
        values[report_id][code] = value
    return values


def period_findings(year: int, agency_slug: str | None = None):
    """(report, findings) for every filing of `year`, in five queries whatever their number."""
    reports = list(
        AnnualReport.objects.filter(period__year=year)
        .select_related("agency", "period")
        .order_by("agency__slug")
    )
    if agency_slug:
        reports = [r for r in reports if r.agency.slug == agency_slug]
    previous = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            period__year=year - 1, agency_id__in=[r.agency_id for r in reports]
        ).select_related("period")
    }
    values = _values_by_report([r.pk for r in reports] + [r.pk for r in previous.values()])
    forms = defaultdict(list)
    for form in WebsiteForm.objects.filter(report__in=reports):
        forms[form.report_id].append(form)
    for report in reports:
        before = previous.get(report.agency_id)
        before_format = before and find_format(before.period.format_code)
        prior = (before_format, values[before.pk]) if before_format else None
        findings = validate(report.format, values[report.pk], prior)
        for form in forms[report.pk]:
            statistics = (report.format, values[report.pk])
            findings += websites.findings_for(form, statistics=statistics)
        yield report, findings
