"""Too many wrong passwords lock a username out; a coordinator of its subtree unlocks it.

Every login here goes through the admin login form, as a person's does (axes watches
`authenticate(request, ...)`); `force_login` only sets up the coordinator who unlocks.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.test import Client
from django.urls import reverse

from reports.lockout import login_unlock
from reports.models import Agency, Membership

Role = Membership.Role
PASSWORD = "right-password-for-tests"
LOCKED = "登录失败次数过多，该账号已暂时锁定，请30分钟后再试，或联系主管部门解锁。"


@pytest.fixture
def world(make_agency, make_user):
    city = make_agency(name="某市人民政府", slug="city", kind=Agency.Kind.GOVERNMENT)
    bureau = make_agency(name="甲局", slug="jia", parent=city)
    other_city = make_agency(name="另一市人民政府", slug="other", kind=Agency.Kind.GOVERNMENT)
    return {
        "head": make_user(agency=bureau, role=Role.HEAD, username="head", password=PASSWORD),
        "filer": make_user(agency=bureau, role=Role.FILER, username="filer", password=PASSWORD),
        "coordinator": make_user(agency=city, role=Role.COORDINATOR, username="coord"),
        "other_coordinator": make_user(agency=other_city, role=Role.COORDINATOR),
        "stranger": make_user(
            agency=other_city, role=Role.FILER, username="stranger", password=PASSWORD
        ),
    }


def log_in(client, username, password):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock_out(username, client=None):
    client = client or Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, username, "wrong-password")
    assert response.status_code == 429
    return response


def age_failures(minutes):
    """As if the failed logins happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def unlock_url(user):
    return reverse("admin:auth_user_unlock_login", args=[user.pk])


# --- the lockout -----------------------------------------------------------------------------


