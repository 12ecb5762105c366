"""Reading a format's statistics tables out of a report's text, each value with its source.

Pure Python (no Django). For each table of the format, in its declared row order:

1. its rows' labels are found in order (`_align`): the chain of label hits, starting at one of
   the first rows, that finds the most rows, each within `WINDOW` characters of the last;
2. after each found label, up to the next printed label of the format (any table, header or
   section title), the numbers form the row's *region* (`_runs`): only numbers standing
   before any other text count — a number after stray text may belong to a row whose label
   the extraction broke, so it is reported as not placed, never given to this row;
3. a block's or table's column order is read off its printed header when every column label
   is there once (any order); otherwise the declared order is used. A multi-row header (表三)
   must read as declared (row by row, or left to right); another order leaves the table
   unread, with a note;
4. as many numbers as cells: each is its cell's value (``printed``); fewer: the numbers are
   flattened runs, cut by `splitting` only where the arithmetic forces one way (``split``);
   more: the row is flagged.

A table without a label column (表四) is found by its header: the longest unbroken chain
of its header labels; its one row's numbers follow the chain.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from reports.formats.base import CellSpec, Format, Row, Table
from reports.numbers import NumberError, parse_number

from . import splitting
from .labels import Hit, boundaries, find, table_labels
from .reading import AMBIGUOUS, CellReading, Reading, Source, Unplaced
from .text import Stream

WINDOW = 400  # characters between one row's label and the next that may hold its numbers
TAIL = 300  # the most characters after the last label that may hold its numbers
SNIPPET = 160
MONEY = ("万元", "元")
COUNTING = ("人次", "条", "件", "个", "人", "次", "篇", "项")
_PAREN = re.compile(r"\([^()\n]{0,80}\)")
_BLANKS = {"-", "--", "—", "——", "/", "-—"}
_RULE = re.compile(r"^[-—:|]{3,}$")  # a markdown table's |---| line
_THOUSANDS = re.compile(r",(?=\d{3})")


def read_tables(stream: Stream, fmt: Format, reading: Reading) -> None:
    """Fill `reading.cells` (every cell of `fmt`) and `reading.unplaced`."""
    text = stream.text
    bounds = boundaries(text, fmt)
    rows: dict[tuple[str, str], _RowRead] = {}
    for table in fmt.tables:
        found = _align(stream, table) if table.label_column else _header_chain(text, table)
        orders = _column_orders(text, table, found, reading)
        first_region = len(rows)
        for row in table.rows:
            if row.heading or row.code not in found:
                continue
            hit = found[row.code]
            specs = [
                table.cell(row.code, c.code) for c in orders.get(row.code, table.row_columns(row))
            ]
            rows[(table.code, row.code)] = _read_row(stream, bounds, hit, specs, reading)
        if found:
            ends = [read.end for read in list(rows.values())[first_region:]]
            reading.spans.append((_table_start(text, table, found), max(ends, default=0)))
    _resolve(fmt, rows, reading)
    for spec in fmt.cells():
        reading.cells.setdefault(spec.code, CellReading(spec.code, spec.label, "missing"))
    reading.cells = {spec.code: reading.cells[spec.code] for spec in fmt.cells()}


def _table_start(text: str, table: Table, found: dict[str, Hit]) -> int:
    """Where the table's printing starts: its first row, or the header and title printed
    right before it (each separated from the next by blanks only)."""
    start = min(hit.start for hit in found.values())
    hits = [
        hit
        for label in table_labels(table)
        for hit in find(text, label, fuzzy=False)
        if start - 2 * WINDOW <= hit.start < start
    ]
    moved = True
    while moved:
        moved = False
        for hit in hits:
            if (
                hit.start < start
                and hit.end <= start
                and not text[hit.end : start].strip(" \t\r\n|")
            ):
                start, moved = hit.start, True
    return start


# --- finding the rows ------------------------------------------------------------------------


def _align(stream: Stream, table: Table) -> dict[str, Hit]:
    text = stream.text
    rows = [row for row in table.rows if row.label]
    hits = {row.code: find(text, row.label) for row in rows}
    best: dict[str, Hit] = {}
    for first in range(min(4, len(rows))):
        for start in hits[rows[first].code]:
            chain = {rows[first].code: start}
            cursor = start.end
            for row in rows[first + 1 :]:
                nxt = next(
                    (
                        h
                        for h in hits[row.code]
                        if h.start >= cursor and stream.distance(cursor, h.start) <= WINDOW
                    ),
                    None,
                )
                if nxt:
                    chain[row.code] = nxt
                    cursor = nxt.end
            if len(chain) > len(best):
                best = chain
    # A sentence of the narrative may name a row and a figure (「其中政府网站公开政府信息数774
    # 条」): only a chain of several rows is a printed table.
    return best if len(best) >= max(min(3, len(rows)), len(rows) // 5) else {}


def _header_chain(text: str, table: Table) -> dict[str, Hit]:
    """表四: the longest run of its header labels with nothing but blanks between them."""
    labels = {cell.label for header in table.header_rows for cell in header}
    labels |= {column.label for column in table.columns}
    hits = sorted(
        {h for label in labels if label for h in find(text, label, fuzzy=False)},
        key=lambda h: (h.start, -h.end),
    )
    kept: list[Hit] = []
    for hit in hits:  # drop a hit inside another (「总计」 inside nothing here, but be safe)
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    best: list[Hit] = []
    chain: list[Hit] = []
    for hit in kept:
        if chain and text[chain[-1].end : hit.start].strip(" \t\r\n|") == "":
            chain.append(hit)
        else:
            chain = [hit]
        if len(chain) > len(best):
            best = list(chain)
    if len({text[h.start : h.end] for h in best}) < 4:
        return {}
    # A header laid out in a grid (PDF) breaks its labels: 「结果维」 over 「持」. What follows
    # the chain and is made only of the header's own characters is header too.
    letters = set("".join(labels)) | {" ", "\t", "\n", "\r", "|"}
    end = best[-1].end
    while end < len(text) and text[end] in letters:
        end += 1
    row = next(row for row in table.rows if not row.heading)
    return {row.code: Hit(best[0].start, end)}


def _column_orders(text: str, table: Table, found: dict[str, Hit], reading: Reading) -> dict:
    """Row code → its columns in printed order, where the printed header shows one that
    differs from the declared order (all column labels found, once each)."""
    orders: dict[str, tuple] = {}
    if not table.label_column or table.single_value or not found:
        return orders
    blocks: list[tuple[Row | None, list[Row]]] = [(None, [])]
    for row in table.rows:
        if row.heading and row.columns:
            blocks.append((row, []))
        elif not row.heading:
            blocks[-1][1].append(row)
    previous_end = 0
    for heading, members in blocks:
        present = [r for r in members if r.code in found]
        if not present:
            continue
        start = found[heading.code].end if heading and heading.code in found else previous_end
        end = found[present[0].code].start
        previous_end = max(found[r.code].end for r in present)
        columns = table.row_columns(heading) if heading else table.columns
        if heading is None and len(table.header_rows) > 1:
            start = max(start, end - WINDOW * 2)
        printed = _printed_order(text[start:end], columns, table)
        if printed is None:
            continue
        if heading is None and len(table.header_rows) > 1:
            declared = [c.label for c in columns]
            row_major = [
                h.label for header in table.header_rows for h in header if h.label in declared
            ]
            if [c.label for c in printed] not in (declared, row_major):
                reading.notes.append(
                    f"表{table.number}的表头列顺序与格式不同（多行表头），各列无法确定，该表未读取。"
                )
                for r in members:
                    found.pop(r.code, None)
            continue
        if tuple(printed) != tuple(columns):
            reading.notes.append(
                f"表{table.number}按报告印出的列顺序读取：" + "、".join(c.label for c in printed)
            )
        for r in members:
            orders[r.code] = tuple(c for c in printed if c in table.row_columns(r))
    return orders


def _printed_order(header: str, columns, table: Table):
    others = {h.label for row in table.header_rows for h in row} - {c.label for c in columns}
    spans = []
    for label in [*others, table.stub_label]:
        if label:
            spans += [(h.start, h.end, None) for h in find(header, label, fuzzy=False)]
    for column in columns:
        spans += [(h.start, h.end, column) for h in find(header, column.label, fuzzy=False)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    seen = [s[2] for s in kept if s[2] is not None]
    if len(seen) != len(columns) or set(seen) != set(columns):
        return None
    return seen


# --- one row's numbers -----------------------------------------------------------------------


class _RowRead:
    def __init__(self, specs, runs, source, status="", message=""):
        self.specs: list[CellSpec] = specs
        self.runs: list[str | None] = runs
        self.source: Source = source
        self.status = status
        self.message = message
        self.end = 0  # where the row's numbers end in the stream


def _read_row(stream: Stream, bounds: list[int], hit: Hit, specs, reading: Reading) -> _RowRead:
    text = stream.text
    limit = stream.reach(hit.end, TAIL)
    end = min(next((b for b in bounds if b >= hit.end), limit), limit)
    runs, tail_start, stray = _runs(text[hit.end : end], specs)
    region_end = hit.end + tail_start
    lines = stream.lines_of(hit.start, max(region_end, hit.end))
    printed = stream.printed(hit.start, region_end).strip("⏎ \t")
    source = Source(
        lines[0].number,
        lines[-1].number,
        lines[0].page,
        printed if len(printed) <= SNIPPET else printed[: SNIPPET - 1] + "…",
        " ".join(r or "—" for r in runs),
    )
    if stray:
        where = stream.lines_of(hit.end + tail_start, end)
        reading.unplaced.append(
            Unplaced(
                stray,
                Source(
                    where[0].number,
                    where[-1].number,
                    where[0].page,
                    stream.printed(hit.end + tail_start, end).strip("⏎ ")[:SNIPPET],
                ),
                "数字前有无法识别的文字（可能属于标签被拆开的其他行），未放入任何单元格",
            )
        )
    read = _RowRead(specs, runs, source)
    read.end = region_end
    return read


def _runs(region: str, specs) -> tuple[list[str | None], int, str]:
    """The numbers at the start of a row's region (None for a printed blank mark 「—」), where
    they end, and any digits printed after them (reported, not placed)."""
    region = _PAREN.sub(lambda m: " " * len(m.group()), region)
    units = {s.unit for s in specs if s.unit and s.unit not in MONEY} | set(COUNTING)
    runs: list[str | None] = []
    position, size = 0, len(region)
    while position < size:
        char = region[position]
        if char.isspace() or char == "|":
            position += 1
            continue
        if number := _NUMBER.match(region, position):
            runs.append(_THOUSANDS.sub("", number.group()))
            position = number.end()
            continue
        word = _WORD.match(region, position).group()
        if word in MONEY and runs and runs[-1] is not None and not runs[-1].endswith("元"):
            runs[-1] += word  # 「4948.3955 万元」: the unit belongs to the number before it
        elif word in _BLANKS:
            runs.append(None)
        elif not (word in units or word in MONEY or _RULE.match(word)):
            break
        position += len(word)
    stray = " ".join(re.findall(r"\d[\d.]*", region[position:]))
    return runs, position, stray


_NUMBER = re.compile(r"[+\-]?\d(?:[\d.+\-]|,(?=\d{3}))*(?:万元|元)?")
_WORD = re.compile(r"[^\s|\d]+|.")


def _resolve(fmt: Format, rows: dict, reading: Reading) -> None:
    """Turn each row's numbers into cell readings; cut flattened runs where forced."""
    equalities = splitting.equalities(fmt)
    row_of = {spec.code: key for key, read in rows.items() for spec in read.specs}
    inside: dict = {key: [] for key in rows}
    across = []
    for eq in equalities:
        keys = {row_of.get(code) for code in eq.cells}
        if len(keys) == 1 and None not in keys:
            inside[keys.pop()].append(eq)
        else:
            across.append(eq)
    fixed: dict[str, Decimal] = {}
    candidates: dict = {}
    sparse = _sparse_tables(rows)
    for key, read in rows.items():
        _direct(read, reading, fixed, candidates, key, inside[key], key[0] in sparse)
    pruned = splitting.prune(
        candidates,
        {key: tuple(s.code for s in rows[key].specs) for key in candidates},
        fixed,
        across,
    )
    for key, splits in pruned.items():
        read = rows[key]
        values = splitting.agreed(splits) or [splitting.DIFFER] * len(read.specs)
        for spec, value in zip(read.specs, values, strict=True):
            if value is None:
                reading.cells[spec.code] = CellReading(
                    spec.code, spec.label, "blank", None, read.source
                )
                continue
            if value is not splitting.DIFFER and _fits(value, spec):
                reading.cells[spec.code] = CellReading(
                    spec.code, spec.label, "split", value, read.source
                )
                continue
            if not splits:
                why = f"「{read.source.raw}」无法按本格式的勾稽关系拆分为{len(read.specs)}个单元格"
            else:
                why = f"「{read.source.raw}」可按本格式的勾稽关系拆分为{len(splits)}种，本单元格的值不唯一"
            reading.cells[spec.code] = CellReading(
                spec.code, spec.label, "ambiguous", None, read.source, f"{AMBIGUOUS}：{why}"
            )


