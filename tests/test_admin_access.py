"""Agency staff see their own agency's filings only, through every admin door."""

import pytest
from django.urls import reverse

from reports.models import Agency, AnnualReport, Membership, ReportingPeriod

Role = Membership.Role


@pytest.fixture
def world(make_agency, make_user, make_report):
    city = make_agency(name="某市人民政府", slug="city", kind=Agency.Kind.GOVERNMENT)
    a = make_agency(name="甲局", slug="jia", parent=city)
    b = make_agency(name="乙局", slug="yi", parent=city)
    other_city = make_agency(name="另一市人民政府", slug="other", kind=Agency.Kind.GOVERNMENT)
    return {
        "a": a,
        "b": b,
        "city": city,
        "other_city": other_city,
        "report_a": make_report(agency=a),
        "report_b": make_report(agency=b),
        "alice": make_user(agency=a, role=Role.FILER, username="alice"),
        "bob": make_user(agency=b, role=Role.FILER, username="bob"),
        "carol": make_user(agency=a, role=Role.REVIEWER, username="carol"),
        "coordinator": make_user(agency=city, role=Role.COORDINATOR, username="coord"),
    }


def report_url(view, report):
    return reverse(f"admin:reports_annualreport_{view}", args=[report.pk])


@pytest.mark.parametrize("role_user", ["alice", "carol"])
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_staff_of_agency_a_get_404_on_every_url_of_agency_b_filing(client, world, role_user, view):
    client.force_login(world[role_user])
    response = client.get(report_url(view, world["report_b"]))
    assert response.status_code == 404


def test_staff_of_agency_a_can_open_their_own_filing(client, world):
    client.force_login(world["alice"])
    assert client.get(report_url("change", world["report_a"])).status_code == 200
    assert client.get(report_url("history", world["report_a"])).status_code == 200


def test_filing_list_shows_only_own_agency(client, world):
    client.force_login(world["alice"])
    text = client.get(reverse("admin:reports_annualreport_changelist")).content.decode()
    assert "甲局" in text
    assert "乙局" not in text


def test_list_filter_on_another_agency_shows_nothing_of_it(client, world):
    client.force_login(world["alice"])
    url = reverse("admin:reports_annualreport_changelist")
    response = client.get(url, {"agency__id__exact": world["b"].pk})
    text = response.content.decode()
    assert "乙局" not in text
    shown = {report.agency_id for report in response.context["cl"].result_list}
    assert world["b"].pk not in shown


def test_search_for_another_agency_finds_nothing(client, world):
    client.force_login(world["alice"])
    response = client.get(reverse("admin:reports_annualreport_changelist"), {"q": "乙局"})
    assert response.context["cl"].result_count == 0


def test_agency_autocomplete_offers_only_visible_agencies(client, world):
    client.force_login(world["alice"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "reports", "model_name": "annualreport", "field_name": "agency", "term": ""},
    )
    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]}
    assert names == {"甲局"}


def test_export_contains_only_own_agency(client, world):
    client.force_login(world["alice"])
    url = reverse("admin:reports_annualreport_export")
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("annualreportresource_")})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "甲局" in text
    assert "乙局" not in text


def test_another_agency_and_its_memberships_are_404(client, world):
    client.force_login(world["alice"])
    assert (
        client.get(reverse("admin:reports_agency_change", args=[world["b"].pk])).status_code == 404
    )
    membership_b = Membership.objects.get(user=world["bob"])
    url = reverse("admin:reports_membership_change", args=[membership_b.pk])
    assert client.get(url).status_code == 404


