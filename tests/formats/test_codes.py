"""The codes of non-table things are built and read in one place."""

import pytest

from reports.formats import codes


def test_a_section_code_round_trips():
    assert codes.section_code("s1") == "n:s1"
    assert codes.parse("n:s1") == codes.Code("section", "n:s1", key="s1")


def test_a_website_code_round_trips_with_its_position():
    assert codes.website_code(12, "site_name") == "w12:site_name"
    parsed = codes.parse("w12:site_name")
    assert (parsed.kind, parsed.position, parsed.key) == ("website", 12, "site_name")
    assert codes.website_field("w12:site_name", 12) == "site_name"
    assert codes.website_field("w12:site_name", 1) is None


@pytest.mark.parametrize("code", ["t3-r1-c7", "t-r19", "wx:site", "w:site"])
def test_anything_else_is_a_table_cell(code):
    assert codes.parse(code).kind == "cell"
