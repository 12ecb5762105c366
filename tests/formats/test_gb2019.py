"""国办公开办函〔2019〕60号 (试行): tables 二, 三, 四."""

from decimal import Decimal

from reports.formats import get_format

FMT = get_format("gb2019")

# formats.md §3.2 (table 二): block headings, header rows, data rows.
T2_LABELS = [
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（八）项",
    "第二十条第（九）项",
    "信息内容",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    "规章",
    "规范性文件",
    "行政许可",
    "其他对外管理服务事项",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "政府集中采购",
]
# formats.md §3.3 (table 三).
T3_LABELS = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "（七）总计",
    "四、结转下年度继续办理",
]
# formats.md §3.4 (table 四).
T4_LABELS = [
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
]


def test_labels_contain_every_printed_label_of_tables_two_three_four():
    labels = FMT.labels()
    assert [label for label in T2_LABELS + T3_LABELS + T4_LABELS if label not in labels] == []


def test_cell_counts_are_22_161_15():
    counts = {table.number: len(table.cells()) for table in FMT.tables}
    assert counts == {"二": 22, "三": 161, "四": 15}
    assert len(FMT.cells()) == 198


def test_table_three_has_23_value_rows_and_three_group_labels():
    table = FMT.table("t3")
    value_rows = [row for row in table.rows if not row.heading]
    groups = [row.label for row in table.rows if row.heading]
    assert len(value_rows) == 23
    assert groups == ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理"]


def test_table_three_header_opens_with_the_merged_note_cell():
    header = FMT.table("t3").header_rows
    note = header[0][0]
    assert note.label == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert note.rowspan == 3
    assert [cell.label for cell in header[2]] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


def test_table_two_blocks_print_their_own_header_rows():
    table = FMT.table("t2")
    headers = {
        row.label: [cell.label for cell in table.block_header(row)]
        for row in table.rows
        if row.heading
    }
    assert headers == {
        "第二十条第（一）项": ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        "第二十条第（五）项": ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        "第二十条第（六）项": ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        "第二十条第（八）项": ["信息内容", "上一年项目数量", "本年增/减"],
        "第二十条第（九）项": ["信息内容", "采购项目数量", "采购总金额"],
    }


def test_only_change_is_signed_and_only_procurement_amount_is_money():
    cells = FMT.cells()
    assert {c.code for c in cells if c.signed} == {f"t2-r{n}-delta" for n in (3, 4, 5, 6, 7)}
    amount = FMT.cell("t2-r8-amount")
    assert (amount.kind, amount.decimals, amount.unit) == ("decimal", 2, "元")
    assert [c.code for c in cells if c.kind == "decimal"] == ["t2-r8-amount"]


def test_cell_labels_name_table_row_and_column():
    assert FMT.cell("t3-r1-c7").label == "表三 一、本年新收政府信息公开申请数量·总计"
    assert FMT.cell("t3-r3_3_1-c1").label == "表三 三（三）1.属于国家秘密·自然人"
    assert FMT.cell("t4-r1-c10").label == "表四 行政诉讼·未经复议直接起诉·总计"
    assert FMT.cell("t2-r1-made").label == "表二 第二十条第（一）项 规章·本年新制作数量"


def test_totals_are_declared_computed():
    assert FMT.cell("t3-r1-c7").computed_from == tuple(f"t3-r1-c{i}" for i in range(1, 7))
    assert len(FMT.cell("t3-r3_7-c1").computed_from) == 19  # （一）（二）, 8 + 3 + 5 items, （六）
    assert FMT.cell("t4-r1-c15").computed_from == (
        "t4-r1-c11",
        "t4-r1-c12",
        "t4-r1-c13",
        "t4-r1-c14",
    )
    assert not any(cell.computed_from for cell in FMT.table("t2").cells())


def test_compute_totals_fills_the_grand_total_from_every_result_cell():
    values = FMT.empty_values()
    values["t3-r3_1-c1"] = Decimal(2)
    values["t3-r3_6-c5"] = Decimal(3)

    totals = FMT.compute_totals(values)

    assert totals["t3-r3_7-c1"] == 2
    assert totals["t3-r3_7-c5"] == 3
    assert totals["t3-r3_7-c7"] == 5
    assert totals["t3-r1-c7"] is None
