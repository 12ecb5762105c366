"""《政府信息公开情况统计表》 of 国办发〔2014〕32号 — statistics of report years up to 2018.

One table, 65 printed rows (formats.md §2.2): 9 section lines 一–九 (四/五/六/七 carry a value)
and 56 sub-rows; the 7 rows whose unit prints as "——" are headings, so 58 value cells.
Row codes follow §2.2's numbering: sections ``s1``–``s9``, sub-rows ``r1``–``r56``; cell codes are
``t-<row>`` (e.g. ``t-r19`` = 三（一）收到申请数).

No cell is computed: this format is only used to transcribe printed filings, and a printed total
that disagrees with its parts (the seed's 收到申请数 1 vs 0) must stay as printed for rules 13–17
to show it.
"""

from __future__ import annotations

from .base import (
    DECIMAL,
    AtLeastMax,
    AtMost,
    Column,
    EqualSums,
    Format,
    HeaderCell,
    Row,
    Severity,
    SumEquals,
    Table,
)
from .narrative import (
    APPLICATIONS,
    ASK,
    BASIS_2014,
    ELSEWHERE,
    GAP,
    NO_FEE,
    ON_TIME,
    OPENING,
    PROBLEMS,
    IfZero,
    NarrativeFormat,
    Outcome,
    Quote,
    Section,
    outcomes,
    quote,
)

H = "——"
# 万元 to six decimals: a 元 amount to the 分, as printed (「5949.088667」 万元).
MONEY = {"kind": DECIMAL, "decimals": 6}


def _heading(code: str, label: str, level: int) -> Row:
    return Row(code, label, level, H, heading=True)


ROWS = (
    _heading("s1", "一、主动公开情况", 0),
    Row("r1", "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", 1, "条"),
    Row("r2", "其中：主动公开规范性文件数", 2, "条"),
    Row("r3", "制发规范性文件总数", 2, "件"),
    _heading("r4", "（二）通过不同渠道和方式公开政府信息的情况", 1),
    Row("r5", "1.政府公报公开政府信息数", 2, "条", short="政府公报"),
    Row("r6", "2.政府网站公开政府信息数", 2, "条", short="政府网站"),
    Row("r7", "3.政务微博公开政府信息数", 2, "条", short="政务微博"),
    Row("r8", "4.政务微信公开政府信息数", 2, "条", short="政务微信"),
    Row("r9", "5.其他方式公开政府信息数", 2, "条", short="其他方式"),
    _heading("s2", "二、回应解读情况", 0),
    Row("r10", "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", 1, "次"),
    _heading("r11", "（二）通过不同渠道和方式回应解读的情况", 1),
    Row("r12", "1.参加或举办新闻发布会总次数", 2, "次", short="新闻发布会"),
    Row("r13", "其中：主要负责同志参加新闻发布会次数", 3, "次"),
    Row("r14", "2.政府网站在线访谈次数", 2, "次", short="在线访谈"),
    Row("r15", "其中：主要负责同志参加政府网站在线访谈次数", 3, "次"),
    Row("r16", "3.政策解读稿件发布数", 2, "篇", short="解读稿件"),
    Row("r17", "4.微博微信回应事件数", 2, "次", short="微博微信"),
    Row("r18", "5.其他方式回应事件数", 2, "次", short="其他方式"),
    _heading("s3", "三、依申请公开情况", 0),
    Row("r19", "（一）收到申请数", 1, "件"),
    Row("r20", "1.当面申请数", 2, "件", short="当面"),
    Row("r21", "2.传真申请数", 2, "件", short="传真"),
    Row("r22", "3.网络申请数", 2, "件", short="网络"),
    Row("r23", "4.信函申请数", 2, "件", short="信函"),
    Row("r24", "（二）申请办结数", 1, "件"),
    Row("r25", "1.按时办结数", 2, "件", short="按时"),
    Row("r26", "2.延期办结数", 2, "件", short="延期"),
    Row("r27", "（三）申请答复数", 1, "件"),
    Row("r28", "1.属于已主动公开范围数", 2, "件"),
    Row("r29", "2.同意公开答复数", 2, "件"),
    Row("r30", "3.同意部分公开答复数", 2, "件"),
    Row("r31", "4.不同意公开答复数", 2, "件"),
    Row("r32", "其中：涉及国家秘密", 3, "件"),
    Row("r33", "涉及商业秘密", 3, "件"),
    Row("r34", "涉及个人隐私", 3, "件"),
    Row("r35", "危及国家安全、公共安全、经济安全和社会稳定", 3, "件"),
    Row("r36", "不是《条例》所指政府信息", 3, "件"),
    Row("r37", "法律法规规定的其他情形", 3, "件"),
    Row("r38", "5.不属于本行政机关公开数", 2, "件"),
    Row("r39", "6.申请信息不存在数", 2, "件"),
    Row("r40", "7.告知作出更改补充数", 2, "件"),
    Row("r41", "8.告知通过其他途径办理数", 2, "件"),
    Row("s4", "四、行政复议数量", 0, "件"),
    Row("r42", "（一）维持具体行政行为数", 1, "件", short="维持"),
    Row("r43", "（二）被依法纠错数", 1, "件", short="纠错"),
    Row("r44", "（三）其他情形数", 1, "件", short="其他"),
    Row("s5", "五、行政诉讼数量", 0, "件"),
    Row("r45", "（一）维持具体行政行为或者驳回原告诉讼请求数", 1, "件", short="维持或驳回"),
    Row("r46", "（二）被依法纠错数", 1, "件", short="纠错"),
    Row("r47", "（三）其他情形数", 1, "件", short="其他"),
    Row("s6", "六、举报投诉数量", 0, "件"),
    Row("s7", "七、依申请公开信息收取的费用", 0, "万元", **MONEY),
    _heading("s8", "八、机构建设和保障经费情况", 0),
    Row("r48", "（一）政府信息公开工作专门机构数", 1, "个"),
    Row("r49", "（二）设置政府信息公开查阅点数", 1, "个"),
    Row("r50", "（三）从事政府信息公开工作人员数", 1, "人"),
    Row("r51", "1.专职人员数（不包括政府公报及政府网站工作人员数）", 2, "人", short="专职"),
    Row("r52", "2.兼职人员数", 2, "人", short="兼职"),
    Row(
        "r53",
        "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        1,
        "万元",
        **MONEY,
    ),
    _heading("s9", "九、政府信息公开会议和培训情况", 0),
    Row("r54", "（一）召开政府信息公开工作会议或专题会议数", 1, "次"),
    Row("r55", "（二）举办各类培训班数", 1, "次"),
    Row("r56", "（三）接受培训人员数", 1, "人次"),
)

