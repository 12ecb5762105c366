"""A 福建 统计表 filing and a 2021 filing printed with the single （六） row, through the
portal's own doors: choosing the variant, the entry page, the workbook round trip, the public
page and the trend across the change of layout."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports import public, services, workflow
from reports.filing_data import FilingData
from reports.formats import get_format
from reports.formats.indicators import INDICATORS
from reports.formats.variants import national_values
from reports.models import AnnualReport, ReportValue, ValueChange
from reports.selectors import report_findings
from reports.spreadsheets import layout
from reports.spreadsheets.safety import check_upload
from reports.spreadsheets.workbook import export_workbook
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook
from tests.helpers import complete, put
from tests.spreadsheets.conftest import open_book, save_book, stored

D = Decimal
S = AnnualReport.Status
APPLICATIONS = next(i for i in INDICATORS if i.code == "applications")
# 平潭综合实验区 2017 as printed (corpus 2017_pingtan.txt): 主动公开 2122 | 10037, the rest 0 | 0.
PINGTAN_2017 = {"fj-r1-year": "2122", "fj-r1-total": "10037", "fj-r2-year": "2122",
                "fj-r2-total": "10037"}  # fmt: skip


@pytest.fixture
def filing(office, make_period):
    """甲局's draft, in a period of the national format the variant belongs to."""

    def make(year: int) -> AnnualReport:
        period = make_period(year) if year != office["period"].year else office["period"]
        return AnnualReport.objects.create(agency=office["bureau"], period=period)

    return make


def choose(client, report, code):
    version = AnnualReport.objects.values_list("version", flat=True).get(pk=report.pk)
    url = reverse("admin:reports_annualreport_choose_format", args=[report.pk])
    return client.post(url, {"format": code, "version": version}, follow=True)


def page_values(report, values: dict[str, str]) -> dict:
    data = {"version": AnnualReport.objects.values_list("version", flat=True).get(pk=report.pk)}
    for spec in report.format.cells():
        data[f"v:{spec.code}"] = values.get(spec.code, "0")
    return data


def publish(report, office):
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    report.refresh_from_db()
    return report


def test_a_filer_enters_the_fujian_table_on_the_entry_page(client, office, filing):
    report = filing(2017)
    client.force_login(office["filer"])
    tables = reverse("admin:reports_annualreport_tables", args=[report.pk])
    assert "福建省统计表" in client.get(tables).content.decode()  # offered beside the national

    shown = choose(client, report, "gb2014-fujian").content.decode()
    report.refresh_from_db()

    assert report.format_code == "gb2014-fujian"
    assert "历年累计" in shown and "受理政府信息依申请公开总数" in shown
    assert 'name="v:fj-r7-total"' in shown  # a cell without a national twin has its input
    response = client.post(tables, page_values(report, PINGTAN_2017), follow=True)
    assert response.status_code == 200
    assert stored(report)["fj-r1-total"] == (D(10037), "")
    assert [f for f in report_findings(report) if f.severity == "error"] == []


def test_a_fujian_total_printed_against_its_parts_is_flagged_on_the_page(client, office, filing):
    report = filing(2017)
    report = services.report_choose_format(report=report, by=office["filer"], code="gb2014-fujian")
    client.force_login(office["filer"])
    tables = reverse("admin:reports_annualreport_tables", args=[report.pk])

    page = client.post(tables, page_values(report, {"fj-r4-year": "1"}), follow=True)

    assert "受理政府信息依申请公开总数 1 ≠ 当面申请数+网上申请数+信函、传真申请数 0" in (
        page.content.decode()
    )


def test_choosing_a_variant_moves_twins_and_refuses_to_drop_a_cell(office, filing):
    report = filing(2017)
    services.report_save_values(
        report=report, by=office["filer"], entries={"t-r19": ("3", "注"), "t-r1": ("9", "")}
    )
    report = services.report_choose_format(report=report, by=office["filer"], code="gb2014-fujian")
    assert stored(report) == {"fj-r4-year": (D(3), "注"), "fj-r1-year": (D(9), "")}
    moved = ValueChange.objects.filter(report=report, code__in=["t-r19", "fj-r4-year"])
    assert set(moved.values_list("code", "old_value", "new_value", "new_note")) == {
        ("t-r19", None, D(3), "注"),  # typed
        ("t-r19", D(3), None, ""),  # moved away …
        ("fj-r4-year", None, D(3), "注"),  # … to its twin
    }

    services.report_save_values(
        report=report, by=office["filer"], entries={"fj-r7-year": ("1", "")}
    )
    with pytest.raises(services.EntryError, match="信函、传真申请数·本年度：.*请先清空该单元格"):
        report = services.report_choose_format(report=report, by=office["filer"], code="gb2014")
    report.refresh_from_db()
    assert report.format.code == "gb2014-fujian"

    with pytest.raises(services.EntryError, match="不是本年度可用的报告格式"):
        report = services.report_choose_format(
            report=report, by=office["filer"], code="gb2021-single6"
        )


def test_the_format_is_chosen_only_while_the_filing_may_be_edited(client, office, filing):
    report = filing(2017)
    put(report, S.SUBMITTED, office)
    with pytest.raises(services.ReportLocked, match="内容已锁定"):
        report = services.report_choose_format(
            report=report, by=office["filer"], code="gb2014-fujian"
        )
    put(report, S.DRAFT, office)
    with pytest.raises(services.ReportLocked, match="无权修改"):
        report = services.report_choose_format(
            report=report, by=office["reviewer"], code="gb2014-fujian"
        )
    client.force_login(office["reviewer"])
    assert choose(client, report, "gb2014-fujian").status_code == 403
    report.refresh_from_db()
    assert report.format_code == ""


