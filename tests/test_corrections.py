"""Corrections the public can check: what a 更正 changed, on the public page, in the JSON and on
the coordinator's 流转 page before publishing it (`reports.corrections.diff`)."""

import datetime
import subprocess
import sys
from decimal import Decimal

import pytest
from django.urls import reverse

from reports import services, workflow
from reports.corrections import NOTE, TEXT, VALUE, Change, diff
from reports.filing_data import FilingData, Signature, WebsiteData
from reports.formats.website import MediaAccount
from reports.formats.website_values import typed
from reports.models import AnnualReport
from reports.narrative import narrative_save
from reports.selectors import filing_data
from tests.helpers import complete, put

S = AnnualReport.Status
T3_R1_C1 = "表三 一、本年新收政府信息公开申请数量·自然人"


# --- the pure diff -----------------------------------------------------------------------------


def filing(**overrides) -> FilingData:
    fields = {
        "agency_name": "甲局",
        "agency_slug": "jia",
        "agency_kind": "department",
        "contact": {},
        "year": 2021,
        "format_code": "gb2021",
        "status": "published",
        "revision": 1,
        "values": {"t3-r1-c1": Decimal(3), "t3-r1-c2": Decimal(0)},
        "notes": {},
        "websites": [],
        "narrative": {"s1": "总体情况。", "s5": "存在的问题。"},
    }
    fields.update(overrides)
    return FilingData(**fields)


def site(position=1, notes=None, media=(), **stored) -> WebsiteData:
    return WebsiteData(
        position, typed({"site_name": "甲局网站", **stored}), notes or {}, list(media)
    )


def test_an_unchanged_filing_has_no_changes():
    assert diff(filing(), filing(revision=2)) == []


def test_a_changed_cell_is_listed_with_its_label_and_both_values():
    after = filing(values={"t3-r1-c1": Decimal(5), "t3-r1-c2": Decimal(0)})
    assert diff(filing(), after) == [Change("t3-r1-c1", T3_R1_C1, "3", "5", VALUE)]


def test_blank_is_not_zero_in_a_change():
    before = filing(values={"t3-r1-c1": Decimal(0)})
    after = filing(values={"t3-r1-c2": Decimal(0)})
    changes = diff(before, after)
    assert [(c.code, c.old, c.new) for c in changes] == [
        ("t3-r1-c1", "0", ""),
        ("t3-r1-c2", "", "0"),
    ]
    assert changes[0].to_json() == {
        "code": "t3-r1-c1",
        "label": T3_R1_C1,
        "old": "0",
        "new": None,
        "kind": "value",
    }


def test_a_changed_note_is_listed_as_the_cells_note():
    after = filing(notes={"t3-r1-c1": "含转办件"})
    assert diff(filing(), after) == [
        Change("t3-r1-c1", f"{T3_R1_C1}（备注）", "", "含转办件", NOTE)
    ]


def test_website_fields_and_media_accounts_are_listed_under_the_site_name():
    weibo = MediaAccount("weibo", "甲局发布", Decimal(10), Decimal(200))
    before = filing(websites=[site(visits="100", service_catalog=True, media=[weibo])])
    after = filing(
        websites=[
            site(
                visits="120",
                service_catalog=False,
                notes={"visits": "含移动端"},
                media=[MediaAccount("weibo", "甲局发布", Decimal(12), Decimal(200))],
            )
        ]
    )
    assert [(c.code, c.label, c.old, c.new, c.kind) for c in diff(before, after)] == [
        ("w1:visits", "甲局网站·网站总访问量", "100", "120", VALUE),
        ("w1:visits", "甲局网站·网站总访问量（备注）", "", "含移动端", NOTE),
        ("w1:service_catalog", "甲局网站·是否发布服务事项目录", "☑是　☐否", "☐是　☑否", VALUE),
        (
            "w1:media",
            "甲局网站·移动新媒体",
            "微博「甲局发布」（发布量10，关注量200）",
            "微博「甲局发布」（发布量12，关注量200）",
            VALUE,
        ),
    ]


