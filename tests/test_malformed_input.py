"""No input answers 500: malformed numbers and texts posted through the real entry pages.

A filer of the `office` posts to the statistics tables, a website form, the 正文 and the
workbook upload. Every refused case answers 200 with a Chinese message that names the cell or
field, keeps what was typed, and leaves the database as it was (values, notes, website forms,
正文, version, history). Run on SQLite and on PostgreSQL: only PostgreSQL enforces NUMERIC(20, 4)
and refuses NUL, so a bound missing in the code shows there as a 500.
"""

import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services, websites
from reports.formats import narrative_format
from reports.formats.website import TEXTUAL, WEBSITE_FORM
from reports.models import NarrativeSection, ReportValue, ValueChange, WebsiteForm
from reports.narrative import MAX_LENGTH, narrative_save
from reports.numbers import MAX_INTEGER_DIGITS, MAX_TEXT_LENGTH
from reports.services import NOTE_MAX_LENGTH
from reports.spreadsheets import layout
from reports.spreadsheets.workbook import export_workbook
from tests.spreadsheets.conftest import open_book, save_book

CELL = "t3-r1-c1"  # 表三 一、本年新收政府信息公开申请数量·自然人: a count
MONEY = "t2-r7-fee"  # 表二 行政事业性收费·本年收费金额: 万元, 6 decimals
TOO_BIG = f"数值过大（整数部分最多{MAX_INTEGER_DIGITS}位）"
CONTROL = "含有不可见的控制字符，请删除后再保存"
LARGEST = "9" * MAX_INTEGER_DIGITS


@pytest.fixture
def filing(office, make_report, client):
    """甲局's 2021 draft with a value, a note, a website form and 正文; its filer logged in."""
    report = make_report(agency=office["bureau"], period=office["period"])
    services.report_save_values(report=report, by=None, entries={CELL: ("5", "原备注")})
    form = websites.website_form_add(report=report, by=None)
    websites.website_form_save(
        form=form,
        by=None,
        raw={"site_name": "甲局网站", "visitors": "100", "messages_days": "3"},
        notes={"visitors": "含移动端"},
        media_rows=[{"platform": "weibo", "name": "甲局发布", "posts": "10", "followers": "20"}],
    )
    narrative_save(report=report, by=None, texts={"s1": "总体情况。"})
    client.force_login(office["filer"])
    report.refresh_from_db()
    return report


def everything(report) -> tuple:
    """All a save could change, to prove a refused one changed nothing."""
    report.refresh_from_db()
    return (
        report.version,
        sorted(ReportValue.objects.filter(report=report).values_list("code", "value", "note")),
        [
            (f.position, f.values, f.notes, f.media)
            for f in WebsiteForm.objects.filter(report=report)
        ],
        sorted(NarrativeSection.objects.filter(report=report).values_list("key", "body")),
        ValueChange.objects.filter(report=report).count(),
    )


def page_url(name, report, *args):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk, *args])


def cell_errors(response) -> list[str]:
    """The messages shown beside the refused cells or fields, in page order."""
    found = re.findall(
        r'<span class="cell-error" role="alert">(.*?)</span>', response.content.decode(), re.S
    )
    return [html.unescape(message) for message in found]


def label(report, code) -> str:
    return report.format.cell(code).label


def post_tables(client, report, typed: dict[str, tuple[str, str]]):
    """The tables page posted as a browser would: every input, blank unless `typed`."""
    data = {"version": str(report.version)}
    for spec in report.format.cells():
        if not spec.computed_from:
            value, note = typed.get(spec.code, ("", ""))
            data[f"v:{spec.code}"], data[f"n:{spec.code}"] = value, note
    return client.post(page_url("tables", report), data)


