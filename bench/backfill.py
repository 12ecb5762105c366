"""Recall and precision of reading published reports, per corpus file with hand-checked truth.

    .venv/bin/python bench/backfill.py

For every `tests/backfill/truth/*.json`, reads `tests/fixtures/corpus/<file>` with
`reports.backfill.read_report` against the truth's format and prints: certain cells (those a
careful reader is sure of), cells read with a value, correct, wrong, recall (correct /
certain) and precision (correct / read), then the totals. Every wrong value is listed.
No database is used.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.backfill import read_report  # noqa: E402
from reports.formats import get_format  # noqa: E402
from tests.backfill.scoring import CORPUS, load, score, truth_files  # noqa: E402


def main() -> None:
    totals = [0, 0, 0, 0]
    print(
        f"{'file':42} {'fmt':7} {'certain':>7} {'read':>5} {'right':>5} {'wrong':>5} "
        f"{'recall':>7} {'precision':>9} {'ms':>6}"
    )
    for path in truth_files():
        truth = load(path)
        data = (CORPUS / truth.file).read_bytes()
        started = time.perf_counter()
        reading = read_report(data, truth.file, get_format(truth.format_code))
        elapsed = (time.perf_counter() - started) * 1000
        result = score(truth, reading.values())
        totals = [
            a + b
            for a, b in zip(
                totals,
                (result.certain, result.read, result.correct, len(result.wrong)),
                strict=True,
            )
        ]
        print(
            f"{truth.file:42} {truth.format_code:7} {result.certain:7} {result.read:5} "
            f"{result.correct:5} {len(result.wrong):5} {result.recall:7.1%} {result.precision:9.1%} {elapsed:6.0f}"
        )
        for line in result.wrong:
            print("    WRONG", line)
    certain, read, correct, wrong = totals
    print(
        f"{'TOTAL':42} {'':7} {certain:7} {read:5} {correct:5} {wrong:5} "
        f"{correct / certain:7.1%} {(correct / read if read else 1):9.1%}"
    )


if __name__ == "__main__":
    main()
