"""The Content-Security-Policy in a real browser.

A blocked script or stylesheet breaks a page silently: Chromium only says so in the console.
Each test walks through pages as a person would, listens to the console, and checks that
what the static files do (styles, live totals, buttons) still happens.
"""

import pytest
from django.urls import path
from playwright.sync_api import expect

from portal.urls import urlpatterns as portal_urlpatterns
from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, ReportingPeriod

# What Chromium logs for a refused inline script/style, a refused source, or a bad header.
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


def boom(request):
    raise RuntimeError("a failure the visitor must not see")


# The portal's own addresses plus one view that fails, for the server-error page.
urlpatterns = [path("boom/", boom), *portal_urlpatterns]


@pytest.fixture
def seeded(transactional_db):
    load_demo()


@pytest.fixture
def violations(page):
    """Console messages about the policies, and uncaught script errors, as they happen."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if any(word in message.text for word in POLICY_WORDS)
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    return seen


def visit(page, url, violations):
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert violations == []
    return response


def style_of(page, selector, prop):
    return page.locator(selector).first.evaluate(
        f"element => getComputedStyle(element).getPropertyValue({prop!r})"
    )


def test_public_pages_load_everything_under_the_policy(
    page, live_server, seeded, violations, screenshot
):
    visit(page, live_server.url + "/", violations)
    assert style_of(page, ".site-header", "background-color") == "rgb(158, 27, 27)"
    screenshot("csp-public-home")

    visit(page, live_server.url + "/reports/2018/nanchang-edu/", violations)
    expect(page.locator("article.filing-document")).to_contain_text("247")
    assert style_of(page, "table.official", "border-collapse") == "collapse"
    screenshot("csp-public-filing")

    visit(page, live_server.url + "/agencies/nanchang-edu/", violations)
    expect(page.locator("svg.bar-chart rect").first).to_be_visible()
    assert style_of(page, "svg.bar-chart rect", "fill") == "rgb(158, 27, 27)"
    screenshot("csp-public-agency-charts")

    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert violations == []
    screenshot("csp-404")


def test_the_error_pages_keep_the_sites_look_under_the_policy(
    page, live_server, transactional_db, settings, violations, screenshot
):
    settings.ROOT_URLCONF = __name__
    response = page.goto(live_server.url + "/boom/")
    assert response.status == 500
    expect(page.get_by_role("heading", name="服务器出现错误")).to_be_visible()
    assert style_of(page, ".site-header", "background-color") == "rgb(158, 27, 27)"
    assert "must not see" not in page.content()
    assert violations == []
    screenshot("csp-500")


def test_a_filers_pages_load_everything_under_the_policy(
    page, live_server, seeded, login, violations, screenshot
):
    report = AnnualReport.objects.get(period__year=2019)
    admin = f"{live_server.url}/admin/reports/annualreport/{report.pk}"
    login("zhangpeng", DEMO_PASSWORD)
    assert violations == []
    screenshot("csp-admin-index")

    visit(page, f"{admin}/tables/", violations)
    page.locator("#v-t3-r1-c1").fill("5")
    page.locator("#v-t3-r1-c2").fill("2")
    expect(page.locator("#v-t3-r1-c7")).to_have_value("7")  # tables.js runs
    assert violations == []
    screenshot("csp-admin-tables")

    visit(page, f"{admin}/narrative/", violations)
    assert style_of(page, ".narrative-page .header-preview", "background-color") == (
        "rgb(246, 248, 250)"  # narrative.css applies
    )
    screenshot("csp-admin-narrative")

    visit(page, f"{admin}/workflow/", violations)
    expect(page.locator(".status-card")).to_be_visible()
    assert style_of(page, ".status-card", "background-color") == "rgb(246, 248, 250)"
    screenshot("csp-admin-workflow")

    visit(page, f"{admin}/change/", violations)
    screenshot("csp-admin-filing")
    page.get_by_role("button", name="新增网站报表").click()
    expect(page.locator("#f-filer")).to_have_value("南昌市教育局")
    assert violations == []
    screenshot("csp-admin-website")

    visit(page, f"{admin}/timeline/", violations)
    screenshot("csp-admin-timeline")

    visit(page, f"{admin}/workbook/upload/", violations)
    assert style_of(page, ".workbook-page", "max-width") == "1100px"  # workbook.css applies
    screenshot("csp-admin-workbook-upload")

    visit(page, f"{admin}/print/", violations)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") is True  # print.js bound the button
    assert violations == []
    screenshot("csp-admin-print")


def test_the_admins_own_pages_load_everything_under_the_policy(
    page, live_server, seeded, login, violations, screenshot
):
    login("admin", DEMO_PASSWORD)
    changelist = f"{live_server.url}/admin/reports/annualreport/"
    visit(page, changelist, violations)
    screenshot("csp-admin-changelist")

    visit(page, f"{changelist}add/", violations)
    page.locator(".field-agency .select2-selection").click()  # the admin's autocomplete
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert violations == []
    screenshot("csp-admin-add-filing-autocomplete")

    visit(page, f"{changelist}board/", violations)
    screenshot("csp-admin-board")

    period = ReportingPeriod.objects.get(year=2019)
    visit(page, f"{live_server.url}/admin/reports/reportingperiod/{period.pk}/change/", violations)
    page.locator(".datetimeshortcuts .date-icon").first.click()  # the admin's calendar
    expect(page.locator(".calendarbox").first).to_be_visible()
    assert violations == []
    screenshot("csp-admin-period-calendar")

    visit(page, f"{live_server.url}/admin/reports/agency/export/", violations)
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    expect(fields.first).to_be_checked()
    page.locator("input.select-toggle").first.uncheck()  # 全选, bound by export.js
    expect(fields.first).not_to_be_checked()
    assert violations == []
    screenshot("csp-admin-agency-export")

    visit(page, f"{live_server.url}/admin/reports/agency/import/", violations)
    screenshot("csp-admin-agency-import")
