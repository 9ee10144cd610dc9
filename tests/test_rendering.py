"""A story's markup, rendered once after each change and kept on its row (articles.rendering).

Every test reads pages as a reader with a cookie would (no shared pieces, no page cache), so what
the page shows comes from the kept markup or from a new rendering, never from a cache.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import chrome, publishing, rendering
from articles.models import Publication, Story
from tests.factories import (
    make_author,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_source,
    make_story,
)
from tests.test_query_counts import STORY_PAGE_RENDER_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32  # no shared pieces for this reader
    return client


def page(reader, story) -> BeautifulSoup:
    response = reader.get(story.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def kept(story) -> Story:
    return Story.objects.only(*rendering.PAGE_FIELDS, "rendered_teaser").get(pk=story.pk)


def test_the_first_reader_renders_the_markup_and_later_readers_read_it_with_the_summary(reader):
    section = make_section("News")
    make_story("Taps run dry", section=section)
    story = make_story("Dam levels drop", section=section, authors=[make_author("Naledi Khumalo")])
    publishing.choose_related(story=story)
    assert kept(story).rendered_article == ""

    first = page(reader, story)
    with CaptureQueriesContext(connection) as queries:
        again = page(reader, story)

    assert kept(story).rendered_article != ""
    assert "Naledi Khumalo" in kept(story).rendered_article
    assert len(queries) == STORY_PAGE_RENDER_QUERIES
    assert str(again.select_one("article.story")) == str(first.select_one("article.story"))
    assert again.select_one("h1").get_text(strip=True) == "Dam levels drop"


@pytest.mark.parametrize(
    "change, shown",
    [
        ("author", "Naledi Khumalo-Dlamini"),
        ("person", "Sipho Mokoena-Ndlovu"),
        ("tag", "Water supply"),
        ("section", "Metro news"),
        ("source", "The Daily Wire"),
        ("image", "Photo: Lerato Maseko"),
    ],
)
def test_a_change_to_what_a_story_shows_is_on_its_page_at_once(reader, change, shown):
    author, person, image = make_author("Naledi Khumalo"), make_person("Sipho Mokoena"), make_image(credit="Staff")
    story = make_story(
        "Dam levels drop",
        section=make_section("Metro"),
        authors=[author],
        tags=["water"],
        source=make_source("The Wire"),
        hero_image=image,
    )
    make_quote(story, person, "The taps will run again by Friday.")
    page(reader, story)  # the markup is kept

    if change == "author":
        author.name = shown
        author.save()
    elif change == "person":
        person.name = shown
        person.save()
    elif change == "tag":
        tag = story.tags.get()
        tag.name = shown
        tag.save()
    elif change == "section":
        story.section.name = shown
        story.section.save()
    elif change == "source":
        story.source.name = shown
        story.source.save()
    else:
        image.credit = shown
        image.save()

    assert shown in page(reader, story).select_one("article.story").get_text(" ", strip=True)


def test_the_publications_name_reaches_every_stored_head(reader):
    stories = [make_story(f"Story {n}") for n in range(3)]
    for story in stories:
        page(reader, story)
    publication = Publication.load()
    publication.name = "The Riverside Courier"
    publication.save()

    for story in stories:
        data = json.loads(page(reader, story).select_one('script[type="application/ld+json"]').string)
        assert data["publisher"]["name"] == "The Riverside Courier"


def test_a_related_storys_new_headline_is_in_the_teasers_of_the_stories_offering_it(reader):
    section = make_section("News")
    other = make_story("Taps run dry", section=section)
    story = make_story("Dam levels drop", section=section)
    publishing.choose_related(story=story)
    assert [h.get_text(strip=True) for h in page(reader, story).select(".related h3")] == ["Taps run dry"]

    other.headline = "Taps run dry in three suburbs"
    other.save()

    related = [h.get_text(strip=True) for h in page(reader, story).select(".related h3")]
    assert related == ["Taps run dry in three suburbs"]


def test_what_readers_cannot_see_leaves_the_kept_markup_alone(reader):
    story = make_story("Dam levels drop")
    page(reader, story)
    before = kept(story)
    draft = make_story("Council budget", status=Story.Status.DRAFT)
    draft.headline = "Council budget, second draft"
    draft.save()

    after = kept(story)
    assert (after.rendered_version, after.rendered_article) == (before.rendered_version, before.rendered_article)


def test_saving_an_older_copy_of_a_story_never_puts_back_the_markup_it_was_read_with(reader):
    story = make_story("Dam levels drop")
    page(reader, story)
    copy = Story.objects.get(pk=story.pk)  # holds the kept markup
    assert "Dam levels drop" in copy.rendered_article

    copy.headline = "Dam levels drop to a record low"
    copy.save()

    assert kept(story).rendered_article == ""  # emptied by the change, not restored from the copy
    assert page(reader, story).select_one("h1").get_text(strip=True) == "Dam levels drop to a record low"


def test_markup_rendered_from_rows_read_before_a_change_is_not_kept():
    story, other = make_story("Dam levels drop"), make_story("Taps run dry")
    read = {row.pk: row for row in Story.objects.filter(pk__in=[story.pk, other.pk])}
    stale = {
        row.pk: (read[row.pk].rendered_version, rendering.render_page(row, chrome.load()))
        for row in Story.objects.for_detail().filter(pk__in=read)
    }
    story.headline = "Dam levels drop to a record low"
    story.save()  # moves the version on while the render above was in flight

    rendering.keep("page", rendering.PAGE, stale)

    assert kept(story).rendered_article == ""
    assert "Taps run dry" in kept(other).rendered_article  # nothing changed that one: kept


def test_a_change_to_the_logo_picture_empties_every_stored_head(reader):
    logo = make_image(width=120, height=60)
    publication = Publication.load()
    publication.logo = logo
    publication.save()
    stories = [make_story(f"Story {n}") for n in range(2)]
    for story in stories:
        page(reader, story)
        assert kept(story).rendered_head != ""

    logo.title = "The masthead, 2027"
    logo.save()  # the logo is in every story's structured data

    assert [kept(story).rendered_head for story in stories] == ["", ""]
    data = json.loads(page(reader, stories[0]).select_one('script[type="application/ld+json"]').string)
    assert data["publisher"]["logo"]["url"].endswith(logo.file.url)


def test_home_page_teasers_are_kept_on_their_stories_and_follow_a_change(reader):
    section = make_section("Sport")
    picture = make_image()
    stories = [make_story(f"Match report {n}", section=section, hero_image=picture) for n in range(3)]
    reader.get("/")  # the first reader renders and keeps each story's teasers

    stored = Story.objects.only("rendered_teaser", "rendered_grid").get(pk=stories[-1].pk)
    assert "Match report 2" in stored.rendered_teaser and rendering.SIZES_SLOT in stored.rendered_grid
    stories[-1].headline = "Derby report"
    stories[-1].save()

    home = BeautifulSoup(reader.get("/").content, "html.parser")
    block = home.select_one(f"section[aria-labelledby=section-{section.pk}]")
    assert [h.get_text(strip=True) for h in block.select(".teaser__headline")] == [
        "Derby report",
        "Match report 1",
        "Match report 0",
    ]
    sizes = [img["sizes"] for img in block.select("img")]
    assert sizes[0].endswith("calc(100vw - 2rem)") and all(size.endswith("6.5rem") for size in sizes[1:])
    assert rendering.SIZES_SLOT not in str(home)
