"""Fixtures for the spreadsheet tests: an agency tree, its staff, filings filled in every cell."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports import services, websites
from reports.formats import FORMATS, Format, get_format
from reports.models import (
    Agency,
    AnnualReport,
    Membership,
    ReportingPeriod,
    ReportValue,
    ValueChange,
)

Role = Membership.Role

# "For every official format": read off the registry, so a format added later is tested too.
EVERY_FORMAT = pytest.mark.parametrize("fmt", list(FORMATS.values()), ids=list(FORMATS))


def sample_value(spec, n: int) -> Decimal:
    """A distinct, valid value for every cell: negatives where signed, decimals where allowed."""
    if spec.signed and n % 2:
        return Decimal(-n)
    if spec.decimals:
        return Decimal(n) + Decimal("0.25")
    return Decimal(n)


def fill(report, *, notes=True):
    """Every cell of the filing's format filled (and every fifth one noted), as stored."""
    entries = {}
    for n, spec in enumerate(report.format.cells(), 1):
        note = f"备注{n}" if notes and n % 5 == 0 else ""
        entries[spec.code] = (str(sample_value(spec, n)), note)
    services.report_save_values(report=report, by=None, entries=entries, compute_totals=False)
    return stored(report)


def stored(report) -> dict:
    return {
        code: (value, note)
        for code, value, note in ReportValue.objects.filter(report=report).values_list(
            "code", "value", "note"
        )
    }


def lock(report, status=AnnualReport.Status.SUBMITTED):
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()


def close(period):
    """The coordinator closes the period (开放填报 off)."""
    ReportingPeriod.objects.filter(pk=period.pk).update(is_open=False)
    period.refresh_from_db()


# How a refusal for the closed 2021 period (the `world`'s) ends.
CLOSED = "2021年度已关闭填报。如需补报，请联系主管部门重新开放。"


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def save_book(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


WEBSITE_ANSWERS = {
    "site_name": "南昌市教育局网站",
    "home_url": "edu.nc.gov.cn",
    "sponsor": "南昌市教育局",
    "site_type": "部门网站",
    "site_id": "3601000051",
    "icp": "赣ICP备05007513号",
    "police_record": "赣公网安备 36010202000015号",
    "visitors": "1,980,321",
    "visits": "48228377",
    "info_total": "12635",
    "messages_days": "3天",
    "service_catalog": "是",
    "unified_platform": "否",
    "innovation": "搜索即服务、无障碍浏览",
    "preparer": "张鹏",
    "phone": "+86 791 83986497",
    "filed_on": "2019年1月9日",
}
MEDIA_ROWS = [
    {"platform": "weibo", "name": "南昌教育", "posts": "3520", "followers": "22.69万"},
    {"platform": "wechat", "name": "南昌教育发布", "posts": "1200", "followers": "8000"},
    {"platform": "other", "name": "=今日头条号", "posts": "", "followers": ""},
]


def fill_website(report):
    form = websites.website_form_add(report=report, by=None)
    websites.website_form_save(
        form=form,
        by=None,
        raw=WEBSITE_ANSWERS,
        notes={"visitors": "-含移动端", "messages_days": "平均3天"},
        media_rows=MEDIA_ROWS,
    )
    form.refresh_from_db()
    return form


@pytest.fixture
def world(make_agency, make_user, make_report, make_period):
    """市政府 → 甲局/乙局, another city; staff of 甲局; a 2021 draft of 甲局 and of 乙局."""
    city = make_agency(name="某市人民政府", slug="city", kind=Agency.Kind.GOVERNMENT)
    a = make_agency(name="甲局", slug="jia", parent=city, website="http://jia.gov.cn")
    b = make_agency(name="乙局", slug="yi", parent=city)
    other = make_agency(name="另一市人民政府", slug="other", kind=Agency.Kind.GOVERNMENT)
    period = make_period(2021)
    return {
        "city": city,
        "a": a,
        "b": b,
        "other": other,
        "period": period,
        "report_a": make_report(agency=a, period=period),
        "report_b": make_report(agency=b, period=period),
        "filer": make_user(agency=a, role=Role.FILER, username="filer"),
        "reviewer": make_user(agency=a, role=Role.REVIEWER, username="reviewer"),
        "coordinator": make_user(agency=city, role=Role.COORDINATOR, username="coord"),
        "other_coordinator": make_user(agency=other, role=Role.COORDINATOR, username="coord2"),
    }


@pytest.fixture
def report_in(make_agency, make_report):
    """report_in(fmt) → a draft filing of a fresh agency in the format's first year.

    `fmt` is a Format or its code ("gb2021"); a declared variant is the filing's own format
    (`AnnualReport.format_code`) in a period of its national format."""

    def make(fmt: Format | str):
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        own = fmt.code if fmt.variant_of else ""
        report = make_report(agency=make_agency(), year=fmt.first_year, format_code=own)
        assert report.format.code == fmt.code
        return report

    return make


def counts(report) -> tuple:
    """Everything an import could change, to prove a refused one changed nothing."""
    report.refresh_from_db()
    return (
        report.version,
        report.status,
        ReportValue.objects.filter(report=report).count(),
        ValueChange.objects.filter(report=report).count(),
        report.website_forms.count(),
        report.imports.count(),
        sorted((f.position, str(f.values), str(f.media)) for f in report.website_forms.all()),
    )
