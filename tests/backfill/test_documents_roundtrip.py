"""Every registered format (declared variants included) read back from the portal's own
documents — the web page, the Word file and the PDF a published filing is downloaded as —
gives every cell back: the table reader follows the format's declared rows, columns and
labels, however the document lays them out (PDF labels wrapped over lines, grid headers)."""

from decimal import Decimal

import pytest

from reports.backfill import read_report
from reports.documents.docx import document_docx
from reports.documents.html import render_print_page
from reports.documents.pdf import document_pdf
from reports.filing_data import FilingData
from reports.formats import FORMATS

KINDS = {
    "report.html": lambda data: render_print_page(data).encode("utf-8"),
    "report.docx": document_docx,
    "report.pdf": document_pdf,
}


def _filing(fmt) -> FilingData:
    values = {}
    for index, spec in enumerate(fmt.cells()):
        values[spec.code] = Decimal("12.5") if spec.decimals else Decimal((index * 7) % 23)
    return FilingData(
        agency_name="甲局",
        agency_slug="jia",
        agency_kind="department",
        contact={},
        year=fmt.first_year,
        format_code=fmt.code,
        status="draft",
        revision=1,
        values=values,
        notes={},
        websites=[],
        narrative={},
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("code", sorted(FORMATS))
def test_every_cell_of_the_portals_own_document_is_read_back(code, kind):
    fmt = FORMATS[code]
    data = _filing(fmt)
    reading = read_report(KINDS[kind](data), kind, fmt)
    assert reading.values() == data.values
