"""The filer's entry pages read a full filing in a bounded, constant number of queries.

A full 2021 filing: every cell, a website form with its 新媒体 rows, the narrative, and last
year's filing beside it (the cross-year checks read it). The filing is read once per page
(`selectors.read_filing`) and handed to the findings, the tables, the website forms and the
return reasons, instead of each reading it again.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services, websites
from reports.formats import codes
from reports.models import AnnualReport, ReportingPeriod, ReviewComment
from tests.helpers import complete
from tests.spreadsheets.conftest import MEDIA_ROWS, WEBSITE_ANSWERS

MOST = 15

PAGES = {
    "change": ("change", ""),
    "tables": ("tables", ""),
    "tables with 比对": ("tables", "?compare=1"),
    "website": ("website", ""),
    "narrative": ("narrative", ""),
}


def full_filing(agency, period, *, websites_count=1):
    """Every cell, the required sections, `websites_count` website forms with media rows."""
    report = complete(AnnualReport.objects.create(agency=agency, period=period))
    for _ in range(websites_count):
        form = websites.website_form_add(report=report, by=None)
        websites.website_form_save(form=form, by=None, raw=WEBSITE_ANSWERS, media_rows=MEDIA_ROWS)
    report.refresh_from_db()
    return report


def url(page: str, report) -> str:
    name, query = PAGES[page]
    args = [report.pk, 1] if name == "website" else [report.pk]
    return reverse(f"admin:reports_annualreport_{name}", args=args) + query


def queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def pin_reasons(report, reviewer, count: int) -> None:
    """`count` return reasons pinned to a cell, a website field, a form and a section."""
    section = report.format.narrative.sections[0].key
    targets = [
        "t3-r1-c1",
        codes.website_code(1, "visits"),
        codes.form_part_code(1),
        codes.section_code(section),
    ]
    for n in range(count):
        ReviewComment.objects.create(
            report=report,
            author=reviewer,
            body=f"请核对第{n + 1}处。",
            targets=targets[: n % 4 + 1],
        )


@pytest.fixture
def last_year(office):
    """2020 filed in full for both bureaus, so the cross-year checks have a year to read."""
    period = ReportingPeriod.objects.create(**services.period_defaults(2020))
    for agency in (office["bureau"], office["other"]):
        full_filing(agency, period)
    return period


@pytest.mark.parametrize("page", PAGES)
def test_each_entry_page_of_a_full_2021_filing_runs_at_most_15_queries(
    client, office, last_year, page
):
    report = full_filing(office["bureau"], office["period"])
    pin_reasons(report, office["reviewer"], 2)
    client.force_login(office["filer"])
    assert queries(client, url(page, report)) <= MOST


@pytest.mark.parametrize("page", PAGES)
def test_the_count_is_the_same_with_many_website_forms_reasons_and_history_rows(
    client, office, last_year, page
):
    small = full_filing(office["bureau"], office["period"])
    pin_reasons(small, office["reviewer"], 1)
    large = full_filing(office["other"], office["period"], websites_count=4)
    pin_reasons(large, office["reviewer"], 7)
    for round_ in range(1, 4):  # three more saves of every cell: 600 more history rows
        entries = {
            spec.code: (str(round_), "") for spec in large.format.cells() if not spec.computed_from
        }
        services.report_save_values(report=large, by=None, entries=entries)
    assert large.website_forms.count() == 4 and large.value_changes.count() > 600

    client.force_login(office["filer"])
    few = queries(client, url(page, small))
    client.force_login(office["other_filer"])
    assert queries(client, url(page, large)) == few
