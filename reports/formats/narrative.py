"""The 正文 (narrative report) of each official format, declared as data.

Pure Python (no Django). For every statistics-table format (`reports.formats.FORMATS` code) this
module says which numbered sections the report has, in printed order, which of them the law
requires, what staff are asked to write in each, and where the official tables are printed:

* ``gb2014`` (report years ≤ 2018): the sections of the seed (南昌市教育局2018年, formats.md §2.3),
  一、工作概述 … 九、政府信息公开工作存在的主要问题及改进情况; the 统计表 follows the narrative;
* ``gb2019`` / ``gb2021``: 一、总体情况 … 六、其他需要报告的事项 (formats.md §3.1); sections
  二/三/四 *are* tables 二/三/四 and carry no text of their own.

Every format also has an optional opening (``intro``): text printed right after the legal-basis
sentence, in the same paragraph, as the seed does (「本年度报告根据…编制。本年度报告由…组成。」).

The header sentences (legal basis, contact) are built here too, so the page, the Word file, the
PDF and the public page word them identically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .rules import format_number

INTRO = "intro"


@dataclass(frozen=True)
class Section:
    key: str  # ASCII, stable: NarrativeSection.key and ValueChange code "n:<key>"
    title: str  # as printed: "一、总体情况"; "" for the opening
    required: bool = False  # an empty required section is a 提示 (rule "n-empty")
    guidance: str = ""  # what to write, shown above the text box
    aspects: tuple[str, ...] = ()  # sub-topics the text must cover (2019/2021 一)
    table: str = ""  # the format's table printed in this section ("t2"); "" for none
    writable: bool = True  # False: the section is its table, there is no text to type

    @property
    def name(self) -> str:
        """How messages call the section: its title, or 开头语 for the opening."""
        return self.title or "开头语"


@dataclass(frozen=True)
class NarrativeFormat:
    code: str  # the statistics-table format code
    sections: tuple[Section, ...]  # printed order, opening first
    tables_after: tuple[str, ...] = ()  # tables printed after the last section (gb2014 统计表)
    law: str = ""  # how the legal-basis sentence cites the 条例 and the format

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"{self.code} has no narrative section {key!r}")

    def writable(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.writable)

    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.writable())

    def titles(self) -> list[str]:
        return [s.title for s in self.sections if s.title]


_OPENING = Section(
    INTRO,
    "",
    guidance="可选。紧接在“本年度报告根据……编制。”之后、同一段内印出，"
    "如：“本年度报告由概述……共十部分组成。”；联系方式段落由系统按填报单位信息生成，无需在此填写。",
)

OLD_2014 = NarrativeFormat(
    code="gb2014",
    sections=(
        _OPENING,
        Section("s1", "一、工作概述", True, "本年度政府信息公开工作的总体情况：组织领导、制度建设、重点工作。"),
        Section("s2", "二、主动公开政府信息的情况", True,
                "主动公开信息的数量（与统计表一（一）一致）、公开渠道，以及回应解读、政务微博微信等情况。"),
        Section("s3", "三、依申请公开信息办理情况", True,
                "收到、办结、答复申请的数量及答复类型（与统计表三一致）；不予公开的，说明理由。"),
        Section("s4", "四、因政府信息公开申请行政复议、提起行政诉讼的情况", True,
                "行政复议、行政诉讼的数量和结果（与统计表四、五一致）；没有的写“无”。"),
        Section("s5", "五、举报投诉数量", False, "收到的举报投诉数量及处理情况；没有的写“无”。"),
        Section("s6", "六、依申请公开信息收取的费用情况", True, "收费及减免情况（与统计表七一致）；未收费的写“无”。"),
        Section("s7", "七、机构建设和保障经费情况", False, "专门机构、查阅点、工作人员、专项经费（与统计表八一致）。"),
        Section("s8", "八、政府信息公开会议和培训情况", False, "召开会议、举办培训的次数和人数（与统计表九一致）。"),
        Section("s9", "九、政府信息公开工作存在的主要问题及改进情况", True,
                "分“（一）存在的主要问题”“（二）改进措施”两部分写。"),
    ),
    tables_after=("t",),
    law="《中华人民共和国政府信息公开条例》（国务院令第492号，以下简称《条例》）",
)  # fmt: skip

ASPECTS = ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设",
           "（五）监督保障")  # fmt: skip
# 条例第五十条第（四）项: governments also report these; 〔2021〕30号 puts them under 监督保障.
GOVERNMENT_ASPECT = "各级人民政府还应报告工作考核、社会评议和责任追究结果情况（可写在“监督保障”中）"


def _unified(code: str, law: str) -> NarrativeFormat:
    """Sections 一–六 of the unified format (2019 试行 and 2021 share them, formats.md §4.3)."""
    return NarrativeFormat(
        code=code,
        sections=(
            _OPENING,
            Section(
                "s1",
                "一、总体情况",
                True,
                "综述本机关贯彻落实《条例》的总体情况，分五个方面写；引用的数字"
                "（收到、办结、结转申请数，行政复议、行政诉讼数，制发行政规范性文件数）须与统计表一致。",
                aspects=ASPECTS,
            ),
            Section("s2", "二、主动公开政府信息情况", table="t2", writable=False),
            Section("s3", "三、收到和处理政府信息公开申请情况", table="t3", writable=False),
            Section("s4", "四、政府信息公开行政复议、行政诉讼情况", table="t4", writable=False),
            Section(
                "s5",
                "五、存在的主要问题及改进情况",
                True,
                "本年度工作存在的主要问题，上一年度问题的改进情况，下一步工作计划。",
            ),
            Section(
                "s6",
                "六、其他需要报告的事项",
                True,
                "如信息处理费收取情况（《政府信息公开信息处理费管理办法》，国办函〔2020〕109号）、"
                "人大代表建议和政协提案办理结果公开情况等；没有的写“无”。",
            ),
        ),
        law=law,
    )


UNIFIED_2019 = _unified(
    "gb2019",
    "《中华人民共和国政府信息公开条例》（国务院令第711号修订，以下简称《条例》）第五十条和"
    "《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）",
)
UNIFIED_2021 = _unified(
    "gb2021",
    "《中华人民共和国政府信息公开条例》（国务院令第711号修订，以下简称《条例》）第五十条和"
    "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",
)

NARRATIVE_FORMATS: dict[str, NarrativeFormat] = {
    f.code: f for f in (OLD_2014, UNIFIED_2019, UNIFIED_2021)
}


def narrative_format(code: str) -> NarrativeFormat:
    """The narrative of the statistics-table format `code`; KeyError naming the known codes."""
    try:
        return NARRATIVE_FORMATS[code]
    except KeyError:
        known = ", ".join(NARRATIVE_FORMATS)
        raise KeyError(f"no narrative for format {code!r} (known: {known})") from None


# --- header and footer sentences ------------------------------------------------------------


def legal_basis(code: str, year: int) -> str:
    """The report's first sentence(s): which law and format it is written under.

    Pre-2019 as the seed words it; from 2019 the way real reports word it (上海2019, formats.md
    [S9]): the revised 条例's 第五十条, the unified format, what the report contains, and the
    statistics period.
    """
    fmt = narrative_format(code)
    if code == "gb2014":
        return f"本年度报告根据{fmt.law}编制。"
    # 「行政复议、行政诉讼情况」 would read as two items of the list: join them with 和.
    parts = "、".join(_bare(s.title).replace("、", "和") for s in fmt.sections if s.title)
    return (
        f"本年度报告根据{fmt.law}要求编制，全文包括{parts}。"
        f"本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


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
    code: str, year: int, agency_name: str, contact: dict, intro: str = ""
) -> list[str]:
    """The paragraphs printed under the title: legal basis (+ the opening's first paragraph, in
    the same paragraph as the seed prints them), the opening's other paragraphs, the contact."""
    intro_lines = paragraphs(intro)
    first = legal_basis(code, year) + (intro_lines[0] if intro_lines else "")
    contact_text = contact_paragraph(agency_name, contact)
    return [first, *intro_lines[1:], *([contact_text] if contact_text else [])]


