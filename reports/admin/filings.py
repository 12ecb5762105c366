"""Filings (年度报告) in the admin: the list, the filing's page, and its extra pages.

Every extra page is listed in `AnnualReportAdmin.get_urls`; the entry pages (statistics
tables, website forms) are here, the others in workflow_views, narrative_views and
workbook_views, all written the same way (see reports.admin.base).
"""

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from import_export.admin import ExportMixin

from reports import selectors, services, websites
from reports.access import access_for
from reports.admin import (
    backfill_views,
    comparison_views,
    compile_views,
    narrative_views,
    workbook_views,
    workflow_views,
)
from reports.admin.base import (
    ScopedAdmin,
    comparison_asked,
    ensure_editable,
    filing_page,
    posted_version,
    save_or_show_again,
)
from reports.formats import family
from reports.formats.website import MEDIA_PLATFORMS, WEBSITE_FORM
from reports.models import Agency, AnnualReport, Membership, WebsiteForm
from reports.rendering import render_tables
from reports.resources import AnnualReportResource
from reports.validation import errors, hints, warnings

Role = Membership.Role


@admin.register(AnnualReport)
class AnnualReportAdmin(ExportMixin, ScopedAdmin):
    resource_classes = [AnnualReportResource]
    list_display = ["__str__", "agency", "period", "status", "updated_at"]
    list_filter = ["period", "status", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency", "period"]
    search_fields = ["agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["status", "revision", "created_at", "updated_at"]
    change_form_template = "admin/reports/annualreport/change_form.html"
    change_list_template = "admin/reports/annualreport/change_list.html"

    def get_fields(self, request, obj=None):
        return ["agency", "period", "status", "revision", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A filing never moves to another agency or year once created.
        if obj is not None:
            return ["agency", "period", *self.readonly_fields]
        return self.readonly_fields

    def get_urls(self):
        # Every extra page, one row each: route, view, name (templates reverse
        # "admin:reports_annualreport_<name>"). A view is a plain function
        # `view(model_admin, request, report, **rest_of_route)`; `page_view` puts it behind
        # the admin login and hands it the filing of the route's object_id, looked up among
        # the user's agencies (404 outside them). The board and the subtree's 比对 have no filing.
        pages = [
            ("board/", workflow_views.board, "board"),
            ("compile/<slug:slug>/", compile_views.compile_page, "compile"),
            ("<path:object_id>/compiled/", compile_views.compiled_page, "compiled"),
            ("comparison/", comparison_views.subtree, "comparison"),
            ("<path:object_id>/comparison.xlsx", comparison_views.filing_xlsx, "comparison_xlsx"),
            ("<path:object_id>/comparison.docx", comparison_views.filing_docx, "comparison_docx"),
            ("<path:object_id>/tables/", tables, "tables"),
            ("<path:object_id>/tables/fill-zero/", fill_zero, "fill_zero"),
            ("<path:object_id>/tables/format/", choose_format, "choose_format"),
            ("<path:object_id>/website/add/", website_add, "website_add"),
            ("<path:object_id>/website/<int:position>/", website, "website"),
            ("<path:object_id>/workflow/", workflow_views.workflow_page, "workflow"),
            (
                "<path:object_id>/comments/<int:comment_id>/resolve/",
                workflow_views.resolve_comment,
                "resolve_comment",
            ),
            ("<path:object_id>/timeline/", workflow_views.timeline, "timeline"),
            ("<path:object_id>/narrative/", narrative_views.narrative, "narrative"),
            ("<path:object_id>/narrative/draft/", narrative_views.draft, "narrative_draft"),
            ("<path:object_id>/print/", narrative_views.print_page, "print"),
            ("<path:object_id>/document.docx", narrative_views.docx, "docx"),
            ("<path:object_id>/document.pdf", narrative_views.pdf, "pdf"),
            ("<path:object_id>/workbook/", workbook_views.download, "workbook"),
            ("<path:object_id>/workbook/upload/", workbook_views.upload, "workbook_upload"),
            ("<path:object_id>/workbook/confirm/", workbook_views.confirm, "workbook_confirm"),
            ("<path:object_id>/backfill/", backfill_views.upload, "backfill"),
            ("<path:object_id>/backfill/confirm/", backfill_views.confirm, "backfill_confirm"),
            ("backfill/", backfill_views.bulk, "backfill_bulk"),
            ("backfill/confirm/", backfill_views.bulk_confirm, "backfill_bulk_confirm"),
        ]
        return [
            *(
                path(route, self.page_view(view), name=f"reports_annualreport_{name}")
                for route, view, name in pages
            ),
            *super().get_urls(),
        ]

    def page_view(self, view):
        """`view` as a URL's view: behind the admin login, and handed `report`, the filing
        named by the route's `object_id` — 404 outside the user's agencies."""

        @wraps(view)
        def page(request, **route):
            if "object_id" in route:
                report = self.get_object(request, route.pop("object_id"))
                if not self.has_view_permission(request, report):
                    raise PermissionDenied
                route["report"] = report
            return view(self, request, **route)

        return self.admin_site.admin_view(page)

    # --- who may do what ----------------------------------------------------

    def starting_agency_ids(self, request):
        """Agencies for which this user may open a filing."""
        access = access_for(request.user)
        if access.is_superuser:
            return None
        return access.coordinated_ids | access.agencies_with_role(Role.FILER)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self.starting_agency_ids(request)
        if db_field.name == "agency" and ids is not None:
            kwargs["queryset"] = Agency.objects.filter(id__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        ids = self.starting_agency_ids(request)
        return ids is None or bool(ids)

    def has_change_permission(self, request, obj=None):
        access = access_for(request.user)
        if obj is None:
            return access.is_member
        return access.has_role(obj.agency_id, Role.FILER) or access.can_manage_agency(obj.agency_id)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_export_permission(self, request):
        return access_for(request.user).is_member

    def can_edit_values(self, request, report) -> bool:
        """Whether the pages offer editing: the one rule, `services.edit_refusal` (filers and
        coordinators edit a draft while its period is open or a correction is under way)."""
        return services.edit_refusal(report, request.user) is None

    # --- pages ----------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "period")

    def changelist_view(self, request, extra_context=None):
        # 主管部门 see the link to 批量导入已发布报告 (the page itself checks again).
        extra_context = {
            **(extra_context or {}),
            "can_bulk_import": access_for(request.user).is_coordinator,
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read once (the filing, last year's, their forms, sections and values) and handed
        # to every part of the page: findings, tables, website forms, review reasons.
        read = selectors.read_filing(self.get_object(request, object_id))
        report, data = read.report, read.data
        findings = selectors.report_findings(report, read=read)
        signed = websites.sign_off(report)
        reasons = selectors.open_reasons(selectors.review_checklist(report))
        extra_context = {
            **(extra_context or {}),
            "tables": render_tables(
                report.format,
                data.values,
                data.notes,
                findings=findings,
                reasons=reasons,
                comparison=comparison_asked(request, report, data),
            ),
            "comparing": request.GET.get("compare") == "1",
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "rule_hints": hints(findings),
            "tables_url": reverse("admin:reports_annualreport_tables", args=[report.pk]),
            "can_edit_values": self.can_edit_values(request, report),
            "year": report.period.year,
            "sites": [
                {
                    "form": form,
                    "url": reverse(
                        "admin:reports_annualreport_website", args=[report.pk, form.position]
                    ),
                    "rendered": websites.render_form(
                        form, findings=findings, signatures=signed, reasons=reasons
                    ),
                }
                for form in report.website_forms.all()
            ],
            "website_add_url": reverse("admin:reports_annualreport_website_add", args=[report.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --- the entry pages (registered in AnnualReportAdmin.get_urls) ------------------------


def tables(model_admin, request, report):
    """The official statistics tables as one form: one input per cell."""
    if request.method != "POST":
        return tables_page(model_admin, request, report)
    ensure_editable(model_admin, request, report)
    entries = {
        spec.code: (request.POST.get(f"v:{spec.code}", ""), request.POST.get(f"n:{spec.code}", ""))
        for spec in report.format.cells()
        if not spec.computed_from
    }

    def save():
        changed = services.report_save_values(
            report=report,
            by=request.user,
            entries=entries,
            expected_version=posted_version(request),
        )
        messages.success(request, f"已保存，修改了{changed}个单元格。")

    return save_or_show_again(
        request,
        report,
        save,
        show_again=lambda refused: tables_page(
            model_admin, request, report, typed=entries, refused=refused
        ),
        invalid=lambda problem: (
            f"未保存：{len(problem.errors)}个单元格有误，请按提示改正后再保存。"
            "已填写的内容均保留在下方。"
        ),
    )


def tables_page(model_admin, request, report, *, typed=None, refused=None):
    """The tables page; after a refused save, with what was `typed` and the errors."""
    entry_errors = refused.errors if refused else {}
    read = selectors.read_filing(report)
    report, values, notes = read.report, read.data.values, read.data.notes
    findings = selectors.report_findings(report, read=read)
    review = workflow_views.review_context(report, request.user)
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/tables.html",
        title=f"{report.title} · 统计表",
        form_version=refused.version if refused else report.version,
        format=report.format,
        formats=family(report.period.format_code),
        editable=model_admin.can_edit_values(request, report),
        tables=render_tables(
            report.format,
            values,
            notes,
            typed=typed,
            errors=entry_errors,
            findings=findings,
            reasons=review["review_reasons"],
            comparison=comparison_asked(request, report, read.data),
        ),
        comparing=request.GET.get("compare") == "1",
        entry_errors=entry_errors,
        rule_errors=errors(findings),
        rule_warnings=warnings(findings),
        rule_hints=hints(findings),
        **review,
    )


def choose_format(model_admin, request, report):
    """Enter the tables in another format of the period's family, a declared variant (福建's
    统计表) or the national format (POST: `format`, `version`; `services.report_choose_format`)."""
    if request.method != "POST":
        raise PermissionDenied("请在统计表页面选择格式。")
    ensure_editable(model_admin, request, report)

    def change():
        chosen = services.report_choose_format(
            report=report,
            by=request.user,
            code=request.POST.get("format", ""),
            expected_version=posted_version(request),
        )
        messages.success(request, f"统计表已改为按「{chosen.format.name}」填写。")

    return save_or_show_again(
        request,
        report,
        change,
        show_again=lambda refused: tables_page(model_admin, request, report, refused=refused),
        invalid=lambda problem: f"未更换格式：{problem}",
        then=reverse("admin:reports_annualreport_tables", args=[report.pk]),
    )


def fill_zero(model_admin, request, report):
    """「其余未填写的填 0」 for one table (`table`, a table code, in the query or the form): a
    page listing the blank input cells it would fill (GET), then the fill itself (POST, at the
    version that page was opened at). Without a table, the page lists the tables to choose."""
    ensure_editable(model_admin, request, report)
    code = request.POST.get("table") if request.method == "POST" else request.GET.get("table")
    if not code:
        if request.method == "POST":
            raise PermissionDenied("请选择统计表。")
        return fill_zero_page(model_admin, request, report, None)
    try:
        table = report.format.table(code)
    except KeyError:
        raise Http404("该报告没有这张统计表。") from None
    if request.method != "POST":
        return fill_zero_page(model_admin, request, report, table)

    def fill():
        filled = services.report_fill_blank_with_zero(
            report=report,
            by=request.user,
            table_code=table.code,
            expected_version=posted_version(request),
        )
        inputs = sum(not report.format.cell(code).computed_from for code in filled)
        totals = len(filled) - inputs
        messages.success(
            request,
            f"已将{table_caption(table)}中{inputs}个未填写的单元格填为 0"
            + (f"，{totals}个空白合计随之算出" if totals else "")
            + "。修改已记入流转与修改记录。",
        )

    tables_url = reverse("admin:reports_annualreport_tables", args=[report.pk])
    return save_or_show_again(
        request,
        report,
        fill,
        show_again=lambda refused: fill_zero_page(model_admin, request, report, table),
        then=f"{tables_url}#table-{table.code}",
    )


def table_caption(table) -> str:
    return f"表{table.number}" if table.number else f"《{table.title}》"


def fill_zero_page(model_admin, request, report, table):
    """What 「其余未填写的填 0」 would fill in `table`, as saved now, and the button; with no
    `table`, each table and how many of its input cells are blank."""
    values, _ = selectors.report_values(report)

    def blanks(table):
        return [
            spec
            for spec in table.cells()
            if not spec.computed_from and values.get(spec.code) is None
        ]

    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/fill_zero.html",
        title=f"{report.title} · {table_caption(table) if table else ''}其余未填写的填 0",
        table=table,
        caption=table_caption(table) if table else "",
        blanks=blanks(table) if table else [],
        choices=[] if table else [(t, len(blanks(t))) for t in report.format.tables],
        form_version=report.version,
        tables_url=reverse("admin:reports_annualreport_tables", args=[report.pk]),
    )


def website_add(model_admin, request, report):
    """Start one more 政府网站工作年度报表 for the filing (POST only)."""
    if request.method != "POST":
        raise PermissionDenied("该报告当前不可修改。")
    ensure_editable(model_admin, request, report)
    form = websites.website_form_add(report=report, by=request.user)
    messages.success(request, "已新增一张政府网站工作年度报表，请填写。")
    return redirect("admin:reports_annualreport_website", report.pk, form.position)


def website(model_admin, request, report, position):
    """One website form, field by field as printed."""
    form = get_object_or_404(WebsiteForm, report=report, position=position)
    if request.method != "POST":
        return website_page(model_admin, request, report, form)
    ensure_editable(model_admin, request, report)
    typed, notes, media_rows = website_form_post(request.POST)

    def save():
        changed = websites.website_form_save(
            form=form,
            by=request.user,
            raw=typed,
            notes=notes,
            media_rows=media_rows,
            expected_version=posted_version(request),
        )
        messages.success(request, f"已保存，修改了{changed}项。")

    return save_or_show_again(
        request,
        report,
        save,
        show_again=lambda refused: website_page(
            model_admin,
            request,
            report,
            form,
            typed=(typed, notes, media_rows),
            refused=refused,
        ),
        invalid=lambda problem: (
            f"未保存：{len(problem.errors)}处有误，请按提示改正后再保存。已填写的内容均保留在下方。"
        ),
    )


def website_page(model_admin, request, report, form, *, typed=None, refused=None):
    """The page of one website form; after a refused save, with what was `typed`
    (answers, notes, media rows, as `website_form_post` reads them) and the errors."""
    entry_errors = refused.errors if refused else {}
    answers, notes, media_rows = typed or (None, form.notes, form.media)
    media_rows = [
        {**row, "error": entry_errors.get(f"media-{index}", "")}
        for index, row in enumerate(media_rows)
    ] + [{"platform": "weibo"}, {"platform": "wechat"}, {"platform": "other"}]
    values, _ = selectors.report_values(report)
    findings = websites.findings_for(
        form, statistics=(report.format, values), historical=report.period.is_historical
    )
    review = workflow_views.review_context(report, request.user)
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/website.html",
        title=f"{report.title} · 政府网站工作年度报表",
        form_version=refused.version if refused else report.version,
        year=report.period.year,
        editable=model_admin.can_edit_values(request, report),
        site=websites.render_form(
            form,
            findings=findings,
            signatures=websites.sign_off(report),
            reasons=review["review_reasons"],
            notes=notes,
            typed=answers,
            errors=entry_errors,
        ),
        media_rows=media_rows,
        platforms=MEDIA_PLATFORMS,
        entry_errors=entry_errors,
        rule_errors=errors(findings),
        rule_warnings=warnings(findings),
        rule_hints=hints(findings),
        **review,
    )


def website_form_post(post) -> tuple[dict, dict, list[dict]]:
    """(answers, notes, media rows) as typed into the website form page."""
    typed, notes = {}, {}
    for field in WEBSITE_FORM.fields:
        name = f"f:{field.code}"
        if field.kind in ("choice", "multichoice", "yesno"):
            typed[field.code] = post.getlist(name)
        else:
            typed[field.code] = post.get(name, "")
        notes[field.code] = post.get(f"n:{field.code}", "").strip()
    try:
        count = min(int(post.get("m-count", "0")), 200)
    except ValueError:
        count = 0
    media_rows = [
        {key: post.get(f"m-{i}-{key}", "") for key in ("platform", "name", "posts", "followers")}
        for i in range(count)
    ]
    return typed, notes, media_rows
