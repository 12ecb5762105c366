"""Review without codes: a return reason pinned to what the reviewer clicks, shown to the filer
beside it on the entry pages and ticked off there; the checklist is the same on both sides."""

import json
import re

import pytest
from django.urls import reverse

from reports import selectors, websites, workflow
from reports.formats import codes
from reports.models import AnnualReport, ReviewComment, WebsiteForm
from reports.workflow import WorkflowError
from tests.helpers import complete, put

S = AnnualReport.Status
CELL, CELL_NAME = "t3-r1-c1", "表三 一、本年新收政府信息公开申请数量·自然人"
ROW, ROW_NAME = "row:t3:r1", "表三 一、本年新收政府信息公开申请数量（整行）"


@pytest.fixture
def report(office):
    report = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    websites.website_form_add(report=report, by=office["filer"])
    report.refresh_from_db()
    return report


def url(name, report, *args):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk, *args])


def returned(report, office, reason="请核对", targets=()):
    put(report, S.SUBMITTED, office)
    workflow.report_return(report=report, by=office["reviewer"], reason=reason, targets=targets)
    report.refresh_from_db()
    return ReviewComment.objects.filter(report=report).latest("id")


# --- the codes ------------------------------------------------------------------------------


def test_a_row_code_is_built_and_read_in_codes():
    assert codes.row_code("t3", "r3_1") == "row:t3:r3_1"
    parsed = codes.parse("row:t3:r3_1")
    assert (parsed.kind, parsed.table, parsed.key) == ("row", "t3", "r3_1")


@pytest.mark.parametrize(
    ("code", "kind", "key", "position"),
    [
        (codes.table_part_code("t3"), "table", "t3", None),
        (codes.form_part_code(2), "form", "", 2),
        (codes.NARRATIVE, "narrative", "", None),
    ],
)
def test_the_whole_parts_keep_their_stored_codes(code, kind, key, position):
    assert code in ("table:t3", "website:2", "narrative")
    parsed = codes.parse(code)
    assert (parsed.kind, parsed.key, parsed.position) == (kind, key, position)


def test_every_kind_of_target_has_a_persons_name(report):
    labels = selectors.review_target_labels(report)
    assert labels[CELL] == CELL_NAME
    assert labels[ROW] == ROW_NAME
    assert labels["table:t3"] == "统计表三 收到和处理政府信息公开申请情况"
    assert labels["w1:site_name"] == "网站报表1·网站名称"
    assert labels["w1:media"] == "网站报表1·移动新媒体"
    assert labels["website:1"].startswith("政府网站工作年度报表：")
    assert labels["n:s5"] == "正文·五、存在的主要问题及改进情况"
    assert labels["narrative"] == "报告正文"
    assert "row:t3:r3" not in labels  # a heading row has no cells of its own


# --- pinning: the server decides ------------------------------------------------------------


def test_a_return_may_be_pinned_to_a_row_a_section_and_a_website_field(report, office):
    comment = returned(report, office, targets=[ROW, "n:s5", "w1:site_name", CELL])
    assert comment.targets == [ROW, "n:s5", "w1:site_name", CELL]


@pytest.mark.parametrize("target", ["t9-r1", "row:t3:r99", "w1:nonsense", "w7:site_name", "n:zz"])
def test_a_return_pinned_to_something_the_filing_has_not_is_refused(report, office, target):
    put(report, S.SUBMITTED, office)
    with pytest.raises(WorkflowError, match=f"未知的单元格代码：{re.escape(target)}"):
        workflow.report_return(
            report=report, by=office["reviewer"], reason="请核对", targets=[target]
        )
    report.refresh_from_db()
    assert report.status == S.SUBMITTED and not ReviewComment.objects.exists()


def test_a_filer_cannot_pin_a_reason(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["filer"])
    response = client.post(
        url("workflow", report), {"action": "return", "reason": "自己退回", "targets": [CELL]}
    )
    assert response.status_code == 200  # the page again, with the refusal
    assert not ReviewComment.objects.exists()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert 'class="review-filing' not in response.content.decode()  # nothing to click either


def test_another_agencys_reviewer_gets_404(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["other_reviewer"])
    post = {"action": "return", "reason": "请核对", "targets": [CELL]}
    assert client.post(url("workflow", report), post).status_code == 404
    assert not ReviewComment.objects.exists()