def paragraphs(text: str) -> list[str]:
    """Plain text → its paragraphs: one per non-blank line, surrounding spaces dropped
    (full-width ones too: staff indent with 　　, the documents indent by style)."""
    return [
        line.strip(" \t\u3000") for line in (text or "").splitlines() if line.strip(" \t\u3000")
    ]


def is_subheading(paragraph: str) -> bool:
    """A short numbered line such as 「（一）存在的主要问题」: printed as a sub-heading."""
    return (
        paragraph.startswith("（")
        and len(paragraph) <= 30
        and not paragraph.endswith(("。", "；", "，", "："))
        and "）" in paragraph[:5]
    )


# --- drafts from the numbers ------------------------------------------------------------------
# A draft paragraph is a tuple of sentences; {cell} (or {a+b}: a sum, {@name}: a group below)
# is the filing's figure, {y} the year. A sentence with a blank figure is left out; 〔请填写：…〕
# marks what only staff can write. `IfZero` picks the wording of "none" cases, `Otherwise`
# stands in for a paragraph left without figures.


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
GROUPS = {
    "refused": "+".join(f"t3-r3_3_{i}-c7" for i in range(1, 9)),
    "unable": "+".join(f"t3-r3_4_{i}-c7" for i in range(1, 4)),
    "not_processed": "+".join(f"t3-r3_5_{i}-c7" for i in range(1, 6)),
    "other": "t3-r3_6-c7",
    "other2021": "t3-r3_6_1-c7+t3-r3_6_2-c7+t3-r3_6_3-c7",
}
PROBLEMS = (
    ("（一）存在的主要问题",),
    (ASK.format("本年度政府信息公开工作存在的主要问题。"),),
    ("（二）改进措施",),
    (ASK.format("针对上述问题的改进措施和下一步工作计划。"),),
)
REQUESTS = (
    "{y}年，本机关共收到政府信息公开申请{t3-r1-c7}件，上年结转{t3-r2-c7}件；办结{t3-r3_7-c7}件，"
    "其中予以公开{t3-r3_1-c7}件、部分公开{t3-r3_2-c7}件、不予公开{@refused}件、无法提供{@unable}件、"
    "不予处理{@not_processed}件、其他处理{@OTHER}件；结转下年度继续办理{t3-r4-c7}件。",
    "因政府信息公开工作被申请行政复议{t4-r1-c5}件、被提起行政诉讼{t4-r1-c10+t4-r1-c15}件。",
    Otherwise(ASK.format("收到和处理政府信息公开申请的情况（与表三、表四一致）。")),
)
DRAFTS = {
    "gb2014": {
        "s1": (("{y}年度，本机关认真贯彻落实《条例》，将政府信息公开工作列入全年重点工作。",
                ASK.format("组织领导、制度建设和重点工作情况。")),),
        "s2": (("{y}年度累计主动公开各类信息{t-r1}条，其中主动公开规范性文件{t-r2}条。",
                "通过政府公报公开{t-r5}条、政府网站公开{t-r6}条、政务微博公开{t-r7}条、"
                "政务微信公开{t-r8}条、其他方式公开{t-r9}条。"),
               ("回应公众关注热点或重大舆情{t-r10}次；参加或举办新闻发布会{t-r12}次，政府网站在线访谈"
                "{t-r14}次，发布政策解读稿件{t-r16}篇，微博微信回应事件{t-r17}次。",),
               ("{media}",)),
        "s3": (("{y}年度，本机关共收到政府信息公开申请{t-r19}件，办结{t-r24}件（按时办结{t-r25}件、"
                "延期办结{t-r26}件）。",
                "答复{t-r27}件，其中属于已主动公开范围{t-r28}件、同意公开{t-r29}件、同意部分公开{t-r30}件、"
                "不同意公开{t-r31}件、不属于本行政机关公开{t-r38}件、申请信息不存在{t-r39}件、"
                "告知作出更改补充{t-r40}件、告知通过其他途径办理{t-r41}件。"),),
        "s4": ((IfZero("t-s4+t-s5", "{y}年度，本机关未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
                       "{y}年度，本机关因政府信息公开申请被申请行政复议{t-s4}件，被提起行政诉讼{t-s5}件。"),),),
        "s5": ((IfZero("t-s6", "{y}年度，本机关未收到有关政府信息公开的举报投诉。",
                       "{y}年度，本机关收到有关政府信息公开的举报投诉{t-s6}件。"),),),
        "s6": ((IfZero("t-s7", "{y}年度，本机关依申请公开政府信息未收取任何费用。",
                       "{y}年度，本机关依申请公开政府信息收取费用{t-s7}万元。"),),),
        "s7": (("本机关设有政府信息公开工作专门机构{t-r48}个，设置政府信息公开查阅点{t-r49}个；"
                "从事政府信息公开工作人员{t-r50}人，其中专职人员{t-r51}人、兼职人员{t-r52}人；"
                "政府信息公开专项经费{t-r53}万元。",),),
        "s8": (("{y}年度，本机关召开政府信息公开工作会议或专题会议{t-r54}次，举办各类培训班{t-r55}次，"
                "接受培训人员{t-r56}人次。",),),
        "s9": PROBLEMS,
    },
    "unified": {
        "s1": (("{y}年，本机关深入贯彻落实《条例》，", ASK.format("本年度政府信息公开工作的总体情况。")),
               (ASPECTS[0],), ("{ACTIVE}", ASK.format("重点领域信息公开、政策解读和回应关切情况。")),
               (ASPECTS[1],), REQUESTS,
               (ASPECTS[2],), (ASK.format("政府信息公开审查、动态更新、规范性文件清理等情况。"),),
               (ASPECTS[3],), ("{media}", ASK.format("政府网站、政府公报、政务新媒体等平台建设情况。")),
               (ASPECTS[4],), (ASK.format("组织领导、制度建设、教育培训、考核评议等情况。"), "{GOVERNMENT}")),
        "s5": PROBLEMS,
        "s6": (("{FEE}", ASK.format("其他需要报告的事项；没有的写“无”。")),),
    },
}  # fmt: skip
ACTIVE = {
    "gb2021": "{y}年，本机关制发行政规范性文件{t2-r2-issued}件、废止{t2-r2-repealed}件，"
    "现行有效{t2-r2-in_force}件。",
    "gb2019": "{y}年，本机关新制作规范性文件{t2-r2-made}件、新公开{t2-r2-published}件，"
    "对外公开规范性文件总数{t2-r2-public_total}件。",
}
FEE = ASK.format("信息处理费收取情况（国办函〔2020〕109号），未收取的写“本机关未收取信息处理费”。")
NUMERALS = "零一二三四五六七八九十"
_FIGURE = re.compile(r"\{([^{}]+)\}")


