"""The website form's answers as stored (JSON), as typed (Python) and as printed (text).

Pure Python (no Django): the live rows (`reports.websites`), the published snapshots
(`reports.filing_data`), the renderings and the open data all convert through here. Stored JSON
keeps numbers as decimal strings, dates as ISO strings and multiple choices as lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from reports.numbers import format_number

from .website import WEBSITE_FORM, Field, MediaAccount


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
    """A stored value of `field` as typed (blank: None, or () for a multiple choice)."""
    if stored is None:
        return () if field.kind == "multichoice" else None
    if field.kind in ("count", "decimal"):
        return Decimal(stored)
    if field.kind == "date":
        return datetime.date.fromisoformat(stored)
    if field.kind == "multichoice":
        return tuple(stored)
    return stored


def typed(stored: Mapping) -> dict:
    """Every field of the form, typed, from its stored answers (field code → JSON value)."""
    return {field.code: from_json(field, stored.get(field.code)) for field in WEBSITE_FORM.fields}


def accounts(stored_media: list[dict]) -> list[MediaAccount]:
    """The 移动新媒体 accounts from their stored rows."""
    return [MediaAccount.from_json(row) for row in stored_media]


def display(field: Field, value) -> str:
    """A typed value as the official form prints it (ticked boxes as ☑)."""
    if field.kind in ("choice", "multichoice", "yesno"):
        if field.kind == "yesno":
            ticked = {"yes"} if value is True else {"no"} if value is False else set()
        elif field.kind == "choice":
            ticked = {value} if value else set()
        else:
            ticked = set(value or ())
        return "　".join(("☑" if code in ticked else "☐") + label for code, label in field.choices)
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return format_number(value)
    return value or ""
