"""国办公开办函〔2021〕30号: tables 二, 三, 四."""

from reports.formats import get_format

FMT = get_format("gb2021")
GB2019 = get_format("gb2019")

# formats.md §4.1 (table 二).
T2_LABELS = [
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（八）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额（单位：万元）",
    "规章",
    "行政规范性文件",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
]
# formats.md §4.2 (table 三 = 2019's §3.3 with （六） split) and §3.4 (table 四, unchanged).
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
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
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
GONE_SINCE_2019 = [
    "第二十条第（九）项",
    "政府集中采购",
    "其他对外管理服务事项",
    "本年增/减",
    "规范性文件",
]


def test_labels_contain_every_printed_label_of_tables_two_three_four():
    labels = FMT.labels()
    assert [label for label in T2_LABELS + T3_LABELS + T4_LABELS if label not in labels] == []


def test_labels_drop_what_2021_removed():
    assert [label for label in GONE_SINCE_2019 if label in FMT.labels()] == []


def test_cell_counts_are_10_175_15():
    counts = {table.number: len(table.cells()) for table in FMT.tables}
    assert counts == {"二": 10, "三": 175, "四": 15}


def test_other_handling_becomes_a_group_of_three_rows():
    table = FMT.table("t3")
    assert table.row("r3_6").heading
    assert [r.code for r in table.rows if r.code.startswith("r3_6_")] == [
        "r3_6_1",
        "r3_6_2",
        "r3_6_3",
    ]
    assert len([row for row in table.rows if not row.heading]) == 25
    results = table.row("r3_7").sum_of
    assert {"r3_6_1", "r3_6_2", "r3_6_3"} <= set(results)
    assert "r3_6" not in results


def test_table_two_blocks_print_their_own_header_rows():
    table = FMT.table("t2")
    headers = {
        row.label: [cell.label for cell in table.block_header(row)]
        for row in table.rows
        if row.heading
    }
    assert headers == {
        "第二十条第（一）项": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        "第二十条第（五）项": ["信息内容", "本年处理决定数量"],
        "第二十条第（六）项": ["信息内容", "本年处理决定数量"],
        "第二十条第（八）项": ["信息内容", "本年收费金额（单位：万元）"],
    }


def test_fee_is_the_only_decimal_with_six_places_in_wan_yuan():
    fee = FMT.cell("t2-r7-fee")  # six: a 元 amount to the 分 (「5949.088667」 万元 as printed)
    assert (fee.kind, fee.decimals, fee.unit) == ("decimal", 6, "万元")
    assert [c.code for c in FMT.cells() if c.kind == "decimal"] == ["t2-r7-fee"]
    assert not any(c.signed for c in FMT.cells())


def test_tables_three_and_four_keep_2019_cell_codes_where_rows_mean_the_same():
    codes_2019 = {c.code: c.label for c in GB2019.cells() if c.table_code in ("t3", "t4")}
    codes_2021 = {c.code: c.label for c in FMT.cells() if c.table_code in ("t3", "t4")}
    shared = codes_2019.keys() & codes_2021.keys()
    assert codes_2019.keys() - shared == {f"t3-r3_6-c{i}" for i in range(1, 8)}
    assert len(codes_2021.keys() - shared) == 21
    assert all(codes_2019[code] == codes_2021[code] for code in shared)
    assert FMT.table("t4") is GB2019.table("t4")


def test_table_two_shares_only_the_decision_counts_with_2019():
    """2019's 处理决定数量 and 2021's 本年处理决定数量 count the same; nothing else is shared."""
    codes_2019 = {c.code for c in GB2019.table("t2").cells()}
    shared = {c.code for c in FMT.table("t2").cells()} & codes_2019
    assert shared == {"t2-r3-decided", "t2-r5-decided", "t2-r6-decided"}
