"""Every finding on a filing, from the filing as plain data: tables, website forms, 正文.

Pure (no database, no Django): `filing_findings` reads a `FilingData` — a live filing read by
`reports.selectors`, or a published snapshot — and the agency's filing of the year before, so
the entry pages, submission, `validate_reports` and the documents all see the same findings.

* the statistics tables: `reports.validation.validate` (blank cells, the format's 勾稽 rules,
  cross-year rules against last year's values, the rules blanks left unchecked);
* each website form: `reports.formats.website_validation.validate_website`, cells prefixed with the
  form's position (``w1:…``, see `reports.formats.codes`);
* the 正文 (`narrative_findings`): WARNINGs where the text contradicts the tables or a required
  part is missing, because a narrative that quotes another figure can be right (it may speak of
  part of the agency only, formats.md §7 rule 6): the reviewer decides and the filer explains;
  HINTs (no explanation asked) where the text merely leaves a subject unmentioned.

A 历史补录 filing (``historical=True``) reports its blank cells as 「原表空白」 warnings instead of
errors: what was printed is recorded as printed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from reports.filing_data import FilingData, WebsiteData
from reports.formats import Format
from reports.formats.codes import section_code, website_code
from reports.formats.narrative import (
    ASPECT_WORDS,
    INTRO,
    SAME_MIN_LENGTH,
    NarrativeFormat,
    Section,
    squeezed,
)
from reports.formats.rules import Finding, Severity, format_number
from reports.formats.website_rules import NARRATIVE_RULES
from reports.formats.website_validation import validate_website
from reports.validation import validate

PLACEHOLDER = "〔请"  # drafts mark what only staff can write: 〔请填写：…〕
WARNING, HINT = Severity.WARNING, Severity.HINT
SENTENCES = re.compile(r"[。！？!?；;\n]")  # text width-folded (NFKC): ；→; too


def filing_findings(
    data: FilingData, previous: FilingData | None = None, *, historical: bool = False
) -> list[Finding]:
    """Every rule finding of `data`: its tables (cross-year rules against `previous`, the
    agency's filing of the year before), each website form (checked against the tables too),
    then its narrative. Blank table cells and blank required website fields are ERRORs, or
    「原表空白」 WARNINGs when `historical` (a 历史补录 filing)."""
    prior = (previous.format, previous.values) if previous and previous.known_format else None
    findings = validate(data.format, data.values, prior, historical=historical)
    for site in data.websites:
        findings += website_findings(
            site, statistics=(data.format, data.values), historical=historical
        )
    findings += narrative_findings(data, previous)
    return findings


def website_findings(
    site: WebsiteData,
    *,
    statistics: tuple[Format, dict] | None,
    narrative: str = "",
    historical: bool = False,
) -> list[Finding]:
    """Rule findings of one website form, cell codes prefixed with the form's position."""
    found = validate_website(
        site.values,
        site.media,
        statistics=statistics,
        narrative=narrative,
        historical=historical,
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
    """Findings on the 正文 of `data`; `previous` is the agency's filing of the year before (for
    "n-same"). Cells: "n:<key>" for a section, table cell codes for the figure it contradicts,
    "w<position>:media-…" for a website form's account.

    WARNING rule ids: "n-empty" (a required section is empty; in a free-structure format, before
    2019, only when the whole 正文 is), "n-draft" (a draft's 〔请填写〕 is left), "n6"/"n12" (a
    figure quoted in the text differs from the tables: the format's `NarrativeFormat.quotes`,
    formats.md §7 rules 6 and 12 and their old-format equivalents), "n-outcome" (a statement of
    outcome such as 「均获维持」 that the tables deny: `NarrativeFormat.outcomes`), "w27c"/"w27d"
    (微博/微信 followers, rule 27), "n-same" (identical to last year's report).
    HINT rule ids: "n-aspects" (2019/2021 一 does not mention one of its five 方面), "n-topic"
    (before 2019: a required subject written nowhere in the 正文).
    """
    fmt = data.format.narrative
    texts = {s.key: data.narrative.get(s.key, "") for s in fmt.writable()}
    findings = []
    for section in fmt.writable():
        text, cell = texts[section.key], section_code(section.key)
        if not text.strip():
            findings += _empty(fmt, section, texts)
            continue
        if PLACEHOLDER in text:
            message = f"正文「{section.name}」仍有初稿中的〔请填写〕提示，请改写为本机关的实际情况"
            findings.append(Finding("n-draft", WARNING, message, (cell,)))
        if section.aspects:
            missing = [name for name, words in ASPECT_WORDS if not re.search(words, text)]
            if missing:
                message = f"正文「{section.name}」未写到以下方面：{'、'.join(missing)}（供参考）"
                findings.append(Finding("n-aspects", HINT, message, (cell,)))
        findings += _quoted_figures(data, section.name, cell, text)
        findings += _outcomes(data, section.name, cell, text)
    whole = "\n".join(texts.values())
    ids = {rule.id for rule in NARRATIVE_RULES}
    for site in data.websites:
        found = website_findings(site, statistics=None, narrative=whole)
        findings += [f for f in found if f.rule_id in ids]
    if previous is not None:
        findings += _same_as_previous(fmt, texts, previous)
    return findings


def _empty(fmt: NarrativeFormat, section: Section, texts: dict[str, str]) -> list[Finding]:
    """An empty section: a WARNING when required (a free-structure 正文 with text elsewhere: a
    HINT, and none when the section's subject is written about in another section)."""
    cell = section_code(section.key)
    if not section.required:
        return []
    written = "\n".join(texts.values())
    if not (fmt.free_structure and written.strip()):
        message = f"正文「{section.name}」未填写（必备内容）"
        return [Finding("n-empty", WARNING, message, (cell,))]
    if section.words and any(word in written for word in section.words):
        return []
    message = f"正文未写到「{section.name.split('、', 1)[-1]}」（可写在任一部分；没有的可写“无”）"
    return [Finding("n-topic", HINT, message, (cell,))]


def _outcomes(data: FilingData, name: str, cell: str, text: str) -> list[Finding]:
    """ "n-outcome": each statement of `NarrativeFormat.outcomes` the tables deny, once."""
    findings, seen = [], set()
    for sentence in SENTENCES.split(unicodedata.normalize("NFKC", text)):
        for outcome in data.format.narrative.outcomes:
            match = re.search(outcome.claim, sentence)
            if (
                outcome in seen
                or not match
                or not re.search(outcome.about, sentence)
                or (outcome.unless and re.search(outcome.unless, sentence))
            ):
                continue
            total = _sum(data.values, outcome.denies)
            if total is None or total == 0:
                continue
            seen.add(outcome)
            message = (
                f"正文「{name}」写“{_around(sentence, match)}”，"
                f"与{outcome.name} {format_number(total)} 不符（请核对正文或统计表）"
            )
            findings.append(Finding("n-outcome", WARNING, message, (cell, *outcome.denies)))
    return findings


def _around(sentence: str, match: re.Match) -> str:
    """The clause that makes the statement: "…没有因政府信息公开而被提起的行政复议或行政诉讼"."""
    start = max(sentence.rfind(",", 0, match.start()), sentence.rfind("，", 0, match.start())) + 1
    ends = [
        i for i in (sentence.find(",", match.end()), sentence.find("，", match.end())) if i >= 0
    ]
    end = min(ends, default=len(sentence))
    return ("…" if start else "") + sentence[start:end].strip()


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
