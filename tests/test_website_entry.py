"""政府网站工作年度报表 in the admin: entry, refusal messages, official layout, validation."""

import html
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import websites
from reports.formats.website import WEBSITE_FORM
from reports.models import AnnualReport, Membership, ValueChange, WebsiteForm
from tests.website.test_website_form import LABELS_5_2 as EXPECTED_LABELS

Role = Membership.Role


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", text))


@pytest.fixture
def site(make_agency, make_user, make_report, make_period):
    agency = make_agency(name="测试局", website="http://test.example.gov.cn")
    report = make_report(agency=agency, period=make_period(2021))
    user = make_user(agency=agency, role=Role.FILER)
    form = websites.website_form_add(report=report, by=user)
    return report, user, form


def url(report, position=1):
    return reverse("admin:reports_annualreport_website", args=[report.pk, position])


def post_data(report, **answers):
    """POST data for every field of the page, opened at the filing's current version."""
    version = AnnualReport.objects.values_list("version", flat=True).get(pk=report.pk)
    data = {"m-count": "0", "version": version}
    for field in WEBSITE_FORM.fields:
        value = answers.get(
            field.code, [] if field.kind in ("choice", "multichoice", "yesno") else ""
        )
        data[f"f:{field.code}"] = value
        data[f"n:{field.code}"] = ""
    return data


def test_filer_adds_a_website_form_prefilled_with_the_agency(client, site):
    report, user, _ = site
    client.force_login(user)
    response = client.post(reverse("admin:reports_annualreport_website_add", args=[report.pk]))
    assert response.status_code == 302
    second = WebsiteForm.objects.get(report=report, position=2)
    assert second.values == {"filer": "测试局"}
    first = WebsiteForm.objects.get(report=report, position=1)
    assert first.values["home_url"] == "http://test.example.gov.cn"


def test_answers_typed_as_staff_write_them_are_stored_as_numbers(client, site):
    report, user, form = site
    client.force_login(user)
    data = post_data(
        report,
        site_name="测试网",
        visitors="1,980,321",
        messages_days="3天",
        site_type=["department"],
        has_media=["yes"],
        innovation=["search", "other"],
        innovation_other="政务地图",
        site_id="3601000051",
    )
    data.update(
        {
            "m-count": "1",
            "m-0-platform": "weibo",
            "m-0-name": "测试发布",
            "m-0-posts": "3520",
            "m-0-followers": "22.69万",
        }
    )
    response = client.post(url(report), data)
    assert response.status_code == 302, text_of(response)[:1500]
    form.refresh_from_db()
    assert form.values["visitors"] == "1980321"
    assert form.values["messages_days"] == "3"
    assert form.values["site_type"] == "department"
    assert form.values["has_media"] is True
    assert form.values["innovation"] == ["search", "other"]
    assert form.media == [
        {"platform": "weibo", "name": "测试发布", "posts": "3520", "followers": "226900"}
    ]
    assert ValueChange.objects.filter(report=report, code="w1:visitors", new_value=1980321).exists()


def test_two_site_types_are_refused_with_a_message_and_nothing_is_saved(client, site):
    report, user, form = site
    client.force_login(user)
    data = post_data(report, site_type=["portal", "department"], visitors="12")
    response = client.post(url(report), data)
    assert response.status_code == 200
    assert "网站类型：只能选择一项（已选：政府门户网站、部门网站）" in text_of(response)
    form.refresh_from_db()
    assert "visitors" not in form.values
    content = response.content.decode()
    assert 'name="f:visitors" id="f-visitors" value="12"' in content  # nothing typed is lost


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("visitors", "很多", "「很多」不是数字"),
        ("site_id", "36010", "政府网站标识码"),
        ("police_record", "公安备案123", "公安机关备案号"),
        ("home_url", "not a url", "不是有效网址"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(client, site, field, typed, message):
    report, user, form = site
    before = dict(form.values)
    client.force_login(user)
    response = client.post(url(report), post_data(report, **{field: typed}))
    assert response.status_code == 200
    assert message in text_of(response)
    form.refresh_from_db()
    assert form.values == before


def test_a_bad_media_row_is_refused_naming_the_row(client, site):
    report, user, form = site
    client.force_login(user)
    data = post_data(report)
    data.update({"m-count": "1", "m-0-platform": "wechat", "m-0-name": "号", "m-0-posts": "很多"})
    response = client.post(url(report), data)
    assert response.status_code == 200
    assert "微信第1行" in text_of(response)
    form.refresh_from_db()
    assert form.media == []


def test_other_agencies_cannot_open_the_form(client, site, make_agency, make_user):
    report, _, _ = site
    client.force_login(make_user(agency=make_agency(), role=Role.FILER))
    assert client.get(url(report)).status_code == 404
    assert client.post(url(report), post_data(report, visitors="1")).status_code == 404


def test_reviewer_reads_but_cannot_post(client, site, make_user):
    report, _, _ = site
    client.force_login(make_user(agency=report.agency, role=Role.REVIEWER))
    assert client.get(url(report)).status_code == 200
    assert client.post(url(report), post_data(report, visitors="1")).status_code == 403


def test_the_seed_form_renders_every_label_and_its_figures(client, demo):
    report = AnnualReport.objects.get(period__year=2018)
    client.force_login(Membership.objects.get(role=Role.REVIEWER).user)
    change = reverse("admin:reports_annualreport_change", args=[report.pk])
    for response in (client.get(url(report)), client.get(change)):
        text = text_of(response)
        missing = [label for label in EXPECTED_LABELS if label not in text]
        assert not missing
        assert "12635" in text and "南昌教育发布" in text and "226900" in text
        assert "☑部门网站" in text and "☐政府门户网站" in text
        assert "信息发布总数 12635 ≠ 概况类 16 + 政务动态 9851 + 信息公开目录 465 = 10332" in text


def test_validate_reports_includes_the_website_form(demo, capsys):
    with pytest.raises(SystemExit):
        call_command("validate_reports", "--year", "2018", "--format", "json")
    findings = json.loads(capsys.readouterr().out)
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["w22"]["severity"] == "error"
    assert "12635" in by_rule["w22"]["message"] and "10332" in by_rule["w22"]["message"]
    assert by_rule["w24"]["severity"] == "warning"
    assert "6 ≠" in by_rule["w24"]["message"] and "14" in by_rule["w24"]["message"]
    assert by_rule["w27a"]["severity"] == "warning"
    # The narrative is checked as on the filing's pages: 22.78万 in the text, 22.69万 in the form.
    assert "22.78万" in by_rule["w27c"]["message"] and "22.69万" in by_rule["w27c"]["message"]


def test_loading_the_demo_again_records_no_changes(demo):
    from reports.demo.loader import load_demo

    before = ValueChange.objects.count()
    load_demo()
    assert ValueChange.objects.count() == before
