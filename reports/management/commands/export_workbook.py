from pathlib import Path

from django.core.management.base import BaseCommand

from reports.spreadsheets.commands import report_for
from reports.spreadsheets.workbook import export_workbook


class Command(BaseCommand):
    help = "把某单位某年度的报告导出为官方版式的 .xlsx 工作簿（已填内容，或 --blank 空白）。"

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="单位网址标识（slug），如 nanchang-edu")
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2021")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--blank", action="store_true", help="导出空白工作簿")

    def handle(self, *args, agency, year, output, blank=False, **options):
        report = report_for(agency, year)
        data = export_workbook(report, blank=blank)
        Path(output).write_bytes(data)
        self.stdout.write(f"已导出{report.title}的工作簿到 {output}（{len(data)} 字节）。")
