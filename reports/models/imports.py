"""Every spreadsheet import, recorded: who, when, which file, what it changed."""

from django.conf import settings
from django.db import models

from reports.models.agencies import ReportingPeriod
from reports.models.filings import AnnualReport


class ImportRecord(models.Model):
    class Kind(models.TextChoices):
        WORKBOOK = "workbook", "报告工作簿"
        PERIOD = "period", "年度汇总表"
        AGENCIES = "agencies", "填报单位"
        MEMBERSHIPS = "memberships", "单位成员"
        REPORT = "report", "已发布报告"

    kind = models.CharField("类型", max_length=20, choices=Kind)
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="报告年度",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件SHA-256", max_length=64)
    cells_changed = models.PositiveIntegerField("修改单元格数", default=0)
    summary = models.JSONField("摘要", default=dict, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"
