"""Public pages: only published revisions, bounded queries at scale, aggregates, open data."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from reports import public_index, services, workflow
from reports.filing_data import FilingData
from reports.models import (
    Agency,
    AnnualReport,
    PublicationWindow,
    PublishedRevision,
    ReportingPeriod,
)
from reports.models.agencies import rebuild_paths
from tests.helpers import complete, put

S = AnnualReport.Status


def snapshot(agency, year, format_code, values):
    return FilingData(
        agency_name=agency.name,
        agency_slug=agency.slug,
        agency_kind=agency.kind,
        contact={},
        year=year,
        format_code=format_code,
        status="published",
        revision=1,
        values={code: Decimal(v) for code, v in values.items()},
        notes={},
        websites=[],
        narrative={"s1": "总体情况。"},
    ).to_json()


@pytest.fixture
def big(db, django_user_model):
    """200 agencies under one city, each published for 5 years (2017–2021)."""
    publisher = django_user_model.objects.create(username="publisher")
    city = Agency.objects.create(name="大市人民政府", slug="big-city", kind=Agency.Kind.GOVERNMENT)
    agencies = Agency.objects.bulk_create(
        Agency(name=f"第{i}局", slug=f"bureau-{i}", parent=city) for i in range(200)
    )
    formats = {2017: "gb2014", 2018: "gb2014", 2019: "gb2019", 2020: "gb2019", 2021: "gb2021"}
    cell = {"gb2014": "t-r19", "gb2019": "t3-r1-c7", "gb2021": "t3-r1-c7"}
    periods = {}
    for year, code in formats.items():
        periods[year] = ReportingPeriod.objects.create(
            year=year,
            format_code=code,
            opens_on=datetime.date(year + 1, 1, 1),
            department_due=datetime.date(year + 1, 1, 31),
            government_due=datetime.date(year + 1, 3, 31),
        )
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(agency=a, period=p, status=S.PUBLISHED)
        for a in agencies
        for p in periods.values()
    )
    by_id = {a.pk: a for a in agencies}
    PublishedRevision.objects.bulk_create(
        PublishedRevision(
            report=r,
            number=1,
            published_at=datetime.datetime(r.period.year + 1, 1, 20, tzinfo=datetime.UTC),
            published_by=publisher,
            snapshot=snapshot(
                by_id[r.agency_id],
                r.period.year,
                r.period.format_code,
                {cell[r.period.format_code]: "2"},
            ),
        )
        for r in reports
    )
    # bulk_create skips Agency.save and workflow._freeze: the paths and the public index are
    # written here as `manage.py rebuild_public_index` writes them.
    rebuild_paths()
    public_index.rebuild()
    return {"city": city, "agencies": agencies}


def test_the_home_page_browses_by_year_and_finds_an_agency(client, big):
    page = client.get("/").content.decode()
    assert "/reports/2021/" in page and "200份报告" in page
    found = client.get("/", {"q": "第7局"}).content.decode()
    assert "/agencies/bureau-7/" in found and "5份" in found
    assert "/agencies/bureau-8/" not in found


def test_the_aggregate_sums_every_published_filing(client, big):
    data = client.get("/aggregate/2021.json").json()
    assert data["filings"] == 200
    assert data["cells"]["t3-r1-c7"]["sum"] == "400"
    page = client.get("/aggregate/2021/").content.decode()
    assert "200份" in page


def test_an_agency_page_follows_an_indicator_across_format_changes(client, big):
    page = client.get("/agencies/bureau-7/").content.decode()
    assert "收到政府信息公开申请数" in page
    for year in range(2017, 2022):
        assert f">{year}<" in page
    assert 'role="img"' in page


# --- only published revisions ------------------------------------------------------------


@pytest.fixture
def filing(office):
    return complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))


ALL_URLS = [
    "/reports/2021/jia/",
    "/reports/2021/jia.json",
    "/reports/2021/jia.csv",
    "/reports/2021/jia.docx",
    "/reports/2021/jia.pdf",
]


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.REVIEWED, S.APPROVED])
def test_unpublished_filings_are_404_everywhere(client, filing, office, status):
    put(filing, status, office)
    for url in ALL_URLS:
        assert client.get(url).status_code == 404, url
    assert client.get("/reports/2021/").status_code == 404
    assert "甲局" not in client.get("/").content.decode()


def test_a_returned_filing_is_404(client, filing, office):
    put(filing, S.SUBMITTED, office)
    workflow.report_return(report=filing, by=office["reviewer"], reason="请修改")
    assert client.get("/reports/2021/jia/").status_code == 404


def test_a_scheduled_publication_appears_only_when_its_time_comes(client, filing, office):
    put(filing, S.APPROVED, office)
    workflow.report_publish(
        report=filing, by=office["head"], at=timezone.now() + datetime.timedelta(hours=2)
    )
    assert client.get("/reports/2021/jia/").status_code == 404
    # Two hours later, as far as the portal can tell: the revision and its window (copied
    # from it when it was written) both say a minute ago.
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    PublishedRevision.objects.filter(report=filing).update(published_at=a_minute_ago)
    PublicationWindow.objects.filter(revision__report=filing).update(
        published_at=a_minute_ago, first_published_at=a_minute_ago
    )
    assert client.get("/reports/2021/jia/").status_code == 200


def test_a_correction_in_progress_keeps_the_published_revision_then_shows_the_correction(
    client, filing, office
):
    put(filing, S.APPROVED, office)
    workflow.report_publish(report=filing, by=office["head"])
    workflow.report_reopen(report=filing, by=office["coordinator"], reason="表三一栏录入有误")
    filing.refresh_from_db()
    services.report_save_values(
        report=filing, by=office["filer"], entries={"t3-r1-c1": ("5", ""), "t3-r3_1-c1": ("5", "")}
    )
    page = client.get("/reports/2021/jia/").content.decode()
    assert "更正说明" not in page  # the corrected revision is not out yet
    assert client.get("/reports/2021/jia.json").json()["cells"]["t3-r1-c1"]["value"] == "0"

    workflow.report_submit(report=filing, by=office["filer"])
    workflow.report_pass(report=filing, by=office["reviewer"])
    workflow.report_sign(report=filing, by=office["head"])
    workflow.report_publish(report=filing, by=office["head"])
    page = client.get("/reports/2021/jia/").content.decode()
    assert "更正说明" in page and "表三一栏录入有误" in page
    data = client.get("/reports/2021/jia.json").json()
    assert (data["revision"], data["cells"]["t3-r1-c1"]["value"]) == (2, "5")
    assert client.get("/reports/2021/jia/v1/").status_code == 200  # the old revision stays readable
    old = client.get("/reports/2021/jia/v1/").content.decode()
    assert "您正在查看旧版本" in old
    assert "/reports/2021/jia/v1.csv" in old  # its downloads are its own
    old_csv = client.get("/reports/2021/jia/v1.csv").content.decode("utf-8-sig")
    assert "t3-r1-c1" in old_csv and ",0," in old_csv.split("t3-r1-c1", 1)[1].splitlines()[0]


def test_on_time_and_late_against_the_due_date(client, filing, office):
    put(filing, S.APPROVED, office)
    workflow.report_publish(report=filing, by=office["head"])
    # Published today (2026), long after 2022-01-31: late.
    assert "逾期" in client.get("/reports/2021/").content.decode()


# --- open data -------------------------------------------------------------------------------


def test_filing_json_and_csv_hold_every_cell(client, demo):
    data = client.get("/reports/2018/nanchang-edu.json").json()
    assert data["cells"]["t-r1"] == {
        "label": "一（一）主动公开政府信息数",
        "unit": "条",
        "value": "247",
    }
    assert data["cells"]["t-r53"]["value"] == "0.3"
    assert data["websites"][0]["fields"]["info_total"] == "12635"
    assert data["signatures"]["head"]["name"] == "谢为民"
    rows = client.get("/reports/2018/nanchang-edu.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "表,单元格代码,指标,单位,数值,备注"
    assert any(
        row.startswith("政府信息公开情况统计表,t-r1,") and row.endswith(",247,") for row in rows
    )


def test_a_government_page_links_to_its_subtree_aggregate(client, demo):
    page = client.get("/agencies/nanchang/").content.decode()
    assert "本单位及所属单位汇总" in page
    assert "/aggregate/2018/?agency=nanchang" in page
    page = client.get("/agencies/nanchang-edu/").content.decode()
    assert "本单位及所属单位汇总" not in page  # a department has no subtree


def test_aggregate_for_a_subtree_counts_only_its_filings(client, demo):
    data = json.loads(client.get("/aggregate/2018.json?agency=nanchang").content)
    assert (data["filings"], data["scope"]) == (1, "nanchang")
    assert client.get("/aggregate/2018.json?agency=nowhere").status_code == 404
    assert client.get("/aggregate/1999/").status_code == 404


def test_open_data_page_documents_the_urls(client, demo):
    page = client.get("/open-data/").content.decode()
    assert "/reports/&lt;年度&gt;/&lt;单位标识&gt;.json" in page
    assert "/reports/2018/nanchang-edu.json" in page


def test_published_filing_and_aggregate_download_as_official_workbooks(client, demo):
    import io

    from openpyxl import load_workbook

    for url in ("/reports/2018/nanchang-edu.xlsx", "/aggregate/2018.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        numbers = {cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row}
        assert 247 in numbers  # 一（一）主动公开政府信息数
        assert any(isinstance(v, str) and "主动公开政府信息数" in v for v in numbers)


def test_docx_and_pdf_downloads_of_a_published_filing(client, demo):
    docx = client.get("/reports/2018/nanchang-edu.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get("/reports/2018/nanchang-edu.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_the_published_seed_shows_its_signatories_and_date_and_the_2019_draft_is_404(client, demo):
    page = client.get("/reports/2018/nanchang-edu/").content.decode()
    for name in ("谢为民", "万晓玲", "张鹏"):
        assert name in page
    assert "2019年1月9日" in page
    assert "2018年度累计主动公开各类信息247条" in page
    for url in ("/reports/2019/nanchang-edu/", "/reports/2019/nanchang-edu.json", "/reports/2019/"):
        assert client.get(url).status_code == 404
