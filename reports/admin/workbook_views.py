"""The workbook pages of a filing (see AnnualReportAdmin.get_urls).

下载工作簿 (pre-filled, or blank with ``?blank=1``) → fill offline → 上传工作簿 → a preview of
every change and every problem → 确认导入, which applies all of it or nothing.

Between preview and confirmation the uploaded bytes wait in the session (base64, capped by
the upload limit) with the filing version the preview was read at, so any web process can
confirm. The confirm form posts the file's SHA-256 and that version back; a POST without
them, or with another file or version than the one staged, is refused. The confirmation
re-checks the file, reads it again and applies it against the staged version: if the filing
was saved since the preview (its version moved) nothing is written and the refusal names the
filing. Views translate HTTP only: the rules are in `reports.spreadsheets` and
`reports.services`.
"""

import base64
import hashlib

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header

from reports import services
from reports.admin.base import NoVersion, filing_page, import_refused, posted_version
from reports.spreadsheets.safety import (
    XLSX,
    SpreadsheetError,
    check_upload,
    human_size,
    max_upload_bytes,
)
from reports.spreadsheets.versions import changed_since_preview
from reports.spreadsheets.workbook import CONTENT_TYPE, export_workbook, file_name
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook

TEMPLATES = "admin/reports/annualreport/"


def session_key(report) -> str:
    return f"workbook-upload-{report.pk}"


def download(model_admin, request, report):
    """The workbook, pre-filled (or blank with ?blank=1), for anyone who may read the filing."""
    blank = request.GET.get("blank") == "1"
    response = HttpResponse(export_workbook(report, blank=blank), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(report, blank=blank)
    )
    return response


def _page(model_admin, request, report, template, **context):
    return filing_page(
        model_admin,
        request,
        report,
        TEMPLATES + template,
        upload_url=reverse("admin:reports_annualreport_workbook_upload", args=[report.pk]),
        download_url=reverse("admin:reports_annualreport_workbook", args=[report.pk]),
        limit=human_size(max_upload_bytes()),
        **context,
    )


def upload(model_admin, request, report):
    """GET: the upload form. POST: read the file and show the preview (nothing is saved)."""
    if refused := import_refused(model_admin, request, report, "工作簿"):
        return refused
    problems = []
    if request.method == "POST":
        received = request.FILES.get("file")
        try:
            if received is None:
                raise SpreadsheetError("请选择要上传的工作簿文件（.xlsx）。")
            if received.size > max_upload_bytes():
                # Refuse before reading it into memory.
                raise SpreadsheetError(
                    f"「{received.name}」有 {human_size(received.size)}，"
                    f"超过了 {human_size(max_upload_bytes())} 的上限。"
                )
            staged = check_upload(received.read(), received.name, allowed=(XLSX,))
            preview = read_workbook(report, staged)
        except SpreadsheetError as problem:
            problems = problem.problems
        else:
            if preview.ok:
                request.session[session_key(report)] = {
                    "name": staged.name,
                    "sha256": staged.sha256,
                    "version": preview.version,
                    "data": base64.b64encode(staged.data).decode("ascii"),
                }
            return _preview_page(model_admin, request, report, preview)
    return _page(
        model_admin,
        request,
        report,
        "workbook_upload.html",
        title=f"{report.title} · 上传工作簿",
        problems=problems,
    )


def _preview_page(model_admin, request, report, preview):
    return _page(
        model_admin,
        request,
        report,
        "workbook_preview.html",
        title=f"{report.title} · 导入预览",
        preview=preview,
        confirm_url=reverse("admin:reports_annualreport_workbook_confirm", args=[report.pk]),
    )


def confirm(model_admin, request, report):
    """Apply the previewed upload (POST): re-checked, re-read, all or nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if refused := import_refused(model_admin, request, report, "工作簿"):
        return refused
    staged = request.session.get(session_key(report))
    upload_url = reverse("admin:reports_annualreport_workbook_upload", args=[report.pk])
    try:
        version = posted_version(request)
    except NoVersion:
        messages.error(
            request, "未导入：确认表单缺少版本信息，无法确认与预览时的报告一致。请重新上传。"
        )
        return redirect(upload_url)
    if (
        not staged
        or staged.get("sha256") != request.POST.get("sha256")
        or staged.get("version") != version
    ):
        messages.error(
            request, "待确认的上传已失效（可能已导入或已在其他页面重新上传），请重新上传。"
        )
        return redirect(upload_url)
    data = base64.b64decode(staged["data"])
    try:
        if hashlib.sha256(data).hexdigest() != staged["sha256"]:
            raise SpreadsheetError("暂存的文件已损坏，请重新上传。")
        preview = read_workbook(report, check_upload(data, staged["name"], allowed=(XLSX,)))
        preview.version = staged["version"]
        record = apply_workbook(preview, by=request.user)
    except SpreadsheetError as problem:
        messages.error(request, f"未导入：{problem}")
        return redirect(upload_url)
    except services.EditConflict:
        request.session.pop(session_key(report), None)
        messages.error(
            request,
            f"{changed_since_preview(report)}请重新上传，查看最新的修改预览。",
        )
        return redirect(upload_url)
    except services.ReportLocked as problem:
        request.session.pop(session_key(report), None)
        messages.error(request, f"未导入：{problem}")
        return redirect("admin:reports_annualreport_change", report.pk)
    request.session.pop(session_key(report), None)
    messages.success(
        request, f"已导入工作簿「{record.file_name}」，修改了{record.cells_changed}处。"
    )
    return redirect("admin:reports_annualreport_change", report.pk)