def test_the_reviewer_clicks_the_filing_below_the_return_form(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    page = client.get(url("workflow", report)).content.decode()
    review = page.split('class="review-filing')[1]
    assert f'class="pick" data-target="{CELL}"' in review
    assert f'class="pick pick-row" data-target="{ROW}"' in review
    assert 'data-target="n:s5"' in review and 'data-target="w1:site_name"' in review
    labels = json.loads(re.search(r'id="review-labels"[^>]*>(.*?)</script>', page).group(1))
    assert labels[CELL] == CELL_NAME and labels[ROW] == ROW_NAME
    assert "reports/review.js" in page


def test_the_head_picks_targets_too_when_returning_a_passed_filing(client, report, office):
    put(report, S.REVIEWED, office)
    client.force_login(office["head"])
    page = client.get(url("workflow", report)).content.decode()
    assert f'data-target="{CELL}"' in page
    response = client.post(
        url("workflow", report), {"action": "return", "reason": "请补正文", "targets": ["n:s5"]}
    )
    assert response.status_code == 302
    assert ReviewComment.objects.get(report=report).targets == ["n:s5"]


def test_a_refused_return_keeps_the_reason_and_every_pick_with_its_name(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    response = client.post(
        url("workflow", report),
        {
            "action": "return",
            "reason": "表三请核对",
            "targets": [CELL, ROW, "table:t2"],
            "cells": "t9",
        },
    )
    text = response.content.decode()
    assert "未知的单元格代码：t9" in text
    assert ">表三请核对</textarea>" in text
    picked = text.split('id="picked-targets"')[1].split("</ul>")[0]
    assert f'value="{CELL}" checked> {CELL_NAME}' in picked
    assert f'value="{ROW}" checked> {ROW_NAME}' in picked
    assert 'value="table:t2" checked' in text  # a whole table stays ticked among the parts
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


# --- the filer: beside the cell, ticked off there -------------------------------------------


def test_the_filer_sees_each_open_reason_beside_its_target_on_the_entry_pages(
    client, report, office
):
    returned(report, office, reason="自然人数请核对", targets=[CELL])
    for body, target in (("网站名称写全称", "w1:site_name"), ("问题写具体", "n:s5")):
        ReviewComment.objects.create(
            report=report, author=office["reviewer"], body=body, targets=[target]
        )
    client.force_login(office["filer"])

    tables = client.get(url("tables", report)).content.decode()
    cell = tables.split(f'data-code="{CELL}"')[1].split("</td>")[0]
    assert "自然人数请核对" in cell and 'class="review-tick"' in cell
    assert 'class="pick' not in tables  # the filer's page has nothing to pick
    panel = tables.split('class="review-panel"')[1].split("</section>")[0]
    assert '审核意见（<span class="review-open-count">3</span>项未处理）' in panel
    assert f'<a href="{url("tables", report)}#v-{CELL}">{CELL_NAME}</a>' in panel
    assert f'<a href="{url("narrative", report)}#section-s5">' in panel

    website = client.get(url("website", report, 1)).content.decode()
    assert "网站名称写全称" in website and "自然人数请核对" in website  # beside; in the checklist
    narrative = client.get(url("narrative", report)).content.decode()
    section = narrative.split('id="section-s5"')[1].split("</section>")[0]
    assert "问题写具体" in section and 'class="review-tick"' in section


def test_a_row_reason_sits_beside_the_row_label(client, report, office):
    returned(report, office, reason="整行请核对", targets=[ROW])
    client.force_login(office["filer"])
    tables = client.get(url("tables", report)).content.decode()
    pinned_row = '<th scope="row" class="label level-0 flagged-pinned">'
    label = tables.split(pinned_row)[1].split("</th>")[0]
    assert label.startswith("一、本年新收政府信息公开申请数量") and "整行请核对" in label


def test_the_filer_ticks_a_reason_off_without_leaving_the_page(client, report, office):
    comment = returned(report, office, targets=[CELL])
    client.force_login(office["filer"])
    tick = url("resolve_comment", report, comment.pk)
    answer = client.post(tick, {"resolved": "1"}, HTTP_ACCEPT="application/json")
    assert answer.json() == {"resolved": True, "open": 0}
    comment.refresh_from_db()
    ticked_at = comment.resolved_at
    assert ticked_at is not None
    client.post(tick, {"resolved": "1"}, HTTP_ACCEPT="application/json")  # a second click: same
    comment.refresh_from_db()
    assert comment.resolved_at == ticked_at
    # Ticked off: no longer beside the cell, still on the checklist, marked done on both sides.
    tables = client.get(url("tables", report)).content.decode()
    assert 'class="review-reason' not in tables.split(f'data-code="{CELL}"')[1].split("</td>")[0]
    assert '审核意见（<span class="review-open-count">0</span>项未处理）' in tables
    workflow_page = client.get(url("workflow", report)).content.decode()
    assert f'<li class="resolved" data-comment="{comment.pk}">' in workflow_page
    answer = client.post(tick, {"resolved": "0"}, HTTP_ACCEPT="application/json")
    assert answer.json() == {"resolved": False, "open": 1}


def test_only_the_filer_of_a_draft_ticks_reasons_off(client, report, office):
    comment = returned(report, office, targets=[CELL])
    tick = url("resolve_comment", report, comment.pk)
    client.force_login(office["reviewer"])
    assert client.post(tick, {"resolved": "1"}).status_code == 403
    client.force_login(office["other_filer"])
    assert client.post(tick, {"resolved": "1"}).status_code == 404
    client.force_login(office["filer"])
    put(report, S.SUBMITTED, office)
    assert client.post(tick, {"resolved": "1"}).status_code == 403  # submitted again: locked
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_the_reviewer_sees_the_open_reasons_beside_the_cells_read_only(client, report, office):
    returned(report, office, reason="自然人数请核对", targets=[CELL])
    client.force_login(office["reviewer"])
    change = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    cell = change.content.decode().split(f'data-code="{CELL}"')[1].split("</td>")[0]
    assert "自然人数请核对" in cell and "review-tick" not in cell


def test_the_checklist_reads_its_reasons_in_a_fixed_number_of_queries(
    report, office, django_assert_max_num_queries
):
    returned(report, office, targets=[CELL])
    for n in range(20):
        ReviewComment.objects.create(
            report=report, author=office["reviewer"], body=f"意见{n}", targets=[ROW, "w1:media"]
        )
    WebsiteForm.objects.filter(report=report).update(values={"site_name": "甲局网站"})
    report = AnnualReport.objects.select_related("agency", "period").get(
        pk=report.pk
    )  # as the admin
    with django_assert_max_num_queries(2):
        items = selectors.review_checklist(report)
    assert len(items) == 21
    assert [t.label for t in items[-1].targets] == [ROW_NAME, "网站报表1·移动新媒体"]
