"""Reading a filled official-layout workbook back: first a preview, then all or nothing.

`read_workbook` changes nothing: it returns every cell that would change (sheet!cell, label,
old → new) and every problem (sheet!cell and what is wrong). A file-level refusal — a filing
that `services.edit_refusal` refuses, not one of our workbooks, another agency, year or format —
raises SpreadsheetError at once. `apply_workbook` refuses while any problem remains and
otherwise writes through `reports.services` and `reports.websites` in one `services.one_edit`
block against the version the preview was read at (so a save since the preview makes it refuse,
the status and signatures are never touched, the rule is asked again under the row lock, the
import counts as one change, and every changed cell gets its ValueChange with source 导入),
then records an ImportRecord and an entry in the filing's admin history.

A number `parse_number` refuses (too large included) is a problem of its cell. Anything
typed where the layout has no cell — beside a table, below it, on a sheet the workbook does
not have — is named in the preview as a *notice* (「表三!J40 不在表格范围内，未导入（「…」）」),
not a problem: every cell the layout does have is read and its label checked, so what lies
outside cannot be a figure of the filing (a side calculation, a remark); the person sees it
before confirming and can move it into a cell (or a 备注) and upload again. The guide sheet
「填写说明」 is not searched.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import DatabaseError
from openpyxl import load_workbook

from reports import websites
from reports.formats import find_format
from reports.formats.website import WEBSITE_FORM, FieldError, parse_media_row
from reports.models import AnnualReport, ImportRecord, ValueChange, WebsiteForm
from reports.numbers import NumberError, format_number, parse_number
from reports.selectors import report_values
from reports.services import NOTE_MAX_LENGTH, edit_refusal, one_edit, report_save_values
from reports.spreadsheets import layout
from reports.spreadsheets.layout import SheetLayout, Slot
from reports.spreadsheets.safety import (
    XLSX,
    SpreadsheetError,
    Upload,
    formula_text,
    is_formula,
    sheet_number,
    unneutralise,
)
from reports.spreadsheets.workbook import LAYOUT_VERSION, website_cell_value

BLANK = "（空）"
_BAD = object()
OUTSIDE_SHOWN = 30  # cells outside the layout named one by one; the rest counted


@dataclass(frozen=True)
class Change:
    where: str  # 表三!C7
    label: str
    old: str
    new: str


@dataclass
class SiteEntries:
    """What one website sheet holds, ready for `websites.website_form_save`."""

    position: int
    form: WebsiteForm | None  # None: the upload creates this form
    raw: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    media_rows: list[dict] = field(default_factory=list)
    changed: bool = False


@dataclass
class WorkbookPreview:
    report: AnnualReport
    upload: Upload
    version: int  # the filing's version when previewed; a later save makes the apply refuse
    blank: bool = False
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # changed table cells
    sites: list[SiteEntries] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # filled cells the layout does not read

    @property
    def ok(self) -> bool:
        return not self.problems


def read_workbook(report: AnnualReport, upload: Upload, *, user=None) -> WorkbookPreview:
    """Every change and problem the upload would bring to `report`; writes nothing.

    Raises SpreadsheetError at once when `services.edit_refusal` refuses the filing (to
    `user`, if given): a preview of changes that could not be applied helps nobody."""
    if upload.kind != XLSX:
        raise SpreadsheetError(f"报告工作簿必须是 .xlsx 文件，「{upload.name}」不是。")
    report = AnnualReport.objects.select_related("agency", "period").get(pk=report.pk)
    if refusal := edit_refusal(report, user):
        raise SpreadsheetError(refusal)
    book = _open(upload)
    meta = _identity(book, report, upload.name)
    preview = WorkbookPreview(report, upload, report.version, blank=meta.get("blank") == "1")
    _read_tables(book, preview)
    _read_websites(book, preview, meta)
    _foreign_sheets(book, preview, meta)
    _count_outside(preview)
    return preview


def _open(upload: Upload):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Excel's extensions openpyxl does not keep
            return load_workbook(io.BytesIO(upload.data), data_only=False)
    except Exception:
        raise SpreadsheetError(f"「{upload.name}」无法作为工作簿打开，文件可能已损坏。") from None


def _identity(book, report: AnnualReport, name: str) -> dict[str, str]:
    """The hidden identification of the workbook, checked against the filing."""
    if layout.META_SHEET not in book.sheetnames:
        raise SpreadsheetError(
            f"「{name}」不是从本平台下载的报告工作簿（缺少工作簿标识）。"
            "请在报告页面点击“下载工作簿”，在下载的文件中填写后再上传。"
        )
    meta = {
        str(key): str(unneutralise(value) if value is not None else "")
        for key, value, *_ in book[layout.META_SHEET].iter_rows(values_only=True, max_col=2)
        if key
    }
    if meta.get("layout") != LAYOUT_VERSION:
        raise SpreadsheetError("该工作簿的版本与本平台当前版本不符，请重新下载工作簿后填写。")
    if meta.get("agency") != report.agency.slug:
        raise SpreadsheetError(
            f"该工作簿属于「{meta.get('agency_name') or meta.get('agency')}」，"
            f"不能导入「{report.agency.name}」的报告。"
        )
    if meta.get("year") != str(report.period.year):
        raise SpreadsheetError(
            f"该工作簿是{meta.get('year')}年度的，不能导入{report.period.year}年度的报告。"
        )
    if meta.get("format") != report.format.code:
        other = find_format(meta.get("format"))
        raise SpreadsheetError(
            f"该工作簿使用「{other.name if other else meta.get('format')}」，"
            f"本报告使用「{report.format.name}」，请重新下载工作簿后填写。"
        )
    return meta


def _worksheet(book, sheet: SheetLayout, preview: WorkbookPreview):
    """The worksheet if present with every label where it was written; None (and a problem)."""
    if sheet.name not in book.sheetnames:
        preview.problems.append(
            f"缺少工作表「{sheet.name}」（可能被删除或改名），请重新下载工作簿。"
        )
        return None
    ws = book[sheet.name]
    for text in sheet.texts:
        if not text.checked:
            continue
        found = ws.cell(text.row, text.col).value
        found = "" if found is None else str(unneutralise(found))
        if " ".join(found.split()) != " ".join(text.text.split()):
            address = f"{sheet.name}!{ws.cell(text.row, text.col).coordinate}"
            preview.problems.append(
                f"{address}：此处应为「{_short(text.text)}」，实为「{_short(found) or '空白'}」。"
                "工作表的行或列被插入、删除或移动过，请重新下载工作簿后填写。"
            )
            return None
    _outside(ws, sheet, preview)
    return ws


def _filled(ws):
    """The cells of `ws` that hold something, in reading order. From the cells the file
    holds: iterating rows up to ws.max_row × ws.max_column would create every empty cell of
    the rectangle (billions, for one value typed at XFD1048576)."""
    cells = getattr(ws, "_cells", {})  # a chart sheet has none
    for key in sorted(cells):
        cell = cells[key]
        value = cell.value
        if value is not None and not (isinstance(value, str) and not value.strip()):
            yield cell


def _outside(ws, sheet: SheetLayout, preview: WorkbookPreview) -> None:
    """A notice for every filled cell where the layout has neither label nor slot."""
    known = {(t.row, t.col) for t in sheet.texts} | {(s.row, s.col) for s in sheet.slots}
    known.add((2, 1))  # 填报单位… : written by the workbook above every table and form
    for cell in _filled(ws):
        if (cell.row, cell.column) not in known:
            preview.outside.append(
                f"{sheet.name}!{cell.coordinate} 不在表格范围内，未导入"
                f"（「{_short(unneutralise(cell.value))}」）"
            )


def _foreign_sheets(book, preview: WorkbookPreview, meta: dict[str, str]) -> None:
    """A notice for every filled sheet that the workbook does not have (none is read)."""
    ours = {layout.META_SHEET, layout.GUIDE_SHEET, layout.NOTES_SHEET}
    ours |= {layout.table_sheet_name(table) for table in preview.report.format.tables}
    ours |= {
        layout.website_sheet_name(int(k.split(":", 1)[1])) for k in meta if k.startswith("website:")
    }
    for name in book.sheetnames:
        if name not in ours and next(_filled(book[name]), None) is not None:
            preview.notices.append(f"工作表「{name}」不是本工作簿的表格，其中的内容未导入。")


def _count_outside(preview: WorkbookPreview) -> None:
    shown = preview.outside[:OUTSIDE_SHOWN]
    rest = len(preview.outside) - len(shown)
    preview.notices += shown + (
        [f"……另有{rest}个单元格不在表格范围内，未导入。"] if rest > 0 else []
    )


def _raw(ws, sheet: SheetLayout, slot: Slot, preview: WorkbookPreview):
    """The cell's content, or _BAD (with a problem) for a formula."""
    cell = ws.cell(slot.row, slot.col)
    value = cell.value
    if cell.data_type == "f" or is_formula(value):
        preview.problems.append(
            f"{sheet.where(slot)}（{slot.label}）：不能使用公式（{formula_text(value)}），请填写数值。"
        )
        return _BAD
    if isinstance(value, str):
        value = unneutralise(value).strip()
        return value or None
    return value


