"""Hand-checked truth of corpus reports and how a reading scores against it.

A truth file (`truth/<report>.json`) lists, per table, each printed row's cells in the
format's column order: a number is the value a careful reader is certain of, ``_`` a cell the
report prints blank, ``?`` a cell the text does not determine (several splits, a shifted
row). ``"*"`` stands for every data row not listed. A row not listed (and no ``"*"``) is not
printed. Only certain cells count for recall; any value read where the truth has none
(``_``, ``?`` or an unprinted row) counts as wrong, as does a value that differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reports.formats import get_format

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "backfill" / "truth"
CORPUS = ROOT / "fixtures" / "corpus"


@dataclass
class Truth:
    file: str
    format_code: str
    certain: dict[str, Decimal] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)


@dataclass
class Score:
    certain: int
    correct: int
    wrong: list[str]
    missed: list[str]

    @property
    def read(self) -> int:
        return self.correct + len(self.wrong)

    @property
    def recall(self) -> float:
        return self.correct / self.certain if self.certain else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.read if self.read else 1.0


def truth_files() -> list[Path]:
    return sorted(TRUTH.glob("*.json"))


def load(path: Path) -> Truth:
    data = json.loads(path.read_text(encoding="utf-8"))
    fmt = get_format(data["format"])
    truth = Truth(data["file"], data["format"])
    for table_code, rows in data["tables"].items():
        table = fmt.table(table_code)
        for row in table.rows:
            if row.heading:
                continue
            printed = rows.get(row.code, rows.get("*"))
            if printed is None:
                continue
            columns = table.row_columns(row)
            tokens = printed.split()
            assert len(tokens) == len(columns), f"{path.name} {table_code} {row.code}: {printed}"
            for column, token in zip(columns, tokens, strict=True):
                code = table.cell_code(row.code, column.code)
                if token == "?":
                    truth.uncertain.add(code)
                elif token != "_":
                    truth.certain[code] = Decimal(token)
    return truth


def score(truth: Truth, values: dict[str, Decimal]) -> Score:
    correct, wrong, missed = 0, [], []
    for code, value in values.items():
        expected = truth.certain.get(code)
        if expected is not None and expected == value:
            correct += 1
        else:
            wrong.append(f"{code}: 读出 {value}，应为 {expected if expected is not None else '空'}")
    missed = [code for code in truth.certain if code not in values]
    return Score(len(truth.certain), correct, wrong, missed)
