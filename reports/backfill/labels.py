"""Finding a format's printed labels in a report: every way a label may be printed.

Pure Python (no Django). Driven only by the format's declarations (row, column, header and
title labels of `reports.formats`), so a declared variant is read as soon as it is
registered. A row label is looked for as declared, without its trailing note (`brief`),
without its numbering, with one character misprinted when it is long (「维护具体行政行为」 for
「维持具体行政行为」), and under the wordings in `ALIASES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reports.formats.base import Format, Table, brief

from .text import GAP, body_of, fold, label_pattern

# Printed wordings of declared labels seen in published reports (declared body → printed).
ALIASES = {
    "行政规范性文件": ("规范性文件",),
    "本年新制作数量": ("本年度新制作数量",),
    "本年新公开数量": ("本年度公开数量", "本年度新公开数量"),
    "本年收费金额(单位:万元)": ("本年收费金额",),
}
FUZZY_MIN = 8  # a label body this long may be found with one character misprinted
MIN_BODY = 3  # an unnumbered or shortened variant must keep at least this many characters


@dataclass(frozen=True)
class Hit:
    start: int
    end: int


def variants(label: str, *, fuzzy: bool = True) -> tuple[re.Pattern, ...]:
    """The patterns of `label`, most specific first."""
    return _variants(label, fuzzy)


@lru_cache(maxsize=2048)
def _variants(label: str, fuzzy: bool) -> tuple[re.Pattern, ...]:
    label = label.split("\n")[0]
    found: list[re.Pattern] = [label_pattern(label)]
    short = brief(label)
    if short != label:
        found.append(label_pattern(short))
    for text in dict.fromkeys((label, short)):
        if len(body_of(text)) >= MIN_BODY and body_of(text) != fold(text):
            found.append(label_pattern(text, numbered=False))
    for alias in ALIASES.get(body_of(label), ()):
        found.append(label_pattern(alias))
    body = body_of(short)
    if fuzzy and len(body) >= FUZZY_MIN:
        chars = [re.escape(c) for c in body if not c.isspace()]
        options = [GAP.join(chars[:i] + [r"[^\s|\d]"] + chars[i + 1 :]) for i in range(len(chars))]
        found.append(re.compile("(?:" + "|".join(options) + ")"))
    return tuple(dict.fromkeys(found))


def find(text: str, label: str, *, fuzzy: bool = True) -> list[Hit]:
    """Every place `label` is printed in `text`, the longest reading at each place; a hit
    inside a longer hit of the same label is dropped."""
    hits: dict[int, int] = {}
    for pattern in variants(label, fuzzy=fuzzy):
        for match in pattern.finditer(text):
            if match.end() > match.start():
                hits[match.start()] = max(hits.get(match.start(), 0), match.end())
    ordered = sorted(hits.items())
    kept: list[Hit] = []
    for start, end in ordered:
        if kept and start < kept[-1].end:
            if end > kept[-1].end and start == kept[-1].start:
                kept[-1] = Hit(start, end)
            continue
        kept.append(Hit(start, end))
    return kept


def table_labels(table: Table) -> list[str]:
    """Everything a table prints as text: title, header cells, columns, rows."""
    found = [table.title, *table.labels()]
    return [label for label in dict.fromkeys(found) if label and len(fold(label).strip()) >= 2]


def boundaries(text: str, fmt: Format) -> list[int]:
    """Sorted starts of every label, header, table title and section title of `fmt` printed
    in `text`: where the numbers after a label end."""
    labels = [label for table in fmt.tables for label in table_labels(table)]
    labels += [section.title for section in fmt.narrative.sections if section.title]
    starts: set[int] = set()
    for label in dict.fromkeys(labels):
        starts.update(hit.start for hit in find(text, label))
    return sorted(starts)
