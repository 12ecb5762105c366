"""The PDF is tagged: a structure tree that screen readers follow (WeasyPrint's `pdf_tags`)."""

import contextlib
import re
import subprocess
import zlib

import pytest

from reports.documents.pdf import document_pdf
from reports.models import AnnualReport
from reports.selectors import filing_data


@pytest.fixture
def seed_pdf(demo):
    return document_pdf(filing_data(AnnualReport.objects.get(period__year=2018)))


def inflated(content: bytes) -> bytes:
    """The file with every compressed stream inflated: WeasyPrint packs the catalog and the
    structure elements into compressed object streams, so the raw bytes do not show them."""
    parts = [content]
    for start in re.finditer(rb"stream\r?\n", content):
        with contextlib.suppress(zlib.error):  # not a Flate stream
            parts.append(zlib.decompressobj().decompress(content[start.end() :]))
    return b"".join(parts)


def pdfinfo(content: bytes, tmp_path, *options) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdfinfo", *options, str(path)], check=True, capture_output=True, text=True
    ).stdout


def test_the_pdf_has_a_structure_tree_and_says_it_is_tagged(seed_pdf, tmp_path):
    assert b"/StructTreeRoot" in inflated(seed_pdf)
    assert re.search(r"^Tagged:\s+yes$", pdfinfo(seed_pdf, tmp_path), re.M)


def test_the_structure_has_the_title_sections_and_tables_with_header_cells(seed_pdf, tmp_path):
    tree = pdfinfo(seed_pdf, tmp_path, "-struct")
    # One element a line, indented by depth: "TD:" when attributes (/Headers) follow.
    roles = {line.split()[0].rstrip(":") for line in tree.splitlines() if line.strip()}
    assert tree.startswith("Document")
    assert {"H1", "H2", "P", "Table", "TR", "TH", "TD"} <= roles
