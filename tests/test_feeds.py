"""RSS and Atom feeds, read with an XML parser as a feed reader would."""

import importlib
import xml.etree.ElementTree as ET
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Publication, Story
from media.models import Image
from tests.factories import make_author, make_image, make_section, make_story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_address():
    publication = Publication.load()
    publication.base_url = BASE
    publication.save()


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def make_hidden_stories(**fields):
    """One story in each state the public must never see."""
    now = timezone.now()
    make_story("Draft story", status=Story.Status.DRAFT, **fields)
    make_story("Submitted story", status=Story.Status.SUBMITTED, **fields)
    make_story("Scheduled story", published_at=now + timedelta(hours=2), **fields)
    make_story("Retracted story", status=Story.Status.RETRACTED, published_at=now - timedelta(days=1), **fields)


def test_latest_rss_lists_published_stories_newest_first_and_nothing_else(client):
    now = timezone.now()
    make_story("Older story", published_at=now - timedelta(hours=5))
    make_story("Newer story", published_at=now - timedelta(hours=1))
    make_hidden_stories()

    items = rss_items(client, "/feed/")

    assert [item.findtext("title") for item in items] == ["Newer story", "Older story"]


def test_rss_entry_carries_summary_authors_image_and_categories(client):
    section = make_section("Politics")
    authors = [make_author("Thandi Mokoena"), make_author("Sipho Dlamini")]
    story = make_story(
        "Council passes budget",
        standfirst="The vote was close.",
        section=section,
        authors=authors,
        tags=["Budget", "Johannesburg"],
        hero_image=make_image(),
    )

    (item,) = rss_items(client, "/feed/")

    assert item.findtext("link") == f"{BASE}{story.get_absolute_url()}"
    assert item.findtext("description") == "The vote was close."
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Thandi Mokoena", "Sipho Dlamini"]
    assert {c.text for c in item.findall("category")} == {"Politics", "Budget", "Johannesburg"}
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{BASE}{story.hero_image.file.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == story.hero_image.file.size > 0
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false" and guid.text.endswith(f":story:{story.pk}")


def enclosure_lengths(client):
    return sorted(int(item.find("enclosure").get("length")) for item in rss_items(client, "/feed/"))


def test_feed_states_picture_sizes_without_asking_the_storage(client):
    images = [make_image(), make_image(width=200, height=150)]
    for image in images:
        make_story(hero_image=image)

    with mock.patch.object(FileSystemStorage, "size") as size, mock.patch.object(FileSystemStorage, "open") as read:
        lengths = enclosure_lengths(client)

    assert size.call_count == read.call_count == 0
    assert lengths == sorted(image.file.size for image in images)
    assert 0 not in lengths


def test_pictures_stored_before_sizes_were_recorded_get_theirs_from_the_storage(client):
    readable, missing = make_image(), make_image(width=200, height=150)
    make_story(hero_image=readable)
    make_story(hero_image=missing)
    Image.objects.update(file_size=0)
    missing.file.storage.delete(missing.file.name)

    migration = importlib.import_module("media.migrations.0003_image_file_size")
    migration.fill_file_sizes(apps, SimpleNamespace(connection=connection))

    assert enclosure_lengths(client) == [0, readable.file.size]  # 0 is RSS's "unknown"


def test_atom_entry_lists_every_author_with_their_page(client):
    authors = [make_author("Thandi Mokoena"), make_author("Sipho Dlamini")]
    story = make_story("Council passes budget", standfirst="The vote was close.", authors=authors, tags=["Budget"])

    (entry,) = atom_entries(client, "/feed/atom/")

    assert entry.findtext(f"{ATOM}title") == "Council passes budget"
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}{story.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}summary") == "The vote was close."
    names = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in entry.findall(f"{ATOM}author")]
    assert names == [(a.name, f"{BASE}{a.get_absolute_url()}") for a in authors]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Budget"]


def test_feed_summary_markup_stays_text(client):
    make_story("Hostile", standfirst="<script>alert(1)</script> & more")

    (item,) = rss_items(client, "/feed/")
    (entry,) = atom_entries(client, "/feed/atom/")

    # Readers render descriptions as HTML: what they get must be escaped markup, not a tag.
    assert item.findtext("description") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    assert entry.findtext(f"{ATOM}summary") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"


