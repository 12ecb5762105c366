"""The return reasons on the 正文 page, whose view leaves them to its template.

The statistics-table and website-form pages get the same context from their views
(`reports.admin.workflow_views.review_context`); the 正文 page asks for it here.
"""

from django import template

from reports.admin.workflow_views import review_context
from reports.formats import codes

register = template.Library()


@register.simple_tag(takes_context=True)
def review_for(context, report) -> dict:
    """`review_context` of `report` for the user of the page."""
    return review_context(report, context["request"].user)


@register.filter
def section_reasons(review: dict, key: str):
    """The open reasons pinned to the 正文 section `key`."""
    return review["review_reasons"].get(codes.section_code(key), ())


@register.filter
def narrative_reasons(review: dict):
    """The open reasons pinned to the 正文 as a whole."""
    return review["review_reasons"].get(codes.NARRATIVE, ())
