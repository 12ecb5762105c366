"""福建省's 《政府信息公开情况统计表》 before 2019 — a variant of gb2014 (本年度 / 历年累计).

福建's agencies printed their own 统计表 instead of the national one: two value columns, the
year's figure (printed as 「2017年度」) and the running total since the 条例 (历年累计), and rows
of their own. This module declares the layout of 平潭综合实验区's 2017 report (corpus
``2017_pingtan.txt``; its 2018 report uses the same), labels as printed; ``gb2014_fujian2013``
the earlier one. Cell codes: ``fj-<row>-year`` (本年度) and ``fj-<row>-total`` (历年累计).

Twins (`Format.twins`): a 本年度 cell whose row means what a national row means is that row's
cell (``fj-r4-year`` 受理政府信息依申请公开总数 = ``t-r19`` 收到申请数); rows the national table
splits or lacks (信函、传真申请数, 其他类型答复数, 接受行政诉讼、举报数) and every 历年累计
cell are the variant's own, kept, shown and exported under their own codes.
"""

from __future__ import annotations

from . import gb2014
from .base import AtLeastMax, AtMost, Column, HeaderCell, Row, Rule, Severity, SumEquals, Table
from .variants import variant

YEAR, TOTAL = "year", "total"
COLUMNS = (Column(YEAR, "本年度"), Column(TOTAL, "历年累计"))
HEADER = (
    (HeaderCell("指标名称"), HeaderCell("计量单位"), *(HeaderCell(c.label) for c in COLUMNS)),
)


def fujian_table(rows: tuple[Row, ...]) -> Table:
    """The 统计表 with `rows`, in 福建's columns (its 2013 and 2017 layouts differ in rows only)."""
    return Table(
        code="fj",
        number="",
        title="政府信息公开情况统计表",
        columns=COLUMNS,
        rows=rows,
        header_rows=HEADER,
        show_units=True,
    )


def fujian_rules(
    table: Table, *, proactive: str, channels: tuple[str, ...], sums: dict[str, tuple[str, ...]]
) -> tuple[Rule, ...]:
    """The rules of a 福建 统计表, per column: each total of `sums` (row → part rows) is the sum
    of its parts (ERROR); 主动公开 (`proactive`) is at least each of its `channels` (WARNING,
    one item may be published through several); and no 本年度 figure exceeds its 历年累计
    (WARNING)."""
    rules: list[Rule] = []
    for column in table.columns:
        where = f"{column.label}列："
        for total, parts in sums.items():
            rules.append(
                SumEquals(
                    id=f"fj-sum.{total}.{column.code}",
                    severity=Severity.ERROR,
                    where=where,
                    description=f"{where}{table.row(total).short}应等于其中各项之和",
                    total=table.cell_code(total, column.code),
                    parts=tuple(table.cell_code(p, column.code) for p in parts),
                    total_name=table.row(total).short,
                    parts_name="+".join(table.row(p).short for p in parts),
                )
            )
        rules.append(
            AtLeastMax(
                id=f"fj-channels.{column.code}",
                severity=Severity.WARNING,
                where=where,
                description=f"{where}{table.row(proactive).short}不应少于任一渠道的公开数",
                cell=table.cell_code(proactive, column.code),
                others=tuple(table.cell_code(c, column.code) for c in channels),
                cell_name=table.row(proactive).short,
                others_name="各渠道公开数",
            )
        )
    for row in table.rows:
        if row.heading:
            continue
        rules.append(
            AtMost(
                id=f"fj-total.{row.code}",
                severity=Severity.WARNING,
                where=f"{row.short}：",
                description=f"{row.short}：本年度数不应多于历年累计数",
                small=(table.cell_code(row.code, YEAR),),
                big=(table.cell_code(row.code, TOTAL),),
                small_name="本年度",
                big_name="历年累计",
            )
        )
    return tuple(rules)


def year_twins(table: Table, national_rows: dict[str, str]) -> dict[str, str]:
    """Twins of the 本年度 column: row code → the gb2014 row holding the same figure."""
    return {
        table.cell_code(row, YEAR): gb2014.TABLE.cell_code(national)
        for row, national in national_rows.items()
    }


# 平潭综合实验区 2017 (and 2018): 「指标名称 计量单位 2017年度 历年累计」.
TABLE = fujian_table(
    (
        Row("r1", "主动公开文件数", 0, "条"),
        Row("r2", "其中：1、政府网站公开数", 1, "条", short="政府网站公开数"),
        Row("r3", "2、政府公报公开数", 1, "条", short="政府公报公开数"),
        Row("r4", "受理政府信息依申请公开总数", 0, "条"),
        Row("r5", "其中：1、当面申请数", 1, "条", short="当面申请数"),
        Row("r6", "2、网上申请数", 1, "条", short="网上申请数"),
        Row("r7", "3、信函、传真申请数", 1, "条", short="信函、传真申请数"),
        Row("r8", "对申请的答复总数", 0, "条"),
        Row("r9", "其中：1、同意公开答复数", 1, "条", short="同意公开答复数"),
        Row("r10", "2、同意部分公开答复数", 1, "条", short="同意部分公开答复数"),
        Row("r11", "3、不予公开答复数", 1, "条", short="不予公开答复数"),
        Row("r12", "4、其他类型答复数", 1, "条", short="其他类型答复数"),
        Row("r13", "接受行政诉讼、举报数", 0, "件"),
        Row("r14", "行政复议数", 0, "件"),
        Row("r15", "行政诉讼数", 0, "件"),
    )
)

FORMAT = variant(
    gb2014.FORMAT,
    code="gb2014-fujian",
    name="福建省统计表（本年度/历年累计，2014年格式变体）",
    tables=(TABLE,),
    rules=fujian_rules(
        TABLE,
        proactive="r1",
        channels=("r2", "r3"),
        sums={"r4": ("r5", "r6", "r7"), "r8": ("r9", "r10", "r11", "r12")},
    ),
    twins=year_twins(
        TABLE,
        {
            "r1": "r1",  # 主动公开文件数 = 主动公开政府信息数 (the narrative quotes the same 2122)
            "r2": "r6",
            "r3": "r5",
            "r4": "r19",
            "r5": "r20",
            "r6": "r22",  # 网上 = 网络申请数
            "r8": "r27",
            "r9": "r29",
            "r10": "r30",
            "r11": "r31",  # 不予公开 = 不同意公开答复数
            "r14": "s4",
            "r15": "s5",
        },
    ),
)