def test_agency_staff_cannot_manage_accounts(client, world):
    client.force_login(world["alice"])
    url = reverse("admin:auth_user_change", args=[world["bob"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_filer_cannot_edit_an_agency_or_open_a_filing_for_another(client, world):
    client.force_login(world["alice"])
    response = client.post(
        reverse("admin:reports_agency_change", args=[world["a"].pk]),
        {"name": "改名", "slug": "jia", "kind": "department"},
    )
    assert response.status_code == 403
    period = ReportingPeriod.objects.get()
    other_period = ReportingPeriod.objects.create(
        year=2022,
        format_code="gb2021",
        opens_on="2023-01-01",
        department_due="2023-01-31",
        government_due="2023-03-31",
    )
    response = client.post(
        reverse("admin:reports_annualreport_add"),
        {"agency": world["b"].pk, "period": other_period.pk},
    )
    assert response.status_code == 200  # form redisplayed with an error
    assert "agency" in response.context["adminform"].form.errors
    # 乙局 still has only the filing it had.
    assert list(
        AnnualReport.objects.filter(agency=world["b"]).values_list("period", flat=True)
    ) == [period.pk]


# --- the coordinator (主管部门) -------------------------------------------------


def test_coordinator_creates_an_agency_with_its_contact_block(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:reports_agency_add"),
        {
            "name": "丙局",
            "short_name": "丙",
            "kind": "department",
            "parent": world["city"].pk,
            "slug": "bing",
            "address": "某市某路1号",
            "postcode": "330000",
            "phone": "0791-1234567",
            "fax": "0791-7654321",
            "email": "bing@example.gov.cn",
            "website": "http://bing.example.gov.cn",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    agency = Agency.objects.get(slug="bing")
    assert agency.parent == world["city"]
    assert agency.postcode == "330000"


def test_coordinator_cannot_create_an_agency_outside_their_subtree(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:reports_agency_add"),
        {"name": "丁局", "kind": "department", "parent": world["other_city"].pk, "slug": "ding"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Agency.objects.filter(slug="ding").exists()


def test_coordinator_cannot_put_an_agency_under_its_own_child(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:reports_agency_change", args=[world["city"].pk]),
        {"name": "某市人民政府", "kind": "government", "parent": world["a"].pk, "slug": "city"},
    )
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()


def test_coordinator_cannot_edit_another_city(client, world):
    client.force_login(world["coordinator"])
    url = reverse("admin:reports_agency_change", args=[world["other_city"].pk])
    assert client.get(url).status_code == 404


def test_coordinator_opens_a_reporting_period_with_official_due_dates(client, world):
    client.force_login(world["coordinator"])
    url = reverse("admin:reports_reportingperiod_add")
    initial = client.get(url).context["adminform"].form.initial
    assert initial["department_due"].month == 1 and initial["department_due"].day == 31
    response = client.post(
        url,
        {
            "year": 2023,
            "format_code": "gb2021",
            "opens_on": "2024/01/01",
            "department_due": "2024/01/31",
            "government_due": "2024/03/31",
            "is_open": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ReportingPeriod.objects.get(year=2023).format_code == "gb2021"


def test_coordinator_creates_an_account_and_gives_it_a_role(client, world, django_user_model):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newfiler",
            "password1": "Very-long-pass-2024",
            "password2": "Very-long-pass-2024",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-agency": world["a"].pk,
            "memberships-0-role": Role.FILER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = django_user_model.objects.get(username="newfiler")
    assert Membership.objects.filter(user=user, agency=world["a"], role=Role.FILER).exists()


def test_coordinator_sees_accounts_of_their_subtree_only(client, world, make_user, make_agency):
    stranger = make_user(agency=world["other_city"], role=Role.FILER, username="stranger")
    client.force_login(world["coordinator"])
    text = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "alice" in text and "bob" in text
    assert "stranger" not in text
    url = reverse("admin:auth_user_change", args=[stranger.pk])
    assert client.get(url).status_code == 404
    url = reverse("admin:auth_user_password_change", args=[stranger.pk])
    assert client.get(url).status_code == 404


def test_coordinator_sees_every_filing_of_the_subtree(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("admin:reports_annualreport_changelist"))
    assert response.context["cl"].result_count == 2


# --- every page of a filing, and the coordinators' own limits ---------------------------


def filing_urls(report):
    """Every admin URL that takes a filing's id, read off AnnualReportAdmin itself."""
    from django.contrib import admin as django_admin
    from django.urls import URLPattern

    model_admin = django_admin.site._registry[AnnualReport]
    names = [
        p.name
        for p in model_admin.get_urls()
        if isinstance(p, URLPattern) and p.name and "object_id" in p.pattern.regex.pattern
    ]
    urls = []
    for name in names:
        kwargs = {"object_id": report.pk}
        for extra, value in (("position", 1), ("comment_id", 1)):
            if f"<int:{extra}>" in str(
                next(p for p in model_admin.get_urls() if getattr(p, "name", None) == name).pattern
            ):
                kwargs[extra] = value
        urls.append(reverse(f"admin:{name}", kwargs=kwargs))
    return urls


def test_every_filing_url_of_another_agency_answers_404_get_and_post(client, world):
    from reports.models import WebsiteForm

    WebsiteForm.objects.create(report=world["report_b"], position=1)
    urls = filing_urls(world["report_b"])
    assert (
        len(urls) >= 12
    )  # tables, website, workflow, timeline, narrative, print, docx, pdf, workbook…
    client.force_login(world["alice"])
    for url in urls:
        # The filing is looked up first, so a POST-only step answers a GET with 404 too.
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "submit"}).status_code == 404, url


def test_a_coordinator_cannot_give_a_role_to_an_account_with_roles_elsewhere(
    client, world, make_agency, make_user
):
    district = make_agency(name="某区人民政府", slug="district", parent=world["city"])
    district_coordinator = make_user(agency=district, role=Role.COORDINATOR, username="dc")
    client.force_login(district_coordinator)
    # The city coordinator is outside the district: not listed, not editable, not bindable.
    assert "coord" not in client.get(reverse("admin:auth_user_changelist")).content.decode()
    url = reverse("admin:auth_user_password_change", args=[world["coordinator"].pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("admin:reports_membership_add"),
        {"user": world["coordinator"].pk, "agency": district.pk, "role": Role.FILER},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=world["coordinator"], agency=district).exists()


def test_only_a_top_level_coordinator_manages_reporting_periods(
    client, world, make_agency, make_user
):
    district = make_agency(name="某区人民政府", slug="district", parent=world["city"])
    client.force_login(make_user(agency=district, role=Role.COORDINATOR))
    period = ReportingPeriod.objects.get()
    assert client.get(reverse("admin:reports_reportingperiod_add")).status_code == 403
    url = reverse("admin:reports_reportingperiod_change", args=[period.pk])
    response = client.post(url, {"year": period.year, "format_code": "gb2014"})
    assert response.status_code == 403
    client.force_login(world["coordinator"])
    page = client.get(url).content.decode()
    assert 'name="format_code"' not in page  # filings exist: the format is fixed


def test_a_district_coordinator_can_save_their_own_agency(client, world, make_agency, make_user):
    district = make_agency(name="某区人民政府", slug="district", parent=world["city"])
    client.force_login(make_user(agency=district, role=Role.COORDINATOR))
    response = client.post(
        reverse("admin:reports_agency_change", args=[district.pk]),
        {
            "name": "某区人民政府",
            "kind": "government",
            "parent": world["city"].pk,
            "slug": "district",
            "phone": "0791-1",
        },
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.phone == "0791-1"
