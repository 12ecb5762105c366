"""The whole filing as an editable Word file (python-docx), laid out like the printed report.

Staff edit the downloaded file for their own 公文 workflow, so it uses Word's own structures:
heading styles (navigation pane), real tables with merged cells and borders ("Table Grid"),
a PAGE field in the footer. Fonts are named, not embedded (licences; Word substitutes what is
missing): 方正小标宋简体 title, 黑体 section headings, 楷体 sub-headings, 仿宋 body, as
GB/T 9704 asks. See docs/decisions/0004-documents.md.
"""

import io
import re
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from reports.documents import Document, build_document
from reports.filing_data import FilingData
from reports.rendering import RenderedTable

FANGSONG, HEITI, KAITI, BIAOSONG = "仿宋", "黑体", "楷体", "方正小标宋简体"
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZES = {"t3": Pt(9), "t4": Pt(8)}  # the widest tables, to fit portrait A4
# XML 1.0 refuses these; a pasted text may hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT


@dataclass
class GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: object = LEFT
    level: int = 0  # indent steps of a row label (the hierarchy of the printed rows)


def document_docx(data: FilingData) -> bytes:
    """The .docx of `data`: header, sections with tables in place, sign-off, attachments."""
    doc = build_document(data)
    word = new_docx()
    _page_setup(word)
    _styles(word)
    word.core_properties.title = doc.title
    word.core_properties.author = doc.agency
    word.core_properties.language = "zh-CN"

    if doc.status_note:
        _paragraph(word, doc.status_note, font=HEITI, size=Pt(10.5), indent=False)
    _paragraph(word, doc.title, style="Title", align=CENTER, indent=False)
    for text in doc.opening:
        _paragraph(word, text)
    for section in doc.sections:
        word.add_heading(_clean(section.title), level=1)
        for p in section.paragraphs:
            if p.heading:
                word.add_heading(_clean(p.text), level=2)
            else:
                _paragraph(word, p.text)
        if not section.paragraphs and not section.tables:
            _paragraph(word, "（未填写）")
        for table in section.tables:
            _official_table(word, table)
    _signoff(word, doc)
    if doc.appendix_tables:
        _attachment_title(word, doc.appendix_title)
        _paragraph(word, f"填报单位：{doc.agency}", size=Pt(12), indent=False)
        for table in doc.appendix_tables:
            _official_table(word, table)
    for site in doc.websites:
        _website(word, site, doc)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- page and styles ---------------------------------------------------------------------


def _page_setup(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    _run(footer, "- ", FANGSONG, Pt(12))
    _page_field(_run(footer, "", FANGSONG, Pt(12)))
    _run(footer, " -", FANGSONG, Pt(12))


def _page_field(run) -> None:
    """A PAGE field: Word fills in the number of each page."""
    begin, instruction, separate, shown, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:t"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate.set(qn("w:fldCharType"), "separate")
    shown.text = "1"
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _set_font(font, name: str, size=None, bold=None) -> None:
    """Name the font for Latin and East Asian text alike (python-docx sets Latin only)."""
    font.name = name
    fonts = font.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)


def _styles(word) -> None:
    styles = word.styles
    _set_font(styles["Normal"].font, FANGSONG, BODY_SIZE)
    normal = styles["Normal"].paragraph_format
    normal.space_before = normal.space_after = Pt(0)
    normal.line_spacing = Pt(28)
    for name, font, size, bold in (
        ("Title", BIAOSONG, Pt(22), True),
        ("Heading 1", HEITI, BODY_SIZE, False),
        ("Heading 2", KAITI, BODY_SIZE, True),
    ):
        style = styles[name]
        _set_font(style.font, font, size, bold)
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(28)
        if name != "Title":
            fmt.first_line_indent = BODY_SIZE * 2
        else:
            fmt.space_after = Pt(18)
            fmt.line_spacing = Pt(36)
    # The Title style draws a blue rule under itself in the default template.
    title_pr = styles["Title"].element.get_or_add_pPr()
    for border in title_pr.findall(qn("w:pBdr")):
        title_pr.remove(border)


# --- text ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _CONTROL.sub("", text or "")


