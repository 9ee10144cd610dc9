"""Response headers: Content-Security-Policy on public pages and in the admin, and the HTTPS set."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_story

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def header_nonce(response) -> str:
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(policy(response)["script-src"]))
    return nonce


def test_public_pages_have_a_strict_policy(client):
    story = make_story("Council approves new bus routes")

    for url in ["/", story.get_absolute_url(), "/no-such-page/"]:
        csp = policy(client.get(url))
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        assert "'unsafe-inline'" not in csp["style-src"]


def test_inline_scripts_on_public_pages_carry_the_nonce_of_their_response(client):
    response = client.get(make_story().get_absolute_url())

    inline = [s for s in BeautifulSoup(response.content, "html.parser").find_all("script") if not s.get("src")]
    executable = [s for s in inline if s.get("type", "text/javascript") in ("text/javascript", "module")]
    if executable:
        assert {s.get("nonce") for s in executable} == {header_nonce(response)}


def test_story_form_loads_the_editor_with_its_import_map_allowed(editor_client):
    response = editor_client.get(reverse("admin:articles_story_add"))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    nonce = header_nonce(response)
    importmap = page.select_one('script[type="importmap"]')
    assert importmap is not None and importmap["nonce"] == nonce
    assert all(s.get("nonce") == nonce for s in page.find_all("script") if not s.get("src"))
    script_sources = [s["src"] for s in page.find_all("script", src=True)]
    assert all(src.startswith("/") and not src.startswith("//") for src in script_sources)
    assert any("django_prose_editor/" in src for src in script_sources)
    body = page.select_one("textarea[name=body]")
    assert any(attribute.startswith("data-django-prose-editor-") for attribute in body.attrs)
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"]  # the editor injects its own <style> element
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_the_editors_modules_and_styles_are_served_from_our_own_static_files(editor_client):
    page = BeautifulSoup(editor_client.get(reverse("admin:articles_story_add")).content, "html.parser")
    importmap = page.select_one('script[type="importmap"]').string

    modules = re.findall(r'"(/static/[^"]+\.js)"', importmap)
    styles = [link["href"] for link in page.select('link[rel="stylesheet"]') if "prose_editor" in link["href"]]

    assert modules and styles
    for url in modules + styles:
        assert finders.find(url.removeprefix("/static/")), url


def test_admin_login_page_has_the_admin_policy(client):
    response = client.get(reverse("admin:login"))

    assert policy(response)["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


def test_production_headers_on_a_secure_request(client, https):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(client, https):
    response = client.get("/section/news/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/section/news/?page=2"


def test_https_seen_by_a_trusted_proxy_is_not_redirected_again(client, https, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
