"""Reads of live filings, shaped for the admin's pages and the checks, each in a bounded number
of queries.

A filing is read here as plain data (`filing_data`), which the pure layers below render and
check (`reports.findings`, `reports.rendering`, `reports.documents`). Other reads live with
what they serve: the public pages read published snapshots in `reports.public`, access rules
read memberships in `reports.access`, the spreadsheet imports and exports read in
`reports.spreadsheets`. The workflow pages' reads (history, review targets, the board) are in
`reports.selectors.workflow`, re-exported here.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from reports.comparison import Comparison, compare
from reports.filing_data import FilingData, Signature, WebsiteData, person_name
from reports.findings import filing_findings
from reports.formats.website_values import accounts, typed
from reports.models import (
    Agency,
    AnnualReport,
    NarrativeSection,
    PublishedRevision,
    ReportValue,
    WebsiteForm,
)
from reports.public import visible_revisions
from reports.publication import Record

SIGNERS = ("agency", "period", "submitted_by", "reviewed_by", "approved_by")


def report_values(report: AnnualReport) -> tuple[dict, dict]:
    """(values, notes) of a filing: cell code → Decimal (blank cells absent), code → note."""
    values, notes = {}, {}
    for code, value, note in ReportValue.objects.filter(report=report).values_list(
        "code", "value", "note"
    ):
        if value is not None:
            values[code] = value
        if note:
            notes[code] = note
    return values, notes


def filing_data(report: AnnualReport) -> FilingData:
    """The live contents of `report` (four queries, whatever their size)."""
    report = (
        AnnualReport.objects.select_related(*SIGNERS)
        .prefetch_related("website_forms", "sections")
        .get(pk=report.pk)
    )
    values, notes = report_values(report)
    return assemble(report, values, notes, report.website_forms.all(), report.sections.all())


def assemble(report, values: dict, notes: dict, forms, sections) -> FilingData:
    """A FilingData from rows already read (`filing_data` reads them; batch readers too).

    `report` needs its agency, period and signers loaded.
    """
    agency = report.agency
    filer, reviewer, head = signatures(report)
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
        format_code=report.format.code,
        status=report.status,
        revision=report.revision,
        values=values,
        notes=notes,
        websites=[
            WebsiteData(
                position=form.position,
                values=typed(form.values),
                notes=dict(form.notes),
                media=accounts(form.media),
            )
            for form in forms
        ],
        narrative={section.key: section.body for section in sections},
        filer=filer,
        reviewer=reviewer,
        head=head,
        correction_note=report.correction_reason,
    )


def signatures(report) -> tuple[Signature | None, Signature | None, Signature | None]:
    """(填报人, 审核人, 单位负责人) as the workflow signed the filing; None where nobody has.
    `report` needs its signers loaded."""

    def signed(user, at):
        return Signature(person_name(user), at) if user else None

    return (
        signed(report.submitted_by, report.submitted_at),
        signed(report.reviewed_by, report.reviewed_at),
        signed(report.approved_by, report.approved_at),
    )


@dataclass(frozen=True)
class FilingRead:
    """A live filing and the agency's filing of the year before, read once for a page
    (`read_filing`): hand it on instead of reading any of it again."""

    report: AnnualReport  # signers loaded; `website_forms` and `sections` prefetched
    data: FilingData
    last_year: FilingData | None  # the agency's filing of the year before, live


def read_filing(report: AnnualReport) -> FilingRead:
    """`report` and the agency's filing of the year before (None if it has none), each as
    FilingData as `filing_data` reads one: four queries for both, whatever the number of
    values, website forms and sections — the two filings, their forms, their sections, their
    values."""
    year = report.period.year
    reports = list(
        AnnualReport.objects.filter(agency_id=report.agency_id, period__year__in=(year, year - 1))
        .select_related(*SIGNERS)
        .prefetch_related("website_forms", "sections")
    )
    current = next((r for r in reports if r.pk == report.pk), None)
    if current is None:
        raise AnnualReport.DoesNotExist(f"AnnualReport {report.pk} does not exist.")
    before = next((r for r in reports if r.pk != report.pk), None)
    ids = [r.pk for r in reports]
    values = {pk: ({}, {}) for pk in ids}
    rows = ReportValue.objects.filter(report_id__in=ids)
    for report_id, code, value, note in rows.values_list("report_id", "code", "value", "note"):
        if value is not None:
            values[report_id][0][code] = value
        if note:
            values[report_id][1][code] = note

    def data(r):
        return assemble(r, *values[r.pk], r.website_forms.all(), r.sections.all())

    return FilingRead(current, data(current), data(before) if before else None)


def report_findings(
    report: AnnualReport,
    values: dict | None = None,
    *,
    read: FilingRead | None = None,
) -> list:
    """Every rule finding of `report` (`reports.findings.filing_findings`), cross-year and
    "n-same" checks against last year's filing. `values` (cell code → value) stands in for the
    stored table values, e.g. what a refused form posted. `read` is the filing as a page
    already read it (`read_filing`); without it, four queries read it. Blank cells are
    errors, or 「原表空白」 warnings in a 历史补录 period."""
    read = read or read_filing(report)
    data = read.data
    if values is not None:
        data = dataclasses.replace(data, values=values)
    return filing_findings(data, read.last_year, historical=report.period.is_historical)


def published_records(using: str = "default"):
    """Every published revision as `reports.publication.Record`, in the order written,
    streamed in chunks (one query per 500 revisions)."""
    rows = (
        PublishedRevision.objects.using(using)
        .order_by("id")
        .values_list(
            "id",
            "report_id",
            "report__agency__name",
            "report__agency__slug",
            "report__period__year",
            "number",
            "published_at",
            "correction_note",
            "snapshot",
            "sha256",
            "previous_sha256",
            "year_previous_sha256",
        )
    )
    for row in rows.iterator(chunk_size=500):
        yield Record(*row)


def last_year_published(agency_ids, year: int) -> dict[int, FilingData]:
    """agency id → its latest revision published (and visible now) for `year` - 1, as
    FilingData (what the public reads, `public.visible_revisions`): what 比对 puts beside this
    year's figures. One query."""
    rows = (
        visible_revisions()
        .filter(report__agency_id__in=agency_ids, report__period__year=year - 1)
        .values_list("report__agency_id", "snapshot")
    )
    return {agency_id: FilingData.from_json(snapshot) for agency_id, snapshot in rows}


