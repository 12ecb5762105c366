"""Reads of live filings, shaped for the admin's pages and the checks, each in a bounded number
of queries.

A filing is read here as plain data (`filing_data`), which the pure layers below render and
check (`reports.findings`, `reports.rendering`, `reports.documents`). Other reads live with
what they serve: the public pages read published snapshots in `reports.public`, access rules
read memberships in `reports.access`, the spreadsheet imports and exports read in
`reports.spreadsheets`.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Subquery, Value

from reports.comparison import Comparison, compare
from reports.filing_data import FilingData, Signature, WebsiteData, person_name
from reports.findings import filing_findings
from reports.formats import codes
from reports.formats.website import WEBSITE_FORM
from reports.formats.website_values import accounts, typed
from reports.models import (
    Agency,
    AnnualReport,
    NarrativeSection,
    PublishedRevision,
    ReportValue,
    StatusChange,
    WebsiteForm,
)
from reports.numbers import format_number
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
        format_code=report.period.format_code,
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


def previous_filing_data(report: AnnualReport) -> FilingData | None:
    """The agency's filing of the year before, as FilingData, or None (five queries)."""
    previous = AnnualReport.objects.filter(
        agency_id=report.agency_id, period__year=report.period.year - 1
    ).first()
    return filing_data(previous) if previous else None


def report_findings(
    report: AnnualReport, values: dict | None = None, *, require_complete=False
) -> list:
    """Every rule finding of `report` (`reports.findings.filing_findings`), cross-year and
    "n-same" checks against last year's filing. `values` (cell code → value) stands in for the
    stored table values, e.g. what a refused form posted."""
    data = filing_data(report)
    if values is not None:
        data = dataclasses.replace(data, values=values)
    return filing_findings(data, previous_filing_data(report), require_complete=require_complete)


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
        yield report, filing_findings(data[report.pk], data[before.pk] if before else None)


# --- workflow pages ----------------------------------------------------------------


def describe_code(fmt, code: str) -> str:
    """A person's name for a stored code (`reports.formats.codes`): a table cell, a row or a
    whole table, a website field, a section of the 正文 (by its printed title) or the whole
    正文. A whole website form is named by `review_target_labels`, which reads its site name."""
    parsed = codes.parse(code)
    if parsed.kind in ("table", "row"):
        try:
            table = fmt.table(parsed.table or parsed.key)
            row = table.row(parsed.key) if parsed.kind == "row" else None
        except KeyError:
            return code
        if row is None:
            return f"统计表{table.number} {table.title}"
        return f"{f'表{table.number} ' if table.number else ''}{table.path(row)}（整行）"
    if parsed.kind == "narrative":
        return "报告正文"
    if parsed.kind == "website":
        if parsed.key == codes.MEDIA:
            return f"网站报表{parsed.position}·移动新媒体"
        try:
            return f"网站报表{parsed.position}·{WEBSITE_FORM.field(parsed.key).name}"
        except KeyError:
            return code
    if parsed.kind == "section":
        try:
            return f"正文·{fmt.narrative.section(parsed.key).name}"
        except KeyError:
            return f"正文·{parsed.key}"
    if fmt.has_cell(code):
        return fmt.cell(code).label
    return code


@dataclass
class Change:
    at: object
    actor: str
    what: str
    old: str
    new: str
    source: str


def _change_row(fmt, change) -> Change:
    """One ValueChange as a person reads it (its actor already fetched)."""
    old = format_number(change.old_value) if change.old_value is not None else change.old_text
    new = format_number(change.new_value) if change.new_value is not None else change.new_text
    if change.old_note != change.new_note:
        old, new = f"{old}（注：{change.old_note}）", f"{new}（注：{change.new_note}）"
    return Change(
        change.changed_at,
        person_name(change.actor) or "系统",
        describe_code(fmt, change.code),
        old or "（空）",
        new or "（空）",
        change.get_source_display(),
    )


def _change_rows(report, queryset) -> list[Change]:
    fmt = report.format
    return [_change_row(fmt, change) for change in queryset.select_related("actor")]


def changes_since_return(report) -> list[Change]:
    """What the filer changed since the filing was last returned (for the reviewer)."""
    last_return = report.status_changes.filter(action="return").order_by("-at", "-id").first()
    if last_return is None:
        return []
    return _change_rows(report, report.value_changes.filter(changed_at__gte=last_return.at))


def review_targets(report) -> list[tuple[str, str]]:
    """Parts a return may be pinned to as a whole: each table, each website form, the
    narrative (one query: the website forms)."""
    fmt = report.format
    targets = [
        (code, describe_code(fmt, code))
        for code in (codes.table_part_code(t.code) for t in fmt.tables)
    ]
    targets += [
        (codes.form_part_code(form.position), f"政府网站工作年度报表：{form}")
        for form in report.website_forms.all()
    ]
    targets.append((codes.NARRATIVE, describe_code(fmt, codes.NARRATIVE)))
    return targets


def review_target_labels(report) -> dict[str, str]:
    """Everything a return reason may be pinned to, code → a person's name: the parts
    (`review_targets`), each data row of a table with more than one column, each cell, each
    field of each website form (its 移动新媒体 list as one), each section of the 正文.

    The 流转 page offers these to click; `workflow.report_return` refuses any other code.
    One query (the website forms)."""
    fmt = report.format
    parts = review_targets(report)
    labels = dict(parts)
    for table in fmt.tables:
        if not table.single_value:
            for row in table.rows:
                if not row.heading:
                    code = codes.row_code(table.code, row.code)
                    labels[code] = describe_code(fmt, code)
        labels.update((spec.code, spec.label) for spec in table.cells())
    for part, _ in parts:
        position = codes.parse(part).position
        if position is None:
            continue
        for field in [*(f.code for f in WEBSITE_FORM.fields), codes.MEDIA]:
            code = codes.website_code(position, field)
            labels[code] = describe_code(fmt, code)
    for section in fmt.narrative.sections:
        code = codes.section_code(section.key)
        labels[code] = describe_code(fmt, code)
    return labels


