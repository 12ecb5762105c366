"""Published revisions carry their SHA-256 and their links (reports.publication); existing
revisions are hashed here, in the order they were written, so the chains start complete.
StatusChange gets the column the database fills with the writing transaction (0010)."""

from django.db import migrations, models


def hash_existing(apps, schema_editor):
    # The hash function must never change (stored hashes would stop matching), so the
    # migration may use the application's own.
    from reports.publication import content_hash

    PublishedRevision = apps.get_model("reports", "PublishedRevision")
    # The database being migrated (`migrate --database owner`), not the portal's own role.
    revisions = PublishedRevision.objects.using(schema_editor.connection.alias)
    last_of_filing, last_of_year = {}, {}
    for revision in revisions.select_related("report__agency", "report__period").order_by("id"):
        year = revision.report.period.year
        revision.previous_sha256 = last_of_filing.get(revision.report_id, "")
        revision.year_previous_sha256 = last_of_year.get(year, "")
        revision.sha256 = content_hash(
            report_id=revision.report_id,
            agency_slug=revision.report.agency.slug,
            year=year,
            number=revision.number,
            published_at=revision.published_at,
            correction_note=revision.correction_note,
            snapshot=revision.snapshot,
            previous_sha256=revision.previous_sha256,
            year_previous_sha256=revision.year_previous_sha256,
        )
        revision.save(update_fields=["sha256", "previous_sha256", "year_previous_sha256"])
        last_of_filing[revision.report_id] = revision.sha256
        last_of_year[year] = revision.sha256


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_statuschange_action_choices")]

    operations = [
        migrations.AddField(
            model_name="publishedrevision",
            name="sha256",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="内容指纹（SHA-256）"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="previous_sha256",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="本报告上一版指纹"
            ),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="year_previous_sha256",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="本年度上一份公开版本指纹"
            ),
        ),
        migrations.AddField(
            model_name="statuschange",
            name="transaction_id",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="数据库事务号"),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
