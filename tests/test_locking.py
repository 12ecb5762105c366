"""Contents are locked in the database once a filing leaves 填报中; concurrent saves conflict."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from reports import services, websites
from reports.filing_data import FilingData
from reports.models import (
    AnnualReport,
    Membership,
    NarrativeSection,
    ReportValue,
    WebsiteForm,
)
from reports.selectors import filing_data

Role = Membership.Role


@pytest.fixture
def draft(make_report, make_period, make_user):
    report = make_report(period=make_period(2021))
    ReportValue.objects.create(report=report, code="t3-r1-c1", value=1)
    WebsiteForm.objects.create(report=report, position=1)
    NarrativeSection.objects.create(report=report, key="s1", body="正文")
    return report


def lock(report, status=AnnualReport.Status.SUBMITTED):
    AnnualReport.objects.filter(pk=report.pk).update(status=status)


@pytest.mark.parametrize(
    "write",
    [
        lambda r: ReportValue.objects.create(report=r, code="t3-r1-c2", value=2),
        lambda r: ReportValue.objects.filter(report=r).update(value=5),
        lambda r: ReportValue.objects.filter(report=r).delete(),
        lambda r: WebsiteForm.objects.filter(report=r).update(values={"visitors": "1"}),
        lambda r: WebsiteForm.objects.create(report=r, position=2),
        lambda r: NarrativeSection.objects.filter(report=r).update(body="改写"),
        lambda r: NarrativeSection.objects.filter(report=r).delete(),
    ],
    ids=[
        "insert",
        "update",
        "delete",
        "website-update",
        "website-insert",
        "narrative",
        "narrative-del",
    ],
)
@pytest.mark.parametrize(
    "status", ["submitted", "reviewed", "parent_review", "approved", "published"]
)
def test_the_database_refuses_any_write_to_a_locked_filing(draft, write, status):
    lock(draft, status)
    with pytest.raises(IntegrityError), transaction.atomic():
        write(draft)


def test_a_direct_model_save_is_refused_too(draft):
    lock(draft)
    value = ReportValue.objects.get(report=draft)
    value.value = 9
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()


def test_a_draft_accepts_writes(draft):
    ReportValue.objects.filter(report=draft).update(value=5)
    assert ReportValue.objects.get(report=draft).value == 5


def test_services_refuse_a_locked_filing_with_a_readable_message(draft, make_user):
    lock(draft)
    with pytest.raises(services.ReportLocked, match="内容已锁定"):
        services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("2", "")})
    form = WebsiteForm.objects.get(report=draft)
    with pytest.raises(services.ReportLocked):
        websites.website_form_save(form=form, by=None, raw={"visitors": "3"})
    assert ReportValue.objects.get(report=draft).value == 1


def test_the_second_of_two_filers_saving_gets_a_conflict_and_loses_nothing(
    client, draft, make_user
):
    first = make_user(agency=draft.agency, role=Role.FILER)
    second = make_user(agency=draft.agency, role=Role.FILER)
    url = reverse("admin:reports_annualreport_tables", args=[draft.pk])
    opened_at = draft.version

    client.force_login(first)
    response = client.post(url, {"version": opened_at, "v:t3-r1-c1": "7"})
    assert response.status_code == 302

    client.force_login(second)
    response = client.post(url, {"version": opened_at, "v:t3-r1-c1": "8", "v:t3-r1-c2": "3"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "保存冲突" in content
    assert 'value="8"' in content and 'value="3"' in content  # what the second typed is kept
    assert ReportValue.objects.get(report=draft, code="t3-r1-c1").value == 7  # first's save stands

    # Saving again from the page is a deliberate choice: it goes through.
    draft.refresh_from_db()
    response = client.post(url, {"version": draft.version, "v:t3-r1-c1": "8"})
    assert response.status_code == 302
    assert ReportValue.objects.get(report=draft, code="t3-r1-c1").value == 8


def test_filing_data_round_trips_through_json(demo):
    report = AnnualReport.objects.get(period__year=2018)
    data = filing_data(report)
    assert data.values["t-r1"] == 247
    assert data.websites[0].values["site_type"] == "department"
    again = FilingData.from_json(data.to_json())
    assert again == data


def test_a_closed_period_takes_no_more_edits(draft, client, make_user):
    draft.period.is_open = False
    draft.period.save()
    with pytest.raises(services.ReportLocked, match="已关闭填报"):
        services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("2", "")})
    filer = make_user(agency=draft.agency, role=Membership.Role.FILER)
    client.force_login(filer)
    url = reverse("admin:reports_annualreport_tables", args=[draft.pk])
    assert 'name="v:' not in client.get(url).content.decode()
    assert client.post(url, {"v:t3-r1-c1": "2"}).status_code == 403
    # A correction the coordinator reopened may still be edited.
    AnnualReport.objects.filter(pk=draft.pk).update(revision=2)
    draft.refresh_from_db()
    services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("2", "")})


def test_a_filing_with_a_history_cannot_be_deleted(draft):
    from django.db.models import ProtectedError

    services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("3", "")})
    with pytest.raises(ProtectedError):
        draft.delete()
