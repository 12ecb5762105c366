"""The 正文 (narrative report) of a format: its building blocks, header sentences and drafts.

Pure Python (no Django). Each statistics-table format carries its narrative (`Format.narrative`,
declared in the format's own module): which numbered sections the report has, in printed order,
which of them the law requires, what staff are asked to write in each, where the official tables
are printed, the paragraphs a first draft is written with, and the figures the text may quote
(`Quote`), which `reports.findings` checks against the tables. A format built on an earlier one
(``dataclasses.replace``) inherits all of it.

Every narrative also has an optional opening (``intro``): text printed right after the
legal-basis sentence, in the same paragraph, as the seed does (「本年度报告根据…编制。本年度报告由…组成。」).

The header sentences (legal basis, contact) are built here too, so the page, the Word file, the
PDF and the public page word them identically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import format_number

INTRO = "intro"


@dataclass(frozen=True)
class Section:
    key: str  # ASCII, stable: NarrativeSection.key and the code "n:<key>" (reports.formats.codes)
    title: str  # as printed: "一、总体情况"; "" for the opening
    required: bool = False  # an empty required section is a 提示 (rule "n-empty")
    guidance: str = ""  # what to write, shown above the text box
    aspects: tuple[str, ...] = ()  # sub-topics the text must cover (2019/2021 一)
    table: str = ""  # the format's table printed in this section ("t2"); "" for none
    writable: bool = True  # False: the section is its table, there is no text to type
    # Free-structure formats (`NarrativeFormat.free_structure`): words that show this section's
    # subject is written about, in whichever section the report put it.
    words: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """How messages call the section: its title, or 开头语 for the opening."""
        return self.title or "开头语"


@dataclass(frozen=True)
class Quote:
    """A figure the text may quote and the table cells it must equal (rules "n6" / "n12").

    `accept` lists the cell groups whose sum the quoted figure may equal (收到申请 may mean the
    new requests alone or with the carried-over ones).
    """

    rule_id: str
    pattern: str  # a regex whose group 1 is the figure
    name: str  # what the table calls it
    accept: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Outcome:
    """A statement of outcome the text may make and the table cells it denies (rule "n-outcome").

    A sentence (split at 。；！？ and line ends, width-folded) that matches `claim` and `about`,
    and not `unless`, says that the cells `denies` are all 0 (「均获维持」: no 纠正;
    「未收到政府信息公开申请」: no new request); when their sum is more, the text and the table
    disagree. Blank cells: no check (the blank is reported on its own).
    """

    claim: str  # regex of the statement: "(?:均|全部)(?:获|被)?维持"
    about: str  # regex the same sentence must match: what the statement is about ("复议")
    denies: tuple[str, ...]  # cells whose sum the statement says is 0
    name: str  # how the message calls them: "表四 行政复议·结果纠正"
    unless: str = ""  # regex: a sentence matching it speaks of something else (留言, 提案)


# A draft paragraph is a tuple of sentences (str, `IfZero` or `Otherwise`), see `draft_texts`.
Paragraphs = tuple[tuple[object, ...], ...]

BASIS_2014 = "本年度报告根据{law}编制。"
BASIS_UNIFIED = (
    "本年度报告根据{law}要求编制，全文包括{parts}。"
    "本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
)


@dataclass(frozen=True)
class NarrativeFormat:
    sections: tuple[Section, ...] = ()  # printed order, opening first
    tables_after: tuple[str, ...] = ()  # tables printed after the last section (gb2014 统计表)
    law: str = ""  # how the legal-basis sentence cites the 条例 and the format
    basis: str = BASIS_UNIFIED  # the legal-basis sentence: {law}, {parts} (section titles), {year}
    drafts: Mapping[str, Paragraphs] = field(default_factory=dict)  # section key → paragraphs
    intro_lists_sections: bool = False  # the drafted opening names the sections (the seed's)
    quotes: tuple[Quote, ...] = ()  # figures the text may quote, checked against the tables
    outcomes: tuple[Outcome, ...] = ()  # statements of outcome, checked against the tables
    # Reports before 2019 were free in structure (formats.md §2.3: 4, 6 or 9 parts): a section
    # left empty is fine when its `words` appear elsewhere, and a 提示 needing no explanation
    # (rule "n-topic") when they do not; only a wholly empty 正文 is a warning ("n-empty").
    free_structure: bool = False

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"no narrative section {key!r} (known: {', '.join(self.keys())})")

    def writable(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.writable)

    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.writable())

    def titles(self) -> list[str]:
        return [s.title for s in self.sections if s.title]


OPENING = Section(
    INTRO,
    "",
    guidance="可选。紧接在“本年度报告根据……编制。”之后、同一段内印出，"
    "如：“本年度报告由概述……共十部分组成。”；联系方式段落由系统按填报单位信息生成，无需在此填写。",
)
ASPECTS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设",
           "（五）监督保障")  # fmt: skip
# What shows an aspect is written about (rule "n-aspects", a hint): a regex over the text, tuned
# on the corpus (河北教育厅2021 writes 「加大政策公开力度」「动态清理规范性文件」, 上海科委2024
# 「工作机制保障」).
ASPECT_WORDS = (("主动公开", r"主动公开|政策公开|公开发布"),
                ("依申请公开", r"依申请|公开申请|申请公开"),
                ("政府信息管理", r"信息管理|公开属性|规范性文件|清理"),
                ("政府信息公开平台建设", r"平台|网站|新媒体"),
                ("监督保障", r"监督|考核|培训|保障"))  # fmt: skip
# 条例第五十条第（四）项: governments also report these; 〔2021〕30号 puts them under 监督保障.
GOVERNMENT_ASPECT = "各级人民政府还应报告工作考核、社会评议和责任追究结果情况（可写在“监督保障”中）"

# --- quotes and outcomes ----------------------------------------------------------------------

GAP = r"[^\d。；;，,（(\n]"  # between a keyword and its figure: same clause, no other number
APPLICATIONS = rf"(?:收到|受理|新收){GAP}{{0,12}}?申请"


def quote(rule_id: str, before: str, unit: str, name: str, *accept: tuple[str, ...]) -> Quote:
    """A `Quote` of the figure after `before` (same clause) and before `unit`."""
    return Quote(rule_id, rf"{before}{GAP}{{0,10}}?(\d+)\s*(?:{unit})", name, accept)


# Outcome statements real reports make (tuned on ../shared/corpus, tests/test_corpus_narrative.py),
# e.g. 「未发生…行政复议」「无行政复议事项」「无行政复议、诉讼等情况」: one clause, no figure.
_CLAUSE = r"[^，,。；;\d]"
NONE = rf"(?:未发生|没有发生|未出现|未有|没有|未收到|未接到|无){_CLAUSE}{{0,20}}?"
ALL_UPHELD = r"(?:均|全部|都)(?:获|被|予以|得到|获得)?维持"
NOT_CORRECTED = rf"(?:未|没有|无){_CLAUSE}{{0,16}}?(?:纠错|纠正|败诉)"
NO_REQUEST = rf"(?:未收到|没有收到|未接到|未受理|没有受理){_CLAUSE}{{0,12}}?申请"
ON_TIME = rf"(?:(?:均|全部|都){_CLAUSE}{{0,8}}?(?:按时|按期|在法定期限|在规定期限)|按时办结率100%)"
ALL_DONE = r"(?:全部办结|均已办结|均办结|办结率100%)"
NO_FEE = rf"(?:未|没有|无|均未|不){_CLAUSE}{{0,10}}?(?:收取|收费)"
# Sentences about other things than requests under the 条例 (网民留言, 建议提案, 行政审批).
ELSEWHERE = r"留言|建议|提案|审批|咨询|办件|信访|问政"


def outcomes(
    *,
    reconsiderations: tuple[str, ...],
    reconsiderations_corrected: tuple[str, ...],
    lawsuits: tuple[str, ...],
    lawsuits_corrected: tuple[str, ...],
    requests: tuple[str, ...],
    names: Mapping[str, str],
) -> tuple[Outcome, ...]:
    """The outcome statements every format checks: no 复议/诉讼, all upheld, none corrected,
    no request received. `names` says how the tables call each group of cells (keyed by the
    argument names)."""
    review, suit = r"复议", r"诉讼"
    return (
        Outcome(rf"{NONE}行政复议", review, reconsiderations, names["reconsiderations"],
                unless=r"纠错|纠正|败诉"),
        Outcome(rf"{NONE}(?:行政)?诉讼", suit, lawsuits, names["lawsuits"],
                unless=r"纠错|纠正|败诉|诉讼法"),
        Outcome(ALL_UPHELD, review, reconsiderations_corrected,
                names["reconsiderations_corrected"]),
        Outcome(ALL_UPHELD, suit, lawsuits_corrected, names["lawsuits_corrected"]),
        Outcome(NOT_CORRECTED, review, reconsiderations_corrected,
                names["reconsiderations_corrected"]),
        Outcome(NOT_CORRECTED, suit, lawsuits_corrected, names["lawsuits_corrected"]),
        Outcome(NO_REQUEST, r"公开", requests, names["requests"],
                unless=rf"复议|诉讼|{ELSEWHERE}"),
    )  # fmt: skip


# --- header and footer sentences ------------------------------------------------------------


def legal_basis(fmt: NarrativeFormat, year: int) -> str:
    """The report's first sentence(s): which law and format it is written under.

    Worded by the format's ``basis`` (`BASIS_2014` as the seed words it; `BASIS_UNIFIED` the way
    real reports from 2019 word it, 上海2019, formats.md [S9]: the revised 条例's 第五十条, the
    unified format, what the report contains, and the statistics period).
    """
    # 「行政复议、行政诉讼情况」 would read as two items of the list: join them with 和.
    parts = "、".join(_bare(s.title).replace("、", "和") for s in fmt.sections if s.title)
    return fmt.basis.format(law=fmt.law, parts=parts, year=year)


def _bare(title: str) -> str:
    """「一、总体情况」 → 「总体情况」."""
    return title.split("、", 1)[-1]


def _site(url: str) -> str:
    """A web address as reports print it: "http://edu.nc.gov.cn/" → "edu.nc.gov.cn"."""
    return url.split("://", 1)[-1].rstrip("/")


def contact_paragraph(agency_name: str, contact: dict) -> str:
    """「本报告可在…网站（…）下载并查看。如对本报告有任何疑问，请与…联系（地址：…）。」

    Built from the agency's contact block (Agency.address … website), each item only when
    filled, so a change of address is made once, on the agency, and every report follows.
    """
    sentences = []
    if contact.get("website"):
        sentences.append(f"本报告可在{agency_name}网站（{_site(contact['website'])}）下载并查看。")
    labels = {
        "address": "地址",
        "postcode": "邮编",
        "phone": "电话",
        "fax": "传真",
        "email": "电子邮箱",
    }
    shown = "；".join(
        f"{label}：{contact[key]}" for key, label in labels.items() if contact.get(key)
    )
    if shown:
        sentences.append(f"如对本报告有任何疑问，请与{agency_name}联系（{shown}）。")
    return "".join(sentences)


def opening_paragraphs(
    fmt: NarrativeFormat, year: int, agency_name: str, contact: dict, intro: str = ""
) -> list[str]:
    """The paragraphs printed under the title: legal basis (+ the opening's first paragraph, in
    the same paragraph as the seed prints them), the opening's other paragraphs, the contact."""
    intro_lines = paragraphs(intro)
    first = legal_basis(fmt, year) + (intro_lines[0] if intro_lines else "")
    contact_text = contact_paragraph(agency_name, contact)
    return [first, *intro_lines[1:], *([contact_text] if contact_text else [])]


