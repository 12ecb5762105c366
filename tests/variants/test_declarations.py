"""Declared variants as data: the printed layouts, their rules, and the mapping onto the
national format that 汇总 and trends read (`reports.formats.variants`). No database."""

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from reports.formats import (
    FormatRegistryError,
    build_registry,
    family,
    gb2014,
    gb2014_fujian,
    gb2019,
    gb2021,
    get_format,
)
from reports.formats.indicators import INDICATORS
from reports.formats.narrative import draft_texts
from reports.formats.variants import national_values, translate
from reports.validation import errors, validate

D = Decimal
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FUJIAN, FUJIAN_2013 = get_format("gb2014-fujian"), get_format("gb2014-fujian2013")
SINGLE6, GB2021, GB2014 = get_format("gb2021-single6"), gb2021.FORMAT, gb2014.FORMAT

# The figures of the printed 统计表, row → (本年度, 历年累计), read by hand from the flattened
# text (「主动公开文件数条212210037」 = 2122 | 10037); every other row prints 0 | 0.
PINGTAN_2017 = {"r1": (2122, 10037), "r2": (2122, 10037)}
PINGTANXIAN_2013 = {
    "r1": (1853, 5395), "r2": (1713, 5017), "r3": (0, 7), "r4": (7, 28), "r5": (0, 18),
    "r7": (3, 6), "r8": (4, 4), "r11": (3, 24), "r12": (2, 19), "r13": (1, 3), "r14": (0, 2),
}  # fmt: skip


def printed_values(fmt, figures) -> dict:
    table = fmt.tables[0]
    values = {}
    for row in table.rows:
        year, total = figures.get(row.code, (0, 0))
        values[table.cell_code(row.code, "year")] = D(year)
        values[table.cell_code(row.code, "total")] = D(total)
    return values


@pytest.mark.parametrize(
    ("fmt", "corpus", "figures"),
    [
        (FUJIAN, "2017_pingtan.txt", PINGTAN_2017),
        (FUJIAN_2013, "2013_pingtanxian.txt", PINGTANXIAN_2013),
    ],
    ids=["2017", "2013"],
)
def test_the_fujian_rows_are_the_printed_ones_label_unit_and_figures_in_order(fmt, corpus, figures):
    # The crawler ran the cells together: label, 计量单位, 本年度, 历年累计, row after row.
    printed = (CORPUS / corpus).read_text(encoding="utf-8")
    table = fmt.tables[0]
    run_together = "".join(
        row.label + row.unit + "".join(str(n) for n in figures.get(row.code, (0, 0)))
        for row in table.rows
    )
    assert run_together in printed
    assert [c.label for c in table.columns] == ["本年度", "历年累计"]
    assert len(fmt.cells()) == 2 * len(table.rows)  # 30 cells in 2017's layout
    # The printed figures break no rule of the layout.
    assert validate(fmt, printed_values(fmt, figures)) == []


def test_a_fujian_total_that_disagrees_with_its_parts_is_an_error_naming_the_column():
    values = printed_values(FUJIAN, PINGTAN_2017) | {"fj-r5-total": D(3)}

    found = errors(validate(FUJIAN, values))

    assert [(f.rule_id, f.message) for f in found] == [
        (
            "fj-sum.r4.total",
            "历年累计列：受理政府信息依申请公开总数 0 ≠ 当面申请数+网上申请数+信函、传真申请数 3",
        )
    ]


def test_national_values_puts_twins_under_national_codes_and_keeps_the_variants_own_cells():
    values = printed_values(FUJIAN, PINGTAN_2017) | {"fj-r7-year": D(2), "fj-r4-year": D(2)}

    national = national_values(FUJIAN, values)

    assert national["t-r1"] == D(2122)  # 主动公开文件数 = 主动公开政府信息数
    assert national["t-r6"] == D(2122)  # 政府网站公开数
    assert national["t-r19"] == D(2)  # 受理…总数 = 收到申请数
    assert national["fj-r7-year"] == D(2)  # 信函、传真申请数: no national twin, kept
    assert national["fj-r1-total"] == D(10037)  # 历年累计: the variant's own
    assert len(national) == len(values)  # nothing lost, nothing doubled
    assert not any(GB2014.has_cell(code) for code in national if code.startswith("fj-"))


def test_national_values_of_a_national_format_is_a_copy_of_the_values():
    values = {"t3-r1-c1": D(3)}
    assert national_values(GB2021, values) == values
    assert national_values(GB2021, values) is not values


def test_the_single_six_variant_keeps_2021_codes_and_adds_the_single_row():
    national = national_values(SINGLE6, {"t3-r3_6-c7": D(4), "t3-r1-c7": D(9), "t2-r7-fee": D(1)})

    assert national == {"t3-r3_6-c7": D(4), "t3-r1-c7": D(9), "t2-r7-fee": D(1)}
    assert not GB2021.has_cell("t3-r3_6-c7")  # 2021 locks （六） as a heading
    assert SINGLE6.table("t3").row("r3_6").label == "（六）其他处理"
    assert not SINGLE6.table("t3").row("r3_6").heading
    assert not SINGLE6.has_cell("t3-r3_6_1-c7")


