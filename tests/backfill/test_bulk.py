"""Bulk import of many agencies' published reports (a folder or zip) for a 主管部门: each file
matched by its own title, asked when unsure, each file all or nothing; the CLI twin."""

import io
import json
import shutil
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.backfill import extract
from reports.backfill.bulk import (
    ASK,
    READY,
    REFUSED,
    BulkError,
    Entry,
    apply_item,
    find_title,
    match_agency,
    preview_bulk,
    read_folder,
    read_zip,
)
from reports.models import Agency, AnnualReport, ImportRecord, Membership, ReportValue
from tests.backfill.scoring import CORPUS, TRUTH, load, score

JYT_2022 = "2022_hebei-jiaoyuting.txt"  # 「河北省教育厅2022年政府信息公开工作年度报告」
GXT_2023 = "2023_hebei-gongxinting.txt"  # 「河北省工业和信息化厅2023年度政府信息公开工作报告」
KJT_2022 = "2022_hebei-kejiting.txt"  # its title is cut short: 「…年度报...」
KJT_2016 = "2016_hebei-kejiting.txt"  # 「河北省科技厅2016年…」: a short name


@pytest.fixture
def hebei(make_agency, make_period, make_user):
    province = make_agency(name="河北省人民政府", slug="hebei", kind=Agency.Kind.GOVERNMENT)
    agencies = {
        "jyt": make_agency(name="河北省教育厅", slug="jyt", parent=province),
        "gxt": make_agency(name="河北省工业和信息化厅", slug="gxt", parent=province),
        "kjt": make_agency(
            name="河北省科学技术厅", slug="kjt", short_name="科技厅", parent=province
        ),
    }
    for year in (2016, 2022, 2023):
        make_period(year)
    coordinator = make_user(agency=province, role=Membership.Role.COORDINATOR, username="hb")
    return {"province": province, "coordinator": coordinator, **agencies}


def _entries(*names):
    return [Entry(name, (CORPUS / name).read_bytes()) for name in names]


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_report", *args, bulk=True, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _values(report):
    return {row.code: row.value for row in ReportValue.objects.filter(report=report)}


# --- the title --------------------------------------------------------------------------


def test_the_title_names_agency_and_year_in_either_order_even_wrapped_over_two_lines():
    jyt = find_title(extract((CORPUS / JYT_2022).read_bytes(), JYT_2022))
    assert (jyt.agency, jyt.year) == ("河北省教育厅", 2022)
    kewei = CORPUS / "2024_shanghai-kewei.txt"  # 「2024 年上海市科委政府信息公开工作」「年度报告」
    title = find_title(extract(kewei.read_bytes(), kewei.name))
    assert (title.agency, title.year) == ("上海市科委", 2024)


def test_a_report_whose_title_is_cut_short_has_no_title():
    assert find_title(extract((CORPUS / KJT_2022).read_bytes(), KJT_2022)) is None


def test_only_a_full_name_matches_certainly_and_a_short_name_is_only_offered(hebei):
    agencies = [hebei["jyt"], hebei["gxt"], hebei["kjt"]]
    title = find_title(extract((CORPUS / KJT_2016).read_bytes(), KJT_2016))
    assert match_agency(title, agencies) == (None, [hebei["kjt"]])
    title = find_title(extract((CORPUS / JYT_2022).read_bytes(), JYT_2022))
    assert match_agency(title, agencies) == (hebei["jyt"], [])


def test_an_agency_outside_the_coordinators_subtree_is_never_matched(hebei, make_agency):
    outsider = make_agency(name="河北省教育厅（外）", slug="outside")
    other_root = make_agency(name="某市人民政府", slug="other-city")
    make_agency(name="河北省工业和信息化厅（某市）", slug="x", parent=other_root)
    items = preview_bulk(_entries(JYT_2022), user=hebei["coordinator"])
    assert items[0].agency == hebei["jyt"] and outsider not in items[0].candidates


# --- preview and apply ----------------------------------------------------------------


def test_the_preview_matches_summarises_and_writes_nothing(hebei):
    items = preview_bulk(_entries(JYT_2022, GXT_2023, KJT_2022), user=hebei["coordinator"])
    jyt, gxt, kjt = items
    assert (jyt.status, jyt.agency, jyt.year, jyt.version) == (READY, hebei["jyt"], 2022, None)
    assert "将新建「河北省教育厅」2022年度的报告" in jyt.message
    assert jyt.tally.found > 100 and jyt.changes > 100
    assert gxt.status == READY and gxt.agency == hebei["gxt"]
    assert kjt.status == ASK and "未能从报告标题中认出单位和年度" in kjt.message
    assert not AnnualReport.objects.exists() and not ReportValue.objects.exists()


