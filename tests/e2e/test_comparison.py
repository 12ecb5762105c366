from playwright.sync_api import expect

from reports import services, workflow
from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, Membership, ReportingPeriod
from tests.helpers import complete

S = AnnualReport.Status


def test_the_reviewer_sees_last_year_beside_each_cell_and_the_large_moves(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    last = complete(AnnualReport.objects.get(period__year=2019))
    services.report_save_values(
        report=last, by=None, entries={"t3-r1-c1": ("4", ""), "t3-r3_1-c1": ("4", "")}
    )
    people = {m.role: m.user for m in Membership.objects.filter(agency=last.agency)}
    AnnualReport.objects.filter(pk=last.pk).update(status=S.APPROVED)  # signed, as set-up
    workflow.report_publish(report=last, by=people[Membership.Role.HEAD])
    period = ReportingPeriod.objects.create(**services.period_defaults(2020))
    this = complete(AnnualReport.objects.create(agency=last.agency, period=period))
    services.report_save_values(
        report=this, by=None, entries={"t3-r1-c1": ("40", ""), "t3-r3_1-c1": ("40", "")}
    )
    AnnualReport.objects.filter(pk=this.pk).update(status=S.SUBMITTED)

    login("wanxiaoling", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{this.pk}/workflow/")
    cell = page.locator('#table-t3 td[data-code="t3-r1-c1"]').first
    expect(cell.locator(".last-year")).to_contain_text("上年 4（+36） 大幅变动")
    cell.scroll_into_view_if_needed()
    screenshot("comparison-reviewer-workflow")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").first.click()
    assert download.value.suggested_filename.endswith("年度比对.xlsx")

    page.goto(f"{live_server.url}/admin/reports/annualreport/{this.pk}/tables/?compare=1")
    expect(page.locator('#table-t3 td[data-code="t3-r1-c7"] .last-year')).to_contain_text("上年 4")
    screenshot("comparison-tables-page")
