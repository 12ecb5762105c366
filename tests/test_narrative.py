"""The report's 正文: sections per format, saving, drafting from the numbers, 提示, the page."""

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from reports import services
from reports.filing_data import FilingData
from reports.findings import narrative_findings
from reports.formats import FORMATS, narrative_format
from reports.formats.narrative import (
    contact_paragraph,
    draft_texts,
    legal_basis,
    opening_paragraphs,
)
from reports.models import AnnualReport, Membership, NarrativeSection, ReportValue, ValueChange
from reports.narrative import narrative_fill_drafts, narrative_save
from reports.selectors import filing_data

Role = Membership.Role
SEED_CONTACT = {
    "address": "南昌市会展路199号红谷大厦B座21楼",
    "postcode": "330038",
    "phone": "0791-83986497",
    "fax": "0791-83986484",
    "email": "ncsjyj@163.com",
    "website": "http://edu.nc.gov.cn",
}


def data(format_code="gb2021", year=2021, values=None, narrative=None, **overrides) -> FilingData:
    """A FilingData without a database: the checks are pure functions of it."""
    fields = {
        "agency_name": "测试局",
        "agency_slug": "test",
        "agency_kind": "department",
        "contact": {},
        "year": year,
        "format_code": format_code,
        "status": "draft",
        "revision": 1,
        "values": {code: Decimal(v) for code, v in (values or {}).items()},
        "notes": {},
        "websites": [],
        "narrative": narrative or {},
    }
    return FilingData(**{**fields, **overrides})


def rules(findings) -> list[str]:
    return [f.rule_id for f in findings]


# --- the sections as data --------------------------------------------------------------------


def test_the_old_format_has_the_seeds_nine_parts_and_the_table_after_them():
    fmt = narrative_format("gb2014")
    assert fmt.titles() == [
        "一、工作概述",
        "二、主动公开政府信息的情况",
        "三、依申请公开信息办理情况",
        "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "五、举报投诉数量",
        "六、依申请公开信息收取的费用情况",
        "七、机构建设和保障经费情况",
        "八、政府信息公开会议和培训情况",
        "九、政府信息公开工作存在的主要问题及改进情况",
    ]
    assert fmt.tables_after == ("t",)
    assert all(s.writable and not s.table for s in fmt.sections)


@pytest.mark.parametrize("code", ["gb2019", "gb2021"])
def test_the_unified_formats_print_tables_two_to_four_as_sections_two_to_four(code):
    fmt = narrative_format(code)
    assert fmt.titles() == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [(s.key, s.table) for s in fmt.sections if s.table] == [
        ("s2", "t2"),
        ("s3", "t3"),
        ("s4", "t4"),
    ]
    assert fmt.keys() == ("intro", "s1", "s5", "s6")
    assert [s.key for s in fmt.sections if s.required] == ["s1", "s5", "s6"]
    assert len(fmt.section("s1").aspects) == 5
    assert "政府信息公开平台建设" in fmt.section("s1").aspects[3]


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_every_format_carries_a_narrative_with_drafts_for_its_required_sections(fmt):
    narrative = fmt.narrative
    assert narrative.titles() and narrative.law
    required = {s.key for s in narrative.writable() if s.required}
    assert required <= set(narrative.drafts)
    assert narrative.quotes  # the figures the text may quote are checked against the tables


def test_legal_basis_before_2019_is_the_seeds_sentence():
    assert legal_basis(narrative_format("gb2014"), 2018) == (
        "本年度报告根据《中华人民共和国政府信息公开条例》（国务院令第492号，以下简称《条例》）编制。"
    )


@pytest.mark.parametrize(
    ("code", "year", "document"),
    [("gb2019", 2019, "（试行）》（国办公开办函〔2019〕60号）"), ("gb2021", 2022, "〔2021〕30号")],
)
def test_legal_basis_from_2019_cites_the_revised_regulation_and_the_format(code, year, document):
    text = legal_basis(narrative_format(code), year)
    assert "国务院令第711号" in text and "第五十条" in text and document in text
    assert f"统计期限自{year}年1月1日起至{year}年12月31日止" in text
    assert "政府信息公开行政复议和行政诉讼情况" in text  # the list reads as six items


