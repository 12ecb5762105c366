"""主管部门审核 (a period's `parent_review`): after the 单位负责人 signs, a coordinator of an agency
above passes the filing (then it can be published) or returns it to the filer with reasons."""

import os

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from reports import notifications, workflow
from reports.models import AnnualReport, Membership, ReportValue, ReviewComment, StatusChange
from reports.todo import todo_items
from reports.workflow import WorkflowError
from tests.levels.conftest import filled, person, requests, signed

Role = Membership.Role
S = AnnualReport.Status
A = StatusChange.Action
CELL = "t3-r1-c1"


@pytest.fixture
def reviewed_period(region):
    region["period"].parent_review = True
    region["period"].save()
    return region


def test_signing_in_a_period_with_parent_review_waits_for_the_coordinator_above(reviewed_period):
    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu", requests(3)))
    assert report.status == S.PARENT_REVIEW
    assert report.approved_by == person(region, "edu", Role.HEAD)  # the head's signature stands
    with pytest.raises(WorkflowError, match="当前状态为“待主管部门审核”"):
        workflow.report_publish(report=report, by=region["district_co"])


def test_the_coordinator_above_passes_and_then_the_filing_can_be_published(reviewed_period):
    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu", requests(3)))
    report = workflow.report_parent_pass(report=report, by=region["district_co"], note="数据无误")
    assert report.status == S.APPROVED
    change = report.status_changes.first()
    assert (change.action, change.from_status, change.to_status, change.actor, change.note) == (
        A.PARENT_PASS,
        S.PARENT_REVIEW,
        S.APPROVED,
        region["district_co"],
        "数据无误",
    )
    assert workflow.report_publish(report=report, by=region["district_co"]).status == S.PUBLISHED


def test_a_coordinator_of_the_agency_itself_is_not_the_coordinator_above(
    reviewed_period, make_user
):
    region = reviewed_period
    own = make_user(agency=region["edu"], role=Role.COORDINATOR, username="edu-co")
    report = signed(region, "edu", filled(region, "edu"))
    with pytest.raises(WorkflowError, match="不是该单位的上级主管部门"):
        workflow.report_parent_pass(report=report, by=own)
    assert A.PARENT_PASS not in workflow.allowed_actions(own, report)
    # A coordinator further up (the city's) is above too.
    assert A.PARENT_PASS in workflow.allowed_actions(region["city_co"], report)
    assert A.RETURN in workflow.allowed_actions(region["city_co"], report)


def test_a_top_level_agency_has_nobody_above_and_signs_straight_to_approved(reviewed_period):
    region = reviewed_period
    report = filled(region, "city")
    people = {}
    for role in (Role.FILER, Role.REVIEWER, Role.HEAD):
        people[role] = Membership.objects.create(
            user=person(region, "district", role), agency=region["city"], role=role
        ).user
    report = workflow.report_submit(report=report, by=people[Role.FILER])
    report = workflow.report_pass(report=report, by=people[Role.REVIEWER])
    assert workflow.report_sign(report=report, by=people[Role.HEAD]).status == S.APPROVED


def test_the_coordinator_returns_it_to_the_filer_with_reasons_pinned_to_cells(
    reviewed_period, django_capture_on_commit_callbacks
):
    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu", requests(3)))
    with django_capture_on_commit_callbacks(execute=True):
        report = workflow.report_return(
            report=report,
            by=region["district_co"],
            reason="自然人申请数与登记簿不符",
            targets=[CELL],
        )
    assert report.status == S.DRAFT
    assert report.reviewed_by is None and report.approved_by is None  # all sign again
    comment = ReviewComment.objects.get(report=report)
    assert (comment.author, comment.body, comment.targets) == (
        region["district_co"],
        "自然人申请数与登记簿不符",
        [CELL],
    )
    change = report.status_changes.first()
    assert (change.action, change.from_status, change.actor) == (
        A.RETURN,
        S.PARENT_REVIEW,
        region["district_co"],
    )
    # Back on the filer's 待办 as a fix, with the open reason; and in their mail.
    (item,) = todo_items(person(region, "edu", Role.FILER), today=region["period"].opens_on)
    assert (item.kind, item.open_reasons) == ("fix", 1)
    told = {m.to[0]: m.subject for m in mail.outbox}
    assert "被主管部门退回修改" in told["filer@edu.gov.cn"]
    assert "head@edu.gov.cn" in told  # the head who signed hears of it too


