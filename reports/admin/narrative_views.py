"""Extra admin pages of a filing (see AnnualReportAdmin.get_urls): the 正文 and the documents.

* ``reports_annualreport_narrative`` — the narrative page: a text box per section with its
  guidance, findings (提示) shown; POST saves all sections at once (optimistic locking);
* ``reports_annualreport_narrative_draft`` — POST 生成初稿: saves what was typed, then fills the
  sections still empty from the filing's numbers;
* ``reports_annualreport_print`` — the whole filing as a printable A4 page;
* ``reports_annualreport_docx`` / ``reports_annualreport_pdf`` — downloads.

Each is a plain function `view(model_admin, request, report)`, registered with the others
in `AnnualReportAdmin.get_urls`, which answers 404 outside the user's agencies; writing needs
`can_edit_values` (filer or coordinator, filing a draft), else 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse

from reports.admin.base import ensure_editable, filing_page, posted_version, save_or_show_again
from reports.documents import file_name
from reports.documents.docx import document_docx
from reports.documents.html import render_print_page
from reports.documents.pdf import document_pdf
from reports.downloads import attachment_header
from reports.findings import narrative_findings
from reports.formats import narrative_format
from reports.formats.codes import section_code
from reports.formats.narrative import GOVERNMENT_ASPECT, legal_basis, opening_paragraphs
from reports.narrative import narrative_fill_drafts, narrative_save
from reports.selectors import filing_data, read_filing
from reports.validation import hints, warnings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def narrative(model_admin, request, report):
    """A text box per section with its guidance, findings (提示) shown; POST saves them all."""
    if request.method != "POST":
        return narrative_page(model_admin, request, report)
    ensure_editable(model_admin, request, report)
    texts = _posted(request, report)

    def save():
        changed = narrative_save(
            report=report,
            by=request.user,
            texts=texts,
            expected_version=posted_version(request),
        )
        messages.success(request, f"已保存，修改了{changed}个部分。")

    return save_or_show_again(
        request,
        report,
        save,
        show_again=lambda refused: narrative_page(
            model_admin, request, report, typed=texts, refused=refused
        ),
    )


def draft(model_admin, request, report):
    """生成初稿: keep what was typed (saved first), then fill the empty sections."""
    if request.method != "POST":
        raise PermissionDenied("请在正文页面点击“生成初稿”。")
    ensure_editable(model_admin, request, report)
    texts = _posted(request, report)

    def save_and_fill():
        version = posted_version(request)  # refused without it, even with no box to save
        if texts:
            narrative_save(
                report=report,
                by=request.user,
                texts=texts,
                expected_version=version,
            )
        filled = narrative_fill_drafts(report=report, by=request.user)
        if filled:
            fmt = report.format.narrative
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

    return save_or_show_again(
        request,
        report,
        save_and_fill,
        show_again=lambda refused: narrative_page(
            model_admin, request, report, typed=texts, refused=refused
        ),
        invalid=lambda problem: f"未生成初稿：{problem}。已填写的内容均保留在下方。",
        then=reverse("admin:reports_annualreport_narrative", args=[report.pk]),
    )


def _posted(request, report) -> dict[str, str]:
    """The section texts in the POST (only the boxes the page showed)."""
    keys = report.format.narrative.keys()
    return {key: request.POST[f"s:{key}"] for key in keys if f"s:{key}" in request.POST}


def narrative_page(model_admin, request, report, *, typed=None, refused=None):
    """The narrative page; after a refused save, with the `typed` texts."""
    read = read_filing(report)
    report, data = read.report, read.data  # the template's review reasons reuse its forms
    fmt = narrative_format(data.format_code)
    findings = narrative_findings(data, read.last_year)
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
                "flagged": section_code(section.key) in flagged,
                "rows": max(4, min(30, text.count("\n") + 3 + len(text) // 60)),
            }
        )
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/narrative.html",
        title=f"{report.title} · 报告正文",
        editable=model_admin.can_edit_values(request, report),
        form_version=refused.version if refused else report.version,
        sections=sections,
        legal_basis=legal_basis(data.format.narrative, data.year),
        opening=opening_paragraphs(
            data.format.narrative, data.year, data.agency_name, data.contact
        )[1:],
        rule_errors=[],
        rule_warnings=warnings(findings),
        rule_hints=hints(findings),
        draft_url=reverse("admin:reports_annualreport_narrative_draft", args=[report.pk]),
        print_url=reverse("admin:reports_annualreport_print", args=[report.pk]),
    )


# --- documents --------------------------------------------------------------------------


def print_page(model_admin, request, report):
    """The whole filing as a printable A4 page, with links to the other views of it."""
    links = {
        "← 返回报告": reverse("admin:reports_annualreport_change", args=[report.pk]),
        "报告正文": reverse("admin:reports_annualreport_narrative", args=[report.pk]),
        "下载Word": reverse("admin:reports_annualreport_docx", args=[report.pk]),
        "下载PDF": reverse("admin:reports_annualreport_pdf", args=[report.pk]),
    }
    html = render_print_page(filing_data(report), request=request, links=links)
    return HttpResponse(html)


def docx(model_admin, request, report):
    data = filing_data(report)
    return _download(document_docx(data), DOCX, data, "docx")


def pdf(model_admin, request, report):
    data = filing_data(report)
    return _download(document_pdf(data), "application/pdf", data, "pdf")


def _download(content: bytes, content_type: str, data, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(
        file_name(data, extension), f"{data.agency_slug}-{data.year}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
