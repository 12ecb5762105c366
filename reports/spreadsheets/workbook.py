"""The official-layout workbook of one filing: download blank or pre-filled, fill offline.

Labels are locked and every sheet is protected, so Excel lets a filer type only into the data
cells (yellow); those carry data validation (whole / decimal numbers, 是/否 lists). The
validation only *warns*: 「22.69万」 or 「3天」 may be typed and are converted on upload, and what
cannot be converted is listed in the preview — never silently dropped.

The workbook identifies itself in a very hidden sheet (`layout.META_SHEET`): layout version,
agency slug, year, format code and the sheet of every table and website form. An upload for
another agency, year or format is refused (see `workbook_import`).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports.filing_data import FilingData
from reports.formats.website import WEBSITE_FORM
from reports.formats.website_values import ticks
from reports.models import AnnualReport
from reports.selectors import filing_data
from reports.spreadsheets import layout
from reports.spreadsheets.layout import SheetLayout, Slot
from reports.spreadsheets.safety import neutralise

LAYOUT_VERSION = "nianbao-workbook/1"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
VOID_FILL = PatternFill("solid", fgColor="E6E6E6")
HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")

NUMBER_HINT = "此处应填写数字。“22.69万”“3天”“1,980,321”等写法上传时会自动换算；无法换算的会在预览中列出，不会被忽略。"
VALIDATIONS = {
    "int": ("whole", "greaterThanOrEqual", "0", None),
    "int-signed": ("whole", "between", "-1000000000000", "1000000000000"),
    "decimal": ("decimal", "greaterThanOrEqual", "0", None),
    "count": ("decimal", "greaterThanOrEqual", "0", None),
    "note": ("textLength", "lessThanOrEqual", "200", None),
}


def file_name(report: AnnualReport, *, blank: bool = False) -> str:
    kind = "空白工作簿" if blank else "工作簿"
    return f"{report.agency.slug}-{report.period.year}-{kind}.xlsx"


def export_workbook(report: AnnualReport, *, blank: bool = False) -> bytes:
    """The filing as an .xlsx workbook in the official layout; `blank` leaves every value empty.

    A filing without any website form still gets one empty 「网站1」 sheet, so a website form
    can be filled offline too (the upload then creates it)."""
    return export_filing_data(filing_data(report), report_pk=report.pk, blank=blank)


def export_filing_data(
    data: FilingData, *, report_pk: int | None = None, blank: bool = False
) -> bytes:
    """The workbook of a FilingData: a live filing, or a published revision (public download)."""
    fmt = data.format
    values, notes = ({}, {}) if blank else (data.values, data.notes)

    book = Workbook()
    guide = book.active
    guide.title = layout.GUIDE_SHEET
    tables = layout.table_sheets(fmt)
    heading = f"填报单位：{data.agency_name}　　报告年度：{data.year}年度　　格式：{fmt.name}"
    for sheet in tables:
        ws = _write(book, sheet, heading)
        for slot in sheet.slots:
            ws.cell(slot.row, slot.col).value = _number(values.get(slot.key), slot)

    site_sheets = []
    # Signed: the footer prints the workflow's signatories and 填报日期 (FilingData.printed_websites).
    for site in data.printed_websites or [None]:
        position = site.position if site else 1
        media = [] if site is None or blank else site.media
        sheet = layout.website_sheet(position, len(media) + layout.MEDIA_SPARE_ROWS)
        ws = _write(book, sheet, f"填报单位：{data.agency_name}　　网站序号：{position}")
        if site is not None and not blank:
            _fill_website(ws, sheet, site)
        else:
            ws.cell(_slot(sheet, "filer").row, 4).value = neutralise(data.agency_name)
        site_sheets.append((position, sheet.name))

    notes_sheet = layout.notes_sheet(fmt, tables)
    ws = _write(book, notes_sheet, "")
    for slot in notes_sheet.slots:
        ws.cell(slot.row, slot.col).value = neutralise(notes.get(slot.key.removeprefix("note:")))

    _write_guide(guide, data.agency_name, data.year, blank)
    meta = book.create_sheet(layout.META_SHEET)
    rows = [
        ("layout", LAYOUT_VERSION),
        ("agency", data.agency_slug),
        ("agency_name", data.agency_name),
        ("year", str(data.year)),
        ("format", fmt.code),
        ("report", str(report_pk or "")),
        ("blank", "1" if blank else "0"),
        ("exported_at", timezone.now().isoformat(timespec="seconds")),
        *((f"table:{t.code}", s.name) for t, s in zip(fmt.tables, tables, strict=True)),
        *((f"website:{position}", name) for position, name in site_sheets),
        ("notes", notes_sheet.name),
    ]
    for key, value in rows:
        meta.append([key, neutralise(value)])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    return _save(book)


def export_aggregate(fmt, values: dict, title: str) -> bytes:
    """A year's aggregate (汇总) in the official layout: the table sheets only, for reading."""
    book = Workbook()
    guide = book.active
    guide.title = layout.GUIDE_SHEET
    guide.append([neutralise(title)])
    guide.append(["按单元格汇总已公开的年度报告；未填写的单元格不计入合计。"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    for sheet in layout.table_sheets(fmt):
        ws = _write(book, sheet, title)
        for slot in sheet.slots:
            ws.cell(slot.row, slot.col).value = _number(values.get(slot.key), slot)
    return _save(book)


def _save(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _slot(sheet: SheetLayout, key: str) -> Slot:
    return next(slot for slot in sheet.slots if slot.key == key)


def _number(value: Decimal | None, slot: Slot):
    if value is None:
        return None
    if slot.kind == "int" or value == value.to_integral_value():
        return int(value)
    return value


def _fill_website(ws, sheet: SheetLayout, site) -> None:
    """Fill a website sheet from a `reports.filing_data.WebsiteData`."""
    for slot in sheet.slots:
        cell = ws.cell(slot.row, slot.col)
        if slot.key.startswith("note:"):
            cell.value = neutralise(site.notes.get(slot.key.removeprefix("note:")))
        elif not slot.key.startswith("media:"):
            cell.value = website_cell_value(WEBSITE_FORM.field(slot.key), site.values.get(slot.key))
    platforms = dict(layout.MEDIA_PLATFORMS)
    for n, account in enumerate(site.media):
        row = sheet.media_row + n
        ws.cell(row, 1).value = platforms.get(account.platform, account.platform)
        ws.cell(row, 2).value = neutralise(account.name)
        for col, number in ((3, account.posts), (4, account.followers)):
            ws.cell(row, col).value = None if number is None else _plain(number)


def _plain(value: Decimal):
    return int(value) if value == value.to_integral_value() else value


def website_cell_value(field, value):
    """A stored website answer as the workbook shows it (labels for choices, 是/否)."""
    if value is None or value == ():
        return None
    if field.kind == "yesno":
        return "是" if value else "否"
    if field.kind in ("choice", "multichoice"):
        chosen = set(ticks(value))  # several for a single choice kept as printed (历史补录)
        return "、".join(label for code, label in field.choices if code in chosen)
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, datetime.date):
        return value
    return neutralise(str(value))


def _write(book, sheet: SheetLayout, heading: str):
    """A protected worksheet with the labels, the empty (unlocked) slots and their validation."""
    ws = book.create_sheet(sheet.name)
    for text in sheet.texts:
        cell = ws.cell(text.row, text.col)
        cell.value = neutralise(text.text)
        cell.border = BORDER
        if text.style == "title":
            cell.font = Font(bold=True, size=14)
            cell.alignment = CENTER
        elif text.style in ("header", "block"):
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = CENTER if text.style == "header" else WRAP
        else:
            cell.alignment = Alignment(wrap_text=True, vertical="center", indent=text.indent)
        if text.rows > 1 or text.cols > 1:
            ws.merge_cells(
                start_row=text.row,
                start_column=text.col,
                end_row=text.row + text.rows - 1,
                end_column=text.col + text.cols - 1,
            )
    if heading:
        ws.cell(2, 1).value = neutralise(heading)
        ws.cell(2, 1).font = Font(color="555555")
    for row, col in sheet.voids:
        ws.cell(row, col).fill = VOID_FILL
        ws.cell(row, col).border = BORDER

    ranges: dict[str, list[str]] = {}
    choices: dict[str, list[str]] = {}
    for slot in sheet.slots:
        cell = ws.cell(slot.row, slot.col)
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
        cell.border = BORDER
        kind = slot.kind
        if kind in ("text", "url", "note", "multichoice", "platform", "choice", "yesno"):
            cell.number_format = "@"  # keep 0791-… and 10-digit 标识码 as typed
        if kind == "date":
            cell.number_format = "yyyy-mm-dd"
        if kind == "int" and getattr(slot.spec, "signed", False):
            kind = "int-signed"
        if kind in ("yesno", "choice", "platform"):
            labels = _choice_labels(slot)
            choices.setdefault(",".join(labels), []).append(slot.address)
        elif kind in VALIDATIONS:
            ranges.setdefault(kind, []).append(slot.address)
    for kind, addresses in ranges.items():
        kind_, operator, low, high = VALIDATIONS[kind]
        rule = DataValidation(
            type=kind_, operator=operator, formula1=low, formula2=high, allow_blank=True
        )
        rule.errorStyle = "warning"
        rule.showErrorMessage = True
        rule.errorTitle = "请检查" if kind == "note" else "请填写数字"
        rule.error = "备注最多200字。" if kind == "note" else NUMBER_HINT
        rule.sqref = " ".join(addresses)
        ws.add_data_validation(rule)
    for joined, addresses in choices.items():
        rule = DataValidation(type="list", formula1=f'"{joined}"', allow_blank=True)
        rule.errorStyle = "warning"
        rule.showErrorMessage = True
        rule.error = f"请从下拉列表中选择：{joined.replace(',', '、')}"
        rule.sqref = " ".join(addresses)
        ws.add_data_validation(rule)

    for col, width in sheet.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column is harmless
    ws.protection.formatRows = False
    return ws


def _choice_labels(slot: Slot) -> list[str]:
    if slot.kind == "platform":
        return list(layout.PLATFORM_LABELS)
    return [label for _, label in slot.spec.choices]


def _write_guide(ws, agency_name: str, year: int, blank: bool) -> None:
    lines = [
        f"{agency_name} {year}年度 政府信息公开工作年度报告 · 数据工作簿",
        "",
        "1. 只在黄色单元格中填写；其余单元格已锁定。请勿插入、删除或移动行列，也不要改工作表名称。",
        "2. 数字可以写成“1,980,321”“22.69万”“3天”或全角数字，上传时会自动换算；“—”表示空白（不是0）。",
        "3. 不要填写公式（如 =SUM(...)），请填写数值；含公式的单元格会被拒绝。",
        "4. 单元格备注在“备注”工作表中填写；网站报表的备注在各网站工作表的“备注”列填写。",
        "5. 合计单元格按填写的数字原样保存，与分项不符时会在校验中提示。",
        "6. 在报告页面点击“上传工作簿”，先预览将要修改的每个单元格，确认后才会保存；有任何问题则全部不保存。",
        "7. 本工作簿只能导入本单位本年度的报告。",
        "",
        "空白工作簿：上传后，工作簿中留空的单元格会清空报告中的对应数据。" if blank else "",
    ]
    for line in lines:
        ws.append([neutralise(line)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True
