"""django-import-export resources: the spreadsheet shapes of our models.

* `AnnualReportResource` — the list of filings, for coordinators' progress checks (export);
* `PeriodSheetResource` — one row per filing of a period, one column per cell code; its import
  only reads and compares row by row and writes everything in bulk at the end
  (`reports.spreadsheets.flat.write_period_rows`), so 1,000 filings take a bounded number of
  queries;
* `AgencyResource`, `MembershipResource` — agencies and memberships.

Every export neutralises text against formula injection. Widgets raise ValueError with a
Chinese message, which django-import-export reports as an invalid row naming the column,
instead of an error with a traceback. Rows outside the importing user's subtree are refused
with a message (`reports.access`); `user` is the keyword django-import-export passes to
`import_data` (None from the command line: the operator of the server).

Preview, then confirmation, against the same versions (`reports.spreadsheets.versions`): the
imports take two more `import_data` keywords. `versions_seen` (a dict, in the preview) is
filled with what each row's record was as read — a filing's `version`, an agency's or a
membership's `fingerprint`, None when the row would create it — keyed by the row's line and
its identifying columns. `preview_versions` (in the confirmation) is that dict as the preview
filled it: a row whose record is no longer what the preview saw, or that the preview did not
see, is refused naming it, and `rollback_on_validation_errors` then leaves everything as it was.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from import_export import fields, resources, widgets
from import_export.results import RowResult

from reports import services
from reports.access import access_for, manageable_users
from reports.filing_data import person_name
from reports.formats import get_format
from reports.formats.variants import national_values
from reports.models import Agency, AnnualReport, ImportRecord, Membership, ReportValue
from reports.numbers import format_number
from reports.spreadsheets import flat
from reports.spreadsheets.safety import SpreadsheetError, neutralise
from reports.spreadsheets.versions import (
    UNSEEN,
    changed_since_preview,
    created_since_preview,
    fingerprint,
)
from reports.spreadsheets.widgets import (
    CellField,
    ChoiceWidget,
    LookupWidget,
    TextWidget,
    clean_text,
    import_columns,
)

User = get_user_model()


# --- shared behaviour -----------------------------------------------------------------------


class NeutralisedExport:
    """Exported text that begins with = + - @ gets an apostrophe (formula injection)."""

    def after_export(self, queryset, dataset, **kwargs):
        super().after_export(queryset, dataset, **kwargs)
        headers, rows = dataset.headers, [[neutralise(v) for v in row] for row in dataset]
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)


class HeldVersions:
    """What the preview saw of each row's record, held until the confirmation (see above)."""

    def __init__(self, kwargs: dict):
        self.seen = kwargs.get("versions_seen")  # preview: filled here
        self.expected = kwargs.get("preview_versions")  # confirmation: as the preview filled it

    def moved(self, key: str, now) -> str | None:
        """Note `now` (a version, a fingerprint or None: no record) for `key`. In a
        confirmation, how the record moved since the preview — 新建, 删除 or 修改 (also for a
        row the preview did not see) — or None when it is as the preview saw it."""
        if self.seen is not None:
            self.seen[key] = now
        if self.expected is None:
            return None
        before = self.expected.get(key, UNSEEN)
        if before == now:
            return None
        if before is None:
            return "新建"
        return "删除" if now is None and before is not UNSEEN else "修改"


PREVIEW_AGAIN = "请重新预览后再导入。"


def row_key(line: int, *identity) -> str:
    """The key of a row in the held versions: its line and what identifies its record (the
    file is the same in preview and confirmation, so the lines are too)."""
    return ":".join([str(line), *(str(part or "").strip() for part in identity)])