def draft_texts(data) -> dict[str, str]:
    """A first draft of every writable section, written from the filing's numbers.

    `data` is a reports.filing_data.FilingData (duck-typed: this module stays free of Django).
    Callers fill EMPTY sections only.
    """
    given = {code: v for code, v in data.values.items() if v is not None}
    values = {**data.format.compute_totals(given), **given}  # a total typed as printed wins
    unified = data.format_code != "gb2014"
    late = {"y": str(data.year), "media": _media(data)}
    words = {
        "ACTIVE": ACTIVE.get(data.format_code, ""),
        "FEE": FEE if data.format_code == "gb2021" else "",
        "GOVERNMENT": ASK.format("工作考核、社会评议和责任追究结果情况。")
        if data.agency_kind == "government"
        else "",
        "@OTHER": "{@other2021}" if data.format_code == "gb2021" else "{@other}",
    }

    def figure(name: str) -> Decimal | None:
        cells = GROUPS.get(name[1:], "") if name.startswith("@") else name
        found = [values.get(cell) for cell in cells.split("+")]
        return None if any(v is None for v in found) else sum(found, Decimal(0))

    def fill(sentence) -> str:
        if isinstance(sentence, IfZero):
            sentence = sentence.zero if figure(sentence.cells) == 0 else sentence.other
        for _ in range(3):  # words may hold figures ({ACTIVE}, {@OTHER})
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
    for key, paragraphs_ in DRAFTS["unified" if unified else "gb2014"].items():
        lines = [
            "".join(fill(s) for s in paragraph if not isinstance(s, Otherwise))
            or "".join(s.text for s in paragraph if isinstance(s, Otherwise))
            for paragraph in paragraphs_
        ]
        drafts[key] = "\n".join(line for line in lines if line)
    if not unified:
        sections = OLD_2014.sections[1:]
        parts = "，".join(_bare(s.title) for s in sections)
        drafts[INTRO] = (
            f"本年度报告由{parts}共{NUMERALS[len(sections)]}部分组成，并附政府信息公开情况统计表。"
        )
    return drafts


def _media(data) -> str:
    """Each website's and 政务新媒体 account's figures from its 报表 (so rule 27 holds)."""
    sentences = []
    for site in data.websites:
        if site.values.get("info_total") is not None:
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
