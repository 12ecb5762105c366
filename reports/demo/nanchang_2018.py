"""The seed filing's 《南昌市政府信息公开情况统计表（2018年度）》 (南昌市教育局), as printed.

Keys are gb2014 cell codes (``t-<row>``, rows numbered as in formats.md §2.2), values the printed
figures as strings. Every value cell is filled. The figures are kept exactly as printed,
inconsistencies included: 收到申请数 1 vs 当面+传真+网络+信函 0 (rule 13) and 申请答复数 1 vs
items 1–8 = 2 (rule 15a).
"""

FORMAT_CODE = "gb2014"
AGENCY = "南昌市教育局"
YEAR = 2018

STATS_2018: dict[str, str] = {
    # 一、主动公开情况
    "t-r1": "247",  # （一）主动公开政府信息数
    "t-r2": "1",  # 其中：主动公开规范性文件数
    "t-r3": "1",  # 制发规范性文件总数
    "t-r5": "0",  # 1.政府公报
    "t-r6": "173",  # 2.政府网站
    "t-r7": "56",  # 3.政务微博
    "t-r8": "45",  # 4.政务微信
    "t-r9": "0",  # 5.其他方式
    # 二、回应解读情况
    "t-r10": "2",  # （一）回应公众关注热点或重大舆情数
    "t-r12": "1",  # 1.参加或举办新闻发布会总次数
    "t-r13": "1",  # 其中：主要负责同志参加新闻发布会次数
    "t-r14": "1",  # 2.政府网站在线访谈次数
    "t-r15": "1",  # 其中：主要负责同志参加政府网站在线访谈次数
    "t-r16": "8",  # 3.政策解读稿件发布数
    "t-r17": "1850",  # 4.微博微信回应事件数
    "t-r18": "0",  # 5.其他方式回应事件数
    # 三、依申请公开情况
    "t-r19": "1",  # （一）收到申请数
    "t-r20": "0",  # 1.当面申请数
    "t-r21": "0",  # 2.传真申请数
    "t-r22": "0",  # 3.网络申请数
    "t-r23": "0",  # 4.信函申请数
    "t-r24": "1",  # （二）申请办结数
    "t-r25": "1",  # 1.按时办结数
    "t-r26": "0",  # 2.延期办结数
    "t-r27": "1",  # （三）申请答复数
    "t-r28": "1",  # 1.属于已主动公开范围数
    "t-r29": "1",  # 2.同意公开答复数
    "t-r30": "0",  # 3.同意部分公开答复数
    "t-r31": "0",  # 4.不同意公开答复数
    "t-r32": "0",  # 其中：涉及国家秘密
    "t-r33": "0",  # 涉及商业秘密
    "t-r34": "0",  # 涉及个人隐私
    "t-r35": "0",  # 危及国家安全、公共安全、经济安全和社会稳定
    "t-r36": "0",  # 不是《条例》所指政府信息
    "t-r37": "0",  # 法律法规规定的其他情形
    "t-r38": "0",  # 5.不属于本行政机关公开数
    "t-r39": "0",  # 6.申请信息不存在数
    "t-r40": "0",  # 7.告知作出更改补充数
    "t-r41": "0",  # 8.告知通过其他途径办理数
    # 四、行政复议数量
    "t-s4": "0",
    "t-r42": "0",  # （一）维持具体行政行为数
    "t-r43": "0",  # （二）被依法纠错数
    "t-r44": "0",  # （三）其他情形数
    # 五、行政诉讼数量
    "t-s5": "0",
    "t-r45": "0",  # （一）维持具体行政行为或者驳回原告诉讼请求数
    "t-r46": "0",  # （二）被依法纠错数
    "t-r47": "0",  # （三）其他情形数
    "t-s6": "0",  # 六、举报投诉数量
    "t-s7": "0",  # 七、依申请公开信息收取的费用（万元）
    # 八、机构建设和保障经费情况
    "t-r48": "1",  # （一）政府信息公开工作专门机构数
    "t-r49": "1",  # （二）设置政府信息公开查阅点数
    "t-r50": "21",  # （三）从事政府信息公开工作人员数
    "t-r51": "0",  # 1.专职人员数
    "t-r52": "21",  # 2.兼职人员数
    "t-r53": "0.3",  # （四）政府信息公开专项经费（万元）
    # 九、政府信息公开会议和培训情况
    "t-r54": "1",  # （一）召开政府信息公开工作会议或专题会议数
    "t-r55": "1",  # （二）举办各类培训班数
    "t-r56": "21",  # （三）接受培训人员数
}


