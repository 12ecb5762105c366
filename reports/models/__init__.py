"""The portal's data, one module per area; import models from here.

Same-row invariants live in the models as named database constraints; rules
that span rows (who may see what, how a filing moves) live in `access.py`
and `workflow.py`. Edits to a filing's contents are refused by database
triggers once it has left 填报中 (migration 0005_lock_contents_after_submission).
"""

from reports.models.agencies import (
    Agency,
    Membership,
    ReportingPeriod,
    TimeStampedModel,
    due_dates_for,
)
from reports.models.compilation import Compilation
from reports.models.filings import (
    AnnualReport,
    NarrativeSection,
    ReportValue,
    ValueChange,
    WebsiteForm,
)
from reports.models.imports import ImportRecord
from reports.models.notifications import Notification
from reports.models.public import PublicationWindow, PublicFile, PublishedCell
from reports.models.workflow import PublishedRevision, ReviewComment, StatusChange

__all__ = [
    "Agency",
    "AnnualReport",
    "Compilation",
    "ImportRecord",
    "Membership",
    "NarrativeSection",
    "Notification",
    "PublicFile",
    "PublicationWindow",
    "PublishedCell",
    "PublishedRevision",
    "ReportValue",
    "ReportingPeriod",
    "ReviewComment",
    "StatusChange",
    "TimeStampedModel",
    "ValueChange",
    "WebsiteForm",
    "due_dates_for",
]
