"""Public pages and downloads. No login: only published revisions are ever shown."""

import json

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from reports import opendata, public
from reports.documents import file_name
from reports.documents.html import document_context
from reports.downloads import attachment_header
from reports.rendering import render_tables

DOWNLOADS = [
    ("xlsx", "Excel 工作簿（官方版式）"),
    ("csv", "CSV（每个单元格一行）"),
    ("docx", "Word 文档"),
    ("pdf", "PDF 文档"),
    ("json", "JSON 开放数据"),
]
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def attachment(content: bytes, extension: str, name: str, fallback: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = attachment_header(name, fallback or f"download.{extension}")
    return response


@require_GET
def home(request):
    return render(
        request,
        "public/home.html",
        {
            "years": public.years_with_counts(),
            "agencies": public.agencies_with_counts(),
            "recent": public.recent(limit=20),
        },
    )


@require_GET
def year_list(request, year: int):
    items = public.listing(year=year)
    if not items:
        raise Http404("该年度尚无已公开的年度报告。")
    return render(
        request,
        "public/year.html",
        {"year": year, "items": items, "late": sum(not item.on_time for item in items)},
    )


@require_GET
def filing_page(request, year: int, slug: str, number: int | None = None):
    revision, data, revisions = public.filing(year, slug, number)
    correction = public.correction(revision, data, revisions)
    # An older revision's page offers that revision's files, not the latest ones.
    links = {
        extension: reverse("reports:filing_download", args=[year, slug, extension])
        if number is None
        else reverse("reports:filing_revision_download", args=[year, slug, number, extension])
        for extension, _ in DOWNLOADS
    }
    return render(
        request,
        "public/filing.html",
        {
            **document_context(data),
            "data": data,
            "revision": revision,
            "revisions": revisions,
            "latest": revisions[0],
            "correction": correction,
            "downloads": [(label, links[extension]) for extension, label in DOWNLOADS],
            "agency": revision.report.agency,
        },
    )


@require_GET
def filing_download(request, year: int, slug: str, extension: str, number: int | None = None):
    revision, data, revisions = public.filing(year, slug, number)
    if extension == "json":
        return JsonResponse(
            opendata.filing_json(data, revision, public.correction(revision, data, revisions)),
            json_dumps_params={"ensure_ascii": False},
        )
    # A published revision never changes: build each file once (a PDF costs a second).
    content = cache.get_or_set(
        f"filing-file:{revision.pk}:{revision.published_at.isoformat()}:{extension}",
        lambda: BUILDERS[extension](data),
        timeout=24 * 3600,
    )
    return attachment(content, extension, file_name(data, extension), f"{slug}-{year}.{extension}")


def _docx(data):
    from reports.documents.docx import document_docx

    return document_docx(data)


def _pdf(data):
    from reports.documents.pdf import document_pdf

    return document_pdf(data)


def _xlsx(data):
    from reports.spreadsheets.workbook import export_filing_data

    return export_filing_data(data)


BUILDERS = {
    "csv": lambda data: opendata.as_csv(opendata.filing_rows(data)),
    "docx": _docx,
    "pdf": _pdf,
    "xlsx": _xlsx,
}


@require_GET
def agency_page(request, slug: str):
    agency = public.agency_or_404(slug)
    items, trends = public.agency_trends(agency)
    return render(
        request,
        "public/agency.html",
        {
            "agency": agency,
            "items": items,
            "trends": trends,
            # A government's page offers the aggregate of its whole subtree.
            "subtree_years": public.subtree_years(agency),
        },
    )


@require_GET
def aggregate_page(request, year: int):
    agg = public.aggregate(year, request.GET.get("agency") or None)
    query = f"?agency={agg.root.slug}" if agg.root else ""
    return render(
        request,
        "public/aggregate.html",
        {
            "agg": agg,
            "tables": render_tables(agg.format, agg.values),
            "downloads": [
                (label, reverse("reports:aggregate_download", args=[year, extension]) + query)
                for extension, label in DOWNLOADS
                if extension in ("xlsx", "csv", "json")
            ],
        },
    )


@require_GET
def aggregate_download(request, year: int, extension: str):
    agg = public.aggregate(year, request.GET.get("agency") or None)
    if extension == "json":
        return JsonResponse(opendata.aggregate_json(agg), json_dumps_params={"ensure_ascii": False})
    rows = opendata.cell_rows(agg.format, agg.values)
    if extension == "csv":
        return attachment(opendata.as_csv(rows), "csv", f"{agg.title}.csv", f"aggregate-{year}.csv")
    if extension == "xlsx":
        from reports.spreadsheets.workbook import export_aggregate

        return attachment(
            export_aggregate(agg.format, agg.values, agg.title), "xlsx", f"{agg.title}.xlsx"
        )
    raise Http404


@require_GET
def open_data(request):
    example = None
    items = public.listing(limit=1)
    if items:
        first = items[0]
        example = {
            "filing": reverse(
                "reports:filing_download", args=[first.year, first.agency.slug, "json"]
            ),
            "aggregate": reverse("reports:aggregate_download", args=[first.year, "json"]),
        }
    return render(request, "public/open_data.html", {"example": example, "json": json})
