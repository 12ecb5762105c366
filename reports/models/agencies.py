"""Who files: agencies, reporting periods and the people's roles in them."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr

from reports.formats import format_choices


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Agency(TimeStampedModel):
    """A 填报单位: a government (政府) or one of its departments (部门).

    Agencies form a tree (市政府 → 部门, 区县); a coordinator's rights cover
    the subtree under the agency they coordinate.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "政府"
        DEPARTMENT = "department", "部门"

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField("单位类型", max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    slug = models.SlugField(
        "网址标识",
        max_length=60,
        unique=True,
        help_text="用于公开页面网址，仅限小写字母、数字和连字符，如 nanchang-edu。",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField(
        "邮编",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮编应为6位数字。")],
    )
    phone = models.CharField("电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("网站", blank=True)
    # Materialised path: the ids from the root down to this agency, "/1/5/23/". A subtree is
    # `path__startswith`, one indexed query whatever the size of the tree. Kept by `save`.
    path = models.CharField("层级路径", max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "填报单位"
        verbose_name_plural = "填报单位"
        ordering = ["name"]
        indexes = [models.Index(fields=["updated_at"], name="agency_updated_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="agency_not_own_parent"),
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[0-9]{6}$"),
                name="agency_postcode_six_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, then set this agency's path and, when it moved, its whole subtree's (in SQL)."""
        super().save(*args, **kwargs)
        parent_path = "/"
        if self.parent_id is not None:
            parent_path = Agency.objects.values_list("path", flat=True).get(pk=self.parent_id)
        path = f"{parent_path}{self.pk}/"
        if path == self.path:
            return
        old, self.path = self.path, path
        Agency.objects.filter(pk=self.pk).update(path=path)
        if old:
            Agency.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(Value(path), Substr("path", len(old) + 1))
            )


def rebuild_paths(agency_model=None, using: str = "default") -> None:
    """Every agency's path from the parent links (after a bulk insert, and in migration 0012,
    which passes its historical model and the database it migrates)."""
    agencies = (agency_model or Agency).objects.db_manager(using)
    parents = dict(agencies.values_list("id", "parent_id"))
    paths: dict[int, str] = {}

    def path_of(agency_id: int) -> str:
        chain = []
        current = agency_id
        while current is not None and current not in paths:
            chain.append(current)
            current = parents[current]
        prefix = paths[current] if current is not None else "/"
        for node in reversed(chain):
            prefix = paths[node] = f"{prefix}{node}/"
        return paths[agency_id]

    changed = []
    for agency in agencies.only("id", "path"):
        if agency.path != path_of(agency.pk):
            agency.path = paths[agency.pk]
            changed.append(agency)
    agencies.bulk_update(changed, ["path"], batch_size=1000)


def due_dates_for(year: int) -> tuple[datetime.date, datetime.date]:
    """(部门 due, 政府 due) for reports on `year`.

    Before the 2019 revision of the 条例 every agency published by 3月31日;
    from the 2019 reports on, departments are due 1月31日 and governments
    3月31日 of the following year (条例第四十九条).
    """
    if year <= 2018:
        return datetime.date(year + 1, 3, 31), datetime.date(year + 1, 3, 31)
    return datetime.date(year + 1, 1, 31), datetime.date(year + 1, 3, 31)


class ReportingPeriod(TimeStampedModel):
    """One calendar year of reporting, with the official format it uses."""

    year = models.PositiveSmallIntegerField(
        "报告年度",
        unique=True,
        validators=[MinValueValidator(2008), MaxValueValidator(2100)],
    )
    format_code = models.CharField(
        "报告格式",
        max_length=20,
        choices=format_choices,
        help_text="本年度适用的官方统计表格式。",
    )
    opens_on = models.DateField("开始填报日期")
    department_due = models.DateField("部门报送截止日期", help_text="通常为次年1月31日。")
    government_due = models.DateField("政府发布截止日期", help_text="通常为次年3月31日。")
    is_open = models.BooleanField("开放填报", default=True)
    is_historical = models.BooleanField(
        "历史补录",
        default=False,
        help_text="补录已经公开过的往年报告：按原件录入，校验错误不阻止提交，但每一项都须说明。",
    )
    parent_review = models.BooleanField(
        "主管部门审核",
        default=False,
        help_text="单位负责人签发后，须由上级单位的主管部门审核通过方可公开（可退回填报人修改）。"
        "没有上级单位的单位不受影响。",
    )

    class Meta:
        verbose_name = "报告年度"
        verbose_name_plural = "报告年度"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2008) & Q(year__lte=2100),
                name="period_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(department_due__gte=F("opens_on"))
                & Q(government_due__gte=F("opens_on")),
                name="period_due_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.year}年度"

    def due_for(self, agency: Agency) -> datetime.date:
        if agency.kind == Agency.Kind.GOVERNMENT:
            return self.government_due
        return self.department_due


class Membership(TimeStampedModel):
    """A user's role in an agency. A user may hold several roles in one agency."""

    class Role(models.TextChoices):
        FILER = "filer", "填报人"
        REVIEWER = "reviewer", "审核人"
        HEAD = "head", "单位负责人"
        COORDINATOR = "coordinator", "主管部门"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role)

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_one_role_per_user_agency"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
