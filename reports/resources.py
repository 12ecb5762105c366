"""django-import-export resources (spreadsheet shapes of our models)."""

from import_export import fields, resources

from reports.models import AnnualReport


class AnnualReportResource(resources.ModelResource):
    """The list of filings as a sheet, for coordinators' progress checks."""

    agency = fields.Field(attribute="agency__name", column_name="填报单位")
    year = fields.Field(attribute="period__year", column_name="报告年度")
    status = fields.Field(attribute="get_status_display", column_name="状态")
    updated_at = fields.Field(attribute="updated_at", column_name="更新时间")

    class Meta:
        model = AnnualReport
        fields = ["agency", "year", "status", "updated_at"]
        export_order = fields
