"""The flat period sheet: one row per filing, one column per cell; round trip and refusals."""

import pytest
from openpyxl import Workbook

from reports.formats import get_format
from reports.models import AnnualReport, ImportRecord, ReportingPeriod, ValueChange
from reports.resources import PeriodSheetResource, import_problems
from reports.spreadsheets import flat
from reports.spreadsheets.safety import SpreadsheetError, check_upload

from .conftest import CLOSED, EVERY_FORMAT, close, counts, fill, lock, save_book, stored


def export(period, kind="xlsx") -> bytes:
    dataset = PeriodSheetResource(period=period).export(AnnualReport.objects.filter(period=period))
    return flat.dataset_bytes(dataset, kind)


def run(period, data, name="汇总表.xlsx", *, dry_run=False, user=None):
    dataset = flat.load_dataset(check_upload(data, name))
    return PeriodSheetResource(period=period).import_data(
        dataset,
        dry_run=dry_run,
        rollback_on_validation_errors=True,
        file_name=name,
        user=user,
    )


def sheet(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return save_book(book)


def header(period, code):
    return flat.cell_header(get_format(period.format_code).cell(code))


@EVERY_FORMAT
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_then_import_changes_nothing_for_every_format(report_in, fmt, kind):
    reports = [report_in(fmt), report_in(fmt)]
    before = [fill(r, notes=False) for r in reports]
    data = export(reports[0].period, kind)

    result = run(reports[0].period, data, f"汇总表.{kind}")
    assert import_problems(result) == []
    assert result.valid_rows() == [] and result.totals["skip"] == 2
    assert [stored(r) for r in reports] == before


def test_the_sheet_has_one_row_per_filing_and_chinese_headers_with_codes(world):
    fill(world["report_a"], notes=False)
    dataset = flat.load_dataset(check_upload(export(world["period"]), "x.xlsx"))
    assert dataset.headers[:3] == [
        "单位标识（agency）",
        "单位名称（agency_name）",
        "报告年度（year）",
    ]
    assert "表三 一、本年新收政府信息公开申请数量·自然人（t3-r1-c1）" in dataset.headers
    assert len(dataset.headers) == 3 + len(get_format("gb2021").cells())
    assert sorted(row[0] for row in dataset) == ["jia", "yi"]
    row = dataset.dict[[r[0] for r in dataset].index("jia")]
    assert row["报告年度（year）"] == 2021
    assert isinstance(row[header(world["period"], "t3-r1-c1")], int)  # numbers, not text


def test_an_import_changes_many_filings_creates_missing_ones_and_keeps_notes(world, make_agency):
    period, a = world["period"], world["report_a"]
    before = fill(a)
    assert before["t3-r1-c5"] == (15, "备注15")
    new_agency = make_agency(name="丙局", slug="bing", parent=world["city"])
    col = header(period, "t3-r1-c1")
    data = sheet(
        [
            ["单位标识（agency）", col, "行政复议·结果维持（t4-r1-c1）", "随便写（t3-r1-c5）"],
            ["jia", "1,200", "—", 16],
            ["yi", "１２", None, None],
            ["bing", "22.69万", 3, None],
        ]
    )
    preview = run(period, data, dry_run=True, user=world["coordinator"])
    assert import_problems(preview) == []
    assert {r.line: r.import_type for r in preview.valid_rows()} == {
        2: "update",
        3: "update",
        4: "new",
    }
    assert ("表三 一、本年新收政府信息公开申请数量·自然人", "t3-r1-c1", "11", "1200") in (
        preview.valid_rows()[0].changes
    )
    assert not ValueChange.objects.filter(source="import").exists()

    result = run(period, data, user=world["coordinator"])
    assert import_problems(result) == []
    assert stored(a)["t3-r1-c1"][0] == 1200
    assert "t4-r1-c1" not in stored(a)  # 「—」 is blank, not 0
    assert stored(a)["t3-r1-c5"] == (16, "备注15")  # the note stays
    assert stored(world["report_b"])["t3-r1-c1"][0] == 12
    created = AnnualReport.objects.get(agency=new_agency, period=period)
    assert created.status == "draft"
    assert stored(created) == {"t3-r1-c1": (226900, ""), "t4-r1-c1": (3, "")}
    assert stored(a)["t3-r3_2-c5"] == before["t3-r3_2-c5"]  # no column: untouched
    records = ImportRecord.objects.filter(kind="period")
    assert records.count() == 3
    assert {r.report_id: r.cells_changed for r in records}[a.pk] == 3
    assert ValueChange.objects.filter(source="import", actor=world["coordinator"]).count() == 6


def test_one_bad_row_means_nothing_is_written(world):
    period = world["period"]
    before = counts(world["report_a"]), counts(world["report_b"])
    data = sheet([["单位标识（agency）", header(period, "t3-r1-c1")], ["jia", "5"], ["yi", "十二"]])
    result = run(period, data)
    assert import_problems(result) == [
        "第3行 表三 一、本年新收政府信息公开申请数量·自然人（t3-r1-c1）：「十二」不是数字"
    ]
    assert (counts(world["report_a"]), counts(world["report_b"])) == before


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([["单位标识（agency）", "t3"], ["jia", 1]], "表头有误：第2列「t3」不是2021年格式"),
        (
            [["单位标识（agency）", "旧表（t2-r4-prior）"], ["jia", 1]],
            "第2列「旧表（t2-r4-prior）」不是2021年格式",
        ),
        ([["自然人（t3-r1-c1）"], [1]], "缺少“单位标识（agency）”列"),
        (
            [["单位标识（agency）", "a（t3-r1-c1）", "b（t3-r1-c1）"], ["jia", 1, 2]],
            "第3列与第2列是同一单元格（t3-r1-c1）",
        ),
        ([["单位标识（agency）"], ["nope"]], "第2行 单位标识「nope」不存在"),
        (
            [["单位标识（agency）", "报告年度（year）"], ["jia", 2020]],
            "第2行 报告年度为「2020」，与所导入的2021年度不符",
        ),
        ([["单位标识（agency）"], ["jia"], ["jia"]], "第3行 与第2行是同一单位（甲局）"),
    ],
)
def test_malformed_sheets_are_refused_with_a_message(world, rows, problem):
    before = counts(world["report_a"])
    problems = import_problems(run(world["period"], sheet(rows)))
    assert any(problem in p for p in problems), problems
    assert counts(world["report_a"]) == before