def test_the_contact_paragraph_comes_from_the_agency_block():
    assert contact_paragraph("南昌市教育局", SEED_CONTACT) == (
        "本报告可在南昌市教育局网站（edu.nc.gov.cn）下载并查看。如对本报告有任何疑问，请与南昌市教育局"
        "联系（地址：南昌市会展路199号红谷大厦B座21楼；邮编：330038；电话：0791-83986497；"
        "传真：0791-83986484；电子邮箱：ncsjyj@163.com）。"
    )
    assert (
        contact_paragraph("甲局", {"phone": "123"})
        == "如对本报告有任何疑问，请与甲局联系（电话：123）。"
    )
    assert contact_paragraph("甲局", {}) == ""


def test_the_opening_continues_the_legal_basis_paragraph_as_the_seed_prints_it():
    paragraphs = opening_paragraphs(
        narrative_format("gb2014"), 2018, "南昌市教育局", SEED_CONTACT, "本年度报告由…组成。"
    )
    assert paragraphs[0].endswith("编制。本年度报告由…组成。")
    assert paragraphs[1].startswith("本报告可在南昌市教育局网站")


# --- saving ----------------------------------------------------------------------------------


@pytest.fixture
def filing(make_agency, make_report, make_period, make_user):
    agency = make_agency(name="测试局", website="http://test.example.gov.cn", phone="0791-1234567")
    report = make_report(agency=agency, period=make_period(2021))
    return report, make_user(agency=agency, role=Role.FILER)


def stored(report) -> dict:
    return dict(NarrativeSection.objects.filter(report=report).values_list("key", "body"))


def test_saving_stores_plain_text_and_audits_each_change(filing):
    report, filer = filing
    assert (
        narrative_save(report=report, by=filer, texts={"s1": "第一段\r\n\r\n第二段  ", "s5": "无"})
        == 2
    )
    assert stored(report) == {"s1": "第一段\n\n第二段", "s5": "无"}
    assert narrative_save(report=report, by=filer, texts={"s1": "改写", "s5": "无"}) == 1
    change = ValueChange.objects.filter(report=report, code="n:s1").first()
    assert (change.old_text, change.new_text, change.actor, change.source) == (
        "第一段\n\n第二段",
        "改写",
        filer,
        ValueChange.Source.FORM,
    )
    report.refresh_from_db()
    assert report.version == 2


def test_an_emptied_section_is_removed(filing):
    report, filer = filing
    narrative_save(report=report, by=filer, texts={"s6": "无"})
    narrative_save(report=report, by=filer, texts={"s6": "  \n "})
    assert stored(report) == {}


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"s1": "好", "s2": "表格部分"}, "为统计表，不能填写正文"),
        ({"s1": "好", "s9": "旧格式的章节"}, "未知章节"),
        ({"s1": "好", "s5": "长" * 20001}, "不能超过20000字"),
    ],
)
def test_a_refused_section_saves_nothing(filing, texts, message):
    report, filer = filing
    with pytest.raises(services.EntryError, match=message):
        narrative_save(report=report, by=filer, texts=texts)
    assert stored(report) == {}


def test_a_locked_filing_or_a_stale_form_saves_nothing(filing):
    report, filer = filing
    with pytest.raises(services.EditConflict):
        narrative_save(report=report, by=filer, texts={"s1": "甲"}, expected_version=7)
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    with pytest.raises(services.ReportLocked):
        narrative_save(report=report, by=filer, texts={"s1": "甲"})
    assert stored(report) == {}


# --- drafts ----------------------------------------------------------------------------------

T3_2021 = {
    "t3-r1-c7": 70,
    "t3-r2-c7": 2,
    "t3-r3_1-c7": 30,
    "t3-r3_2-c7": 5,
    **{f"t3-r3_3_{i}-c7": 1 if i == 1 else 0 for i in range(1, 9)},
    **{f"t3-r3_4_{i}-c7": 20 if i == 1 else 0 for i in range(1, 4)},
    **{f"t3-r3_5_{i}-c7": 8 if i == 2 else 0 for i in range(1, 6)},
    **{f"t3-r3_6_{i}-c7": 0 for i in range(1, 4)},
    "t3-r3_7-c7": 64,
    "t3-r4-c7": 6,
    **{f"t4-r1-c{i}": 0 for i in range(1, 16)},
    "t4-r1-c5": 1,
    "t4-r1-c10": 2,
    "t2-r2-issued": 5,
    "t2-r2-repealed": 1,
    "t2-r2-in_force": 40,
}


