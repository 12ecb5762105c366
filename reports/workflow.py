"""The approval workflow: the only code that changes a filing's status.

    draft ──submit──▶ submitted ──pass──▶ reviewed ──sign──▶ approved ──publish──▶ published
      ▲                  │                    │                                     │
      └──────return (reason required)─────────┘                                     │
      └──────────────────────────── reopen for correction (coordinator, reason) ────┘

In a period with 主管部门审核 (`ReportingPeriod.parent_review`), signing leads instead to
parent_review, where a coordinator of an agency above the filing's (`Access.coordinates_above`)
passes it on to approved (parent_pass) or returns it to the filer, like the 审核人. An agency
without a parent has nobody above it: its filings go from sign to approved as before.

One public `report_<verb>` per move, each in one transaction and in the same
four steps, written out in the function itself:

1. guard  — lock the filing's row (`_locked`), then check state, role and
            agency (`_guard`, through `reports.access`), separation of duties
            (`_duties`) and, where it applies, validation;
2. change — the status and the signatures (plus the review comment of a
            return, or the revision the public reads on publication);
3. log    — one StatusChange row (`_log`);
4. notify — after commit, mail the next people to act (`_notify`).

Every refusal is a WorkflowError with a Chinese message a person can act on,
raised before anything is written.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reports import notifications, public_index, publication, selectors
from reports.access import access_for
from reports.filing_data import person_name
from reports.models import (
    AnnualReport,
    Membership,
    PublishedRevision,
    ReportingPeriod,
    ReviewComment,
    StatusChange,
)
from reports.validation import errors, warnings

S = AnnualReport.Status
A = StatusChange.Action
Role = Membership.Role

# Each move: the states it starts from, and the state it leads to.
TRANSITIONS = {
    A.SUBMIT: ({S.DRAFT}, S.SUBMITTED),
    A.PASS: ({S.SUBMITTED}, S.REVIEWED),
    A.RETURN: ({S.SUBMITTED, S.REVIEWED, S.PARENT_REVIEW}, S.DRAFT),
    A.SIGN: ({S.REVIEWED}, S.APPROVED),
    A.PARENT_PASS: ({S.PARENT_REVIEW}, S.APPROVED),
    A.PUBLISH: ({S.APPROVED}, S.PUBLISHED),
    A.REOPEN: ({S.PUBLISHED}, S.DRAFT),
}
# Where a move leads instead when the filing's period has 主管部门审核 (`needs_parent_review`).
UNDER_PARENT_REVIEW = {A.SIGN: S.PARENT_REVIEW}
# What buttons and messages call each move: StatusChange.Action's labels.
ACTION_LABELS = {action: action.label for action in A}
# Who may take each action in the filing's agency ("return" depends on the state). The moves of
# 主管部门审核 (`is_parent_move`) name the coordinator of an agency above the filing's.
ACTION_ROLES = {
    A.SUBMIT: {Role.FILER},
    A.PASS: {Role.REVIEWER},
    A.SIGN: {Role.HEAD},
    A.PARENT_PASS: {Role.COORDINATOR},
    A.PUBLISH: {Role.HEAD, Role.COORDINATOR},
    A.REOPEN: {Role.COORDINATOR},
}
RETURN_ROLES = {
    S.SUBMITTED: {Role.REVIEWER},
    S.REVIEWED: {Role.HEAD},
    S.PARENT_REVIEW: {Role.COORDINATOR},
}


class WorkflowError(Exception):
    """A move that is not allowed; str() is the Chinese reason."""


def finding_key(finding) -> str:
    """A stable key for a finding, under which the filer's explanation is kept."""
    return f"{finding.rule_id}|{','.join(finding.cells)}"


def roles_for(action: str, status: str) -> set[str]:
    """The roles that may take `action` on a filing in `status`."""
    if action == A.RETURN:
        return RETURN_ROLES.get(status, set())
    return ACTION_ROLES[action]


def is_parent_move(action: str, status: str) -> bool:
    """Whether `action` on a filing in `status` is 主管部门审核 (pass, or return from it)."""
    return action == A.PARENT_PASS or (action == A.RETURN and status == S.PARENT_REVIEW)


def needs_parent_review(report: AnnualReport) -> bool:
    """Whether signing `report` leads to 主管部门审核: its period asks for it, and there is an
    agency above the filing's to review it."""
    return report.period.parent_review and report.agency.parent_id is not None


