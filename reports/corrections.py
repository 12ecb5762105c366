"""What a correction (更正) changed: every difference between two revisions of a filing.

Pure (no database, no Django). `diff(previous, current)` compares two `FilingData` of one
filing — a published revision and the one that corrects it, or the live filing a coordinator
is about to publish as the correction — and lists what changed, in this order: every
statistics-table cell whose value or 备注 changed (in the format's order), every field of each
website form (its 移动新媒体 accounts as one item), every section of the 正文 whose printed
paragraphs changed. The public page, the JSON (`reports.opendata.filing_json`) and the
coordinator's 流转 page all show this one list.

Not listed, because it is not what a correction corrects: the sign-off (each revision shows
its own 签发信息, and the website form's signed footer — 单位负责人, 审核人, 填报人, 填报日期,
`reports.filing_data.SIGNED_FIELDS` — prints it), and the agency's contact block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reports.filing_data import SIGNED_FIELDS, FilingData, WebsiteData
from reports.formats.codes import MEDIA, section_code, website_code
from reports.formats.narrative import paragraphs
from reports.formats.website import MEDIA_PLATFORMS, WEBSITE_FORM, MediaAccount
from reports.formats.website_values import display
from reports.numbers import format_number

VALUE, NOTE, TEXT = "value", "note", "text"


@dataclass(frozen=True)
class Change:
    """One thing that differs; `old` and `new` as printed, "" for blank."""

    code: str  # a cell code, "w<position>:<field>" or "n:<section key>" (reports.formats.codes)
    label: str  # as a person reads it: 「表三 …·自然人」, 「网站名称·首页网址」, 「一、总体情况」
    old: str
    new: str
    kind: str = VALUE  # VALUE; NOTE: the 备注 of that cell or field; TEXT: a section of the 正文

    def to_json(self) -> dict:
        """As the open data carries it: blank is null (blank is not 0, nor "")."""
        return {
            "code": self.code,
            "label": self.label,
            "old": self.old or None,
            "new": self.new or None,
            "kind": self.kind,
        }


def diff(previous: FilingData, current: FilingData) -> list[Change]:
    """Everything `current` prints differently from `previous` (see the module's docstring)."""
    return [
        *_cells(previous, current),
        *_websites(previous, current),
        *_narrative(previous, current),
    ]


def _number(value) -> str:
    return "" if value is None else format_number(value)


def _cells(previous: FilingData, current: FilingData) -> Iterator[Change]:
    specs = (
        [(spec.code, spec.label) for spec in current.format.cells()] if current.known_format else []
    )
    known = {code for code, _ in specs}
    # A code no format of this filing names (a format since withdrawn) is listed by its code.
    stray = set(previous.values) | set(current.values) | set(previous.notes) | set(current.notes)
    specs += [(code, code) for code in sorted(stray - known)]
    for code, label in specs:
        old, new = previous.values.get(code), current.values.get(code)
        if old != new:
            yield Change(code, label, _number(old), _number(new))
        old_note, new_note = previous.notes.get(code, ""), current.notes.get(code, "")
        if old_note != new_note:
            yield Change(code, f"{label}（备注）", old_note, new_note, NOTE)


def _blank(value):
    return None if value in (None, ()) else value


def _media_text(media: list[MediaAccount]) -> str:
    labels = dict(MEDIA_PLATFORMS)
    shown = []
    for account in media:
        figures = "，".join(
            f"{what}{format_number(number)}"
            for what, number in (("发布量", account.posts), ("关注量", account.followers))
            if number is not None
        )
        name = f"{labels.get(account.platform, account.platform)}「{account.name}」"
        shown.append(f"{name}（{figures}）" if figures else name)
    return "；".join(shown)


def _websites(previous: FilingData, current: FilingData) -> Iterator[Change]:
    before = {site.position: site for site in previous.websites}
    after = {site.position: site for site in current.websites}
    empty = WebsiteData(position=0, values={}, notes={}, media=[])
    for position in sorted(before.keys() | after.keys()):
        old_site, new_site = before.get(position, empty), after.get(position, empty)
        # A form added or dropped takes its site's name from the revision that has it.
        name = (new_site if position in after else old_site).site_name
        for field in WEBSITE_FORM.fields:
            if field.code in SIGNED_FIELDS:
                continue
            code, label = website_code(position, field.code), f"{name}·{field.name}"
            old, new = (
                _blank(old_site.values.get(field.code)),
                _blank(new_site.values.get(field.code)),
            )
            if old != new:
                shown = ["" if v is None else display(field, v) for v in (old, new)]
                yield Change(code, label, *shown)
            old_note, new_note = (
                old_site.notes.get(field.code, ""),
                new_site.notes.get(field.code, ""),
            )
            if old_note != new_note:
                yield Change(code, f"{label}（备注）", old_note, new_note, NOTE)
        if old_site.media != new_site.media:
            yield Change(
                website_code(position, MEDIA),
                f"{name}·移动新媒体",
                _media_text(old_site.media),
                _media_text(new_site.media),
            )


def _narrative(previous: FilingData, current: FilingData) -> Iterator[Change]:
    if current.known_format:
        sections = [(s.key, s.name) for s in current.format.narrative.sections if s.writable]
    else:
        sections = [
            (key, key) for key in sorted(previous.narrative.keys() | current.narrative.keys())
        ]
    for key, name in sections:
        old, new = previous.narrative.get(key, ""), current.narrative.get(key, "")
        # Only what prints: spaces around a line or an empty line are no change.
        if paragraphs(old) != paragraphs(new):
            yield Change(section_code(key), name, old.strip(), new.strip(), TEXT)
