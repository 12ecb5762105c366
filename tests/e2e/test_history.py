from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport
from tests.helpers import complete


def test_the_history_pages_through_every_change_with_its_true_count(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = complete(AnnualReport.objects.get(period__year=2019))
    total = report.value_changes.count() + report.status_changes.count() + report.imports.count()
    assert total > 100  # more than one page

    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/timeline/")
    caption = page.locator("caption", has_text="流转与修改记录")
    expect(caption).to_contain_text(f"共{total}条，第1/")
    screenshot("history-page-1")

    page.get_by_role("link", name="下一页").click()
    expect(caption).to_contain_text(f"共{total}条，第2/")
    expect(page.get_by_role("link", name="上一页")).to_be_visible()
    screenshot("history-page-2")
