import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.notifications import due_reminders, reminder_mails


class Command(BaseCommand):
    help = (
        "截止日期前 N 天，提醒每一级尚未公开的报告此时该办理的人（填报人、审核人、单位负责人、"
        "上级主管部门），并给每位主管部门发一封所辖单位的汇总提醒（发送邮件）。"
        "可由定时任务每天运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=settings.PORTAL_REMIND_DAYS, help="截止日期前多少天开始提醒"
        )
        parser.add_argument("--today", help="以该日期为今天（YYYY-MM-DD），用于核对")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发邮件")

    def handle(self, *args, days, today=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today 应为 YYYY-MM-DD，收到「{today}」。") from None
        reminders, digests = due_reminders(today=today, days=days)
        for r in reminders:
            self.stdout.write(
                f"{r.agency.slug}\t{r.year}\t截止 {r.due:%Y-%m-%d}（还剩{r.left}天）\t{r.state}"
                f"\t提醒 {len(r.to)} 人"
            )
        for address, listed in digests:
            self.stdout.write(f"主管部门 {address}\t所辖{len(listed)}个单位")
        mails = reminder_mails(reminders, digests)
        sent = 0 if dry_run else send_mass_mail(mails)
        self.stderr.write(f"需提醒 {len(reminders)} 个单位，发出 {sent} 封邮件。")
