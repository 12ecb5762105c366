"""In-app notifications: written beside each workflow mail, counted in the header, read by
their recipient only (reports/notifications.py, reports/todo.py, portal/admin_site.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from reports import notifications, workflow
from reports.models import AnnualReport, Membership, Notification
from tests.helpers import complete, put

S = AnnualReport.Status
Role = Membership.Role
INDEX = "/admin/"
LIST = "/admin/notifications/"


@pytest.fixture
def report(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


@pytest.fixture
def mute(office, make_user):
    """A second 填报人 of 甲局 without an e-mail address: no mail ever reaches them."""
    return make_user(agency=office["bureau"], role=Role.FILER, username="mute", email="")


def returned(report, office, capture):
    put(report, S.SUBMITTED, office)
    with capture(execute=True):
        workflow.report_return(report=report, by=office["reviewer"], reason="第三表总计有误")
    return report


def test_a_move_notifies_every_recipient_in_app_those_without_email_too(
    report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    written = Notification.objects.filter(report=report)
    assert {n.recipient for n in written} == {office["filer"], mute}
    assert {n.action for n in written} == {"return"}
    assert {n.message for n in written} == {f"{report.title}被退回修改，请按审核意见修改后重新提交"}
    assert all(n.read_at is None for n in written)
    assert [m.to for m in mail.outbox] == [["filer@jia.gov.cn"]]  # the mail as before


def test_every_move_notifies_the_roles_that_act_next(
    report, office, make_user, django_capture_on_commit_callbacks
):
    heads_above = make_user(agency=office["city"], role=Role.HEAD)
    moves = [
        ("submit", "filer", {}, {"reviewer"}),
        ("pass", "reviewer", {}, {"head"}),
        ("sign", "head", {}, {"head", "coordinator"}),  # coordinators above, not heads above
        ("publish", "head", {}, {"filer", "reviewer", "head"}),
        ("reopen", "coordinator", {"reason": "更正笔误"}, {"filer"}),
    ]
    for action, who, kwargs, told in moves:
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            workflow.ACTIONS[action](report=report, by=office[who], **kwargs)
        new = Notification.objects.exclude(pk__in=before)
        assert {n.recipient for n in new} == {office[w] for w in told}, action
        assert {n.action for n in new} == {action}
    assert not Notification.objects.filter(recipient=heads_above).exists()


def test_a_failing_mail_server_still_leaves_the_notifications(
    report, office, mute, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mass_mail", refuse)
    returned(report, office, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(report=report).count() == 2


def test_the_header_counts_the_users_unread_notifications_on_every_admin_page(
    client, report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    returned(report, office, django_capture_on_commit_callbacks)
    client.force_login(mute)
    for page in (
        INDEX,
        "/admin/reports/annualreport/",
        f"/admin/reports/annualreport/{report.pk}/workflow/",
    ):
        text = client.get(page).content.decode()
        assert f'<a href="{LIST}" id="notifications-link">通知（2）</a>' in text, page
    client.force_login(office["reviewer"])
    assert 'id="notifications-link">通知</a>' in client.get(INDEX).content.decode()


def test_the_list_shows_the_users_own_notifications_only(
    client, report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    client.force_login(mute)
    text = client.get(LIST).content.decode()
    (mine,) = Notification.objects.filter(recipient=mute)
    assert reverse("admin:notification", args=[mine.pk]) in text
    assert "被退回修改" in text and "<strong>未读</strong>" in text
    theirs = Notification.objects.get(recipient=office["filer"])
    assert reverse("admin:notification", args=[theirs.pk]) not in text

    client.force_login(office["reviewer"])
    text = client.get(LIST).content.decode()
    assert "被退回修改" not in text and "还没有通知。" in text


def test_opening_a_notification_marks_it_read_and_shows_the_filings_workflow_page(
    client, report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    (mine,) = Notification.objects.filter(recipient=mute)
    client.force_login(mute)
    response = client.get(reverse("admin:notification", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reports_annualreport_workflow", args=[report.pk])
    mine.refresh_from_db()
    first = mine.read_at
    assert first is not None
    assert 'id="notifications-link">通知</a>' in client.get(INDEX).content.decode()
    client.get(reverse("admin:notification", args=[mine.pk]))  # opened again: stays as it was
    mine.refresh_from_db()
    assert mine.read_at == first
    assert "已读" in client.get(LIST).content.decode()


def test_another_users_notification_answers_404_and_stays_unread(
    client, report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    theirs = Notification.objects.get(recipient=office["filer"])
    for who in (mute, office["reviewer"], office["coordinator"]):
        client.force_login(who)
        assert client.get(reverse("admin:notification", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:notification", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_a_post_and_touches_only_the_users_own(
    client, report, office, mute, django_capture_on_commit_callbacks
):
    returned(report, office, django_capture_on_commit_callbacks)
    returned(report, office, django_capture_on_commit_callbacks)
    client.force_login(mute)
    url = reverse("admin:notifications_read")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Notification.objects.filter(recipient=mute, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=office["filer"], read_at__isnull=True).count() == 2


def test_the_notification_pages_need_a_login(client, report):
    for url in (LIST, reverse("admin:notification", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(reverse("admin:notifications_read")).status_code == 302


def test_the_list_costs_a_fixed_number_of_queries(
    client, report, office, mute, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(3):
        returned(report, office, django_capture_on_commit_callbacks)
    client.force_login(mute)
    client.get(LIST)
    # session, user, access, unread count, the page's count and rows, recent actions (unused)
    with django_assert_max_num_queries(7):
        assert client.get(LIST).status_code == 200
