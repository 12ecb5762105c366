"""比对 pages: a filing's 年度比对报告 (xlsx, docx) and a 主管部门's view of its subtree.

Plain page functions registered in `AnnualReportAdmin.get_urls` (see reports/admin/base.py):
the per-filing downloads are open to whoever may see the filing; the subtree page to
coordinators (and superusers), over the agencies they coordinate.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from reports import selectors
from reports.access import access_for
from reports.admin.base import period_asked
from reports.comparison import moved_most
from reports.comparison_report import comparison_docx, comparison_xlsx, movers_xlsx
from reports.downloads import attachment_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(name, ascii_name)
    return response


def filing_xlsx(model_admin, request, report):
    comparison = selectors.report_comparison(report)
    return _download(
        comparison_xlsx(comparison),
        XLSX,
        f"{comparison.title}.xlsx",
        f"comparison-{report.period.year}-{report.agency.slug}.xlsx",
    )


def filing_docx(model_admin, request, report):
    comparison = selectors.report_comparison(report)
    return _download(
        comparison_docx(comparison),
        DOCX,
        f"{comparison.title}.docx",
        f"comparison-{report.period.year}-{report.agency.slug}.docx",
    )


def subtree(model_admin, request):
    """Which agencies' figures moved most since last year, over the user's subtree."""
    access = access_for(request.user)
    if not access.is_coordinator:
        raise PermissionDenied("只有主管部门可以查看所辖单位的年度比对。")
    periods, period = period_asked(request)
    if period is None:
        return redirect("admin:reports_reportingperiod_add")
    year = period.year
    # A superuser sees every agency (None); a coordinator the subtree they coordinate.
    agency_ids = None if access.is_superuser else access.coordinated_ids
    pairs = selectors.subtree_comparisons(year, agency_ids)
    movers = moved_most([c for _, c in pairs], [a.slug for a, _ in pairs])
    title = f"{year}年度所辖单位年度比对"
    if request.GET.get("format") == "xlsx":
        return _download(
            movers_xlsx(title, movers), XLSX, f"{title}.xlsx", f"comparison-{year}.xlsx"
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "year": year,
        "periods": periods,
        "movers": movers,
    }
    return TemplateResponse(request, "admin/reports/annualreport/comparison.html", context)
