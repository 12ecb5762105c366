"""Issue 15: a filing's own format (a declared variant), six decimals, and the printed text.

* ``AnnualReport.format_code``: "" (the period's format) or a variant of the same family.
* ``ReportValue.value`` and ``ValueChange.old_value/new_value``: NUMERIC(22, 6), so a 万元 cell
  keeps a 元 amount to the 分 as printed; ``ReportValue.printed``: the text a converted value
  was typed as (「1500元」).

The triggers of 0005/0010 need no change. On SQLite, though, adding a column with a default or
changing a column's type rebuilds the table, which drops its own triggers (the content lock of
``reports_reportvalue``), and a rebuild of the filings' table fails while triggers read it by
name: as in 0013, every trigger reading reports_annualreport is set aside for the rebuilds and
put back, unchanged, after them.
"""

from django.db import migrations, models

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
        ("reports", "0013_review_across_levels"),
    ]

    operations = [
        migrations.RunPython(set_triggers_aside, put_triggers_back),
        migrations.AddField(
            model_name="annualreport",
            name="format_code",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="空白：使用报告年度的格式。",
                max_length=20,
                verbose_name="报告格式",
            ),
        ),
        migrations.AddField(
            model_name="reportvalue",
            name="printed",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=40, verbose_name="原文"
            ),
        ),
        migrations.AlterField(
            model_name="reportvalue",
            name="value",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=22, null=True, verbose_name="数值"
            ),
        ),
        migrations.AlterField(
            model_name="valuechange",
            name="new_value",
            field=models.DecimalField(
                decimal_places=6, max_digits=22, null=True, verbose_name="新值"
            ),
        ),
        migrations.AlterField(
            model_name="valuechange",
            name="old_value",
            field=models.DecimalField(
                decimal_places=6, max_digits=22, null=True, verbose_name="原值"
            ),
        ),
        migrations.RunPython(put_triggers_back, set_triggers_aside),
    ]
