"""Reading published reports into filings, in the admin (see AnnualReportAdmin.get_urls).

One filing (导入已发布报告): upload a file (.html/.htm/.txt/.pdf/.docx) or paste the text →
a preview (the tables in the official layout as they would be, where the report printed each
value beside it, the cells left blank and why, what could not be placed, the validation of
the filing as it would be) → 确认导入, which writes all of it or nothing through
`reports.backfill.importing` (the path of `manage.py import_report`).

Many filings (批量导入已发布报告, 主管部门 only): upload a zip → each file matched to its agency
and year by its title (`reports.backfill.bulk`), the ones not certain listed for the user to
choose → 导入勾选的文件, each file all or nothing on its own.

Between preview and confirmation the bytes wait in the session (the database: every process
can confirm), base64, capped by the upload limit, with the filing version (one filing) the
preview read. The confirm form posts the SHA-256 of what it previewed (and, in bulk, what
each file was matched to with the filing version read); anything else than what was staged
and previewed is refused, nothing written. A pasted text that fails to import is shown
again in its box.
"""

import base64
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from reports import selectors, services
from reports.access import access_for
from reports.admin.base import NoVersion, filing_page, import_refused, posted_version
from reports.backfill import ExtractError, extract, from_text
from reports.backfill.bulk import (
    ASK,
    READY,
    BulkError,
    agencies_for,
    apply_item,
    preview_bulk,
    read_zip,
)
from reports.backfill.importing import (
    ReportImportError,
    Tally,
    apply_report,
    cell_sources,
    preview_report,
)
from reports.models import ReportingPeriod
from reports.rendering import render_tables
from reports.spreadsheets.safety import human_size, max_upload_bytes
from reports.spreadsheets.versions import changed_since_preview
from reports.validation import errors, hints, warnings

TEMPLATES = "admin/reports/"
ACCEPT = ".html,.htm,.txt,.pdf,.docx"
BULK_KEY = "backfill-bulk"


def session_key(report) -> str:
    return f"backfill-upload-{report.pk}"


def _too_big(name: str, size: int) -> ExtractError:
    return ExtractError(
        f"「{name}」有 {human_size(size)}，超过了 {human_size(max_upload_bytes())} 的上限。"
    )


# --- one filing -------------------------------------------------------------------------


def _upload_page(model_admin, request, report, *, problems=(), text=""):
    return filing_page(
        model_admin,
        request,
        report,
        TEMPLATES + "backfill_upload.html",
        title=f"{report.title} · 导入已发布报告",
        problems=problems,
        text=text,
        accept=ACCEPT,
        limit=human_size(max_upload_bytes()),
        format_name=report.format.name,
    )


def _received(request):
    """(document, staged dict) from the posted file or pasted text; ExtractError if neither
    can be read (Chinese)."""
    received = request.FILES.get("file")
    if received is not None:
        if received.size > max_upload_bytes():
            raise _too_big(received.name, received.size)  # before reading it into memory
        data, kind = received.read(), "file"
        document = extract(data, received.name)
    else:
        text = request.POST.get("text", "")
        if not text.strip():
            raise ExtractError("请选择要上传的报告文件，或把报告全文粘贴到文本框中。")
        data, kind = text.encode("utf-8"), "paste"
        if len(data) > max_upload_bytes():
            raise _too_big("粘贴的文本", len(data))
        document = from_text(text)
    staged = {"name": document.name, "kind": kind, "sha256": document.sha256}
    staged["data"] = base64.b64encode(data).decode("ascii")
    return document, staged


def _document_of(staged):
    data = base64.b64decode(staged["data"])
    if hashlib.sha256(data).hexdigest() != staged["sha256"]:
        raise ExtractError("暂存的文件已损坏，请重新上传。")
    if staged["kind"] == "paste":
        return from_text(data.decode("utf-8"))
    return extract(data, staged["name"])


def _pasted(staged) -> str:
    if staged and staged.get("kind") == "paste":
        return base64.b64decode(staged["data"]).decode("utf-8")
    return ""