@dataclass
class ReviewTarget:
    code: str
    label: str  # as a person reads it
    url: str = ""  # where the filer fixes it; set by the admin pages that link to it


@dataclass
class ReviewItem:
    """One return reason on the checklist, as the 流转 page and the entry pages show it."""

    id: int
    body: str
    author: str
    created_at: object
    resolved_at: object
    targets: list[ReviewTarget]

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


def review_checklist(report) -> list[ReviewItem]:
    """Every return reason of `report`, oldest first, each with its targets named: the one
    checklist both sides read (two queries, whatever the number of reasons)."""
    comments = list(report.comments.select_related("author"))
    if not comments:
        return []
    labels = review_target_labels(report)
    return [
        ReviewItem(
            comment.pk,
            comment.body,
            person_name(comment.author),
            comment.created_at,
            comment.resolved_at,
            [
                ReviewTarget(code, labels.get(code) or describe_code(report.format, code))
                for code in comment.targets
            ],
        )
        for comment in comments
    ]


def open_reasons(items: list[ReviewItem]) -> dict[str, list[ReviewItem]]:
    """Target code → the unticked reasons pinned to it, to show each beside its target."""
    found: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in items:
        if not item.resolved:
            for target in item.targets:
                found[target.code].append(item)
    return dict(found)


HISTORY_PAGE_SIZE = 100


def report_timeline(report, page=1, per_page: int = HISTORY_PAGE_SIZE) -> Page:
    """One page (`page`: a number, as typed in the URL) of a filing's whole history — every
    state change, value change and import, newest first — as `Change` rows;
    `page.paginator.count` is the true total. At most five queries whatever the total:
    the count, the page's keys, then the page's rows of each kind."""

    def keys(queryset, at: str, table: int):
        # The three tables as the same three columns, to merge them in one ordered query.
        return (
            queryset.order_by()
            .annotate(when=F(at), table=Value(table))
            .values_list("when", "table", "id")
        )

    STATUS, VALUE, IMPORT = 0, 1, 2  # also the order of entries made at the same instant
    merged = (
        keys(report.status_changes.all(), "at", STATUS)
        .union(
            keys(report.value_changes.all(), "changed_at", VALUE),
            keys(report.imports.all(), "created_at", IMPORT),
            all=True,
        )
        .order_by("-when", "table", "-id")
    )
    page = Paginator(merged, per_page).get_page(page)
    shown = list(page.object_list)
    ids = defaultdict(list)
    for _, table, pk in shown:
        ids[table].append(pk)
    rows = {}
    if ids[STATUS]:
        for s in report.status_changes.filter(id__in=ids[STATUS]).select_related("actor"):
            rows[STATUS, s.pk] = Change(
                s.at,
                person_name(s.actor),
                f"状态：{s.get_from_status_display()} → {s.get_to_status_display()}",
                "",
                s.note,
                "流转",
            )
    if ids[VALUE]:
        fmt = report.format
        for c in report.value_changes.filter(id__in=ids[VALUE]).select_related("actor"):
            rows[VALUE, c.pk] = _change_row(fmt, c)
    if ids[IMPORT]:
        for i in report.imports.filter(id__in=ids[IMPORT]).select_related("user"):
            rows[IMPORT, i.pk] = Change(
                i.created_at,
                person_name(i.user),
                f"导入文件 {i.file_name}",
                "",
                f"修改{i.cells_changed}项（SHA-256 {i.sha256[:12]}…）",
                "导入",
            )
    page.object_list = [rows[table, pk] for _, table, pk in shown]
    return page


BOARD_STATES = ["未开始", "填报中", "待审核", "已退回", "待签发", "已签发", "已公开"]
STATE_OF_STATUS = {
    AnnualReport.Status.SUBMITTED: "待审核",
    AnnualReport.Status.REVIEWED: "待签发",
    AnnualReport.Status.APPROVED: "已签发",
    AnnualReport.Status.PUBLISHED: "已公开",
}


@dataclass
class BoardRow:
    agency: Agency
    report: AnnualReport | None
    state: str
    due: object
    overdue: bool


def progress_board(period, agency_ids, *, today) -> list[BoardRow]:
    """Every visible agency's state for `period` (two queries, whatever their number)."""
    agencies = Agency.objects.order_by("kind", "name")
    if agency_ids is not None:
        agencies = agencies.filter(id__in=agency_ids)
    last_action = StatusChange.objects.filter(report=OuterRef("pk")).order_by("-at", "-id")
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(period=period, agency__in=agencies).annotate(
            last_action=Subquery(last_action.values("action")[:1])
        )
    }
    rows = []
    for agency in agencies:
        report = reports.get(agency.pk)
        if report is None:
            state = "未开始"
        elif report.status in STATE_OF_STATUS:
            state = STATE_OF_STATUS[report.status]
        elif report.last_action == "return":
            state = "已退回"
        elif report.version == 0:
            state = "未开始"
        else:
            state = "填报中"
        due = period.due_for(agency)
        rows.append(BoardRow(agency, report, state, due, state != "已公开" and today > due))
    return rows
