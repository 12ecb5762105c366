"""Malformed workbooks: every case gets a clear Chinese message and nothing changes."""

import io
import zipfile

import pytest
from django.test import override_settings
from openpyxl import Workbook

from reports.spreadsheets import layout
from reports.spreadsheets.safety import SpreadsheetError, check_upload
from reports.spreadsheets.workbook import export_workbook
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook

from .conftest import counts, fill, fill_website, open_book, save_book


@pytest.fixture
def report(report_in):
    report = report_in("gb2021")
    fill(report)
    fill_website(report)
    return report


def slot_of(report, key):
    for sheet in layout.table_sheets(report.format):
        for slot in sheet.slots:
            if slot.key == key:
                return sheet.name, slot.address
    raise KeyError(key)


def refused(report, data, name="工作簿.xlsx") -> list[str]:
    """The problems the upload is refused with; asserts that nothing was written."""
    before = counts(report)
    try:
        preview = read_workbook(report, check_upload(data, name))
    except SpreadsheetError as error:
        problems = error.problems
    else:
        problems = preview.problems
        with pytest.raises(SpreadsheetError, match="未导入"):
            apply_workbook(preview, by=None)
    assert problems, "expected the upload to be refused"
    assert counts(report) == before
    return problems


def edited(report, change) -> bytes:
    book = open_book(export_workbook(report))
    change(book)
    return save_book(book)


def test_text_in_a_number_cell_is_named_by_sheet_and_cell(report):
    sheet, address = slot_of(report, "t3-r1-c1")
    data = edited(report, lambda book: book[sheet].__setitem__(address, "十二"))
    problems = refused(report, data)
    assert problems == [
        f"表三!{address}（表三 一、本年新收政府信息公开申请数量·自然人）：「十二」不是数字"
    ]


def test_a_formula_is_refused_not_dropped(report):
    sheet, address = slot_of(report, "t3-r1-c7")
    data = edited(report, lambda book: book[sheet].__setitem__(address, "=SUM(B6:G6)"))
    [problem] = refused(report, data)
    assert problem.startswith(f"表三!{address}") and "不能使用公式（=SUM(B6:G6)）" in problem


def test_a_negative_or_fractional_count_is_refused(report):
    sheet, a = slot_of(report, "t3-r1-c1")
    _, b = slot_of(report, "t3-r1-c2")

    def change(book):
        book[sheet][a] = -3
        book[sheet][b] = 2.5

    problems = refused(report, edited(report, change))
    assert any("「-3」不能为负数" in p for p in problems)
    assert any("「2.5」应为整数" in p for p in problems)


def test_a_missing_sheet_is_named(report):
    data = edited(report, lambda book: book.remove(book["表三"]))
    assert "缺少工作表「表三」（可能被删除或改名），请重新下载工作簿。" in refused(report, data)


def test_moved_rows_are_detected_by_their_labels(report):
    def insert_row(book):
        sheet = book["表三"]
        sheet.protection.sheet = False
        sheet.insert_rows(8)

    [problem] = refused(report, edited(report, insert_row))
    assert problem.startswith("表三!A8：此处应为「三、本年度办理结果」，实为「空白」")
    assert "行或列被插入、删除或移动过" in problem


def test_a_workbook_of_another_agency_is_refused(report, report_in):
    other = report_in("gb2021")
    [problem] = refused(report, export_workbook(other))
    assert (
        problem == f"该工作簿属于「{other.agency.name}」，不能导入「{report.agency.name}」的报告。"
    )


def test_a_workbook_of_another_format_or_year_is_refused(report, make_report):
    older = make_report(agency=report.agency, year=2019)
    [problem] = refused(report, export_workbook(older))
    assert problem == "该工作簿是2019年度的，不能导入2021年度的报告。"


def test_a_workbook_of_another_format_version_is_refused(report):
    def other_format(book):
        for row in book[layout.META_SHEET].iter_rows():
            if row[0].value == "format":
                row[1].value = "gb2019"

    [problem] = refused(report, edited(report, other_format))
    assert "该工作簿使用「2019年格式" in problem and "请重新下载工作簿" in problem


def test_a_workbook_not_from_the_portal_is_refused(report):
    book = Workbook()
    book.active["A1"] = "自己做的表"
    [problem] = refused(report, save_book(book), "自制.xlsx")
    assert problem.startswith("「自制.xlsx」不是从本平台下载的报告工作簿")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"%PDF-1.4 not a workbook",
            "报告.xlsx",
            "「报告.xlsx」的扩展名是 .xlsx，但内容不是 xlsx 工作簿。",
        ),
        (b"a,b\n1,2\n", "数据.csv", "只接受 .xlsx 文件，「数据.csv」不是。"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "旧.xlsx",
            "「旧.xlsx」是旧版 .xls 文件",
        ),
        (b"whatever", "报告.pdf", "只接受 .xlsx 文件，「报告.pdf」不是。"),
        (b"", "空.xlsx", "「空.xlsx」是空文件。"),
    ],
)
def test_files_of_the_wrong_type_are_refused_before_parsing(data, name, message):
    with pytest.raises(SpreadsheetError) as error:
        check_upload(data, name, allowed=("xlsx",))
    assert str(error.value).startswith(message)


@override_settings(SPREADSHEET_MAX_UPLOAD_BYTES=10_000)
def test_an_oversized_file_is_refused(report):
    data = export_workbook(report)
    assert len(data) > 10_000
    with pytest.raises(SpreadsheetError, match=r"超过了 10 KB 的上限"):
        check_upload(data, "大.xlsx")


def zip_bomb() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return stream.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it():
    data = zip_bomb()
    assert len(data) < 100_000
    with pytest.raises(SpreadsheetError, match="解压后过大（疑似压缩炸弹）"):
        check_upload(data, "炸弹.xlsx")


def test_a_macro_workbook_and_a_broken_zip_are_refused(report):
    stream = io.BytesIO(export_workbook(report))
    with zipfile.ZipFile(stream, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(SpreadsheetError, match="含有宏"):
        check_upload(stream.getvalue(), "宏.xlsx")
    with pytest.raises(SpreadsheetError, match="已损坏"):
        check_upload(export_workbook(report)[:5000], "坏.xlsx")


def test_website_problems_are_named_and_block_everything(report):
    site = layout.website_sheet(1, 0)
    url = next(s for s in site.slots if s.key == "home_url")
    kind = next(s for s in site.slots if s.key == "site_type")
    _, cell = slot_of(report, "t3-r1-c1")

    def change(book):
        book["网站1"].cell(url.row, url.col).value = "不是网址"
        book["网站1"].cell(kind.row, kind.col).value = "政府门户网站、部门网站"
        book["网站1"].cell(site.media_row, 1).value = "抖音"
        book["表三"][cell] = 99  # a valid change elsewhere is not applied either

    problems = refused(report, edited(report, change))
    assert (
        f"网站1!{url.address}：首页网址：「不是网址」不是有效网址（例如 www.nc.gov.cn）" in problems
    )
    assert (
        f"网站1!{kind.address}：网站类型：只能选择一项（已选：政府门户网站、部门网站）" in problems
    )
    assert any(
        p.startswith(f"网站1!A{site.media_row}：移动新媒体：「抖音」不是可选平台") for p in problems
    )


def test_a_note_over_200_characters_is_refused(report):
    def change(book):
        book[layout.NOTES_SHEET]["D3"] = "长" * 201

    [problem] = refused(report, edited(report, change))
    assert problem.startswith("备注!D3（") and problem.endswith("备注不能超过200字")
