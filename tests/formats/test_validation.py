"""validate(): every rule of every format, the blank policy, type checks and cross-year checks."""

from decimal import Decimal

import pytest

from reports.demo.nanchang_2018 import STATS_2018
from reports.formats import FORMATS, get_format
from reports.formats.base import (
    AtLeastMax,
    AtMost,
    EqualSums,
    PreviousYearEquals,
    Severity,
    SumEquals,
    format_number,
)
from reports.validation import errors, validate, warnings

D = Decimal
GB2014, GB2019, GB2021 = (get_format(code) for code in ("gb2014", "gb2019", "gb2021"))


def consistent(fmt):
    """A non-trivial filing on which every rule of `fmt` holds."""
    if fmt.code == "gb2014":
        # The seed with its two slips corrected.
        values = {code: D(text) for code, text in STATS_2018.items()}
        return values | {"t-r22": D(1), "t-r28": D(0)}
    if fmt.variant_of == "gb2014":  # 福建's 统计表: 本年度 n, 历年累计 10n, totals summed
        table = fmt.tables[0]
        values = {}
        for n, row in enumerate(table.rows, 1):
            values |= {
                table.cell_code(row.code, "year"): D(n),
                table.cell_code(row.code, "total"): D(10 * n),
            }
        for rule in fmt.rules:
            if isinstance(rule, SumEquals):
                values[rule.total] = sum(values[part] for part in rule.parts)
            if isinstance(rule, AtLeastMax):
                values[rule.cell] = D(100 if rule.cell.endswith("year") else 1000)
        return values
    values = fmt.zero_values()
    t3 = fmt.table("t3")
    for i, row in enumerate(t3.row("r3_7").sum_of):
        for j in range(1, 7):
            values[f"t3-{row}-c{j}"] = D((i * 7 + j * 3) % 5)
    for j in range(1, 7):
        values[f"t3-r2-c{j}"] = D(j)
        values[f"t3-r4-c{j}"] = D(j % 3)
    for n in range(1, 16):
        values[f"t4-r1-c{n}"] = D(n % 4)
    values = fmt.compute_totals(values)
    for j in range(1, 7):  # 一 = （七）总计 + 四 − 二
        values[f"t3-r1-c{j}"] = (
            values[f"t3-r3_7-c{j}"] + values[f"t3-r4-c{j}"] - values[f"t3-r2-c{j}"]
        )
        assert values[f"t3-r1-c{j}"] >= 0
    values = fmt.compute_totals(values)
    if fmt.code == "gb2019":
        for row, (made, published, total) in {"r1": (3, 2, 40), "r2": (5, 5, 12)}.items():
            values |= {
                f"t2-{row}-made": D(made),
                f"t2-{row}-published": D(published),
                f"t2-{row}-public_total": D(total),
            }
        values |= {
            "t2-r5-prior": D(396),
            "t2-r5-delta": D(-18),
            "t2-r5-decided": D(52),
            "t2-r8-purchases": D(4),
            "t2-r8-amount": D("75394432.52"),
        }
    else:
        values |= {
            "t2-r1-issued": D(88),
            "t2-r1-repealed": D(55),
            "t2-r1-in_force": D(698),
            "t2-r3-decided": D(12),
            "t2-r7-fee": D("4068.208"),
        }
    return values


def consistent_previous(fmt, values):
    """Last year's filing (same format) that agrees with `values` on every cross-year rule."""
    last = dict(values)
    for j in range(1, 8):
        last[f"t3-r4-c{j}"] = values[f"t3-r2-c{j}"]
    if fmt.code == "gb2019":
        for n in range(3, 8):
            last[f"t2-r{n}-delta"] = D(-1)
            last[f"t2-r{n}-prior"] = values[f"t2-r{n}-prior"] + 1
    else:
        for n in (1, 2):
            last[f"t2-r{n}-in_force"] = (
                values[f"t2-r{n}-in_force"]
                - values[f"t2-r{n}-issued"]
                + values[f"t2-r{n}-repealed"]
            )
    return last