def post_website(client, report, answers=None, notes=None, media=None):
    """The website form page posted: every field (blank unless given), notes, media rows."""
    data = {"version": str(report.version), "m-count": str(len(media or []))}
    for field in WEBSITE_FORM.fields:
        blank = [] if field.kind in ("choice", "multichoice", "yesno") else ""
        data[f"f:{field.code}"] = (answers or {}).get(field.code, blank)
        data[f"n:{field.code}"] = (notes or {}).get(field.code, "")
    for index, row in enumerate(media or []):
        for key in ("platform", "name", "posts", "followers"):
            data[f"m-{index}-{key}"] = row.get(key, "")
    return client.post(page_url("website", report, 1), data)


def refused(response, report, before) -> list[str]:
    """The per-cell messages of a refused save; asserts 200, typed kept, nothing written."""
    assert response.status_code == 200
    assert everything(report) == before
    errors = cell_errors(response)
    assert errors, "expected the save to be refused beside a cell"
    return errors


# --- statistics tables: numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1" * 20, f"「{'1' * 20}」{TOO_BIG}"),
        ("1" * 10_000, f"「{'1' * 20}…」过长（10000个字符），不是数字"),
        ("9" * 1_000_000, f"「{'9' * 20}…」过长（1000000个字符），不是数字"),
        ("1" + "0" * MAX_INTEGER_DIGITS, f"「1{'0' * MAX_INTEGER_DIGITS}」{TOO_BIG}"),
        ("100000000万", f"「100000000万」{TOO_BIG}"),
        ("1 000 000 000 000", f"「1 000 000 000 000」{TOO_BIG}"),
        ("99999999999999999999.9999", f"「99999999999999999999.9999」{TOO_BIG}"),
        ("１２３４５６７８９０１２３", f"「１２３４５６７８９０１２３」{TOO_BIG}"),
        ("1" * (MAX_TEXT_LENGTH + 1), f"「{'1' * 20}…」过长（41个字符），不是数字"),
        ("1e400", "「1e400」不是数字"),
        ("1e5", "「1e5」不是数字"),
        ("1E5", "「1E5」不是数字"),
        ("１e５", "「１e５」不是数字"),
        ("1e-400", "「1e-400」不是数字"),
        ("--1", "「--1」不是数字"),
        ("+-1", "「+-1」不是数字"),
        ("١٢", "「١٢」不是数字"),
        ("۱۲", "「۱۲」不是数字"),
        ("٣.٥", "「٣.٥」不是数字"),
        ("1١", "「1١」不是数字"),
        ("10²", "「10²」不是数字"),
        ("①", "「①」不是数字"),
        ("NaN", "「NaN」不是数字"),
        ("nan", "「nan」不是数字"),
        ("Infinity", "「Infinity」不是数字"),
        ("-Infinity", "「-Infinity」不是数字"),
        ("inf", "「inf」不是数字"),
        ("∞", "「∞」不是数字"),
        ("1,00", "「1,00」不是数字"),
        ("1,,000", "「1,,000」不是数字"),
        (",123", "「,123」不是数字"),
        ("1_000", "「1_000」不是数字"),
        ("0x1F", "「0x1F」不是数字"),
        ("1.2.3", "「1.2.3」不是数字"),
        ("1\x002", "「1\x002」不是数字"),
        ("\x00", "「\x00」不是数字"),
        ("12\n34", "「12\n34」不是数字"),
        ("-5", "「-5」不能为负数"),
        ("2.5", "「2.5」应为整数"),
        ("1.0000000000000000000000000000001", "「1.0000000000000000000000000000001」应为整数"),
    ],
)
def test_a_malformed_number_in_a_table_cell_is_refused_beside_the_cell(
    client, filing, typed, problem
):
    before = everything(filing)
    response = post_tables(client, filing, {CELL: (typed, "")})
    assert refused(response, filing, before) == [f"{label(filing, CELL)}：{problem}"]
    assert f'value="{html.escape(typed[:50])}' in response.content.decode()  # typed is kept


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0.0000001", "「0.0000001」最多保留6位小数"),
        ("1.005元", "「1.005元」最多保留6位小数"),
        ("1" * 17 + "元", f"「{'1' * 17}元」{TOO_BIG}"),
        ("1000000000000万元", f"「1000000000000万元」{TOO_BIG}"),
        ("-0.5", "「-0.5」不能为负数"),
    ],
)
def test_a_malformed_amount_in_a_money_cell_is_refused(client, filing, typed, problem):
    before = everything(filing)
    response = post_tables(client, filing, {MONEY: (typed, "")})
    assert refused(response, filing, before) == [f"{label(filing, MONEY)}：{problem}"]


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        ("备" * (NOTE_MAX_LENGTH + 1), f"备注不能超过{NOTE_MAX_LENGTH}字（现有201字）"),
        ("x" * 10_000, f"备注不能超过{NOTE_MAX_LENGTH}字（现有10000字）"),
        ("其中\x00修订", f"备注{CONTROL}"),
        ("\x1b[31m红色", f"备注{CONTROL}"),
    ],
)
def test_a_malformed_note_of_a_table_cell_is_refused(client, filing, note, problem):
    before = everything(filing)
    response = post_tables(client, filing, {CELL: ("5", note)})
    assert refused(response, filing, before) == [f"{label(filing, CELL)}：{problem}"]


