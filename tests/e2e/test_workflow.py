from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, PublishedRevision, ReviewComment
from tests.helpers import complete


def switch_to(page, login, username):
    page.context.clear_cookies()
    login(username, DEMO_PASSWORD)


def explain_everything(page):
    for box in page.locator("form.action-submit textarea").all():
        box.fill("已核实，数字无误。")


def test_three_accounts_walk_a_filing_from_draft_to_published(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = complete(AnnualReport.objects.get(period__year=2019))
    workflow_url = f"{live_server.url}/admin/reports/annualreport/{report.pk}/workflow/"

    # 填报人 submits.
    switch_to(page, login, "zhangpeng")
    page.goto(workflow_url)
    explain_everything(page)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已提交审核")

    # 审核人 returns it with a reason.
    switch_to(page, login, "wanxiaoling")
    page.goto(workflow_url)
    page.get_by_label("退回理由（必填）").fill("表三自然人一栏请核对")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已退回修改")

    # 填报人 sees the reason as a checklist, fixes a cell, ticks it off and resubmits.
    switch_to(page, login, "zhangpeng")
    page.goto(workflow_url)
    expect(page.locator(".checklist")).to_contain_text("表三自然人一栏请核对")
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/tables/")
    page.locator("#v-t3-r1-c1").fill("1")
    page.locator("#v-t3-r3_1-c1").fill("1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    page.goto(workflow_url)
    page.get_by_title("标记为已处理").click()
    assert ReviewComment.objects.get(report=report).resolved_at is not None
    explain_everything(page)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已提交审核")

    # 审核人 sees what changed since the return, cell by cell, and passes.
    switch_to(page, login, "wanxiaoling")
    page.goto(workflow_url)
    expect(page.locator("table.changes")).to_contain_text("一、本年新收政府信息公开申请数量·自然人")
    screenshot("workflow-reviewer-sees-changes")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已审核通过")

    # 单位负责人 signs and publishes.
    switch_to(page, login, "xieweimin")
    page.goto(workflow_url)
    page.get_by_role("button", name="签发").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已签发")
    page.get_by_role("button", name="公开").click()
    expect(page.locator(".status-card")).to_contain_text("已公开")
    screenshot("workflow-published")

    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED
    names = [
        u.last_name + u.first_name
        for u in (report.submitted_by, report.reviewed_by, report.approved_by)
    ]
    assert names == ["张鹏", "万晓玲", "谢为民"]
    assert PublishedRevision.objects.filter(report=report).count() == 1
