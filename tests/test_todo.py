"""待办: what waits for each user on the admin's index page (reports/todo.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import workflow
from reports.models import AnnualReport, Membership, ReviewComment
from reports.todo import todo_for, todo_items
from tests.helpers import put

S = AnnualReport.Status
Role = Membership.Role
# The office's 2021 period: 部门 due 2022-01-31, 政府 due 2022-03-31.
BEFORE_DUE = datetime.date(2022, 1, 10)
PEOPLE = ["filer", "reviewer", "head", "coordinator", "other_filer", "other_reviewer", "other_head"]
# For a filing of 甲局 ("jia") and one of 乙局 ("yi") in each state: who finds which on their list.
WAITING = {
    S.DRAFT: {"filer": {("jia", "fill")}, "other_filer": {("yi", "fill")}},
    S.SUBMITTED: {"reviewer": {("jia", "review")}, "other_reviewer": {("yi", "review")}},
    S.REVIEWED: {"head": {("jia", "sign")}, "other_head": {("yi", "sign")}},
    # 主管部门审核: for the coordinator of the city, above both bureaus.
    S.PARENT_REVIEW: {"coordinator": {("jia", "check"), ("yi", "check")}},
    S.APPROVED: {
        "head": {("jia", "publish")},
        "other_head": {("yi", "publish")},
        "coordinator": {("jia", "publish"), ("yi", "publish")},  # the whole city's subtree
    },
    S.PUBLISHED: {},
}


def listed(user, today=BEFORE_DUE):
    return {(item.report.agency.slug, item.kind) for item in todo_items(user, today=today)}


@pytest.fixture
def filing(office, make_report):
    def make(status=S.DRAFT, agency="bureau", **overrides):
        report = make_report(agency=office[agency], period=office["period"], **overrides)
        return put(report, status, office)

    return make


@pytest.mark.parametrize("status", list(S))
def test_each_role_sees_exactly_the_filings_waiting_for_it(office, filing, status):
    filing(status, "bureau")
    filing(status, "other")
    for who in PEOPLE:
        assert listed(office[who]) == WAITING[status].get(who, set()), who


def test_each_item_links_to_the_page_that_does_the_job(office, filing):
    draft = filing(S.DRAFT)
    (item,) = todo_items(office["filer"], today=BEFORE_DUE)
    assert (item.label, item.detail) == ("填报", "尚未填写")
    assert item.url == reverse("admin:reports_annualreport_tables", args=[draft.pk])
    put(draft, S.SUBMITTED, office)
    (item,) = todo_items(office["reviewer"], today=BEFORE_DUE)
    assert (item.label, item.detail) == ("审核", "待审核")
    assert item.url == reverse("admin:reports_annualreport_workflow", args=[draft.pk])


def test_a_returned_filing_is_to_fix_with_the_number_of_open_reasons(office, filing):
    report = filing(S.SUBMITTED)
    workflow.report_return(report=report, by=office["reviewer"], reason="第三表总计有误")
    ReviewComment.objects.create(report=report, author=office["reviewer"], body="第二条意见")
    ReviewComment.objects.create(
        report=report,
        author=office["reviewer"],
        body="已处理的意见",
        resolved_at=datetime.datetime(2022, 1, 5, tzinfo=datetime.UTC),
    )
    (item,) = todo_items(office["filer"], today=BEFORE_DUE)
    assert (item.kind, item.label, item.open_reasons) == ("fix", "修改", 2)
    assert item.detail == "已退回，2条审核意见未处理"
    assert item.url == reverse("admin:reports_annualreport_workflow", args=[report.pk])

    ReviewComment.objects.filter(report=report).update(
        resolved_at=datetime.datetime(2022, 1, 6, tzinfo=datetime.UTC)
    )
    (item,) = todo_items(office["filer"], today=BEFORE_DUE)
    assert (item.kind, item.open_reasons) == ("fix", 0)
    assert item.detail == "已退回，审核意见均已处理，待重新提交"


def test_a_draft_of_a_closed_period_waits_for_nobody_but_a_correction_does(office, filing):
    office["period"].is_open = False
    office["period"].save()
    draft = filing(S.DRAFT)
    assert listed(office["filer"]) == set()
    AnnualReport.objects.filter(pk=draft.pk).update(revision=2)  # reopened for a correction
    (item,) = todo_items(office["filer"], today=BEFORE_DUE)
    assert (item.kind, item.detail) == ("fill", "更正中（第2版）")


def test_nobody_is_asked_to_pass_or_sign_what_they_cannot(office, filing, make_user, settings):
    both = make_user(agency=office["bureau"], role=Role.REVIEWER)
    Membership.objects.create(user=both, agency=office["bureau"], role=Role.HEAD)
    submitted = filing(S.SUBMITTED, submitted_by=None)
    AnnualReport.objects.filter(pk=submitted.pk).update(submitted_by=both)
    reviewed = filing(S.REVIEWED, agency="other")
    Membership.objects.create(user=both, agency=office["other"], role=Role.HEAD)
    AnnualReport.objects.filter(pk=reviewed.pk).update(reviewed_by=both)
    # Separation of duties: the workflow would refuse both moves to `both`.
    assert listed(both) == set()
    settings.PORTAL_SEPARATION_OF_DUTIES = False
    assert listed(both) == {("jia", "review"), ("yi", "sign")}


def test_overdue_items_are_flagged_and_come_first(office, filing):
    filing(S.APPROVED, "city")  # a 政府: due 2022-03-31
    filing(S.APPROVED, "bureau")  # a 部门: due 2022-01-31
    items = todo_items(office["coordinator"], today=datetime.date(2022, 2, 15))
    assert [(i.report.agency.slug, i.due, i.overdue) for i in items] == [
        ("jia", datetime.date(2022, 1, 31), True),
        ("city", datetime.date(2022, 3, 31), False),
    ]
    assert (items[0].days_overdue, items[1].days) == (15, 44)
    assert todo_for(office["coordinator"], today=datetime.date(2022, 2, 15)).overdue == 1


def test_a_historical_backfill_is_never_overdue(office, make_report, make_period):
    backfill = make_period(2015, is_historical=True)
    make_report(agency=office["bureau"], period=backfill)
    (item,) = todo_items(office["filer"], today=BEFORE_DUE)
    assert item.due == datetime.date(2016, 3, 31) and not item.overdue


def test_the_index_page_shows_the_list_with_links_and_overdue_marked(client, office, filing):
    report = filing(S.DRAFT)
    client.force_login(office["filer"])
    text = client.get("/admin/").content.decode()
    assert "待办（1，其中逾期1）" in text  # today is long after 2022-01-31
    assert 'class="todo-fill is-overdue"' in text
    assert "已逾期" in text and "2022-01-31" in text
    tables = reverse("admin:reports_annualreport_tables", args=[report.pk])
    assert f'<a href="{tables}">{report.title}</a>' in text
    assert "填报与管理" in text and "年度报告" in text  # the app list stays below

    client.force_login(office["other_filer"])
    text = client.get("/admin/").content.decode()
    assert report.title not in text
    assert "目前没有等待您处理的年度报告。" in text


def test_the_app_index_page_lists_the_models_without_the_to_do(client, office, filing):
    filing(S.DRAFT)
    client.force_login(office["filer"])
    text = client.get("/admin/reports/").content.decode()
    assert "年度报告" in text and 'class="todo"' not in text


# --- a bounded number of queries ----------------------------------------------------------


def index_queries(client, user) -> int:
    client.force_login(user)
    client.get("/admin/")  # session warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def add_agencies(office, make_agency, make_report, n):
    """`n` more bureaus under the city, each with an approved filing and a draft, and the
    office's filer and head holding their role in each."""
    for _ in range(n):
        agency = make_agency(parent=office["city"])
        put(make_report(agency=agency, period=office["period"]), S.APPROVED, office)
        Membership.objects.create(user=office["filer"], agency=agency, role=Role.FILER)
        Membership.objects.create(user=office["head"], agency=agency, role=Role.HEAD)
        make_report(agency=agency, year=2022)


