"""No lost update: a confirmation applies what its preview showed, or nothing; a form saves only
against the version it was opened at.

Each import is driven as a person drives it — a real file (openpyxl), the preview POST, a
filer saving in between through the tables page, then the confirm POST (or --dry-run, then
--confirm) — and a refused one is checked to have written nothing at all."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports import services, websites
from reports.models import (
    AnnualReport,
    ImportRecord,
    Membership,
    NarrativeSection,
    ReportValue,
    ValueChange,
)
from reports.numbers import format_number
from reports.spreadsheets import flat
from reports.spreadsheets.workbook import export_workbook

Role = Membership.Role
CELL = "t3-r1-c1"  # 表三!B6: 自然人 新收申请
XLSX = "0"  # position of SafeXLSX in PortalImportMixin.import_formats


@pytest.fixture
def scene(office, make_report):
    """甲局 and 乙局 with a 2021 draft each; 甲局's 自然人 cell holds 0."""
    jia = make_report(agency=office["bureau"], period=office["period"])
    yi = make_report(agency=office["other"], period=office["period"])
    services.report_save_values(report=jia, by=None, entries={CELL: ("0", "")})
    jia.refresh_from_db()
    return {**office, "jia": jia, "yi": yi}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def value(report, code=CELL):
    row = ReportValue.objects.filter(report=report, code=code).first()
    return row.value if row else None


def audit(report, code=CELL) -> list:
    return list(
        ValueChange.objects.filter(report=report, code=code)
        .order_by("pk")
        .values_list("old_value", "new_value", "source")
    )


def everything(*reports) -> tuple:
    """All an import could change: to prove a refused one wrote nothing."""
    for report in reports:
        report.refresh_from_db()
    return (
        [(r.version, r.status) for r in reports],
        sorted(ReportValue.objects.values_list("report_id", "code", "value", "note")),
        ValueChange.objects.count(),
        ImportRecord.objects.count(),
        AnnualReport.objects.count(),
    )


def filer_saves(report, user, typed="82"):
    """The filer opens 填写统计表 and saves `typed` in the 自然人 cell, as the browser posts it."""
    client = login(user)
    url = reverse("admin:reports_annualreport_tables", args=[report.pk])
    page = client.get(url)
    data = {"version": page.context["form_version"]}
    for spec in report.format.cells():
        if not spec.computed_from:
            data[f"v:{spec.code}"] = format_number(value(report, spec.code))
            data[f"n:{spec.code}"] = ""
    data[f"v:{CELL}"] = typed
    assert client.post(url, data).status_code == 302
    assert value(report) == int(typed)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- the period sheet in the admin (django-import-export: preview → confirm) --------------


def period_sheet(client, period, **cells) -> bytes:
    """The period's flat sheet as exported, with `cells` ({slug: {code: value}}) typed in."""
    url = reverse("admin:reports_reportingperiod_flat", args=[period.pk])
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for code, typed in cells.get(row[0].value, {}).items():
            column = next(i for i, h in enumerate(headers) if h.endswith(f"（{code}）"))
            row[column].value = typed
    return save(book)


