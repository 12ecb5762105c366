"""The approval workflow: the only code that changes a filing's status.

    draft ──submit──▶ submitted ──pass──▶ reviewed ──sign──▶ approved ──publish──▶ published
      ▲                  │                    │                                     │
      └──────return (reason required)─────────┘                                     │
      └──────────────────────────── reopen for correction (coordinator, reason) ────┘

Each public `report_<verb>` locks the filing's row, checks role, agency,
state and separation of duties, writes one StatusChange, changes the status
and, after commit, mails the next people to act. Every refusal is a
WorkflowError with a Chinese message a person can act on.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reports import notifications, selectors
from reports.access import access_for
from reports.filing_data import filing_data, person_name
from reports.models import (
    AnnualReport,
    Membership,
    PublishedRevision,
    ReviewComment,
    StatusChange,
)
from reports.validation import errors, warnings

S = AnnualReport.Status
Role = Membership.Role

TRANSITIONS = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "pass": ({S.SUBMITTED}, S.REVIEWED),
    "return": ({S.SUBMITTED, S.REVIEWED}, S.DRAFT),
    "sign": ({S.REVIEWED}, S.APPROVED),
    "publish": ({S.APPROVED}, S.PUBLISHED),
    "reopen": ({S.PUBLISHED}, S.DRAFT),
}
ACTION_LABELS = {
    "submit": "提交审核",
    "pass": "审核通过",
    "return": "退回修改",
    "sign": "签发",
    "publish": "公开",
    "reopen": "重新打开更正",
}
# Who may take each action in the filing's agency ("return" depends on the state).
ACTION_ROLES = {
    "submit": {Role.FILER},
    "pass": {Role.REVIEWER},
    "sign": {Role.HEAD},
    "publish": {Role.HEAD, Role.COORDINATOR},
    "reopen": {Role.COORDINATOR},
}
RETURN_ROLES = {S.SUBMITTED: {Role.REVIEWER}, S.REVIEWED: {Role.HEAD}}


class WorkflowError(Exception):
    """A move that is not allowed; str() is the Chinese reason."""


def finding_key(finding) -> str:
    """A stable key for a finding, under which the filer's explanation is kept."""
    return f"{finding.rule_id}|{','.join(finding.cells)}"


def roles_for(action: str, status: str) -> set[str]:
    if action == "return":
        return RETURN_ROLES.get(status, set())
    return ACTION_ROLES[action]


def has_action_role(user, report: AnnualReport, action: str) -> bool:
    access = access_for(user)
    if access.is_superuser:
        return True
    roles = roles_for(action, report.status)
    if Role.COORDINATOR in roles and access.can_manage_agency(report.agency_id):
        return True
    return any(access.has_role(report.agency_id, role) for role in roles - {Role.COORDINATOR})


def allowed_actions(user, report: AnnualReport) -> list[str]:
    """The actions `user` may try on `report` now (the page shows these as buttons)."""
    return [
        action
        for action, (sources, _) in TRANSITIONS.items()
        if report.status in sources and has_action_role(user, report, action)
    ]


def _ensure(report: AnnualReport, action: str, by) -> None:
    sources, _ = TRANSITIONS[action]
    if report.status not in sources:
        last = report.status_changes.select_related("actor").first()
        who = (
            f"（{person_name(last.actor)}于{timezone.localtime(last.at):%Y-%m-%d %H:%M}已操作）"
            if last
            else ""
        )
        raise WorkflowError(
            f"未执行“{ACTION_LABELS[action]}”：该报告当前状态为“{report.get_status_display()}”{who}，"
            "请刷新页面查看最新状态。"
        )
    if not access_for(by).can_see_agency(report.agency_id) or not has_action_role(
        by, report, action
    ):
        needed = "、".join(Role(role).label for role in roles_for(action, report.status))
        raise WorkflowError(f"您不是该单位的{needed}，不能执行“{ACTION_LABELS[action]}”。")


def _signed_at(report: AnnualReport, when) -> datetime.datetime:
    """Now; or, for a 历史补录 filing, the date printed on the original document.

    The StatusChange rows still record when the move was really made.
    """
    if when is None:
        return timezone.now()
    if not report.period.is_historical:
        raise WorkflowError("只有历史补录的报告可以按原件日期签署。")
    return when


def _duties(by, earlier_signer, message: str) -> None:
    """Separation of duties (settings.PORTAL_SEPARATION_OF_DUTIES, on by default)."""
    same_person = earlier_signer is not None and earlier_signer.pk == by.pk
    if settings.PORTAL_SEPARATION_OF_DUTIES and same_person:
        raise WorkflowError(message)


@transaction.atomic
def _move(*, report: AnnualReport, action: str, by, note: str = "", check=None) -> AnnualReport:
    # Lock the row: two reviewers may press 通过 at the same moment; the second waits,
    # then finds the status moved and gets a clear message.
    report = (
        AnnualReport.objects.select_related("agency", "period")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )
    _ensure(report, action, by)
    if check:
        check(report)
    _, target = TRANSITIONS[action]
    StatusChange.objects.create(
        report=report,
        from_status=report.status,
        to_status=target,
        action=action,
        actor=by,
        note=note,
    )
    report.status = target
    report.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: notifications.status_changed(report_id=report.pk, action=action))
    return report


