"""A filer downloads the workbook, fills it offline, uploads it, checks the preview, confirms."""

from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ImportRecord, ReportValue


def test_filer_round_trips_the_workbook_through_the_admin(
    page, live_server, transactional_db, login, screenshot, tmp_path
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载工作簿").click()
    download = info.value
    assert download.suggested_filename == "nanchang-edu-2019-工作簿.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    book = load_workbook(path)
    assert book["表三"]["A6"].value == "一、本年新收政府信息公开申请数量"
    book["表三"]["B6"] = "７"  # typed with a full-width digit
    book["表三"]["H6"] = 7
    book["表四"]["A6"] = "—"
    filled = tmp_path / "填好的工作簿.xlsx"
    book.save(filled)

    page.get_by_role("link", name="上传工作簿").click()
    page.locator("#id_file").set_input_files(filled)
    page.get_by_role("button", name="上传并预览").click()

    expect(page.get_by_role("heading", name="将要修改：2处")).to_be_visible()
    changes = page.locator("table.changes")
    expect(changes).to_contain_text("表三!B6")
    expect(changes).to_contain_text("表三 一、本年新收政府信息公开申请数量·自然人")
    expect(changes.locator("tr", has_text="表三!H6").locator("td.new")).to_have_text("7")
    assert not ReportValue.objects.filter(report=report).exists()
    screenshot("workbook-preview")

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "已导入工作簿「填好的工作簿.xlsx」，修改了2处。"
    )
    expect(page.locator('td[data-code="t3-r1-c1"]')).to_contain_text("7")
    assert ReportValue.objects.get(report=report, code="t3-r1-c1").value == 7
    assert ImportRecord.objects.get(report=report).cells_changed == 2
    screenshot("workbook-imported")


def test_a_bad_cell_is_shown_with_its_address_and_nothing_is_saved(
    page, live_server, transactional_db, login, screenshot, tmp_path
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载工作簿").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    book = load_workbook(path)
    book["表三"]["B6"] = "十二"
    book["表三"]["C6"] = "=B6*2"
    book.save(path)

    page.get_by_role("link", name="上传工作簿").click()
    page.locator("#id_file").set_input_files(path)
    page.get_by_role("button", name="上传并预览").click()
    problems = page.locator(".problems")
    expect(problems).to_contain_text(
        "表三!B6（表三 一、本年新收政府信息公开申请数量·自然人）：「十二」不是数字"
    )
    expect(problems).to_contain_text("不能使用公式（=B6*2）")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert not ReportValue.objects.filter(report=report).exists()
    screenshot("workbook-preview-problems")


def test_coordinator_imports_a_period_sheet_with_a_preview(
    page, live_server, transactional_db, login, screenshot, tmp_path
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/reportingperiod/")
    with page.expect_download() as info:
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="2019", exact=True))
        row.get_by_role("link", name="xlsx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    book = load_workbook(path)
    headers = [cell.value for cell in book.active[1]]
    book.active.cell(2, headers.index("表四 行政复议·结果维持（t4-r1-c1）") + 1).value = "３"
    book.save(path)

    page.get_by_role("link", name="导入").click()
    page.get_by_label("报告年度").select_option(label="2019年度")
    page.locator("#id_import_file").set_input_files(path)
    page.locator("#id_format").select_option(label="xlsx")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("table.period-preview")).to_contain_text(
        "表四 行政复议·结果维持（t4-r1-c1）：（空） → 3"
    )
    screenshot("period-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist")).to_contain_text("导入完成：新增0条，修改1条")
    assert ReportValue.objects.get(report=report, code="t4-r1-c1").value == 3
