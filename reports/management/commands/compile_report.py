from django.core.management.base import BaseCommand, CommandError

from reports import levels, services
from reports.models import Agency, AnnualReport
from reports.spreadsheets.commands import period_for, user_for


class Command(BaseCommand):
    help = (
        "由下级单位已签发或已公开的报告汇总生成政府的本级报告统计表：逐格列出汇总值及来源，"
        "手工修改过的单元格保留并列出。--dry-run 只列出，不写入。任何拒绝退出码为1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="政府的网址标识（slug）")
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        parser.add_argument(
            "--include",
            help="纳入汇总的下级单位网址标识，逗号分隔（默认：上次汇总的单位；"
            "首次汇总为所有直属且已签发或已公开的单位）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出汇总结果，不写入")
        parser.add_argument("--user", help="记录为该用户汇总（并检查其权限）")

    def handle(self, *args, agency, year, include=None, dry_run=False, user=None, **options):
        try:
            government = Agency.objects.get(slug=agency)
        except Agency.DoesNotExist:
            raise CommandError(f"没有网址标识为「{agency}」的单位。") from None
        period = period_for(year)
        by = user_for(user)
        chosen = [slug.strip() for slug in include.split(",") if slug.strip()] if include else None
        report = (
            AnnualReport.objects.select_related("agency", "period")
            .filter(agency=government, period=period)
            .first()
        ) or AnnualReport(agency=government, period=period)
        try:
            if dry_run:
                preview = levels.compile_preview(report, chosen)
            else:
                done = services.report_compile(
                    agency=government, period=period, by=by, include=chosen
                )
                preview = done.preview
        except (levels.CompileRefusal, services.ReportLocked, services.EditConflict) as refusal:
            raise CommandError(f"未汇总：{refusal}") from None
        self._print(preview)
        if dry_run:
            self.stdout.write(f"试运行：将修改{len(preview.changes)}个单元格，未写入。")
        else:
            self.stdout.write(
                f"已汇总生成「{government.name}」{year}年度本级报告统计表，"
                f"修改了{done.changed}个单元格。"
            )

    def _print(self, preview):
        self.stdout.write("汇总来源：")
        for source in preview.sources:
            self.stdout.write(f"  {source.agency_slug}\t{source.agency_name}\t{source.state}")
        for candidate in preview.left_out:
            why = candidate.refusal or "未选择"
            self.stdout.write(f"  未纳入：{candidate.agency.name}（{why}）")
        for cell in preview.plans:
            if cell.summed is None and cell.written is None and cell.current is None:
                continue
            line = f"{cell.code}\t{cell.label}\t汇总 {cell.summed_text or '空'}"
            if cell.overridden:
                line += f"\t保留手工修改 {cell.current_text or '空'}"
            elif cell.follows_override:
                line += f"\t按手工修改重算为 {cell.written_text or '空'}"
            if cell.changes:
                line += f"\t原值 {cell.current_text or '空'} → {cell.written_text or '空'}"
            self.stdout.write(line)
