"""The official layout of a format's tables, shaped for templates.

One structure serves the entry page (inputs), the read-only view, and later
the public page, print and PDF: `reports/_tables.html` renders it either way.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from reports.formats import CellSpec, Format, HeaderCell, Table, codes
from reports.formats.codes import website_field
from reports.formats.website import FOOTER, MEDIA_FOLLOWERS, MEDIA_PLATFORMS
from reports.formats.website_values import display, ticks, to_json
from reports.numbers import format_number


@dataclass
class Cell:
    spec: CellSpec
    text: str  # the value as shown / as typed
    note: str = ""
    error: str = ""
    flagged: str = ""  # "error" / "warning" when a rule names this cell
    reasons: tuple = ()  # open review reasons pinned to this cell
    last_year: object = None  # reports.comparison.Row when last year is shown beside (比对)
    source: object = None  # where an import preview read the value (reports.backfill.importing)

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
    target: str = ""  # the row's code as a review reason's target (codes.row_code), if any
    reasons: tuple = ()  # open review reasons pinned to the row


@dataclass
class RenderedTable:
    table: Table
    header_rows: tuple[tuple[HeaderCell, ...], ...]
    lines: list[Line]
    width: int  # value columns printed
    reasons: tuple = ()  # open review reasons pinned to the whole table

    @property
    def blank_inputs(self) -> int:
        """Cells a person types into (not totals) that show no value."""
        return sum(
            1
            for line in self.lines
            for cell in line.cells
            if cell is not None and not cell.computed and not cell.text.strip()
        )

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
    reasons: dict | None = None,
    comparison=None,
    sources: dict | None = None,
) -> list[RenderedTable]:
    """The tables of `fmt` filled with `values` (code → Decimal) and `notes`.

    `typed` (code → text) overrides values with what a user typed into a form
    that failed to save, so nothing typed is lost; `errors` (code → message)
    marks refused cells; `findings` flags every cell a rule names; `reasons`
    (target code → open review reasons, `selectors.open_reasons`) puts each reason beside the
    cell, row or table it is pinned to and marks those cells "pinned"; `comparison`
    (`reports.comparison.Comparison`) puts last year's published value and the change beside
    each cell (比对); `sources` (code → `reports.backfill.importing.CellSource`) puts where a
    published report printed each value beside it (the import preview).
    """
    notes, typed, errors = notes or {}, typed or {}, errors or {}
    flagged = {}
    for finding in findings or []:
        for code in finding.cells:
            if _outranks(finding.severity, flagged.get(code)):
                flagged[code] = str(finding.severity)
    last_year = comparison.by_code if comparison is not None else {}
    sources = sources or {}
    reasons = reasons or {}
    for code in reasons:
        flagged.setdefault(code, "pinned")

    def cell(spec: CellSpec) -> Cell:
        code = spec.code
        if code in typed:
            text, note = typed[code]
        else:
            value: Decimal | None = values.get(code)
            text, note = format_number(value), notes.get(code, "")
        return Cell(
            spec,
            text,
            note,
            error=errors.get(code, ""),
            flagged=flagged.get(code, ""),
            reasons=tuple(reasons.get(code, ())),
            last_year=last_year.get(code),
            source=sources.get(code),
        )

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
            # A row is a target of its own where it has more than one cell.
            target = "" if table.single_value else codes.row_code(table.code, row.code)
            lines.append(
                Line(
                    "data",
                    row.label,
                    row.level,
                    row.unit,
                    cells,
                    target=target,
                    reasons=tuple(reasons.get(target, ())),
                )
            )
        part = codes.table_part_code(table.code)
        rendered.append(
            RenderedTable(table, table.header_rows, lines, width, tuple(reasons.get(part, ())))
        )
    return rendered


# --- 政府网站工作年度报表 --------------------------------------------------------------


@dataclass
class FormLine:
    """One printed line of the website form: [section][group] caption | value."""

    caption: str
    section: str = ""
    section_span: int = 0  # rowspan of the section cell; 0 = covered by the cell above
    group: str = ""
    group_span: int = 0
    caption_span: int = 1  # 2 when there is no group column, 3 for the top fields
    field: object = None  # reports.formats.website.Field, or None for media lines
    shown: str = ""  # the value as printed
    typed: object = ""  # the value as an input holds it (text, or a set of ticked codes)
    note: str = ""
    error: str = ""
    flagged: str = ""
    target: str = ""  # the line's code as a review reason's target (codes.website_code)
    reasons: tuple = ()  # open review reasons pinned to it


def _typed_text(field, value):
    """A stored value as a form input holds it."""
    if field.kind == "yesno":
        return {"yes"} if value is True else {"no"} if value is False else set()
    if field.kind == "choice":
        return set(ticks(value))  # several when kept as printed (历史补录)
    if field.kind == "multichoice":
        return set(value or ())
    if field.kind == "date" and value:
        return f"{value.year}年{value.month}月{value.day}日"
    return to_json(value) or ""


def render_website(
    form_format,
    values: dict,
    notes: dict,
    media: list,
    *,
    typed: dict | None = None,
    errors: dict | None = None,
    findings: list | None = None,
    position: int = 1,
    signatures: dict | None = None,
    reasons: dict | None = None,
) -> dict:
    """The website form in its printed layout: {"lines", "footer", "title", "reasons"}.

    `values` are typed (reports.formats.website_values.typed); `typed` (field code →
    text or list) overrides them after a failed save so nothing typed is lost.
    `signatures` (footer field code → name or date, see `websites.sign_off`)
    replaces the typed footer once the filing is signed. `reasons` (target code → open
    review reasons, `selectors.open_reasons`) puts each reason beside its field, the
    移动新媒体 list's beside its first line, the whole form's under "reasons".
    """
    typed, errors, reasons = typed or {}, errors or {}, reasons or {}
    flagged = {}
    for finding in findings or []:
        for code in finding.cells:
            field_code = website_field(code, position)
            if field_code and _outranks(finding.severity, flagged.get(field_code)):
                flagged[field_code] = str(finding.severity)

    def line_for(field, **layout) -> FormLine:
        value = values.get(field.code)
        target = codes.website_code(position, field.code)
        return FormLine(
            caption=field.caption,
            field=field,
            shown=display(field, value),
            typed=typed[field.code] if field.code in typed else _typed_text(field, value),
            note=notes.get(field.code, ""),
            error=errors.get(field.code, ""),
            flagged=flagged.get(field.code, "") or ("pinned" if target in reasons else ""),
            target=target,
            reasons=tuple(reasons.get(target, ())),
            **layout,
        )

    lines, footer = [], []
    for section, groups in form_format.sections():
        section_lines = []
        for group, fields in groups:
            if not section:
                target = footer if fields[0].code in FOOTER else lines
                target += [line_for(f, caption_span=3) for f in fields]
                continue
            group_lines = [line_for(f, caption_span=1 if group else 2) for f in fields]
            if group:
                group_lines[0].group = form_format.heading(group)
                group_lines[0].group_span = len(group_lines)
            section_lines += group_lines
            if any(f.code == "has_media" for f in fields):
                media_lines = _media_lines(media, MEDIA_PLATFORMS, MEDIA_FOLLOWERS)
                media_code = codes.website_code(position, codes.MEDIA)
                for line in media_lines:
                    line.target = media_code
                media_lines[0].reasons = tuple(reasons.get(media_code, ()))
                section_lines += media_lines
        if section_lines:
            section_lines[0].section = form_format.heading(section)
            section_lines[0].section_span = len(section_lines)
            lines += section_lines
    # Once signed, the footer shows the real accounts and date of the sign-off.
    for line in footer:
        signed = (signatures or {}).get(line.field.code)
        if signed:
            line.shown = display(line.field, signed)
    return {
        "title": form_format.name,
        "lines": lines,
        "footer": footer,
        "reasons": tuple(reasons.get(codes.form_part_code(position), ())),
    }


def _media_lines(media, platforms, followers_label) -> list[FormLine]:
    """移动新媒体: per account 名称 / 信息发布量 / 关注量 (微信: 订阅数); 其他: one line."""
    result = []
    for platform, label in platforms:
        accounts = [a for a in media if a.platform == platform] or [None]
        for account in accounts:
            if platform not in followers_label:
                result.append(
                    FormLine(
                        "名称", group=label, group_span=1, shown=account.name if account else ""
                    )
                )
                continue
            rows = [
                FormLine("名称", shown=account.name if account else ""),
                FormLine(
                    "信息发布量（单位：条）", shown=format_number(account.posts) if account else ""
                ),
                FormLine(
                    f"{followers_label[platform]}（单位：个）",
                    shown=format_number(account.followers) if account else "",
                ),
            ]
            rows[0].group, rows[0].group_span = label, len(rows)
            result += rows
    return result


_RANK = {"hint": 1, "warning": 2, "error": 3}


def _outranks(severity, shown: str | None) -> bool:
    """A cell shows its gravest finding: a 「无法核对」 hint never hides a blank's error."""
    return _RANK.get(str(severity), 0) > _RANK.get(shown or "", 0)
