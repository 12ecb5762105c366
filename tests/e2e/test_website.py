from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, WebsiteForm


def test_filer_fills_the_website_form_and_two_site_types_are_refused(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2018)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("link", name="填写：南昌市教育局").click()
    expect(page.locator("#f-info_total")).to_have_value("12635")
    screenshot("website-form-entry")

    page.get_by_label("政府门户网站").check()  # 部门网站 is ticked already
    page.locator("#f-visitors").fill("2,000,000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".entry-errors")).to_contain_text("网站类型：只能选择一项")
    expect(page.locator("#f-visitors")).to_have_value("2,000,000")
    assert WebsiteForm.objects.get(report=report).values["visitors"] == "1980321"

    page.get_by_label("政府门户网站").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    assert WebsiteForm.objects.get(report=report).values["visitors"] == "2000000"


def test_seed_website_form_read_only(page, live_server, transactional_db, login, screenshot):
    load_demo()
    report = AnnualReport.objects.get(period__year=2018)
    login("wanxiaoling", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/website/1/")
    expect(page.locator("table.website")).to_contain_text("☑部门网站")
    expect(page.locator(".findings-errors")).to_contain_text("12635")
    screenshot("website-form-read-only")
