"""Reflected XSS: hostile values in the address bar come back as text, never as markup."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.factories import log_in, make_staff, make_story, make_totp_device
from tests.security.hostile import JS_URL, QUERY, injected, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_story():
    make_story("Council approves new bus routes", standfirst="Buses for the east.")


@pytest.mark.parametrize(
    "url",
    [
        f"/search/?q={quote(QUERY)}",
        f"/search/?q=bus&page={quote(QUERY)}",
        f"/search/?q=bus&section={quote(QUERY)}&start={quote(QUERY)}",
        f"/?page={quote(QUERY)}",
        f"/story/{quote(QUERY, safe='')}/",
        f"/section/{quote(QUERY, safe='')}/",
        f"/no-such-page/{quote(QUERY, safe='')}",
    ],
)
def test_reader_pages_reflect_nothing_live(client, url):
    response = client.get(url)

    assert response.status_code in (200, 404)
    assert injected(response.content) == []


def test_search_terms_are_shown_back_as_text(client):
    response = client.get(f"/search/?q={quote(QUERY)}")

    assert response.status_code == 200
    assert "<script>xss()</script>" in visible_text(response.content)


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/login/?next={quote(QUERY)}",
        f"/admin/login/?next={quote(JS_URL)}",
        f"/admin/articles/story/?q={quote(QUERY)}",
        f"/admin/articles/story/?status={quote(QUERY)}",
        f"/admin/articles/story/add/?headline={quote(QUERY)}",
        f"/admin/articles/story/add/?_changelist_filters={quote(QUERY)}",
        f"/admin/media/image/?q={quote(QUERY)}",
    ],
)
def test_admin_pages_reflect_nothing_live(editor_client, url):
    response = editor_client.get(url)

    assert response.status_code in (200, 302)
    assert injected(response.content) == []


def test_admin_search_terms_are_shown_back_as_text(editor_client):
    response = editor_client.get(f"/admin/articles/story/?q={quote(QUERY)}")

    assert BeautifulSoup(response.content, "html.parser").select_one("#searchbar")["value"] == QUERY
    assert injected(response.content) == []


@pytest.mark.parametrize("next_url", [QUERY, JS_URL])
def test_second_factor_page_reflects_nothing_live(next_url):
    make_totp_device(make_staff("editor", roles=["Editor"]))
    client = Client()
    client.post(reverse("admin:login"), {"username": "editor", "password": "correct-horse-battery"})

    response = client.get(reverse("admin:second_factor") + f"?next={quote(next_url)}")

    assert response.status_code == 200
    assert injected(response.content) == []
    if next_url == JS_URL:
        assert response.context["next"] == "/admin/"  # a script address is never kept


def test_logged_in_staff_see_nothing_live_in_messages_from_the_address_bar(client):
    log_in(client, make_staff("editor", roles=["Editor"], is_superuser=True))

    response = client.get(f"/admin/articles/story/?e={quote(QUERY)}", follow=True)

    assert injected(response.content) == []
