from django.core.management.base import BaseCommand

from reports import public_index


class Command(BaseCommand):
    help = (
        "由已公开版本重新写出公开索引（各版本的公开期间和单元格数值，供列表、汇总和趋势使用）。"
        "在批量导入已公开版本后运行；公开页面的内容随之一致。"
    )

    def handle(self, *args, **options):
        count = public_index.rebuild()
        self.stdout.write(f"公开索引已重建：{count}个已公开版本。")