def has_action_role(user, report: AnnualReport, action: str) -> bool:
    access = access_for(user)
    if is_parent_move(action, report.status):
        return access.coordinates_above(report.agency)
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


# --- the steps every move shares -----------------------------------------------------------


def _locked(report: AnnualReport) -> AnnualReport:
    """The filing's row, locked until the transaction ends, read afresh.

    Two reviewers may press 通过 at the same moment: the second waits here, then
    finds the status moved and gets a clear message from `_guard`.
    """
    return (
        AnnualReport.objects.select_related("agency", "period")
        .select_for_update(of=("self",))
        .get(pk=report.pk)
    )


def _guard(report: AnnualReport, action: StatusChange.Action, by) -> None:
    """Refuse `action` unless the filing is in a state it starts from and `by` holds
    the role for it in the filing's agency (superusers always do)."""
    sources, _ = TRANSITIONS[action]
    if report.status not in sources:
        last = report.status_changes.select_related("actor").first()
        who = (
            f"（{person_name(last.actor)}于{timezone.localtime(last.at):%Y-%m-%d %H:%M}已操作）"
            if last
            else ""
        )
        raise WorkflowError(
            f"未执行“{action.label}”：该报告当前状态为“{report.get_status_display()}”{who}，"
            "请刷新页面查看最新状态。"
        )
    if is_parent_move(action, report.status):
        if not has_action_role(by, report, action):
            raise WorkflowError(
                f"您不是该单位的上级主管部门（「{report.agency.name}」的上级单位的主管部门），"
                f"不能执行“{action.label}”。"
            )
        return
    if not access_for(by).can_see_agency(report.agency_id) or not has_action_role(
        by, report, action
    ):
        needed = "、".join(Role(role).label for role in roles_for(action, report.status))
        raise WorkflowError(f"您不是该单位的{needed}，不能执行“{action.label}”。")


def _duties(by, earlier_signer_id: int | None, message: str) -> None:
    """Separation of duties (settings.PORTAL_SEPARATION_OF_DUTIES, on by default)."""
    same_person = earlier_signer_id is not None and earlier_signer_id == by.pk
    if settings.PORTAL_SEPARATION_OF_DUTIES and same_person:
        raise WorkflowError(message)


def _signed_at(report: AnnualReport, when) -> datetime.datetime:
    """Now; or, for a 历史补录 filing, the date printed on the original document.

    The StatusChange rows still record when the move was really made.
    """
    if when is None:
        return timezone.now()
    if not report.period.is_historical:
        raise WorkflowError("只有历史补录的报告可以按原件日期签署。")
    return when


def _log(
    report: AnnualReport, action: StatusChange.Action, *, was: str, by, note: str = ""
) -> StatusChange:
    """The audit row of the move just made: from `was` to the filing's status now."""
    return StatusChange.objects.create(
        report=report,
        from_status=was,
        to_status=report.status,
        action=action,
        actor=by,
        note=note,
    )


def _notify(report: AnnualReport, action: StatusChange.Action) -> None:
    """Mail the next people to act once the move is committed (nothing if it rolls back)."""
    transaction.on_commit(lambda: notifications.status_changed(report_id=report.pk, action=action))


# --- the moves -------------------------------------------------------------------------------


@transaction.atomic
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
    report = _locked(report)
    _guard(report, A.SUBMIT, by)
    kept = _explanations_for_submission(report, explanations)
    signed_at = _signed_at(report, when)

    was = report.status
    report.status = S.SUBMITTED
    report.warning_explanations = kept
    report.submitted_by, report.submitted_at = by, signed_at
    report.save(
        update_fields=[
            "status",
            "warning_explanations",
            "submitted_by",
            "submitted_at",
            "updated_at",
        ]
    )
    _log(report, A.SUBMIT, was=was, by=by)
    _notify(report, A.SUBMIT)
    return report


def _explanations_for_submission(
    report: AnnualReport, explanations: dict[str, str]
) -> dict[str, str]:
    """Validate the filing for submission; return the explanations to keep, by finding_key.

    Refused while errors remain (in a 历史补录 period errors are explained
    like warnings instead) or while any warning lacks an explanation.
    """
    findings = selectors.report_findings(report)
    blocking = errors(findings)
    must_explain = warnings(findings)
    if report.period.is_historical:
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
    return {finding_key(f): explanations[finding_key(f)] for f in must_explain}