def report_comparison(report: AnnualReport, data: FilingData | None = None) -> Comparison:
    """This filing beside the agency's published report of the year before (比对)."""
    data = data or filing_data(report)
    before = last_year_published([report.agency_id], report.period.year)
    return compare(data, before.get(report.agency_id))


def subtree_comparisons(year: int, agency_ids) -> list[tuple[Agency, Comparison]]:
    """Each filing of `year` among `agency_ids` (None: every agency) beside its agency's last
    published year, for a 主管部门's 比对 of the subtree; a fixed number of queries whatever
    their number."""
    reports = AnnualReport.objects.filter(period__year=year).select_related(*SIGNERS)
    if agency_ids is not None:
        reports = reports.filter(agency_id__in=agency_ids)
    reports = list(reports.order_by("agency__name"))
    data = filings_data(reports)
    before = last_year_published([r.agency_id for r in reports], year)
    return [(r.agency, compare(data[r.pk], before.get(r.agency_id))) for r in reports]


def filings_data(reports) -> dict[int, FilingData]:
    """report id → FilingData (notes left out) of many filings read at once: three queries
    whatever their number. `reports` need their agency, period and signers loaded."""
    ids = [r.pk for r in reports]
    values = _values_by_report(ids)
    forms, sections = defaultdict(list), defaultdict(list)
    for form in WebsiteForm.objects.filter(report_id__in=ids).order_by("position"):
        forms[form.report_id].append(form)
    for section in NarrativeSection.objects.filter(report_id__in=ids):
        sections[section.report_id].append(section)
    return {r.pk: assemble(r, values[r.pk], {}, forms[r.pk], sections[r.pk]) for r in reports}


def _values_by_report(report_ids) -> dict[int, dict]:
    values: dict[int, dict] = {report_id: {} for report_id in report_ids}
    rows = ReportValue.objects.filter(report_id__in=report_ids, value__isnull=False)
    for report_id, code, value in rows.values_list("report_id", "code", "value"):
        values[report_id][code] = value
    return values


def period_findings(year: int, agency_slug: str | None = None):
    """(report, findings) for every filing of `year` — tables, website forms and narrative,
    as on the filing's pages — in a fixed number of queries whatever their number."""
    reports = AnnualReport.objects.filter(period__year=year).select_related(*SIGNERS)
    if agency_slug:
        reports = reports.filter(agency__slug=agency_slug)
    reports = list(reports.order_by("agency__slug"))
    previous = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            period__year=year - 1, agency_id__in=[r.agency_id for r in reports]
        ).select_related(*SIGNERS)
    }
    data = filings_data(reports + list(previous.values()))
    for report in reports:
        before = previous.get(report.agency_id)
        last_year = data[before.pk] if before else None
        historical = report.period.is_historical
        yield report, filing_findings(data[report.pk], last_year, historical=historical)


# The workflow pages' reads live in their own module (this one passed 500 lines).
from reports.selectors.workflow import (  # noqa: E402, F401
    BOARD_STATES,
    HISTORY_PAGE_SIZE,
    STATE_OF_STATUS,
    BoardRow,
    Change,
    ReviewItem,
    ReviewTarget,
    changes_since_return,
    describe_code,
    open_reasons,
    progress_board,
    report_timeline,
    review_checklist,
    review_target_labels,
    review_targets,
)