def test_section_tag_and_author_feeds_hold_only_their_own_published_stories(client):
    section, other_section = make_section("Sport"), make_section("Business")
    author = make_author("Naledi Khumalo")
    make_story("Derby tonight", section=section, authors=[author], tags=["Football"])
    make_story("Markets fall", section=other_section, tags=["Shares"])
    make_hidden_stories(section=section, authors=[author], tags=["Football"])

    for url in [
        f"/section/{section.slug}/feed/",
        "/tag/football/feed/",
        f"/authors/{author.slug}/feed/",
    ]:
        assert [item.findtext("title") for item in rss_items(client, url)] == ["Derby tonight"], url
        atom_url = url + "atom/"
        assert [e.findtext(f"{ATOM}title") for e in atom_entries(client, atom_url)] == ["Derby tonight"], atom_url


def test_feeds_of_unknown_or_unpublished_subjects_are_404(client):
    unpublished_author = make_author("Only drafts")
    make_story("A draft", status=Story.Status.DRAFT, authors=[unpublished_author])

    assert client.get("/section/no-such-section/feed/").status_code == 404
    assert client.get("/tag/no-such-tag/feed/atom/").status_code == 404
    assert client.get(f"/authors/{unpublished_author.slug}/feed/").status_code == 404


def test_feed_query_count_does_not_grow_with_stories(client):
    section = make_section("News")
    make_story("One", section=section, authors=[make_author()], tags=["a"], hero_image=make_image())

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/feed/", f"/section/{section.slug}/feed/atom/"]
    client.get(urls[0])  # the first request of all also works out when the next scheduled change is due
    before = {url: count(url) for url in urls}
    for n in range(8):
        make_story(
            f"More {n}",
            section=section,
            authors=[make_author(), make_author()],
            tags=[f"t{n}", "a"],
            hero_image=make_image(),
        )
    first = {url: count(url) for url in before}  # the first reader makes the new stories' entries and keeps them
    after = {url: count(url) for url in before}

    assert after == before
    assert all(first[url] <= before[url] + 2 for url in before)  # one query reading the stories, one keeping
    assert len(rss_items(client, "/feed/")) == 9


def test_pages_advertise_their_feeds(client):
    section = make_section("Sport")
    make_story("Derby tonight", section=section, tags=["Football"])

    home = BeautifulSoup(client.get("/").content, "html.parser")
    section_page = BeautifulSoup(client.get(section.get_absolute_url()).content, "html.parser")

    home_feeds = {link["type"]: link["href"] for link in home.select("head link[rel=alternate]")}
    assert home_feeds == {"application/rss+xml": "/feed/", "application/atom+xml": "/feed/atom/"}
    section_feeds = [link["href"] for link in section_page.select("head link[rel=alternate]")]
    assert section_feeds[:2] == [f"/section/{section.slug}/feed/", f"/section/{section.slug}/feed/atom/"]
    for href in section_feeds:
        assert client.get(href).status_code == 200


def test_feed_addresses_come_from_the_publication_not_the_host_asked(client):
    publication = Publication.load()
    publication.base_url = "https://news.example"
    publication.save()
    make_story("Harbour Works Begin", section=make_section("News"), authors=[make_author("Thabo Nkosi")])
    for url in ("/feed/", "/feed/atom/"):
        under_one = client.get(url, HTTP_HOST="localhost").content.decode()
        under_another = client.get(url, HTTP_HOST="testserver").content.decode()
        assert under_one == under_another
        assert "https://news.example/" in under_one
        assert "localhost" not in under_one and "testserver" not in under_one


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def cold_rss(client, url="/feed/"):
    with override_settings(CACHES=NO_CACHE):
        return rss_items(client, url)


def test_entries_are_kept_on_their_stories_and_change_with_what_they_show(client):
    author = make_author("Naledi Khumalo")
    story = make_story("Dam levels drop", authors=[author], tags=["water"], body='<p><a href="/about/">About</a></p>')
    cold_rss(client)
    story.refresh_from_db()
    assert "Naledi Khumalo" in story.rendered_rss and "Naledi Khumalo" in story.rendered_atom

    author.name = "Naledi Khumalo-Dlamini"
    author.save()
    publication = Publication.load()
    publication.base_url = "https://www.example.co.za"
    publication.save()

    (item,) = cold_rss(client)
    assert item.find(f"{DC}creator").text == "Naledi Khumalo-Dlamini"
    assert item.find("link").text == f"https://www.example.co.za{story.get_absolute_url()}"
    assert 'href="https://www.example.co.za/about/"' in item.find(CONTENT_ENCODED).text


def test_a_kept_entry_is_served_as_it_was_escaped_when_made(client):
    make_story('Tom & Jerry say "<b>no</b>"', standfirst="Cats < dogs & mice")
    cold_rss(client)  # made and kept

    (item,) = cold_rss(client)  # read from the story's row
    assert item.find("title").text == 'Tom & Jerry say "<b>no</b>"'
    assert item.find("description").text == "Cats &lt; dogs &amp; mice"
