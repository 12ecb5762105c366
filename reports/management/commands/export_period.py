from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import AnnualReport
from reports.resources import PeriodSheetResource
from reports.spreadsheets import flat
from reports.spreadsheets.commands import period_for
from reports.spreadsheets.safety import CSV, XLSX


class Command(BaseCommand):
    help = "把某一年度的全部报告导出为一张汇总表（每个报告一行，每个单元格一列；.xlsx 或 .csv）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, year, output, **options):
        kind = Path(output).suffix.lower().lstrip(".")
        if kind not in (XLSX, CSV):
            raise CommandError("输出文件的扩展名应为 .xlsx 或 .csv。")
        period = period_for(year)
        reports = AnnualReport.objects.filter(period=period)
        dataset = PeriodSheetResource(period=period).export(reports)
        Path(output).write_bytes(flat.dataset_bytes(dataset, kind))
        self.stdout.write(f"已导出{year}年度{len(dataset)}个报告到 {output}。")
