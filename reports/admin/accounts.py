"""User accounts and memberships: a coordinator manages those of their subtree."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from import_export.admin import ImportExportMixin

from reports.access import access_for, manageable_users
from reports.admin.base import NOT_FOUND, ScopedAdmin
from reports.filing_data import person_name
from reports.models import Agency, Membership
from reports.resources import MembershipResource
from reports.spreadsheets.admin_import import PortalImportMixin

User = get_user_model()


def limit_agency_choices(request, db_field, kwargs):
    """Offer only the agencies the user manages in an `agency` dropdown."""
    access = access_for(request.user)
    if db_field.name == "agency" and not access.is_superuser:
        kwargs["queryset"] = Agency.objects.filter(id__in=access.coordinated_ids)
    return kwargs


@admin.register(Membership)
class MembershipAdmin(PortalImportMixin, ImportExportMixin, ScopedAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "person_name", "agency", "role"]
    list_filter = ["role", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "agency__name"]
    autocomplete_fields = ["user"]

    @admin.display(description="姓名")
    def person_name(self, obj):
        return person_name(obj.user, or_username=False)

    def has_add_permission(self, request):
        return access_for(request.user).is_coordinator

    def has_change_permission(self, request, obj=None):
        access = access_for(request.user)
        if obj is None:
            return access.is_coordinator
        return access.can_manage_agency(obj.agency_id)

    has_delete_permission = has_change_permission

    def has_export_permission(self, request):
        return access_for(request.user).is_member

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = manageable_users(access_for(request.user))
        return super().formfield_for_foreignkey(
            db_field, request, **limit_agency_choices(request, db_field, kwargs)
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["agency", "role"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("agency")
        access = access_for(request.user)
        if access.is_superuser:
            return queryset
        return queryset.filter(agency_id__in=access.coordinated_ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **limit_agency_choices(request, db_field, kwargs)
        )

    def has_view_permission(self, request, obj=None):
        return access_for(request.user).is_coordinator

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts. A coordinator sees the accounts wholly inside their subtree and
    new, unassigned accounts (`access.manageable_users`); never superusers, and
    never the permission fields."""

    inlines = [MembershipInline]
    list_display = ["username", "person_name", "email", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "last_name", "first_name", "email"]
    coordinator_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email"]}),
        ("状态", {"fields": ["is_active"]}),
    ]

    @admin.display(description="姓名")
    def person_name(self, obj):
        return person_name(obj, or_username=False)

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.coordinator_fieldsets

    def get_queryset(self, request):
        return manageable_users(access_for(request.user))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NOT_FOUND)
        return obj

    def has_module_permission(self, request):
        return access_for(request.user).is_coordinator

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: access_for(request.user).is_coordinator
    )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
