"""What an import's preview saw, held until its confirmation, so nothing saved in between is lost.

An import previews a file (reads it, compares it with the database, writes nothing) and then
applies it; in the admin, and on the command line with `--dry-run` then `--confirm`, these are
two requests or runs, and whoever confirms approved the changes the preview listed. If a
filing, an agency or a membership changed in between, applying the file now would overwrite
that change without anyone having seen it (a lost update). So the confirmation applies against
what the preview saw and refuses, writing nothing, when any of it moved:

* a filing by its `version` (every write of its contents raises it by one);
* an agency or a membership by `fingerprint`, a digest of the row as stored (they have no
  version; `updated_at` would also move on saves that change nothing).

How the preview's versions reach the confirmation depends on the door: the workbook page
stages the version in the session with the file (and posts it back); django-import-export's
imports carry them in the confirm form (`admin_import.PortalImportMixin`); the commands print
a token with `--dry-run` that `--confirm` checks (`preview_token`, `read_token`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from django.db import models

UNSEEN = object()  # a row the preview did not see (no version held for it)


def changed_since_preview(report) -> str:
    """The refusal naming a filing saved since the preview (reads agency and period)."""
    return f"「{report.agency.name}」{report.period.year}年度的报告在预览之后已被修改，本次未导入。"


def created_since_preview(agency_name: str, year: int) -> str:
    return f"「{agency_name}」{year}年度的报告在预览之后已被新建，本次未导入。"


def fingerprint(instance: models.Model) -> str | None:
    """A digest of the row as stored, every concrete field but the timestamps (they move on
    saves that change nothing, and differ between a preview's rolled-back save of an earlier
    row of the same file and the confirmation's); None when the instance is not in the
    database (the import would create it)."""
    if instance.pk is None:
        return None
    values = [
        (f.attname, f.value_to_string(instance))
        for f in instance._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    ]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:16]


# --- the command line: --dry-run prints a token, --confirm checks it --------------------------

_TOKEN = re.compile(r"^([0-9a-f]{12})-([0-9a-f]{12})-(\d{10})$")


@dataclass(frozen=True)
class PreviewToken:
    """What `--dry-run` saw: the file (SHA-256), the versions it read, and when it began."""

    file: str  # first 12 hex digits of the file's SHA-256
    versions: str  # `versions_digest` of what the preview read
    started: int  # Unix time (seconds) before the preview read anything

    def __str__(self) -> str:
        return f"{self.file}-{self.versions}-{self.started}"


def versions_digest(versions: dict) -> str:
    """A digest of {row key: version or fingerprint or None}, whatever the order."""
    text = json.dumps(sorted(versions.items()), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def preview_token(sha256: str, versions: dict, started: float) -> PreviewToken:
    return PreviewToken(sha256[:12], versions_digest(versions), int(started))


def read_token(text: str) -> PreviewToken:
    """The token `--confirm` was given; ValueError (Chinese) when it is not one."""
    match = _TOKEN.match((text or "").strip())
    if not match:
        raise ValueError(f"「{text}」不是有效的预览确认码：请使用 --dry-run 最后一行给出的确认码。")
    return PreviewToken(match[1], match[2], int(match[3]))
