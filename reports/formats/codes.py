"""The codes that name what a filing holds, beyond its table cells: built and read only here.

Pure Python (no Django). A finding, a review reason and a history row (`ValueChange.code`) name
what they are about with one string:

* a statistics-table cell: the format's cell code, ``t3-r1-c7`` (see `reports.formats.base`);
* a section of the 正文: ``n:<section key>``, e.g. ``n:s1``;
* a field of the website form at ``position`` (1, 2, …): ``w<position>:<field code>``, e.g.
  ``w1:site_name``; its 移动新媒体 list as a whole is ``w<position>:media``, one account's
  figure ``w<position>:media-<…>``.

A review reason (`ReviewComment.targets`) may also name a whole part of the filing or a row:

* a whole statistics table: ``table:<table code>``, e.g. ``table:t3``;
* a whole website form: ``website:<position>``, e.g. ``website:1``;
* the whole 正文: ``narrative``;
* a row of a statistics table: ``row:<table code>:<row code>``, e.g. ``row:t3:r1`` (stored as
  one code rather than the list of its cells, so the reason stays one item beside the row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_PREFIX = "n:"
MEDIA = "media"
NARRATIVE = "narrative"
_WEBSITE = re.compile(r"^w(\d+):(.+)$")
_TABLE = re.compile(r"^table:([^:]+)$")
_FORM = re.compile(r"^website:(\d+)$")
_ROW = re.compile(r"^row:([^:]+):([^:]+)$")


def section_code(key: str) -> str:
    """``n:<key>``: a section of the narrative."""
    return f"{SECTION_PREFIX}{key}"


def website_code(position: int, field: str) -> str:
    """``w<position>:<field>``: a field of the website form at `position`."""
    return f"w{position}:{field}"


def table_part_code(table: str) -> str:
    """``table:<table>``: a whole statistics table (a review reason's target)."""
    return f"table:{table}"


def form_part_code(position: int) -> str:
    """``website:<position>``: a whole website form (a review reason's target)."""
    return f"website:{position}"


def row_code(table: str, row: str) -> str:
    """``row:<table>:<row>``: a row of a statistics table (a review reason's target)."""
    return f"row:{table}:{row}"


@dataclass(frozen=True)
class Code:
    """A parsed code: ``kind`` is "cell", "section", "website", "table", "form", "row" or
    "narrative"."""

    kind: str
    raw: str
    key: str = ""  # section key, website field code, table code (kind "table") or row code
    position: int | None = None  # website form position (kinds "website" and "form")
    table: str = ""  # the table of a row (kind "row")


def parse(code: str) -> Code:
    """What `code` names; anything that is none of the other kinds is a cell."""
    if code.startswith(SECTION_PREFIX):
        return Code("section", code, key=code[len(SECTION_PREFIX) :])
    if code == NARRATIVE:
        return Code("narrative", code)
    if match := _WEBSITE.match(code):
        return Code("website", code, key=match.group(2), position=int(match.group(1)))
    if match := _FORM.match(code):
        return Code("form", code, position=int(match.group(1)))
    if match := _TABLE.match(code):
        return Code("table", code, key=match.group(1))
    if match := _ROW.match(code):
        return Code("row", code, key=match.group(2), table=match.group(1))
    return Code("cell", code)


def website_field(code: str, position: int) -> str | None:
    """The field code when `code` names a field of the website form at `position`, else None."""
    parsed = parse(code)
    if parsed.kind == "website" and parsed.position == position:
        return parsed.key
    return None
