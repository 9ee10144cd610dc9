"""Forged requests: open redirects through ``next``, cross-site posts, host-header tricks, NUL bytes."""

from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from articles.models import Publication, Section
from tests.factories import log_in, make_staff, make_story, make_totp_device, totp_code

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    " https://evil.example/",
    "javascript:alert(1)",
    "https://evil.example%2f@testserver/",
]


def stays_on_site(location: str) -> bool:
    parts = urlsplit(location.replace("\\", "/"))
    return (
        parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver") and not location.startswith("//")
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_password_sign_in_never_redirects_off_site(client, target):
    make_staff("reporter", roles=["Reporter"])

    response = client.post(
        reverse("admin:login"), {"username": "reporter", "password": "correct-horse-battery", "next": target}
    )

    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_second_factor_never_redirects_off_site(client, target):
    device = make_totp_device(make_staff("editor", roles=["Editor"]))
    client.post(reverse("admin:login"), {"username": "editor", "password": "correct-horse-battery"})

    response = client.post(f"{reverse('admin:second_factor')}?next={quote(target)}", {"code": totp_code(device)})

    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_out_never_redirects_off_site(client, target):
    log_in(client, make_staff("reporter", roles=["Reporter"]))

    response = client.post(reverse("admin:logout"), {"next": target})

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert stays_on_site(response["Location"]), response["Location"]


# --- Cross-site posts -------------------------------------------------------------------------------


@pytest.fixture
def csrf_editor():
    """An editor's browser that enforces CSRF, as a real one does."""
    client = Client(enforce_csrf_checks=True)
    log_in(client, make_staff("editor", roles=["Editor"], is_superuser=True))
    return client


def test_cross_site_post_without_a_token_changes_nothing(csrf_editor):
    response = csrf_editor.post(reverse("admin:articles_section_add"), {"name": "Forged", "position": 0})

    assert response.status_code == 403
    assert not Section.objects.filter(name="Forged").exists()
    assert "Request refused" in BeautifulSoup(response.content, "html.parser").h1.get_text()


def test_cross_site_post_with_a_stolen_token_from_another_origin_is_refused(csrf_editor):
    csrf_editor.get(reverse("admin:articles_section_add"))
    token = csrf_editor.cookies["csrftoken"].value

    response = csrf_editor.post(
        reverse("admin:articles_section_add"),
        {"name": "Forged", "position": 0, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert not Section.objects.filter(name="Forged").exists()


def test_cross_site_sign_out_is_refused(csrf_editor):
    response = csrf_editor.post(reverse("admin:logout"))

    assert response.status_code == 403
    assert csrf_editor.get("/admin/").status_code == 200


def test_cross_site_login_is_refused():
    make_staff("reporter", roles=["Reporter"])
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("admin:login"), {"username": "reporter", "password": "correct-horse-battery"})

    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302


def test_same_site_post_with_the_token_works(csrf_editor):
    page = BeautifulSoup(csrf_editor.get(reverse("admin:articles_section_add")).content, "html.parser")
    token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]

    response = csrf_editor.post(
        reverse("admin:articles_section_add"),
        {"name": "Genuine", "slug": "genuine", "position": 0, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert Section.objects.filter(name="Genuine").exists()


# --- Host header ------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", "testserver:80@evil.example", "-"])
def test_unknown_host_is_a_400_page(host):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST=host)

    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").h1.get_text() == "Request not accepted"


def test_forwarded_host_is_ignored_in_links(client):
    publication = Publication.load()
    publication.base_url = "https://news.example.org"
    publication.save()
    story = make_story("Council approves new bus routes")

    for url in [story.get_absolute_url(), "/feed/", "/sitemap.xml"]:
        response = client.get(url, HTTP_X_FORWARDED_HOST="evil.example", HTTP_FORWARDED="host=evil.example")
        assert response.status_code == 200
        assert b"evil.example" not in response.content


def test_pages_cached_under_one_host_are_not_served_to_another(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org", "testserver"]
    story = make_story("Council approves new bus routes")
    client.get(story.get_absolute_url(), HTTP_HOST="testserver")

    response = client.get(story.get_absolute_url(), HTTP_HOST="news.example.org")

    assert b"//testserver" not in response.content


# --- NUL bytes in addresses -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/articles/story/?status=a%00b", "/admin/articles/story/?a%00=1"])
def test_nul_byte_in_an_admin_address_is_the_400_page(editor_client, url):
    editor_client.raise_request_exception = False

    response = editor_client.get(url)

    assert response.status_code == 400
    assert BeautifulSoup(response.content, "html.parser").h1.get_text() == "Request not accepted"


@pytest.mark.parametrize("url", ["/api/ninjs/stories/?section=a%00b", "/api/ninjs/stories/a%00b/"])
def test_nul_byte_in_an_api_address_is_a_json_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.json()["error"]
