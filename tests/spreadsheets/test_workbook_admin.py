"""The workbook pages in the admin: who may download and upload, preview → confirm, history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from reports.models import AnnualReport, ImportRecord, ValueChange
from reports.spreadsheets import layout
from reports.spreadsheets.workbook import export_workbook

from .conftest import counts, fill, lock, open_book, save_book, stored


def url(name, report):
    return reverse(f"admin:reports_annualreport_{name}", args=[report.pk])


def edited_workbook(report, value=42) -> bytes:
    book = open_book(export_workbook(report))
    book["表四"]["A6"] = value
    return save_book(book)


def post_file(client, report, data, name="填好的.xlsx"):
    return client.post(url("workbook_upload", report), {"file": SimpleUploadedFile(name, data)})


def confirmation(preview_response) -> dict:
    """What the preview's 确认导入 form posts: the file's SHA-256 and the filing's version."""
    preview = preview_response.context["preview"]
    return {"sha256": preview.upload.sha256, "version": preview.version}


def test_filer_sees_the_tools_and_downloads_a_prefilled_and_a_blank_workbook(client, world):
    report = world["report_a"]
    filled = fill(report)
    client.force_login(world["filer"])
    page = client.get(url("change", report)).content.decode()
    assert "下载工作簿" in page and "上传工作簿" in page

    response = client.get(url("workbook", report))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "jia-2021" in response["Content-Disposition"]
    assert open_book(response.content)["表四"]["A6"].value == filled["t4-r1-c1"][0]
    blank = client.get(url("workbook", report), {"blank": "1"})
    assert open_book(blank.content)["表四"]["A6"].value is None


def test_upload_preview_then_confirm_applies_and_records_the_import(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    response = post_file(client, report, edited_workbook(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert "将要修改：1处" in page and "表四!A6" in page and "确认导入" in page
    assert not ValueChange.objects.filter(report=report).exists()  # a preview writes nothing

    assert f'name="version" value="{report.version}"' in page
    sha, posted = response.context["preview"].upload.sha256, confirmation(response)
    response = client.post(url("workbook_confirm", report), posted, follow=True)
    assert "已导入工作簿「填好的.xlsx」，修改了1处。" in response.content.decode()
    assert stored(report)["t4-r1-c1"][0] == 42
    record = ImportRecord.objects.get(report=report)
    assert (record.user, record.sha256, record.cells_changed) == (world["filer"], sha, 1)
    change = ValueChange.objects.get(report=report)
    assert (change.source, change.actor) == (ValueChange.Source.IMPORT, world["filer"])
    history = client.get(url("history", report)).content.decode()
    assert "导入工作簿「填好的.xlsx」" in history
    assert LogEntry.objects.filter(object_id=str(report.pk)).exists()
    # The staged file is gone: confirming twice does nothing.
    again = client.post(url("workbook_confirm", report), posted, follow=True)
    assert "待确认的上传已失效" in again.content.decode()
    assert ImportRecord.objects.count() == 1


def test_a_problem_shows_on_the_preview_without_a_confirm_button(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    response = post_file(client, report, edited_workbook(report, "十二"))
    page = response.content.decode()
    assert "不能导入：发现1处问题" in page
    assert "表四!A6（表四 行政复议·结果维持）：「十二」不是数字" in page
    assert "确认导入" not in page
    assert f"workbook-upload-{report.pk}" not in client.session


def test_a_save_between_preview_and_confirm_makes_the_confirm_refuse(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    response = post_file(client, report, edited_workbook(report))
    posted = confirmation(response)
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 5)
    before = counts(report)
    response = client.post(url("workbook_confirm", report), posted, follow=True)
    assert (
        "「甲局」2021年度的报告在预览之后已被修改，本次未导入。"
        "请重新上传，查看最新的修改预览。" in response.content.decode()
    )
    assert counts(report) == before


def test_a_confirmation_without_the_previewed_version_is_refused(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    response = post_file(client, report, edited_workbook(report))
    posted = confirmation(response)
    before = counts(report)
    refusals = {
        None: "未导入：确认表单缺少版本信息，无法确认与预览时的报告一致。请重新上传。",
        "": "未导入：确认表单缺少版本信息",
        "abc": "未导入：确认表单缺少版本信息",
        "-1": "未导入：确认表单缺少版本信息",
        posted["version"] + 1: "待确认的上传已失效",
    }
    for version, message in refusals.items():
        data = {"sha256": posted["sha256"]} | ({} if version is None else {"version": version})
        page = client.post(url("workbook_confirm", report), data, follow=True).content.decode()
        assert message in page
        assert counts(report) == before
    client.post(url("workbook_confirm", report), posted)
    assert stored(report)["t4-r1-c1"][0] == 42


def test_a_forged_confirmation_is_refused(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    posted = confirmation(post_file(client, report, edited_workbook(report)))
    response = client.post(
        url("workbook_confirm", report), posted | {"sha256": "0" * 64}, follow=True
    )
    assert "待确认的上传已失效" in response.content.decode()
    assert not ValueChange.objects.filter(report=report).exists()
    assert client.get(url("workbook_confirm", report)).status_code == 405


@pytest.mark.parametrize("name", ["workbook", "workbook_upload", "workbook_confirm"])
def test_another_agencys_filing_is_404_on_every_workbook_url(client, world, name):
    client.force_login(world["filer"])
    response = client.post(url(name, world["report_b"]), {"sha256": "x"})
    assert response.status_code == 404
    assert client.get(url(name, world["report_b"])).status_code == 404  # confirm's GET too


def test_a_reviewer_may_download_but_not_upload(client, world):
    report = world["report_a"]
    client.force_login(world["reviewer"])
    assert client.get(url("workbook", report)).status_code == 200
    assert "上传工作簿" not in client.get(url("change", report)).content.decode()
    assert client.get(url("workbook_upload", report)).status_code == 403
    assert post_file(client, report, edited_workbook(report)).status_code == 403
    assert not ValueChange.objects.filter(report=report).exists()


def test_a_locked_filing_refuses_upload_and_confirm(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    posted = confirmation(post_file(client, report, edited_workbook(report)))
    lock(report)
    before = counts(report)
    response = post_file(client, report, edited_workbook(report), "again.xlsx")
    assert response.status_code == 302
    response = client.post(url("workbook_confirm", report), posted, follow=True)
    assert "不能导入工作簿：「" in response.content.decode()
    assert "内容已锁定，不能修改" in response.content.decode()
    assert counts(report) == before


def test_a_coordinator_may_import_into_a_filing_of_their_subtree(client, world):
    report = world["report_b"]
    client.force_login(world["coordinator"])
    response = post_file(client, report, edited_workbook(report))
    client.post(url("workbook_confirm", report), confirmation(response))
    assert stored(report)["t4-r1-c1"][0] == 42


@override_settings(SPREADSHEET_MAX_UPLOAD_BYTES=1000)
def test_an_oversized_upload_is_refused_on_the_page(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    page = post_file(client, report, edited_workbook(report), "大.xlsx").content.decode()
    assert "未导入：该文件有1处问题" in page and "超过了 1 KB 的上限" in page


def test_the_preview_names_a_wrong_file_type(client, world):
    report = world["report_a"]
    client.force_login(world["filer"])
    page = post_file(client, report, b"a,b\n", "表.csv").content.decode()
    assert "只接受 .xlsx 文件，「表.csv」不是。" in page
    page = client.post(url("workbook_upload", report), {}).content.decode()
    assert "请选择要上传的工作簿文件" in page


def test_layout_sheet_names_are_stable():
    assert layout.NOTES_SHEET == "备注" and layout.META_SHEET == "_portal"