TABLE = Table(
    code="t",
    number="",
    title="政府信息公开情况统计表",
    columns=(Column("v", "统计数"),),
    rows=ROWS,
    header_rows=((HeaderCell("统 计 指 标"), HeaderCell("单位"), HeaderCell("统计数")),),
    show_units=True,
)


def _c(row: str) -> str:
    return TABLE.cell_code(row)


def _name(row: str) -> str:
    return TABLE.cell(row).label


def _plus(rows: tuple[str, ...]) -> str:
    return "+".join(TABLE.row(row).short for row in rows)


def _sum(
    rule_id: str, total: str, parts: tuple[str, ...], parts_name: str = "", description: str = ""
) -> SumEquals:
    parts_name = parts_name or _plus(parts)
    return SumEquals(
        id=rule_id,
        severity=Severity.ERROR,
        description=description or f"{_name(total)}应等于{parts_name}之和",
        total=_c(total),
        parts=tuple(_c(p) for p in parts),
        total_name=_name(total),
        parts_name=parts_name,
    )


def _at_most(
    rule_id: str, small: str, big: tuple[str, ...], big_name: str, description: str
) -> AtMost:
    return AtMost(
        id=rule_id,
        severity=Severity.WARNING,
        description=description,
        small=(_c(small),),
        big=tuple(_c(b) for b in big),
        small_name=_name(small),
        big_name=big_name,
    )


CHANNELS = ("r5", "r6", "r7", "r8", "r9")
RESPONSES = ("r12", "r14", "r16", "r17", "r18")
ANSWERS = ("r28", "r29", "r30", "r31", "r38", "r39", "r40", "r41")
REFUSALS = ("r32", "r33", "r34", "r35", "r36", "r37")

