"""Login lockout: what a locked-out person sees, who is locked, and unlocking.

django-axes (settings: "Login throttling"; docs/decisions/0008) counts failed logins per
username in its database table `AccessAttempt` and refuses a username that reached
AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME of its latest failure. This module
reads those rows the same way for the user admin, renders the refusal in Chinese on the
admin login page, and lets a coordinator clear them for accounts they manage.

Reading "locked" off the rows by username alone relies on AXES_LOCKOUT_PARAMETERS being
["username"] (tests/test_login_throttling.py checks it).
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from reports.access import access_for, manageable_users

log = logging.getLogger(__name__)


def failure_limit() -> int:
    return get_failure_limit(None, None)


def cooloff_minutes() -> int:
    return math.ceil(get_cool_off().total_seconds() / 60)


def lockout_message() -> str:
    return (
        f"登录失败次数过多，该账号已暂时锁定，请{cooloff_minutes()}分钟后再试，或联系主管部门解锁。"
    )


# --- reads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginLock:
    """A username's failed logins within the cool-off."""

    failures: int
    # When the lock lifts by itself at the latest (cool-off after the latest failure; failures
    # from other addresses may fall out of the cool-off sooner); None: not locked.
    until: datetime | None

    @property
    def locked(self) -> bool:
        return self.until is not None


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())


def login_lock(user) -> LoginLock:
    """Whether `user` is locked out now, as axes decides it at the next login."""
    found = _recent_attempts().filter(username=user.get_username())
    found = found.aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
    failures = found["failures"] or 0
    if failures < failure_limit():
        return LoginLock(failures=failures, until=None)
    return LoginLock(failures=failures, until=found["latest"] + get_cool_off())


def recent_failures():
    """An annotation for a user queryset: failed logins within the cool-off (one subquery)."""
    username = get_user_model().USERNAME_FIELD
    per_user = (
        _recent_attempts()
        .filter(username=OuterRef(username))
        .order_by()
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(per_user, output_field=IntegerField()), 0)


# --- the one write ---------------------------------------------------------------------


@transaction.atomic
def login_unlock(*, user, by) -> int:
    """Clear `user`'s failed logins, so the account may log in at once.

    Only for `by` who may manage the account (`access.manageable_users`: a coordinator
    for accounts wholly inside their subtree, a superuser for anyone). Returns how many
    failures were cleared; 0 means there was nothing to clear, and nothing is recorded.
    Side effects: deletes the username's axes `AccessAttempt` rows; an admin LogEntry on
    the account and a log line naming who unlocked whom.
    """
    if not manageable_users(access_for(by)).filter(pk=user.pk).exists():
        raise PermissionDenied("无权解除该账号的登录锁定。")
    username = user.get_username()
    attempts = AccessAttempt.objects.filter(username=username)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    if not failures:
        return 0
    reset(username=username)
    message = f"解除登录锁定（清除 {failures} 次失败登录）"
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message
    )
    log.info("登录解锁：%s 解除了账号 %s 的登录锁定（清除 %d 次失败登录）", by, username, failures)
    return failures


# --- the refusal -------------------------------------------------------------------------


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the admin login page with the lockout message, status 429.

    Axes calls it for each refused login of a locked-out username, the one that reaches
    the limit included; each is logged with the username, the count and the address.
    """
    username = get_client_username(request, credentials) or ""
    log.warning(
        "登录锁定：账号 %s 登录失败 %s 次，已锁定 %d 分钟（来自 %s）",
        username,
        getattr(request, "axes_failures_since_start", None),
        cooloff_minutes(),
        getattr(request, "axes_ip_address", None),
    )
    redirect_to = request.POST.get("next", request.GET.get("next", ""))
    if not url_has_allowed_host_and_scheme(
        redirect_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        redirect_to = reverse("admin:index")
    login_form = admin.site.login_form or AdminAuthenticationForm
    context = {
        **admin.site.each_context(request),
        "title": "登录",
        "app_path": request.get_full_path(),
        "form": login_form(request, initial={"username": username}),
        "next": redirect_to,
        "lockout_message": lockout_message(),
    }
    return render(request, "admin/login_locked.html", context, status=429)
