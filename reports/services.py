"""Writes and domain helpers that are not workflow moves (those are in workflow.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.access import subtree_ids
from reports.formats import format_for_year
from reports.models import Agency, due_dates_for


def agency_check_parent(*, agency: Agency, parent: Agency) -> None:
    """Refuse a parent that would put `agency` under itself."""
    if parent.pk == agency.pk or parent.pk in subtree_ids({agency.pk}):
        raise ValidationError("上级单位不能是本单位或其下级单位。", code="cycle")


def current_report_year() -> int:
    """Reports are written early in the year about the year before."""
    return timezone.localdate().year - 1


def period_defaults(year: int) -> dict:
    """Initial values for a new reporting period on `year`."""
    department_due, government_due = due_dates_for(year)
    return {
        "year": year,
        "format_code": format_for_year(year).code,
        "opens_on": datetime.date(year + 1, 1, 1),
        "department_due": department_due,
        "government_due": government_due,
    }
