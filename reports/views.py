"""Public pages and downloads. No login: only published revisions are ever shown."""

import json
from urllib.parse import urlencode

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from reports import opendata, public, public_files
from reports.documents import file_name
from reports.documents.html import document_context
from reports.downloads import attachment_header
from reports.filing_data import FilingData
from reports.models import Agency
from reports.public_files import cached_page
from reports.rendering import render_tables

DOWNLOADS = [
    ("xlsx", "Excel 工作簿（官方版式）"),
    ("csv", "CSV（每个单元格一行）"),
    ("docx", "Word 文档"),
    ("pdf", "PDF 文档"),
    ("json", "JSON 开放数据"),
]
CONTENT_TYPES = {
    "json": "application/json",
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
def healthz(request):
    """For a load balancer: this process answers (no database)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def readyz(request):
    """For a load balancer: this process reaches the database; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("数据库不可用", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cached_page("q", "region", "page")
def home(request):
    query = request.GET.get("q", "").strip()[:50]
    region = public.region_or_404(request.GET.get("region"))
    return render(
        request,
        "public/home.html",
        {
            "years": public.years_with_counts(),
            "recent": public.recent(limit=20),
            "regions": public.regions(),
            "query": query,
            "region": region,
            "found": public.search_agencies(query, region, request.GET.get("page"))
            if query or region
            else None,
            "more": _query(request, "q", "region"),
        },
    )


@require_GET
@cached_page("timing", "kind", "region", "page")
def year_list(request, year: int):
    filters = public.YearFilter(
        timing=_choice(request.GET.get("timing"), dict(public.YearFilter.TIMINGS)),
        kind=_choice(request.GET.get("kind"), dict(Agency.Kind.choices)),
        region=public.region_or_404(request.GET.get("region")),
    )
    period, page, items = public.year_page(year, filters, request.GET.get("page"))
    if not page.paginator.count and filters == public.YearFilter():
        raise Http404("该年度尚无已公开的年度报告。")
    return render(
        request,
        "public/year.html",
        {
            "year": year,
            "period": period,
            "page": page,
            "items": items,
            "filters": filters,
            "timings": public.YearFilter.TIMINGS,
            "kinds": Agency.Kind.choices,
            "regions": public.regions(),
            "more": _query(request, "timing", "kind", "region"),
        },
    )


def _choice(value: str | None, choices: dict) -> str:
    return value if value in choices else ""


def _query(request, *names: str) -> str:
    """The query string of `names` that are set, for pagination links ("&timing=late…")."""
    kept = {name: request.GET[name] for name in names if request.GET.get(name)}
    return "&" + urlencode(kept) if kept else ""


@require_GET
def filing_page(request, year: int, slug: str, number: int | None = None):
    window, windows, stored = _filing(request, year, slug, number, "html")
    # The page lists the filing's visible revisions and links the latest one.
    variant = f"{'latest' if number is None else 'named'}:{_numbers(windows)}"

    def build() -> tuple[bytes, str]:
        revisions = public.revisions(windows)
        revision = next(r for r in revisions if r.pk == window.pk)
        data = FilingData.from_json(revision.snapshot)
        # An older revision's page offers that revision's files, not the latest ones.
        links = {
            extension: reverse("reports:filing_download", args=[year, slug, extension])
            if number is None
            else reverse("reports:filing_revision_download", args=[year, slug, number, extension])
            for extension, _ in DOWNLOADS
        }
        context = {
            **document_context(data),
            "data": data,
            "revision": revision,
            "revisions": revisions,
            "latest": revisions[0],
            "correction": public.correction(revision, data, revisions),
            "downloads": [(label, links[extension]) for extension, label in DOWNLOADS],
            "agency": revision.report.agency,
        }
        return render_to_string("public/filing.html", context).encode(), ""

    return public_files.serve(
        request,
        window.pk,
        "html",
        build,
        stored=stored.get((window.pk, variant)),
        variant=variant,
        content_type="text/html; charset=utf-8",
        last_modified=windows[0].published_at,
    )


def _numbers(windows) -> str:
    return ",".join(str(w.number) for w in windows)


def _filing(request, year: int, slug: str, number: int | None, kind: str):
    """`public.filing` for a page or file of `kind`; the stored bytes are left unread when the
    client asks whether what it holds is still current (the answer is usually 304)."""
    return public.filing(
        year,
        slug,
        number,
        kind=kind,
        build=public_files.BUILD,
        content="If-None-Match" not in request.headers,
    )


@require_GET
def filing_download(request, year: int, slug: str, extension: str, number: int | None = None):
    window, windows, stored = _filing(request, year, slug, number, extension)
    # The JSON lists what the revision corrects: the revisions before it decide that.
    before = [w for w in windows if w.number <= window.number]
    variant = _numbers(before) if extension == "json" else ""

    def build() -> tuple[bytes, str]:
        revisions = public.revisions(before if extension == "json" else [window])
        revision = revisions[0]
        data = FilingData.from_json(revision.snapshot)
        if extension == "json":
            correction = public.correction(revision, data, revisions)
            record = opendata.filing_json(data, revision, correction)
            return json.dumps(record, ensure_ascii=False).encode(), ""
        return BUILDERS[extension](data), file_name(data, extension)

    return public_files.serve(
        request,
        window.pk,
        extension,
        build,
        stored=stored.get((window.pk, variant)),
        variant=variant,
        content_type=CONTENT_TYPES[extension],
        last_modified=window.published_at,
        immutable=number is not None,
        fallback_name=f"{slug}-{year}.{extension}",
    )


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
@cached_page()
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
@cached_page("agency")
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
            # The filings summed are listed, a page at a time, on the year's list.
            "listing": reverse("reports:year", args=[year])
            + (f"?region={agg.root.slug}" if agg.root else ""),
        },
    )


@require_GET
@cached_page("agency")
def aggregate_download(request, year: int, extension: str):
    agg = public.aggregate(year, request.GET.get("agency") or None)
    if extension == "json":
        listing = request.build_absolute_uri(reverse("reports:year", args=[year]))
        if agg.root:
            listing += f"?region={agg.root.slug}"
        return JsonResponse(
            opendata.aggregate_json(agg, listing), json_dumps_params={"ensure_ascii": False}
        )
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
@cached_page()
def open_data(request):
    example = None
    window = public.latest()
    if window is not None:
        example = {
            "filing": reverse(
                "reports:filing_download", args=[window.year, window.agency.slug, "json"]
            ),
            "aggregate": reverse("reports:aggregate_download", args=[window.year, "json"]),
        }
    return render(request, "public/open_data.html", {"example": example, "json": json})