# 《政府网站工作年度报表（2018年度）》 of edu.nc.gov.cn, the same seed: what a person types, keyed by
# the field codes of reports.formats.website, in printed order. The texts are kept as printed;
# read them with `website_demo.parse_demo_values`, which keeps the number of a text such as
# 「一次不跑“1”项、只跑一次11项」 (12) and puts the text in the cell's note (formats.md §5.2).
# The printed figures break rule 22 (信息发布 12635 ≠ 16 + 9851 + 465) and, softly, 24 and 27.
WEBSITE_2018: dict[str, object] = {
    "filer": "南昌市教育局",
    "site_name": "南昌市教育局",
    "home_url": "edu.nc.gov.cn",
    "sponsor": "南昌市教育局办公室",
    # The seed ticks both 政府门户网站 and 部门网站 (rule 26). edu.nc.gov.cn is the site of one
    # department of 南昌市; the city's portal is www.nc.gov.cn (named in the report's opening).
    "site_type": "部门网站",
    "site_id": "3601000051",
    "icp": "赣ICP备05007513号",
    "police_record": "赣公网安备 36010202000015号",
    "visitors": "1980321",
    "visits": "48228377",
    "info_total": "12635",
    "info_overview": "16",
    "info_news": "9851",
    "info_catalog": "465",
    "columns_maintained": "15",
    "columns_new": "5",
    "interp_total": "6",
    "interp_materials": "6",
    "interp_products": "0",
    "interp_articles": "8",
    "responses": "3",
    "service_catalog": "是",
    "registered_users": "89",
    "services": "一次不跑“1”项、只跑一次11项",
    "services_online": "0项",
    "cases_total": "44153",
    "cases_person": "44153",
    "cases_legal": "0",
    "unified_platform": "否",
    "messages_received": "4071",
    "messages_closed": "3920",
    "messages_days": "3天",
    "messages_public": "1452",
    "survey_rounds": "4",
    "survey_opinions": "12",
    "survey_results": "4",
    "interview_rounds": "3",
    "interview_messages": "156",
    "interview_answers": "16",
    "smart_qa": "否",
    "security_checks": "2",
    "security_issues": "55",
    "security_fixed": "55",
    "security_monitoring": "是",
    "security_drills": "是",
    "security_officer": "是",
    "has_media": "是",
    "innovation": (),  # no box ticked
    "innovation_other": "",
    "head": "谢为民",
    "reviewer": "万晓玲",
    "preparer": "张鹏",
    "phone": "83986497",
    "filed_on": "2019年1月9日",
}

# 移动新媒体: one 微博 and one 微信 account; the 其他 line is empty.
WEBSITE_MEDIA_2018: list[dict[str, str]] = [
    {"platform": "weibo", "name": "南昌教育发布", "posts": "3520", "followers": "22.69万"},
    {"platform": "wechat", "name": "南昌教育", "posts": "858", "followers": "85646"},
]

# Notes a reviewer sees next to a cell, besides the printed texts parse_demo_values keeps.
WEBSITE_NOTES_2018: dict[str, str] = {
    "site_type": "原表同时勾选了“政府门户网站”和“部门网站”；本站是南昌市教育局的部门网站，"
    "市政府门户网站为 www.nc.gov.cn，按“部门网站”录入。",
}

# The sentence of the seed's report that quotes the 微博's followers (rule w27c).
WEBSITE_NARRATIVE_2018 = (
    "“南昌教育发布”微博继续发挥南昌教育“自媒体”的强大作用，指定专人负责博文的发布和回复工作，"
    "做到教育信息及时发布，网友诉情第一时间反馈，全年发布消息3520条，回应诉求440余件，"
    "至2018年年底，“南昌教育发布”微博的粉丝数已有22.78万多，将教育宣传直接送到每一位市民手中，"
    "极大地提升了南昌教育宣传的针对性、时效性和影响力。"
)
