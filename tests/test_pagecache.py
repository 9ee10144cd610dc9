"""The page cache: readers share cached pages; staff, sessions and CSRF tokens never do; changes show at once."""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from articles import publishing
from articles.models import Story
from tests.factories import make_author, make_person, make_quote, make_section, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def directives(response) -> dict[str, str]:
    parts = (part.strip().partition("=") for part in response["Cache-Control"].split(","))
    return {name: value for name, _, value in parts}


@pytest.fixture
def story():
    return make_story("Council approves new bus routes", section=make_section("News"), authors=[make_author()])


def test_a_second_reader_gets_the_page_from_the_cache_without_touching_the_database(
    client, story, django_assert_num_queries
):
    first = client.get(story.get_absolute_url())
    with django_assert_num_queries(0):
        second = Client().get(story.get_absolute_url())

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.status_code == 200 and second.content == first.content
    assert soup(second).h1.get_text(strip=True) == "Council approves new bus routes"


def test_reader_pages_tell_proxies_to_keep_them_briefly_and_browsers_to_revalidate(client, story):
    response = client.get(story.get_absolute_url())

    assert directives(response) == {
        "public": "",
        "max-age": "0",
        "s-maxage": "30",
        "stale-while-revalidate": "30",
        "stale-if-error": "86400",  # a CDN may show its copy for a day while the site fails
    }
    assert response["ETag"] and response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-cache"])
def test_a_repeat_visit_gets_304_by_etag_or_by_date(client, story, cached):
    url = story.get_absolute_url()
    first = client.get(url)
    if cached:
        assert client.get(url)["X-Page-Cache"] == "hit"

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    changed = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304
    assert changed.status_code == 200


def test_tracking_parameters_share_the_cached_page_but_real_parameters_do_not(client):
    section = make_section("Business")
    for n in range(25):
        make_story(f"Business story {n}", section=section)
    client.get(section.get_absolute_url())

    shared = client.get(section.get_absolute_url() + "?fbclid=IwAR0abc&utm_source=whatsapp")
    second_page = client.get(section.get_absolute_url() + "?page=2")

    assert shared["X-Page-Cache"] == "hit"
    assert second_page["X-Page-Cache"] == "miss" and len(soup(second_page).select(".teaser")) == 5


def test_one_readers_click_id_is_not_written_into_the_page_other_readers_get(client):
    section = make_section("Business")
    for n in range(25):
        make_story(f"Business story {n}", section=section)

    first = client.get(section.get_absolute_url() + "?page=1&fbclid=IwAR0abc&utm_source=whatsapp")
    later = client.get(section.get_absolute_url() + "?page=1")

    assert first["X-Page-Cache"] == "miss" and later["X-Page-Cache"] == "hit"
    older = soup(later).select_one(".pagination a[rel=next], .pagination a")
    assert older is not None and "page=2" in older["href"]
    assert "fbclid" not in later.content.decode() and "utm_source" not in later.content.decode()


@pytest.mark.urls("tests.pagecache_urls")
def test_an_editors_view_of_a_page_is_never_served_to_a_reader(editor_client):
    staff = editor_client.get("/greeting/")
    reader = Client().get("/greeting/")

    assert "Signed in as chief" in staff.content.decode()
    assert "private" in staff["Cache-Control"] and "no-store" in staff["Cache-Control"]
    assert "X-Page-Cache" not in staff
    assert reader["X-Page-Cache"] == "miss"
    assert "chief" not in reader.content.decode() and "Hello reader" in reader.content.decode()


@pytest.mark.urls("tests.pagecache_urls")
def test_a_page_cached_for_readers_is_never_served_to_an_editor(editor_client):
    Client().get("/greeting/")
    assert Client().get("/greeting/")["X-Page-Cache"] == "hit"

    staff = editor_client.get("/greeting/")

    assert "Signed in as chief" in staff.content.decode()
    assert "no-store" in staff["Cache-Control"]


def test_an_editor_on_a_real_story_page_leaves_nothing_in_the_cache(editor_client, story):
    editor_client.get(story.get_absolute_url())

    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "miss"


@pytest.mark.urls("tests.pagecache_urls")
@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken"])
def test_a_request_with_a_session_or_csrf_cookie_is_never_answered_from_the_cache(cookie):
    Client().get("/greeting/")
    visitor = Client()
    visitor.cookies[cookie] = "abc123"

    response = visitor.get("/greeting/")

    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls("tests.pagecache_urls")
@pytest.mark.parametrize("path", ["/form/", "/cookie/", "/private/"])
def test_responses_with_a_csrf_token_a_cookie_or_marked_private_are_never_stored(path):
    first = Client().get(path)
    second = Client().get(path)

    assert second.get("X-Page-Cache") != "hit"
    assert "private" in second["Cache-Control"]
    if path == "/form/":
        token = re.compile(rb'value="([^"]+)"')
        assert token.search(first.content).group(1) != token.search(second.content).group(1)


