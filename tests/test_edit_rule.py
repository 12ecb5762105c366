"""The one rule for "may this filing's contents change now" (`services.edit_refusal`):
role, status, period open or closed, correction; and `lock_for_edit` / `one_edit` on it."""

import pytest

from reports import services
from reports.models import AnnualReport, Membership, ReportValue

Role = Membership.Role
S = AnnualReport.Status
CLOSED = "「甲局」2021年度的报告不能修改：2021年度已关闭填报。如需补报，请联系主管部门重新开放。"


@pytest.fixture
def draft(office, make_report):
    return make_report(agency=office["bureau"], period=office["period"])


def close(report):
    report.period.is_open = False
    report.period.save(update_fields=["is_open"])


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("filer", True),
        ("coordinator", True),
        ("reviewer", False),
        ("head", False),
        ("other_filer", False),
    ],
)
def test_only_the_agencys_filer_or_its_coordinator_may_edit(office, draft, who, allowed):
    refusal = services.edit_refusal(draft, office[who])
    if allowed:
        assert refusal is None
    else:
        assert refusal == f"用户「{office[who].username}」无权修改「甲局」2021年度的报告。"


def test_a_superuser_and_the_operator_may_edit_a_draft(draft, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-for-tests")
    assert services.edit_refusal(draft, admin) is None
    assert services.edit_refusal(draft) is None


@pytest.mark.parametrize("status", [S.SUBMITTED, S.REVIEWED, S.APPROVED, S.PUBLISHED])
def test_a_filing_that_left_draft_is_refused_to_everyone(office, draft, status):
    draft.status = status
    expected = f"「甲局」2021年度的报告状态为“{status.label}”，内容已锁定，不能修改。"
    assert services.edit_refusal(draft) == expected
    assert services.edit_refusal(draft, office["filer"]) == expected


def test_a_closed_period_is_refused_unless_the_filing_is_a_reopened_correction(office, draft):
    close(draft)
    assert services.edit_refusal(draft, office["coordinator"]) == CLOSED
    draft.revision = 2
    assert services.edit_refusal(draft, office["filer"]) is None


def test_a_filing_an_import_would_create_in_a_closed_period_is_refused(office):
    period = office["period"]
    period.is_open = False
    unsaved = AnnualReport(agency=office["bureau"], period=period)
    assert services.edit_refusal(unsaved) == CLOSED


def test_lock_for_edit_raises_the_rules_message_and_counts_nothing(office, draft):
    close(draft)
    with pytest.raises(services.ReportLocked) as refused:
        services.lock_for_edit(draft)
    assert str(refused.value) == CLOSED
    draft.refresh_from_db()
    assert draft.version == 0


def test_saving_values_asks_the_rule_for_the_saving_user(office, draft):
    with pytest.raises(services.ReportLocked, match="无权修改"):
        services.report_save_values(
            report=draft, by=office["reviewer"], entries={"t3-r1-c1": ("1", "")}
        )
    assert not ReportValue.objects.filter(report=draft).exists()
    services.report_save_values(report=draft, by=office["filer"], entries={"t3-r1-c1": ("1", "")})
    assert ReportValue.objects.get(report=draft, code="t3-r1-c1").value == 1


def test_writes_inside_one_edit_count_as_one_change(office, draft):
    with services.one_edit(draft, 0, user=office["filer"]) as locked:
        assert locked.version == 1
        services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("1", "")})
        services.report_save_values(report=draft, by=None, entries={"t3-r1-c2": ("2", "")})
    draft.refresh_from_db()
    assert draft.version == 1
    services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("3", "")})
    draft.refresh_from_db()
    assert draft.version == 2  # outside the block each write counts again


def test_one_edit_refuses_a_stale_version_and_writes_nothing(draft):
    services.report_save_values(report=draft, by=None, entries={"t3-r1-c1": ("1", "")})
    with pytest.raises(services.EditConflict), services.one_edit(draft, 0):
        pytest.fail("the block must not run")
    draft.refresh_from_db()
    assert draft.version == 1
