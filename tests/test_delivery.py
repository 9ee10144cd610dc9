"""What browsers and crawlers are told about loading pages: canonical links, picture priority and sizes,
and the cache lifetime of uploaded files served by the application."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Publication
from tests.factories import make_author, make_image, make_person, make_quote, make_section, make_story

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def publication():
    publication = Publication.load()
    publication.base_url = BASE
    publication.save()
    return publication


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def canonical(client, url):
    links = page(client, url).head.select("link[rel=canonical]")
    assert len(links) == 1
    return links[0]["href"]


def test_section_tag_author_and_person_pages_name_their_canonical_address(client):
    news = make_section("News")
    author = make_author("Thandi Mokoena")
    person = make_person("Lindiwe Dube")
    story = make_story(section=news, authors=[author], tags=["Transport"])
    make_quote(story, person)

    assert canonical(client, news.get_absolute_url()) == f"{BASE}/section/news/"
    assert canonical(client, "/tag/transport/") == f"{BASE}/tag/transport/"
    assert canonical(client, author.get_absolute_url()) == f"{BASE}{author.get_absolute_url()}"
    assert canonical(client, person.get_absolute_url()) == f"{BASE}{person.get_absolute_url()}"


def test_later_pages_of_a_section_are_their_own_canonical_address(client):
    news = make_section("News")
    for _ in range(21):
        make_story(section=news)

    assert canonical(client, f"{news.get_absolute_url()}?page=2") == f"{BASE}/section/news/?page=2"
    assert canonical(client, f"{news.get_absolute_url()}?page=1&utm_source=x") == f"{BASE}/section/news/"


def test_the_home_page_lead_picture_is_fetched_first_and_sized_for_its_slot(client):
    make_story("The lead", hero_image=make_image(width=1400, height=900), home_position=1)
    make_story("Second", hero_image=make_image(width=1400, height=900), home_position=2)

    home = page(client, "/")
    lead = home.select_one(".teaser--lead img")
    top = home.select_one(".front-lead .teaser-grid img")

    assert lead["fetchpriority"] == "high"
    assert "loading" not in lead.attrs
    # Full width less the page margins on a phone, two thirds of the front on a desktop: never 100vw.
    assert (
        lead["sizes"]
        == "(min-width: 72rem) 45rem, (min-width: 60em) calc((100vw - 4.5rem) * 2 / 3), calc(100vw - 2rem)"
    )
    assert home.select_one(".teaser--lead source")["sizes"] == lead["sizes"]
    assert "fetchpriority" not in top.attrs
    assert top["sizes"].endswith(", 6.5rem")  # a thumbnail on a phone
    assert len(home.select("img[fetchpriority]")) == 1


def test_section_blocks_size_the_first_picture_full_width_and_the_rest_as_thumbnails_on_a_phone(client):
    news = make_section("News")
    make_story("Lead", hero_image=make_image(), home_position=1)
    for _ in range(2):
        make_story(section=news, hero_image=make_image())

    home = page(client, "/")
    first, second = home.select(f"section[aria-labelledby=section-{news.pk}] .teaser img")

    assert first["sizes"].endswith(", calc(100vw - 2rem)")
    assert second["sizes"].endswith(", 6.5rem")
    assert first["loading"] == second["loading"] == "lazy"


def test_the_story_picture_is_fetched_first(client):
    story = make_story(hero_image=make_image(width=1400, height=900))

    hero = page(client, story.get_absolute_url()).select_one(".story__hero img")

    assert hero["fetchpriority"] == "high"
    assert hero["sizes"] == "(min-width: 48em) 46rem, calc(100vw - 2rem)"


def test_uploaded_files_served_by_the_application_are_kept_by_browsers(client, settings):
    assert settings.SERVE_MEDIA
    image = make_image()

    response = client.get(image.file.url)
    missing = client.get("/media/images/nothing-here.jpg")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404
    assert "immutable" not in missing.get("Cache-Control", "")
