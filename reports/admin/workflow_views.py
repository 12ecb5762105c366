"""Admin pages of the workflow: a filing's 流转 page, its history, and the progress board.

Plain functions `view(model_admin, request, report, ...)` (the board has no `report`),
registered in `AnnualReportAdmin.get_urls`. They translate clicks into `reports.workflow`
calls; the rules live there.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reports import selectors, workflow
from reports.access import access_for
from reports.admin.base import filing_page, save_or_show_again
from reports.downloads import attachment_header
from reports.models import Membership, ReportingPeriod, ReviewComment
from reports.spreadsheets.safety import neutralise
from reports.validation import errors, warnings

Role = Membership.Role


def workflow_page(model_admin, request, report):
    """Status, signatures, review comments, and a button for each move the user may make."""
    if request.method != "POST":
        return _workflow_page(model_admin, request, report)
    action = request.POST.get("action", "")
    if action not in workflow.ACTIONS:
        raise PermissionDenied("未知操作。")

    def move():
        # Role, agency and state are checked (and explained) by the workflow itself.
        workflow_call(action, report, request)
        messages.success(request, f"已{workflow.ACTION_LABELS[action]}。")

    return save_or_show_again(
        request,
        report,
        move,
        show_again=lambda refused: _workflow_page(model_admin, request, report, typed=request.POST),
    )


def _workflow_page(model_admin, request, report, *, typed=None):
    """The 流转 page; after a refused move, its form shows what was `typed` (the POST)."""
    values, _ = selectors.report_values(report)
    findings = selectors.report_findings(report, values, require_complete=True)
    must_explain = warnings(findings) + (errors(findings) if report.period.is_historical else [])
    explanations = dict(report.warning_explanations)
    if typed and typed.get("action") == "submit":
        explanations.update(
            (key.removeprefix("explain:"), value)
            for key, value in typed.items()
            if key.startswith("explain:")
        )
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/workflow.html",
        title=f"{report.title} · 流转",
        actions=[
            (action, workflow.ACTION_LABELS[action])
            for action in workflow.allowed_actions(request.user, report)
        ],
        typed=typed or {},
        typed_targets=typed.getlist("targets") if typed else [],
        rule_errors=errors(findings),
        rule_warnings=warnings(findings),
        to_explain=[
            (workflow.finding_key(f), f, explanations.get(workflow.finding_key(f), ""))
            for f in must_explain
        ],
        explained=[
            (f, report.warning_explanations[workflow.finding_key(f)])
            for f in must_explain
            if workflow.finding_key(f) in report.warning_explanations
        ],
        comments=[
            (comment, [selectors.describe_target(report, code) for code in comment.targets])
            for comment in report.comments.select_related("author")
        ],
        changes=selectors.changes_since_return(report),
        targets=selectors.review_targets(report),
        can_resolve=model_admin.can_edit_values(request, report),
        history=report.status_changes.select_related("actor")[:20],
        revisions=report.revisions.all(),
    )


def workflow_call(action, report, request):
    post = request.POST
    by = request.user
    if action == "submit":
        explanations = {
            key.removeprefix("explain:"): value
            for key, value in post.items()
            if key.startswith("explain:")
        }
        return workflow.report_submit(report=report, by=by, explanations=explanations)
    if action == "return":
        targets = post.getlist("targets") + [
            code.strip()
            for code in post.get("cells", "").replace("，", ",").split(",")
            if code.strip()
        ]
        return workflow.report_return(
            report=report, by=by, reason=post.get("reason", ""), targets=targets
        )
    if action == "publish":
        at = None
        if post.get("publish_at"):
            at = parse_datetime(post["publish_at"].replace("T", " "))
            if at is None:
                raise workflow.WorkflowError("定时公开的时间格式不正确（例如 2025-01-31 09:00）。")
            at = timezone.make_aware(at) if timezone.is_naive(at) else at
        return workflow.report_publish(report=report, by=by, at=at)
    if action == "reopen":
        return workflow.report_reopen(report=report, by=by, reason=post.get("reason", ""))
    if action == "pass":
        return workflow.report_pass(report=report, by=by, note=post.get("note", ""))
    return workflow.report_sign(report=report, by=by)


def resolve_comment(model_admin, request, report, comment_id):
    """The filer ticks a review comment off (or on again) on the checklist."""
    if request.method != "POST" or not model_admin.can_edit_values(request, report):
        raise PermissionDenied("只有填报人可在填报中勾选审核意见。")
    comment = get_object_or_404(ReviewComment, pk=comment_id, report=report)
    comment.resolved_at = None if comment.resolved_at else timezone.now()
    comment.save(update_fields=["resolved_at"])
    return redirect("admin:reports_annualreport_workflow", report.pk)


def timeline(model_admin, request, report):
    """Every state change, value change and import, read-only, newest first, page by page."""
    page = selectors.report_timeline(report, page=request.GET.get("page"))
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/timeline.html",
        title=f"{report.title} · 流转与修改记录",
        page=page,
        page_range=page.paginator.get_elided_page_range(page.number),
    )


# --- the coordinator's progress board ---------------------------------------------------


def board(model_admin, request):
    """Every agency's state for a period, due dates, overdue, counts; CSV export."""
    access = access_for(request.user)
    if not access.is_member:
        raise PermissionDenied
    periods = list(ReportingPeriod.objects.order_by("-year"))
    if not periods:
        return redirect("admin:reports_reportingperiod_add")
    try:
        year = int(request.GET.get("year") or periods[0].year)
    except ValueError:
        year = periods[0].year
    period = next((p for p in periods if p.year == year), periods[0])
    rows = selectors.progress_board(period, access.visible_agency_ids(), today=timezone.localdate())
    if request.GET.get("format") == "csv":
        return board_csv(period, rows)
    counts = {label: 0 for label in selectors.BOARD_STATES}
    for row in rows:
        counts[row.state] += 1
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{period.year}年度填报进度",
        "period": period,
        "periods": periods,
        "rows": rows,
        "counts": counts,
        "overdue": sum(row.overdue for row in rows),
    }
    return TemplateResponse(request, "admin/reports/annualreport/board.html", context)


def board_csv(period, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(
        f"{period.year}年度填报进度.csv", f"board-{period.year}.csv"
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(["填报单位", "单位类型", "状态", "截止日期", "是否逾期", "最后更新"])
    for row in rows:
        writer.writerow(
            [
                neutralise(row.agency.name),
                row.agency.get_kind_display(),
                row.state,
                row.due.isoformat(),
                "逾期" if row.overdue else "",
                timezone.localtime(row.report.updated_at).strftime("%Y-%m-%d %H:%M")
                if row.report
                else "",
            ]
        )
    return response