def upload(model_admin, request, report):
    """GET: the form (a file, or the text pasted). POST: read it and show the preview."""
    if refused := import_refused(model_admin, request, report, "已发布报告"):
        return refused
    if request.method != "POST":
        return _upload_page(model_admin, request, report)
    try:
        document, staged = _received(request)
        preview = preview_report(report, document, user=request.user)
    except (ExtractError, ReportImportError) as problem:
        return _upload_page(
            model_admin,
            request,
            report,
            problems=[str(problem), *getattr(problem, "problems", [])],
            text=request.POST.get("text", "") if "file" not in request.FILES else "",
        )
    if preview.ok:
        request.session[session_key(report)] = {**staged, "version": preview.version}
    _, notes = selectors.report_values(report)
    return filing_page(
        model_admin,
        request,
        report,
        TEMPLATES + "backfill_preview.html",
        title=f"{report.title} · 已发布报告导入预览",
        preview=preview,
        tally=Tally.of(preview),
        text=request.POST.get("text", "") if staged["kind"] == "paste" else "",
        tables=render_tables(
            report.format,
            preview.values,
            notes,
            findings=preview.findings,
            sources=cell_sources(preview.reading),
        ),
        flagged=preview.reading.flagged(),
        rule_errors=errors(preview.findings),
        rule_warnings=warnings(preview.findings),
        rule_hints=hints(preview.findings),
        upload_url=reverse("admin:reports_annualreport_backfill", args=[report.pk]),
        confirm_url=reverse("admin:reports_annualreport_backfill_confirm", args=[report.pk]),
    )


def confirm(model_admin, request, report):
    """Apply the previewed report (POST): the staged bytes, read again, all or nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if refused := import_refused(model_admin, request, report, "已发布报告"):
        return refused
    staged = request.session.get(session_key(report))

    def again(message):
        return _upload_page(model_admin, request, report, problems=[message], text=_pasted(staged))

    try:
        version = posted_version(request)
    except NoVersion:
        return again("未导入：确认表单缺少版本信息，无法确认与预览时的报告一致。请重新预览。")
    if not staged or staged["sha256"] != request.POST.get("sha256") or staged["version"] != version:
        return again("待确认的导入已失效（可能已导入或已在其他页面重新预览），请重新预览。")
    try:
        preview = preview_report(report, _document_of(staged), user=request.user)
        preview.version = staged["version"]
        record = apply_report(preview, by=request.user)
    except (ExtractError, ReportImportError) as problem:
        return again(f"未导入：{problem}")
    except services.EditConflict:
        request.session.pop(session_key(report), None)
        return again(f"{changed_since_preview(report)}请重新预览，查看最新的修改。")
    except services.ReportLocked as problem:
        request.session.pop(session_key(report), None)
        messages.error(request, f"未导入：{problem}")
        return redirect("admin:reports_annualreport_change", report.pk)
    request.session.pop(session_key(report), None)
    messages.success(
        request,
        f"已导入已发布报告「{record.file_name}」，修改了{record.cells_changed}处，"
        f"{record.summary.get('flagged', 0)}个单元格无法确定，已留空。",
    )
    return redirect("admin:reports_annualreport_tables", report.pk)


# --- many filings (主管部门) ----------------------------------------------------------


def _coordinator(request):
    if not access_for(request.user).is_coordinator:
        raise PermissionDenied("只有主管部门可以批量导入所辖单位的已发布报告。")


def _bulk_page(model_admin, request, template, **context):
    return TemplateResponse(
        request,
        TEMPLATES + template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": "批量导入已发布报告",
            "limit": human_size(max_upload_bytes()),
            "bulk_url": reverse("admin:reports_annualreport_backfill_bulk"),
            "confirm_url": reverse("admin:reports_annualreport_backfill_bulk_confirm"),
            **context,
        },
    )


def _choices(post, count: int) -> dict:
    """file index → (agency id, year) as chosen on the preview page."""
    choices = {}
    for index in range(count):
        try:
            agency = int(post.get(f"agency-{index}") or 0)
            year = int(post.get(f"year-{index}") or 0)
        except ValueError:
            continue
        if agency:
            choices[index] = (agency, year or None)
    return choices


def _staged_entries(request):
    staged = request.session.get(BULK_KEY)
    if not staged or staged["sha256"] != request.POST.get("sha256"):
        raise BulkError("待确认的压缩包已失效（可能已导入或已在其他页面重新上传），请重新上传。")
    data = base64.b64decode(staged["data"])
    if hashlib.sha256(data).hexdigest() != staged["sha256"]:
        raise BulkError("暂存的压缩包已损坏，请重新上传。")
    entries, skipped = read_zip(data, staged["name"])
    return staged, entries, skipped


def bulk(model_admin, request):
    """GET: the form. POST: read the zip (or, 重新预览, the staged one with the choices made)
    and show every file's match and summary."""
    _coordinator(request)
    if request.method != "POST":
        return _bulk_page(model_admin, request, "backfill_bulk.html")
    try:
        if request.POST.get("action") == "rematch":
            staged, entries, skipped = _staged_entries(request)
        else:
            received = request.FILES.get("file")
            if received is None:
                raise BulkError("请选择要上传的 zip 压缩包。")
            if received.size > max_upload_bytes():
                raise BulkError(
                    f"「{received.name}」有 {human_size(received.size)}，"
                    f"超过了 {human_size(max_upload_bytes())} 的上限，请分批上传。"
                )
            data = received.read()
            entries, skipped = read_zip(data, received.name)
            staged = {
                "name": received.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "data": base64.b64encode(data).decode("ascii"),
            }
        if not entries:
            raise BulkError(f"「{staged['name']}」中没有报告文件（.html/.htm/.txt/.pdf/.docx）。")
    except BulkError as problem:
        return _bulk_page(model_admin, request, "backfill_bulk.html", problems=[str(problem)])
    request.session[BULK_KEY] = staged
    items = preview_bulk(entries, user=request.user, choices=_choices(request.POST, len(entries)))
    return _bulk_page(
        model_admin,
        request,
        "backfill_bulk_preview.html",
        staged=staged,
        items=items,
        skipped=skipped,
        agencies=agencies_for(request.user),
        years=list(ReportingPeriod.objects.order_by("-year").values_list("year", flat=True)),
        ready=sum(1 for item in items if item.status == READY),
        asking=sum(1 for item in items if item.status == ASK),
    )


