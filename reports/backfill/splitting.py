"""Cutting runs of digits back into the cells they were printed in — only where forced.

Pure Python (no Django). A flattened table prints a row's cells with nothing between them
(「801000081」 for 80|1|0|0|0|0|81). `row_splits` lists every way to cut a row's runs into
its cells such that each piece is a well-formed number for its column (no leading zero, a
sign only in a signed column, a point only in a decimal column) and the format's equalities
over that row hold (its ERROR rules and declared totals). `prune` then uses the equalities
between rows (table 三's columns) to drop splits no choice of the other rows can satisfy.
A cell gets a value only when every split left gives it the same value; otherwise it stays
blank and is flagged 「无法唯一拆分」 — a wrong value is worse than a blank.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reports.formats.base import DECIMAL, CellSpec, EqualSums, Format, Severity, SumEquals

LIMIT = 200_000  # splits of one row beyond which the row is given up (flagged, not guessed)
PRODUCT_LIMIT = 200_000  # combinations one rule may try across rows

_INT = re.compile(r"^(0|[1-9]\d*)$")
_SIGNED = re.compile(r"^[+-]?(0|[1-9]\d*)$")
_DEC = re.compile(r"^(0|[1-9]\d*)(\.\d+)?$")

Split = tuple[Decimal | None, ...]  # None: the cell is blank in this split


class TooMany(Exception):
    """More splits than LIMIT: the row is not read."""


@dataclass(frozen=True)
class Equality:
    """Σ left = Σ right over cell codes (a SumEquals is total = Σ parts)."""

    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    def holds(self, values: Mapping[str, Decimal | None]) -> bool:
        """True when the sums agree — or when a cell is blank: blank is not 0, so an
        equality over a blank cell neither holds nor fails and rules nothing out."""
        found = [values.get(c) for c in self.cells]
        if any(v is None for v in found):
            return True
        return sum((values[c] for c in self.left), Decimal(0)) == sum(
            (values[c] for c in self.right), Decimal(0)
        )


def equalities(fmt: Format) -> list[Equality]:
    """The format's arithmetic: its ERROR sum rules and its declared totals (Column.sum_of,
    Row.sum_of), each once. Warnings (plausibility) and cross-year rules are not arithmetic a
    split may rely on."""
    found: dict[tuple, Equality] = {}
    for rule in fmt.rules:
        if rule.severity != Severity.ERROR:
            continue
        if isinstance(rule, SumEquals):
            eq = Equality((rule.total,), tuple(rule.parts))
        elif isinstance(rule, EqualSums):
            eq = Equality(tuple(rule.left), tuple(rule.right))
        else:
            continue
        found.setdefault((frozenset(eq.left), frozenset(eq.right)), eq)
    for spec in fmt.cells():
        if spec.computed_from:
            eq = Equality((spec.code,), spec.computed_from)
            found.setdefault((frozenset(eq.left), frozenset(eq.right)), eq)
    return list(found.values())


def well_formed(piece: str, spec: CellSpec) -> bool:
    """Whether `piece` can be one printed cell of `spec` inside a flattened run."""
    if spec.kind == DECIMAL:
        return bool(_DEC.match(piece))
    return bool((_SIGNED if spec.signed else _INT).match(piece))


def value_of(piece: str) -> Decimal:
    try:
        return Decimal(piece)
    except InvalidOperation:  # well_formed said yes: cannot happen, but never guess
        raise ValueError(piece) from None


def row_splits(
    runs: Sequence[str],
    specs: Sequence[CellSpec],
    inside: Iterable[Equality],
    *,
    blanks: bool = False,
) -> list[Split]:
    """Every split of `runs` (in order, each run one or more cells) into `specs`' cells that
    is well formed and satisfies the equalities `inside` (those over this row's cells only).
    With `blanks` (the table shows cells left blank), any cell may also be blank: the runs
    then fill some of the cells, in order. Raises TooMany beyond LIMIT candidate splits."""
    checks = list(inside)
    found: list[Split] = []
    counter = [0]
    size = len(specs)
    digits = sum(len(run) for run in runs)
    if blanks:
        subsets = [
            chosen
            for filled in range(len(runs), min(size, digits) + 1)
            for chosen in itertools.combinations(range(size), filled)
        ]
    else:
        subsets = [tuple(range(size))]
    for chosen in subsets:
        targets = [specs[i] for i in chosen]
        for pieces in _pieces(runs, targets, counter):
            values: list[Decimal | None] = [None] * size
            for index, piece in zip(chosen, pieces, strict=True):
                values[index] = value_of(piece)
            mapping = {spec.code: v for spec, v in zip(specs, values, strict=True)}
            if all(eq.holds(mapping) for eq in checks):
                found.append(tuple(values))
    return found


def _pieces(runs: Sequence[str], specs: Sequence[CellSpec], counter: list[int]):
    """Every way to cut `runs`, in order, into one well-formed piece per spec."""

    def cuts(text: str, first: int, count: int):
        if count == 1:
            if well_formed(text, specs[first]):
                yield (text,)
            return
        for end in range(1, len(text) - count + 2):
            head = text[:end]
            if well_formed(head, specs[first]):
                for rest in cuts(text[end:], first + 1, count - 1):
                    yield (head, *rest)
            elif head.startswith("0") and spec_is_int(specs[first]):
                break  # a longer head keeps its leading zero

    def place(run_index: int, first: int):
        if run_index == len(runs):
            if first == len(specs):
                counter[0] += 1
                if counter[0] > LIMIT:
                    raise TooMany
                yield ()
            return
        runs_left = len(runs) - run_index - 1
        run = runs[run_index]
        for count in range(1, min(len(run), len(specs) - first - runs_left) + 1):
            for head in cuts(run, first, count):
                for rest in place(run_index + 1, first + count):
                    yield (*head, *rest)

    yield from place(0, 0)


def spec_is_int(spec: CellSpec) -> bool:
    return spec.kind != DECIMAL


def prune(
    candidates: dict[str, list[Split]],
    row_codes: Mapping[str, tuple[str, ...]],
    fixed: Mapping[str, Decimal],
    across: Sequence[Equality],
) -> dict[str, list[Split]]:
    """Drop every split of a row that no choice among the other rows' splits lets satisfy an
    equality between rows; repeated until nothing changes. `candidates` maps a row key to its
    splits, `row_codes` a row key to its cells (in split order), `fixed` the cells read
    without doubt. An equality naming a cell that is neither is skipped (blank is not 0)."""
    where = {code: (key, i) for key, codes in row_codes.items() for i, code in enumerate(codes)}
    current = {key: list(splits) for key, splits in candidates.items()}
    changed = True
    while changed:
        changed = False
        for eq in across:
            rows = sorted({where[c][0] for c in eq.cells if c in where and c not in fixed})
            open_rows = [key for key in rows if len(current.get(key, ())) > 1]
            if not open_rows:
                continue
            unknown = [c for c in eq.cells if c not in fixed]
            if any(c not in where or not current.get(where[c][0]) for c in unknown):
                continue
            sizes = 1
            for key in rows:
                sizes *= len(current[key])
            if sizes > PRODUCT_LIMIT:
                continue
            keep: dict[str, set[int]] = {key: set() for key in rows}
            for combo in itertools.product(*(range(len(current[key])) for key in rows)):
                values = dict(fixed)
                for key, index in zip(rows, combo, strict=True):
                    values.update(zip(row_codes[key], current[key][index], strict=True))
                if eq.holds(values):
                    for key, index in zip(rows, combo, strict=True):
                        keep[key].add(index)
            for key in rows:
                if len(keep[key]) < len(current[key]):
                    current[key] = [s for i, s in enumerate(current[key]) if i in keep[key]]
                    changed = True
    return current


DIFFER = object()  # `agreed`: the splits left give this cell different values


def agreed(splits: Sequence[Split]) -> list:
    """Per cell, the value every split gives it (None: all leave it blank), or DIFFER."""
    if not splits:
        return []
    return [
        column[0] if all(v == column[0] for v in column) else DIFFER
        for column in zip(*splits, strict=True)
    ]
