"""Issue 15, items 4–6: blanks reported wherever validation runs, the 正文 checked by era and
against the tables' outcomes, and 提示 that need no explanation (HINT)."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import services
from reports.filing_data import FilingData
from reports.findings import narrative_findings
from reports.models import Membership

Role = Membership.Role


def data(format_code="gb2021", year=2021, values=None, narrative=None) -> FilingData:
    return FilingData(
        agency_name="测试局",
        agency_slug="test",
        agency_kind="department",
        contact={},
        year=year,
        format_code=format_code,
        status="draft",
        revision=1,
        values={code: Decimal(v) for code, v in (values or {}).items()},
        notes={},
        websites=[],
        narrative=narrative or {},
    )


def outcome_findings(*args, **kwargs):
    return [f for f in narrative_findings(data(*args, **kwargs)) if f.rule_id == "n-outcome"]


# --- statements of outcome --------------------------------------------------------------------

T4_CORRECTED = {f"t4-r1-c{i}": v for i, v in enumerate((2, 1, 0, 0, 3, 0, 0, 0, 0, 0), 1)}


def test_all_upheld_is_contradicted_by_a_corrected_reconsideration():
    text = "本年度因政府信息公开被申请行政复议3件，经审理均获维持。"
    found = outcome_findings(values=T4_CORRECTED, narrative={"s1": text})
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert found[0].cells == ("n:s1", "t4-r1-c2")
    assert "均获维持" in found[0].message and "表四 行政复议·结果纠正 1 不符" in found[0].message


def test_all_upheld_agrees_with_no_correction_and_blank_cells_are_not_read():
    text = "本年度因政府信息公开被申请行政复议3件，经审理均获维持。"
    upheld = T4_CORRECTED | {"t4-r1-c1": 3, "t4-r1-c2": 0}
    assert outcome_findings(values=upheld, narrative={"s1": text}) == []
    assert outcome_findings(values={}, narrative={"s1": text}) == []


@pytest.mark.parametrize(
    ("text", "values", "cell"),
    [
        ("本年度未发生因政府信息公开引起的行政复议和行政诉讼。", {"t4-r1-c5": 1}, "t4-r1-c5"),
        ("无行政复议、诉讼等情况。", {"t4-r1-c10": 0, "t4-r1-c15": 2}, "t4-r1-c10"),
        ("2021年未收到政府信息公开申请。", {"t3-r1-c7": 4}, "t3-r1-c7"),
        ("全年收到申请17件，办结率100%。", {"t3-r4-c7": 2}, "t3-r4-c7"),
        ("全年未发生因依申请公开被行政复议纠错的情形。", {"t4-r1-c2": 1}, "t4-r1-c2"),
    ],
)
def test_statements_the_unified_tables_deny_are_warnings(text, values, cell):
    found = outcome_findings(values=values, narrative={"s1": text})
    assert [f.cells[1] for f in found] == [cell]


@pytest.mark.parametrize(
    "text",
    [
        "由我厅办理的人大代表建议政协提案复文共29件，已全部办结。",  # not requests under the 条例
        "网民互动留言均按时办结。",
        "未收到有关政府信息公开行政复议申请。",  # about 复议, not about requests
        "上年结转的申请均已办结。",
    ],
)
def test_statements_about_other_things_are_not_read(text):
    values = {"t3-r1-c7": 5, "t3-r4-c7": 3, "t4-r1-c5": 0}
    assert outcome_findings(values=values, narrative={"s1": text}) == []


def test_the_old_table_checks_on_time_and_no_fee_statements():
    values = {"t-r26": 1, "t-s7": Decimal("0.01")}
    text = {"s3": "收到的申请均按时办结。", "s6": "本机关均未向申请人收取费用。"}
    found = outcome_findings("gb2014", 2018, values, text)
    assert [f.cells for f in found] == [("n:s3", "t-r26"), ("n:s6", "t-s7")]


# --- the 正文 by era ---------------------------------------------------------------------------


def test_an_old_report_in_six_parts_gets_no_section_empty():
    text = {
        "s1": "本年度工作概述。",
        "s2": "主动公开政府信息247条。",
        "s3": "收到依申请公开申请1件，未收取任何费用。",
        "s4": "无行政复议、行政诉讼。",
        "s9": "存在的主要问题及改进措施。",
    }
    findings = narrative_findings(data("gb2014", 2018, narrative=text))
    assert [f for f in findings if f.severity != "hint"] == []
    assert findings == []  # 收费 is written in 三: nothing missing


def test_an_old_report_silent_on_a_required_subject_gets_a_hint_only():
    text = {"s1": "本年度工作概述。", "s2": "主动公开政府信息247条。", "s3": "依申请公开1件。"}
    findings = narrative_findings(data("gb2014", 2018, narrative=text))
    assert [(f.rule_id, f.severity, f.cells) for f in findings] == [
        ("n-topic", "hint", ("n:s4",)),
        ("n-topic", "hint", ("n:s6",)),
        ("n-topic", "hint", ("n:s9",)),
    ]
    assert findings[1].message.startswith("正文未写到「依申请公开信息收取的费用情况」")


def test_a_missing_aspect_is_a_hint_and_a_missing_unified_section_still_a_warning():
    findings = narrative_findings(data(narrative={"s1": "本年度主动公开信息100条。", "s5": "无"}))
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("n-aspects", "hint"),
        ("n-empty", "warning"),
    ]


# --- blanks everywhere validation runs ---------------------------------------------------------


@pytest.fixture
def blank_2021(make_agency, make_report, make_period, make_user):
    agency = make_agency(name="空白局", slug="kongbai")
    report = make_report(agency=agency, period=make_period(2021))
    values = {f"t3-r1-c{i}": ("0", "") for i in range(1, 8)}
    services.report_save_values(report=report, by=None, entries=values)
    return report, make_user(agency=agency, role=Role.FILER)


def test_validate_reports_lists_blank_tables_once_each_and_exits_with_the_errors(
    blank_2021, capsys
):
    with pytest.raises(SystemExit) as stop:
        call_command("validate_reports", "--year", "2021", "--format", "json")
    assert stop.value.code == 1
    rows = json.loads(capsys.readouterr().out)
    required = [r for r in rows if r["rule"] == "required"]
    assert [(r["severity"], r["message"].split("：")[0]) for r in required] == [
        ("error", "表二 全表 未填写（无数据请填 0）"),
        ("error", "表三 共168格 未填写（无数据请填 0）"),
        ("error", "表四 全表 未填写（无数据请填 0）"),
    ]
    assert {r["severity"] for r in rows if r["rule"] == "unchecked"} == {"hint"}


def test_a_historical_filings_blanks_are_warnings_and_need_an_explanation(blank_2021, capsys):
    report, _ = blank_2021
    report.period.is_historical = True
    report.period.save()
    call_command("validate_reports", "--year", "2021", "--format", "json")  # no error: exit 0
    rows = json.loads(capsys.readouterr().out)
    required = [r for r in rows if r["rule"] == "required"]
    assert {r["severity"] for r in required} == {"warning"}
    assert all("原表空白" in r["message"] for r in required)


def test_the_tables_page_shows_blanks_and_the_unchecked_hint(client, blank_2021):
    report, filer = blank_2021
    client.force_login(filer)
    page = client.get(reverse("admin:reports_annualreport_tables", args=[report.pk]))
    text = page.content.decode()
    assert "表三 共168格 未填写（无数据请填 0）" in text
    assert "供参考（" in text and "无法核对：" in text