def _sparse_tables(rows: dict) -> set[str]:
    """Tables that show blank cells: a row printing fewer digits than it has cells, or a
    blank mark. In those, a flattened run may skip blank cells, so splits allow blanks."""
    sparse = set()
    for (table, _), read in rows.items():
        numbers = [r for r in read.runs if r is not None]
        digits = sum(len(re.sub(r"\D", "", r)) for r in numbers)
        if None in read.runs or (numbers and digits < len(read.specs)):
            sparse.add(table)
    return sparse


def _direct(
    read: _RowRead, reading: Reading, fixed: dict, candidates: dict, key, inside, sparse: bool
) -> None:
    specs, runs = read.specs, read.runs
    size = len(specs)

    def flag(message: str) -> None:
        for spec in specs:
            reading.cells[spec.code] = CellReading(
                spec.code, spec.label, "unreadable", None, read.source, message
            )

    if not runs:
        for spec in specs:
            reading.cells[spec.code] = CellReading(
                spec.code, spec.label, "blank", None, read.source
            )
        return
    if len(runs) > size:
        flag(
            f"该行印出{len(runs)}个数字（{read.source.raw}），多于{size}个单元格，无法确定各自的列"
        )
        return
    if len(runs) == size:
        for spec, run in zip(specs, runs, strict=True):
            if run is None:
                reading.cells[spec.code] = CellReading(
                    spec.code, spec.label, "blank", None, read.source
                )
                continue
            try:
                value = parse_number(
                    run, unit=spec.unit, decimals=spec.decimals, signed=spec.signed
                )
            except NumberError as problem:
                reading.cells[spec.code] = CellReading(
                    spec.code, spec.label, "unreadable", None, read.source, f"「{run}」：{problem}"
                )
                continue
            fixed[spec.code] = value
            reading.cells[spec.code] = CellReading(
                spec.code, spec.label, "printed", value, dataclasses.replace(read.source, raw=run)
            )
        return
    if None in runs or any(r.endswith("元") for r in runs if r):
        flag(
            f"该行印出的数字（{read.source.raw}）少于{size}个单元格且含空白或单位，无法确定各自的列"
        )
        return
    try:
        candidates[key] = splitting.row_splits(runs, specs, inside, blanks=sparse)
    except splitting.TooMany:
        flag(f"{AMBIGUOUS}：「{''.join(runs)}」的拆分方式过多，未拆分")


def _fits(value: Decimal, spec: CellSpec) -> bool:
    try:
        parse_number(str(value), unit=spec.unit, decimals=spec.decimals, signed=spec.signed)
    except NumberError:
        return False
    return True
