"""Shared fixtures: small `make_*` factories with keyword overrides."""

import itertools
import os

import pytest

# Playwright runs an event loop in the test thread; without this flag Django
# refuses database access from it, also in the non-browser tests of the same run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_counter = itertools.count(1)


def pytest_configure(config):
    from django.conf import settings

    # Production hashing costs ~0.3 s a password; tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    where = db.get("HOST") or db.get("NAME")
    return f"database: {vendor} ({where})"


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Each test starts with an empty cache. The cache is a table of the test database
    (settings.CACHES): a test run in a transaction has its entries rolled back with it; a
    transactional test (data flushed, not rolled back) has the table emptied here."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        cache.clear()


@pytest.fixture
def make_agency(db):
    from reports.models import Agency

    def make(**overrides):
        n = next(_counter)
        fields = {"name": f"测试单位{n}", "slug": f"agency-{n}", "kind": Agency.Kind.DEPARTMENT}
        fields.update(overrides)
        return Agency.objects.create(**fields)

    return make


@pytest.fixture
def make_period(db):
    from reports import services
    from reports.models import ReportingPeriod

    def make(year=2021, **overrides):
        fields = services.period_defaults(year)
        fields.update(overrides)
        return ReportingPeriod.objects.create(**fields)

    return make


@pytest.fixture
def make_report(db, make_agency, make_period):
    from reports.models import AnnualReport, ReportingPeriod

    def make(agency=None, period=None, year=2021, **overrides):
        agency = agency or make_agency()
        if period is None:
            period = ReportingPeriod.objects.filter(year=year).first() or make_period(year)
        return AnnualReport.objects.create(agency=agency, period=period, **overrides)

    return make


@pytest.fixture
def make_user(db, django_user_model):
    from reports.models import Membership

    def make(agency=None, role=Membership.Role.FILER, password="pw-for-tests", **overrides):
        n = next(_counter)
        fields = {"username": f"user{n}"}
        fields.update(overrides)
        user = django_user_model.objects.create_user(password=password, **fields)
        if agency is not None and role:
            Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return make


@pytest.fixture
def demo(db):
    """The demo data set, as `manage.py load_demo` loads it."""
    from reports.demo.loader import load_demo

    load_demo()
    from reports.models import Agency

    return {agency.slug: agency for agency in Agency.objects.all()}


@pytest.fixture
def office(make_agency, make_user, make_period):

    from reports.models import Agency, Membership

    """A city with one bureau (甲局) and its four people, plus a stranger bureau (乙局)."""
    city = make_agency(name="某市人民政府", slug="city", kind=Agency.Kind.GOVERNMENT)
    bureau = make_agency(name="甲局", slug="jia", parent=city)
    other = make_agency(name="乙局", slug="yi", parent=city)
    period = make_period(2021)
    people = {
        "filer": make_user(
            agency=bureau,
            role=Membership.Role.FILER,
            email="filer@jia.gov.cn",
            username="filer",
            last_name="张",
            first_name="填",
        ),
        "reviewer": make_user(
            agency=bureau,
            role=Membership.Role.REVIEWER,
            email="rev@jia.gov.cn",
            username="reviewer",
            last_name="李",
            first_name="审",
        ),
        "head": make_user(
            agency=bureau,
            role=Membership.Role.HEAD,
            email="head@jia.gov.cn",
            username="head",
            last_name="王",
            first_name="签",
        ),
        "coordinator": make_user(
            agency=city, role=Membership.Role.COORDINATOR, email="co@city.gov.cn", username="co"
        ),
        "other_filer": make_user(agency=other, role=Membership.Role.FILER, username="other_filer"),
        "other_reviewer": make_user(
            agency=other, role=Membership.Role.REVIEWER, username="other_reviewer"
        ),
        "other_head": make_user(agency=other, role=Membership.Role.HEAD, username="other_head"),
    }
    return {"city": city, "bureau": bureau, "other": other, "period": period, **people}


@pytest.fixture
def reopen_filings_before_flush(transactional_db):
    """Let the test database be emptied after a test whose data was committed.

    The content-lock triggers (migrations 0005, 0010) refuse to delete a locked filing's
    values; SQLite's flush deletes row by row, so every filing goes back to draft first.
    (PostgreSQL's flush is a TRUNCATE, which the tests' role, the tables' owner, may run.)
    """
    yield
    from reports.models import AnnualReport

    AnnualReport.objects.update(status=AnnualReport.Status.DRAFT)
