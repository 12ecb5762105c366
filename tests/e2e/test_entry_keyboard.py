"""Spreadsheet-like entry on the tables page (and the website form): keys and pasting.

What a filer does with a keyboard: type a figure, Tab, the next one; Enter to go on;
arrows; Alt+N for a cell's 「注」; a block copied from Excel pasted into a cell.
"""

import pytest
from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ReportValue
from tests.e2e.conftest import SCREENSHOTS


@pytest.fixture
def tables_page(page, live_server, transactional_db, login):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/tables/")
    return report


def focused_id(page):
    return page.evaluate("document.activeElement.id")


def on_screen(page, name):
    """What the filer sees now (the paste panel is fixed to the window, not the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_ten_tab_two_leaves_ten_and_two(page, tables_page, screenshot):
    page.locator("#v-t3-r1-c1").click()
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    expect(page.locator("#v-t3-r1-c1")).to_have_value("10")
    expect(page.locator("#v-t3-r1-c2")).to_have_value("2")
    expect(page.locator("#v-t3-r1-c7")).to_have_value("12")
    expect(page.locator("input[name='n:t3-r1-c1']")).to_have_value("")
    screenshot("entry-keyboard-ten-tab-two")


def test_tab_skips_the_computed_total_and_shift_tab_goes_back(page, tables_page):
    page.locator("#v-t3-r1-c6").click()
    page.keyboard.press("Tab")
    assert focused_id(page) == "v-t3-r2-c1"  # 总计 (c7) is computed: never visited
    page.keyboard.press("Shift+Tab")
    assert focused_id(page) == "v-t3-r1-c6"


def test_enter_moves_to_the_next_cell_and_does_not_submit(page, tables_page):
    url = page.url
    page.locator("#v-t3-r1-c1").click()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    assert focused_id(page) == "v-t3-r1-c2"
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    assert focused_id(page) == "v-t3-r1-c3"
    page.keyboard.press("Shift+Enter")
    assert focused_id(page) == "v-t3-r1-c2"
    page.wait_for_timeout(300)  # a submit would have left the page by now
    assert page.url == url
    expect(page.locator("ul.messagelist")).to_have_count(0)
    assert not ReportValue.objects.filter(report=tables_page).exists()
    expect(page.locator("#v-t3-r1-c7")).to_have_value("10")


def test_arrows_move_between_value_cells_over_headings_and_totals(page, tables_page):
    page.locator("#v-t3-r1-c1").click()
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "v-t3-r2-c1"
    page.keyboard.press("ArrowDown")  # over the heading 三、本年度办理结果
    assert focused_id(page) == "v-t3-r3_1-c1"
    page.keyboard.press("ArrowUp")
    assert focused_id(page) == "v-t3-r2-c1"
    page.keyboard.press("ArrowRight")  # an empty cell: the caret is at its end
    assert focused_id(page) == "v-t3-r2-c2"
    page.keyboard.type("45")
    page.keyboard.press("ArrowLeft")  # the caret moves inside "45" first
    assert focused_id(page) == "v-t3-r2-c2"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert focused_id(page) == "v-t3-r2-c1"

    page.locator("#v-t3-r3_6-c1").click()
    page.keyboard.press("ArrowDown")  # （七）总计 is computed: skipped
    assert focused_id(page) == "v-t3-r4-c1"
    page.locator("#v-t3-r1-c6").click()
    page.keyboard.press("ArrowRight")  # 总计 to its right is computed: stays
    assert focused_id(page) == "v-t3-r1-c6"


def test_the_note_toggle_is_not_reached_by_tab_and_opens_with_alt_n(page, tables_page, screenshot):
    expect(page.get_by_text("Alt+N 打开当前格的“注”")).to_be_visible()
    note = page.locator("#v-t3-r1-c1 + details.note")
    expect(note.locator("summary")).to_have_attribute("tabindex", "-1")

    page.locator("#v-t3-r1-c1").click()
    page.keyboard.type("22")
    page.keyboard.press("Alt+N")
    expect(note).to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.name") == "n:t3-r1-c1"
    page.keyboard.type("其中修订16件")
    screenshot("entry-keyboard-note-open")
    page.keyboard.press("Alt+N")  # back to the cell; the note stays open, it has text
    assert focused_id(page) == "v-t3-r1-c1"
    page.keyboard.press("Tab")  # past the open note, straight to the next value cell
    assert focused_id(page) == "v-t3-r1-c2"
    page.keyboard.type("5")
    expect(page.locator("input[name='n:t3-r1-c1']")).to_have_value("其中修订16件")
    expect(page.locator("#v-t3-r1-c2")).to_have_value("5")

    page.keyboard.press("Alt+N")  # an empty note: Esc closes it again
    page.keyboard.press("Escape")
    assert focused_id(page) == "v-t3-r1-c2"
    expect(page.locator("#v-t3-r1-c2 + details.note")).not_to_have_attribute("open", "")


def paste(page, text):
    """What Ctrl+V delivers after copying cells in Excel or WPS."""
    page.evaluate(
        """text => {
          const data = new DataTransfer();
          data.setData("text/plain", text);
          document.activeElement.dispatchEvent(new ClipboardEvent("paste", {
            clipboardData: data, bubbles: true, cancelable: true,
          }));
        }""",
        text,
    )


def test_a_block_from_excel_is_previewed_then_fills_six_cells(page, tables_page):
    page.locator("#v-t3-r1-c1").click()
    paste(page, "10\t3\t1\r\n4\t0\t2\r\n")
    preview = page.get_by_role("dialog")
    expect(preview).to_contain_text("粘贴预览（2 行 × 3 列）：将填入 6 个单元格")
    expect(preview).to_contain_text("表三 一、本年新收政府信息公开申请数量·自然人 ← 10")
    expect(preview).to_contain_text("表三 二、上年结转政府信息公开申请数量·科研机构 ← 2")
    expect(page.locator("td.paste-target")).to_have_count(6)
    expect(page.locator("#v-t3-r1-c1")).to_have_value("")  # nothing written before 确定
    on_screen(page, "entry-paste-preview")

    preview.get_by_role("button", name="确定").click()
    expect(preview).to_have_count(0)
    landed = {"r1-c1": "10", "r1-c2": "3", "r1-c3": "1", "r2-c1": "4", "r2-c2": "0", "r2-c3": "2"}
    for code, value in landed.items():
        expect(page.locator(f"#v-t3-{code}")).to_have_value(value)
    expect(page.locator("#v-t3-r1-c7")).to_have_value("14")  # live totals follow
    expect(page.locator("#v-t3-r2-c7")).to_have_value("6")
    assert focused_id(page) == "v-t3-r1-c1"
    on_screen(page, "entry-paste-filled")

    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存")
    assert ReportValue.objects.get(report=tables_page, code="t3-r2-c3").value == 2


def test_a_pasted_block_never_writes_a_total_and_cancel_writes_nothing(page, tables_page):
    page.locator("#v-t3-r1-c5").click()
    paste(page, "1\t2\t99\n3\t4\t99\n")
    preview = page.get_by_role("dialog")
    expect(preview).to_contain_text("将填入 4 个单元格")
    expect(preview).to_contain_text("不会写入")
    expect(preview).to_contain_text("表三 一、本年新收政府信息公开申请数量·总计（合计）：99")
    preview.get_by_role("button", name="取消").click()
    expect(page.locator("#v-t3-r1-c5")).to_have_value("")

    page.locator("#v-t3-r1-c5").click()
    paste(page, "1\t2\t99\n3\t4\t99\n")
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    expect(page.locator("#v-t3-r1-c6")).to_have_value("2")
    expect(page.locator("#v-t3-r1-c7")).to_have_value("3")  # computed from its parts, not 99


def test_a_block_running_past_the_table_is_refused(page, tables_page):
    page.locator("#v-t3-r4-c1").click()  # the last row of table 三
    paste(page, "1\t2\n3\t4\n")
    message = page.get_by_role("dialog")
    expect(message).to_contain_text("未粘贴：粘贴的内容（2 行 × 2 列）超出了表格")
    expect(message).to_contain_text("向下只有 1 行")
    on_screen(page, "entry-paste-refused")
    page.keyboard.press("Escape")
    expect(message).to_have_count(0)
    expect(page.locator("#v-t3-r4-c1")).to_have_value("")
    assert focused_id(page) == "v-t3-r4-c1"


def test_website_form_enter_moves_on_and_arrows_move_between_numbers(
    page, live_server, transactional_db, login
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("button", name="新增网站报表").click()
    url = page.url
    page.locator("#f-visitors").click()
    page.keyboard.type("2000000")
    page.keyboard.press("Enter")
    assert focused_id(page) != "f-visitors"
    assert page.evaluate("document.activeElement.classList.contains('answer-input')")
    page.wait_for_timeout(300)
    assert page.url == url  # Enter did not save the page
    page.locator("#f-visitors").click()
    page.keyboard.press("ArrowDown")
    below = focused_id(page)
    assert below.startswith("f-") and below != "f-visitors"
    page.keyboard.press("ArrowUp")
    assert focused_id(page) == "f-visitors"
    expect(page.locator("#f-visitors + details.note summary")).to_have_attribute("tabindex", "-1")