def violate(fmt, rule, values):
    """(values, previous, numbers the message must show) breaking exactly `rule`'s relation."""
    values, previous = dict(values), None
    match rule:
        case SumEquals():
            parts = sum(values[p] for p in rule.parts)
            values[rule.total] = parts + 7
            numbers = (parts + 7, parts)
        case EqualSums():
            values[rule.left[0]] += 5
            numbers = (sum(values[c] for c in rule.left), sum(values[c] for c in rule.right))
        case AtMost():
            big = sum(values[c] for c in rule.big)
            values[rule.small[0]] = big + 3
            numbers = (big + 3, big)
        case AtLeastMax():
            values[rule.others[0]] = values[rule.cell] + 10
            numbers = (values[rule.cell], values[rule.cell] + 10)
        case PreviousYearEquals():
            last = dict(values)
            previous = (fmt, last)
            expected = sum(t.sign * (last if t.previous else values)[t.code] for t in rule.terms)
            values[rule.cell] = expected + 4
            numbers = (expected + 4, expected)
        case _:
            raise AssertionError(f"no violation recipe for {type(rule).__name__}")
    return values, previous, numbers


ALL_RULES = [(fmt, rule) for fmt in FORMATS.values() for rule in fmt.rules]


@pytest.mark.parametrize(("fmt", "rule"), ALL_RULES, ids=[f"{f.code}:{r.id}" for f, r in ALL_RULES])
def test_rule_fires_on_a_crafted_violation(fmt, rule):
    values, previous, numbers = violate(fmt, rule, consistent(fmt))

    findings = [f for f in validate(fmt, values, previous) if f.rule_id == rule.id]

    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == rule.severity
    assert finding.cells == rule.cell_codes()
    for number in numbers:
        assert format_number(number) in finding.message


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_consistent_filing_has_no_findings(fmt):
    values = consistent(fmt)
    has_previous_rules = fmt.code != "gb2014" and fmt.variant_of != "gb2014"
    previous = (fmt, consistent_previous(fmt, values)) if has_previous_rules else None

    assert validate(fmt, values, previous) == []


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_all_zero_filing_with_computed_totals_has_no_findings(fmt):
    values = fmt.compute_totals(fmt.zero_values())

    assert validate(fmt, values, (fmt, values)) == []


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_an_empty_filing_reports_each_table_blank_once_and_what_it_left_unchecked(fmt):
    findings = validate(fmt, fmt.empty_values())

    required = [f for f in findings if f.rule_id == "required"]
    assert len(required) == len(fmt.tables)
    assert {f.severity for f in required} == {"error"}
    assert sorted(c for f in required for c in f.cells) == sorted(c.code for c in fmt.cells())
    assert all("全表 未填写（无数据请填 0）" in f.message for f in required)
    unchecked = [f for f in findings if f.rule_id == "unchecked"]
    assert {f.severity for f in unchecked} <= {"hint"}
    assert {f.rule_id for f in findings} <= {"required", "unchecked"}


def test_required_finding_names_the_cell_and_asks_for_zero():
    values = consistent(GB2021) | {"t3-r1-c1": None}

    findings = validate(GB2021, values)

    required = [f for f in findings if f.rule_id == "required"]
    assert [(f.message, f.cells, f.severity) for f in required] == [
        (
            "表三 一、本年新收政府信息公开申请数量·自然人 未填写（无数据请填 0）",
            ("t3-r1-c1",),
            "error",
        ),
    ]


def test_one_blank_gives_one_blank_finding_and_one_unchecked_hint_naming_it():
    values = consistent(GB2021) | {"t3-r1-c7": None}

    findings = validate(GB2021, values)

    assert [(f.rule_id, f.severity) for f in findings] == [
        ("required", "error"),
        ("unchecked", "hint"),
    ]
    hint = findings[1]
    assert hint.message.startswith("无法核对：表三 总计列：一 + 二 = 三（七）总计 + 四")
    assert "表三 一、本年新收政府信息公开申请数量：总计 = 各类申请人之和" in hint.message
    assert hint.message.endswith("——表三 一、本年新收政府信息公开申请数量·总计 空白")
    assert hint.cells == ("t3-r1-c7",)


