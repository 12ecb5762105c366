"""Every finding on a filing, from the filing as plain data: tables, website forms, 正文.

Pure (no database, no Django): `filing_findings` reads a `FilingData` — a live filing read by
`reports.selectors`, or a published snapshot — and the agency's filing of the year before, so
the entry pages, submission, `validate_reports` and the documents all see the same findings.

* the statistics tables: `reports.validation.validate` (the format's 勾稽 rules, cross-year
  rules against last year's values);
* each website form: `reports.formats.website_validation.validate_website`, cells prefixed with the
  form's position (``w1:…``, see `reports.formats.codes`);
* the 正文 (`narrative_findings`): every finding a WARNING, because a narrative that quotes
  another figure can be right (it may speak of part of the agency only, formats.md §7 rule 6);
  the reviewer decides and the filer explains.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from reports.filing_data import FilingData, WebsiteData
from reports.formats import Format
from reports.formats.codes import section_code, website_code
from reports.formats.narrative import ASPECT_WORDS, INTRO, SAME_MIN_LENGTH, squeezed
from reports.formats.rules import Finding, Severity, format_number
from reports.formats.website_rules import NARRATIVE_RULES
from reports.formats.website_validation import validate_website
from reports.validation import validate

PLACEHOLDER = "〔请"  # drafts mark what only staff can write: 〔请填写：…〕
WARNING = Severity.WARNING


def filing_findings(
    data: FilingData, previous: FilingData | None = None, *, require_complete: bool = False
) -> list[Finding]:
    """Every rule finding of `data`: its tables (cross-year rules against `previous`, the
    agency's filing of the year before), each website form (checked against the tables too),
    then its narrative. `require_complete` (submission): blank table cells and blank required
    website fields are ERRORs."""
    prior = (previous.format, previous.values) if previous and previous.known_format else None
    findings = validate(data.format, data.values, prior, require_complete=require_complete)
    for site in data.websites:
        findings += website_findings(
            site, statistics=(data.format, data.values), require_complete=require_complete
        )
    findings += narrative_findings(data, previous)
    return findings


def website_findings(
    site: WebsiteData,
    *,
    statistics: tuple[Format, dict] | None,
    narrative: str = "",
    require_complete: bool = False,
) -> list[Finding]:
    """Rule findings of one website form, cell codes prefixed with the form's position."""
    found = validate_website(
        site.values,
        site.media,
        statistics=statistics,
        narrative=narrative,
        require_complete=require_complete,
    )
    return [_of_site(site, f) for f in found]


def _of_site(site: WebsiteData, finding: Finding) -> Finding:
    return Finding(
        finding.rule_id,
        finding.severity,
        f"【{site.site_name}】{finding.message}",
        tuple(website_code(site.position, code) for code in finding.cells),
    )


# --- the 正文 ---------------------------------------------------------------------------------


def narrative_findings(data: FilingData, previous: FilingData | None = None) -> list[Finding]:
    """提示 (WARNING) findings on the 正文 of `data`; `previous` is the agency's filing of the
    year before (for "n-same"). Cells: "n:<key>" for a section, table cell codes for the figure
    it contradicts, "w<position>:media-…" for a website form's account.

    Rule ids: "n-empty" (a required section is empty), "n-draft" (a draft's 〔请填写〕 is left),
    "n-aspects" (2019/2021 一 misses one of its five 方面), "n6"/"n12" (a figure quoted in the
    text differs from the tables: the format's `NarrativeFormat.quotes`, formats.md §7 rules 6
    and 12 and their old-format equivalents), "w27c"/"w27d" (微博/微信 followers, rule 27),
    "n-same" (identical to last year's report).
    """
    fmt = data.format.narrative
    texts = {s.key: data.narrative.get(s.key, "") for s in fmt.writable()}
    findings = []
    for section in fmt.writable():
        text, cell = texts[section.key], section_code(section.key)
        if not text.strip():
            if section.required:
                message = f"正文「{section.name}」未填写（必备内容）"
                findings.append(Finding("n-empty", WARNING, message, (cell,)))
            continue
        if PLACEHOLDER in text:
            message = f"正文「{section.name}」仍有初稿中的〔请填写〕提示，请改写为本机关的实际情况"
            findings.append(Finding("n-draft", WARNING, message, (cell,)))
        if section.aspects:
            missing = [name for name, word in ASPECT_WORDS if word not in text]
            if missing:
                message = f"正文「{section.name}」未写到以下方面：{'、'.join(missing)}"
                findings.append(Finding("n-aspects", WARNING, message, (cell,)))
        findings += _quoted_figures(data, section.name, cell, text)
    whole = "\n".join(texts.values())
    ids = {rule.id for rule in NARRATIVE_RULES}
    for site in data.websites:
        found = website_findings(site, statistics=None, narrative=whole)
        findings += [f for f in found if f.rule_id in ids]
    if previous is not None:
        findings += _same_as_previous(fmt, texts, previous)
    return findings


def _sum(values: dict, cells: tuple[str, ...]) -> Decimal | None:
    found = [values.get(code) for code in cells]
    return None if any(v is None for v in found) else sum(found, Decimal(0))


def _quoted_figures(data: FilingData, name: str, cell: str, text: str) -> list[Finding]:
    findings = []
    folded = unicodedata.normalize("NFKC", text)
    for quote in data.format.narrative.quotes:
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


def _same_as_previous(fmt, texts: dict[str, str], previous: FilingData) -> list[Finding]:
    """Sections copied from last year's report, whatever section they were in then (the
    sections are renumbered when the format changes)."""
    before = {squeezed(t) for key, t in previous.narrative.items() if key != INTRO}
    findings = []
    for section in fmt.writable():
        text = squeezed(texts[section.key])
        if section.key == INTRO or len(text) < SAME_MIN_LENGTH or text not in before:
            continue
        message = (
            f"正文「{section.name}」与{previous.year}年度报告的内容完全相同，"
            "请按本年度情况撰写（年度报告内容不得雷同）"
        )
        findings.append(Finding("n-same", WARNING, message, (section_code(section.key),)))
    return findings
