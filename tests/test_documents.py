"""The whole filing as a document: print view, Word and PDF, all from the same FilingData."""

import io
import re
import subprocess
from urllib.parse import unquote

import docx
import pytest
from django.urls import reverse

from reports import websites
from reports.documents import build_document
from reports.documents.docx import document_docx
from reports.documents.pdf import document_pdf
from reports.formats import narrative_format
from reports.models import AnnualReport, Membership
from reports.narrative import narrative_save
from reports.selectors import filing_data

Role = Membership.Role
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def seed(demo):
    return AnnualReport.objects.get(period__year=2018)


@pytest.fixture
def zhangpeng(seed):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zhangpeng")


@pytest.fixture
def filing_2021(make_agency, make_report, make_period, make_user):
    agency = make_agency(name="测试局", address="某市某路1号", phone="0791-1234567")
    report = make_report(agency=agency, period=make_period(2021))
    filer = make_user(agency=agency, role=Role.FILER)
    narrative_save(report=report, by=filer, texts={"s1": f"第一段{SCRIPT}\n（一）主动公开"})
    return report, filer


def url(name, report):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk])


def docx_text(content: bytes) -> tuple[str, list[str]]:
    """(all paragraph text, all table cell texts) of a .docx."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


def pdf_tool(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


# --- what the document holds -----------------------------------------------------------------


def test_the_seed_document_has_its_narrative_tables_and_sign_off(seed):
    doc = build_document(filing_data(seed))
    assert doc.title_lines == ("南昌市教育局2018年", "政府信息公开工作年度报告")
    assert doc.opening[0].startswith(
        "本年度报告根据《中华人民共和国政府信息公开条例》（国务院令第492号"
    )
    assert doc.opening[0].endswith("政府信息公开工作存在的主要问题及改进情况共十部分组成。")
    assert [s.title for s in doc.sections] == narrative_format("gb2014").titles()
    assert doc.sections[8].paragraphs[0].heading  # 「（一）存在的主要问题」
    assert doc.appendix_title == "政府信息公开情况统计表（2018年度）"
    assert [t.table.code for t in doc.appendix_tables] == ["t"]
    assert doc.date_text == "2019年1月9日"
    assert doc.status_note == ""  # the demo publishes it


def test_a_2021_document_puts_tables_two_to_four_in_sections_two_to_four(filing_2021):
    report, _ = filing_2021
    doc = build_document(filing_data(report))
    assert [[t.table.code for t in s.tables] for s in doc.sections] == [
        [],
        ["t2"],
        ["t3"],
        ["t4"],
        [],
        [],
    ]
    assert doc.appendix_tables == []
    assert "尚未签发" in doc.status_note
    assert doc.date_text == "\u3000\u3000年\u3000\u3000月\u3000\u3000日"


# --- print view ------------------------------------------------------------------------------


def test_the_seed_print_view_carries_its_narrative(client, seed, zhangpeng):
    client.force_login(zhangpeng)
    response = client.get(url("print", seed))
    content = response.content.decode()
    assert response.status_code == 200
    assert "2018年度累计主动公开各类信息247条" in content
    assert "粉丝数已有22.78万多" in content
    assert "南昌市教育局2018年" in content and "政府信息公开工作年度报告" in content
    for title in narrative_format("gb2014").titles():
        assert title in content
    assert "政府信息公开情况统计表（2018年度）" in content
    assert "（一）主动公开政府信息数" in content  # the statistics table's labels
    assert "政府网站工作年度报表" in content and "南昌教育发布" in content
    assert "2019年1月9日" in content
    assert "reports/document.css" in content


def test_the_print_view_costs_a_fixed_number_of_queries(
    client, seed, zhangpeng, django_assert_max_num_queries
):
    client.force_login(zhangpeng)
    client.get(url("print", seed))  # session and access warmed
    with django_assert_max_num_queries(10):  # 8 today: session, user, access, filing (5)
        assert client.get(url("print", seed)).status_code == 200


def test_more_website_forms_do_not_cost_more_queries(
    client, filing_2021, django_assert_num_queries
):
    report, filer = filing_2021
    client.force_login(filer)
    websites.website_form_add(report=report, by=filer)
    client.get(url("print", report))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url("print", report))
    for _ in range(3):
        websites.website_form_add(report=report, by=filer)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url("print", report)).status_code == 200


def test_text_is_escaped_in_the_print_view(client, filing_2021):
    report, filer = filing_2021
    client.force_login(filer)
    content = client.get(url("print", report)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "<script>alert" not in content
    assert '<h3 class="doc-h3">（一）主动公开</h3>' in content


# --- Word --------------------------------------------------------------------------------------


def test_the_word_file_holds_every_section_the_tables_and_their_labels(seed):
    content = document_docx(filing_data(seed))
    text, cells = docx_text(content)
    for title in narrative_format("gb2014").titles():
        assert title in text
    assert "2018年度累计主动公开各类信息247条" in text
    assert "政府信息公开情况统计表（2018年度）" in text
    assert "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）" in cells
    assert "三、依申请公开情况" in cells and "247" in cells
    assert "网站名称" in cells and "南昌教育发布" in cells
    document = docx.Document(io.BytesIO(content))
    assert len(document.tables) == 2  # 统计表 and one 政府网站工作年度报表
    assert document.core_properties.title == "南昌市教育局2018年政府信息公开工作年度报告"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == narrative_format("gb2014").titles()


def test_the_word_file_looks_official(seed):
    document = docx.Document(io.BytesIO(document_docx(filing_data(seed))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = {
        name: document.styles[name].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        for name in ("Normal", "Title", "Heading 1")
    }
    assert fonts == {"Normal": "仿宋", "Title": "方正小标宋简体", "Heading 1": "黑体"}
    assert all(table.style.name == "Table Grid" for table in document.tables)  # bordered
    assert "PAGE" in section.footer._element.xml


def test_a_2021_word_file_merges_the_headers_of_table_three(filing_2021):
    report, _ = filing_2021
    document = docx.Document(io.BytesIO(document_docx(filing_data(report))))
    t3 = document.tables[1]
    assert len(t3.columns) == 8
    first = t3.rows[0].cells
    assert first[0].text.startswith("（本列数据的勾稽关系为")
    assert first[1].text == "申请人情况" and first[1]._tc is first[7]._tc  # one merged cell
    assert t3.rows[2].cells[0]._tc is first[0]._tc  # rowspan 3


def test_text_is_plain_in_the_word_file(filing_2021):
    report, _ = filing_2021
    text, _ = docx_text(document_docx(filing_data(report)))
    assert f"第一段{SCRIPT}" in text


# --- PDF ----------------------------------------------------------------------------------------


def test_the_pdf_embeds_a_chinese_font_and_its_text_extracts(seed, tmp_path):
    content = document_pdf(filing_data(seed))
    assert content.startswith(b"%PDF")
    fonts = pdf_tool("pdffonts", content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded (and subset)
    text = pdf_tool("pdftotext", content, tmp_path).replace("\n", "")
    assert "2018年度累计主动公开各类信息247条" in text
    assert "九、政府信息公开工作存在的主要问题及改进情况" in text
    assert "主动公开政府信息数" in text
    assert re.search(r"-\s?1\s?-", text) and re.search(r"-\s?2\s?-", text)  # page numbers


def test_text_is_plain_in_the_pdf(filing_2021, tmp_path):
    report, _ = filing_2021
    text = pdf_tool("pdftotext", document_pdf(filing_data(report)), tmp_path)
    assert SCRIPT in text.replace("\n", "")


# --- downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "content_type"),
    [
        (
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("pdf", "pdf", "application/pdf"),
    ],
)
def test_downloads_carry_the_chinese_file_name(
    client, seed, zhangpeng, name, extension, content_type
):
    client.force_login(zhangpeng)
    response = client.get(url(name, seed))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="nanchang-edu-2018.{extension}"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == f"南昌市教育局2018年政府信息公开工作年度报告.{extension}"


def test_a_reviewer_of_the_agency_may_download(client, seed):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="wanxiaoling"))
    assert client.get(url("docx", seed)).status_code == 200
    assert client.get(url("print", seed)).status_code == 200
