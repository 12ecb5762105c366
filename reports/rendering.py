"""The official layout of a format's tables, shaped for templates.

One structure serves the entry page (inputs), the read-only view, and later
the public page, print and PDF: `reports/_tables.html` renders it either way.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from reports.formats import CellSpec, Format, HeaderCell, Table
from reports.numbers import format_number


@dataclass
class Cell:
    spec: CellSpec
    text: str  # the value as shown / as typed
    note: str = ""
    error: str = ""
    flagged: str = ""  # "error" / "warning" when a rule names this cell

    @property
    def computed(self) -> bool:
        return bool(self.spec.computed_from)

    @property
    def parts(self) -> str:
        return " ".join(self.spec.computed_from)


@dataclass
class Line:
    kind: str  # "data"; "heading" (a label row); "title" + "block": a block's title and header
    label: str = ""
    level: int = 0
    unit: str = ""
    cells: list[Cell | None] = field(default_factory=list)  # None: no cell in this column
    header: tuple[HeaderCell, ...] = ()
    pad: int = 0  # empty columns after a block header narrower than the table


@dataclass
class RenderedTable:
    table: Table
    header_rows: tuple[tuple[HeaderCell, ...], ...]
    lines: list[Line]
    width: int  # value columns printed

    @property
    def caption(self) -> str:
        if self.table.number:
            return f"{self.table.number}、{self.table.title}"
        return self.table.title

    @property
    def span(self) -> int:
        """Columns of the whole table, label and unit columns included."""
        return self.width + int(self.table.label_column) + int(self.table.show_units)


def render_tables(
    fmt: Format,
    values: dict,
    notes: dict | None = None,
    *,
    typed: dict | None = None,
    errors: dict | None = None,
    findings: list | None = None,
) -> list[RenderedTable]:
    """The tables of `fmt` filled with `values` (code → Decimal) and `notes`.

    `typed` (code → text) overrides values with what a user typed into a form
    that failed to save, so nothing typed is lost; `errors` (code → message)
    marks refused cells; `findings` flags every cell a rule names.
    """
    notes, typed, errors = notes or {}, typed or {}, errors or {}
    flagged = {}
    for finding in findings or []:
        for code in finding.cells:
            if flagged.get(code) != "error":
                flagged[code] = str(finding.severity)

    def cell(spec: CellSpec) -> Cell:
        code = spec.code
        if code in typed:
            text, note = typed[code]
        else:
            value: Decimal | None = values.get(code)
            text, note = format_number(value), notes.get(code, "")
        return Cell(spec, text, note, errors.get(code, ""), flagged.get(code, ""))

    rendered = []
    for table in fmt.tables:
        width = max(len(table.row_columns(row)) for row in table.rows)
        lines = []
        for row in table.rows:
            if header := table.block_header(row):
                lines.append(Line("title", row.label, row.level))
                lines.append(Line("block", header=header, pad=width - len(header) + 1))
                continue
            if row.heading:
                lines.append(Line("heading", row.label, row.level, row.unit))
                continue
            columns = table.row_columns(row)
            cells: list[Cell | None] = [cell(table.cell(row.code, c.code)) for c in columns]
            cells += [None] * (width - len(cells))
            lines.append(Line("data", row.label, row.level, row.unit, cells))
        rendered.append(RenderedTable(table, table.header_rows, lines, width))
    return rendered
