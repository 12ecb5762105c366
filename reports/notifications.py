"""Tell the people who act next: an in-app notification for each, and a mail to those with an
address. Sent after commit; a failure here never undoes a move.

The reads (the unread count in the admin's header, the notifications page) are in
`reports.todo`; the writes are here: the notifications themselves, and marking them read.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import DatabaseError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reports.models import Agency, AnnualReport, Membership, Notification, ReportingPeriod

log = logging.getLogger(__name__)
Role = Membership.Role

# After each action: which roles of the agency hear about it, and what they are asked to do.
NEXT = {
    "submit": ({Role.REVIEWER}, "已提交，请审核"),
    "pass": ({Role.HEAD}, "已审核通过，请签发"),
    "return": ({Role.FILER}, "被退回修改，请按审核意见修改后重新提交"),
    "sign": ({Role.HEAD, Role.COORDINATOR}, "已签发，可以公开"),
    "parent_pass": ({Role.HEAD, Role.COORDINATOR}, "已通过主管部门审核，可以公开"),
    "publish": ({Role.FILER, Role.REVIEWER, Role.HEAD}, "已公开"),
    "reopen": ({Role.FILER}, "已重新打开更正，请修改后重新提交"),
}
# 主管部门审核 (a period's `parent_review`): signing asks the coordinators above — only them,
# not the agency's own coordinators — and their return tells all who signed.
TO_PARENT = ({Role.COORDINATOR}, "已签发，请主管部门审核")
PARENT_RETURNED = (
    {Role.FILER, Role.REVIEWER, Role.HEAD},
    "被主管部门退回修改，请按审核意见修改后重新提交",
)


def next_people(report: AnnualReport, action: str) -> tuple[set[str], str, bool]:
    """(roles, what they are told, only the coordinators above?) after `action` on `report`,
    read as it is now (one query after a return, for the state it was returned from)."""
    if action == "sign" and report.status == AnnualReport.Status.PARENT_REVIEW:
        return (*TO_PARENT, True)
    if action == "return":
        last = report.status_changes.values_list("from_status", flat=True).first()
        if last == AnnualReport.Status.PARENT_REVIEW:
            return (*PARENT_RETURNED, False)
    return (*NEXT[action], False)


def recipient_users(report: AnnualReport, roles: set[str], *, above_only: bool = False):
    """Active accounts holding `roles` in the filing's agency, with or without an e-mail
    address; coordinators also of the agencies above it (they coordinate the whole subtree).
    With `above_only`, only those coordinators above."""
    ancestors = []
    parent = report.agency.parent
    while parent is not None and Role.COORDINATOR in roles:
        ancestors.append(parent.pk)
        parent = parent.parent
    users = get_user_model().objects.filter(is_active=True).distinct().order_by("pk")
    above = Q(memberships__agency_id__in=ancestors, memberships__role=Role.COORDINATOR)
    if above_only:
        return users.filter(above) if ancestors else users.none()
    wanted = Q(memberships__agency_id=report.agency_id, memberships__role__in=roles)
    if ancestors:
        wanted |= above
    return users.filter(wanted)


def recipients(report: AnnualReport, roles: set[str]) -> list[str]:
    """The e-mail addresses of `recipient_users` that have one, each once."""
    users = recipient_users(report, roles).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def link(report: AnnualReport) -> str:
    path = reverse("admin:reports_annualreport_workflow", args=[report.pk])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def status_changed(*, report_id: int, action: str) -> int:
    """Tell the next roles after `action`; returns how many mails were sent.

    Side effects: one Notification per recipient (accounts without an e-mail address
    included, so nobody is left untold), then one mail per address.
    """
    report = AnnualReport.objects.select_related("agency__parent", "period").get(pk=report_id)
    roles, what, above_only = next_people(report, action)
    users = list(recipient_users(report, roles, above_only=above_only))
    message = f"{report.title}{what}"
    try:
        Notification.objects.bulk_create(
            Notification(recipient=user, report=report, action=action, message=message)
            for user in users
        )
    except DatabaseError:  # the move is committed; still try the mails
        log.exception("could not write in-app notifications for report %s", report_id)
    to = sorted({user.email for user in users if user.email})
    if not to:
        return 0
    subject = f"【政务公开年报】{message}"
    body = f"{message}。\n\n当前状态：{report.get_status_display()}\n办理地址：{link(report)}\n"
    try:
        return send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
        )
    except (
        Exception
    ):  # the move is committed; a mail server hiccup must not turn it into an error page
        log.exception("could not send workflow mail for report %s", report_id)
        return 0


def notification_open(*, notification_id: int, user) -> Notification:
    """`user`'s notification, marked read the first time it is opened.

    Raises Notification.DoesNotExist for a notification of anyone else.
    """
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        now = timezone.now()
        # Only an unread row: opened in two tabs at once, the first opening's time stays.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


# --- reminders before the due date (remind_due) ----------------------------------------------

S = AnnualReport.Status
# Whose turn it is, by the filing's state (None: no filing yet), and what they are reminded of.
# (roles, only the coordinators above?, the state, what they are asked to do)
REMIND = {
    None: ({Role.FILER}, False, "尚未提交", "请尽快填报并提交审核"),
    S.DRAFT: ({Role.FILER}, False, "尚未提交", "请尽快填报并提交审核"),
    S.SUBMITTED: ({Role.REVIEWER}, False, "待审核", "请尽快审核"),
    S.REVIEWED: ({Role.HEAD}, False, "待签发", "请尽快签发"),
    S.PARENT_REVIEW: ({Role.COORDINATOR}, True, "待主管部门审核", "请尽快审核"),
    S.APPROVED: ({Role.HEAD, Role.COORDINATOR}, False, "已签发，尚未公开", "请按时公开"),
}


@dataclass(frozen=True)
class Reminder:
    """One agency whose filing is due within the window and not yet published."""

    agency: Agency
    year: int
    due: datetime.date
    left: int  # days until the due date
    state: str
    ask: str
    to: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"


def due_reminders(*, today: datetime.date, days: int) -> tuple[list[Reminder], list[tuple]]:
    """(each agency of an open period due within `days` of `today` whose filing is not yet
    published, with whoever's turn it is; one digest per coordinator, listing those of their
    subtree) — so every level's people hear of what waits for them. Four queries, whatever the
    number of agencies. The digests are (address, reminders) pairs."""
    agencies = {a.pk: a for a in Agency.objects.all()}
    holders = defaultdict(set)  # (agency id, role) → addresses
    for agency_id, role, email in (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("agency_id", "role", "user__email")
    ):
        holders[agency_id, role].add(email)

    def above(agency: Agency) -> list[int]:
        found, current = [], agencies.get(agency.parent_id)
        while current is not None:
            found.append(current.pk)
            current = agencies.get(current.parent_id)
        return found

    found = []
    for period in ReportingPeriod.objects.filter(is_open=True).order_by("year"):
        reports = {r.agency_id: r for r in AnnualReport.objects.filter(period=period)}
        for agency in sorted(agencies.values(), key=lambda a: a.name):
            due = period.due_for(agency)
            report = reports.get(agency.pk)
            status = report.status if report else None
            if status == S.PUBLISHED or not today <= due <= today + datetime.timedelta(days=days):
                continue
            roles, only_above, state, ask = REMIND[status]
            to = set()
            if not only_above:
                for role in roles:
                    to |= holders[agency.pk, role]
            if Role.COORDINATOR in roles:
                for pk in above(agency):
                    to |= holders[pk, Role.COORDINATOR]
            left = (due - today).days
            found.append(Reminder(agency, period.year, due, left, state, ask, tuple(sorted(to))))
    digests = defaultdict(list)
    for reminder in found:
        for pk in [reminder.agency.pk, *above(reminder.agency)]:
            for address in holders[pk, Role.COORDINATOR]:
                digests[address].append(reminder)
    return found, sorted(digests.items())


def reminder_mails(reminders: list[Reminder], digests: list[tuple]) -> list[tuple]:
    """The mails of `due_reminders`, as `send_mass_mail` takes them."""
    mails = []
    for r in reminders:
        subject = f"【政务公开年报】{r.title}将于{r.due:%Y年%m月%d日}截止，{r.state}"
        body = f"{r.title}{r.state}，距截止日期还有{r.left}天，{r.ask}。\n"
        mails += [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in r.to]
    for address, listed in digests:
        lines = "\n".join(
            f"· {r.agency.name}：{r.state}（{r.due:%m月%d日}截止，还剩{r.left}天）" for r in listed
        )
        subject = f"【政务公开年报】所辖{len(listed)}个单位的年度报告临近截止尚未公开"
        body = f"以下单位的年度报告临近截止日期，尚未公开：\n{lines}\n"
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return mails