def test_the_fujian_workbook_round_trips_from_a_blank_export(office, filing):
    report = filing(2017)
    report = services.report_choose_format(report=report, by=None, code="gb2014-fujian")
    book = open_book(export_workbook(report, blank=True))
    typed = {**{spec.code: "0" for spec in report.format.cells()}, **PINGTAN_2017}
    for sheet in layout.table_sheets(report.format):
        for slot in sheet.slots:
            book[sheet.name].cell(slot.row, slot.col).value = int(typed[slot.key])

    preview = read_workbook(report, check_upload(save_book(book), "福建.xlsx"))
    assert preview.problems == []
    apply_workbook(preview, by=office["filer"])
    assert stored(report)["fj-r2-total"] == (D(10037), "")
    assert len(stored(report)) == 30  # every printed cell, none lost

    again = read_workbook(report, check_upload(export_workbook(report), "福建.xlsx"))
    assert again.problems == [] and again.changes == []


def test_the_single_six_filing_enters_checks_and_round_trips(client, office):
    report = AnnualReport.objects.create(agency=office["bureau"], period=office["period"])
    report = services.report_choose_format(report=report, by=office["filer"], code="gb2021-single6")
    client.force_login(office["filer"])
    tables = reverse("admin:reports_annualreport_tables", args=[report.pk])
    page = client.get(tables).content.decode()
    assert 'name="v:t3-r3_6-c1"' in page and "t3-r3_6_1-c1" not in page

    client.post(tables, page_values(report, {"t3-r3_6-c1": "2", "t3-r1-c1": "2"}), follow=True)
    assert stored(report)["t3-r3_7-c1"] == (D(2), "")  # （七）总计 counts the single row
    assert [f for f in report_findings(report) if f.severity == "error"] == []

    # A 总计 printed without （六） (kept as printed by an import) breaks rule 2.
    services.report_save_values(
        report=report, by=None, entries={"t3-r3_7-c1": ("0", "")}, compute_totals=False
    )
    assert "2.c1" in {f.rule_id for f in report_findings(report)}

    preview = read_workbook(report, check_upload(export_workbook(report), "2021.xlsx"))
    assert preview.problems == [] and preview.changes == []


def test_a_variant_filing_is_published_with_its_own_layout(client, office, filing):
    report = filing(2017)
    report = services.report_choose_format(report=report, by=None, code="gb2014-fujian")
    complete(report)
    services.report_save_values(
        report=report, by=None, entries={k: (v, "") for k, v in PINGTAN_2017.items()}
    )
    publish(report, office)

    page = client.get("/reports/2017/jia/").content.decode()
    assert "历年累计" in page and "主动公开文件数" in page and "10037" in page
    snapshot = report.revisions.get().snapshot
    assert snapshot["format_code"] == "gb2014-fujian"
    data = FilingData.from_json(snapshot)
    assert data.format.code == "gb2014-fujian"
    national = national_values(data.format, data.values)
    assert national["t-r1"] == D(2122) and national["fj-r1-total"] == D(10037)


def test_the_single_six_filing_is_published_with_its_single_row(client, office):
    report = AnnualReport.objects.create(agency=office["bureau"], period=office["period"])
    report = services.report_choose_format(report=report, by=None, code="gb2021-single6")
    complete(report)
    services.report_save_values(
        report=report, by=None, entries={"t3-r3_6-c1": ("5", ""), "t3-r1-c1": ("5", "")}
    )
    publish(report, office)

    page = client.get("/reports/2021/jia/").content.decode()
    assert "（六）其他处理" in page
    values = FilingData.from_json(report.revisions.get().snapshot).values
    assert national_values(get_format("gb2021-single6"), values)["t3-r3_6-c1"] == D(5)


def test_the_trend_and_the_aggregate_run_across_a_fujian_filing(client, office, filing):
    before = filing(2016)
    complete(before)
    services.report_save_values(report=before, by=None, entries={"t-r19": ("4", "")})
    publish(before, office)
    after = filing(2017)
    after = services.report_choose_format(report=after, by=None, code="gb2014-fujian")
    complete(after)
    services.report_save_values(
        report=after, by=None, entries={"fj-r4-year": ("6", ""), "fj-r5-year": ("6", "")}
    )
    publish(after, office)

    points = []
    for report in (before, after):
        data = FilingData.from_json(report.revisions.get().snapshot)
        national = get_format(data.format.variant_of or data.format.code)
        points.append(APPLICATIONS.value(national, national_values(data.format, data.values)))
    assert points == [D(4), D(6)]
    _, trends = public.agency_trends(office["bureau"])
    trend = next(t for t in trends if t.indicator is APPLICATIONS)
    assert trend.points == [(2016, D(4)), (2017, D(6))]
    summed = public.aggregate(2017).values  # 汇总: twins in national cells, the rest kept
    assert summed["t-r19"] == D(6) and summed["t-r20"] == D(6) and summed["fj-r7-total"] == 0
    assert ReportValue.objects.filter(report=after, code="fj-r4-year").exists()
