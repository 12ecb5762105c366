"""Reading a published 政府信息公开工作年度报告 (web page, text, PDF, Word) into a format.

Pure Python (no Django): `read_report` returns a `Reading` — every cell of the format with its
value (only where the report prints it certainly, or the format's arithmetic forces one split
of a flattened run), its source (line, page, printed text) and a status, the numbers that
could not be placed, and the narrative cut into the format's sections. Nothing is written:
`reports.backfill.importing` (layer 5, Django) previews and applies a reading to a filing.

Modules: `extract` (file → lines), `text` (folding, label patterns), `labels` (where a
format's labels are printed), `splitting` (the unique-split search), `tables`,
`narrative`, `reading` (the result); `importing` and `bulk` (many reports, matched by their
titles) are the Django side (not imported here).
"""

from __future__ import annotations

from reports.formats.base import Format

from .extract import Document, ExtractError, extract, from_text
from .narrative import read_sections
from .reading import Reading
from .tables import read_tables
from .text import Stream

__all__ = [
    "Document",
    "ExtractError",
    "Reading",
    "extract",
    "from_text",
    "read_document",
    "read_report",
]


def read_document(document: Document, fmt: Format) -> Reading:
    """Read `document` against `fmt`: tables first, then the narrative around them."""
    stream = Stream.of(document)
    reading = Reading(fmt.code, document.name, document.sha256, document.kind)
    read_tables(stream, fmt, reading)
    read_sections(stream, fmt, reading, list(reading.spans))
    return reading


def read_report(data: bytes, name: str, fmt: Format) -> Reading:
    """Read the file `data` called `name` (suffix .html/.htm/.txt/.pdf/.docx) against `fmt`.
    Raises ExtractError (Chinese message) when the file cannot be read."""
    return read_document(extract(data, name), fmt)
