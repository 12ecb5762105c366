"""福建省's earlier 统计表 (平潭县人民政府 2013) — a variant of gb2014 (本年度 / 历年累计).

The layout of corpus ``2013_pingtanxian.txt``, labels as printed: 「指标名称 计量单位 2013年度
历年累计」, with six channels of application (电子邮件 and 其它形式 among them), 否决公开答复数 and
行政申诉数. Columns, codes and rules as ``gb2014_fujian`` (``fj-<row>-year`` / ``-total``).

Twins: 网上申请数 and 电子邮件申请数 are not twins of the national 网络申请数 (which holds
both), nor 其它形式 of anything national; both stay the variant's own, like every 历年累计 cell.
"""

from __future__ import annotations

from . import gb2014
from .base import Row
from .gb2014_fujian import fujian_rules, fujian_table, year_twins
from .variants import variant

TABLE = fujian_table(
    (
        Row("r1", "主动公开信息数", 0, "条"),
        Row("r2", "其中：1.网站公开", 1, "条", short="网站公开"),
        Row("r3", "2.政府公报公开", 1, "条", short="政府公报公开"),
        Row("r4", "受理依申请公开信息总数", 0, "条"),
        Row("r5", "其中：1.当面申请数", 1, "条", short="当面申请数"),
        Row("r6", "2.传真申请数", 1, "条", short="传真申请数"),
        Row("r7", "3.电子邮件申请数", 1, "条", short="电子邮件申请数"),
        Row("r8", "4.网上申请数", 1, "条", short="网上申请数"),
        Row("r9", "5.信函申请数", 1, "条", short="信函申请数"),
        Row("r10", "6.其它形式申请数", 1, "条", short="其它形式申请数"),
        Row("r11", "对申请的答复数", 0, "条"),
        Row("r12", "其中：1.同意公开答复数", 1, "条", short="同意公开答复数"),
        Row("r13", "2.同意部分公开答复数", 1, "条", short="同意部分公开答复数"),
        Row("r14", "3.否决公开答复数", 1, "条", short="否决公开答复数"),
        Row("r15", "行政复议数", 0, "条"),
        Row("r16", "行政诉讼数", 0, "条"),
        Row("r17", "行政申诉数", 0, "条"),
    )
)

FORMAT = variant(
    gb2014.FORMAT,
    code="gb2014-fujian2013",
    name="福建省统计表（2013年样式，本年度/历年累计，2014年格式变体）",
    tables=(TABLE,),
    rules=fujian_rules(
        TABLE,
        proactive="r1",
        channels=("r2", "r3"),
        sums={
            "r4": ("r5", "r6", "r7", "r8", "r9", "r10"),
            "r11": ("r12", "r13", "r14"),
        },
    ),
    twins=year_twins(
        TABLE,
        {
            "r1": "r1",
            "r2": "r6",
            "r3": "r5",
            "r4": "r19",
            "r5": "r20",
            "r6": "r21",
            "r9": "r23",
            "r11": "r27",
            "r12": "r29",
            "r13": "r30",
            "r14": "r31",  # 否决公开 = 不同意公开答复数
            "r15": "s4",
            "r16": "s5",
        },
    ),
)
