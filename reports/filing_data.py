"""Everything a filing says, as one plain value: what documents are made from.

Pure (no database, no Django). The admin's print view, the .docx and .pdf, the public pages,
the open data and every check (`reports.findings`) read a `FilingData`. For a live filing
`reports.selectors.filing_data(report)` reads it from the database in a fixed number of
queries; a published revision stores it as JSON (`PublishedRevision.snapshot`) so what the
public reads never changes behind its back.
"""

import datetime
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from reports.formats import Format, find_format, get_format
from reports.formats.website import MediaAccount
from reports.formats.website_values import accounts, to_json, typed
from reports.numbers import format_number


@dataclass
class Signature:
    name: str
    at: datetime.datetime | None = None

    @property
    def date(self) -> datetime.date | None:
        return self.at.date() if self.at else None


@dataclass
class WebsiteData:
    position: int
    values: dict  # field code → typed value (see reports.formats.website_values.typed)
    notes: dict
    media: list[MediaAccount]

    @property
    def site_name(self) -> str:
        return self.values.get("site_name") or f"网站{self.position}"


@dataclass
class FilingData:
    agency_name: str
    agency_slug: str
    agency_kind: str  # "government" / "department"
    contact: dict  # address, postcode, phone, fax, email, website
    year: int
    format_code: str
    status: str
    revision: int
    values: dict[str, Decimal]
    notes: dict[str, str]
    websites: list[WebsiteData]
    narrative: dict[str, str]  # section key → plain text
    filer: Signature | None = None
    reviewer: Signature | None = None
    head: Signature | None = None
    published_at: datetime.datetime | None = None
    correction_note: str = ""

    @property
    def format(self) -> Format:
        return get_format(self.format_code)

    @property
    def known_format(self) -> bool:
        """False for a filing of a format no longer registered (its tables cannot be read)."""
        return find_format(self.format_code) is not None

    @property
    def title(self) -> str:
        return f"{self.agency_name}{self.year}年政府信息公开工作年度报告"

    # --- JSON (for PublishedRevision.snapshot) -------------------------------------

    def to_json(self) -> dict:
        data = asdict(self)
        data["values"] = {code: format_number(v) for code, v in self.values.items()}
        data["websites"] = [
            {
                "position": site.position,
                "values": {code: to_json(v) for code, v in site.values.items()},
                "notes": site.notes,
                "media": [m.to_json() for m in site.media],
            }
            for site in self.websites
        ]
        for role in ("filer", "reviewer", "head"):
            signature = getattr(self, role)
            data[role] = signature and {
                "name": signature.name,
                "at": signature.at.isoformat() if signature.at else None,
            }
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "FilingData":
        def signature(raw):
            if not raw:
                return None
            at = datetime.datetime.fromisoformat(raw["at"]) if raw.get("at") else None
            return Signature(raw["name"], at)

        websites = [
            WebsiteData(
                position=site["position"],
                values=typed(site["values"]),
                notes=site["notes"],
                media=accounts(site["media"]),
            )
            for site in data["websites"]
        ]
        published_at = data.get("published_at")
        # Snapshots frozen before a field was dropped (``extra``) still load.
        data = {key: value for key, value in data.items() if key in _FIELDS}
        return cls(
            **{
                **data,
                "values": {code: Decimal(v) for code, v in data["values"].items()},
                "websites": websites,
                "filer": signature(data.get("filer")),
                "reviewer": signature(data.get("reviewer")),
                "head": signature(data.get("head")),
                "published_at": datetime.datetime.fromisoformat(published_at)
                if published_at
                else None,
            }
        )


_FIELDS = frozenset(f.name for f in fields(FilingData))


def person_name(user, *, or_username: bool = True) -> str:
    """How the portal prints a person, everywhere: Chinese order, family name first, no space
    (张鹏); for an account without a name its login name (or "" with ``or_username=False``, for
    a 姓名 column printed beside the login); "" for nobody."""
    if user is None:
        return ""
    name = user.last_name + user.first_name
    return name or (user.get_username() if or_username else "")
