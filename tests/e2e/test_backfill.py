"""A filer reads a published report into the demo's 2019 draft: upload, look at the preview (the
tables with where each value was printed), confirm, find the values on the entry page; a
coordinator does the same for a zip of reports. Every page is checked with axe-core and
photographed at desktop and phone width (artifacts/screenshots/backfill-*.png)."""

import io
import zipfile

from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ImportRecord, ReportValue
from reports.numbers import format_number
from tests.backfill.scoring import CORPUS
from tests.e2e.test_accessibility import DESKTOP, PHONE, blocking_violations, readable

REPORT = CORPUS / "2019_hebei-jiaoyuting.txt"  # a gb2019 report, cell-separated tables


def look(page, screenshot, name):
    """axe-core finds nothing serious; nothing widens the page; photographed at both widths."""
    for viewport, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        page.wait_for_load_state("load")
        found = blocking_violations(page)
        assert not found, f"axe-core on {page.url} at {viewport['width']}px:\n{readable(found)}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} is {width}px wide at {viewport['width']}px"
        screenshot(f"backfill-{label}-{name}")
    page.set_viewport_size(DESKTOP)


def test_a_filer_imports_a_published_report_and_finds_its_values_on_the_entry_page(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("link", name="导入已发布报告").click()
    look(page, screenshot, "upload")

    page.locator("#id_file").set_input_files(REPORT)
    page.get_by_role("button", name="读取并预览").click()
    expect(page.get_by_role("heading", name="读取结果")).to_be_visible()
    cell = page.locator('td[data-code="t3-r1-c1"]')
    expect(cell.locator(".cell-source")).to_contain_text("原文")
    cell.locator(".cell-source summary").click()
    expect(cell.locator(".cell-source q")).to_contain_text("本年新收政府信息公开申请数量")
    assert not ReportValue.objects.filter(report=report).exists()
    look(page, screenshot, "preview")

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "已导入已发布报告「2019_hebei-jiaoyuting.txt」"
    )
    stored = {row.code: row.value for row in ReportValue.objects.filter(report=report)}
    assert stored, "nothing was written"
    for code in ("t3-r1-c1", "t3-r1-c7"):
        expect(page.locator(f"#v-{code}")).to_have_value(format_number(stored[code]))
    assert ImportRecord.objects.get(report=report).sha256
    screenshot("backfill-desktop-imported")


def _zip(tmp_path):
    path = tmp_path / "reports.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(REPORT, REPORT.name)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_coordinator_matches_a_report_by_hand_and_imports_it(
    page, live_server, transactional_db, login, screenshot, tmp_path
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/")
    page.get_by_role("link", name="批量导入已发布报告").click()
    look(page, screenshot, "bulk-upload")
    page.locator("#id_file").set_input_files(_zip(tmp_path))
    page.get_by_role("button", name="上传并预览").click()
    # 河北省教育厅 is no agency of 南昌: the page asks, it does not guess.
    row = page.locator("tr.bulk-ask")
    expect(row).to_contain_text("所辖单位中没有标题中的「河北省教育厅」")
    look(page, screenshot, "bulk-ask")
    row.get_by_label("对应的单位").select_option(label="南昌市教育局")
    row.get_by_label("报告年度").select_option("2019")
    page.get_by_role("button", name="按所选单位重新预览").click()
    expect(page.locator("tr.bulk-ready")).to_contain_text("南昌市教育局 2019年度（您选择的）")
    look(page, screenshot, "bulk-ready")
    page.get_by_role("button", name="导入勾选的文件").click()
    expect(page.locator("table.bulk-results")).to_contain_text("已导入，修改了")
    assert ReportValue.objects.filter(report=report).exists()
    look(page, screenshot, "bulk-done")
