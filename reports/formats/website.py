"""《政府网站工作年度报表》 (国办函〔2018〕12号), 2018 version — formats.md §5.2, declared as data.

Pure Python (no Django). `WEBSITE_FORM` lists the printed fields in order (`Field`), parses what
a person types into typed values, and holds the 勾稽关系 of `reports.formats.website_rules`;
`reports.formats.website_validation.validate_website` checks a filing. Values are keyed by the fields' codes:

* text/url/date → str/str/`datetime.date`; count/decimal → Decimal (blank → None, not 0);
* yesno → bool; choice → the choice's code; multichoice → tuple of codes in printed order.

Every text, url and date field declares `max_length`, the most characters it takes (the entry
page's ``maxlength`` too); numbers are bounded by `reports.numbers.parse_number`. The entry
page, the workbook import and the demo loader all parse through `Field.parse`, so the same
limits hold wherever a value comes from.

首页网址 is stored normalised to a full URL ("edu.nc.gov.cn" → "http://edu.nc.gov.cn"): a stored
link must open, the demo's agency record holds the same form (Agency.website), and http is what
2018 sites served; a typed https:// is kept. Printing may drop the scheme.

The 移动新媒体 accounts (several per platform) are rows of their own, `MediaAccount`, printed after
``has_media``. Findings on them name pseudo-cells ``media-<platform>-<n>-followers`` (n counts
that platform's accounts from 1).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

from reports.numbers import NumberError, format_number, parse_number, shorten, text_refusal

from .rules import Rule
from .website_rules import RULES, SITE_TYPES

NUMERIC = ("count", "decimal")
# The longest text a 历史补录 filing keeps in a number field as printed (`Field.parse_as_printed`).
PRINTED_LENGTH = 200
TEXTUAL = ("text", "url", "date")  # typed as free text: each declares a max_length
YES_NO = (("yes", "是"), ("no", "否"))
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


class FieldError(ValueError):
    """What a person typed does not fit the field; str() is the Chinese message naming it."""

    def __init__(self, field: Field | str, problem: str):
        name = field if isinstance(field, str) else field.name
        self.code = "" if isinstance(field, str) else field.code
        self.problem = problem
        super().__init__(f"{name}：{problem}")


@dataclass(frozen=True)
class Field:
    code: str  # ASCII, stable: the key of the stored value
    label: str  # as printed, without its unit note
    kind: str  # text url date count decimal yesno choice multichoice
    unit: str = ""
    section: str = ""  # printed first-level label; "" for the top fields and the footer
    group: str = ""  # printed second-level label
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    decimals: int = 0
    unit_shown: bool = True  # False: the unit is printed on the section/group label instead
    name: str = ""  # how messages call the field when the label alone is ambiguous ("总数")
    pattern: str = ""  # text fields: the (NFKC-folded) value must match this entirely
    hint: str = ""  # the message when it does not
    max_length: int = 0  # text, url, date: the most characters, typed and stored

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.label)
        if self.kind == "yesno" and not self.choices:
            object.__setattr__(self, "choices", YES_NO)
        if (self.kind in TEXTUAL) != (self.max_length > 0):
            raise ValueError(f"{self.code}: max_length is for text, url and date fields only")

    @property
    def caption(self) -> str:
        """The label as printed: "收到留言数量（单位：条）"."""
        return f"{self.label}（单位：{self.unit}）" if self.unit and self.unit_shown else self.label

    def parse(self, raw):
        """The stored value for `raw` (typed text, or an already parsed value); None when blank.

        Raises FieldError; for text, url and date fields also when the text is longer than
        `max_length` (checked before it is read, and again on what would be stored: a 网址
        gains its 「http://」) or holds a character nothing can store (`text_refusal`)."""
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        if blank or (isinstance(raw, list | tuple | set) and not raw):
            return () if self.kind == "multichoice" else None
        parse = getattr(self, f"_parse_{self.kind}")
        if self.kind not in TEXTUAL:
            return parse(raw)
        if not isinstance(raw, datetime.date):
            self._check_text(str(raw).strip())
        value = parse(raw)
        if isinstance(value, str):
            self._check_text(value)
        return value

    def parse_as_printed(self, raw, *, historical: bool):
        """`parse`, and for a 历史补录 filing (`historical`) also what the paper shows that the
        field cannot hold as typed: several boxes ticked in a single choice (stored as the tuple
        of their codes) or text in a number field (stored as the text, at most
        PRINTED_LENGTH characters). Such a value is kept as printed and flagged by
        `website_validation.validate_website` (rules w26a and "printed"); a live filing gets
        the FieldError `parse` raises."""
        try:
            return self.parse(raw)
        except FieldError:
            if not historical:
                raise
            printed = self._printed(raw)
            if printed is None:
                raise
            return printed

    def _printed(self, raw):
        """What the paper shows that this field refuses, as stored; None when it is not that."""
        if self.kind == "choice":
            codes = self._codes(raw)  # an unknown label is still refused
            return codes if len(codes) > 1 else None
        if self.kind in NUMERIC and not isinstance(raw, list | tuple | set | Decimal):
            text = str(raw).strip()
            return text if text and not text_refusal(text, PRINTED_LENGTH) else None
        return None

    def _check_text(self, text: str) -> None:
        if refusal := text_refusal(text, self.max_length):
            raise FieldError(self, refusal)

    def _parse_text(self, raw) -> str:
        text = str(raw).strip()
        if self.pattern:
            text = unicodedata.normalize("NFKC", text).strip()
            if not re.fullmatch(self.pattern, text):
                raise FieldError(self, self.hint)
        return text

    def _parse_url(self, raw) -> str:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
            text = "http://" + text
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            parts, port = None, None
        host = (parts.hostname or "") if parts else ""
        host_ok = re.fullmatch(r"([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}", host)
        if not (parts and host_ok and parts.scheme.lower() in ("http", "https")) or (
            parts.username or re.search(r"\s", text)
        ):
            raise FieldError(self, f"「{str(raw).strip()}」不是有效网址（例如 www.nc.gov.cn）")
        netloc = f"{host}:{port}" if port else host
        path = "" if parts.path == "/" else parts.path
        return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))

    def _parse_date(self, raw) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        match = re.fullmatch(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?", text)
        try:
            if match:
                return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass  # 2019年2月30日
        raise FieldError(self, f"「{text}」不是日期（例如 2019年1月9日）")

    def _parse_count(self, raw) -> Decimal | None:
        try:
            return parse_number(raw, unit=self.unit, decimals=self.decimals)
        except NumberError as error:
            raise FieldError(self, str(error)) from None

    _parse_decimal = _parse_count

    def _parse_yesno(self, raw) -> bool | None:
        return (
            raw
            if isinstance(raw, bool)
            else {"yes": True, "no": False}.get(self._parse_choice(raw))
        )

    def _parse_choice(self, raw) -> str | None:
        codes = self._codes(raw)
        if len(codes) > 1:
            shown = "、".join(label for code, label in self.choices if code in codes)
            raise FieldError(self, f"只能选择一项（已选：{shown}）")
        return codes[0] if codes else None

    def _parse_multichoice(self, raw) -> tuple[str, ...]:
        return self._codes(raw)

    def _codes(self, raw) -> tuple[str, ...]:
        """The choice codes ticked in `raw`: a code, a label, a list of them, or "a、b"."""
        items = list(raw) if isinstance(raw, list | tuple | set | frozenset) else [raw]
        known = {key: code for code, label in self.choices for key in (code, label)}
        ticked = set()
        for item in items:
            text = unicodedata.normalize("NFKC", str(item)).strip()
            words = [text] if text in known else [w for w in re.split(r"[、,;/\s]+", text) if w]
            for word in words:
                if word not in known:
                    allowed = "、".join(label for _, label in self.choices)
                    raise FieldError(self, f"「{shorten(word)}」不是可选项（可选：{allowed}）")
                ticked.add(known[word])
        return tuple(code for code, _ in self.choices if code in ticked)


def _top(code, label, kind="text", **kw) -> Field:
    return Field(code, label, kind, **kw)


def _n(code, label, unit, section, group="", **kw) -> Field:
    return Field(code, label, "count", unit, section, group, **kw)


def _yn(code, label, section) -> Field:
    return Field(code, label, "yesno", section=section)


# Text limits (`Field.max_length`). A name of an agency or a site: 100, as Agency.name, which
# 填报单位 starts from. A 网址: 200, as Agency.website (a URLField). A person (the footer): 50.
# Codes, phone numbers and dates, whose shape a pattern or parser checks: 50, which no valid
# one nears (联系电话's pattern takes at most 40). The line after □其他: 200.
# A 移动新媒体 account's 名称 is a name too (NAME_LENGTH).
NAME_LENGTH, URL_LENGTH, PERSON_LENGTH, CODE_LENGTH, LINE_LENGTH = 100, 200, 50, 50, 200

_INFO, _COLUMNS, _CASES = "信息发布", "专栏专题", "办件量"
FIELDS: tuple[Field, ...] = (
    # Printed above the table: "填报单位：南昌市教育局".
    _top("filer", "填报单位", max_length=NAME_LENGTH),
    _top("site_name", "网站名称", max_length=NAME_LENGTH),
    _top("home_url", "首页网址", "url", max_length=URL_LENGTH),
    _top("sponsor", "主办单位", max_length=NAME_LENGTH),
    _top("site_type", "网站类型", "choice", choices=SITE_TYPES),
    _top(
        "site_id",
        "政府网站标识码",
        pattern=r"[0-9]{10}",
        hint="应为10位数字",
        max_length=CODE_LENGTH,
    ),
    _top(
        "icp",
        "ICP备案号",
        pattern=f"[{PROVINCES}]ICP备[0-9]+号(-[0-9]{{1,3}})?",
        hint="应为“赣ICP备05007513号”的格式（省份简称 + ICP备 + 数字 + 号，可带 -序号）",
        max_length=CODE_LENGTH,
    ),
    _top(
        "police_record",
        "公安机关备案号",
        pattern=f"[{PROVINCES}]公网安备 ?[0-9]{{14}}号",
        hint="应为“赣公网安备 36010202000015号”的格式（省份简称 + 公网安备 + 14位数字 + 号）",
        max_length=CODE_LENGTH,
    ),
    _n("visitors", "独立用户访问总量", "个", ""),
    _n("visits", "网站总访问量", "次", ""),
    _n("info_total", "总数", "条", _INFO, unit_shown=False, name="信息发布总数"),
    _n("info_overview", "概况类信息更新量", "条", _INFO, unit_shown=False),
    _n("info_news", "政务动态信息更新量", "条", _INFO, unit_shown=False),
    _n("info_catalog", "信息公开目录信息更新量", "条", _INFO, unit_shown=False),
    _n("columns_maintained", "维护数量", "个", _COLUMNS, unit_shown=False, name="专栏专题维护数量"),
    _n("columns_new", "新开设数量", "个", _COLUMNS, unit_shown=False, name="专栏专题新开设数量"),
    _n("interp_total", "总数", "条", "解读回应", "解读信息发布", name="解读信息发布总数"),
    _n("interp_materials", "解读材料数量", "条", "解读回应", "解读信息发布"),
    _n("interp_products", "解读产品数量", "个", "解读回应", "解读信息发布"),
    _n("interp_articles", "媒体评论文章数量", "篇", "解读回应", "解读信息发布"),
    _n("responses", "回应公众关注热点或重大舆情数量", "次", "解读回应"),
    _yn("service_catalog", "是否发布服务事项目录", "办事服务"),
    _n("registered_users", "注册用户数", "个", "办事服务"),
    _n("services", "政务服务事项数量", "项", "办事服务"),
    _n("services_online", "可全程在线办理政务服务事项数量", "项", "办事服务"),
    _n("cases_total", "总数", "件", "办事服务", _CASES, unit_shown=False, name="办件量总数"),
    _n("cases_person", "自然人办件量", "件", "办事服务", _CASES, unit_shown=False),
    _n("cases_legal", "法人办件量", "件", "办事服务", _CASES, unit_shown=False),
    _yn("unified_platform", "是否使用统一平台", "互动交流"),
    _n("messages_received", "收到留言数量", "条", "互动交流", "留言办理"),
    _n("messages_closed", "办结留言数量", "条", "互动交流", "留言办理"),
    Field("messages_days", "平均办理时间", "decimal", "天", "互动交流", "留言办理", decimals=2),
    _n("messages_public", "公开答复数量", "条", "互动交流", "留言办理"),
    _n("survey_rounds", "征集调查期数", "期", "互动交流", "征集调查"),
    _n("survey_opinions", "收到意见数量", "条", "互动交流", "征集调查"),
    _n("survey_results", "公布调查结果期数", "期", "互动交流", "征集调查"),
    _n("interview_rounds", "访谈期数", "期", "互动交流", "在线访谈", name="在线访谈期数"),
    _n("interview_messages", "网民留言数量", "条", "互动交流", "在线访谈"),
    _n("interview_answers", "答复网民提问数量", "条", "互动交流", "在线访谈"),
    _yn("smart_qa", "是否提供智能问答", "互动交流"),
    _n("security_checks", "安全检测评估次数", "次", "安全防护"),
    _n("security_issues", "发现问题数量", "个", "安全防护"),
    _n("security_fixed", "问题整改数量", "个", "安全防护"),
    _yn("security_monitoring", "是否建立安全监测预警机制", "安全防护"),
    _yn("security_drills", "是否开展应急演练", "安全防护"),
    _yn("security_officer", "是否明确网站安全责任人", "安全防护"),
    _yn("has_media", "是否有移动新媒体", "移动新媒体"),
    # The media accounts (MediaAccount rows) are printed here.
    Field(
        "innovation",
        "创新发展",
        "multichoice",
        section="创新发展",
        required=False,  # none ticked is an answer (the seed ticks none)
        choices=(
            ("search", "搜索即服务"),
            ("languages", "多语言版本"),
            ("accessible", "无障碍浏览"),
            ("personalised", "千人千网"),
            ("other", "其他"),
        ),
    ),
    # The line after □其他; required when 其他 is ticked (rule w26c).
    Field(
        "innovation_other",
        "其他",
        "text",
        section="创新发展",
        required=False,
        name="创新发展·其他",
        max_length=LINE_LENGTH,
    ),
    # Footer, printed under the table.
    _top("head", "单位负责人", max_length=PERSON_LENGTH),
    _top("reviewer", "审核人", max_length=PERSON_LENGTH),
    _top("preparer", "填报人", max_length=PERSON_LENGTH),
    _top(
        "phone",
        "联系电话",
        pattern=r"[0-9+()\- 转/、]{7,40}",
        hint="应为电话号码",
        max_length=CODE_LENGTH,
    ),
    _top("filed_on", "填报日期", "date", max_length=CODE_LENGTH),
)

FOOTER = ("head", "reviewer", "preparer", "phone", "filed_on")

# Units printed on a section or group label rather than on each field.
HEADING_UNITS = {_INFO: "条", _COLUMNS: "个", _CASES: "件"}

MEDIA_PLATFORMS = (("weibo", "微博"), ("wechat", "微信"), ("other", "其他"))
MEDIA_FOLLOWERS = {"weibo": "关注量", "wechat": "订阅数"}  # 其他 is one text line: 名称 only
MEDIA_LABELS = ("名称", "信息发布量", "信息发布量（单位：条）", "关注量", "关注量（单位：个）",
                "订阅数", "订阅数（单位：个）")  # fmt: skip


@dataclass(frozen=True)
class MediaAccount:
    platform: str  # a MEDIA_PLATFORMS code
    name: str
    posts: Decimal | None = None  # 信息发布量（条）
    followers: Decimal | None = None  # 关注量 / 订阅数（个）

    def to_json(self) -> dict:
        """Plain JSON, numbers as decimal strings (stored rows, snapshots, open data)."""
        return {
            "platform": self.platform,
            "name": self.name,
            "posts": None if self.posts is None else format_number(self.posts),
            "followers": None if self.followers is None else format_number(self.followers),
        }

    @classmethod
    def from_json(cls, row: dict) -> MediaAccount:
        def number(key):
            return None if row.get(key) in (None, "") else Decimal(row[key])

        return cls(row["platform"], row.get("name", ""), number("posts"), number("followers"))


def parse_media_row(platform, name, posts=None, followers=None) -> MediaAccount:
    """One account of the 移动新媒体 block from what was typed; raises FieldError."""
    labels = dict(MEDIA_PLATFORMS)
    platform = {label: code for code, label in MEDIA_PLATFORMS}.get(platform, platform)
    if platform not in labels:
        raise FieldError(
            "移动新媒体", f"「{shorten(str(platform))}」不是可选平台（可选：微博、微信、其他）"
        )
    label = labels[platform]
    name = str(name or "").strip()
    if not name:
        raise FieldError(f"{label}名称", "未填写")
    if refusal := text_refusal(name, NAME_LENGTH):
        raise FieldError(f"{label}名称", refusal)
    if platform == "other":
        if not all(value in (None, "") for value in (posts, followers)):
            raise FieldError(label, "只填写名称")
        return MediaAccount(platform, name)
    parsed = []
    for what, unit, raw in (
        ("信息发布量", "条", posts),
        (MEDIA_FOLLOWERS[platform], "个", followers),
    ):
        try:
            parsed.append(parse_number(raw, unit=unit))
        except NumberError as error:
            raise FieldError(f"{label}“{name}”{what}", str(error)) from None
    return MediaAccount(platform, name, *parsed)


@dataclass(frozen=True)
class WebsiteFormat:
    code: str
    name: str
    document: str
    first_year: int
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        codes = [field.code for field in self.fields]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{self.code}: duplicate field codes")
        for rule in self.rules:
            unknown = [code for code in rule.cell_codes() if code not in codes]
            if unknown:
                raise ValueError(f"{self.code}: rule {rule.id} names unknown fields {unknown}")

    def field(self, code: str) -> Field:
        try:
            return self._fields[code]
        except KeyError:
            raise KeyError(f"{self.code} has no field {code!r}") from None

    def heading(self, label: str) -> str:
        """A section or group label as printed: "信息发布（单位：条）"."""
        unit = HEADING_UNITS.get(label)
        return f"{label}（单位：{unit}）" if unit else label

    def sections(self) -> list[tuple[str, list[tuple[str, list[Field]]]]]:
        """[(section, [(group, [fields])])] in printed order; consecutive runs, so the top
        fields and the footer are two separate ("", …) entries."""
        result: list[tuple[str, list[tuple[str, list[Field]]]]] = []
        previous = None
        for field in self.fields:
            footer = field.code in FOOTER
            if previous is None or (field.section, footer) != previous:
                result.append((field.section, []))
                previous = (field.section, footer)
            groups = result[-1][1]
            if not groups or groups[-1][0] != field.group:
                groups.append((field.group, []))
            groups[-1][1].append(field)
        return result

    def labels(self) -> list[str]:
        """Every printed text of the form: title, labels bare and with units, choices."""
        found = [self.name]
        for field in self.fields:
            found += [field.section, self.heading(field.section), field.group]
            found += [self.heading(field.group), field.label, field.caption]
            found += [label for _, label in field.choices]
        found += [label for _, label in MEDIA_PLATFORMS] + list(MEDIA_LABELS)
        return [label for label in dict.fromkeys(found) if label]

    @cached_property
    def _fields(self) -> dict[str, Field]:
        return {field.code: field for field in self.fields}


WEBSITE_FORM = WebsiteFormat(
    code="website2018",
    name="政府网站工作年度报表",
    document="国办函〔2018〕12号",
    first_year=2018,
    fields=FIELDS,
    rules=RULES,
)
