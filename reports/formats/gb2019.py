"""《政府信息公开工作年度报告格式（试行）》 of 国办公开办函〔2019〕60号 — report years 2019–2020.

Tables 二, 三, 四 of formats.md §3. Also holds the builders 2021 reuses (table 三 around its
（六）其他处理 rows, table 四 whole, their rules, and the 正文 sections 一–六 the two share,
formats.md §3.1/§4.3), so the two versions cannot drift apart.

Cell codes:
* 二 ``t2-<row>-<column>``: rows ``r1`` 规章 … ``r8`` 政府集中采购, block headings
  ``h1 h5 h6 h8 h9`` (第二十条第（一）/（五）/（六）/（八）/（九）项). Column codes name what
  is counted (``made published public_total prior delta decided purchases amount``), never a
  position, so a 2021 cell can never be mistaken for a 2019 one with another meaning.
* 三 ``t3-<row>-c1…c7`` (c1 自然人, c2–c6 商业企业…其他, c7 总计); rows keep the printed
  hierarchy: ``r1`` 一、本年新收, ``r2`` 二、上年结转, ``r3_1`` （一）予以公开,
  ``r3_3_1`` （三）1.…, ``r3_6`` （六）其他处理, ``r3_7`` （七）总计, ``r4`` 四、结转下年度继续办理.
* 四 ``t4-r1-c1…c15``: c1–c5 行政复议, c6–c10 未经复议直接起诉, c11–c15 复议后起诉, each
  结果维持/结果纠正/其他结果/尚未审结/总计.

Table 二's blocks print different column headers: one Table, each block heading row lists its
columns (``Row.columns``) and each data row the columns it has cells in (see base module).
"""

from __future__ import annotations

from .base import (
    DECIMAL,
    AtMost,
    Column,
    EqualSums,
    Format,
    HeaderCell,
    PreviousYearEquals,
    Row,
    Rule,
    Severity,
    SumEquals,
    Table,
    Term,
)
from .narrative import (
    ALL_DONE,
    APPLICATIONS,
    ASK,
    ASPECTS,
    ELSEWHERE,
    GAP,
    OPENING,
    PROBLEMS,
    NarrativeFormat,
    Otherwise,
    Outcome,
    Quote,
    Section,
    outcomes,
    quote,
)

# Table 二 ----------------------------------------------------------------------------------------

ITEM = ("made", "published", "public_total")
PROJECT = ("prior", "delta", "decided")

TABLE2 = Table(
    code="t2",
    number="二",
    title="主动公开政府信息情况",
    columns=(
        Column("made", "本年新制作数量"),
        Column("published", "本年新公开数量"),
        Column("public_total", "对外公开总数量"),
        Column("prior", "上一年项目数量"),
        Column("delta", "本年增/减", signed=True),
        Column("decided", "处理决定数量"),
        Column("purchases", "采购项目数量"),
        Column("amount", "采购总金额", unit="元", kind=DECIMAL, decimals=2),
    ),
    rows=(
        Row("h1", "第二十条第（一）项", heading=True, columns=ITEM),
        Row("r1", "规章", 1, columns=ITEM),
        Row("r2", "规范性文件", 1, columns=ITEM),
        Row("h5", "第二十条第（五）项", heading=True, columns=PROJECT),
        Row("r3", "行政许可", 1, columns=PROJECT),
        Row("r4", "其他对外管理服务事项", 1, columns=PROJECT),
        Row("h6", "第二十条第（六）项", heading=True, columns=PROJECT),
        Row("r5", "行政处罚", 1, columns=PROJECT),
        Row("r6", "行政强制", 1, columns=PROJECT),
        Row("h8", "第二十条第（八）项", heading=True, columns=("prior", "delta")),
        Row("r7", "行政事业性收费", 1, columns=("prior", "delta")),
        Row("h9", "第二十条第（九）项", heading=True, columns=("purchases", "amount")),
        Row("r8", "政府集中采购", 1, columns=("purchases", "amount")),
    ),
    stub_label="信息内容",
)

