"""The whole filing as PDF: WeasyPrint renders the same HTML as the print view.

Fonts come from fontconfig: the stylesheet asks for 仿宋/黑体/方正小标宋 first and falls back to
Noto Serif/Sans CJK SC (Debian fonts-noto-cjk), which WeasyPrint subsets and embeds, so the
file reads the same on a machine without Chinese fonts (docs/decisions/0004-documents.md).
"""

import logging

from reports.documents.html import render_print_page, stylesheet_path
from reports.filing_data import FilingData

# WeasyPrint logs every layout step at INFO; a server log wants only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def document_pdf(data: FilingData) -> bytes:
    """The PDF of `data` (A4, page numbers, Chinese fonts embedded, tagged)."""
    # Imported here: WeasyPrint loads Pango at import time; pages that never print skip it.
    from weasyprint import CSS, HTML

    html = render_print_page(data, for_pdf=True)
    document = HTML(string=html, base_url=str(stylesheet_path().parent))
    return document.write_pdf(
        stylesheets=[CSS(filename=str(stylesheet_path()))],
        pdf_identifier=f"{data.agency_slug}-{data.year}-r{data.revision}".encode(),
        custom_metadata=False,
        # Tagged PDF (structure tree: headings, paragraphs, tables with TH/TD) for screen
        # readers. Not pdf_variant="pdf/ua-1": that would declare PDF/UA conformance in the
        # metadata, which no validator has checked here.
        pdf_tags=True,
    )
