"""Series: stories grouped by an editor, with a page, feeds, structured data and a block on each story."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Series, SeriesStory, Story
from tests.factories import log_in, make_image, make_staff, make_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def make_series(name: str, stories, **fields) -> Series:
    series = Series.objects.create(name=name, **fields)
    for position, story in enumerate(stories):
        SeriesStory.objects.create(series=series, story=story, position=position)
    return series


@pytest.fixture
def load_shedding():
    """A series of four stories in the editor's order (not the order of publication), one a draft."""
    now = timezone.now()
    stories = {
        "plan": make_story("The utility's winter plan", published_at=now - timedelta(days=3)),
        "draft": make_story("Stage six again?", status=Story.Status.DRAFT),
        "schools": make_story("Schools run on generators", published_at=now - timedelta(days=1)),
        "traders": make_story("Traders count the cost", published_at=now - timedelta(days=5)),
    }
    series = make_series(
        "Load shedding",
        [stories["plan"], stories["draft"], stories["schools"], stories["traders"]],
        description="How power cuts shape the city's winter.",
    )
    return series, stories


def headlines(soup, selector="h3") -> list[str]:
    return [element.get_text(strip=True) for element in soup.select(selector)]


def test_series_page_lists_its_published_stories_in_the_editors_order_and_never_a_draft(client, load_shedding):
    series, _stories = load_shedding
    soup = page(client.get("/series/load-shedding/"))

    assert soup.h1.get_text(strip=True) == "Load shedding"
    assert "How power cuts shape the city's winter." in soup.get_text()
    assert headlines(soup, ".teaser-list h3") == [
        "The utility's winter plan",
        "Schools run on generators",
        "Traders count the cost",
    ]
    assert "Stage six again?" not in soup.get_text()
    assert series.get_absolute_url() == "/series/load-shedding/"


def test_series_with_no_published_story_has_no_page(client):
    make_series("Coming soon", [make_story("Not yet", status=Story.Status.DRAFT)])

    assert client.get("/series/coming-soon/").status_code == 404
    assert client.get("/series/coming-soon/feed/").status_code == 404
    assert client.get("/series/no-such-series/").status_code == 404


def test_story_page_shows_the_other_published_stories_of_its_series_in_order(client, load_shedding):
    _series, stories = load_shedding
    soup = page(client.get(stories["schools"].get_absolute_url()))

    block = soup.select_one("section.series-more")
    assert block.h2.get_text(" ", strip=True) == "More in this series: Load shedding"
    assert block.h2.a["href"] == "/series/load-shedding/"
    assert headlines(block) == ["The utility's winter plan", "Traders count the cost"]


def test_a_story_in_no_series_shows_no_series_block(client, load_shedding):
    alone = make_story("A story on its own")
    assert page(client.get(alone.get_absolute_url())).select_one("section.series-more") is None


def test_a_series_with_one_published_story_shows_no_block_on_it(client):
    only = make_story("The only one out")
    make_series("Thin series", [only, make_story("Draft", status=Story.Status.DRAFT)])
    assert page(client.get(only.get_absolute_url())).select_one("section.series-more") is None


