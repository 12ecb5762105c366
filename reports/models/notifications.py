"""In-app notifications: the copy of each workflow mail that every recipient can read in the
admin, e-mail address or not."""

from django.conf import settings
from django.db import models

from reports.models.filings import AnnualReport
from reports.models.workflow import StatusChange


class Notification(models.Model):
    """One person told that a filing moved and what they are asked to do.

    Written by `reports.notifications.status_changed` after each workflow move, one row per
    recipient (also those without an e-mail address, who get no mail); read only by its
    recipient, who marks it read by opening it (`read_at`).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    action = models.CharField("操作", max_length=20, choices=StatusChange.Action)
    message = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header counts a user's unread notifications on every admin page.
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=["submit", "pass", "return", "sign", "publish", "reopen"]
                ),
                name="notification_action_known",
            ),
        ]

    def __str__(self):
        return self.message[:40]
