"""The demo: 南昌市教育局's real 2018 filing (reference/seed-nanchang-edu-2018.txt).

Loading is idempotent: running it again updates the same rows and resets
the demo passwords, and never duplicates anything.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from reports import services, websites
from reports.demo import nanchang_2018, narrative_2018
from reports.demo.workflow_2018 import publish_2018
from reports.formats.website_demo import parse_demo_values
from reports.models import Agency, AnnualReport, Membership, ReportingPeriod, ValueChange

Role = Membership.Role

# Demo-only password, printed by the command and listed in the README.
DEMO_PASSWORD = "nanchang2018"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    last_name: str
    first_name: str
    agency_slug: str | None  # None: superuser
    role: str | None

    @property
    def name(self) -> str:
        return self.last_name + self.first_name


# The three signatories are the seed's real ones (its website form's footer).
ACCOUNTS = [
    DemoAccount("zhangpeng", "张", "鹏", "nanchang-edu", Role.FILER),
    DemoAccount("wanxiaoling", "万", "晓玲", "nanchang-edu", Role.REVIEWER),
    DemoAccount("xieweimin", "谢", "为民", "nanchang-edu", Role.HEAD),
    DemoAccount("coordinator", "市政府办公厅", "", "nanchang", Role.COORDINATOR),
    DemoAccount("admin", "系统管理员", "", None, None),
]

AGENCIES = [
    {
        "slug": "nanchang",
        "name": "南昌市人民政府",
        "short_name": "南昌市政府",
        "kind": Agency.Kind.GOVERNMENT,
        "parent": None,
        "website": "http://www.nc.gov.cn",
    },
    {
        # Contact block as printed in the seed's opening paragraph.
        "slug": "nanchang-edu",
        "name": "南昌市教育局",
        "short_name": "市教育局",
        "kind": Agency.Kind.DEPARTMENT,
        "parent": "nanchang",
        "address": "南昌市会展路199号红谷大厦B座21楼",
        "postcode": "330038",
        "phone": "0791-83986497",
        "fax": "0791-83986484",
        "email": "ncsjyj@163.com",
        "website": "http://edu.nc.gov.cn",
    },
]


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Create or refresh the demo agencies, periods, filings and accounts."""
    agencies = {}
    for spec in AGENCIES:
        spec = dict(spec)
        slug, parent = spec.pop("slug"), spec.pop("parent")
        spec["parent"] = agencies[parent] if parent else None
        agencies[slug], _ = Agency.objects.update_or_create(slug=slug, defaults=spec)

    periods = {}
    for year in (2018, 2019):
        defaults = services.period_defaults(year)
        del defaults["year"]
        # 2018 is entered after the fact from the published original (历史补录).
        defaults["is_historical"] = year == 2018
        periods[year], _ = ReportingPeriod.objects.update_or_create(year=year, defaults=defaults)

    edu = agencies["nanchang-edu"]
    reports = {}
    for year in (2018, 2019):
        reports[year], _ = AnnualReport.objects.get_or_create(agency=edu, period=periods[year])

    # The seed's filing as printed, its broken sums included: imported, not retyped.
    # Once published it is locked, so a second run leaves its contents alone.
    seed = reports[2018]
    if seed.status == AnnualReport.Status.DRAFT:
        services.report_save_values(
            report=seed,
            by=None,
            entries={code: (text, "") for code, text in nanchang_2018.STATS_2018.items()},
            source=ValueChange.Source.DEMO,
            compute_totals=False,
        )
        load_website_2018(seed)
        narrative_2018.load_narrative_2018(seed)

    User = get_user_model()
    for account in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "last_name": account.last_name,
                "first_name": account.first_name,
                "is_superuser": account.role is None,
                "is_staff": account.role is None,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if account.role:
            Membership.objects.get_or_create(
                user=user, agency=agencies[account.agency_slug], role=account.role
            )

    publish_2018(seed)
    return ACCOUNTS


def load_website_2018(report: AnnualReport) -> None:
    """The seed's 政府网站工作年度报表 for edu.nc.gov.cn, numbers kept, printed texts as notes."""
    form = report.website_forms.filter(position=1).first() or websites.website_form_add(
        report=report, by=None
    )
    values, notes = parse_demo_values(nanchang_2018.WEBSITE_2018)
    notes = notes | nanchang_2018.WEBSITE_NOTES_2018
    raw = {code: websites.to_json(value) for code, value in values.items()}
    websites.website_form_save(
        form=form,
        by=None,
        raw=raw,
        notes={code: notes.get(code, "") for code in raw},
        media_rows=nanchang_2018.WEBSITE_MEDIA_2018,
        source=ValueChange.Source.DEMO,
    )