def test_a_cell_with_a_bad_number_and_a_bad_note_names_both(client, filing):
    before = everything(filing)
    response = post_tables(client, filing, {CELL: ("NaN", "a\x00b")})
    assert refused(response, filing, before) == [
        f"{label(filing, CELL)}：「NaN」不是数字；备注{CONTROL}"
    ]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１２", Decimal(12)),
        ("1,234,567", Decimal(1234567)),
        ("-0", Decimal(0)),
        ("9,999,999万", Decimal(LARGEST[:7] + "0000")),
        (LARGEST, Decimal(LARGEST)),
    ],
)
def test_numbers_staff_may_type_are_stored_as_the_number(client, filing, typed, stored):
    response = post_tables(client, filing, {CELL: (typed, "")})
    assert response.status_code == 302
    value = ReportValue.objects.get(report=filing, code=CELL).value
    assert value == stored and not value.is_signed()  # 「-0」 is stored as 0


def test_the_largest_number_in_every_cell_saves_with_its_totals(client, filing):
    """Totals are computed from the bounded parts and still fit NUMERIC(20, 4)."""
    cells = [spec for spec in filing.format.cells() if not spec.computed_from]
    typed = {spec.code: (LARGEST, "") for spec in cells}
    typed[MONEY] = (f"{LARGEST}.9999", "")
    response = post_tables(client, filing, typed)
    assert response.status_code == 302
    stored = dict(ReportValue.objects.filter(report=filing).values_list("code", "value"))
    assert stored[MONEY] == Decimal(f"{LARGEST}.9999")
    assert max(stored.values()) >= Decimal(LARGEST) * 20  # a total of many parts


# --- the website form --------------------------------------------------------------------

TEXT_FIELDS = [field for field in WEBSITE_FORM.fields if field.kind in TEXTUAL]


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=lambda f: f.code)
def test_ten_thousand_characters_in_a_website_text_field_are_refused(client, filing, field):
    before = everything(filing)
    response = post_website(client, filing, {field.code: "字" * 10_000})
    assert refused(response, filing, before) == [
        f"{field.name}：不能超过{field.max_length}字（现有10000字）"
    ]


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=lambda f: f.code)
def test_one_character_over_the_limit_is_refused_and_the_limit_itself_is_not(client, filing, field):
    before = everything(filing)
    response = post_website(client, filing, {field.code: "1" * (field.max_length + 1)})
    assert refused(response, filing, before) == [
        f"{field.name}：不能超过{field.max_length}字（现有{field.max_length + 1}字）"
    ]
    if not (field.kind == "text" and not field.pattern):
        return  # a 网址, date or code of that length is refused for its shape
    response = post_website(client, filing, {field.code: "字" * field.max_length})
    assert response.status_code == 302
    assert WebsiteForm.objects.get(report=filing).values[field.code] == "字" * field.max_length


