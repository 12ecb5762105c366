"""Upload checks and the formula neutraliser; the workbook's protection and validation."""

import pytest

from reports.spreadsheets import layout
from reports.spreadsheets.safety import (
    SpreadsheetError,
    check_upload,
    decode_csv,
    is_formula,
    neutralise,
    unneutralise,
)
from reports.spreadsheets.workbook import export_workbook

from .conftest import open_book


@pytest.mark.parametrize("text", ["=1+1", "+86 791", "-18 件", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_text_that_would_run_as_a_formula_is_neutralised_and_restored(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("value", ["甲局", "0791-83986497", "'引号开头", 18, -18, None])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value
    assert unneutralise(value) == value


def test_formulas_are_recognised():
    assert is_formula("=A1") and not is_formula("=") and not is_formula("a=b") and not is_formula(3)


def test_csv_is_sniffed_and_decoded():
    assert check_upload("a,b\n".encode("gb18030"), "表.CSV").kind == "csv"
    assert decode_csv("\ufeff单位".encode()) == "单位"
    with pytest.raises(SpreadsheetError, match="扩展名是 .csv，但内容是压缩文件"):
        check_upload(b"PK\x03\x04rest", "表.csv")
    with pytest.raises(SpreadsheetError, match="不是文本格式的 CSV 文件"):
        check_upload(b"a\x00b", "表.csv")
    with pytest.raises(SpreadsheetError, match="请在表格软件中另存为 .xlsx、.csv 后上传"):
        check_upload(b"x", "旧.xls")


def test_labels_are_locked_data_cells_unlocked_and_validated(report_in):
    report = report_in("gb2021")
    book = open_book(export_workbook(report))
    assert book[layout.META_SHEET].sheet_state == "veryHidden"
    sheet = layout.table_sheets(report.format)[1]
    ws = book[sheet.name]
    assert ws.protection.sheet
    text = next(t for t in sheet.texts if t.text == "（一）予以公开")
    assert ws.cell(text.row, text.col).protection.locked
    slot = sheet.slots[0]
    assert not ws.cell(slot.row, slot.col).protection.locked
    rules = {rule.type: rule for rule in ws.data_validations.dataValidation}
    assert slot.address in str(rules["whole"].sqref)
    assert rules["whole"].operator == "greaterThanOrEqual" and rules["whole"].showErrorMessage
    table2 = book["表二"]
    fee = next(s for s in layout.table_sheets(report.format)[0].slots if s.key == "t2-r7-fee")
    decimal = next(r for r in table2.data_validations.dataValidation if r.type == "decimal")
    assert fee.address in str(decimal.sqref)
    site = book["网站1"]
    lists = [r for r in site.data_validations.dataValidation if r.type == "list"]
    assert any(r.formula1 == '"是,否"' for r in lists)
    assert any(r.formula1 == '"微博,微信,其他"' for r in lists)
