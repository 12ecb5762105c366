"""The codes that name what a filing holds, beyond its table cells: built and read only here.

Pure Python (no Django). A finding, a review reason and a history row (`ValueChange.code`) name
what they are about with one string:

* a statistics-table cell: the format's cell code, ``t3-r1-c7`` (see `reports.formats.base`);
* a section of the 正文: ``n:<section key>``, e.g. ``n:s1``;
* a field of the website form at ``position`` (1, 2, …): ``w<position>:<field code>``, e.g.
  ``w1:site_name``; its 移动新媒体 list as a whole is ``w<position>:media``, one account's
  figure ``w<position>:media-<…>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_PREFIX = "n:"
MEDIA = "media"
_WEBSITE = re.compile(r"^w(\d+):(.+)$")


def section_code(key: str) -> str:
    """``n:<key>``: a section of the narrative."""
    return f"{SECTION_PREFIX}{key}"


def website_code(position: int, field: str) -> str:
    """``w<position>:<field>``: a field of the website form at `position`."""
    return f"w{position}:{field}"


@dataclass(frozen=True)
class Code:
    """A parsed code: ``kind`` is "cell", "section" or "website"."""

    kind: str
    raw: str
    key: str = ""  # section key, or website field code
    position: int | None = None  # website form position


def parse(code: str) -> Code:
    """What `code` names; anything that is neither a section nor a website field is a cell."""
    if code.startswith(SECTION_PREFIX):
        return Code("section", code, key=code[len(SECTION_PREFIX) :])
    match = _WEBSITE.match(code)
    if match:
        return Code("website", code, key=match.group(2), position=int(match.group(1)))
    return Code("cell", code)


def website_field(code: str, position: int) -> str | None:
    """The field code when `code` names a field of the website form at `position`, else None."""
    parsed = parse(code)
    if parsed.kind == "website" and parsed.position == position:
        return parsed.key
    return None
