"""Rules 22–27 of formats.md §7.3 on the 政府网站工作年度报表, and the seed's 2018 form."""

from decimal import Decimal

import pytest

from reports.demo.nanchang_2018 import (
    STATS_2018,
    WEBSITE_2018,
    WEBSITE_MEDIA_2018,
    WEBSITE_NARRATIVE_2018,
    WEBSITE_NOTES_2018,
)
from reports.formats import get_format
from reports.formats.rules import AtMost
from reports.formats.website import (
    WEBSITE_FORM,
    FieldError,
    MediaAccount,
    parse_media_row,
)
from reports.formats.website_demo import parse_demo_values
from reports.formats.website_rules import NUMBER_RULES, YES_NO_ITEMS
from reports.formats.website_validation import validate_website

GB2014 = get_format("gb2014")
D = Decimal


def seed():
    values, notes = parse_demo_values(WEBSITE_2018)
    return values, notes, [parse_media_row(**row) for row in WEBSITE_MEDIA_2018]


def ids(findings):
    return [(f.rule_id, f.severity) for f in findings]


def make_values(**overrides):
    """A consistent, complete form (the seed with its slips corrected)."""
    values = {
        "filer": "南昌市教育局",
        "site_name": "南昌市教育局",
        "home_url": "http://edu.nc.gov.cn",
        "sponsor": "南昌市教育局办公室",
        "site_type": "department",
        "site_id": "3601000051",
        "icp": "赣ICP备05007513号",
        "police_record": "赣公网安备 36010202000015号",
        "visitors": D(1980321),
        "visits": D(48228377),
        "info_total": D(10332),
        "info_overview": D(16),
        "info_news": D(9851),
        "info_catalog": D(465),
        "columns_maintained": D(15),
        "columns_new": D(5),
        "interp_total": D(14),
        "interp_materials": D(6),
        "interp_products": D(0),
        "interp_articles": D(8),
        "responses": D(2),
        "service_catalog": True,
        "registered_users": D(89),
        "services": D(12),
        "services_online": D(0),
        "cases_total": D(44153),
        "cases_person": D(44153),
        "cases_legal": D(0),
        "unified_platform": False,
        "messages_received": D(4071),
        "messages_closed": D(3920),
        "messages_days": D(3),
        "messages_public": D(1452),
        "survey_rounds": D(4),
        "survey_opinions": D(12),
        "survey_results": D(4),
        "interview_rounds": D(1),
        "interview_messages": D(156),
        "interview_answers": D(16),
        "smart_qa": False,
        "security_checks": D(2),
        "security_issues": D(55),
        "security_fixed": D(55),
        "security_monitoring": True,
        "security_drills": True,
        "security_officer": True,
        "has_media": True,
        "innovation": (),
        "innovation_other": None,
        "head": "谢为民",
        "reviewer": "万晓玲",
        "preparer": "张鹏",
        "phone": "83986497",
        "filed_on": "2019年1月9日",
    }
    values.update(overrides)
    return values


MEDIA = [
    MediaAccount("weibo", "南昌教育发布", D(3520), D(227800)),
    MediaAccount("wechat", "南昌教育", D(858), D(85646)),
]


def run(values=None, media=MEDIA, **kw):
    return validate_website(make_values() if values is None else values, media, **kw)


# The seed --------------------------------------------------------------------------------------


def test_seed_transcribes_every_field():
    assert list(WEBSITE_2018) == [f.code for f in WEBSITE_FORM.fields]


def test_seed_reads_through_the_demo_path_with_one_note():
    values, notes, media = seed()
    assert values["services"] == 12
    assert notes == {"services": "一次不跑“1”项、只跑一次11项"}
    assert values["site_type"] == "department"
    assert values["home_url"] == "http://edu.nc.gov.cn"
    assert media[0] == MediaAccount("weibo", "南昌教育发布", D(3520), D(226900))
    assert "部门网站" in WEBSITE_NOTES_2018["site_type"]


