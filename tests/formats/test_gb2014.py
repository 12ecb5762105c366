"""The 2014 national 《政府信息公开情况统计表》 and the seed's 2018 figures."""

from decimal import Decimal

from reports.demo.nanchang_2018 import STATS_2018
from reports.formats import get_format
from reports.validation import validate

FMT = get_format("gb2014")
TABLE = FMT.table("t")

# formats.md §2.2, column 统计指标, top to bottom (65 rows).
ROW_LABELS = [
    "一、主动公开情况",
    "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
    "其中：主动公开规范性文件数",
    "制发规范性文件总数",
    "（二）通过不同渠道和方式公开政府信息的情况",
    "1.政府公报公开政府信息数",
    "2.政府网站公开政府信息数",
    "3.政务微博公开政府信息数",
    "4.政务微信公开政府信息数",
    "5.其他方式公开政府信息数",
    "二、回应解读情况",
    "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
    "（二）通过不同渠道和方式回应解读的情况",
    "1.参加或举办新闻发布会总次数",
    "其中：主要负责同志参加新闻发布会次数",
    "2.政府网站在线访谈次数",
    "其中：主要负责同志参加政府网站在线访谈次数",
    "3.政策解读稿件发布数",
    "4.微博微信回应事件数",
    "5.其他方式回应事件数",
    "三、依申请公开情况",
    "（一）收到申请数",
    "1.当面申请数",
    "2.传真申请数",
    "3.网络申请数",
    "4.信函申请数",
    "（二）申请办结数",
    "1.按时办结数",
    "2.延期办结数",
    "（三）申请答复数",
    "1.属于已主动公开范围数",
    "2.同意公开答复数",
    "3.同意部分公开答复数",
    "4.不同意公开答复数",
    "其中：涉及国家秘密",
    "涉及商业秘密",
    "涉及个人隐私",
    "危及国家安全、公共安全、经济安全和社会稳定",
    "不是《条例》所指政府信息",
    "法律法规规定的其他情形",
    "5.不属于本行政机关公开数",
    "6.申请信息不存在数",
    "7.告知作出更改补充数",
    "8.告知通过其他途径办理数",
    "四、行政复议数量",
    "（一）维持具体行政行为数",
    "（二）被依法纠错数",
    "（三）其他情形数",
    "五、行政诉讼数量",
    "（一）维持具体行政行为或者驳回原告诉讼请求数",
    "（二）被依法纠错数",
    "（三）其他情形数",
    "六、举报投诉数量",
    "七、依申请公开信息收取的费用",
    "八、机构建设和保障经费情况",
    "（一）政府信息公开工作专门机构数",
    "（二）设置政府信息公开查阅点数",
    "（三）从事政府信息公开工作人员数",
    "1.专职人员数（不包括政府公报及政府网站工作人员数）",
    "2.兼职人员数",
    "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
    "九、政府信息公开会议和培训情况",
    "（一）召开政府信息公开工作会议或专题会议数",
    "（二）举办各类培训班数",
    "（三）接受培训人员数",
]
COLUMN_LABELS = ["统 计 指 标", "单位", "统计数"]


def seed_values() -> dict[str, Decimal]:
    return {code: Decimal(text) for code, text in STATS_2018.items()}


def test_table_prints_the_65_rows_of_the_seed_in_order():
    assert [row.label for row in TABLE.rows] == ROW_LABELS


def test_labels_contain_every_row_and_column_label():
    labels = FMT.labels()
    missing = [label for label in ROW_LABELS + COLUMN_LABELS if label not in labels]
    assert missing == []


def test_seven_dash_rows_are_headings_and_the_other_58_rows_carry_one_value_each():
    headings = [row for row in TABLE.rows if row.heading]
    assert len(headings) == 7
    assert all(row.unit == "——" for row in headings)
    assert len(FMT.cells()) == 65 - 7 == 58


def test_sections_four_to_seven_carry_values():
    assert {"t-s4", "t-s5", "t-s6", "t-s7"} <= {cell.code for cell in FMT.cells()}
    assert not any(FMT.has_cell(f"t-s{n}") for n in (1, 2, 3, 8, 9))


def test_cell_codes_follow_the_row_numbers_of_formats_md():
    cell = FMT.cell("t-r19")
    assert cell.label == "三（一）收到申请数"
    assert (cell.table_code, cell.row_code, cell.column_code, cell.unit) == ("t", "r19", None, "件")
    assert FMT.cell("t-r20").label == "三（一）1.当面申请数"
    assert FMT.cell("t-r53").label == "八（四）政府信息公开专项经费"


def test_only_fees_and_funds_are_decimals_in_wan_yuan():
    decimals = {
        cell.code: (cell.unit, cell.decimals) for cell in FMT.cells() if cell.kind == "decimal"
    }
    assert decimals == {"t-s7": ("万元", 6), "t-r53": ("万元", 6)}  # a 元 amount to the 分
    assert not any(cell.signed for cell in FMT.cells())


def test_no_cell_is_computed_so_printed_totals_survive():
    assert not any(cell.computed_from for cell in FMT.cells())


def test_seed_fills_every_value_cell_with_the_printed_figures():
    assert set(STATS_2018) == {cell.code for cell in FMT.cells()}
    assert STATS_2018["t-r1"] == "247"
    assert STATS_2018["t-r17"] == "1850"
    assert STATS_2018["t-r53"] == "0.3"
    assert STATS_2018["t-s7"] == "0"


def test_seed_breaks_exactly_rules_13_and_15():
    findings = validate(FMT, seed_values())

    assert [(f.rule_id, f.severity) for f in findings] == [("13", "error"), ("15a", "error")]
    assert findings[0].message == "三（一）收到申请数 1 ≠ 当面+传真+网络+信函 0"
    assert findings[1].message == "三（三）申请答复数 1 ≠ 第1–8项之和 2"
    assert findings[0].cells == ("t-r19", "t-r20", "t-r21", "t-r22", "t-r23")


def test_seed_with_its_two_slips_corrected_is_clean():
    # The one request came in online, and was answered once (同意公开), not also as 已主动公开.
    values = seed_values() | {"t-r22": Decimal(1), "t-r28": Decimal(0)}

    assert validate(FMT, values) == []
