"""What reading a published report found: each cell with its source, the flags, the narrative.

Pure Python (no Django). Statuses of a cell (`CellReading.status`):

* ``printed`` — the report prints the value in a cell of its own: certain;
* ``split`` — the value comes from a flattened run (「801000081」) that the format's
  arithmetic cuts in exactly one way (every split left agrees on this cell);
* ``blank`` — the row was found and prints nothing in this cell: left blank, not a flag;
* ``ambiguous`` — 「无法唯一拆分」: the run can be cut several ways (or none satisfies the
  arithmetic); blank, flagged with the raw text;
* ``unreadable`` — the row was found but what follows it cannot be matched to its cells
  (more numbers than cells, a unit other than the cell's, a number the cell cannot hold):
  blank, flagged;
* ``missing`` — the row's label was not found in the report: blank.

Only ``printed`` and ``split`` cells carry a value; nothing else is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from reports.numbers import format_number

VALUED = ("printed", "split")
FLAGGED = ("ambiguous", "unreadable")
AMBIGUOUS = "无法唯一拆分"
CONFIDENCE = {"printed": 1.0, "split": 0.9}


@dataclass(frozen=True)
class Source:
    """Where a value was printed: lines (1-based), PDF page, and the printed text."""

    first_line: int
    last_line: int
    page: int | None
    text: str  # the row as printed (label and values), shortened
    raw: str = ""  # the printed run this cell's value came from: 「801000081」

    def where(self) -> str:
        lines = (
            f"第{self.first_line}行"
            if self.first_line == self.last_line
            else f"第{self.first_line}–{self.last_line}行"
        )
        return (f"第{self.page}页" if self.page else "") + lines

    def to_json(self) -> dict:
        return {
            "lines": [self.first_line, self.last_line],
            "page": self.page,
            "text": self.text,
            "raw": self.raw,
        }


@dataclass(frozen=True)
class CellReading:
    code: str
    label: str
    status: str
    value: Decimal | None = None
    source: Source | None = None
    message: str = ""  # for a flagged cell: why it stays blank (Chinese)

    @property
    def confidence(self) -> float:
        return CONFIDENCE.get(self.status, 0.0)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "status": self.status,
            "value": None if self.value is None else format_number(self.value),
            "confidence": self.confidence,
            "source": self.source.to_json() if self.source else None,
            "message": self.message,
        }


@dataclass(frozen=True)
class Unplaced:
    """Numbers printed in a table that no cell could take, with where they stand."""

    text: str
    source: Source
    reason: str

    def to_json(self) -> dict:
        return {"text": self.text, "reason": self.reason, "source": self.source.to_json()}


@dataclass(frozen=True)
class SectionReading:
    key: str
    title: str
    text: str
    source: Source | None

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "text": self.text,
            "source": self.source.to_json() if self.source else None,
        }


@dataclass
class Reading:
    """A whole report read against one format."""

    format_code: str
    file_name: str
    sha256: str
    kind: str
    cells: dict[str, CellReading] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    sections: dict[str, SectionReading] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # table-level remarks (header order …)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the tables stand

    def values(self) -> dict[str, Decimal]:
        """The cells read with a value: only these are ever written."""
        return {c.code: c.value for c in self.cells.values() if c.status in VALUED}

    def flagged(self) -> list[CellReading]:
        return [c for c in self.cells.values() if c.status in FLAGGED]

    def count(self, *statuses: str) -> int:
        return sum(1 for c in self.cells.values() if c.status in statuses)

    def to_json(self) -> dict:
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "kind": self.kind,
            "format": self.format_code,
            "summary": {
                "cells": len(self.cells),
                "printed": self.count("printed"),
                "split": self.count("split"),
                "blank": self.count("blank"),
                "flagged": self.count(*FLAGGED),
                "missing": self.count("missing"),
                "sections": len(self.sections),
            },
            "cells": [c.to_json() for c in self.cells.values()],
            "unplaced": [u.to_json() for u in self.unplaced]
            + [
                {"text": c.source.raw if c.source else "", "reason": c.message, "cell": c.code}
                for c in self.flagged()
            ],
            "notes": self.notes,
            "sections": [s.to_json() for s in self.sections.values()],
        }
