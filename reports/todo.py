"""What waits for a user (待办), and their in-app notifications: reads for the admin's index
page and header.

A filing waits for whoever takes its next step (the roles of `reports.workflow`), in each
agency where they hold that role:

- 填报人: a draft they may edit (its period open, or a correction reopened) — to fill, or to
  fix when it was returned or still has open review reasons;
- 审核人: a submitted filing — to review (not the one they submitted themselves, while
  separation of duties is on);
- 单位负责人: a reviewed filing — to sign (not the one they passed themselves, likewise); an
  approved one — to publish;
- 主管部门: a signed filing of an agency below theirs waiting for 主管部门审核 — to check (not
  one they signed or compiled themselves, while separation of duties is on); an approved filing
  of their subtree — to publish.

A superuser holds no role, so nothing is listed for them but the accounts without an e-mail.
Everything is read in a fixed number of queries, whatever the number of agencies.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from reports.access import access_for, manageable_users
from reports.filing_data import person_name
from reports.models import (
    AnnualReport,
    Compilation,
    Membership,
    Notification,
    ReviewComment,
    StatusChange,
)

S = AnnualReport.Status
Role = Membership.Role

# The kinds of to-do, in the order a day's work takes them: the label, and the filing's page
# that does the job (reversed as "admin:reports_annualreport_<page>").
KINDS = {
    "fix": ("修改", "workflow"),  # the reasons are ticked off on the 流转 page
    "fill": ("填报", "tables"),
    "review": ("审核", "workflow"),
    "sign": ("签发", "workflow"),
    "check": ("主管部门审核", "workflow"),
    "publish": ("公开", "workflow"),
}
NOTIFICATIONS_PER_PAGE = 50
# How many accounts without an e-mail the coordinator's warning names one by one.
NAMED_ACCOUNTS = 10


@dataclass(frozen=True)
class TodoItem:
    """One filing waiting for the user, and what they are to do with it."""

    kind: str
    report: AnnualReport
    due: datetime.date
    today: datetime.date
    open_reasons: int = 0

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def url(self) -> str:
        return reverse(f"admin:reports_annualreport_{KINDS[self.kind][1]}", args=[self.report.pk])

    @property
    def detail(self) -> str:
        """The state in words, e.g. 「已退回，2条审核意见未处理」."""
        if self.kind == "fix":
            if self.open_reasons:
                return f"已退回，{self.open_reasons}条审核意见未处理"
            return "已退回，审核意见均已处理，待重新提交"
        if self.kind == "fill" and self.report.revision > 1:
            return f"更正中（第{self.report.revision}版）"
        if self.kind == "fill" and self.report.version == 0:
            return "尚未填写"
        return self.report.get_status_display()

    @property
    def is_historical(self) -> bool:
        return self.report.period.is_historical

    @property
    def overdue(self) -> bool:
        """Past the due date. A 历史补录 filing, entered years after the fact, never is."""
        return not self.is_historical and self.today > self.due

    @property
    def days(self) -> int:
        """Days left until the due date (negative once it has passed)."""
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days


@dataclass(frozen=True)
class AccountWithoutEmail:
    pk: int
    name: str
    url: str


@dataclass(frozen=True)
class MissingEmails:
    """The coordinator's warning: accounts of their subtree that no mail reaches."""

    count: int
    named: list[AccountWithoutEmail]
    list_url: str

    @property
    def more(self) -> int:
        return self.count - len(self.named)


@dataclass(frozen=True)
class Todo:
    items: list[TodoItem]
    missing_emails: MissingEmails | None

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


def todo_for(user, *, today: datetime.date) -> Todo:
    """What waits for `user` across all their agencies: at most two queries (the second for
    coordinators only), plus those of `access_for` when not yet cached on the user."""
    return Todo(items=todo_items(user, today=today), missing_emails=missing_emails(user))


