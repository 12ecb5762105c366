"""The 政府网站工作年度报表 (formats.md §5.2) declared as data, and how typed text is read."""

import datetime
from decimal import Decimal

import pytest

from reports.formats.website import (
    MEDIA_PLATFORMS,
    TEXTUAL,
    WEBSITE_FORM,
    Field,
    FieldError,
    MediaAccount,
    parse_media_row,
)
from reports.formats.website_demo import split_number_and_note

# formats.md §5.2, top to bottom: sections, groups, fields (with the unit notes printed on them),
# the boxes' labels, the 移动新媒体 rows and the footer. Written out, not generated.
LABELS_5_2 = [
    "政府网站工作年度报表", "填报单位",
    "网站名称", "首页网址", "主办单位", "网站类型", "政府门户网站", "部门网站", "专项网站",
    "政府网站标识码", "ICP备案号", "公安机关备案号",
    "独立用户访问总量（单位：个）", "网站总访问量（单位：次）",
    "信息发布（单位：条）", "总数", "概况类信息更新量", "政务动态信息更新量", "信息公开目录信息更新量",
    "专栏专题（单位：个）", "维护数量", "新开设数量",
    "解读回应", "解读信息发布", "总数（单位：条）", "解读材料数量（单位：条）",
    "解读产品数量（单位：个）", "媒体评论文章数量（单位：篇）",
    "回应公众关注热点或重大舆情数量（单位：次）",
    "办事服务", "是否发布服务事项目录", "是", "否", "注册用户数（单位：个）",
    "政务服务事项数量（单位：项）", "可全程在线办理政务服务事项数量（单位：项）",
    "办件量（单位：件）", "自然人办件量", "法人办件量",
    "互动交流", "是否使用统一平台",
    "留言办理", "收到留言数量（单位：条）", "办结留言数量（单位：条）", "平均办理时间（单位：天）",
    "公开答复数量（单位：条）",
    "征集调查", "征集调查期数（单位：期）", "收到意见数量（单位：条）", "公布调查结果期数（单位：期）",
    "在线访谈", "访谈期数（单位：期）", "网民留言数量（单位：条）", "答复网民提问数量（单位：条）",
    "是否提供智能问答",
    "安全防护", "安全检测评估次数（单位：次）", "发现问题数量（单位：个）", "问题整改数量（单位：个）",
    "是否建立安全监测预警机制", "是否开展应急演练", "是否明确网站安全责任人",
    "移动新媒体", "是否有移动新媒体",
    "微博", "名称", "信息发布量（单位：条）", "关注量（单位：个）",
    "微信", "订阅数（单位：个）", "其他",
    "创新发展", "搜索即服务", "多语言版本", "无障碍浏览", "千人千网",
    "单位负责人", "审核人", "填报人", "联系电话", "填报日期",
]  # fmt: skip

CODES = [
    "filer", "site_name", "home_url", "sponsor", "site_type", "site_id", "icp", "police_record",
    "visitors", "visits",
    "info_total", "info_overview", "info_news", "info_catalog",
    "columns_maintained", "columns_new",
    "interp_total", "interp_materials", "interp_products", "interp_articles", "responses",
    "service_catalog", "registered_users", "services", "services_online",
    "cases_total", "cases_person", "cases_legal",
    "unified_platform",
    "messages_received", "messages_closed", "messages_days", "messages_public",
    "survey_rounds", "survey_opinions", "survey_results",
    "interview_rounds", "interview_messages", "interview_answers", "smart_qa",
    "security_checks", "security_issues", "security_fixed",
    "security_monitoring", "security_drills", "security_officer",
    "has_media",
    "innovation", "innovation_other",
    "head", "reviewer", "preparer", "phone", "filed_on",
]  # fmt: skip


def field(code):
    return WEBSITE_FORM.field(code)


def test_form_is_named_as_printed():
    assert (WEBSITE_FORM.code, WEBSITE_FORM.name) == ("website2018", "政府网站工作年度报表")


def test_fields_come_in_printed_order():
    assert [f.code for f in WEBSITE_FORM.fields] == CODES


def test_labels_contain_every_label_of_formats_md():
    labels = WEBSITE_FORM.labels()
    assert [label for label in LABELS_5_2 if label not in labels] == []


def test_sections_and_groups_render_in_printed_order():
    outline = [
        (section, [(group, len(fields)) for group, fields in groups])
        for section, groups in WEBSITE_FORM.sections()
    ]
    assert outline == [
        ("", [("", 10)]),
        ("信息发布", [("", 4)]),
        ("专栏专题", [("", 2)]),
        ("解读回应", [("解读信息发布", 4), ("", 1)]),
        ("办事服务", [("", 4), ("办件量", 3)]),
        ("互动交流", [("", 1), ("留言办理", 4), ("征集调查", 3), ("在线访谈", 3), ("", 1)]),
        ("安全防护", [("", 6)]),
        ("移动新媒体", [("", 1)]),
        ("创新发展", [("", 2)]),
        ("", [("", 5)]),  # the footer
    ]


