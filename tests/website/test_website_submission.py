"""Required website-form fields block submission, as `validate_website` documents."""

import pytest

from reports import websites, workflow
from reports.formats.website import WEBSITE_FORM
from reports.models import AnnualReport
from reports.selectors import report_findings
from reports.workflow import WorkflowError
from tests.helpers import complete


@pytest.fixture
def ticked_only(office):
    """A complete filing whose website form has only its tick boxes answered."""
    report = complete(AnnualReport.objects.create(agency=office["bureau"], period=office["period"]))
    form = websites.website_form_add(report=report, by=office["filer"])
    ticks = {
        field.code: field.choices[0][0]
        for field in WEBSITE_FORM.fields
        if field.kind in ("choice", "yesno")
    }
    form.values = ticks  # nothing typed but the tick boxes
    form.save(update_fields=["values"])
    return report


def test_blank_required_website_fields_are_errors_while_entering_and_at_submission(ticked_only):
    required = [
        (f.severity, cell)
        for f in report_findings(ticked_only)
        if f.rule_id == "required"
        for cell in f.cells
        if cell.startswith("w1:")
    ]
    assert ("error", "w1:site_name") in required
    assert ("error", "w1:info_total") in required


def test_a_filing_whose_website_form_has_only_ticks_cannot_be_submitted(ticked_only, office):
    with pytest.raises(WorkflowError, match="网站名称"):
        workflow.report_submit(report=ticked_only, by=office["filer"])
    ticked_only.refresh_from_db()
    assert ticked_only.status == AnnualReport.Status.DRAFT
