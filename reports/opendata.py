"""Open data: a published filing and a year's aggregate as JSON and CSV.

Text a filer typed is neutralised in CSV (a leading = + - @ gets an
apostrophe), so a spreadsheet program never runs it as a formula.

Shapes are documented on the 开放数据 page (templates/public/open_data.html).
Numbers are written as decimal strings in JSON ("0.3", never a float), so
nothing is lost; blank cells are absent (blank is not 0).

The website forms are written as every other output prints them
(`FilingData.printed_websites`): once signed, their footer names the workflow's
signatories and 填报日期, not what was typed.
"""

import csv
import io

from reports.filing_data import FilingData
from reports.formats.codes import website_code
from reports.formats.website import WEBSITE_FORM
from reports.formats.website_values import display, to_json
from reports.numbers import format_number
from reports.spreadsheets.safety import neutralise

CSV_HEADER = ["表", "单元格代码", "指标", "单位", "数值", "备注"]


def cell_rows(fmt, values: dict, notes: dict | None = None) -> list[list[str]]:
    notes = notes or {}
    rows = []
    for table in fmt.tables:
        name = f"表{table.number}" if table.number else table.title
        for spec in table.cells():
            value = values.get(spec.code)
            rows.append(
                [
                    name,
                    spec.code,
                    spec.label,
                    spec.unit,
                    format_number(value) if value is not None else "",
                    neutralise(notes.get(spec.code, "")),
                ]
            )
    return rows


def filing_rows(data: FilingData) -> list[list[str]]:
    """One row per cell of the tables, then one per field of each website form."""
    rows = cell_rows(data.format, data.values, data.notes)
    for site in data.printed_websites:
        for field in WEBSITE_FORM.fields:
            value = site.values.get(field.code)
            if field.kind in ("count", "decimal") and not isinstance(value, str):
                shown = format_number(value) if value is not None else ""
            else:
                shown = neutralise(display(field, value))  # text a filer typed
            rows.append(
                [
                    f"政府网站工作年度报表{site.position}",
                    website_code(site.position, field.code),
                    field.name,
                    field.unit,
                    shown,
                    neutralise(site.notes.get(field.code, "")),
                ]
            )
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 only with it


def filing_json(data: FilingData, revision, correction=None) -> dict:
    """A published revision as open data; `correction` (`reports.public.Correction`, None for a
    first publication) lists what it changed against the revision the public read before."""
    fmt = data.format
    return {
        "agency": {"name": data.agency_name, "slug": data.agency_slug, "kind": data.agency_kind},
        "year": data.year,
        "format": {"code": fmt.code, "name": fmt.name, "document": fmt.document},
        "revision": revision.number,
        "published_at": revision.published_at.isoformat(),
        "correction_note": revision.correction_note,
        # Tamper evidence (reports.publication): this revision's hash and its two links.
        "sha256": revision.sha256,
        "previous_sha256": revision.previous_sha256,
        "year_previous_sha256": revision.year_previous_sha256,
        # What this revision corrects (reports.corrections), against revision `changes_since`.
        "changes_since": correction.previous.number if correction else None,
        "changes": [change.to_json() for change in correction.changes] if correction else [],
        "signatures": {
            role: getattr(data, role) and {"name": getattr(data, role).name}
            for role in ("filer", "reviewer", "head")
        },
        "cells": {
            spec.code: {
                "label": spec.label,
                "unit": spec.unit,
                "value": format_number(data.values[spec.code]),
                **({"note": data.notes[spec.code]} if spec.code in data.notes else {}),
            }
            for spec in fmt.cells()
            if spec.code in data.values
        },
        "websites": [
            {
                "position": site.position,
                "fields": {
                    field.code: to_json(site.values.get(field.code))
                    for field in WEBSITE_FORM.fields
                    if site.values.get(field.code) not in (None, ())
                },
                "media": [m.to_json() for m in site.media],
            }
            for site in data.printed_websites
        ],
        "narrative": data.narrative,
    }


def aggregate_json(agg, listing: str) -> dict:
    """A year's (or a subtree's) 汇总; `listing` is the address of the list of the filings
    summed (the year's list, narrowed to the subtree), which pages through them."""
    fmt = agg.format
    return {
        "year": agg.period.year,
        "scope": agg.root.slug if agg.root else None,
        "format": {"code": fmt.code, "name": fmt.name},
        "filings": agg.count,
        "listing": listing,
        "cells": {
            spec.code: {
                "label": spec.label,
                "unit": spec.unit,
                "sum": format_number(agg.values[spec.code]),
            }
            for spec in fmt.cells()
            if spec.code in agg.values
        },
    }
