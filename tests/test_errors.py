"""Bad requests get a clear 400 page; a lost database gives readers a 503 that says to retry."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import log_in, make_story

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


@pytest.fixture
def browser():
    """A client that, like a browser, holds a CSRF cookie and goes through the check (which reads the form)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("admin:login"))
    return client


def test_too_many_fields_is_a_400_page(browser, settings):
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = browser.post(reverse("admin:login"), fields)

    assert response.status_code == 400
    assert heading(response) == "Request not accepted"
    assert "TooManyFields" not in response.content.decode()


def test_too_large_a_form_is_a_400_page(browser, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = browser.post(reverse("admin:login"), {"username": "x" * 20_000, "password": "y"})

    assert response.status_code == 400
    assert heading(response) == "Request not accepted"


def test_too_many_files_is_a_400_page(browser, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"file{i}": SimpleUploadedFile(f"{i}.txt", b"hello") for i in range(3)}

    response = browser.post(reverse("admin:login"), files)

    assert response.status_code == 400
    assert heading(response) == "Request not accepted"


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_lost_database_gives_readers_a_friendly_503_with_retry_after(monkeypatch, error):
    story = make_story()

    def unavailable(*args, **kwargs):
        raise error

    monkeypatch.setattr("articles.views.Story.objects.published", unavailable)
    response = Client(raise_request_exception=False).get(story.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert heading(response) == "We will be back in a moment"
    assert "Traceback" not in response.content.decode() and "closed" not in response.content.decode()


def test_database_error_outside_the_view_code_is_also_a_503(monkeypatch):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32

    def unavailable(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unavailable)
    response = client.get(reverse("admin:login"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_other_errors_stay_a_500_page(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("articles.views.Story.objects.published", broken)
    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    assert heading(response) == "Something went wrong"
    assert "Retry-After" not in response


def test_a_page_the_account_may_not_use_is_a_403_page_that_explains_and_leads_back(client, reporter):
    log_in(client, reporter)

    response = client.get("/admin/articles/section/add/")

    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert heading(response) == "Not allowed"
    assert "ask an editor or an admin" in page.get_text()
    assert {a["href"] for a in page.select("main a")} >= {"/admin/", "/"}
