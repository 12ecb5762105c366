"""待办 and notifications in a real browser: what a person sees right after logging in."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport
from tests.helpers import put


def demo_2019():
    load_demo()
    return AnnualReport.objects.get(agency__slug="nanchang-edu", period__year=2019)


def test_after_logging_in_the_filer_sees_the_2019_draft_waiting(
    page, live_server, transactional_db, login, screenshot
):
    report = demo_2019()
    login("zhangpeng", DEMO_PASSWORD)
    todo = page.locator("section.todo")
    expect(todo.get_by_role("heading", name="待办（1，其中逾期1）")).to_be_visible()
    row = todo.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("南昌市教育局2019年政府信息公开工作年度报告")
    expect(row).to_contain_text("2020-01-31")  # a 部门's due date for 2019
    expect(row).to_contain_text("已逾期")
    expect(row).to_have_class("todo-fill is-overdue")
    assert row.locator("td").last.evaluate("cell => getComputedStyle(cell).color") == (
        "rgb(186, 33, 33)"  # todo.css marks the overdue row (the admin's --error-fg)
    )
    # The demo's 2018 filing was walked to publication, which told him so.
    expect(page.locator("#notifications-link")).to_have_text("通知（1）")
    screenshot("todo-filer-index")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("todo-filer-index-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    row.get_by_role("link", name="填报").click()
    page.wait_for_url(f"**/admin/reports/annualreport/{report.pk}/tables/")
    expect(page.locator("#v-t3-r1-c1")).to_be_visible()


def test_a_returned_filing_reaches_a_filer_without_email_in_app(
    page, live_server, transactional_db, login, screenshot
):
    report = demo_2019()
    people = {u.username: u for u in get_user_model().objects.all()}
    assert people["zhangpeng"].email == ""  # no mail can reach him
    put(report, AnnualReport.Status.SUBMITTED, {"filer": people["zhangpeng"]})

    login("wanxiaoling", DEMO_PASSWORD)
    expect(page.locator("section.todo tbody tr")).to_contain_text("待审核")
    screenshot("todo-reviewer-index")
    page.locator("section.todo tbody tr").get_by_role("link", name="审核").click()
    page.get_by_label("退回理由（必填）").fill("表三自然人一栏请核对")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已退回修改")

    page.context.clear_cookies()
    login("zhangpeng", DEMO_PASSWORD)
    # The return, beside the demo's "2018 published".
    expect(page.locator("#notifications-link")).to_have_text("通知（2）")
    row = page.locator("section.todo tbody tr")
    expect(row).to_contain_text("已退回，1条审核意见未处理")
    screenshot("todo-filer-returned")

    page.locator("#notifications-link").click()
    rows = page.locator("table.notifications tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("被退回修改")
    expect(rows.first).to_contain_text("未读")
    screenshot("notifications-list")
    page.get_by_role("link", name="被退回修改").click()
    page.wait_for_url(f"**/admin/reports/annualreport/{report.pk}/workflow/")
    expect(page.locator(".checklist")).to_contain_text("表三自然人一栏请核对")
    expect(page.locator("#notifications-link")).to_have_text("通知（1）")
    page.locator("#notifications-link").click()
    expect(rows.first).to_contain_text("已读")


def test_the_coordinator_is_warned_about_accounts_without_email(
    page, live_server, transactional_db, login, screenshot
):
    demo_2019()
    login("coordinator", DEMO_PASSWORD)
    warning = page.locator("section.todo .messagelist li.warning")
    expect(warning).to_contain_text("4个账号没有电子邮箱，收不到邮件提醒：")
    expect(warning.get_by_role("link", name="张鹏")).to_be_visible()
    expect(page.locator("section.todo")).to_contain_text("目前没有等待您处理的年度报告。")
    screenshot("todo-coordinator-index")

    warning.get_by_role("link", name="在用户列表中查看").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    screenshot("todo-coordinator-accounts-without-email")
