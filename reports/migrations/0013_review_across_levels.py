"""Issue 17, across levels: 主管部门审核 (a period's `parent_review`, the status parent_review and
the move parent_pass), the 本级 report compiled from subordinate filings (`Compilation`, the
value-change source 汇总生成).

The triggers of 0005/0010 need no change: the content lock holds for every status but draft
(parent_review included), and a status change still needs its StatusChange in the same
transaction, whatever the statuses. On SQLite, though, a new CHECK constraint means rebuilding
the filings' table, and the content-lock triggers of the other tables read it by name: they are
set aside for the rebuild and put back, unchanged, after it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = [
    ("draft", "填报中"),
    ("submitted", "待审核"),
    ("reviewed", "待签发"),
    ("parent_review", "待主管部门审核"),
    ("approved", "已签发"),
    ("published", "已公开"),
]
ACTIONS = [
    ("submit", "提交审核"),
    ("pass", "审核通过"),
    ("return", "退回修改"),
    ("sign", "签发"),
    ("parent_pass", "主管部门审核通过"),
    ("publish", "公开"),
    ("reopen", "重新打开更正"),
]

# The SQL of the triggers set aside (SQLite only), between the first and last operation.
_SET_ASIDE: list[str] = []


def set_triggers_aside(apps, schema_editor):
    """SQLite: drop the triggers that read reports_annualreport, keeping their SQL."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND sql LIKE '%reports_annualreport%'"
        )
        rows = cursor.fetchall()
    _SET_ASIDE[:] = [sql for _, sql in rows]
    for name, _ in rows:
        schema_editor.execute(f'DROP TRIGGER "{name}";')


def put_triggers_back(apps, schema_editor):
    """SQLite: create again, unchanged, the triggers `set_triggers_aside` dropped."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in _SET_ASIDE:
        schema_editor.execute(sql)
    _SET_ASIDE.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0012_public_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(set_triggers_aside, put_triggers_back),
        migrations.AddField(
            model_name="reportingperiod",
            name="parent_review",
            field=models.BooleanField(
                default=False,
                help_text="单位负责人签发后，须由上级单位的主管部门审核通过方可公开（可退回填报人修改）。"
                "没有上级单位的单位不受影响。",
                verbose_name="主管部门审核",
            ),
        ),
        migrations.RemoveConstraint(model_name="annualreport", name="annualreport_status_known"),
        migrations.RemoveConstraint(model_name="statuschange", name="statuschange_action_known"),
        migrations.AlterField(
            model_name="annualreport",
            name="status",
            field=models.CharField(
                choices=STATUSES,
                default="draft",
                editable=False,
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="action",
            field=models.CharField(choices=ACTIONS, max_length=20, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="action",
            field=models.CharField(choices=ACTIONS, max_length=20, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="from_status",
            field=models.CharField(choices=STATUSES, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="to_status",
            field=models.CharField(choices=STATUSES, max_length=20, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="valuechange",
            name="source",
            field=models.CharField(
                choices=[
                    ("form", "在线填报"),
                    ("import", "导入"),
                    ("demo", "演示数据"),
                    ("compile", "汇总生成"),
                ],
                max_length=20,
                verbose_name="途径",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", [code for code, _ in STATUSES])),
                name="annualreport_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="statuschange",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", [code for code, _ in ACTIONS])),
                name="statuschange_action_known",
            ),
        ),
        migrations.CreateModel(
            name="Compilation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "compiled_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="汇总时间"),
                ),
                ("sources", models.JSONField(default=list, verbose_name="汇总来源")),
                ("sums", models.JSONField(default=dict, verbose_name="汇总结果")),
                (
                    "cells_changed",
                    models.PositiveIntegerField(default=0, verbose_name="修改单元格数"),
                ),
                (
                    "compiled_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="汇总人",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="compilations",
                        to="reports.annualreport",
                        verbose_name="年度报告",
                    ),
                ),
            ],
            options={
                "verbose_name": "本级报告汇总记录",
                "verbose_name_plural": "本级报告汇总记录",
                "ordering": ["-compiled_at", "-id"],
            },
        ),
        migrations.RunPython(put_triggers_back, set_triggers_aside),
    ]
