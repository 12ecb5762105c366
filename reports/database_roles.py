"""The portal's own database role on PostgreSQL: granted what it needs and no more.

Production connects as `DATABASE_URL`'s role, which does not own the tables; migrations run as
`DATABASE_MIGRATE_URL`'s role, the owner (``manage.py migrate --database owner``). Only the
owner can ``ALTER TABLE … DISABLE TRIGGER``, drop a trigger or ``TRUNCATE``, so the portal's
role cannot undo the database's locks (migrations 0005 and 0010). After each migration the
owner grants the portal's role (`grant_runtime_role`, run on ``post_migrate``):

* read and write on every table and sequence of the schema,
* but only INSERT and SELECT on what must never change once written: published revisions and
  the audit trail (status changes, value changes, imports), and only SELECT on
  ``django_migrations``.
"""

from django.db import connections

APPEND_ONLY = [
    "reports_publishedrevision",
    "reports_statuschange",
    "reports_valuechange",
    "reports_importrecord",
]
OWNER_ALIAS = "owner"


def grant_runtime_role(*, using: str = OWNER_ALIAS, runtime: str = "default") -> str | None:
    """Grant `runtime`'s role its rights, as the owner connected at `using`.

    Returns the role granted, or None when there is nothing to do (not PostgreSQL, or one role
    for both).
    """
    owner = connections[using]
    if owner.vendor != "postgresql":
        return None
    role = connections[runtime].settings_dict["USER"]
    if not role or role == owner.settings_dict["USER"]:
        return None
    grant(owner, role)
    return role


def grant(owner, role: str) -> None:
    """The GRANTs and REVOKEs themselves, run on the owner's connection `owner`."""
    quoted = owner.ops.quote_name(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE ON {', '.join(APPEND_ONLY)} FROM {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {quoted}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {quoted}",
    ]
    with owner.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def grant_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate receiver: grant once per migrate, when it ran as the owner."""
    if sender.label == "reports" and using == OWNER_ALIAS:
        grant_runtime_role(using=using)
