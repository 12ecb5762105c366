"""Tell the people who act next: an in-app notification for each, and a mail to those with an
address. Sent after commit; a failure here never undoes a move.

The reads (the unread count in the admin's header, the notifications page) are in
`reports.todo`; the writes are here: the notifications themselves, and marking them read.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import DatabaseError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reports.models import AnnualReport, Membership, Notification

log = logging.getLogger(__name__)
Role = Membership.Role

# After each action: which roles of the agency hear about it, and what they are asked to do.
NEXT = {
    "submit": ({Role.REVIEWER}, "已提交，请审核"),
    "pass": ({Role.HEAD}, "已审核通过，请签发"),
    "return": ({Role.FILER}, "被退回修改，请按审核意见修改后重新提交"),
    "sign": ({Role.HEAD, Role.COORDINATOR}, "已签发，可以公开"),
    "publish": ({Role.FILER, Role.REVIEWER, Role.HEAD}, "已公开"),
    "reopen": ({Role.FILER}, "已重新打开更正，请修改后重新提交"),
}


def recipient_users(report: AnnualReport, roles: set[str]):
    """Active accounts holding `roles` in the filing's agency, with or without an e-mail
    address; coordinators also of the agencies above it (they coordinate the whole subtree)."""
    ancestors = []
    parent = report.agency.parent
    while parent is not None and Role.COORDINATOR in roles:
        ancestors.append(parent.pk)
        parent = parent.parent
    wanted = Q(memberships__agency_id=report.agency_id, memberships__role__in=roles)
    if ancestors:
        wanted |= Q(memberships__agency_id__in=ancestors, memberships__role=Role.COORDINATOR)
    return get_user_model().objects.filter(wanted, is_active=True).distinct().order_by("pk")


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
    roles, what = NEXT[action]
    users = list(recipient_users(report, roles))
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