def test_a_website_form_added_by_the_correction_lists_each_field_it_fills():
    after = filing(websites=[site(position=1, visits="5")])
    assert [(c.code, c.old, c.new) for c in diff(filing(), after)] == [
        ("w1:site_name", "", "甲局网站"),
        ("w1:visits", "", "5"),
    ]


def test_the_signed_footer_is_no_correction_but_the_phone_is():
    """Who signed and when differ in every correction; each revision prints its own 签发信息."""
    signed = {
        "filer": Signature("张填", datetime.datetime(2022, 1, 5, tzinfo=datetime.UTC)),
        "reviewer": Signature("李审"),
        "head": Signature("王签"),
    }
    before = filing(websites=[site(preparer="张三", phone="0791-1234567")], **signed)
    after = filing(
        websites=[site(preparer="李四", filed_on="2022-02-01", phone="0791-7654321")],
        head=Signature("赵签"),
        filer=Signature("张填", datetime.datetime(2022, 2, 1, tzinfo=datetime.UTC)),
    )
    assert [(c.label, c.old, c.new) for c in diff(before, after)] == [
        ("甲局网站·联系电话", "0791-1234567", "0791-7654321"),
    ]


def test_a_rewritten_section_is_listed_as_text_and_spacing_is_no_change():
    after = filing(narrative={"s1": "\u3000\u3000总体情况。\n\n", "s5": "存在的问题已整改。"})
    assert diff(filing(), after) == [
        Change("n:s5", "五、存在的主要问题及改进情况", "存在的问题。", "存在的问题已整改。", TEXT)
    ]


def test_changes_come_cells_first_then_website_forms_then_the_text():
    after = filing(
        values={"t3-r1-c1": Decimal(3), "t3-r1-c2": Decimal(1), "t2-r1-issued": Decimal(1)},
        websites=[site(visits="1")],
        narrative={"intro": "开头。", "s1": "总体情况。", "s5": "存在的问题。"},
    )
    assert [c.code for c in diff(filing(), after)] == [
        "t2-r1-issued",
        "t3-r1-c2",
        "w1:site_name",
        "w1:visits",
        "n:intro",
    ]


def test_the_diff_is_pure():
    """Layer 2 of docs/decisions/0007: no database, no Django."""
    code = "import sys, reports.corrections; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- the public page and the JSON --------------------------------------------------------------