def _run(paragraph, text: str, font=None, size=None, bold=None):
    run = paragraph.add_run(_clean(text))
    if font:
        _set_font(run.font, font, size, bold)
    return run


def _paragraph(word, text, *, style=None, align=None, indent=True, font=None, size=None):
    paragraph = word.add_paragraph(style=style)
    _run(paragraph, text, font, size)
    if align is not None:
        paragraph.alignment = align
    if indent and style is None:
        paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    return paragraph


def _signoff(word, doc: Document) -> None:
    word.add_paragraph()
    for text in (doc.agency, doc.date_text):
        paragraph = _paragraph(word, text, align=RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = BODY_SIZE * 2
        paragraph.paragraph_format.keep_with_next = True


def _attachment_title(word, text: str) -> None:
    paragraph = word.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    _run(paragraph, text, BIAOSONG, Pt(18), True)
    paragraph.alignment = CENTER


# --- tables -------------------------------------------------------------------------------


def _grid(word, rows: list[list[GridCell]], size, header_rows: int = 0) -> None:
    """Lay `rows` out like an HTML table (rowspan/colspan), as a bordered Word table."""
    taken, placed, width = set(), [], 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
            width = max(width, c)
    table = word.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    # `table.cell(r, c)` walks the whole table on every call (quadratic in its size). A fresh
    # table has one <w:tc> per grid position, so each is wrapped once, before any merge; a
    # merge keeps its top-left <w:tc> and swallows only those of its own span, which no other
    # placed cell covers, so every one still looked up below is in the table.
    grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for r, c, cell in placed:
        target = grid[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            last = grid[min(r + cell.rowspan, len(rows)) - 1][c + cell.colspan - 1]
            target = target.merge(last)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = _clean(cell.text).split("\n")
        paragraph = target.paragraphs[0]
        for i, line in enumerate(lines):
            run = _run(paragraph, line, FANGSONG, size)
            if i < len(lines) - 1:
                run.add_break()
        paragraph.alignment = cell.align
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.left_indent = size * cell.level
        paragraph.paragraph_format.line_spacing = 1.0
    for row in table.rows[:header_rows]:
        # Repeat the header on every page the table runs over.
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(flag)
    word.add_paragraph()


def _official_table(word, t: RenderedTable) -> None:
    label = t.table.label_column
    rows = [
        [GridCell(h.label, h.colspan, h.rowspan, CENTER) for h in header]
        for header in t.header_rows
    ]
    for line in t.lines:
        if line.kind == "title":
            rows.append([GridCell(line.label, t.span, align=CENTER)])
        elif line.kind == "block":
            cells = [GridCell(h.label, align=CENTER) for h in line.header]
            rows.append(cells + ([GridCell("", line.pad)] if line.pad else []))
        else:
            row = [GridCell(line.label, level=line.level)] if label else []
            if t.table.show_units:
                row.append(GridCell(line.unit, align=CENTER))
            if line.kind == "heading":
                row.append(GridCell("", t.width))
            else:
                row += [
                    GridCell(_cell_text(cell), align=CENTER) if cell else GridCell("")
                    for cell in line.cells
                ]
            rows.append(row)
    _grid(word, rows, TABLE_SIZES.get(t.table.code, Pt(10.5)), len(t.header_rows))


def _cell_text(cell) -> str:
    return f"{cell.text}\n{cell.note}" if cell.note else cell.text


def _website(word, site: dict, doc: Document) -> None:
    _attachment_title(word, site["title"])
    _paragraph(word, f"（{doc.year}年度）", align=CENTER, indent=False, size=Pt(12))
    rows = []
    for line in site["lines"]:
        row = []
        if line.section_span:
            row.append(GridCell(line.section, rowspan=line.section_span, align=CENTER))
        if line.group_span:
            row.append(GridCell(line.group, rowspan=line.group_span, align=CENTER))
        row.append(GridCell(line.caption, colspan=line.caption_span))
        row.append(GridCell(f"{line.shown}\n{line.note}" if line.note else line.shown))
        rows.append(row)
    _grid(word, rows, Pt(10.5))
    footer = "\u3000\u3000".join(f"{line.caption}：{line.shown}" for line in site["footer"])
    _paragraph(word, footer, size=Pt(12), indent=False)
