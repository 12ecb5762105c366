"""Reads across levels (本级 and the levels below): the progress of a whole subtree, and the
filings a government's 本级 report is compiled from. Each in a fixed number of queries,
whatever the number of agencies.

The pure parts (sums, contributors, what a refresh changes) are in `reports.compilation`; the
write is `reports.services.report_compile`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from reports import selectors
from reports.compilation import CellPlan, Part, Source, contributors, overrides, plan
from reports.filing_data import FilingData
from reports.models import Agency, AnnualReport, Compilation, ReportValue
from reports.numbers import format_number
from reports.public import visible_revisions

S = AnnualReport.Status
# The states whose filing may be summed as it stands: signed by the 单位负责人, or published.
SIGNED = (S.PARENT_REVIEW, S.APPROVED, S.PUBLISHED)


class CompileRefusal(Exception):
    """The compilation asked for cannot be made; str() says why, naming the agency."""


# --- the 本级 report compiled ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An agency below the government, its filing of the year, and whether it can be summed."""

    agency: Agency
    report: AnnualReport | None
    source: Source | None  # None: cannot be summed now (see `refusal`)
    refusal: str = ""
    government_id: int | None = None  # the government compiled

    @property
    def directly_under(self) -> bool:
        """Summable and directly under the government: included when nobody chose."""
        return self.source is not None and self.agency.parent_id == self.government_id


def _state(report: AnnualReport) -> str:
    return report.get_status_display()


def candidates(government: Agency, period) -> list[Candidate]:
    """Every agency below `government` (its subtree, itself left out), nearest first, with
    its filing of `period` and, when it is signed or published, what it would contribute:
    the live values of a signed or published filing; the last published revision of one whose
    correction is under way; nothing for the others (with why). Three queries."""
    below = Agency.objects.filter(path__startswith=government.path).exclude(pk=government.pk)
    agencies = sorted(below, key=lambda a: (a.path.count("/"), a.kind, a.name))
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(period=period, agency__in=below).select_related(
            "agency", "period"
        )
    }
    live = [r.pk for r in reports.values() if r.status in SIGNED]
    values = defaultdict(dict)
    rows = ReportValue.objects.filter(report_id__in=live, value__isnull=False)
    for report_id, code, value in rows.values_list("report_id", "code", "value"):
        values[report_id][code] = value
    published = {}
    others = [r.pk for r in reports.values() if r.status not in SIGNED]
    if others:
        revisions = visible_revisions().filter(report_id__in=others).order_by("report_id", "number")
        for report_id, number, snapshot in revisions.values_list("report_id", "number", "snapshot"):
            published[report_id] = (number, snapshot)  # the latest number wins
    found = []
    for agency in agencies:
        report = reports.get(agency.pk)
        source, refusal = None, ""
        if report is None:
            refusal = "尚未填报"
        elif report.status in SIGNED:
            source = _source(report, _state(report), values[report.pk])
        elif report.pk in published:
            number, snapshot = published[report.pk]
            data = FilingData.from_json(snapshot)
            state = f"{_state(report)}（更正中），按已公开第{number}版"
            source = _source(report, state, data.values)
        else:
            refusal = f"{_state(report)}，尚未签发"
        found.append(Candidate(agency, report, source, refusal, government.pk))
    return found


def _source(report: AnnualReport, state: str, values: dict) -> Source:
    return Source(
        report_id=report.pk,
        agency_id=report.agency_id,
        agency_name=report.agency.name,
        agency_slug=report.agency.slug,
        status=report.status,
        state=state,
        revision=report.revision,
        version=report.version,
        values={code: Decimal(value) for code, value in values.items() if value is not None},
    )


def last_compilation(report: AnnualReport) -> Compilation | None:
    if report.pk is None:
        return None
    return report.compilations.select_related("compiled_by").first()


def chosen(
    government: Agency, found: list[Candidate], include: list[str] | None, last
) -> list[Source]:
    """The sources of a compilation: the agencies `include` names (slugs), each of which must
    be below `government` and signed or published; without `include`, those of the last
    compilation, or else every agency directly under the government that can be summed."""
    by_slug = {c.agency.slug: c for c in found}
    if include is None and last is not None:
        include = [source["slug"] for source in last.sources]
    if include is None:
        picked = [c for c in found if c.directly_under]
        if not picked:
            raise CompileRefusal(
                f"「{government.name}」的下级单位中没有已签发或已公开的报告，无法汇总。"
            )
        return [c.source for c in picked]
    sources = []
    for slug in dict.fromkeys(include):
        candidate = by_slug.get(slug)
        if candidate is None:
            raise CompileRefusal(f"单位「{slug}」不是「{government.name}」的下级单位，不能汇总。")
        if candidate.source is None:
            raise CompileRefusal(
                f"「{candidate.agency.name}」的报告{candidate.refusal}，不能纳入汇总。"
            )
        sources.append(candidate.source)
    if not sources:
        raise CompileRefusal("请至少选择一个单位的报告进行汇总。")
    return sources


