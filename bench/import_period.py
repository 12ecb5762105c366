"""Benchmark: import a flat period sheet of 1,000 filings in the 2021 format.

Prints numbers; it is not a timed test. Run from the project root:

    .venv/bin/python bench/import_period.py              # a fresh temporary SQLite file
    .venv/bin/python bench/import_period.py --configured # a test database on DATABASE_URL
    .venv/bin/python bench/import_period.py --filings 200 --format csv

Steps: migrate a fresh database; create 1,000 agencies and their empty 2021 filings; write
the flat sheet (every one of the 200 cells of each filing filled) as .xlsx; then, timed and
with the SQL queries counted: read the file (size, zip and formula checks), the preview
(django-import-export dry run) and the import itself; finally import the same file again
(zero changes expected). Results are recorded in docs/benchmarks.md.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=1000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument(
        "--configured",
        action="store_true",
        help="create a test database next to the configured one (DATABASE_URL) instead of SQLite",
    )
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="bench-import-")
    if not args.configured:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # measure reading, not the cap
    if args.configured:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        run(args, connection, workdir.name)
    finally:
        if args.configured:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        workdir.cleanup()


def timed(connection, label, function):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
    print(f"{label:<34}{seconds:8.2f} s {len(queries):8d} queries")
    return result


def run(args, connection, workdir) -> None:
    from reports import services
    from reports.models import Agency, AnnualReport, ReportingPeriod, ReportValue, ValueChange
    from reports.resources import PeriodSheetResource, import_problems
    from reports.spreadsheets import flat
    from reports.spreadsheets.safety import check_upload

    period = ReportingPeriod.objects.create(**services.period_defaults(2021))
    root = Agency.objects.create(name="基准测试市人民政府", slug="bench-city", kind="government")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准测试单位{n:04d}", slug=f"bench-{n:04d}", parent=root)
        for n in range(args.filings)
    )
    AnnualReport.objects.bulk_create(AnnualReport(agency=a, period=period) for a in agencies)

    resource = PeriodSheetResource(period=period)
    dataset = resource.export(AnnualReport.objects.filter(period=period))
    randomly = random.Random(2021)
    codes = {h for h in dataset.headers if flat.header_code(h) not in flat.KEY_HEADERS}
    filled = dataset.headers
    rows = [
        [
            value if header not in codes else randomly.randint(0, 500)
            for header, value in zip(filled, row, strict=True)
        ]
        for row in dataset
    ]
    dataset.wipe()
    dataset.headers = filled
    for row in rows:
        dataset.append(row)
    data = flat.dataset_bytes(dataset, args.format)
    path = Path(workdir) / f"period-2021.{args.format}"
    path.write_bytes(data)
    cells = len(rows) * len(codes)
    print(
        f"database: {connection.vendor}; {args.filings} filings × {len(codes)} cells = {cells} cells"
    )
    print(f"file: {path.name}, {len(data) / 1024:.0f} KB")
    print()

    def read():
        return flat.load_dataset(check_upload(path.read_bytes(), path.name))

    def load(dry_run):
        def go():
            result = PeriodSheetResource(period=period).import_data(
                read(),
                dry_run=dry_run,
                rollback_on_validation_errors=True,
                file_name=path.name,
                user=None,
            )
            problems = import_problems(result)
            if problems:
                raise SystemExit("import refused: " + "; ".join(problems[:5]))
            return result

        return go

    timed(connection, "read + checks (xlsx/csv → rows)", read)
    timed(connection, "preview (dry run)", load(True))
    result = timed(connection, "import (1st, every cell new)", load(False))
    stored = ReportValue.objects.filter(report__period=period).count()
    audited = ValueChange.objects.filter(report__period=period).count()
    print(
        f"  → {len(result.valid_rows())} filings changed, {stored} values stored, {audited} ValueChange rows"
    )
    again = timed(connection, "import (2nd, same file)", load(False))
    print(f"  → {len(again.valid_rows())} filings changed, {again.totals['skip']} unchanged")


if __name__ == "__main__":
    main()
