"""Admin pages of the workflow: a filing's 流转 page, its history, and the progress board.

They translate clicks into `reports.workflow` calls; the rules live there.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reports import selectors, workflow
from reports.access import access_for
from reports.downloads import attachment_header
from reports.models import Membership, ReportingPeriod, ReviewComment
from reports.spreadsheets.safety import neutralise
from reports.validation import errors, warnings

Role = Membership.Role


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "board/", wrap(lambda r: board_view(model_admin, r)), name="reports_annualreport_board"
        ),
        path(
            "<path:object_id>/workflow/",
            wrap(lambda r, object_id: workflow_view(model_admin, r, object_id)),
            name="reports_annualreport_workflow",
        ),
        path(
            "<path:object_id>/comments/<int:comment_id>/resolve/",
            wrap(
                lambda r, object_id, comment_id: resolve_view(model_admin, r, object_id, comment_id)
            ),
            name="reports_annualreport_resolve_comment",
        ),
        path(
            "<path:object_id>/timeline/",
            wrap(lambda r, object_id: timeline_view(model_admin, r, object_id)),
            name="reports_annualreport_timeline",
        ),
    ]


def page(model_admin, request, report, template, **context):
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": report,
            "report": report,
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
            **context,
        },
    )


def workflow_view(model_admin, request, object_id):
    """Status, signatures, review comments, and a button for each move the user may make."""
    report = model_admin.get_object(request, object_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in workflow.ACTIONS:
            raise PermissionDenied("未知操作。")
        # Role, agency and state are checked (and explained) by the workflow itself.
        try:
            workflow_call(action, report, request)
        except workflow.WorkflowError as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"已{workflow.ACTION_LABELS[action]}。")
            return redirect(request.path)
        report.refresh_from_db()

    values, _ = selectors.report_values(report)
    findings = selectors.report_findings(report, values, require_complete=True)
    must_explain = warnings(findings) + (errors(findings) if report.period.is_historical else [])
    return page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/workflow.html",
        title=f"{report.title} · 流转",
        actions=[
            (action, workflow.ACTION_LABELS[action])
            for action in workflow.allowed_actions(request.user, report)
        ],
        rule_errors=errors(findings),
        rule_warnings=warnings(findings),
        to_explain=[
            (
                workflow.finding_key(f),
                f,
                report.warning_explanations.get(workflow.finding_key(f), ""),
            )
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


def resolve_view(model_admin, request, object_id, comment_id):
    """The filer ticks a review comment off (or on again) on the checklist."""
    report = model_admin.get_object(request, object_id)
    if request.method != "POST" or not model_admin.can_edit_values(request, report):
        raise PermissionDenied("只有填报人可在填报中勾选审核意见。")
    comment = get_object_or_404(ReviewComment, pk=comment_id, report=report)
    comment.resolved_at = None if comment.resolved_at else timezone.now()
    comment.save(update_fields=["resolved_at"])
    return redirect("admin:reports_annualreport_workflow", report.pk)


def timeline_view(model_admin, request, object_id):
    """Every state change and every value change, read-only, newest first."""
    report = model_admin.get_object(request, object_id)
    return page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/timeline.html",
        title=f"{report.title} · 流转与修改记录",
        entries=selectors.report_timeline(report),
    )


# --- the coordinator's progress board ---------------------------------------------------


def board_view(model_admin, request):
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
