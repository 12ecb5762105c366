from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Replaces django.contrib.admin so the default site is the portal's own."""

    default_site = "portal.admin_site.PortalAdminSite"
