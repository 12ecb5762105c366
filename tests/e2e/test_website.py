from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, WebsiteForm


def test_filer_fills_the_website_form_and_two_site_types_are_refused(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("button", name="新增网站报表").click()
    expect(page.locator("#f-filer")).to_have_value("南昌市教育局")
    page.locator("#f-site_name").fill("南昌市教育局")
    page.get_by_label("政府门户网站").check()
    page.get_by_label("部门网站").check()
    page.locator("#f-visitors").fill("2,000,000")
    page.locator("#f-info_total").fill("１２６３５")
    screenshot("website-form-entry")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".entry-errors")).to_contain_text("网站类型：只能选择一项")
    expect(page.locator("#f-visitors")).to_have_value("2,000,000")
    assert "visitors" not in WebsiteForm.objects.get(report=report).values

    page.get_by_label("政府门户网站").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    values = WebsiteForm.objects.get(report=report).values
    assert (values["visitors"], values["info_total"], values["site_type"]) == (
        "2000000",
        "12635",
        "department",
    )


def test_seed_website_form_read_only(page, live_server, transactional_db, login, screenshot):
    load_demo()
    report = AnnualReport.objects.get(period__year=2018)
    login("wanxiaoling", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/website/1/")
    expect(page.locator("table.website")).to_contain_text("☑部门网站")
    expect(page.locator(".findings-errors")).to_contain_text("12635")
    screenshot("website-form-read-only")
