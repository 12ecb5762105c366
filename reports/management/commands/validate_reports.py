import json

from django.core.management.base import BaseCommand, CommandError

from reports.models import Agency, ReportingPeriod
from reports.selectors import period_findings
from reports.validation import Severity


class Command(BaseCommand):
    help = (
        "校验某一年度全部（或某单位）年度报告（统计表、网站报表、正文），列出每一条错误、提示和"
        "供参考事项（含空白单元格：历史补录为「原表空白」提示，其余为错误）；有错误时退出码为1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2018")
        parser.add_argument("--agency", help="只校验该单位（网址标识 slug）")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")

    def handle(self, *args, year, agency=None, format="text", **options):
        if not ReportingPeriod.objects.filter(year=year).exists():
            raise CommandError(f"没有{year}年度的报告年度设置。")
        if agency and not Agency.objects.filter(slug=agency).exists():
            raise CommandError(f"没有网址标识为「{agency}」的单位。")
        rows = [
            {
                "agency": report.agency.slug,
                "year": report.period.year,
                "rule": finding.rule_id,
                "severity": str(finding.severity),
                "message": finding.message,
                "cells": list(finding.cells),
            }
            for report, findings in period_findings(year, agency)
            for finding in findings
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                self.stdout.write(
                    f"{row['agency']}\t{row['year']}\t{row['rule']}\t{row['severity']}\t"
                    f"{row['message']}\t{' '.join(row['cells'])}"
                )
            count = {s: sum(row["severity"] == s for row in rows) for s in Severity}
            self.stderr.write(
                f"共 {count[Severity.ERROR]} 个错误、{count[Severity.WARNING]} 个提示"
                f"（须说明）、{count[Severity.HINT]} 条供参考。"
            )
        if any(row["severity"] == Severity.ERROR for row in rows):
            raise SystemExit(1)
