import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Production as README's "Running behind gunicorn" sets it up, behind a TLS proxy.
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_BEHIND_TLS_PROXY": "true",
    "DJANGO_ALLOWED_HOSTS": "nianbao.example.gov.cn",
}

# Two requests in a production process: one as the proxy forwards plain http, one over https.
# A missing page: its answer needs no database and no collected static files.
REQUESTS = """
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="nianbao.example.gov.cn")
plain = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="http")
secure = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps([[r.status_code, dict(r.headers)] for r in (plain, secure)]))
"""


def run_check(**env):
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start_and_names_the_variable():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_with_secret_key_starts():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_STATIC_MANIFEST="")
    assert result.returncode == 0, result.stderr


def test_nonsense_boolean_is_refused_with_its_name():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_settings_are_chinese_first():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def production(**extra):
    """The production environment alone: no DJANGO_* variable of the test run leaks in
    (conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**inherited, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "portal.settings", **extra}


def test_production_behind_a_tls_proxy_passes_the_deploy_check_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_behind_a_tls_proxy_redirects_plain_http_and_sends_hsts_over_https():
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        cwd=ROOT,
        env=production(DJANGO_STATIC_MANIFEST="false"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (plain_status, plain), (secure_status, secure) = json.loads(result.stdout.splitlines()[-1])
    assert plain_status == 301
    assert plain["Location"] == "https://nianbao.example.gov.cn/no-such-page/"
    assert secure_status == 404
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Content-Security-Policy" in secure and "Permissions-Policy" in secure


def test_hsts_lasts_as_long_as_the_environment_says():
    result = subprocess.run(
        [sys.executable, "-c", "from portal import settings; print(settings.SECURE_HSTS_SECONDS)"],
        cwd=ROOT,
        env=production(DJANGO_HSTS_SECONDS="3600"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "3600", result.stderr


def test_the_migration_role_is_a_second_alias_that_tests_mirror():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.DATABASES['default']['USER'], "
        "settings.DATABASES['owner']['USER'], settings.DATABASES['owner']['TEST']['MIRROR']]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "postgres://portal_app:x@127.0.0.1:5432/portal",
        "DATABASE_MIGRATE_URL": "postgres://portal:y@127.0.0.1:5432/portal",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["portal_app", "portal", "default"]
