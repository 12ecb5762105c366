"""Refuse, in the database itself, any write to a filing's contents once it has left 填报中.

Views and services check the status first and give a readable message; these
triggers make the lock hold for every other path too (admin, shell, bulk
updates, raw SQL). The workflow reopens a filing by moving it back to draft.
"""

from django.db import migrations

LOCKED_TABLES = ["reports_reportvalue", "reports_websiteform", "reports_narrativesection"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_refuse_locked_write() RETURNS trigger AS $$
DECLARE
    target bigint;
    current_status varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.report_id; ELSE target := NEW.report_id; END IF;
    SELECT status INTO current_status FROM reports_annualreport WHERE id = target;
    IF current_status IS NOT NULL AND current_status <> 'draft' THEN
        RAISE EXCEPTION 'report % is locked (status %): its contents cannot change', target, current_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the function body holds "%" placeholders of its own (RAISE … %).
        schema_editor.execute(POSTGRES_FUNCTION, params=None)
        for table in LOCKED_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION reports_refuse_locked_write();"
            )
    elif vendor == "sqlite":
        for table in LOCKED_TABLES:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_locked_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN (SELECT status FROM reports_annualreport WHERE id = {row}.report_id) <> 'draft' "
                    "BEGIN SELECT RAISE(ABORT, 'report is locked: its contents cannot change'); END;"
                )
    else:
        raise NotImplementedError(f"no content lock for database {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in LOCKED_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked ON {table};")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked_{event};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS reports_refuse_locked_write();")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_add_workflow_narrative_imports")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
