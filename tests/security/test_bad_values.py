"""NUL bytes and over-long values: form errors and 4xx pages, never a database error (PostgreSQL included)."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from articles.models import Section, Story
from tests.factories import make_section, make_staff, make_story, make_totp_device
from tests.security.hostile import admin_story_form

pytestmark = pytest.mark.django_db

NUL = "bad\x00value"


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _a_story():
    make_story("Council approves new bus routes", section=make_section("News"), tags=["Transport"])


@pytest.mark.parametrize(
    "url",
    [
        f"/search/?q={quote(NUL)}",
        f"/search/?q=bus&section={quote(NUL)}",
        f"/search/?q=bus&start={quote(NUL)}&end={quote(NUL)}",
        "/search/?q=" + "bus%20" * 2000,
        f"/search/?q=bus&page={quote(NUL)}",
        "/?page=99999999999999999999999",
        "/section/news/?page=-1",
        f"/story/{quote(NUL)}/",
        f"/tag/{quote(NUL)}/",
        "/story/" + "a" * 3000 + "/",
        f"/api/ninjs/stories/?section={quote(NUL)}",
        f"/api/ninjs/stories/?updated_since={quote(NUL)}",
        f"/api/ninjs/stories/{quote(NUL)}/",
        "/api/ninjs/stories/?page=99999999999999999999",
    ],
)
def test_reader_urls_with_bad_values_are_pages_not_errors(reader, url):
    response = reader.get(url)

    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/articles/story/?q={quote(NUL)}",
        f"/admin/articles/story/?status={quote(NUL)}",
        f"/admin/articles/story/?section__id__exact={quote(NUL)}",
        f"/admin/articles/story/?published_at__gte={quote(NUL)}",
        f"/admin/articles/person/?q={quote(NUL)}",
        f"/admin/media/image/?q={quote(NUL)}",
        f"/admin/taggit/tag/?q={quote(NUL)}",
        f"/admin/articles/story/{quote(NUL)}/change/",
        "/admin/articles/story/?q=" + "x" * 20000,
        "/admin/articles/story/?p=99999999999",
    ],
)
def test_admin_urls_with_bad_values_are_pages_not_errors(editor_client, url):
    editor_client.raise_request_exception = False

    response = editor_client.get(url)

    assert response.status_code in (200, 302, 400, 404), response.status_code


def field_errors(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ") for error in page.select(".errorlist"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", NUL),
        ("standfirst", NUL),
        ("body", f"<p>{NUL}</p>"),
        ("hero_caption", NUL),
        ("tags", NUL),
        ("slug", NUL),
        ("headline", "x" * 201),
        ("hero_caption", "x" * 301),
        ("tags", "y" * 300),
        ("slug", "z" * 300),
        ("original_url", "https://example.org/" + "p" * 3000),
    ],
)
def test_story_form_refuses_bad_values_with_a_form_error(editor_client, field, value):
    editor_client.raise_request_exception = False

    response = editor_client.post(reverse("admin:articles_story_add"), admin_story_form(**{field: value}))

    assert response.status_code == 200, response.status_code
    assert field_errors(response)
    assert not Story.objects.filter(headline="A fine headline").exists()


@pytest.mark.parametrize(("field", "value"), [("name", NUL), ("description", NUL), ("name", "n" * 81)])
def test_section_form_refuses_bad_values_with_a_form_error(editor_client, field, value):
    editor_client.raise_request_exception = False
    form = {"name": "Opinion", "slug": "", "description": "", "position": "0"} | {field: value}

    response = editor_client.post(reverse("admin:articles_section_add"), form)

    assert response.status_code == 200
    assert field_errors(response)
    assert not Section.objects.filter(slug="opinion").exists()


@pytest.mark.parametrize("username", [NUL, "u" * 5000])
def test_login_with_bad_user_names_is_a_form_error(reader, username):
    response = reader.post(reverse("admin:login"), {"username": username, "password": "whatever"})

    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select(".errornote, .errorlist")


def test_second_factor_code_with_a_nul_byte_is_a_form_error(reader):
    make_totp_device(make_staff("editor", roles=["Editor"]))
    reader.post(reverse("admin:login"), {"username": "editor", "password": "correct-horse-battery"})

    response = reader.post(reverse("admin:second_factor"), {"code": "12\x003456"})

    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select(".errornote")
