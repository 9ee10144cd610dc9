"""The site chrome (sections menu, social links, breaking-news banner) is worked out once after a change
and kept on the publication's row, so pages built with no cache at all read it with one query."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import chrome
from articles.models import Publication, Section
from tests.factories import make_section, make_social_link, make_story

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
    rows = Publication.site_chrome_rows(chrome.BREAKING_LIMIT, timezone.now())  # ... and works the chrome out
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
