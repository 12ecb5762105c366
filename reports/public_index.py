"""Writes the public side's index of a published revision: its window and its cells.

`record` runs inside `workflow._freeze`, in the transaction that writes the revision, so the
index never lags the record; `rebuild` writes it all again from the revisions
(`manage.py rebuild_public_index`). Reads are in `reports.public`.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import groupby

from django.db import transaction
from django.db.models import Q

from reports.formats import find_format
from reports.formats.variants import national_values
from reports.models import PublicationWindow, PublishedCell, PublishedRevision

BATCH = 5000


def cell_values(snapshot: dict) -> list[tuple[str, Decimal]]:
    """(code, value) of every filled statistics cell of a revision's snapshot, keyed by the
    national format's codes: a declared variant's twins under theirs, its own cells under their
    own (`reports.formats.variants.national_values`), so 汇总 and trends include it."""
    values = {code: Decimal(value) for code, value in snapshot.get("values", {}).items()}
    fmt = find_format(snapshot.get("format_code"))
    return list((national_values(fmt, values) if fmt is not None else values).items())


def index_rows(revisions: Iterable) -> Iterator[tuple[dict, list[tuple[str, Decimal]]]]:
    """(window fields, cells) of each revision. `revisions` come ordered by filing, then number,
    with `report.period` loaded; a revision is superseded by the earliest later one."""
    for _, group in groupby(revisions, key=lambda revision: revision.report_id):
        group = list(group)
        until = None  # the earliest published_at of the revisions after the current one
        rows = []
        for revision in reversed(group):
            rows.append(
                {
                    "revision_id": revision.pk,
                    "agency_id": revision.report.agency_id,
                    "year": revision.report.period.year,
                    "number": revision.number,
                    "published_at": revision.published_at,
                    "first_published_at": group[0].published_at,
                    "visible_until": until,
                }
            )
            until = revision.published_at if until is None else min(until, revision.published_at)
        for revision, window in zip(group, reversed(rows), strict=True):
            yield window, cell_values(revision.snapshot)


def record(revision: PublishedRevision) -> PublicationWindow:
    """Index a revision just written: its window, its cells, and the end of the windows of the
    filing's earlier revisions, which it supersedes from its `published_at` on."""
    report = revision.report
    at = revision.published_at
    PublicationWindow.objects.filter(revision__report=report, number__lt=revision.number).filter(
        Q(visible_until__isnull=True) | Q(visible_until__gt=at)
    ).update(visible_until=at)
    first = (
        at
        if revision.number == 1
        else PublicationWindow.objects.filter(revision__report=report, number=1)
        .values_list("published_at", flat=True)
        .first()
    )
    window = PublicationWindow.objects.create(
        revision=revision,
        agency_id=report.agency_id,
        year=report.period.year,
        number=revision.number,
        published_at=at,
        first_published_at=first or at,
    )
    PublishedCell.objects.bulk_create(
        (
            PublishedCell(window=window, code=code, value=value)
            for code, value in cell_values(revision.snapshot)
        ),
        batch_size=BATCH,
    )
    return window


@transaction.atomic
def rebuild() -> int:
    """Write the whole index again from the revisions, in batches; returns how many revisions
    it indexed."""
    PublishedCell.objects.all().delete()
    PublicationWindow.objects.all().delete()
    revisions = PublishedRevision.objects.select_related("report__period").order_by(
        "report_id", "number"
    )
    count = 0
    windows, cells = [], []
    for window, values in index_rows(revisions.iterator(chunk_size=500)):
        windows.append(PublicationWindow(**window))
        cells.extend(
            PublishedCell(window_id=window["revision_id"], code=code, value=value)
            for code, value in values
        )
        count += 1
        if len(cells) >= BATCH:
            _write(windows, cells)
            windows, cells = [], []
    _write(windows, cells)
    return count


def _write(windows: list, cells: list) -> None:
    PublicationWindow.objects.bulk_create(windows, batch_size=BATCH)
    PublishedCell.objects.bulk_create(cells, batch_size=BATCH)
