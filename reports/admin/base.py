"""Agency scoping shared by every admin class.

The queryset is filtered to the user's agencies, and any object outside it
answers 404 (not Django's redirect to the index), whatever view asks for it:
change, delete, history or password change.
"""

from django.contrib import admin
from django.http import Http404

from reports.access import access_for

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


def posted_version(request) -> int | None:
    """The filing version a posted form was opened at (optimistic locking)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None
