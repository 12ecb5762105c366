"""A document as one searchable string, and the patterns that find a printed label in it.

Pure Python (no Django). `Stream` is the document's lines joined by newlines after NFKC
folding (full-width 「（」「１」 → 「(」「1」), so a label matches whatever width the report
printed it in; every position maps back to its line. `label_pattern` lets a label run across
line breaks, spaces and table-cell bars (a label broken by PDF extraction or a narrow cell)
and its numbering be printed as 「1.」「1、」「1．」.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .extract import Document, Line

# What may stand between two characters of a label broken across lines or cells.
GAP = r"[\s|]*"
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、])")


def fold(text: str) -> str:
    """NFKC, character by character (so positions still map one to one), quotes unified."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        out.append(_QUOTES.get(folded, folded))
    return "".join(out)


_QUOTES = {"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\u3000": " "}


@dataclass
class Stream:
    """The folded text of a document; `where(start, end)` names the lines of a span."""

    document: Document
    text: str
    starts: list[int]  # offset of each line's first character
    dense: list[int]  # dense[i]: characters before offset i that are neither blank nor a bar

    @classmethod
    def of(cls, document: Document) -> Stream:
        starts, offset = [], 0
        for line in document.lines:
            starts.append(offset)
            offset += len(line.text) + 1
        text = fold(document.text)
        dense, count = [0], 0
        for char in text:
            count += not (char.isspace() or char == "|")
            dense.append(count)
        return cls(document, text, starts, dense)

    def distance(self, start: int, end: int) -> int:
        """Printed characters between two offsets: blanks and cell bars do not count, so an
        indented HTML table is as close as a flattened one."""
        return self.dense[max(end, start)] - self.dense[start]

    def reach(self, start: int, printed: int) -> int:
        """The offset `printed` printed characters after `start` (or the end of the text)."""
        target = self.dense[start] + printed
        return min(bisect.bisect_left(self.dense, target, lo=start), len(self.text))

    def line_at(self, offset: int) -> Line:
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.document.lines[index]

    def lines_of(self, start: int, end: int) -> tuple[Line, ...]:
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, max(start, end - 1)) - 1
        return self.document.lines[max(first, 0) : last + 1]

    def printed(self, start: int, end: int) -> str:
        """The original (unfolded) text of a span, its line breaks shown as 「⏎」."""
        return self.document.text[start:end].replace("\n", "⏎")


def split_numbering(label: str) -> tuple[str, str]:
    """("1.", "属于国家秘密") for "1.属于国家秘密"; ("", label) when unnumbered."""
    folded = fold(label)
    match = _NUMBERING.match(folded)
    return (match.group(), folded[match.end() :]) if match else ("", folded)


@lru_cache(maxsize=4096)
def label_pattern(label: str, numbered: bool = True) -> re.Pattern:
    """A regex finding `label` as printed: any gap of blanks or cell bars between its
    characters; its numbering (when `numbered`) in any of the usual punctuations."""
    numbering, body = split_numbering(label)
    chars = [re.escape(c) for c in body if not c.isspace()]
    pattern = GAP.join(chars)
    if numbered and numbering:
        core = re.escape(numbering.strip("()、."))
        head = rf"\({GAP}{core}{GAP}\)" if numbering.startswith("(") else rf"{core}{GAP}[.、,]"
        pattern = head + GAP + pattern
    return re.compile(pattern)


def body_of(label: str) -> str:
    """The label without its numbering, folded: "属于国家秘密"."""
    return split_numbering(label)[1]