def _note(ws, sheet: SheetLayout, slot: Slot, preview: WorkbookPreview):
    raw = _raw(ws, sheet, slot, preview)
    if raw is _BAD:
        return _BAD
    text = "" if raw is None else str(raw).strip()
    if len(text) > NOTE_MAX_LENGTH:
        preview.problems.append(
            f"{sheet.where(slot)}（{slot.label}）：备注不能超过{NOTE_MAX_LENGTH}字"
        )
        return _BAD
    return text


def _read_tables(book, preview: WorkbookPreview) -> None:
    report = preview.report
    tables = layout.table_sheets(report.format)
    old_values, old_notes = report_values(report)
    new_values, where = {}, {}
    for sheet in tables:
        ws = _worksheet(book, sheet, preview)
        if ws is None:
            continue
        for slot in sheet.slots:
            raw = _raw(ws, sheet, slot, preview)
            if raw is _BAD:
                continue
            spec = slot.spec
            try:
                new_values[slot.key] = parse_number(
                    sheet_number(raw), unit=spec.unit, decimals=spec.decimals, signed=spec.signed
                )
            except NumberError as problem:
                preview.problems.append(f"{sheet.where(slot)}（{spec.label}）：{problem}")
            where[slot.key] = (sheet.where(slot), spec.label)

    notes_sheet = layout.notes_sheet(report.format, tables)
    ws = _worksheet(book, notes_sheet, preview)
    new_notes, note_where = {}, {}
    for slot in notes_sheet.slots if ws is not None else ():
        code = slot.key.removeprefix("note:")
        note = _note(ws, notes_sheet, slot, preview)
        if note is not _BAD:
            new_notes[code] = note
            note_where[code] = notes_sheet.where(slot)
    for code, value in new_values.items():
        old, old_note = old_values.get(code), old_notes.get(code, "")
        note = new_notes.get(code, old_note)
        if value != old:
            preview.changes.append(Change(*where[code], _number(old), _number(value)))
        if note != old_note:
            label = f"{where[code][1]} 备注"
            preview.changes.append(
                Change(note_where[code], label, old_note or BLANK, note or BLANK)
            )
        if value != old or note != old_note:
            preview.entries[code] = (format_number(value), note)


