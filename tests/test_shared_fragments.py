"""Pieces of reader pages shared by every reader (newsroom.pagecache.shared_fragment).

The page cache is off here (the default in tests), so each request builds its page; the shared
pieces make that cheap for readers and must never reach staff or previews, nor outlive a change.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import previews, publishing
from articles.models import Story
from newsroom.pagecache import shared_fragment
from tests.factories import make_section, make_staff, make_story
from tests.test_query_counts import STORY_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def related(response) -> list[str]:
    return [h.get_text(strip=True) for h in BeautifulSoup(response.content, "html.parser").select(".related h3")]


def headline(response) -> str:
    return BeautifulSoup(response.content, "html.parser").select_one("h1.story__headline").get_text(strip=True)


def test_cache_busting_query_strings_still_cost_a_reader_one_query_per_page(client):
    story = make_story("Dam levels drop", section=make_section("News"), tags=["Water"])
    client.get(story.get_absolute_url())

    for n in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{story.get_absolute_url()}?ref={n}")
        assert response.status_code == 200
        assert headline(response) == "Dam levels drop"
        assert len(queries) == STORY_PAGE_QUERIES


def test_staff_always_get_the_related_stories_as_they_are_in_the_database(editor_client):
    section = make_section("News")
    other, story = make_story("Taps run dry", section=section), make_story("Dam levels drop", section=section)
    publishing.choose_related(story=story)
    Client().get(story.get_absolute_url())  # a reader's visit stores the shared pieces
    # A change made without saving (no signal, so nothing is retired).
    Story.objects.filter(pk=other.pk).update(status=Story.Status.RETRACTED)

    assert related(editor_client.get(story.get_absolute_url())) == []
    assert related(Client().get(story.get_absolute_url())) == ["Taps run dry"]  # the shared piece


def test_a_saved_change_retires_the_shared_pieces_at_once(client):
    story = make_story("Dam levels drop", tags=["Water"])
    client.get(story.get_absolute_url())

    story.headline = "Dam levels drop to a record low"
    story.save()

    assert headline(client.get(story.get_absolute_url())) == "Dam levels drop to a record low"


def test_a_retracted_story_is_gone_even_while_its_pieces_are_cached(client):
    story = make_story("Dam levels drop")
    client.get(story.get_absolute_url())
    Story.objects.filter(pk=story.pk).update(status=Story.Status.RETRACTED)  # nothing retired

    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_preview_neither_uses_nor_leaves_shared_pieces(client):
    story = make_story("Dam levels drop", status=Story.Status.DRAFT)
    editor, tomorrow = make_staff(roles=["Editor"]), timezone.now() + timedelta(days=1)
    link = previews.create_link(story=story, by=editor, expires_at=tomorrow)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.PUBLISHED, published_at=timezone.now())
    client.get(story.get_absolute_url())  # a reader's page stores the shared pieces of the published story
    Story.objects.filter(pk=story.pk).update(status=Story.Status.DRAFT, headline="Dam levels drop (draft)")

    preview = client.get(previews.url_for(link))

    assert preview.status_code == 200
    assert headline(preview) == "Dam levels drop (draft)"


def test_a_piece_holding_the_requests_csp_nonce_is_never_stored():
    request = RequestFactory().get("/")
    request.shares_fragments, request._csp_nonce = True, "n0nce"
    renders = []

    def render():
        renders.append(1)
        return '<script nonce="n0nce"></script>'

    shared_fragment(request, "test", 1, render)
    shared_fragment(request, "test", 1, render)

    assert len(renders) == 2
