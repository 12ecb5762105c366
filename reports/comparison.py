"""比对: this year's filing beside last year's published one, cell by cell.

Pure (no database, no Django). A reviewer's first question is "what moved since last year?":
`compare` puts the agency's last published revision of the year before next to this year's
values. Cells are matched by code, which the formats keep for the same meaning (2019 and 2021
share tables 三 and 四); a cell whose code last year's format lacks has no previous value — a
gap, never a guess. A move is marked (`Row.large`) when the value at least doubled or halved
and changed by at least `LARGE_CHANGE`.

The same `Comparison` feeds the entry and review pages, the per-filing 年度比对报告 (xlsx, docx)
and, summed up per agency, a 主管部门's view of the subtree (`moved_most`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports.filing_data import FilingData
from reports.formats.narrative import INTRO, SAME_MIN_LENGTH, paragraphs, squeezed
from reports.numbers import format_number

NOT_COMPARABLE = "无此项"  # last year's report lacks the cell (another format, or none)
LARGE_CHANGE = Decimal(10)  # and at least doubled or halved


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    unit: str
    last: Decimal | None
    this: Decimal | None
    # Last year's report had this cell (blank or not); False: nothing to compare with (no
    # report, or its format lacks the code), so the pages show nothing rather than 「空」.
    comparable: bool = True

    @property
    def change(self) -> Decimal | None:
        if self.last is None or self.this is None:
            return None
        return self.this - self.last

    @property
    def large(self) -> bool:
        """At least doubled or halved, and by at least `LARGE_CHANGE`."""
        change = self.change
        if change is None or abs(change) < LARGE_CHANGE:
            return False
        low, high = sorted((abs(self.last), abs(self.this)))
        return high >= 2 * low

    @property
    def change_text(self) -> str:
        """The change as printed ("+20", "-3"); "" when unchanged or not comparable."""
        change = self.change
        if not change:
            return ""
        return ("+" if change > 0 else "") + format_number(change)

    @property
    def last_text(self) -> str:
        return _text(self.last) if self.comparable else NOT_COMPARABLE

    @property
    def this_text(self) -> str:
        return _text(self.this)


def _text(value: Decimal | None) -> str:
    return "空" if value is None else format_number(value)


@dataclass
class Comparison:
    agency_name: str
    year: int
    last_year: int | None  # None: nothing published for the year before
    rows: list[Row] = field(default_factory=list)  # every cell of this year's format
    same_paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (section, text)

    @property
    def by_code(self) -> dict[str, Row]:
        return {row.code: row for row in self.rows}

    @property
    def large(self) -> list[Row]:
        return [row for row in self.rows if row.large]

    @property
    def title(self) -> str:
        return f"{self.agency_name}{self.year}年度报告与{self.last_year or self.year - 1}年度比对"


def compare(current: FilingData, previous: FilingData | None) -> Comparison:
    """This year's `current` beside `previous`, the agency's last published revision of the
    year before (None when there is none)."""
    fmt = current.format
    given = {code: v for code, v in current.values.items() if v is not None}
    this = {**fmt.compute_totals(given), **given}  # a total typed as printed wins
    last: dict[str, Decimal] = {}
    had = set()
    if previous is not None and previous.known_format:
        had = {spec.code for spec in previous.format.cells()}
        given_before = {code: v for code, v in previous.values.items() if v is not None}
        last = {**previous.format.compute_totals(given_before), **given_before}
        last = {code: v for code, v in last.items() if previous.format.has_cell(code)}
    rows = [
        Row(
            spec.code,
            spec.label,
            spec.unit,
            last.get(spec.code),
            this.get(spec.code),
            comparable=spec.code in had,
        )
        for spec in fmt.cells()
    ]
    return Comparison(
        agency_name=current.agency_name,
        year=current.year,
        last_year=previous.year if previous is not None else None,
        rows=rows,
        same_paragraphs=_same_paragraphs(current, previous) if previous else [],
    )


def _same_paragraphs(current: FilingData, previous: FilingData) -> list[tuple[str, str]]:
    """Paragraphs of this year's 正文 found word for word in last year's (whatever section)."""
    before = {
        squeezed(p)
        for key, text in previous.narrative.items()
        if key != INTRO
        for p in paragraphs(text)
    }
    found = []
    for section in current.format.narrative.writable():
        for paragraph in paragraphs(current.narrative.get(section.key, "")):
            text = squeezed(paragraph)
            if len(text) >= SAME_MIN_LENGTH and text in before:
                found.append((section.name, paragraph))
    return found


@dataclass(frozen=True)
class Mover:
    """One agency of a subtree, by how much its figures moved."""

    agency_name: str
    agency_slug: str
    large: int  # cells marked large
    compared: int  # cells with a value both years
    biggest: Row | None  # the largest absolute change


def moved_most(comparisons: list[Comparison], slugs: list[str]) -> list[Mover]:
    """Agencies ordered by how many cells moved a lot, then by their largest change."""
    movers = []
    for comparison, slug in zip(comparisons, slugs, strict=True):
        both = [row for row in comparison.rows if row.change is not None]
        biggest = max(both, key=lambda row: abs(row.change), default=None)
        movers.append(
            Mover(comparison.agency_name, slug, len(comparison.large), len(both), biggest)
        )
    return sorted(
        movers,
        key=lambda m: (-m.large, -(abs(m.biggest.change) if m.biggest else 0), m.agency_slug),
    )
