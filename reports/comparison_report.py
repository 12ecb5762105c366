"""The 年度比对报告 as files: one filing's (xlsx, docx) and a subtree's (xlsx).

No database: each takes what `reports.comparison` computed (text a filer typed is neutralised
against spreadsheet formulas, as every download is). Columns as a
reviewer reads them: 单元格 (the printed label), 上年, 本年, 变化, 大幅变动; then the paragraphs of
the 正文 that are word for word last year's.
"""

import io

from docx import Document as new_docx
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reports.comparison import NOT_COMPARABLE, Comparison, Mover
from reports.spreadsheets.safety import neutralise

HEADER = ("代码", "单元格", "单位", "上年", "本年", "变化", "大幅变动")
LARGE = "是"
MARK = PatternFill("solid", fgColor="FFF2CC")


def _row_cells(row) -> list:
    return [
        row.code,
        row.label,
        row.unit,
        row.last_text,
        row.this_text,
        row.change_text,
        LARGE if row.large else "",
    ]


def comparison_xlsx(comparison: Comparison) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "比对"
    sheet.append([comparison.title])
    sheet["A1"].font = Font(bold=True, size=14)
    if comparison.last_year is None:
        sheet.append([f"{comparison.year - 1}年度没有已公开的年度报告，无法比对。"])
    sheet.append(list(HEADER))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in comparison.rows:
        # Figures as numbers (a sum or a filter works on them), "空" for a blank.
        sheet.append(
            [
                row.code,
                row.label,
                row.unit,
                _number(row.last) if row.comparable else NOT_COMPARABLE,
                *(_number(value) for value in (row.this, row.change)),
                LARGE if row.large else "",
            ]
        )
        if row.large:
            for cell in sheet[sheet.max_row]:
                cell.fill = MARK
    for column, width in zip("ABCDEFG", (16, 60, 8, 12, 12, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    same = book.create_sheet("与上年相同的段落")
    same.append(["章节", "段落"])
    for section, paragraph in comparison.same_paragraphs:
        same.append([neutralise(section), neutralise(paragraph)])
        same.cell(same.max_row, 2).alignment = Alignment(wrap_text=True)
    same.column_dimensions["A"].width = 30
    same.column_dimensions["B"].width = 100
    return _save(book)


def comparison_docx(comparison: Comparison) -> bytes:
    word = new_docx()
    word.core_properties.title = comparison.title
    word.add_heading(comparison.title, level=1)
    if comparison.last_year is None:
        word.add_paragraph(f"{comparison.year - 1}年度没有已公开的年度报告，无法比对。")
    large = comparison.large
    word.add_paragraph(
        f"共{len(comparison.rows)}个单元格，其中{len(large)}个大幅变动"
        "（增加一倍以上或减少一半以上，且变化不少于10）。"
    )
    word.add_heading("大幅变动的单元格", level=2)
    _table(word, large)
    word.add_heading("全部单元格", level=2)
    _table(word, comparison.rows)
    word.add_heading("与上年完全相同的正文段落", level=2)
    if not comparison.same_paragraphs:
        word.add_paragraph("无。")
    for section, paragraph in comparison.same_paragraphs:
        word.add_paragraph(f"【{section}】{paragraph}")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _table(word, rows) -> None:
    table = word.add_table(rows=1, cols=len(HEADER) - 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER[1:], strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, _row_cells(row)[1:], strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)


def movers_xlsx(title: str, movers: list[Mover]) -> bytes:
    """A 主管部门's subtree: which agencies' figures moved most."""
    book = Workbook()
    sheet = book.active
    sheet.title = "变动"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            "单位",
            "标识",
            "大幅变动单元格数",
            "两年均有数值的单元格数",
            "变化最大的单元格",
            "上年",
            "本年",
        ]
    )
    for mover in movers:
        biggest = mover.biggest
        sheet.append(
            [
                neutralise(mover.agency_name),
                mover.agency_slug,
                mover.large,
                mover.compared,
                biggest.label if biggest else "",
                biggest.last_text if biggest else "",
                biggest.this_text if biggest else "",
            ]
        )
    for column, width in zip("ABCDEFG", (30, 16, 16, 20, 60, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    return _save(book)


def _number(value):
    return "空" if value is None else value


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
