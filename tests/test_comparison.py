"""比对: this year's figures beside last year's published ones, per filing and per subtree."""

import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import services, workflow
from reports.comparison import compare
from reports.filing_data import FilingData
from reports.models import AnnualReport, ReportingPeriod
from reports.selectors import report_comparison
from tests.helpers import complete, put

S = AnnualReport.Status


def data(year=2021, fmt="gb2021", values=None, narrative=None) -> FilingData:
    return FilingData(
        agency_name="甲局",
        agency_slug="jia",
        agency_kind="department",
        contact={},
        year=year,
        format_code=fmt,
        status="draft",
        revision=1,
        values={code: Decimal(v) for code, v in (values or {}).items()},
        notes={},
        websites=[],
        narrative=narrative or {},
    )


@pytest.mark.parametrize(
    ("last", "this", "large"),
    [(5, 12, False), (10, 20, True), (20, 10, True), (20, 11, False), (0, 10, True), (0, 9, False)],
)
def test_a_large_move_at_least_doubles_or_halves_by_at_least_ten(last, this, large):
    row = compare(data(values={"t3-r1-c1": this}), data(2020, "gb2019", {"t3-r1-c1": last}))
    assert row.by_code["t3-r1-c1"].large is large


def test_cells_match_by_code_and_a_cell_last_years_format_lacks_is_a_gap():
    comparison = compare(
        data(values={"t3-r1-c1": 3, "t2-r2-issued": 4}),
        data(2020, "gb2019", {"t3-r1-c1": 1, "t2-r2-made": 4}),
    )
    row = comparison.by_code["t3-r1-c1"]
    assert (row.last_text, row.this_text, row.change_text) == ("1", "3", "+2")
    gap = comparison.by_code["t2-r2-issued"]  # 2019's 新制作 is another figure
    assert (gap.last, gap.comparable) == (None, False)
    assert comparison.by_code["t3-r2-c1"].comparable  # blank last year, but a cell it had
    assert comparison.by_code["t3-r1-c7"].this == 3  # totals computed, as the page shows them


def test_paragraphs_copied_from_last_years_text_are_listed():
    same = "本机关坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
    comparison = compare(
        data(narrative={"s1": f"新的一段。\n{same}"}),
        data(2020, "gb2019", narrative={"s5": same}),
    )
    assert comparison.same_paragraphs == [("一、总体情况", same)]


@pytest.fixture
def two_years(office):
    """甲局: 2020 published with 自然人 10, 2021 a draft with 自然人 30."""
    last_period = ReportingPeriod.objects.create(**services.period_defaults(2020))
    last = complete(AnnualReport.objects.create(agency=office["bureau"], period=last_period))
    services.report_save_values(
        report=last, by=None, entries={"t3-r1-c1": ("10", ""), "t3-r3_1-c1": ("10", "")}
    )
    put(last, S.APPROVED, office)
    workflow.report_publish(report=last, by=office["head"])
    this = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    services.report_save_values(
        report=this, by=None, entries={"t3-r1-c1": ("30", ""), "t3-r3_1-c1": ("30", "")}
    )
    return this


def test_a_filing_is_compared_with_the_agencys_published_report_of_the_year_before(two_years):
    comparison = report_comparison(two_years)
    row = comparison.by_code["t3-r1-c1"]
    assert (comparison.last_year, row.last, row.this, row.large) == (2020, 10, 30, True)


def test_the_reviewer_downloads_the_comparison_as_xlsx_and_docx(client, office, two_years):
    client.force_login(office["reviewer"])
    url = reverse("admin:reports_annualreport_comparison_xlsx", args=[two_years.pk])
    book = load_workbook(io.BytesIO(client.get(url).content))
    rows = {row[0]: row for row in book["比对"].iter_rows(values_only=True)}
    assert rows["t3-r1-c1"][3:7] == (10, 30, 20, "是")

    url = reverse("admin:reports_annualreport_comparison_docx", args=[two_years.pk])
    document = docx.Document(io.BytesIO(client.get(url).content))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "表三 一、本年新收政府信息公开申请数量·自然人" in text


def test_another_agencys_comparison_is_404(client, office, two_years):
    client.force_login(office["other_reviewer"])
    url = reverse("admin:reports_annualreport_comparison_xlsx", args=[two_years.pk])
    assert client.get(url).status_code == 404


def test_the_coordinator_sees_which_agencies_moved_most(client, office, two_years):
    client.force_login(office["coordinator"])
    page = client.get(reverse("admin:reports_annualreport_comparison"), {"year": 2021})
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲局" in text and "所辖单位年度比对" in text
    download = client.get(
        reverse("admin:reports_annualreport_comparison"), {"year": 2021, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(download.content)).active
    first = list(sheet.iter_rows(min_row=3, values_only=True))[0]
    assert first[0] == "甲局" and first[2] >= 2  # 自然人 and its total moved a lot


def test_only_a_coordinator_sees_the_subtree(client, office):
    client.force_login(office["reviewer"])
    assert client.get(reverse("admin:reports_annualreport_comparison")).status_code == 403


def test_the_subtree_comparison_runs_a_fixed_number_of_queries(
    client, office, two_years, make_agency, django_assert_max_num_queries
):
    client.force_login(office["coordinator"])
    url = reverse("admin:reports_annualreport_comparison")
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"year": 2021})
    for n in range(5):
        agency = make_agency(name=f"新局{n}", slug=f"new-{n}", parent=office["city"])
        complete(AnnualReport.objects.create(agency=agency, period=office["period"]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"year": 2021})


def test_the_tables_page_shows_last_year_beside_each_cell_when_asked(client, office, two_years):
    client.force_login(office["filer"])
    url = reverse("admin:reports_annualreport_tables", args=[two_years.pk])
    assert "上年 10" not in client.get(url).content.decode()
    page = client.get(url, {"compare": "1"}).content.decode()
    assert "上年 10（+20）<strong> 大幅变动</strong>" in page
    assert "隐藏上年数" in page


def test_the_reviewer_sees_last_year_and_the_large_moves_on_the_workflow_page(
    client, office, two_years
):
    put(two_years, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    page = client.get(reverse("admin:reports_annualreport_workflow", args=[two_years.pk]))
    assert "上年 10（+20）<strong> 大幅变动</strong>" in page.content.decode()


def test_a_cell_without_a_twin_last_year_shows_no_last_year_value(client, office, two_years):
    client.force_login(office["filer"])
    url = reverse("admin:reports_annualreport_tables", args=[two_years.pk])
    page = client.get(url, {"compare": "1"}).content.decode()
    issued = page.split('data-code="t2-r2-issued"', 1)[1].split("</td>", 1)[0]
    assert "上年" not in issued  # 2020's format (gb2019) has no 本年制发件数


def test_the_report_says_when_last_years_format_had_no_such_cell(client, office, two_years):
    client.force_login(office["reviewer"])
    url = reverse("admin:reports_annualreport_comparison_xlsx", args=[two_years.pk])
    rows = {
        r[0]: r
        for r in load_workbook(io.BytesIO(client.get(url).content))["比对"].iter_rows(
            values_only=True
        )
    }
    assert rows["t2-r2-issued"][3] == "无此项"
