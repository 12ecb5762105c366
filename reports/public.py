"""Reads for the public side: only published revisions, each page in a fixed number of queries.

The public never reads a live filing. It reads `PublishedRevision` rows through their
`PublicationWindow` (written with the revision, `reports.public_index`): a revision is visible
from its `published_at` until a later revision of its filing takes over. A draft, a filing
under review, a correction in progress or a publication scheduled for tomorrow is invisible
(404) everywhere: pages, downloads, JSON.

Lists are pages of at most `PAGE_SIZE` rows; counts and sums are `GROUP BY` in the database;
subtrees are `Agency.path` prefixes. No read here grows with the number of agencies beyond a
page, except the sums themselves, which the database does.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from reports.corrections import Change, diff
from reports.filing_data import FilingData
from reports.formats import find_format, get_format
from reports.formats.indicators import INDICATORS
from reports.models import (
    Agency,
    PublicationWindow,
    PublicFile,
    PublishedCell,
    PublishedRevision,
    ReportingPeriod,
)

PAGE_SIZE = 50
# The year list's 地区 choices: governments this close to the root (省, 市; a 区县 is reached
# from its own page). Deeper levels would make the choice list grow with the region.
REGION_DEPTH = 2


def visible_windows(now=None) -> QuerySet:
    """The window of each filing's revision that the public reads now."""
    now = now or timezone.now()
    return PublicationWindow.objects.filter(published_at__lte=now).filter(
        Q(visible_until__isnull=True) | Q(visible_until__gt=now)
    )


def visible_revisions(now=None) -> QuerySet:
    """The latest revision of each filing that the public may read now (one query)."""
    now = now or timezone.now()
    return (
        PublishedRevision.objects.filter(window__published_at__lte=now)
        .filter(Q(window__visible_until__isnull=True) | Q(window__visible_until__gt=now))
        .select_related("report__agency", "report__period")
        .order_by()
    )


def state(now=None) -> str:
    """What every public list depends on, as one string (one query of four index look-ups):
    the newest revision, the newest publication already visible, the latest change to any
    agency and to any period. Publishing, a scheduled publication coming due, renaming an
    agency or moving a due date each changes it."""
    now = now or timezone.now()
    window = connection.ops.quote_name(PublicationWindow._meta.db_table)
    agency = connection.ops.quote_name(Agency._meta.db_table)
    period = connection.ops.quote_name(ReportingPeriod._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(revision_id) FROM {window}),"
            f" (SELECT MAX(published_at) FROM {window} WHERE published_at <= %s),"
            f" (SELECT MAX(updated_at) FROM {agency}),"
            f" (SELECT MAX(updated_at) FROM {period})",
            [now],
        )
        return "|".join(str(value) for value in cursor.fetchone())


@dataclass
class Listed:
    """One published filing in a list: no snapshot loaded."""

    agency: Agency
    year: int
    number: int
    first_published_at: datetime.datetime
    due: datetime.date

    @property
    def published_on(self) -> datetime.date:
        """When the filing was first published (a correction keeps that date)."""
        return timezone.localdate(self.first_published_at)

    @property
    def on_time(self) -> bool:
        return self.published_on <= self.due

    @property
    def corrected(self) -> bool:
        return self.number > 1


def _listed(windows) -> list[Listed]:
    """`windows` (agency loaded) as Listed, with their periods' due dates (one query)."""
    windows = list(windows)
    periods = _periods({w.year for w in windows})
    return [_item(w, periods[w.year]) for w in windows]


def _periods(years) -> dict[int, ReportingPeriod]:
    return {p.year: p for p in ReportingPeriod.objects.filter(year__in=years)}


def _item(window: PublicationWindow, period: ReportingPeriod) -> Listed:
    return Listed(
        window.agency,
        window.year,
        window.number,
        window.first_published_at,
        period.due_for(window.agency),
    )


def years_with_counts() -> list[tuple[int, int]]:
    """(year, published filings), newest year first (one query)."""
    rows = visible_windows().values("year").annotate(n=Count("pk")).order_by("-year")
    return [(row["year"], row["n"]) for row in rows]


def recent(limit: int = 20) -> list[Listed]:
    """The latest publications, newest first (two queries)."""
    return _listed(visible_windows().select_related("agency").order_by("-published_at")[:limit])


