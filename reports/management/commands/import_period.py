from django.core.management.base import BaseCommand

from reports.resources import PeriodSheetResource, import_problems
from reports.spreadsheets import flat
from reports.spreadsheets.commands import period_for, read_upload, refuse, user_for
from reports.spreadsheets.safety import CSV, XLSX, SpreadsheetError


class Command(BaseCommand):
    help = (
        "导入某一年度的汇总表（每个报告一行）：逐个列出将修改的单元格；"
        "有任何一行有问题则全部不导入，退出码为1。--dry-run 只预览。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="汇总表文件（.xlsx 或 .csv）")
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不保存")
        parser.add_argument("--user", help="记录为该用户导入（只能导入其管理范围内的单位）")

    def handle(self, *args, file, year, dry_run=False, user=None, **options):
        period = period_for(year)
        by = user_for(user)
        upload = read_upload(file, allowed=(XLSX, CSV))
        try:
            dataset = flat.load_dataset(upload)
        except SpreadsheetError as problem:
            raise refuse(problem.problems, "未导入：") from None
        result = PeriodSheetResource(period=period).import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            rollback_on_validation_errors=True,
            file_name=upload.name,
            user=by,
        )
        problems = import_problems(result)
        if problems:
            raise refuse(problems, f"未导入：发现{len(problems)}处问题，数据没有任何改动。")
        changed = 0
        for row in result.valid_rows():
            for label, code, old, new in row.changes:
                self.stdout.write(
                    f"第{row.line}行 {row.object_repr}\t{label}（{code}）：{old} → {new}"
                )
                changed += 1
        verb = "试运行：将修改" if dry_run else "已导入，修改了"
        self.stdout.write(
            f"{verb}{len(result.valid_rows())}个报告的{changed}个单元格{'，未保存' if dry_run else ''}。"
        )
