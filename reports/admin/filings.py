"""Filings (年度报告) in the admin."""

from django.contrib import admin
from import_export.admin import ExportMixin

from reports.access import access_for
from reports.admin.base import ScopedAdmin
from reports.models import Agency, AnnualReport, Membership
from reports.resources import AnnualReportResource

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

    def get_fields(self, request, obj=None):
        return ["agency", "period", "status", "revision", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A filing never moves to another agency or year once created.
        if obj is not None:
            return ["agency", "period", *self.readonly_fields]
        return self.readonly_fields

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
