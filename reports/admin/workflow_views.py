"""Admin pages of the workflow: a filing's 流转 page, its history, and the progress board.

Plain functions `view(model_admin, request, report, ...)` (the board has no `report`),
registered in `AnnualReportAdmin.get_urls`. They translate clicks into `reports.workflow`
calls; the rules live there.

The return reasons (审核意见) are one checklist (`selectors.review_checklist`): the 流转 page
lists it, and whoever may return the filing picks a reason's targets there by clicking the
filing shown read-only below the form (`review_filing`); the entry pages show it at the top and
each open reason beside what it is pinned to (`review_context`), where the filer ticks it off
(`resolve_comment`).
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from openpyxl import Workbook

from reports import corrections, levels, selectors, services, websites, workflow
from reports.access import access_for
from reports.admin.base import filing_page, period_asked, save_or_show_again
from reports.admin.comparison_views import XLSX
from reports.downloads import attachment_header
from reports.filing_data import FilingData
from reports.formats import codes
from reports.models import Agency, Membership, ReviewComment
from reports.public import Correction
from reports.rendering import render_tables
from reports.spreadsheets.safety import neutralise
from reports.validation import errors, hints, warnings

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
    values, notes = selectors.report_values(report)
    findings = selectors.report_findings(report, values)
    must_explain = warnings(findings) + (errors(findings) if report.period.is_historical else [])
    explanations = dict(report.warning_explanations)
    if typed and typed.get("action") == "submit":
        explanations.update(
            (key.removeprefix("explain:"), value)
            for key, value in typed.items()
            if key.startswith("explain:")
        )
    actions = workflow.allowed_actions(request.user, report)
    checklist = selectors.review_checklist(report)
    targets = selectors.review_targets(report)
    typed_targets = typed.getlist("targets") if typed and typed.get("action") == "return" else []
    review, picked = None, []
    if workflow.A.RETURN in actions:
        review = review_filing(report, values, notes, findings, checklist)
        parts = {code for code, _ in targets}
        picked = [
            (code, review["labels"].get(code, ""))
            for code in dict.fromkeys(typed_targets)
            if code not in parts
        ]
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/workflow.html",
        title=f"{report.title} · 流转",
        actions=[(action, workflow.ACTION_LABELS[action]) for action in actions],
        typed=typed or {},
        typed_targets=typed_targets,
        rule_errors=errors(findings),
        rule_warnings=warnings(findings),
        rule_hints=hints(findings),
        to_explain=[
            (workflow.finding_key(f), f, explanations.get(workflow.finding_key(f), ""))
            for f in must_explain
        ],
        explained=[
            (f, report.warning_explanations[workflow.finding_key(f)])
            for f in must_explain
            if workflow.finding_key(f) in report.warning_explanations
        ],
        checklist=checklist,
        changes=selectors.changes_since_return(report),
        targets=targets,
        picked=picked,
        review=review,
        year=report.period.year,
        can_resolve=model_admin.can_edit_values(request, report),
        history=report.status_changes.select_related("actor")[:20],
        parent_review=report.period.parent_review and report.agency.parent_id is not None,
        parent_check=parent_check(report),
        compilation=report.compilations.first(),
        revisions=report.revisions.all(),
        correction=correction_preview(report),
    )


def parent_check(report):
    """The 主管部门审核 the filing passed since it was last signed (its StatusChange), if any."""
    if report.status not in (workflow.S.APPROVED, workflow.S.PUBLISHED):
        return None
    moves = report.status_changes.filter(action__in=[workflow.A.SIGN, workflow.A.PARENT_PASS])
    last = moves.select_related("actor").first()
    return last if last and last.action == workflow.A.PARENT_PASS else None


def correction_preview(report) -> Correction | None:
    """A correction under way: what it changes against the last published revision (the list
    its public page and JSON show once it is out, unless that revision is still scheduled
    then); None when no correction is under way. Reads that revision and the live filing."""
    if report.revision < 2:
        return None
    last = report.revisions.order_by("-number").first()
    if last is None or last.number >= report.revision:
        return None
    previous = FilingData.from_json(last.snapshot)
    return Correction(last, corrections.diff(previous, selectors.filing_data(report)))


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
    if action == "parent_pass":
        return workflow.report_parent_pass(report=report, by=by, note=post.get("note", ""))
    return workflow.report_sign(report=report, by=by)


def resolve_comment(model_admin, request, report, comment_id):
    """The filer ticks a return reason off, or on again: on the 流转 page's checklist (a form;
    each click toggles it, then the page again), or on an entry page, where review.js posts
    `resolved` (1 or 0) and reads the answer as JSON, so nothing typed on the page is lost."""
    if request.method != "POST" or not model_admin.can_edit_values(request, report):
        raise PermissionDenied("只有填报人可在填报中勾选审核意见。")
    comment = get_object_or_404(ReviewComment, pk=comment_id, report=report)
    wanted = request.POST.get("resolved")
    resolved = wanted == "1" if wanted in ("0", "1") else comment.resolved_at is None
    try:
        services.review_comment_resolve(comment=comment, by=request.user, resolved=resolved)
    except services.ReportLocked as refusal:
        raise PermissionDenied(str(refusal)) from None
    if "application/json" in request.headers.get("Accept", ""):
        still_open = report.comments.filter(resolved_at__isnull=True).count()
        return JsonResponse({"resolved": resolved, "open": still_open})
    return redirect("admin:reports_annualreport_workflow", report.pk)


def review_filing(report, values, notes, findings, checklist) -> dict:
    """The filing read-only below the return form: tables, website forms and 正文 with the
    open reasons beside their targets, and `labels` (every target's name, for the clicks)."""
    reasons = selectors.open_reasons(checklist)
    signed = websites.sign_off(report)
    texts = {section.key: section.body for section in report.sections.all()}
    sections = []
    for section in report.format.narrative.sections:
        code = codes.section_code(section.key)
        sections.append(
            {
                "key": section.key,
                "code": code,
                "name": section.name,
                "title": section.title,
                "writable": section.writable,
                "text": texts.get(section.key, ""),
                "reasons": reasons.get(code, ()),
            }
        )
    return {
        "labels": selectors.review_target_labels(report),
        # The reviewer's first question: what moved since last year (比对, always shown here).
        "tables": render_tables(
            report.format,
            values,
            notes,
            findings=findings,
            reasons=reasons,
            comparison=selectors.report_comparison(report),
        ),
        "sites": [
            websites.render_form(form, findings=findings, signatures=signed, reasons=reasons)
            for form in report.website_forms.all()
        ],
        "sections": sections,
        "narrative_reasons": reasons.get(codes.NARRATIVE, ()),
    }


def review_context(report, user) -> dict:
    """The return reasons on an entry page (statistics tables, a website form, the 正文): the
    checklist of the 流转 page, each target linked to where it is fixed (`review_checklist`,
    `review_open` of them not ticked off), the open ones by target to show beside each
    (`review_reasons`), and whether `user` ticks them off (`can_resolve`)."""
    checklist = selectors.review_checklist(report)
    for item in checklist:
        for target in item.targets:
            target.url = target_url(report, target.code)
    return {
        "review_checklist": checklist,
        "review_open": sum(not item.resolved for item in checklist),
        "review_reasons": selectors.open_reasons(checklist),
        "can_resolve": bool(checklist) and services.edit_refusal(report, user) is None,
    }


def target_url(report, code: str) -> str:
    """Where the filer fixes what a reason's target names: its entry page, at its place."""
    parsed = codes.parse(code)
    if parsed.kind in ("website", "form"):
        return reverse("admin:reports_annualreport_website", args=[report.pk, parsed.position])
    if parsed.kind in ("section", "narrative"):
        url = reverse("admin:reports_annualreport_narrative", args=[report.pk])
        return f"{url}#section-{parsed.key}" if parsed.kind == "section" else url
    url = reverse("admin:reports_annualreport_tables", args=[report.pk])
    if parsed.kind == "cell" and report.format.has_cell(code):
        return f"{url}#v-{code}"
    if parsed.kind in ("row", "table"):
        return f"{url}#table-{parsed.table or parsed.key}"
    return url


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


# --- the progress board across levels ----------------------------------------------------

BOARD_COLUMNS = ["填报单位", "单位类型", "状态", "截止日期", "是否逾期", "最后更新"]
LEVEL_COLUMNS = ["本级", "层级", "进度"]


def board(model_admin, request):
    """Every agency in view for a period, grouped by level (each government with the
    departments under it), with counts per stage, overdue, filters, and CSV / xlsx downloads
    of what the filters keep. A fixed number of queries whatever the number of agencies."""
    access = access_for(request.user)
    if not access.is_member:
        raise PermissionDenied
    periods, period = period_asked(request)
    if period is None:
        return redirect("admin:reports_reportingperiod_add")
    filters = board_filters(request.GET)
    progress = levels.progress(
        period, access.visible_agency_ids(), today=timezone.localdate(), filters=filters
    )
    if request.GET.get("format") == "csv":
        return board_csv(period, progress)
    if request.GET.get("format") == "xlsx":
        return board_xlsx(period, progress)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{period.year}年度填报进度",
        "period": period,
        "periods": periods,
        "progress": progress,
        "filters": filters,
        "stages": list(levels.STAGES),
        "kinds": Agency.Kind.choices,
        "depths": sorted(progress.tiers),
        "query": query.urlencode(),
        # Governments whose 本级 report this user may compile (a link on their row).
        "compilable": {
            level.government.pk
            for level in progress.levels
            if level.government and access.can_manage_agency(level.government.pk)
        },
    }
    return TemplateResponse(request, "admin/reports/annualreport/board.html", context)


