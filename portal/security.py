"""The security headers Django 5.2 does not send itself: Content-Security-Policy and
Permissions-Policy, on every response that passes through the middleware (public pages, the
admin, the static files whitenoise serves in production), with debug on or off, so tests and
browsers in development meet the same policy as production.

SecurityMiddleware already sends Referrer-Policy, Cross-Origin-Opener-Policy,
X-Content-Type-Options and, behind TLS, Strict-Transport-Security (see settings.py).
"""

from django.conf import settings

# One small middleware rather than django-csp: the policy is one fixed string (every script and
# stylesheet is a static file of this site, so no nonces or per-view policies are needed), and
# django-csp would still leave Permissions-Policy to a second library.

# The pages load nothing from other hosts. No 'unsafe-inline' for scripts or styles: our
# templates keep scripts and styles in static files (no inline <script> or <style> blocks, no
# on*= or style= attributes); the Django admin pages we use have none either (change_list.html
# writes a <style> only when a list turns off both actions_on_top and actions_on_bottom, which
# none of ours does), and the one django-import-export template that had them is overridden
# (templates/admin/import_export/export.html).
# The SVG charts (reports/templatetags/charts.py) are styled by class from static CSS.
# Scripts that set element.style through the DOM (the admin's, select2's) are not affected.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",  # as X-Frame-Options: DENY
    ]
)

# Powerful browser features no page of the portal uses, denied to the page and any frame.
# Only names Chromium recognises: it reports an unknown one in the console.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy unless the response set its own.

    With DEBUG on, 404 and 500 responses go without the CSP: they are Django's own debug pages,
    styled and scripted inline, and a developer's traceback should stay readable. With DEBUG
    off every response has it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not (settings.DEBUG and response.status_code in (404, 500)):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
