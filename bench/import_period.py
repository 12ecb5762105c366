"""Benchmark: import a flat period sheet of many filings in the 2021 format.

Prints numbers; it is not a timed test. Run from the project root:

    .venv/bin/python bench/import_period.py              # a fresh temporary SQLite file
    .venv/bin/python bench/import_period.py --configured # a test database on DATABASE_URL
    .venv/bin/python bench/import_period.py --filings 10000 --format csv
    .venv/bin/python bench/import_period.py --door admin # django-import-export's import_data

Steps: migrate a fresh database; create the agencies and their empty 2021 filings; write the
flat sheet (every one of the 200 cells of each filing filled). Then a fresh process (what
`manage.py import_period` is: Django started, nothing else in memory) times, with the SQL
queries counted: reading the file (size, zip and formula checks, every line), the preview
(dry run), the import itself, the same file again (zero changes), and the floor — the same
cell and ValueChange rows written by COPY (PostgreSQL) or one prepared INSERT (SQLite) from
rows already built, in a transaction rolled back. It ends with that process's peak resident
memory (VmHWM, see `peak_mb`). Results are recorded in docs/benchmarks.md.

`--door stream` (default) is `reports.spreadsheets.period_import` (the command line);
`--door admin` is `PeriodSheetResource.import_data`, the admin's import page.
"""

import argparse
import os
import random
import resource
import subprocess
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
    parser.add_argument("--door", choices=["stream", "admin"], default="stream")
    parser.add_argument(
        "--configured",
        action="store_true",
        help="create a test database next to the configured one (DATABASE_URL) instead of SQLite",
    )
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        measure(args)
        return

    workdir = tempfile.TemporaryDirectory(prefix="bench-import-")
    if not args.configured:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    if args.configured:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        path = prepare(args, connection, workdir.name)
        connection.close()  # the measuring process opens its own
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
        command = [sys.executable, __file__, "--child", str(path), "--door", args.door]
        subprocess.run(command, env=env, check=True)
    finally:
        if args.configured:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        workdir.cleanup()


def database_url(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def prepare(args, connection, workdir) -> Path:
    """The agencies, their empty 2021 filings and the sheet filling every cell of each."""
    from reports import services
    from reports.models import Agency, AnnualReport, ReportingPeriod
    from reports.resources import PeriodSheetResource
    from reports.spreadsheets import flat

    period = ReportingPeriod.objects.create(**services.period_defaults(2021))
    root = Agency.objects.create(name="基准测试市人民政府", slug="bench-city", kind="government")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准测试单位{n:05d}", slug=f"bench-{n:05d}", parent=root)
        for n in range(args.filings)
    )
    AnnualReport.objects.bulk_create(AnnualReport(agency=a, period=period) for a in agencies)

    dataset = PeriodSheetResource(period=period).export(AnnualReport.objects.filter(period=period))
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
    print(
        f"database: {connection.vendor}; {args.filings} filings × {len(codes)} cells "
        f"= {len(rows) * len(codes)} cells; door: {args.door}"
    )
    print(f"file: {path.name}, {len(data) / 1024:.0f} KB")
    print()
    return path


def timed(connection, label, function):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
    print(f"{label:<36}{seconds:8.2f} s {len(queries):8d} queries {peak_mb():8.0f} MB peak")
    return result, seconds


def peak_mb() -> float:
    """This process's peak resident memory so far: VmHWM where /proc has it (Linux). Not
    ru_maxrss there: Linux keeps it across fork and exec, so a process started by this
    bench would report the bench's own peak (the sheet built in memory) as its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(args) -> None:
    from django.conf import settings
    from django.db import connection

    from reports.models import ReportingPeriod, ReportValue, ValueChange
    from reports.spreadsheets import flat
    from reports.spreadsheets.safety import check_upload

    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # measure reading, not the cap
    path = Path(args.child)
    period = ReportingPeriod.objects.get(year=2021)
    importer = admin_door if args.door == "admin" else stream_door

    def read():
        upload = check_upload(path.read_bytes(), path.name)
        return sum(1 for _ in flat.sheet_rows(upload))

    timed(connection, "read + checks (every line)", read)
    timed(connection, "preview (dry run)", lambda: importer(path, period, dry_run=True))
    changed, seconds = timed(
        connection, "import (1st, every cell new)", lambda: importer(path, period, dry_run=False)
    )
    stored = ReportValue.objects.filter(report__period=period).count()
    audited = ValueChange.objects.filter(report__period=period).count()
    print(f"  → {changed} filings changed, {stored} values stored, {audited} ValueChange rows")
    again, _ = timed(
        connection, "import (2nd, same file)", lambda: importer(path, period, dry_run=False)
    )
    print(f"  → {again} filings changed")
    peak = peak_mb()
    rows = floor_rows(period)
    _, floor = timed(connection, f"floor: {floor_name()} of the same rows", lambda: write(rows))
    print()
    print(f"import (1st) / floor: {seconds / floor:.1f}×")
    print(f"peak RSS of this process (read, preview, both imports): {peak:.0f} MB")
    print("(the floor's line: the rows it writes are built in memory first, after that peak)")


def stream_door(path, period, *, dry_run) -> int:
    from reports.spreadsheets.period_import import import_period_sheet
    from reports.spreadsheets.safety import check_upload

    outcome = import_period_sheet(
        check_upload(path.read_bytes(), path.name), period=period, by=None, dry_run=dry_run
    )
    if outcome.problems:
        raise SystemExit("import refused: " + "; ".join(outcome.problems[:5]))
    return outcome.filings


def admin_door(path, period, *, dry_run) -> int:
    from reports.resources import PeriodSheetResource, import_problems
    from reports.spreadsheets import flat
    from reports.spreadsheets.safety import check_upload

    result = PeriodSheetResource(period=period).import_data(
        flat.load_dataset(check_upload(path.read_bytes(), path.name)),
        dry_run=dry_run,
        rollback_on_validation_errors=True,
        file_name=path.name,
        user=None,
    )
    problems = import_problems(result)
    if problems:
        raise SystemExit("import refused: " + "; ".join(problems[:5]))
    return len(result.valid_rows())


def floor_name() -> str:
    from django.db import connection

    return "COPY" if connection.vendor == "postgresql" else "INSERT"


def floor_rows(period) -> tuple[list, list]:
    """As many cell and ValueChange rows as the first import wrote (200 per filing), built
    as `flat.write_period_rows` builds them."""
    from django.db import connection
    from django.utils import timezone

    from reports.models import AnnualReport
    from reports.spreadsheets import flat

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    reports = list(AnnualReport.objects.filter(period=period).values_list("pk", flat=True))
    codes = [f"bench-{n}" for n in range(200)]
    cells = [(pk, code, 7, "") for pk in reports for code in codes]
    audit = [
        (pk, code, None, 7, "", "", "", "", None, flat.IMPORT, now)
        for pk in reports
        for code in codes
    ]
    return cells, audit


def write(rows) -> None:
    """The floor: `rows` written by `flat.insert_rows` (COPY on PostgreSQL) into the same
    tables (their triggers fire), rolled back."""
    from django.db import transaction

    from reports.models import ReportValue, ValueChange
    from reports.spreadsheets import flat

    cells, audit = rows
    with transaction.atomic():
        flat.insert_rows(ReportValue, ("report", "code", "value", "note"), cells)
        flat.insert_rows(ValueChange, flat.AUDIT_COLUMNS, audit)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
