"""Security headers on every response, and error pages that give nothing away.

The production-only parts (HSTS, the redirect to https, `check --deploy`) need the
production environment at import time: tests/test_settings.py runs them in a subprocess.
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import path, reverse
from openpyxl import Workbook

from portal.urls import urlpatterns as portal_urlpatterns

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
        "fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
        "midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
        "usb=(), xr-spatial-tracking=()"
    ),
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

SECRET_DETAIL = "数据库口令是hunter2"


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


# The portal's own addresses plus one view that fails, for the server-error page.
urlpatterns = [path("boom/", boom), *portal_urlpatterns]


def headers_of(response):
    return {name: response.headers.get(name) for name in EXPECTED_HEADERS}


@pytest.mark.parametrize(
    "url", ["/", "/open-data/", "/admin/login/", "/admin/", "/no-such-page/"], ids=str
)
def test_public_and_admin_responses_carry_every_security_header(client, db, url):
    assert headers_of(client.get(url)) == EXPECTED_HEADERS


def test_an_admin_page_of_a_logged_in_user_carries_every_security_header(admin_client):
    response = admin_client.get(reverse("admin:reports_annualreport_changelist"))
    assert response.status_code == 200
    assert headers_of(response) == EXPECTED_HEADERS


@override_settings(DEBUG=True)
def test_the_headers_are_sent_with_debug_on_too(client, db):
    assert headers_of(client.get("/")) == EXPECTED_HEADERS


@override_settings(DEBUG=True)
def test_with_debug_on_djangos_own_error_pages_go_without_the_policy(client, db):
    # Django's debug 404/500 pages style themselves inline; a developer's traceback stays readable.
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["Permissions-Policy"] == EXPECTED_HEADERS["Permissions-Policy"]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_shows_the_chinese_page_without_a_traceback(db):
    response = Client(raise_request_exception=False).get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出现错误" in page
    assert "portal.css" in page  # in the site's look
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, str(ROOT), ".py"):
        assert leak not in page
    assert headers_of(response) == EXPECTED_HEADERS


@override_settings(DEBUG=False)
@pytest.mark.parametrize("url", ["/no-such-page/", "/agencies/no-such-agency/"], ids=str)
def test_an_unknown_address_shows_the_chinese_404_page_and_no_detail(client, db, url):
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回首页" in page
    assert "no-such" not in page
    assert "matches the given query" not in page  # Http404's message stays on the server


def test_an_import_with_a_wrong_header_names_the_problem_without_a_traceback(admin_client):
    book = Workbook()
    book.active.append(["单位名称（name）"])
    book.active.append(["某局"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("单位.xlsx", buffer.getvalue())
    response = admin_client.post(
        reverse("admin:reports_agency_import"), {"import_file": upload, "format": "0"}
    )
    page = response.content.decode()
    assert "未导入：文件有错误" in page
    assert "表头有误：缺少“网址标识（slug）”列" in page  # named, in Chinese
    assert "import_id_fields" not in page
    for leak in ("Traceback", "File &quot;", str(ROOT)):
        assert leak not in page


@override_settings(DEBUG=False)
def test_a_refusal_shows_the_chinese_403_page_with_the_views_reason(client, office):
    from reports.models import AnnualReport

    report = AnnualReport.objects.create(agency=office["bureau"], period=office["period"])
    client.force_login(office["reviewer"])
    url = f"/admin/reports/annualreport/{report.pk}/narrative/draft/"
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "请在正文页面点击" in page


@override_settings(DEBUG=False)
def test_a_post_without_its_csrf_token_shows_the_chinese_expired_page(db):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "页面已过期，未提交" in response.content.decode()
