"""Phones and accessibility: axe-core on every public page and every page of a filing in the admin.

Each page is checked at 1366×900 and at 390×844 (a phone); a violation of impact "serious" or
"critical" fails the test and is printed rule by rule with the elements it found. At phone
width each page is photographed (artifacts/screenshots/a11y-phone-*.png) for a person to look
at. The public side shows the seed's 2018 filing (one 统计表) and the 2019 filing published
with tables 二, 三 (8 columns) and 四 (15 columns).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reports import websites, workflow
from reports.demo.loader import DEMO_PASSWORD, load_demo, load_website_2018
from reports.models import AnnualReport
from reports.selectors import report_findings
from reports.validation import warnings
from tests.helpers import complete

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
BLOCKING = ("serious", "critical")
HINT = "表格较宽，可左右滑动查看"

PUBLIC_PAGES = [
    ("home", "/"),
    ("year", "/reports/2019/"),
    ("filing-2018", "/reports/2018/nanchang-edu/"),
    ("filing-2019", "/reports/2019/nanchang-edu/"),
    ("agency", "/agencies/nanchang-edu/"),
    ("aggregate-2018", "/aggregate/2018/"),
    ("aggregate-2019", "/aggregate/2019/"),
    ("open-data", "/open-data/"),
    ("404", "/no-such-page/"),
]

FILING = "/admin/reports/annualreport/{pk}"
# name, account, the filing and its state, address. "draft": the 2019 draft with one blank
# website form; "submitted": the 2019 filing complete and submitted; "seed": the published 2018.
ADMIN_PAGES = [
    ("index", "zhangpeng", "draft", "/admin/"),
    ("change", "zhangpeng", "draft", FILING + "/change/"),
    ("tables", "zhangpeng", "draft", FILING + "/tables/"),
    ("fill-zero", "zhangpeng", "draft", FILING + "/tables/fill-zero/?table=t3"),
    ("website", "zhangpeng", "draft", FILING + "/website/1/"),
    ("narrative", "zhangpeng", "draft", FILING + "/narrative/"),
    ("workbook-upload", "zhangpeng", "draft", FILING + "/workbook/upload/"),
    ("workflow-filer", "zhangpeng", "draft", FILING + "/workflow/"),
    ("workflow-reviewer", "wanxiaoling", "submitted", FILING + "/workflow/"),
    ("tables-reviewer", "wanxiaoling", "submitted", FILING + "/tables/"),
    ("notifications", "wanxiaoling", "submitted", "/admin/notifications/"),
    ("change-seed", "zhangpeng", "seed", FILING + "/change/"),
    ("website-seed", "zhangpeng", "seed", FILING + "/website/1/"),
    ("timeline", "zhangpeng", "seed", FILING + "/timeline/"),
    ("print", "zhangpeng", "seed", FILING + "/print/"),
    ("workflow-coordinator", "coordinator", "seed", FILING + "/workflow/"),
    ("board", "coordinator", "seed", "/admin/reports/annualreport/board/"),
    ("comparison", "coordinator", "seed", "/admin/reports/annualreport/comparison/"),
]


def blocking_violations(page):
    """axe-core's serious and critical violations on the page as it is now."""
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def readable(violations) -> str:
    """One paragraph per rule: impact, rule, help, then up to five elements and what to fix."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}×) {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def check(page, screenshot, name, viewport):
    page.wait_for_load_state("load")
    found = blocking_violations(page)
    screenshot(f"a11y-{'phone' if viewport == PHONE else 'desktop'}-{name}")
    assert not found, f"axe-core on {page.url} at {viewport['width']}px:\n{readable(found)}"


def person(username):
    return get_user_model().objects.get(username=username)


def the_2019_filing(state):
    """The demo's 2019 filing: a draft with one blank website form, or complete and then
    submitted or published (its website form the seed's, its one broken sum mended)."""
    report = AnnualReport.objects.get(period__year=2019)
    filer = person("zhangpeng")
    if state == "draft":
        websites.website_form_add(report=report, by=filer)
        return report
    complete(report)
    load_website_2018(report)
    form = report.website_forms.get(position=1)
    websites.website_form_save(form=form, by=filer, raw={"info_total": "10332"})  # not 12635
    explained = {workflow.finding_key(f): "已核实。" for f in warnings(report_findings(report))}
    report = workflow.report_submit(report=report, by=filer, explanations=explained)
    if state == "published":
        report = workflow.report_pass(report=report, by=person("wanxiaoling"))
        report = workflow.report_sign(report=report, by=person("xieweimin"))
        report = workflow.report_publish(report=report, by=person("xieweimin"))
    return report


@pytest.fixture
def seeded(transactional_db):
    load_demo()


@pytest.fixture
def published(seeded):
    """The public side with the seed's 2018 filing and the 2019 filing published."""
    return the_2019_filing("published")


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_page_has_no_serious_accessibility_violation(
    page, live_server, published, screenshot, name, path, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)
    check(page, screenshot, name, viewport)


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize(
    ("name", "username", "state", "path"), ADMIN_PAGES, ids=[row[0] for row in ADMIN_PAGES]
)
def test_admin_page_of_a_filing_has_no_serious_accessibility_violation(
    page, live_server, seeded, login, screenshot, name, username, state, path, viewport
):
    if state == "seed":
        report = AnnualReport.objects.get(period__year=2018)
    else:
        report = the_2019_filing(state)
    page.set_viewport_size(viewport)
    login(username, DEMO_PASSWORD)
    page.goto(live_server.url + path.format(pk=report.pk))
    check(page, screenshot, f"admin-{name}", viewport)


# --- reading the tables on a phone --------------------------------------------------------------


def region_of(page, table_id):
    return page.locator(".official-wrap", has=page.locator(f"#{table_id}"))


def test_on_a_phone_a_wide_table_scrolls_in_a_named_focusable_region_with_a_hint(
    page, live_server, published
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/reports/2019/nanchang-edu/")
    # Nothing widens the page: the wide tables scroll inside their regions.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for table_id, name in (
        ("table-t3", "三、收到和处理政府信息公开申请情况"),
        ("table-t4", "四、政府信息公开行政复议、行政诉讼情况"),
    ):
        region = page.get_by_role("region", name=f"表格：{name}")
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("table")).to_have_attribute("id", table_id)
        expect(region.get_by_text(HINT)).to_be_visible()
    # The keyboard scrolls a region once it has focus.
    table_four = region_of(page, "table-t4")
    table_four.focus()
    expect(table_four).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#table-t4').parentElement.scrollLeft > 0")
    # 表二 has four columns: it fits, so it says nothing about scrolling.
    expect(region_of(page, "table-t2")).to_be_visible()
    expect(region_of(page, "table-t2").get_by_text(HINT)).to_be_hidden()


def test_on_a_desktop_no_table_of_the_filing_page_shows_the_hint(page, live_server, published):
    page.goto(live_server.url + "/reports/2019/nanchang-edu/")
    for table_id in ("table-t2", "table-t3", "table-t4"):
        region = region_of(page, table_id)
        expect(region).to_be_visible()
        expect(region.get_by_text(HINT)).to_be_hidden()


@pytest.mark.parametrize("path", ["/reports/2018/nanchang-edu/", "/reports/2019/nanchang-edu/"])
def test_on_a_phone_the_website_forms_answers_are_on_screen(page, live_server, published, path):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    form = page.locator("table.website")
    expect(form).to_contain_text("南昌教育发布")
    rights = form.locator("td.answer").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= PHONE["width"]
    region = page.get_by_role("region", name="表格：政府网站工作年度报表")
    expect(region.get_by_text(HINT)).to_be_hidden()  # it fits
