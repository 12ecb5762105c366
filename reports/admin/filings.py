"""Filings (年度报告) in the admin: the list, and the statistics-table entry page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ExportMixin

from reports import selectors, services, websites
from reports.access import access_for
from reports.admin import narrative_views, workbook_views, workflow_views
from reports.admin.base import ScopedAdmin, posted_version
from reports.formats.website import MEDIA_PLATFORMS, WEBSITE_FORM
from reports.models import Agency, AnnualReport, Membership, WebsiteForm
from reports.rendering import render_tables, render_website
from reports.resources import AnnualReportResource
from reports.validation import errors, warnings

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
        return [
            path(
                "<path:object_id>/tables/",
                self.admin_site.admin_view(self.tables_view),
                name="reports_annualreport_tables",
            ),
            path(
                "<path:object_id>/website/add/",
                self.admin_site.admin_view(self.website_add_view),
                name="reports_annualreport_website_add",
            ),
            path(
                "<path:object_id>/website/<int:position>/",
                self.admin_site.admin_view(self.website_view),
                name="reports_annualreport_website",
            ),
            *workflow_views.urls(self),
            *narrative_views.urls(self),
            *workbook_views.urls(self),
            *super().get_urls(),
        ]

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
        """Filers (and coordinators) edit a draft while its period is open."""
        return (
            self.has_change_permission(request, report)
            and report.status == AnnualReport.Status.DRAFT
            and services.period_accepts_edits(report)
        )

    # --- pages ----------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "period")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        values, notes = selectors.report_values(report)
        findings = selectors.report_findings(report, values)
        signed = websites.sign_off(report)
        extra_context = {
            **(extra_context or {}),
            "tables": render_tables(report.format, values, notes, findings=findings),
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "tables_url": reverse("admin:reports_annualreport_tables", args=[report.pk]),
            "can_edit_values": self.can_edit_values(request, report),
            "year": report.period.year,
            "sites": [
                {
                    "form": form,
                    "url": reverse(
                        "admin:reports_annualreport_website", args=[report.pk, form.position]
                    ),
                    "rendered": render_website(
                        WEBSITE_FORM,
                        websites.typed_values(form),
                        form.notes,
                        websites.media_accounts(form),
                        findings=findings,
                        position=form.position,
                        signatures=signed,
                    ),
                }
                for form in report.website_forms.all()
            ],
            "website_add_url": reverse("admin:reports_annualreport_website_add", args=[report.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def tables_view(self, request, object_id):
        """The official statistics tables as one form: one input per cell."""
        report = self.get_object(request, object_id)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        editable = self.can_edit_values(request, report)
        typed, entry_errors = None, None
        form_version = report.version
        if request.method == "POST":
            if not editable:
                raise PermissionDenied("该报告当前不可修改。")
            entries = {
                spec.code: (
                    request.POST.get(f"v:{spec.code}", ""),
                    request.POST.get(f"n:{spec.code}", ""),
                )
                for spec in report.format.cells()
                if not spec.computed_from
            }
            try:
                changed = services.report_save_values(
                    report=report,
                    by=request.user,
                    entries=entries,
                    expected_version=posted_version(request),
                )
            except services.EntryError as problem:
                # Keep the version the form was opened at: a save by someone
                # else meanwhile must still be caught on the next attempt.
                typed, entry_errors = entries, problem.errors
                form_version = posted_version(request)
                messages.error(
                    request,
                    f"未保存：{len(problem.errors)}个单元格有误，请按提示改正后再保存。已填写的内容均保留在下方。",
                )
            except (services.EditConflict, services.ReportLocked) as problem:
                # Show what was typed, at the current version: saving again is a
                # deliberate choice to keep these figures.
                typed = entries
                report.refresh_from_db()
                form_version = report.version
                messages.error(request, str(problem))
            else:
                messages.success(request, f"已保存，修改了{changed}个单元格。")
                return redirect(request.path)

        values, notes = selectors.report_values(report)
        findings = selectors.report_findings(report, values)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{report.title} · 统计表",
            "opts": self.opts,
            "original": report,
            "report": report,
            "form_version": form_version,
            "format": report.format,
            "editable": editable,
            "tables": render_tables(
                report.format,
                values,
                notes,
                typed=typed,
                errors=entry_errors,
                findings=findings,
                pinned=selectors.pinned_cells(report),
            ),
            "entry_errors": entry_errors,
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
        }
        return TemplateResponse(request, "admin/reports/annualreport/tables.html", context)

    def website_add_view(self, request, object_id):
        """Start one more 政府网站工作年度报表 for the filing (POST only)."""
        report = self.get_object(request, object_id)
        if request.method != "POST" or not self.can_edit_values(request, report):
            raise PermissionDenied("该报告当前不可修改。")
        form = websites.website_form_add(report=report, by=request.user)
        messages.success(request, "已新增一张政府网站工作年度报表，请填写。")
        return redirect("admin:reports_annualreport_website", report.pk, form.position)

    def website_view(self, request, object_id, position):
        """One website form, field by field as printed."""
        report = self.get_object(request, object_id)
        form = get_object_or_404(WebsiteForm, report=report, position=position)
        editable = self.can_edit_values(request, report)
        typed, entry_errors, media_rows = None, None, None
        form_version = report.version
        if request.method == "POST":
            if not editable:
                raise PermissionDenied("该报告当前不可修改。")
            typed, notes, media_rows = website_form_post(request.POST)
            try:
                changed = websites.website_form_save(
                    form=form,
                    by=request.user,
                    raw=typed,
                    notes=notes,
                    media_rows=media_rows,
                    expected_version=posted_version(request),
                )
            except (services.EditConflict, services.ReportLocked) as problem:
                report.refresh_from_db()
                form_version = report.version
                messages.error(request, str(problem))
            except services.EntryError as problem:
                entry_errors = problem.errors
                form_version = posted_version(request)
                for index, row in enumerate(media_rows):
                    row["error"] = problem.errors.get(f"media-{index}", "")
                messages.error(
                    request,
                    f"未保存：{len(problem.errors)}处有误，请按提示改正后再保存。已填写的内容均保留在下方。",
                )
            else:
                messages.success(request, f"已保存，修改了{changed}项。")
                return redirect(request.path)

        values, _ = selectors.report_values(report)
        findings = websites.findings_for(form, statistics=(report.format, values))
        if media_rows is None:
            media_rows = [dict(row) for row in form.media]
        media_rows += [{"platform": "weibo"}, {"platform": "wechat"}, {"platform": "other"}]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{report.title} · 政府网站工作年度报表",
            "opts": self.opts,
            "original": report,
            "report": report,
            "form_version": form_version,
            "year": report.period.year,
            "editable": editable,
            "site": render_website(
                WEBSITE_FORM,
                websites.typed_values(form),
                form.notes,
                websites.media_accounts(form),
                typed=typed,
                errors=entry_errors,
                findings=findings,
                position=form.position,
                signatures=websites.sign_off(report),
            ),
            "media_rows": media_rows,
            "platforms": MEDIA_PLATFORMS,
            "entry_errors": entry_errors,
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
        }
        return TemplateResponse(request, "admin/reports/annualreport/website.html", context)


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
