"""The 本级 report compiled from other filings: what each cell sums to, who contributed what, and
what a (re)compilation would change. Pure: plain values in, plain values out, no database.

A government's own report (本级) speaks for the government as a whole: its statistics tables
are the sum of chosen subordinate filings (signed or published) and its own office's. Each cell
is summed over the sources that filled it, totals included (as the public 汇总 sums them); a
cell blank in every source stays blank, since blank is not 0. So each compiled cell's
contributors add up to it.

A value the compiled filing holds that differs from what the last compilation wrote was typed
by hand since (an override). A refresh keeps the overridden input cells; the totals above them
follow the entry form's arithmetic (`Format.compute_totals`) rather than the sources' sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports.formats import Format
from reports.numbers import format_number

Values = dict[str, Decimal]


@dataclass(frozen=True)
class Source:
    """One filing summed into the compiled report, as it was read."""

    report_id: int
    agency_id: int
    agency_name: str
    agency_slug: str
    status: str  # AnnualReport.Status value of the filing
    state: str  # its state in words, e.g. 「已签发」, 「更正中，按已公开第1版」
    revision: int
    version: int
    values: Values = field(default_factory=dict)  # blank cells absent

    def to_json(self) -> dict:
        return {
            "report": self.report_id,
            "agency": self.agency_id,
            "name": self.agency_name,
            "slug": self.agency_slug,
            "status": self.status,
            "state": self.state,
            "revision": self.revision,
            "version": self.version,
            "values": {code: str(value) for code, value in self.values.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> Source:
        return cls(
            report_id=data["report"],
            agency_id=data["agency"],
            agency_name=data["name"],
            agency_slug=data["slug"],
            status=data["status"],
            state=data["state"],
            revision=data["revision"],
            version=data["version"],
            values={code: Decimal(value) for code, value in data["values"].items()},
        )

    @property
    def stamp(self) -> str:
        """Which reading of the filing this is: changes with its version and revision."""
        return f"{self.report_id}:{self.revision}:{self.version}"


def compile_sums(fmt: Format, sources: list[Source]) -> Values:
    """Cell code → the sum over the sources that filled the cell (every cell of `fmt`, totals
    included); a cell no source filled is left out (blank)."""
    sums = {}
    for spec in fmt.cells():
        filled = [source.values[spec.code] for source in sources if spec.code in source.values]
        if filled:
            sums[spec.code] = sum(filled, Decimal(0))
    return sums


@dataclass(frozen=True)
class Part:
    """One contributor of a compiled cell: the source and its value there (None: blank)."""

    source: Source
    value: Decimal | None

    @property
    def text(self) -> str:
        return format_number(self.value) if self.value is not None else ""


def contributors(code: str, sources: list[Source]) -> list[Part]:
    """Each source's value in cell `code`, in the sources' order; blank ones included."""
    return [Part(source, source.values.get(code)) for source in sources]


def parts_total(parts: list[Part]) -> Decimal | None:
    """What `parts` add up to, by the rule of `compile_sums`."""
    filled = [part.value for part in parts if part.value is not None]
    return sum(filled, Decimal(0)) if filled else None


def overrides(fmt: Format, compiled: Values, current: Values) -> set[str]:
    """The input cells (not totals) whose value now differs from what the compilation wrote
    (`compiled`): typed by hand since."""
    return {
        spec.code
        for spec in fmt.cells()
        if not spec.computed_from and current.get(spec.code) != compiled.get(spec.code)
    }


@dataclass(frozen=True)
class CellPlan:
    """One cell of a (re)compilation: what it holds, what the sources now sum to, what is
    written."""

    code: str
    label: str
    current: Decimal | None  # the compiled filing's value now
    summed: Decimal | None  # what the sources sum to now
    written: Decimal | None  # what the compilation leaves in the cell
    overridden: bool = False  # an input typed by hand since the last compilation: kept
    follows_override: bool = False  # a total recomputed over a kept override

    @property
    def changes(self) -> bool:
        return self.current != self.written

    @property
    def notable(self) -> bool:
        """A change worth a line of its own: anything but a blank cell getting 0."""
        return self.changes and not (self.current is None and self.written == 0)

    @property
    def current_text(self) -> str:
        return format_number(self.current) if self.current is not None else ""

    @property
    def summed_text(self) -> str:
        return format_number(self.summed) if self.summed is not None else ""

    @property
    def written_text(self) -> str:
        return format_number(self.written) if self.written is not None else ""


def plan(
    fmt: Format, sources: list[Source], current: Values, last_sums: Values | None
) -> list[CellPlan]:
    """Every cell of `fmt` as a compilation from `sources` would leave it, given the filing's
    `current` values and what the last compilation wrote (`last_sums`; None: never compiled,
    so nothing counts as an override and every cell takes its sum)."""
    sums = compile_sums(fmt, sources)
    kept = overrides(fmt, last_sums, current) if last_sums is not None else set()
    written = dict(sums)
    for code in kept:
        written.pop(code, None)
        if current.get(code) is not None:
            written[code] = current[code]
    recomputed = fmt.compute_totals(written) if kept else written
    plans = []
    for spec in fmt.cells():
        code = spec.code
        value = written.get(code)
        follows = False
        if spec.computed_from and kept and recomputed.get(code) != sums.get(code):
            value, follows = recomputed.get(code), True
        plans.append(
            CellPlan(
                code=code,
                label=spec.label,
                current=current.get(code),
                summed=sums.get(code),
                written=value,
                overridden=code in kept,
                follows_override=follows,
            )
        )
    return plans


def written_values(plans: list[CellPlan]) -> dict[str, Decimal | None]:
    """Cell code → value for every cell the compilation changes (None: made blank)."""
    return {p.code: p.written for p in plans if p.changes}
