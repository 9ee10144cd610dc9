"""Dependency tags: an entry is served until a tag it recorded is retired, and stored only if its reads were current."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import Publication
from newsroom import cachetags
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


def stored(key: str, value: str, *tags: str) -> None:
    with cachetags.collecting() as collector:
        cachetags.depends_on(*tags)
    assert cachetags.store(key, value, collector.tags, collector.started, timeout=60)


def test_an_entry_is_served_until_one_of_its_tags_is_retired():
    stored("page-a", "A", "story-1", "author-2")
    stored("page-b", "B", "story-3")

    cachetags.retire("author-2")

    assert cachetags.lookup("page-a") is None
    assert cachetags.lookup("page-b")[1] == "B"


def test_retiring_site_retires_every_entry():
    stored("page-a", "A", "story-1")
    stored("page-b", "B")

    cachetags.retire(cachetags.SITE)

    assert cachetags.lookup("page-a") is None and cachetags.lookup("page-b") is None


def test_a_render_that_began_before_a_change_is_not_stored():
    with cachetags.collecting() as collector:
        cachetags.depends_on("story-1")
        cachetags.retire("story-1")  # an editor's save lands while the page is being built

    assert not cachetags.store("page", "old text", collector.tags, collector.started, timeout=60)
    assert cachetags.lookup("page") is None


def test_a_retirement_happens_now_and_again_after_commit(django_capture_on_commit_callbacks):
    stored("page", "old", "story-1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cachetags.retire("story-1")
    stored("page", "rendered inside the transaction", "story-1")
    for callback in callbacks:
        callback()

    assert cachetags.lookup("page") is None


def test_a_lost_tag_version_retires_the_entries_that_recorded_it():
    stored("page", "A", "story-1")
    cache.delete("newsroom:tag:story-1")  # evicted, or the cache restarted

    assert cachetags.lookup("page") is None


def test_a_piece_inside_a_page_adds_its_tags_to_the_page():
    with cachetags.collecting() as page:
        cachetags.depends_on("story-1")
        assert cachetags.remember("piece", lambda: cachetags.depends_on("author-7") or "html") == "html"
    with cachetags.collecting() as later_page:
        assert cachetags.remember("piece", lambda: "not rendered again") == "html"

    assert {"story-1", "author-7"} <= page.tags
    assert "author-7" in later_page.tags


def test_a_lazily_loaded_object_declares_its_tags_in_every_piece_that_uses_it():
    story = cachetags.Shown(lambda: type("Loaded", (), {"headline": "Dam levels drop"})(), lambda obj: ["story-1"])
    with cachetags.collecting() as first:
        assert story.headline == "Dam levels drop"
    with cachetags.collecting() as second:
        assert story.headline == "Dam levels drop"

    assert "story-1" in first.tags and "story-1" in second.tags


def test_tags_are_checked_so_no_header_or_message_can_be_forged():
    with pytest.raises(ValueError):
        cachetags.retire("story-1 site")


class UnavailableCache:
    """What ResilientRedisCache does while Redis is down: reads miss, writes are skipped."""

    def get_many(self, keys):
        return {}

    def set_many(self, data, timeout=None):
        return list(data)

    def add(self, key, value, timeout=None):
        return False


def test_a_retirement_made_while_the_cache_is_down_is_repeated_once_it_is_back(monkeypatch):
    stored("page", "A", "story-1")
    with monkeypatch.context() as outage:
        outage.setattr(cachetags, "cache", UnavailableCache())
        with transaction.atomic():
            cachetags.retire("story-1")
    assert cachetags.lookup("page") is not None  # nobody could be told

    cachetags.retry_pending()  # the next request, with the cache back

    assert cachetags.lookup("page") is None


def test_the_next_scheduled_change_retires_only_the_stories_it_brings():
    now = timezone.now()
    section = make_section("News")
    make_story("Out already", section=section)
    scheduled = make_story("Scheduled", section=section, published_at=now + timedelta(minutes=10))
    stored("section-page", "A", f"section-{section.pk}-stories")
    stored("other", "B", "section-999-stories")
    with time_machine.travel(now, tick=False):
        assert cachetags.horizon() == scheduled.published_at.timestamp()
    with time_machine.travel(now + timedelta(minutes=9), tick=False):
        cachetags.horizon()
        assert cachetags.lookup("section-page") is not None
    with time_machine.travel(now + timedelta(minutes=10, seconds=1), tick=False):
        assert cachetags.horizon() is None

    assert cachetags.lookup("section-page") is None
    assert cachetags.lookup("other")[1] == "B"


def test_a_breaking_banner_coming_down_retires_every_page():
    now = timezone.now()
    make_story("Breaking", breaking_until=now + timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        cachetags.horizon()
        stored("page", "A")
    with time_machine.travel(now + timedelta(hours=1, seconds=1), tick=False):
        cachetags.horizon()

    assert cachetags.lookup("page") is None


def test_a_scheduled_change_is_caught_even_if_the_cache_lost_when_it_was_due():
    now = timezone.now()
    section = make_section("News")
    make_story("Scheduled", section=section, published_at=now + timedelta(minutes=10))
    with time_machine.travel(now, tick=False):
        cachetags.horizon()
        stored("section-page", "A", f"section-{section.pk}-stories")
    cache.delete("newsroom:value:horizon")
    cachetags.local_copies.clear()
    with time_machine.travel(now + timedelta(minutes=11), tick=False):
        cachetags.horizon()

    assert cachetags.lookup("section-page") is None


def test_local_copies_hold_the_most_recently_used_entries_up_to_their_byte_budget():
    copies = cachetags.LocalCopies(max_bytes=11_000)  # three of these entries (about 3.4 kB each)
    for number in range(3):
        copies.put(f"page-{number}", ({"story-1": 1}, (200, [], b"x" * 3000)))
    copies.get("page-0")  # used last: kept ahead of the newer ones
    copies.put("page-3", ({"story-1": 1}, (200, [], b"x" * 3000)))

    held = [key for key in (f"page-{number}" for number in range(4)) if copies.get(key) is not None]
    assert held == ["page-0", "page-2", "page-3"]
    assert copies.used <= 11_000


def test_an_entry_larger_than_the_budget_is_not_copied_and_replaces_its_older_copy():
    copies = cachetags.LocalCopies(max_bytes=10_000)
    copies.put("page", ({}, "small"))
    copies.put("page", ({}, "x" * 20_000))

    assert copies.get("page") is None
    assert copies.used == 0
