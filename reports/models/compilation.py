"""The 本级 report compiled from subordinate filings: one row per compilation (汇总生成)."""

from django.conf import settings
from django.db import models

from reports.models.filings import AnnualReport


class Compilation(models.Model):
    """One compilation of a government filing's statistics tables from other filings.

    Written only by `reports.services.report_compile`, in the transaction that writes the
    compiled values; append-only, the latest row is the one in force. `sources` lists the
    filings summed, as they were then (`reports.compilation.Source.to_json`): agency, state,
    revision, version and every value used. `sums` is what they summed to, cell code → decimal
    text (blank cells absent): each cell's contributors add up to it, and an input cell of the
    filing that differs from it was typed by hand afterwards (an override, kept by a refresh).
    """

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.PROTECT,  # the record of what was summed outlives any attempt to delete
        related_name="compilations",
    )
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="汇总人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    compiled_at = models.DateTimeField("汇总时间", auto_now_add=True, db_index=True)
    sources = models.JSONField("汇总来源", default=list)
    sums = models.JSONField("汇总结果", default=dict)
    cells_changed = models.PositiveIntegerField("修改单元格数", default=0)

    class Meta:
        verbose_name = "本级报告汇总记录"
        verbose_name_plural = "本级报告汇总记录"
        ordering = ["-compiled_at", "-id"]

    def __str__(self):
        return f"{self.report} 汇总（{len(self.sources)}个单位）"
