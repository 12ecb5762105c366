"""Published revisions that prove they are unchanged: a SHA-256 per revision, in two chains.

Pure (no database, no Django). Each `PublishedRevision` carries the SHA-256 of its content —
the filing it belongs to, its number, when it was published, its 更正说明 and the frozen
snapshot (`FilingData` as JSON) — and of two earlier revisions:

* ``previous_sha256``: the same filing's revision before it (a correction chains to what it
  corrects); "" for revision 1;
* ``year_previous_sha256``: the revision published just before it for the same year, of any
  agency; "" for the year's first.

Changing a revision's bytes changes its hash; deleting or inserting one breaks a link. The
public page and the JSON print the hash, so a copy taken by anyone anchors the chain;
`verify` (and ``manage.py verify_published``) recomputes everything and names what changed.

The bytes hashed are canonical JSON (sorted keys, no spaces, UTF-8): never change `content_hash`,
or every stored hash stops matching.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass


def canonical_time(at: datetime.datetime) -> str:
    """A publication time as hashed: UTC, ISO 8601, microseconds (what the database keeps)."""
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def content_hash(
    *,
    report_id: int,
    agency_slug: str,
    year: int,
    number: int,
    published_at: datetime.datetime,
    correction_note: str,
    snapshot: dict,
    previous_sha256: str,
    year_previous_sha256: str,
) -> str:
    """The SHA-256 (hex) of one revision's content and its two links."""
    content = {
        "report": report_id,
        "agency": agency_slug,
        "year": year,
        "number": number,
        "published_at": canonical_time(published_at),
        "correction_note": correction_note,
        "snapshot": snapshot,
        "previous_sha256": previous_sha256,
        "year_previous_sha256": year_previous_sha256,
    }
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    """A stored revision as `verify` reads it."""

    id: int
    report_id: int
    agency_name: str
    agency_slug: str
    year: int
    number: int
    published_at: datetime.datetime
    correction_note: str
    snapshot: dict
    sha256: str
    previous_sha256: str
    year_previous_sha256: str

    @property
    def name(self) -> str:
        return f"{self.agency_name}{self.year}年度报告第{self.number}版"

    def recomputed(self) -> str:
        return content_hash(
            report_id=self.report_id,
            agency_slug=self.agency_slug,
            year=self.year,
            number=self.number,
            published_at=self.published_at,
            correction_note=self.correction_note,
            snapshot=self.snapshot,
            previous_sha256=self.previous_sha256,
            year_previous_sha256=self.year_previous_sha256,
        )


def verify(records: Iterable[Record]) -> list[str]:
    """Every problem of the stored revisions, in Chinese, one per line; [] when all hold.

    `records` are all revisions in the order they were written (by id); they are read once,
    keeping only hashes, so a national database streams through in little memory.
    """
    problems = []
    by_filing: dict[tuple[int, int], str] = {}
    last_of_year: dict[int, str] = {}
    for record in records:
        if record.recomputed() != record.sha256:
            problems.append(f"{record.name}：内容与其指纹不符（公开后被改动）")
        if record.number > 1:
            before = by_filing.get((record.report_id, record.number - 1))
            if before is None:
                problems.append(f"{record.name}：缺少其上一版（第{record.number - 1}版）")
            elif record.previous_sha256 != before:
                problems.append(f"{record.name}：与其上一版的链接不符")
        elif record.previous_sha256:
            problems.append(f"{record.name}：第1版不应链接上一版")
        if record.year_previous_sha256 != last_of_year.get(record.year, ""):
            problems.append(
                f"{record.name}：与本年度上一份公开版本的链接不符（其间有版本被删除、插入或改动）"
            )
        by_filing[record.report_id, record.number] = record.sha256
        last_of_year[record.year] = record.sha256
    return problems