def _number(value) -> str:
    return BLANK if value is None else format_number(value)


def _read_websites(book, preview: WorkbookPreview, meta: dict[str, str]) -> None:
    forms = {form.position: form for form in preview.report.website_forms.all()}
    positions = sorted(int(key.split(":", 1)[1]) for key in meta if key.startswith("website:"))
    for position in positions:
        probe = layout.website_sheet(position, 0)
        ws = book[probe.name] if probe.name in book.sheetnames else None
        rows = max(0, ws.max_row - probe.media_row + 1) if ws is not None else 0
        sheet = layout.website_sheet(position, rows)
        ws = _worksheet(book, sheet, preview)
        if ws is not None:
            _read_website(ws, sheet, forms.get(position), position, preview)
    for position in sorted(set(forms) - set(positions)):
        preview.notices.append(
            f"工作簿中没有「{layout.website_sheet_name(position)}」（{forms[position]}），该网站报表保持不变。"
        )


def _read_website(ws, sheet: SheetLayout, form, position: int, preview: WorkbookPreview):
    site = SiteEntries(position, form)
    old = websites.typed_values(form) if form else _starting_values(preview.report)
    old_notes = form.notes if form else {}
    changes = []
    media: dict[int, dict] = {}
    for slot in sheet.slots:
        raw = _raw(ws, sheet, slot, preview)
        if raw is _BAD:
            continue
        if slot.key.startswith("media:"):
            _, n, part = slot.key.split(":")
            media.setdefault(int(n), {})[part] = raw
        elif slot.key.startswith("note:"):
            note = _note(ws, sheet, slot, preview)
            code = slot.key.removeprefix("note:")
            if note is not _BAD:
                site.notes[code] = note
                if note != old_notes.get(code, ""):
                    label = f"{WEBSITE_FORM.field(code).name} 备注"
                    changes.append(
                        Change(
                            sheet.where(slot), label, old_notes.get(code) or BLANK, note or BLANK
                        )
                    )
        else:
            item = slot.spec
            try:
                value = item.parse_as_printed(raw, historical=preview.report.period.is_historical)
            except FieldError as problem:
                preview.problems.append(f"{sheet.where(slot)}：{problem}")
                continue
            site.raw[item.code] = value
            before = old.get(item.code, () if item.kind == "multichoice" else None)
            if value != before:
                changes.append(
                    Change(sheet.where(slot), item.name, _show(item, before), _show(item, value))
                )
    stored = _media(media, sheet, preview)
    if stored is not None:
        site.media_rows = [{k: "" if v is None else str(v) for k, v in r.items()} for r in stored]
        if stored != (form.media if form else []):
            changes.append(
                Change(
                    f"{sheet.name}!A{sheet.media_row}",
                    "移动新媒体账号",
                    websites.media_text(form.media if form else []) or BLANK,
                    websites.media_text(stored) or BLANK,
                )
            )
    if form is None:
        filled = any(v not in (None, ()) for k, v in site.raw.items() if k != "filer")
        if not (filled or any(site.notes.values()) or stored):
            return  # an empty spare sheet: no form is created
        changes.insert(0, Change(sheet.name, "新增政府网站工作年度报表", BLANK, sheet.name))
    site.changed = bool(changes)
    preview.changes += changes
    preview.sites.append(site)


