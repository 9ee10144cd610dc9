"""The public site as a reader sees it."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils import timezone

from articles.models import Story
from interchange.importing import import_file
from tests.factories import (
    make_author,
    make_author_link,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_social_link,
    make_source,
    make_story,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_story_page_shows_headline_byline_quotes_source_and_tags(client):
    news = make_section("News", more_label="For more News in Johannesburg, visit", more_url="https://example.org")
    author = make_author("Thandi Mokoena", role="Politics reporter")
    story = make_story(
        "Council approves new bus routes",
        section=news,
        authors=[author],
        tags=["Transport", "Johannesburg"],
        source=make_source("The Citizen"),
        original_url="https://www.citizen.co.za/original",
        hero_image=make_image(),
    )
    person = make_person("Lindiwe Dube", description="Transport MMC")
    make_quote(story, person, "The routes start in March.", context="speaking at the council meeting")

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Council approves new bus routes"
    assert page.select_one(".byline a[rel=author]")["href"] == author.get_absolute_url()
    who = page.select_one(".story__quotes .quoted-person")
    assert " ".join(who.get_text().split()).startswith("Lindiwe Dube, Transport MMC")
    assert who.a["href"] == person.get_absolute_url()
    # Words the body does not carry are shown beside it, once.
    assert "The routes start in March." in who.select_one(".pull-quote blockquote").get_text()
    assert who.select_one(".pull-quote figcaption").get_text() == "speaking at the council meeting"
    assert page.select_one(".source").get_text(" ", strip=True) == "Source: The Citizen"
    assert page.select_one(".source a")["href"] == "https://www.citizen.co.za/original"
    assert {a.get_text() for a in page.select(".tags a")} == {"Transport", "Johannesburg"}
    assert "For more News in Johannesburg, visit" in page.select_one(".more-from").get_text()
    hero = page.select_one(".story__hero img")
    assert hero["alt"] == "A street market at dusk" and hero["width"] == "64" and hero["height"] == "48"


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Story.Status.DRAFT, None),
        (Story.Status.SUBMITTED, None),
        (Story.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
        (Story.Status.RETRACTED, timezone.now() - timedelta(days=1)),
    ],
)
def test_unpublished_stories_are_404_everywhere_public(client, status, published_at):
    section = make_section("News")
    author = make_author()
    person = make_person()
    hidden = make_story(
        "Hidden story", status=status, published_at=published_at, section=section, authors=[author], tags=["secret-tag"]
    )
    make_quote(hidden, person)
    visible = make_story("Visible story", section=section, authors=[author], tags=["secret-tag"])
    make_quote(visible, person, "We said it in public too.")

    missing = client.get("/story/no-such-story/")
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert response.content == missing.content
    for url in [
        "/",
        section.get_absolute_url(),
        "/tag/secret-tag/",
        author.get_absolute_url(),
        person.get_absolute_url(),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Hidden story" not in page.content.decode(), url


def test_home_page_shows_lead_latest_and_section_blocks(client):
    news, sport = make_section("News"), make_section("Sport")
    lead = make_story("Editors chose this lead", section=news, home_position=1)
    make_story("A newer sport story", section=sport, published_at=timezone.now() - timedelta(minutes=5))

    page = soup(client.get("/"))

    assert page.select_one(".teaser--lead h2").get_text(strip=True) == lead.headline
    headings = [h.get_text(strip=True) for h in page.select("h2.block-heading")]
    assert headings == ["Latest", "News", "Sport"]


def test_section_front_paginates(client):
    section = make_section("Business")
    for n in range(23):
        make_story(f"Business story {n}", section=section, published_at=timezone.now() - timedelta(hours=n + 1))

    first = soup(client.get(section.get_absolute_url()))
    second = soup(client.get(section.get_absolute_url() + "?page=2"))

    assert len(first.select(".teaser")) == 20
    assert first.select_one(".teaser h3").get_text(strip=True) == "Business story 0"
    assert len(second.select(".teaser")) == 3
    assert client.get(section.get_absolute_url() + "?page=9").status_code == 404


def test_person_page_lists_quotes_but_members_of_the_public_have_no_page(client):
    official = make_person("Sipho Nkosi", description="Finance MEC")
    resident = make_person("Anton", has_profile=False)
    story = make_story("Budget row")
    make_quote(story, official, "The budget is balanced.")
    make_quote(story, resident, "Prices keep rising.", introduction="a 32-year-old warehouse worker")

    page = soup(client.get(official.get_absolute_url()))
    assert page.h1.get_text() == "Sipho Nkosi"
    assert "The budget is balanced." in page.select_one(".quoted-in").get_text()
    assert "Prices keep rising." not in page.get_text()
    assert client.get(f"/people/{resident.slug}/").status_code == 404

    story_page = soup(client.get(story.get_absolute_url()))
    people = [" ".join(li.get_text().split()) for li in story_page.select(".quoted-person")]
    assert "Anton, a 32-year-old warehouse worker Prices keep rising." in people  # words not in the body


def test_social_links_render_as_a_follow_line(client):
    make_social_link("facebook", "https://www.facebook.com/newsroom", position=1)
    make_social_link("x", "https://x.com/newsroom", position=2)
    make_social_link("tiktok", "https://www.tiktok.com/@newsroom", position=3)
    make_social_link("instagram", "https://www.instagram.com/newsroom", position=4)
    make_social_link("youtube", "https://www.youtube.com/@newsroom", position=5, is_active=False)

    line = soup(client.get("/")).select_one(".site-footer .follow-us")

    assert line.get_text(" ", strip=True).endswith("on Facebook , X , TikTok and Instagram")
    assert [a["href"] for a in line.select("a")][0] == "https://www.facebook.com/newsroom"


def test_story_page_shows_the_follow_line_once_even_for_imported_copy(client):
    make_social_link("facebook", "https://www.facebook.com/newsroom", position=1)
    make_social_link("x", "https://x.com/newsroom", position=2)
    item = {
        "uri": "urn:bay-wire:ferry",
        "type": "text",
        "headlines": [{"role": "main", "value": "Harbour Ferry Returns to Service"}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>The ferry sailed again on Monday after repairs.</p>"
                "<p><strong>Follow Bay Wire on Facebook, Instagram and TikTok</strong></p>\n"
                "<p>For more news from the bay, visit baywire.example</p>",
            }
        ],
    }
    (story,) = import_file(name="ferry.json", content=json.dumps(item).encode())
    story.status, story.published_at = Story.Status.PUBLISHED, timezone.now() - timedelta(minutes=5)
    story.save()

    page = soup(client.get(story.get_absolute_url()))

    lines = page.select(".follow-us")
    assert len(lines) == 1 and lines[0].find_parent(class_="site-footer") is not None
    assert lines[0].get_text(" ", strip=True).endswith("on Facebook and X")
    assert page.get_text().count("Follow") == 1
    assert "baywire.example" not in page.get_text()
    assert "sailed again on Monday" in page.select_one(".story__body").get_text()


def test_tag_and_author_pages_list_their_stories(client):
    author = make_author("Naledi Khumalo")
    make_story("Water outage in Soweto", authors=[author], tags=["Water"])
    make_story("Unrelated", tags=["Sport"])

    tag_page = soup(client.get("/tag/water/"))
    author_page = soup(client.get(author.get_absolute_url()))

    assert [h.get_text(strip=True) for h in tag_page.select(".teaser h3")] == ["Water outage in Soweto"]
    assert [h.get_text(strip=True) for h in author_page.select(".teaser h3")] == ["Water outage in Soweto"]
    assert client.get("/tag/nothing-here/").status_code == 404


def test_an_author_page_shows_their_own_links_in_their_order(client):
    author = make_author("Naledi Khumalo", role="Health reporter")
    make_story("Clinic queues shorten", authors=[author])
    make_author_link(author, "facebook", "https://www.facebook.com/naledi", position=2)
    make_author_link(author, "x", "https://x.com/naledi", position=1)
    make_author_link(make_author("Someone else"), "x", "https://x.com/someone")

    links = soup(client.get(author.get_absolute_url())).select(".profile__links a")

    assert [(a.get_text(strip=True), a["href"], a["rel"]) for a in links] == [
        ("X", "https://x.com/naledi", ["me", "noopener"]),
        ("Facebook", "https://www.facebook.com/naledi", ["me", "noopener"]),
    ]


def demo_pages() -> list[str]:
    """One of each public page of the demo publication, and a missing page."""
    story = Story.objects.published().filter(quotes__isnull=False, hero_image__isnull=False).first()
    commentary = Story.objects.published().get(kind=Story.Kind.COMMENTARY)
    syndicated = Story.objects.published().filter(source__isnull=False).first()
    person = story.quotes.filter(person__has_profile=True).first().person
    return [
        "/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        commentary.get_absolute_url(),
        syndicated.get_absolute_url(),
        person.get_absolute_url(),
        story.byline_authors[0].get_absolute_url(),
        f"/tag/{story.tags.first().slug}/",
        "/story/no-such-story/",
    ]


def test_every_demo_page_has_landmarks_one_h1_headings_in_order_and_alt_text(client, demo_site):
    for url in demo_pages():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        page = soup(response)
        assert page.html["lang"], url
        assert page.select_one("a.skip-link")["href"] == "#main" and page.select_one("main#main"), url
        assert page.select_one("body > header") and page.select_one("body > footer"), url
        assert page.select_one("nav[aria-label]"), url
        levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
        for img in page.find_all("img"):
            assert img.has_attr("alt") and img.get("width") and img.get("height"), (url, img)


def test_story_page_shows_times_in_the_newsroom_time_zone(client, settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    story = make_story("Times are local", published_at=datetime(2026, 3, 2, 8, 30, tzinfo=UTC))

    published = soup(client.get(story.get_absolute_url())).select_one(".story__header time")

    assert published.get_text() == "Monday 2 March 2026, 10:30"
    assert published["datetime"] == "2026-03-02T10:30:00+02:00"


def test_section_and_story_pages_mark_their_section_in_the_navigation(client):
    news = make_section("News")
    make_section("Sport")
    story = make_story("Buses run late", section=news)

    for url in [news.get_absolute_url(), story.get_absolute_url()]:
        current = soup(client.get(url)).select('.site-nav a[aria-current="page"]')
        assert [a.get_text() for a in current] == ["News"], url
    assert not soup(client.get("/")).select('.site-nav a[aria-current="page"]')


@pytest.mark.parametrize("path", ["/", "story", "/no-such-page/", "/admin/login/"])
def test_pages_name_the_sites_icon_so_browsers_do_not_ask_for_a_missing_favicon(client, path):
    if path == "story":
        path = make_story("Council meets").get_absolute_url()

    icons = soup(client.get(path)).select('head link[rel="icon"]')

    assert len(icons) == 1
    assert icons[0]["type"] == "image/svg+xml"
    name = icons[0]["href"].removeprefix(settings.STATIC_URL)
    assert finders.find(name) or staticfiles_storage.exists(name)


def test_a_quote_the_body_carries_is_shown_once_and_reported_speech_never_as_a_quotation(client):
    story = make_story(
        "Depot strike enters second week",
        body="<p>“Nobody at the depot has been paid since June,” said Sipho Ndlovu, a union organiser. "
        "“We will march on Monday.”</p><p>Peter Maseko warned that the strike would cost patients.</p>",
    )
    organiser, minister = make_person("Sipho Ndlovu"), make_person("Peter Maseko", description="Health Minister")
    make_quote(story, organiser, "Nobody at the depot has been paid since June. We will march on Monday.")
    make_quote(story, minister, "Peter Maseko warned that the strike would cost patients.", kind="reported")
    make_quote(story, minister, "Clinics stay open.", kind="reported")  # entered beside the body, not in it

    page = soup(client.get(story.get_absolute_url()))

    assert page.get_text().count("Nobody at the depot has been paid since June") == 1
    assert page.get_text().count("warned that the strike would cost patients") == 1
    people = page.select(".story__quotes .quoted-person")
    assert [li.a.get_text() for li in people] == ["Sipho Ndlovu", "Peter Maseko"]
    (extra,) = page.select(".story__quotes .pull-quote")
    assert extra.blockquote is None
    assert extra.get_text(" ", strip=True) == "Reported: Clinics stay open."
