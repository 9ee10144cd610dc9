"""A working newsroom and the page cache: a change retires the pages that show it and nothing else.

Readers here are new anonymous clients; ``X-Page-Cache: hit`` and zero queries show a page came from
the cache. Every test warms the pages first, then makes the change as the newsroom would.
"""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import audit
from articles import autosave, publishing, readership
from articles.models import Publication, Story
from audit.models import Action, AuditEntry
from newsroom import cachetags
from tests.factories import (
    make_author,
    make_person,
    make_quote,
    make_section,
    make_social_link,
    make_staff,
    make_story,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def served(url: str):
    """A new reader's response for ``url`` and how many queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, url
    response.queries = len(queries)
    return response


def warm(*urls: str) -> None:
    for url in urls:
        served(url)
        assert served(url)["X-Page-Cache"] == "hit", url


def from_cache(url: str) -> bool:
    response = served(url)
    return response["X-Page-Cache"] == "hit" and response.queries == 0


@pytest.fixture
def site():
    """Two sections with a few live stories, a reporter and an editor."""
    news, sport = make_section("News"), make_section("Sport")
    author = make_author("Thandi Mokoena")
    stories = {
        "bus": make_story("Council approves new bus routes", section=news, authors=[author], tags=["transport"]),
        "dam": make_story("Dam levels drop", section=news, tags=["water"]),
        "derby": make_story("Derby ends in a draw", section=sport, tags=["football"]),
    }
    editor = make_staff("edna", roles=["Editor"])
    return {"news": news, "sport": sport, "author": author, "stories": stories, "editor": editor}


def draft_in(site, headline: str, **fields) -> Story:
    """A draft ready to publish, by the site's author (a new section or author would change every page)."""
    fields.setdefault("section", site["news"])
    return make_story(headline, status=Story.Status.DRAFT, authors=[site["author"]], **fields)


def test_saving_a_draft_an_autosave_a_revision_and_a_read_retire_no_page(site):
    bus = site["stories"]["bus"]
    pages = ["/", bus.get_absolute_url(), site["news"].get_absolute_url(), "/feed/"]
    warm(*pages)
    draft = draft_in(site, "A draft nobody sees yet")

    draft.body = "<p>A second version of the draft.</p>"
    publishing.save_story(story=draft, by=site["editor"], changed_fields=["body"])
    autosave.keep(user=site["editor"], story=draft, data=QueryDict("headline=Typing+a+new+headline"))
    draft.history.update(history_change_reason="A revision row edited")
    readership.record_read(bus.pk, client="198.51.100.7")
    submitted = publishing.submit_for_review(story=draft, by=None)

    assert submitted.status == Story.Status.SUBMITTED
    assert all(from_cache(url) for url in pages)


def test_recording_audit_entries_retires_no_page(site):
    bus = site["stories"]["bus"]
    pages = ["/", bus.get_absolute_url(), site["news"].get_absolute_url(), "/feed/"]
    warm(*pages)

    Client(REMOTE_ADDR="203.0.113.9").post("/admin/login/", {"username": "edna", "password": "wrong"})
    audit.record(action=Action.EXPORTED, actor=site["editor"], obj=bus, details={"rows": 1})

    assert AuditEntry.objects.count() >= 2
    assert all(from_cache(url) for url in pages)


def test_scheduling_a_story_retires_no_page_until_its_time(site):
    pages = ["/", site["news"].get_absolute_url()]
    warm(*pages)
    draft = draft_in(site, "Budget speech at noon")

    publishing.publish(story=draft, by=None, at=timezone.now() + timedelta(hours=2))

    # Served from the cache; the first request reads when the next scheduled change is due.
    assert all(served(url)["X-Page-Cache"] == "hit" for url in pages)
    assert "Budget speech at noon" not in served("/").content.decode()


def test_publishing_story_b_leaves_other_stories_pages_alone(site):
    stories = site["stories"]
    warm(*(story.get_absolute_url() for story in stories.values()))
    new = draft_in(site, "Water restrictions from Monday", section=site["sport"], tags=["water"])

    publishing.publish(story=new, by=None)

    assert "Water restrictions from Monday" in served("/").content.decode()
    # Each story offers the related stories chosen when it was published; the new one offers the dam story.
    assert all(from_cache(story.get_absolute_url()) for story in stories.values())
    assert "Dam levels drop" in served(new.get_absolute_url()).content.decode()


def test_a_story_showing_b_among_its_related_stories_is_retired_when_b_changes(site):
    bus, dam = site["stories"]["bus"], site["stories"]["dam"]
    bus.related.add(dam)
    publishing.choose_related(story=bus)  # as the story form does when an editor picks one
    warm(bus.get_absolute_url(), site["stories"]["derby"].get_absolute_url())
    assert "Dam levels drop" in served(bus.get_absolute_url()).content.decode()

    dam.headline = "Dam levels drop to a record low"
    publishing.save_story(story=dam, by=None, changed_fields=["headline"])

    assert "Dam levels drop to a record low" in served(bus.get_absolute_url()).content.decode()
    assert from_cache(site["stories"]["derby"].get_absolute_url())


def test_correcting_a_story_retires_its_page_and_the_lists_showing_it(site):
    dam = site["stories"]["dam"]
    pages = [dam.get_absolute_url(), site["news"].get_absolute_url(), "/"]
    warm(*pages, site["stories"]["derby"].get_absolute_url())

    publishing.add_correction(story=dam, by=None, text="The dam is at 21%, not 12%.")

    assert "The dam is at 21%, not 12%." in served(dam.get_absolute_url()).content.decode()
    assert not from_cache(site["news"].get_absolute_url())
    assert not from_cache("/")
    assert from_cache(site["stories"]["derby"].get_absolute_url())


def test_retracting_a_story_takes_it_off_its_section_home_and_feeds_at_once(site):
    dam = site["stories"]["dam"]
    pages = ["/", site["news"].get_absolute_url(), "/feed/", "/tag/water/"]
    warm(*pages, site["sport"].get_absolute_url())

    publishing.retract(story=dam, by=None)

    assert Client().get(dam.get_absolute_url()).status_code == 404
    for url in pages[:3]:
        assert "Dam levels drop" not in served(url).content.decode(), url
    assert from_cache(site["sport"].get_absolute_url())


def test_an_archive_story_not_on_home_retracted_leaves_home_alone(site):
    old = make_story("A story from last year", section=site["sport"], published_at=timezone.now() - timedelta(days=400))
    for n in range(12):
        make_story(f"Newer story {n}", section=site["sport"])
    warm("/")
    assert "A story from last year" not in served("/").content.decode()

    publishing.retract(story=old, by=None)

    assert from_cache("/")


def test_changing_the_social_links_retires_every_page(site):
    pages = ["/", site["stories"]["bus"].get_absolute_url(), site["sport"].get_absolute_url()]
    warm(*pages)

    make_social_link("tiktok", "https://www.tiktok.com/@newsroom")

    for url in pages:
        assert "TikTok" in served(url).content.decode(), url


def test_renaming_an_author_retires_the_pages_with_their_byline_only(site):
    bus = site["stories"]["bus"]
    warm(bus.get_absolute_url(), site["stories"]["derby"].get_absolute_url())

    site["author"].name = "Thandi Mokoena-Dlamini"
    site["author"].save()

    assert "Thandi Mokoena-Dlamini" in served(bus.get_absolute_url()).content.decode()
    assert from_cache(site["stories"]["derby"].get_absolute_url())


def test_a_new_quote_from_a_public_figure_shows_on_their_page(site):
    person = make_person("Lindiwe Dube", has_profile=True)
    make_quote(site["stories"]["bus"], person, "We are planning the routes.")
    warm(person.get_absolute_url())

    make_quote(site["stories"]["derby"], person, "It was a fair result.")

    assert "It was a fair result." in served(person.get_absolute_url()).content.decode()


def test_a_scheduled_story_retires_only_the_pages_that_list_it_when_its_time_comes(site):
    now = timezone.now()
    scheduled = draft_in(site, "Budget speech at noon")
    publishing.publish(story=scheduled, by=None, at=now + timedelta(minutes=5))
    sport_story = site["stories"]["derby"].get_absolute_url()
    with time_machine.travel(now, tick=False):
        warm("/", site["news"].get_absolute_url(), sport_story)
    with time_machine.travel(now + timedelta(minutes=5, seconds=1), tick=False):
        assert "Budget speech at noon" in served("/").content.decode()
        assert "Budget speech at noon" in served(site["news"].get_absolute_url()).content.decode()
        assert from_cache(sport_story)


def test_a_most_read_change_updates_the_list_without_retiring_the_pages(site):
    bus = site["stories"]["bus"]
    warm(bus.get_absolute_url())
    before = served(bus.get_absolute_url())

    cachetags.retire("most-read")
    after = served(bus.get_absolute_url())

    assert after["X-Page-Cache"] == "hit"
    assert after["ETag"] == before["ETag"]  # nothing in the list changed: the same page


def test_public_responses_name_what_they_show_for_cdns(site, settings):
    bus = site["stories"]["bus"]
    settings.NEWSROOM_CACHE_TAG_HEADER = True

    response = Client().get(bus.get_absolute_url())

    keys = response["Surrogate-Key"].split()
    assert {f"story-{bus.pk}", f"author-{site['author'].pk}", "site"} <= set(keys)
    assert response["Cache-Tag"].split(",") == keys
    assert f"story-{site['stories']['derby'].pk}" not in keys


def test_a_public_change_sends_the_same_tags_to_the_cdn(site, monkeypatch, django_capture_on_commit_callbacks):
    purged = []
    monkeypatch.setattr("newsroom.purge.purge", lambda tags: purged.append(set(tags)))
    dam = site["stories"]["dam"]
    page_keys = set(Client().get(dam.get_absolute_url())["Surrogate-Key"].split())

    with django_capture_on_commit_callbacks(execute=True):
        publishing.add_correction(story=dam, by=None, text="The dam is at 21%, not 12%.")

    assert f"story-{dam.pk}" in set().union(*purged)
    assert page_keys & set().union(*purged)


def test_every_model_of_a_content_app_declares_what_its_changes_retire():
    undeclared = [
        model._meta.label
        for app in ("articles", "media", "taggit", "interchange", "audit", "newsletters")
        for model in apps.get_app_config(app).get_models()
        if cachetags.rule_for(model) is None
    ]
    assert undeclared == []


def test_renaming_the_publication_retires_every_page(site):
    warm("/", site["stories"]["bus"].get_absolute_url())
    publication = Publication.load()
    publication.name = "The Daily Reef"
    publication.save()

    assert "The Daily Reef" in served(site["stories"]["bus"].get_absolute_url()).content.decode()
