"""The statistics-table entry page, read-only view and the validate_reports command."""

import html
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.formats import FORMATS, get_format
from reports.models import AnnualReport, Membership, ReportValue, ValueChange
from tests.formats import test_gb2014, test_gb2019, test_gb2021

Role = Membership.Role


def tables_url(report):
    return reverse("admin:reports_annualreport_tables", args=[report.pk])


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", text))


@pytest.fixture
def filer_2021(make_agency, make_user, make_report, make_period):
    agency = make_agency(name="测试局")
    report = make_report(agency=agency, period=make_period(2021))
    user = make_user(agency=agency, role=Role.FILER)
    return report, user


def all_cells(report, **typed):
    """POST data for every input of the entry page, blank unless given, at the filing's
    current version (as the page would have been opened now)."""
    data = {"version": AnnualReport.objects.values_list("version", flat=True).get(pk=report.pk)}
    for spec in report.format.cells():
        if not spec.computed_from:
            data[f"v:{spec.code}"] = typed.get(spec.code, "")
            data[f"n:{spec.code}"] = ""
    return data


def stored(report) -> dict:
    return dict(ReportValue.objects.filter(report=report).values_list("code", "value"))


# --- the entry page -------------------------------------------------------------


def test_partial_save_keeps_blank_cells_blank(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    data = all_cells(report, **{"t3-r1-c1": "5", "t3-r1-c2": "2"})
    response = client.post(tables_url(report), data)
    assert response.status_code == 302
    values = stored(report)
    assert values["t3-r1-c1"] == 5 and values["t3-r1-c2"] == 2
    assert "t3-r1-c3" not in values  # blank is not 0
    assert values["t3-r1-c7"] == 7  # the 总计 column is computed on save


def test_totals_are_computed_whatever_the_browser_sends(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    data = all_cells(report, **{"t4-r1-c1": "2", "t4-r1-c2": "1"})
    data["v:t4-r1-c5"] = "99"  # a forged total is ignored: totals are not inputs
    client.post(tables_url(report), data)
    assert stored(report)["t4-r1-c5"] == 3


def test_a_refused_cell_saves_nothing_and_keeps_everything_typed(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    data = all_cells(report, **{"t3-r1-c1": "十二", "t3-r1-c2": "7", "t2-r1-issued": "3"})
    data["n:t2-r1-issued"] = "其中修订1件"
    response = client.post(tables_url(report), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "未保存" in text
    assert "表三 一、本年新收政府信息公开申请数量·自然人：「十二」不是数字" in text
    content = response.content.decode()
    assert 'name="v:t3-r1-c1" id="v-t3-r1-c1" value="十二"' in content
    assert 'name="v:t3-r1-c2" id="v-t3-r1-c2" value="7"' in content
    assert 'value="其中修订1件"' in content
    assert not ReportValue.objects.filter(report=report).exists()
    assert not ValueChange.objects.filter(report=report).exists()


def test_numbers_typed_as_staff_write_them_are_understood(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    data = all_cells(report, **{"t3-r1-c1": "１,２００", "t2-r7-fee": "4068.208"})
    assert client.post(tables_url(report), data).status_code == 302
    values = stored(report)
    assert values["t3-r1-c1"] == 1200
    assert values["t2-r7-fee"] == Decimal("4068.208")


def test_cell_notes_are_saved_and_shown(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    data = all_cells(report, **{"t2-r1-issued": "22"})
    data["n:t2-r1-issued"] = "22（其中修订16件）"
    client.post(tables_url(report), data)
    row = ReportValue.objects.get(report=report, code="t2-r1-issued")
    assert (row.value, row.note) == (22, "22（其中修订16件）")
    change = client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert "22（其中修订16件）" in page_text(change)


def test_every_changed_cell_is_recorded_with_who_and_old_and_new(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    client.post(tables_url(report), all_cells(report, **{"t3-r1-c1": "5"}))
    client.post(tables_url(report), all_cells(report, **{"t3-r1-c1": "6"}))
    changes = ValueChange.objects.filter(report=report, code="t3-r1-c1").order_by("id")
    assert [(c.old_value, c.new_value) for c in changes] == [(None, 5), (5, 6)]
    assert {c.actor for c in changes} == {user}
    assert {c.source for c in changes} == {ValueChange.Source.FORM}


def test_rule_breaks_show_on_the_page_naming_cells_and_numbers(client, filer_2021):
    report, user = filer_2021
    client.force_login(user)
    zeros = {spec.code: "0" for spec in report.format.cells()}
    # 一 + 二 = 3 but （七）总计 + 四 = 1: rule 1 breaks for 自然人 and 总计.
    typed = zeros | {"t3-r1-c1": "3", "t3-r3_1-c1": "1"}
    client.post(tables_url(report), all_cells(report, **typed))
    response = client.get(tables_url(report))
    text = page_text(response)
    assert "错误（2项，须改正后才能提交）" in text
    for column in ("自然人", "总计"):
        assert f"表三 {column}列：一、本年新收+二、上年结转 3 ≠ （七）总计+四、结转下年度 1" in text
    assert 'class="num flagged-error' in response.content.decode()


def test_the_2021_page_loads_and_saves_in_a_bounded_number_of_queries(
    client, filer_2021, django_assert_max_num_queries
):
    report, user = filer_2021
    client.force_login(user)
    assert len(report.format.cells()) >= 180
    with django_assert_max_num_queries(15):
        assert client.get(tables_url(report)).status_code == 200
    every = {spec.code: "1" for spec in report.format.cells()}
    with django_assert_max_num_queries(20):
        assert client.post(tables_url(report), all_cells(report, **every)).status_code == 302
    assert ReportValue.objects.filter(report=report).count() == len(report.format.cells())
    with django_assert_max_num_queries(20):
        client.post(tables_url(report), all_cells(report, **{c: "2" for c in every}))


# --- who may enter ----------------------------------------------------------------


def test_reviewer_sees_the_tables_read_only_and_cannot_post(client, filer_2021, make_user):
    report, _ = filer_2021
    reviewer = make_user(agency=report.agency, role=Role.REVIEWER)
    client.force_login(reviewer)
    response = client.get(tables_url(report))
    assert response.status_code == 200
    assert 'name="v:' not in response.content.decode()
    assert client.post(tables_url(report), all_cells(report)).status_code == 403


def test_another_agency_cannot_open_or_post_the_tables(client, filer_2021, make_agency, make_user):
    report, _ = filer_2021
    stranger = make_user(agency=make_agency(), role=Role.FILER)
    client.force_login(stranger)
    assert client.get(tables_url(report)).status_code == 404
    assert (
        client.post(tables_url(report), all_cells(report, **{"t3-r1-c1": "1"})).status_code == 404
    )
    assert not ReportValue.objects.filter(report=report).exists()


def test_a_submitted_filing_is_read_only(client, filer_2021):
    report, user = filer_2021
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    client.force_login(user)
    assert (
        client.post(tables_url(report), all_cells(report, **{"t3-r1-c1": "1"})).status_code == 403
    )


# --- the official layout ------------------------------------------------------------


def assert_labels_rendered(text, labels):
    missing = [label for label in labels if not all(part in text for part in label.split("\n"))]
    assert not missing


@pytest.mark.parametrize(
    ("year", "labels"),
    [
        (2018, test_gb2014.ROW_LABELS + test_gb2014.COLUMN_LABELS),
        (2019, test_gb2019.T2_LABELS + test_gb2019.T3_LABELS + test_gb2019.T4_LABELS),
        (2021, test_gb2021.T2_LABELS + test_gb2021.T3_LABELS + test_gb2021.T4_LABELS),
    ],
)
def test_the_official_layout_renders_every_row_and_column_label(
    client, make_report, make_period, make_user, year, labels
):
    report = make_report(period=make_period(year))
    client.force_login(make_user(agency=report.agency, role=Role.REVIEWER))
    text = page_text(client.get(tables_url(report)))
    assert_labels_rendered(text, labels)
    change = page_text(client.get(reverse("admin:reports_annualreport_change", args=[report.pk])))
    assert_labels_rendered(change, labels)


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_every_registered_format_renders_all_its_labels(client, make_report, make_user, fmt):
    """The check above holds the printed labels of the three formats we know; this one runs
    for whatever format is registered, against the labels it declares."""
    # A declared variant is chosen by the filing, in a period of its national format.
    report = make_report(year=fmt.first_year, format_code=fmt.code if fmt.variant_of else "")
    assert report.format == fmt
    client.force_login(make_user(agency=report.agency, role=Role.REVIEWER))
    assert_labels_rendered(page_text(client.get(tables_url(report))), fmt.labels())


def test_the_seed_filing_shows_its_numbers_and_its_two_breaks(client, demo):
    report = AnnualReport.objects.get(period__year=2018)
    client.force_login(Membership.objects.get(role=Role.FILER).user)
    text = page_text(client.get(reverse("admin:reports_annualreport_change", args=[report.pk])))
    assert "247" in text and "0.3" in text
    assert "三（一）收到申请数 1 ≠ 当面+传真+网络+信函 0" in text
    assert "三（三）申请答复数 1 ≠ 第1–8项之和 2" in text
    assert "请更正以下错误" not in text  # rule findings are not form errors


# --- validate_reports ----------------------------------------------------------------


def test_validate_reports_lists_exactly_the_seed_breaks_and_exits_1(demo, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("validate_reports", "--year", "2018", "--format", "json")
    assert exit_.value.code == 1
    findings = json.loads(capsys.readouterr().out)
    table_findings = [f for f in findings if not f["rule"].startswith("w")]  # w…: website form
    assert [(f["agency"], f["year"], f["rule"], f["severity"]) for f in table_findings] == [
        ("nanchang-edu", 2018, "13", "error"),
        ("nanchang-edu", 2018, "15a", "error"),
    ]
    assert "1 ≠" in findings[0]["message"] and "t-r19" in findings[0]["cells"]


def test_validate_reports_text_output_names_a_blank_draft_and_exits_1(demo, capsys):
    with pytest.raises(SystemExit) as stop:
        call_command("validate_reports", "--year", "2019", "--agency", "nanchang-edu")
    assert stop.value.code == 1
    out, err = capsys.readouterr()
    assert "nanchang-edu\t2019\trequired\terror\t表三 全表 未填写（无数据请填 0）" in out
    assert re.search(r"共 \d+ 个错误、\d+ 个提示（须说明）、\d+ 条供参考。", err)


def test_validate_reports_refuses_an_unknown_agency(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有网址标识为「nowhere」的单位"):
        call_command("validate_reports", "--year", "2018", "--agency", "nowhere")


def test_demo_values_are_the_seed_figures(demo):
    report = AnnualReport.objects.get(period__year=2018)
    values = stored(report)
    fmt = get_format("gb2014")
    assert len(values) == len(fmt.cells()) == 58
    assert values["t-r1"] == 247 and values["t-r53"] == Decimal("0.3")


def test_validate_reports_reads_a_fixed_number_of_queries(
    make_agency, make_period, django_assert_max_num_queries, capsys
):
    from reports.models import AnnualReport as Report

    period = make_period(2021)
    Report.objects.bulk_create(Report(agency=make_agency(), period=period) for _ in range(30))
    with django_assert_max_num_queries(10), pytest.raises(SystemExit):  # blank: errors
        call_command("validate_reports", "--year", "2021")


def test_unsaved_drafts_in_the_browser_are_kept_per_user(client, make_report, make_user):
    """entry.js keys its localStorage drafts by data-filing: another account on a shared
    computer must never be offered someone else's typing."""
    report = make_report()
    filer = make_user(agency=report.agency, role=Role.FILER)
    client.force_login(filer)
    page = client.get(tables_url(report)).content.decode()
    assert f'data-filing="{report.pk}:{filer.pk}"' in page
