"""Indicators that mean the same across format versions, for year-on-year comparison.

The 2019 and 2021 formats renamed and regrouped rows of the old 统计表. Where a figure keeps its
meaning (applications received, reconsiderations, …) it is listed here once; each format says
which of its cells hold it (`Format.indicators`, declared in the format's module, inherited by a
format built on it). A format that does not list an indicator simply lacks it: a gap in the
series, never a guess. A declared variant's indicators are its national format's read through its
twins (`reports.formats.variants.variant`), so ``value(variant, values)`` equals
``value(national, national_values(variant, values))``: trends run on across a variant filing
whichever way its values are read. Pure Python.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    note: str = ""

    def value(self, fmt, values: Mapping[str, Decimal]) -> Decimal | None:
        """The indicator for one filing in format `fmt`, or None when the format lacks it or a
        cell is blank."""
        codes = fmt.indicators.get(self.code) if fmt is not None else None
        if not codes or any(values.get(code) is None for code in codes):
            return None
        return sum((Decimal(values[code]) for code in codes), Decimal(0))


INDICATORS = (
    Indicator(
        "applications",
        "收到政府信息公开申请数",
        "件",
        "2019年起为“本年新收政府信息公开申请数量（总计）”。",
    ),
    Indicator("applications_by_person", "其中：自然人申请数", "件", "2019年起的格式才区分申请人。"),
    Indicator(
        "granted",
        "同意（予以）公开",
        "件",
        "2018年及以前为“同意公开答复数”，2019年起为“予以公开（总计）”。",
    ),
    Indicator("partly_granted", "部分公开", "件"),
    Indicator("carried_over", "结转下年度继续办理", "件"),
    Indicator("reconsiderations", "行政复议数量", "件"),
    Indicator("lawsuits", "行政诉讼数量", "件", "2019年起为“未经复议直接起诉”与“复议后起诉”之和。"),
    Indicator(
        "regulations_issued",
        "制发（行政）规范性文件数",
        "件",
        "2019年为“本年新制作数量”，2021年起为“本年制发件数”。",
    ),
    Indicator("proactive", "主动公开政府信息数", "条", "2019年起的格式不再统计此项。"),
)
CODES = frozenset(indicator.code for indicator in INDICATORS)
