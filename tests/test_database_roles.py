"""The lock the application cannot undo: the portal's own PostgreSQL role, raw SQL, every route.

Production runs the portal as a role that does not own the tables (README, `DATABASE_URL` and
`DATABASE_MIGRATE_URL`). CI creates that role and names it in PORTAL_TEST_RUNTIME_ROLE
("user:password"); this test grants it its rights on the test database exactly as a migration
run as the owner does, connects as it and tries every way round the lock.
"""

import os

import psycopg
import pytest
from django.db import connection

from reports.database_roles import grant
from reports.demo.loader import load_demo
from reports.models import AnnualReport, PublishedRevision, ReportValue, StatusChange

RUNTIME = os.environ.get("PORTAL_TEST_RUNTIME_ROLE", "")
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or ":" not in RUNTIME,
    reason="needs PostgreSQL and the runtime role CI creates (PORTAL_TEST_RUNTIME_ROLE)",
)
S = AnnualReport.Status


@pytest.fixture
def as_portal(reopen_filings_before_flush):
    """A raw connection as the portal's production role, and the demo's two filings."""
    load_demo()
    user, password = RUNTIME.split(":", 1)
    grant(connection, user)
    settings = connection.settings_dict
    raw = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=user,
        password=password,
        autocommit=True,
    )
    locked = AnnualReport.objects.get(status=S.PUBLISHED)
    draft = AnnualReport.objects.get(status=S.DRAFT)
    yield raw, locked, draft
    raw.close()


def state(locked):
    """Everything the lock protects, to compare before and after."""
    return (
        AnnualReport.objects.get(pk=locked.pk).status,
        sorted(ReportValue.objects.filter(report=locked).values_list("code", "value")),
        list(PublishedRevision.objects.values_list("sha256", "snapshot", "correction_note")),
        StatusChange.objects.count(),
    )


ROUTES = {
    "move a locked filing's values to a draft": "UPDATE reports_reportvalue SET report_id = {draft} WHERE report_id = {locked}",
    "change a locked value": "UPDATE reports_reportvalue SET value = 99 WHERE report_id = {locked}",
    "delete a locked value": "DELETE FROM reports_reportvalue WHERE report_id = {locked}",
    "add a value to a locked filing": "INSERT INTO reports_reportvalue (report_id, code, value, note) VALUES ({locked}, 't-r99', 1, '')",
    "truncate values": "TRUNCATE reports_reportvalue",
    "truncate revisions": "TRUNCATE reports_publishedrevision CASCADE",
    "truncate filings": "TRUNCATE reports_annualreport CASCADE",
    "disable the lock": "ALTER TABLE reports_reportvalue DISABLE TRIGGER ALL",
    "drop the lock": "DROP TRIGGER reports_reportvalue_locked ON reports_reportvalue",
    "flip the status to draft": "UPDATE reports_annualreport SET status = 'draft' WHERE id = {locked}",
    "flip to draft and back": "BEGIN; UPDATE reports_annualreport SET status = 'draft' WHERE id = {locked}; UPDATE reports_annualreport SET status = 'published' WHERE id = {locked}; COMMIT",
    "rewrite a published snapshot": "UPDATE reports_publishedrevision SET snapshot = '{{}}'",
    "rewrite a published hash": "UPDATE reports_publishedrevision SET sha256 = repeat('0', 64)",
    "delete a published revision": "DELETE FROM reports_publishedrevision",
    "rewrite the audit trail": "UPDATE reports_statuschange SET note = '改过'",
    "delete the audit trail": "DELETE FROM reports_valuechange",
    "forge a migration record": "INSERT INTO django_migrations (app, name, applied) VALUES ('reports', 'x', now())",
}


REFUSALS = (psycopg.errors.InsufficientPrivilege, psycopg.errors.IntegrityConstraintViolation)


@pytest.mark.parametrize("route", list(ROUTES), ids=list(ROUTES))
def test_the_portals_role_cannot_change_a_published_filing(as_portal, route):
    raw, locked, draft = as_portal
    before = state(locked)
    with pytest.raises(psycopg.Error) as refused:
        raw.execute(ROUTES[route].format(locked=locked.pk, draft=draft.pk))
    # Refused by the lock or by the role's rights, not by a mistake in the SQL.
    assert isinstance(refused.value, REFUSALS), refused.value
    raw.rollback()
    assert state(locked) == before


def test_a_status_change_with_its_workflow_record_is_allowed_and_stamped(as_portal):
    """The workflow's own path, as the portal's role: the record, then the status."""
    raw, locked, _ = as_portal
    actor = StatusChange.objects.filter(report=locked).values_list("actor_id", flat=True).first()
    with raw.transaction():
        raw.execute(
            "INSERT INTO reports_statuschange (report_id, from_status, to_status, action, actor_id,"
            " note, at, transaction_id) VALUES (%s, 'published', 'draft', 'reopen', %s, '更正',"
            " now(), 12345)",
            (locked.pk, actor),
        )
        raw.execute("UPDATE reports_annualreport SET status = 'draft' WHERE id = %s", (locked.pk,))
    assert AnnualReport.objects.get(pk=locked.pk).status == S.DRAFT
    stamped = StatusChange.objects.filter(report=locked).latest("id").transaction_id
    assert stamped != 12345  # the database wrote which transaction it was, not the INSERT