def check_government(agency: Agency) -> None:
    """Refuse to compile anything but a government's 本级 report."""
    if agency.kind != Agency.Kind.GOVERNMENT:
        raise CompileRefusal(
            f"「{agency.name}」不是政府，只有政府的本级报告可以由下级单位的报告汇总生成。"
        )


@dataclass
class CompilePreview:
    """What compiling `report` from `sources` would do, cell by cell."""

    report: AnnualReport  # may be unsaved: the government has no filing of the year yet
    candidates: list[Candidate]
    sources: list[Source]
    plans: list[CellPlan]
    last: Compilation | None

    @property
    def changes(self) -> list[CellPlan]:
        return [p for p in self.plans if p.changes]

    @property
    def zero_fills(self) -> int:
        """Blank cells the compilation fills with 0 (listed only on request)."""
        return sum(p.changes and not p.notable for p in self.plans)

    @property
    def kept(self) -> list[CellPlan]:
        return [p for p in self.plans if p.overridden]

    @property
    def left_out(self) -> list[Candidate]:
        """Agencies directly under the government that are not summed, with their state."""
        summed = {s.agency_id for s in self.sources}
        return [
            c
            for c in self.candidates
            if c.agency.parent_id == self.report.agency_id and c.agency.pk not in summed
        ]

    @property
    def stamp(self) -> str:
        """The sources as read (each filing's revision and version), for applying exactly what
        the preview showed: a source saved or moved since gives another stamp."""
        text = ",".join(sorted(s.stamp for s in self.sources))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def compile_preview(report: AnnualReport, include: list[str] | None = None) -> CompilePreview:
    """Compiling government filing `report` (saved or not) from the filings `include` names
    (see `chosen`). Raises CompileRefusal for a filing that is not a government's, or sources
    that cannot be summed. Six queries."""
    government = report.agency
    check_government(government)
    found = candidates(government, report.period)
    last = last_compilation(report)
    sources = chosen(government, found, include, last)
    current = selectors.report_values(report)[0] if report.pk else {}
    last_sums = _decimals(last.sums) if last else None
    plans = plan(report.format, sources, current, last_sums)
    return CompilePreview(report, found, sources, plans, last)


def _decimals(sums: dict) -> dict[str, Decimal]:
    return {code: Decimal(value) for code, value in sums.items()}


@dataclass(frozen=True)
class CompiledCell:
    """A cell of a compiled filing: its value, what its contributors summed to, and them."""

    code: str
    label: str
    value: Decimal | None
    summed: Decimal | None
    parts: list[Part]
    overridden: bool

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def summed_text(self) -> str:
        return format_number(self.summed)


@dataclass
class Contributor:
    """A source of the last compilation, and its filing now (state, and whether it changed)."""

    source: Source
    state_now: str
    changed: bool  # saved, corrected or moved since: a refresh would read it again


@dataclass
class CompiledView:
    compilation: Compilation
    contributors: list[Contributor]
    overridden: set[str] = field(default_factory=set)
    sums: dict[str, Decimal] = field(default_factory=dict)

    @property
    def stale(self) -> list[Contributor]:
        return [c for c in self.contributors if c.changed]

    def cell(self, fmt, code: str, value: Decimal | None) -> CompiledCell:
        return CompiledCell(
            code=code,
            label=fmt.cell(code).label,
            value=value,
            summed=self.sums.get(code),
            parts=contributors(code, [c.source for c in self.contributors]),
            overridden=code in self.overridden,
        )


def compiled_view(report: AnnualReport, values: dict) -> CompiledView | None:
    """The last compilation of `report` (None if it was never compiled), its contributors as
    they are now, and the input cells typed by hand since (`values`: the filing's values now).
    Two queries."""
    last = last_compilation(report)
    if last is None:
        return None
    sources = [Source.from_json(data) for data in last.sources]
    now = {
        r.pk: r
        for r in AnnualReport.objects.filter(pk__in=[s.report_id for s in sources]).only(
            "status", "revision", "version"
        )
    }
    people = []
    for source in sources:
        current = now.get(source.report_id)
        if current is None:
            people.append(Contributor(source, "已不存在", True))
            continue
        moved = (current.revision, current.version, current.status) != (
            source.revision,
            source.version,
            source.status,
        )
        people.append(Contributor(source, current.get_status_display(), moved))
    sums = _decimals(last.sums)
    return CompiledView(last, people, overrides(report.format, sums, values), sums)


