"""Where every printed label and every value sits in the official-layout workbook.

The writer (`workbook`) and the reader (`workbook_import`) both ask this module, so a cell is
read back from exactly the address it was written to. The reader also compares every printed
label (`Text`, ``checked``) with what the uploaded sheet holds at that address: a row inserted,
deleted or moved in Excel shifts the labels and is refused instead of filing numbers under the
wrong row.

Sheets, in order: one per statistics table (「表二」「表三」「表四」, or 「统计表」 for the 2014
format), one per website form (「网站1」…), 「备注」 (one line per table cell for its note), and
the very hidden 「_portal」 sheet that identifies the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from reports.formats import CellSpec, Format, Table
from reports.formats.website import FOOTER, MEDIA_PLATFORMS, WEBSITE_FORM, Field

NOTES_SHEET = "备注"
META_SHEET = "_portal"
GUIDE_SHEET = "填写说明"
MEDIA_SPARE_ROWS = 10
PLATFORM_LABELS = tuple(label for _, label in MEDIA_PLATFORMS)
MEDIA_HEADER = ("平台", "名称", "信息发布量（单位：条）", "关注量/订阅数（单位：个）")


@dataclass(frozen=True)
class Text:
    """A printed label (merged over ``rows`` × ``cols`` when larger than one cell)."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    style: str = "label"  # title, block, header, label, unit
    indent: int = 0
    checked: bool = True  # compared on import