@pytest.mark.urls("tests.pagecache_urls")
def test_views_not_marked_public_are_left_alone(client):
    client.get("/not-public/")
    response = client.get("/not-public/")

    assert "X-Page-Cache" not in response and "Cache-Control" not in response


@pytest.mark.urls("tests.pagecache_urls")
def test_each_cached_copy_gets_its_own_csp_nonce_in_header_and_body(settings):
    from csp.constants import NONCE, SELF

    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "csp.middleware.CSPMiddleware"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    responses = [Client().get("/greeting/") for _ in range(3)]

    assert [r["X-Page-Cache"] for r in responses] == ["miss", "hit", "hit"]
    nonces = []
    for response in responses:
        in_body = soup(response).script["nonce"]
        assert f"'nonce-{in_body}'" in response["Content-Security-Policy"]
        nonces.append(in_body)
    assert len(set(nonces)) == 3


def reader_sees(url: str) -> str:
    """What a new anonymous reader gets at ``url`` (checking the page came from the cache when it could)."""
    response = Client().get(url)
    assert response.status_code in (200, 404), url
    return response.content.decode() if response.status_code == 200 else "<404>"


def warm(*urls: str) -> None:
    for url in urls:
        reader_sees(url)
        assert Client().get(url)["X-Page-Cache"] == "hit", url


def test_publishing_shows_on_every_affected_page_at_once():
    section, author, person = make_section("News"), make_author("Thandi Mokoena"), make_person("Lindiwe Dube")
    older = make_story("Older story", section=section, authors=[author], tags=["transport"])
    make_quote(older, person, "We are planning the routes.")
    draft = make_story(
        "Fresh off the press", status=Story.Status.DRAFT, section=section, authors=[author], tags=["transport"]
    )
    make_quote(draft, person, "We start in March.")
    pages = [
        "/",
        section.get_absolute_url(),
        "/tag/transport/",
        author.get_absolute_url(),
        person.get_absolute_url(),
        "/feed/",
        "/sitemap-stories.xml",
    ]
    warm(*pages)
    assert all("Fresh off the press" not in reader_sees(url) for url in pages)

    publishing.publish(story=draft, by=None)

    for url in pages:
        assert "Fresh off the press" in reader_sees(url) or draft.get_absolute_url() in reader_sees(url), url
    assert "Fresh off the press" in reader_sees(draft.get_absolute_url())


def test_an_edit_a_correction_and_a_retraction_show_at_once(story):
    url, listings = story.get_absolute_url(), ["/", story.section.get_absolute_url(), "/feed/"]
    warm(url, *listings)

    story.headline = "Council approves new bus routes for Soweto"
    publishing.save_story(story=story, by=None, changed_fields=["headline"])
    assert all("for Soweto" in reader_sees(page) for page in [url, *listings])

    publishing.add_correction(story=story, by=None, text="An earlier version gave the wrong start date.")
    assert "wrong start date" in reader_sees(url)
    assert "wrong start date" in reader_sees("/corrections/")

    publishing.retract(story=story, by=None)
    assert reader_sees(url) == "<404>"
    assert all("for Soweto" not in reader_sees(page) for page in listings)


def test_a_scheduled_story_appears_on_cached_pages_when_its_time_comes():
    now = timezone.now()
    section = make_section("News")
    make_story("Already out", section=section, published_at=now - timedelta(hours=1))
    scheduled = make_story("Embargoed budget", section=section, published_at=now + timedelta(minutes=5))

    with time_machine.travel(now, tick=False):
        warm("/", section.get_absolute_url(), "/feed/")
        assert "Embargoed budget" not in reader_sees("/")
        assert directives(Client().get("/"))["s-maxage"] == "30"
    with time_machine.travel(now + timedelta(minutes=4, seconds=50), tick=False):
        assert int(directives(Client().get("/"))["s-maxage"]) <= 10  # proxies must not hold it past the time
    with time_machine.travel(now + timedelta(minutes=5, seconds=1), tick=False):
        for url in ["/", section.get_absolute_url(), "/feed/", scheduled.get_absolute_url()]:
            assert "Embargoed budget" in reader_sees(url), url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_change_retires_pages_on_every_server_sharing_the_cache():
    story = make_story("Before", section=make_section("News"))
    warm(story.get_absolute_url())
    story.headline = "After"
    story.save()

    assert "After" in reader_sees(story.get_absolute_url())


def test_deploy_check_warns_when_the_page_cache_is_not_shared_between_processes(settings):
    from articles.checks import check_shared_cache

    settings.NEWSROOM_PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_shared_cache(None)] == ["newsroom.W001"]

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert check_shared_cache(None) == []


def test_a_hot_page_is_answered_from_the_processs_memory_but_never_past_a_change(client, story, monkeypatch):
    from django.core.cache import cache

    client.get(story.get_absolute_url())
    page_reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kw: page_reads.append(key) or real_get(key, *args, **kw))
    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert [key for key in page_reads if key.startswith("newsroom:page:")] == []

    story.headline = "Council approves new bus routes for Soweto"
    story.save()
    assert "for Soweto" in reader_sees(story.get_absolute_url())
