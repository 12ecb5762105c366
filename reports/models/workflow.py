"""The workflow's records: status moves, review comments and published revisions.

All three are append-only in practice: only `reports.workflow` writes them.
"""

from django.conf import settings
from django.db import models

from reports.models.filings import AnnualReport


class StatusChange(models.Model):
    """One move of a filing through the workflow: who, when, from what to what, why."""

    class Action(models.TextChoices):
        """The workflow's moves; each has one `report_<verb>` in `reports.workflow`."""

        SUBMIT = "submit", "提交审核"
        PASS = "pass", "审核通过"
        RETURN = "return", "退回修改"
        SIGN = "sign", "签发"
        PARENT_PASS = "parent_pass", "主管部门审核通过"
        PUBLISH = "publish", "公开"
        REOPEN = "reopen", "重新打开更正"

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.PROTECT,  # the audit trail outlives any attempt to delete
        related_name="status_changes",
    )
    from_status = models.CharField("原状态", max_length=20, choices=AnnualReport.Status)
    to_status = models.CharField("新状态", max_length=20, choices=AnnualReport.Status)
    action = models.CharField("操作", max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # Set by the database (PostgreSQL, migration 0010_guard_status_and_revisions), whatever the
    # INSERT says: the transaction that wrote the row. A filing's status may change only in a
    # transaction that wrote the matching StatusChange.
    transaction_id = models.BigIntegerField("数据库事务号", null=True, editable=False)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "submit",
                        "pass",
                        "return",
                        "sign",
                        "parent_pass",
                        "publish",
                        "reopen",
                    ]
                ),
                name="statuschange_action_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReviewComment(models.Model):
    """A reviewer's reason for returning a filing, optionally pinned to cells or sections.

    The filer ticks each one off (`resolved_at`) as a checklist.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField("意见")
    targets = models.JSONField("涉及单元格或章节", default=list, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    resolved_at = models.DateTimeField("已处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:40]


class PublishedRevision(models.Model):
    """What the public reads: a frozen copy of a filing as it was published.

    A correction publishes revision n+1; revision n stays readable until then.
    `snapshot` is `reports.filing_data.FilingData` as JSON.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField("版本")
    published_at = models.DateTimeField("公开时间", db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    correction_note = models.TextField("更正说明", blank=True)
    snapshot = models.JSONField("内容")
    # Tamper evidence (reports.publication): SHA-256 of this revision's content and of the
    # revisions before it, of the same filing and of the same year.
    sha256 = models.CharField("内容指纹（SHA-256）", max_length=64, editable=False)
    previous_sha256 = models.CharField(
        "本报告上一版指纹", max_length=64, blank=True, editable=False
    )
    year_previous_sha256 = models.CharField(
        "本年度上一份公开版本指纹", max_length=64, blank=True, editable=False
    )

    class Meta:
        verbose_name = "已公开版本"
        verbose_name_plural = "已公开版本"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_one_per_number"),
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}版"
