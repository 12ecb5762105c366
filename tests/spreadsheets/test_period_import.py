"""The period sheet imported as a stream, batch by batch, all or nothing across the batches."""

import pytest
from openpyxl import Workbook

from reports.formats import get_format
from reports.models import AnnualReport, ImportRecord, ValueChange
from reports.spreadsheets import flat, period_import
from reports.spreadsheets.period_import import import_period_sheet
from reports.spreadsheets.safety import check_upload

from .conftest import counts, save_book, stored

COLUMN = "t3-r1-c1"


@pytest.fixture
def bureaus(world, make_agency):
    """Five more bureaus under the city (no 2021 filing yet), and batches of two rows, so
    a sheet of the seven runs over four batches."""
    for n in range(5):
        make_agency(name=f"局{n}", slug=f"bureau-{n}", parent=world["city"])
    original = period_import.BATCH_ROWS
    period_import.BATCH_ROWS = 2
    yield ["jia", "yi", *(f"bureau-{n}" for n in range(5))]
    period_import.BATCH_ROWS = original


def upload(period, rows, name="汇总表.xlsx"):
    header = flat.cell_header(get_format(period.format_code).cell(COLUMN))
    book = Workbook()
    for row in [["单位标识（agency）", header], *rows]:
        book.active.append(row)
    return check_upload(save_book(book), name)


def test_a_sheet_over_many_batches_is_imported_whole(world, bureaus):
    period = world["period"]
    listed = []
    outcome = import_period_sheet(
        upload(period, [[slug, n] for n, slug in enumerate(bureaus, 1)]),
        period=period,
        by=world["coordinator"],
        on_row=lambda row: listed.append((row.line, row.changes[0][1:])),
    )
    assert outcome.problems == [] and outcome.written
    assert (outcome.filings, outcome.cells, outcome.unchanged) == (7, 7, 0)
    assert listed == [(n + 1, (COLUMN, "（空）", str(n))) for n in range(1, 8)]
    reports = AnnualReport.objects.filter(period=period).order_by("agency__slug")
    assert {r.agency.slug: stored(r)[COLUMN][0] for r in reports} == {
        slug: n for n, slug in enumerate(bureaus, 1)
    }
    assert ImportRecord.objects.filter(kind="period").count() == 7
    assert ValueChange.objects.filter(source="import", actor=world["coordinator"]).count() == 7


def test_a_bad_row_in_the_last_batch_leaves_every_batch_unwritten(world, bureaus):
    period = world["period"]
    before = counts(world["report_a"]), counts(world["report_b"])
    rows = [[slug, n] for n, slug in enumerate(bureaus, 1)]
    rows[-1][1] = "十二"
    outcome = import_period_sheet(upload(period, rows), period=period, by=None)
    header = flat.cell_header(get_format("gb2021").cell(COLUMN))
    assert outcome.problems == [f"第8行 {header}：「十二」不是数字"]
    assert not outcome.written
    assert (counts(world["report_a"]), counts(world["report_b"])) == before
    assert AnnualReport.objects.filter(period=period).count() == 2  # none created
    assert not ImportRecord.objects.exists() and not ValueChange.objects.exists()


def test_every_problem_is_named_whichever_batch_it_is_in(world, bureaus):
    rows = [[slug, 1] for slug in bureaus] + [["jia", 2], ["nope", 3], ["bureau-4", "=1+1"]]
    outcome = import_period_sheet(upload(world["period"], rows), period=world["period"], by=None)
    assert sorted(outcome.problems) == [
        "第10行 单位标识「nope」不存在",
        "第11行第2列（B11）：不能使用公式（=1+1），请填写数值",
        "第9行 与第2行是同一单位（甲局）",
    ]
    assert not ValueChange.objects.exists()


def test_a_preview_writes_nothing_and_holds_each_rows_version(world, bureaus):
    seen = {}
    outcome = import_period_sheet(
        upload(world["period"], [["jia", 5], ["bureau-0", 6], ["bureau-1", 7]]),
        period=world["period"],
        by=None,
        dry_run=True,
        versions_seen=seen,
    )
    assert outcome.problems == [] and not outcome.written and outcome.filings == 3
    assert seen == {"2:jia": world["report_a"].version, "3:bureau-0": None, "4:bureau-1": None}
    assert not ValueChange.objects.exists()
    assert AnnualReport.objects.filter(period=world["period"]).count() == 2


def test_a_bad_header_is_refused_before_any_row(world):
    data = Workbook()
    data.active.append(["单位标识（agency）", "t3"])
    data.active.append(["jia", 1])
    outcome = import_period_sheet(
        check_upload(save_book(data), "x.xlsx"), period=world["period"], by=None
    )
    [problem] = outcome.problems
    assert problem.startswith("第2列「t3」不是2021年格式")
    assert not outcome.written and not ValueChange.objects.exists()
