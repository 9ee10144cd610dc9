"""JSON-LD on story pages and the home page, read back with json.loads as a search engine would."""

import json
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Publication, Story
from tests.factories import (
    make_author,
    make_correction,
    make_image,
    make_section,
    make_social_link,
    make_source,
    make_story,
)

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"


@pytest.fixture
def publication():
    publication = Publication.load()
    publication.name = "The Daily Example"
    publication.base_url = BASE
    publication.logo = make_image(alt_text="The Daily Example logo", credit="In house")
    publication.save()
    return publication


def json_ld(client, url):
    """Every JSON-LD block of a page, parsed."""
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]


@pytest.mark.parametrize(
    "kind, schema_type",
    [
        (Story.Kind.NEWS, "NewsArticle"),
        (Story.Kind.COMMENTARY, "OpinionNewsArticle"),
        (Story.Kind.ANALYSIS, "AnalysisNewsArticle"),
        (Story.Kind.EXPLAINER, "BackgroundNewsArticle"),
        (Story.Kind.REVIEW, "ReviewNewsArticle"),
        (Story.Kind.FEATURE, "NewsArticle"),
        (Story.Kind.OBITUARY, "NewsArticle"),
    ],
)
def test_story_type_follows_its_kind(client, publication, kind, schema_type):
    story = make_story("A story", kind=kind)

    (data,) = json_ld(client, story.get_absolute_url())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type


def test_news_article_describes_the_story_its_authors_and_publisher(client, publication):
    authors = [make_author("Thandi Mokoena"), make_author("Sipho Dlamini"), make_author("Anele Zulu")]
    published_at = timezone.now() - timedelta(days=1)
    story = make_story(
        "Council passes budget",
        standfirst="The vote was close.",
        section=make_section("Politics"),
        authors=authors,
        tags=["Budget", "Johannesburg"],
        hero_image=make_image(),
        published_at=published_at,
        modified_at=published_at + timedelta(hours=3),
    )

    (data,) = json_ld(client, story.get_absolute_url())

    url = f"{BASE}{story.get_absolute_url()}"
    assert data["headline"] == "Council passes budget"
    assert data["description"] == "The vote was close."
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    # JSON carries times to the millisecond.
    assert abs(datetime.fromisoformat(data["datePublished"]) - published_at) < timedelta(milliseconds=1)
    assert abs(datetime.fromisoformat(data["dateModified"]) - story.modified_at) < timedelta(milliseconds=1)
    assert data["author"] == [
        {"@type": "Person", "name": a.name, "url": f"{BASE}{a.get_absolute_url()}"} for a in authors
    ]
    crop = story.hero_image.open_graph
    assert data["image"] == [
        {"@type": "ImageObject", "url": f"{BASE}{story.hero_image.file.url}", "width": 64, "height": 48},
        {"@type": "ImageObject", "url": f"{BASE}{crop['url']}", "width": crop["width"], "height": crop["height"]},
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "The Daily Example"
    assert data["publisher"]["logo"]["url"] == f"{BASE}{publication.logo.file.url}"
    assert data["articleSection"] == "Politics"
    assert sorted(data["keywords"]) == ["Budget", "Johannesburg"]
    assert "correction" not in data and "isBasedOn" not in data


def test_corrections_are_listed_as_correction_comments(client, publication):
    story = make_story("Council passes budget")
    make_correction(story, "An earlier version gave the wrong total.")
    make_correction(story, "The vote was on Tuesday.", kind="clarification")

    (data,) = json_ld(client, story.get_absolute_url())

    assert [(c["@type"], c["text"]) for c in data["correction"]] == [
        ("CorrectionComment", "An earlier version gave the wrong total."),
        ("CorrectionComment", "The vote was on Tuesday."),
    ]
    assert all(datetime.fromisoformat(c["datePublished"]) for c in data["correction"])


def test_syndicated_copy_is_based_on_the_original(client, publication):
    story = make_story(
        "Taxi fares rise", source=make_source("The Citizen"), original_url="https://www.citizen.co.za/taxi-fares"
    )

    (data,) = json_ld(client, story.get_absolute_url())

    assert data["isBasedOn"] == "https://www.citizen.co.za/taxi-fares"


def test_text_cannot_break_out_of_the_json_ld_script(client, publication):
    hostile = "</script><script>alert(1)</script><!--"
    story = make_story(hostile, standfirst=hostile, tags=[hostile[:50]])

    response = client.get(story.get_absolute_url())
    page = BeautifulSoup(response.content, "html.parser")

    assert b"</script><script>alert(1)" not in response.content
    assert [s.get("type") for s in page.select("script:not([src])")] == ["application/ld+json"]
    (data,) = json_ld(client, story.get_absolute_url())
    assert data["headline"] == hostile and data["description"] == hostile


def test_home_page_describes_the_organisation_and_its_social_accounts(client, publication):
    make_social_link("facebook", "https://www.facebook.com/dailyexample", position=1)
    make_social_link("x", "https://x.com/dailyexample", position=2)
    make_social_link("tiktok", "https://www.tiktok.com/@dailyexample", position=3, is_active=False)

    (data,) = json_ld(client, "/")

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsMediaOrganization"
    assert data["name"] == "The Daily Example" and data["url"] == f"{BASE}/"
    assert data["logo"]["url"] == f"{BASE}{publication.logo.file.url}"
    assert data["sameAs"] == ["https://www.facebook.com/dailyexample", "https://x.com/dailyexample"]
