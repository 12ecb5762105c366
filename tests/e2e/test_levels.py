"""Across levels in a real browser, at 1366 and 390 px: the 主管部门 above returns a department's
signed filing with a reason pinned to a cell; a compiled 本级 report's cell drills down to its
contributors; the progress board grouped by level. Screenshots: levels-*.png."""

import pytest
from playwright.sync_api import expect

from reports import services
from reports.models import AnnualReport, Membership, ReviewComment
from tests.levels.conftest import build_region, filled, person, requests, signed

Role = Membership.Role
PASSWORD = "pw-for-tests"
CELL = "t3-r1-c1"
CELL_NAME = "表三 一、本年新收政府信息公开申请数量·自然人"
REASON = "自然人申请数与登记簿不符，请核对"
WIDTHS = {"wide": 1366, "phone": 390}


@pytest.fixture
def region(make_agency, make_user, make_period):
    """The region of tests/levels (a city, a district, its departments and office)."""
    return build_region(make_agency, make_user, make_period)


@pytest.fixture
def refusals(page):
    """Script errors and anything the Content-Security-Policy refused."""
    seen = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def both_widths(page, screenshot, name, *, check_overflow=True):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"levels-{name}-{label}")
        # Nothing wider than the window but the tables' own scrolling regions.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert not check_overflow or overflow <= 1, (name, label, overflow)
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})


def test_the_coordinator_above_returns_a_signed_filing_with_a_reason_pinned_to_a_cell(
    page,
    live_server,
    transactional_db,
    login,
    screenshot,
    region,
    refusals,
):
    region["period"].parent_review = True
    region["period"].save()
    report = signed(region, "edu", filled(region, "edu", requests(3)))
    admin = f"{live_server.url}/admin/reports/annualreport/{report.pk}"

    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})
    login("district-co", PASSWORD)
    page.goto(f"{admin}/workflow/")
    expect(page.locator(".status-card")).to_contain_text("待主管部门审核")
    expect(page.get_by_role("button", name="主管部门审核通过")).to_be_visible()
    page.get_by_label("退回理由（必填）").fill(REASON)
    cell = page.locator(f'.review-filing td[data-code="{CELL}"] button.pick')
    cell.click()
    expect(page.locator("#picked-targets")).to_contain_text(CELL_NAME)
    both_widths(page, screenshot, "parent-review")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已退回修改")
    comment = ReviewComment.objects.get(report=report)
    assert (comment.author, comment.targets) == (region["district_co"], [CELL])
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.DRAFT

    # The filer finds the reason beside the cell.
    page.context.clear_cookies()
    login(person(region, "edu", Role.FILER).username, PASSWORD)
    page.goto(f"{admin}/tables/")
    expect(page.locator(f'td[data-code="{CELL}"] .review-reason')).to_contain_text(REASON)
    # The entry page is not this feature's: its layout is checked by its own browser tests.
    both_widths(page, screenshot, "parent-return-filer", check_overflow=False)
    assert refusals == []


def test_a_compiled_cell_drills_down_to_its_contributors(
    page,
    live_server,
    transactional_db,
    login,
    screenshot,
    region,
    refusals,
):
    signed(region, "edu", filled(region, "edu", requests(3, 1)))
    signed(region, "health", filled(region, "health", requests(5)))
    filled(region, "office", requests(2))
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})
    login("district-co", PASSWORD)

    # Choose, preview, apply.
    page.goto(f"{live_server.url}/admin/reports/annualreport/compile/district/?year=2021")
    expect(page.locator(".compile-page")).to_contain_text("汇总结果预览：2个单位")
    expect(page.locator("label.unavailable")).to_contain_text("区政府办公室")
    both_widths(page, screenshot, "compile-preview")
    page.get_by_role("button", name="应用汇总").click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        "已由2个单位的报告汇总生成本级报告统计表"
    )

    # The drill-down: click a cell of the compiled tables.
    page.get_by_role("link", name=f"{CELL_NAME}：8，查看构成").click()
    panel = page.locator("#contributors")
    expect(panel).to_contain_text("区教育局")
    expect(panel).to_contain_text("区卫健委")
    expect(panel.locator("tfoot")).to_contain_text("8")
    both_widths(page, screenshot, "drill-down")
    report = AnnualReport.objects.get(agency=region["district"])
    assert services.edit_refusal(report, None) is None
    assert refusals == []


def test_the_board_shows_each_level_with_its_counts(
    page,
    live_server,
    transactional_db,
    login,
    screenshot,
    region,
    refusals,
):
    signed(region, "edu", filled(region, "edu", requests(1)))
    filled(region, "health")
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})
    login("city-co", PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/board/?year=2021")
    expect(page.locator("section.level")).to_have_count(2)
    expect(page.locator("section.level").nth(1)).to_contain_text("某区人民政府本级")
    expect(page.locator("table.tiers")).to_contain_text("第2级")
    both_widths(page, screenshot, "board")
    page.locator("#board-stage").select_option("已签发")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("section.level table.board tbody tr")).to_have_count(1)
    expect(page.locator("table.board")).to_contain_text("区教育局")
    both_widths(page, screenshot, "board-filtered")
    assert refusals == []
