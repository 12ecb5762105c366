"""Consistency rules (勾稽关系, formats.md §7) as data, and the findings they report.

Each rule reads cells by code and compares sums; messages name the cells and print the numbers
(without trailing zeros). Blank policy: a rule skips when any cell it needs is blank (None or
missing) — blank is not 0. Cross-year rules receive ``previous=(last_format, last_values)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from reports.numbers import format_number

Values = Mapping[str, Decimal | None]

if TYPE_CHECKING:
    from typing import TypeAlias

    from .base import Format

    Previous: TypeAlias = tuple[Format, Values] | None  # last year's (format, values)


class Severity(StrEnum):
    ERROR = "error"  # formats.md §7 HARD: must hold, blocks submission
    WARNING = "warning"  # formats.md §7 SOFT: plausibility, the reviewer decides
    HINT = "hint"  # for the reader only: needs no explanation at submission (issue 15)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    cells: tuple[str, ...]  # this filing's cells involved
    previous_cells: tuple[str, ...] = ()  # cross-year rules: last year's cells involved


def _known(values: Values, codes: tuple[str, ...]) -> list[Decimal] | None:
    """The values of `codes`, or None when any is blank (rules skip blanks; blank is not 0).

    A value that is not a finite number counts as blank here; the type check reports it.
    """
    found = [values.get(code) for code in codes]
    if any(value is None or not Decimal(value).is_finite() for value in found):
        return None
    return found


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One check. ``id`` is stable within its format: the formats.md §7 number, then a letter for
    a sub-check and/or ".<column or row code>" for a per-column/per-row variant ("13", "15a",
    "1.c7", "3.r3_3_1"). ``description`` (Chinese) is for a rules list page."""

    id: str
    severity: Severity
    description: str
    where: str = ""  # message prefix locating the check, e.g. "表三 自然人列："

    @property
    def number(self) -> str:
        """The formats.md §7 rule this check implements: "15a" → "15", "1.c7" → "1"."""
        return self.id.split(".")[0].rstrip("abcdefgh")

    def cell_codes(self) -> tuple[str, ...]:
        """This filing's cells the rule reads."""
        raise NotImplementedError

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        raise NotImplementedError

    def _found(self, message: str, previous_cells: tuple[str, ...] = ()) -> list[Finding]:
        return [
            Finding(self.id, self.severity, self.where + message, self.cell_codes(), previous_cells)
        ]


@dataclass(frozen=True, kw_only=True)
class SumEquals(Rule):
    """total = Σ parts."""

    total: str
    parts: tuple[str, ...]
    total_name: str
    parts_name: str

    def cell_codes(self) -> tuple[str, ...]:
        return (self.total, *self.parts)

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        known = _known(values, self.cell_codes())
        if known is None or known[0] == sum(known[1:]):
            return []
        total, parts = format_number(known[0]), format_number(sum(known[1:]))
        return self._found(f"{self.total_name} {total} ≠ {self.parts_name} {parts}")


@dataclass(frozen=True, kw_only=True)
class EqualSums(Rule):
    """Σ left = Σ right."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    left_name: str
    right_name: str

    def cell_codes(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        left, right = _known(values, self.left), _known(values, self.right)
        if left is None or right is None or sum(left) == sum(right):
            return []
        return self._found(
            f"{self.left_name} {format_number(sum(left))} ≠ "
            f"{self.right_name} {format_number(sum(right))}"
        )


@dataclass(frozen=True, kw_only=True)
class AtMost(Rule):
    """Σ small ≤ Σ big."""

    small: tuple[str, ...]
    big: tuple[str, ...]
    small_name: str
    big_name: str

    def cell_codes(self) -> tuple[str, ...]:
        return (*self.small, *self.big)

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        small, big = _known(values, self.small), _known(values, self.big)
        if small is None or big is None or sum(small) <= sum(big):
            return []
        return self._found(
            f"{self.small_name} {format_number(sum(small))} > "
            f"{self.big_name} {format_number(sum(big))}"
        )


@dataclass(frozen=True, kw_only=True)
class AtLeastMax(Rule):
    """cell ≥ max(others)."""

    cell: str
    others: tuple[str, ...]
    cell_name: str
    others_name: str

    def cell_codes(self) -> tuple[str, ...]:
        return (self.cell, *self.others)

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        known = _known(values, self.cell_codes())
        if known is None or known[0] >= max(known[1:]):
            return []
        return self._found(
            f"{self.cell_name} {format_number(known[0])} < "
            f"{self.others_name}中的最大值 {format_number(max(known[1:]))}"
        )


@dataclass(frozen=True)
class Term:
    """One signed addend of a cross-year expression, read from last year's filing or this one."""

    code: str
    name: str
    sign: int = 1
    previous: bool = False


@dataclass(frozen=True, kw_only=True)
class PreviousYearEquals(Rule):
    """cell = Σ ±terms, some terms read from last year's filing; skipped without one.

    Last year's cells are looked up by code in last year's format: a code that format does not
    have (a filing in an older format) makes the rule skip silently, like a blank does.
    """

    cell: str
    cell_name: str
    terms: tuple[Term, ...]
    hint: str = ""

    def cell_codes(self) -> tuple[str, ...]:
        return (self.cell, *(t.code for t in self.terms if not t.previous))

    def check(self, values: Values, previous: Previous = None) -> list[Finding]:
        if previous is None:
            return []
        last_format, last_values = previous
        if not all(last_format.has_cell(t.code) for t in self.terms if t.previous):
            return []
        this = values.get(self.cell)
        found = [(last_values if t.previous else values).get(t.code) for t in self.terms]
        if this is None or any(value is None for value in found):
            return []
        expected = sum(
            (t.sign * value for t, value in zip(self.terms, found, strict=True)), Decimal(0)
        )
        if this == expected:
            return []
        parts = []
        for i, (term, value) in enumerate(zip(self.terms, found, strict=True)):
            sign = "−" if term.sign < 0 else ("+" if i else "")
            parts.append(f"{sign} {term.name} {format_number(value)}".strip())
        expression = " ".join(parts)
        if len(self.terms) > 1:
            expression += f" = {format_number(expected)}"
        last_cells = tuple(t.code for t in self.terms if t.previous)
        return self._found(
            f"{self.cell_name} {format_number(this)} ≠ {expression}{self.hint}", last_cells
        )
