"""Close the gaps of the database lock (0005) that the portal's own role could use.

On every database:
* the content lock checks the row's filing before AND after an UPDATE, so moving a locked
  filing's values to a draft (``UPDATE … SET report_id``) is refused.

On PostgreSQL, for every role but the tables' owner (the role migrations run as, which can
drop any trigger anyway, and superusers; production runs the portal as another role, see
README):
* ``TRUNCATE`` of a filing's contents, its audit trail, its published revisions or the filings
  themselves is refused (no row trigger fires on TRUNCATE);
* a filing's status changes only in a transaction that wrote the matching `StatusChange`
  (its ``transaction_id`` is set here by the database, whatever the INSERT said): checked at
  commit, so the workflow may write the audit row after the status;
* published revisions are insert-only: no UPDATE, no DELETE.

SQLite (the embedded single-user default) keeps the content lock only; the hashes of
`reports.publication` show a changed revision on either database.
"""

from django.db import migrations

LOCKED_TABLES = ["reports_reportvalue", "reports_websiteform", "reports_narrativesection"]
NO_TRUNCATE = [
    *LOCKED_TABLES,
    "reports_annualreport",
    "reports_statuschange",
    "reports_valuechange",
    "reports_publishedrevision",
]

CONTENT_LOCK = """
CREATE OR REPLACE FUNCTION reports_refuse_locked_write() RETURNS trigger AS $$
DECLARE
    target bigint;
    current_status varchar;
BEGIN
    -- The filing the row belongs to before the write (UPDATE, DELETE) and after it (INSERT,
    -- UPDATE): a row may neither leave nor enter a locked filing.
    FOREACH target IN ARRAY ARRAY[
        CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN OLD.report_id END,
        CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN NEW.report_id END
    ] LOOP
        CONTINUE WHEN target IS NULL;
        SELECT status INTO current_status FROM reports_annualreport WHERE id = target;
        IF current_status IS NOT NULL AND current_status <> 'draft' THEN
            RAISE EXCEPTION 'report % is locked (status %): its contents cannot change', target, current_status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

OWNER_CHECK = """
CREATE OR REPLACE FUNCTION reports_is_table_owner(relation oid) RETURNS boolean AS $$
    SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = relation;
$$ LANGUAGE sql STABLE;
"""

REFUSE_TRUNCATE = """
CREATE OR REPLACE FUNCTION reports_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT reports_is_table_owner(TG_RELID) THEN
        RAISE EXCEPTION 'TRUNCATE of % is refused: filings and their records are never wiped', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

STAMP_TRANSACTION = """
CREATE OR REPLACE FUNCTION reports_stamp_transaction() RETURNS trigger AS $$
BEGIN
    NEW.transaction_id := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

STATUS_NEEDS_RECORD = """
CREATE OR REPLACE FUNCTION reports_status_needs_record() RETURNS trigger AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT reports_is_table_owner(TG_RELID)
       AND NOT EXISTS (
           SELECT 1 FROM reports_statuschange
           WHERE report_id = NEW.id AND from_status = OLD.status AND to_status = NEW.status
             AND transaction_id = pg_current_xact_id()::text::bigint
       ) THEN
        RAISE EXCEPTION 'status of report % changed from % to % without a workflow record', NEW.id, OLD.status, NEW.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

REVISIONS_INSERT_ONLY = """
CREATE OR REPLACE FUNCTION reports_refuse_revision_change() RETURNS trigger AS $$
BEGIN
    IF NOT reports_is_table_owner(TG_RELID) THEN
        RAISE EXCEPTION 'published revisions are never changed or deleted (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

SQLITE_UPDATE = (
    "CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table} "
    "WHEN (SELECT status FROM reports_annualreport WHERE id = NEW.report_id) <> 'draft' "
    "OR (SELECT status FROM reports_annualreport WHERE id = OLD.report_id) <> 'draft' "
    "BEGIN SELECT RAISE(ABORT, 'report is locked: its contents cannot change'); END;"
)
SQLITE_UPDATE_BEFORE = (
    "CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table} "
    "WHEN (SELECT status FROM reports_annualreport WHERE id = NEW.report_id) <> 'draft' "
    "BEGIN SELECT RAISE(ABORT, 'report is locked: its contents cannot change'); END;"
)


def _sqlite_update_trigger(schema_editor, template):
    for table in LOCKED_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked_update;")
        schema_editor.execute(template.format(table=table))


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_update_trigger(schema_editor, SQLITE_UPDATE)
        return
    if vendor != "postgresql":
        raise NotImplementedError(f"no content lock for database {vendor}")
    run = schema_editor.execute
    # params=None: the function bodies hold "%" placeholders of their own (RAISE … %).
    for function in (
        CONTENT_LOCK,
        OWNER_CHECK,
        REFUSE_TRUNCATE,
        STAMP_TRANSACTION,
        STATUS_NEEDS_RECORD,
        REVISIONS_INSERT_ONLY,
    ):
        run(function, params=None)
    for table in NO_TRUNCATE:
        run(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION reports_refuse_truncate();"
        )
    run(
        "CREATE TRIGGER reports_statuschange_stamp BEFORE INSERT OR UPDATE ON reports_statuschange "
        "FOR EACH ROW EXECUTE FUNCTION reports_stamp_transaction();"
    )
    run(
        "CREATE CONSTRAINT TRIGGER reports_annualreport_status_recorded "
        "AFTER UPDATE OF status ON reports_annualreport DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION reports_status_needs_record();"
    )
    run(
        "CREATE TRIGGER reports_publishedrevision_insert_only "
        "BEFORE UPDATE OR DELETE ON reports_publishedrevision "
        "FOR EACH ROW EXECUTE FUNCTION reports_refuse_revision_change();"
    )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_update_trigger(schema_editor, SQLITE_UPDATE_BEFORE)
        return
    run = schema_editor.execute
    for table in NO_TRUNCATE:
        run(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    run("DROP TRIGGER IF EXISTS reports_statuschange_stamp ON reports_statuschange;")
    run("DROP TRIGGER IF EXISTS reports_annualreport_status_recorded ON reports_annualreport;")
    run(
        "DROP TRIGGER IF EXISTS reports_publishedrevision_insert_only ON reports_publishedrevision;"
    )
    for function in (
        "reports_refuse_truncate()",
        "reports_stamp_transaction()",
        "reports_status_needs_record()",
        "reports_refuse_revision_change()",
        "reports_is_table_owner(oid)",
    ):
        run(f"DROP FUNCTION IF EXISTS {function};")
    # 0005's content lock (new rows only) comes back by re-running its function body.
    from importlib import import_module

    run(
        import_module("reports.migrations.0005_lock_contents_after_submission").POSTGRES_FUNCTION,
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_add_revision_hashes_and_status_transaction")]

    operations = [migrations.RunPython(forwards, backwards)]