class RecordedImport:
    """Keeps the importing user's rights and the preview's versions; records each applied
    import as an ImportRecord."""

    import_kind = ""

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        self.access = access_for(self.user) if self.user is not None else None
        self.held = HeldVersions(kwargs)
        # Before django-import-export's own check, which words a missing key column in English.
        missing = [
            self.fields[name].column_name
            for name in self._meta.import_id_fields
            if self.fields[name].column_name not in (dataset.headers or [])
        ]
        if missing:
            raise SpreadsheetError(f"表头有误：缺少“{'”“'.join(missing)}”列，本次未导入。")

    def moved_since_preview(self, instance, row, **kwargs) -> str | None:
        """How `instance` (as loaded, before the row is applied) moved since the preview saw
        it for this row (`HeldVersions.moved`)."""
        identity = [row.get(self.fields[name].column_name) for name in self._meta.import_id_fields]
        key = row_key(kwargs.get("row_number", 0) + 1, *identity)
        return self.held.moved(key, fingerprint(instance))

    def get_queryset(self):
        queryset = super().get_queryset()
        held = getattr(self, "held", None)
        if held is not None and held.expected is not None:
            # In a confirmation each row read is locked until the import commits, so nothing
            # is saved between its comparison with the preview and its write.
            return queryset.select_for_update()
        return queryset

    def get_instance(self, instance_loader, row):
        # A bad key (unknown user or agency) is reported by its column in import_instance;
        # here it only means "no existing row".
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def restricted(self) -> bool:
        return self.access is not None and not self.access.is_superuser

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        totals = result.totals
        ImportRecord.objects.create(
            kind=self.import_kind,
            user=self.user,
            file_name=(kwargs.get("file_name") or getattr(dataset, "upload_name", ""))[:255],
            sha256=getattr(dataset, "upload_sha256", ""),
            cells_changed=totals[RowResult.IMPORT_TYPE_NEW] + totals[RowResult.IMPORT_TYPE_UPDATE],
            summary={
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
            },
        )


