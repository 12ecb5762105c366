"""Settings for the 政务公开年报填报平台, read from the environment.

Every variable is documented in `.env.example`. Defaults give a development
run on an embedded SQLite file; production sets DJANGO_DEBUG=false and must
then provide DJANGO_SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "axes",
    "reports",
]

MIDDLEWARE = [
    # First, so every response gets Content-Security-Policy and Permissions-Policy, also a
    # static file whitenoise answers and SecurityMiddleware's redirect to https.
    "portal.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# An empty DATABASE_URL means "not set" (dj_database_url.config() would return {}).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Opening a PostgreSQL connection costs more than serving a published page: production
        # keeps each process's connection (DATABASE_CONN_MAX_AGE seconds; README).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
        # A kept connection is checked (SELECT 1) before each request reuses it, so a restarted
        # database costs no failed request; false saves that round trip per request.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
# PostgreSQL in production: the portal runs as DATABASE_URL's role, which does not own the
# tables; migrations run as the owner (`manage.py migrate --database owner`), which then grants
# the portal's role what it needs and no more (reports/database_roles.py, README).
if os.environ.get("DATABASE_MIGRATE_URL"):
    DATABASES["owner"] = {
        **dj_database_url.parse(os.environ["DATABASE_MIGRATE_URL"]),
        "TEST": {"MIRROR": "default"},
    }

# One cache for every process on every machine: a table in the shared database
# (docs/decisions/0010-public-side-at-scale.md), created by migration 0012.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first. No LocaleMiddleware: the portal is always Chinese, whatever the
# browser's Accept-Language says.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# The manifest storage needs collectstatic and breaks tests and live-server
# browser tests, so it is chosen only when asked for (production).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# --- Login throttling (django-axes; docs/decisions/0008-login-throttling.md) ---------------
# After PORTAL_LOGIN_FAILURE_LIMIT wrong passwords for one username, that username is refused,
# right password included, until PORTAL_LOGIN_COOLOFF_MINUTES have passed since its latest
# failed try, or a coordinator unlocks it (用户 → 解除登录锁定). The failures are rows in the
# database, so every process on every machine counts the same ones.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
_login_cooloff_minutes = env_int("PORTAL_LOGIN_COOLOFF_MINUTES", 30)
for _name, _value in [
    ("PORTAL_LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("PORTAL_LOGIN_COOLOFF_MINUTES", _login_cooloff_minutes),
]:
    if _value < 1:
        raise ImproperlyConfigured(f"{_name}={_value} must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=_login_cooloff_minutes)
# Counted per username only: a bureau's staff share one outgoing address, so counting per
# address would lock a whole bureau out over one person's typos (see the decision record).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # "lockout parameters lack ip_address": on purpose
# A try while locked out restarts the cool-off, so 「请30分钟后再试」 holds from any refusal.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# A successful login (right password, not locked) clears that username's earlier typos.
AXES_RESET_ON_SUCCESS = True
# The Chinese lockout page, shaped like the admin login; it also logs the lockout.
AXES_LOCKOUT_CALLABLE = "reports.lockout.lockout_response"
# Axes' own (English) admin pages stay off: unlocking goes through the user admin, which
# checks the coordinator's subtree and records who unlocked whom.
AXES_ENABLE_ADMIN = False
# No English start-up banner on every process and management command.
AXES_VERBOSE = False

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # The proxy terminates TLS: a request it forwards as plain http is redirected to https.
        SECURE_SSL_REDIRECT = True
        # HSTS: a browser that has seen the portal over https refuses plain http to it for
        # this long (default one year; 0 turns it off, e.g. while first trying TLS out).
        SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 60 * 60)
        # includeSubDomains covers only names under the portal's own host name (e.g.
        # *.nianbao.example.gov.cn), never its parent domain or sibling sites; those names are
        # the portal operators' own, and none of them needs plain http.
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        # No preload: the browsers' preload list takes a whole registrable domain (e.g.
        # example.gov.cn, every site under it) for good, a decision for that domain's owner,
        # not for one application on one host. Hence its deploy check is silenced.
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# Sent by SecurityMiddleware on every response, debug or not (Django's defaults, spelled out):
# no Referer to other sites (published reports link to agency websites), and pages of other
# sites that open the portal, or that it opens, get no handle on its windows.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Separation of duties: nobody passes a filing they submitted or signs one they
# passed. Switch off only for a one-person office, knowingly (documented in README).
PORTAL_SEPARATION_OF_DUTIES = env_bool("PORTAL_SEPARATION_OF_DUTIES", default=True)
# Days before the due date at which `manage.py remind_due` starts reminding filers.
PORTAL_REMIND_DAYS = env_int("PORTAL_REMIND_DAYS", 7)
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Spreadsheet uploads: the file as sent, and what an .xlsx (a zip) may unpack to.
SPREADSHEET_MAX_UPLOAD_BYTES = env_int("SPREADSHEET_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env_int(
    "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024
)

# django-import-export: only users holding these permissions see import/export.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