def board_filters(get) -> levels.BoardFilters:
    """The board's filters from the query string; anything unknown is ignored."""
    stage = get.get("stage", "")
    kind = get.get("kind", "")
    try:
        depth = int(get["level"]) if get.get("level") else None
    except ValueError:
        depth = None
    return levels.BoardFilters(
        stage=stage if stage in levels.STAGES else "",
        overdue=get.get("overdue") == "1",
        kind=kind if kind in Agency.Kind.values else "",
        depth=depth,
        name=get.get("q", "").strip()[:50],
    )


def board_lines(progress) -> list[list[str]]:
    """One line per agency kept by the filters: the board's columns, then its level's."""
    lines = []
    for level in progress.levels:
        for row in level.rows:
            updated = (
                timezone.localtime(row.report.updated_at).strftime("%Y-%m-%d %H:%M")
                if row.report
                else ""
            )
            lines.append(
                [
                    neutralise(row.agency.name),
                    row.agency.get_kind_display(),
                    row.state,
                    row.due.isoformat(),
                    "逾期" if row.overdue else "",
                    updated,
                    neutralise(level.title),
                    f"第{level.depth}级",
                    levels.STAGE_OF_STATE[row.state],
                ]
            )
    return lines


def board_csv(period, progress) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(
        f"{period.year}年度填报进度.csv", f"board-{period.year}.csv"
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(BOARD_COLUMNS + LEVEL_COLUMNS)
    writer.writerows(board_lines(progress))
    return response


def board_xlsx(period, progress) -> HttpResponse:
    """Two sheets: 各单位 (the lines of the CSV) and 分级汇总 (counts per level and tier)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "各单位"
    sheet.append(BOARD_COLUMNS + LEVEL_COLUMNS)
    for line in board_lines(progress):
        sheet.append(line)
    summary = book.create_sheet("分级汇总")
    stages = list(levels.STAGES)
    summary.append(["层级", "本级", *stages, "逾期", "合计"])
    for level in progress.levels:
        counts = level.counts
        summary.append(
            [f"第{level.depth}级", neutralise(level.title)]
            + [counts.stages[s] for s in stages]
            + [counts.overdue, counts.total]
        )
    for depth, counts in progress.tiers.items():
        summary.append(
            [f"第{depth}级", "小计"]
            + [counts.stages[s] for s in stages]
            + [counts.overdue, counts.total]
        )
    total = progress.counts
    summary.append(
        ["全部", "合计"] + [total.stages[s] for s in stages] + [total.overdue, total.total]
    )
    for ws in (sheet, summary):
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment_header(
        f"{period.year}年度填报进度.xlsx", f"board-{period.year}.xlsx"
    )
    return response
