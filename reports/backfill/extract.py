"""The text of a published report, line by line, from the file it was published as.

Pure Python (no Django). Libraries read the file formats (docs/decisions/0012): lxml for
.html/.htm, python-docx for .docx, pdfminer.six for a PDF's text layer; a .txt is decoded
as UTF-8 (GB 18030 when that fails). Every line keeps its number (1-based, in the order
read) and, for a PDF, its page, so each value read can say where it was printed.

Table cells become lines of their own (an HTML ``<td>``, a Word table cell, a gap between
words of a PDF line wider than a character), so cell-separated tables stay cell-separated.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

TEXT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
# A page footer a PDF converter leaves between rows: 「— 4 —」, 「- 12 -」, 「第 3 页」.
_FOOTER = re.compile(r"^\s*(?:[—\-－]\s*\d+\s*[—\-－]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)\s*$")


class ExtractError(ValueError):
    """The file cannot be read as a report; str() is the Chinese message."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in reading order
    text: str
    page: int | None = None  # PDF pages only


@dataclass(frozen=True)
class Document:
    name: str
    kind: str  # "txt" | "html" | "pdf" | "docx" | "paste"
    sha256: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def suffix(name: str) -> str:
    lowered = name.lower()
    for ending in TEXT_SUFFIXES:
        if lowered.endswith(ending):
            return ending
    return ""


def extract(data: bytes, name: str) -> Document:
    """The lines of the report `data` (a file called `name`); ExtractError when unreadable."""
    ending = suffix(name)
    readers = {
        ".txt": _txt,
        ".html": _html,
        ".htm": _html,
        ".pdf": _pdf,
        ".docx": _docx,
    }
    if not ending:
        raise ExtractError(
            f"「{name}」不是可读取的报告文件：请上传 .html、.htm、.txt、.pdf 或 .docx 文件。"
        )
    try:
        texts = readers[ending](data)
    except ExtractError:
        raise
    except Exception as problem:  # a broken file of any library: one Chinese refusal
        raise ExtractError(
            f"无法读取「{name}」（{type(problem).__name__}）：文件可能已损坏或不是所称的格式。"
        ) from problem
    return _document(name, "html" if ending == ".htm" else ending.lstrip("."), data, texts)


def from_text(text: str, name: str = "粘贴的文本") -> Document:
    """A report pasted as text (the admin page's text box)."""
    return _document(name, "paste", text.encode("utf-8"), [(t, None) for t in _split(text)])


def _document(name: str, kind: str, data: bytes, texts: list[tuple[str, int | None]]) -> Document:
    lines = []
    for text, page in texts:
        if _FOOTER.match(text):
            continue
        lines.append(Line(len(lines) + 1, text, page))
    if not any(line.text.strip() for line in lines):
        raise ExtractError(f"「{name}」中没有可读取的文字（扫描件或图片无法读取）。")
    return Document(name, kind, hashlib.sha256(data).hexdigest(), tuple(lines))


def _split(text: str) -> list[str]:
    # Universal newlines: some crawled pages use a bare CR between lines.
    return re.split(r"\r\n|\r|\n", text)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError("文本文件的编码无法识别（应为 UTF-8 或 GB18030）。")


def _txt(data: bytes) -> list[tuple[str, int | None]]:
    return [(t, None) for t in _split(decode(data))]


_BLOCKS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "section", "article", "title", "caption", "dt", "dd", "ul", "ol", "pre",
}  # fmt: skip


def _html(data: bytes) -> list[tuple[str, int | None]]:
    from lxml import html

    root = html.fromstring(_html_text(data))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no str tag
        block = tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    return [(t, None) for t in "".join(parts).split("\n")]


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _html_text(data: bytes) -> str:
    """The page as text: the charset its <meta> declares, else UTF-8, else GB 18030 (a page
    saved without a declaration is read as neither Latin-1 nor mojibake)."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk") else name
        try:
            return _XML_DECLARATION.sub("", data.decode(name))
        except (LookupError, UnicodeDecodeError):
            pass
    return _XML_DECLARATION.sub("", decode(data))


def _docx(data: bytes) -> list[tuple[str, int | None]]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[tuple[str, int | None]] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines += [(t, None) for t in _split(Paragraph(child, document).text)]
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                seen = set()
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans: read it once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    lines += [(t, None) for t in _split(cell.text)]
    return lines


def _pdf(data: bytes) -> list[tuple[str, int | None]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    lines: list[tuple[str, int | None]] = []
    params = LAParams(char_margin=1.0, word_margin=0.2, line_margin=0.3)
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=params), start=1):
        pieces = list(_text_lines(page, LTTextLine, LTTextContainer))
        # Group the pieces into the page's visual rows (a table row: label and its cells side by
        # side), top to bottom, each row left to right, cells apart by a tab.
        pieces.sort(key=lambda p: (-(p[0] + p[1]) / 2, p[2]))
        rows: list[list] = []
        for piece in pieces:
            middle = (piece[0] + piece[1]) / 2
            if rows:
                top, bottom = rows[-1][0][0], rows[-1][0][1]
                if bottom <= middle <= top:
                    rows[-1].append(piece)
                    continue
            rows.append([piece])
        for row in rows:
            row.sort(key=lambda p: p[2])
        for row in _labels_first(rows):
            lines.append(("\t".join(_spaced(p[4], LTChar) for p in row), number))
    return lines


_NUMERIC = re.compile(r"^[\d.,+\-—/\s]+$")
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])")


def _labels_first(rows: list[list]) -> list[list]:
    """A row label wrapped over several lines has its cells' numbers (and unit) on a middle
    line, so the label reads 「（二）部分公开（区分处理的，」 · 「19 1 0 …」 · 「不计其他情形）」. Move each
    continuation line (one piece, starting where the line above starts, not numbered) before
    the numbers, so label and numbers read in order."""

    def text_only(row) -> bool:
        return len(row) == 1 and not _NUMERIC.match(row[0][3])

    def numbers_only(row) -> bool:
        # Numbers, and at most a unit beside them (the 2014 table's 单位 column: 「次」「万元」).
        numeric = [bool(_NUMERIC.match(piece[3])) for piece in row]
        return any(numeric) and all(
            n or len(piece[3].strip()) <= 2 for n, piece in zip(numeric, row, strict=True)
        )

    rows = list(rows)
    i = 0
    while i + 2 < len(rows):
        above, middle, below = rows[i], rows[i + 1], rows[i + 2]
        if (
            text_only(above)
            and numbers_only(middle)
            and text_only(below)
            and abs(below[0][2] - above[0][2]) < 2
            and not _NUMBERED.match(below[0][3])
        ):
            rows[i + 1], rows[i + 2] = below, middle
        i += 1
    return rows


def _text_lines(item, line_type, container_type):
    """(top, bottom, x0, text, line) of every text line pdfminer found under `item`."""
    if isinstance(item, line_type):
        text = item.get_text().strip("\n")
        if text.strip():
            yield (item.y1, item.y0, item.x0, text, item)
    elif isinstance(item, container_type) or hasattr(item, "__iter__"):
        for child in item:
            yield from _text_lines(child, line_type, container_type)


def _spaced(line, char_type) -> str:
    """A PDF text line with a tab wherever two characters stand apart by more than one
    character's width (two cells of a table row that pdfminer joined into one line)."""
    out, last = [], None
    for item in line:
        if isinstance(item, char_type):
            if last is not None and item.x0 - last.x1 > max(item.width, last.width):
                out.append("\t")
            out.append(item.get_text())
            last = item
        else:
            out.append(item.get_text())
    return "".join(out).strip("\n")