# Table 三 (shared with 2021) ---------------------------------------------------------------

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ("c1", "c2", "c3", "c4", "c5", "c6")
LEGAL = "法人或其他组织"
T3_COLUMNS = (
    Column("c1", "自然人"),
    Column("c2", "商业企业"),
    Column("c3", "科研机构"),
    Column("c4", "社会公益组织"),
    Column("c5", "法律服务机构"),
    Column("c6", "其他"),
    Column("c7", "总计", sum_of=APPLICANTS),
)
T3_HEADER = (
    (HeaderCell(T3_NOTE, rowspan=3), HeaderCell("申请人情况", colspan=7)),
    (HeaderCell("自然人", rowspan=2), HeaderCell(LEGAL, colspan=5), HeaderCell("总计", rowspan=2)),
    tuple(HeaderCell(c.label) for c in T3_COLUMNS[1:6]),
)


def _group(code: str, label: str, items: tuple[str, ...]) -> tuple[Row, ...]:
    """A group label row (（三）不予公开 …) and its numbered item rows."""
    head = Row(code, label, 1, heading=True)
    return (head, *(Row(f"{code}_{i}", f"{i}.{item}", 2) for i, item in enumerate(items, 1)))


def build_table3(other_rows: tuple[Row, ...]) -> Table:
    """Table 三 with `other_rows` as its （六）其他处理 part (one row in 2019, a group in 2021)."""
    results = (
        Row("r3_1", "（一）予以公开", 1),
        Row("r3_2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
        *_group(
            "r3_3",
            "（三）不予公开",
            (
                "属于国家秘密",
                "其他法律行政法规禁止公开",
                "危及“三安全一稳定”",
                "保护第三方合法权益",
                "属于三类内部事务信息",
                "属于四类过程性信息",
                "属于行政执法案卷",
                "属于行政查询事项",
            ),
        ),
        *_group(
            "r3_4",
            "（四）无法提供",
            (
                "本机关不掌握相关政府信息",
                "没有现成信息需要另行制作",
                "补正后申请内容仍不明确",
            ),
        ),
        *_group(
            "r3_5",
            "（五）不予处理",
            (
                "信访举报投诉类申请",
                "重复申请",
                "要求提供公开出版物",
                "无正当理由大量反复申请",
                "要求行政机关确认或重新出具已获取信息",
            ),
        ),
        *other_rows,
    )
    return Table(
        code="t3",
        number="三",
        title="收到和处理政府信息公开申请情况",
        columns=T3_COLUMNS,
        rows=(
            Row("r1", "一、本年新收政府信息公开申请数量"),
            Row("r2", "二、上年结转政府信息公开申请数量"),
            Row("r3", "三、本年度办理结果", heading=True),
            *results,
            Row("r3_7", "（七）总计", 1, sum_of=tuple(r.code for r in results if not r.heading)),
            Row("r4", "四、结转下年度继续办理"),
        ),
        header_rows=T3_HEADER,
    )


TABLE3 = build_table3((Row("r3_6", "（六）其他处理", 1),))

# Table 四 (identical in 2021) ------------------------------------------------------------------

T4_OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_GROUPS = ("行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉")


def _t4_columns() -> tuple[Column, ...]:
    columns = []
    for g, group in enumerate(T4_GROUPS):
        codes = [f"c{g * 5 + i}" for i in range(1, 6)]
        for code, label in zip(codes, T4_OUTCOMES, strict=True):
            sum_of = tuple(codes[:4]) if label == "总计" else ()
            columns.append(Column(code, label, group=group, sum_of=sum_of))
    return tuple(columns)


TABLE4 = Table(
    code="t4",
    number="四",
    title="政府信息公开行政复议、行政诉讼情况",
    columns=_t4_columns(),
    rows=(Row("r1", ""),),
    header_rows=(
        (HeaderCell("行政复议", colspan=5, rowspan=2), HeaderCell("行政诉讼", colspan=10)),
        (HeaderCell("未经复议直接起诉", colspan=5), HeaderCell("复议后起诉", colspan=5)),
        tuple(HeaderCell(label) for _ in T4_GROUPS for label in T4_OUTCOMES),
    ),
    label_column=False,
)

# Rules shared by 2019 and 2021 ------------------------------------------------------------------


def table3_rules(t3: Table) -> tuple[Rule, ...]:
    """§7 rules 1, 2, 3 (ERROR) and 5 (WARNING, cross-year) over table 三."""
    rules: list[Rule] = []
    results = t3.row("r3_7").sum_of
    for col in t3.columns:
        where = f"表三 {col.label}列："
        rules.append(
            EqualSums(
                id=f"1.{col.code}",
                severity=Severity.ERROR,
                where=where,
                description=f"表三 {col.label}列：一 + 二 = 三（七）总计 + 四（表内勾稽关系）",
                left=(t3.cell_code("r1", col.code), t3.cell_code("r2", col.code)),
                right=(t3.cell_code("r3_7", col.code), t3.cell_code("r4", col.code)),
                left_name="一、本年新收+二、上年结转",
                right_name="（七）总计+四、结转下年度",
            )
        )
        rules.append(
            SumEquals(
                id=f"2.{col.code}",
                severity=Severity.ERROR,
                where=where,
                description=f"表三 {col.label}列：（七）总计 = （一）至（六）各项办理结果之和",
                total=t3.cell_code("r3_7", col.code),
                parts=tuple(t3.cell_code(r, col.code) for r in results),
                total_name="（七）总计",
                parts_name="（一）至（六）各项之和",
            )
        )
    for row in t3.rows:
        if row.heading:
            continue
        path = t3.path(row)
        rules.append(
            SumEquals(
                id=f"3.{row.code}",
                severity=Severity.ERROR,
                where=f"表三 {path}：",
                description=f"表三 {path}：总计 = 各类申请人之和",
                total=t3.cell_code(row.code, "c7"),
                parts=tuple(t3.cell_code(row.code, c) for c in APPLICANTS),
                total_name="总计",
                parts_name="各类申请人之和",
            )
        )
    for col in t3.columns:
        rules.append(
            PreviousYearEquals(
                id=f"5.{col.code}",
                severity=Severity.WARNING,
                where=f"表三 {col.label}列：",
                description=f"表三 {col.label}列：二、上年结转 = 上年度报告的四、结转下年度",
                cell=t3.cell_code("r2", col.code),
                cell_name="二、上年结转",
                terms=(
                    Term(t3.cell_code("r4", col.code), "上年度报告四、结转下年度", previous=True),
                ),
            )
        )
    return tuple(rules)


def table4_rules(t4: Table) -> tuple[Rule, ...]:
    """§7 rule 8 (ERROR): each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    rules = []
    for col in t4.columns:
        if not col.sum_of:
            continue
        rules.append(
            SumEquals(
                id=f"8.{col.code}",
                severity=Severity.ERROR,
                where=f"表四 {col.group}：",
                description=f"表四 {col.group}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                total=t4.cell_code("r1", col.code),
                parts=tuple(t4.cell_code("r1", c) for c in col.sum_of),
                total_name="总计",
                parts_name="+".join(T4_OUTCOMES[:4]),
            )
        )
    return tuple(rules)


def _table2_rules() -> tuple[Rule, ...]:
    """§7 rule 10 (WARNING): 新公开 ≤ 对外公开总数; cross-year 上一年项目数量."""
    rules: list[Rule] = []
    t2 = TABLE2
    for row in ("r1", "r2"):
        where = f"表二 {t2.path(t2.row(row))}："
        rules.append(
            AtMost(
                id=f"10a.{row}",
                severity=Severity.WARNING,
                where=where,
                description=f"{where}本年新公开数量不应多于对外公开总数量",
                small=(t2.cell_code(row, "published"),),
                big=(t2.cell_code(row, "public_total"),),
                small_name="本年新公开数量",
                big_name="对外公开总数量",
            )
        )
    for row in ("r3", "r4", "r5", "r6", "r7"):
        where = f"表二 {t2.path(t2.row(row))}："
        rules.append(
            PreviousYearEquals(
                id=f"10b.{row}",
                severity=Severity.WARNING,
                where=where,
                description=f"{where}上一年项目数量 = 上年度报告的上一年项目数量 + 本年增/减",
                cell=t2.cell_code(row, "prior"),
                cell_name="上一年项目数量",
                terms=(
                    Term(t2.cell_code(row, "prior"), "上年度上一年项目数量", previous=True),
                    Term(t2.cell_code(row, "delta"), "上年度本年增/减", previous=True),
                ),
            )
        )
    return tuple(rules)


# The 正文 --------------------------------------------------------------------------------------
# 一、总体情况 … 六、其他需要报告的事项 (formats.md §3.1), shared with 2021 (§4.3); sections
# 二/三/四 *are* tables 二/三/四 and carry no text of their own.

T3 = "-c7"  # 表三 总计 column
REFUSED = tuple(f"t3-r3_3_{i}{T3}" for i in range(1, 9))
UNABLE = tuple(f"t3-r3_4_{i}{T3}" for i in range(1, 4))
NOT_PROCESSED = tuple(f"t3-r3_5_{i}{T3}" for i in range(1, 6))
UNIFIED_QUOTES = (
    quote("n6", APPLICATIONS, "件|条", "表三 本年新收申请（含或不含上年结转）",
          ("t3-r1-c7",), ("t3-r1-c7", "t3-r2-c7")),
    quote("n6", r"上年度?结转", "件", "表三 上年结转申请", ("t3-r2-c7",)),
    quote("n6", r"(?<![按时期])办结", "件", "表三 办理结果总计", ("t3-r3_7-c7",)),
    quote("n6", r"结转下年度?", "件", "表三 结转下年度继续办理", ("t3-r4-c7",)),
    quote("n6", r"予以公开及部分公开", "件", "表三 予以公开与部分公开之和",
          ("t3-r3_1-c7", "t3-r3_2-c7")),
    quote("n6", r"(?<!不)予以公开(?!及)", "件", "表三 予以公开", ("t3-r3_1-c7",)),
    quote("n6", r"(?<!及)部分公开", "件", "表三 部分公开", ("t3-r3_2-c7",)),
    quote("n6", r"不予公开", "件", "表三 不予公开", REFUSED),
    quote("n6", r"无法提供", "件", "表三 无法提供", UNABLE),
    quote("n6", r"不予处理", "件", "表三 不予处理", NOT_PROCESSED),
    quote("n6", r"行政复议", "件|起", "表四 行政复议总计", ("t4-r1-c5",)),
    quote("n6", r"(?<!复议、)(?:行政)?诉讼", "件|起", "表四 行政诉讼总计", ("t4-r1-c10", "t4-r1-c15")),
)  # fmt: skip
RULE_12 = rf"(?:制发|印发|出台|制定|制作){GAP}{{0,6}}?规范性文件"
# Statements of outcome the text may make (「均获维持」「未发生…行政复议」「办结率100%」).
UNIFIED_OUTCOMES = (
    *outcomes(
        reconsiderations=("t4-r1-c5",),
        reconsiderations_corrected=("t4-r1-c2",),
        lawsuits=("t4-r1-c10", "t4-r1-c15"),
        lawsuits_corrected=("t4-r1-c7", "t4-r1-c12"),
        requests=("t3-r1-c7",),
        names={
            "reconsiderations": "表四 行政复议·总计",
            "reconsiderations_corrected": "表四 行政复议·结果纠正",
            "lawsuits": "表四 行政诉讼·总计（未经复议直接起诉与复议后起诉之和）",
            "lawsuits_corrected": "表四 行政诉讼·结果纠正（两栏之和）",
            "requests": "表三 一、本年新收政府信息公开申请数量·总计",
        },
    ),
    Outcome(ALL_DONE, r"申请", ("t3-r4-c7",), "表三 四、结转下年度继续办理·总计",
            unless=rf"上年|{ELSEWHERE}"),
)  # fmt: skip


def unified_narrative(
    *, law: str, active: str, other: tuple[str, ...], fee: str, regulations: Quote
) -> NarrativeFormat:
    """Sections 一–六 of the unified format, worded for one version: `active` is the draft's
    sentence on table 二's 行政规范性文件 row, `other` the cells of 表三 （六）其他处理 (总计),
    `fee` the draft's line on 信息处理费 ("" for none), `regulations` the rule-12 quote."""
    sum_of = "+".join
    requests = (
        "{y}年，本机关共收到政府信息公开申请{t3-r1-c7}件，上年结转{t3-r2-c7}件；办结{t3-r3_7-c7}件，"
        "其中予以公开{t3-r3_1-c7}件、部分公开{t3-r3_2-c7}件、"
        f"不予公开{{{sum_of(REFUSED)}}}件、无法提供{{{sum_of(UNABLE)}}}件、"
        f"不予处理{{{sum_of(NOT_PROCESSED)}}}件、其他处理{{{sum_of(other)}}}件；"
        "结转下年度继续办理{t3-r4-c7}件。",
        "因政府信息公开工作被申请行政复议{t4-r1-c5}件、被提起行政诉讼{t4-r1-c10+t4-r1-c15}件。",
        Otherwise(ASK.format("收到和处理政府信息公开申请的情况（与表三、表四一致）。")),
    )
    drafts = {
        "s1": (("{y}年，本机关深入贯彻落实《条例》，", ASK.format("本年度政府信息公开工作的总体情况。")),
               (ASPECTS[0],), (active, ASK.format("重点领域信息公开、政策解读和回应关切情况。")),
               (ASPECTS[1],), requests,
               (ASPECTS[2],), (ASK.format("政府信息公开审查、动态更新、规范性文件清理等情况。"),),
               (ASPECTS[3],), ("{media}", ASK.format("政府网站、政府公报、政务新媒体等平台建设情况。")),
               (ASPECTS[4],), (ASK.format("组织领导、制度建设、教育培训、考核评议等情况。"), "{GOVERNMENT}")),
        "s5": PROBLEMS,
        "s6": ((fee, ASK.format("其他需要报告的事项；没有的写“无”。")),),
    }  # fmt: skip
    sections = (
        OPENING,
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
    )
    return NarrativeFormat(
        sections=sections,
        law=law,
        drafts=drafts,
        quotes=(*UNIFIED_QUOTES, regulations),
        outcomes=UNIFIED_OUTCOMES,
    )


NARRATIVE = unified_narrative(
    law="《中华人民共和国政府信息公开条例》（国务院令第711号修订，以下简称《条例》）第五十条和"
    "《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）",
    active="{y}年，本机关新制作规范性文件{t2-r2-made}件、新公开{t2-r2-published}件，"
    "对外公开规范性文件总数{t2-r2-public_total}件。",
    other=("t3-r3_6-c7",),
    fee="",
    regulations=quote(
        "n12", RULE_12, "件", "表二 规范性文件本年新制作/新公开数量",
        ("t2-r2-made",), ("t2-r2-published",),
    ),
)  # fmt: skip

# Trend indicators (`reports.formats.indicators`): the cells that hold each in this format.
# 2021 keeps every one of these codes but table 二's (see gb2021).
INDICATORS = {
    "applications": ("t3-r1-c7",),
    "applications_by_person": ("t3-r1-c1",),
    "granted": ("t3-r3_1-c7",),
    "partly_granted": ("t3-r3_2-c7",),
    "carried_over": ("t3-r4-c7",),
    "reconsiderations": ("t4-r1-c5",),
    "lawsuits": ("t4-r1-c10", "t4-r1-c15"),
    "regulations_issued": ("t2-r2-made",),
}

FORMAT = Format(
    code="gb2019",
    name="2019年格式（国办公开办函〔2019〕60号，试行）",
    document="国办公开办函〔2019〕60号",
    first_year=2019,
    tables=(TABLE2, TABLE3, TABLE4),
    rules=(*_table2_rules(), *table3_rules(TABLE3), *table4_rules(TABLE4)),
    narrative=NARRATIVE,
    indicators=INDICATORS,
)