def test_a_historical_filings_blanks_are_warnings_grouped_by_table():
    values = (
        consistent(GB2021)
        | {"t3-r1-c1": None, "t3-r1-c2": None}
        | {f"t3-r4-c{i}": None for i in range(1, 8)}
    )

    findings = validate(GB2021, values, historical=True)

    required = [f for f in findings if f.rule_id == "required"]
    assert [(f.severity, f.message) for f in required] == [
        (
            "warning",
            "表三 共9格 原表空白：一、本年新收政府信息公开申请数量·自然人、商业企业；"
            "四、结转下年度继续办理（整行）",
        )
    ]
    unchecked = [f for f in findings if f.rule_id == "unchecked"]
    assert len(unchecked) == 1 and unchecked[0].severity == "hint"
    assert "等9条勾稽关系" in unchecked[0].message and "等9格 空白" in unchecked[0].message


def test_rules_skip_when_a_cell_they_need_is_blank():
    values = consistent(GB2019) | {"t3-r1-c7": None}
    values["t3-r1-c1"] += 1  # would break rules 1.c1 and 3.r1 if blanks were read as 0

    ids = {f.rule_id for f in validate(GB2019, values)}

    assert "3.r1" not in ids
    assert "1.c7" not in ids
    assert "1.c1" in ids


def test_shanghai_style_blank_totals_break_no_rule_but_are_reported_as_blank():
    values = consistent(GB2019)
    for spec in GB2019.cells():
        if spec.computed_from:
            values[spec.code] = None

    findings = validate(GB2019, values, historical=True)

    assert {(f.rule_id, f.severity) for f in findings} == {
        ("required", "warning"),
        ("unchecked", "hint"),
    }
    for finding in findings:
        assert "原表空白" in finding.message or finding.message.startswith("无法核对：")


@pytest.mark.parametrize(
    ("fmt", "code", "value", "problem"),
    [
        (GB2019, "t3-r1-c1", "-1", "不能为负数（填写的是 -1）"),
        (GB2021, "t4-r1-c2", "1.5", "应为整数（填写的是 1.5）"),
        (GB2019, "t2-r8-amount", "10.123", "最多保留2位小数（填写的是 10.123）"),
        (GB2021, "t2-r7-fee", "4068.2080001", "最多保留6位小数（填写的是 4068.2080001）"),
        (GB2014, "t-r53", "0.3000001", "最多保留6位小数（填写的是 0.3000001）"),
        (GB2014, "t-s7", "-0.3", "不能为负数（填写的是 -0.3）"),
    ],
)
def test_type_check_names_the_cell_and_the_value(fmt, code, value, problem):
    values = consistent(fmt) | {code: D(value)}

    findings = [f for f in validate(fmt, values) if f.rule_id == "type"]

    assert [(f.message, f.cells, f.severity) for f in findings] == [
        (f"{fmt.cell(code).label} {problem}", (code,), Severity.ERROR),
    ]


@pytest.mark.parametrize(
    ("fmt", "code", "value"),
    [(GB2019, "t2-r5-delta", "-18"), (GB2014, "t-r53", "0.3000"), (GB2021, "t3-r4-c1", "2.0")],
)
def test_type_check_accepts_signed_change_trailing_zeros_and_whole_decimals(fmt, code, value):
    values = consistent(fmt) | {code: D(value)}

    assert [f for f in validate(fmt, values) if f.rule_id == "type"] == []


def test_cross_year_rules_skip_without_a_previous_filing():
    values = consistent(GB2021) | {"t3-r2-c1": D(99), "t2-r1-in_force": D(1)}

    assert not any(f.rule_id.startswith(("5.", "11.")) for f in validate(GB2021, values))


def test_carry_over_compares_a_2020_filing_with_a_2021_one():
    values = consistent(GB2021)
    last_year = consistent(GB2019) | {f"t3-r4-c{j}": values[f"t3-r2-c{j}"] for j in range(1, 8)}
    last_year["t3-r4-c1"] = D(3)

    findings = validate(GB2021, values, (GB2019, last_year))

    carry = [f for f in findings if f.rule_id.startswith("5.")]
    assert [(f.rule_id, f.severity, f.message) for f in carry] == [
        ("5.c1", "warning", "表三 自然人列：二、上年结转 1 ≠ 上年度报告四、结转下年度 3"),
    ]
    assert carry[0].cells == ("t3-r2-c1",)
    assert carry[0].previous_cells == ("t3-r4-c1",)
    assert not any(f.rule_id.startswith("11.") for f in findings)  # 2019 has no 现行有效件数


