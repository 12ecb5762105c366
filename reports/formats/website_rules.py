"""The 勾稽关系 of the 政府网站工作年度报表 (formats.md §7.3, rules 22–27), as data.

Rules read a filing's values by field code (the codes of `reports.formats.website`); rule ids are
``"w"`` + the §7.3 number, a letter per sub-check. They come in four groups because they read
different things:

* `NUMBER_RULES` (22–25) read the numbers (Decimal or None) and reuse the engine's classes;
* `CHOICE_RULES` (26) read the stored answers of the tick boxes (codes, booleans, tuples);
* `STATISTICS_RULES` (27a–b) compare with the same year's 统计表 (a gb2014 filing), and
  `MEDIA_RULES` (27e–f) its 政务微博/微信 rows with the 移动新媒体 accounts' 信息发布量 (a HINT:
  the definitions differ, issue 15);
* `NARRATIVE_RULES` (27c–d) compare the 移动新媒体 accounts with the report's text.

`reports.formats.website_validation.validate_website` runs them all (after type and completeness checks)
over a stored filing.
Blank policy as in `reports.validation`: a rule skips when a value it needs is blank (and
`validate_website` says 「无法核对」) — except rule 26, whose point is that each box is answered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from reports.numbers import NumberError, parse_number

from .rules import AtMost, Finding, Rule, Severity, SumEquals, format_number

if TYPE_CHECKING:
    from .base import Format
    from .website import MediaAccount

ERROR, WARNING, HINT = Severity.ERROR, Severity.WARNING, Severity.HINT


@dataclass(frozen=True, kw_only=True)
class SumSpelledOut(SumEquals):
    """total = Σ parts; the message spells every part out — "12635 ≠ 概况类 16 + … = 10332" —
    and may end with a hint (rule 24: the units differ)."""

    part_names: tuple[str, ...]
    hint: str = ""

    def check(self, values, previous=None) -> list[Finding]:
        if not super().check(values):
            return []
        parts = [values[code] for code in self.parts]
        spelled = " + ".join(
            f"{name} {format_number(v)}" for name, v in zip(self.part_names, parts, strict=True)
        )
        total = format_number(values[self.total])
        return self._found(
            f"{self.total_name} {total} ≠ {spelled} = {format_number(sum(parts))}{self.hint}"
        )


def _ticks(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


@dataclass(frozen=True, kw_only=True)
class ExactlyOneChoice(Rule):
    """A single-choice box group has exactly one of its choices ticked."""

    cell: str
    name: str
    choices: tuple[tuple[str, str], ...]

    def cell_codes(self) -> tuple[str, ...]:
        return (self.cell,)

    def check(self, values, previous=None) -> list[Finding]:
        labels = dict(self.choices)
        codes = {label: code for code, label in self.choices}
        ticked = [codes.get(t, t) for t in _ticks(values.get(self.cell))]  # a label counts too
        if len(ticked) == 1 and ticked[0] in labels:
            return []
        if not ticked:
            return self._found(f"{self.name}：未选择（须选择一项）")
        if len(ticked) > 1:
            shown = "、".join(labels.get(t, str(t)) for t in ticked)
            return self._found(f"{self.name}：只能选择一项（已选：{shown}）")
        return self._found(f"{self.name}：「{ticked[0]}」不是可选项")


@dataclass(frozen=True, kw_only=True)
class YesNoAnswered(Rule):
    """Every 是/否 item has exactly one box ticked (stored as True or False)."""

    cells: tuple[tuple[str, str], ...]  # (field code, name)

    def cell_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.cells)

    def check(self, values, previous=None) -> list[Finding]:
        findings = []
        for code, name in self.cells:
            value = values.get(code)
            if isinstance(value, bool) or value in ("是", "否"):
                continue
            problem = (
                "未选择（“是”“否”须选择一项）" if value in (None, "") else "只能选择“是”或“否”"
            )
            findings.append(Finding(self.id, self.severity, f"{name}：{problem}", (code,)))
        return findings


@dataclass(frozen=True, kw_only=True)
class OtherNeedsText(Rule):
    """Ticking 其他 asks for the text on its line."""

    choice: str
    text: str
    name: str
    other: str = "other"

    def cell_codes(self) -> tuple[str, ...]:
        return (self.choice, self.text)

    def check(self, values, previous=None) -> list[Finding]:
        if self.other not in _ticks(values.get(self.choice)):
            return []
        if str(values.get(self.text) or "").strip():
            return []
        return self._found(f"{self.name}：勾选了“其他”，请填写具体内容")


def _decimal(value) -> Decimal | None:
    """A 统计表 value as stored (Decimal) or as printed ("2", the seed's STATS_2018)."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return parse_number(value)
    except NumberError:
        return None


@dataclass(frozen=True, kw_only=True)
class MatchesStatistics(Rule):
    """A figure of the 报表 equals a cell of the same year's 统计表 (another document)."""

    cell: str
    name: str
    statistics_format: str  # the 统计表 format this cell code belongs to
    statistics_cell: str

    def cell_codes(self) -> tuple[str, ...]:
        return (self.cell,)

    def check(self, values, previous: tuple[Format, Mapping] | None = None) -> list[Finding]:
        if previous is None or previous[0].code != self.statistics_format:
            return []
        fmt, other = previous
        mine, theirs = values.get(self.cell), _decimal(other.get(self.statistics_cell))
        if mine is None or theirs is None or mine == theirs:
            return []
        where = fmt.cell(self.statistics_cell).label
        return self._found(
            f"报表 {self.name} {format_number(mine)} 与统计表 {where} {format_number(theirs)} 不一致",
            (self.statistics_cell,),
        )


@dataclass(frozen=True, kw_only=True)
class MediaMatchesStatistics(Rule):
    """The 信息发布量 of a platform's accounts (summed) beside a 统计表 cell of the same year.

    The 统计表 counts 政府信息 published on the platform, the 报表 every post: they differ by
    definition (formats.md §7.4: the seed's 56 vs 3520), so this is only ever a HINT.
    """

    platform: str  # MediaAccount.platform
    name: str  # "微博信息发布量"
    statistics_format: str
    statistics_cell: str

    def cell_codes(self) -> tuple[str, ...]:
        return ()

    def check(self, values, previous=None) -> list[Finding]:
        return []  # reads the media accounts: see check_media

    def check_media(
        self, media: Sequence[MediaAccount], statistics: tuple[Format, Mapping] | None
    ) -> list[Finding]:
        if statistics is None or statistics[0].code != self.statistics_format:
            return []
        fmt, other = statistics
        theirs = _decimal(other.get(self.statistics_cell))
        posts = [account.posts for account in media if account.platform == self.platform]
        if theirs is None or not posts or None in posts:
            return []
        mine = sum(posts, Decimal(0))
        if mine == theirs:
            return []
        where = fmt.cell(self.statistics_cell).label
        message = (
            f"{self.name}：报表 {format_number(mine)} 与统计表 {where} {format_number(theirs)} "
            "不同（统计表只计政府信息，报表计全部发布，口径不同，供参考）"
        )
        cells = tuple(f"media-{self.platform}-{i}-posts" for i in range(1, len(posts) + 1))
        return [Finding(self.id, self.severity, message, cells, (self.statistics_cell,))]


_SENTENCE = re.compile(r"[。！？!?；;\n]")
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万)?"


