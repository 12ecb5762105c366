"""The admin pages that read published reports into filings: one filing (upload or paste →
preview with the source beside each cell → apply) and, for a 主管部门, a zip of many."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from reports.models import Agency, AnnualReport, ImportRecord, Membership, ReportValue
from tests.backfill.scoring import CORPUS, TRUTH, load, score

PINGTAN = CORPUS / "2023_pingtan.txt"
JYT_2022 = "2022_hebei-jiaoyuting.txt"
KJT_2022 = "2022_hebei-kejiting.txt"  # its title is cut short: the user chooses


@pytest.fixture
def filing(make_report, make_agency, make_user):
    report = make_report(agency=make_agency(name="平潭综合实验区", slug="pingtan"), year=2023)
    filer = make_user(agency=report.agency, role=Membership.Role.FILER, username="pt-filer")
    return report, filer


def _url(name, report):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk])


def _values(report):
    return {row.code: row.value for row in ReportValue.objects.filter(report=report)}


def _preview(client, report, **post):
    if "file" not in post and "text" not in post:
        post["file"] = io.BytesIO(PINGTAN.read_bytes())
        post["file"].name = PINGTAN.name
    return client.post(_url("backfill", report), post)


def _confirm_fields(html: str) -> dict:
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("sha256", "version")
    }


def test_the_preview_shows_the_tables_with_the_source_beside_each_cell(client, filing):
    report, filer = filing
    client.force_login(filer)
    response = _preview(client, report)
    html = response.content.decode()
    assert response.status_code == 200 and "确认导入" in html
    cell = re.search(r'data-code="t3-r1-c1">(.*?)</td>', html, re.S).group(1)
    assert "80" in cell and "由连写数字拆分「801000081」" in cell
    assert "本年新收政府信息公开申请数量801000081" in cell  # the printed row, with its line
    flagged = re.search(r'data-code="t2-r2-issued">(.*?)</td>', html, re.S).group(1)
    assert "<strong>无法唯一拆分</strong>「77132470」" in flagged
    assert "留空的单元格" in html and "数据校验" in html
    assert _values(report) == {} and not ImportRecord.objects.exists()


def test_confirming_writes_what_was_previewed_and_goes_to_the_entry_page(client, filing):
    report, filer = filing
    client.force_login(filer)
    fields = _confirm_fields(_preview(client, report).content.decode())
    response = client.post(_url("backfill_confirm", report), fields, follow=True)
    assert response.redirect_chain[-1][0] == _url("tables", report)
    assert "已导入已发布报告「2023_pingtan.txt」" in response.content.decode()
    result = score(load(TRUTH / "2023_pingtan.json"), _values(report))
    assert result.wrong == [] and result.missed == []
    record = ImportRecord.objects.get(report=report)
    assert record.user == filer and record.kind == ImportRecord.Kind.REPORT


def test_a_pasted_text_is_previewed_and_imported_like_a_file(client, filing):
    report, filer = filing
    client.force_login(filer)
    text = PINGTAN.read_text(encoding="utf-8")
    fields = _confirm_fields(_preview(client, report, text=text).content.decode())
    client.post(_url("backfill_confirm", report), fields)
    assert _values(report)["t3-r1-c1"] == 80


def test_a_pasted_text_that_cannot_be_applied_stays_in_the_form(client, filing):
    report, filer = filing
    client.force_login(filer)
    text = PINGTAN.read_text(encoding="utf-8")
    fields = _confirm_fields(_preview(client, report, text=text).content.decode())
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 5)  # saved since
    response = client.post(_url("backfill_confirm", report), fields)
    html = response.content.decode()
    assert "在预览之后已被修改，本次未导入" in html
    assert "本年新收政府信息公开申请数量801000081" in html  # the text, in the textarea
    assert _values(report) == {}


def test_a_text_without_tables_or_sections_is_refused_and_kept(client, filing):
    report, filer = filing
    client.force_login(filer)
    html = _preview(client, report, text="这里没有年度报告。").content.decode()
    assert "没有找到" in html and "这里没有年度报告。" in html and "确认导入" not in html


def test_a_confirmation_for_another_file_is_refused(client, filing):
    report, filer = filing
    client.force_login(filer)
    fields = _confirm_fields(_preview(client, report).content.decode())
    response = client.post(_url("backfill_confirm", report), {**fields, "sha256": "0" * 64})
    assert "待确认的导入已失效" in response.content.decode() and _values(report) == {}


def test_a_confirmation_without_a_preview_is_refused(client, filing):
    report, filer = filing
    client.force_login(filer)
    response = client.post(
        _url("backfill_confirm", report), {"sha256": "0" * 64, "version": report.version}
    )
    assert "待确认的导入已失效" in response.content.decode() and _values(report) == {}


def test_a_file_over_the_upload_cap_is_refused_before_reading(client, filing, settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1000
    report, filer = filing
    client.force_login(filer)
    html = _preview(client, report).content.decode()
    assert "超过了 1 KB 的上限" in html and "确认导入" not in html


def test_a_file_that_is_no_report_is_refused_in_chinese(client, filing):
    report, filer = filing
    client.force_login(filer)
    upload = io.BytesIO(b"PK\x03\x04")
    upload.name = "book.xlsx"
    html = _preview(client, report, file=upload).content.decode()
    assert "不是可读取的报告文件" in html


def test_a_locked_filing_is_refused_with_the_reason(client, filing):
    report, filer = filing
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    client.force_login(filer)
    response = client.get(_url("backfill", report), follow=True)
    assert "不能导入已发布报告" in response.content.decode()
    assert "内容已锁定" in response.content.decode()


def test_a_filing_locked_between_preview_and_confirmation_is_refused(client, filing):
    report, filer = filing
    client.force_login(filer)
    fields = _confirm_fields(_preview(client, report).content.decode())
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    response = client.post(_url("backfill_confirm", report), fields, follow=True)
    assert "内容已锁定" in response.content.decode() and _values(report) == {}


def test_someone_who_may_not_edit_the_filing_gets_403(client, filing, make_user):
    report, _ = filing
    reviewer = make_user(agency=report.agency, role=Membership.Role.REVIEWER)
    client.force_login(reviewer)
    assert client.get(_url("backfill", report)).status_code == 403
    assert _preview(client, report).status_code == 403


def test_the_filings_page_links_the_import_for_its_filer_only(client, filing, make_user):
    report, filer = filing
    client.force_login(filer)
    assert _url("backfill", report) in client.get(_url("change", report)).content.decode()
    client.force_login(make_user(agency=report.agency, role=Membership.Role.REVIEWER))
    assert _url("backfill", report) not in client.get(_url("change", report)).content.decode()


# --- bulk -------------------------------------------------------------------------------


@pytest.fixture
def hebei(make_agency, make_period, make_user):
    province = make_agency(name="河北省人民政府", slug="hebei", kind=Agency.Kind.GOVERNMENT)
    jyt = make_agency(name="河北省教育厅", slug="jyt", parent=province)
    kjt = make_agency(name="河北省科学技术厅", slug="kjt", parent=province)
    make_period(2022)
    coordinator = make_user(agency=province, role=Membership.Role.COORDINATOR, username="hb")
    return {"jyt": jyt, "kjt": kjt, "coordinator": coordinator}


BULK = reverse("admin:reports_annualreport_backfill_bulk")
BULK_CONFIRM = reverse("admin:reports_annualreport_backfill_bulk_confirm")


def _zip(*names) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(CORPUS / name, name)
    buffer.seek(0)
    buffer.name = "reports.zip"
    return buffer


def _form(html: str) -> dict:
    """The hidden and checked inputs of the bulk preview's form, as a browser would post."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(
        {name: "1" for name in re.findall(r'type="checkbox" name="(apply-\d+)" value="1"', html)}
    )
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_the_bulk_preview_lists_each_files_match_and_summary_and_writes_nothing(client, hebei):
    client.force_login(hebei["coordinator"])
    html = client.post(BULK, {"file": _zip(JYT_2022, KJT_2022)}).content.decode()
    assert "可导入1个，待确认1个" in html
    assert "河北省教育厅 2022年度" in html and "将新建「河北省教育厅」2022年度的报告" in html
    assert "未能从报告标题中认出单位和年度，请选择。" in html
    assert not AnnualReport.objects.exists()