@transaction.atomic
def report_pass(*, report: AnnualReport, by, note: str = "", when=None) -> AnnualReport:
    """审核人 passes the filing. Side effects: StatusChange; signature 审核人; mail to heads."""
    report = _locked(report)
    _guard(report, A.PASS, by)
    _duties(by, report.submitted_by_id, "不能审核自己提交的报告，请由其他审核人审核。")
    signed_at = _signed_at(report, when)

    was = report.status
    report.status = S.REVIEWED
    report.reviewed_by, report.reviewed_at = by, signed_at
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    _log(report, A.PASS, was=was, by=by, note=note)
    _notify(report, A.PASS)
    return report


@transaction.atomic
def report_return(
    *, report: AnnualReport, by, reason: str, targets: list[str] | None = None
) -> AnnualReport:
    """审核人 (or 单位负责人 before signing, or the 主管部门 above in 主管部门审核) returns
    the filing for changes, with a reason.

    Side effects: StatusChange; a ReviewComment the filer ticks off; the
    filing becomes editable; the review signature is cleared (and the head's, when the
    主管部门 returns a signed filing); mail to filers.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("退回修改须填写理由。")
    targets = list(dict.fromkeys(t.strip() for t in targets or [] if t.strip()))
    report = _locked(report)
    _guard(report, A.RETURN, by)
    _check_targets(report, targets)

    was = report.status
    report.status = S.DRAFT
    report.reviewed_by = report.reviewed_at = None
    # Signed, then returned by the 主管部门: the head signs again what comes back.
    report.approved_by = report.approved_at = None
    report.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "approved_by",
            "approved_at",
            "updated_at",
        ]
    )
    ReviewComment.objects.create(report=report, author=by, body=reason, targets=targets)
    _log(report, A.RETURN, was=was, by=by, note=reason)
    _notify(report, A.RETURN)
    return report


def _check_targets(report: AnnualReport, targets: list[str]) -> None:
    """Refuse a return pinned to anything but what `selectors.review_target_labels` offers:
    a part of the filing, a row, a cell, a website-form field, a section of the 正文."""
    known = selectors.review_target_labels(report)
    unknown = [t for t in targets if t not in known]
    if unknown:
        raise WorkflowError(
            f"未知的单元格代码：{'、'.join(unknown)}。"
            "请在流转页下方的报告中点击涉及的单元格、行、网站报表栏目或正文部分，无需输入代码。"
        )


@transaction.atomic
def report_sign(*, report: AnnualReport, by, when=None) -> AnnualReport:
    """单位负责人 signs: the filing is approved and stays locked; in a period with
    主管部门审核 (`needs_parent_review`) it then waits for the 主管部门 above.

    Side effects: StatusChange; signature 单位负责人; mail to heads and coordinators (in
    主管部门审核: to the coordinators above).
    """
    report = _locked(report)
    _guard(report, A.SIGN, by)
    _duties(by, report.reviewed_by_id, "不能签发自己审核通过的报告，请由其他负责人签发。")
    signed_at = _signed_at(report, when)

    was = report.status
    report.status = UNDER_PARENT_REVIEW[A.SIGN] if needs_parent_review(report) else S.APPROVED
    report.approved_by, report.approved_at = by, signed_at
    report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _log(report, A.SIGN, was=was, by=by)
    _notify(report, A.SIGN)
    return report


@transaction.atomic
def report_parent_pass(*, report: AnnualReport, by, note: str = "") -> AnnualReport:
    """主管部门审核: a coordinator of an agency above passes the signed filing; it may then be
    published. Nobody who signed it (填报人, 审核人, 单位负责人) nor compiled its tables
    (`Compilation`) may pass it, while separation of duties is on.

    Side effects: StatusChange (who passed it, with the note); mail to the agency's heads and
    the coordinators, who publish.
    """
    report = _locked(report)
    _guard(report, A.PARENT_PASS, by)
    for signer in (report.submitted_by_id, report.reviewed_by_id, report.approved_by_id):
        _duties(by, signer, "不能以主管部门身份审核自己签署过的报告，请由其他主管部门人员审核。")
    compiler = report.compilations.values_list("compiled_by_id", flat=True).first()
    _duties(by, compiler, "不能审核自己汇总生成的报告，请由其他主管部门人员审核。")

    was = report.status
    report.status = S.APPROVED
    report.save(update_fields=["status", "updated_at"])
    _log(report, A.PARENT_PASS, was=was, by=by, note=note)
    _notify(report, A.PARENT_PASS)
    return report


@transaction.atomic
def report_publish(
    *, report: AnnualReport, by, at: datetime.datetime | None = None
) -> AnnualReport:
    """Publish now, or at `at` (the public sees a revision from its `published_at` on).

    A 历史补录 filing may give its original, past publication date.

    Side effects: StatusChange; a PublishedRevision holding the filing as it is
    now (FilingData), with the 更正说明 when it corrects an earlier revision;
    mail to the agency's filers, reviewers and heads.
    """
    now = timezone.now()
    report = _locked(report)
    _guard(report, A.PUBLISH, by)
    in_past = at is not None and at < now - datetime.timedelta(minutes=5)
    if in_past and not report.period.is_historical:
        raise WorkflowError("定时公开的时间不能早于现在。")

    # Freeze the filing as it is now: the public reads this copy, never the live rows.
    data = selectors.filing_data(report)
    data.status, data.published_at = S.PUBLISHED, at or now
    _freeze(report, data.to_json(), published_at=at or now, by=by)
    was = report.status
    report.status = S.PUBLISHED
    report.save(update_fields=["status", "updated_at"])
    note = f"公开时间：{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else ""
    _log(report, A.PUBLISH, was=was, by=by, note=note)
    _notify(report, A.PUBLISH)
    return report


def _freeze(report: AnnualReport, snapshot: dict, *, published_at, by) -> PublishedRevision:
    """Write the published revision, hashed and chained (`reports.publication`).

    The year's period row is locked first: two publications of the same year at the same
    moment would otherwise both chain to the same predecessor.
    """
    ReportingPeriod.objects.select_for_update().get(pk=report.period_id)
    previous = report.revisions.order_by("-number").values_list("sha256", flat=True).first()
    year_previous = (
        PublishedRevision.objects.filter(report__period_id=report.period_id)
        .order_by("-id")
        .values_list("sha256", flat=True)
        .first()
    )
    revision = PublishedRevision(
        report=report,
        number=report.revision,
        published_at=published_at,
        published_by=by,
        correction_note=report.correction_reason,
        snapshot=snapshot,
        previous_sha256=previous or "",
        year_previous_sha256=year_previous or "",
    )
    revision.sha256 = publication.content_hash(
        report_id=report.pk,
        agency_slug=report.agency.slug,
        year=report.period.year,
        number=revision.number,
        published_at=published_at,
        correction_note=revision.correction_note,
        snapshot=snapshot,
        previous_sha256=revision.previous_sha256,
        year_previous_sha256=revision.year_previous_sha256,
    )
    revision.save(force_insert=True)
    public_index.record(revision)  # what the public lists and sums, in the same transaction
    return revision


@transaction.atomic
def report_reopen(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    """主管部门 reopens a published filing for a correction (更正), with a reason.

    The published revision stays readable until the corrected one is
    published, which then carries the reason as its 更正说明.

    Side effects: StatusChange; the next revision number; all three
    signatures cleared; mail to the agency's filers.
    """
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("重新打开更正须填写更正原因。")
    report = _locked(report)
    _guard(report, A.REOPEN, by)

    was = report.status
    report.status = S.DRAFT
    report.revision += 1
    report.correction_reason = reason
    report.submitted_by = report.reviewed_by = report.approved_by = None
    report.submitted_at = report.reviewed_at = report.approved_at = None
    report.save(
        update_fields=[
            "status",
            "revision",
            "correction_reason",
            "submitted_by",
            "reviewed_by",
            "approved_by",
            "submitted_at",
            "reviewed_at",
            "approved_at",
            "updated_at",
        ]
    )
    _log(report, A.REOPEN, was=was, by=by, note=reason)
    _notify(report, A.REOPEN)
    return report


# The move behind each action name (the 流转 page posts the name of the button pressed).
ACTIONS = {
    A.SUBMIT: report_submit,
    A.PASS: report_pass,
    A.RETURN: report_return,
    A.SIGN: report_sign,
    A.PARENT_PASS: report_parent_pass,
    A.PUBLISH: report_publish,
    A.REOPEN: report_reopen,
}
