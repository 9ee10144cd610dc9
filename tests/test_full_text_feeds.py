"""Full-text feeds for aggregators: a section's whole stories, switched on by an editor, listed if wanted."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Publication, Section, Story
from embeds.models import Embed
from tests.factories import log_in, make_image, make_section, make_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

CLIP = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
# Pinned: the section, the publication (for the feed's "listed" choice comes with the chrome) and the
# newest entries kept on their stories.
FULL_FEED_QUERIES = 3


def feed_of(client, section: Section):
    response = client.get(f"/section/{section.slug}/feed/full/")
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


@pytest.fixture
def business():
    section = make_section("Business", full_text_feed=True)
    picture = make_image(alt_text="Traders at the market", credit="Lindi Mokoena", caption="Stalls at dawn.")
    Embed.objects.create(
        url=CLIP,
        provider="youtube",
        title="The budget in ten minutes",
        player_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        fetched_at=timezone.now(),
    )
    body = (
        f'<p>The budget was tabled on <a href="/section/{section.slug}/">Tuesday</a>.</p>'
        f'<figure class="figure"><img src="{picture.file.url}" alt="Market stalls" data-file="{picture.pk}">'
        "<figcaption>Stalls before the budget</figcaption></figure>"
        f'<figure class="embed"><a href="{CLIP}">{CLIP}</a><figcaption>The minister explains</figcaption></figure>'
    )
    story = make_story("Budget boosts small traders", section=section, body=body, hero_image=picture)
    make_story("A draft about tax", section=section, status=Story.Status.DRAFT)
    make_story("Elsewhere in the news", section=make_section("News"))
    return section, story, picture


def test_a_section_without_a_full_text_feed_has_none(client):
    section = make_section("Sport")
    assert client.get(f"/section/{section.slug}/feed/full/").status_code == 404
    assert client.get("/section/no-such-section/feed/full/").status_code == 404


def test_the_feed_holds_the_sections_published_stories_in_full(client, business):
    section, story, picture = business
    base = Publication.load().base_url

    _response, feed = feed_of(client, section)

    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Budget boosts small traders"]
    entry = feed.entries[0]
    assert entry.link == base + story.get_absolute_url()
    html = BeautifulSoup(entry.content[0].value, "html.parser")
    sources = [img["src"] for img in html.select("img")]
    assert sources == [base + picture.file.url, base + picture.file.url]  # the main picture, then the body's
    assert html.select("img")[1]["alt"] == "Market stalls"
    captions = [caption.get_text(" ", strip=True) for caption in html.select("figcaption")]
    assert captions == ["Stalls at dawn. Photo: Lindi Mokoena", "Stalls before the budget Photo: Lindi Mokoena"]
    assert html.select_one(f'a[href="{base}/section/{section.slug}/"]')  # links absolute too
    embed = html.find("a", href=CLIP)
    assert embed.get_text() == "The budget in ten minutes" and "(YouTube)" in embed.parent.get_text()
    assert "The minister explains" in html.get_text()
    assert not html.select("iframe, script, [srcset]")


def test_an_editor_switches_the_full_text_feed_on_in_the_admin(client, editor):
    section = make_section("Culture")
    make_story("Jazz festival returns", section=section)
    assert client.get(f"/section/{section.slug}/feed/full/").status_code == 404
    log_in(client, editor)
    form = client.get(f"/admin/articles/section/{section.pk}/change/")

    response = client.post(
        f"/admin/articles/section/{section.pk}/change/", form_data(form, "section_form") | {"full_text_feed": "on"}
    )

    assert response.status_code == 302
    client.logout()
    _response, feed = feed_of(client, section)
    assert [entry.title for entry in feed.entries] == ["Jazz festival returns"]


def test_the_section_page_lists_the_feed_unless_the_publication_keeps_it_off(client, business):
    section, _story, _picture = business
    selector = 'link[rel=alternate][href$="/feed/full/"]'

    soup = BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser")
    assert soup.select_one(selector)["title"].endswith("(full text)")
    assert "X-Robots-Tag" not in feed_of(client, section)[0]

    publication = Publication.load()
    publication.list_full_text_feeds = False
    publication.save()

    soup = BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser")
    assert soup.select_one(selector) is None
    assert soup.select('link[rel=alternate][href$="/feed/"]')  # the ordinary feeds are still listed
    response, feed = feed_of(client, section)  # the aggregator's copy still works
    assert response["X-Robots-Tag"] == "noindex" and len(feed.entries) == 1


def test_a_section_without_the_feed_lists_none(client):
    section = make_section("Sport")
    make_story("Derby tonight", section=section)
    soup = BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser")
    assert not soup.select('link[rel=alternate][href$="/feed/full/"]')


def test_the_entry_is_kept_and_a_change_retires_it(client, business, page_cache):
    section, story, picture = business
    feed_of(client, section)
    assert Story.objects.get(pk=story.pk).rendered_full

    picture.credit = "Sipho Dlamini"
    picture.save()
    assert "Photo: Sipho Dlamini" in feed_of(client, section)[1].entries[0].content[0].value

    story.refresh_from_db()
    story.body = story.body.replace("tabled", "presented")
    story.save()
    assert "was presented on" in feed_of(client, section)[1].entries[0].content[0].value


def test_an_embed_fetched_again_changes_the_entry(client, business, page_cache):
    section, _story, _picture = business
    feed_of(client, section)
    embed = Embed.objects.get(url=CLIP)
    embed.title = "The budget, explained"
    embed.save()
    assert "The budget, explained" in feed_of(client, section)[1].entries[0].content[0].value


def test_the_feed_reads_a_fixed_number_of_queries_however_many_stories_and_pictures(client, business):
    section, _story, _picture = business
    url = f"/section/{section.slug}/feed/full/"
    client.get(url)  # the site chrome and the entries are kept
    with CaptureQueriesContext(connection) as warm:
        client.get(url)

    for n in range(6):
        picture = make_image()
        body = f'<figure class="figure"><img src="{picture.file.url}" alt="x" data-file="{picture.pk}"></figure>'
        make_story(f"More business {n}", section=section, body=body, hero_image=picture)
    with CaptureQueriesContext(connection) as first:
        client.get(url)  # makes the new entries: stories, their pictures, their embeds, one update
    with CaptureQueriesContext(connection) as again:
        client.get(url)

    assert len(warm) == len(again) == FULL_FEED_QUERIES
    assert len(first) <= FULL_FEED_QUERIES + 4


def test_the_demo_offers_the_news_in_full_with_its_embeds_as_links(client, demo_site):
    _response, feed = feed_of(client, Section.objects.get(name="News"))

    storm = next(entry for entry in feed.entries if entry.title.startswith("Yellow warning for severe storms"))
    html = BeautifulSoup(storm.content[0].value, "html.parser")
    link = html.find("a", href="https://www.youtube.com/watch?v=hv4Wt0Gk1sE")
    assert link.get_text() == "Severe weather briefing: what Friday's storms could bring"
    assert html.select_one("img")["src"].startswith(Publication.load().base_url + "/")
    assert not html.select("iframe, script")
    # The demo's embeds came with it: four providers, nothing fetched, nothing failed.
    assert sorted(Embed.objects.values_list("provider", flat=True)) == ["googlemaps", "soundcloud", "x", "youtube"]
    assert not Embed.objects.exclude(error="").exists()


def test_switching_the_feed_or_its_listing_shows_at_once_on_cached_pages(client, page_cache):
    section = make_section("Culture")
    make_story("Jazz festival returns", section=section)
    feed_url, selector = f"/section/{section.slug}/feed/full/", 'link[rel=alternate][href$="/feed/full/"]'
    assert client.get(feed_url).status_code == 404
    assert not BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser").select(selector)

    section.full_text_feed = True
    section.save()
    assert client.get(feed_url).status_code == 200
    assert BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser").select(selector)

    publication = Publication.load()
    publication.list_full_text_feeds = False
    publication.save()
    assert not BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser").select(selector)
    assert client.get(feed_url)["X-Robots-Tag"] == "noindex"
