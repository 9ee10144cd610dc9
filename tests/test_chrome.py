"""The site chrome (sections menu, social links, breaking-news banner) is worked out once after a change
and kept on the publication's row, so pages built with no cache at all read it with one query."""

import json
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import chrome, publishing, readership
from articles.models import Publication, Section, StoryReadCount
from tests.factories import make_image, make_section, make_social_link, make_story

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def cold_page(client, url: str = "/") -> tuple[BeautifulSoup, int]:
    with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), len(queries)


def menu(page: BeautifulSoup) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".site-nav a")]


def banner(page: BeautifulSoup) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".breaking a")]


def test_the_first_page_after_a_change_works_the_chrome_out_and_the_next_only_reads_it(client):
    make_section("News")
    make_social_link()
    _page, first = cold_page(client)
    _page, second = cold_page(client)

    assert first == second + 2  # the chrome's rows worked out, then kept
    assert Publication.objects.get().kept_chrome["section_rows"][0]["name"] == "News"
    with CaptureQueriesContext(connection) as queries:
        chrome.load()
    assert len(queries) == 1  # the publication row, its logo and the kept chrome


def test_a_renamed_section_shows_in_the_menu_of_the_next_page(client):
    section = make_section("News")
    assert menu(cold_page(client)[0]) == ["News"]

    section.name = "Local news"
    section.save()

    assert Publication.objects.get().kept_chrome is None
    assert menu(cold_page(client)[0]) == ["Local news"]


def test_a_new_breaking_story_goes_up_in_the_banner_at_once(client):
    make_section("News")
    cold_page(client)
    make_story("Floods close the N2", breaking_until=timezone.now() + timedelta(hours=1))

    assert banner(cold_page(client)[0]) == ["Floods close the N2"]


def test_a_banner_comes_down_and_a_scheduled_one_goes_up_at_their_times_with_nothing_retired(client):
    now = timezone.now()
    make_story("Storm warning", breaking_until=now + timedelta(minutes=30))
    make_story("Polls close", published_at=now + timedelta(hours=1), breaking_until=now + timedelta(hours=3))
    assert banner(cold_page(client)[0]) == ["Storm warning"]

    with time_machine.travel(now + timedelta(minutes=31), tick=False):
        assert banner(cold_page(client)[0]) == []
    with time_machine.travel(now + timedelta(minutes=61), tick=False):
        assert banner(cold_page(client)[0]) == ["Polls close"]


def test_chrome_worked_out_before_a_committed_change_is_not_kept(client):
    section = make_section("News")
    read = Publication.objects.get()  # a reader reads the row ...
    rows = chrome.work_out(read, timezone.now())  # ... and works the chrome out
    Section.objects.filter(pk=section.pk).update(name="Renamed")
    section.refresh_from_db()
    section.save()  # an editor's change commits meanwhile

    updated = Publication.objects.filter(pk=1, kept_chrome_version=read.kept_chrome_version).update(kept_chrome=rows)

    assert updated == 0
    assert Publication.objects.get().kept_chrome is None
    assert menu(cold_page(client)[0]) == ["Renamed"]


def test_an_editors_save_of_the_publication_never_writes_back_an_old_chrome(client):
    make_section("News")
    cold_page(client)
    publication = Publication.objects.get()  # the admin's form reads the row with the chrome kept ...
    make_section("Sport")  # ... a section is added ...
    publication.tagline = "News that matters"
    publication.save()  # ... and the form is saved

    page = cold_page(client)[0]
    assert menu(page) == ["News", "Sport"]
    assert "News that matters" in page.get_text()


def most_read(page: BeautifulSoup) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".most-read li a")]


def reads(story, count: int, hours_ago: int = 1) -> None:
    period = readership.period_start(timezone.now()) - timedelta(hours=hours_ago)
    StoryReadCount.objects.create(story=story, period_start=period, count=count)


