"""The content generation: cached reader content is retired when content changes or a scheduled time comes."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone

from articles import generation
from articles.models import Publication, Story
from tests.factories import make_section, make_social_link, make_story

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_site_chrome_shows_a_renamed_section_and_a_new_social_link_at_once(client):
    section = make_section("Sport")
    assert [a.get_text() for a in soup(client.get("/")).select(".site-nav a")] == ["Sport"]

    section.name = "Sports"
    section.save()
    make_social_link("tiktok", "https://www.tiktok.com/@newsroom")
    make_section("Business", position=9)
    page = soup(client.get("/"))

    assert [a.get_text() for a in page.select(".site-nav a")] == ["Sports", "Business"]
    assert "TikTok" in page.select_one(".follow-us").get_text()


def test_site_chrome_shows_a_new_publication_name_at_once(client):
    client.get("/")
    publication = Publication.load()
    publication.name = "The Daily Reef"
    publication.save()

    assert soup(client.get("/")).select_one(".site-name").get_text() == "The Daily Reef"


def test_site_chrome_is_read_from_the_cache_not_the_database(client, django_assert_num_queries):
    make_section("News")
    client.get("/")
    with django_assert_num_queries(0):
        client.get("/missing-page/")  # a 404 page still shows the chrome


def test_a_saved_change_starts_a_new_generation_now_and_again_after_commit(django_capture_on_commit_callbacks):
    before = generation.current()[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_section("News")
    during = generation.current()[0]
    for callback in callbacks:
        callback()

    assert before < during < generation.current()[0]


def test_saving_a_draft_story_or_a_tag_also_counts_as_a_change():
    first = generation.current()[0]
    story = make_story("Draft", status=Story.Status.DRAFT)
    second = generation.current()[0]
    story.tags.add("budget")

    assert first < second < generation.current()[0]


def test_the_generation_moves_on_by_itself_when_a_scheduled_story_is_due():
    now = timezone.now()
    make_story("Scheduled", published_at=now + timedelta(minutes=10))
    scheduled, horizon = generation.current(now)
    assert horizon == (now + timedelta(minutes=10)).timestamp()

    assert generation.current(now + timedelta(minutes=9))[0] == scheduled
    later, horizon_after = generation.current(now + timedelta(minutes=10, seconds=1))
    assert later > scheduled and horizon_after is None


def test_the_generation_moves_on_when_a_breaking_banner_expires():
    now = timezone.now()
    make_story("Breaking", breaking_until=now + timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        before = generation.current()[0]
    with time_machine.travel(now + timedelta(hours=1, seconds=1), tick=False):
        assert generation.current()[0] > before


def test_a_lost_generation_restarts_above_every_number_used_before():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(500):  # a busy newsroom's worth of changes within one second
            old = generation.bump()
    cache.delete(generation.GENERATION_KEY)
    with time_machine.travel(start + timedelta(milliseconds=1), tick=False):
        assert generation.current()[0] > old


class UnavailableCache:
    """What ResilientRedisCache does while Redis is down: reads miss, writes are skipped."""

    def incr(self, key):
        raise ValueError("cache unavailable")

    def add(self, key, value, timeout=None):
        return False

    def get(self, key, default=None):
        return default


def test_a_change_made_while_the_cache_is_down_still_retires_old_pages_once_it_is_back(monkeypatch):
    before = generation.current()[0]
    with monkeypatch.context() as outage:
        outage.setattr(generation, "cache", UnavailableCache())
        generation.bump()

    assert generation.current()[0] > before