def test_nobody_passes_as_coordinator_a_filing_they_signed(reviewed_period):
    region = reviewed_period
    head = person(region, "edu", Role.HEAD)
    Membership.objects.create(user=head, agency=region["district"], role=Role.COORDINATOR)
    report = signed(region, "edu", filled(region, "edu"))
    with pytest.raises(WorkflowError, match="不能以主管部门身份审核自己签署过的报告"):
        workflow.report_parent_pass(report=report, by=head)
    report.refresh_from_db()
    assert report.status == S.PARENT_REVIEW


def test_signing_asks_only_the_coordinators_above_and_their_todo_lists_it(
    reviewed_period, make_user, django_capture_on_commit_callbacks
):
    region = reviewed_period
    make_user(agency=region["edu"], role=Role.COORDINATOR, username="edu-co", email="co@edu.gov.cn")
    report = filled(region, "edu")
    with django_capture_on_commit_callbacks(execute=True):
        report = signed(region, "edu", report)
    asked = {m.to[0] for m in mail.outbox if "请主管部门审核" in m.subject}
    assert asked == {"co@district.gov.cn", "co@city.gov.cn"}
    for who in ("district_co", "city_co"):
        items = todo_items(region[who], today=region["period"].opens_on)
        assert [(i.report.pk, i.kind, i.label) for i in items] == [
            (report.pk, "check", "主管部门审核")
        ]
    assert notifications.next_people(report, "sign")[1] == "已签发，请主管部门审核"


def test_the_review_page_offers_the_coordinator_the_same_pinning_ui(reviewed_period, client):
    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu", requests(3)))
    client.force_login(region["district_co"])
    url = f"/admin/reports/annualreport/{report.pk}/workflow/"
    page = client.get(url).content.decode()
    assert "主管部门审核通过" in page and 'name="reason"' in page
    assert f'data-target="{CELL}"' in page  # the filing below, each cell a pick
    response = client.post(
        url, {"action": "return", "reason": "请核对自然人申请数", "targets": [CELL]}
    )
    assert response.status_code == 302
    client.force_login(person(region, "edu", Role.FILER))
    tables = client.get(f"/admin/reports/annualreport/{report.pk}/tables/").content.decode()
    assert "请核对自然人申请数" in tables


def test_the_history_and_the_status_card_record_the_coordinators_pass(reviewed_period, client):
    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu"))
    workflow.report_parent_pass(report=report, by=region["district_co"])
    client.force_login(person(region, "edu", Role.FILER))
    page = client.get(f"/admin/reports/annualreport/{report.pk}/workflow/").content.decode()
    assert "主管部门审核" in page and "区主管" in page
    timeline = client.get(f"/admin/reports/annualreport/{report.pk}/timeline/").content.decode()
    assert "待主管部门审核 → 已签发" in timeline


def test_the_database_locks_a_filing_in_parent_review_and_knows_no_other_status(region):
    """Migrations 0005/0010's content lock holds for the new status; the CHECK constraint
    takes it, and still refuses a status nobody declared."""
    report = filled(region, "edu")
    AnnualReport.objects.filter(pk=report.pk).update(status=S.PARENT_REVIEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportValue.objects.filter(report=report).update(value=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(status="checked")


RUNTIME = os.environ.get("PORTAL_TEST_RUNTIME_ROLE", "")


@pytest.mark.skipif(
    connection.vendor != "postgresql" or ":" not in RUNTIME,
    reason="needs PostgreSQL and the runtime role CI creates (PORTAL_TEST_RUNTIME_ROLE)",
)
def test_the_portals_role_moves_to_and_from_parent_review_only_with_a_workflow_record(
    reviewed_period, reopen_filings_before_flush
):
    """Migration 0010's status trigger, as the portal's production role (see
    tests/test_database_roles.py): parent_review is a status like the others."""
    import psycopg

    from reports.database_roles import grant

    region = reviewed_period
    report = signed(region, "edu", filled(region, "edu"))
    user, password = RUNTIME.split(":", 1)
    grant(connection, user)
    db = connection.settings_dict
    raw = psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        dbname=db["NAME"],
        user=user,
        password=password,
        autocommit=True,
    )
    try:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            raw.execute(
                "UPDATE reports_annualreport SET status = 'approved' WHERE id = %s", (report.pk,)
            )
        actor = region["district_co"].pk
        with raw.transaction():
            raw.execute(
                "INSERT INTO reports_statuschange (report_id, from_status, to_status, action,"
                " actor_id, note, at) VALUES (%s, 'parent_review', 'approved', 'parent_pass', %s,"
                " '', now())",
                (report.pk, actor),
            )
            raw.execute(
                "UPDATE reports_annualreport SET status = 'approved' WHERE id = %s", (report.pk,)
            )
    finally:
        raw.close()
    assert AnnualReport.objects.get(pk=report.pk).status == S.APPROVED
