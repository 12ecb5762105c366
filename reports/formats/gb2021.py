"""《中华人民共和国政府信息公开工作年度报告格式》 of 国办公开办函〔2021〕30号 — 2021 onwards.

Tables 二, 三, 四 of formats.md §4. Table 三 is 2019's with （六）其他处理 split into three rows
(``r3_6`` becomes a group label, items ``r3_6_1``–``r3_6_3``); table 四 is 2019's object; every
other row and column code of 三/四 is the 2019 one, so cross-year rules compare a 2020 filing
(gb2019) with a 2021 one by cell code.

Table 二 ``t2-<row>-<column>``: rows ``r1`` 规章, ``r2`` 行政规范性文件, ``r3`` 行政许可,
``r5`` 行政处罚, ``r6`` 行政强制, ``r7`` 行政事业性收费 (2019's row numbers; 2019's ``r4`` and
``r8`` are gone);
columns ``issued repealed in_force`` (第二十条第（一）项), ``decided`` (本年处理决定数量),
``fee`` (本年收费金额, 万元, 6 decimals: a 元 amount to the 分). None of 2019's table 二 column
codes is reused with another meaning, so rule 11 simply skips a gb2019 previous filing.
"""

from __future__ import annotations

from .base import DECIMAL, Column, Format, PreviousYearEquals, Row, Rule, Severity, Table, Term
from .gb2019 import (
    INDICATORS as INDICATORS_2019,
)
from .gb2019 import (
    RULE_12,
    TABLE4,
    build_table3,
    table3_rules,
    table4_rules,
    unified_narrative,
)
from .narrative import ASK, quote

ITEM = ("issued", "repealed", "in_force")
DECIDED = ("decided",)

TABLE2 = Table(
    code="t2",
    number="二",
    title="主动公开政府信息情况",
    columns=(
        Column("issued", "本年制发件数"),
        Column("repealed", "本年废止件数"),
        Column("in_force", "现行有效件数"),
        Column("decided", "本年处理决定数量"),
        Column("fee", "本年收费金额（单位：万元）", unit="万元", kind=DECIMAL, decimals=6),
    ),
    rows=(
        Row("h1", "第二十条第（一）项", heading=True, columns=ITEM),
        Row("r1", "规章", 1, columns=ITEM),
        Row("r2", "行政规范性文件", 1, columns=ITEM),
        Row("h5", "第二十条第（五）项", heading=True, columns=DECIDED),
        Row("r3", "行政许可", 1, columns=DECIDED),
        Row("h6", "第二十条第（六）项", heading=True, columns=DECIDED),
        Row("r5", "行政处罚", 1, columns=DECIDED),
        Row("r6", "行政强制", 1, columns=DECIDED),
        Row("h8", "第二十条第（八）项", heading=True, columns=("fee",)),
        Row("r7", "行政事业性收费", 1, columns=("fee",)),
    ),
    stub_label="信息内容",
)

TABLE3 = build_table3(
    (
        Row("r3_6", "（六）其他处理", 1, heading=True),
        Row("r3_6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
        Row(
            "r3_6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2
        ),
        Row("r3_6_3", "3.其他", 2),
    )
)

NOTE_HINT = "（修订、自然失效等造成的差异，请在该单元格备注中说明）"


def _in_force_rules() -> tuple[Rule, ...]:
    """§7 rule 11 (WARNING, cross-year): 现行有效 = 上年现行有效 + 本年制发 − 本年废止."""
    rules = []
    for row in ("r1", "r2"):
        where = f"表二 {TABLE2.path(TABLE2.row(row))}："
        rules.append(
            PreviousYearEquals(
                id=f"11.{row}",
                severity=Severity.WARNING,
                where=where,
                description=f"{where}现行有效件数 = 上年度现行有效件数 + 本年制发件数"
                " − 本年废止件数（差异可在单元格备注中说明）",
                cell=TABLE2.cell_code(row, "in_force"),
                cell_name="现行有效件数",
                terms=(
                    Term(TABLE2.cell_code(row, "in_force"), "上年度现行有效件数", previous=True),
                    Term(TABLE2.cell_code(row, "issued"), "本年制发件数"),
                    Term(TABLE2.cell_code(row, "repealed"), "本年废止件数", sign=-1),
                ),
                hint=NOTE_HINT,
            )
        )
    return tuple(rules)


NARRATIVE = unified_narrative(
    law="《中华人民共和国政府信息公开条例》（国务院令第711号修订，以下简称《条例》）第五十条和"
    "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",
    active="{y}年，本机关制发行政规范性文件{t2-r2-issued}件、废止{t2-r2-repealed}件，"
    "现行有效{t2-r2-in_force}件。",
    other=("t3-r3_6_1-c7", "t3-r3_6_2-c7", "t3-r3_6_3-c7"),
    fee=ASK.format(
        "信息处理费收取情况（国办函〔2020〕109号），未收取的写“本机关未收取信息处理费”。"
    ),
    regulations=quote("n12", RULE_12, "件", "表二 行政规范性文件本年制发件数", ("t2-r2-issued",)),
)
# Trend indicators: 2019's cells (tables 三/四 keep their codes); table 二's row is renamed.
INDICATORS = {**INDICATORS_2019, "regulations_issued": ("t2-r2-issued",)}

FORMAT = Format(
    code="gb2021",
    name="2021年格式（国办公开办函〔2021〕30号）",
    document="国办公开办函〔2021〕30号",
    first_year=2021,
    tables=(TABLE2, TABLE3, TABLE4),
    rules=(*_in_force_rules(), *table3_rules(TABLE3), *table4_rules(TABLE4)),
    narrative=NARRATIVE,
    indicators=INDICATORS,
)