def latest() -> PublicationWindow | None:
    """The most recently published filing (one query)."""
    return visible_windows().select_related("agency").order_by("-published_at").first()


def regions() -> list[Agency]:
    """The governments a list can be narrowed to (`REGION_DEPTH`), by name (one query)."""
    return list(
        Agency.objects.filter(
            kind=Agency.Kind.GOVERNMENT, path__regex=rf"^(/[0-9]+){{1,{REGION_DEPTH}}}/$"
        )
        .only("name", "slug", "path")
        .order_by("name")
    )


def region_or_404(slug: str | None) -> Agency | None:
    if not slug:
        return None
    return agency_or_404(slug)


@dataclass(frozen=True)
class YearFilter:
    """What the year list is narrowed to; each field as it appears in the query string."""

    timing: str = ""  # "" / "on_time" / "late"
    kind: str = ""  # "" / Agency.Kind value
    region: Agency | None = None

    TIMINGS = (("on_time", "按时公开"), ("late", "逾期公开"))


def year_page(year: int, filters: YearFilter, number) -> tuple[ReportingPeriod, Page, list[Listed]]:
    """One page of the year's published filings, by agency name (three queries); 404 for a
    year with no period."""
    try:
        period = ReportingPeriod.objects.get(year=year)
    except ReportingPeriod.DoesNotExist:
        raise Http404("没有这个报告年度。") from None
    windows = visible_windows().filter(year=year).select_related("agency")
    if filters.kind:
        windows = windows.filter(agency__kind=filters.kind)
    if filters.region is not None:
        windows = windows.filter(agency__path__startswith=filters.region.path)
    if filters.timing:
        on_time = on_time_in(period)
        windows = windows.filter(on_time if filters.timing == "on_time" else ~on_time)
    page = Paginator(windows.order_by("agency__name"), PAGE_SIZE).get_page(number)
    return period, page, [_item(w, period) for w in page.object_list]