def save(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def preview_import(client, model, data, extra=None):
    return client.post(
        reverse(f"admin:reports_{model}_import"),
        {"import_file": SimpleUploadedFile("表.xlsx", data), "format": XLSX, **(extra or {})},
    )


def confirm_import(client, model, preview):
    """POST the confirm form exactly as the preview rendered it."""
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:reports_{model}_process_import"), data, follow=True)


def test_a_period_sheet_confirmed_after_a_filer_saved_is_refused_naming_the_filing(scene):
    """The outside probe: preview, filer saves 82, confirm. It used to give 0 (audit 0→82→0)."""
    jia, yi, period = scene["jia"], scene["yi"], scene["period"]
    coordinator = login(scene["coordinator"])
    data = period_sheet(coordinator, period, yi={CELL: 5})  # 甲局's row: 0, as exported
    preview = preview_import(coordinator, "reportingperiod", data, {"period": period.pk})
    assert "预览：1个报告将被修改，1个没有变化" in preview.content.decode()

    filer_saves(jia, scene["filer"], "82")
    before, trail = everything(jia, yi), audit(jia)
    done = confirm_import(coordinator, "reportingperiod", preview)

    assert (
        "未导入，数据没有任何改动：第2行 「甲局」2021年度的报告在预览之后已被修改，本次未导入。"
        "请重新预览后再导入。" in messages_of(done)
    )
    assert value(jia) == 82 and value(yi) is None  # 乙局's change is not applied either
    assert everything(jia, yi) == before
    assert audit(jia) == trail == [(None, 0, "form"), (0, 82, "form")]  # not 0→82→0


def test_a_period_sheet_confirmed_with_nothing_saved_in_between_is_applied(scene):
    jia, period = scene["jia"], scene["period"]
    coordinator = login(scene["coordinator"])
    data = period_sheet(coordinator, period, jia={CELL: 7})
    preview = preview_import(coordinator, "reportingperiod", data, {"period": period.pk})
    done = confirm_import(coordinator, "reportingperiod", preview)
    assert "导入完成" in messages_of(done)
    assert value(jia) == 7


def test_a_filing_created_between_preview_and_confirm_is_refused(scene, make_agency):
    period = scene["period"]
    bing = make_agency(name="丙局", slug="bing", parent=scene["city"])
    coordinator = login(scene["coordinator"])
    rows = [["单位标识（agency）", f"自然人（{CELL}）"], ["bing", 3]]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    preview = preview_import(coordinator, "reportingperiod", save(book), {"period": period.pk})
    assert "（新建报告）" in preview.content.decode()
    created = AnnualReport.objects.create(agency=bing, period=period)
    before = everything(created)
    done = confirm_import(coordinator, "reportingperiod", preview)
    assert "第2行 「丙局」2021年度的报告在预览之后已被新建，本次未导入。" in messages_of(done)
    assert everything(created) == before


def test_a_confirm_form_without_the_previews_versions_is_refused(scene):
    jia, period = scene["jia"], scene["period"]
    coordinator = login(scene["coordinator"])
    data = period_sheet(coordinator, period, jia={CELL: 7})
    preview = preview_import(coordinator, "reportingperiod", data, {"period": period.pk})
    form = preview.context["confirm_form"]
    posted = {name: form[name].value() for name in form.fields if name != "versions"}
    before = everything(jia)
    for versions in (None, "", "{}", "not json", '{"rows": []}'):
        extra = {} if versions is None else {"versions": versions}
        done = coordinator.post(
            reverse("admin:reports_reportingperiod_process_import"), posted | extra, follow=True
        )
        assert "未导入：确认表单缺少预览时的版本信息" in messages_of(done)
        assert everything(jia) == before


def test_a_number_too_large_for_the_database_is_named_by_row_and_cell(scene):
    period = scene["period"]
    coordinator = login(scene["coordinator"])
    for typed in (12345678901234567890, "12345678901234567890"):
        data = period_sheet(coordinator, period, jia={CELL: typed})
        preview = preview_import(coordinator, "reportingperiod", data, {"period": period.pk})
        page = preview.content.decode()
        assert preview.context.get("confirm_form") is None
        # The int arrives as Excel keeps it (a float: 12345678901234570000), the text as typed;
        # either is refused by its size (reports.numbers), not as 「不是数字」.
        assert "第2行" in page and f"（{CELL}）：「123456789012345" in page
        assert "不是数字" not in page
        assert "overflow" not in page and "numeric" not in page
    assert value(scene["jia"]) == 0


def test_a_database_refusal_at_confirmation_is_said_in_chinese(scene, monkeypatch):
    jia, period = scene["jia"], scene["period"]
    coordinator = login(scene["coordinator"])
    data = period_sheet(coordinator, period, jia={CELL: 7})
    preview = preview_import(coordinator, "reportingperiod", data, {"period": period.pk})

    def overflow(*args, **kwargs):
        raise DataError("numeric field overflow\nDETAIL:  A field with precision 20, scale 4")

    monkeypatch.setattr(flat, "insert_rows", overflow)
    before = everything(jia)
    done = confirm_import(coordinator, "reportingperiod", preview)
    said = messages_of(done)
    assert "数据库拒绝保存本次导入（DataError），本次未导入，数据没有任何改动。" in said
    assert "overflow" not in done.content.decode()
    assert everything(jia) == before


# --- the period sheet on the command line: --dry-run, then --confirm ----------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def code_in(out: str) -> str:
    return re.search(r"确认码：(\S+)", out).group(1)


def test_import_period_confirm_after_a_filer_saved_is_refused_naming_the_filing(scene, tmp_path):
    jia, yi = scene["jia"], scene["yi"]
    path = tmp_path / "2021.xlsx"
    run("export_period", "--year", "2021", "-o", str(path))
    book = load_workbook(path)
    headers = [c.value for c in book.active[1]]
    column = next(i for i, h in enumerate(headers) if h.endswith(f"（{CELL}）"))
    book.active.cell(3, column + 1).value = 5  # 乙局
    path.write_bytes(save(book))

    out = run("import_period", str(path), "--year", "2021", "--dry-run", "--user", "co")
    assert "试运行：将修改1个报告的1个单元格，未保存。" in out
    code = code_in(out)
    filer_saves(jia, scene["filer"], "82")
    before = everything(jia, yi)
    with pytest.raises(CommandError) as refusal:
        run("import_period", str(path), "--year", "2021", "--confirm", code, "--user", "co")
    assert "未导入：预览（--dry-run）之后有报告被修改，数据没有任何改动。" in str(refusal.value)
    assert "「甲局」2021年度的报告在预览之后已被修改，本次未导入。" in str(refusal.value)
    assert value(jia) == 82 and value(yi) is None
    assert everything(jia, yi) == before


def test_import_period_confirm_applies_what_the_dry_run_showed(scene, tmp_path):
    path = tmp_path / "2021.csv"
    path.write_text(f"单位标识（agency）,自然人（{CELL}）\njia,7\n", "utf-8")
    code = code_in(run("import_period", str(path), "--year", "2021", "--dry-run"))
    assert value(scene["jia"]) == 0
    out = run("import_period", str(path), "--year", "2021", "--confirm", code)
    assert "已导入，修改了1个报告的1个单元格。" in out
    assert value(scene["jia"]) == 7
    # Another file, or a made-up code, is not what was previewed.
    path.write_text(f"单位标识（agency）,自然人（{CELL}）\njia,8\n", "utf-8")
    with pytest.raises(CommandError, match="与预览（--dry-run）时的文件不同"):
        run("import_period", str(path), "--year", "2021", "--confirm", code)
    with pytest.raises(CommandError, match="不是有效的预览确认码"):
        run("import_period", str(path), "--year", "2021", "--confirm", "x")
    assert value(scene["jia"]) == 7


# --- the workbook: admin and command line ---------------------------------------------------


def workbook(report, **cells) -> bytes:
    book = load_workbook(io.BytesIO(export_workbook(report)))
    for address, typed in cells.items():
        sheet, cell = address.split("_")
        book[sheet][cell] = typed
    return save(book)


def upload_workbook(client, report, data):
    url = reverse("admin:reports_annualreport_workbook_upload", args=[report.pk])
    return client.post(url, {"file": SimpleUploadedFile("填好的.xlsx", data)})


def confirm_workbook(client, report, preview):
    page = preview.content.decode()
    posted = dict(re.findall(r'name="(sha256|version)" value="([^"]*)"', page))
    url = reverse("admin:reports_annualreport_workbook_confirm", args=[report.pk])
    return client.post(url, posted, follow=True)


def test_a_workbook_confirmed_after_a_filer_saved_is_refused_naming_the_filing(scene):
    jia = scene["jia"]
    coordinator = login(scene["coordinator"])
    preview = upload_workbook(coordinator, jia, workbook(jia, 表四_A6=3))  # 表三!B6 stays 0
    assert "将要修改：1处" in preview.content.decode()
    filer_saves(jia, scene["filer"], "82")
    before, trail = everything(jia), audit(jia)
    done = confirm_workbook(coordinator, jia, preview)
    assert (
        "「甲局」2021年度的报告在预览之后已被修改，本次未导入。"
        "请重新上传，查看最新的修改预览。" in messages_of(done)
    )
    assert value(jia) == 82 and value(jia, "t4-r1-c1") is None
    assert everything(jia) == before and audit(jia) == trail


def test_import_workbook_confirm_after_a_filer_saved_is_refused(scene, tmp_path):
    jia = scene["jia"]
    path = tmp_path / "jia.xlsx"
    path.write_bytes(workbook(jia, 表四_A6=3))
    args = ("import_workbook", str(path), "--agency", "jia", "--year", "2021")
    code = code_in(run(*args, "--dry-run"))
    filer_saves(jia, scene["filer"], "82")
    before = everything(jia)
    with pytest.raises(CommandError) as refusal:
        run(*args, "--confirm", code)
    assert "「甲局」2021年度的报告在预览之后已被修改，本次未导入。" in str(refusal.value)
    assert value(jia) == 82 and everything(jia) == before

    # A fresh preview shows what the file (exported before the save) now does: 82 → 0.
    out = run(*args, "--dry-run")
    assert "表三!B6\t表三 一、本年新收政府信息公开申请数量·自然人：82 → 0" in out
    assert "已导入「jia.xlsx」，修改了3处。" in run(*args, "--confirm", code_in(out))
    assert value(jia) == 0 and value(jia, "t4-r1-c1") == 3


def test_a_workbook_value_outside_the_layout_is_named_in_the_preview(scene, tmp_path):
    jia = scene["jia"]
    data = workbook(jia, 表三_J40=123, 表二_B30="备用", 表四_A6=3)
    book = load_workbook(io.BytesIO(data))
    book.create_sheet("草稿")["A1"] = "算一算"
    data = save(book)
    filer = login(scene["filer"])
    page = upload_workbook(filer, jia, data).content.decode()
    assert "表三!J40 不在表格范围内，未导入（「123」）" in page
    assert "表二!B30 不在表格范围内，未导入（「备用」）" in page
    assert "工作表「草稿」不是本工作簿的表格，其中的内容未导入。" in page
    assert "确认导入" in page  # a notice, not a refusal: the cells of the layout are all read

    path = tmp_path / "jia.xlsx"
    path.write_bytes(data)
    out = run("import_workbook", str(path), "--agency", "jia", "--year", "2021", "--dry-run")
    assert "注意：表三!J40 不在表格范围内，未导入（「123」）" in out


def test_a_workbook_number_too_large_for_the_database_is_a_problem_of_its_cell(scene):
    jia = scene["jia"]
    filer = login(scene["filer"])
    page = upload_workbook(filer, jia, workbook(jia, 表三_B6="12345678901234567890"))
    text = page.content.decode()
    assert "表三!B6（" in text and "12345678901234567890" in text
    assert "确认导入" not in text
    assert value(jia) == 0


# --- agencies and memberships ---------------------------------------------------------------


AGENCY_HEADER = [
    "网址标识（slug）",
    "单位名称（name）",
    "单位类型（kind）",
    "上级单位标识（parent）",
]
MEMBER_HEADER = ["用户名（user）", "单位标识（agency）", "角色（role）"]


def sheet(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return save(book)


def test_an_agency_changed_between_preview_and_confirm_is_refused(scene):
    coordinator = login(scene["coordinator"])
    rows = [
        AGENCY_HEADER,
        ["jia", "甲局（导入）", "部门", "city"],
        ["bing", "丙局", "部门", "city"],
    ]
    preview = preview_import(coordinator, "agency", sheet(rows))
    bureau = scene["bureau"]
    bureau.phone = "0791-1234567"  # someone saves 甲局 in the admin meanwhile
    bureau.save()
    done = confirm_import(coordinator, "agency", preview)
    assert "第2行 单位「jia」在预览之后已被修改，本次未导入。请重新预览后再导入。" in messages_of(
        done
    )
    bureau.refresh_from_db()
    assert (bureau.name, bureau.phone) == ("甲局", "0791-1234567")
    assert not type(bureau).objects.filter(slug="bing").exists()
    assert not ImportRecord.objects.exists()


def test_an_agency_import_with_nothing_changed_in_between_is_applied(scene):
    coordinator = login(scene["coordinator"])
    preview = preview_import(
        coordinator, "agency", sheet([AGENCY_HEADER, ["jia", "甲局（导入）", "部门", "city"]])
    )
    done = confirm_import(coordinator, "agency", preview)
    assert "导入完成：新增0条，修改1条" in messages_of(done)
    scene["bureau"].refresh_from_db()
    assert scene["bureau"].name == "甲局（导入）"


def test_a_membership_removed_or_added_between_preview_and_confirm_is_refused(scene, make_user):
    newcomer = make_user(username="newcomer")
    coordinator = login(scene["coordinator"])
    rows = [MEMBER_HEADER, ["filer", "jia", "填报人"], ["newcomer", "yi", "填报人"]]

    preview = preview_import(coordinator, "membership", sheet(rows))
    Membership.objects.filter(user=scene["filer"], role=Role.FILER).delete()  # removed meanwhile
    done = confirm_import(coordinator, "membership", preview)
    assert "第2行 「filer」在「jia」的“填报人”角色在预览之后已被删除，本次未导入。" in messages_of(
        done
    )
    assert not Membership.objects.filter(user__in=[scene["filer"], newcomer]).exists()

    rows = [MEMBER_HEADER, ["newcomer", "yi", "填报人"]]
    preview = preview_import(coordinator, "membership", sheet(rows))
    Membership.objects.create(user=newcomer, agency=scene["other"], role=Role.FILER)
    done = confirm_import(coordinator, "membership", preview)
    assert (
        "第2行 「newcomer」在「yi」的“填报人”角色在预览之后已被添加，本次未导入。"
        in messages_of(done)
    )
    assert not ImportRecord.objects.exists()


# --- the entry pages: a POST without the version it was opened at is refused ----------------

NO_VERSION = "未保存：页面缺少版本信息"


@pytest.mark.parametrize(
    "version", [None, "", "abc", "-1"], ids=["absent", "empty", "text", "negative"]
)
def test_a_tables_post_without_a_valid_version_is_refused_and_keeps_what_was_typed(scene, version):
    jia = scene["jia"]
    client = login(scene["filer"])
    url = reverse("admin:reports_annualreport_tables", args=[jia.pk])
    data = {f"v:{CELL}": "82", f"n:{CELL}": ""} | ({} if version is None else {"version": version})
    before = everything(jia)
    response = client.post(url, data)
    assert response.status_code == 200
    assert NO_VERSION in messages_of(response)
    assert 'value="82"' in response.content.decode()  # what was typed, kept
    assert response.context["form_version"] == jia.version
    assert everything(jia) == before and value(jia) == 0


def test_a_website_post_without_a_version_is_refused(scene):
    jia = scene["jia"]
    form = websites.website_form_add(report=jia, by=None)
    client = login(scene["filer"])
    url = reverse("admin:reports_annualreport_website", args=[jia.pk, form.position])
    before = everything(jia)
    response = client.post(url, {"f:visitors": "12", "n:visitors": "含移动端", "m-count": "0"})
    assert response.status_code == 200 and NO_VERSION in messages_of(response)
    assert "含移动端" in response.content.decode()
    form.refresh_from_db()
    assert "visitors" not in form.values and everything(jia) == before


@pytest.mark.parametrize("page", ["narrative", "narrative_draft"])
def test_a_narrative_post_without_a_version_is_refused(scene, page):
    jia = scene["jia"]
    client = login(scene["filer"])
    url = reverse(f"admin:reports_annualreport_{page}", args=[jia.pk])
    before = everything(jia)
    response = client.post(url, {"s:s1": "我写的总体情况。"})
    assert response.status_code == 200 and NO_VERSION in messages_of(response)
    assert "我写的总体情况。" in response.content.decode()
    assert not NarrativeSection.objects.filter(report=jia).exists()
    assert everything(jia) == before


def test_a_tables_post_with_its_version_still_saves(scene):
    filer_saves(scene["jia"], scene["filer"], "82")


def test_a_value_the_database_refuses_is_said_in_chinese_and_nothing_is_written(scene):
    """Below parse_number's bound nothing reaches the database too large; should it ever, the
    write is refused in Chinese (PostgreSQL: numeric field overflow from COPY), not raw."""
    from django.db import connection

    from reports.spreadsheets.safety import SpreadsheetError

    if connection.vendor != "postgresql":
        pytest.skip(
            "NUMERIC(22, 6) overflows on PostgreSQL only (SQLite does not check the precision)"
        )
    jia = scene["jia"]
    row = flat.PeriodRow(jia, 2, jia.version, {CELL: (0, Decimal(10**20))})
    before = everything(jia)
    with pytest.raises(SpreadsheetError) as refusal:
        flat.write_period_rows(
            period=scene["period"], rows=[row], by=None, file_name="x", sha256=""
        )
    assert str(refusal.value).startswith("数据库拒绝保存本次导入（DataError），本次未导入")
    assert everything(jia) == before
