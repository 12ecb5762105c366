"""Benchmark: the public side at 100, 1,000 and 10,000 agencies × 8 years, served as production
serves it (gunicorn, 2 sync workers, DEBUG off, PostgreSQL, connections kept).

Prints numbers; it is not a timed test. Run from the project root with PostgreSQL reachable:

    .venv/bin/python bench/public.py                      # 100, 1,000 and 10,000 agencies
    .venv/bin/python bench/public.py --agencies 1000      # one size
    BENCH_DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench_public ...

For each size: a fresh database (dropped and created; the role must be allowed to), migrated;
then, with COPY, the agencies (a province, its cities and districts, departments under each),
8 years of periods (2018–2025, the three formats) and one published revision per agency and
year holding every cell of its format, a website form and the seed's narrative, with their
public index (windows and cells) as `reports.public_index` writes it.

Then every page is measured against its ceiling in the same run:
- each page's median time over sequential requests (after the first, which builds and stores
  it), against a static file of the same size that whitenoise serves from the same processes;
- its bytes, and its queries (in-process, Django's test client: first request and again);
- 304 on revalidation of the filing page;
- 汇总 of the 2021 filings computed by `reports.public.aggregate` against the raw SQL sum over
  the same rows;
- throughput with 8 concurrent connections: the filing page against `/healthz`, errors counted.
Results are recorded in docs/benchmarks.md.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://portal:portal@127.0.0.1:5432/portal_bench_public"
YEARS = range(2018, 2026)
PORT = 8765
REQUESTS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, action="append")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database the last run left (one size) instead of writing it again",
    )
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-not-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    results = {}
    for agencies in args.agencies or [100, 1000, 10000]:
        if "django" in sys.modules and hasattr(sys.modules["django"], "apps"):
            from django.db import connections

            connections.close_all()  # the database is about to be dropped
        if not args.reuse:
            recreate_database(url)
        results[agencies] = measure(agencies, reuse=args.reuse)
    print(json.dumps(results, ensure_ascii=False, indent=1))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)


# --- the data ------------------------------------------------------------------------------


def populate(agencies: int) -> dict:
    """Write the agencies, periods, filings, revisions and their public index; returns the
    slugs the pages are measured on."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from reports.demo.loader import load_demo
    from reports.filing_data import FilingData
    from reports.formats import get_format
    from reports.models import Agency, AnnualReport, PublishedRevision, ReportingPeriod
    from reports.selectors import filing_data
    from reports.services import period_defaults

    load_demo()  # the seed filing: its narrative and website form fill every revision
    seed = filing_data(AnnualReport.objects.get(agency__slug="nanchang-edu", period__year=2018))
    texts = [text for text in seed.narrative.values() if text]
    publisher = get_user_model().objects.get(username="admin")
    periods = {}
    for year in YEARS:
        defaults = period_defaults(year)
        periods[year], _ = ReportingPeriod.objects.update_or_create(
            year=year, defaults={**defaults, "is_open": False}
        )

    # The tree: a province; cities under it; districts under the cities; departments under
    # every government. One government for every 50 agencies.
    governments = max(3, agencies // 50)
    cities = max(1, governments // 10)
    rows, parent_of = [], {}
    next_id = Agency.objects.order_by("-id").values_list("id", flat=True).first() + 1
    province = next_id
    rows.append((province, "省人民政府", None, "government", "province"))
    city_ids = [province + 1 + i for i in range(cities)]
    for i, pk in enumerate(city_ids):
        rows.append((pk, f"第{i + 1}市人民政府", province, "government", f"city-{i + 1}"))
    district_ids = [city_ids[-1] + 1 + i for i in range(governments - 1 - cities)]
    for i, pk in enumerate(district_ids):
        rows.append(
            (pk, f"第{i + 1}区人民政府", city_ids[i % cities], "government", f"district-{i + 1}")
        )
    govs = [province, *city_ids, *district_ids]
    pk = (district_ids or city_ids)[-1]
    for i in range(agencies - len(govs)):
        pk += 1
        parent = govs[i % len(govs)]
        rows.append((pk, f"第{i + 1}局", parent, "department", f"bureau-{i + 1}"))
    for pk, _, parent, _, _ in rows:
        parent_of[pk] = parent

    def path(pk):
        chain = []
        while pk is not None:
            chain.append(pk)
            pk = parent_of[pk]
        return "/" + "/".join(str(p) for p in reversed(chain)) + "/"

    now = datetime.datetime.now(datetime.UTC)
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY reports_agency (id, name, short_name, parent_id, kind, slug, address, postcode,"
            " phone, fax, email, website, path, created_at, updated_at) FROM STDIN"
        ) as copy:
            for pk, name, parent, kind, slug in rows:
                copy.write_row(
                    (pk, name, "", parent, kind, slug, "", "", "", "", "", "", path(pk), now, now)
                )
        cursor.execute("SELECT setval('reports_agency_id_seq', %s)", [pk])
    created = AnnualReport.objects.bulk_create(
        (
            AnnualReport(agency_id=agency, period=periods[year], status="published")
            for agency, *_ in rows
            for year in YEARS
        ),
        batch_size=5000,
    )
    kinds = {pk: kind for pk, _, _, kind, _ in rows}
    names = {pk: (name, slug) for pk, name, _, _, slug in rows}
    random.seed(7)
    revision_id = PublishedRevision.objects.order_by("-id").values_list("id", flat=True).first()
    first_revision = revision_id
    with connection.cursor() as cursor:
        with (
            cursor.copy(
                "COPY reports_publishedrevision (id, report_id, number, published_at,"
                " published_by_id, correction_note, snapshot, sha256, previous_sha256,"
                " year_previous_sha256) FROM STDIN"
            ) as revisions,
        ):
            windows, cells = [], []
            # One snapshot per format (the seed's contact, websites and paragraphs, in the
            # format's sections); each revision changes the agency and the values only.
            base = {}
            for code in {p.format_code for p in periods.values()}:
                fmt = get_format(code)
                narrative = {
                    section.key: texts[i % len(texts)]
                    for i, section in enumerate(fmt.narrative.sections)
                    if section.writable
                }
                data = FilingData(
                    **{
                        **seed.__dict__,
                        "format_code": code,
                        "status": "published",
                        "narrative": narrative,
                    }
                )
                base[code] = (data.to_json(), [spec.code for spec in fmt.cells()])
            for report in created:
                year = report.period.year
                document, codes = base[periods[year].format_code]
                values = {code: random.randint(0, 300) for code in codes}
                name, slug = names[report.agency_id]
                document = {
                    **document,
                    "agency_name": name,
                    "agency_slug": slug,
                    "agency_kind": kinds[report.agency_id],
                    "year": year,
                    "values": {code: str(value) for code, value in values.items()},
                }
                revision_id += 1
                # Departments publish in January, governments in March; one in ten is late.
                month = 1 if kinds[report.agency_id] == "department" else 3
                day = 20 if revision_id % 10 else 28
                late = revision_id % 10 == 0
                published = datetime.datetime(
                    year + 1, month + (1 if late else 0), day, 2, tzinfo=datetime.UTC
                )
                revisions.write_row(
                    (
                        revision_id,
                        report.pk,
                        1,
                        published,
                        publisher.pk,
                        "",
                        json.dumps(document, ensure_ascii=False),
                        "0" * 64,
                        "",
                        "",
                    )
                )
                windows.append((revision_id, report.agency_id, year, 1, published, published, None))
                cells.extend((revision_id, code, value) for code, value in values.items())
        cursor.execute("SELECT setval('reports_publishedrevision_id_seq', %s)", [revision_id])
        with cursor.copy(
            "COPY reports_publicationwindow (revision_id, agency_id, year, number, published_at,"
            " first_published_at, visible_until) FROM STDIN"
        ) as copy:
            for row in windows:
                copy.write_row(row)
        with cursor.copy("COPY reports_publishedcell (window_id, code, value) FROM STDIN") as copy:
            for row in cells:
                copy.write_row(row)
        cursor.execute("ANALYZE")
    assert revision_id - first_revision == len(rows) * len(YEARS)
    department = next(slug for pk, (name, slug) in names.items() if kinds[pk] == "department")
    return {"department": department, "district": names[govs[-1]][1], "cells": len(cells)}


def existing() -> dict:
    """The slugs `populate` returned, read back from the database it wrote."""
    import django

    django.setup()
    from reports.models import Agency, PublishedCell

    governments = Agency.objects.filter(kind="government", slug__startswith="district-")
    return {
        "department": Agency.objects.filter(slug="bureau-1").get().slug,
        "district": governments.order_by("-pk").values_list("slug", flat=True).first() or "city-1",
        "cells": PublishedCell.objects.count(),
    }


# --- measuring -----------------------------------------------------------------------------


def pages(slugs: dict) -> dict[str, str]:
    return {
        "filing page": f"/reports/2021/{slugs['department']}/",
        "filing json": f"/reports/2021/{slugs['department']}.json",
        "home": "/",
        "home search": "/?q=%E5%B1%80",  # 局
        "year list": "/reports/2021/",
        "year list, page 3, late": "/reports/2021/?timing=late&page=3",
        "agency page": f"/agencies/{slugs['department']}/",
        "汇总 page": "/aggregate/2021/",
        "汇总 of a district": f"/aggregate/2021/?agency={slugs['district']}",
        "open data": "/open-data/",
    }


def get(path: str, headers: dict | None = None) -> tuple[int, bytes, float, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - start
    conn.close()
    return response.status, body, seconds, dict(response.getheaders())


def median_ms(path: str, n: int = REQUESTS) -> float:
    for _ in range(3):
        get(path)
    return statistics.median(get(path)[2] for _ in range(n)) * 1000


def throughput(path: str, seconds: float = 5.0, connections: int = 8) -> tuple[float, int]:
    done, errors = [0], [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            try:
                status = get(path)[0]
            except OSError:
                status = 0
            with lock:
                done[0] += 1
                errors[0] += status != 200

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / seconds, errors[0]


def serve():
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            get("/healthz")
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def stop(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def measure(agencies: int, reuse: bool = False) -> dict:
    start = time.perf_counter()
    slugs = existing() if reuse else populate(agencies)
    print(
        f"\n== {agencies} agencies × {len(YEARS)} years: populated in "
        f"{time.perf_counter() - start:.0f} s ({slugs['cells']:,} cells)"
    )
    from django.conf import settings

    urls = pages(slugs)
    queries = count_queries(urls)
    sql, orm = aggregate_against_sql()

    server = serve()
    sizes = {}
    for label, path in urls.items():
        status, body, _, _ = get(path)
        assert status == 200, (label, status)
        sizes[label] = len(body)
    stop(server)
    twins = Path(settings.STATIC_ROOT) / "bench"
    twins.mkdir(exist_ok=True)
    for size in sizes.values():
        (twins / f"{size}.html").write_bytes(b"x" * size)

    server = serve()
    try:
        rows = {}
        for label, path in urls.items():
            page = median_ms(path)
            static = median_ms(f"/static/bench/{sizes[label]}.html")
            rows[label] = {
                "ms": round(page, 2),
                "static ms": round(static, 2),
                "ratio": round(page / static, 1),
                "KB": round(sizes[label] / 1024, 1),
                "queries first/again": queries[label],
            }
            print(
                f"{label:<26}{page:8.2f} ms  static {static:6.2f} ms  {page / static:5.1f}×"
                f"  {sizes[label] / 1024:8.1f} KB  queries {queries[label]}"
            )
        filing = urls["filing page"]
        etag = get(filing)[3]["ETag"]
        revalidated = get(filing, {"If-None-Match": etag})[0]
        print(f"filing page revalidated with its ETag: {revalidated}")
        healthz, healthz_errors = throughput("/healthz")
        page, page_errors = throughput(filing)
        print(
            f"throughput, 8 connections: filing page {page:.0f} req/s ({page_errors} errors), "
            f"/healthz {healthz:.0f} req/s ({healthz_errors} errors): {page / healthz:.0%}"
        )
        print(
            f"汇总 2021 ({agencies} filings): public.aggregate {orm:.1f} ms, raw SQL {sql:.1f} ms:"
            f" {orm / sql:.2f}×"
        )
    finally:
        stop(server)
    return {
        "pages": rows,
        "304": revalidated,
        "throughput": {
            "filing": round(page),
            "healthz": round(healthz),
            "errors": page_errors + healthz_errors,
        },
        "aggregate": {"orm ms": round(orm, 1), "sql ms": round(sql, 1)},
    }


def count_queries(urls: dict) -> dict[str, str]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.models import PublicFile

    cache.clear()
    PublicFile.objects.all().delete()
    client = Client()
    found = {}
    for label, path in urls.items():
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, label
            counts.append(len(queries))
        found[label] = "/".join(map(str, counts))
    return found


def aggregate_against_sql(year: int = 2021, runs: int = 5) -> tuple[float, float]:
    from django.db import connection

    from reports import public

    raw = (
        "SELECT c.code, SUM(c.value) FROM reports_publishedcell c"
        " JOIN reports_publicationwindow w ON w.revision_id = c.window_id"
        " WHERE w.year = %s GROUP BY c.code"
    )

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(raw, [year])
            return cursor.fetchall()

    def best(function):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    assert len(sql()) == len(public.aggregate(year).values)
    return best(sql), best(lambda: public.aggregate(year))


if __name__ == "__main__":
    main()