def on_time_in(period: ReportingPeriod) -> Q:
    """Windows (of `period`) whose filing was first published by its due date."""
    government = Q(agency__kind=Agency.Kind.GOVERNMENT)
    return (government & Q(first_published_at__lt=_end_of(period.government_due))) | (
        ~government & Q(first_published_at__lt=_end_of(period.department_due))
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day`, in the portal's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def search_agencies(query: str, region: Agency | None, number) -> Page:
    """Agencies that have published, by name containing `query` and under `region`; a page of
    them with their published filings counted (three queries)."""
    agencies = Agency.objects.filter(Exists(visible_windows().filter(agency=OuterRef("pk"))))
    if query:
        agencies = agencies.filter(name__icontains=query)
    if region is not None:
        agencies = agencies.filter(path__startswith=region.path)
    published = (
        visible_windows()
        .filter(agency=OuterRef("pk"))
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agencies = agencies.select_related("parent").annotate(published=Subquery(published))
    return Paginator(agencies.order_by("name"), PAGE_SIZE).get_page(number)


@dataclass(frozen=True)
class Stored:
    """A stored public file (`PublicFile`) as `filing` found it; `content` None when not read."""

    etag: str
    name: str
    content: bytes | None


def filing(
    year: int, slug: str, number: int | None = None, *, kind: str, build: str, content: bool
) -> tuple[PublicationWindow, list[PublicationWindow], dict[tuple[int, str], Stored]]:
    """A published filing's window (its latest visible revision's, or revision `number`'s),
    404 otherwise; the windows of every visible revision of the filing, newest first, for the
    更正 history; and the files of `kind` stored for them under `build`, by (revision, variant),
    their bytes read only when `content`.

    One query, written out because it is what every request for a published page or file
    runs: the ORM's version of it cost as much again as the rest of the request.
    """
    window = connection.ops.quote_name(PublicationWindow._meta.db_table)
    agency = connection.ops.quote_name(Agency._meta.db_table)
    stored_file = connection.ops.quote_name(PublicFile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.revision_id, w.number, w.published_at, f.variant, f.etag, f.name,"
            f" {'f.content' if content else 'NULL'}"
            f" FROM {window} w JOIN {agency} a ON a.id = w.agency_id"
            f" LEFT JOIN {stored_file} f"
            f" ON f.revision_id = w.revision_id AND f.kind = %s AND f.build = %s"
            f" WHERE a.slug = %s AND w.year = %s AND w.published_at <= %s"
            f" ORDER BY w.number DESC",
            [kind, build, slug, year, timezone.now()],
        )
        rows = cursor.fetchall()
    windows: dict[int, PublicationWindow] = {}
    stored = {}
    for revision_id, number_, published_at, variant, etag, name, body in rows:
        if revision_id not in windows:
            windows[revision_id] = PublicationWindow(
                revision_id=revision_id, number=number_, published_at=published_at
            )
        if etag is not None:
            stored[(revision_id, variant)] = Stored(
                etag, name, None if body is None else PublicFile.unpack(body)
            )
    listed = list(windows.values())
    if not listed:
        raise Http404("没有找到已公开的年度报告。")
    chosen = listed[0] if number is None else next((w for w in listed if w.number == number), None)
    if chosen is None:
        raise Http404("没有这个版本。")
    return chosen, listed, stored


def revisions(windows: list[PublicationWindow]) -> list[PublishedRevision]:
    """The revisions of `windows`, snapshots included, newest first (one query): what building
    a page or a file of them reads."""
    return list(
        PublishedRevision.objects.filter(pk__in=[w.pk for w in windows])
        .select_related("report__agency", "report__period")
        .order_by("-number")
    )


@dataclass
class Correction:
    """What a corrected revision changed against `previous`, the revision the public read
    before it."""

    previous: PublishedRevision
    changes: list[Change]


def correction(revision: PublishedRevision, data: FilingData, revisions: list) -> Correction | None:
    """What `revision` (read as `data`) corrects, or None for a first publication.

    `revisions` are what `filing` returned: every visible revision of the filing. The revision
    compared with is the latest visible one before it: revision n−1, unless that one is
    scheduled for a time still to come.
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
    """The agency's published filings and each indicator across them (three queries, whatever
    the number of years: the cells are read from the index, not from the snapshots)."""
    windows = list(
        visible_windows().filter(agency=agency).select_related("agency").order_by("year")
    )
    periods = _periods({w.year for w in windows})
    values: dict[int, dict[str, Decimal]] = {w.pk: {} for w in windows}
    for window_id, code, value in PublishedCell.objects.filter(window__in=windows).values_list(
        "window_id", "code", "value"
    ):
        values[window_id][code] = value
    trends = []
    for indicator in INDICATORS:
        points = [
            (w.year, indicator.value(find_format(periods[w.year].format_code), values[w.pk]))
            for w in windows
        ]
        if any(value is not None for _, value in points):
            trends.append(Trend(indicator, points))
    return [_item(w, periods[w.year]) for w in reversed(windows)], trends


def subtree_years(agency: Agency) -> list[int]:
    """Years in which some agency under `agency` has published (for 汇总 links); one query."""
    below = visible_windows().filter(agency__path__startswith=agency.path).exclude(agency=agency)
    return list(below.order_by("-year").values_list("year", flat=True).distinct())


@dataclass
class Aggregate:
    period: ReportingPeriod
    root: Agency | None
    count: int  # filings summed
    values: dict[str, Decimal]

    @property
    def format(self):
        return get_format(self.period.format_code)

    @property
    def title(self) -> str:
        scope = f"{self.root.name}及所属单位" if self.root else "全部单位"
        return f"{self.period.year}年度政府信息公开工作年度报告汇总（{scope}）"


def aggregate(year: int, root_slug: str | None = None) -> Aggregate:
    """The official tables summed over every published filing of `year`, or of a subtree:
    `SUM … GROUP BY` in the database (four queries whatever the number of filings).

    A cell is summed over the filings that filled it; blank stays blank only when no filing
    filled it.
    """
    try:
        period = ReportingPeriod.objects.get(year=year)
    except ReportingPeriod.DoesNotExist:
        raise Http404("没有这个报告年度。") from None
    windows = visible_windows().filter(year=year)
    root = None
    if root_slug:
        root = agency_or_404(root_slug)
        windows = windows.filter(agency__path__startswith=root.path)
    sums = (
        PublishedCell.objects.filter(window__in=windows.values("pk"))
        .values("code")
        .annotate(total=Sum("value"))
        .values_list("code", "total")
        .order_by()
    )
    return Aggregate(period, root, windows.count(), {code: total for code, total in sums})
