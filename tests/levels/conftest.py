"""A region across levels: 某市 → 某区 (a government) → its two departments and its own office,
with the people of each, and helpers that walk a filing through the workflow."""

import pytest

from reports import selectors, services, workflow
from reports.models import Agency, AnnualReport, Membership
from reports.validation import warnings
from tests.helpers import complete

Role = Membership.Role
S = AnnualReport.Status


@pytest.fixture
def region(make_agency, make_user, make_period):
    """某市人民政府 → 某区人民政府 → 区教育局, 区卫健委, 区政府办公室 (each with 填报人, 审核人,
    单位负责人), a coordinator of the city and one of the district, and the 2021 period."""
    return build_region(make_agency, make_user, make_period)


def build_region(make_agency, make_user, make_period) -> dict:
    """The `region` fixture's agencies, people and period, made with the given factories."""
    city = make_agency(name="某市人民政府", slug="city", kind=Agency.Kind.GOVERNMENT)
    district = make_agency(
        name="某区人民政府", slug="district", kind=Agency.Kind.GOVERNMENT, parent=city
    )
    units = {
        "edu": make_agency(name="区教育局", slug="edu", parent=district),
        "health": make_agency(name="区卫健委", slug="health", parent=district),
        "office": make_agency(name="区政府办公室", slug="office", parent=district),
    }
    people = {}
    for key, agency in [("district", district), *units.items()]:
        for role, surname in ((Role.FILER, "填"), (Role.REVIEWER, "审"), (Role.HEAD, "签")):
            people[key, role] = make_user(
                agency=agency,
                role=role,
                username=f"{key}-{role}",
                email=f"{role}@{key}.gov.cn",
                last_name=agency.name[:2],
                first_name=surname,
            )
    city_co = make_user(
        agency=city, role=Role.COORDINATOR, username="city-co", email="co@city.gov.cn"
    )
    district_co = make_user(
        agency=district,
        role=Role.COORDINATOR,
        username="district-co",
        email="co@district.gov.cn",
        last_name="区",
        first_name="主管",
    )
    return {
        "city": city,
        "district": district,
        **units,
        "people": people,
        "city_co": city_co,
        "district_co": district_co,
        "period": make_period(2021),
    }


def person(region, key, role):
    return region["people"][key, role]


def filled(region, key, values=None) -> AnnualReport:
    """The 2021 filing of `key`, complete (every cell 0, the required 正文), then `values`
    (cell code → number) typed as on the entry form (totals computed)."""
    report = complete(AnnualReport.objects.create(agency=region[key], period=region["period"]))
    if values:
        entries = {code: (str(value), "") for code, value in values.items()}
        services.report_save_values(report=report, by=None, entries=entries)
    report.refresh_from_db()
    return report


def explained(report) -> dict[str, str]:
    """An explanation for every warning the filing has now."""
    return {
        workflow.finding_key(f): "已核实。" for f in warnings(selectors.report_findings(report))
    }


def signed(region, key, report) -> AnnualReport:
    """Submit, pass and sign `report` by the people of `key`."""
    report = workflow.report_submit(
        report=report, by=person(region, key, Role.FILER), explanations=explained(report)
    )
    report = workflow.report_pass(report=report, by=person(region, key, Role.REVIEWER))
    return workflow.report_sign(report=report, by=person(region, key, Role.HEAD))


# Consistent figures: each request received is answered by 予以公开 (表三).
def requests(n: int, m: int = 0) -> dict[str, int]:
    return {"t3-r1-c1": n, "t3-r3_1-c1": n, "t3-r1-c2": m, "t3-r3_1-c2": m}
