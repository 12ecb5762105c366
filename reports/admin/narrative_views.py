"""Extra admin pages of a filing (see AnnualReportAdmin.get_urls): the 正文 and the documents.

* ``reports_annualreport_narrative`` — the narrative page: a text box per section with its
  guidance, findings (提示) shown; POST saves all sections at once (optimistic locking);
* ``reports_annualreport_narrative_draft`` — POST 生成初稿: saves what was typed, then fills the
  sections still empty from the filing's numbers;
* ``reports_annualreport_print`` — the whole filing as a printable A4 page;
* ``reports_annualreport_docx`` / ``reports_annualreport_pdf`` — downloads.

Reading needs the filing to be visible (`get_object` answers 404 outside the user's
agencies); writing needs `can_edit_values` (filer or coordinator, filing a draft), else 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from reports import narrative, services
from reports.admin.base import posted_version
from reports.documents import file_name
from reports.documents.docx import document_docx
from reports.documents.html import render_print_page
from reports.documents.pdf import document_pdf
from reports.downloads import attachment_header
from reports.filing_data import filing_data
from reports.formats.narrative import (
    GOVERNMENT_ASPECT,
    legal_basis,
    narrative_format,
    opening_paragraphs,
)
from reports.validation import warnings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def urls(model_admin) -> list:
    """The admin URLs of the narrative and the documents, for `model_admin` (the filings')."""
    wrap = model_admin.admin_site.admin_view
    views = NarrativeViews(model_admin)
    return [
        path(
            "<path:object_id>/narrative/",
            wrap(views.narrative),
            name="reports_annualreport_narrative",
        ),
        path(
            "<path:object_id>/narrative/draft/",
            wrap(views.draft),
            name="reports_annualreport_narrative_draft",
        ),
        path("<path:object_id>/print/", wrap(views.print_view), name="reports_annualreport_print"),
        path("<path:object_id>/document.docx", wrap(views.docx), name="reports_annualreport_docx"),
        path("<path:object_id>/document.pdf", wrap(views.pdf), name="reports_annualreport_pdf"),
    ]


class NarrativeViews:
    """The views, bound to the filings' ModelAdmin for its object access and rights."""

    def __init__(self, model_admin):
        self.admin = model_admin

    def _report(self, request, object_id):
        report = self.admin.get_object(request, object_id)  # 404 outside the user's agencies
        if not self.admin.has_view_permission(request, report):
            raise PermissionDenied
        return report

    def _editable_or_403(self, request, report) -> None:
        if not self.admin.can_edit_values(request, report):
            raise PermissionDenied("该报告当前不可修改。")

    # --- the narrative page ---------------------------------------------------------------

    def narrative(self, request, object_id):
        report = self._report(request, object_id)
        if request.method != "POST":
            return self._page(request, report)
        self._editable_or_403(request, report)
        texts = self._posted(request, report)
        try:
            changed = narrative.narrative_save(
                report=report,
                by=request.user,
                texts=texts,
                expected_version=posted_version(request),
            )
        except services.EntryError as problem:
            messages.error(request, f"未保存：{problem}。已填写的内容均保留在下方。")
            return self._page(request, report, typed=texts, version=posted_version(request))
        except (services.EditConflict, services.ReportLocked) as problem:
            messages.error(request, str(problem))
            report.refresh_from_db()
            return self._page(request, report, typed=texts, version=report.version)
        messages.success(request, f"已保存，修改了{changed}个部分。")
        return redirect(request.path)

    def draft(self, request, object_id):
        """生成初稿: keep what was typed (saved first), then fill the empty sections."""
        report = self._report(request, object_id)
        if request.method != "POST":
            raise PermissionDenied("请在正文页面点击“生成初稿”。")
        self._editable_or_403(request, report)
        page = reverse("admin:reports_annualreport_narrative", args=[report.pk])
        texts = self._posted(request, report)
        try:
            if texts:
                narrative.narrative_save(
                    report=report,
                    by=request.user,
                    texts=texts,
                    expected_version=posted_version(request),
                )
            filled = narrative.narrative_fill_drafts(report=report, by=request.user)
        except services.EntryError as problem:
            messages.error(request, f"未生成初稿：{problem}。已填写的内容均保留在下方。")
            return self._page(request, report, typed=texts, version=posted_version(request))
        except (services.EditConflict, services.ReportLocked) as problem:
            messages.error(request, str(problem))
            report.refresh_from_db()
            return self._page(request, report, typed=texts, version=report.version)
        if filled:
            fmt = narrative_format(report.period.format_code)
            names = "、".join(fmt.section(key).name for key in filled)
            messages.success(
                request,
                f"已根据统计数据为{len(filled)}个空白部分生成初稿：{names}。"
                "请逐段核对、改写〔请填写〕处后保存。",
            )
        else:
            messages.info(
                request, "各部分均已有内容，未生成初稿（初稿只填写空白部分，不覆盖已有内容）。"
            )
        return redirect(page)

    def _posted(self, request, report) -> dict[str, str]:
        """The section texts in the POST (only the boxes the page showed)."""
        keys = narrative_format(report.period.format_code).keys()
        return {key: request.POST[f"s:{key}"] for key in keys if f"s:{key}" in request.POST}

    def _page(self, request, report, *, typed=None, version=None):
        data = filing_data(report)
        fmt = narrative_format(data.format_code)
        findings = narrative.narrative_findings(data, narrative.previous_filing_data(report))
        flagged = {cell for f in findings for cell in f.cells}
        sections = []
        for section in fmt.sections:
            text = (typed or {}).get(section.key, data.narrative.get(section.key, ""))
            aspects = list(section.aspects)
            if aspects and data.agency_kind == "government":
                aspects.append(GOVERNMENT_ASPECT)
            sections.append(
                {
                    "spec": section,
                    "text": text,
                    "aspects": aspects,
                    "flagged": f"n:{section.key}" in flagged,
                    "rows": max(4, min(30, text.count("\n") + 3 + len(text) // 60)),
                }
            )
        editable = self.admin.can_edit_values(request, report)
        context = {
            **self.admin.admin_site.each_context(request),
            "title": f"{report.title} · 报告正文",
            "opts": self.admin.opts,
            "original": report,
            "report": report,
            "editable": editable,
            "form_version": report.version if version is None else version,
            "sections": sections,
            "legal_basis": legal_basis(data.format_code, data.year),
            "opening": opening_paragraphs(
                data.format_code, data.year, data.agency_name, data.contact
            )[1:],
            "rule_errors": [],
            "rule_warnings": warnings(findings),
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
            "draft_url": reverse("admin:reports_annualreport_narrative_draft", args=[report.pk]),
            "print_url": reverse("admin:reports_annualreport_print", args=[report.pk]),
        }
        return TemplateResponse(request, "admin/reports/annualreport/narrative.html", context)

    # --- documents --------------------------------------------------------------------------

    def print_view(self, request, object_id):
        report = self._report(request, object_id)
        links = {
            "← 返回报告": reverse("admin:reports_annualreport_change", args=[report.pk]),
            "报告正文": reverse("admin:reports_annualreport_narrative", args=[report.pk]),
            "下载Word": reverse("admin:reports_annualreport_docx", args=[report.pk]),
            "下载PDF": reverse("admin:reports_annualreport_pdf", args=[report.pk]),
        }
        html = render_print_page(filing_data(report), request=request, links=links)
        return HttpResponse(html)

    def docx(self, request, object_id):
        data = filing_data(self._report(request, object_id))
        return _download(document_docx(data), DOCX, data, "docx")

    def pdf(self, request, object_id):
        data = filing_data(self._report(request, object_id))
        return _download(document_pdf(data), "application/pdf", data, "pdf")


def _download(content: bytes, content_type: str, data, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(
        file_name(data, extension), f"{data.agency_slug}-{data.year}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