@pytest.mark.parametrize("url", ["/series/load-shedding/feed/", "/series/load-shedding/feed/atom/"])
def test_series_feeds_carry_its_published_stories(client, load_shedding, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [element.text for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "title"]
    assert "Load shedding" in titles[0]  # the feed's own title
    assert set(titles[1:]) == {"The utility's winter plan", "Schools run on generators", "Traders count the cost"}


def test_series_page_advertises_its_feeds_and_describes_itself_as_a_collection_page(client, load_shedding):
    soup = page(client.get("/series/load-shedding/"))

    feeds = {link["href"] for link in soup.select("link[rel=alternate]")}
    assert {"/series/load-shedding/feed/", "/series/load-shedding/feed/atom/"} <= feeds
    data = [json.loads(script.string) for script in soup.select("script[type='application/ld+json']")]
    collection = next(item for item in data if item.get("@type") == "CollectionPage")
    assert collection["name"] == "Load shedding"
    items = collection["mainEntity"]["itemListElement"]
    assert [(item["position"], item["name"]) for item in items] == [
        (1, "The utility's winter plan"),
        (2, "Schools run on generators"),
        (3, "Traders count the cost"),
    ]
    assert items[0]["url"].endswith("/story/the-utilitys-winter-plan/")


def test_series_picture_shows_on_its_page(client, load_shedding):
    series, _stories = load_shedding
    series.picture = make_image(alt_text="A dark street during a power cut")
    series.save()
    soup = page(client.get("/series/load-shedding/"))
    assert soup.select_one(".series-header__picture img")["alt"] == "A dark street during a power cut"


def test_series_is_in_the_sitemap_once_it_has_a_published_story(client, load_shedding):
    make_series("Coming soon", [make_story("Not yet", status=Story.Status.DRAFT)])
    response = client.get("/sitemap-series.xml")
    assert response.status_code == 200
    locations = [element.text for element in ET.fromstring(response.content).iter() if element.tag.endswith("loc")]
    assert [loc.rsplit("/", 2)[-2] for loc in locations] == ["load-shedding"]
    assert "sitemap-series.xml" in client.get("/sitemap.xml").content.decode()


def test_in_series_lists_stories_in_the_editors_order(load_shedding):
    series, _stories = load_shedding
    assert [s.headline for s in Story.objects.published().in_series(series)] == [
        "The utility's winter plan",
        "Schools run on generators",
        "Traders count the cost",
    ]
    assert list(Series.objects.with_published_stories()) == [series]


def test_a_story_belongs_to_one_series_at_most(load_shedding):
    _series, stories = load_shedding
    other = Series.objects.create(name="Winter")
    membership = SeriesStory(series=other, story=stories["plan"])
    with pytest.raises(Exception, match="already in a series"):
        membership.validate_constraints()


# --- the admin --------------------------------------------------------------------------------------


def test_editor_makes_a_series_and_orders_its_stories_in_the_admin(client, editor):
    first, second = make_story("First chapter"), make_story("Second chapter")
    log_in(client, editor)
    form = client.get("/admin/articles/series/add/")
    assert form.status_code == 200
    soup = page(form)
    assert not soup.select(".field-story .related-widget-wrapper-link"), "no pop-up windows"
    assert soup.select_one("select[name='memberships-__prefix__-story']")["data-ajax--url"] == ("/admin/autocomplete/")
    data = form_data(form, "series_form") | {
        "name": "Election 2026",
        "slug": "election-2026",
        "description": "The race for the council.",
        "memberships-TOTAL_FORMS": "2",
        "memberships-0-story": str(second.pk),
        "memberships-0-position": "1",
        "memberships-1-story": str(first.pk),
        "memberships-1-position": "2",
    }
    response = client.post("/admin/articles/series/add/", data)

    assert response.status_code == 302, page(response).select(".errorlist, .errornote")
    series = Series.objects.get(slug="election-2026")
    assert [s.headline for s in Story.objects.in_series(series)] == ["Second chapter", "First chapter"]
    assert headlines(page(Client().get("/series/election-2026/")), ".teaser-list h3") == [
        "Second chapter",
        "First chapter",
    ]


def test_putting_a_story_in_a_second_series_is_refused_with_a_message(client, editor, load_shedding):
    _series, stories = load_shedding
    log_in(client, editor)
    form = client.get("/admin/articles/series/add/")
    data = form_data(form, "series_form") | {
        "name": "Winter",
        "slug": "winter",
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-story": str(stories["plan"].pk),
        "memberships-0-position": "0",
    }
    response = client.post("/admin/articles/series/add/", data)

    assert response.status_code == 200
    assert "already in a series" in response.content.decode()
    assert not Series.objects.filter(slug="winter").exists()


def test_reporters_may_look_at_series_but_not_change_them(client, reporter, load_shedding):
    series, _stories = load_shedding
    log_in(client, reporter)
    assert client.get("/admin/articles/series/").status_code == 200
    view = client.get(f"/admin/articles/series/{series.pk}/change/")
    assert view.status_code == 200
    assert not page(view).select("input[type=submit][name=_save]")
    assert client.get("/admin/articles/series/add/").status_code == 403
    response = client.post(f"/admin/articles/series/{series.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    assert Series.objects.get(pk=series.pk).name == "Load shedding"


def test_series_admin_needs_a_staff_login(load_shedding):
    response = Client().get("/admin/articles/series/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    outsider = make_staff("nobody")
    client = log_in(Client(), outsider)
    assert client.get("/admin/articles/series/").status_code == 403


# --- demo content ---------------------------------------------------------------------------------


def test_demo_content_has_a_series_of_at_least_three_published_stories(client, demo_site):
    series = Series.objects.get()
    published = list(Story.objects.published().in_series(series))
    assert len(published) >= 3
    soup = page(client.get(series.get_absolute_url()))
    assert len(soup.select(".teaser-list h3")) == len(published)
    story_page = page(client.get(published[1].get_absolute_url()))
    assert headlines(story_page.select_one("section.series-more")) == [
        s.headline for s in published if s != published[1]
    ]


# --- what changes retire --------------------------------------------------------------------------


def served(url: str):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200, url
    response.queries = len(queries)
    return response


def warm(*urls: str) -> None:
    for url in urls:
        served(url)
        assert served(url)["X-Page-Cache"] == "hit", url


def from_cache(url: str) -> bool:
    response = served(url)
    return response["X-Page-Cache"] == "hit" and response.queries == 0


@pytest.mark.usefixtures("page_cache")
def test_renaming_a_series_retires_its_page_feed_and_the_pages_of_its_stories_only(load_shedding):
    series, stories = load_shedding
    elsewhere = make_story("Nothing to do with power")
    members = [stories[key].get_absolute_url() for key in ("plan", "schools", "traders")]
    warm("/series/load-shedding/", "/series/load-shedding/feed/", *members, elsewhere.get_absolute_url())

    series.name = "Power cuts"
    series.save()

    assert "Power cuts" in served("/series/load-shedding/").content.decode()
    assert "Power cuts" in served("/series/load-shedding/feed/").content.decode()
    for url in members:
        assert "More in this series: Power cuts" in " ".join(page(served(url)).get_text().split()), url
    assert from_cache(elsewhere.get_absolute_url())


@pytest.mark.usefixtures("page_cache")
def test_putting_a_draft_in_a_series_retires_no_page(load_shedding):
    series, stories = load_shedding
    urls = ["/series/load-shedding/", stories["plan"].get_absolute_url()]
    warm(*urls)

    SeriesStory.objects.create(series=series, story=make_story("Later", status=Story.Status.DRAFT), position=9)

    assert all(from_cache(url) for url in urls)


@pytest.mark.usefixtures("page_cache")
def test_publishing_a_draft_of_a_series_shows_it_on_the_series_page_and_the_other_stories(load_shedding):
    _series, stories = load_shedding
    urls = ["/series/load-shedding/", stories["plan"].get_absolute_url()]
    warm(*urls)

    draft = stories["draft"]
    draft.status, draft.published_at = Story.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    draft.save()

    assert "Stage six again?" in headlines(page(served("/series/load-shedding/")), ".teaser-list h3")
    block = page(served(stories["plan"].get_absolute_url())).select_one("section.series-more")
    assert headlines(block) == ["Stage six again?", "Schools run on generators", "Traders count the cost"]


@pytest.mark.usefixtures("page_cache")
def test_reordering_a_series_retires_its_page_and_its_stories_blocks(load_shedding):
    _series, stories = load_shedding
    urls = ["/series/load-shedding/", stories["schools"].get_absolute_url()]
    warm(*urls)

    for key, position in (("traders", 0), ("plan", 4)):  # as the admin saves each row it changed
        membership = SeriesStory.objects.get(story=stories[key])
        membership.position = position
        membership.save()

    assert headlines(page(served(urls[0])), ".teaser-list h3")[0] == "Traders count the cost"
    block = page(served(urls[1])).select_one("section.series-more")
    assert headlines(block) == ["Traders count the cost", "The utility's winter plan"]
