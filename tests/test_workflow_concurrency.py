"""Two people pressing a button at the same moment, on real database connections."""

import threading

import pytest
from django.db import connection, connections

from reports import workflow
from reports.models import AnnualReport, Membership, StatusChange
from tests.helpers import complete, put

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)


def test_of_two_reviewers_passing_at_once_exactly_one_wins(transactional_db, office, make_user):
    second = make_user(agency=office["bureau"], role=Membership.Role.REVIEWER)
    report = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    put(report, AnnualReport.Status.SUBMITTED, office)
    start = threading.Barrier(2)
    outcomes = []

    def press(reviewer):
        try:
            start.wait()
            workflow.report_pass(report=AnnualReport.objects.get(pk=report.pk), by=reviewer)
            outcomes.append("passed")
        except workflow.WorkflowError as problem:
            outcomes.append(str(problem))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(r,)) for r in (office["reviewer"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=len)[0] == "passed"
    assert outcomes.count("passed") == 1
    assert any("当前状态为“待签发”" in outcome for outcome in outcomes)
    assert StatusChange.objects.filter(report=report, action="pass").count() == 1
