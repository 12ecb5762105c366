"""A 2021 report printed with 2019's single 「（六）其他处理」 row — a variant of gb2021.

Some 2021-format reports kept table 三 as the 2019 format printed it: （六）其他处理 one row of
figures, not a heading over 1./2./3. The national 2021 form locks that row as a heading, so such
a report could not be entered and rule 2 （七）总计 = （一）至（六） was never checked for it.
Here table 三 is 2019's (``build_table3`` with the single row ``r3_6``), tables 二 and 四 are
2021's. Every cell keeps its 2021 code, so it is its 2021 cell's twin (no ``twins`` to declare);
the single row's cells ``t3-r3_6-c1…c7`` have no 2021 cell (2021 splits them in three) and stay
the variant's own.
"""

from __future__ import annotations

from . import gb2021
from .base import Row
from .gb2019 import build_table3, table3_rules, table4_rules
from .variants import variant

TABLE3 = build_table3((Row("r3_6", "（六）其他处理", 1),))
TABLES = (gb2021.TABLE2, TABLE3, gb2021.TABLE4)
TABLE2_CELLS = {spec.code for spec in gb2021.TABLE2.cells()}

FORMAT = variant(
    gb2021.FORMAT,
    code="gb2021-single6",
    name="2021年格式（表三“（六）其他处理”按2019年格式印为一行）",
    tables=TABLES,
    rules=(
        # 2021's table 二 rules (11: 现行有效), then tables 三 and 四 checked as printed.
        *(r for r in gb2021.FORMAT.rules if set(r.cell_codes()) <= TABLE2_CELLS),
        *table3_rules(TABLE3),
        *table4_rules(gb2021.TABLE4),
    ),
    twins={},  # every cell keeps its 2021 code
    renames={"t3-r3_6_1-c7+t3-r3_6_2-c7+t3-r3_6_3-c7": "t3-r3_6-c7"},
)
