"""django-import-export in the admin: the period sheet, agencies and memberships.

Only coordinators (and superusers) import; every row outside the coordinator's subtree is
refused with a message; a refused file changes nothing."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports.models import Agency, ImportRecord, Membership
from reports.spreadsheets import flat

from .conftest import CLOSED, close, counts, fill, save_book, stored

XLSX, CSV = "0", "1"  # positions in PortalImportMixin.import_formats


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return save_book(book)


def import_file(client, model, data, name, extra=None, fmt=XLSX):
    """Upload (preview), then confirm when the preview offers it; returns both responses."""
    url = reverse(f"admin:reports_{model}_import")
    preview = client.post(
        url, {"import_file": SimpleUploadedFile(name, data), "format": fmt, **(extra or {})}
    )
    form = preview.context and preview.context.get("confirm_form")
    if not form:
        return preview, None
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    done = client.post(reverse(f"admin:reports_{model}_process_import"), data, follow=True)
    return preview, done


# --- the period sheet --------------------------------------------------------------------


def test_coordinator_exports_the_period_and_imports_it_back_with_a_preview(client, world):
    fill(world["report_a"], notes=False)
    client.force_login(world["coordinator"])
    listing = client.get(reverse("admin:reports_reportingperiod_changelist")).content.decode()
    assert "年度汇总表" in listing and ">导入<" in listing
    url = reverse("admin:reports_reportingperiod_flat", args=[world["period"].pk])
    exported = client.get(url, {"format": "xlsx"})
    assert exported["Content-Disposition"].endswith('period-2021-gb2021.xlsx"')
    book = load_workbook(io.BytesIO(exported.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["jia", "yi"]
    column = rows[0].index("表三 一、本年新收政府信息公开申请数量·自然人（t3-r1-c1）")
    book.active.cell(2, column + 1).value = 500

    preview, done = import_file(
        client, "reportingperiod", save_book(book), "汇总表.xlsx", {"period": world["period"].pk}
    )
    page = preview.content.decode()
    assert "预览：1个报告将被修改，1个没有变化" in page
    assert (
        "表三 一、本年新收政府信息公开申请数量·自然人（t3-r1-c1）：11 → <strong>500</strong>"
        in page
    )
    assert "导入完成：新增0条，修改1条" in done.content.decode()
    assert stored(world["report_a"])["t3-r1-c1"][0] == 500
    record = ImportRecord.objects.get(kind="period")
    assert (record.report, record.user, record.file_name) == (
        world["report_a"],
        world["coordinator"],
        "汇总表.xlsx",
    )


def test_the_period_preview_lists_row_problems_and_offers_no_confirmation(client, world):
    client.force_login(world["coordinator"])
    rows = [["单位标识（agency）", "自然人（t3-r1-c1）"], ["jia", "十二"], ["other", 1]]
    preview, done = import_file(
        client, "reportingperiod", xlsx(rows), "坏.xlsx", {"period": world["period"].pk}
    )
    page = preview.content.decode()
    assert done is None
    assert "未导入：以下各行有问题" in page
    assert "第2行" in page and "「十二」不是数字" in page
    assert "单位标识「other」不存在" not in page  # 'other' exists …
    assert "「另一市人民政府」不在您管理的范围内，不能导入" in page  # … outside the subtree


def test_a_closed_period_refuses_the_sheet_naming_the_filing_and_changes_nothing(client, world):
    fill(world["report_a"], notes=False)
    close(world["period"])
    before = counts(world["report_a"])
    client.force_login(world["coordinator"])
    rows = [["单位标识（agency）", "自然人（t3-r1-c1）"], ["jia", 500]]
    preview, done = import_file(
        client, "reportingperiod", xlsx(rows), "汇总表.xlsx", {"period": world["period"].pk}
    )
    assert done is None  # no confirmation offered
    assert f"「甲局」2021年度的报告不能修改：{CLOSED}" in preview.content.decode()
    assert counts(world["report_a"]) == before


def test_a_formula_or_oversized_file_is_refused_on_the_import_form(client, world, settings):
    client.force_login(world["coordinator"])
    rows = [["单位标识（agency）", "自然人（t3-r1-c1）"], ["jia", "=A1"]]
    preview, _ = import_file(
        client, "reportingperiod", xlsx(rows), "公式.xlsx", {"period": world["period"].pk}
    )
    assert "不能使用公式（=A1）" in preview.content.decode()
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 100
    preview, _ = import_file(
        client, "reportingperiod", xlsx(rows), "大.xlsx", {"period": world["period"].pk}
    )
    assert "超过了 1 KB 的上限" in preview.content.decode()


@pytest.mark.parametrize("who", ["filer", "reviewer"])
def test_agency_staff_cannot_import_or_export_periods(client, world, who):
    client.force_login(world[who])
    assert client.get(reverse("admin:reports_reportingperiod_import")).status_code == 403
    url = reverse("admin:reports_reportingperiod_flat", args=[world["period"].pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:reports_agency_import")).status_code == 403
    assert client.get(reverse("admin:reports_membership_import")).status_code == 403


def test_the_period_export_holds_only_the_coordinators_subtree(client, world, make_report):
    make_report(agency=world["other"], period=world["period"])
    client.force_login(world["coordinator"])
    url = reverse("admin:reports_reportingperiod_flat", args=[world["period"].pk])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "jia" in text and "yi" in text and "other" not in text


# --- agencies ------------------------------------------------------------------------------


AGENCY_HEADER = [
    "网址标识（slug）",
    "单位名称（name）",
    "单位类型（kind）",
    "上级单位标识（parent）",
    "邮编（postcode）",
]


def test_coordinator_imports_agencies_under_their_subtree(client, world):
    client.force_login(world["coordinator"])
    rows = [
        AGENCY_HEADER,
        ["bing", "丙局", "部门", "city", "330038"],
        ["jia", "甲局（改）", "部门", "city", ""],
    ]
    preview, done = import_file(client, "agency", xlsx(rows), "单位.xlsx")
    assert done is not None, preview.content.decode()[-3000:]
    assert Agency.objects.get(slug="bing").parent == world["city"]
    assert Agency.objects.get(slug="jia").name == "甲局（改）"
    record = ImportRecord.objects.get(kind="agencies")
    assert (record.cells_changed, record.user) == (2, world["coordinator"])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["other", "另一市人民政府", "政府", "", ""],
            "「另一市人民政府」不在您管理的范围内，不能修改",
        ),
        (["ding", "丁局", "部门", "other", ""], "上级单位「另一市人民政府」不在您管理的范围内"),
        (["ding", "丁局", "部门", "", ""], "请填写上级单位标识"),
        (["ding", "丁局", "局", "city", ""], "「局」不是可选的单位类型（可选：政府、部门）"),
        (["ding", "丁局", "部门", "nowhere", ""], "上级单位标识「nowhere」不存在"),
        (["ding", "丁局", "部门", "city", "123"], "邮编应为6位数字。"),
        (["city", "某市人民政府", "政府", "jia", ""], "上级单位不能是本单位或其下级单位。"),
    ],
)
def test_agency_rows_outside_the_subtree_or_invalid_are_refused(client, world, row, message):
    client.force_login(world["coordinator"])
    before = list(Agency.objects.values_list("slug", "name", "parent_id").order_by("slug"))
    preview, done = import_file(client, "agency", xlsx([AGENCY_HEADER, row]), "单位.xlsx")
    assert done is None
    assert message in preview.content.decode()
    assert list(Agency.objects.values_list("slug", "name", "parent_id").order_by("slug")) == before


def test_agency_export_is_scoped_and_neutralised(client, world, make_agency):
    make_agency(name="+危险局", slug="plus", parent=world["city"])
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:reports_agency_export"),
        {
            "format": "1",
            "resource": "0",
            **{f"agencyresource_{name}": "on" for name in ("slug", "name", "parent")},
        },
    )
    text = response.content.decode("utf-8-sig")
    assert "'+危险局" in text and "jia" in text and "另一市人民政府" not in text


# --- memberships ---------------------------------------------------------------------------


MEMBER_HEADER = ["用户名（user）", "单位标识（agency）", "角色（role）"]


def test_coordinator_imports_memberships_inside_the_subtree_only(client, world, make_user):
    newcomer = make_user(username="newcomer")
    client.force_login(world["coordinator"])
    rows = [MEMBER_HEADER, ["newcomer", "yi", "填报人"], ["filer", "jia", "填报人"]]
    preview, done = import_file(client, "membership", xlsx(rows), "成员.xlsx")
    assert done is not None
    assert Membership.objects.filter(user=newcomer, agency=world["b"], role="filer").exists()
    assert ImportRecord.objects.get(kind="memberships").cells_changed == 1  # the other was there

    rows = [
        MEMBER_HEADER,
        ["newcomer", "other", "审核人"],
        ["ghost", "yi", "填报人"],
        ["newcomer", "yi", "局长"],
    ]
    preview, done = import_file(client, "membership", xlsx(rows), "成员.xlsx")
    page = preview.content.decode()
    assert done is None
    assert "「另一市人民政府」不在您管理的范围内，不能分配角色" in page
    assert "用户名「ghost」不存在" in page
    assert "「局长」不是可选的角色" in page
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_membership_export_has_usernames_names_and_role_labels(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("admin:reports_membership_export"),
        {
            "format": "1",
            "resource": "0",
            **{f"membershipresource_{name}": "on" for name in ("user", "person", "agency", "role")},
        },
    )
    data = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    assert ("filer", "", "jia", "填报人") in [tuple(row) for row in data]
    assert "coord2" not in response.content.decode("utf-8-sig")


def test_the_flat_sheet_key_headers_are_stable():
    assert flat.KEY_HEADERS["agency"] == "单位标识（agency）"
