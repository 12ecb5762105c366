"""Each move writes exactly one StatusChange whose action is a StatusChange.Action, and
schedules exactly one mail after commit; a refused move writes and schedules nothing."""

import pytest
from django.db import IntegrityError, transaction

from reports import notifications, workflow
from reports.models import AnnualReport, StatusChange
from reports.workflow import WorkflowError
from tests.helpers import complete

S = AnnualReport.Status
A = StatusChange.Action


@pytest.fixture
def report(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


# A filing's whole life: each step is (action, who, keyword arguments, from, to, note).
LIFE = [
    (A.SUBMIT, "filer", {}, S.DRAFT, S.SUBMITTED, ""),
    (A.RETURN, "reviewer", {"reason": "请核对表三"}, S.SUBMITTED, S.DRAFT, "请核对表三"),
    (A.SUBMIT, "filer", {}, S.DRAFT, S.SUBMITTED, ""),
    (A.PASS, "reviewer", {"note": "无误"}, S.SUBMITTED, S.REVIEWED, "无误"),
    (A.RETURN, "head", {"reason": "请补充正文"}, S.REVIEWED, S.DRAFT, "请补充正文"),
    (A.SUBMIT, "filer", {}, S.DRAFT, S.SUBMITTED, ""),
    (A.PASS, "reviewer", {}, S.SUBMITTED, S.REVIEWED, ""),
    (A.SIGN, "head", {}, S.REVIEWED, S.APPROVED, ""),
    (A.PUBLISH, "coordinator", {}, S.APPROVED, S.PUBLISHED, ""),
    (A.REOPEN, "coordinator", {"reason": "表三录入有误"}, S.PUBLISHED, S.DRAFT, "表三录入有误"),
]


def test_the_actions_are_the_seven_moves_with_their_chinese_labels():
    labels = dict(A.choices)
    assert labels == {
        "submit": "提交审核",
        "pass": "审核通过",
        "return": "退回修改",
        "sign": "签发",
        "parent_pass": "主管部门审核通过",
        "publish": "公开",
        "reopen": "重新打开更正",
    }
    assert labels == workflow.ACTION_LABELS


def test_every_action_has_its_report_verb_its_transition_and_its_mail():
    assert set(workflow.ACTIONS) == set(workflow.TRANSITIONS) == set(A)
    assert {action: move.__name__ for action, move in workflow.ACTIONS.items()} == {
        action: f"report_{action.value}" for action in A
    }
    assert set(notifications.NEXT) == set(A.values)


def test_each_move_writes_one_status_change_and_schedules_one_mail(
    report, office, django_capture_on_commit_callbacks, monkeypatch
):
    mailed = []
    monkeypatch.setattr(
        notifications, "status_changed", lambda **kwargs: mailed.append(kwargs) or 0
    )
    for action, who, kwargs, was, to, note in LIFE:
        before = set(StatusChange.objects.values_list("id", flat=True))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            moved = workflow.ACTIONS[action](report=report, by=office[who], **kwargs)
        written = StatusChange.objects.exclude(id__in=before)
        assert written.count() == 1, action
        change = written.get()
        assert (change.report, change.action, change.from_status, change.to_status) == (
            report,
            action,
            was,
            to,
        )
        assert (change.actor, change.note) == (office[who], note)
        assert moved.status == to == workflow.TRANSITIONS[action][1]
        assert len(callbacks) == 1, action
        assert mailed[-1] == {"report_id": report.pk, "action": action}
    assert len(mailed) == len(LIFE)


def test_every_status_change_written_has_a_known_action(report, office):
    for action, who, kwargs, *_ in LIFE:
        workflow.ACTIONS[action](report=report, by=office[who], **kwargs)
    actions = list(StatusChange.objects.filter(report=report).values_list("action", flat=True))
    assert len(actions) == len(LIFE)
    assert set(actions) <= set(A.values)
    latest = StatusChange.objects.filter(report=report).first()
    assert latest.get_action_display() == "重新打开更正"


def test_the_database_refuses_an_unknown_action(report, office):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            report=report,
            from_status=S.DRAFT,
            to_status=S.SUBMITTED,
            action="approve",
            actor=office["filer"],
        )


@pytest.mark.parametrize(
    ("action", "who", "kwargs"),
    [
        (A.SUBMIT, "reviewer", {}),  # wrong role
        (A.PASS, "reviewer", {}),  # wrong state
        (A.RETURN, "reviewer", {"reason": " "}),  # no reason
        (A.REOPEN, "coordinator", {"reason": "更正"}),  # wrong state
    ],
)
def test_a_refused_move_writes_nothing_and_mails_nobody(
    report, office, django_capture_on_commit_callbacks, action, who, kwargs
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(WorkflowError):
        workflow.ACTIONS[action](report=report, by=office[who], **kwargs)
    assert callbacks == []
    assert not StatusChange.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert (report.status, report.submitted_by) == (S.DRAFT, None)


def test_a_refusal_after_the_lock_leaves_the_signatures_as_they_were(
    report, office, django_capture_on_commit_callbacks
):
    report = workflow.report_submit(report=report, by=office["filer"])
    refusal = "只有历史补录的报告可以按原件日期签署"
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(WorkflowError, match=refusal),
    ):
        workflow.report_pass(report=report, by=office["reviewer"], when=report.submitted_at)
    assert callbacks == []
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.reviewed_at) == (S.SUBMITTED, None, None)
    assert StatusChange.objects.filter(report=report).count() == 1
