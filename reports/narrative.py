"""The report's 正文: saving it and drafting it from the numbers (writes).

The sections, drafts and quoted figures of each format are declared with the format
(`Format.narrative`, see `reports.formats.narrative`); this module writes `NarrativeSection`
rows, audited like the table values. The checks on the text are `reports.findings`'.
"""

from django.db import transaction

from reports.formats import narrative_format
from reports.formats.codes import section_code
from reports.formats.narrative import draft_texts
from reports.models import AnnualReport, NarrativeSection, ValueChange
from reports.selectors import filing_data
from reports.services import EntryError, lock_for_edit

MAX_LENGTH = 20000  # characters per section: a long 一、总体情况 runs to about 6000


def clean_text(text: str) -> str:
    """What is stored: Unix line ends, no trailing spaces, no blank lines around, no NULs."""
    lines = (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def check_texts(format_code: str, texts: dict[str, str]) -> dict[str, str]:
    """`texts` cleaned; EntryError (key → Chinese message) for unknown keys and overlong text."""
    fmt = narrative_format(format_code)
    cleaned, errors = {}, {}
    for key, text in texts.items():
        try:
            section = fmt.section(key)
        except KeyError:
            errors[key] = f"未知章节「{key}」"
            continue
        if not section.writable:
            errors[key] = f"「{section.name}」为统计表，不能填写正文"
            continue
        cleaned[key] = clean_text(text)
        if len(cleaned[key]) > MAX_LENGTH:
            errors[key] = f"「{section.name}」不能超过{MAX_LENGTH}字（现有{len(cleaned[key])}字）"
    if errors:
        raise EntryError(errors)
    return cleaned


@transaction.atomic
def narrative_save(
    *,
    report: AnnualReport,
    by,
    texts: dict[str, str],
    expected_version: int | None = None,
    source: str = ValueChange.Source.FORM,
    only_empty: bool = False,
) -> int:
    """Store the typed sections of a filing's 正文; returns how many sections changed.

    All or nothing: an unknown key or an overlong text raises EntryError and nothing is
    written. Keys absent from `texts` are untouched; an empty text removes the section.
    `only_empty` (drafting) skips sections that hold text once the row lock is held, so a
    draft never replaces what someone typed meanwhile.
    Raises ReportLocked / EditConflict (see `lock_for_edit`).
    Side effects: one ValueChange per changed section (code "n:<key>", old/new text);
    `version` bumped.
    """
    cleaned = check_texts(report.format.code, texts)
    lock_for_edit(report, expected_version)
    existing = {s.key: s for s in NarrativeSection.objects.filter(report=report)}
    audit, to_delete = [], []
    for key, text in cleaned.items():
        row = existing.get(key)
        old = row.body if row else ""
        if old == text or (only_empty and old.strip()):
            continue
        audit.append(
            ValueChange(
                report=report,
                code=section_code(key),
                old_text=old,
                new_text=text,
                actor=by,
                source=source,
            )
        )
        if not text:
            to_delete.append(row.pk)
        elif row:
            row.body = text
            row.save(update_fields=["body", "updated_at"])
        else:
            NarrativeSection.objects.create(report=report, key=key, body=text)
    if to_delete:
        NarrativeSection.objects.filter(pk__in=to_delete).delete()
    if audit:
        ValueChange.objects.bulk_create(audit)
    return len(audit)


def narrative_fill_drafts(*, report: AnnualReport, by) -> list[str]:
    """Fill the EMPTY sections with paragraphs generated from the filing's numbers.

    Returns the keys filled, in printed order. Typed text is never replaced (checked again
    under the row lock). Parts only staff can know are left as 〔请填写：…〕, which
    `reports.findings.narrative_findings` keeps flagging until they are rewritten.
    Raises ReportLocked when the filing is no longer a draft.
    Side effects: as `narrative_save` (source 在线填报).
    """
    data = filing_data(report)
    drafts = {
        key: text
        for key, text in draft_texts(data).items()
        if text and not data.narrative.get(key, "").strip()
    }
    if not drafts:
        return []
    before = {s.key for s in NarrativeSection.objects.filter(report=report).exclude(body="")}
    narrative_save(report=report, by=by, texts=drafts, only_empty=True)
    order = narrative_format(data.format_code).keys()
    return [key for key in order if key in drafts and key not in before]
