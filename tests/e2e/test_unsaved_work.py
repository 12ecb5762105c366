"""Nothing typed is lost: a prompt before leaving an entry page with unsaved edits, and what
was typed kept in the browser and offered back after a reload, a crash, a timeout or a
refused save (static/reports/entry.js)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, NarrativeSection, ReportValue
from reports.narrative import narrative_save
from tests.e2e.conftest import SCREENSHOTS
from tests.helpers import S, complete, put

TYPED = "本年度，本机关认真贯彻落实《条例》，主动公开政府信息。"


@pytest.fixture
def draft_2019(transactional_db):
    load_demo()
    return AnnualReport.objects.get(period__year=2019)


@pytest.fixture
def pages(live_server, draft_2019):
    base = f"{live_server.url}/admin/reports/annualreport/{draft_2019.pk}"
    return {name: f"{base}/{name}/" for name in ("tables", "narrative", "workflow", "change")}


def type_into(box, text):
    """Click and type, as a person does: Chromium asks before leaving a page only once the
    page has had a real user gesture."""
    box.click()
    box.press_sequentially(text)


def drafts_kept(page):
    """The drafts entry.js keeps in this browser: key → fields (once the page's scripts ran)."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
             .filter(k => k.startsWith("nianbao-draft:"))
             .map(k => [k, JSON.parse(localStorage.getItem(k)).fields]))"""
    )


def test_leaving_the_narrative_page_with_an_edit_prompts(page, pages, login, screenshot):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["narrative"])
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # 留在此页

    page.on("dialog", answer)
    page.get_by_role("link", name="返回报告").click()  # nothing typed: no question
    page.wait_for_url(pages["change"])
    assert dialogs == []

    page.goto(pages["narrative"])
    type_into(page.locator("#s-s1"), TYPED)
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == pages["narrative"]  # stayed
    expect(page.locator("#s-s1")).to_have_value(TYPED)
    screenshot("unsaved-narrative-stayed")

    page.remove_listener("dialog", answer)
    page.once("dialog", lambda dialog: dialog.accept())  # 离开
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_url(pages["change"])


def test_saving_does_not_prompt_and_clears_the_kept_draft(page, pages, draft_2019, login):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["narrative"])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    type_into(page.locator("#s-s1"), TYPED)
    assert list(drafts_kept(page).values()) == [{"s:s1": TYPED}]
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    assert dialogs == []
    assert drafts_kept(page) == {}
    assert NarrativeSection.objects.get(report=draft_2019, key="s1").body == TYPED
    page.reload()
    expect(page.locator(".draft-banner")).to_have_count(0)
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_url(pages["change"])
    assert dialogs == []


def test_a_reload_offers_the_typed_text_back_and_restore_puts_it_in(page, pages, login, screenshot):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["narrative"])
    type_into(page.locator("#s-s1"), TYPED)
    page.once("dialog", lambda dialog: dialog.accept())  # the prompt before reloading
    page.reload()
    expect(page.locator("#s-s1")).to_have_value("")
    banner = page.locator(".draft-banner")
    expect(banner).to_contain_text("发现未保存的内容（")
    expect(banner).to_contain_text("）：恢复 / 丢弃")
    screenshot("unsaved-narrative-banner")
    banner.get_by_role("button", name="恢复").click()
    expect(page.locator("#s-s1")).to_have_value(TYPED)
    expect(banner).to_have_count(0)
    screenshot("unsaved-narrative-restored")

    page.once("dialog", lambda dialog: dialog.accept())  # restored, still not saved
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")


def test_after_a_crash_the_tables_page_offers_the_figures_back_and_discard_forgets_them(
    page, pages, login
):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["tables"])
    type_into(page.locator("#v-t3-r1-c1"), "10")
    type_into(page.locator("#v-t3-r1-c2"), "2")
    page.locator("#v-t3-r1-c1").click()
    page.keyboard.press("Alt+N")  # the cell's 注
    page.keyboard.type("含网上申请")
    context = page.context
    page.close()  # the tab dies: no unload handler runs

    again = context.new_page()
    again.goto(pages["tables"])
    banner = again.locator(".draft-banner")
    expect(banner).to_contain_text("发现未保存的内容")
    expect(again.locator("#v-t3-r1-c1")).to_have_value("")
    again.screenshot(path=str(SCREENSHOTS / "unsaved-tables-after-crash.png"), full_page=True)
    banner.get_by_role("button", name="恢复").click()
    expect(again.locator("#v-t3-r1-c1")).to_have_value("10")
    expect(again.locator("#v-t3-r1-c7")).to_have_value("12")  # totals follow the restore
    expect(again.locator("input[name='n:t3-r1-c1']")).to_be_visible()
    expect(again.locator("input[name='n:t3-r1-c1']")).to_have_value("含网上申请")

    again.once("dialog", lambda dialog: dialog.accept())
    again.reload()
    again.locator(".draft-banner").get_by_role("button", name="丢弃").click()
    expect(again.locator(".draft-banner")).to_have_count(0)
    expect(again.locator("#v-t3-r1-c1")).to_have_value("")
    assert drafts_kept(again) == {}
    again.reload()
    expect(again.locator(".draft-banner")).to_have_count(0)


def test_a_save_refused_by_someone_elses_save_keeps_the_typed_text(
    page, pages, draft_2019, login, screenshot
):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["narrative"])
    type_into(page.locator("#s-s1"), TYPED)
    # Someone else saves 第五部分 meanwhile: the page's version is no longer current.
    narrative_save(
        report=draft_2019,
        by=None,
        texts={"s5": "另一人写的"},
        expected_version=draft_2019.version,
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist .error")).to_be_visible()
    expect(page.locator("#s-s1")).to_have_value(TYPED)  # shown again by the server
    assert not NarrativeSection.objects.filter(report=draft_2019, key="s1").exists()
    screenshot("unsaved-narrative-refused")

    # Still unsaved: leaving asks, and the browser still holds the text.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(pages["narrative"])
    assert dialogs == ["beforeunload"]
    expect(page.locator("#s-s1")).to_have_value("")
    banner = page.locator(".draft-banner")
    expect(banner).to_contain_text("较早版本")
    banner.get_by_role("button", name="恢复").click()
    expect(page.locator("#s-s1")).to_have_value(TYPED)
    expect(page.locator("#s-s5")).to_have_value("另一人写的")  # only what was typed comes back
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    assert NarrativeSection.objects.get(report=draft_2019, key="s1").body == TYPED
    assert drafts_kept(page) == {}


def test_figures_typed_before_a_session_timeout_come_back_after_logging_in(
    page, live_server, pages, draft_2019, login, screenshot
):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["tables"])
    type_into(page.locator("#v-t3-r1-c1"), "10")
    page.context.clear_cookies(name="sessionid")  # the session has expired meanwhile
    page.get_by_role("button", name="保存").click()
    page.get_by_label("用户名").fill("zhangpeng")  # the admin asks to log in again
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(pages["tables"])
    assert not ReportValue.objects.filter(report=draft_2019).exists()
    page.locator(".draft-banner").get_by_role("button", name="恢复").click()
    expect(page.locator("#v-t3-r1-c1")).to_have_value("10")
    screenshot("unsaved-tables-after-timeout")


def test_a_return_reason_is_kept_until_the_return_goes_through(
    page, pages, draft_2019, login, screenshot
):
    users = {u.username: u for u in get_user_model().objects.all()}
    put(complete(draft_2019), S.SUBMITTED, {"filer": users["zhangpeng"]})
    login("wanxiaoling", DEMO_PASSWORD)
    page.goto(pages["workflow"])
    reason = page.get_by_label("退回理由（必填）")
    type_into(reason, "表三自然人一栏请核对")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.reload()
    assert dialogs == ["beforeunload"]
    expect(reason).to_have_value("")
    screenshot("unsaved-return-reason-offered")
    page.locator(".draft-banner").get_by_role("button", name="恢复").click()
    expect(reason).to_have_value("表三自然人一栏请核对")
    screenshot("unsaved-return-reason-restored")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已退回修改")
    assert dialogs == ["beforeunload"]  # submitting the form does not ask
    assert drafts_kept(page) == {}


def test_leaving_the_website_form_with_an_edit_prompts(page, pages, login):
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(pages["change"])
    page.get_by_role("button", name="新增网站报表").click()
    expect(page.locator("#website-form")).to_have_attribute("data-entry", "website-1")
    page.get_by_label("部门网站").check()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="返回报告").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("部门网站")).to_be_checked()