def test_seed_breaks_the_information_total_and_softly_the_interpretation_total():
    values, _, media = seed()
    findings = validate_website(values, media)

    assert ids(findings) == [("w22", "error"), ("w24", "warning")]
    assert (
        findings[0].message
        == "信息发布总数 12635 ≠ 概况类 16 + 政务动态 9851 + 信息公开目录 465 = 10332"
    )
    assert findings[0].cells == ("info_total", "info_overview", "info_news", "info_catalog")
    assert findings[1].message.startswith(
        "解读信息发布总数 6 ≠ 解读材料 6 + 解读产品 0 + 媒体评论文章 8 = 14"
    )
    assert "单位不同" in findings[1].message


def test_seed_holds_rules_23_and_25():
    values, _, media = seed()
    found = {f.rule_id for f in validate_website(values, media)}
    assert not {rule for rule in found if rule.startswith(("w23", "w25"))}


def test_seed_against_its_statistics_table_warns_on_responses_and_interviews():
    values, _, media = seed()
    findings = validate_website(values, media, statistics=(GB2014, STATS_2018))
    cross = [f for f in findings if f.rule_id in ("w27a", "w27b")]

    assert ids(cross) == [("w27a", "warning"), ("w27b", "warning")]
    assert cross[0].message == (
        "报表 回应公众关注热点或重大舆情数量 3 与统计表 二（一）回应公众关注热点或重大舆情数 2 不一致"
    )
    assert (
        cross[1].message == "报表 在线访谈期数 3 与统计表 二（二）2.政府网站在线访谈次数 1 不一致"
    )
    assert cross[0].previous_cells == ("t-r10",)


def test_seed_against_its_narrative_warns_on_the_weibo_followers():
    values, _, media = seed()
    findings = validate_website(values, media, narrative=WEBSITE_NARRATIVE_2018)
    weibo = [f for f in findings if f.rule_id == "w27c"]

    assert ids(weibo) == [("w27c", "warning")]
    assert weibo[0].message == "微博关注量：报表 22.69万（226900）与正文 22.78万（227800）不一致"
    assert weibo[0].cells == ("media-weibo-1-followers",)


def test_seed_as_printed_ticks_two_site_types_which_is_refused():
    printed = WEBSITE_2018 | {"site_type": ["政府门户网站", "部门网站"]}
    with pytest.raises(FieldError, match="网站类型：只能选择一项（已选：政府门户网站、部门网站）"):
        parse_demo_values(printed)


# Every rule quiet on a consistent form, firing on a crafted violation ----------------------------


# The 统计表 with 政务微博/微信 as many posts as the accounts (rule w27e–f is then quiet too).
SAME_POSTS = STATS_2018 | {"t-r7": "3520", "t-r8": "858"}


def test_consistent_form_has_no_findings():
    assert run(statistics=(GB2014, SAME_POSTS), narrative=WEBSITE_NARRATIVE_2018) == []


