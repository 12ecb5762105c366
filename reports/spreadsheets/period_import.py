"""The period sheet imported as a stream: a sheet of any length in the memory of a batch.

`import_period_sheet` reads the file line by line (`flat.sheet_rows`), checks and compares
`BATCH_ROWS` filings at a time with the rules of `reports.resources.PeriodSheetResource` (its
own row methods, so the command line and the admin's import refuse the same rows with the same
words), and writes each batch as soon as it is checked (`flat.write_period_rows`: row locks,
COPY). Everything happens in one transaction: after the first refused row nothing more is
written, the remaining rows are still checked so that every problem is named (line and
column), and the transaction is rolled back — nothing of the file is stored.

What a batch holds — its rows, the filings and values they name, their changes (handed to
`on_row` as each row is checked, e.g. to print them) — is replaced by the next batch's, so
10,000 filings take the memory of `BATCH_ROWS` (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from django.db import transaction
from import_export.results import RowResult

from reports.resources import PeriodSheetResource, import_problems
from reports.spreadsheets import flat
from reports.spreadsheets.safety import SpreadsheetError, Upload

BATCH_ROWS = 500
CHANGED = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)


@dataclass
class PeriodImport:
    """What an import of a period sheet did (or, as a preview or when refused, would do)."""

    filings: int = 0  # filings changed or created
    cells: int = 0  # cells changed
    unchanged: int = 0  # filings the sheet leaves as they are
    problems: list[str] = field(default_factory=list)  # 「第N行 列：问题」, every one found
    written: bool = False  # whether the changes are stored (not a preview, nothing refused)


def import_period_sheet(
    upload: Upload,
    *,
    period,
    by,
    dry_run: bool = False,
    versions_seen: dict | None = None,
    preview_versions: dict | None = None,
    on_row: Callable[[RowResult], None] | None = None,
) -> PeriodImport:
    """Import `upload` (a period sheet that passed `safety.check_upload`) into `period`.

    `by` is the importing user (None: the server operator). `versions_seen` (a dict, in a
    preview) is filled with each row's filing version; `preview_versions` (in a
    confirmation) is that dict as the preview filled it, and a row whose filing moved since
    is refused (`reports.spreadsheets.versions`). `on_row` gets the RowResult of each row
    that changes a filing (`line`, `object_repr`, `changes`) as it is checked.

    Side effects unless `dry_run` or refused: the cells, ValueChange rows, ImportRecord and
    history entries that `flat.write_period_rows` writes."""
    outcome = PeriodImport()
    importer = _Importer(upload, period, by, dry_run, versions_seen, preview_versions, on_row)
    with transaction.atomic():
        try:
            importer.run(outcome)
        except SpreadsheetError as problem:
            outcome.problems += problem.problems
        if outcome.problems or dry_run:
            transaction.set_rollback(True)
        else:
            if not importer.wrote:
                # As the admin's import does: one record that the file changed nothing.
                flat.record_period_import(
                    period=period, rows=[], by=by, file_name=upload.name, sha256=upload.sha256
                )
            outcome.written = True
    return outcome


class _Importer:
    def __init__(self, upload, period, by, dry_run, versions_seen, preview_versions, on_row):
        self.upload, self.period, self.by, self.dry_run = upload, period, by, dry_run
        self.kwargs = {"user": by, "dry_run": dry_run}
        if versions_seen is not None:
            self.kwargs["versions_seen"] = versions_seen
        if preview_versions is not None:
            self.kwargs["preview_versions"] = preview_versions
        self.on_row = on_row
        self.resource = PeriodSheetResource(period=period)
        self.seen: dict[str, int] = {}  # agency slug → line, across batches
        self.number = 0  # data rows read so far (the resource's row_number)
        self.wrote = False

    def run(self, outcome: PeriodImport) -> None:
        headers, batch = None, []
        for _line, row, formulas in flat.sheet_rows(self.upload):
            if headers is None:
                headers = flat.headers_of(row)
                outcome.problems += formulas
                continue
            self.number += 1
            if formulas:
                outcome.problems += formulas
                continue
            batch.append((self.number, flat.fit(row, len(headers))))
            if len(batch) == BATCH_ROWS:
                self.batch(headers, batch, outcome)
                batch = []
        if headers is None:
            raise SpreadsheetError(f"「{self.upload.name}」是空表。")
        if batch or self.number == 0:
            self.batch(headers, batch, outcome)

    def batch(self, headers: list[str], rows: list[tuple[int, list]], outcome) -> None:
        """Check `rows` (row number, values) and, while nothing is refused, write them."""
        resource = self.resource
        dataset = tablib.Dataset(*(values for _, values in rows), headers=list(headers))
        # The header check, then this batch's agencies, filings and values (three queries).
        resource.before_import(dataset, **self.kwargs)
        resource.seen = self.seen  # a repeated agency is found across batches too
        refused = resource.get_result_class()()
        for (number, _), values in zip(rows, dataset, strict=True):
            row = dict(zip(dataset.headers, values, strict=True))
            result = resource.import_row(row, None, row_number=number, **self.kwargs)
            if result.errors:
                refused.append_error_row(number, row, result.errors)
            elif result.validation_error is not None:
                refused.append_invalid_row(number, row, result.validation_error)
            elif result.import_type in CHANGED:
                outcome.filings += 1
                outcome.cells += len(result.changes)
                if self.on_row:
                    self.on_row(result)
            else:
                outcome.unchanged += 1
        outcome.problems += import_problems(refused)
        if self.dry_run or outcome.problems or not resource.rows:
            return
        try:
            flat.write_period_rows(
                period=self.period,
                rows=resource.rows,
                by=self.by,
                file_name=self.upload.name,
                sha256=self.upload.sha256,
            )
        except SpreadsheetError as problem:  # refused under the row locks: check on, write no more
            outcome.problems += problem.problems
        self.wrote = True
