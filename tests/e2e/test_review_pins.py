"""Review without codes, and 「其余未填写的填 0」, in a real browser.

The 审核人 pins a return reason by clicking the filing on the 流转 page; the 填报人 finds it beside
the cell on the 统计表 page and ticks it off there. A filer fills the blanks of one table with 0
and finds each filled cell in the history.
"""

import pytest
from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ReportValue, ReviewComment, ValueChange
from tests.helpers import complete

CELL = "t3-r1-c1"
CELL_NAME = "表三 一、本年新收政府信息公开申请数量·自然人"
REASON = "自然人申请数与登记簿不符，请核对"


@pytest.fixture
def refusals(page):
    """What Chromium logs for anything the Content-Security-Policy refused, and script errors."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def switch_to(page, login, username):
    page.context.clear_cookies()
    login(username, DEMO_PASSWORD)


def test_the_reviewer_pins_a_reason_by_clicking_a_cell_and_the_filer_ticks_it_off_beside_it(
    page, live_server, transactional_db, login, screenshot, refusals
):
    load_demo()
    report = complete(AnnualReport.objects.get(period__year=2019))
    admin = f"{live_server.url}/admin/reports/annualreport/{report.pk}"

    switch_to(page, login, "zhangpeng")
    page.goto(f"{admin}/workflow/")
    for box in page.locator("form.action-submit textarea").all():
        box.fill("已核实，数字无误。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已提交审核")

    # 审核人: types the reason, then clicks the cell in the filing shown below the form.
    switch_to(page, login, "wanxiaoling")
    page.goto(f"{admin}/workflow/")
    page.get_by_label("退回理由（必填）").fill(REASON)
    cell_button = page.locator(f'.review-filing td[data-code="{CELL}"] button.pick')
    cell_button.click()
    expect(cell_button).to_have_attribute("aria-pressed", "true")
    picked = page.locator("#picked-targets")
    expect(picked).to_contain_text(CELL_NAME)
    expect(page.locator("#pick-bar")).to_contain_text("已点选 1 处")
    # A second pick (a section of the 正文), taken back by clicking it again.
    section = page.locator('.review-filing button.pick-section[data-target="n:s5"]')
    section.click()
    expect(picked).to_contain_text("正文·五、存在的主要问题及改进情况")
    screenshot("review-pins-reviewer-picks-a-cell")
    section.click()
    expect(picked).not_to_contain_text("正文·五")

    # A code typed by hand that names nothing is refused; the reason and the pick stay.
    page.get_by_text("按单元格代码添加").click()
    page.locator("#cells-return").fill("t9-r9")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("未知的单元格代码：t9-r9")
    expect(page.get_by_label("退回理由（必填）")).to_have_value(REASON)
    expect(picked.get_by_role("checkbox", name=CELL_NAME)).to_be_checked()
    expect(cell_button).to_have_attribute("aria-pressed", "true")
    screenshot("review-pins-refused-code-keeps-reason")
    page.locator("#cells-return").fill("")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已退回修改")
    comment = ReviewComment.objects.get(report=report)
    assert (comment.body, comment.targets) == (REASON, [CELL])

    # 填报人: the reason sits beside the cell on the 统计表 page, and is ticked off there.
    switch_to(page, login, "zhangpeng")
    page.goto(f"{admin}/tables/")
    cell = page.locator(f'td[data-code="{CELL}"]')
    expect(cell.locator(".review-reason")).to_contain_text(REASON)
    expect(page.locator(".review-panel")).to_contain_text("审核意见（1项未处理）")
    expect(page.locator(".review-panel")).to_contain_text(CELL_NAME)
    screenshot("review-pins-filer-sees-reason-beside-cell")
    page.locator("#v-t3-r1-c1").fill("3")  # typed, not saved: ticking must not lose it
    cell.get_by_role("button", name="已处理").click()
    expect(cell.get_by_role("button", name="已处理")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".review-panel")).to_contain_text("审核意见（0项未处理）")
    expect(page.locator("#v-t3-r1-c1")).to_have_value("3")
    screenshot("review-pins-filer-ticked-off-beside-cell")
    comment.refresh_from_db()
    assert comment.resolved_at is not None

    # The 流转 page lists the same reason, ticked.
    page.goto(f"{admin}/workflow/")
    expect(page.locator(".checklist li.resolved")).to_contain_text(REASON)
    expect(page.locator(".checklist")).to_contain_text(f"涉及：{CELL_NAME}")
    assert refusals == []


def test_fill_zero_fills_only_the_blanks_of_one_table_and_the_history_shows_it(
    page, live_server, transactional_db, login, screenshot, refusals
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    admin = f"{live_server.url}/admin/reports/annualreport/{report.pk}"
    login("zhangpeng", DEMO_PASSWORD)

    page.goto(f"{admin}/tables/")
    page.locator("#v-t3-r1-c1").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    table_three = page.locator(".official-wrap", has=page.locator("#table-t3"))
    expect(table_three.locator(".table-tools")).to_contain_text("本表尚有131个单元格未填写")
    screenshot("fill-zero-blank-counts")

    table_three.get_by_role("link", name="其余未填写的填 0").click()
    expect(page.locator("#content-main")).to_contain_text("尚未填写的131个单元格")
    screenshot("fill-zero-confirm")
    page.get_by_role("button", name="确定填 0").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已将表三中131个未填写的单元格填为 0")
    expect(page.locator("#v-t3-r1-c1")).to_have_value("5")
    expect(page.locator("#v-t3-r1-c2")).to_have_value("0")
    expect(page.locator("#v-t3-r1-c7")).to_have_value("5")  # the total, computed
    expect(page.locator("#v-t2-r1-made")).to_have_value("")  # another table: untouched
    expect(table_three.locator(".table-tools")).to_contain_text("本表已全部填写")
    screenshot("fill-zero-done")

    stored = dict(ReportValue.objects.filter(report=report).values_list("code", "value"))
    assert stored["t3-r1-c1"] == 5 and stored["t3-r1-c2"] == 0
    assert not any(code.startswith("t2-") for code in stored)

    page.goto(f"{admin}/timeline/")
    newest = page.locator("#content-main tbody tr").first
    for shown in ("张鹏", "在线填报", "表三 ", "（空）", "0"):
        expect(newest).to_contain_text(shown)
    screenshot("fill-zero-history")
    filled = ValueChange.objects.filter(report=report, old_value__isnull=True, new_value=0)
    assert filled.filter(code__startswith="t3-").count() >= 131
    assert refusals == []