def test_units_print_on_the_field_or_on_its_heading():
    assert field("messages_received").caption == "收到留言数量（单位：条）"
    assert field("info_overview").caption == "概况类信息更新量"
    assert WEBSITE_FORM.heading("信息发布") == "信息发布（单位：条）"
    assert WEBSITE_FORM.heading("办件量") == "办件量（单位：件）"
    assert WEBSITE_FORM.heading("留言办理") == "留言办理"


def test_the_three_totals_have_names_of_their_own():
    names = [f.name for f in WEBSITE_FORM.fields if f.label == "总数"]
    assert names == ["信息发布总数", "解读信息发布总数", "办件量总数"]


def test_unknown_field_code_is_a_key_error():
    with pytest.raises(KeyError, match="no field 'nope'"):
        WEBSITE_FORM.field("nope")


# Counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("visitors", "1980321", Decimal(1980321)),
        ("visitors", "1,980,321", Decimal(1980321)),
        ("visitors", "１９８０３２１", Decimal(1980321)),
        ("visitors", "\xa01980321\xa0", Decimal(1980321)),
        ("registered_users", "22.69万", Decimal(226900)),
        ("services_online", "0项", Decimal(0)),
        ("interview_rounds", "3期", Decimal(3)),
        ("messages_days", "3天", Decimal(3)),
        ("messages_days", "2.5", Decimal("2.5")),
        ("visits", 48228377, Decimal(48228377)),
        ("visits", Decimal(7), Decimal(7)),
    ],
)
def test_counts_read_numbers_as_staff_type_them(code, text, expected):
    assert field(code).parse(text) == expected


@pytest.mark.parametrize("text", ["", "  ", None, "—"])
def test_a_blank_count_is_blank_not_zero(text):
    assert field("visitors").parse(text) is None


@pytest.mark.parametrize(
    ("code", "text", "message"),
    [
        ("visitors", "十二", "独立用户访问总量：「十二」不是数字"),
        (
            "services",
            "一次不跑“1”项、只跑一次11项",
            "政务服务事项数量：「一次不跑“1”项、只跑一次11项」不是数字",
        ),
        ("info_total", "-3", "信息发布总数：「-3」不能为负数"),
        ("visits", "2.5", "网站总访问量：「2.5」应为整数"),
        ("visits", True, "网站总访问量：「True」不是数字"),
    ],
)
def test_text_in_a_count_is_refused_with_a_message_naming_the_field(code, text, message):
    with pytest.raises(FieldError) as caught:
        field(code).parse(text)
    assert str(caught.value) == message
    assert caught.value.code == code


# Yes/no and choices ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), (" 是 ", True), (True, True), (False, False), (["否"], False)],
)
def test_yes_no_items_read_shi_and_fou_and_booleans(raw, expected):
    assert field("smart_qa").parse(raw) is expected


def test_a_yes_no_item_left_blank_is_blank():
    assert field("smart_qa").parse("") is None


def test_ticking_both_yes_and_no_is_refused():
    with pytest.raises(FieldError, match="是否提供智能问答：只能选择一项（已选：是、否）"):
        field("smart_qa").parse(["是", "否"])


def test_a_yes_no_item_refuses_other_words():
    with pytest.raises(FieldError, match="是否提供智能问答：「有」不是可选项（可选：是、否）"):
        field("smart_qa").parse("有")


@pytest.mark.parametrize("raw", ["部门网站", "department", ["部门网站"]])
def test_site_type_is_stored_as_its_code(raw):
    assert field("site_type").parse(raw) == "department"


def test_ticking_two_site_types_is_refused():
    with pytest.raises(FieldError) as caught:
        field("site_type").parse(["部门网站", "政府门户网站"])
    assert str(caught.value) == "网站类型：只能选择一项（已选：政府门户网站、部门网站）"


def test_a_choice_refuses_what_is_not_text():
    with pytest.raises(FieldError, match="网站类型：「True」不是可选项"):
        field("site_type").parse(True)


def test_site_type_refuses_an_unknown_type():
    with pytest.raises(
        FieldError, match="「门户」不是可选项（可选：政府门户网站、部门网站、专项网站）"
    ):
        field("site_type").parse("门户")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["无障碍浏览", "搜索即服务"], ("search", "accessible")),
        ("搜索即服务、其他", ("search", "other")),
        (("personalised",), ("personalised",)),
        ([], ()),
        ("", ()),
        (None, ()),
    ],
)
def test_innovation_ticks_are_codes_in_printed_order(raw, expected):
    assert field("innovation").parse(raw) == expected


