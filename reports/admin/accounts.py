"""User accounts and memberships: a coordinator manages those of their subtree."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportMixin

from reports import lockout
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
    never the permission fields.

    An account locked out after too many failed logins (`reports.lockout`) shows as
    已锁定 in the list; the action 解除登录锁定 and the button on the account's page
    unlock it, for exactly the accounts the coordinator may edit."""

    inlines = [MembershipInline]
    list_display = ["username", "person_name", "email", "is_active", "login_locked", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "last_name", "first_name", "email"]
    readonly_fields = ["login_lock"]
    actions = ["unlock_login"]
    coordinator_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["last_name", "first_name", "email"]}),
        ("状态", {"fields": ["is_active"]}),
    ]
    login_fieldset = ("登录锁定", {"fields": ["login_lock"]})

    @admin.display(description="姓名")
    def person_name(self, obj):
        return person_name(obj, or_username=False)

    @admin.display(description="登录锁定")
    def login_locked(self, obj):
        return "已锁定" if obj.recent_login_failures >= lockout.failure_limit() else ""

    @admin.display(description="状态")
    def login_lock(self, obj):
        lock = lockout.login_lock(obj)
        if not lock.locked:
            return "未锁定"
        until = timezone.localtime(lock.until).strftime("%Y-%m-%d %H:%M")
        # Inside the change form: `formaction` posts it (CSRF token included) to the unlock
        # view instead of saving the account.
        return format_html(
            "已锁定：连续登录失败 {} 次，最迟 {} 自动解除（再次尝试会重新计时）。"
            ' <button type="submit" class="button" formaction="{}" formnovalidate>解除登录锁定</button>',
            lock.failures,
            until,
            reverse("admin:auth_user_unlock_login", args=[obj.pk]),
        )

    @admin.action(description="解除登录锁定", permissions=["change"])
    def unlock_login(self, request, queryset):
        unlocked = [user for user in queryset if lockout.login_unlock(user=user, by=request.user)]
        if unlocked:
            names = "、".join(user.get_username() for user in unlocked)
            self.message_user(request, f"已解除登录锁定：{names}。", messages.SUCCESS)
        else:
            self.message_user(request, "所选账号没有登录失败记录，无需解除。", messages.INFO)

    def unlock_login_view(self, request, object_id):
        """POST only. 403 without the right to edit accounts; 404 for an account
        outside the coordinator's subtree (the scoped queryset does not hold it)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = self.get_object(request, unquote(object_id))
        if lockout.login_unlock(user=user, by=request.user):
            self.message_user(request, f"已解除账号 {user.get_username()} 的登录锁定。")
        else:
            self.message_user(request, "该账号没有登录失败记录，无需解除。", messages.INFO)
        return redirect("admin:auth_user_change", user.pk)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/unlock-login/",
                self.admin_site.admin_view(self.unlock_login_view),
                name="auth_user_unlock_login",
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return [*super().get_fieldsets(request, obj), self.login_fieldset]
        return [*self.coordinator_fieldsets, self.login_fieldset]

    def get_queryset(self, request):
        users = manageable_users(access_for(request.user))
        return users.annotate(recent_login_failures=lockout.recent_failures())

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
