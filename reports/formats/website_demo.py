"""The demo loader's reading of the seed's printed website form (formats.md §5.2).

Pure Python (no Django). The seed's 报表 prints texts where numbers go (「22.69万」,
「一次不跑“1”项、只跑一次11项」): the demo keeps the number and puts the printed text in the
field's note. Entry forms and imports use `Field.parse` (or `Field.parse_as_printed` for a
历史补录 filing) instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from reports.numbers import parse_number

from .website import NUMERIC, WEBSITE_FORM, Field, FieldError


def split_number_and_note(field: Field, raw) -> tuple[Decimal | None, str]:
    """Demo loader only (§5.2: keep the number, put the text in the cell's note).

    「1,980,321」「3天」 → (the number, ""); 「22.69万」 → (226900, "22.69万"); a sentence such as
    「一次不跑“1”项、只跑一次11项」 → (the sum of the numbers it holds, 12, and the sentence);
    text without a number → (None, text). Entry forms use `Field.parse`, which refuses text.
    """
    text = "" if raw is None else str(raw).strip()
    try:
        value = field.parse(text)
    except FieldError:
        folded = unicodedata.normalize("NFKC", text)
        numbers = [parse_number(n) for n in re.findall(r"[0-9]+(?:\.[0-9]+)?万?", folded)]
        return (sum(numbers, Decimal(0)) if numbers else None), text
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").replace(",", "")
    plain = re.fullmatch(
        r"[0-9]+(\.[0-9]+)?", folded.removesuffix(field.unit) if field.unit else folded
    )
    return value, ("" if plain else text)


def parse_demo_values(raw: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Typed values for the demo's transcribed texts: numeric fields keep the number and
    the printed text goes to the notes (`split_number_and_note`). Raises the first FieldError."""
    values, notes = {}, {}
    for field in WEBSITE_FORM.fields:
        if field.code not in raw:
            continue
        if field.kind in NUMERIC:
            values[field.code], note = split_number_and_note(field, raw[field.code])
            if note:
                notes[field.code] = note
        else:
            values[field.code] = field.parse(raw[field.code])
    return values, notes
