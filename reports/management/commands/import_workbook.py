from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.spreadsheets.commands import (
    add_preview_arguments,
    check_may_edit,
    confirmation_code,
    confirmed_token,
    moved_refusal,
    read_upload,
    refuse,
    report_for,
    started,
    user_for,
    versions_match,
)
from reports.spreadsheets.safety import XLSX, SpreadsheetError
from reports.spreadsheets.versions import changed_since_preview
from reports.spreadsheets.workbook_import import apply_workbook, read_workbook


class Command(BaseCommand):
    help = (
        "导入填好的官方版式工作簿：逐个列出将修改的单元格（位置、项目、原值 → 新值）；"
        "有任何问题则全部不导入，退出码为1。--dry-run 只预览并给出确认码，"
        "--confirm 确认码 只在预览之后报告未被修改时导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作簿文件（.xlsx）")
        parser.add_argument("--agency", required=True, help="单位网址标识（slug）")
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        add_preview_arguments(parser)
        parser.add_argument("--user", help="记录为该用户导入（并检查其权限）")

    def handle(self, *args, file, agency, year, dry_run=False, confirm=None, user=None, **options):
        report = report_for(agency, year)
        by = user_for(user)
        check_may_edit(by, report)
        upload = read_upload(file, allowed=(XLSX,))
        token = confirmed_token(confirm, upload) if confirm else None
        since = started()
        try:
            preview = read_workbook(report, upload, user=by)
        except SpreadsheetError as problem:
            raise refuse(problem.problems[1:], str(problem)) from None
        versions = {report.agency.slug: preview.version}
        if token is not None and not versions_match(token, versions):
            raise moved_refusal([changed_since_preview(report)])
        for change in preview.changes:
            self.stdout.write(f"{change.where}\t{change.label}：{change.old} → {change.new}")
        for notice in preview.notices:
            self.stdout.write(f"注意：{notice}")
        if preview.problems:
            raise refuse(preview.problems, f"未导入：发现{len(preview.problems)}处问题。")
        if dry_run:
            self.stdout.write(f"试运行：将修改{len(preview.changes)}处，未保存。")
            self.stdout.write(confirmation_code(upload, versions, since))
            return
        # Applied against preview.version: the version this run read, which a --confirm code
        # has just matched with the --dry-run's.
        try:
            record = apply_workbook(preview, by=by)
        except services.EditConflict:
            if token is not None:
                raise moved_refusal([changed_since_preview(report)]) from None
            raise CommandError(f"未导入：{changed_since_preview(report)}请重新运行。") from None
        except (services.ReportLocked, SpreadsheetError) as problem:
            raise CommandError(f"未导入：{problem}") from None
        self.stdout.write(f"已导入「{upload.name}」，修改了{record.cells_changed}处。")
