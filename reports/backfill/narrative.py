"""The 正文 of a published report, cut into the format's sections by their printed titles.

Pure Python (no Django). A section title is found by its words (「存在的主要问题及改进情况」)
after any Chinese numbering (「五、」), in the format's order; a section's text runs to the
next title found or to a statistics table. Sections that *are* tables (2019/2021 二–四) get
no text. The opening (开头语) is what stands before the first title. A title the report does
not print leaves its text inside the section before it — shown in the preview, never lost.
"""

from __future__ import annotations

import re

from reports.formats.base import Format

from .reading import Reading, SectionReading, Source
from .text import GAP, Stream, body_of

_HEAD = (
    r"(?:[一二三四五六七八九十]+"
    + GAP
    + r"[、.,]|\("
    + GAP
    + r"[一二三四五六七八九十]+"
    + GAP
    + r"\))"
)


def read_sections(stream: Stream, fmt: Format, reading: Reading, tables: list[tuple[int, int]]):
    """Fill `reading.sections`; `tables` are the spans the statistics tables occupy."""
    text = stream.text
    found: list[tuple[int, int, object]] = []
    cursor = 0
    for section in fmt.narrative.sections:
        if not section.title:
            continue
        body = body_of(section.title)
        pattern = re.compile(_HEAD + GAP + GAP.join(re.escape(c) for c in body if not c.isspace()))
        match = pattern.search(text, cursor)
        if match:
            found.append((match.start(), match.end(), section))
            cursor = match.end()
    stops = sorted([start for start, _, _ in found] + [start for start, _ in tables] + [len(text)])
    opening = next((s for s in fmt.narrative.sections if not s.title), None)
    first = found[0][0] if found else len(text)
    if opening is not None and found:
        _put(stream, reading, opening, 0, min(first, *(s for s, _ in tables), len(text)), tables)
    for _, end, section in found:
        if not section.writable:
            continue
        stop = next(s for s in stops if s >= end)
        _put(stream, reading, section, end, stop, tables)


def _put(stream: Stream, reading: Reading, section, start: int, end: int, tables) -> None:
    pieces, cursor = [], start
    for t_start, t_end in sorted(tables):
        if t_end <= cursor or t_start >= end:
            continue
        pieces.append((cursor, t_start))
        cursor = max(cursor, t_end)
    pieces.append((cursor, end))
    raw = "\n".join(stream.document.text[a:b] for a, b in pieces if b > a)
    lines = [line.strip(" \t\u3000") for line in raw.split("\n")]
    clean = "\n".join(line for line in lines if line)
    if not clean:
        return
    where = stream.lines_of(start, max(end, start + 1))
    snippet = clean[:60] + ("…" if len(clean) > 60 else "")
    reading.sections[section.key] = SectionReading(
        section.key,
        section.title,
        clean,
        Source(where[0].number, where[-1].number, where[0].page, snippet),
    )
