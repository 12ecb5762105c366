"""Many agencies' published reports at once, for a 主管部门 (layer 5: Django).

A folder or a zip of reports (`read_folder`, `read_zip`: hidden files and directories
ignored, paths leaving the archive refused, sizes capped) → each file matched to its agency
and year from the report's own title (「河北省教育厅2018年政府信息公开工作年度报告」,
`find_title`), among the agencies the user coordinates (`access.coordinated_ids`, built from
`Agency.path`). A match is certain only when the title names an agency exactly (its full
name); otherwise the file waits for the user's choice, with the agencies whose names fit
the title offered first — never guessed. `preview_bulk` reads every file through
`importing.preview_report` (writing nothing) and counts what each would bring (`Tally`);
`apply_item` imports one file all or nothing, against the filing version its preview read
(or creating the filing, when the preview found none and nobody created it since).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction

from reports.access import access_for
from reports.models import Agency, AnnualReport, ReportingPeriod
from reports.services import ReportLocked, edit_refusal
from reports.spreadsheets.safety import human_size, max_uncompressed_bytes, max_upload_bytes
from reports.spreadsheets.versions import changed_since_preview, created_since_preview

from .extract import Document, ExtractError, extract, suffix
from .importing import ReportImportError, ReportPreview, Tally, apply_report, preview_report

MAX_FILES = 1000
TITLE_LINES = 60  # a title stands at the top of the report (or of a crawled page's header)

READY, ASK, REFUSED, UNREADABLE = "ready", "ask", "refused", "unreadable"
STATUS_LABELS = {READY: "可导入", ASK: "待确认", REFUSED: "已拒绝", UNREADABLE: "无法读取"}


class BulkError(Exception):
    """The whole folder or archive is refused (Chinese message)."""


@dataclass(frozen=True)
class Entry:
    """One file of the folder or archive: its path inside it and its bytes."""

    name: str
    data: bytes


# --- reading a folder or an archive -----------------------------------------------------


def _hidden(parts) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it: Windows' zip tools write GBK names without
    the UTF-8 flag, which zipfile reads as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_zip(data: bytes, name: str) -> tuple[list[Entry], list[str]]:
    """The report files in the zip `data` and what was skipped (Chinese notes).

    Refuses the whole archive (BulkError) when it is not a zip, holds a path leaving it
    (「../」, an absolute path), or inflates beyond ``SPREADSHEET_MAX_UNCOMPRESSED_BYTES`` in
    total — counted while inflating, since a zip's directory may lie. Directories, hidden
    files and files that are no report (by suffix) are skipped; a member larger than the
    upload cap is skipped with its size."""
    if not data.startswith(b"PK\x03\x04"):
        raise BulkError(f"「{name}」不是 zip 压缩包。")
    cap, total = max_uncompressed_bytes(), 0
    bomb = BulkError(
        f"「{name}」解压后超过 {human_size(cap)}（可能是压缩炸弹），已拒绝，没有导入任何文件。"
    )
    entries, skipped = [], []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_FILES:
                raise BulkError(f"「{name}」中的文件超过{MAX_FILES}个，请分批上传。")
            for info in members:
                path = _member_name(info).replace("\\", "/")
                parts = PurePosixPath(path).parts
                if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
                    raise BulkError(
                        f"「{name}」中的「{path}」指向压缩包之外，已拒绝整个压缩包，没有导入任何文件。"
                    )
                if info.is_dir() or _hidden(parts):
                    continue
                if not suffix(path):
                    skipped.append(
                        f"「{path}」不是报告文件（.html/.htm/.txt/.pdf/.docx），已跳过。"
                    )
                    continue
                if info.file_size > max_upload_bytes():
                    skipped.append(
                        f"「{path}」有 {human_size(info.file_size)}，超过了"
                        f" {human_size(max_upload_bytes())} 的上限，已跳过。"
                    )
                    continue
                chunks, size = [], 0
                with archive.open(info) as stream:
                    while chunk := stream.read(256 * 1024):
                        size += len(chunk)
                        total += len(chunk)
                        if total > cap or size > max_upload_bytes():
                            raise bomb
                        chunks.append(chunk)
                entries.append(Entry(path, b"".join(chunks)))
    except BulkError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BulkError(f"「{name}」已损坏，无法作为 zip 压缩包打开。") from None
    entries.sort(key=lambda e: e.name)
    return entries, skipped


def read_folder(folder: str) -> tuple[list[Entry], list[str]]:
    """The report files under `folder` (subfolders included, hidden ones and symbolic links
    leaving it skipped) and what was skipped; the same caps as `read_zip`."""
    root = Path(folder).resolve()
    cap, total = max_uncompressed_bytes(), 0
    entries, skipped = [], []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not _hidden([d]))
        for file_name in sorted(files):
            path = Path(directory) / file_name
            shown = path.relative_to(root).as_posix()
            if _hidden([file_name]):
                continue
            if not path.resolve().is_relative_to(root) or not path.is_file():
                skipped.append(f"「{shown}」指向文件夹之外，已跳过。")
                continue
            if not suffix(file_name):
                skipped.append(f"「{shown}」不是报告文件（.html/.htm/.txt/.pdf/.docx），已跳过。")
                continue
            size = path.stat().st_size
            if size > max_upload_bytes():
                skipped.append(
                    f"「{shown}」有 {human_size(size)}，超过了 {human_size(max_upload_bytes())}"
                    " 的上限，已跳过。"
                )
                continue
            total += size
            if total > cap or len(entries) >= MAX_FILES:
                raise BulkError(
                    f"文件夹「{folder}」中的报告合计超过 {human_size(cap)} 或 {MAX_FILES} 个，"
                    "请分批导入。"
                )
            entries.append(Entry(shown, path.read_bytes()))
    return entries, skipped


# --- the title: which agency, which year ------------------------------------------------

_NAME = r"[\u4e00-\u9fff（）()〔〕·]{2,60}?"
_TAIL = r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
_AGENCY_FIRST = re.compile(rf"(?P<agency>{_NAME})(?P<year>(?:19|20)\d{{2}})年度?{_TAIL}")
_YEAR_FIRST = re.compile(rf"(?P<year>(?:19|20)\d{{2}})年度?(?P<agency>{_NAME}){_TAIL}")
_NOT_AN_AGENCY = {
    "政府",
    "政务",
    "本单位",
    "本机关",
    "我厅",
    "我局",
    "我委",
    "我办",
    "我区",
    "我市",
}


@dataclass(frozen=True)
class Title:
    agency: str  # the agency as the title names it
    year: int
    text: str  # the title as found (blanks removed)
    line: int


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_title(document: Document) -> Title | None:
    """The report's title among its first lines — one line, or two when the title wraps
    (「2024 年上海市科委政府信息公开工作」「年度报告」) — else None."""
    lines = [line for line in document.lines if line.text.strip()][:TITLE_LINES]
    for i, line in enumerate(lines):
        candidates = [_squeeze(line.text)]
        if i + 1 < len(lines):
            candidates.append(candidates[0] + _squeeze(lines[i + 1].text))
        for text in candidates:
            for pattern in (_AGENCY_FIRST, _YEAR_FIRST):
                for found in pattern.finditer(text):
                    agency = found.group("agency")
                    if agency in _NOT_AN_AGENCY or len(agency) < 3:
                        continue
                    return Title(agency, int(found.group("year")), found.group(0), line.number)
    return None


def _fold(name: str) -> str:
    return _squeeze(name).replace("(", "（").replace(")", "）")


def match_agency(title: Title, agencies: list[Agency]) -> tuple[Agency | None, list[Agency]]:
    """(the agency the title names exactly, if exactly one does; the agencies whose names
    fit the title otherwise, best first, for the user to choose from)."""
    named = _fold(title.agency)
    exact = [a for a in agencies if _fold(a.name) == named]
    if len(exact) == 1:
        return exact[0], []
    if exact:
        return None, exact
    fits = [
        a
        for a in agencies
        if named.endswith(_fold(a.name))
        or _fold(a.name).endswith(named)
        or (a.short_name and _fold(a.short_name) in named)
    ]
    fits.sort(key=lambda a: -len(a.name))
    return None, fits


# --- preview and apply ----------------------------------------------------------------


@dataclass
class BulkItem:
    """One file of a bulk import: what it was matched to, what its import would bring."""

    index: int
    entry: Entry
    status: str = UNREADABLE
    message: str = ""  # why it is refused, unreadable or waits for a choice (Chinese)
    title: Title | None = None
    agency: Agency | None = None
    year: int | None = None
    chosen: bool = False  # the agency (and year) were chosen by the user, not by the title
    candidates: list[Agency] = field(default_factory=list)
    version: int | None = None  # the filing's version the preview read; None: to create
    tally: Tally | None = None
    changes: int = 0
    preview: ReportPreview | None = None
    document: Document | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def target(self) -> str:
        """What the preview was read against, for the confirmation to compare."""
        if self.agency is None or self.year is None:
            return ""
        return f"{self.agency.pk}:{self.year}:{'new' if self.version is None else self.version}"

    def to_json(self) -> dict:
        return {
            "file": self.entry.name,
            "status": self.status,
            "message": self.message,
            "title": self.title.text if self.title else None,
            "agency": self.agency.slug if self.agency else None,
            "year": self.year,
            "chosen": self.chosen,
            "candidates": [a.slug for a in self.candidates],
            "creates_filing": self.agency is not None and self.version is None,
            "changes": self.changes,
            "summary": self.tally.to_json() if self.tally else None,
            "problems": self.preview.problems if self.preview else [],
        }


def agencies_for(user) -> list[Agency]:
    """The agencies a bulk import may match: the user's subtree (all for a superuser, or for
    the server operator, `user=None`)."""
    agencies = Agency.objects.order_by("path", "name")
    if user is None:
        return list(agencies)
    access = access_for(user)
    if access.is_superuser:
        return list(agencies)
    return list(agencies.filter(pk__in=access.coordinated_ids))


def preview_bulk(entries: list[Entry], *, user, choices: dict | None = None) -> list[BulkItem]:
    """Every file read, matched and previewed; writes nothing.

    `choices` maps a file's index to the (agency id, year) the user chose for it; a choice
    outside the user's agencies is ignored. Two files matched to the same filing both wait
    for a choice."""
    choices = choices or {}
    agencies = agencies_for(user)
    by_id = {a.pk: a for a in agencies}
    periods = {p.year: p for p in ReportingPeriod.objects.all()}
    items = []
    for index, entry in enumerate(entries):
        item = BulkItem(index, entry)
        items.append(item)
        try:
            item.document = extract(entry.data, PurePosixPath(entry.name).name)
        except ExtractError as problem:
            item.message = str(problem)
            continue
        item.title = find_title(item.document)
        agency_id, year = choices.get(index, (None, None))
        if agency_id in by_id:
            item.agency, item.chosen = by_id[agency_id], True
            item.year = year or (item.title.year if item.title else None)
        elif item.title:
            item.year = item.title.year
            item.agency, item.candidates = match_agency(item.title, agencies)
        if item.agency is None or item.year is None:
            item.status = ASK
            item.message = _ask_message(item)
            continue
        _preview_item(item, periods.get(item.year), user)
    _flag_duplicates(items)
    return items


def _ask_message(item: BulkItem) -> str:
    if item.title is None:
        return "未能从报告标题中认出单位和年度，请选择。"
    if item.agency is None and item.candidates:
        names = "、".join(a.name for a in item.candidates[:5])
        return f"标题中的「{item.title.agency}」不能唯一对应所辖单位（可能是：{names}），请选择。"
    if item.agency is None:
        return f"所辖单位中没有标题中的「{item.title.agency}」，请选择单位。"
    return "请选择报告年度。"


def _preview_item(item: BulkItem, period: ReportingPeriod | None, user) -> None:
    if period is None:
        item.status, item.message = REFUSED, f"没有{item.year}年度的报告年度设置。"
        return
    report = (
        AnnualReport.objects.select_related("agency", "period")
        .filter(agency=item.agency, period=period)
        .first()
    )
    try:
        if report is not None:
            item.version = report.version
            item.preview = preview_report(report, item.document, user=user)
        else:
            item.preview = _preview_new(item.agency, period, item.document, user)
    except ReportImportError as problem:
        item.status, item.message = REFUSED, str(problem)
        return
    item.tally = Tally.of(item.preview)
    item.changes = len(item.preview.changes)
    if item.preview.problems:
        item.status, item.message = UNREADABLE, "；".join(item.preview.problems)
    else:
        item.status = READY
        if report is None:
            item.message = f"将新建「{item.agency.name}」{item.year}年度的报告。"


def _preview_new(agency, period, document, user) -> ReportPreview:
    """The preview of a filing that does not exist yet: created in a savepoint that is
    rolled back, so the preview reads the filing as the import would create it."""
    candidate = AnnualReport(agency=agency, period=period)
    if refusal := edit_refusal(candidate, user):
        raise ReportImportError(refusal)
    with transaction.atomic():
        candidate.save()
        preview = preview_report(candidate, document, user=user)
        transaction.set_rollback(True)
    return preview


def _flag_duplicates(items: list[BulkItem]) -> None:
    seen: dict[tuple, BulkItem] = {}
    for item in items:
        if item.status != READY:
            continue
        key = (item.agency.pk, item.year)
        if key in seen:
            for twin in (seen[key], item):
                other = item if twin is seen[key] else seen[key]
                twin.status = ASK
                twin.message = (
                    f"与「{other.entry.name}」对应同一份报告（{item.agency.name}{item.year}年度），"
                    "请为其中一个选择其他单位，或只导入一个。"
                )
        else:
            seen[key] = item


def apply_item(item: BulkItem, *, by):
    """Import one previewed file (status READY), all or nothing; returns the ImportRecord.

    Against the version its preview read; when the preview found no filing, the filing is
    created in the same transaction (and refused if someone created it since). Raises
    ReportImportError, ReportLocked or EditConflict (Chinese messages); nothing is written
    then."""
    if item.status != READY:
        raise ReportImportError(item.message or "该文件不能导入。")
    period = ReportingPeriod.objects.get(year=item.year)
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_related("agency", "period")
            .filter(agency=item.agency, period=period)
            .first()
        )
        if item.version is None:
            if report is not None:
                raise ReportImportError(created_since_preview(item.agency.name, item.year))
            report = AnnualReport(agency=item.agency, period=period)
            if refusal := edit_refusal(report, by):
                raise ReportLocked(refusal)
            report.save()
            version = report.version
        elif report is None:
            raise ReportImportError(
                changed_since_preview(AnnualReport(agency=item.agency, period=period))
            )
        else:
            version = item.version
        preview = preview_report(report, item.document, user=by)
        preview.version = version
        return apply_report(preview, by=by)
