"""The whole filing as HTML: one template for the print view, the PDF and the public page.

`templates/reports/document.html` takes only `doc` (a `reports.documents.Document`) and
`year`, and no admin tags, so the public page can include it as is; `templates/reports/print.html`
wraps it in a standalone A4 page (page numbers, print stylesheet).
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.documents import build_document
from reports.filing_data import FilingData

STYLESHEET = "reports/document.css"


def document_context(data: FilingData) -> dict:
    """The context `reports/document.html` needs."""
    return {"doc": build_document(data), "year": data.year}


def stylesheet_path() -> Path:
    """The document stylesheet on disk (WeasyPrint reads it directly, no web server)."""
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(f"static file {STYLESHEET} not found")
    return Path(found)


def render_print_page(data: FilingData, *, request=None, for_pdf=False, links=None) -> str:
    """The standalone printable page. `for_pdf` leaves out the stylesheet link and the
    toolbar (WeasyPrint is given the stylesheet itself); `links` (label → url) fill the
    toolbar of the admin's print view."""
    context = {**document_context(data), "for_pdf": for_pdf, "links": links or {}}
    return render_to_string("reports/print.html", context, request=request)
