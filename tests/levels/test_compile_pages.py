"""The compile page (choose, preview cell by cell, apply) and the drill-down page, as a
coordinator uses them."""

import pytest

from reports import services
from reports.models import AnnualReport, Compilation, Membership, ReportValue
from tests.levels.conftest import filled, person, requests, signed

Role = Membership.Role
NATURAL = "t3-r1-c1"
COMPILE = "/admin/reports/annualreport/compile/district/"


@pytest.fixture
def two_signed(region):
    signed(region, "edu", filled(region, "edu", requests(3, 1)))
    signed(region, "health", filled(region, "health", requests(5)))
    filled(region, "office", requests(2))
    return region


def test_the_compile_page_previews_then_applies_what_it_showed(two_signed, client):
    region = two_signed
    client.force_login(region["district_co"])
    page = client.get(COMPILE, {"year": 2021}).content.decode()
    assert "区教育局" in page and "区卫健委" in page
    assert "区政府办公室" in page and "填报中，尚未签发" in page  # shown, not selectable
    assert "汇总结果预览：2个单位" in page and "应用汇总" in page
    # The preview's stamp and version travel with the apply form.
    response = client.post(
        COMPILE + "?year=2021",
        {
            "chosen": "1",
            "include": ["edu", "health"],
            "version": "",
            "sources": page.split('name="sources" value="')[1].split('"')[0],
        },
    )
    report = AnnualReport.objects.get(agency=region["district"])
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{report.pk}/compiled/")
    assert ReportValue.objects.get(report=report, code=NATURAL).value == 8


def test_a_stale_apply_is_refused_on_the_page_and_writes_nothing(two_signed, client):
    client.force_login(two_signed["district_co"])
    response = client.post(
        COMPILE + "?year=2021",
        {"chosen": "1", "include": ["edu", "health"], "version": "", "sources": "0" * 16},
        follow=True,
    )
    assert "汇总来源在预览之后有变化" in response.content.decode()
    assert not Compilation.objects.exists()


def test_only_the_governments_coordinators_open_the_compile_page(two_signed, client):
    client.force_login(person(two_signed, "edu", Role.FILER))
    assert client.get(COMPILE, {"year": 2021}).status_code == 403


def test_the_drill_down_lists_a_cells_contributors_and_marks_overrides(two_signed, client):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = AnnualReport.objects.get(agency=region["district"])
    services.report_save_values(
        report=report,
        by=person(region, "district", Role.FILER),
        entries={"t3-r1-c2": ("4", ""), "t3-r3_1-c2": ("4", "")},
    )
    client.force_login(person(region, "district", Role.REVIEWER))
    url = f"/admin/reports/annualreport/{report.pk}/compiled/"
    page = client.get(url, {"cell": NATURAL}).content.decode()
    assert "由以下2个单位的报告汇总生成" in page
    panel = page.split('id="contributors"')[1].split("</section>")[0]
    assert "区教育局" in panel and "区卫健委" in panel and "合计" in panel
    assert ">3<" in panel and ">5<" in panel and ">8<" in panel
    assert f'href="?cell={NATURAL}#contributors"' in page  # every cell a link
    assert page.count('class="override-mark"') == 2  # the two cells typed by hand
    workflow_page = client.get(f"/admin/reports/annualreport/{report.pk}/workflow/")
    assert "查看每格的构成" in workflow_page.content.decode()
