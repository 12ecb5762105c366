"""`manage.py import_report`: a published report read into a filing, all or nothing, with the
provenance of every value, through the same edit rule and history as the workbook import."""

import json
from decimal import Decimal

import docx
import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command

from reports.models import AnnualReport, ImportRecord, NarrativeSection, ReportValue, ValueChange
from tests.backfill.scoring import CORPUS, TRUTH, load, score

PINGTAN = CORPUS / "2023_pingtan.txt"


@pytest.fixture
def filing(make_report, make_agency):
    return make_report(agency=make_agency(name="平潭综合实验区", slug="pingtan"), year=2023)


def _values(report):
    return {row.code: row.value for row in ReportValue.objects.filter(report=report)}


def _run(*args, **options):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_report", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_importing_a_flattened_report_writes_every_certain_cell_and_nothing_else(filing):
    _run(str(PINGTAN), agency="pingtan", year=2023)
    truth = load(TRUTH / "2023_pingtan.json")
    result = score(truth, _values(filing))
    assert result.wrong == [] and result.missed == []
    assert "t2-r2-issued" not in _values(filing)  # 77132470: 无法唯一拆分, left blank


def test_the_narrative_goes_into_the_formats_sections(filing):
    _run(str(PINGTAN), agency="pingtan", year=2023)
    texts = dict(NarrativeSection.objects.filter(report=filing).values_list("key", "body"))
    assert texts["s6"] == "2023年，无收取信息处理费情况。"
    assert texts["s5"].startswith("存在的问题主要有以下几个方面")


def test_every_value_written_keeps_its_file_hash_line_and_printed_text(filing):
    _run(str(PINGTAN), agency="pingtan", year=2023)
    record = ImportRecord.objects.get(report=filing)
    assert record.kind == ImportRecord.Kind.REPORT
    import hashlib

    assert record.sha256 == hashlib.sha256(PINGTAN.read_bytes()).hexdigest()
    cell = record.summary["cells"]["t3-r1-c1"]
    assert (cell["status"], cell["value"], cell["raw"]) == ("split", "80", "801000081")
    assert cell["lines"][0] >= 1 and "本年新收政府信息公开申请数量801000081" in cell["text"]
    assert record.summary["cells"]["t2-r2-issued"]["message"].startswith("无法唯一拆分")
    assert set(_values(filing)) <= set(record.summary["cells"])


def test_the_history_records_the_import_like_any_other(filing):
    _run(str(PINGTAN), agency="pingtan", year=2023)
    changes = ValueChange.objects.filter(report=filing)
    assert changes.exists() and set(changes.values_list("source", flat=True)) == {"import"}
    assert changes.filter(code="n:s6").exists()
    assert AnnualReport.objects.get(pk=filing.pk).version == filing.version + 1


def test_the_import_is_logged_on_the_filings_admin_history_when_a_user_is_named(filing, make_user):
    from reports.models import Membership

    user = make_user(agency=filing.agency, role=Membership.Role.FILER)
    _run(str(PINGTAN), agency="pingtan", year=2023, user=user.username)
    entry = LogEntry.objects.get(object_id=str(filing.pk))
    assert "导入已发布报告「2023_pingtan.txt」" in entry.change_message


def test_a_dry_run_lists_the_changes_with_their_lines_and_writes_nothing(filing):
    out, err = _run(str(PINGTAN), agency="pingtan", year=2023, dry_run=True)
    assert "t3-r1-c1\t表三 一、本年新收政府信息公开申请数量·自然人：（空） → 80" in out
    assert "留空：" in out and "无法唯一拆分" in out
    assert "试运行" in err
    assert _values(filing) == {} and not ImportRecord.objects.exists()


def test_json_prints_every_cell_with_value_source_and_confidence_and_what_was_not_placed(filing):
    out, _ = _run(str(PINGTAN), agency="pingtan", year=2023, dry_run=True, json=True)
    data = json.loads(out)
    cells = {cell["code"]: cell for cell in data["cells"]}
    assert len(cells) == 200
    assert cells["t3-r1-c7"]["value"] == "81" and cells["t3-r1-c7"]["confidence"] == 0.9
    assert cells["t2-r3-decided"]["confidence"] == 1.0
    assert cells["t2-r3-decided"]["source"]["text"].startswith("行政许可2629")
    assert {item["cell"] for item in data["unplaced"] if "cell" in item} >= {"t2-r2-issued"}
    assert _values(filing) == {}