def report_submit(
    *, report: AnnualReport, by, explanations: dict[str, str] | None = None, when=None
) -> AnnualReport:
    """填报人 submits for review.

    Refused while validation errors remain (in a 历史补录 period, errors
    need an explanation instead); every warning needs a short explanation,
    which the reviewer sees. Side effects: StatusChange; signature 填报人;
    mail to the agency's reviewers.
    """
    explanations = {k: v.strip() for k, v in (explanations or {}).items() if v and v.strip()}

    def check(locked):
        values, _ = selectors.report_values(locked)
        findings = selectors.report_findings(locked, values, require_complete=True)
        blocking = errors(findings)
        must_explain = warnings(findings)
        if locked.period.is_historical:
            must_explain, blocking = must_explain + blocking, []
        if blocking:
            listed = "；".join(f.message for f in blocking[:5])
            more = f"等{len(blocking)}项" if len(blocking) > 5 else ""
            raise WorkflowError(f"不能提交：还有{len(blocking)}项错误须改正（{listed}{more}）。")
        missing = [f for f in must_explain if finding_key(f) not in explanations]
        if missing:
            raise WorkflowError(
                f"不能提交：还有{len(missing)}项提示未说明（如：{missing[0].message}）。"
                "请在每项提示下填写简要说明。"
            )
        locked.warning_explanations = {
            finding_key(f): explanations[finding_key(f)] for f in must_explain
        }
        locked.submitted_by, locked.submitted_at = by, _signed_at(locked, when)
        locked.save(update_fields=["warning_explanations", "submitted_by", "submitted_at"])

    return _move(report=report, action="submit", by=by, check=check)


def report_pass(*, report: AnnualReport, by, note: str = "", when=None) -> AnnualReport:
    """审核人 passes the filing. Side effects: StatusChange; signature 审核人; mail to heads."""

    def check(locked):
        _duties(by, locked.submitted_by, "不能审核自己提交的报告，请由其他审核人审核。")
        locked.reviewed_by, locked.reviewed_at = by, _signed_at(locked, when)
        locked.save(update_fields=["reviewed_by", "reviewed_at"])

    return _move(report=report, action="pass", by=by, note=note, check=check)


def report_return(
    *, report: AnnualReport, by, reason: str, targets: list[str] | None = None
) -> AnnualReport:
    """审核人 (or 单位负责人 before signing) returns the filing for changes, with a reason.

    Side effects: StatusChange; a ReviewComment the filer ticks off; the
    filing becomes editable; the review signature is cleared; mail to filers.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("退回修改须填写理由。")
    targets = list(dict.fromkeys(t.strip() for t in targets or [] if t.strip()))

    def check(locked):
        parts = {code for code, _ in selectors.review_targets(locked)}
        unknown = [
            t
            for t in targets
            if t not in parts
            and not locked.format.has_cell(t)
            and not (t.startswith("w") and ":" in t)
        ]
        if unknown:
            raise WorkflowError(
                f"未知的单元格代码：{'、'.join(unknown)}（如 t3-r1-c7，见统计表页面）。"
            )
        ReviewComment.objects.create(report=locked, author=by, body=reason, targets=targets)
        locked.reviewed_by = locked.reviewed_at = None
        locked.save(update_fields=["reviewed_by", "reviewed_at"])

    return _move(report=report, action="return", by=by, note=reason, check=check)


def report_sign(*, report: AnnualReport, by, when=None) -> AnnualReport:
    """单位负责人 signs: the filing is approved and stays locked. Mail to publishers."""

    def check(locked):
        _duties(by, locked.reviewed_by, "不能签发自己审核通过的报告，请由其他负责人签发。")
        locked.approved_by, locked.approved_at = by, _signed_at(locked, when)
        locked.save(update_fields=["approved_by", "approved_at"])

    return _move(report=report, action="sign", by=by, check=check)


def report_publish(
    *, report: AnnualReport, by, at: datetime.datetime | None = None
) -> AnnualReport:
    """Publish now, or at `at` (the public sees a revision from its `published_at` on).

    A 历史补录 filing may give its original, past publication date.

    Side effects: StatusChange; a PublishedRevision holding the filing as it is
    now (FilingData), with the 更正说明 when it corrects an earlier revision.
    """
    now = timezone.now()

    def check(locked):
        in_past = at is not None and at < now - datetime.timedelta(minutes=5)
        if in_past and not locked.period.is_historical:
            raise WorkflowError("定时公开的时间不能早于现在。")
        data = filing_data(locked)
        data.status, data.published_at = S.PUBLISHED, at or now
        PublishedRevision.objects.create(
            report=locked,
            number=locked.revision,
            published_at=at or now,
            published_by=by,
            correction_note=locked.correction_reason,
            snapshot=data.to_json(),
        )

    note = f"公开时间：{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""
    return _move(report=report, action="publish", by=by, note=note, check=check)


def report_reopen(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    """主管部门 reopens a published filing for a correction (更正), with a reason.

    The published revision stays readable until the corrected one is
    published, which then carries the reason as its 更正说明.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("重新打开更正须填写更正原因。")

    def check(locked):
        locked.revision += 1
        locked.correction_reason = reason
        locked.submitted_by = locked.reviewed_by = locked.approved_by = None
        locked.submitted_at = locked.reviewed_at = locked.approved_at = None
        locked.save(
            update_fields=[
                "revision",
                "correction_reason",
                "submitted_by",
                "reviewed_by",
                "approved_by",
                "submitted_at",
                "reviewed_at",
                "approved_at",
            ]
        )

    return _move(report=report, action="reopen", by=by, note=reason, check=check)


ACTIONS = {
    "submit": report_submit,
    "pass": report_pass,
    "return": report_return,
    "sign": report_sign,
    "publish": report_publish,
    "reopen": report_reopen,
}
