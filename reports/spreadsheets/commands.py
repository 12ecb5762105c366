"""What the spreadsheet management commands share: finding the filing, the user, the file.

Every refusal is a CommandError with the Chinese message, so the command exits with status 1.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from reports import services
from reports.models import AnnualReport, ReportingPeriod
from reports.spreadsheets.safety import (
    SpreadsheetError,
    Upload,
    check_upload,
    human_size,
    max_upload_bytes,
)


def period_for(year: int) -> ReportingPeriod:
    try:
        return ReportingPeriod.objects.get(year=year)
    except ReportingPeriod.DoesNotExist:
        raise CommandError(f"没有{year}年度的报告年度设置。") from None


def report_for(slug: str, year: int) -> AnnualReport:
    try:
        return AnnualReport.objects.select_related("agency", "period").get(
            agency__slug=slug, period__year=year
        )
    except AnnualReport.DoesNotExist:
        raise CommandError(f"没有单位「{slug}」{year}年度的报告。") from None


def user_for(username: str | None):
    """The account the import is recorded under (None: the server operator, unrestricted)."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户名为「{username}」的有效账号。") from None


def check_may_edit(user, report: AnnualReport) -> None:
    """The one rule of every write (`services.edit_refusal`), before any file is read:
    role (when a user is named), status, period."""
    if refusal := services.edit_refusal(report, user):
        raise CommandError(f"未导入：{refusal}")


def read_upload(path: str, *, allowed: tuple[str, ...]) -> Upload:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件「{path}」。")
    size = file.stat().st_size
    if size > max_upload_bytes():
        # Refuse before reading it.
        raise CommandError(
            f"「{file.name}」有 {human_size(size)}，超过了 {human_size(max_upload_bytes())} 的上限。"
        )
    try:
        return check_upload(file.read_bytes(), file.name, allowed=allowed)
    except SpreadsheetError as problem:
        raise CommandError(str(problem)) from None


def refuse(problems: list[str], summary: str) -> CommandError:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return CommandError(f"{summary}\n{lines}" if problems else summary)
