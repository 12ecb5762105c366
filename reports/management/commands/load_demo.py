from django.core.management.base import BaseCommand

from reports.demo.loader import DEMO_PASSWORD, load_demo
from reports.models import Membership


class Command(BaseCommand):
    help = (
        "载入演示数据：南昌市人民政府、南昌市教育局及其2018、2019年度报告和演示账号（可重复运行）。"
    )

    def handle(self, *args, **options):
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