def wan(value: Decimal) -> str:
    """A count as a reviewer compares it: 226900 → "22.69万（226900）", 858 → "858"."""
    if value < 10000:
        return format_number(value)
    return f"{format_number(value / 10000)}万（{format_number(value)}）"


@dataclass(frozen=True, kw_only=True)
class NarrativeFollowers(Rule):
    """A 关注量/订阅数 the report's text quotes for one platform equals the 报表's.

    Only sentences naming the platform (and not the other one) are read; a figure written as
    "22.78万" matches any 报表 value that rounds or truncates to it (22.78万多 = 227800–227899).
    """

    platform: str  # MediaAccount.platform
    name: str  # "微博关注量"
    mentions: tuple[str, ...]  # words naming the platform: ("微博",)
    others: tuple[str, ...]  # words naming another platform: a sentence with both is ambiguous
    words: tuple[str, ...]  # what precedes the figure: 粉丝数, 关注量…

    def cell_codes(self) -> tuple[str, ...]:
        return ()

    def check(self, values, previous=None) -> list[Finding]:
        return []  # reads the media accounts and the text: see check_narrative

    def check_narrative(self, media: Sequence[MediaAccount], narrative: str) -> list[Finding]:
        accounts = [
            (i, account)
            for i, account in enumerate((m for m in media if m.platform == self.platform), 1)
        ]
        figure = re.compile(f"(?:{'|'.join(self.words)})[^\\d,.;!?]{{0,6}}?{_NUMBER}")
        findings = []
        for sentence in _SENTENCE.split(unicodedata.normalize("NFKC", narrative or "")):
            if not any(w in sentence for w in self.mentions) or any(
                w in sentence for w in self.others
            ):
                continue
            named = [(i, a) for i, a in accounts if a.name and a.name in sentence]
            candidates = named or (accounts if len(accounts) == 1 else [])
            for match in figure.finditer(sentence):
                quoted, step, shown = _quoted(match)
                for i, account in candidates:
                    form = account.followers
                    if form is None or form == quoted:
                        continue
                    if quoted in ((form / step).to_integral_value() * step, form // step * step):
                        continue
                    message = f"{self.name}：报表 {_gap(wan(form))}与正文 {_gap(shown)}不一致"
                    cell = f"media-{self.platform}-{i}-followers"
                    findings.append(Finding(self.id, self.severity, message, (cell,)))
        return findings


def _gap(shown: str) -> str:
    # "22.69万（226900）与正文" reads well; a bare figure needs a space: "858 与正文".
    return shown if shown.endswith("）") else shown + " "


def _quoted(match: re.Match) -> tuple[Decimal, Decimal, str]:
    """(value, precision step, display) of a figure found in the text."""
    whole, fraction, unit = match.group(1).replace(",", ""), match.group(2) or "", match.group(3)
    factor = Decimal(10000) if unit else Decimal(1)
    value = Decimal(whole + fraction) * factor
    step = factor * Decimal(1).scaleb(-(len(fraction) - 1 if fraction else 0))
    shown = f"{whole}{fraction}万（{format_number(value)}）" if unit else format_number(value)
    return value, step, shown


def _at_most(rule_id: str, small: tuple[str, str], big: tuple[str, str]) -> AtMost:
    return AtMost(
        id=rule_id,
        severity=WARNING,
        description=f"{small[1]}一般不多于{big[1]}",
        small=(small[0],),
        big=(big[0],),
        small_name=small[1],
        big_name=big[1],
    )


NUMBER_RULES = (
    SumSpelledOut(
        id="w22",
        severity=ERROR,
        description="信息发布总数应等于概况类、政务动态、信息公开目录三项信息更新量之和",
        total="info_total",
        parts=("info_overview", "info_news", "info_catalog"),
        total_name="信息发布总数",
        parts_name="概况类 + 政务动态 + 信息公开目录信息更新量",
        part_names=("概况类", "政务动态", "信息公开目录"),
    ),
    SumSpelledOut(
        id="w23",
        severity=ERROR,
        description="办件量总数应等于自然人办件量与法人办件量之和",
        total="cases_total",
        parts=("cases_person", "cases_legal"),
        total_name="办件量总数",
        parts_name="自然人办件量 + 法人办件量",
        part_names=("自然人办件量", "法人办件量"),
    ),
    SumSpelledOut(
        id="w24",
        severity=WARNING,
        description="解读信息发布总数与解读材料、解读产品、媒体评论文章数量之和一般相符",
        total="interp_total",
        parts=("interp_materials", "interp_products", "interp_articles"),
        total_name="解读信息发布总数",
        parts_name="解读材料 + 解读产品 + 媒体评论文章数量",
        part_names=("解读材料", "解读产品", "媒体评论文章"),
        hint="（单位不同：条、个、篇，不强制相等，请核对口径）",
    ),
    _at_most("w25a", ("visitors", "独立用户访问总量"), ("visits", "网站总访问量")),
    _at_most("w25b", ("messages_closed", "办结留言数量"), ("messages_received", "收到留言数量")),
    _at_most("w25c", ("messages_public", "公开答复数量"), ("messages_closed", "办结留言数量")),
    _at_most("w25d", ("security_fixed", "问题整改数量"), ("security_issues", "发现问题数量")),
    _at_most("w25e", ("survey_results", "公布调查结果期数"), ("survey_rounds", "征集调查期数")),
    _at_most(
        "w25f", ("interview_answers", "答复网民提问数量"), ("interview_messages", "网民留言数量")
    ),
    _at_most(
        "w25g",
        ("services_online", "可全程在线办理政务服务事项数量"),
        ("services", "政务服务事项数量"),
    ),
)

SITE_TYPES = (("portal", "政府门户网站"), ("department", "部门网站"), ("special", "专项网站"))
YES_NO_ITEMS = (
    ("service_catalog", "是否发布服务事项目录"),
    ("unified_platform", "是否使用统一平台"),
    ("smart_qa", "是否提供智能问答"),
    ("security_monitoring", "是否建立安全监测预警机制"),
    ("security_drills", "是否开展应急演练"),
    ("security_officer", "是否明确网站安全责任人"),
    ("has_media", "是否有移动新媒体"),
)

CHOICE_RULES = (
    ExactlyOneChoice(
        id="w26a",
        severity=ERROR,
        description="网站类型须勾选且只勾选一项",
        cell="site_type",
        name="网站类型",
        choices=SITE_TYPES,
    ),
    YesNoAnswered(
        id="w26b",
        severity=ERROR,
        description="每个“是否”项须在“是”“否”中勾选一项",
        cells=YES_NO_ITEMS,
    ),
    OtherNeedsText(
        id="w26c",
        severity=ERROR,
        description="创新发展勾选“其他”时须填写具体内容",
        choice="innovation",
        text="innovation_other",
        name="创新发展",
    ),
)

STATISTICS_RULES = (
    MatchesStatistics(
        id="w27a",
        severity=WARNING,
        description="回应公众关注热点或重大舆情数量一般与统计表二（一）回应数一致",
        cell="responses",
        name="回应公众关注热点或重大舆情数量",
        statistics_format="gb2014",
        statistics_cell="t-r10",
    ),
    MatchesStatistics(
        id="w27b",
        severity=WARNING,
        description="在线访谈期数一般与统计表政府网站在线访谈次数一致",
        cell="interview_rounds",
        name="在线访谈期数",
        statistics_format="gb2014",
        statistics_cell="t-r14",
    ),
)

MEDIA_RULES = (
    MediaMatchesStatistics(
        id="w27e",
        severity=HINT,
        description="微博信息发布量与统计表政务微博公开政府信息数对照（口径不同，仅供参考）",
        platform="weibo",
        name="微博信息发布量",
        statistics_format="gb2014",
        statistics_cell="t-r7",
    ),
    MediaMatchesStatistics(
        id="w27f",
        severity=HINT,
        description="微信信息发布量与统计表政务微信公开政府信息数对照（口径不同，仅供参考）",
        platform="wechat",
        name="微信信息发布量",
        statistics_format="gb2014",
        statistics_cell="t-r8",
    ),
)

NARRATIVE_RULES = (
    NarrativeFollowers(
        id="w27c",
        severity=WARNING,
        description="正文引用的微博关注量（粉丝数）一般与报表一致",
        platform="weibo",
        name="微博关注量",
        mentions=("微博",),
        others=("微信", "公众号"),
        words=("粉丝数", "粉丝", "关注量", "关注数", "关注人数"),
    ),
    NarrativeFollowers(
        id="w27d",
        severity=WARNING,
        description="正文引用的微信订阅数（关注人数）一般与报表一致",
        platform="wechat",
        name="微信订阅数",
        mentions=("微信", "公众号"),
        others=("微博",),
        words=("订阅数", "订阅用户", "订阅人数", "粉丝数", "粉丝", "关注量", "关注数", "关注人数"),
    ),
)

RULES: tuple[Rule, ...] = (
    NUMBER_RULES + CHOICE_RULES + STATISTICS_RULES + MEDIA_RULES + NARRATIVE_RULES
)