def test_a_chosen_agency_settles_a_file_the_title_could_not(hebei):
    items = preview_bulk(
        _entries(KJT_2022), user=hebei["coordinator"], choices={0: (hebei["kjt"].pk, 2022)}
    )
    assert (items[0].status, items[0].agency, items[0].chosen) == (READY, hebei["kjt"], True)


def test_a_choice_outside_the_subtree_is_ignored(hebei, make_agency):
    stranger = make_agency(name="外省某厅", slug="stranger")
    items = preview_bulk(
        _entries(KJT_2022), user=hebei["coordinator"], choices={0: (stranger.pk, 2022)}
    )
    assert items[0].status == ASK and items[0].agency is None


def test_two_files_for_the_same_filing_both_wait_for_a_choice(hebei):
    entries = [Entry("a/" + JYT_2022, (CORPUS / JYT_2022).read_bytes()), *_entries(JYT_2022)]
    items = preview_bulk(entries, user=hebei["coordinator"])
    assert [item.status for item in items] == [ASK, ASK]
    assert "对应同一份报告" in items[0].message


def test_a_locked_filing_is_refused_with_the_reason(hebei, make_report):
    make_report(agency=hebei["jyt"], year=2022, status=AnnualReport.Status.SUBMITTED)
    (item,) = preview_bulk(_entries(JYT_2022), user=hebei["coordinator"])
    assert item.status == REFUSED and "内容已锁定" in item.message


def test_a_year_without_a_period_is_refused(hebei):
    (item,) = preview_bulk(_entries("2021_hebei-jiaoyuting.txt"), user=hebei["coordinator"])
    assert item.status == REFUSED and item.message == "没有2021年度的报告年度设置。"


def test_applying_creates_the_filing_and_writes_every_certain_cell(hebei):
    (item,) = preview_bulk(_entries(JYT_2022), user=hebei["coordinator"])
    record = apply_item(item, by=hebei["coordinator"])
    report = AnnualReport.objects.get(agency=hebei["jyt"], period__year=2022)
    assert record.report == report and record.user == hebei["coordinator"]
    result = score(load(TRUTH / "2022_hebei-jiaoyuting.json"), _values(report))
    assert result.wrong == [] and result.missed == []


def test_a_filing_created_by_someone_else_since_the_preview_is_refused_whole(hebei, make_report):
    (item,) = preview_bulk(_entries(JYT_2022), user=hebei["coordinator"])
    make_report(agency=hebei["jyt"], year=2022)
    with pytest.raises(Exception, match="在预览之后已被新建"):
        apply_item(item, by=hebei["coordinator"])
    assert not ReportValue.objects.exists() and not ImportRecord.objects.exists()


def test_a_filing_saved_since_the_preview_is_refused_and_nothing_of_the_file_is_written(
    hebei, make_report
):
    from reports import services

    report = make_report(agency=hebei["jyt"], year=2022)
    (item,) = preview_bulk(_entries(JYT_2022), user=hebei["coordinator"])
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 1)
    with pytest.raises(services.EditConflict):
        apply_item(item, by=hebei["coordinator"])
    assert not ReportValue.objects.exists() and not ImportRecord.objects.exists()


# --- archives and folders -------------------------------------------------------------


def test_a_zip_skips_directories_hidden_files_and_non_reports():
    data = _zip(
        {
            "reports/" + JYT_2022: (CORPUS / JYT_2022).read_bytes(),
            "reports/.hidden.txt": b"x",
            "__MACOSX/reports/._a.txt": b"x",
            "reports/notes.xlsx": b"PK",
        }
    )
    entries, skipped = read_zip(data, "all.zip")
    assert [e.name for e in entries] == ["reports/" + JYT_2022]
    assert skipped == ["「reports/notes.xlsx」不是报告文件（.html/.htm/.txt/.pdf/.docx），已跳过。"]


def test_a_zip_with_a_path_leaving_it_is_refused_whole():
    data = _zip({"ok.txt": b"a", "../../etc/evil.txt": b"b"})
    with pytest.raises(BulkError, match="指向压缩包之外"):
        read_zip(data, "evil.zip")
    with pytest.raises(BulkError, match="指向压缩包之外"):
        read_zip(_zip({"/etc/evil.txt": b"b"}), "evil.zip")