@pytest.mark.parametrize(
    ("rule_id", "severity", "overrides", "message"),
    [
        (
            "w22",
            "error",
            {"info_news": D(9850)},
            "信息发布总数 10332 ≠ 概况类 16 + 政务动态 9850 + 信息公开目录 465 = 10331",
        ),
        (
            "w23",
            "error",
            {"cases_legal": D(3)},
            "办件量总数 44153 ≠ 自然人办件量 44153 + 法人办件量 3 = 44156",
        ),
        (
            "w24",
            "warning",
            {"interp_products": D(1)},
            "解读信息发布总数 14 ≠ 解读材料 6 + 解读产品 1 + 媒体评论文章 8 = 15"
            "（单位不同：条、个、篇，不强制相等，请核对口径）",
        ),
        (
            "w25a",
            "warning",
            {"visitors": D(48228378)},
            "独立用户访问总量 48228378 > 网站总访问量 48228377",
        ),
        (
            "w25b",
            "warning",
            {"messages_closed": D(4072), "messages_public": D(1)},
            "办结留言数量 4072 > 收到留言数量 4071",
        ),
        ("w25c", "warning", {"messages_public": D(3921)}, "公开答复数量 3921 > 办结留言数量 3920"),
        ("w25d", "warning", {"security_fixed": D(56)}, "问题整改数量 56 > 发现问题数量 55"),
        ("w25e", "warning", {"survey_results": D(5)}, "公布调查结果期数 5 > 征集调查期数 4"),
        (
            "w25f",
            "warning",
            {"interview_answers": D(157)},
            "答复网民提问数量 157 > 网民留言数量 156",
        ),
        (
            "w25g",
            "warning",
            {"services_online": D(13)},
            "可全程在线办理政务服务事项数量 13 > 政务服务事项数量 12",
        ),
        (
            "w26a",
            "error",
            {"site_type": ("portal", "department")},
            "网站类型：只能选择一项（已选：政府门户网站、部门网站）",
        ),
        ("w26a", "error", {"site_type": None}, "网站类型：未选择（须选择一项）"),
        ("w26a", "error", {"site_type": "county"}, "网站类型：「county」不是可选项"),
        ("w26b", "error", {"smart_qa": None}, "是否提供智能问答：未选择（“是”“否”须选择一项）"),
        ("w26b", "error", {"has_media": ("yes", "no")}, "是否有移动新媒体：只能选择“是”或“否”"),
        (
            "w26c",
            "error",
            {"innovation": ("search", "other")},
            "创新发展：勾选了“其他”，请填写具体内容",
        ),
    ],
)
def test_each_rule_fires_on_a_crafted_violation(rule_id, severity, overrides, message):
    findings = run(make_values(**overrides))
    assert [(f.rule_id, f.severity, f.message) for f in findings] == [(rule_id, severity, message)]


def test_innovation_other_with_its_text_is_fine():
    values = make_values(innovation=("other",), innovation_other="政务服务“秒批”")
    assert run(values) == []


def test_each_unanswered_yes_no_item_is_its_own_finding():
    values = make_values(smart_qa=None, security_drills="")
    findings = run(values)
    assert [(f.rule_id, f.cells) for f in findings] == [
        ("w26b", ("smart_qa",)),
        ("w26b", ("security_drills",)),
    ]


def test_responses_and_interviews_are_compared_with_the_statistics_table():
    stats = SAME_POSTS | {"t-r10": "5", "t-r14": D(1)}
    findings = run(statistics=(GB2014, stats))
    assert [(f.rule_id, f.severity) for f in findings] == [("w27a", "warning")]
    assert findings[0].message == (
        "报表 回应公众关注热点或重大舆情数量 2 与统计表 二（一）回应公众关注热点或重大舆情数 5 不一致"
    )


def test_a_statistics_table_in_a_later_format_is_not_compared():
    assert run(make_values(responses=D(99)), statistics=(get_format("gb2019"), {})) == []


@pytest.mark.parametrize(
    ("sentence", "followers"),
    [
        ("“南昌教育发布”微博的粉丝数已有22.78万多。", D(227812)),  # 22.78万多 = 227800–227899
        ("微博关注量约22.8万。", D(227812)),  # rounds to the quoted precision
        ("微博粉丝数 227,800 人。", D(227800)),
        ("全年微博发布消息3520条。", D(1)),  # no follower figure quoted
        ("微博、微信粉丝共30万。", D(1)),  # both platforms in one sentence: ambiguous, not read
    ],
)
def test_narrative_figures_that_agree_or_are_not_about_followers_are_quiet(sentence, followers):
    media = [MediaAccount("weibo", "南昌教育发布", D(3520), followers)]
    assert run(media=media, narrative=sentence) == []


def test_wechat_subscribers_quoted_in_the_narrative_are_compared_too():
    findings = run(narrative="“南昌教育”微信公众号订阅数达9.1万。")
    assert [(f.rule_id, f.message) for f in findings] == [
        ("w27d", "微信订阅数：报表 8.5646万（85646）与正文 9.1万（91000）不一致")
    ]


def test_with_several_accounts_the_narrative_is_matched_by_account_name():
    media = [*MEDIA, MediaAccount("weibo", "南昌中招", D(10), D(500))]
    findings = run(media=media, narrative="“南昌中招”微博粉丝数已有600。")
    assert [(f.message, f.cells) for f in findings] == [
        ("微博关注量：报表 500 与正文 600 不一致", ("media-weibo-2-followers",))
    ]


