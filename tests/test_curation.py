"""Editors' curation as readers see it: the breaking-news banner, home page picks and related stories."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Story
from tests.factories import make_section, make_story
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


def test_related_stories_are_hand_picked_first_then_by_shared_tags_then_from_the_section(client):
    now = timezone.now()
    news, sport = make_section("News"), make_section("Sport")
    story = make_story("Dam levels drop", section=news, tags=["Water", "Drought", "Gauteng"])
    picked = make_story("Picked by the editor", section=sport, published_at=now - timedelta(days=30))
    story.related.add(picked)
    make_story("Shares one tag, newer", section=sport, tags=["Gauteng"], published_at=now - timedelta(minutes=10))
    make_story("Shares two tags", section=sport, tags=["Water", "Drought"], published_at=now - timedelta(days=3))
    make_story("Same section, newest", section=news, published_at=now - timedelta(minutes=5))
    make_story("Same section, older", section=news, published_at=now - timedelta(days=9))
    make_story("Unrelated", section=sport, published_at=now - timedelta(minutes=1))
    make_story("A draft sharing tags", status=Story.Status.DRAFT, tags=["Water", "Drought", "Gauteng"])

    assert related(client, story) == [
        "Picked by the editor",
        "Shares two tags",
        "Shares one tag, newer",
        "Same section, newest",
    ]


def test_a_story_without_tags_or_picks_gets_the_latest_from_its_section(client):
    now = timezone.now()
    section = make_section("News")
    story = make_story("Dam levels drop", section=section)
    for n in range(6):
        make_story(f"Section story {n}", section=section, published_at=now - timedelta(hours=n + 2))

    assert related(client, story) == [f"Section story {n}" for n in range(4)]


def test_related_stories_take_in_a_story_published_after_the_page_was_first_shown(client):
    now = timezone.now()
    section = make_section("News")
    story = make_story("Dam levels drop", section=section, tags=["Water"])
    make_story("Older section story", section=section, published_at=now - timedelta(days=2))
    assert related(client, story) == ["Older section story"]

    make_story("Water restrictions announced", tags=["Water"], published_at=now - timedelta(minutes=1))

    assert related(client, story) == ["Water restrictions announced", "Older section story"]


def test_a_related_story_that_is_retracted_leaves_the_list_at_once(client):
    story = make_story("Dam levels drop", tags=["Water"])
    other = make_story("Water restrictions announced", tags=["Water"])
    assert related(client, story) == ["Water restrictions announced"]

    other.status = Story.Status.RETRACTED
    other.save()

    assert related(client, story) == []
