"""One truth per printed field: once signed, the website form's 单位负责人, 审核人, 填报人 and
填报日期 are the workflow's in every output (`FilingData.printed_websites`); what was typed
there only fills the draft."""

import csv
import io
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from reports import websites, workflow
from reports.filing_data import local_date
from reports.formats.website import WEBSITE_FORM
from reports.models import AnnualReport
from reports.spreadsheets.workbook import export_workbook
from tests.helpers import complete

TYPED = {"head": "赵打字", "reviewer": "钱打字", "preparer": "孙打字", "filed_on": "2020年1月1日"}
SIGNED = ("王签", "李审", "张填")  # the office's head, reviewer and filer (tests/conftest.py)
# A complete, valid website form (every field answered, zeros for the figures), footer typed.
WEBSITE = {
    **{
        field.code: {"count": "0", "decimal": "0", "yesno": "否"}.get(field.kind, "")
        for field in WEBSITE_FORM.fields
    },
    "filer": "甲局",
    "site_name": "甲局门户网站",
    "home_url": "jia.gov.cn",
    "sponsor": "甲局",
    "site_type": "部门网站",
    "site_id": "3601000051",
    "icp": "赣ICP备05007513号",
    "police_record": "赣公网安备 36010202000015号",
    "phone": "0791-1234567",
    **TYPED,
}


@pytest.fixture
def report(office):
    report = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    form = websites.website_form_add(report=report, by=office["filer"])
    websites.website_form_save(form=form, by=office["filer"], raw=WEBSITE)
    return report


def sign(report, office):
    workflow.report_submit(report=report, by=office["filer"])
    workflow.report_pass(report=report, by=office["reviewer"])
    workflow.report_sign(report=report, by=office["head"])
    report.refresh_from_db()
    return report


@pytest.fixture
def published(report, office):
    sign(report, office)
    workflow.report_publish(report=report, by=office["head"])
    report.refresh_from_db()
    return report


def signed_date(report):
    return local_date(report.submitted_at)


def as_chinese(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def assert_workflow_footer(text: str, day) -> None:
    """`text` (a whole output) prints the workflow's names and date, none typed."""
    assert [name for name in SIGNED if name not in text] == []
    assert [typed for typed in TYPED.values() if typed in text] == []
    assert as_chinese(day) in text or day.isoformat() in text


def test_the_public_page_prints_the_workflows_footer(client, published):
    page = client.get("/reports/2021/jia/").content.decode()
    footer = page[page.index('class="doc-attachment doc-website"') :]
    assert_workflow_footer(footer, signed_date(published))
    assert "0791-1234567" in footer  # the phone is the filer's to type


def test_the_pdf_prints_the_workflows_footer(client, published, tmp_path):
    pdf = tmp_path / "filing.pdf"
    pdf.write_bytes(client.get("/reports/2021/jia.pdf").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert_workflow_footer(text, signed_date(published))


def test_the_docx_prints_the_workflows_footer(client, published):
    document = Document(io.BytesIO(client.get("/reports/2021/jia.docx").content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    assert_workflow_footer("\n".join(texts), signed_date(published))


def website_sheet_values(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    sheet = next(ws for ws in book.worksheets if "网站" in ws.title)
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def test_the_xlsx_holds_the_workflows_footer(client, published):
    values = website_sheet_values(client.get("/reports/2021/jia.xlsx").content)
    assert [name for name in SIGNED if name not in values] == []
    assert [typed for typed in TYPED.values() if typed in values] == []
    dates = [v.date() for v in values if hasattr(v, "date") and callable(v.date)]
    assert dates == [signed_date(published)]


def test_the_csv_holds_the_workflows_footer(client, published):
    content = client.get("/reports/2021/jia.csv").content.decode("utf-8-sig")
    rows = {row[1]: row[4] for row in csv.reader(io.StringIO(content))}
    assert (rows["w1:head"], rows["w1:reviewer"], rows["w1:preparer"]) == SIGNED
    assert rows["w1:filed_on"] == as_chinese(signed_date(published))
    assert rows["w1:phone"] == "0791-1234567"


def test_the_json_holds_the_workflows_footer(client, published):
    data = client.get("/reports/2021/jia.json").json()
    fields = data["websites"][0]["fields"]
    assert (fields["head"], fields["reviewer"], fields["preparer"]) == SIGNED
    assert fields["filed_on"] == signed_date(published).isoformat()
    assert [data["signatures"][role]["name"] for role in ("head", "reviewer", "filer")] == list(
        SIGNED
    )


def test_a_signed_filing_not_yet_published_exports_the_workflows_footer_too(report, office):
    """The live filing (the admin's 下载工作簿) reads through the same FilingData."""
    sign(report, office)
    values = website_sheet_values(export_workbook(report))
    assert "王签" in values and "赵打字" not in values


def test_a_draft_prints_what_was_typed(report, office):
    values = website_sheet_values(export_workbook(report))
    assert "赵打字" in values and "王签" not in values
    workflow.report_submit(report=report, by=office["filer"])
    report.refresh_from_db()
    assert websites.sign_off(report) == {}  # submitted, not signed: still the typed footer


def test_a_correction_under_way_prints_what_was_typed_again(published, office):
    workflow.report_reopen(report=published, by=office["coordinator"], reason="更正")
    published.refresh_from_db()
    values = website_sheet_values(export_workbook(published))
    assert "赵打字" in values and "王签" not in values