def test_the_limit_and_cooloff_default_to_five_failures_and_thirty_minutes():
    # The tests below count on these defaults (PORTAL_LOGIN_* unset).
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_after_five_wrong_passwords_the_right_one_is_refused_with_the_chinese_message(
    client, world
):
    for _ in range(4):
        response = log_in(client, "head", "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = log_in(client, "head", "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = log_in(client, "head", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert 'id="login-form"' in page  # the admin login page, not a bare text
    assert not logged_in(client)


def test_four_wrong_passwords_do_not_lock_the_account(client, world):
    for _ in range(4):
        log_in(client, "head", "wrong-password")
    assert log_in(client, "head", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_right_password_clears_earlier_wrong_ones(client, world):
    for _ in range(4):
        log_in(client, "head", "wrong-password")
    assert log_in(client, "head", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    for _ in range(4):
        log_in(client, "head", "wrong-password")
    assert log_in(client, "head", PASSWORD).status_code == 302


def test_another_user_on_the_same_computer_is_not_affected(client, world):
    lock_out("head", client)
    assert log_in(client, "filer", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lock_holds_for_the_username_from_any_address_and_browser(world):
    lock_out("head", Client(REMOTE_ADDR="10.1.1.1", HTTP_USER_AGENT="A"))
    elsewhere = Client(REMOTE_ADDR="10.2.2.2", HTTP_USER_AGENT="B")
    assert log_in(elsewhere, "head", PASSWORD).status_code == 429
    assert not logged_in(elsewhere)


def test_the_failures_are_kept_in_the_database(world):
    lock_out("head")
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert AccessAttempt.objects.filter(username="head").get().failures_since_start == 5


def test_the_lock_counts_per_username_only():
    # reports.lockout reads "locked" off the rows by username: it relies on this.
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_the_lock_lifts_thirty_minutes_after_the_latest_failure(client, world):
    lock_out("head")
    age_failures(29)
    assert log_in(client, "head", PASSWORD).status_code == 429
    age_failures(31)
    assert log_in(client, "head", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_try_while_locked_out_restarts_the_cooloff(client, world):
    lock_out("head")
    age_failures(20)
    assert log_in(client, "head", PASSWORD).status_code == 429
    age_failures(20)  # 40 minutes after the lockout, 20 after the latest try
    assert log_in(client, "head", PASSWORD).status_code == 429


def test_each_refusal_is_logged_with_the_username(world, caplog):
    caplog.set_level("WARNING", logger="reports.lockout")
    lock_out("head")
    lines = [r.getMessage() for r in caplog.records if r.name == "reports.lockout"]
    assert len(lines) == 1
    assert "head" in lines[0] and "5 次" in lines[0]


def test_client_login_without_a_request_is_refused_so_tests_use_force_login(client, world):
    # Django's test client calls authenticate() without the request axes needs.
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="head", password=PASSWORD)


# --- unlocking -----------------------------------------------------------------------------


def test_the_user_list_marks_a_locked_account(client, world):
    lock_out("head")
    client.force_login(world["coordinator"])
    response = client.get(reverse("admin:auth_user_changelist"))
    locked = {
        user.username
        for user in response.context["cl"].result_list
        if user.recent_login_failures >= 5
    }
    assert locked == {"head"}
    assert "已锁定" in response.content.decode()


def test_the_account_page_shows_the_lock_and_an_unlock_button(client, world):
    client.force_login(world["coordinator"])
    url = reverse("admin:auth_user_change", args=[world["head"].pk])
    assert "未锁定" in client.get(url).content.decode()
    lock_out("head")
    page = client.get(url).content.decode()
    assert "已锁定：连续登录失败 5 次" in page
    assert f'formaction="{unlock_url(world["head"])}"' in page


def test_a_coordinator_unlocks_an_account_of_their_subtree_with_the_button(client, world, caplog):
    caplog.set_level("INFO", logger="reports.lockout")
    lock_out("head")
    client.force_login(world["coordinator"])
    response = client.post(unlock_url(world["head"]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="head").exists()
    entry = LogEntry.objects.get(object_id=str(world["head"].pk))
    assert entry.user == world["coordinator"]
    assert entry.change_message == "解除登录锁定（清除 5 次失败登录）"
    assert any("coord 解除了账号 head" in r.getMessage() for r in caplog.records)

    person = Client()
    assert log_in(person, "head", PASSWORD).status_code == 302
    assert logged_in(person)


def test_a_coordinator_unlocks_with_the_list_action(client, world):
    lock_out("head")
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_login", "_selected_action": [world["head"].pk]},
    )
    assert response.status_code == 302
    assert log_in(Client(), "head", PASSWORD).status_code == 302


def test_the_unlock_url_takes_only_post(client, world):
    lock_out("head")
    client.force_login(world["coordinator"])
    assert client.get(unlock_url(world["head"])).status_code == 405
    assert AccessAttempt.objects.filter(username="head").exists()


def test_a_coordinator_cannot_unlock_an_account_outside_their_subtree(client, world):
    lock_out("stranger")
    client.force_login(world["coordinator"])
    assert client.post(unlock_url(world["stranger"])).status_code == 404
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_login", "_selected_action": [world["stranger"].pk]},
    )
    assert log_in(Client(), "stranger", PASSWORD).status_code == 429
    with pytest.raises(PermissionDenied):
        login_unlock(user=world["stranger"], by=world["coordinator"])
    assert not LogEntry.objects.exists()


def test_a_coordinator_of_another_city_gets_404(client, world):
    lock_out("head")
    client.force_login(world["other_coordinator"])
    assert client.post(unlock_url(world["head"])).status_code == 404
    assert log_in(Client(), "head", PASSWORD).status_code == 429


def test_a_filer_cannot_unlock_at_all(client, world):
    lock_out("head")
    client.force_login(world["filer"])
    assert client.post(unlock_url(world["head"])).status_code == 403
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_login", "_selected_action": [world["head"].pk]},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        login_unlock(user=world["head"], by=world["filer"])
    assert log_in(Client(), "head", PASSWORD).status_code == 429


def test_a_superuser_unlocks_anyone(client, world, django_user_model):
    lock_out("stranger")
    lock_out("coord")
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "unlock_login",
            "_selected_action": [world["stranger"].pk, world["coordinator"].pk],
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert LogEntry.objects.filter(user=admin).count() == 2


def test_unlocking_an_account_without_failures_records_nothing(client, world):
    client.force_login(world["coordinator"])
    assert client.post(unlock_url(world["head"])).status_code == 302
    assert not LogEntry.objects.exists()


# --- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["PORTAL_LOGIN_FAILURE_LIMIT", "PORTAL_LOGIN_COOLOFF_MINUTES"])
def test_a_limit_below_one_is_refused_with_its_name(variable):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, variable: "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert variable in result.stderr