def test_rule_2_is_checked_with_the_single_six_row():
    values = SINGLE6.compute_totals(SINGLE6.zero_values() | {"t3-r3_6-c1": D(2), "t3-r1-c1": D(2)})
    assert values["t3-r3_7-c1"] == D(2)  # （七）总计 counts （六）其他处理
    assert validate(SINGLE6, values) == []

    typed_total = values | {"t3-r3_7-c1": D(0), "t3-r3_7-c7": D(0), "t3-r4-c1": D(2)}
    found = {f.rule_id for f in errors(validate(SINGLE6, typed_total))}

    assert "2.c1" in found  # （七）总计 0 ≠ （一）至（六） 2


def test_a_variant_filing_continues_the_national_trend_through_its_twins():
    values = printed_values(FUJIAN, PINGTAN_2017) | {"fj-r4-year": D(5), "fj-r5-year": D(5)}
    national = national_values(FUJIAN, values)
    for indicator in INDICATORS:
        assert indicator.value(FUJIAN, values) == indicator.value(GB2014, national)
    by_code = {i.code: i for i in INDICATORS}
    assert by_code["applications"].value(FUJIAN, values) == D(5)
    assert by_code["proactive"].value(FUJIAN, values) == D(2122)
    assert by_code["regulations_issued"].value(FUJIAN, values) is None  # not printed: a gap
    six = SINGLE6.compute_totals(SINGLE6.zero_values() | {"t3-r1-c1": D(8)})
    assert by_code["applications"].value(GB2021, national_values(SINGLE6, six)) == D(8)


def test_translate_moves_twins_between_a_national_format_and_its_variants():
    moves = translate(["t-r19", "t-r24", "t-s4"], GB2014, FUJIAN)
    assert moves == {"t-r19": "fj-r4-year", "t-r24": None, "t-s4": "fj-r14-year"}
    back = translate(["fj-r4-year", "fj-r7-year", "fj-r4-total"], FUJIAN, GB2014)
    assert back == {"fj-r4-year": "t-r19", "fj-r7-year": None, "fj-r4-total": None}
    assert translate(["t3-r3_6-c1", "t3-r1-c1"], SINGLE6, GB2021) == {
        "t3-r3_6-c1": None,
        "t3-r1-c1": "t3-r1-c1",
    }


def test_a_period_offers_its_format_and_the_variants_of_its_national_format():
    assert [f.code for f in family("gb2014")] == ["gb2014", "gb2014-fujian", "gb2014-fujian2013"]
    assert [f.code for f in family("gb2014-fujian")] == [f.code for f in family("gb2014")]
    assert [f.code for f in family("gb2021")] == ["gb2021", "gb2021-single6"]
    assert [f.code for f in family("gb2019")] == ["gb2019"]


def test_the_single_six_draft_quotes_other_handling_from_the_single_row():
    class Filing:  # what draft_texts reads of a FilingData
        format, year, agency_kind, websites = SINGLE6, 2021, "department", []
        values = SINGLE6.compute_totals(SINGLE6.zero_values() | {"t3-r3_6-c1": D(3)})

    assert "其他处理3件" in draft_texts(Filing)["s1"]


def test_a_variant_must_map_onto_a_registered_national_format():
    orphan = dataclasses.replace(FUJIAN, variant_of="gb1999")
    with pytest.raises(FormatRegistryError, match="声明为 gb1999 的变体，但没有这个全国格式"):
        build_registry([GB2014, gb2019.FORMAT, orphan])

    astray = dataclasses.replace(FUJIAN, twins={"fj-r1-year": "t-r99"})
    with pytest.raises(FormatRegistryError, match="不存在的单元格：t-r99"):
        build_registry([GB2014, astray])

    doubled = dataclasses.replace(SINGLE6, twins={"t3-r3_6-c1": "t3-r1-c1"})
    with pytest.raises(FormatRegistryError, match="两个单元格对应 gb2021 的同一单元格：t3-r1-c1"):
        build_registry([GB2021, doubled])


def test_a_format_cannot_declare_twins_without_being_a_variant_or_twin_a_cell_twice():
    with pytest.raises(ValueError, match="only a variant"):
        dataclasses.replace(GB2014, twins={"t-r1": "t-r1"})
    with pytest.raises(ValueError, match="several cells are twins"):
        dataclasses.replace(FUJIAN, twins={"fj-r1-year": "t-r1", "fj-r2-year": "t-r1"})
    assert gb2014_fujian.FORMAT is FUJIAN