def test_innovation_refuses_an_unknown_tick():
    with pytest.raises(FieldError, match="创新发展：「区块链」不是可选项"):
        field("innovation").parse(["区块链"])


# Identifiers, address, text, date -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("site_id", "\xa03601000051", "3601000051"),
        ("site_id", "３６０１０００２５１", "3601000251"),
        ("icp", "赣ICP备05007513号\xa0", "赣ICP备05007513号"),
        ("icp", "京ICP备05070218号-1", "京ICP备05070218号-1"),
        ("police_record", "赣公网安备 36010202000015号\xa0", "赣公网安备 36010202000015号"),
        ("police_record", "京公网安备11010202000001号", "京公网安备11010202000001号"),
    ],
)
def test_identifiers_in_their_official_shape_are_accepted(code, raw, expected):
    assert field(code).parse(raw) == expected


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("site_id", "360100005", "政府网站标识码：应为10位数字"),
        ("site_id", "36010000511", "政府网站标识码：应为10位数字"),
        ("site_id", "36010A0051", "政府网站标识码：应为10位数字"),
        ("icp", "ICP备05007513号", "ICP备案号：应为“赣ICP备05007513号”的格式"),
        ("icp", "赣ICP05007513号", "ICP备案号：应为“赣ICP备05007513号”的格式"),
        ("icp", "赣ICP备05007513", "ICP备案号：应为“赣ICP备05007513号”的格式"),
        ("icp", "美ICP备05007513号", "ICP备案号：应为“赣ICP备05007513号”的格式"),
        ("police_record", "赣公网安备 3601020200001号", "公安机关备案号：应为“赣公网安备"),
        ("police_record", "赣ICP备05007513号", "公安机关备案号：应为“赣公网安备"),
    ],
)
def test_identifiers_in_another_shape_are_refused(code, raw, message):
    with pytest.raises(FieldError) as caught:
        field(code).parse(raw)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("edu.nc.gov.cn", "http://edu.nc.gov.cn"),
        ("http://edu.nc.gov.cn/", "http://edu.nc.gov.cn"),
        ("HTTPS://Edu.NC.gov.cn/index.html", "https://edu.nc.gov.cn/index.html"),
        ("www.nc.gov.cn:8080/jyj", "http://www.nc.gov.cn:8080/jyj"),
        ("http://edu.nc.gov.cn", "http://edu.nc.gov.cn"),  # a stored value parses to itself
    ],
)
def test_home_page_is_stored_as_a_full_url(raw, expected):
    assert field("home_url").parse(raw) == expected


@pytest.mark.parametrize(
    "raw", ["南昌市教育局", "edu nc gov cn", "ftp://edu.nc.gov.cn", "localhost", "http://"]
)
def test_home_page_that_is_no_address_is_refused(raw):
    with pytest.raises(FieldError, match="首页网址：.*不是有效网址"):
        field("home_url").parse(raw)


def test_text_is_stripped_and_blank_text_is_blank():
    assert field("site_name").parse("南昌市教育局\xa0") == "南昌市教育局"
    assert field("site_name").parse(" \u3000") is None


@pytest.mark.parametrize("raw", ["2019年1月9日", "2019-01-09", "2019/1/9", "２０１９年１月９日"])
def test_filing_date_reads_the_usual_spellings(raw):
    assert field("filed_on").parse(raw) == datetime.date(2019, 1, 9)


@pytest.mark.parametrize("raw", ["2019年2月30日", "一月九日"])
def test_filing_date_refuses_what_is_no_date(raw):
    with pytest.raises(FieldError, match="填报日期：.*不是日期"):
        field("filed_on").parse(raw)


def test_phone_must_look_like_a_phone_number():
    assert field("phone").parse("0791-83986497") == "0791-83986497"
    with pytest.raises(FieldError, match="联系电话：应为电话号码"):
        field("phone").parse("办公室")


# A whole form, and the demo's notes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("services", "一次不跑“1”项、只跑一次11项", (Decimal(12), "一次不跑“1”项、只跑一次11项")),
        ("registered_users", "22.69万", (Decimal(226900), "22.69万")),
        ("visitors", "1,980,321", (Decimal(1980321), "")),
        ("messages_days", "3天", (Decimal(3), "")),
        ("services_online", "0项", (Decimal(0), "")),
        ("services", "暂无", (None, "暂无")),
        ("services", "", (None, "")),
    ],
)
def test_demo_keeps_the_number_and_puts_the_printed_text_in_the_note(code, raw, expected):
    assert split_number_and_note(field(code), raw) == expected


