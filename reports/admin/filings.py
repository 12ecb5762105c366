"""Filings (年度报告) in the admin: the list, and the statistics-table entry page."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ExportMixin

from reports import selectors, services
from reports.access import access_for
from reports.admin.base import ScopedAdmin
from reports.models import Agency, AnnualReport, Membership
from reports.rendering import render_tables
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
        """Filers (and coordinators) edit the tables while the filing is a draft."""
        return (
            self.has_change_permission(request, report)
            and report.status == AnnualReport.Status.DRAFT
        )

    # --- pages ----------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "period")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        values, notes = selectors.report_values(report)
        findings = selectors.report_findings(report, values)
        extra_context = {
            **(extra_context or {}),
            "tables": render_tables(report.format, values, notes, findings=findings),
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "tables_url": reverse("admin:reports_annualreport_tables", args=[report.pk]),
            "can_edit_values": self.can_edit_values(request, report),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def tables_view(self, request, object_id):
        """The official statistics tables as one form: one input per cell."""
        report = self.get_object(request, object_id)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        editable = self.can_edit_values(request, report)
        typed, entry_errors = None, None
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
                    report=report, by=request.user, entries=entries
                )
            except services.EntryError as problem:
                typed, entry_errors = entries, problem.errors
                messages.error(
                    request,
                    f"未保存：{len(problem.errors)}个单元格有误，请按提示改正后再保存。已填写的内容均保留在下方。",
                )
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
            "format": report.format,
            "editable": editable,
            "tables": render_tables(
                report.format, values, notes, typed=typed, errors=entry_errors, findings=findings
            ),
            "entry_errors": entry_errors,
            "rule_errors": errors(findings),
            "rule_warnings": warnings(findings),
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
        }
        return TemplateResponse(request, "admin/reports/annualreport/tables.html", context)
