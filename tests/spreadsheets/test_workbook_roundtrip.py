"""The official-layout workbook: export → import gives zero changes and identical values, for
every format and the website form; edits made in the workbook arrive, all of them."""

from decimal import Decimal

from reports import websites
from reports.models import ImportRecord, ValueChange
from reports.spreadsheets import layout
from reports.spreadsheets.safety import check_upload
from reports.spreadsheets.workbook import export_workbook
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook

from .conftest import EVERY_FORMAT, fill, fill_website, open_book, save_book, stored


def upload(data, name="工作簿.xlsx"):
    return check_upload(data, name)


@EVERY_FORMAT
def test_export_then_import_changes_nothing_and_values_stay_identical(report_in, fmt):
    report = report_in(fmt)
    before = fill(report)
    assert len(before) == len(report.format.cells())

    preview = read_workbook(report, upload(export_workbook(report)))
    assert preview.problems == []
    assert preview.changes == []
    record = apply_workbook(preview, by=None)

    assert record.cells_changed == 0
    assert stored(report) == before


@EVERY_FORMAT
def test_every_value_typed_into_a_blank_workbook_arrives(report_in, fmt):
    source = report_in(fmt)
    wanted = fill(source)
    book = open_book(export_workbook(source))  # what a filer would type, cell by cell
    target = report_in(fmt)
    blank = open_book(export_workbook(target, blank=True))
    for sheet in layout.table_sheets(target.format) + [
        layout.notes_sheet(target.format, layout.table_sheets(target.format))
    ]:
        for slot in sheet.slots:
            assert blank[sheet.name].cell(slot.row, slot.col).value is None
            blank[sheet.name].cell(slot.row, slot.col).value = (
                book[sheet.name].cell(slot.row, slot.col).value
            )
    meta = blank[layout.META_SHEET]
    preview = read_workbook(target, upload(save_book(blank)))
    assert preview.problems == []
    apply_workbook(preview, by=None)
    assert stored(target) == wanted
    assert meta["A1"].value == "layout"


def test_the_website_form_round_trips_with_notes_media_and_neutralised_text(report_in):
    report = report_in("gb2021")
    form = fill_website(report)
    before = (dict(form.values), dict(form.notes), list(form.media))
    data = export_workbook(report)
    sheet = open_book(data)["网站1"]
    # Text that a spreadsheet would run as a formula is shown as text.
    shown = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'+86 791 83986497" in shown
    assert "'=今日头条号" in shown
    assert "'-含移动端" in shown

    preview = read_workbook(report, upload(data))
    assert preview.problems == [] and preview.changes == []
    apply_workbook(preview, by=None)
    form.refresh_from_db()
    assert (form.values, form.notes, form.media) == before


def test_a_workbook_edit_is_previewed_cell_by_cell_then_applied_and_recorded(report_in, make_user):
    report = report_in("gb2021")
    old = fill(report)["t3-r1-c1"][0]
    fill_website(report)
    filer = make_user(agency=report.agency)
    book = open_book(export_workbook(report))
    table3 = layout.table_sheets(report.format)[1]
    slot = next(s for s in table3.slots if s.key == "t3-r1-c1")
    book["表三"].cell(slot.row, slot.col).value = "１,２００"  # full-width, thousands separator
    site = layout.website_sheet(1, 0)
    days = next(s for s in site.slots if s.key == "messages_days")
    book["网站1"].cell(days.row, days.col).value = "5天"
    book["网站1"].cell(site.media_row + 1, 4).value = "1.5万"

    preview = read_workbook(report, upload(save_book(book), "改过的.xlsx"))
    assert preview.problems == []
    shown = {(c.where, c.old, c.new) for c in preview.changes}
    assert (f"表三!{slot.address}", f"{old:f}".rstrip("0").rstrip("."), "1200") in shown
    assert (f"网站1!{days.address}", "3", "5") in shown
    assert any(c.label == "移动新媒体账号" and "15000" in c.new for c in preview.changes)

    record = apply_workbook(preview, by=filer)
    assert record.cells_changed == 3
    assert stored(report)["t3-r1-c1"][0] == Decimal(1200)
    form = report.website_forms.get()
    assert websites.typed_values(form)["messages_days"] == Decimal(5)
    assert form.media[1]["followers"] == "15000"
    record = ImportRecord.objects.get(report=report)
    assert (record.kind, record.user, record.file_name) == ("workbook", filer, "改过的.xlsx")
    assert len(record.sha256) == 64
    sources = set(
        ValueChange.objects.filter(report=report, actor=filer).values_list("source", flat=True)
    )
    assert sources == {ValueChange.Source.IMPORT}


def test_one_workbook_import_raises_the_version_by_exactly_one(report_in, make_user):
    report = report_in("gb2021")
    book = open_book(export_workbook(report))
    # A table cell, and a website form the import creates and fills: three writes through
    # services that each count a change when called on their own.
    book["表四"]["A6"] = 3
    site = layout.website_sheet(1, 0)
    name = next(s for s in site.slots if s.key == "site_name")
    book["网站1"].cell(name.row, name.col).value = "甲局网站"
    data = save_book(book)
    report.refresh_from_db()
    before = report.version

    preview = read_workbook(report, upload(data))
    assert {c.label for c in preview.changes} >= {
        "表四 行政复议·结果维持",
        "新增政府网站工作年度报表",
    }
    apply_workbook(preview, by=make_user(agency=report.agency))
    report.refresh_from_db()
    assert report.version == before + 1
    assert report.website_forms.get().values["site_name"] == "甲局网站"

    apply_workbook(read_workbook(report, upload(data)), by=None)  # changes nothing: still one
    report.refresh_from_db()
    assert report.version == before + 2


def test_an_import_never_touches_status_or_signatures(report_in, make_user):
    report = report_in("gb2021")
    filer = make_user(agency=report.agency)
    book = open_book(export_workbook(report))
    book["表四"]["A6"] = 3
    apply_workbook(read_workbook(report, upload(save_book(book))), by=filer)
    report.refresh_from_db()
    assert report.status == "draft"
    assert (report.submitted_by, report.reviewed_by, report.approved_by) == (None, None, None)
    assert stored(report)["t4-r1-c1"][0] == 3


def test_a_filled_spare_website_sheet_creates_the_form_and_an_empty_one_does_not(report_in):
    report = report_in("gb2021")
    data = export_workbook(report)
    assert read_workbook(report, upload(data)).changes == []

    book = open_book(data)
    site = layout.website_sheet(1, 0)
    name = next(s for s in site.slots if s.key == "site_name")
    book["网站1"].cell(name.row, name.col).value = "甲局网站"
    preview = read_workbook(report, upload(save_book(book)))
    assert preview.changes[0].label == "新增政府网站工作年度报表"
    apply_workbook(preview, by=None)
    assert report.website_forms.get().values["site_name"] == "甲局网站"


def test_a_cleared_cell_becomes_blank_not_zero(report_in):
    report = report_in("gb2021")
    fill(report, notes=False)
    book = open_book(export_workbook(report))
    book["表四"]["A6"] = "—"
    preview = read_workbook(report, upload(save_book(book)))
    assert [(c.where, c.new) for c in preview.changes] == [("表四!A6", "（空）")]
    apply_workbook(preview, by=None)
    assert "t4-r1-c1" not in stored(report)
    assert ValueChange.objects.filter(report=report, code="t4-r1-c1", new_value=None).exists()