@pytest.fixture
def report(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


def publish_through_the_workflow(report, office):
    workflow.report_submit(report=report, by=office["filer"])
    workflow.report_pass(report=report, by=office["reviewer"])
    workflow.report_sign(report=report, by=office["head"])
    workflow.report_publish(report=report, by=office["head"])


def correct(report, office, *, reason="表三一栏录入有误", publish=True):
    """Reopen the published filing, change two cells (four totals follow), add a note to a
    third, rewrite a section (8 changes), then sign the correction (and publish it)."""
    workflow.report_reopen(report=report, by=office["coordinator"], reason=reason)
    report.refresh_from_db()
    services.report_save_values(
        report=report,
        by=office["filer"],
        entries={"t3-r1-c1": ("5", ""), "t3-r3_1-c1": ("5", ""), "t3-r1-c2": ("0", "另有电话咨询")},
    )
    narrative_save(report=report, by=office["filer"], texts={"s5": "问题已于年底整改完毕。"})
    if publish:
        publish_through_the_workflow(report, office)
    else:
        workflow.report_submit(report=report, by=office["filer"])
        workflow.report_pass(report=report, by=office["reviewer"])
        workflow.report_sign(report=report, by=office["head"])
    report.refresh_from_db()
    return report


@pytest.fixture
def corrected(report, office):
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    return correct(report, office)


def revision_data(report, number) -> FilingData:
    return FilingData.from_json(report.revisions.get(number=number).snapshot)


def test_a_corrected_filing_lists_every_change_beside_its_correction_note(client, corrected):
    page = client.get("/reports/2021/jia/").content.decode()
    note, listed = page.index("表三一栏录入有误"), page.index("更正内容（与第1版相比，共")
    assert note < listed < page.index('class="filing-document"')  # beside the note, above the text
    changes = page[listed : page.index("</section>", listed)]
    assert f'<th scope="row">{T3_R1_C1}</th>' in changes
    assert "<td>0</td>" in changes and "<td>5</td>" in changes
    # A note added: blank before, printed as 空.
    assert '<td class="blank">空</td>\n          <td>另有电话咨询</td>' in changes
    assert '五、存在的主要问题及改进情况</th>\n          <td colspan="2">已修改</td>' in changes
    assert "年底整改完毕" not in changes  # the text itself is the document's, below
    assert "共8项" in changes


def test_the_json_carries_the_same_changes_as_the_page(client, corrected):
    data = client.get("/reports/2021/jia.json").json()
    expected = diff(revision_data(corrected, 1), revision_data(corrected, 2))
    assert data["changes_since"] == 1
    assert data["changes"] == [change.to_json() for change in expected]
    assert data["changes"][0] == {
        "code": "t3-r1-c1",
        "label": T3_R1_C1,
        "old": "0",
        "new": "5",
        "kind": "value",
    }
    note = data["changes"][1]
    assert (note["code"], note["kind"], note["old"]) == ("t3-r1-c2", "note", None)
    assert data["changes"][-1]["new"] == "问题已于年底整改完毕。"


def test_a_first_publication_lists_no_changes(client, report, office):
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    assert "更正内容" not in client.get("/reports/2021/jia/").content.decode()
    data = client.get("/reports/2021/jia.json").json()
    assert (data["changes_since"], data["changes"]) == (None, [])


def test_each_revision_lists_what_it_corrected(client, corrected, office):
    workflow.report_reopen(report=corrected, by=office["coordinator"], reason="补充备注")
    corrected.refresh_from_db()
    services.report_save_values(
        report=corrected, by=office["filer"], entries={"t3-r1-c2": ("0", "")}
    )
    publish_through_the_workflow(corrected, office)

    latest = client.get("/reports/2021/jia.json").json()
    assert latest["changes_since"] == 2
    assert [(c["code"], c["old"], c["new"]) for c in latest["changes"]] == [
        ("t3-r1-c2", "另有电话咨询", None)
    ]
    second = client.get("/reports/2021/jia/v2.json").json()
    assert second["changes_since"] == 1 and len(second["changes"]) == 8
    assert "更正内容（与第1版相比，共8项）" in client.get("/reports/2021/jia/v2/").content.decode()
    assert "更正内容" not in client.get("/reports/2021/jia/v1/").content.decode()


@pytest.mark.parametrize("path", ["/reports/2021/jia/", "/reports/2021/jia.json"])
def test_a_corrected_filing_reads_no_more_than_a_first_publication(
    client, corrected, path, django_assert_max_num_queries
):
    # As many as /reports/2021/bureau-7/ and its JSON in tests/public (the previous snapshot
    # arrives with the revisions `public.filing` reads anyway).
    with django_assert_max_num_queries(4):
        assert client.get(path).status_code == 200


# --- the coordinator's preview -----------------------------------------------------------------


def workflow_url(report):
    return reverse("admin:reports_annualreport_workflow", args=[report.pk])


def test_the_coordinator_sees_the_changes_before_publishing_the_correction(client, report, office):
    put(report, S.APPROVED, office)
    workflow.report_publish(report=report, by=office["head"])
    correct(report, office, publish=False)
    assert report.status == S.APPROVED

    client.force_login(office["coordinator"])
    page = client.get(workflow_url(report)).content.decode()
    preview = page.index("更正内容（与第1版相比，共8项）")
    assert preview < page.index('name="action" value="publish"')
    assert f'<th scope="row">{T3_R1_C1}</th>' in page[preview:]
    expected = diff(revision_data(report, 1), filing_data(report))
    assert [c.label for c in expected][0] == T3_R1_C1 and len(expected) == 8

    client.post(workflow_url(report), {"action": "publish"})
    # Published: what the preview showed is what the public reads.
    public = client.get("/reports/2021/jia.json").json()["changes"]
    assert public == [change.to_json() for change in expected]
    assert "更正内容" not in client.get(workflow_url(report)).content.decode()


def test_a_first_filing_shows_no_correction_preview(client, report, office):
    put(report, S.APPROVED, office)
    client.force_login(office["coordinator"])
    assert "更正内容" not in client.get(workflow_url(report)).content.decode()
