"""Published revisions prove they are unchanged: hashed, chained per filing and per year."""

import pytest
from django.core.management import CommandError, call_command

from reports import services, workflow
from reports.models import AnnualReport, PublishedRevision
from reports.publication import content_hash
from tests.helpers import complete, put

S = AnnualReport.Status


def published(office, agency=None):
    report = complete(
        AnnualReport.objects.create(agency=agency or office["bureau"], period=office["period"])
    )
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["coordinator"])  # of both bureaus
    return report


def test_a_revision_carries_the_hash_of_its_content(office):
    revision = published(office).revisions.get()
    assert revision.sha256 == content_hash(
        report_id=revision.report_id,
        agency_slug="jia",
        year=2021,
        number=1,
        published_at=revision.published_at,
        correction_note="",
        snapshot=revision.snapshot,
        previous_sha256="",
        year_previous_sha256="",
    )
    assert len(revision.sha256) == 64


def test_revisions_chain_per_filing_and_per_year(office):
    first = published(office).revisions.get()
    other = published(office, office["other"]).revisions.get()
    assert (other.previous_sha256, other.year_previous_sha256) == ("", first.sha256)

    report = first.report
    workflow.report_reopen(report=report, by=office["coordinator"], reason="表三录入有误")
    report.refresh_from_db()
    services.report_save_values(report=report, by=office["filer"], entries={"t3-r1-c1": ("0", "")})
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    correction = report.revisions.get(number=2)
    assert correction.previous_sha256 == first.sha256
    assert correction.year_previous_sha256 == other.sha256


def test_verify_published_passes_on_untouched_revisions(office, capsys):
    published(office)
    published(office, office["other"])
    call_command("verify_published")
    assert "2个版本的内容指纹和链接均一致" in capsys.readouterr().out


def test_verify_published_names_a_revision_whose_bytes_changed(office, capsys):
    published(office)
    revision = PublishedRevision.objects.get()
    snapshot = {**revision.snapshot, "narrative": {"s1": "改写过的正文"}}
    # As the tables' owner (tests run as it): the portal's own role may not (test_database_roles).
    PublishedRevision.objects.filter(pk=revision.pk).update(snapshot=snapshot)
    with pytest.raises(CommandError, match="1处问题"):
        call_command("verify_published")
    assert "甲局2021年度报告第1版：内容与其指纹不符" in capsys.readouterr().err


def test_verify_published_names_a_deleted_revision_by_the_broken_link(office, capsys):
    published(office)
    published(office, office["other"])
    PublishedRevision.objects.filter(report__agency=office["bureau"]).delete()
    with pytest.raises(CommandError):
        call_command("verify_published")
    assert "乙局2021年度报告第1版：与本年度上一份公开版本的链接不符" in capsys.readouterr().err


def test_the_public_page_and_the_json_show_the_hash(client, office):
    revision = published(office).revisions.get()
    assert revision.sha256 in client.get("/reports/2021/jia/").content.decode()
    data = client.get("/reports/2021/jia.json").json()
    assert (data["sha256"], data["previous_sha256"]) == (revision.sha256, "")


def test_the_migration_hashes_revisions_published_before_it(reopen_filings_before_flush):
    """Revisions frozen before hashes existed are hashed and chained by migration 0009."""
    import datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("reports", "0008_statuschange_action_choices")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="publisher")
    agency = old.get_model("reports", "Agency").objects.create(name="甲局", slug="jia")
    period = old.get_model("reports", "ReportingPeriod").objects.create(
        year=2020,
        format_code="gb2019",
        opens_on=datetime.date(2021, 1, 1),
        department_due=datetime.date(2021, 1, 31),
        government_due=datetime.date(2021, 3, 31),
    )
    report = old.get_model("reports", "AnnualReport").objects.create(
        agency=agency, period=period, status="published", revision=2
    )
    Revision = old.get_model("reports", "PublishedRevision")
    for number in (1, 2):
        Revision.objects.create(
            report=report,
            number=number,
            published_at=datetime.datetime(2021, 1, number, tzinfo=datetime.UTC),
            published_by=user,
            snapshot={"values": {"t3-r1-c7": str(number)}},
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    first, second = PublishedRevision.objects.order_by("number")
    assert (first.previous_sha256, second.previous_sha256) == ("", first.sha256)
    assert second.year_previous_sha256 == first.sha256
    call_command("verify_published")