RULES = (
    _sum("13", "r19", ("r20", "r21", "r22", "r23")),
    _sum("14", "r24", ("r25", "r26")),
    _sum("15a", "r27", ANSWERS, "第1–8项之和", "三（三）申请答复数应等于第1–8项答复数之和"),
    _sum(
        "15b",
        "r31",
        REFUSALS,
        "其中六类情形之和",
        "三（三）4.不同意公开答复数应等于其中六类情形之和",
    ),
    _sum("16a", "s4", ("r42", "r43", "r44")),
    _sum("16b", "s5", ("r45", "r46", "r47")),
    _sum("17", "r50", ("r51", "r52")),
    _at_most(
        "18a",
        "r1",
        CHANNELS,
        "各渠道公开数之和",
        "主动公开政府信息数不应多于各渠道公开数之和（同一信息多渠道公开计1条）",
    ),
    AtLeastMax(
        id="18b",
        severity=Severity.WARNING,
        description="主动公开政府信息数不应少于任一渠道的公开数",
        cell=_c("r1"),
        others=tuple(_c(r) for r in CHANNELS),
        cell_name=_name("r1"),
        others_name="各渠道公开数",
    ),
    _at_most(
        "18c", "r2", ("r1",), _name("r1"), "其中：主动公开规范性文件数不应多于主动公开政府信息数"
    ),
    _at_most("18d", "r2", ("r3",), _name("r3"), "主动公开规范性文件数不应多于制发规范性文件总数"),
    _at_most(
        "19a",
        "r10",
        RESPONSES,
        "各渠道回应解读数之和",
        "回应热点或舆情数不应多于各渠道回应解读数之和（不同方式回应同一热点计1次）",
    ),
    _at_most(
        "19b",
        "r13",
        ("r12",),
        _name("r12"),
        "主要负责同志参加新闻发布会次数不应多于新闻发布会总次数",
    ),
    _at_most(
        "19c", "r15", ("r14",), _name("r14"), "主要负责同志参加在线访谈次数不应多于在线访谈次数"
    ),
    _at_most(
        "20a",
        "r24",
        ("r19",),
        _name("r19"),
        "申请办结数一般不多于收到申请数（旧表没有上年结转栏，结转案件可解释差异）",
    ),
    EqualSums(
        id="20b",
        severity=Severity.WARNING,
        description="申请答复数一般应等于申请办结数",
        left=(_c("r27"),),
        right=(_c("r24"),),
        left_name=_name("r27"),
        right_name=_name("r24"),
    ),
)


# --- the 正文 ---------------------------------------------------------------------------------
# The sections of the seed (南昌市教育局2018年, formats.md §2.3), 一、工作概述 … 九、政府信息公开
# 工作存在的主要问题及改进情况; the 统计表 follows the narrative. Reports of these years were
# free in structure (河北 4 or 6 parts: 概述 / 主动公开 / 依申请公开 / 收费及减免 / 复议诉讼 /
# 存在问题和改进措施; 平潭 6): the required sections are the subjects of the old 《条例》
# 第三十二条, and each section's `words` show its subject written about wherever the report
# put it (`NarrativeFormat.free_structure`).