def paragraphs(text: str) -> list[str]:
    """Plain text → its paragraphs: one per non-blank line, surrounding spaces dropped
    (full-width ones too: staff indent with 　　, the documents indent by style)."""
    return [
        line.strip(" \t\u3000") for line in (text or "").splitlines() if line.strip(" \t\u3000")
    ]


# Text this long or longer, found word for word in last year's report, was copied: "n-same"
# (reports.findings) and the 年度比对报告 (reports.comparison). 「无。」 may rightly repeat.
SAME_MIN_LENGTH = 20


def squeezed(text: str) -> str:
    """Text as compared with last year's: width-folded (NFKC), without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def is_subheading(paragraph: str) -> bool:
    """A short numbered line such as 「（一）存在的主要问题」: printed as a sub-heading."""
    return (
        paragraph.startswith("（")
        and len(paragraph) <= 30
        and not paragraph.endswith(("。", "；", "，", "："))
        and "）" in paragraph[:5]
    )


# --- drafts from the numbers ------------------------------------------------------------------
# A draft paragraph is a tuple of sentences; {cell} (or {a+b}: a sum) is the filing's figure,
# {y} the year, {media} each website's and account's figures, {GOVERNMENT} what only a
# government reports (left out for a department). A sentence with a blank figure is left out;
# 〔请填写：…〕 marks what only staff can write. `IfZero` picks the wording of "none" cases,
# `Otherwise` stands in for a paragraph left without figures.


@dataclass(frozen=True)
class IfZero:
    cells: str
    zero: str
    other: str


@dataclass(frozen=True)
class Otherwise:
    """The paragraph printed when none of its sentences has its figures."""

    text: str


ASK = "〔请填写：{}〕"
PROBLEMS = (
    ("（一）存在的主要问题",),
    (ASK.format("本年度政府信息公开工作存在的主要问题。"),),
    ("（二）改进措施",),
    (ASK.format("针对上述问题的改进措施和下一步工作计划。"),),
)
NUMERALS = "零一二三四五六七八九十"
_FIGURE = re.compile(r"\{([^{}]+)\}")


def draft_texts(data) -> dict[str, str]:
    """A first draft of every writable section, written from the filing's numbers.

    `data` is a reports.filing_data.FilingData (duck-typed: this module stays free of the layers
    above it). The paragraphs are the format's (`NarrativeFormat.drafts`). Callers fill EMPTY
    sections only.
    """
    narrative = data.format.narrative
    given = {code: v for code, v in data.values.items() if v is not None}
    values = {**data.format.compute_totals(given), **given}  # a total typed as printed wins
    late = {"y": str(data.year), "media": _media(data)}
    words = {
        "GOVERNMENT": ASK.format("工作考核、社会评议和责任追究结果情况。")
        if data.agency_kind == "government"
        else "",
    }

    def figure(cells: str) -> Decimal | None:
        found = [values.get(cell) for cell in cells.split("+")]
        return None if any(v is None for v in found) else sum(found, Decimal(0))

    def fill(sentence) -> str:
        if isinstance(sentence, IfZero):
            sentence = sentence.zero if figure(sentence.cells) == 0 else sentence.other
        sentence = _FIGURE.sub(lambda m: words.get(m.group(1), m.group(0)), sentence)
        shown = dict(late)  # filled last, in one pass: a site's name may hold braces
        for name in _FIGURE.findall(sentence):
            if name not in shown:
                value = figure(name)
                if value is None:
                    return ""
                shown[name] = format_number(value)
        return _FIGURE.sub(lambda m: shown[m.group(1)], sentence)

    drafts = {}
    for key, paragraphs_ in narrative.drafts.items():
        lines = [
            "".join(fill(s) for s in paragraph if not isinstance(s, Otherwise))
            or "".join(s.text for s in paragraph if isinstance(s, Otherwise))
            for paragraph in paragraphs_
        ]
        drafts[key] = "\n".join(line for line in lines if line)
    if narrative.intro_lists_sections:
        sections = [s for s in narrative.sections if s.title]
        parts = "，".join(_bare(s.title) for s in sections)
        drafts[INTRO] = (
            f"本年度报告由{parts}共{NUMERALS[len(sections)]}部分组成，并附政府信息公开情况统计表。"
        )
    return drafts


def _media(data) -> str:
    """Each website's and 政务新媒体 account's figures from its 报表 (so rule 27 holds)."""
    sentences = []
    for site in data.websites:
        if isinstance(site.values.get("info_total"), Decimal):  # not text kept as printed
            total = format_number(site.values["info_total"])
            name = (
                site.site_name
                if site.site_name.endswith(("网", "网站"))
                else f"{site.site_name}网站"
            )
            sentences.append(f"{name}全年发布信息{total}条。")
        for account in site.media:
            kind = {"weibo": ("政务微博", "关注量"), "wechat": ("政务微信", "订阅数")}
            if account.platform not in kind or None in (account.posts, account.followers):
                continue
            label, followers = kind[account.platform]
            sentences.append(
                f"{label}“{account.name}”全年发布信息{format_number(account.posts)}条，"
                f"{followers}{format_number(account.followers)}。"
            )
    return "".join(sentences)
