"""The print view and the narrative page in a real browser (screenshots in artifacts/screenshots/)."""

import re
import subprocess

from playwright.sync_api import expect

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport, NarrativeSection


def test_the_seed_print_view_shows_its_narrative_and_prints_on_numbered_a4(
    page, live_server, transactional_db, login, screenshot, tmp_path
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2018)
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("link", name="打印预览").click()
    document = page.locator("article.filing-document")
    expect(document).to_contain_text("2018年度累计主动公开各类信息247条")
    expect(
        page.get_by_role("heading", name="九、政府信息公开工作存在的主要问题及改进情况")
    ).to_be_visible()
    expect(document).to_contain_text("政府信息公开情况统计表（2018年度）")
    expect(page.locator(".doc-signoff")).to_contain_text("2019年1月9日")
    screenshot("print-view")

    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    screenshot("print-view-print-media")

    # What the browser's own 打印 produces: A4 pages numbered by the @page rules.
    pdf = tmp_path / "browser-print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "pts (A4)" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"-\s?1\s?-", text) and re.search(r"-\s?2\s?-", text)
    assert "2018年度累计主动公开各类信息247条" in text.replace("\n", "")


def test_the_filer_drafts_the_narrative_from_the_numbers_and_edits_it(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(period__year=2019)  # a draft in the 2019 format
    login("zhangpeng", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    page.get_by_role("link", name="撰写正文").click()
    expect(page.locator(".findings-warnings")).to_contain_text("正文「一、总体情况」未填写")

    page.get_by_label("五、存在的主要问题及改进情况", exact=True).fill("一是公开意识有待加强。")
    page.get_by_role("button", name="生成初稿").click()
    expect(page.get_by_text("已根据统计数据为")).to_be_visible()
    overall = page.get_by_label("一、总体情况", exact=True)
    expect(overall).to_have_value(re.compile(r"^2019年，本机关深入贯彻落实《条例》"))
    expect(page.get_by_label("五、存在的主要问题及改进情况", exact=True)).to_have_value(
        "一是公开意识有待加强。"
    )
    expect(page.locator(".findings-warnings")).to_contain_text("〔请填写〕")
    screenshot("narrative-draft")

    overall.fill("2019年，本机关认真贯彻落实《条例》。<b>不是标记</b>")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    body = NarrativeSection.objects.get(report=report, key="s1").body
    assert body == "2019年，本机关认真贯彻落实《条例》。<b>不是标记</b>"
