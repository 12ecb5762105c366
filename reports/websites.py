"""政府网站工作年度报表: storing, reading and saving the website forms of a filing.

The form itself (fields, labels, parsing, rules) is declared in
`reports.formats.website`, and its values convert between stored JSON, typed values and
printed text in `reports.formats.website_values`; this module moves them in and out of the
`WebsiteForm` rows (the names it imports from there stay usable as ``websites.to_json`` …).
"""

from django.db import transaction
from django.db.models import Max

from reports import selectors
from reports.filing_data import WebsiteData, website_sign_off
from reports.findings import website_findings
from reports.formats import Format
from reports.formats.codes import MEDIA, website_code
from reports.formats.website import (
    MEDIA_PLATFORMS,
    WEBSITE_FORM,
    FieldError,
    MediaAccount,
    parse_media_row,
)
from reports.formats.website_values import accounts, display, from_json, to_json, typed
from reports.models import AnnualReport, ValueChange, WebsiteForm
from reports.numbers import shorten, text_refusal
from reports.rendering import render_website
from reports.services import NOTE_MAX_LENGTH, EntryError, lock_for_edit

PLATFORM_LABELS = dict(MEDIA_PLATFORMS)


# --- rows ⇄ typed values (the conversions themselves: reports.formats.website_values) --------


def typed_values(form: WebsiteForm) -> dict:
    """Every field of the form's row, typed."""
    return typed(form.values)


def media_accounts(form: WebsiteForm) -> list[MediaAccount]:
    return accounts(form.media)


def website_data(form: WebsiteForm) -> WebsiteData:
    """The row as plain data (what `reports.findings` and the documents read)."""
    return WebsiteData(
        position=form.position,
        values=typed_values(form),
        notes=dict(form.notes),
        media=media_accounts(form),
    )


def sign_off(report) -> dict:
    """The website form footer from the filing's signatures (empty until signed), by the rule
    every output of a `FilingData` prints with (`reports.filing_data.website_sign_off`)."""
    if not report.approved_by_id:
        return {}
    return website_sign_off(*selectors.signatures(report))


def render_form(
    form: WebsiteForm,
    *,
    findings: list,
    signatures: dict,
    reasons: dict | None = None,
    notes: dict | None = None,
    typed: dict | None = None,
    errors: dict | None = None,
) -> dict:
    """One form's row in the official layout (`reports.rendering.render_website`); `notes`,
    `typed` and `errors` stand in for the stored notes when a refused save is shown again."""
    return render_website(
        WEBSITE_FORM,
        typed_values(form),
        form.notes if notes is None else notes,
        media_accounts(form),
        typed=typed,
        errors=errors,
        findings=findings,
        position=form.position,
        signatures=signatures,
        reasons=reasons,
    )


def findings_for(
    form: WebsiteForm, *, statistics: tuple[Format, dict] | None, historical: bool = False
):
    """Rule findings of one website form's row (see `reports.findings.website_findings`);
    `historical`: a 历史补录 filing's (blank fields are 「原表空白」 warnings)."""
    return website_findings(website_data(form), statistics=statistics, historical=historical)


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

    All or nothing: any refused field raises EntryError (field code → message) and
    nothing is written. Refused are: a value `Field.parse` refuses (numbers bounded to
    what the columns hold, text to the field's `max_length`) — but for a 历史补录 filing,
    which keeps what the paper shows (`Field.parse_as_printed`: several ticks of a single
    choice, text in a number field; the checks flag it) —, a note `text_refusal`
    refuses (at most NOTE_MAX_LENGTH characters, as ValueChange records it), a media row
    `parse_media_row` refuses. Fields absent from `raw` are untouched; media rows are
    replaced when `media_rows` is given. Side effects: one ValueChange row per changed
    field (code "w<position>:<field>").
    """
    notes = notes or {}
    values, errors = {}, {}
    historical = form.report.period.is_historical
    for code, text in raw.items():
        try:
            values[code] = WEBSITE_FORM.field(code).parse_as_printed(text, historical=historical)
        except FieldError as problem:
            errors[code] = str(problem)
        except KeyError:
            errors[code] = f"未知栏目「{shorten(code)}」"
    for code, note in notes.items():
        try:
            name = WEBSITE_FORM.field(code).name
        except KeyError:
            errors[code] = f"未知栏目「{shorten(code)}」"
            continue
        if refusal := text_refusal(note, NOTE_MAX_LENGTH):
            problem = f"备注{refusal}"
            errors[code] = f"{errors[code]}；{problem}" if code in errors else f"{name}：{problem}"
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
        # Text kept as printed in a number field is recorded as text.
        numeric = field.kind in ("count", "decimal") and not any(
            isinstance(v, str) for v in (old, value)
        )
        audit.append(
            ValueChange(
                report_id=form.report_id,
                code=website_code(form.position, code),
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
                code=website_code(form.position, MEDIA),
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
