from django.urls import path, register_converter

from reports import views


class ExtensionConverter:
    regex = "xlsx|csv|docx|pdf|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExtensionConverter, "ext")

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("reports/<int:year>/", views.year_list, name="year"),
    path("reports/<int:year>/<slug:slug>/", views.filing_page, name="filing"),
    path(
        "reports/<int:year>/<slug:slug>/v<int:number>/", views.filing_page, name="filing_revision"
    ),
    path(
        "reports/<int:year>/<slug:slug>.<ext:extension>",
        views.filing_download,
        name="filing_download",
    ),
    path(
        "reports/<int:year>/<slug:slug>/v<int:number>.<ext:extension>",
        views.filing_download,
        name="filing_revision_download",
    ),
    path("agencies/<slug:slug>/", views.agency_page, name="agency"),
    path("aggregate/<int:year>/", views.aggregate_page, name="aggregate"),
    path(
        "aggregate/<int:year>.<ext:extension>", views.aggregate_download, name="aggregate_download"
    ),
    path("open-data/", views.open_data, name="open_data"),
]
