from django.core.management.base import BaseCommand, CommandError

from reports.publication import verify
from reports.selectors import published_records


class Command(BaseCommand):
    help = (
        "重新计算每个已公开版本的内容指纹（SHA-256）及其前后链接，列出公开后被改动、删除或插入的版本；"
        "有问题时退出码为1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, database="default", **options):
        count = 0

        def counted():
            nonlocal count
            for record in published_records(using=database):
                count += 1
                yield record

        problems = verify(counted())
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"已公开版本校验未通过：{count}个版本中发现{len(problems)}处问题。")
        self.stdout.write(f"已公开版本校验通过：{count}个版本的内容指纹和链接均一致。")
