"""Progress across levels: the board over the whole subtree, grouped by level, with counts per
stage, overdue, filters and downloads, in a number of queries that does not grow with the tree;
`remind_due` reaches each level's people."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reports import levels, workflow
from reports.models import Agency, AnnualReport, Membership
from tests.levels.conftest import filled, person, requests, signed

Role = Membership.Role
S = AnnualReport.Status
BOARD = "/admin/reports/annualreport/board/"


@pytest.fixture
def progress_region(region):
    """区教育局 signed, 区卫健委 returned, 区政府办公室 not started; the district and the city
    have no filing."""
    signed(region, "edu", filled(region, "edu", requests(1)))
    health = filled(region, "health")
    health = workflow.report_submit(report=health, by=person(region, "health", Role.FILER))
    workflow.report_return(
        report=health, by=person(region, "health", Role.REVIEWER), reason="请补充"
    )
    return region


def test_the_board_groups_the_subtree_by_level_with_counts_per_stage(progress_region):
    region = progress_region
    today = region["period"].department_due + datetime.timedelta(days=1)
    progress = levels.progress(region["period"], None, today=today)
    assert [(level.title, level.depth) for level in progress.levels] == [
        ("某市人民政府本级", 1),
        ("某区人民政府本级", 2),
    ]
    district = progress.levels[1]
    # The government first, then its departments by name.
    names = [row.agency.name for row in district.rows]
    assert names == ["某区人民政府", *sorted(["区教育局", "区卫健委", "区政府办公室"])]
    assert district.counts.stages == {"未提交": 2, "待审核": 0, "退回": 1, "已签发": 1, "已公开": 0}
    # Departments are due 1月31日: every one not yet published is late (signed included);
    # the governments, due 3月31日, are not yet.
    assert district.counts.overdue == 3
    assert progress.tiers[2].total == 4 and progress.tiers[1].total == 1
    assert progress.counts.total == 5


def test_the_filters_narrow_the_rows_and_the_scope_filters_the_counts(progress_region):
    region = progress_region
    today = region["period"].department_due + datetime.timedelta(days=1)
    returned = levels.progress(
        region["period"], None, today=today, filters=levels.BoardFilters(stage="退回")
    )
    assert [row.agency.slug for level in returned.levels for row in level.rows] == ["health"]
    assert returned.counts.total == 5  # the counts still cover every stage
    late = levels.progress(
        region["period"], None, today=today, filters=levels.BoardFilters(overdue=True)
    )
    late_ones = {row.agency.slug for level in late.levels for row in level.rows}
    assert late_ones == {"office", "health", "edu"}
    second = levels.progress(
        region["period"], None, today=today, filters=levels.BoardFilters(depth=2, kind="department")
    )
    assert second.counts.total == 3 and [lv.title for lv in second.levels] == ["某区人民政府本级"]


def test_a_district_coordinator_sees_only_their_subtree(progress_region, client):
    client.force_login(progress_region["district_co"])
    page = client.get(BOARD, {"year": 2021}).content.decode()
    assert "某区人民政府本级" in page and "某市人民政府本级" not in page
    assert "汇总生成本级报告" in page  # on the district's own row


def add_district(n, city, period, make_agency):
    district = make_agency(
        name=f"第{n}区人民政府", slug=f"d{n}", kind=Agency.Kind.GOVERNMENT, parent=city
    )
    for i in range(3):
        unit = make_agency(name=f"第{n}区第{i}局", slug=f"d{n}-{i}", parent=district)
        AnnualReport.objects.create(agency=unit, period=period)


def board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD, {"year": 2021})
    assert response.status_code == 200
    return len(queries)


def test_the_boards_query_count_does_not_grow_with_the_number_of_agencies(
    progress_region, client, make_agency
):
    region = progress_region
    client.force_login(region["city_co"])
    add_district(1, region["city"], region["period"], make_agency)
    few = board_queries(client)
    for n in range(2, 8):
        add_district(n, region["city"], region["period"], make_agency)
    assert Agency.objects.count() > 30
    many = board_queries(client)
    assert many == few
    page = client.get(BOARD, {"year": 2021}).content.decode()
    assert "第7区人民政府本级" in page


def test_the_csv_and_xlsx_carry_each_agencys_level_and_stage(progress_region, client):
    client.force_login(progress_region["city_co"])
    body = client.get(BOARD, {"year": 2021, "format": "csv", "stage": "退回"}).content
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",本级,层级,进度")
    assert lines[1:] == [lines[1]] and lines[1].startswith("区卫健委,部门,已退回,2022-01-31")
    assert lines[1].endswith(",某区人民政府本级,第2级,退回")
    xlsx = client.get(BOARD, {"year": 2021, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["各单位", "分级汇总"]
    rows = list(book["分级汇总"].iter_rows(values_only=True))
    assert rows[0] == (
        "层级",
        "本级",
        "未提交",
        "待审核",
        "退回",
        "已签发",
        "已公开",
        "逾期",
        "合计",
    )
    assert rows[2][:7] == ("第2级", "某区人民政府本级", 2, 0, 1, 1, 0)
    assert rows[-1][0:2] == ("全部", "合计") and rows[-1][-1] == 5


def test_remind_due_reaches_each_levels_people(region, capsys):
    region["period"].parent_review = True
    region["period"].save()
    signed(region, "edu", filled(region, "edu"))  # waits for the 主管部门 above
    health = filled(region, "health")
    workflow.report_submit(report=health, by=person(region, "health", Role.FILER))
    due = region["period"].department_due
    call_command(
        "remind_due", "--days", "7", "--today", (due - datetime.timedelta(days=3)).isoformat()
    )
    out = capsys.readouterr().out
    assert "edu\t2021\t截止 2022-01-31（还剩3天）\t待主管部门审核" in out
    to = {m.to[0]: m for m in mail.outbox}
    assert "待审核" in to["reviewer@health.gov.cn"].subject  # the reviewer of 区卫健委
    assert "尚未提交" in to["filer@office.gov.cn"].subject  # no filing yet at 区政府办公室
    assert "filer@edu.gov.cn" not in to
    # Each coordinator hears of their own subtree: the district's three departments.
    digest = [m for m in mail.outbox if m.to == ["co@district.gov.cn"] and "所辖" in m.subject]
    assert len(digest) == 1 and "区教育局：待主管部门审核" in digest[0].body
    assert any(m.to == ["co@city.gov.cn"] and "所辖3个单位" in m.subject for m in mail.outbox)
