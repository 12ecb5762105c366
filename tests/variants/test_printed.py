"""What was printed is kept: 万元 to six decimals, a unit conversion with its printed text, and
a 历史补录 website form's two ticks and text in a number field — stored, shown, exported and
flagged; a live filing still refuses them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports import services, websites
from reports.models import AnnualReport, Membership, ReportValue, ValueChange
from reports.selectors import filing_data, report_findings
from reports.spreadsheets.safety import check_upload
from reports.spreadsheets.workbook import export_workbook
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook
from tests.spreadsheets.conftest import open_book

D = Decimal
FEE = "t2-r7-fee"  # 表二 行政事业性收费·本年收费金额（万元）
CASES = "一次不跑“1”项、只跑一次11项"  # printed in 政务服务事项数量 (issue 15)


@pytest.fixture
def filer(make_agency, make_user, make_period):
    def make(year=2021, historical=False):
        agency = make_agency(name="测试局")
        report = AnnualReport.objects.create(
            agency=agency, period=make_period(year, is_historical=historical)
        )
        return report, make_user(agency=agency, role=Membership.Role.FILER)

    return make


def test_a_fee_printed_to_six_decimals_in_wan_yuan_is_kept_exactly(filer):
    report, user = filer()
    services.report_save_values(report=report, by=user, entries={FEE: ("5949.088667", "")})
    assert ReportValue.objects.get(report=report, code=FEE).value == D("5949.088667")
    assert filing_data(report).values[FEE] == D("5949.088667")
    with pytest.raises(services.EntryError, match="最多保留6位小数"):
        services.report_save_values(report=report, by=user, entries={FEE: ("1.0000001", "")})


def test_a_yuan_amount_in_a_wan_yuan_cell_keeps_its_printed_text(client, filer):
    report, user = filer()
    services.report_save_values(report=report, by=user, entries={FEE: ("219062.78元", "")})
    row = ReportValue.objects.get(report=report, code=FEE)
    assert (row.value, row.printed) == (D("21.906278"), "219062.78元")
    change = ValueChange.objects.get(report=report, code=FEE)
    assert (change.new_value, change.new_text) == (D("21.906278"), "219062.78元")

    # The entry page posts the value back as a number: the printed text stays with it …
    client.force_login(user)
    tables = reverse("admin:reports_annualreport_tables", args=[report.pk])
    version = AnnualReport.objects.values_list("version", flat=True).get(pk=report.pk)
    client.post(tables, {"version": version, f"v:{FEE}": "21.906278"})
    assert ReportValue.objects.get(report=report, code=FEE).printed == "219062.78元"
    # … until the value itself changes.
    services.report_save_values(report=report, by=user, entries={FEE: ("3", "")})
    assert ReportValue.objects.get(report=report, code=FEE).printed == ""


def test_a_historical_website_form_keeps_two_ticks_and_text_and_flags_them(client, filer):
    report, user = filer(2018, historical=True)
    form = websites.website_form_add(report=report, by=user)
    websites.website_form_save(
        form=form,
        by=user,
        raw={"site_type": ["政府门户网站", "部门网站"], "services": CASES, "visitors": "12"},
    )
    form.refresh_from_db()
    assert form.values["site_type"] == ["portal", "department"]
    assert form.values["services"] == CASES
    change = ValueChange.objects.get(report=report, code="w1:services")
    assert change.new_value is None and change.new_text == CASES

    found = {f.rule_id: f.message for f in report_findings(report)}
    assert found["w26a"].endswith("网站类型：只能选择一项（已选：政府门户网站、部门网站）")
    assert CASES in found["printed"] and "不是数字" in found["printed"]

    client.force_login(user)
    page = client.get(reverse("admin:reports_annualreport_website", args=[report.pk, 1]))
    shown = page.content.decode()
    assert 'value="portal" checked' in shown and 'value="department" checked' in shown
    assert CASES in shown

    sheet = open_book(export_workbook(report))["网站1"]
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert "政府门户网站、部门网站" in cells and CASES in cells
    preview = read_workbook(report, check_upload(export_workbook(report), "补录.xlsx"))
    assert preview.problems == [] and preview.changes == []
    apply_workbook(preview, by=user)
    form.refresh_from_db()
    assert form.values["services"] == CASES


def test_a_live_filing_refuses_two_ticks_and_text_in_a_number_field(filer):
    report, user = filer(2021)
    form = websites.website_form_add(report=report, by=user)

    with pytest.raises(services.EntryError) as refused:
        websites.website_form_save(
            form=form, by=user, raw={"site_type": ["portal", "department"], "services": CASES}
        )

    assert refused.value.errors == {
        "site_type": "网站类型：只能选择一项（已选：政府门户网站、部门网站）",
        "services": f"政务服务事项数量：「{CASES}」不是数字",
    }
    form.refresh_from_db()
    assert "services" not in form.values
