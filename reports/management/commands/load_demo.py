from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import Membership


class Command(BaseCommand):
    help = (
        "载入演示数据：南昌市人民政府、南昌市教育局及其2018、2019年度报告和演示账号（可重复运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在生产设置（DJANGO_DEBUG=false）下也载入演示数据",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            # The demo resets known passwords and creates a superuser: never by accident.
            raise CommandError(
                "当前为生产设置（DJANGO_DEBUG=false），演示数据会创建超级管理员并重置演示账号密码，"
                "已拒绝载入。确需载入请加 --force。"
            )
        accounts = load_demo()
        roles = dict(Membership.Role.choices)
        self.stdout.write(
            self.style.SUCCESS("演示数据已载入。演示账号（仅供演示，切勿用于生产）：")
        )
        for account in accounts:
            role = roles.get(account.role, "超级管理员")
            self.stdout.write(
                f"  {account.username:<12} 密码 {DEMO_PASSWORD}  {account.name}（{role}）"
            )
