"""The format registry: formats found on their own, timed against each other, nothing else edited."""

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reports.formats import FORMATS, FormatRegistryError, build_registry, gb2014, gb2019, gb2021

ROOT = Path(__file__).resolve().parents[2]


def later(fmt, code="gb2026", first_year=2026, **changes):
    return dataclasses.replace(
        fmt, code=code, name=f"{first_year}年格式", first_year=first_year, **changes
    )


def test_the_registry_holds_every_format_module_oldest_first():
    # A later format may be dropped in (issue 11): the three of today stay first, in order.
    assert list(FORMATS)[:3] == ["gb2014", "gb2019", "gb2021"]
    assert [(f.first_year, f.last_year) for f in list(FORMATS.values())[:2]] == [
        (2014, 2018),  # ended by gb2019, declared without a last year
        (2019, 2020),
    ]
    assert FORMATS["gb2021"].first_year == 2021
    starts = [f.first_year for f in FORMATS.values() if not f.variant_of]
    assert starts == sorted(starts)


def test_an_open_ended_format_ends_the_year_before_the_next_one_starts():
    registry = build_registry([gb2014.FORMAT, gb2019.FORMAT, gb2021.FORMAT, later(gb2021.FORMAT)])
    assert registry["gb2021"].last_year == 2025
    assert registry["gb2026"].last_year is None
    assert gb2021.FORMAT.last_year is None  # the declared format itself is not edited


def test_an_explicit_last_year_wins():
    ended_early = dataclasses.replace(gb2021.FORMAT, last_year=2024)
    registry = build_registry([ended_early, later(gb2021.FORMAT)])
    assert registry["gb2021"].last_year == 2024


def test_two_formats_starting_in_the_same_year_are_refused_by_name():
    with pytest.raises(FormatRegistryError, match="gb2021 与 gb2021b 都从 2021 年起施行"):
        build_registry([gb2021.FORMAT, later(gb2021.FORMAT, code="gb2021b", first_year=2021)])


def test_an_explicit_last_year_overlapping_the_next_format_is_refused():
    overlapping = dataclasses.replace(gb2019.FORMAT, last_year=2022)
    with pytest.raises(
        FormatRegistryError, match="gb2019 施行至 2022 年，与 gb2021（2021 年起）重叠"
    ):
        build_registry([overlapping, gb2021.FORMAT])


def test_a_repeated_code_is_refused():
    with pytest.raises(FormatRegistryError, match="格式代码重复：gb2021"):
        build_registry([gb2021.FORMAT, later(gb2021.FORMAT, code="gb2021")])


def test_a_variant_is_registered_but_takes_no_years():
    variant = later(gb2021.FORMAT, code="gb2021-x", first_year=2021, variant_of="gb2021")
    registry = build_registry([gb2019.FORMAT, gb2021.FORMAT, variant])
    assert registry["gb2021"].last_year is None
    assert registry["gb2021-x"].variant_of == "gb2021"


def test_a_derived_format_inherits_narrative_indicators_and_rules():
    derived = later(gb2021.FORMAT)
    assert derived.narrative is gb2021.FORMAT.narrative
    assert derived.indicators == gb2021.FORMAT.indicators
    assert derived.rules == gb2021.FORMAT.rules


def test_a_format_naming_cells_it_lacks_fails_at_import():
    with pytest.raises(ValueError, match="indicator applications names unknown cells"):
        dataclasses.replace(gb2019.FORMAT, indicators={"applications": ("t-r19",)})
    with pytest.raises(ValueError, match="unknown indicators"):
        dataclasses.replace(gb2019.FORMAT, indicators={"nonsense": ("t3-r1-c7",)})


def test_a_module_dropped_into_the_package_is_found_with_no_other_edit(tmp_path):
    """A copy of the package with one more module, exactly as issue 11 words it."""
    package = tmp_path / "reports"
    shutil.copytree(ROOT / "reports" / "formats", package / "formats")
    shutil.copy(ROOT / "reports" / "numbers.py", package / "numbers.py")
    (package / "__init__.py").write_text("")
    (package / "formats" / "gb2026.py").write_text(
        "import dataclasses\n"
        "from . import gb2021\n"
        'FORMAT = dataclasses.replace(gb2021.FORMAT, code="gb2026", name="2026年格式（试行）",'
        " first_year=2026)\n"
    )
    code = (
        "import json\n"
        "from reports.formats import FORMATS, format_for_year\n"
        "print(json.dumps({c: [f.first_year, f.last_year] for c, f in FORMATS.items()}"
        " | {'2025': format_for_year(2025).code, '2026': format_for_year(2026).code}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    found = json.loads(run.stdout)
    assert found["gb2021"] == [2021, 2025]
    assert found["gb2026"] == [2026, None]
    assert (found["2025"], found["2026"]) == ("gb2021", "gb2026")
