"""Everything a filing says, as one plain value: what documents are made from.

Pure (no database, no Django). The admin's print view, the .docx and .pdf, the public pages,
the open data and every check (`reports.findings`) read a `FilingData`. For a live filing
`reports.selectors.filing_data(report)` reads it from the database in a fixed number of
queries; a published revision stores it as JSON (`PublishedRevision.snapshot`) so what the
public reads never changes behind its back.
"""

import datetime
import zoneinfo
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal

from reports.formats import Format, find_format, get_format
from reports.formats.website import MediaAccount
from reports.formats.website_values import accounts, to_json, typed
from reports.numbers import format_number

# Dates print as the agency reads them: China's time (settings.TIME_ZONE is this zone too; it is
# named here so that printing a date needs no Django).
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")

# The website form's footer fields that the workflow signs: 单位负责人, 审核人, 填报人, 填报日期.
SIGNED_FIELDS = ("head", "reviewer", "preparer", "filed_on")


def local_date(at: datetime.datetime) -> datetime.date:
    """The day `at` falls on in China (a naive time is taken as already local)."""
    return at.astimezone(CHINA).date() if at.tzinfo else at.date()


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

    @property
    def printed_websites(self) -> list[WebsiteData]:
        """The website forms as every output prints them (HTML, PDF, DOCX, XLSX, CSV, JSON).

        Once signed, the footer's 单位负责人, 审核人, 填报人 and 填报日期 are the workflow's
        (`website_sign_off`), whatever was typed there: the typed ones only fill a draft.
        `websites` keeps what was typed (and what a snapshot stores).
        """
        signed = website_sign_off(self.filer, self.reviewer, self.head)
        if not signed:
            return self.websites
        return [replace(site, values={**site.values, **signed}) for site in self.websites]

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


def website_sign_off(
    filer: Signature | None, reviewer: Signature | None, head: Signature | None
) -> dict:
    """The website form's footer as the workflow signs it: field code → name or date; {} until
    the head has signed. 填报日期 is the day of the submission. The one rule for a live filing
    (`reports.websites.sign_off`) and a `FilingData` (`FilingData.printed_websites`)."""
    if head is None:
        return {}
    signed = {
        "head": head.name,
        "reviewer": reviewer.name if reviewer else "",
        "preparer": filer.name if filer else "",
        "filed_on": local_date(filer.at) if filer and filer.at else None,
    }
    # A signed filing always has all four; one the workflow lacks would keep what was typed.
    return {code: value for code, value in signed.items() if value}


def person_name(user, *, or_username: bool = True) -> str:
    """How the portal prints a person, everywhere: Chinese order, family name first, no space
    (张鹏); for an account without a name its login name (or "" with ``or_username=False``, for
    a 姓名 column printed beside the login); "" for nobody."""
    if user is None:
        return ""
    name = user.last_name + user.first_name
    return name or (user.get_username() if or_username else "")
