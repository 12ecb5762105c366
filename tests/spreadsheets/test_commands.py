"""The command-line doors: export_workbook / import_workbook / export_period / import_period.

A refusal exits non-zero (CommandError → status 1) with the Chinese message; nothing changes."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports.models import ImportRecord, ValueChange

from .conftest import CLOSED, close, counts, fill, lock, save_book, stored


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_workbook_export_edit_dry_run_and_import(world, tmp_path):
    report = world["report_a"]
    fill(report)
    path = tmp_path / "jia.xlsx"
    assert "已导出" in run("export_workbook", "--agency", "jia", "--year", "2021", "-o", str(path))
    book = load_workbook(path)
    book["表四"]["A6"] = "1,234"
    path.write_bytes(save_book(book))

    before = counts(report)
    out = run("import_workbook", str(path), "--agency", "jia", "--year", "2021", "--dry-run")
    assert "表四!A6\t表四 行政复议·结果维持：186 → 1234" in out
    assert "试运行：将修改1处，未保存。" in out
    assert counts(report) == before

    out = run("import_workbook", str(path), "--agency", "jia", "--year", "2021", "--user", "filer")
    assert "已导入「jia.xlsx」，修改了1处。" in out
    assert stored(report)["t4-r1-c1"][0] == 1234
    assert ImportRecord.objects.get(report=report).user == world["filer"]
    assert (
        ValueChange.objects.get(report=report, code="t4-r1-c1", source="import").actor
        == world["filer"]
    )


def test_the_blank_workbook_is_blank(world, tmp_path):
    fill(world["report_a"])
    path = tmp_path / "blank.xlsx"
    run("export_workbook", "--agency", "jia", "--year", "2021", "-o", str(path), "--blank")
    assert load_workbook(path)["表四"]["A6"].value is None


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("bad-cell", ["--agency", "jia", "--year", "2021"], "未导入：发现1处问题。"),
        (
            "plain",
            ["--agency", "yi", "--year", "2021"],
            "该工作簿属于「甲局」，不能导入「乙局」的报告。",
        ),
        ("plain", ["--agency", "jia", "--year", "2020"], "没有单位「jia」2020年度的报告。"),
        ("locked", ["--agency", "jia", "--year", "2021"], "内容已锁定"),
        ("locked", ["--agency", "jia", "--year", "2021", "--dry-run"], "内容已锁定"),
        (
            "closed",
            ["--agency", "jia", "--year", "2021"],
            f"「甲局」2021年度的报告不能修改：{CLOSED}",
        ),
        ("closed", ["--agency", "jia", "--year", "2021", "--dry-run"], "2021年度已关闭填报"),
        (
            "plain",
            ["--agency", "jia", "--year", "2021", "--user", "reviewer"],
            "用户「reviewer」无权修改「甲局」2021年度的报告。",
        ),
        (
            "plain",
            ["--agency", "jia", "--year", "2021", "--user", "ghost"],
            "没有用户名为「ghost」的有效账号",
        ),
    ],
)
def test_import_workbook_refusals_exit_non_zero(world, tmp_path, setup, args, message):
    report = world["report_a"]
    path = tmp_path / "jia.xlsx"
    run("export_workbook", "--agency", "jia", "--year", "2021", "-o", str(path))
    book = load_workbook(path)
    book["表四"]["A6"] = "十二" if setup == "bad-cell" else 5
    path.write_bytes(save_book(book))
    if setup == "locked":
        lock(report)
    if setup == "closed":
        close(report.period)
    before = counts(report)
    with pytest.raises(CommandError, match=message) as refusal:
        run("import_workbook", str(path), *args)
    assert counts(report) == before
    if setup == "bad-cell":
        assert "表四!A6（表四 行政复议·结果维持）：「十二」不是数字" in str(refusal.value)


def test_missing_or_wrong_files_are_refused(world, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_workbook", str(tmp_path / "none.xlsx"), "--agency", "jia", "--year", "2021")
    text = tmp_path / "a.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(CommandError, match="扩展名是 .xlsx，但内容不是 xlsx 工作簿"):
        run("import_workbook", str(text), "--agency", "jia", "--year", "2021")
    with pytest.raises(CommandError, match="扩展名应为 .xlsx 或 .csv"):
        run("export_period", "--year", "2021", "-o", str(tmp_path / "x.txt"))


def test_period_export_and_import_round_trip_then_a_change(world, tmp_path):
    fill(world["report_a"], notes=False)
    path = tmp_path / "2021.csv"
    assert "已导出2021年度2个报告" in run("export_period", "--year", "2021", "-o", str(path))
    out = run("import_period", str(path), "--year", "2021")
    assert "已导入，修改了0个报告的0个单元格。" in out

    text = path.read_text("utf-8-sig").replace("\njia,甲局,2021,1,", "\njia,甲局,2021,77,", 1)
    path.write_text(text, "utf-8-sig")
    out = run("import_period", str(path), "--year", "2021", "--dry-run")
    assert (
        "第2行 甲局2021年政府信息公开工作年度报告\t表二 第二十条第（一）项 规章·本年制发件数（t2-r1-issued）：1 → 77"
        in out
    )
    assert stored(world["report_a"])["t2-r1-issued"][0] == 1
    out = run("import_period", str(path), "--year", "2021", "--user", "coord")
    assert "已导入，修改了1个报告的1个单元格。" in out
    assert stored(world["report_a"])["t2-r1-issued"][0] == 77


def test_period_import_refusals_exit_non_zero(world, tmp_path):
    path = tmp_path / "2021.csv"
    path.write_text("单位标识（agency）,自然人（t3-r1-c1）\njia,十二\nyi,3\n", "utf-8")
    with pytest.raises(
        CommandError,
        match="第2行 表三 一、本年新收政府信息公开申请数量·自然人（t3-r1-c1）：「十二」不是数字",
    ):
        run("import_period", str(path), "--year", "2021")
    assert not ValueChange.objects.exists()
    path.write_text("单位标识（agency）,自然人（t3-r1-c1）\njia,1\n", "utf-8")
    with pytest.raises(CommandError, match="「甲局」不在您管理的范围内"):
        run("import_period", str(path), "--year", "2021", "--user", "coord2")
    with pytest.raises(CommandError, match="没有1999年度的报告年度设置"):
        run("import_period", str(path), "--year", "1999")
    path.write_text("单位标识（agency）,自然人（t3-r1-c1）\njia,=1+1\n", "utf-8")
    with pytest.raises(CommandError, match="不能使用公式"):
        run("import_period", str(path), "--year", "2021")
    assert not ValueChange.objects.exists()


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["apply", "dry-run"])
def test_import_period_into_a_closed_period_is_refused_and_changes_nothing(
    world, tmp_path, dry_run
):
    fill(world["report_a"], notes=False)
    path = tmp_path / "2021.csv"
    path.write_text("单位标识（agency）,自然人（t3-r1-c1）\njia,77\n", "utf-8")
    close(world["period"])
    before = counts(world["report_a"])
    with pytest.raises(CommandError, match=f"第2行 「甲局」2021年度的报告不能修改：{CLOSED}"):
        run("import_period", str(path), "--year", "2021", "--user", "coord", *dry_run)
    with pytest.raises(CommandError, match="2021年度已关闭填报"):
        run("import_period", str(path), "--year", "2021", *dry_run)  # the operator too
    assert counts(world["report_a"]) == before
    assert not ImportRecord.objects.exists()
