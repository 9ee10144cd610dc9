"""Editors' curation as readers see it: the breaking-news banner, home page picks and related stories."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.models import Story
from tests.factories import log_in, make_section, make_story, ready_story
from tests.html_forms import form_data
from tests.test_query_counts import HOME_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def banner(client, url="/"):
    page = soup(client.get(url))
    return [(a.get_text(), a["href"]) for a in page.select(".breaking a")]


def test_breaking_banner_shows_on_every_reader_page_until_it_expires(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    section = make_section("News")
    story = make_story("Flooding closes the N1", section=section, breaking_until=now + timedelta(hours=2))
    other = make_story("Council meets", section=section)

    for url in ["/", section.get_absolute_url(), other.get_absolute_url(), "/search/?q=council", "/tag/nothing/"]:
        assert banner(client, url) == [("Flooding closes the N1", story.get_absolute_url())], url

    time_machine.move_to(now + timedelta(hours=2, seconds=1), tick=False)
    assert banner(client) == []


@pytest.mark.parametrize(
    "status, published_in",
    [
        (Story.Status.DRAFT, None),
        (Story.Status.SUBMITTED, None),
        (Story.Status.PUBLISHED, timedelta(hours=1)),
        (Story.Status.RETRACTED, timedelta(hours=-1)),
    ],
)
def test_breaking_banner_never_shows_a_story_readers_cannot_see(client, status, published_in):
    now = timezone.now()
    make_story(
        "Not public",
        status=status,
        published_at=now + published_in if published_in else None,
        breaking_until=now + timedelta(hours=3),
    )

    assert banner(client) == []


def test_scheduled_breaking_story_raises_the_banner_when_it_publishes(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    make_story("Polls close", published_at=now + timedelta(minutes=10), breaking_until=now + timedelta(hours=1))
    assert banner(client) == []

    time_machine.move_to(now + timedelta(minutes=11), tick=False)
    assert [text for text, _href in banner(client)] == ["Polls close"]


def test_breaking_banner_costs_no_query_on_a_warm_page(client):
    make_story("Flooding closes the N1", breaking_until=timezone.now() + timedelta(hours=2))
    make_story("Council meets", home_position=1)
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        page = soup(client.get("/"))

    assert page.select(".breaking a")
    assert len(queries) <= HOME_PAGE_QUERIES


def test_home_page_lead_and_top_stories_follow_the_editors_order(client):
    now = timezone.now()
    make_story("Third pick", home_position=3, published_at=now - timedelta(hours=1))
    make_story("Lead pick", home_position=1, published_at=now - timedelta(hours=5))
    make_story("Second pick", home_position=2, published_at=now - timedelta(hours=3))
    make_story("Not picked, newest", published_at=now - timedelta(minutes=5))

    page = soup(client.get("/"))

    assert page.select_one(".teaser--lead h2").get_text(strip=True) == "Lead pick"
    top = [h.get_text(strip=True) for h in page.select(".front-lead .teaser-grid h3")]
    assert top == ["Second pick", "Third pick"]


def related(client, story):
    page = soup(client.get(story.get_absolute_url()))
    return [h.get_text(strip=True) for h in page.select(".related h3")]


def published(story, **fields):
    """``story``, a ready draft, published the way an editor does it."""
    return publishing.publish(story=story, by=None, **fields)


def test_related_stories_are_hand_picked_first_then_by_shared_tags_then_from_the_section(client):
    now = timezone.now()
    news, sport = make_section("News"), make_section("Sport")
    story = ready_story("Dam levels drop", section=news, tags=["Water", "Drought", "Gauteng"])
    picked = make_story("Picked by the editor", section=sport, published_at=now - timedelta(days=30))
    story.related.add(picked)
    make_story("Shares one tag, newer", section=sport, tags=["Gauteng"], published_at=now - timedelta(minutes=10))
    make_story("Shares two tags", section=sport, tags=["Water", "Drought"], published_at=now - timedelta(days=3))
    make_story("Same section, newest", section=news, published_at=now - timedelta(minutes=5))
    make_story("Same section, older", section=news, published_at=now - timedelta(days=9))
    make_story("Unrelated", section=sport, published_at=now - timedelta(minutes=1))
    make_story("A draft sharing tags", status=Story.Status.DRAFT, tags=["Water", "Drought", "Gauteng"])

    published(story)

    assert related(client, story) == [
        "Picked by the editor",
        "Shares two tags",
        "Shares one tag, newer",
        "Same section, newest",
    ]


def test_a_story_without_tags_or_picks_gets_the_latest_from_its_section(client):
    now = timezone.now()
    section = make_section("News")
    story = ready_story("Dam levels drop", section=section)
    for n in range(6):
        make_story(f"Section story {n}", section=section, published_at=now - timedelta(hours=n + 2))

    published(story)

    assert related(client, story) == [f"Section story {n}" for n in range(4)]


def test_related_stories_are_chosen_when_the_story_is_published_not_per_reader(client):
    section = make_section("News")
    story = ready_story("Dam levels drop", section=section, tags=["Water"])
    make_story("Older section story", section=section, published_at=timezone.now() - timedelta(days=2))
    published(story)
    assert related(client, story) == ["Older section story"]

    make_story("Water restrictions announced", tags=["Water"], published_at=timezone.now() - timedelta(minutes=1))
    assert related(client, story) == ["Older section story"]

    publishing.choose_related(story=story)  # what the story form does when an editor changes its tags
    assert related(client, story) == ["Water restrictions announced", "Older section story"]


def test_a_scheduled_story_offers_the_stories_chosen_when_it_was_scheduled(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    story = ready_story("Polls close", tags=["Election"])
    make_story("Parties make their final pitch", tags=["Election"])
    published(story, at=now + timedelta(hours=1))

    time_machine.move_to(now + timedelta(hours=2), tick=False)

    assert related(client, story) == ["Parties make their final pitch"]


def test_a_related_story_that_is_retracted_leaves_the_list_at_once(client):
    story = ready_story("Dam levels drop", tags=["Water"])
    other = make_story("Water restrictions announced", tags=["Water"])
    published(story)
    assert related(client, story) == ["Water restrictions announced"]

    publishing.retract(story=other, by=None)

    assert related(client, story) == []


def test_the_next_best_story_takes_the_place_of_a_retracted_one(client):
    now = timezone.now()
    story = ready_story("Dam levels drop", tags=["Water"])
    others = [
        make_story(f"Water story {n}", tags=["Water"], published_at=now - timedelta(hours=n + 1)) for n in range(5)
    ]
    published(story)
    assert related(client, story) == [f"Water story {n}" for n in range(4)]

    publishing.retract(story=others[1], by=None)

    assert related(client, story) == ["Water story 0", "Water story 2", "Water story 3", "Water story 4"]


def test_an_editor_changing_a_live_storys_tags_changes_its_related_stories(client, editor):
    story = published(ready_story("Dam levels drop", tags=["Water"]))
    make_story("Drought declared", tags=["Drought"])
    assert related(client, story) == []
    log_in(client, editor)
    form = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")

    response = client.post(f"/admin/articles/story/{story.pk}/change/", {**form, "tags": "Water, Drought"})

    assert response.status_code == 302
    client.logout()
    assert related(client, story) == ["Drought declared"]
