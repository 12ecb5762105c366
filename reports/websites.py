"""政府网站工作年度报表: storing, reading and saving the website forms of a filing.

The form itself (fields, labels, parsing, rules) is declared in
`reports.formats.website`; this module moves its values in and out of the
`WebsiteForm` rows. Stored JSON keeps numbers as decimal strings, dates as
ISO strings and multiple choices as lists.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reports.formats import Format
from reports.formats.website import (
    MEDIA_PLATFORMS,
    WEBSITE_FORM,
    FieldError,
    MediaAccount,
    parse_media_row,
    validate_website,
)
from reports.models import AnnualReport, ValueChange, WebsiteForm
from reports.numbers import format_number
from reports.services import NOTE_MAX_LENGTH, EntryError, lock_for_edit

PLATFORM_LABELS = dict(MEDIA_PLATFORMS)


# --- stored JSON ⇄ typed values -----------------------------------------------------


def to_json(value):
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def from_json(field, stored):
    if stored is None:
        return () if field.kind == "multichoice" else None
    if field.kind in ("count", "decimal"):
        return Decimal(stored)
    if field.kind == "date":
        return datetime.date.fromisoformat(stored)
    if field.kind == "multichoice":
        return tuple(stored)
    return stored


def typed_values(form: WebsiteForm) -> dict:
    return {
        field.code: from_json(field, form.values.get(field.code)) for field in WEBSITE_FORM.fields
    }


def media_accounts(form: WebsiteForm) -> list[MediaAccount]:
    return [MediaAccount.from_json(row) for row in form.media]


def display(field, value) -> str:
    """A stored value as the official form prints it (ticked boxes as ☑)."""
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


def sign_off(report) -> dict:
    """The website form footer from the filing's signatures (empty until signed)."""
    from reports.filing_data import person_name

    if not report.approved_by_id:
        return {}
    return {
        "head": person_name(report.approved_by),
        "reviewer": person_name(report.reviewed_by),
        "preparer": person_name(report.submitted_by),
        "filed_on": timezone.localdate(report.submitted_at) if report.submitted_at else None,
    }


def findings_for(form: WebsiteForm, *, statistics: tuple[Format, dict] | None, narrative=""):
    """Rule findings of one website form, cell codes prefixed with the form's position."""
    found = validate_website(
        typed_values(form), media_accounts(form), statistics=statistics, narrative=narrative
    )
    site = form.values.get("site_name") or f"网站{form.position}"
    return [
        type(f)(
            f.rule_id,
            f.severity,
            f"【{site}】{f.message}",
            tuple(f"w{form.position}:{code}" for code in f.cells),
        )
        for f in found
    ]


# --- writes ------------------------------------------------------------------------


@transaction.atomic
def website_form_add(*, report: AnnualReport, by) -> WebsiteForm:
    """Start one more website form for the filing, with the agency's name and site filled in."""
    lock_for_edit(report)
    last = report.website_forms.aggregate(last=Max("position"))["last"] or 0
    values = {"filer": report.agency.name}
    if last == 0 and report.agency.website:
        values["home_url"] = report.agency.website
    return WebsiteForm.objects.create(report=report, position=last + 1, values=values)


def parse_media_rows(rows: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """Media rows as typed ([{platform, name, posts, followers}]) → stored rows, errors."""
    stored, errors = [], {}
    for index, row in enumerate(rows):
        if not any((row.get(key) or "").strip() for key in ("name", "posts", "followers")):
            continue  # an empty spare row
        try:
            account = parse_media_row(
                row["platform"], row.get("name", ""), row.get("posts"), row.get("followers")
            )
        except FieldError as problem:
            label = PLATFORM_LABELS.get(row.get("platform"), "移动新媒体")
            errors[f"media-{index}"] = f"{label}第{index + 1}行：{problem}"
            continue
        stored.append(account.to_json())
    return stored, errors


@transaction.atomic
def website_form_save(
    *,
    form: WebsiteForm,
    by,
    raw: dict,
    notes: dict | None = None,
    media_rows: list[dict] | None = None,
    source: str = ValueChange.Source.FORM,
    expected_version: int | None = None,
) -> int:
    """Store typed answers of one website form; returns how many fields changed.

    All or nothing: any refused field raises EntryError (field code → message)
    and nothing is written. Fields absent from `raw` are untouched; media rows
    are replaced when `media_rows` is given. Side effects: one ValueChange row
    per changed field (code "w<position>:<field>").
    """
    notes = notes or {}
    values, errors = {}, {}
    for code, text in raw.items():
        try:
            values[code] = WEBSITE_FORM.field(code).parse(text)
        except FieldError as problem:
            errors[code] = str(problem)
        except KeyError:
            errors[code] = f"未知栏目「{code}」"
    for code, note in notes.items():
        if len(note) > NOTE_MAX_LENGTH:
            errors[code] = f"{WEBSITE_FORM.field(code).name}：备注不能超过{NOTE_MAX_LENGTH}字"
    media = None
    if media_rows is not None:
        media, media_errors = parse_media_rows(media_rows)
        errors.update(media_errors)
    if errors:
        raise EntryError(errors)

    lock_for_edit(form.report, expected_version)
    form = WebsiteForm.objects.select_for_update().get(pk=form.pk)
    audit = []
    for code, value in values.items():
        field = WEBSITE_FORM.field(code)
        old = from_json(field, form.values.get(code))
        old_note, new_note = form.notes.get(code, ""), notes.get(code, form.notes.get(code, ""))
        if old == value and old_note == new_note:
            continue
        numeric = field.kind in ("count", "decimal")
        audit.append(
            ValueChange(
                report_id=form.report_id,
                code=f"w{form.position}:{code}",
                old_value=old if numeric else None,
                new_value=value if numeric else None,
                old_text="" if numeric else display(field, old),
                new_text="" if numeric else display(field, value),
                old_note=old_note,
                new_note=new_note,
                actor=by,
                source=source,
            )
        )
        if value in (None, ()):
            form.values.pop(code, None)
        else:
            form.values[code] = to_json(value)
        if new_note:
            form.notes[code] = new_note
        else:
            form.notes.pop(code, None)
    if media is not None and media != form.media:
        audit.append(
            ValueChange(
                report_id=form.report_id,
                code=f"w{form.position}:media",
                old_text=media_text(form.media),
                new_text=media_text(media),
                actor=by,
                source=source,
            )
        )
        form.media = media
    if audit:
        form.save(update_fields=["values", "notes", "media", "updated_at"])
        ValueChange.objects.bulk_create(audit)
    return len(audit)


def media_text(rows: list[dict]) -> str:
    return "；".join(
        f"{PLATFORM_LABELS.get(r['platform'], r['platform'])} {r.get('name', '')} "
        f"{r.get('posts') or ''}/{r.get('followers') or ''}".strip()
        for r in rows
    )
