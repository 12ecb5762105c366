"""What the public side reads: an index of published revisions, their cells, and their files.

All three are derived from `PublishedRevision` (the record) and written in the same
transaction as the revision (`reports.public_index.record`); `manage.py rebuild_public_index`
writes them again from the revisions. None of them is guarded like the revisions: losing
them loses nothing that cannot be rebuilt.
"""

import zlib

from django.db import models

from reports.models.agencies import Agency
from reports.models.workflow import PublishedRevision


class PublicationWindow(models.Model):
    """When a published revision is the one the public reads.

    From `published_at` until `visible_until`: the earliest `published_at` of a later
    revision of the same filing (null while none). A revision scheduled for tomorrow thus
    takes over tomorrow, in every process, with nothing to run at that time: "visible now"
    is `published_at <= now < visible_until`, a range test the indexes answer.
    """

    revision = models.OneToOneField(
        PublishedRevision,
        verbose_name="已公开版本",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="window",
    )
    # Copied from the revision's filing so lists filter and sort on this table alone.
    agency = models.ForeignKey(
        Agency,
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # window_agency_year serves it
    )
    year = models.PositiveSmallIntegerField("报告年度")
    number = models.PositiveSmallIntegerField("版本")
    published_at = models.DateTimeField("公开时间")
    # When the filing was first published (its revision 1): what 按时/逾期 is judged on.
    first_published_at = models.DateTimeField("首次公开时间")
    visible_until = models.DateTimeField("被更正版本取代时间", null=True, blank=True)

    class Meta:
        verbose_name = "公开期间"
        verbose_name_plural = "公开期间"
        indexes = [
            models.Index(fields=["year", "agency"], name="window_year_agency"),
            models.Index(fields=["agency", "year"], name="window_agency_year"),
            models.Index(fields=["published_at"], name="window_published_at"),
        ]

    def __str__(self):
        return f"{self.year}年度 第{self.number}版（{self.published_at:%Y-%m-%d}起）"


class PublishedCell(models.Model):
    """One statistics-table cell of a published revision, keyed by the national format's code.

    One row per cell so that 汇总 and trends are `SUM … GROUP BY` in the database.
    """

    pk = models.CompositePrimaryKey("window", "code")
    window = models.ForeignKey(
        PublicationWindow,
        verbose_name="公开期间",
        on_delete=models.CASCADE,
        related_name="cells",
        db_index=False,  # the primary key (window, code) serves it
    )
    code = models.CharField("单元格代码", max_length=40)
    value = models.DecimalField("数值", max_digits=24, decimal_places=6)

    class Meta:
        verbose_name = "已公开单元格"
        verbose_name_plural = "已公开单元格"

    def __str__(self):
        return f"{self.code} = {self.value}"


class PublicFile(models.Model):
    """A public representation of a published revision (page HTML, xlsx, csv, docx, pdf,
    json), built once on first request and kept here so every process serves the same bytes.

    `variant` names what else the bytes depend on: for the page and the JSON, which revisions
    of the filing were visible (their 更正 history); `build` is the code's build
    (`reports.public_files.BUILD`), so a deployment with new templates builds anew.
    """

    revision = models.ForeignKey(
        PublishedRevision,
        verbose_name="已公开版本",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # public_file_one_per_key serves it
    )
    kind = models.CharField("类型", max_length=8)
    variant = models.CharField("依据", max_length=200, blank=True)
    build = models.CharField("程序版本", max_length=16)
    etag = models.CharField("ETag", max_length=64)
    # A download's file name (「南昌市教育局2018年政府信息公开工作年度报告.pdf」); blank for a page.
    name = models.CharField("文件名", max_length=200, blank=True)
    content = models.BinaryField("内容（zlib压缩）")  # `pack` / `unpack`
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "kind", "variant", "build"], name="public_file_one_per_key"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.variant}"

    # Kept compressed: a page is a fifth of its size, and reading it back from PostgreSQL
    # (bytea travels as hex text) costs less than inflating it.
    @staticmethod
    def pack(content: bytes) -> bytes:
        return zlib.compress(content, 6)

    @staticmethod
    def unpack(stored) -> bytes:
        return zlib.decompress(stored)
