"""A filing's extra admin pages: one table of URLs, one scoped lookup, one way to refuse a save."""

import pytest
from django.urls import reverse

from reports import services, websites
from reports.models import AnnualReport, WebsiteForm
from tests.helpers import complete, put
from tests.test_admin_access import filing_urls

S = AnnualReport.Status
STALE = "保存冲突：在您填写期间，他人已保存了该报告"


@pytest.fixture
def report(office):
    return AnnualReport.objects.create(agency=office["bureau"], period=office["period"])


def url(name, report, *args):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk, *args])


def someone_else_saves(report, office):
    services.report_save_values(report=report, by=office["filer"], entries={"t3-r1-c1": ("1", "")})
    report.refresh_from_db()


# --- the table of pages -------------------------------------------------------------------


def test_every_page_of_a_filing_opens_for_its_agency_and_is_404_for_another(client, report, office):
    other = AnnualReport.objects.create(agency=office["other"], period=office["period"])
    for filing in (report, other):
        WebsiteForm.objects.create(report=filing, position=1)

    client.force_login(office["filer"])
    own = filing_urls(report)
    assert len(own) >= 17  # 14 extra pages, and Django's change, history and delete
    for page in own:
        # 403: a POST-only step or a page for superusers; 405: confirm, which only takes POST.
        assert client.get(page).status_code in (200, 403, 405), page
    for page in filing_urls(other):
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"action": "submit"}).status_code == 404, page


@pytest.mark.parametrize("name", ["narrative_draft", "website_add", "resolve_comment"])
def test_a_post_only_step_refuses_a_get(client, report, office, name):
    client.force_login(office["filer"])
    args = [1] if name == "resolve_comment" else []
    assert client.get(url(name, report, *args)).status_code == 403


def test_the_workbook_confirmation_takes_only_a_post(client, report, office):
    client.force_login(office["filer"])
    assert client.get(url("workbook_confirm", report)).status_code == 405


# --- a refused save shows the form again, with what was typed -------------------------------


def test_a_stale_tables_form_keeps_the_figures_and_goes_out_at_the_current_version(
    client, report, office
):
    client.force_login(office["filer"])
    opened_at = report.version
    someone_else_saves(report, office)
    response = client.post(
        url("tables", report), {"version": opened_at, "v:t3-r1-c2": "7", "v:t3-r1-c1": "9"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text
    assert 'name="v:t3-r1-c2" id="v-t3-r1-c2" value="7"' in text
    assert f'name="version" value="{report.version}"' in text
    assert response.context["form_version"] == report.version != opened_at


def test_a_stale_website_form_keeps_the_answers_and_the_notes(client, report, office):
    form = websites.website_form_add(report=report, by=office["filer"])
    report.refresh_from_db()
    opened_at = report.version
    someone_else_saves(report, office)
    client.force_login(office["filer"])
    response = client.post(
        url("website", report, form.position),
        {"version": opened_at, "m-count": "0", "f:visitors": "12", "n:visitors": "含移动端"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text
    assert 'name="f:visitors" id="f-visitors" value="12"' in text
    assert "含移动端" in text
    assert response.context["form_version"] == report.version


def test_a_refused_narrative_keeps_the_text_and_the_version_it_was_opened_at(
    client, report, office
):
    client.force_login(office["filer"])
    too_long = "本机关按规定开展工作。" * 2001
    response = client.post(url("narrative", report), {"version": report.version, "s:s1": too_long})
    assert response.status_code == 200
    text = response.content.decode()
    assert "未保存：" in text and "不能超过20000字" in text
    assert too_long in text
    assert response.context["form_version"] == report.version


def test_a_refused_draft_is_shown_on_the_narrative_form(client, report, office):
    client.force_login(office["filer"])
    response = client.post(
        url("narrative_draft", report), {"version": report.version, "s:s1": "字" * 20001}
    )
    assert response.status_code == 200
    assert "未生成初稿：" in response.content.decode()
    assert not report.sections.exists()


def test_a_draft_that_saves_goes_back_to_the_narrative_page(client, report, office):
    client.force_login(office["filer"])
    response = client.post(url("narrative_draft", report), {"version": report.version})
    assert response.status_code == 302
    assert response["Location"] == url("narrative", report)


def test_a_refused_return_keeps_the_reason_the_parts_and_the_cells(client, report, office):
    put(complete(report), S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    response = client.post(
        url("workflow", report),
        {"action": "return", "reason": "表三请核对", "targets": ["table:t3"], "cells": "t9-r1"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "未知的单元格代码：t9-r1" in text
    assert ">表三请核对</textarea>" in text
    assert 'name="cells" value="t9-r1"' in text
    assert 'value="table:t3" checked' in text
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_a_move_that_succeeds_redirects_to_the_page(client, report, office):
    complete(report)
    client.force_login(office["filer"])
    response = client.post(url("workflow", report), {"action": "submit"})
    assert response.status_code == 302
    assert response["Location"] == url("workflow", report)