@pytest.mark.parametrize("who", ["filer", "head", "coordinator"])
def test_the_index_costs_as_many_queries_for_30_agencies_as_for_1(
    client, office, make_agency, make_report, django_assert_max_num_queries, who
):
    add_agencies(office, make_agency, make_report, 1)
    few = index_queries(client, office[who])
    add_agencies(office, make_agency, make_report, 29)
    assert len(todo_items(office[who], today=BEFORE_DUE)) >= 30
    # session, user, access (1; 3 for a coordinator), the to-do (1), accounts without an
    # e-mail (1, coordinators only), unread notifications (1), the admin's recent actions (1)
    with django_assert_max_num_queries(few) as many:
        assert client.get("/admin/").status_code == 200
    assert len(many) == few <= 9


# --- accounts without an e-mail ---------------------------------------------------------------


def test_the_coordinator_is_warned_about_accounts_of_the_subtree_without_email(
    client, office, make_agency, make_user
):
    elsewhere = make_agency(name="外市人民政府", parent=None)
    make_user(agency=elsewhere, role=Role.FILER, username="outsider")
    make_user(agency=office["bureau"], role=Role.FILER, username="gone", is_active=False)
    missing = todo_for(office["coordinator"], today=BEFORE_DUE).missing_emails
    without = [office[who] for who in ("other_filer", "other_head", "other_reviewer")]
    assert missing.count == 3
    assert [a.pk for a in missing.named] == [u.pk for u in without]

    client.force_login(office["coordinator"])
    text = client.get("/admin/").content.decode()
    assert "3个账号没有电子邮箱，收不到邮件提醒：" in text
    for user in without:
        assert reverse("admin:auth_user_change", args=[user.pk]) in text
    assert "outsider" not in text and "gone" not in text

    users = client.get(missing.list_url)
    assert users.status_code == 200
    assert {u.pk for u in users.context["cl"].result_list} == {u.pk for u in without}


def test_nobody_but_a_coordinator_is_warned_about_missing_emails(client, office):
    assert todo_for(office["other_filer"], today=BEFORE_DUE).missing_emails is None
    client.force_login(office["filer"])
    assert "没有电子邮箱" not in client.get("/admin/").content.decode()


def test_no_warning_when_every_account_of_the_subtree_has_an_email(office, django_user_model):
    django_user_model.objects.filter(email="").update(email="someone@city.gov.cn")
    assert todo_for(office["coordinator"], today=BEFORE_DUE).missing_emails is None


def test_a_superuser_is_warned_about_every_member_without_email(office, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-for-tests")
    missing = todo_for(root, today=BEFORE_DUE).missing_emails
    assert missing.count == 3  # the other bureau's three; not the superuser, who has no role
    assert todo_items(root, today=BEFORE_DUE) == []
