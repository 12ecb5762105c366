from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ReportValue


def test_filer_types_figures_sees_live_totals_and_saves(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("link", name="填写统计表").click()

    page.locator("#v-t3-r1-c1").fill("5")
    page.locator("#v-t3-r1-c2").fill("２")  # full-width, as some input methods type it
    expect(page.locator("#v-t3-r1-c7")).to_have_value("7")
    page.locator("#v-t4-r1-c1").fill("1")
    page.locator("#v-t4-r1-c4").fill("2")
    expect(page.locator("#v-t4-r1-c5")).to_have_value("3")
    screenshot("tables-entry-2019-typing")

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    assert ReportValue.objects.get(report=report, code="t3-r1-c7").value == 7
    expect(page.locator("#v-t3-r1-c2")).to_have_value("2")


def test_a_bad_cell_is_named_and_nothing_typed_is_lost(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/tables/")
    page.locator("#v-t3-r1-c1").fill("十二")
    page.locator("#v-t3-r2-c1").fill("4")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".entry-errors")).to_contain_text("「十二」不是数字")
    expect(page.locator("#v-t3-r1-c1")).to_have_value("十二")
    expect(page.locator("#v-t3-r2-c1")).to_have_value("4")
    assert not ReportValue.objects.filter(report=report).exists()
    screenshot("tables-entry-refused")


def test_seed_filing_read_only_in_the_official_layout(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2018)
    login("wanxiaoling", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    expect(page.locator("#table-t")).to_contain_text("（一）主动公开政府信息数")
    expect(page.locator(".findings-errors")).to_contain_text("收到申请数 1 ≠ 当面+传真+网络+信函 0")
    screenshot("seed-2018-read-only")
