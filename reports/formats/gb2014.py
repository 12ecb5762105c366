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

H = "——"
MONEY = {"kind": DECIMAL, "decimals": 4}


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

FORMAT = Format(
    code="gb2014",
    name="2014年格式（国办发〔2014〕32号）",
    document="国办发〔2014〕32号",
    first_year=2014,
    last_year=2018,
    tables=(TABLE,),
    rules=RULES,
)