def todo_items(user, *, today: datetime.date) -> list[TodoItem]:
    """The filings waiting for `user`, by due date (overdue first), in one query."""
    access = access_for(user)
    filer = access.agencies_with_role(Role.FILER)
    reviewer = access.agencies_with_role(Role.REVIEWER)
    head = access.agencies_with_role(Role.HEAD)
    publisher = head | access.coordinated_ids
    clauses = []
    if filer:
        # What services.edit_refusal lets a filer edit: an open period, or a correction.
        editable = Q(period__is_open=True) | Q(revision__gt=1)
        clauses.append(Q(agency_id__in=filer, status=S.DRAFT) & editable)
    if reviewer:
        clauses.append(Q(agency_id__in=reviewer, status=S.SUBMITTED))
    if head:
        clauses.append(Q(agency_id__in=head, status=S.REVIEWED))
    if access.coordinated_ids:
        # 主管部门审核 is for a coordinator of an agency above the filing's.
        clauses.append(Q(agency__parent_id__in=access.coordinated_ids, status=S.PARENT_REVIEW))
    if publisher:
        clauses.append(Q(agency_id__in=publisher, status=S.APPROVED))
    if not clauses:
        return []
    reports = AnnualReport.objects.filter(reduce(operator.or_, clauses)).select_related(
        "agency", "period"
    )
    if settings.PORTAL_SEPARATION_OF_DUTIES:
        # The workflow would refuse these moves to this user; someone else's turn.
        reports = reports.exclude(status=S.SUBMITTED, submitted_by=user).exclude(
            status=S.REVIEWED, reviewed_by=user
        )
        # 主管部门审核: not by whoever signed the filing or compiled its tables last.
        compiler = Compilation.objects.filter(report=OuterRef("pk")).order_by("-compiled_at", "-id")
        reports = reports.annotate(
            compiler=Coalesce(
                Subquery(compiler.values("compiled_by")[:1], output_field=IntegerField()), 0
            )
        )
        signed_it = (
            Q(submitted_by=user) | Q(reviewed_by=user) | Q(approved_by=user) | Q(compiler=user.pk)
        )
        reports = reports.exclude(Q(status=S.PARENT_REVIEW) & signed_it)
    open_reasons = (
        ReviewComment.objects.filter(report=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_action = StatusChange.objects.filter(report=OuterRef("pk")).order_by("-at", "-id")
    reports = reports.annotate(
        open_reasons=Coalesce(Subquery(open_reasons, output_field=IntegerField()), 0),
        last_action=Subquery(last_action.values("action")[:1]),
    )
    items = [
        TodoItem(
            kind=_kind(report),
            report=report,
            due=report.period.due_for(report.agency),
            today=today,
            open_reasons=report.open_reasons,
        )
        for report in reports
    ]
    order = list(KINDS)
    return sorted(
        items,
        key=lambda item: (
            not item.overdue,
            item.due,
            order.index(item.kind),
            item.report.agency.name,
        ),
    )


def _kind(report: AnnualReport) -> str:
    if report.status == S.DRAFT:
        returned = report.last_action == StatusChange.Action.RETURN or report.open_reasons
        return "fix" if returned else "fill"
    return {
        S.SUBMITTED: "review",
        S.REVIEWED: "sign",
        S.PARENT_REVIEW: "check",
        S.APPROVED: "publish",
    }[report.status]


def missing_emails(user) -> MissingEmails | None:
    """For a coordinator (or superuser): the active accounts holding a role in their subtree
    that they may edit (`access.manageable_users`) and that have no e-mail address; None for
    anyone else, or when every such account has one. One query."""
    access = access_for(user)
    if not access.is_coordinator:
        return None
    accounts = manageable_users(access).filter(is_active=True, email="")
    if access.is_superuser:
        accounts = accounts.filter(memberships__isnull=False)
    else:
        accounts = accounts.filter(memberships__agency_id__in=access.coordinated_ids)
    accounts = list(
        accounts.distinct().order_by("username").only("username", "last_name", "first_name")
    )
    if not accounts:
        return None
    ids = ",".join(str(account.pk) for account in accounts)
    return MissingEmails(
        count=len(accounts),
        named=[
            AccountWithoutEmail(
                pk=account.pk,
                name=person_name(account),
                url=reverse("admin:auth_user_change", args=[account.pk]),
            )
            for account in accounts[:NAMED_ACCOUNTS]
        ],
        list_url=f"{reverse('admin:auth_user_changelist')}?id__in={ids}",
    )


# --- in-app notifications (written by reports.notifications) ---------------------------------


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_page(user, page=1) -> Page:
    """`user`'s notifications, newest first, a page at a time (with their filings)."""
    notifications = Notification.objects.filter(recipient=user).select_related(
        "report__agency", "report__period"
    )
    return Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(page)
