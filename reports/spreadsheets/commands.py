"""What the spreadsheet management commands share: finding the filing, the user, the file,
and the preview → confirmation pair.

Every refusal is a CommandError with the Chinese message, so the command exits with status 1.

An import command run without options reads the file and writes it in one go, against the
versions it read itself. `--dry-run` previews and prints a confirmation code (`versions.
PreviewToken`: the file, a digest of the versions it read, when it began); `--confirm CODE`
applies the same file only while every filing is still at the versions that preview read,
and otherwise refuses, writing nothing.
"""

import time
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
from reports.spreadsheets.versions import PreviewToken, preview_token, read_token, versions_digest

CONFIRM_HELP = (
    "按 --dry-run 给出的确认码导入：预览之后如有报告被修改（或新建），则全部不导入，退出码为1"
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


def add_preview_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--dry-run", action="store_true", help="只预览，不保存；最后给出确认码")
    group.add_argument("--confirm", metavar="确认码", help=CONFIRM_HELP)


def started() -> float:
    """When a preview begins, before it reads anything (the token's `started`)."""
    return time.time()


def confirmation_code(upload: Upload, versions: dict, since: float) -> str:
    """The lines a --dry-run ends with: the code that --confirm takes."""
    token = preview_token(upload.sha256, versions, since)
    return (
        f"确认码：{token}\n"
        f"确认按本次预览导入，请在原命令后加上 --confirm {token}（去掉 --dry-run）；"
        "预览之后如有报告被修改，导入将被拒绝。"
    )


def confirmed_token(text: str, upload: Upload) -> PreviewToken:
    """The --confirm code, checked against the file; CommandError when it is not for it."""
    try:
        token = read_token(text)
    except ValueError as problem:
        raise CommandError(f"未导入：{problem}") from None
    if token.file != upload.sha256[:12]:
        raise CommandError(
            f"未导入：「{upload.name}」与预览（--dry-run）时的文件不同，数据没有任何改动。"
            "请重新运行 --dry-run。"
        )
    return token


def versions_match(token: PreviewToken, versions: dict) -> bool:
    return token.versions == versions_digest(versions)


def moved_refusal(changed: list[str]) -> CommandError:
    """The refusal of a --confirm whose versions moved; `changed` names the filings."""
    summary = (
        "未导入：预览（--dry-run）之后有报告被修改，数据没有任何改动。"
        "请重新运行 --dry-run 查看最新的修改，再用新的确认码导入。"
    )
    return refuse(changed, summary)