def test_a_cold_page_reads_the_chrome_the_most_read_list_and_the_next_scheduled_change_with_one_query(client):
    make_section("News")
    hot, warm = make_story("Hot story"), make_story("Warm story")
    reads(hot, 9)
    reads(warm, 4)
    reads(warm, 3, hours_ago=30)  # outside the window: not counted
    make_story("Goes up later", published_at=timezone.now() + timedelta(hours=2))
    cold_page(client)

    for read_kept in (chrome.load, chrome.most_read, lambda: chrome.next_change(timezone.now())):
        with CaptureQueriesContext(connection) as queries:
            read_kept()
        assert len(queries) == 1  # the row; outside a request each call reads it (a request reads it once)
    most_read_now = chrome.most_read()

    page, _queries = cold_page(client, "/")
    assert most_read(page) == ["Hot story", "Warm story"] == [story.headline for story in most_read_now]
    kept = Publication.objects.get().kept_chrome
    assert kept["next_change"] == pytest.approx((timezone.now() + timedelta(hours=2)).timestamp(), abs=5)


def test_a_changed_headline_shows_at_once_in_the_banner_and_the_most_read_list(client):
    banner_story = make_story("Floods close the N2", breaking_until=timezone.now() + timedelta(hours=1))
    read_story = make_story("Dam levels drop")
    reads(read_story, 5)
    page = cold_page(client)[0]
    assert (banner(page), most_read(page)) == (["Floods close the N2"], ["Dam levels drop"])
    client.get("/")  # the page cache (local memory in tests) holds the home page too

    for story, headline in ((banner_story, "Floods close the N2 and N3"), (read_story, "Dam levels drop again")):
        story.headline = headline
        story.save()

    assert Publication.objects.get().kept_chrome is None
    for page in (cold_page(client)[0], BeautifulSoup(client.get("/").content, "html.parser")):
        assert banner(page) == ["Floods close the N2 and N3"]
        assert most_read(page) == ["Dam levels drop again"]


def test_a_retracted_story_leaves_the_most_read_list(client, editor):
    story = make_story("Retracted later")
    reads(story, 5)
    assert most_read(cold_page(client)[0]) == ["Retracted later"]

    publishing.retract(story=story, by=editor)

    assert most_read(cold_page(client)[0]) == []


def test_a_change_to_a_story_the_chrome_does_not_show_keeps_it(client):
    make_section("News")
    other = make_story("Quiet story")
    cold_page(client)
    kept = Publication.objects.get()

    other.headline = "Still quiet"
    other.save()

    assert Publication.objects.get().kept_chrome == kept.kept_chrome
    assert Publication.objects.get().kept_chrome_version == kept.kept_chrome_version


def test_most_read_worked_out_before_a_committed_change_to_its_story_is_not_kept(client):
    story = make_story("Old headline")
    reads(story, 5)
    Publication.objects.filter(pk=1).update(kept_chrome=None)
    read = Publication.objects.get()  # a reader finds nothing kept ...
    rows = chrome.work_out(read, timezone.now())  # ... and works it out from the old headline
    story.headline = "New headline"
    story.save()  # an editor's change commits meanwhile

    updated = Publication.objects.filter(pk=1, kept_chrome_version=read.kept_chrome_version).update(kept_chrome=rows)

    assert updated == 0
    assert most_read(cold_page(client)[0]) == ["New headline"]


def organization_logo(page: BeautifulSoup) -> dict:
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    return next(item for item in data.get("@graph", [data]) if item.get("@type") == "NewsMediaOrganization")["logo"]


def test_the_logo_comes_with_the_row_and_a_changed_picture_shows_at_once(client):
    logo = make_image(width=600, height=60)
    publication = Publication.load()
    publication.logo = logo
    publication.save()
    assert organization_logo(cold_page(client)[0])["width"] == 600

    with CaptureQueriesContext(connection) as queries:
        kept_logo = chrome.load()["publication"].logo
        address = kept_logo.file.url
    assert len(queries) == 1  # the row alone: the logo's address and size are kept with it
    assert (kept_logo.pk, kept_logo.height, address) == (logo.pk, 60, logo.file.url)

    logo.width, logo.height = 640, 64
    logo.save()

    assert Publication.objects.get().kept_chrome is None
    assert organization_logo(cold_page(client)[0]) | {"url": ""} == {
        "@type": "ImageObject",
        "url": "",
        "width": 640,
        "height": 64,
    }