@pytest.mark.parametrize("field", TEXT_FIELDS, ids=lambda f: f.code)
def test_a_nul_in_a_website_text_field_is_refused(client, filing, field):
    before = everything(filing)
    response = post_website(client, filing, {field.code: "jia\x00.gov.cn"})
    assert refused(response, filing, before) == [f"{field.name}：{CONTROL}"]


@pytest.mark.parametrize(
    ("code", "typed", "problem"),
    [
        ("visitors", "1" * 20, f"「{'1' * 20}」{TOO_BIG}"),
        ("visits", "1" * 10_000, f"「{'1' * 20}…」过长（10000个字符），不是数字"),
        ("info_total", "1e400", "「1e400」不是数字"),
        ("info_news", "NaN", "「NaN」不是数字"),
        ("info_catalog", "Infinity", "「Infinity」不是数字"),
        ("columns_new", "١٢", "「١٢」不是数字"),
        ("columns_maintained", "--1", "「--1」不是数字"),
        ("responses", "-1", "「-1」不能为负数"),
        (
            "cases_total",
            "１２３４５６７８９０１２３件",
            f"「１２３４５６７８９０１２３件」{TOO_BIG}",
        ),
        ("messages_days", "1" * 20 + "天", f"「{'1' * 20}天」{TOO_BIG}"),
        ("messages_days", "3.333天", "「3.333天」最多保留2位小数"),
        ("messages_days", "1e5", "「1e5」不是数字"),
        ("messages_received", "1\x00", "「1\x00」不是数字"),
    ],
)
def test_a_malformed_website_count_is_refused_naming_the_field(
    client, filing, code, typed, problem
):
    before = everything(filing)
    response = post_website(client, filing, {code: typed})
    field = WEBSITE_FORM.field(code)
    assert refused(response, filing, before) == [f"{field.name}：{problem}"]


@pytest.mark.parametrize(
    ("code", "note", "problem"),
    [
        ("site_name", "x" * 10_000, f"备注不能超过{NOTE_MAX_LENGTH}字（现有10000字）"),
        ("visitors", "含\x00移动端", f"备注{CONTROL}"),
    ],
)
def test_a_malformed_website_note_is_refused(client, filing, code, note, problem):
    before = everything(filing)
    response = post_website(client, filing, notes={code: note})
    assert refused(response, filing, before) == [f"{WEBSITE_FORM.field(code).name}：{problem}"]


def test_an_unknown_choice_is_refused_quoting_only_its_start(client, filing):
    before = everything(filing)
    response = post_website(client, filing, {"site_type": ["x" * 10_000]})
    [message] = refused(response, filing, before)
    assert message.startswith(f"网站类型：「{'x' * 20}…」不是可选项（可选：")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            {"platform": "weibo", "name": "名" * 10_000},
            "微博第1行：微博名称：不能超过100字（现有10000字）",
        ),
        ({"platform": "wechat", "name": "甲\x00局"}, f"微信第1行：微信名称：{CONTROL}"),
        (
            {"platform": "weibo", "name": "甲局发布", "posts": "1" * 20},
            f"微博第1行：微博“甲局发布”信息发布量：「{'1' * 20}」{TOO_BIG}",
        ),
        (
            {"platform": "wechat", "name": "甲局发布", "followers": "NaN"},
            "微信第1行：微信“甲局发布”订阅数：「NaN」不是数字",
        ),
        (
            {"platform": "x" * 10_000, "name": "甲局发布"},
            f"移动新媒体第1行：移动新媒体：「{'x' * 20}…」不是可选平台（可选：微博、微信、其他）",
        ),
    ],
)
def test_a_malformed_media_row_is_refused_naming_the_row(client, filing, row, problem):
    before = everything(filing)
    response = post_website(client, filing, media=[row])
    assert refused(response, filing, before) == [problem]