def test_a_locked_filing_is_refused_with_a_chinese_message_and_nothing_changes(filing):
    AnnualReport.objects.filter(pk=filing.pk).update(status=AnnualReport.Status.SUBMITTED)
    with pytest.raises(CommandError, match="内容已锁定"):
        _run(str(PINGTAN), agency="pingtan", year=2023)
    assert not ImportRecord.objects.exists()


def test_a_user_without_the_right_is_refused(filing, make_user):
    with pytest.raises(CommandError, match="无权修改"):
        _run(str(PINGTAN), agency="pingtan", year=2023, user=make_user().username)


def test_a_file_that_is_no_report_is_refused(filing, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CommandError, match="不是可读取的报告文件"):
        _run(str(path), agency="pingtan", year=2023)
    empty = tmp_path / "empty.txt"
    empty.write_text("本页无内容", encoding="utf-8")
    with pytest.raises(CommandError, match="没有找到"):
        _run(str(empty), agency="pingtan", year=2023)


def test_validation_runs_on_the_result_and_names_a_printed_break(make_report, make_agency):
    # 河北省教育厅 2018 统计表 prints 申请办结数 1 but 申请答复数 0: kept as printed, flagged.
    make_report(agency=make_agency(slug="jyt"), year=2018)
    source = CORPUS / "2018_hebei-jiaoyuting-tongjibiao.txt"
    out, _ = _run(str(source), agency="jyt", year=2018, dry_run=True)
    assert "校验（提示）：" in out and "申请答复数" in out and "申请办结数" in out


def test_a_row_no_split_satisfies_is_listed_as_left_blank(make_report, make_agency):
    make_report(agency=make_agency(slug="kjt"), year=2022)  # （七）总计 printed 20000011
    out, _ = _run(str(CORPUS / "2022_hebei-kejiting.txt"), agency="kjt", year=2022, dry_run=True)
    assert "留空：表三 三（七）总计·自然人：无法唯一拆分" in out


def _docx_of(path, target):
    word = docx.Document()
    for line in path.read_text(encoding="utf-8").splitlines():
        word.add_paragraph(line)
    word.save(target)
    return target


def test_a_word_file_made_from_a_corpus_text_imports_the_same(make_report, make_agency, tmp_path):
    report = make_report(agency=make_agency(slug="jyt"), year=2023)
    source = CORPUS / "2023_hebei-jiaoyuting.txt"
    _run(str(_docx_of(source, tmp_path / "report.docx")), agency="jyt", year=2023)
    result = score(load(TRUTH / "2023_hebei-jiaoyuting.json"), _values(report))
    assert result.wrong == [] and result.missed == []


def test_a_web_page_with_a_real_table_imports_every_cell(make_report, make_agency, tmp_path):
    report = make_report(agency=make_agency(slug="jyt"), year=2022)
    truth = load(TRUTH / "2022_hebei-jiaoyuting.json")
    rows = "".join(
        f"<tr><td>{label}</td>{''.join(f'<td>{v}</td>' for v in values)}</tr>"
        for label, values in _t3_rows(truth)
    )
    page = tmp_path / "report.htm"
    page.write_text(
        "<html><body><h1>2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p>"
        "<p>三、收到和处理政府信息公开申请情况</p><table>"
        "<tr><td>申请人情况</td></tr><tr><td>自然人</td><td>法人或其他组织</td><td>总计</td></tr>"
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
        f"{rows}</table><p>五、存在的主要问题及改进情况</p><p>问题。</p></body></html>",
        encoding="utf-8",
    )
    _run(str(page), agency="jyt", year=2022)
    t3 = {code: value for code, value in truth.certain.items() if code.startswith("t3-")}
    assert {c: v for c, v in _values(report).items() if c.startswith("t3-")} == t3


def _t3_rows(truth):
    from reports.formats import get_format

    table = get_format("gb2021").table("t3")
    for row in table.rows:
        if row.heading:
            yield row.label, []
            continue
        yield row.label, [truth.certain[table.cell_code(row.code, c.code)] for c in table.columns]


def test_values_are_kept_as_printed_totals_are_not_recomputed(filing):
    _run(str(PINGTAN), agency="pingtan", year=2023)
    assert _values(filing)["t3-r3_7-c7"] == Decimal(81)