def test_a_formula_cell_is_refused_with_line_and_column(world):
    data = sheet([["单位标识（agency）", header(world["period"], "t3-r1-c1")], ["jia", "=1+1"]])
    with pytest.raises(
        SpreadsheetError, match=r"第2行第2列（B2）：不能使用公式（=1\+1），请填写数值"
    ):
        flat.load_dataset(check_upload(data, "公式.xlsx"))


def test_a_locked_filing_is_refused(world):
    lock(world["report_a"])
    before = counts(world["report_a"])
    data = sheet([["单位标识（agency）", header(world["period"], "t3-r1-c1")], ["jia", 5]])
    [problem] = import_problems(run(world["period"], data))
    assert problem == "第2行 「甲局」2021年度的报告状态为“待审核”，内容已锁定，不能修改。"
    assert counts(world["report_a"]) == before


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "apply"])
def test_a_closed_period_refuses_every_row_naming_the_filing_and_writes_nothing(
    world, make_agency, dry_run
):
    period = world["period"]
    fill(world["report_a"], notes=False)
    make_agency(name="丙局", slug="bing", parent=world["city"])  # no filing yet
    close(period)
    before = counts(world["report_a"]), counts(world["report_b"])
    data = sheet([["单位标识（agency）", header(period, "t3-r1-c1")], ["jia", 5], ["bing", 6]])

    result = run(period, data, dry_run=dry_run, user=world["coordinator"])

    assert import_problems(result) == [
        f"第2行 「甲局」2021年度的报告不能修改：{CLOSED}",
        f"第3行 「丙局」2021年度的报告不能修改：{CLOSED}",
    ]
    assert (counts(world["report_a"]), counts(world["report_b"])) == before
    assert not AnnualReport.objects.filter(agency__slug="bing").exists()
    assert not ImportRecord.objects.exists()


def test_a_period_closed_after_the_rows_were_read_refuses_the_write(world):
    report = world["report_a"]
    row = flat.PeriodRow(report, 2, report.version, {"t3-r1-c1": (None, 5)})
    stale = world["period"]  # still says open, as it did when the sheet was read
    close(ReportingPeriod.objects.get(pk=stale.pk))
    before = counts(report)
    with pytest.raises(SpreadsheetError) as refusal:
        flat.write_period_rows(period=stale, rows=[row], by=None, file_name="x.xlsx", sha256="")
    assert refusal.value.problems == [f"第2行：「甲局」2021年度的报告不能修改：{CLOSED}"]
    assert counts(report) == before
    assert not ImportRecord.objects.exists()


def test_a_coordinator_imports_only_inside_their_subtree(world):
    data = sheet([["单位标识（agency）", header(world["period"], "t3-r1-c1")], ["jia", 5]])
    [problem] = import_problems(run(world["period"], data, user=world["other_coordinator"]))
    assert problem == "第2行 「甲局」不在您管理的范围内，不能导入"
    assert import_problems(run(world["period"], data, user=world["filer"])) == [problem]


def test_a_gb18030_csv_from_chinese_excel_is_read(world):
    text = f"单位标识（agency）,{header(world['period'], 't3-r1-c1')}\r\njia,7\r\n"
    result = run(world["period"], text.encode("gb18030"), "汇总表.csv")
    assert import_problems(result) == []
    assert stored(world["report_a"])["t3-r1-c1"][0] == 7


def test_exported_text_is_neutralised_and_reads_back_the_same(world, make_agency):
    agency = make_agency(name="=HYPERLINK(1)局", slug="formula-name", parent=world["city"])
    AnnualReport.objects.create(agency=agency, period=world["period"])
    for kind in ("xlsx", "csv"):
        data = export(world["period"], kind)
        dataset = flat.load_dataset(check_upload(data, f"x.{kind}"))
        assert "'=HYPERLINK(1)局" in dataset["单位名称（agency_name）"]
        assert import_problems(run(world["period"], data, f"x.{kind}")) == []