SECTIONS = (
    OPENING,
    Section("s1", "一、工作概述", True, "本年度政府信息公开工作的总体情况：组织领导、制度建设、重点工作。"),
    Section("s2", "二、主动公开政府信息的情况", True,
            "主动公开信息的数量（与统计表一（一）一致）、公开渠道，以及回应解读、政务微博微信等情况。",
            words=("主动公开",)),
    Section("s3", "三、依申请公开信息办理情况", True,
            "收到、办结、答复申请的数量及答复类型（与统计表三一致）；不予公开的，说明理由。",
            words=("依申请", "公开申请", "申请公开")),
    Section("s4", "四、因政府信息公开申请行政复议、提起行政诉讼的情况", True,
            "行政复议、行政诉讼的数量和结果（与统计表四、五一致）；没有的写“无”。",
            words=("复议", "诉讼")),
    Section("s5", "五、举报投诉数量", False, "收到的举报投诉数量及处理情况；没有的写“无”。",
            words=("举报", "投诉")),
    Section("s6", "六、依申请公开信息收取的费用情况", True, "收费及减免情况（与统计表七一致）；未收费的写“无”。",
            words=("收费", "收取", "费用", "减免")),
    Section("s7", "七、机构建设和保障经费情况", False, "专门机构、查阅点、工作人员、专项经费（与统计表八一致）。",
            words=("机构", "人员", "经费")),
    Section("s8", "八、政府信息公开会议和培训情况", False, "召开会议、举办培训的次数和人数（与统计表九一致）。",
            words=("会议", "培训")),
    Section("s9", "九、政府信息公开工作存在的主要问题及改进情况", True,
            "分“（一）存在的主要问题”“（二）改进措施”两部分写。", words=("问题", "不足", "改进")),
)  # fmt: skip
DRAFTS = {
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
}  # fmt: skip
# The figures the text may quote (formats.md §7.4: the seed's 主动公开 247 条, 受理 1 条 hold).
QUOTES = (
    Quote("n6", rf"(?<!已)主动公开(?:(?!规范性文件){GAP}){{0,12}}?(\d+)\s*(?:条|件)",
          "统计表 主动公开政府信息数", (("t-r1",),)),
    quote("n6", r"主动公开规范性文件", "条|件", "统计表 主动公开规范性文件数", ("t-r2",)),
    quote("n12", r"制发规范性文件", "件", "统计表 制发规范性文件总数", ("t-r3",)),
    quote("n6", APPLICATIONS, "件|条", "统计表 收到申请数", ("t-r19",)),
    quote("n6", r"(?<![按时期])办结", "件|条", "统计表 申请办结数", ("t-r24",)),
    quote("n6", r"(?<![不部分])同意公开", "件|条", "统计表 同意公开答复数", ("t-r29",)),
    quote("n6", r"行政复议", "件|起", "统计表 行政复议数量", ("t-s4",)),
    quote("n6", r"行政诉讼", "件|起", "统计表 行政诉讼数量", ("t-s5",)),
    quote("n6", r"举报投诉", "件", "统计表 举报投诉数量", ("t-s6",)),
)  # fmt: skip
# Statements of outcome the text may make (「均获维持」「均未向申请人收取费用」「均按时办结」).
OUTCOMES = (
    *outcomes(
        reconsiderations=("t-s4",),
        reconsiderations_corrected=("t-r43",),
        lawsuits=("t-s5",),
        lawsuits_corrected=("t-r46",),
        requests=("t-r19",),
        names={
            "reconsiderations": f"统计表 {_name('s4')}",
            "reconsiderations_corrected": f"统计表 {_name('r43')}",
            "lawsuits": f"统计表 {_name('s5')}",
            "lawsuits_corrected": f"统计表 {_name('r46')}",
            "requests": f"统计表 {_name('r19')}",
        },
    ),
    Outcome(ON_TIME, r"申请|答复", ("t-r26",), f"统计表 {_name('r26')}", unless=ELSEWHERE),
    Outcome(NO_FEE, r"费", ("t-s7",), f"统计表 {_name('s7')}", unless=r"经费"),
)
NARRATIVE = NarrativeFormat(
    sections=SECTIONS,
    tables_after=("t",),
    law="《中华人民共和国政府信息公开条例》（国务院令第492号，以下简称《条例》）",
    basis=BASIS_2014,
    drafts=DRAFTS,
    intro_lists_sections=True,
    quotes=QUOTES,
    outcomes=OUTCOMES,
    free_structure=True,
)
# Trend indicators (`reports.formats.indicators`): the cells that hold each in this format.
INDICATORS = {
    "applications": ("t-r19",),
    "granted": ("t-r29",),
    "partly_granted": ("t-r30",),
    "reconsiderations": ("t-s4",),
    "lawsuits": ("t-s5",),
    "regulations_issued": ("t-r3",),
    "proactive": ("t-r1",),
}

FORMAT = Format(
    code="gb2014",
    name="2014年格式（国办发〔2014〕32号）",
    document="国办发〔2014〕32号",
    first_year=2014,
    tables=(TABLE,),
    rules=RULES,
    narrative=NARRATIVE,
    indicators=INDICATORS,
)
