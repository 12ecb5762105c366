import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import Agency, AnnualReport, Membership, ReportingPeriod


def test_demo_holds_the_seed_agencies_with_the_real_contact_block(demo):
    edu = demo["nanchang-edu"]
    assert edu.name == "南昌市教育局"
    assert edu.parent.name == "南昌市人民政府"
    assert edu.kind == Agency.Kind.DEPARTMENT
    assert edu.address == "南昌市会展路199号红谷大厦B座21楼"
    assert (edu.postcode, edu.phone, edu.fax) == ("330038", "0791-83986497", "0791-83986484")
    assert edu.email == "ncsjyj@163.com"


def test_demo_has_the_2018_filing_in_the_old_format_and_a_2019_draft(demo):
    reports = AnnualReport.objects.filter(agency=demo["nanchang-edu"]).select_related("period")
    by_year = {report.period.year: report for report in reports}
    assert set(by_year) == {2018, 2019}
    assert by_year[2018].period.format_code == "gb2014"
    assert by_year[2019].period.format_code == "gb2019"
    assert by_year[2019].status == AnnualReport.Status.DRAFT


def test_demo_accounts_are_the_seed_signatories(demo):
    roles = {
        (m.user.last_name + m.user.first_name, m.role)
        for m in Membership.objects.filter(agency=demo["nanchang-edu"]).select_related("user")
    }
    assert roles == {
        ("张鹏", Membership.Role.FILER),
        ("万晓玲", Membership.Role.REVIEWER),
        ("谢为民", Membership.Role.HEAD),
    }
    assert get_user_model().objects.get(username="zhangpeng").check_password(DEMO_PASSWORD)


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = [
        Model.objects.count()
        for Model in (Agency, ReportingPeriod, AnnualReport, Membership, get_user_model())
    ]
    load_demo()
    assert counts == [
        Model.objects.count()
        for Model in (Agency, ReportingPeriod, AnnualReport, Membership, get_user_model())
    ]


def test_load_demo_command_prints_the_accounts_and_password(db, capsys, settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off; the demo is a development tool
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ("zhangpeng", "wanxiaoling", "xieweimin", "coordinator", "admin"):
        assert username in out
    assert DEMO_PASSWORD in out


def test_load_demo_refuses_production_settings_without_force(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not Agency.objects.exists()
    call_command("load_demo", "--force")
    assert Agency.objects.filter(slug="nanchang-edu").exists()
