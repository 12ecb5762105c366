"""Agencies and reporting periods: managed by coordinators (主管部门)."""

from django import forms
from django.contrib import admin
from django.db import models

from reports import services
from reports.access import access_for
from reports.admin.base import ScopedAdmin
from reports.models import Agency, ReportingPeriod


class AgencyForm(forms.ModelForm):
    class Meta:
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
class AgencyAdmin(ScopedAdmin):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        access = access_for(request.user)
        if "parent" in form.base_fields and not access.is_superuser:
            # A coordinator creates agencies only inside their own subtree.
            field = form.base_fields["parent"]
            field.queryset = Agency.objects.filter(id__in=access.coordinated_ids)
            field.required = obj is None or obj.parent_id is not None
        return form


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "format_code",
        "opens_on",
        "department_due",
        "government_due",
        "is_open",
    ]
    list_filter = ["is_open", "format_code"]
    fields = ["year", "format_code", "opens_on", "department_due", "government_due", "is_open"]

    def has_module_permission(self, request):
        return access_for(request.user).is_member

    def has_view_permission(self, request, obj=None):
        return access_for(request.user).is_member

    def has_add_permission(self, request):
        return access_for(request.user).is_coordinator

    def has_change_permission(self, request, obj=None):
        return access_for(request.user).is_coordinator

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "year" not in initial:
            initial.update(services.period_defaults(services.current_report_year()))
        return initial
