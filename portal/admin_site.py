"""The admin site: Chinese titles, entry for every member of an agency, the 待办 on the index
page and the in-app notifications.

Django's own admin lets in only `is_staff` users. Here the right to enter
comes from a membership (or superuser status), so granting a role in an
agency is the one step that gives a person access; what they see inside is
decided per model by `reports.access`.

Every admin page's header shows the user's unread notifications (`each_context`); the index
lists what waits for them (`reports.todo`); the notifications pages below are scoped to the
user: another user's notification answers 404.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from reports import notifications, todo
from reports.access import access_for
from reports.models import Notification


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

    def each_context(self, request):
        context = super().each_context(request)
        if context["has_permission"]:
            context["notification_badge"] = {
                "unread": todo.unread_count(request.user),
                "url": reverse("admin:notifications", current_app=self.name),
            }
        return context

    def index(self, request, extra_context=None):
        waiting = todo.todo_for(request.user, today=timezone.localdate())
        return super().index(request, {"todo": waiting, **(extra_context or {})})

    def get_urls(self):
        return [
            path("notifications/", self.admin_view(self.notifications), name="notifications"),
            path(
                "notifications/<int:notification_id>/",
                self.admin_view(self.notification),
                name="notification",
            ),
            path(
                "notifications/read/",
                self.admin_view(require_POST(self.notifications_read)),
                name="notifications_read",
            ),
            *super().get_urls(),
        ]

    def notifications(self, request):
        """The user's notifications, newest first; unread ones marked as such."""
        return TemplateResponse(
            request,
            "admin/reports/notifications/list.html",
            {
                **self.each_context(request),
                "title": "通知",
                "page": todo.notifications_page(request.user, request.GET.get("page")),
            },
        )

    def notification(self, request, notification_id):
        """Open one notification: it is marked read, and the filing's 流转 page shows."""
        try:
            opened = notifications.notification_open(
                notification_id=notification_id, user=request.user
            )
        except Notification.DoesNotExist:
            raise Http404("未找到该通知，或您无权查看。") from None
        return redirect("admin:reports_annualreport_workflow", opened.report_id)

    def notifications_read(self, request):
        notifications.notifications_mark_read(user=request.user)
        return redirect("admin:notifications")
