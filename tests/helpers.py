"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from reports import services
from reports.formats import narrative_format
from reports.models import AnnualReport
from reports.narrative import narrative_save

S = AnnualReport.Status


def complete(report):
    """Fill every cell with 0 and every required section: a consistent, complete filing."""
    entries = {spec.code: ("0", "") for spec in report.format.cells() if not spec.computed_from}
    services.report_save_values(report=report, by=None, entries=entries)
    texts = {}
    for section in narrative_format(report.period.format_code).sections:
        if section.required:
            aspects = "\n".join(f"{aspect}本机关按规定开展工作。" for aspect in section.aspects)
            texts[section.key] = aspects or f"{section.title}：本年度无需特别说明的事项。"
    narrative_save(report=report, by=None, texts=texts)
    report.refresh_from_db()
    return report


def put(report, status, office):
    """Place a filing in `status` with the signatures that state implies (test set-up only)."""
    signatures = {}
    if status in (S.SUBMITTED, S.REVIEWED, S.PARENT_REVIEW, S.APPROVED, S.PUBLISHED):
        signatures["submitted_by"] = office["filer"]
    if status in (S.REVIEWED, S.PARENT_REVIEW, S.APPROVED, S.PUBLISHED):
        signatures["reviewed_by"] = office["reviewer"]
    if status in (S.PARENT_REVIEW, S.APPROVED, S.PUBLISHED):
        signatures["approved_by"] = office["head"]
    AnnualReport.objects.filter(pk=report.pk).update(status=status, **signatures)
    report.refresh_from_db()
    return report
