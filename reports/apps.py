from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "年报填报"
    default_auto_field = "django.db.models.BigAutoField"
