"""The approval workflow: transitions, roles, separation of duties, publication, corrections."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from reports import selectors, services, workflow
from reports.models import (
    AnnualReport,
    Membership,
    PublishedRevision,
    ReviewComment,
    StatusChange,
)
from reports.workflow import WorkflowError
from tests.helpers import complete, put

S = AnnualReport.Status
Role = Membership.Role


@pytest.fixture
def report(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


def act(action, report, by):
    kwargs = {}
    if action in ("return", "reopen"):
        kwargs["reason"] = "第三表总计有误"
    return workflow.ACTIONS[action](report=report, by=by, **kwargs)


ACTOR = {
    "submit": "filer",
    "pass": "reviewer",
    "sign": "head",
    "parent_pass": "coordinator",
    "publish": "head",
    "reopen": "coordinator",
}
ALLOWED = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "pass"): S.REVIEWED,
    (S.SUBMITTED, "return"): S.DRAFT,
    (S.REVIEWED, "return"): S.DRAFT,
    (S.REVIEWED, "sign"): S.APPROVED,
    (S.PARENT_REVIEW, "parent_pass"): S.APPROVED,
    (S.PARENT_REVIEW, "return"): S.DRAFT,
    (S.APPROVED, "publish"): S.PUBLISHED,
    (S.PUBLISHED, "reopen"): S.DRAFT,
}


def actor_for(action, status, office):
    if action == "return":
        if status == S.PARENT_REVIEW:
            return office["coordinator"]  # of the city, above 甲局
        return office["head"] if status == S.REVIEWED else office["reviewer"]
    return office[ACTOR[action]]


# --- the transition matrix -----------------------------------------------------------


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_every_move_of_the_transition_matrix(report, office, status, action):
    report = put(report, status, office)
    by = actor_for(action, status, office)
    before = StatusChange.objects.count()
    if (status, action) in ALLOWED:
        moved = act(action, report, by)
        assert moved.status == ALLOWED[(status, action)]
        assert StatusChange.objects.count() == before + 1
        change = StatusChange.objects.latest("id")
        assert (change.from_status, change.to_status, change.action, change.actor) == (
            status,
            ALLOWED[(status, action)],
            action,
            by,
        )
    else:
        with pytest.raises(WorkflowError, match="当前状态为"):
            act(action, report, by)
        assert StatusChange.objects.count() == before
        report.refresh_from_db()
        assert report.status == status


# --- the role × action × agency matrix -------------------------------------------------

STATE_FOR = {
    "submit": S.DRAFT,
    "pass": S.SUBMITTED,
    "return": S.SUBMITTED,
    "sign": S.REVIEWED,
    "parent_pass": S.PARENT_REVIEW,
    "publish": S.APPROVED,
    "reopen": S.PUBLISHED,
}
MAY = {
    "submit": {"filer"},
    "pass": {"reviewer"},
    "return": {"reviewer"},
    "sign": {"head"},
    "parent_pass": {"coordinator"},
    "publish": {"head", "coordinator"},
    "reopen": {"coordinator"},
}
PEOPLE = ["filer", "reviewer", "head", "coordinator", "other_filer", "other_reviewer", "other_head"]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_role_and_agency_decide_who_may_act(report, office, action, person):
    report = put(report, STATE_FOR[action], office)
    by = office[person]
    if person in MAY[action]:
        assert act(action, report, by).status == ALLOWED[(STATE_FOR[action], action)]
    else:
        with pytest.raises(WorkflowError, match="不是该单位的"):
            act(action, report, by)
    assert (action in workflow.allowed_actions(by, report)) == (person in MAY[action])


def test_the_head_returns_a_reviewed_filing_the_reviewer_cannot(report, office):
    report = put(report, S.REVIEWED, office)
    with pytest.raises(WorkflowError, match="单位负责人"):
        act("return", report, office["reviewer"])
    assert act("return", report, office["head"]).status == S.DRAFT


# --- submission -------------------------------------------------------------------------


def test_submission_is_refused_while_errors_remain(office):
    report = AnnualReport.objects.create(agency=office["bureau"], period=office["period"])
    services.report_save_values(report=report, by=None, entries={"t3-r1-c1": ("3", "")})
    with pytest.raises(WorkflowError, match="不能提交：还有.*项错误"):
        workflow.report_submit(report=report, by=office["filer"])
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_every_warning_needs_an_explanation(report, office):
    # 现行有效件数 that does not follow from last year's is a warning (rule 11).
    last_year = AnnualReport.objects.create(
        agency=office["bureau"],
        period=type(office["period"]).objects.create(
            year=2020,
            format_code="gb2019",
            opens_on="2021-01-01",
            department_due="2021-01-31",
            government_due="2021-03-31",
        ),
    )
    services.report_save_values(report=last_year, by=None, entries={"t3-r4-c1": ("2", "")})
    findings = selectors.report_findings(report, selectors.report_values(report)[0])
    warnings = [f for f in findings if f.severity == "warning"]
    assert warnings, "set-up must produce a warning"
    with pytest.raises(WorkflowError, match="提示未说明"):
        workflow.report_submit(report=report, by=office["filer"])
    explanations = {workflow.finding_key(f): "上年结转件数已于年初办结" for f in warnings}
    submitted = workflow.report_submit(report=report, by=office["filer"], explanations=explanations)
    assert submitted.status == S.SUBMITTED
    assert set(submitted.warning_explanations.values()) == {"上年结转件数已于年初办结"}
    assert submitted.submitted_by == office["filer"]


def test_a_historical_period_accepts_errors_with_explanations(office):
    office["period"].is_historical = True
    office["period"].save()
    report = AnnualReport.objects.create(agency=office["bureau"], period=office["period"])
    complete(report)
    services.report_save_values(report=report, by=None, entries={"t3-r1-c1": ("3", "")})
    with pytest.raises(WorkflowError, match="提示未说明"):
        workflow.report_submit(report=report, by=office["filer"])
    findings = selectors.report_findings(report, selectors.report_values(report)[0])
    explanations = {workflow.finding_key(f): "按原件录入" for f in findings}
    assert (
        workflow.report_submit(report=report, by=office["filer"], explanations=explanations).status
        == S.SUBMITTED
    )


def test_submission_locks_the_contents(report, office):
    workflow.report_submit(report=report, by=office["filer"])
    with pytest.raises(services.ReportLocked):
        services.report_save_values(
            report=report, by=office["filer"], entries={"t3-r1-c1": ("1", "")}
        )


# --- review -------------------------------------------------------------------------------


def test_return_needs_a_reason_and_leaves_a_checklist_item(report, office):
    report = put(report, S.SUBMITTED, office)
    with pytest.raises(WorkflowError, match="须填写理由"):
        workflow.report_return(report=report, by=office["reviewer"], reason="  ")
    workflow.report_return(
        report=report, by=office["reviewer"], reason="表三总计与分项不符", targets=["t3-r3_7-c7"]
    )
    comment = ReviewComment.objects.get(report=report)
    assert (comment.body, comment.targets, comment.resolved_at) == (
        "表三总计与分项不符",
        ["t3-r3_7-c7"],
        None,
    )
    report.refresh_from_db()
    assert report.status == S.DRAFT
    services.report_save_values(
        report=report, by=office["filer"], entries={"t3-r1-c1": ("0", "说明")}
    )


def test_reviewer_sees_what_changed_since_the_return(report, office):
    workflow.report_submit(report=report, by=office["filer"])
    workflow.report_return(report=report, by=office["reviewer"], reason="请核对一、本年新收")
    report.refresh_from_db()
    entries = {"t3-r1-c1": ("1", ""), "t3-r3_1-c1": ("1", "")}
    services.report_save_values(report=report, by=office["filer"], entries=entries)
    changes = selectors.changes_since_return(report)
    described = {(c.what, c.old, c.new) for c in changes}
    assert ("表三 一、本年新收政府信息公开申请数量·自然人", "0", "1") in described
    assert len(changes) >= 2


def test_nobody_passes_a_filing_they_submitted(report, office, make_user):
    both = make_user(agency=office["bureau"], role=Role.FILER)
    Membership.objects.create(user=both, agency=office["bureau"], role=Role.REVIEWER)
    workflow.report_submit(report=report, by=both)
    with pytest.raises(WorkflowError, match="不能审核自己提交的报告"):
        workflow.report_pass(report=report, by=both)
    assert workflow.report_pass(report=report, by=office["reviewer"]).status == S.REVIEWED


def test_nobody_signs_a_filing_they_passed(report, office):
    Membership.objects.create(user=office["reviewer"], agency=office["bureau"], role=Role.HEAD)
    report = put(report, S.SUBMITTED, office)
    workflow.report_pass(report=report, by=office["reviewer"])
    with pytest.raises(WorkflowError, match="不能签发自己审核通过的报告"):
        workflow.report_sign(report=report, by=office["reviewer"])


def test_separation_of_duties_can_be_switched_off_explicitly(report, office, settings, make_user):
    settings.PORTAL_SEPARATION_OF_DUTIES = False
    both = make_user(agency=office["bureau"], role=Role.FILER)
    Membership.objects.create(user=both, agency=office["bureau"], role=Role.REVIEWER)
    workflow.report_submit(report=report, by=both)
    assert workflow.report_pass(report=report, by=both).status == S.REVIEWED


def test_of_two_reviewers_acting_at_once_the_second_gets_a_clear_message(report, office, make_user):
    second = make_user(agency=office["bureau"], role=Role.REVIEWER, last_name="赵", first_name="四")
    report = put(report, S.SUBMITTED, office)
    stale = AnnualReport.objects.get(pk=report.pk)  # the second reviewer's page, opened before
    workflow.report_pass(report=report, by=office["reviewer"])
    with pytest.raises(WorkflowError, match="当前状态为“待签发”.*已操作"):
        workflow.report_pass(report=stale, by=second)
    assert StatusChange.objects.filter(report=report).count() == 1


# --- sign-off and publication --------------------------------------------------------------


def test_signing_records_the_three_signatures(report, office):
    workflow.report_submit(report=report, by=office["filer"])
    workflow.report_pass(report=report, by=office["reviewer"])
    signed = workflow.report_sign(report=report, by=office["head"])
    assert (signed.submitted_by, signed.reviewed_by, signed.approved_by) == (
        office["filer"],
        office["reviewer"],
        office["head"],
    )
    assert signed.approved_at is not None
    with pytest.raises(services.ReportLocked):
        services.report_save_values(
            report=signed, by=office["filer"], entries={"t3-r1-c1": ("1", "")}
        )


def test_publishing_freezes_a_revision_the_public_reads(report, office):
    report = put(report, S.APPROVED, office)
    published = workflow.report_publish(report=report, by=office["coordinator"])
    revision = PublishedRevision.objects.get(report=published)
    assert revision.number == 1
    assert revision.snapshot["values"]["t3-r1-c1"] == "0"
    assert revision.snapshot["head"]["name"] == "王签"
    assert revision.snapshot["filer"]["name"] == "张填"


def test_publishing_can_be_scheduled(report, office):
    report = put(report, S.APPROVED, office)
    later = timezone.now() + datetime.timedelta(days=3)
    workflow.report_publish(report=report, by=office["head"], at=later)
    assert PublishedRevision.objects.get(report=report).published_at == later
    report = put(report, S.APPROVED, office)
    with pytest.raises(WorkflowError, match="不能早于现在"):
        workflow.report_publish(
            report=report, by=office["head"], at=timezone.now() - datetime.timedelta(days=1)
        )


def test_a_correction_keeps_the_published_revision_until_the_corrected_one_is_out(report, office):
    report = put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    with pytest.raises(WorkflowError, match="须填写更正原因"):
        workflow.report_reopen(report=report, by=office["coordinator"], reason="")
    reopened = workflow.report_reopen(
        report=report, by=office["coordinator"], reason="表三数字录入有误"
    )
    assert (reopened.status, reopened.revision) == (S.DRAFT, 2)
    assert reopened.submitted_by is None and reopened.approved_by is None
    assert PublishedRevision.objects.filter(report=report).count() == 1  # still readable

    services.report_save_values(
        report=reopened, by=office["filer"], entries={"t3-r1-c1": ("0", "已核对")}
    )
    workflow.report_submit(report=reopened, by=office["filer"])
    workflow.report_pass(report=reopened, by=office["reviewer"])
    workflow.report_sign(report=reopened, by=office["head"])
    workflow.report_publish(report=reopened, by=office["head"])
    numbers = list(
        PublishedRevision.objects.filter(report=report).values_list("number", "correction_note")
    )
    assert numbers == [(2, "表三数字录入有误"), (1, "")]


# --- mail -------------------------------------------------------------------------------------


def test_each_move_mails_the_next_role(report, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_submit(report=report, by=office["filer"])
    assert [m.to for m in mail.outbox] == [["rev@jia.gov.cn"]]
    assert "请审核" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_return(report=report, by=office["reviewer"], reason="请修改")
    assert mail.outbox[-1].to == ["filer@jia.gov.cn"]
    assert "/admin/reports/annualreport/" in mail.outbox[-1].body


def test_remind_due_mails_filers_of_unsubmitted_filings(report, office, capsys):
    from django.core.management import call_command

    due = office["period"].department_due
    call_command(
        "remind_due", "--days", "7", "--today", (due - datetime.timedelta(days=3)).isoformat()
    )
    out = capsys.readouterr()
    assert "jia\t2021" in out.out and "还剩3天" in out.out
    assert any(m.to == ["filer@jia.gov.cn"] for m in mail.outbox)
    mail.outbox.clear()
    workflow.report_submit(report=report, by=office["filer"])
    call_command(
        "remind_due", "--days", "7", "--today", (due - datetime.timedelta(days=3)).isoformat()
    )
    assert not any(m.to == ["filer@jia.gov.cn"] for m in mail.outbox)


# --- progress board ----------------------------------------------------------------------------


def test_progress_board_states_counts_and_overdue(report, office, make_agency):
    quiet = make_agency(name="丙局", slug="bing", parent=office["city"])
    returned = AnnualReport.objects.create(agency=office["other"], period=office["period"])
    complete(returned)
    put(returned, S.SUBMITTED, office)
    workflow.report_return(report=returned, by=office["other_reviewer"], reason="请补充")
    workflow.report_submit(report=report, by=office["filer"])
    late = office["period"].department_due + datetime.timedelta(days=1)
    rows = {
        row.agency.slug: row for row in selectors.progress_board(office["period"], None, today=late)
    }
    assert rows["jia"].state == "待审核" and rows["jia"].overdue
    assert rows["yi"].state == "已退回"
    assert rows[quiet.slug].state == "未开始"
    assert rows["city"].state == "未开始" and not rows["city"].overdue  # 政府: due 3月31日


def test_progress_board_page_and_csv_for_the_coordinator(
    client, report, office, django_assert_max_num_queries
):
    client.force_login(office["coordinator"])
    with django_assert_max_num_queries(12):
        response = client.get("/admin/reports/annualreport/board/", {"year": 2021})
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲局" in text and "填报中" in text
    csv = client.get("/admin/reports/annualreport/board/", {"year": 2021, "format": "csv"})
    body = csv.content.decode("utf-8-sig")
    assert (
        body.splitlines()[0] == "填报单位,单位类型,状态,截止日期,是否逾期,最后更新,本级,层级,进度"
    )
    assert "甲局,部门,填报中,2022-01-31" in body


def test_sign_off_mail_reaches_coordinators_above_but_not_heads_above(
    report, office, make_user, django_capture_on_commit_callbacks
):
    make_user(agency=office["city"], role=Role.HEAD, email="mayor@city.gov.cn")
    put(report, S.REVIEWED, office)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_sign(report=report, by=office["head"])
    addresses = {address for message in mail.outbox for address in message.to}
    assert "co@city.gov.cn" in addresses and "head@jia.gov.cn" in addresses
    assert "mayor@city.gov.cn" not in addresses
