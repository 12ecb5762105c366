"""Reads for the workflow pages: what a code names, the changes since a return, the review
targets and checklist, the history, the progress board; each in a bounded number of queries.

Re-exported by `reports.selectors`, so callers import them from there.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Subquery, Value

from reports.filing_data import person_name
from reports.formats import codes
from reports.formats.website import WEBSITE_FORM
from reports.models import (
    Agency,
    AnnualReport,
    StatusChange,
)
from reports.numbers import format_number

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


BOARD_STATES = [
    "未开始",
    "填报中",
    "待审核",
    "已退回",
    "待签发",
    "待主管部门审核",
    "已签发",
    "已公开",
]
STATE_OF_STATUS = {
    AnnualReport.Status.SUBMITTED: "待审核",
    AnnualReport.Status.REVIEWED: "待签发",
    AnnualReport.Status.PARENT_REVIEW: "待主管部门审核",
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
