"""Embeds: links to other services' posts and videos, fetched at save time and shown behind a facade."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Story
from articles.previews import create_link, url_for
from articles.richtext import sanitize_body
from embeds.dependencies import embed_retires
from embeds.markup import embed_urls
from embeds.models import Embed
from embeds.providers import frame_origins, player_url, recognise
from embeds.tasks import fetch_waiting, refetch_embed
from tests.factories import log_in, make_story
from tests.oembed_stand_in import thumbnail_bytes
from tests.test_query_counts import render_queries_for

pytestmark = pytest.mark.django_db

CLIP = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def provider_of(url: str) -> str | None:
    found = recognise(url)
    return found[0].key if found else None


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        (CLIP, "youtube"),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", "youtube"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube"),
        ("https://vimeo.com/76979871", "vimeo"),
        ("https://x.com/capetown/status/1790000000000000000", "x"),
        ("https://twitter.com/capetown/status/1790000000000000000?s=20", "x"),
        ("https://www.instagram.com/p/C7abcDEF123/", "instagram"),
        ("https://www.tiktok.com/@newsdesk/video/7350000000000000000", "tiktok"),
        ("https://www.facebook.com/citypolice/posts/pfbid02abc", "facebook"),
        ("https://soundcloud.com/city-radio/morning-briefing", "soundcloud"),
        ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "spotify"),
        ("https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3310.5", "googlemaps"),
        ("https://www.documentcloud.org/documents/24000000-budget-review", "documentcloud"),
    ],
)
def test_links_to_supported_services_are_recognised(url, provider):
    assert provider_of(url) == provider


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "https://x.com/capetown",
        "javascript:alert(1)",
        "",
    ],
)
def test_other_links_are_not_embeds(url):
    assert provider_of(url) is None


def test_a_provider_the_site_does_not_offer_is_a_plain_link(settings):
    settings.NEWSROOM_EMBED_PROVIDERS = ["vimeo"]
    assert provider_of(CLIP) is None
    assert sanitize_body(f"<p>{CLIP}</p>") == f"<p>{CLIP}</p>"


def test_youtube_plays_from_its_no_cookie_player():
    assert player_url(CLIP) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"


def test_a_supported_link_pasted_on_its_own_line_becomes_an_embed():
    body = sanitize_body(f'<p>Before.</p><p>{CLIP}</p><p>See <a href="{CLIP}">this clip</a> too.</p>')

    assert body.startswith('<p>Before.</p><figure class="embed"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">')
    assert "<p>See <a" in body  # a link inside a sentence stays a link
    assert embed_urls(body) == [CLIP]


def test_a_pasted_link_as_the_editor_marks_it_becomes_an_embed():
    body = sanitize_body('<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>')
    assert embed_urls(body) == ["https://vimeo.com/76979871"]


def test_the_sanitizer_keeps_the_embed_mark_and_caption_and_never_an_iframe_or_script():
    body = sanitize_body(
        f'<figure class="embed"><a href="{CLIP}">{CLIP}</a><figcaption>The <em>mayor</em> speaks</figcaption></figure>'
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
        '<figure class="embed"><script>alert(1)</script></figure>'
    )

    assert "<iframe" not in body and "<script" not in body and "alert" not in body
    caption = "<figcaption>The <em>mayor</em> speaks</figcaption>"
    assert f'<figure class="embed"><a href="{CLIP}">{CLIP}</a>{caption}</figure>' in body


def test_an_embed_figure_with_a_link_no_provider_offers_becomes_a_plain_link():
    body = sanitize_body(
        '<figure class="embed"><a href="https://example.org/x">x</a><figcaption>Hi</figcaption></figure>'
    )
    assert body == '<p><a href="https://example.org/x" rel="noopener noreferrer">https://example.org/x</a></p><p>Hi</p>'
    assert sanitize_body(body) == body
    assert embed_urls(body) == []


def test_sanitizing_an_embed_twice_changes_nothing():
    once = sanitize_body(f"<p>{CLIP}</p>")
    assert sanitize_body(once) == once


# --- fetching at save time ---------------------------------------------------------------------


def test_saving_a_story_fetches_the_embeds_metadata_and_keeps_a_copy_of_its_thumbnail(oembed):
    oembed.oembed("youtube", "Council meeting, full session", author="City Council")

    make_story(body=f"<p>{CLIP}</p>")

    embed = Embed.objects.get(url=CLIP)
    assert (embed.provider, embed.title) == ("youtube", "Council meeting, full session")
    assert embed.author_name == "City Council"
    assert embed.error == "" and embed.fetched_at is not None
    assert embed.player_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert embed.thumbnail.name.startswith("embeds/") and default_storage.exists(embed.thumbnail.name)
    assert oembed.asked("youtube") == [{"url": CLIP, "format": "json", "maxwidth": "960"}]
    assert "tracker.example" not in str(Embed.objects.filter(pk=embed.pk).values().get())


def test_a_link_already_fetched_is_not_fetched_again(oembed):
    oembed.oembed("vimeo", "Harbour at dawn")
    make_story(body="<p>https://vimeo.com/76979871</p>")
    make_story(body="<p>https://vimeo.com/76979871</p>")
    assert len(oembed.asked("vimeo")) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 500, "body": b"oops"}, "the provider answered 500"),
        ({"status": 404, "body": b"{}"}, "the provider answered 404"),
        ({"body": b"<html>not json</html>"}, "not JSON"),
        ({"body": b"[1, 2]"}, "not an oEmbed object"),
    ],
)
def test_a_failed_fetch_still_saves_the_story_and_shows_a_plain_link(oembed, client, answer, error):
    oembed.answer("youtube", **answer)

    story = make_story(body=f"<p>{CLIP}</p>")

    assert Story.objects.filter(pk=story.pk).exists()
    assert error in Embed.objects.get(url=CLIP).error
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    link = soup.select_one(".story__body figure.embed--link a")
    assert link["href"] == CLIP
    assert not soup.select(".embed__load")


def test_a_provider_that_does_not_answer_in_time_is_given_up(oembed, settings):
    settings.NEWSROOM_EMBED_TIMEOUT = 0.2
    oembed.oembed("vimeo", "Too slow")
    oembed.answers["vimeo"] = (*oembed.answers["vimeo"][:2], 1.5)

    make_story(body="<p>https://vimeo.com/76979871</p>")

    assert "could not be reached" in Embed.objects.get().error


def test_meta_embeds_need_an_access_token(oembed, settings):
    oembed.oembed("instagram", "Market day")
    make_story(body="<p>https://www.instagram.com/p/C7abcDEF123/</p>")
    assert "access token" in Embed.objects.get().error
    assert oembed.asked("instagram") == []

    settings.NEWSROOM_EMBED_META_TOKEN = "app|secret"
    make_story(body="<p>https://www.instagram.com/p/C7xyzDEF999/</p>")
    assert oembed.asked("instagram")[0]["access_token"] == "app|secret"
    assert Embed.objects.get(url="https://www.instagram.com/p/C7xyzDEF999/").title == "Market day"


@pytest.mark.parametrize(
    "address", ["http://203.0.113.9/plain.png", "https://10.0.0.1/inside.png", "https://localhost/inside.png"]
)
def test_a_thumbnail_off_https_or_on_a_private_network_is_not_fetched(oembed, address):
    oembed.oembed("vimeo", "A thumbnail we will not fetch", thumbnail_url=address)
    make_story(body="<p>https://vimeo.com/76979871</p>")
    embed = Embed.objects.get()
    assert embed.title == "A thumbnail we will not fetch" and not embed.thumbnail
    assert embed.error == ""  # the embed itself is fine: the facade shows no thumbnail


def test_the_fetch_is_a_job_and_never_runs_in_the_editors_request_when_a_worker_exists(queued_jobs):
    make_story(body=f"<p>{CLIP}</p>")
    assert ("embeds.tasks.fetch_embeds", ([CLIP],)) in queued_jobs()
    assert not Embed.objects.exists()


# --- the reader's page ---------------------------------------------------------------------------


def fetched(url: str = CLIP, **fields) -> Embed:
    """An embed as a fetch leaves it, without the network."""
    found = recognise(url)
    embed = Embed(
        url=url,
        provider=found[0].key,
        title=fields.pop("title", "Council meeting, full session"),
        author_name=fields.pop("author_name", "City Council"),
        player_url=player_url(url),
        width=640,
        height=360,
        fetched_at=timezone.now(),
        **fields,
    )
    embed.thumbnail.save("youtube.jpg", ContentFile(thumbnail_bytes()), save=False)
    embed.save()
    return embed


def embed_body(url: str = CLIP, caption: str = "The mayor answers questions") -> str:
    return f'<p>Before.</p><figure class="embed"><a href="{url}">{url}</a><figcaption>{caption}</figcaption></figure>'


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_the_page_shows_a_facade_and_asks_the_provider_for_nothing_before_the_click(client):
    embed = fetched()
    story = make_story(body=embed_body())

    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")

    figure = soup.select_one(".story__body figure.embed--youtube")
    assert figure.select_one(".embed__provider").get_text(strip=True) == "YouTube"
    assert figure.select_one(".embed__title a")["href"] == CLIP
    assert figure.select_one(".embed__title").get_text(strip=True) == "Council meeting, full session"
    assert figure.select_one("img.embed__thumbnail")["src"] == embed.thumbnail.url  # our own copy
    assert figure.select_one("figcaption").get_text(" ", strip=True) == (
        "The mayor answers questions City Council on YouTube"
    )
    assert figure["data-embed-player"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert figure.select_one("button.embed__load").has_attr("hidden")  # shown by the script
    assert not soup.select("iframe")
    # Nothing the browser loads by itself comes from elsewhere: no frame, picture, script or style.
    for element in soup.select("[src]"):
        assert element["src"].startswith("/"), element
    for element in soup.select("link[rel~=stylesheet], link[rel~=icon], link[rel~=preload]"):
        assert element["href"].startswith("/"), element
    assert soup.select_one('script[src$="js/embeds.js"]')


def test_a_page_with_embeds_may_frame_only_their_players(client):
    fetched()
    fetched("https://vimeo.com/76979871", title="Harbour at dawn")
    story = make_story(body=embed_body() + embed_body("https://vimeo.com/76979871", "Dawn"))

    policy = csp(client.get(story.get_absolute_url()))

    assert policy["frame-src"] == "frame-src https://player.vimeo.com https://www.youtube-nocookie.com"
    assert policy["default-src"] == "default-src 'self'"


def test_a_page_without_embeds_frames_nothing(client):
    story = make_story()
    assert "frame-src" not in csp(client.get(story.get_absolute_url()))


def test_an_embed_not_yet_fetched_is_a_plain_link_and_frames_nothing(client, queued_jobs):
    story = make_story(body=embed_body())

    response = client.get(story.get_absolute_url())

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("figure.embed--link a")["href"] == CLIP
    assert soup.select_one("figure.embed--link figcaption").get_text(strip=True) == "The mayor answers questions"
    assert "frame-src" not in csp(response)


def test_the_page_cache_keeps_each_pages_own_frame_src(client, page_cache):
    fetched()
    with_embed = make_story(body=embed_body())
    without = make_story()

    for _ in range(2):  # rendered, then served from the cache
        assert "youtube-nocookie" in csp(client.get(with_embed.get_absolute_url()))["frame-src"]
        assert "frame-src" not in csp(client.get(without.get_absolute_url()))


def test_fetching_an_embed_again_retires_the_pages_showing_it(client, page_cache, oembed):
    embed = fetched()
    story = make_story(body=embed_body())
    assert b"Council meeting, full session" in client.get(story.get_absolute_url()).content

    oembed.oembed("youtube", "Council meeting, with the vote")
    refetch_embed.delay(embed.pk)

    assert b"Council meeting, with the vote" in client.get(story.get_absolute_url()).content


def test_a_change_to_an_embed_only_drafts_show_retires_nothing():
    embed = fetched()
    make_story(body=embed_body(), status=Story.Status.DRAFT)
    assert embed_retires(embed, before=None, deleted=False) == set()
    published = make_story(body=embed_body())
    assert embed_retires(embed, before=None, deleted=False) == {f"embed-{embed.pk}", f"story-{published.pk}"}


def test_a_preview_of_a_draft_with_an_embed_frames_its_player(client, editor):
    fetched()
    story = make_story(body=embed_body(), status=Story.Status.DRAFT)
    link = create_link(story=story, by=editor, expires_at=timezone.now() + timedelta(days=1))
    response = client.get(url_for(link))

    assert response.status_code == 200
    assert "youtube-nocookie" in csp(response)["frame-src"]
    assert BeautifulSoup(response.content, "html.parser").select_one("figure.embed--youtube")


# --- feeds and the API -----------------------------------------------------------------------------


def test_feeds_show_embeds_as_links(client):
    fetched()
    make_story("Council votes", body=embed_body())

    feed = feedparser.parse(client.get("/feed/").content)

    content = feed.entries[0].content[0].value
    assert f'<a href="{CLIP}">' in content.replace("&amp;", "&")
    assert "<iframe" not in content and "nocookie" not in content


def test_the_api_gives_embeds_as_associations(client):
    embed = fetched()
    story = make_story("Council votes", body=embed_body())

    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    listed = client.get("/api/ninjs/stories/").json()["items"][0]

    association = item["associations"][0]
    assert association["name"] == "embed1" and association["uri"] == CLIP
    assert association["type"] == "video"
    assert association["headlines"][0]["value"] == "Council meeting, full session"
    assert association["by"] == "City Council"
    hrefs = {rendition["name"]: rendition["href"] for rendition in association["renditions"]}
    assert hrefs["thumbnail"].endswith(embed.thumbnail.url)
    assert hrefs["player"].startswith("https://www.youtube-nocookie.com/")
    assert listed["associations"] == item["associations"]


def test_a_story_page_with_embeds_reads_no_more_queries_than_one_without(client):
    urls = [CLIP, "https://vimeo.com/76979871", "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk"]
    for url in urls:
        fetched(url)
    story = make_story(body="".join(embed_body(url) for url in urls))
    plain = make_story()

    assert render_queries_for(client, story.get_absolute_url()) == render_queries_for(client, plain.get_absolute_url())
    assert len(BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser").select(".embed__load")) == 3


# --- the admin ------------------------------------------------------------------------------------


def test_an_editor_sees_a_failed_embed_and_has_it_fetched_again(client, editor, oembed):
    oembed.answer("vimeo", status=503, body=b"busy")
    story = make_story(body="<p>https://vimeo.com/76979871</p>")
    embed = Embed.objects.get()
    log_in(client, editor)

    listing = BeautifulSoup(client.get("/admin/embeds/embed/").content, "html.parser")
    assert "the provider answered 503" in listing.get_text()

    oembed.oembed("vimeo", "Harbour at dawn")
    response = client.post(
        "/admin/embeds/embed/", {"action": "fetch_again", "_selected_action": [str(embed.pk)], "index": "0"}
    )

    assert response.status_code == 302
    embed.refresh_from_db()
    assert (embed.title, embed.error) == ("Harbour at dawn", "")
    client.logout()
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".embed--vimeo .embed__title").get_text(strip=True) == "Harbour at dawn"


def test_a_reporter_may_look_at_embeds_but_not_fetch_them_again(client, reporter):
    embed = fetched()
    log_in(client, reporter)

    assert client.get("/admin/embeds/embed/").status_code == 200
    response = client.post(
        "/admin/embeds/embed/", {"action": "fetch_again", "_selected_action": [str(embed.pk)], "index": "0"}
    )

    assert response.status_code in (200, 302, 403)
    embed.refresh_from_db()
    assert embed.error == ""  # not fetched again (the closed port tests use would have made an error)
    assert client.get(f"/admin/embeds/embed/{embed.pk}/change/").status_code == 200  # read only
    assert client.get("/admin/embeds/embed/add/").status_code == 403


def test_frame_src_never_names_an_origin_no_enabled_provider_plays_from(settings):
    players = ["https://www.youtube-nocookie.com/embed/x", "https://evil.example/embed", "http://player.vimeo.com/1"]
    assert frame_origins(players) == ["https://www.youtube-nocookie.com"]
    settings.NEWSROOM_EMBED_PROVIDERS = ["vimeo"]
    assert frame_origins(players) == []


def test_the_sweep_fetches_embeds_whose_job_was_lost(oembed):
    Embed.objects.create(url=CLIP, provider="youtube")  # as a job lost after its first step left it
    oembed.oembed("youtube", "Council meeting, full session")

    assert fetch_waiting.apply().get() == 1

    assert Embed.objects.get().title == "Council meeting, full session"
    assert fetch_waiting.apply().get() == 0
