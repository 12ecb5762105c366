"""Shared by the admin classes: agency scoping, and the pieces of a filing's extra pages.

The queryset is filtered to the user's agencies, and any object outside it
answers 404 (not Django's redirect to the index), whatever view asks for it:
change, delete, history or password change.

A filing's extra pages (listed in `AnnualReportAdmin.get_urls`) are plain functions
`view(model_admin, request, report, ...)`; they render with `filing_page` and handle a
posted form with `save_or_show_again`. A page that saves a filing's contents reads the
version its form was opened at with `posted_version`, which refuses a POST without one
(`NoVersion`): the services compare versions only when given one.
"""

from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from reports import selectors, services
from reports.access import access_for
from reports.models import ReportingPeriod
from reports.workflow import WorkflowError

NOT_FOUND = "未找到该记录，或您无权访问。"


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows belong to an agency.

    `agency_path` is the lookup from the model to the agency's id.
    Subclasses decide who may add/change/delete; viewing needs the agency
    to be visible to the user.
    """

    agency_path = "agency_id"

    def scope(self, request, queryset):
        visible = access_for(request.user).visible_agency_ids()
        if visible is None:
            return queryset
        return queryset.filter(**{f"{self.agency_path}__in": visible})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NOT_FOUND)
        return obj

    def has_module_permission(self, request):
        return access_for(request.user).is_member

    def has_view_permission(self, request, obj=None):
        access = access_for(request.user)
        if obj is None:
            return access.is_member
        return access.can_see_agency(self.agency_id_of(obj))

    def agency_id_of(self, obj) -> int:
        value = obj
        for part in self.agency_path.split("__"):
            value = getattr(value, part)
        return value


class NoVersion(Exception):
    """A form that saves a filing's contents came without the version it was opened at."""


NO_VERSION = (
    "未保存：页面缺少版本信息（页面可能未完整加载，或来自旧的页面），无法确认您填写时看到的是"
    "最新内容。已填写的内容均保留在下方：请核对后再次点击“保存”。"
)


def posted_version(request) -> int:
    """The filing version a posted form was opened at (optimistic locking).

    Raises NoVersion when the POST has no `version`, or not a whole number ≥ 0: passing None
    on to the services would skip the comparison and overwrite whatever was saved since the
    page was opened. Call it inside the `save()` given to `save_or_show_again`, which turns
    the refusal into NO_VERSION and the form shown again."""
    version = _version_in(request)
    if version is None:
        raise NoVersion(NO_VERSION)
    return version


def _version_in(request) -> int | None:
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        return None
    return version if version >= 0 else None


# --- a filing's extra pages ------------------------------------------------------------


def period_asked(request) -> tuple[list, object | None]:
    """(every reporting period, newest first; the one ``?year=`` names, else the newest) for
    the pages over a whole period (board, 比对 of a subtree); (…, None) when there is none."""
    periods = list(ReportingPeriod.objects.order_by("-year"))
    if not periods:
        return periods, None
    try:
        year = int(request.GET.get("year") or periods[0].year)
    except ValueError:
        year = periods[0].year
    return periods, next((p for p in periods if p.year == year), periods[0])


def comparison_asked(request, report, data=None):
    """Last year's published figures beside the cells (比对) when the page is asked with
    ``?compare=1``; None otherwise. `data` is the filing as the page read it (FilingData);
    with it, one more query when asked."""
    if request.GET.get("compare") != "1":
        return None
    return selectors.report_comparison(report, data)


def filing_page(model_admin, request, report, template, **context) -> TemplateResponse:
    """An extra page of `report` in the admin's frame (breadcrumbs back to the filing)."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": report,
            "report": report,
            "change_url": reverse("admin:reports_annualreport_change", args=[report.pk]),
            **context,
        },
    )


def ensure_editable(model_admin, request, report) -> None:
    """403 unless the user may change the filing's contents now (`can_edit_values`)."""
    if not model_admin.can_edit_values(request, report):
        raise PermissionDenied("该报告当前不可修改。")


@dataclass(frozen=True)
class Refused:
    """A refused save, for showing the form again with what was typed."""

    version: int | None  # the filing version the form goes back out at
    errors: dict = field(default_factory=dict)  # field or cell → message (EntryError only)


def save_or_show_again(request, report, save, *, show_again, invalid=None, then=None):
    """Handle a posted form of a filing: `save()`, then redirect; on a refusal, the form again.

    `save()` writes (through reports.services, .websites, .narrative or .workflow) and
    flashes what it did; then the browser goes to `then`, by default the same page, so a
    reload never posts twice. A refusal is flashed in Chinese and answered by
    `show_again(Refused(...))`, which renders the page with what was typed kept:

    * EntryError (some input is not acceptable): the message is `invalid(problem)`
      (default: the errors joined); the errors go beside their fields; the form keeps the
      version it was opened at, so a save by someone else meanwhile is still caught;
    * NoVersion (the form came without the version it was opened at, see `posted_version`),
      EditConflict, ReportLocked, WorkflowError: the message is the reason itself; the
      filing is read again and the form goes out at its current version, so saving again
      is a deliberate choice to keep what was typed.
    """
    try:
        save()
    except services.EntryError as problem:
        message = invalid(problem) if invalid else f"未保存：{problem}。已填写的内容均保留在下方。"
        messages.error(request, message)
        return show_again(Refused(_version_in(request), problem.errors))
    except (NoVersion, services.EditConflict, services.ReportLocked, WorkflowError) as problem:
        messages.error(request, str(problem))
        report.refresh_from_db()
        return show_again(Refused(report.version))
    return redirect(then or request.path)


def import_refused(model_admin, request, report, what: str):
    """None when the user may import into `report`; else a redirect to the filing with
    「不能导入{what}：」 and the edit rule's reason. Staff who may not edit this agency's figures
    at all (审核人, 单位负责人) get 403."""
    refusal = services.edit_refusal(report, request.user)
    if refusal is None:
        return None
    if model_admin.has_change_permission(request, report):
        messages.error(request, f"不能导入{what}：{refusal}")
        return redirect("admin:reports_annualreport_change", report.pk)
    raise PermissionDenied("您无权修改该报告的数据。")
