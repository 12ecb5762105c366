"""Agencies and reporting periods: managed by coordinators (主管部门).

Both import and export spreadsheets through django-import-export: agencies as rows, and a
period as its flat sheet (one row per filing, one column per cell; 导入 on the period list,
导出汇总表 per period). The confirmation of an import applies against what its preview saw
and refuses rows changed since (`reports.spreadsheets.admin_import.PortalImportMixin`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from import_export.admin import ImportExportMixin, ImportMixin
from import_export.forms import ImportForm

from reports import services
from reports.access import access_for
from reports.admin.base import ScopedAdmin
from reports.models import Agency, AnnualReport, ReportingPeriod
from reports.resources import AgencyResource, PeriodSheetResource
from reports.spreadsheets import flat
from reports.spreadsheets.admin_import import PortalImportMixin, VersionedConfirmImportForm
from reports.spreadsheets.safety import CSV, XLSX


def https_by_default(db_field, **kwargs):
    """A website typed without a scheme is read as https:// (Django 6's default, today)."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class AgencyForm(forms.ModelForm):
    class Meta:
        formfield_callback = https_by_default
        model = Agency
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "slug",
            "address",
            "postcode",
            "phone",
            "fax",
            "email",
            "website",
        ]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if self.instance.pk and parent is not None:
            services.agency_check_parent(agency=self.instance, parent=parent)
        return parent


@admin.register(Agency)
class AgencyAdmin(PortalImportMixin, ImportExportMixin, ScopedAdmin):
    resource_classes = [AgencyResource]
    agency_path = "id"
    form = AgencyForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "short_name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "parent", "slug"]}),
        ("联系方式", {"fields": ["address", "postcode", "phone", "fax", "email", "website"]}),
    ]

    def has_add_permission(self, request):
        return access_for(request.user).is_coordinator

    def has_change_permission(self, request, obj=None):
        access = access_for(request.user)
        if obj is None:
            return access.is_coordinator
        return access.can_manage_agency(obj.id)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_export_permission(self, request):
        return access_for(request.user).is_member

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        access = access_for(request.user)
        if "parent" in form.base_fields and not access.is_superuser:
            # A coordinator creates agencies only inside their own subtree.
            # The agency's current parent stays a valid choice: a coordinator below
            # the top edits their own agency, whose parent lies above their subtree.
            field = form.base_fields["parent"]
            allowed = set(access.coordinated_ids)
            if obj is not None and obj.parent_id:
                allowed.add(obj.parent_id)
            field.queryset = Agency.objects.filter(id__in=allowed)
            field.required = obj is None or obj.parent_id is not None
        return form


class PeriodImportForm(ImportForm):
    period = forms.ModelChoiceField(
        ReportingPeriod.objects.all(),
        label="报告年度",
        help_text="每行一个报告：第一列为单位标识，其余列为“项目（代码）”。请以导出的汇总表为模板。",
    )
    field_order = ["period", "resource", "import_file", "format"]


class PeriodConfirmForm(VersionedConfirmImportForm):
    period = forms.ModelChoiceField(ReportingPeriod.objects.all(), widget=forms.HiddenInput)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PortalImportMixin, ImportMixin, admin.ModelAdmin):
    resource_classes = [PeriodSheetResource]
    import_form_class = PeriodImportForm
    confirm_form_class = PeriodConfirmForm
    import_template_name = "admin/reports/reportingperiod/import.html"
    list_display = [
        "year",
        "format_code",
        "opens_on",
        "department_due",
        "government_due",
        "is_open",
        "flat_sheet",
    ]
    list_filter = ["is_open", "format_code"]
    fields = [
        "year",
        "format_code",
        "opens_on",
        "department_due",
        "government_due",
        "is_open",
        "is_historical",
        "parent_review",
    ]

    def has_module_permission(self, request):
        return access_for(request.user).is_member

    def has_view_permission(self, request, obj=None):
        return access_for(request.user).is_member

    # Periods are shared by every agency: only a top-level coordinator (or a
    # superuser) opens them or changes their dates and format.
    def has_add_permission(self, request):
        return access_for(request.user).manages_periods

    def has_change_permission(self, request, obj=None):
        return access_for(request.user).manages_periods

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Filings store values by the format's cell codes: the format stays once they exist.
        if obj is not None and obj.reports.exists():
            return ["format_code"]
        return []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "year" not in initial:
            initial.update(services.period_defaults(services.current_report_year()))
        return initial

    # --- the flat period sheet ------------------------------------------------------------

    @admin.display(description="年度汇总表")
    def flat_sheet(self, period):
        url = reverse("admin:reports_reportingperiod_flat", args=[period.pk])
        return format_html(
            '<a href="{}?format=xlsx">xlsx</a> · <a href="{}?format=csv">csv</a>', url, url
        )

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if not access_for(request.user).is_coordinator:
            return [name for name in shown if name != "flat_sheet"]
        return shown

    def get_urls(self):
        return [
            path(
                "<path:object_id>/flat/",
                self.admin_site.admin_view(self.flat_view),
                name="reports_reportingperiod_flat",
            ),
            *super().get_urls(),
        ]

    def flat_view(self, request, object_id):
        """The period's filings within the user's subtree as one flat sheet (xlsx or csv)."""
        access = access_for(request.user)
        if not access.is_coordinator:
            raise PermissionDenied
        period = get_object_or_404(ReportingPeriod, pk=object_id)
        kind = CSV if request.GET.get("format") == CSV else XLSX
        reports = AnnualReport.objects.filter(period=period)
        visible = access.visible_agency_ids()
        if visible is not None:
            reports = reports.filter(agency_id__in=visible)
        dataset = PeriodSheetResource(period=period).export(reports)
        content_type = (
            "text/csv"
            if kind == CSV
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(flat.dataset_bytes(dataset, kind), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, flat.file_name(period, kind)
        )
        return response

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"period": cleaned.get("period")}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["period"] = import_form.cleaned_data["period"].pk
        return initial

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        changed = sum(len(getattr(row, "changes", ())) for row in result.valid_rows())
        messages.info(
            request, f"共修改{changed}个单元格；每个报告的修改记录见其“历史”和数据修改记录。"
        )