def test_a_zip_inflating_beyond_the_cap_is_refused(settings):
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 100_000
    data = _zip({"a.txt": b"0" * 60_000, "b.txt": b"0" * 60_000})
    assert len(data) < 2_000
    with pytest.raises(BulkError, match="压缩炸弹"):
        read_zip(data, "bomb.zip")


def test_a_member_named_in_gbk_by_a_windows_zip_tool_is_read_by_its_chinese_name():
    # Windows' zip tools write GBK names without the UTF-8 flag; same length as the ASCII name.
    name = "教育.txt".encode("gbk")
    assert len(name) == len(b"abcd.txt")
    data = _zip({"abcd.txt": b"report"}).replace(b"abcd.txt", name)
    entries, _ = read_zip(data, "gbk.zip")
    assert [e.name for e in entries] == ["教育.txt"]


def test_a_file_that_is_no_zip_is_refused():
    with pytest.raises(BulkError, match="不是 zip 压缩包"):
        read_zip(b"hello", "a.zip")


def test_a_folder_is_read_with_its_subfolders_and_without_hidden_files(tmp_path):
    (tmp_path / "2022").mkdir()
    shutil.copy(CORPUS / JYT_2022, tmp_path / "2022" / JYT_2022)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "a.txt").write_text("x")
    (tmp_path / ".DS_Store.txt").write_text("x")
    entries, skipped = read_folder(str(tmp_path))
    assert [e.name for e in entries] == ["2022/" + JYT_2022] and skipped == []


# --- the command ----------------------------------------------------------------------


def _folder(tmp_path, *names):
    for name in names:
        shutil.copy(CORPUS / name, tmp_path / name)
    return str(tmp_path)


def test_the_command_imports_a_folder_and_prints_a_summary_per_file(hebei, tmp_path):
    out, err = _run(_folder(tmp_path, JYT_2022, GXT_2023), user="hb")
    assert f"[已导入] {JYT_2022} → 河北省教育厅 2022年度：读出" in out
    assert "无法唯一拆分" in out and "校验错误" in out
    assert "共2个文件：已导入2个，待确认0个，不能导入0个。" in err
    assert ImportRecord.objects.filter(user=hebei["coordinator"]).count() == 2


def test_the_command_exits_non_zero_when_a_file_is_refused_and_imports_the_others(
    hebei, tmp_path, make_report
):
    locked = make_report(agency=hebei["gxt"], year=2023, status=AnnualReport.Status.SUBMITTED)
    with pytest.raises(CommandError, match="已导入1个，待确认0个，不能导入1个"):
        _run(_folder(tmp_path, JYT_2022, GXT_2023), user="hb")
    assert ImportRecord.objects.get().report.agency == hebei["jyt"]
    assert not ReportValue.objects.filter(report=locked).exists()


def test_the_command_lists_a_file_it_cannot_match_and_imports_it_once_assigned(hebei, tmp_path):
    folder = _folder(tmp_path, KJT_2022)
    out = StringIO()
    with pytest.raises(CommandError, match="待确认1个"):
        call_command("import_report", folder, bulk=True, stdout=out, stderr=StringIO())
    assert f"[待确认] {KJT_2022}" in out.getvalue()
    assert not AnnualReport.objects.filter(agency=hebei["kjt"]).exists()
    _run(folder, assign=[f"{KJT_2022}=kjt,2022"])
    assert _values(AnnualReport.objects.get(agency=hebei["kjt"], period__year=2022))


def test_a_dry_run_of_a_zip_writes_nothing_and_prints_json(hebei, tmp_path):
    path = tmp_path / "reports.zip"
    path.write_bytes(_zip({JYT_2022: (CORPUS / JYT_2022).read_bytes()}))
    out, err = _run(str(path), dry_run=True, json=True)
    (file,) = json.loads(out)["files"]
    assert (file["status"], file["agency"], file["year"], file["creates_filing"]) == (
        "ready",
        "jyt",
        2022,
        True,
    )
    assert file["summary"]["found"] > 100
    assert "试运行" in err and not AnnualReport.objects.exists()


def test_a_user_who_coordinates_nothing_may_not_bulk_import(hebei, tmp_path, make_user):
    filer = make_user(agency=hebei["jyt"], role=Membership.Role.FILER)
    with pytest.raises(CommandError, match="不是主管部门"):
        _run(_folder(tmp_path, JYT_2022), user=filer.username)


def test_bulk_and_a_named_filing_do_not_mix(hebei, tmp_path):
    with pytest.raises(CommandError, match="不能同时指定"):
        _run(_folder(tmp_path, JYT_2022), agency="jyt")
