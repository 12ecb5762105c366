"""A filing's history (流转与修改记录): every change, page by page, in bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import selectors
from reports.models import AnnualReport, ImportRecord, StatusChange, ValueChange

S = AnnualReport.Status


@pytest.fixture
def report(office):
    return AnnualReport.objects.create(agency=office["bureau"], period=office["period"])


def add_value_changes(report, count, *, by=None):
    """`count` changes of one cell, 0 → 1 → 2 …, all at the same instant."""
    ValueChange.objects.bulk_create(
        ValueChange(
            report=report,
            code="t3-r1-c1",
            old_value=n,
            new_value=n + 1,
            actor=by,
            source=ValueChange.Source.FORM,
        )
        for n in range(count)
    )


def history(client, report, **query):
    response = client.get(reverse("admin:reports_annualreport_timeline", args=[report.pk]), query)
    assert response.status_code == 200
    return response


def rows_shown(response) -> int:
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return body.count("<tr>")


def test_the_caption_counts_every_change_and_the_pages_show_them_all(client, report, office):
    add_value_changes(report, 664, by=office["filer"])
    client.force_login(office["reviewer"])

    first = history(client, report)
    text = first.content.decode()
    assert "共664条，第1/7页" in text
    assert rows_shown(first) == 100
    assert 'href="?page=7"' in text and 'href="?page=2" rel="next"' in text

    last = history(client, report, page=7)
    assert "共664条，第7/7页" in last.content.decode()
    assert rows_shown(last) == 64


def test_every_change_is_on_exactly_one_page_newest_first(report, office):
    add_value_changes(report, 664, by=office["filer"])
    seen = []
    for number in range(1, 8):
        seen += [int(change.old) for change in selectors.report_timeline(report, page=number)]
    assert seen == list(reversed(range(664)))


def test_state_changes_value_changes_and_imports_are_merged_by_time(report, office):
    start = timezone.now() - datetime.timedelta(days=1)
    add_value_changes(report, 2, by=office["filer"])
    first, second = ValueChange.objects.filter(report=report).order_by("id")
    ValueChange.objects.filter(pk=first.pk).update(changed_at=start)
    ValueChange.objects.filter(pk=second.pk).update(
        changed_at=start + datetime.timedelta(minutes=2)
    )
    returned = StatusChange.objects.create(
        report=report,
        from_status=S.SUBMITTED,
        to_status=S.DRAFT,
        action="return",
        actor=office["reviewer"],
        note="请核对",
    )
    StatusChange.objects.filter(pk=returned.pk).update(at=start + datetime.timedelta(minutes=1))
    imported = ImportRecord.objects.create(
        kind=ImportRecord.Kind.WORKBOOK,
        report=report,
        user=office["filer"],
        file_name="填好的.xlsx",
        sha256="ab" * 32,
        cells_changed=3,
    )
    ImportRecord.objects.filter(pk=imported.pk).update(
        created_at=start + datetime.timedelta(minutes=3)
    )

    page_one = selectors.report_timeline(report, page=1, per_page=2)
    page_two = selectors.report_timeline(report, page=2, per_page=2)

    assert page_one.paginator.count == 4
    assert [(c.source, c.what, c.new) for c in page_one] == [
        ("导入", "导入文件 填好的.xlsx", "修改3项（SHA-256 abababababab…）"),
        ("在线填报", "表三 一、本年新收政府信息公开申请数量·自然人", "2"),
    ]
    assert [(c.source, c.actor, c.new) for c in page_two] == [
        ("流转", "李审", "请核对"),
        ("在线填报", "张填", "1"),
    ]


def test_a_page_number_out_of_range_shows_the_nearest_page(client, report, office):
    add_value_changes(report, 150)
    client.force_login(office["filer"])
    assert history(client, report, page=99).context["page"].number == 2
    assert history(client, report, page="abc").context["page"].number == 1


def test_an_empty_history_says_so(client, report, office):
    client.force_login(office["filer"])
    text = history(client, report).content.decode()
    assert "共0条" in text and "尚无记录。" in text
    assert 'class="paginator"' not in text


def test_the_selector_reads_five_queries_at_most_whatever_the_length(
    report, office, django_assert_max_num_queries
):
    add_value_changes(report, 664, by=office["filer"])
    StatusChange.objects.create(
        report=report,
        from_status=S.DRAFT,
        to_status=S.SUBMITTED,
        action="submit",
        actor=office["filer"],
    )
    with django_assert_max_num_queries(5):
        assert len(selectors.report_timeline(report, page=1)) == 100


def test_the_page_reads_as_many_queries_for_664_changes_as_for_3(
    client, report, office, django_assert_max_num_queries
):
    client.force_login(office["reviewer"])
    add_value_changes(report, 3, by=office["filer"])
    with CaptureQueriesContext(connection) as short:
        history(client, report)
    add_value_changes(report, 661, by=office["filer"])
    with django_assert_max_num_queries(len(short)) as long:
        assert rows_shown(history(client, report)) == 100
    assert len(long) == len(short) <= 12
    with django_assert_max_num_queries(len(short)):
        assert rows_shown(history(client, report, page=7)) == 64


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("t3-r1-c1", "表三 一、本年新收政府信息公开申请数量·自然人"),
        ("n:s6", "正文·六、其他需要报告的事项"),
        ("n:gone", "正文·gone"),
        ("w2:site_name", "网站报表2·网站名称"),
        ("w1:media", "网站报表1·移动新媒体"),
        ("w1:nonsense", "w1:nonsense"),
    ],
)
def test_each_kind_of_code_is_named_as_a_person_reads_it(report, code, shown):
    assert selectors.describe_code(report.format, code) == shown