def test_cross_year_rules_skip_a_2014_previous_filing():
    values = consistent(GB2019) | {"t3-r2-c1": D(99)}
    last_year = consistent(GB2014)

    assert not any(
        f.rule_id.startswith("5.") for f in validate(GB2019, values, (GB2014, last_year))
    )


def test_in_force_warning_shows_the_arithmetic_and_invites_a_cell_note():
    last_year = consistent(GB2021) | {"t2-r1-in_force": D(665)}
    values = consistent(GB2021) | {"t2-r1-in_force": D(700)}

    (finding,) = [f for f in validate(GB2021, values, (GB2021, last_year)) if f.rule_id == "11.r1"]

    assert finding.message.startswith(
        "表二 第二十条第（一）项 规章：现行有效件数 700 ≠ "
        "上年度现行有效件数 665 + 本年制发件数 88 − 本年废止件数 55 = 698"
    )
    assert "备注" in finding.message
    assert finding.cells == ("t2-r1-in_force", "t2-r1-issued", "t2-r1-repealed")


def test_messages_follow_the_house_wording():
    values = consistent(GB2019)
    values["t3-r1-c7"] += 1
    values["t4-r1-c5"] += 2

    messages = {f.rule_id: f.message for f in validate(GB2019, values)}

    total = format_number(values["t3-r1-c7"])
    assert (
        messages["3.r1"]
        == f"表三 一、本年新收政府信息公开申请数量：总计 {total} ≠ 各类申请人之和 {int(total) - 1}"
    )
    assert messages["1.c7"].startswith("表三 总计列：一、本年新收+二、上年结转 ")
    assert messages["8.c5"].startswith("表四 行政复议：总计 ")


def test_errors_and_warnings_split_findings_by_severity():
    values = {code: D(text) for code, text in STATS_2018.items()} | {"t-r13": D(5)}

    findings = validate(GB2014, values)

    assert [f.rule_id for f in errors(findings)] == ["13", "15a"]
    assert [f.rule_id for f in warnings(findings)] == ["19b"]


def test_rule_ids_are_unique_and_every_rule_is_described():
    # Rule ids are unique per format and carry their §7 number before the dot.
    for fmt in FORMATS.values():
        ids = [rule.id for rule in fmt.rules]
        assert len(ids) == len(set(ids))
        assert all(rule.description for rule in fmt.rules)
        assert all(rule.severity in (Severity.ERROR, Severity.WARNING) for rule in fmt.rules)


def test_rule_sets_per_format_follow_formats_md_section_7():
    def numbers(fmt, severity):
        return sorted({r.id.split(".")[0] for r in fmt.rules if r.severity == severity})

    assert numbers(GB2014, "error") == ["13", "14", "15a", "15b", "16a", "16b", "17"]
    assert numbers(GB2014, "warning") == [
        "18a",
        "18b",
        "18c",
        "18d",
        "19a",
        "19b",
        "19c",
        "20a",
        "20b",
    ]
    assert numbers(GB2019, "error") == ["1", "2", "3", "8"]
    assert numbers(GB2019, "warning") == ["10a", "10b", "5"]
    assert numbers(GB2021, "error") == ["1", "2", "3", "8"]
    assert numbers(GB2021, "warning") == ["11", "5"]
    per_column = [r.id for r in GB2021.rules if r.id.startswith("1.")]
    assert per_column == [f"1.c{j}" for j in range(1, 8)]
    assert len([r for r in GB2021.rules if r.id.startswith("3.")]) == 25


def test_rule_number_groups_variants_under_their_formats_md_rule():
    # A regional variant's own rules (福建's 统计表, "fj-…") are not formats.md §7's.
    numbers = {
        rule.number
        for fmt in FORMATS.values()
        for rule in fmt.rules
        if not rule.id.startswith("fj-")
    }

    assert numbers == {
        "1",
        "2",
        "3",
        "5",
        "8",
        "10",
        "11",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "20",
    }


def test_a_non_number_is_a_type_error_and_rules_skip_it():
    values = consistent(GB2014) | {"t-r19": D("NaN")}

    findings = validate(GB2014, values)

    assert [(f.rule_id, f.cells) for f in findings] == [("type", ("t-r19",))]
