"""Sitemaps and robots.txt, read with an XML parser against the sitemap and news namespaces."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Publication, Series, SeriesStory, Story
from tests.factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_address():
    publication = Publication.load()
    publication.name = "The Daily Example"
    publication.base_url = BASE
    publication.save()


def parse(client, url, root_name):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}{root_name}"
    return root


def urlset(client, url):
    """{location: lastmod} of a sitemap; every <url> has exactly the elements the protocol allows."""
    root = parse(client, url, "urlset")
    entries = {}
    for node in root:
        assert node.tag == f"{SM}url"
        assert {child.tag for child in node} <= {f"{SM}loc", f"{SM}lastmod", f"{NEWS}news"}
        entries[node.findtext(f"{SM}loc")] = node.findtext(f"{SM}lastmod")
    return entries


def hidden_stories(**fields):
    now = timezone.now()
    return [
        make_story("Draft story", status=Story.Status.DRAFT, **fields),
        make_story("Scheduled story", published_at=now + timedelta(hours=2), **fields),
        make_story("Retracted story", status=Story.Status.RETRACTED, published_at=now - timedelta(hours=3), **fields),
        make_story(
            "Embargoed story",
            status=Story.Status.PUBLISHED,
            published_at=now + timedelta(hours=6),
            embargo_until=now + timedelta(hours=6),
            **fields,
        ),
    ]


def test_index_points_at_every_sitemap_and_each_one_parses(client):
    story = make_story("Visible", section=make_section("News"), authors=[make_author()], tags=["Water"])
    SeriesStory.objects.create(series=Series.objects.create(name="Drought"), story=story)

    index = parse(client, "/sitemap.xml", "sitemapindex")

    locations = [node.findtext(f"{SM}loc") for node in index.findall(f"{SM}sitemap")]
    assert locations == [
        f"{BASE}/sitemap-stories.xml",
        f"{BASE}/sitemap-sections.xml",
        f"{BASE}/sitemap-tags.xml",
        f"{BASE}/sitemap-authors.xml",
        f"{BASE}/sitemap-series.xml",
        f"{BASE}/sitemap-news.xml",
    ]
    assert all(node.findtext(f"{SM}lastmod") for node in index.findall(f"{SM}sitemap"))
    for location in locations[:-1]:
        assert len(urlset(client, location.removeprefix(BASE))) == 1


def test_story_sitemap_lists_published_stories_dated_by_their_last_public_change(client):
    published_at = timezone.now() - timedelta(days=2)
    updated = make_story("Updated story", published_at=published_at, modified_at=published_at + timedelta(hours=5))
    plain = make_story("Plain story", published_at=published_at)
    hidden = hidden_stories()

    entries = urlset(client, "/sitemap-stories.xml")

    assert set(entries) == {f"{BASE}{updated.get_absolute_url()}", f"{BASE}{plain.get_absolute_url()}"}
    assert datetime.fromisoformat(entries[f"{BASE}{updated.get_absolute_url()}"]) == updated.modified_at
    assert datetime.fromisoformat(entries[f"{BASE}{plain.get_absolute_url()}"]) == published_at
    assert not any(story.slug in url for story in hidden for url in entries)


def test_sections_tags_and_authors_appear_once_they_have_a_published_story(client):
    live, empty = make_section("Sport"), make_section("Only drafts")
    writer, drafter = make_author("Naledi Khumalo"), make_author("Draft Writer")
    make_story("Derby tonight", section=live, authors=[writer], tags=["Football"])
    hidden_stories(section=empty, authors=[drafter], tags=["Secret"])

    assert set(urlset(client, "/sitemap-sections.xml")) == {f"{BASE}{live.get_absolute_url()}"}
    assert set(urlset(client, "/sitemap-tags.xml")) == {f"{BASE}/tag/football/"}
    assert set(urlset(client, "/sitemap-authors.xml")) == {f"{BASE}{writer.get_absolute_url()}"}


def test_news_sitemap_holds_the_last_48_hours_with_news_fields(client):
    now = timezone.now()
    fresh = make_story("Fresh & <new>", published_at=now - timedelta(hours=47))
    make_story("Too old", published_at=now - timedelta(hours=49))
    hidden_stories()

    root = parse(client, "/sitemap-news.xml", "urlset")

    (url,) = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"{BASE}{fresh.get_absolute_url()}"
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Daily Example"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh & <new>"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == fresh.published_at


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_staff_pages_and_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news.xml" in lines


def test_story_sitemap_pages_hold_the_oldest_stories_first_and_the_index_lists_each_page(client, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 2)
    now = timezone.now()
    stories = [make_story(f"Story {n}", published_at=now - timedelta(hours=10 - n)) for n in range(5)]
    make_story("Ünïcode héadline", published_at=now - timedelta(minutes=1))

    index = parse(client, "/sitemap.xml", "sitemapindex")
    pages = [urlset(client, f"/sitemap-stories.xml?p={n}") for n in (1, 2, 3)]

    listed = [node.findtext(f"{SM}loc") for node in index.findall(f"{SM}sitemap")]
    assert listed[:3] == [
        f"{BASE}/sitemap-stories.xml",
        f"{BASE}/sitemap-stories.xml?p=2",
        f"{BASE}/sitemap-stories.xml?p=3",
    ]
    assert [list(page) for page in pages[:2]] == [
        [f"{BASE}{story.get_absolute_url()}" for story in stories[:2]],
        [f"{BASE}{story.get_absolute_url()}" for story in stories[2:4]],
    ]
    assert f"{BASE}{Story.objects.get(headline='Ünïcode héadline').get_absolute_url()}" in pages[2]
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404
    assert client.get("/sitemap-stories.xml?p=x").status_code == 404


def test_a_list_of_topics_longer_than_a_page_is_paged_by_topics_not_by_their_stories(client, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps.TagSitemap, "limit", 2)
    make_story("Dam levels", tags=["Water", "Drought", "Farming"])
    make_story("Rain at last", tags=["Water", "Weather"])

    index = parse(client, "/sitemap.xml", "sitemapindex")

    listed = [node.findtext(f"{SM}loc") for node in index.findall(f"{SM}sitemap")]
    tag_pages = [url for url in listed if "sitemap-tags" in url]
    assert tag_pages == [f"{BASE}/sitemap-tags.xml", f"{BASE}/sitemap-tags.xml?p=2"]
    found = [set(urlset(client, url.removeprefix(BASE))) for url in tag_pages]
    assert sorted(url.rsplit("/", 2)[-2] for page in found for url in page) == [
        "drought",
        "farming",
        "water",
        "weather",
    ]
    assert client.get("/sitemap-tags.xml?p=3").status_code == 404