def bulk_confirm(model_admin, request):
    """Import the files ticked on the preview (POST), each all or nothing, each only while it
    is matched to the filing, at the version, that the preview showed."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _coordinator(request)
    try:
        staged, entries, _ = _staged_entries(request)
    except BulkError as problem:
        return _bulk_page(model_admin, request, "backfill_bulk.html", problems=[str(problem)])
    items = preview_bulk(entries, user=request.user, choices=_choices(request.POST, len(entries)))
    results = []
    for item in items:
        if request.POST.get(f"apply-{item.index}") != "1":
            continue
        results.append((item, *_apply(item, request)))
    request.session.pop(BULK_KEY, None)
    return _bulk_page(
        model_admin,
        request,
        "backfill_bulk_done.html",
        staged=staged,
        results=results,
        imported=sum(1 for _, ok, _, _ in results if ok),
    )


def _apply(item, request) -> tuple[bool, str, str]:
    """(imported, what happened, the filing's page once imported)."""
    if item.status != READY or item.target != request.POST.get(f"target-{item.index}"):
        return (
            False,
            "与预览时的对应或报告版本不同，未导入，请重新上传预览。"
            + (f"（{item.message}）" if item.message and item.status != READY else ""),
            "",
        )
    try:
        record = apply_item(item, by=request.user)
    except services.EditConflict:
        return False, changed_since_preview(item.preview.report), ""
    except (services.ReportLocked, ReportImportError) as problem:
        return False, f"未导入：{problem}", ""
    url = reverse("admin:reports_annualreport_tables", args=[record.report_id])
    return True, f"已导入，修改了{record.cells_changed}处。", url