def test_drafting_fills_only_empty_sections_from_the_numbers(filing):
    report, filer = filing
    ReportValue.objects.bulk_create(
        ReportValue(report=report, code=code, value=v) for code, v in T3_2021.items()
    )
    narrative_save(report=report, by=filer, texts={"s5": "本机关写的问题。"})
    assert narrative_fill_drafts(report=report, by=filer) == ["s1", "s6"]
    texts = stored(report)
    assert texts["s5"] == "本机关写的问题。"
    assert "2021年，本机关共收到政府信息公开申请70件，上年结转2件；办结64件" in texts["s1"]
    assert (
        "不予公开1件、无法提供20件、不予处理8件、其他处理0件；结转下年度继续办理6件" in texts["s1"]
    )
    assert "被申请行政复议1件、被提起行政诉讼2件" in texts["s1"]
    assert "本机关制发行政规范性文件5件、废止1件，现行有效40件" in texts["s1"]
    assert "（三）政府信息管理" in texts["s1"].splitlines()
    assert "信息处理费" in texts["s6"]
    # A second click fills nothing and keeps what is there.
    assert narrative_fill_drafts(report=report, by=filer) == []
    assert stored(report) == texts


def test_a_draft_never_replaces_text_already_there(filing):
    report, filer = filing
    narrative_save(report=report, by=filer, texts={"s1": "已写"})
    narrative_save(report=report, by=filer, texts={"s1": "初稿", "s5": "初稿"}, only_empty=True)
    assert stored(report) == {"s1": "已写", "s5": "初稿"}


def test_a_draft_leaves_out_sentences_whose_figures_are_blank():
    drafts = draft_texts(data(values={"t3-r1-c7": 70}))
    assert "申请70件" not in drafts["s1"]
    assert "（二）依申请公开\n〔请填写：收到和处理政府信息公开申请的情况" in drafts["s1"]


def test_drafts_agree_with_the_tables_they_are_written_from(demo):
    seed = filing_data(AnnualReport.objects.get(period__year=2018))
    drafts = draft_texts(seed)
    assert "2018年度累计主动公开各类信息247条，其中主动公开规范性文件1条。" in drafts["s2"]
    assert "政务微博“南昌教育发布”全年发布信息3520条，关注量226900。" in drafts["s2"]
    assert "本机关共收到政府信息公开申请1件，办结1件" in drafts["s3"]
    assert "未发生因政府信息公开申请行政复议、提起行政诉讼的情况" in drafts["s4"]
    assert "共九部分组成" in drafts["intro"]
    drafted = dataclasses.replace(seed, narrative=drafts)
    assert rules(narrative_findings(drafted)) == ["n-draft", "n-draft"]  # s1, s9: 〔请填写〕 only


def test_a_government_is_asked_for_its_appraisal_results():
    department = draft_texts(data())["s1"]
    government = draft_texts(data(agency_kind="government"))["s1"]
    assert "责任追究结果" in government and "责任追究结果" not in department


# --- 提示 -------------------------------------------------------------------------------------


def test_the_seeds_narrative_quotes_its_weibo_followers_wrongly_and_nothing_else(demo):
    seed = filing_data(AnnualReport.objects.get(period__year=2018))
    findings = narrative_findings(seed)
    assert rules(findings) == ["w27c"]
    assert "报表 22.69万（226900）与正文 22.78万（227800）不一致" in findings[0].message
    assert findings[0].cells == ("w1:media-weibo-1-followers",)


def test_a_figure_in_the_text_that_contradicts_table_three_is_flagged():
    findings = narrative_findings(
        data(
            values=T3_2021, narrative={"s1": "2021年，本机关共收到政府信息公开申请68件，办结64件。"}
        )
    )
    quoted = [f for f in findings if f.rule_id == "n6"]
    assert len(quoted) == 1
    assert "收到政府信息公开申请68件" in quoted[0].message and " 70 " in quoted[0].message
    assert quoted[0].cells == ("n:s1", "t3-r1-c7")