# 移动新媒体 ----------------------------------------------------------------------------------------


def test_media_platforms_are_weibo_wechat_and_other():
    assert MEDIA_PLATFORMS == (("weibo", "微博"), ("wechat", "微信"), ("other", "其他"))


def test_a_weibo_row_reads_its_figures():
    account = parse_media_row("weibo", "南昌教育发布\xa0", "\xa03520", "22.69万\xa0")
    assert account == MediaAccount("weibo", "南昌教育发布", Decimal(3520), Decimal(226900))


def test_a_row_may_name_its_platform_by_label():
    assert parse_media_row("微信", "南昌教育", "858", "85646").platform == "wechat"


def test_an_other_row_is_a_name_only():
    assert parse_media_row("other", "南昌教育头条号") == MediaAccount("other", "南昌教育头条号")
    with pytest.raises(FieldError, match="其他：只填写名称"):
        parse_media_row("other", "南昌教育头条号", "12")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("weibo", "", "1", "2"), "微博名称：未填写"),
        (("wechat", "南昌教育", "858", "八万"), "微信“南昌教育”订阅数：「八万」不是数字"),
        (("weibo", "南昌教育发布", "-1", "2"), "微博“南昌教育发布”信息发布量：「-1」不能为负数"),
        (("douyin", "南昌教育", "1", "2"), "移动新媒体：「douyin」不是可选平台"),
    ],
)
def test_a_bad_media_row_is_refused_with_a_message(row, message):
    with pytest.raises(FieldError) as caught:
        parse_media_row(*row)
    assert str(caught.value).startswith(message)


# --- limits: every text has one, the same wherever the text comes from --------------------


def test_every_text_url_and_date_field_declares_a_length_and_no_other_field_does():
    for item in WEBSITE_FORM.fields:
        assert (item.max_length > 0) == (item.kind in TEXTUAL), item.code
    with pytest.raises(ValueError, match="max_length is for text, url and date fields only"):
        Field("x", "某数", "count", max_length=10)
    with pytest.raises(ValueError, match="max_length"):
        Field("y", "某名", "text")


@pytest.mark.parametrize(
    ("code", "limit"),
    [("filer", 100), ("site_name", 100), ("sponsor", 100), ("home_url", 200), ("head", 50),
     ("phone", 50), ("innovation_other", 200), ("filed_on", 50)],
)  # fmt: skip
def test_a_text_longer_than_its_field_takes_is_refused_naming_the_field(code, limit):
    item = field(code)
    assert item.max_length == limit
    with pytest.raises(FieldError) as caught:
        item.parse("1" * (limit + 1))
    assert str(caught.value) == f"{item.name}：不能超过{limit}字（现有{limit + 1}字）"


def test_the_limit_counts_the_stored_address_so_a_stored_one_parses_again():
    typed = "a.gov.cn/" + "p" * (200 - len("a.gov.cn/"))  # 200 typed; 207 with http://
    with pytest.raises(FieldError, match="首页网址：不能超过200字（现有207字）"):
        field("home_url").parse(typed)
    stored = field("home_url").parse(typed[: 200 - len("http://")])
    assert len(stored) == 200 and field("home_url").parse(stored) == stored


@pytest.mark.parametrize("code", ["site_name", "home_url", "site_id", "phone", "filed_on"])
def test_a_control_character_in_a_text_is_refused(code):
    with pytest.raises(FieldError, match=f"{field(code).name}：含有不可见的控制字符"):
        field(code).parse("edu.nc\x00.gov.cn")


def test_an_unknown_choice_is_quoted_only_in_part():
    with pytest.raises(FieldError) as caught:
        field("site_type").parse("x" * 10_000)
    assert f"「{'x' * 20}…」不是可选项" in str(caught.value)


def test_identifiers_take_ascii_or_full_width_digits_only():
    with pytest.raises(FieldError, match="应为10位数字"):
        field("site_id").parse("٣٦٠١٠٠٠٠٥١")


def test_a_media_account_name_has_a_limit_and_figures_are_bounded():
    assert parse_media_row("weibo", "名" * 100).name == "名" * 100
    with pytest.raises(FieldError, match="微博名称：不能超过100字（现有101字）"):
        parse_media_row("weibo", "名" * 101)
    with pytest.raises(FieldError, match="微信名称：含有不可见的控制字符"):
        parse_media_row("wechat", "南昌\x00教育")
    with pytest.raises(FieldError, match="信息发布量：「1{12}」数值过大"):
        parse_media_row("weibo", "南昌教育", "1" * 12)
