"""Reading the corpus reports against hand-checked truth: no wrong value, every certain cell
of the clean tables found (bench/backfill.py prints recall and precision per file)."""

import pytest

from reports.backfill import read_report
from reports.formats import get_format
from tests.backfill.scoring import CORPUS, load, score, truth_files

TRUTHS = {path.stem: path for path in truth_files()}
# Files whose tables are printed whole (cell-separated or flattened without shifted rows):
# every cell a reader is certain of must be read.
WHOLE = {
    "2018_hebei-jiaoyuting-tongjibiao", "2019_hebei-jiaoyuting", "2019_hebei-gongxinting",
    "2020_hebei-gongxinting", "2020_hebei-kejiting", "2021_hebei-gongxinting",
    "2021_hebei-jiaoyuting", "2021_hebei-kejiting", "2022_hebei-jiaoyuting",
    "2022_hebei-kejiting", "2023_hebei-jiaoyuting", "2023_pingtan", "2024_pingtan",
}  # fmt: skip


def _read(stem):
    truth = load(TRUTHS[stem])
    data = (CORPUS / truth.file).read_bytes()
    return truth, read_report(data, truth.file, get_format(truth.format_code))


def test_the_truth_covers_every_format_both_flattened_and_cell_separated():
    formats = {load(path).format_code for path in TRUTHS.values()}
    assert {"gb2014", "gb2019", "gb2021"} <= formats
    assert len(TRUTHS) >= 12


@pytest.mark.parametrize("stem", sorted(TRUTHS))
def test_no_value_is_read_that_the_report_does_not_print_for_certain(stem):
    truth, reading = _read(stem)
    assert score(truth, reading.values()).wrong == []


@pytest.mark.parametrize("stem", sorted(WHOLE))
def test_every_certain_cell_of_a_whole_table_is_read(stem):
    truth, reading = _read(stem)
    assert score(truth, reading.values()).missed == []


@pytest.mark.parametrize("stem", sorted(TRUTHS))
def test_every_uncertain_cell_is_blank_and_flagged_or_left_out(stem):
    truth, reading = _read(stem)
    for code in truth.uncertain:
        cell = reading.cells[code]
        assert cell.value is None
        assert cell.status in ("ambiguous", "unreadable", "missing", "blank"), code


def test_a_flattened_run_the_arithmetic_cuts_one_way_is_split_with_its_source():
    _, reading = _read("2023_pingtan")
    cell = reading.cells["t3-r1-c1"]
    assert (cell.status, cell.value, cell.source.raw) == ("split", 80, "801000081")
    assert "一、本年新收政府信息公开申请数量801000081" in cell.source.text
    assert reading.cells["t3-r1-c7"].value == 81


def test_a_run_with_several_splits_stays_blank_and_says_why():
    _, reading = _read("2023_pingtan")
    cell = reading.cells["t2-r2-issued"]
    assert cell.value is None and cell.status == "ambiguous"
    assert cell.message.startswith("无法唯一拆分") and "77132470" in cell.message


def test_the_column_sums_of_table_three_decide_a_row_its_own_total_cannot():
    # 191000020 is 19|1|0|0|0|0|20 or 1|9|10|0|0|0|20; only the first keeps 科研机构's column sum.
    _, reading = _read("2023_pingtan")
    assert [reading.cells[f"t3-r3_2-c{i}"].value for i in range(1, 8)] == [19, 1, 0, 0, 0, 0, 20]


def test_a_total_no_split_satisfies_is_flagged_not_forced():
    _, reading = _read("2022_hebei-kejiting")  # （七）总计 20000011: a misprint
    assert all(reading.cells[f"t3-r3_7-c{i}"].status == "ambiguous" for i in range(1, 8))


def test_a_narrative_sentence_naming_a_row_is_not_a_table():
    _, reading = _read("2017_hebei-jiaoyuting")  # 「其中政府网站公开政府信息数774条」
    assert reading.values() == {}


def test_the_narrative_is_cut_into_the_formats_sections():
    _, reading = _read("2023_pingtan")
    assert set(reading.sections) >= {"intro", "s1", "s5", "s6"}
    assert reading.sections["s6"].text == "2023年，无收取信息处理费情况。"
    assert reading.sections["s1"].text.startswith("2023年，平潭综合实验区坚持")
    assert "第二十条" not in reading.sections["s1"].text
