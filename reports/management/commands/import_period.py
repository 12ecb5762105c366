from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from reports.models import AnnualReport
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
from reports.spreadsheets.period_import import import_period_sheet
from reports.spreadsheets.safety import CSV, XLSX
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
        # The confirmation's own preview lists nothing: its run below lists what it applies.
        preview = self._run(
            period, upload, by, dry_run=True, versions_seen=seen, listed=token is None
        )
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

    def _run(self, period, upload, by, *, dry_run, listed=True, **versions):
        """The import streamed (`period_import`): each changed cell is listed as its row is
        checked, before the outcome, which the last line (or the refusal) says."""
        outcome = import_period_sheet(
            upload,
            period=period,
            by=by,
            dry_run=dry_run,
            on_row=self._list if listed else None,
            **versions,
        )
        if outcome.problems:
            problems = outcome.problems
            raise refuse(problems, f"未导入：发现{len(problems)}处问题，数据没有任何改动。")
        return outcome

    def _list(self, row) -> None:
        for label, code, old, new in row.changes:
            self.stdout.write(f"第{row.line}行 {row.object_repr}\t{label}（{code}）：{old} → {new}")

    def _print(self, outcome, verb: str, tail: str) -> None:
        self.stdout.write(f"{verb}{outcome.filings}个报告的{outcome.cells}个单元格{tail}。")

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
