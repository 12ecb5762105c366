import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import Agency, AnnualReport, Membership, ReportingPeriod
from reports.notifications import recipients


class Command(BaseCommand):
    help = "提醒截止日期前 N 天仍未提交的单位的填报人（发送邮件）。可由定时任务每天运行。"

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
        messages, listed = [], 0
        for period in ReportingPeriod.objects.filter(is_open=True):
            reports = {
                r.agency_id: r
                for r in AnnualReport.objects.filter(period=period).select_related("agency__parent")
            }
            for agency in Agency.objects.select_related("parent"):
                due = period.due_for(agency)
                if not (today <= due <= today + datetime.timedelta(days=days)):
                    continue
                report = reports.get(agency.pk)
                if report is not None and report.status != AnnualReport.Status.DRAFT:
                    continue
                left = (due - today).days
                title = f"{agency.name}{period.year}年政府信息公开工作年度报告"
                self.stdout.write(
                    f"{agency.slug}\t{period.year}\t截止 {due:%Y-%m-%d}（还剩{left}天）"
                )
                listed += 1
                to = (
                    recipients(report, {Membership.Role.FILER})
                    if report
                    else list(
                        Membership.objects.filter(agency=agency, role=Membership.Role.FILER)
                        .exclude(user__email="")
                        .values_list("user__email", flat=True)
                    )
                )
                subject = f"【政务公开年报】{title}将于{due:%Y年%m月%d日}截止，尚未提交"
                body = f"{title}尚未提交审核，距截止日期还有{left}天，请尽快填报并提交。\n"
                messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in to]
        sent = 0 if dry_run else send_mass_mail(messages)
        self.stderr.write(f"需提醒 {listed} 个单位，发出 {sent} 封邮件。")
