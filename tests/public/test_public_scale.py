"""The public side at scale: constant queries, pages of bounded size, files built once and
revalidated, lists that follow every publication, sums in the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports import public, public_index
from reports.access import subtree_ids
from reports.models import (
    Agency,
    AnnualReport,
    PublicationWindow,
    PublicFile,
    PublishedRevision,
    ReportingPeriod,
)
from reports.models.agencies import rebuild_paths
from tests.public.test_public_pages import snapshot

S = AnnualReport.Status
FORMATS = {2019: "gb2019", 2020: "gb2019", 2021: "gb2021", 2022: "gb2021"}
CELL = "t3-r1-c7"  # 本年新收政府信息公开申请数量·总计, in both formats


def publish_many(publisher, *, districts: int, departments: int, years) -> None:
    """A city with `districts` district governments, each with `departments` departments, all
    published for `years` (bulk: as a backfill or the benchmark writes them)."""
    city, _ = Agency.objects.get_or_create(
        slug="city", defaults={"name": "大市人民政府", "kind": Agency.Kind.GOVERNMENT}
    )
    start = Agency.objects.count()
    governments = Agency.objects.bulk_create(
        Agency(
            name=f"第{start + i}区人民政府",
            slug=f"district-{start + i}",
            parent=city,
            kind=Agency.Kind.GOVERNMENT,
        )
        for i in range(districts)
    )
    agencies = governments + Agency.objects.bulk_create(
        Agency(name=f"{g.name}第{j}局", slug=f"{g.slug}-bureau-{j}", parent=g)
        for g in governments
        for j in range(departments)
    )
    periods = []
    for year in years:
        period, _ = ReportingPeriod.objects.get_or_create(
            year=year,
            defaults={
                "format_code": FORMATS[year],
                "opens_on": datetime.date(year + 1, 1, 1),
                "department_due": datetime.date(year + 1, 1, 31),
                "government_due": datetime.date(year + 1, 3, 31),
            },
        )
        periods.append(period)
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(agency=a, period=p, status=S.PUBLISHED) for a in agencies for p in periods
    )
    by_id = {a.pk: a for a in agencies}
    PublishedRevision.objects.bulk_create(
        PublishedRevision(
            report=r,
            number=1,
            # Every third agency publishes after the departments' due date.
            published_at=datetime.datetime(
                r.period.year + 1, 2 if r.agency_id % 3 == 0 else 1, 20, tzinfo=datetime.UTC
            ),
            published_by=publisher,
            snapshot=snapshot(by_id[r.agency_id], r.period.year, r.period.format_code, {CELL: "3"}),
        )
        for r in reports
    )
    rebuild_paths()
    public_index.rebuild()


@pytest.fixture
def publisher(db, django_user_model):
    return django_user_model.objects.create(username="publisher")


PATHS = [
    "/",
    "/?q=第&region=city",
    "/reports/2021/",
    "/reports/2021/?timing=late&kind=department&page=2",
    "/reports/2021/district-1/",
    "/reports/2021/district-1.json",
    "/reports/2021/district-1.csv",
    "/agencies/district-1/",
    "/aggregate/2021/",
    "/aggregate/2021/?agency=district-1",
    "/aggregate/2021.json",
    "/open-data/",
]


def count(client, path, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return len(queries), response


def counts(client) -> dict[str, tuple[int, int, int]]:
    """path → queries (first request, again, again with its ETag)."""
    found = {}
    for path in PATHS:
        first, response = count(client, path)
        again, _ = count(client, path)
        revalidated, not_modified = count(client, path, if_none_match=response["ETag"])
        assert not_modified.status_code == 304, path
        found[path] = (first, again, revalidated)
    return found


def test_every_public_page_runs_the_same_queries_at_any_size(client, publisher):
    publish_many(publisher, districts=3, departments=4, years=[2021, 2022])
    small = counts(client)
    publish_many(publisher, districts=30, departments=10, years=[2019, 2020, 2021, 2022])
    PublicFile.objects.all().delete()
    big = counts(client)
    assert small == big
    for path, (first, again, revalidated) in big.items():
        assert first <= 15, path
        assert again <= 2 and revalidated <= 2, path  # a stored file or a cached page


def test_the_year_list_is_a_page_at_a_time_and_filters(client, publisher):
    publish_many(publisher, districts=6, departments=20, years=[2021])  # 126 filings
    first = client.get("/reports/2021/").content.decode()
    assert first.count('<th scope="row">') == public.PAGE_SIZE
    assert "第1/3页，共126条" in first and "?page=2" in first
    assert client.get("/reports/2021/?page=3").content.decode().count('<th scope="row">') == 26
    late = client.get("/reports/2021/?timing=late&kind=department").content.decode()
    windows = public.visible_windows().filter(year=2021, agency__kind=Agency.Kind.DEPARTMENT)
    expected = sum(1 for w in windows if w.first_published_at.month == 2)
    assert f"符合条件的已公开报告共{expected}份" in late
    assert "逾期" in late and "按时</span>" not in late
    district = Agency.objects.get(slug="district-2")
    narrowed = client.get(f"/reports/2021/?region={district.slug}").content.decode()
    assert "符合条件的已公开报告共21份" in narrowed  # the district and its 20 departments


def test_no_list_page_grows_with_the_number_of_agencies(client, publisher):
    publish_many(publisher, districts=3, departments=20, years=[2021])  # more than a page
    small = {path: len(client.get(path).content) for path in ["/", "/reports/2021/"]}
    publish_many(publisher, districts=20, departments=20, years=[2021])
    PublicFile.objects.all().delete()
    for path, size in small.items():
        # A page of rows and a longer choice of regions (the districts): not the 420 filings.
        assert len(client.get(path).content) < size + 3000, path


def test_a_published_page_is_built_once_and_served_as_stored(client, publisher):
    publish_many(publisher, districts=1, departments=1, years=[2021])
    first = client.get("/reports/2021/district-1/")
    stored = PublicFile.objects.get(kind="html")
    assert PublicFile.unpack(stored.content) == first.content
    # What every process sends is the stored copy, not a page built again.
    PublicFile.objects.filter(pk=stored.pk).update(content=PublicFile.pack(b"<p>stored copy</p>"))
    assert client.get("/reports/2021/district-1/").content == b"<p>stored copy</p>"
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    assert (
        client.get(
            "/reports/2021/district-1/", headers={"if_none_match": first["ETag"]}
        ).status_code
        == 304
    )


def test_a_file_named_by_its_revision_is_immutable(client, publisher):
    publish_many(publisher, districts=1, departments=0, years=[2021])
    response = client.get("/reports/2021/district-1/v1.csv")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "attachment;" in response["Content-Disposition"]
    assert client.get("/reports/2021/district-1.csv")["Cache-Control"] == "public, max-age=60"


def test_a_cached_list_shows_a_publication_at_once(client, office, django_user_model):
    from reports import workflow
    from tests.helpers import complete, put

    report = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    assert client.get("/").status_code == 200  # cached with nothing published
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    page = client.get("/").content.decode()
    assert f"{office['period'].year}年度" in page and "1份报告" in page


def test_a_scheduled_revision_takes_over_at_its_time_in_every_process(publisher):
    publish_many(publisher, districts=1, departments=0, years=[2021])
    window = PublicationWindow.objects.get()
    later = timezone.now() + datetime.timedelta(days=1)
    report = window.revision.report
    correction = PublishedRevision.objects.create(
        report=report,
        number=2,
        published_at=later,
        published_by=publisher,
        snapshot=window.revision.snapshot,
    )
    public_index.record(correction)
    today, tomorrow = timezone.now(), later + datetime.timedelta(seconds=1)
    assert [w.number for w in public.visible_windows(today)] == [1]
    assert [w.number for w in public.visible_windows(tomorrow)] == [2]
    # The lists' cache key moves when the scheduled revision comes due: nothing to run then.
    assert public.state(today) != public.state(tomorrow)


def test_the_aggregate_of_a_subtree_follows_a_moved_agency(publisher):
    publish_many(publisher, districts=2, departments=3, years=[2021])
    one, two = Agency.objects.get(slug="district-1"), Agency.objects.get(slug="district-2")
    assert public.aggregate(2021, "district-1").values[CELL] == Decimal(12)  # 4 filings × 3
    moved = Agency.objects.get(slug="district-2-bureau-0")
    moved.parent = one
    moved.save()
    assert moved.path == f"{one.path}{moved.pk}/"
    assert public.aggregate(2021, "district-1").values[CELL] == Decimal(15)
    assert public.aggregate(2021, "district-2").count == 3
    assert moved.pk in subtree_ids({one.pk}) and moved.pk not in subtree_ids({two.pk})


def test_moving_a_government_moves_its_whole_subtree(publisher):
    publish_many(publisher, districts=2, departments=2, years=[2021])
    one, two = Agency.objects.get(slug="district-1"), Agency.objects.get(slug="district-2")
    two.parent = one
    two.save()
    for agency in Agency.objects.filter(slug__startswith="district-2-"):
        assert agency.path == f"{one.path}{two.pk}/{agency.pk}/"
    assert public.aggregate(2021, "district-1").count == 6


def test_health_checks_for_a_load_balancer(client, db):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").content == b"ok"
    assert len(queries) == 0
    assert client.get("/readyz").status_code == 200