def test_the_largest_numbers_in_every_website_count_are_saved(client, filing):
    answers = {f.code: LARGEST for f in WEBSITE_FORM.fields if f.kind == "count"}
    answers["messages_days"] = f"{LARGEST}.99"
    media = [{"platform": "weibo", "name": "甲局发布", "posts": LARGEST, "followers": LARGEST}]
    response = post_website(client, filing, answers, media=media)
    assert response.status_code == 302
    form = WebsiteForm.objects.get(report=filing)
    assert form.values["visitors"] == LARGEST and form.values["messages_days"] == f"{LARGEST}.99"
    change = ValueChange.objects.filter(report=filing, code="w1:visitors").latest("id")
    assert change.new_value == Decimal(LARGEST)


def test_the_entry_pages_limit_typing_to_the_same_lengths(client, filing):
    page = client.get(page_url("website", filing, 1)).content.decode()
    for field in TEXT_FIELDS:
        [tag] = re.findall(rf'<input[^>]*name="f:{field.code}"[^>]*>', page)
        assert f'maxlength="{field.max_length}"' in tag
    tables = client.get(page_url("tables", filing)).content.decode()
    for text in (page, tables):
        notes = re.findall(r'<input[^>]*name="n:[^"]*"[^>]*>', text)
        assert notes and all(f'maxlength="{NOTE_MAX_LENGTH}"' in tag for tag in notes)


# --- the 正文 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "length"), [("长", MAX_LENGTH + 1), ("a", 1_000_000)])
def test_an_overlong_narrative_is_refused_naming_the_section(client, filing, char, length):
    before = everything(filing)
    name = narrative_format(filing.format.code).section("s1").name
    data = {"version": str(filing.version), "s:s1": char * length}
    response = client.post(page_url("narrative", filing), data)
    assert response.status_code == 200
    assert everything(filing) == before
    messages = [str(m) for m in response.context["messages"]]
    assert any(f"「{name}」不能超过{MAX_LENGTH}字（现有{length}字）" in m for m in messages)


# --- the workbook upload ----------------------------------------------------------------


def slot(sheet, key):
    return next(s for s in sheet.slots if s.key == key)


def test_an_uploaded_workbook_with_overlong_entries_is_refused_in_the_preview(client, filing):
    book = open_book(export_workbook(filing))
    table = next(
        s for s in layout.table_sheets(filing.format) if any(x.key == CELL for x in s.slots)
    )
    money = next(
        s for s in layout.table_sheets(filing.format) if any(x.key == MONEY for x in s.slots)
    )
    site = layout.website_sheet(1, 0)
    book[table.name][slot(table, CELL).address] = "1" * 40  # typed as text
    book[money.name][slot(money, MONEY).address] = 10**15  # a number
    book[site.name][slot(site, "site_name").address] = "字" * 10_000
    book[site.name][slot(site, "visitors").address] = "1" * 20
    before = everything(filing)
    response = client.post(
        page_url("workbook_upload", filing),
        {"file": SimpleUploadedFile("甲局.xlsx", save_book(book))},
    )
    assert response.status_code == 200
    assert everything(filing) == before
    page = html.unescape(response.content.decode())
    where = f"{table.name}!{slot(table, CELL).address}"
    assert f"{where}（{label(filing, CELL)}）：「{'1' * 40}」{TOO_BIG}" in page
    where = f"{money.name}!{slot(money, MONEY).address}"
    assert f"{where}（{label(filing, MONEY)}）：「1{'0' * 15}」{TOO_BIG}" in page
    where = f"{site.name}!{slot(site, 'site_name').address}"
    assert f"{where}：网站名称：不能超过100字（现有10000字）" in page
    where = f"{site.name}!{slot(site, 'visitors').address}"
    assert f"{where}：独立用户访问总量：「{'1' * 20}」{TOO_BIG}" in page
    assert "确认导入" not in page
