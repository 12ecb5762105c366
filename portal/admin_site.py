"""The admin site: Chinese titles, and entry for every member of an agency.

Django's own admin lets in only `is_staff` users. Here the right to enter
comes from a membership (or superuser status), so granting a role in an
agency is the one step that gives a person access; what they see inside is
decided per model by `reports.access`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from reports.access import access_for


class PortalAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        if not user.is_active or not access_for(user).is_member:
            raise forms.ValidationError(
                "该账号未加入任何填报单位，无法登录管理后台。请联系主管部门开通。",
                code="no_membership",
            )


class PortalAdminSite(admin.AdminSite):
    site_header = "政务公开年报填报平台"
    site_title = "政务公开年报填报平台"
    index_title = "填报与管理"
    login_form = PortalAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and access_for(user).is_member
