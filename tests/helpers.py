"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from reports import services
from reports.models import AnnualReport

S = AnnualReport.Status


def complete(report):
    """Fill every cell with 0: a consistent, complete filing."""
    entries = {spec.code: ("0", "") for spec in report.format.cells() if not spec.computed_from}
    services.report_save_values(report=report, by=None, entries=entries)
    report.refresh_from_db()
    return report


def put(report, status, office):
    """Place a filing in `status` with the signatures that state implies (test set-up only)."""
    signatures = {}
    if status in (S.SUBMITTED, S.REVIEWED, S.APPROVED, S.PUBLISHED):
        signatures["submitted_by"] = office["filer"]
    if status in (S.REVIEWED, S.APPROVED, S.PUBLISHED):
        signatures["reviewed_by"] = office["reviewer"]
    if status in (S.APPROVED, S.PUBLISHED):
        signatures["approved_by"] = office["head"]
    AnnualReport.objects.filter(pk=report.pk).update(status=status, **signatures)
    report.refresh_from_db()
    return report