@dataclass(frozen=True)
class Slot:
    """A cell the filer fills in: a table value, a note, a website answer or a media field."""

    row: int
    col: int
    key: str  # cell code; website field code; "note:<code>"; "media:<n>:<part>"
    kind: str  # int decimal | text url date count yesno choice multichoice | note | platform
    label: str
    spec: CellSpec | Field | None = None

    @property
    def address(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"


@dataclass
class SheetLayout:
    name: str
    texts: list[Text] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    voids: list[tuple[int, int]] = field(default_factory=list)  # printed but never filled
    widths: dict[int, float] = field(default_factory=dict)
    media_row: int = 0  # website sheets: first row of the media account rows

    def where(self, slot: Slot) -> str:
        return f"{self.name}!{slot.address}"


def table_sheet_name(table: Table) -> str:
    return f"表{table.number}" if table.number else "统计表"


def website_sheet_name(position: int) -> str:
    return f"网站{position}"


def caption(table: Table) -> str:
    return f"{table.number}、{table.title}" if table.number else table.title


def table_sheet(table: Table) -> SheetLayout:
    """The official layout of one table, as printed (header rows, block headers, rows)."""
    sheet = SheetLayout(table_sheet_name(table))
    label_cols = int(table.label_column) + int(table.show_units)
    width = max(len(table.row_columns(row)) for row in table.rows)
    span = label_cols + width
    sheet.texts.append(Text(1, 1, caption(table), cols=span, style="title"))
    row = 3  # row 2: 填报单位 / 报告年度, written by the workbook, not part of the layout

    # Header rows are placed like an HTML table: a cell spanning rows pushes later cells right.
    taken: set[tuple[int, int]] = set()
    for header in table.header_rows:
        col = 1
        for cell in header:
            while (row, col) in taken:
                col += 1
            sheet.texts.append(
                Text(row, col, cell.label, cell.rowspan, cell.colspan, style="header")
            )
            taken |= {
                (r, c)
                for r in range(row, row + cell.rowspan)
                for c in range(col, col + cell.colspan)
            }
            col += cell.colspan
        row += 1

    first_value = label_cols + 1
    for printed in table.rows:
        if header := table.block_header(printed):
            sheet.texts.append(Text(row, 1, printed.label, cols=span, style="block"))
            row += 1
            for i, cell in enumerate(header):
                sheet.texts.append(Text(row, 1 + i, cell.label, style="header"))
            sheet.voids += [(row, c) for c in range(1 + len(header), span + 1)]
            row += 1
            continue
        if table.label_column:
            sheet.texts.append(Text(row, 1, printed.label, indent=printed.level))
        if table.show_units:
            sheet.texts.append(Text(row, 2, printed.unit, style="unit"))
        columns = () if printed.heading else table.row_columns(printed)
        for i, column in enumerate(columns):
            spec = table.cell(printed.code, column.code)
            sheet.slots.append(Slot(row, first_value + i, spec.code, spec.kind, spec.label, spec))
        sheet.voids += [(row, c) for c in range(first_value + len(columns), span + 1)]
        row += 1

    if table.label_column:
        sheet.widths[1] = 46 if width > 1 else 60
    if table.show_units:
        sheet.widths[2] = 7
    for c in range(first_value, span + 1):
        sheet.widths[c] = 12 if table.label_column else 9
    return sheet


def table_sheets(fmt: Format) -> list[SheetLayout]:
    return [table_sheet(table) for table in fmt.tables]


def notes_sheet(fmt: Format, tables: list[SheetLayout]) -> SheetLayout:
    """One line per table cell: where it is, what it is, its code, and its note (to fill in)."""
    sheet = SheetLayout(NOTES_SHEET)
    sheet.texts.append(
        Text(
            1,
            1,
            "单元格备注（需要说明的数字，在对应行的“备注”列填写，最多200字）",
            cols=4,
            style="title",
        )
    )
    for col, text in enumerate(("位置", "项目", "单元格代码", "备注"), 1):
        sheet.texts.append(Text(2, col, text, style="header"))
    row = 3
    for table in tables:
        for slot in table.slots:
            sheet.texts += [
                Text(row, 1, table.where(slot), style="unit"),
                Text(row, 2, slot.label),
                Text(row, 3, slot.key, style="unit"),
            ]
            sheet.slots.append(Slot(row, 4, f"note:{slot.key}", "note", f"{slot.label} 备注"))
            row += 1
    sheet.widths = {1: 14, 2: 60, 3: 16, 4: 40}
    return sheet


def website_sheet(position: int, media_rows: int) -> SheetLayout:
    """One 政府网站工作年度报表: a line per field (栏目 | 分组 | 项目 | 填报内容 | 备注), then
    the 移动新媒体 accounts, one per line, with `media_rows` lines to fill."""
    sheet = SheetLayout(website_sheet_name(position))
    sheet.texts.append(Text(1, 1, WEBSITE_FORM.name, cols=5, style="title"))
    for col, text in enumerate(("栏目", "分组", "项目", "填报内容", "备注"), 1):
        sheet.texts.append(Text(3, col, text, style="header"))
    row = 4
    for section, groups in WEBSITE_FORM.sections():
        footer = any(f.code in FOOTER for _, fields in groups for f in fields)
        count = sum(len(fields) for _, fields in groups)
        shown = "落款" if footer else WEBSITE_FORM.heading(section)
        sheet.texts.append(Text(row, 1, shown, rows=count))
        for group, fields in groups:
            sheet.texts.append(Text(row, 2, WEBSITE_FORM.heading(group), rows=len(fields)))
            for item in fields:
                sheet.texts.append(Text(row, 3, item.caption))
                sheet.slots.append(Slot(row, 4, item.code, item.kind, item.name, item))
                sheet.slots.append(Slot(row, 5, f"note:{item.code}", "note", f"{item.name} 备注"))
                row += 1
    row += 1
    sheet.texts.append(
        Text(row, 1, "移动新媒体账号（每行一个账号；“其他”平台只填名称）", cols=5, style="block")
    )
    row += 1
    for col, text in enumerate(MEDIA_HEADER, 1):
        sheet.texts.append(Text(row, col, text, style="header"))
    row += 1
    sheet.media_row = row
    for n in range(media_rows):
        sheet.slots += media_slots(row + n, n)
    sheet.widths = {1: 16, 2: 18, 3: 36, 4: 34, 5: 30}
    return sheet


def media_slots(row: int, n: int) -> list[Slot]:
    where = f"移动新媒体第{n + 1}行"
    return [
        Slot(row, 1, f"media:{n}:platform", "platform", f"{where}平台"),
        Slot(row, 2, f"media:{n}:name", "text", f"{where}名称"),
        Slot(row, 3, f"media:{n}:posts", "int", f"{where}信息发布量"),
        Slot(row, 4, f"media:{n}:followers", "int", f"{where}关注量/订阅数"),
    ]
