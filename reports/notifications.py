"""Mail to the people who act next. Sent after commit; a mail failure never undoes a move."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from reports.models import AnnualReport, Membership

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


def recipients(report: AnnualReport, roles: set[str]) -> list[str]:
    """E-mail addresses of the agency's members holding `roles`; coordinators also
    of the agencies above it (they coordinate the whole subtree)."""
    ancestors = []
    parent = report.agency.parent
    while parent is not None and Role.COORDINATOR in roles:
        ancestors.append(parent.pk)
        parent = parent.parent
    wanted = Q(memberships__agency_id=report.agency_id, memberships__role__in=roles)
    if ancestors:
        wanted |= Q(memberships__agency_id__in=ancestors, memberships__role=Role.COORDINATOR)
    users = get_user_model().objects.filter(wanted, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def link(report: AnnualReport) -> str:
    path = reverse("admin:reports_annualreport_workflow", args=[report.pk])
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def status_changed(*, report_id: int, action: str) -> int:
    """Mail the next role after `action`; returns how many mails were sent."""
    report = AnnualReport.objects.select_related("agency__parent", "period").get(pk=report_id)
    roles, what = NEXT[action]
    to = recipients(report, roles)
    if not to:
        return 0
    subject = f"【政务公开年报】{report.title}{what}"
    body = f"{report.title}{what}。\n\n当前状态：{report.get_status_display()}\n办理地址：{link(report)}\n"
    try:
        return send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
        )
    except (
        Exception
    ):  # the move is committed; a mail server hiccup must not turn it into an error page
        log.exception("could not send workflow mail for report %s", report_id)
        return 0
