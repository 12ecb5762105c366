"""Every registered format works end to end, whatever its module declares.

The formats come from the registry, so a format dropped into `reports/formats/` (issue 11: a
``gb2026`` that is only ``dataclasses.replace(gb2021.FORMAT, …)``) is exercised here without
editing this file: its period, entry page, narrative draft, validation, publication, public page
and the agency's trend from the previous format's last year into its first year.
"""

import datetime

import pytest
from django.urls import reverse

from reports import services, workflow
from reports.formats import FORMATS, format_for_year
from reports.formats.indicators import INDICATORS
from reports.models import AnnualReport, ReportingPeriod
from reports.narrative import narrative_fill_drafts
from reports.selectors import report_findings
from tests.helpers import complete, put

S = AnnualReport.Status
TIMELINE = [fmt for fmt in FORMATS.values() if not fmt.variant_of]


def period_for(year: int) -> ReportingPeriod:
    fields = services.period_defaults(year)
    return ReportingPeriod.objects.get_or_create(year=year, defaults=fields)[0]


def published(office, year: int) -> AnnualReport:
    report = AnnualReport.objects.create(agency=office["bureau"], period=period_for(year))
    complete(report)
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    return report


@pytest.mark.parametrize("fmt", TIMELINE, ids=[f.code for f in TIMELINE])
def test_a_new_period_in_a_formats_first_year_takes_that_format(db, fmt):
    assert format_for_year(fmt.first_year) is fmt
    assert period_for(fmt.first_year).format_code == fmt.code
    if fmt.last_year is not None:
        assert format_for_year(fmt.last_year + 1) is not fmt


@pytest.mark.parametrize("fmt", TIMELINE, ids=[f.code for f in TIMELINE])
def test_entry_page_draft_and_validation_work_in_every_format(client, office, fmt):
    report = AnnualReport.objects.create(agency=office["bureau"], period=period_for(fmt.first_year))
    client.force_login(office["filer"])

    page = client.get(reverse("admin:reports_annualreport_tables", args=[report.pk]))
    assert page.status_code == 200
    for table in fmt.tables:
        assert table.title in page.content.decode()

    zeros = {spec.code: ("0", "") for spec in fmt.cells() if not spec.computed_from}
    services.report_save_values(report=report, by=office["filer"], entries=zeros)
    filled = narrative_fill_drafts(report=report, by=office["filer"])
    required = [s.key for s in fmt.narrative.writable() if s.required]
    assert set(required) <= set(filled)  # drafted from the numbers, in the format's words
    page = client.get(reverse("admin:reports_annualreport_narrative", args=[report.pk]))
    assert page.status_code == 200
    assert [f for f in report_findings(report) if f.severity == "error"] == []


@pytest.mark.parametrize("fmt", TIMELINE, ids=[f.code for f in TIMELINE])
def test_a_published_filing_shows_on_the_public_page_and_continues_the_trend(client, office, fmt):
    report = published(office, fmt.first_year)
    page = client.get(f"/reports/{fmt.first_year}/jia/")
    assert page.status_code == 200
    for table in fmt.tables:
        assert table.title in page.content.decode()

    before = format_for_year(fmt.first_year - 1)
    shared = [i for i in INDICATORS if i.code in fmt.indicators and i.code in before.indicators]
    if before is fmt or not shared:
        return
    published(office, fmt.first_year - 1)
    agency_page = client.get("/agencies/jia/").content.decode()
    # complete() fills 0 everywhere: both years are points of the first shared indicator.
    assert shared[0].label in agency_page
    assert f">{fmt.first_year - 1}<" in agency_page and f">{fmt.first_year}<" in agency_page
    assert report.revisions.exists()


def test_formats_are_timed_without_gaps_from_the_first(db):
    years = range(TIMELINE[0].first_year, datetime.date.today().year + 1)
    covering = {year: [f.code for f in TIMELINE if f.covers(year)] for year in years}
    assert all(len(codes) == 1 for codes in covering.values()), covering
