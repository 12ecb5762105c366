from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD
from reports.models import Agency, AnnualReport


def test_filer_logs_in_and_sees_only_own_agency(
    page, live_server, transactional_db, login, screenshot
):
    from reports.demo.loader import load_demo

    load_demo()
    other = Agency.objects.create(name="南昌市财政局", slug="nanchang-finance")
    AnnualReport.objects.create(agency=other, period=AnnualReport.objects.first().period)

    login("zhangpeng", DEMO_PASSWORD)
    expect(page.get_by_text("填报与管理")).to_be_visible()
    page.get_by_role("link", name="年度报告", exact=True).click()
    expect(page.locator("#result_list")).to_contain_text("南昌市教育局")
    expect(page.locator("#result_list")).not_to_contain_text("南昌市财政局")
    screenshot("filer-report-list")
