"""Social cards, canonical links and share links on story pages, read from the parsed HTML."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from articles.models import Publication
from tests.factories import make_author, make_image, make_section, make_social_link, make_source, make_story

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def publication():
    publication = Publication.load()
    publication.name = "The Daily Example"
    publication.base_url = BASE
    publication.save()
    return publication


def head(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser").head


def meta(page, key):
    """Contents of the <meta property=key> or <meta name=key> tags, in order."""
    return [tag["content"] for tag in page.select(f'meta[property="{key}"], meta[name="{key}"]')]


def test_story_page_has_open_graph_and_twitter_card_tags(client):
    make_social_link("x", "https://x.com/dailyexample")
    author = make_author("Thandi Mokoena")
    story = make_story(
        "Council passes budget",
        standfirst="The vote was close.",
        section=make_section("Politics"),
        authors=[author],
        tags=["Budget"],
        hero_image=make_image(alt_text="Councillors vote"),
    )

    page = head(client, story.get_absolute_url())

    url = f"{BASE}{story.get_absolute_url()}"
    crop = story.hero_image.open_graph  # the images' sharing crop
    image_url = f"{BASE}{crop['url']}"
    assert meta(page, "description") == ["The vote was close."]
    assert page.select_one("link[rel=canonical]")["href"] == url
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:site_name") == ["The Daily Example"]
    assert meta(page, "og:title") == ["Council passes budget"]
    assert meta(page, "og:description") == ["The vote was close."]
    assert meta(page, "og:url") == [url]
    assert meta(page, "og:image") == [image_url]
    assert meta(page, "og:image:alt") == ["Councillors vote"]
    assert meta(page, "og:image:width") == [str(crop["width"])]
    assert meta(page, "og:image:height") == [str(crop["height"])]
    assert meta(page, "article:section") == ["Politics"]
    assert meta(page, "article:tag") == ["Budget"]
    assert meta(page, "article:author") == [f"{BASE}{author.get_absolute_url()}"]
    assert meta(page, "article:published_time")
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:title") == ["Council passes budget"]
    assert meta(page, "twitter:image") == [image_url]
    assert meta(page, "twitter:site") == ["@dailyexample"]


def test_a_story_without_a_picture_gets_a_small_card(client):
    story = make_story("Council passes budget")

    page = head(client, story.get_absolute_url())

    assert meta(page, "twitter:card") == ["summary"]
    assert meta(page, "og:image") == []


def test_tag_text_is_escaped_in_attributes(client):
    story = make_story('Say "hello" <b>now</b>', standfirst='A "quoted" & <i>marked</i> summary')

    page = head(client, story.get_absolute_url())

    assert meta(page, "og:title") == ['Say "hello" <b>now</b>']
    assert meta(page, "description") == ['A "quoted" & <i>marked</i> summary']
    assert not page.select("b, i")


@pytest.mark.parametrize("licence_asks, canonical", [(True, "original"), (False, "ours")])
def test_syndicated_copy_points_search_engines_at_the_original_only_when_the_source_asks(
    client, licence_asks, canonical
):
    source = make_source("The Citizen", canonical_to_original=licence_asks)
    story = make_story("Taxi fares rise", source=source, original_url="https://www.citizen.co.za/taxi-fares")

    page = head(client, story.get_absolute_url())

    ours = f"{BASE}{story.get_absolute_url()}"
    expected = "https://www.citizen.co.za/taxi-fares" if canonical == "original" else ours
    assert page.select_one("link[rel=canonical]")["href"] == expected
    assert meta(page, "og:url") == [expected]


def test_home_page_has_a_canonical_link_and_social_tags(client, publication):
    publication.description = "News from the Highveld."
    publication.save()

    page = head(client, "/")

    assert page.select_one("link[rel=canonical]")["href"] == f"{BASE}/"
    assert meta(page, "og:type") == ["website"]
    assert meta(page, "og:title") == ["The Daily Example"]
    assert meta(page, "og:description") == ["News from the Highveld."]


def test_share_links_open_each_network_with_the_story_and_need_no_third_party_script(client):
    story = make_story("Rates & taxes: what changes?")
    url = f"{BASE}{story.get_absolute_url()}"

    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    links = {a.get_text(" ", strip=True).split(" (")[0]: a for a in page.select(".share a")}

    def query(name):
        return parse_qs(urlsplit(links[name]["href"]).query)

    assert set(links) == {"WhatsApp", "Facebook", "X", "Email", "Copy link"}
    assert links["WhatsApp"]["href"].startswith("https://wa.me/?")
    assert query("WhatsApp")["text"] == [f"Rates & taxes: what changes? {url}"]
    assert links["Facebook"]["href"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query("Facebook")["u"] == [url]
    assert links["X"]["href"].startswith("https://x.com/intent/post?")
    assert query("X") == {"text": ["Rates & taxes: what changes?"], "url": [url]}
    assert links["Email"]["href"].startswith("mailto:?")
    assert query("Email") == {"subject": ["Rates & taxes: what changes?"], "body": [url]}
    assert links["Copy link"]["href"] == url and links["Copy link"].has_attr("data-copy-link")
    assert all(link.get("rel") == ["noopener"] for name, link in links.items() if name in {"WhatsApp", "Facebook", "X"})
    scripts = [s["src"] for s in page.select("script[src]")]
    assert scripts and all(src.startswith("/static/") for src in scripts)