def import_problems(result) -> list[str]:
    """Every refusal of an import result as 「第N行 列：问题」 lines (N as the spreadsheet shows it).

    Our refusals are Chinese already (the period sheet's write turns a database error into a
    SpreadsheetError itself); any other database error or exception is said in Chinese by
    its kind, never with the database's own text."""
    problems = [_said(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [f"第{number + 1}行：{error.error}" for error in errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            where = "" if column == NON_FIELD_ERRORS else f"{column}："
            problems += [f"第{row.number + 1}行 {where}{message}" for message in messages]
    return problems


def _said(error) -> str:
    if isinstance(error, SpreadsheetError | ValidationError):
        return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
    if isinstance(error, DatabaseError):
        return f"数据库拒绝保存这些数据（{type(error).__name__}），本次未导入，数据没有任何改动。"
    return f"导入时出错（{type(error).__name__}），本次未导入，数据没有任何改动。"


# --- filings ----------------------------------------------------------------------------------


class AnnualReportResource(NeutralisedExport, resources.ModelResource):
    """The list of filings as a sheet, for coordinators' progress checks."""

    agency = fields.Field(attribute="agency__name", column_name="填报单位")
    year = fields.Field(attribute="period__year", column_name="报告年度")
    status = fields.Field(attribute="get_status_display", column_name="状态")
    updated_at = fields.Field(attribute="updated_at", column_name="更新时间")

    class Meta:
        model = AnnualReport
        name = "报告列表"
        fields = ["agency", "year", "status", "updated_at"]
        export_order = fields


class PeriodSheetResource(NeutralisedExport, resources.ModelResource):
    """A period's filings, one row each, one column per cell of the period's format.

    Import: every row is parsed and compared first (blank is not 0; a cell without a column is
    left alone); only when no row is refused are the changed rows written, in bulk. New filings
    are created for agencies that have none this year. A row is refused when its agency is
    outside the importing coordinator's subtree or `services.edit_refusal` refuses its filing
    (not 填报中, period closed), in the preview and again, under the row locks, when writing.

    A confirmation (`preview_versions`) refuses every row whose filing is not at the version
    the preview read — saved, created or deleted since — whether or not the row changes it:
    the preview said what the file would do to each filing, and that no longer holds. The
    rows written carry the preview's version into `flat.write_period_rows`, which compares it
    again under the row locks."""

    agency = fields.Field(
        attribute="agency__slug", column_name=flat.KEY_HEADERS[flat.AGENCY], readonly=True
    )
    agency_name = fields.Field(
        attribute="agency__name", column_name=flat.KEY_HEADERS[flat.AGENCY_NAME], readonly=True
    )
    year = fields.Field(
        attribute="period__year",
        column_name=flat.KEY_HEADERS[flat.YEAR],
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )

    class Meta:
        model = AnnualReport
        name = "年度汇总表（每个报告一行，每个单元格一列）"
        fields = ("agency", "agency_name", "year")
        import_id_fields = []
        skip_diff = True  # the preview lists changed cells itself (row_result.changes)
        report_skipped = False
        use_bulk = True  # no savepoint per row; the writes happen in after_import

    def __init__(self, period=None, **kwargs):
        super().__init__(**kwargs)
        self.period = period
        self.format = get_format(period.format_code) if period is not None else None
        for spec in self.format.cells() if self.format else ():
            self.fields[spec.code] = CellField(spec)

    # export

    def iter_queryset(self, queryset):
        reports = list(queryset.select_related("agency", "period").order_by("agency__slug"))
        values: dict[int, dict] = {report.pk: {} for report in reports}
        for report_id, code, value in ReportValue.objects.filter(
            report__in=queryset.values("pk"), value__isnull=False
        ).values_list("report_id", "code", "value"):
            values[report_id][code] = value
        for report in reports:
            # A declared variant's cells go in the national columns of their twins.
            report._values = national_values(report.format, values[report.pk])
            yield report

    # import

    def before_import(self, dataset, **kwargs):
        self.broken, self.rows, self.seen, self.line, self.current = False, [], {}, 0, None
        self.user = kwargs.get("user")
        self.access = access_for(self.user) if self.user is not None else None
        self.held = HeldVersions(kwargs)
        try:
            self._check_headers(dataset)
        except SpreadsheetError:
            self.broken = True
            raise
        column = flat.KEY_HEADERS[flat.AGENCY]
        slugs = {clean_text(value) for value in dataset[column]} - {""}
        self.agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
        self.reports = {
            r.agency_id: r
            for r in AnnualReport.objects.filter(period=self.period, agency__slug__in=slugs)
        }
        self.values: dict[int, dict] = {r.pk: {} for r in self.reports.values()}
        # By the filings' ids (their index), not a join: the period import reads a batch at
        # a time from a table of millions of values (`reports.spreadsheets.period_import`).
        for report_id, code, value in ReportValue.objects.filter(
            report_id__in=list(self.values)
        ).values_list("report_id", "code", "value"):
            self.values[report_id][code] = value
        for report in self.reports.values():
            if report.format_code:  # a declared variant: compared as exported, through its twins
                self.values[report.pk] = national_values(
                    get_format(report.format_code), self.values[report.pk]
                )

    def _check_headers(self, dataset):
        """Columns are known by the code in their header; rename them to ours."""
        if self.period is None:
            raise SpreadsheetError("请选择要导入的报告年度。")
        ours = {f.column_name: name for name, f in self.fields.items() if isinstance(f, CellField)}
        ours |= {header: key for key, header in flat.KEY_HEADERS.items()}
        header_of = {code: header for header, code in ours.items()}
        headers, problems, seen = list(dataset.headers or []), [], {}
        for index, header in enumerate(headers):
            text = str(header or "").strip()
            code = ours.get(text) or flat.header_code(text)
            if code not in header_of:
                problems.append(
                    f"第{index + 1}列「{text}」不是{self.format.name}的单元格"
                    "（表头应为“项目（代码）”，请以导出的汇总表为准）"
                    if text
                    else f"第{index + 1}列没有表头"
                )
                continue
            if code in seen:
                problems.append(f"第{index + 1}列与第{seen[code] + 1}列是同一单元格（{code}）")
            seen[code] = index
            headers[index] = header_of[code]
        if flat.AGENCY not in seen:
            problems.append(f"缺少“{flat.KEY_HEADERS[flat.AGENCY]}”列")
        if problems:
            raise SpreadsheetError("表头有误：" + "；".join(problems), problems)
        dataset.headers = headers

    def import_row(self, row, instance_loader, **kwargs):
        self.line = kwargs.get("row_number", 0) + 1
        if self.broken or all(value in (None, "") for value in row.values()):
            skipped = self.get_row_result_class()()
            skipped.import_type = RowResult.IMPORT_TYPE_SKIP
            return skipped
        return super().import_row(row, instance_loader, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        line, period = self.line, self.period
        slug = clean_text(row.get(flat.KEY_HEADERS[flat.AGENCY]))
        agency = self.agencies.get(slug)
        if not slug or agency is None:
            raise ValidationError(f"单位标识「{slug}」不存在" if slug else "未填写单位标识")
        if self.access is not None and not self.access.can_manage_agency(agency.pk):
            raise ValidationError(f"「{agency.name}」不在您管理的范围内，不能导入")
        year = clean_text(row.get(flat.KEY_HEADERS[flat.YEAR]))
        if year and year != str(period.year):
            raise ValidationError(f"报告年度为「{year}」，与所导入的{period.year}年度不符")
        if slug in self.seen:
            raise ValidationError(f"与第{self.seen[slug]}行是同一单位（{agency.name}）")
        self.seen[slug] = line
        report = self.reports.get(agency.pk)
        new = report is None
        if new:
            report = AnnualReport(agency=agency, period=period)
        report.agency, report.period = agency, period
        # The one rule of every write; a filing this import would create is asked too, so
        # a closed period takes no new filings either.
        if refusal := services.edit_refusal(report, self.user):
            raise ValidationError(refusal)
        if moved := self.held.moved(row_key(line, slug), None if new else report.version):
            raise ValidationError(
                (
                    created_since_preview(agency.name, period.year)
                    if moved == "新建"
                    else changed_since_preview(report)
                )
                + PREVIEW_AGAIN
            )
        report._values, report._sheet, report._changes = self.values.get(report.pk, {}), {}, {}
        self.current = report
        return report, new

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field, CellField) and field.column_name in row:
                try:
                    field.save(instance, row, **kwargs)
                except ValueError as problem:
                    errors[field.column_name] = [str(problem)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        instance._changes = {
            code: (instance._values.get(code), value)
            for code, value in instance._sheet.items()
            if value != instance._values.get(code)
        }
        return not import_validation_errors and not instance._changes

    def save_instance(self, instance, is_create, row, **kwargs):
        version = None if is_create else instance.version
        self.rows.append(flat.PeriodRow(instance, self.line, version, instance._changes))

    def after_import_row(self, row, row_result, **kwargs):
        row_result.line = self.line
        changes = self.current._changes
        row_result.changes = [
            (self.format.cell(code).label, code, _shown(old), _shown(new))
            for code, (old, new) in changes.items()
        ]

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        flat.write_period_rows(
            period=self.period,
            rows=self.rows,
            by=self.user,
            file_name=kwargs.get("file_name") or getattr(dataset, "upload_name", ""),
            sha256=getattr(dataset, "upload_sha256", ""),
        )


def _shown(value) -> str:
    return "（空）" if value is None else format_number(value)


# --- agencies and memberships ---------------------------------------------------------------


class AgencyResource(RecordedImport, NeutralisedExport, resources.ModelResource):
    """Agencies by 网址标识 (slug). A coordinator creates agencies only under one they manage and
    changes only agencies they manage."""

    import_kind = ImportRecord.Kind.AGENCIES
    slug = fields.Field("slug", "网址标识（slug）", TextWidget())
    name = fields.Field("name", "单位名称（name）", TextWidget())
    short_name = fields.Field("short_name", "简称（short_name）", TextWidget())
    kind = fields.Field("kind", "单位类型（kind）", ChoiceWidget(Agency.Kind.choices, "单位类型"))
    parent = fields.Field(
        "parent",
        "上级单位标识（parent）",
        LookupWidget(Agency, "slug", "上级单位标识", required=False),
    )
    address = fields.Field("address", "地址（address）", TextWidget())
    postcode = fields.Field("postcode", "邮编（postcode）", TextWidget())
    phone = fields.Field("phone", "电话（phone）", TextWidget())
    fax = fields.Field("fax", "传真（fax）", TextWidget())
    email = fields.Field("email", "电子邮箱（email）", TextWidget())
    website = fields.Field("website", "网站（website）", TextWidget())

    class Meta:
        model = Agency
        name = "填报单位"
        fields = (
            "slug",
            "name",
            "short_name",
            "kind",
            "parent",
            "address",
            "postcode",
            "phone",
            "fax",
            "email",
            "website",
        )
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance, row, **kwargs):
        before = instance.parent_id
        moved = self.moved_since_preview(instance, row, **kwargs)
        errors = import_columns(self, instance, row, **kwargs)
        refusal = self._refusal(instance, before)
        if moved:
            refusal = (
                f"单位「{clean_text(row.get(self.fields['slug'].column_name))}」"
                f"在预览之后已被{moved}，本次未导入。{PREVIEW_AGAIN}"
            )
        if refusal:
            errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
        if errors:
            raise ValidationError(errors)

    def _refusal(self, agency, parent_before) -> str:
        access = self.access
        if self.restricted():
            if agency.pk and not access.can_manage_agency(agency.pk):
                return f"「{agency.name}」不在您管理的范围内，不能修改"
            moved = agency.parent_id != parent_before or agency.pk is None
            if moved and agency.parent_id is None:
                return "请填写上级单位标识：只能在您管理的单位之下新增单位"
            if moved and agency.parent_id not in access.coordinated_ids:
                return f"上级单位「{agency.parent}」不在您管理的范围内"
        if agency.pk and agency.parent_id:
            try:
                services.agency_check_parent(agency=agency, parent=agency.parent)
            except ValidationError as error:
                return "；".join(error.messages)
        return ""


class MembershipResource(RecordedImport, NeutralisedExport, resources.ModelResource):
    """Who holds which role in which agency; rows already present are skipped. Accounts must
    exist (created in 账号管理); a coordinator assigns roles only inside their subtree."""

    import_kind = ImportRecord.Kind.MEMBERSHIPS
    user = fields.Field("user", "用户名（user）", LookupWidget(User, "username", "用户名"))
    person = fields.Field(column_name="姓名（name）", readonly=True)
    agency = fields.Field("agency", "单位标识（agency）", LookupWidget(Agency, "slug", "单位标识"))
    role = fields.Field("role", "角色（role）", ChoiceWidget(Membership.Role.choices, "角色"))

    class Meta:
        model = Membership
        name = "单位成员"
        fields = ("user", "person", "agency", "role")
        import_id_fields = ["user", "agency", "role"]
        skip_unchanged = True

    def dehydrate_person(self, membership):
        return person_name(membership.user, or_username=False)

    def import_instance(self, instance, row, **kwargs):
        moved = self.moved_since_preview(instance, row, **kwargs)
        errors = import_columns(self, instance, row, **kwargs)
        refusal = ""
        if moved:
            who, where, role = (
                clean_text(row.get(self.fields[name].column_name))
                for name in ("user", "agency", "role")
            )
            refusal = (
                f"「{who}」在「{where}」的“{role}”角色在预览之后已被"
                f"{'添加' if moved == '新建' else moved}，本次未导入。" + PREVIEW_AGAIN
            )
        elif self.restricted():
            if instance.agency_id and instance.agency_id not in self.access.coordinated_ids:
                refusal = f"「{instance.agency}」不在您管理的范围内，不能分配角色"
            elif instance.user_id and instance.user.is_superuser:
                refusal = f"不能为系统管理员「{instance.user.username}」分配角色"
            elif (
                instance.user_id
                and not manageable_users(self.access).filter(pk=instance.user_id).exists()
            ):
                refusal = f"账号「{instance.user.username}」另有您管理范围以外的角色，不能由您分配"
        if refusal:
            errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
        if errors:
            raise ValidationError(errors)
