"""「其余未填写的填 0」: one table's blank input cells get 0, nothing else changes, the history
shows each, the filing's version goes up once."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import AnnualReport, ReportValue, ValueChange
from tests.helpers import put

S = AnnualReport.Status


@pytest.fixture
def report(office):
    return AnnualReport.objects.create(agency=office["bureau"], period=office["period"])


def stored(report) -> dict:
    return {
        code: (value, note)
        for code, value, note in ReportValue.objects.filter(report=report).values_list(
            "code", "value", "note"
        )
    }


def fill_url(report, table=None):
    url = reverse("admin:reports_annualreport_fill_zero", args=[report.pk])
    return f"{url}?table={table}" if table else url


def inputs(report, table):
    return [c.code for c in report.format.table(table).cells() if not c.computed_from]


def test_only_the_blank_input_cells_of_the_table_get_0(report, office):
    services.report_save_values(
        report=report,
        by=office["filer"],
        entries={"t3-r1-c1": ("5", ""), "t3-r1-c2": ("", "暂无数据"), "t2-r1-issued": ("", "")},
    )
    filled = services.report_fill_blank_with_zero(
        report=report, by=office["filer"], table_code="t3"
    )
    values = stored(report)
    assert values["t3-r1-c1"] == (5, "")  # held a value: untouched
    assert values["t3-r1-c2"] == (0, "暂无数据")  # blank with a note: 0, the note kept
    assert all(values[code][0] is not None for code in inputs(report, "t3"))
    assert not any(code.startswith(("t2-", "t4-")) for code in values)  # other tables untouched
    assert set(inputs(report, "t3")) - {"t3-r1-c1"} <= set(filled)


def test_a_total_that_holds_a_value_is_untouched_and_a_blank_total_is_summed(report, office):
    # An import keeps totals as given: 99 beside parts that add up to 2.
    services.report_save_values(
        report=report,
        by=office["filer"],
        entries={"t3-r1-c1": ("2", ""), "t3-r1-c7": ("99", "如实导入")},
        compute_totals=False,
    )
    services.report_fill_blank_with_zero(report=report, by=office["filer"], table_code="t3")
    values = stored(report)
    assert values["t3-r1-c7"] == (99, "如实导入")  # computed cell holding a value: untouched
    assert values["t3-r2-c7"] == (0, "")  # a blank total: the sum of its now-zero parts
    assert not ValueChange.objects.filter(report=report, code="t3-r1-c7", new_value=0).exists()


def test_the_version_goes_up_once_and_every_filled_cell_is_in_the_history(report, office):
    services.report_save_values(report=report, by=office["filer"], entries={"t4-r1-c1": ("1", "")})
    report.refresh_from_db()
    before, rows_before = report.version, ValueChange.objects.filter(report=report).count()
    filled = services.report_fill_blank_with_zero(
        report=report, by=office["filer"], table_code="t4", expected_version=before
    )
    report.refresh_from_db()
    assert report.version == before + 1
    changes = ValueChange.objects.filter(report=report).order_by("id")[rows_before:]
    assert [c.code for c in changes] == filled
    assert {(c.old_value, c.actor_id, c.source) for c in changes} == {
        (None, office["filer"].pk, ValueChange.Source.FORM)
    }


def test_a_stale_version_fills_nothing(report, office):
    report.refresh_from_db()
    stale = report.version
    services.report_save_values(report=report, by=office["filer"], entries={"t3-r1-c1": ("1", "")})
    with pytest.raises(services.EditConflict):
        services.report_fill_blank_with_zero(
            report=report, by=office["filer"], table_code="t3", expected_version=stale
        )
    assert list(stored(report)) == ["t3-r1-c1", "t3-r1-c7"]


def test_a_locked_filing_cannot_be_filled(report, office):
    put(report, S.SUBMITTED, office)
    with pytest.raises(services.ReportLocked, match="内容已锁定"):
        services.report_fill_blank_with_zero(report=report, by=office["filer"], table_code="t3")
    assert stored(report) == {}


def test_someone_who_may_not_edit_cannot_fill(report, office):
    with pytest.raises(services.ReportLocked, match="无权修改"):
        services.report_fill_blank_with_zero(report=report, by=office["reviewer"], table_code="t3")
    assert stored(report) == {}


# --- the pages ------------------------------------------------------------------------------


def test_the_tables_page_counts_each_tables_blank_cells_and_offers_the_fill(client, report, office):
    services.report_save_values(report=report, by=office["filer"], entries={"t3-r1-c1": ("5", "")})
    client.force_login(office["filer"])
    page = client.get(reverse("admin:reports_annualreport_tables", args=[report.pk]))
    text = page.content.decode()
    blank_t3 = len(inputs(report, "t3")) - 1
    assert f"本表尚有{blank_t3}个单元格未填写" in text
    assert f'href="{fill_url(report, "t3")}"' in text
    assert f"本表尚有{len(inputs(report, 't2'))}个单元格未填写" in text


def test_the_fill_is_confirmed_on_a_page_then_posted_with_the_version(client, report, office):
    client.force_login(office["filer"])
    confirm = client.get(fill_url(report, "t4"))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"尚未填写的{len(inputs(report, 't4'))}个单元格" in text and "确定填 0" in text
    assert stored(report) == {}  # nothing written by looking

    version = confirm.context["form_version"]
    response = client.post(fill_url(report), {"table": "t4", "version": version}, follow=True)
    assert (
        f"已将表四中{len(inputs(report, 't4'))}个未填写的单元格填为 0" in response.content.decode()
    )
    assert response.redirect_chain[-1][0].endswith("/tables/#table-t4")
    assert all(stored(report)[code][0] == 0 for code in inputs(report, "t4"))


def test_a_fill_posted_at_an_old_version_is_refused_and_shown_again(client, report, office):
    client.force_login(office["filer"])
    version = client.get(fill_url(report, "t3")).context["form_version"]
    services.report_save_values(report=report, by=office["filer"], entries={"t3-r1-c1": ("1", "")})
    response = client.post(fill_url(report), {"table": "t3", "version": version})
    assert response.status_code == 200
    assert "保存冲突" in response.content.decode()
    assert list(stored(report)) == ["t3-r1-c1", "t3-r1-c7"]
    assert response.context["form_version"] == version + 1  # the list as it is now


def test_the_fill_pages_refuse_a_locked_filing_others_and_unknown_tables(client, report, office):
    client.force_login(office["reviewer"])
    assert client.get(fill_url(report, "t3")).status_code == 403
    client.force_login(office["other_filer"])
    assert client.get(fill_url(report, "t3")).status_code == 404
    assert client.post(fill_url(report), {"table": "t3", "version": 0}).status_code == 404
    client.force_login(office["filer"])
    assert client.get(fill_url(report, "t9")).status_code == 404
    put(report, S.SUBMITTED, office)
    assert client.get(fill_url(report, "t3")).status_code == 403
    assert client.post(fill_url(report), {"table": "t3", "version": 0}).status_code == 403
    assert stored(report) == {}