@pytest.mark.parametrize(
    "sentence",
    [
        "共收到政府信息公开申请72件（含上年结转）。",  # new + carried over is a reading too
        "予以公开及部分公开35件。",
        "因政府信息公开工作被申请行政复议1件、被提起行政诉讼2件。",
        "信息公开类行政复议1件，诉讼2件。",
        "本机关共制发行政规范性文件5件。",
    ],
)
def test_figures_that_match_the_tables_are_not_flagged(sentence):
    findings = narrative_findings(data(values=T3_2021, narrative={"s1": sentence}))
    assert not [f for f in findings if f.rule_id in ("n6", "n12")]


@pytest.mark.parametrize(
    ("sentence", "rule", "cell"),
    [
        ("予以公开及部分公开258件。", "n6", "t3-r3_1-c7"),
        ("无法提供265件。", "n6", "t3-r3_4_1-c7"),
        ("被提起行政诉讼9件。", "n6", "t4-r1-c10"),
        ("本机关制发行政规范性文件3件。", "n12", "t2-r2-issued"),
    ],
)
def test_rules_6_and_12_name_the_table_cells(sentence, rule, cell):
    findings = narrative_findings(data(values=T3_2021, narrative={"s1": sentence}))
    assert [f.rule_id for f in findings if f.rule_id in ("n6", "n12")] == [rule]
    assert cell in next(f for f in findings if f.rule_id == rule).cells


def test_rule_12_in_2019_accepts_the_new_or_published_count():
    values = {"t2-r2-made": 4, "t2-r2-published": 3}
    ok = narrative_findings(data("gb2019", 2019, values, {"s1": "新制作规范性文件3件。"}))
    bad = narrative_findings(data("gb2019", 2019, values, {"s1": "新制作规范性文件9件。"}))
    assert "n12" not in rules(ok) and "n12" in rules(bad)


def test_the_old_format_checks_the_figures_the_seed_quotes(demo):
    seed = filing_data(AnnualReport.objects.get(period__year=2018))
    changed = dict(seed.narrative)
    changed["s2"] = changed["s2"].replace("247条", "248条")
    changed["s3"] = changed["s3"].replace("受理依申请公开信息1条", "受理依申请公开信息3条")
    findings = narrative_findings(dataclasses.replace(seed, narrative=changed))
    quoted = {f.cells[1]: f.message for f in findings if f.rule_id == "n6"}
    assert set(quoted) == {"t-r1", "t-r19"}
    assert "主动公开各类信息248条" in quoted["t-r1"] and "247" in quoted["t-r1"]


def test_required_sections_left_empty_are_flagged():
    assert [f.cells for f in narrative_findings(data()) if f.rule_id == "n-empty"] == [
        ("n:s1",),
        ("n:s5",),
        ("n:s6",),
    ]
    old = narrative_findings(data("gb2014", 2018))
    empty = [f.cells[0] for f in old if f.rule_id == "n-empty"]
    assert empty == ["n:s1", "n:s2", "n:s3", "n:s4", "n:s6", "n:s9"]  # 五、七、八 are optional
    assert "正文「一、工作概述」未填写" in old[0].message


def test_a_section_copied_from_last_year_is_flagged_whatever_its_number_then():
    problems = "一是公开意识有待加强；二是平台建设有待完善；三是队伍培训有待加强。"
    last_year = data("gb2014", 2018, narrative={"s9": problems, "s4": "无"})
    this_year = data("gb2019", 2019, narrative={"s5": problems, "s6": "无"})
    findings = narrative_findings(this_year, last_year)
    same = [f for f in findings if f.rule_id == "n-same"]
    assert [f.cells for f in same] == [("n:s5",)]  # 「无」 may repeat
    assert "与2018年度报告的内容完全相同" in same[0].message


def test_a_draft_placeholder_and_a_missing_aspect_are_flagged():
    text = "（一）主动公开\n……\n（二）依申请公开\n……\n（三）政府信息管理\n〔请填写：…〕"
    findings = narrative_findings(data(narrative={"s1": text}))
    assert {"n-draft", "n-aspects"} <= set(rules(findings))
    aspects = next(f for f in findings if f.rule_id == "n-aspects")
    assert "政府信息公开平台建设、监督保障" in aspects.message


def test_every_narrative_finding_is_a_warning_or_a_hint(demo):
    seed = filing_data(AnnualReport.objects.get(period__year=2018))
    findings = narrative_findings(data(values=T3_2021, narrative={"s1": "收到申请1件"}), seed)
    assert findings and {str(f.severity) for f in findings} == {"warning", "hint"}
    assert {f.rule_id for f in findings if f.severity == "hint"} == {"n-aspects"}


