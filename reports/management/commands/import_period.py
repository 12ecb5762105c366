from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from reports.models import AnnualReport
from reports.resources import PeriodSheetResource, import_problems
from reports.spreadsheets import flat
from reports.spreadsheets.commands import (
    add_preview_arguments,
    confirmation_code,
    confirmed_token,
    moved_refusal,
    period_for,
    read_upload,
    refuse,
    started,
    user_for,
    versions_match,
)
from reports.spreadsheets.safety import CSV, XLSX, SpreadsheetError
from reports.spreadsheets.versions import changed_since_preview


class Command(BaseCommand):
    help = (
        "导入某一年度的汇总表（每个报告一行）：逐个列出将修改的单元格；"
        "有任何一行有问题则全部不导入，退出码为1。--dry-run 只预览并给出确认码，"
        "--confirm 确认码 只在预览之后没有报告被修改时导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="汇总表文件（.xlsx 或 .csv）")
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        add_preview_arguments(parser)
        parser.add_argument("--user", help="记录为该用户导入（只能导入其管理范围内的单位）")

    def handle(self, *args, file, year, dry_run=False, confirm=None, user=None, **options):
        period = period_for(year)
        by = user_for(user)
        upload = read_upload(file, allowed=(XLSX, CSV))
        if not (dry_run or confirm):
            # Read and written in one go, against the versions this run read.
            self._print(self._run(period, upload, by, dry_run=False), "已导入，修改了", "")
            return
        token = confirmed_token(confirm, upload) if confirm else None
        since, seen = started(), {}
        preview = self._run(period, upload, by, dry_run=True, versions_seen=seen)
        if token is None:
            self._print(preview, "试运行：将修改", "，未保存")
            self.stdout.write(confirmation_code(upload, seen, since))
            return
        if not versions_match(token, seen):
            raise moved_refusal(self._changed_since(period, seen, token.started))
        # Applied against the versions the --dry-run read (this run read the same ones):
        # a filing saved in between is refused by its row.
        result = self._run(period, upload, by, dry_run=False, preview_versions=seen)
        self._print(result, "已导入，修改了", "")

    def _run(self, period, upload, by, *, dry_run, **versions):
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
            **versions,
        )
        problems = import_problems(result)
        if problems:
            raise refuse(problems, f"未导入：发现{len(problems)}处问题，数据没有任何改动。")
        return result

    def _print(self, result, verb: str, tail: str) -> None:
        changed = 0
        for row in result.valid_rows():
            for label, code, old, new in row.changes:
                self.stdout.write(
                    f"第{row.line}行 {row.object_repr}\t{label}（{code}）：{old} → {new}"
                )
                changed += 1
        self.stdout.write(f"{verb}{len(result.valid_rows())}个报告的{changed}个单元格{tail}。")

    def _changed_since(self, period, seen: dict, since: int) -> list[str]:
        """The filings of the sheet saved (or created) since the preview began, by their
        更新时间 from that second on (the versions' digest said that some did; the token holds
        digests, not the versions, so the names come from the clock)."""
        slugs = {key.split(":", 1)[1] for key in seen}
        reports = AnnualReport.objects.select_related("agency", "period").filter(
            period=period,
            agency__slug__in=slugs,
            updated_at__gte=datetime.fromtimestamp(since, tz=UTC),
        )
        return [changed_since_preview(report) for report in reports.order_by("agency__slug")]
