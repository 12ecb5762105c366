"""The website form's answers as stored (JSON), as typed (Python) and as printed (text).

Pure Python (no Django): the live rows (`reports.websites`), the published snapshots
(`reports.filing_data`), the renderings and the open data all convert through here. Stored JSON
keeps numbers as decimal strings, dates as ISO strings and multiple choices as lists; what a
历史补录 filing keeps as printed (`Field.parse_as_printed`) as the text printed in a number
field, or the list of the boxes ticked in a single choice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal

from reports.numbers import format_number

from .website import WEBSITE_FORM, Field, MediaAccount

# A number as stored (`format_number`): anything else in a number field is printed text.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def to_json(value):
    """A typed value as stored."""
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def from_json(field: Field, stored):
    """A stored value of `field` as typed (blank: None, or () for a multiple choice).

    A 历史补录 filing may hold what the paper shows instead (`Field.parse_as_printed`): the
    text printed in a number field stays text, several ticks of a single choice a tuple."""
    if stored is None:
        return () if field.kind == "multichoice" else None
    if field.kind in ("count", "decimal"):
        return Decimal(stored) if _NUMBER.fullmatch(str(stored)) else str(stored)
    if field.kind == "choice" and isinstance(stored, list | tuple):
        return tuple(stored)
    if field.kind == "date":
        return datetime.date.fromisoformat(stored)
    if field.kind == "multichoice":
        return tuple(stored)
    return stored


def typed(stored: Mapping) -> dict:
    """Every field of the form, typed, from its stored answers (field code → JSON value)."""
    return {field.code: from_json(field, stored.get(field.code)) for field in WEBSITE_FORM.fields}


def ticks(value) -> tuple:
    """The codes ticked in a choice's typed value: one code, or several as printed."""
    if value is None or value == "":
        return ()
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)


def accounts(stored_media: list[dict]) -> list[MediaAccount]:
    """The 移动新媒体 accounts from their stored rows."""
    return [MediaAccount.from_json(row) for row in stored_media]


def display(field: Field, value) -> str:
    """A typed value as the official form prints it (ticked boxes as ☑)."""
    if field.kind in ("choice", "multichoice", "yesno"):
        if field.kind == "yesno":
            ticked = {"yes"} if value is True else {"no"} if value is False else set()
        elif field.kind == "choice":
            ticked = set(ticks(value))
        else:
            ticked = set(value or ())
        return "　".join(("☑" if code in ticked else "☐") + label for code, label in field.choices)
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return format_number(value)
    return value or ""
