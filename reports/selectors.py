"""Reads shaped for pages: every query a page needs is made here, bounded."""

from django.db.models import QuerySet

from reports.models import AnnualReport


def published_reports() -> QuerySet[AnnualReport]:
    """Filings the public may read, newest year first."""
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
        .select_related("agency", "period")
        .order_by("-period__year", "agency__name")
    )