# Blank policy, types, completeness --------------------------------------------------------------


def test_a_rule_skips_when_a_value_it_needs_is_blank_and_says_so_once():
    values = make_values(info_news=None, info_total=D(1), cases_legal=None, cases_total=D(1))
    findings = run(values)
    assert [(f.rule_id, f.severity, f.cells) for f in findings] == [
        ("required", "error", ("info_news",)),
        ("required", "error", ("cases_legal",)),
        ("unchecked", "hint", ("info_news", "cases_legal")),
    ]
    assert findings[2].message == (
        "无法核对：信息发布总数应等于概况类、政务动态、信息公开目录三项信息更新量之和；"
        "办件量总数应等于自然人办件量与法人办件量之和——政务动态信息更新量、法人办件量 空白"
    )


def test_every_blank_required_field_is_reported_by_part_of_the_form():
    values = make_values(visitors=None, sponsor="", info_news=None, info_catalog=None)
    findings = run(values)
    assert [(f.rule_id, f.severity, f.message) for f in findings if f.rule_id == "required"] == [
        ("required", "error", "主办单位、独立用户访问总量：未填写（无数据请填 0）"),
        (
            "required",
            "error",
            "信息发布（政务动态信息更新量、信息公开目录信息更新量）：未填写（无数据请填 0）",
        ),
    ]


def test_a_historical_forms_blank_field_is_a_warning_as_printed():
    findings = run(make_values(sponsor=""), historical=True)
    assert [(f.rule_id, f.severity, f.message) for f in findings] == [
        ("required", "warning", "主办单位：原表空白")
    ]


def test_weibo_and_wechat_posts_beside_the_statistics_table_are_only_a_hint():
    findings = run(statistics=(GB2014, STATS_2018))  # the seed's 56 and 45 vs 3520 and 858
    assert [(f.rule_id, f.severity, f.cells) for f in findings] == [
        ("w27e", "hint", ("media-weibo-1-posts",)),
        ("w27f", "hint", ("media-wechat-1-posts",)),
    ]
    assert findings[0].message == (
        "微博信息发布量：报表 3520 与统计表 一（二）3.政务微博公开政府信息数 56 不同"
        "（统计表只计政府信息，报表计全部发布，口径不同，供参考）"
    )


def test_innovation_may_be_left_unticked_at_submission():
    assert run(make_values(innovation=())) == []


def test_a_stored_value_of_the_wrong_type_is_reported_and_kept_out_of_the_rules():
    values = make_values(info_total="一万多", site_id="123")
    findings = run(values)
    assert [(f.rule_id, f.message) for f in findings] == [
        ("type", "政府网站标识码：应为10位数字"),
        # Text in a number field is what a 历史补录 filing keeps as printed (issue 15).
        (
            "printed",
            "信息发布总数：原表填写的是文字「一万多」，不是数字（已按原表记录，不参与核对）",
        ),
    ]


def test_stored_labels_count_as_ticks_too():
    assert run(make_values(site_type="部门网站", smart_qa="否")) == []


def test_rules_call_the_fields_by_their_declared_names():
    yes_no = [(f.code, f.name) for f in WEBSITE_FORM.fields if f.kind == "yesno"]
    assert list(YES_NO_ITEMS) == yes_no
    for rule in NUMBER_RULES:
        if isinstance(rule, AtMost):
            assert rule.small_name == WEBSITE_FORM.field(rule.small[0]).name
            assert rule.big_name == WEBSITE_FORM.field(rule.big[0]).name
        else:
            assert rule.total_name == WEBSITE_FORM.field(rule.total).name


def test_every_rule_id_is_unique_and_numbered_after_section_7_3():
    rule_ids = [rule.id for rule in WEBSITE_FORM.rules]
    assert len(rule_ids) == len(set(rule_ids))
    assert {rule.number for rule in WEBSITE_FORM.rules} == {f"w{n}" for n in range(22, 28)}
