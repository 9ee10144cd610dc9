"""A database outage: readers get the stored copy of a page, even a retired one; staff learn nothing was saved."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import timezone

from articles import publishing
from tests.factories import make_section, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as it would with PostgreSQL stopped."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    def outage():
        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    return outage


def reader() -> Client:
    """A new reader; the outage's exception becomes the response a reader gets, as in production."""
    return Client(raise_request_exception=False)


@pytest.fixture
def story():
    return make_story("Council approves new bus routes", section=make_section("News"))


def test_a_cached_page_is_served_while_the_database_is_down(story, database_down):
    Client().get(story.get_absolute_url())
    database_down()

    response = reader().get(story.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert "Council approves new bus routes" in response.content.decode()


def test_a_retired_page_is_served_stale_while_the_database_is_down(story, database_down):
    Client().get(story.get_absolute_url())
    publishing.add_correction(story=story, by=None, text="The routes start in March, not May.")
    database_down()

    response = reader().get(story.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert "Council approves new bus routes" in response.content.decode()
    assert "stale-if-error=86400" in response["Cache-Control"]
    assert "s-maxage=10" in response["Cache-Control"]
    assert int(response["Age"]) >= 0


def test_a_page_older_than_the_stale_limit_gets_the_friendly_503(story, database_down, settings):
    settings.NEWSROOM_STALE_IF_ERROR = 3600
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        Client().get(story.get_absolute_url())
    publishing.add_correction(story=story, by=None, text="The routes start in March, not May.")
    database_down()
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        response = reader().get(story.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We will be back in a moment" in response.content.decode()


def test_a_page_never_cached_gets_the_friendly_503(story, database_down):
    database_down()

    response = reader().get(story.get_absolute_url())

    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert "We will be back in a moment" in response.content.decode()


def test_an_editor_saving_during_an_outage_is_told_nothing_was_saved(editor_client, story, database_down):
    url = f"/admin/articles/story/{story.pk}/change/"
    editor_client.raise_request_exception = False
    database_down()

    response = editor_client.post(url, {"headline": "A new headline"})

    assert response.status_code == 503
    page = response.content.decode()
    assert "The database is unavailable" in page
    assert "Nothing you sent was saved" in page
    assert "kept in\nthis browser" in page or "keeps your unsaved changes" in page