# --- the page ---------------------------------------------------------------------------------


def page_url(report, name="narrative"):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk])


def test_the_filer_writes_the_sections_on_one_page(client, filing):
    report, filer = filing
    client.force_login(filer)
    response = client.get(page_url(report))
    content = response.content.decode()
    assert response.status_code == 200
    for title in (
        "一、总体情况",
        "五、存在的主要问题及改进情况",
        "（五）监督保障",
        "国务院令第711号",
    ):
        assert title in content
    assert 'name="s:s1"' in content and 'name="s:s2"' not in content  # 二 is a table
    assert "本报告可在测试局网站（test.example.gov.cn）下载并查看" in content
    assert "正文「一、总体情况」未填写" in content  # the 提示 are on the page

    response = client.post(page_url(report), {"version": report.version, "s:s1": "总体情况。"})
    assert response.status_code == 302
    assert stored(report) == {"s1": "总体情况。"}


def test_a_conflicting_save_keeps_what_was_typed(client, filing):
    report, filer = filing
    client.force_login(filer)
    opened_at = report.version
    narrative_save(report=report, by=filer, texts={"s1": "别人先保存的"})
    response = client.post(page_url(report), {"version": opened_at, "s:s1": "我写的<b>正文</b>"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "保存冲突" in content
    assert "我写的&lt;b&gt;正文&lt;/b&gt;" in content
    assert stored(report) == {"s1": "别人先保存的"}


def test_generate_draft_saves_typed_text_then_fills_the_rest(client, filing):
    report, filer = filing
    client.force_login(filer)
    response = client.post(
        page_url(report, "narrative_draft"), {"version": report.version, "s:s5": "手写的问题"}
    )
    assert response.status_code == 302
    texts = stored(report)
    assert texts["s5"] == "手写的问题"
    assert texts["s1"].startswith("2021年，本机关深入贯彻落实《条例》")
    page = client.get(page_url(report)).content.decode()
    assert "已根据统计数据为2个空白部分生成初稿：一、总体情况、六、其他需要报告的事项" in page


def test_a_reviewer_reads_but_may_not_write(client, filing, make_user):
    report, _ = filing
    reviewer = make_user(agency=report.agency, role=Role.REVIEWER)
    client.force_login(reviewer)
    response = client.get(page_url(report))
    assert response.status_code == 200 and "<textarea" not in response.content.decode()
    assert client.post(page_url(report), {"s:s1": "改"}).status_code == 403
    assert client.post(page_url(report, "narrative_draft")).status_code == 403
    assert stored(report) == {}


def test_a_submitted_filing_is_read_only_for_its_filer(client, filing):
    report, filer = filing
    narrative_save(report=report, by=filer, texts={"s1": "已提交的正文"})
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    client.force_login(filer)
    content = client.get(page_url(report)).content.decode()
    assert "已提交的正文" in content and "<textarea" not in content
    assert client.post(page_url(report), {"s:s1": "改"}).status_code == 403
    assert stored(report) == {"s1": "已提交的正文"}


@pytest.mark.parametrize("name", ["narrative", "narrative_draft", "print", "docx", "pdf"])
def test_another_agencys_staff_get_404(client, filing, make_agency, make_user, name):
    report, _ = filing
    stranger = make_user(agency=make_agency(), role=Role.FILER)
    client.force_login(stranger)
    assert client.get(page_url(report, name)).status_code == 404
    assert client.post(page_url(report, name)).status_code == 404


def test_the_change_page_links_the_narrative_and_the_documents(client, filing):
    report, filer = filing
    client.force_login(filer)
    content = client.get(reverse("admin:reports_annualreport_change", args=[report.pk])).content
    for label in ("撰写正文", "打印预览", "下载Word", "下载PDF"):
        assert label in content.decode()


def test_the_seed_narrative_page_shows_its_weibo_warning_read_only(client, demo):
    from django.contrib.auth import get_user_model

    seed = AnnualReport.objects.get(period__year=2018)  # published by the demo
    client.force_login(get_user_model().objects.get(username="wanxiaoling"))
    content = client.get(page_url(seed)).content.decode()
    assert "微博关注量：报表 22.69万（226900）与正文 22.78万（227800）不一致" in content
    assert "粉丝数已有22.78万多" in content and "<textarea" not in content
