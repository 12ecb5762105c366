"""Everything a filing says, as one plain value: what documents are made from.

The admin's print view, the .docx and .pdf, the public pages and the open
data all render a `FilingData`. For a live filing it is read from the
database (`filing_data(report)`, a fixed number of queries); a published
revision stores it as JSON (`PublishedRevision.snapshot`) so what the public
reads never changes behind its back.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from reports.formats import Format, get_format
from reports.formats.website import MediaAccount
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
    values: dict  # field code → typed value (see reports.websites.typed_values)
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
    extra: dict = field(default_factory=dict)

    @property
    def format(self) -> Format:
        return get_format(self.format_code)

    @property
    def title(self) -> str:
        return f"{self.agency_name}{self.year}年政府信息公开工作年度报告"

    # --- JSON (for PublishedRevision.snapshot) -------------------------------------

    def to_json(self) -> dict:
        from reports.websites import to_json

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
        from reports.formats.website import WEBSITE_FORM
        from reports.websites import from_json

        def signature(raw):
            if not raw:
                return None
            at = datetime.datetime.fromisoformat(raw["at"]) if raw.get("at") else None
            return Signature(raw["name"], at)

        websites = [
            WebsiteData(
                position=site["position"],
                values={
                    f.code: from_json(f, site["values"].get(f.code)) for f in WEBSITE_FORM.fields
                },
                notes=site["notes"],
                media=[MediaAccount.from_json(m) for m in site["media"]],
            )
            for site in data["websites"]
        ]
        published_at = data.get("published_at")
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


def person_name(user) -> str:
    """Chinese order: family name first, no space (张鹏)."""
    if user is None:
        return ""
    return (user.last_name + user.first_name) or user.get_username()


def filing_data(report) -> FilingData:
    """The live contents of `report` (four queries, whatever their size)."""
    from reports import selectors
    from reports.models import AnnualReport

    report = (
        AnnualReport.objects.select_related(
            "agency", "period", "submitted_by", "reviewed_by", "approved_by"
        )
        .prefetch_related("website_forms", "sections")
        .get(pk=report.pk)
    )
    values, notes = selectors.report_values(report)
    return assemble(report, values, notes, report.website_forms.all(), report.sections.all())


def assemble(report, values: dict, notes: dict, forms, sections) -> FilingData:
    """A FilingData from rows already read (`filing_data` reads them; batch readers too).

    `report` needs its agency, period and signers loaded.
    """
    from reports import websites

    agency = report.agency

    def signed(user, at):
        return Signature(person_name(user), at) if user else None

    return FilingData(
        agency_name=agency.name,
        agency_slug=agency.slug,
        agency_kind=agency.kind,
        contact={
            "address": agency.address,
            "postcode": agency.postcode,
            "phone": agency.phone,
            "fax": agency.fax,
            "email": agency.email,
            "website": agency.website,
        },
        year=report.period.year,
        format_code=report.period.format_code,
        status=report.status,
        revision=report.revision,
        values=values,
        notes=notes,
        websites=[
            WebsiteData(
                position=form.position,
                values=websites.typed_values(form),
                notes=dict(form.notes),
                media=websites.media_accounts(form),
            )
            for form in forms
        ],
        narrative={section.key: section.body for section in sections},
        filer=signed(report.submitted_by, report.submitted_at),
        reviewer=signed(report.reviewed_by, report.reviewed_at),
        head=signed(report.approved_by, report.approved_at),
        correction_note=report.correction_reason,
    )
