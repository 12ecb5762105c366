"""The workflow's admin pages: buttons, reasons, checklist, history, permissions."""

import pytest
from django.urls import reverse

from reports import workflow
from reports.models import AnnualReport, Membership, ReviewComment
from tests.helpers import complete, put

S = AnnualReport.Status
Role = Membership.Role


@pytest.fixture
def report(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


def url(name, report, *args):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk, *args])


def test_the_filer_sees_submit_and_submits(client, report, office):
    client.force_login(office["filer"])
    page = client.get(url("workflow", report)).content.decode()
    assert "提交审核" in page and "审核通过" not in page
    response = client.post(url("workflow", report), {"action": "submit"}, follow=True)
    assert "已提交审核" in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_a_refused_move_is_explained_on_the_page(client, report, office):
    client.force_login(office["filer"])
    response = client.post(url("workflow", report), {"action": "pass"}, follow=True)
    assert "当前状态为“填报中”" in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_the_reviewer_returns_with_a_reason_pinned_to_parts_and_cells(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    response = client.post(
        url("workflow", report),
        {
            "action": "return",
            "reason": "表三请核对",
            "targets": ["table:t3"],
            "cells": "t3-r1-c1, t3-r1-c7",
        },
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get(report=report)
    assert comment.targets == ["table:t3", "t3-r1-c1", "t3-r1-c7"]

    client.force_login(office["filer"])
    page = client.get(url("workflow", report)).content.decode()
    assert (
        "涉及：统计表三 收到和处理政府信息公开申请情况、表三 一、本年新收政府信息公开申请数量·自然人"
        in page
    )
    tables = client.get(url("tables", report)).content.decode()
    assert 'flagged-pinned" data-code="t3-r1-c1"' in tables


def test_a_return_pinned_to_an_unknown_cell_is_refused(client, report, office):
    put(report, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    response = client.post(
        url("workflow", report),
        {"action": "return", "reason": "请核对", "cells": "t9-r1"},
        follow=True,
    )
    assert "未知的单元格代码：t9-r1" in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_the_filer_ticks_off_review_comments(client, report, office):
    put(report, S.SUBMITTED, office)
    workflow.report_return(report=report, by=office["reviewer"], reason="请补充说明")
    comment = ReviewComment.objects.get(report=report)
    client.force_login(office["filer"])
    page = client.get(url("workflow", report)).content.decode()
    assert "请补充说明" in page and "☐" in page
    client.post(url("resolve_comment", report, comment.pk))
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    client.force_login(office["reviewer"])
    assert client.post(url("resolve_comment", report, comment.pk)).status_code == 403


def test_warnings_explained_on_submit_are_shown_to_the_reviewer(client, report, office):
    report.warning_explanations = {"11.r1|t2-r1-in_force": "含自然失效3件"}
    report.save()
    put(report, S.SUBMITTED, office)
    client.force_login(office["reviewer"])
    assert client.get(url("workflow", report)).status_code == 200


def test_other_agencies_get_404_on_the_workflow_pages(client, report, office):
    client.force_login(office["other_reviewer"])
    assert client.get(url("workflow", report)).status_code == 404
    assert client.post(url("workflow", report), {"action": "pass"}).status_code == 404
    assert client.get(url("timeline", report)).status_code == 404


def test_history_lists_state_and_value_changes_read_only(client, report, office):
    workflow.report_submit(report=report, by=office["filer"])
    client.force_login(office["head"])
    # complete() typed ~200 cells: the history runs over pages of 100, newest first.
    pages = [client.get(url("timeline", report), {"page": n}).content.decode() for n in (1, 2, 3)]
    text = "".join(pages)
    assert "填报中 → 待审核" in pages[0]
    assert "表三 一、本年新收政府信息公开申请数量·自然人" in text
    assert all("<form" not in page.split('id="content-main"')[1] for page in pages)


def test_unknown_actions_are_refused(client, report, office):
    client.force_login(office["filer"])
    assert client.post(url("workflow", report), {"action": "delete"}).status_code == 403


def test_the_head_schedules_publication_from_the_page(client, report, office):
    from reports.models import PublishedRevision

    put(report, S.APPROVED, office)
    client.force_login(office["head"])
    response = client.post(
        url("workflow", report), {"action": "publish", "publish_at": "2099-01-31T09:00"}
    )
    assert response.status_code == 302
    revision = PublishedRevision.objects.get(report=report)
    assert revision.published_at.isoformat() == "2099-01-31T01:00:00+00:00"  # 09:00 Asia/Shanghai
    response = client.post(
        url("workflow", report), {"action": "publish", "publish_at": "明天"}, follow=True
    )
    assert "定时公开的时间格式不正确" in response.content.decode()
