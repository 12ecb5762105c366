from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "年报填报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Migrations run as the tables' owner grant the portal's own role its rights.
        from reports.database_roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="reports-grants")