# --- progress across levels ------------------------------------------------------------------

# The five stages a 上级 counts, and the board's states in each.
STAGES = {
    "未提交": ("未开始", "填报中"),
    "待审核": ("待审核", "待签发", "待主管部门审核"),
    "退回": ("已退回",),
    "已签发": ("已签发",),
    "已公开": ("已公开",),
}
STAGE_OF_STATE = {state: stage for stage, states in STAGES.items() for state in states}


@dataclass
class Counts:
    """How many agencies are at each stage, and how many are late."""

    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    overdue: int = 0
    total: int = 0

    def add(self, row) -> None:
        self.stages[STAGE_OF_STATE[row.state]] += 1
        self.overdue += row.overdue
        self.total += 1


@dataclass
class Level:
    """A government and the departments under it (one 本级), or agencies with no government
    above them in view (`government` None)."""

    government: Agency | None
    depth: int  # 1 for the highest governments in view, 2 for those under them, …
    rows: list = field(default_factory=list)  # selectors.BoardRow, filtered
    counts: Counts = field(default_factory=Counts)

    @property
    def title(self) -> str:
        return f"{self.government.name}本级" if self.government else "其他单位"


@dataclass
class Progress:
    levels: list[Level]
    tiers: dict[int, Counts]  # depth → counts over its levels
    counts: Counts
    shown: int  # rows left after the filters


@dataclass(frozen=True)
class BoardFilters:
    """What the board is narrowed to (every field optional)."""

    stage: str = ""  # one of STAGES
    overdue: bool = False
    kind: str = ""  # Agency.Kind
    depth: int | None = None
    name: str = ""

    def keeps(self, row, depth: int) -> bool:
        """Whether `row` stays in view (the counts ignore `stage` and `overdue`)."""
        return self.scope(row, depth) and (
            (not self.stage or STAGE_OF_STATE[row.state] == self.stage)
            and (not self.overdue or row.overdue)
        )

    def scope(self, row, depth: int) -> bool:
        return (
            (not self.kind or row.agency.kind == self.kind)
            and (self.depth is None or depth == self.depth)
            and (not self.name or self.name in row.agency.name)
        )


def progress(period, agency_ids, *, today, filters: BoardFilters | None = None) -> Progress:
    """The board over the whole subtree in view (`agency_ids`; None: every agency), grouped by
    level: each government with the departments under it, highest first. Counts follow the
    scope filters (kind, level, name), not the stage and overdue ones. Two queries
    (`selectors.progress_board`)."""
    filters = filters or BoardFilters()
    rows = selectors.progress_board(period, agency_ids, today=today)
    agencies = {row.agency.pk: row.agency for row in rows}

    def government_of(agency: Agency) -> Agency | None:
        current = agency
        while current is not None:
            if current.kind == Agency.Kind.GOVERNMENT:
                return current
            current = agencies.get(current.parent_id)
        return None

    def depth_of(government: Agency | None) -> int:
        depth, current = 0, government
        while current is not None:
            depth += current.kind == Agency.Kind.GOVERNMENT
            current = agencies.get(current.parent_id)
        return max(depth, 1)

    levels: dict[int | None, Level] = {}
    for row in rows:
        government = government_of(row.agency)
        key = government.pk if government else None
        if key not in levels:
            levels[key] = Level(government, depth_of(government))
        levels[key].rows.append(row)
    tiers: dict[int, Counts] = defaultdict(Counts)
    total, shown = Counts(), 0
    for level in levels.values():
        kept = []
        for row in level.rows:
            if not filters.scope(row, level.depth):
                continue
            level.counts.add(row)
            tiers[level.depth].add(row)
            total.add(row)
            if filters.keeps(row, level.depth):
                kept.append(row)
        # The government first, then its departments by name.
        level.rows = sorted(kept, key=lambda r: (r.agency.pk != key_of(level), r.agency.name))
        shown += len(level.rows)
    ordered = sorted(
        (level for level in levels.values() if level.counts.total),
        key=lambda level: (
            level.government is None,
            level.depth,
            level.government.name if level.government else "",
        ),
    )
    return Progress(ordered, dict(sorted(tiers.items())), total, shown)


def key_of(level: Level) -> int | None:
    return level.government.pk if level.government else None
