"""What is filed: the annual report, its table values, website forms, and their audit."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reports.formats import get_format
from reports.models.agencies import Agency, ReportingPeriod, TimeStampedModel


class AnnualReport(TimeStampedModel):
    """One agency's filing for one reporting period.

    `status` is changed only by `reports.workflow`; no form or import may set it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "待审核"
        REVIEWED = "reviewed", "待签发"
        # Signed, in a period with 主管部门审核: waits for a coordinator of the parent agency.
        PARENT_REVIEW = "parent_review", "待主管部门审核"
        APPROVED = "approved", "已签发"
        PUBLISHED = "published", "已公开"

    agency = models.ForeignKey(
        Agency, verbose_name="填报单位", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="报告年度", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    revision = models.PositiveSmallIntegerField("版本", default=1, editable=False)
    # Bumped by every save of the contents: a form posted against an older
    # version is refused, so two filers saving at once cannot overwrite each other.
    version = models.PositiveIntegerField("修改次数", default=0, editable=False)

    # Signatures, set by the workflow only: the real accounts and dates that the
    # printed forms show as 填报人 / 审核人 / 单位负责人 / 填报日期.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="单位负责人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField("签发时间", null=True, blank=True, editable=False)
    # The filer's explanation of each warning, keyed by `reports.workflow.finding_key`.
    warning_explanations = models.JSONField("提示说明", default=dict, blank=True, editable=False)
    # Why the coordinator reopened a published filing; printed as 更正说明 on republication.
    correction_reason = models.TextField("更正原因", blank=True, editable=False)
    # The format its tables are entered in, when not the period's: a declared variant of the
    # period's format or its national one (福建's 统计表, issue 15). Set only through
    # `services.report_choose_format`, while the filing may be edited.
    format_code = models.CharField(
        "报告格式",
        max_length=20,
        blank=True,
        default="",
        editable=False,
        help_text="空白：使用报告年度的格式。",
    )

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-period__year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period"], name="annualreport_one_per_agency_period"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "reviewed",
                        "parent_review",
                        "approved",
                        "published",
                    ]
                ),
                name="annualreport_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.agency.name}{self.period.year}年政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        return str(self)

    @property
    def format(self):
        """The official format of this filing's tables: its own `format_code`, else its
        period's."""
        return get_format(self.format_code or self.period.format_code)


class ReportValue(models.Model):
    """One cell of a filing's official tables, keyed by the format's cell code.

    `value` NULL means blank (not filled), which is not 0. A cell may carry a
    note instead of, or beside, its number (「22（其中修订16件）」).
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="values"
    )
    code = models.CharField("单元格代码", max_length=40)
    # Six decimals: a 万元 cell holds any 元 amount to the 分 (reports.numbers).
    value = models.DecimalField("数值", max_digits=22, decimal_places=6, null=True, blank=True)
    # What was typed when it was converted (「1500元」 in a 万元 cell, 「22.69万」): kept beside
    # the value so the printed text is never lost; "" when the value is what was typed.
    # A database default too: the period-sheet import inserts rows without the ORM.
    printed = models.CharField("原文", max_length=40, blank=True, default="", db_default="")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "统计数据"
        verbose_name_plural = "统计数据"
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="reportvalue_one_per_cell"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(note=""),
                name="reportvalue_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.code} = {self.value}"


class ValueChange(models.Model):
    """Append-only audit of cell changes: who changed which cell from what to what, and how."""

    class Source(models.TextChoices):
        FORM = "form", "在线填报"
        IMPORT = "import", "导入"
        DEMO = "demo", "演示数据"
        COMPILE = "compile", "汇总生成"  # the 本级 report compiled from subordinate filings

    # PROTECT: a filing with a history cannot be deleted; the audit trail outlives it.
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.PROTECT,
        related_name="value_changes",
    )
    code = models.CharField("单元格代码", max_length=40)
    old_value = models.DecimalField("原值", max_digits=22, decimal_places=6, null=True)
    new_value = models.DecimalField("新值", max_digits=22, decimal_places=6, null=True)
    old_note = models.CharField("原备注", max_length=200, blank=True)
    new_note = models.CharField("新备注", max_length=200, blank=True)
    # Website-form fields that are not numbers (text, choices, dates) are recorded as text.
    old_text = models.TextField("原内容", blank=True)
    new_text = models.TextField("新内容", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    source = models.CharField("途径", max_length=20, choices=Source)
    changed_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "数据修改记录"
        verbose_name_plural = "数据修改记录"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.code}: {self.old_value} → {self.new_value}"


class WebsiteForm(TimeStampedModel):
    """One 政府网站工作年度报表 of a filing: one per website the agency runs.

    The form is declared as data in `reports.formats.website`; its answers are
    stored by field code as JSON (numbers as decimal strings, so nothing is
    lost to floats), its 移动新媒体 accounts as a list of rows. See
    docs/decisions/0003-website-form-storage.md.
    """

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.CASCADE,
        related_name="website_forms",
    )
    position = models.PositiveSmallIntegerField("序号", default=1)
    form_code = models.CharField("报表格式", max_length=20, default="website2018")
    values = models.JSONField("填报内容", default=dict, blank=True)
    notes = models.JSONField("备注", default=dict, blank=True)
    media = models.JSONField("移动新媒体", default=list, blank=True)

    class Meta:
        verbose_name = "政府网站工作年度报表"
        verbose_name_plural = "政府网站工作年度报表"
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="websiteform_one_per_position"
            ),
        ]

    def __str__(self):
        return self.values.get("site_name") or f"网站{self.position}"


class NarrativeSection(models.Model):
    """One numbered section of the report's 正文, as plain paragraphs (no HTML)."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField("章节", max_length=40)
    body = models.TextField("正文", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告正文章节"
        verbose_name_plural = "报告正文章节"
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="narrativesection_one_per_key"),
        ]

    def __str__(self):
        return self.key
