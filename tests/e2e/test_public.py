"""The public side in a real browser: reach the seed filing from /, downloads, accessibility."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from reports.demo.loader import load_demo
from tests.formats.test_gb2014 import ROW_LABELS
from tests.website.test_website_form import LABELS_5_2


@pytest.fixture
def seeded(transactional_db):
    load_demo()


def serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_visitor_reaches_the_seed_filing_from_the_home_page(
    page, live_server, seeded, screenshot
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="2018年度").first.click()
    page.get_by_role("link", name="南昌市教育局2018年政府信息公开工作年度报告").click()
    article = page.locator("article.filing-document")
    expect(article).to_contain_text("2018年度累计主动公开各类信息247条")
    text = page.locator("main").inner_text()
    missing = [label for label in ROW_LABELS + LABELS_5_2 if label.split("\n")[0] not in text]
    assert not missing
    for figure in ("247", "12635", "1980321", "南昌教育发布"):
        assert figure in text
    expect(page.locator(".signoff-block")).to_contain_text("谢为民")
    for label in (
        "Excel 工作簿（官方版式）",
        "CSV（每个单元格一行）",
        "Word 文档",
        "PDF 文档",
        "JSON 开放数据",
    ):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    screenshot("public-filing-seed")
    page.screenshot(path=str(screenshot("public-filing-seed")).replace(".png", "-top.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV（每个单元格一行）").click()
    assert download.value.suggested_filename.endswith(".csv")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=教育",
        "/reports/2018/",
        "/reports/2018/nanchang-edu/",
        "/aggregate/2018/",
        "/agencies/nanchang-edu/",
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(page, live_server, seeded, path):
    page.goto(live_server.url + path)
    assert serious_violations(page) == []


def test_pages_read_on_a_phone(page, live_server, seeded, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (
        ("home", "/"),
        ("search", "/?q=教育"),
        ("year", "/reports/2018/"),
        ("agency", "/agencies/nanchang-edu/"),
        ("aggregate", "/aggregate/2018/"),
    ):
        page.goto(live_server.url + path)
        # Nothing but the official tables (which scroll inside their own box) may widen the page.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
        screenshot(f"public-phone-{name}")


def test_a_visitor_finds_an_agency_and_narrows_a_year(page, live_server, seeded, screenshot):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_label("单位名称").fill("教育")
    page.get_by_role("button", name="查找").click()
    results = page.get_by_role("table", name="查找结果")
    expect(results).to_contain_text("南昌市教育局")
    expect(results).to_contain_text("南昌市人民政府")  # its 上级单位
    screenshot("public-search")
    page.goto(live_server.url + "/reports/2018/")
    page.get_by_label("单位类型").select_option(label="部门")
    page.get_by_label("地区").select_option(label="南昌市人民政府")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("status")).to_contain_text("共1份")
    expect(
        page.get_by_role("link", name="南昌市教育局2018年政府信息公开工作年度报告")
    ).to_be_visible()
    page.get_by_label("公开情况").select_option(label="逾期公开")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("status")).to_contain_text("没有符合条件的已公开报告")
    page.get_by_label("公开情况").select_option(label="按时公开")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("status")).to_contain_text("共1份")
    screenshot("public-year-filtered")


def test_keyboard_users_can_skip_to_the_content(page, live_server, seeded):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()


def test_the_filing_page_prints_without_navigation(page, live_server, seeded, screenshot):
    page.goto(live_server.url + "/reports/2018/nanchang-edu/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".downloads").first).to_be_hidden()
    expect(page.locator("article.filing-document")).to_be_visible()
    page.screenshot(path=str(screenshot("public-filing-print")).replace(".png", "-top.png"))