def _starting_values(report: AnnualReport) -> dict:
    """What `websites.website_form_add` fills into a new form, so the preview counts right."""
    start = {"filer": report.agency.name}
    if report.agency.website and not report.website_forms.exists():
        start["home_url"] = report.agency.website
    return {code: WEBSITE_FORM.field(code).parse(value) for code, value in start.items()}


def _media(rows: dict[int, dict], sheet: SheetLayout, preview: WorkbookPreview):
    """The account rows as stored (`WebsiteForm.media`), or None when one is refused."""
    platforms = {label: code for code, label in layout.MEDIA_PLATFORMS}
    stored, ok = [], True
    for n in sorted(rows):
        row = rows[n]
        if all(row.get(part) in (None, "") for part in ("platform", "name", "posts", "followers")):
            continue
        label = str(row.get("platform") or "")
        try:
            account = parse_media_row(
                platforms.get(label, label), row.get("name"), row.get("posts"), row.get("followers")
            )
        except FieldError as problem:
            preview.problems.append(f"{sheet.name}!A{sheet.media_row + n}：{problem}")
            ok = False
            continue
        stored.append(
            {
                "platform": account.platform,
                "name": account.name,
                "posts": websites.to_json(account.posts),
                "followers": websites.to_json(account.followers),
            }
        )
    return stored if ok else None


def _show(item, value) -> str:
    if value is None or value == ():
        return BLANK
    if item.kind in ("yesno", "choice", "multichoice"):
        return website_cell_value(item, value)
    return str(websites.display(item, value))


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 30 else text[:30] + "…"


def apply_workbook(preview: WorkbookPreview, *, by) -> ImportRecord:
    """Write the previewed workbook, all or nothing; returns the ImportRecord.

    Raises SpreadsheetError while the preview has problems or when the database refuses the
    rows (said in Chinese; the transaction rolled back), ReportLocked when
    `services.edit_refusal` refuses (`by` included), EditConflict when the filing is no longer
    at `preview.version` (saved after the preview). The whole import counts as one change
    (`version` up by one). Side effects: ValueChange rows (source 导入), a new WebsiteForm for
    a filled spare sheet, ImportRecord, LogEntry."""
    if preview.problems:
        raise SpreadsheetError(f"工作簿有{len(preview.problems)}处问题，未导入。", preview.problems)
    try:
        with one_edit(preview.report, preview.version, user=by) as report:
            return _write_workbook(preview, report, by)
    except DatabaseError as problem:
        raise SpreadsheetError(
            f"数据库拒绝保存本次导入（{type(problem).__name__}），未导入，数据没有任何改动。"
            "请检查工作簿中过大或格式异常的数字后重新上传。"
        ) from problem


def _write_workbook(preview: WorkbookPreview, report: AnnualReport, by) -> ImportRecord:
    changed = 0
    if preview.entries:
        changed += report_save_values(
            report=report,
            by=by,
            entries=preview.entries,
            source=ValueChange.Source.IMPORT,
            compute_totals=False,
        )
    for site in preview.sites:
        if not site.changed:
            continue
        form = site.form or websites.website_form_add(report=report, by=by)
        changed += websites.website_form_save(
            form=form,
            by=by,
            raw=site.raw,
            notes=site.notes,
            media_rows=site.media_rows,
            source=ValueChange.Source.IMPORT,
        )
    upload = preview.upload
    record = ImportRecord.objects.create(
        kind=ImportRecord.Kind.WORKBOOK,
        report=report,
        period=report.period,
        user=by,
        file_name=upload.name[:255],
        sha256=upload.sha256,
        cells_changed=changed,
        summary={"changes": len(preview.changes), "blank": preview.blank},
    )
    log_history(
        [report],
        by,
        f"导入工作簿「{upload.name}」（SHA-256 {upload.sha256[:12]}…），修改{changed}处",
    )
    return record


def log_history(reports, user, message: str) -> None:
    """An entry per filing on its admin 历史 page (imports by a named user only)."""
    if user is None or not reports:
        return
    LogEntry.objects.log_actions(
        user.pk, list(reports), CHANGE, change_message=message, single_object=len(reports) == 1
    )
