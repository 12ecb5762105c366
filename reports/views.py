"""Public pages and downloads. No login: only published revisions are ever shown."""

import json
from urllib.parse import quote

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from reports import opendata, public
from reports.documents import file_name
from reports.documents.html import document_context
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


def attachment(content: bytes, extension: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    ascii_name = f"report.{extension}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@require_GET
def home(request):
    return render(
        request,
        "public/home.html",
        {"years": public.years_with_counts(), "recent": public.listing()[:20]},
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
    links = {
        extension: reverse("reports:filing_download", args=[year, slug, extension])
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
            "downloads": [(label, links[extension]) for extension, label in DOWNLOADS],
            "agency": revision.report.agency,
        },
    )


@require_GET
def filing_download(request, year: int, slug: str, extension: str):
    revision, data, _ = public.filing(year, slug)
    if extension == "json":
        return JsonResponse(
            opendata.filing_json(data, revision), json_dumps_params={"ensure_ascii": False}
        )
    if extension == "csv":
        content = opendata.as_csv(opendata.filing_rows(data))
    elif extension == "docx":
        from reports.documents.docx import document_docx

        content = document_docx(data)
    elif extension == "pdf":
        from reports.documents.pdf import document_pdf

        content = document_pdf(data)
    elif extension == "xlsx":
        from reports.spreadsheets.workbook import export_filing_data

        content = export_filing_data(data)
    else:
        raise Http404
    return attachment(content, extension, file_name(data, extension))


@require_GET
def agency_page(request, slug: str):
    agency = public.agency_or_404(slug)
    items, trends = public.agency_trends(agency)
    return render(
        request,
        "public/agency.html",
        {"agency": agency, "items": items, "trends": trends},
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
        return attachment(opendata.as_csv(rows), "csv", f"{agg.title}.csv")
    if extension == "xlsx":
        from reports.spreadsheets.workbook import export_aggregate

        return attachment(
            export_aggregate(agg.format, agg.values, agg.title), "xlsx", f"{agg.title}.xlsx"
        )
    raise Http404


@require_GET
def open_data(request):
    example = None
    items = public.listing()
    if items:
        first = items[0]
        example = {
            "filing": reverse(
                "reports:filing_download", args=[first.year, first.agency.slug, "json"]
            ),
            "aggregate": reverse("reports:aggregate_download", args=[first.year, "json"]),
        }
    return render(request, "public/open_data.html", {"example": example, "json": json})