def test_the_ticked_files_are_imported_each_all_or_nothing(client, hebei):
    client.force_login(hebei["coordinator"])
    html = client.post(BULK, {"file": _zip(JYT_2022, KJT_2022)}).content.decode()
    response = client.post(BULK_CONFIRM, _form(html))
    assert "勾选1个文件，已导入1个" in response.content.decode()
    report = AnnualReport.objects.get(agency=hebei["jyt"])
    assert score(load(TRUTH / "2022_hebei-jiaoyuting.json"), _values(report)).wrong == []
    assert not AnnualReport.objects.filter(agency=hebei["kjt"]).exists()


def test_a_file_the_user_matched_is_previewed_again_before_it_can_be_imported(client, hebei):
    client.force_login(hebei["coordinator"])
    html = client.post(BULK, {"file": _zip(KJT_2022)}).content.decode()
    fields = {**_form(html), "agency-0": hebei["kjt"].pk, "year-0": "2022"}
    # Choosing then importing at once imports nothing: the file was not previewed so.
    response = client.post(BULK_CONFIRM, fields)
    assert "没有勾选要导入的文件" in response.content.decode()
    assert not AnnualReport.objects.exists()
    client.post(BULK, {"file": _zip(KJT_2022)})
    html = client.post(BULK, {**fields, "action": "rematch"}).content.decode()
    assert "河北省科学技术厅 2022年度" in html and "（您选择的）" in html
    response = client.post(BULK_CONFIRM, _form(html))
    assert "已导入1个" in response.content.decode()
    assert _values(AnnualReport.objects.get(agency=hebei["kjt"]))


def test_a_file_whose_filing_moved_since_the_preview_is_not_imported(client, hebei, make_report):
    report = make_report(agency=hebei["jyt"], year=2022)
    client.force_login(hebei["coordinator"])
    html = client.post(BULK, {"file": _zip(JYT_2022)}).content.decode()
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 1)
    response = client.post(BULK_CONFIRM, _form(html))
    assert "与预览时的对应或报告版本不同，未导入" in response.content.decode()
    assert _values(report) == {}


def test_a_zip_with_a_path_leaving_it_is_refused(client, hebei):
    client.force_login(hebei["coordinator"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.txt", "x")
    buffer.seek(0)
    buffer.name = "evil.zip"
    html = client.post(BULK, {"file": buffer}).content.decode()
    assert "指向压缩包之外" in html and not AnnualReport.objects.exists()


def test_only_a_coordinator_may_bulk_import(client, hebei, make_user):
    filer = make_user(agency=hebei["jyt"], role=Membership.Role.FILER)
    client.force_login(filer)
    assert client.get(BULK).status_code == 403
    assert client.post(BULK, {"file": _zip(JYT_2022)}).status_code == 403
    changelist = reverse("admin:reports_annualreport_changelist")
    assert BULK not in client.get(changelist).content.decode()
    client.force_login(hebei["coordinator"])
    assert BULK in client.get(changelist).content.decode()
