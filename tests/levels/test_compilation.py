"""The 本级 report compiled: a government's statistics tables from the sum of chosen subordinate
filings (signed or published) plus its own office's; each cell drills down to its contributors;
a refresh shows the changes cell by cell before applying and keeps what was typed by hand."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from reports import levels, services, workflow
from reports.compilation import Source, compile_sums, contributors, parts_total, plan
from reports.formats import format_for_year
from reports.models import AnnualReport, Compilation, Membership, ReportValue, ValueChange
from tests.levels.conftest import explained, filled, person, requests, signed

Role = Membership.Role
S = AnnualReport.Status
FMT = format_for_year(2021)
NATURAL, COMPANY, TOTAL = "t3-r1-c1", "t3-r1-c2", "t3-r1-c7"


def source(n, values, **overrides):
    fields = dict(
        report_id=n,
        agency_id=n,
        agency_name=f"单位{n}",
        agency_slug=f"u{n}",
        status="approved",
        state="已签发",
        revision=1,
        version=1,
        values={code: Decimal(v) for code, v in values.items()},
    )
    return Source(**(fields | overrides))


# --- the pure rules ---------------------------------------------------------------------------


def test_a_cell_sums_over_the_sources_that_filled_it_and_blank_stays_blank():
    sums = compile_sums(FMT, [source(1, {NATURAL: "3"}), source(2, {NATURAL: "4", TOTAL: "4"})])
    assert sums[NATURAL] == 7 and sums[TOTAL] == 4
    assert COMPANY not in sums  # no source filled it: blank, not 0


def test_each_cells_contributors_add_up_to_it():
    sources = [source(1, {NATURAL: "3", COMPANY: "1"}), source(2, {NATURAL: "4"})]
    sums = compile_sums(FMT, sources)
    for code, total in sums.items():
        assert parts_total(contributors(code, sources)) == total
    assert [(p.source.agency_name, p.value) for p in contributors(COMPANY, sources)] == [
        ("单位1", Decimal(1)),
        ("单位2", None),
    ]


def test_a_refresh_keeps_an_input_typed_by_hand_and_its_total_follows():
    sources = [source(1, {NATURAL: "3", TOTAL: "3"}), source(2, {NATURAL: "4", TOTAL: "4"})]
    last = {NATURAL: Decimal(7), TOTAL: Decimal(7)}
    typed = {NATURAL: Decimal(9), TOTAL: Decimal(9)}  # the filer typed 9; the form summed it
    cells = {p.code: p for p in plan(FMT, sources, typed, last)}
    assert cells[NATURAL].overridden and cells[NATURAL].written == 9
    assert cells[TOTAL].follows_override and cells[TOTAL].written == 9
    assert not cells[NATURAL].changes
    # Never compiled before: nothing is an override, every cell takes its sum.
    first = {p.code: p for p in plan(FMT, sources, typed, None)}
    assert first[NATURAL].written == 7 and first[NATURAL].changes


# --- the write, through the normal edit path --------------------------------------------------


@pytest.fixture
def two_signed(region):
    """区教育局 (3 自然人, 1 商业企业) and 区卫健委 (5 自然人) signed; 区政府办公室 still a draft."""
    edu = signed(region, "edu", filled(region, "edu", requests(3, 1)))
    health = signed(region, "health", filled(region, "health", requests(5)))
    office = filled(region, "office", requests(2))
    return {**region, "edu_report": edu, "health_report": health, "office_report": office}


def government_filing(region):
    return AnnualReport.objects.get(agency=region["district"], period=region["period"])


def test_compiling_creates_the_government_filing_from_the_two_signed_departments(two_signed):
    region = two_signed
    done = services.report_compile(
        agency=region["district"], period=region["period"], by=region["district_co"]
    )
    report = government_filing(region)
    values = dict(ReportValue.objects.filter(report=report).values_list("code", "value"))
    assert values[NATURAL] == 8 and values[COMPANY] == 1 and values[TOTAL] == 9
    assert {s.agency_slug for s in done.preview.sources} == {"edu", "health"}  # office: a draft
    assert [c.agency.slug for c in done.preview.left_out] == ["office"]
    assert done.changed == ValueChange.objects.filter(report=report, source="compile").count() > 0
    compilation = Compilation.objects.get(report=report)
    assert compilation.compiled_by == region["district_co"]
    assert report.version == 1  # one edit, whatever the number of cells


def test_each_compiled_cell_drills_down_to_contributors_that_add_up_to_it(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = government_filing(region)
    values = dict(
        ReportValue.objects.filter(report=report, value__isnull=False).values_list("code", "value")
    )
    view = levels.compiled_view(report, values)
    assert [(c.source.agency_name, c.state_now, c.changed) for c in view.contributors] == [
        ("区卫健委", "已签发", False),
        ("区教育局", "已签发", False),
    ]
    for code, value in values.items():
        cell = view.cell(report.format, code, value)
        assert parts_total(cell.parts) == value == cell.summed, code
    natural = view.cell(report.format, NATURAL, values[NATURAL])
    assert [(p.source.agency_name, p.value) for p in natural.parts] == [
        ("区卫健委", 5),
        ("区教育局", 3),
    ]


def test_the_own_office_is_summed_once_signed_and_chosen(two_signed):
    region = two_signed
    signed(region, "office", region["office_report"])
    services.report_compile(
        agency=region["district"],
        period=region["period"],
        by=region["district_co"],
        include=["edu", "health", "office"],
    )
    value = ReportValue.objects.get(report=government_filing(region), code=NATURAL).value
    assert value == 3 + 5 + 2


def test_a_filing_not_yet_signed_is_refused_by_name_and_nothing_is_written(two_signed):
    region = two_signed
    with pytest.raises(levels.CompileRefusal, match="「区政府办公室」的报告填报中，尚未签发"):
        services.report_compile(
            agency=region["district"],
            period=region["period"],
            by=region["district_co"],
            include=["edu", "office"],
        )
    assert not AnnualReport.objects.filter(agency=region["district"]).exists()


def test_only_a_coordinator_of_the_government_compiles_and_only_a_draft(two_signed):
    region = two_signed
    with pytest.raises(services.ReportLocked, match="只有「某区人民政府」的主管部门"):
        services.report_compile(
            agency=region["district"],
            period=region["period"],
            by=person(region, "district", Role.FILER),
        )
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = government_filing(region)
    workflow.report_submit(
        report=report, by=person(region, "district", Role.FILER), explanations=explained(report)
    )
    with pytest.raises(services.ReportLocked, match="内容已锁定"):
        services.report_compile(
            agency=region["district"], period=region["period"], by=region["district_co"]
        )


def test_a_department_is_not_compiled(two_signed):
    with pytest.raises(levels.CompileRefusal, match="「区教育局」不是政府"):
        levels.compile_preview(two_signed["edu_report"])


def refresh_after_correction(region):
    """区教育局 publishes, then corrects 自然人 3 → 6 and signs again."""
    edu = workflow.report_publish(report=region["edu_report"], by=region["district_co"])
    edu = workflow.report_reopen(report=edu, by=region["district_co"], reason="自然人申请数有误")
    services.report_save_values(
        report=edu, by=None, entries={NATURAL: ("6", ""), "t3-r3_1-c1": ("6", "")}
    )
    return signed(region, "edu", AnnualReport.objects.get(pk=edu.pk))


def test_a_refresh_after_a_correction_shows_the_changes_cell_by_cell_before_applying(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    refresh_after_correction(region)
    report = government_filing(region)
    preview = levels.compile_preview(report)
    changes = {p.code: (p.current, p.written) for p in preview.changes}
    assert changes[NATURAL] == (8, 11) and changes[TOTAL] == (9, 12)
    assert ReportValue.objects.get(report=report, code=NATURAL).value == 8  # not yet applied
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    assert ReportValue.objects.get(report=report, code=NATURAL).value == 11


def test_the_drill_down_says_which_contributor_changed_since(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    refresh_after_correction(region)
    view = levels.compiled_view(government_filing(region), {})
    assert [c.source.agency_name for c in view.stale] == ["区教育局"]


def test_an_override_by_hand_stays_visible_and_survives_a_refresh(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = government_filing(region)
    filer = person(region, "district", Role.FILER)
    services.report_save_values(
        report=report, by=filer, entries={COMPANY: ("4", ""), "t3-r3_1-c2": ("4", "")}
    )
    values = dict(ReportValue.objects.filter(report=report).values_list("code", "value"))
    assert {COMPANY, "t3-r3_1-c2"} <= levels.compiled_view(report, values).overridden
    refresh_after_correction(region)
    preview = levels.compile_preview(report)
    kept = {p.code for p in preview.kept}
    assert {COMPANY, "t3-r3_1-c2"} == kept
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    values = dict(ReportValue.objects.filter(report=report).values_list("code", "value"))
    assert values[COMPANY] == 4 and values[NATURAL] == 11 and values[TOTAL] == 15


def test_applying_a_stale_preview_is_refused_and_writes_nothing(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = government_filing(region)
    stamp = levels.compile_preview(report).stamp
    refresh_after_correction(region)
    with pytest.raises(services.EditConflict, match="汇总来源在预览之后有变化"):
        services.report_compile(
            agency=region["district"],
            period=region["period"],
            by=region["district_co"],
            expected_version=report.version,
            expected_sources=stamp,
        )
    assert ReportValue.objects.get(report=report, code=NATURAL).value == 8
    assert Compilation.objects.filter(report=report).count() == 1


def test_the_compiled_filing_is_then_reviewed_signed_and_published_like_any_other(two_signed):
    region = two_signed
    services.report_compile(agency=region["district"], period=region["period"], by=None)
    report = signed(region, "district", government_filing(region))
    assert report.status == S.APPROVED
    assert workflow.report_publish(report=report, by=region["city_co"]).status == S.PUBLISHED


def test_the_compiler_may_not_pass_the_compiled_filing_in_parent_review(two_signed):
    region = two_signed
    region["period"].parent_review = True
    region["period"].save()
    services.report_compile(
        agency=region["district"], period=region["period"], by=region["city_co"]
    )
    report = signed(region, "district", government_filing(region))
    assert report.status == S.PARENT_REVIEW
    with pytest.raises(workflow.WorkflowError, match="不能审核自己汇总生成的报告"):
        workflow.report_parent_pass(report=report, by=region["city_co"])


# --- the command ------------------------------------------------------------------------------


def test_compile_report_dry_run_lists_every_cell_with_its_sum_and_writes_nothing(
    two_signed, capsys
):
    call_command("compile_report", "--agency", "district", "--year", "2021", "--dry-run")
    out = capsys.readouterr().out
    assert "edu\t区教育局\t已签发" in out and "health\t区卫健委\t已签发" in out
    assert "未纳入：区政府办公室（填报中，尚未签发）" in out
    assert f"{NATURAL}\t{FMT.cell(NATURAL).label}\t汇总 8\t原值 空 → 8" in out
    assert f"{TOTAL}\t{FMT.cell(TOTAL).label}\t汇总 9" in out
    summed = compile_sums(
        FMT,
        [
            levels._source(
                r, "", dict(ReportValue.objects.filter(report=r).values_list("code", "value"))
            )
            for r in (two_signed["edu_report"], two_signed["health_report"])
        ],
    )
    listed = [line.split("\t")[0] for line in out.splitlines() if "\t汇总 " in line]
    assert set(listed) == set(summed)  # every summed cell, each once
    assert "试运行" in out
    assert not AnnualReport.objects.filter(agency=two_signed["district"]).exists()


def test_compile_report_writes_the_sums(two_signed, capsys):
    call_command("compile_report", "--agency", "district", "--year", "2021")
    assert "已汇总生成「某区人民政府」2021年度本级报告统计表" in capsys.readouterr().out
    report = government_filing(two_signed)
    assert ReportValue.objects.get(report=report, code=NATURAL).value == 8


@pytest.mark.parametrize(
    "args, message",
    [
        (["--agency", "edu"], "「区教育局」不是政府"),
        (["--agency", "nowhere"], "没有网址标识为「nowhere」的单位"),
        (["--agency", "district", "--include", "office"], "「区政府办公室」的报告填报中"),
        (["--agency", "district", "--include", "city"], "「city」不是「某区人民政府」的下级单位"),
    ],
)
def test_compile_report_refusals_exit_non_zero_in_chinese(two_signed, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("compile_report", "--year", "2021", *args)
    assert refused.value.returncode == 1


def test_the_compilers_todo_does_not_ask_them_to_check_what_they_compiled(two_signed):
    from reports.todo import todo_items

    region = two_signed
    region["period"].parent_review = True
    region["period"].save()
    services.report_compile(
        agency=region["district"], period=region["period"], by=region["city_co"]
    )
    report = signed(region, "district", government_filing(region))
    today = region["period"].opens_on
    checks = [i for i in todo_items(region["city_co"], today=today) if i.kind == "check"]
    assert checks == []
    other = person(region, "edu", Role.REVIEWER)
    Membership.objects.create(user=other, agency=region["city"], role=Role.COORDINATOR)
    other = type(other).objects.get(pk=other.pk)  # its rights afresh (cached per object)
    checks = [i.report.pk for i in todo_items(other, today=today) if i.kind == "check"]
    assert checks == [report.pk]
