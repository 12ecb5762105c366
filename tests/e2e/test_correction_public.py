"""A correction the public can check, in a real browser: the coordinator reopens the seed filing,
sees what the correction changes before pressing 公开, and a visitor reads the same list beside
the 更正说明 (and in the JSON)."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reports import selectors, services, websites, workflow
from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import AnnualReport
from reports.narrative import narrative_save

REASON = "表一主动公开政府信息数录入有误，更正为250条"


def correct_as_the_agency(report):
    """What 张鹏, 万晓玲 and 谢为民 do between the reopening and the publication."""
    staff = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=["zhangpeng", "wanxiaoling", "xieweimin"]
        )
    }
    filer = staff["zhangpeng"]
    services.report_save_values(
        report=report,
        by=filer,
        entries={"t-r1": ("250", ""), "t-r53": ("", ""), "t-r19": ("2", "含网上申请")},
    )
    form = report.website_forms.get(position=1)
    websites.website_form_save(form=form, by=filer, raw={"visits": "48228400"})
    text = report.sections.get(key="s9").body + "\n已于2019年3月更正年报中的录入错误。"
    narrative_save(report=report, by=filer, texts={"s9": text})
    # A 历史补录 keeps its original, broken sums: every finding is explained again.
    values, _ = selectors.report_values(report)
    findings = selectors.report_findings(report, values)
    explanations = {workflow.finding_key(f): "按原件录入。" for f in findings}
    workflow.report_submit(report=report, by=filer, explanations=explanations)
    workflow.report_pass(report=report, by=staff["wanxiaoling"])
    workflow.report_sign(report=report, by=staff["xieweimin"])


def test_a_visitor_reads_what_a_correction_changed(
    page, live_server, transactional_db, login, screenshot
):
    load_demo()
    report = AnnualReport.objects.get(agency__slug="nanchang-edu", period__year=2018)
    workflow_url = f"{live_server.url}/admin/reports/annualreport/{report.pk}/workflow/"

    # 主管部门 reopens the published filing for a correction.
    login("coordinator", DEMO_PASSWORD)
    page.goto(workflow_url)
    page.get_by_label("更正原因（必填，将作为更正说明公开）").fill(REASON)
    page.get_by_role("button", name="重新打开更正").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已重新打开更正")

    report.refresh_from_db()
    correct_as_the_agency(report)

    # Before pressing 公开, the coordinator sees what the public will be shown.
    page.goto(workflow_url)
    preview = page.locator(".correction-preview")
    expect(preview).to_contain_text("更正内容（与第1版相比，共6项）")
    row = preview.get_by_role("row", name="一（一）主动公开政府信息数")
    expect(row).to_contain_text("247")
    expect(row).to_contain_text("250")
    shot = screenshot("correction-preview")
    preview.screenshot(path=str(shot.with_name("correction-preview-list.png")))
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("已公开")

    # A visitor reads the corrected filing.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/reports/2018/nanchang-edu/")
    expect(page.locator(".correction")).to_contain_text(REASON)
    changes = page.get_by_role("region", name="更正内容").get_by_role("table")
    expect(page.locator(".correction-changes h2")).to_have_text("更正内容（与第1版相比，共6项）")
    cells = [
        [cell.inner_text() for cell in row.locator("th, td").all()]
        for row in changes.locator("tbody tr").all()
    ]
    assert cells == [
        ["一（一）主动公开政府信息数", "247", "250"],
        ["三（一）收到申请数", "1", "2"],
        ["三（一）收到申请数（备注）", "空", "含网上申请"],
        ["八（四）政府信息公开专项经费", "0.3", "空"],
        ["南昌市教育局·网站总访问量", "48228377", "48228400"],
        ["九、政府信息公开工作存在的主要问题及改进情况", "已修改"],
    ]
    shot = screenshot("public-correction")
    page.locator(".filing-meta").screenshot(path=str(shot.with_name("public-correction-meta.png")))

    data = page.request.get(f"{live_server.url}/reports/2018/nanchang-edu.json").json()
    assert data["changes_since"] == 1
    assert [(c["label"], c["old"], c["new"]) for c in data["changes"][:4]] == [
        (label, None if old == "空" else old, None if new == "空" else new)
        for label, old, new in cells[:4]
    ]
