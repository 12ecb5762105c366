"""The report's 正文: saving it, drafting it from the numbers, and checking it against them.

The sections each format has are declared in `reports.formats.narrative`; this module writes
`NarrativeSection` rows (audited like the table values) and reads a `FilingData`, so the same
checks run on a live filing and, later, on a published snapshot.

`narrative_findings` is what the lead merges into a filing's overall findings
(`reports.selectors.report_findings`): every finding is a WARNING, because a narrative that
quotes another figure can be right (it may speak of part of the agency only, formats.md §7
rule 6); the reviewer decides and the filer explains.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from reports.filing_data import FilingData, filing_data
from reports.formats.narrative import INTRO, draft_texts, narrative_format
from reports.formats.rules import Finding, Severity, format_number
from reports.formats.website_rules import NARRATIVE_RULES, validate_website
from reports.models import AnnualReport, NarrativeSection, ValueChange
from reports.services import EntryError, lock_for_edit

MAX_LENGTH = 20000  # characters per section: a long 一、总体情况 runs to about 6000
PLACEHOLDER = "〔请"  # drafts mark what only staff can write: 〔请填写：…〕
WARNING = Severity.WARNING


# --- writes ----------------------------------------------------------------------------------


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
    cleaned = check_texts(report.period.format_code, texts)
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
                report=report, code=f"n:{key}", old_text=old, new_text=text, actor=by, source=source
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
    `narrative_findings` keeps flagging until they are rewritten.
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


# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """A figure the text may quote and the table cells it must equal.

    `accept` lists the cell groups whose sum the quoted figure may equal (收到申请 may mean the
    new requests alone or with the carried-over ones).
    """

    rule_id: str
    pattern: str  # a regex whose group 1 is the figure
    name: str  # what the table calls it
    accept: tuple[tuple[str, ...], ...]


_GAP = r"[^\d。；;，,（(\n]"  # between a keyword and its figure: same clause, no other number


def _q(rule_id, before, unit, name, *accept) -> Quote:
    return Quote(rule_id, rf"{before}{_GAP}{{0,10}}?(\d+)\s*(?:{unit})", name, accept)


def _cells(prefix: str, rows, column="") -> tuple[str, ...]:
    return tuple(f"{prefix}-{row}{column}" for row in rows)


T3 = "-c7"  # 表三 总计 column
REFUSED = _cells("t3", [f"r3_3_{i}" for i in range(1, 9)], T3)
UNABLE = _cells("t3", [f"r3_4_{i}" for i in range(1, 4)], T3)
NOT_PROCESSED = _cells("t3", [f"r3_5_{i}" for i in range(1, 6)], T3)
APPLICATIONS = rf"(?:收到|受理|新收){_GAP}{{0,12}}?申请"

UNIFIED_QUOTES = (
    _q("n6", APPLICATIONS, "件|条", "表三 本年新收申请（含或不含上年结转）",
       ("t3-r1-c7",), ("t3-r1-c7", "t3-r2-c7")),
    _q("n6", r"上年度?结转", "件", "表三 上年结转申请", ("t3-r2-c7",)),
    _q("n6", r"(?<![按时期])办结", "件", "表三 办理结果总计", ("t3-r3_7-c7",)),
    _q("n6", r"结转下年度?", "件", "表三 结转下年度继续办理", ("t3-r4-c7",)),
    _q("n6", r"予以公开及部分公开", "件", "表三 予以公开与部分公开之和",
       ("t3-r3_1-c7", "t3-r3_2-c7")),
    _q("n6", r"(?<!不)予以公开(?!及)", "件", "表三 予以公开", ("t3-r3_1-c7",)),
    _q("n6", r"(?<!及)部分公开", "件", "表三 部分公开", ("t3-r3_2-c7",)),
    _q("n6", r"不予公开", "件", "表三 不予公开", REFUSED),
    _q("n6", r"无法提供", "件", "表三 无法提供", UNABLE),
    _q("n6", r"不予处理", "件", "表三 不予处理", NOT_PROCESSED),
    _q("n6", r"行政复议", "件|起", "表四 行政复议总计", ("t4-r1-c5",)),
    _q("n6", r"(?<!复议、)(?:行政)?诉讼", "件|起", "表四 行政诉讼总计", ("t4-r1-c10", "t4-r1-c15")),
)  # fmt: skip
RULE_12 = rf"(?:制发|印发|出台|制定|制作){_GAP}{{0,6}}?规范性文件"
QUOTES = {
    "gb2021": (
        *UNIFIED_QUOTES,
        _q("n12", RULE_12, "件", "表二 行政规范性文件本年制发件数", ("t2-r2-issued",)),
    ),
    "gb2019": (
        *UNIFIED_QUOTES,
        _q("n12", RULE_12, "件", "表二 规范性文件本年新制作/新公开数量",
           ("t2-r2-made",), ("t2-r2-published",)),
    ),
    # The old 统计表's equivalents (formats.md §7.4: the seed's 主动公开 247 条, 受理 1 条 hold).
    "gb2014": (
        Quote("n6", rf"(?<!已)主动公开(?:(?!规范性文件){_GAP}){{0,12}}?(\d+)\s*(?:条|件)",
              "统计表 主动公开政府信息数", (("t-r1",),)),
        _q("n6", r"主动公开规范性文件", "条|件", "统计表 主动公开规范性文件数", ("t-r2",)),
        _q("n12", r"制发规范性文件", "件", "统计表 制发规范性文件总数", ("t-r3",)),
        _q("n6", APPLICATIONS, "件|条", "统计表 收到申请数", ("t-r19",)),
        _q("n6", r"(?<![按时期])办结", "件|条", "统计表 申请办结数", ("t-r24",)),
        _q("n6", r"(?<![不部分])同意公开", "件|条", "统计表 同意公开答复数", ("t-r29",)),
        _q("n6", r"行政复议", "件|起", "统计表 行政复议数量", ("t-s4",)),
        _q("n6", r"行政诉讼", "件|起", "统计表 行政诉讼数量", ("t-s5",)),
        _q("n6", r"举报投诉", "件", "统计表 举报投诉数量", ("t-s6",)),
    ),
}  # fmt: skip
ASPECT_WORDS = (("主动公开", "主动公开"), ("依申请公开", "依申请"), ("政府信息管理", "信息管理"),
                ("政府信息公开平台建设", "平台"), ("监督保障", "监督"))  # fmt: skip
SAME_MIN_LENGTH = 20  # 「无。」 may rightly repeat every year


def narrative_findings(data: FilingData, previous: FilingData | None = None) -> list[Finding]:
    """提示 (WARNING) findings on the 正文 of `data`; `previous` is the agency's filing of the
    year before (for "n-same"). Cells: "n:<key>" for a section, table cell codes for the figure
    it contradicts, "w<position>:media-…" for a website form's account.

    Rule ids: "n-empty" (a required section is empty), "n-draft" (a draft's 〔请填写〕 is left),
    "n-aspects" (2019/2021 一 misses one of its five 方面), "n6"/"n12" (a figure quoted in the
    text differs from the tables, formats.md §7 rules 6 and 12 and their old-format
    equivalents), "w27c"/"w27d" (微博/微信 followers, rule 27), "n-same" (identical to last
    year's report).
    """
    fmt = narrative_format(data.format_code)
    texts = {s.key: data.narrative.get(s.key, "") for s in fmt.writable()}
    findings = []
    for section in fmt.writable():
        text, cell = texts[section.key], f"n:{section.key}"
        if not text.strip():
            if section.required:
                findings.append(
                    Finding(
                        "n-empty", WARNING, f"正文「{section.name}」未填写（必备内容）", (cell,)
                    )
                )
            continue
        if PLACEHOLDER in text:
            findings.append(
                Finding(
                    "n-draft",
                    WARNING,
                    f"正文「{section.name}」仍有初稿中的〔请填写〕提示，请改写为本机关的实际情况",
                    (cell,),
                )
            )
        if section.aspects:
            missing = [name for name, word in ASPECT_WORDS if word not in text]
            if missing:
                message = f"正文「{section.name}」未写到以下方面：{'、'.join(missing)}"
                findings.append(Finding("n-aspects", WARNING, message, (cell,)))
        findings += _quoted_figures(data, section.name, cell, text)
    whole = "\n".join(texts.values())
    for site in data.websites:
        findings += _website_figures(site, whole)
    if previous is not None:
        findings += _same_as_previous(fmt, texts, previous)
    return findings


def _sum(values: dict, cells: tuple[str, ...]) -> Decimal | None:
    found = [values.get(code) for code in cells]
    return None if any(v is None for v in found) else sum(found, Decimal(0))


def _quoted_figures(data: FilingData, name: str, cell: str, text: str) -> list[Finding]:
    findings = []
    folded = unicodedata.normalize("NFKC", text)
    for quote in QUOTES.get(data.format_code, ()):
        for match in re.finditer(quote.pattern, folded):
            figure = Decimal(match.group(1))
            expected = [_sum(data.values, cells) for cells in quote.accept]
            if any(e is None for e in expected) or figure in expected:
                continue
            table = format_number(expected[0])
            message = (
                f"正文「{name}」写“{match.group(0).strip()}”，"
                f"与{quote.name} {table} 不一致（请核对正文或统计表）"
            )
            findings.append(Finding(quote.rule_id, WARNING, message, (cell, *quote.accept[0])))
    return findings


def _website_figures(site, text: str) -> list[Finding]:
    """Rule 27's narrative checks (微博/微信 followers) for one website form, as
    `reports.websites.findings_for` names them."""
    ids = {rule.id for rule in NARRATIVE_RULES}
    found = validate_website(site.values, site.media, narrative=text)
    return [
        Finding(
            f.rule_id,
            f.severity,
            f"【{site.site_name}】{f.message}",
            tuple(f"w{site.position}:{code}" for code in f.cells),
        )
        for f in found
        if f.rule_id in ids
    ]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _same_as_previous(fmt, texts: dict[str, str], previous: FilingData) -> list[Finding]:
    """Sections copied from last year's report, whatever section they were in then (the
    sections are renumbered when the format changes)."""
    before = {_squeezed(t) for key, t in previous.narrative.items() if key != INTRO}
    findings = []
    for section in fmt.writable():
        text = _squeezed(texts[section.key])
        if section.key == INTRO or len(text) < SAME_MIN_LENGTH or text not in before:
            continue
        message = (
            f"正文「{section.name}」与{previous.year}年度报告的内容完全相同，"
            "请按本年度情况撰写（年度报告内容不得雷同）"
        )
        findings.append(Finding("n-same", WARNING, message, (f"n:{section.key}",)))
    return findings


def previous_filing_data(report: AnnualReport) -> FilingData | None:
    """The agency's filing of the year before, as FilingData (for "n-same"), or None."""
    previous = AnnualReport.objects.filter(
        agency_id=report.agency_id, period__year=report.period.year - 1
    ).first()
    return filing_data(previous) if previous else None


def report_narrative_findings(report: AnnualReport, data: FilingData | None = None) -> list:
    """`narrative_findings` of a live filing, last year's filing read for "n-same"."""
    return narrative_findings(data or filing_data(report), previous_filing_data(report))
