"""Queries per public page: a fixed number however much content a page shows.

Counts are for a warm site chrome (publication, sections, social links come from the cache), the
steady state of a live site, and, where the test says so, for a site whose caches are all empty (the
first reader after a restart, or a deployment without a cache). Each test grows the content a page
shows and checks the count holds.
"""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from articles import publishing, rendering
from articles.models import Series, SeriesStory, Story
from newsroom.cachetags import tag_for
from tests.factories import (
    make_author,
    make_author_link,
    make_correction,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_social_link,
    make_story,
)

pytestmark = pytest.mark.django_db

# Pinned: a change here is a deliberate decision, not drift.
# Story page for a reader: its summary (headline, standfirst, section, related stories chosen); the rest
# of the page is pieces shared by every reader, cached until what they show changes (pagecache.shared_fragment).
STORY_PAGE_QUERIES = 1
# Story page for anyone the shared pieces are not for (staff, a reader with a cookie): the summary with
# the story's markup kept on its row (articles.rendering), and the teasers of the related stories chosen
# when it was published, also kept on their rows.
STORY_PAGE_RENDER_QUERIES = 2
# The first reader after a change that emptied the markup of the story and its related stories: the
# two above, the story with its bylines, tags, quotes and corrections and one update keeping its markup,
# the related stories' teasers and one update keeping them. However many related stories.
STORY_PAGE_FIRST_RENDER_QUERIES = 6
# Story page with every cache empty: the publication's row (the site chrome, the most-read list and the
# next scheduled change, kept on it by articles.chrome) and the two above. The budget for it is 8.
STORY_PAGE_COLD_QUERIES = 3
COLD_PAGE_BUDGET = 8
HOME_PAGE_QUERIES = 3  # picked, latest, one query for all section blocks (bylines are read with each story)
# Story lists count nothing: the page of stories is read with one more row, to know if an older page follows.
SECTION_PAGE_QUERIES = 2  # section, page of stories (cards kept on them)
TAG_PAGE_QUERIES = 2  # tag, page of stories
AUTHOR_PAGE_QUERIES = 2  # author with their links, page of stories
PERSON_PAGE_QUERIES = 3  # person, stories quoting them with their bylines, quotes
SERIES_PAGE_QUERIES = 2  # series with its picture, page of stories
# A story in a series, for anyone the shared pieces are not for: the two above, its series' stories in
# order, and their teasers kept on their rows. However many stories the series holds.
STORY_IN_SERIES_RENDER_QUERIES = STORY_PAGE_RENDER_QUERIES + 2
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def queries_for(client, url: str) -> int:
    """Queries made by a request for ``url`` once the site chrome is cached (a first request warms it)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def render_queries_for(client, url: str) -> int:
    """Queries made for ``url`` when the page cannot use the shared pieces (a request with a cookie)."""
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return queries_for(client, url)


def first_render_queries_for(client, story, *, related: bool = True) -> int:
    """Queries for the first reader (with a cookie) after a change emptied the kept markup of ``story``
    (and of its related stories unless ``related`` is false)."""
    story.refresh_from_db()
    rendering.forget({tag_for(story), *(f"story-{pk}" for pk in story.related_ids if related)})
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def cold(client, url: str):
    """The response for ``url`` with no cache at all (nothing is kept between or within requests), and its queries."""
    with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def rich_story(section, headline: str, *, related=()):
    """A story showing a lot of everything: several authors, tags, quotes, corrections, related stories."""
    story = make_story(
        headline,
        section=section,
        authors=[make_author() for _ in range(4)],
        tags=[f"topic {n}" for n in range(8)],
        hero_image=make_image(),
    )
    for _ in range(6):
        make_quote(story, make_person(photo=make_image()))
    make_correction(story)
    make_correction(story, "A figure was wrong.", kind="clarification")
    story.related.add(*related)
    publishing.choose_related(story=story)  # as the story form does when an editor picks them
    return story


def test_story_page_query_count_does_not_grow_with_quotes_tags_authors_or_related(client):
    section = make_section("News")
    make_social_link()
    make_story("A section neighbour", section=section)
    small = make_story("Small story", section=section, authors=[make_author()], tags=["a"])
    make_quote(small, make_person())
    publishing.choose_related(story=small)
    elsewhere = [make_story(f"Elsewhere {n}", authors=[make_author()]) for n in range(3)]
    big = rich_story(section, "Big story", related=elsewhere)

    assert queries_for(client, small.get_absolute_url()) == STORY_PAGE_QUERIES
    assert queries_for(client, big.get_absolute_url()) == STORY_PAGE_QUERIES
    assert render_queries_for(client, small.get_absolute_url()) == STORY_PAGE_RENDER_QUERIES
    assert render_queries_for(client, big.get_absolute_url()) == STORY_PAGE_RENDER_QUERIES
    assert first_render_queries_for(client, small) == STORY_PAGE_FIRST_RENDER_QUERIES
    assert first_render_queries_for(client, big) == STORY_PAGE_FIRST_RENDER_QUERIES


def test_a_cold_story_page_stays_within_its_query_budget_and_shows_everything(client):
    section = make_section("News")
    make_social_link()
    elsewhere = [make_story(f"Elsewhere {n}", authors=[make_author()], hero_image=make_image()) for n in range(3)]
    make_story("A section neighbour", section=section)
    small = make_story("Small story", section=section, authors=[make_author()], tags=["a"])
    publishing.choose_related(story=small)
    big = rich_story(section, "Big story", related=elsewhere)

    for story in (small, big):
        client.get(story.get_absolute_url())  # the first reader after publishing renders the markup kept
        response, queries = cold(client, story.get_absolute_url())
        assert queries == STORY_PAGE_COLD_QUERIES <= COLD_PAGE_BUDGET

    page = BeautifulSoup(response.content, "html.parser")
    related = [h.get_text(strip=True) for h in page.select(".related h3")]
    assert related == ["Elsewhere 2", "Elsewhere 1", "Elsewhere 0", "Small story"]  # picked, then newest in section
    assert len(page.select(".byline a[rel=author]")) == 4
    assert len(page.select(".tags li")) == 8
    assert len(page.select(".pull-quote")) == 6
    assert len(page.select(".corrections li")) == 2


@pytest.mark.parametrize("page", ["section", "tag", "author", "search", "feed", "home"])
def test_every_cold_reader_page_stays_within_the_query_budget(client, page):
    section, author, image = make_section("News"), make_author("Naledi Khumalo"), make_image()
    make_social_link()
    for n in range(25):
        authors = [author, make_author(), make_author()]
        make_story(f"Water story {n}", section=section, authors=authors, tags=["water", "dams"], hero_image=image)
    url = {
        "section": section.get_absolute_url(),
        "tag": "/tag/water/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=water",
        "feed": "/feed/",
        "home": "/",
    }[page]

    _first, first_queries = cold(client, url)  # the first reader renders the markup kept on the stories
    _response, queries = cold(client, url)

    assert queries <= COLD_PAGE_BUDGET
    # The first reader also works out what is kept: the stories' markup (one query reading the stories to
    # render, one update keeping it) and the site chrome (one query, one update).
    assert first_queries <= queries + 4


def test_home_page_query_count_does_not_grow_with_content(client):
    sections = [make_section(f"S{n}") for n in range(3)]
    make_story("First", section=sections[0], authors=[make_author()])
    make_story("Second", section=sections[1], authors=[make_author()], home_position=1)
    assert queries_for(client, "/") == HOME_PAGE_QUERIES

    for n in range(12):
        make_story(
            f"More {n}",
            section=sections[n % 3],
            authors=[make_author(), make_author()],
            hero_image=make_image(),
            tags=["x", "y"],
            home_position=n + 2 if n < 3 else None,
        )
    sections.append(make_section("A fourth section"))
    make_story("In the new section", section=sections[-1])
    assert queries_for(client, "/") == HOME_PAGE_QUERIES


def test_section_page_query_count_does_not_grow_with_stories_or_their_bylines(client):
    section = make_section("Business")
    make_story("Lonely", section=section, authors=[make_author()])
    assert queries_for(client, section.get_absolute_url()) == SECTION_PAGE_QUERIES

    for n in range(25):
        rich_story(section, f"Business story {n}")
    assert queries_for(client, section.get_absolute_url()) == SECTION_PAGE_QUERIES
    assert queries_for(client, section.get_absolute_url() + "?page=2") == SECTION_PAGE_QUERIES


def test_tag_page_query_count_does_not_grow_with_stories(client):
    make_story("Tagged once", tags=["water"], authors=[make_author()])
    assert queries_for(client, "/tag/water/") == TAG_PAGE_QUERIES

    section = make_section("News")
    for n in range(22):
        rich_story(section, f"Water story {n}").tags.add("water")
    assert queries_for(client, "/tag/water/") == TAG_PAGE_QUERIES


def test_author_page_query_count_does_not_grow_with_stories_or_links(client):
    author = make_author("Naledi Khumalo")
    make_story("Her first story", authors=[author])
    assert queries_for(client, author.get_absolute_url()) == AUTHOR_PAGE_QUERIES

    make_author_link(author)
    make_author_link(author, "facebook", "https://www.facebook.com/naledi")
    for n in range(22):
        make_story(f"Her story {n}", authors=[author, make_author()], hero_image=make_image(), tags=["t"])
    assert queries_for(client, author.get_absolute_url()) == AUTHOR_PAGE_QUERIES


def test_person_page_query_count_does_not_grow_with_quotes(client):
    person = make_person("Sipho Nkosi", description="Finance MEC", photo=make_image())
    make_quote(make_story("Budget row", authors=[make_author()]), person)
    assert queries_for(client, person.get_absolute_url()) == PERSON_PAGE_QUERIES

    for n in range(10):
        story = make_story(f"Budget follow-up {n}", authors=[make_author(), make_author()], hero_image=make_image())
        make_quote(story, person, "We have the numbers.")
        make_quote(story, person, "And we will publish them.")
        make_quote(story, make_person())
    assert queries_for(client, person.get_absolute_url()) == PERSON_PAGE_QUERIES


def put_in_series(series, stories, start: int = 0) -> None:
    for position, story in enumerate(stories, start=start):
        SeriesStory.objects.create(series=series, story=story, position=position)


def test_series_page_query_count_does_not_grow_with_stories(client):
    series = Series.objects.create(name="Load shedding", picture=make_image())
    put_in_series(series, [make_story("The first", authors=[make_author()])])
    assert queries_for(client, series.get_absolute_url()) == SERIES_PAGE_QUERIES

    section = make_section("News")
    put_in_series(series, [rich_story(section, f"Power story {n}") for n in range(24)], start=1)
    put_in_series(series, [make_story("A draft", status=Story.Status.DRAFT)], start=30)
    assert queries_for(client, series.get_absolute_url()) == SERIES_PAGE_QUERIES
    assert queries_for(client, series.get_absolute_url() + "?page=2") == SERIES_PAGE_QUERIES


def test_story_page_in_a_series_query_count_does_not_grow_with_the_series(client):
    section = make_section("News")
    series = Series.objects.create(name="Load shedding")
    make_story("A section neighbour", section=section)
    first = make_story("The first", section=section, authors=[make_author()])
    publishing.choose_related(story=first)
    put_in_series(series, [first, make_story("The second")])

    assert queries_for(client, first.get_absolute_url()) == STORY_PAGE_QUERIES
    assert render_queries_for(client, first.get_absolute_url()) == STORY_IN_SERIES_RENDER_QUERIES

    put_in_series(series, [rich_story(section, f"Power story {n}") for n in range(8)], start=2)
    assert queries_for(Client(), first.get_absolute_url()) == STORY_PAGE_QUERIES  # a reader with no cookie
    assert render_queries_for(client, first.get_absolute_url()) == STORY_IN_SERIES_RENDER_QUERIES
