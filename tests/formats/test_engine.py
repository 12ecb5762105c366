"""The registry and what every format offers: compute_totals, cells, labels, number printing."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from reports.formats import (
    FORMATS,
    find_format,
    format_choices,
    format_for_year,
    format_number,
    get_format,
)

ROOT = Path(__file__).resolve().parents[2]


def test_choices_list_the_formats_oldest_first_with_chinese_names():
    assert format_choices()[:3] == [
        ("gb2014", "2014年格式（国办发〔2014〕32号）"),
        ("gb2019", "2019年格式（国办公开办函〔2019〕60号，试行）"),
        ("gb2021", "2021年格式（国办公开办函〔2021〕30号）"),
    ]


def test_get_format_raises_key_error_naming_the_known_codes():
    with pytest.raises(KeyError, match="gb2021"):
        get_format("gb2030")
    assert find_format("gb2030") is None
    assert find_format(None) is None
    assert find_format("gb2019") is FORMATS["gb2019"]


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2016, "gb2014"),
        (2018, "gb2014"),
        (2019, "gb2019"),
        (2020, "gb2019"),
        (2021, "gb2021"),
        (2025, "gb2021"),
    ],
)
def test_format_for_year_follows_the_timeline(year, code):
    assert format_for_year(year).code == code


def test_unknown_cell_raises_key_error():
    with pytest.raises(KeyError, match="t3-r9-c1"):
        get_format("gb2021").cell("t3-r9-c1")


# The pure layers (docs/decisions/0007): formats, the filing as plain data, its checks, its
# renderings and documents. Every module of reports/formats is listed by walking the package.
PURE = [
    "reports.numbers",
    "reports.filing_data",
    "reports.findings",
    "reports.comparison",
    "reports.compilation",
    "reports.corrections",
    "reports.publication",
    "reports.validation",
    "reports.rendering",
    "reports.documents",
    "reports.documents.docx",
    "reports.demo.nanchang_2018",
]


def test_importing_the_pure_layers_does_not_import_django():
    code = (
        "import importlib, pkgutil, sys, reports.formats as f\n"
        f"names = {PURE!r}"
        " + ['reports.formats.' + m.name for m in pkgutil.iter_modules(f.__path__)]\n"
        "for name in names: importlib.import_module(name)\n"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_cell_codes_are_unique_ascii_and_built_from_table_row_and_column(fmt):
    cells = fmt.cells()
    assert len({c.code for c in cells}) == len(cells)
    for c in cells:
        assert c.code.isascii()
        expected = "-".join(p for p in (c.table_code, c.row_code, c.column_code) if p)
        assert c.code == expected
        assert fmt.table(c.table_code).cell(c.row_code, c.column_code) is c


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_compute_totals_computes_every_total_from_its_parts(fmt):
    values = {
        spec.code: Decimal(i % 7 + 1)
        for i, spec in enumerate(fmt.cells())
        if not spec.computed_from
    }

    totals = fmt.compute_totals(values)

    for spec in fmt.cells():
        if spec.computed_from:
            assert totals[spec.code] == sum(totals[part] for part in spec.computed_from)


def test_compute_totals_sums_table_three_and_four_of_2021():
    fmt = get_format("gb2021")
    values = fmt.empty_values() | {
        "t3-r3_1-c1": Decimal(4),
        "t3-r3_6_2-c2": Decimal(1),
        "t3-r1-c3": Decimal(2),
        "t4-r1-c6": Decimal(5),
        "t4-r1-c9": Decimal(1),
    }

    totals = fmt.compute_totals(values)

    assert totals["t3-r3_7-c1"] == 4
    assert totals["t3-r3_7-c2"] == 1
    assert totals["t3-r3_7-c7"] == 5
    assert totals["t3-r1-c7"] == 2
    assert totals["t4-r1-c10"] == 6


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_compute_totals_leaves_totals_blank_when_all_parts_are_blank(fmt):
    totals = fmt.compute_totals(fmt.empty_values())

    assert all(totals[spec.code] is None for spec in fmt.cells())


def test_compute_totals_overwrites_a_typed_total_in_a_copy_only():
    fmt = get_format("gb2019")
    values = fmt.empty_values() | {"t4-r1-c1": Decimal(1), "t4-r1-c5": Decimal(9)}

    totals = fmt.compute_totals(values)

    assert totals["t4-r1-c5"] == 1
    assert values["t4-r1-c5"] == 9


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.3000", "0.3"),
        ("100", "100"),
        ("1E+2", "100"),
        ("-18", "-18"),
        ("75394432.52", "75394432.52"),
        ("0", "0"),
        ("2.0", "2"),
    ],
)
def test_numbers_print_without_trailing_zeros(value, text):
    assert format_number(Decimal(value)) == text


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=list(FORMATS))
def test_every_printed_row_label_is_in_labels(fmt):
    labels = fmt.labels()
    for table in fmt.tables:
        assert all(row.label in labels for row in table.rows if row.label)
        assert all(column.label in labels for column in table.columns)
