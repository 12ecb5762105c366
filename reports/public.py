"""Reads for the public side: only published revisions, each page in a fixed number of queries.

The public never reads a live filing. It reads `PublishedRevision` rows —
the latest revision of each filing whose `published_at` has come — so a
draft, a filing under review, a correction in progress or a publication
scheduled for tomorrow is invisible (404) everywhere: pages, downloads, JSON.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from reports.access import subtree_ids
from reports.corrections import Change, diff
from reports.filing_data import FilingData
from reports.formats import find_format, get_format
from reports.formats.indicators import INDICATORS
from reports.models import Agency, PublishedRevision, ReportingPeriod


def visible_revisions(now=None):
    """The latest revision of each filing that the public may read now (one query)."""
    now = now or timezone.now()
    latest = (
        PublishedRevision.objects.filter(report=OuterRef("report"), published_at__lte=now)
        .order_by("-number")
        .values("number")[:1]
    )
    return PublishedRevision.objects.filter(
        published_at__lte=now, number=Subquery(latest)
    ).select_related("report__agency", "report__period")


@dataclass
class Listed:
    """One published filing in a list: no snapshot loaded."""

    revision: PublishedRevision

    @property
    def agency(self) -> Agency:
        return self.revision.report.agency

    @property
    def year(self) -> int:
        return self.revision.report.period.year

    @property
    def due(self) -> datetime.date:
        return self.revision.report.period.due_for(self.agency)

    @property
    def published_on(self) -> datetime.date:
        return timezone.localdate(self.revision.published_at)

    @property
    def on_time(self) -> bool:
        return self.published_on <= self.due

    @property
    def corrected(self) -> bool:
        return self.revision.number > 1


def listing(
    *, year: int | None = None, agency_slug: str | None = None, limit: int | None = None
) -> list[Listed]:
    """Published filings, newest year first (one query; snapshots are not read)."""
    revisions = visible_revisions().defer("snapshot")
    if year is not None:
        revisions = revisions.filter(report__period__year=year)
    if agency_slug is not None:
        revisions = revisions.filter(report__agency__slug=agency_slug)
    revisions = revisions.order_by("-report__period__year", "report__agency__name")
    if limit is not None:
        revisions = revisions[:limit]
    return [Listed(revision) for revision in revisions]


def recent(limit: int = 20) -> list[Listed]:
    """The latest publications, newest first (one query)."""
    revisions = visible_revisions().defer("snapshot").order_by("-published_at")[:limit]
    return [Listed(revision) for revision in revisions]


def subtree_years(agency: Agency) -> list[int]:
    """Years in which some agency under `agency` has published (for 汇总 links); two queries."""
    below = subtree_ids({agency.pk}) - {agency.pk}
    if not below:
        return []
    years = visible_revisions().filter(report__agency_id__in=below)
    return sorted(set(years.values_list("report__period__year", flat=True)), reverse=True)


def agencies_with_counts() -> list[tuple[str, str, int]]:
    """(slug, name, published filings) of every agency that has published (one query)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = visible_revisions().values_list("report__agency__slug", "report__agency__name")
    for slug, name in rows:
        counts[(slug, name)] += 1
    return sorted(((slug, name, n) for (slug, name), n in counts.items()), key=lambda r: r[1])


def years_with_counts() -> list[tuple[int, int]]:
    counts = defaultdict(int)
    for year in visible_revisions().values_list("report__period__year", flat=True):
        counts[year] += 1
    return sorted(counts.items(), reverse=True)


def filing(
    year: int, slug: str, number: int | None = None
) -> tuple[PublishedRevision, FilingData, list]:
    """A published filing (its latest visible revision, or revision `number`), 404 otherwise.

    Returns (revision, data, all visible revisions of the filing for the 更正 history).
    Two queries.
    """
    now = timezone.now()
    revisions = list(
        PublishedRevision.objects.filter(
            report__period__year=year, report__agency__slug=slug, published_at__lte=now
        )
        .select_related("report__agency", "report__period")
        .order_by("-number")
    )
    if not revisions:
        raise Http404("没有找到已公开的年度报告。")
    chosen = (
        revisions[0] if number is None else next((r for r in revisions if r.number == number), None)
    )
    if chosen is None:
        raise Http404("没有这个版本。")
    return chosen, FilingData.from_json(chosen.snapshot), revisions


@dataclass
class Correction:
    """What a corrected revision changed against `previous`, the revision the public read
    before it."""

    previous: PublishedRevision
    changes: list[Change]


def correction(revision: PublishedRevision, data: FilingData, revisions: list) -> Correction | None:
    """What `revision` (read as `data`) corrects, or None for a first publication.

    `revisions` are what `filing` returned: every visible revision of the filing, snapshots
    loaded, so this reads nothing more. The revision compared with is the latest visible one
    before it: revision n−1, unless that one is scheduled for a time still to come.
    """
    previous = next((r for r in revisions if r.number < revision.number), None)
    if previous is None:
        return None
    return Correction(previous, diff(FilingData.from_json(previous.snapshot), data))


def agency_or_404(slug: str) -> Agency:
    try:
        return Agency.objects.select_related("parent").get(slug=slug)
    except Agency.DoesNotExist:
        raise Http404("没有这个单位。") from None


@dataclass
class Trend:
    indicator: object
    points: list[tuple[int, Decimal | None]]  # (year, value) oldest first

    @property
    def maximum(self) -> Decimal:
        return max((v for _, v in self.points if v is not None), default=Decimal(0))


def agency_trends(agency: Agency) -> tuple[list[Listed], list[Trend]]:
    """Each indicator across the agency's published years (one query)."""
    revisions = list(
        visible_revisions().filter(report__agency=agency).order_by("report__period__year")
    )
    # Snapshot values only: each revision's JSON is read once, not once per indicator.
    years = [
        (r.report.period.year, r.report.period.format_code, r.snapshot["values"]) for r in revisions
    ]
    trends = []
    for indicator in INDICATORS:
        points = [
            (year, indicator.value(find_format(code), values)) for year, code, values in years
        ]
        if any(value is not None for _, value in points):
            trends.append(Trend(indicator, points))
    return [Listed(r) for r in reversed(revisions)], trends


@dataclass
class Aggregate:
    period: ReportingPeriod
    root: Agency | None
    included: list[Listed]
    values: dict[str, Decimal]

    @property
    def format(self):
        return get_format(self.period.format_code)

    @property
    def title(self) -> str:
        scope = f"{self.root.name}及所属单位" if self.root else "全部单位"
        return f"{self.period.year}年度政府信息公开工作年度报告汇总（{scope}）"


def aggregate(year: int, root_slug: str | None = None) -> Aggregate:
    """The official tables summed over every published filing of `year` (three queries).

    A cell is summed over the filings that filled it; blank stays blank only
    when no filing filled it.
    """
    try:
        period = ReportingPeriod.objects.get(year=year)
    except ReportingPeriod.DoesNotExist:
        raise Http404("没有这个报告年度。") from None
    revisions = visible_revisions().filter(report__period=period)
    root = None
    if root_slug:
        root = agency_or_404(root_slug)
        revisions = revisions.filter(Q(report__agency_id__in=subtree_ids({root.pk})))
    revisions = list(revisions.order_by("report__agency__name"))
    totals: dict[str, Decimal] = {}
    for revision in revisions:
        for code, value in revision.snapshot["values"].items():
            totals[code] = totals.get(code, Decimal(0)) + Decimal(value)
    return Aggregate(period, root, [Listed(r) for r in revisions], totals)
