"""Live blogs: entries posted, pinned, corrected and deleted; the reader's page, its live updates (JSON),
structured data, feeds and the cache."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from articles import live
from articles.models import LiveEntry, Story
from articles.publishing import WorkflowError
from audit.models import Action, AuditEntry
from interchange import ninjs
from tests.factories import make_author, make_image, make_person, make_section, make_story

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def live_story(headline="Floods close the coastal road", *, started_ago=timedelta(hours=2), **fields) -> Story:
    story = make_story(headline, **fields)
    live.start_coverage(story=story, by=None, now=timezone.now() - started_ago)
    return story


def post(story, text, *, minutes_ago=0, **fields) -> LiveEntry:
    now = timezone.now() - timedelta(minutes=minutes_ago)
    return live.post_entry(story=story, by=None, body=text, now=now, **fields)


def entry_texts(soup) -> list[str]:
    items = soup.select(".live-entry[data-entry]")
    return [item.select_one(".live-entry__body").get_text(strip=True) for item in items]


# --- the model's rules ----------------------------------------------------------------------------


def test_a_story_holds_one_pinned_entry_at_most_even_written_straight_to_the_database():
    story = live_story()
    LiveEntry.objects.create(story=story, body="First", pinned=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.create(story=story, body="Second", pinned=True)
    other = live_story("Another live blog")
    assert LiveEntry.objects.create(story=other, body="Pinned elsewhere", pinned=True).pinned


def test_an_entry_must_have_text_and_a_correction_needs_both_its_note_and_its_time():
    story = live_story()
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.create(story=story, body="<script>alert(1)</script>")
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.create(story=story, body="Text", corrected_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.create(story=story, body="Text", correction_note="A note without a time")


def test_a_story_cannot_end_coverage_it_never_started_or_before_it_started():
    story = make_story()
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(live=True)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(live=True, live_started_at=now, live_ended_at=now - timedelta(hours=1))


def test_entry_text_is_sanitized_on_save_and_plain_lines_become_paragraphs():
    story = live_story()
    entry = post(story, 'Water is rising <script>alert(1)</script><a href="javascript:go()">here</a>\n\nStay away.')
    assert entry.body == '<p>Water is rising <a rel="noopener noreferrer">here</a></p><p>Stay away.</p>'


def test_pinning_moves_the_pin_and_the_audit_log_says_who_did_what():
    story = live_story()
    first = post(story, "Road closed at the bridge.", pinned=True)
    second = post(story, "Detour through the hills.")
    live.pin_entry(entry=second, by=None)
    first.refresh_from_db()
    assert (first.pinned, second.pinned) == (False, True)
    actions = list(AuditEntry.objects.filter(object_id=str(story.pk)).values_list("action", flat=True))
    assert Action.LIVE_ENTRY_PINNED in actions and Action.LIVE_ENTRY_UNPINNED in actions


def test_correcting_keeps_a_note_with_its_time_and_deleting_hides_the_entry_but_keeps_the_row():
    story = live_story()
    entry = post(story, "Three people were rescued.", pinned=True)
    live.correct_entry(entry=entry, by=None, body="Four people were rescued.", note="The number rescued was wrong.")
    assert entry.corrected_at is not None and entry.correction_note == "The number rescued was wrong."
    live.delete_entry(entry=entry, by=None)
    assert entry.deleted_at is not None and not entry.pinned  # a deleted entry gives up the pin
    assert not LiveEntry.objects.shown().exists() and LiveEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(WorkflowError):
        live.correct_entry(entry=entry, by=None, body="Again", note="Again")


def test_bad_input_is_refused_with_reasons_and_saves_nothing():
    story = live_story()
    with pytest.raises(WorkflowError, match="text"):
        post(story, "   ")
    with pytest.raises(WorkflowError, match="who said"):
        post(story, "A quote", quote_text="We are ready.")
    entry = post(story, "Rain stops.")
    with pytest.raises(WorkflowError, match="what was corrected"):
        live.correct_entry(entry=entry, by=None, body="Rain stopped.", note=" ")
    with pytest.raises(WorkflowError, match="summary"):
        live.end_coverage(story=story, by=None, summary="")
    entry.refresh_from_db()
    story.refresh_from_db()
    assert entry.body == "<p>Rain stops.</p>" and entry.corrected_at is None and story.coverage_running


def test_entries_are_posted_only_while_coverage_runs():
    story = make_story()
    with pytest.raises(WorkflowError, match="start it first"):
        post(story, "Too early.")
    live.start_coverage(story=story, by=None)
    post(story, "Now it counts.")
    live.end_coverage(story=story, by=None, summary="The road reopened.")
    with pytest.raises(WorkflowError, match="not running"):
        post(story, "Too late.")
    assert LiveEntry.objects.filter(story=story).count() == 1


def test_only_people_who_may_cover_the_story_change_it(reporter, other_reporter, editor):
    story = live_story(authors=[reporter.author])
    entry = post(story, "From the scene.")
    live.post_entry(story=story, by=reporter, body="Reporter on her own story.")
    live.pin_entry(entry=entry, by=editor)
    with pytest.raises(PermissionDenied):
        live.post_entry(story=story, by=other_reporter, body="Not my story.")
    with pytest.raises(PermissionDenied):
        live.delete_entry(entry=entry, by=other_reporter)
    assert LiveEntry.objects.filter(story=story, deleted_at__isnull=True).count() == 2


# --- the reader's page ----------------------------------------------------------------------------


@pytest.fixture
def coverage():
    """A running live blog: three entries, the oldest pinned, one corrected, one deleted."""
    story = live_story(authors=[make_author("Thandi Mokoena")])
    pinned = post(story, "What we know so far: the road is closed.", minutes_ago=90, pinned=True)
    corrected = post(story, "Two bridges are under water.", minutes_ago=60, author=make_author("Pieter Botha"))
    live.correct_entry(entry=corrected, by=None, body="One bridge is under water.", note="Only one bridge flooded.")
    deleted = post(story, "A rumour we should not have posted.", minutes_ago=30)
    live.delete_entry(entry=deleted, by=None)
    newest = post(
        story,
        "The mayor visits the shelter.",
        minutes_ago=10,
        quote_text="Nobody will be left behind.",
        person=make_person("Mayor Zanele Dube"),
        picture=make_image(),
    )
    return story, {"pinned": pinned, "corrected": corrected, "deleted": deleted, "newest": newest}


def test_live_page_shows_the_pinned_entry_first_then_the_newest_and_never_a_deleted_one(client, coverage):
    story, entries = coverage
    soup = page(client.get(story.get_absolute_url()))

    assert entry_texts(soup) == [
        "What we know so far: the road is closed.",
        "The mayor visits the shelter.",
        "One bridge is under water.",
    ]
    assert "rumour" not in soup.get_text()
    assert "Pinned" in soup.select_one(".live-entry--pinned").get_text()
    newest = soup.select_one(f"#entry-{entries['newest'].pk}")
    assert "Nobody will be left behind." in newest.blockquote.get_text()
    assert "Mayor Zanele Dube" in newest.figcaption.get_text() and newest.img is not None
    corrected = soup.select_one(f"#entry-{entries['corrected'].pk}")
    assert "Pieter Botha" in corrected.get_text()
    note = corrected.select_one(".live-entry__correction")
    assert "Only one bridge flooded." in note.get_text() and note.time["datetime"]
    blog = soup.select_one("section.live")
    assert blog.has_attr("data-running") and blog["data-latest"] == str(entries["newest"].pk)
    assert soup.find("script", src="/static/js/live.js") is not None
    assert "Latest updates" in blog.h2.get_text()


def test_an_ended_live_blog_shows_its_summary_above_the_entries_and_asks_for_nothing_more(client, coverage):
    story, _entries = coverage
    summary = "The road reopened at dusk; four families are still in the shelter."
    live.end_coverage(story=story, by=None, summary=summary)
    soup = page(client.get(story.get_absolute_url()))
    blog = soup.select_one("section.live")

    assert "Live coverage has ended" in blog.h2.get_text()
    assert "four families are still in the shelter" in blog.select_one(".live__summary").get_text()
    assert not blog.has_attr("data-running")
    assert len(entry_texts(soup)) == 3


def test_a_story_that_is_not_live_has_no_live_section_or_script(client):
    story = make_story()
    soup = page(client.get(story.get_absolute_url()))
    assert soup.select_one("section.live") is None and soup.find("script", src="/static/js/live.js") is None


# --- live updates (JSON) --------------------------------------------------------------------------


def test_live_updates_give_the_entries_newer_than_the_one_asked_about_newest_first(client, coverage):
    story, entries = coverage
    since = entries["corrected"].pk
    response = client.get(f"{story.get_absolute_url()}live.json", {"since": since})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()

    assert [update["id"] for update in data["entries"]] == [entries["newest"].pk]  # the deleted one is gone
    assert data["latest"] == entries["newest"].pk and data["running"] is True
    fragment = BeautifulSoup(data["entries"][0]["html"], "html.parser")
    assert fragment.li["id"] == f"entry-{entries['newest'].pk}"
    assert "The mayor visits the shelter." in fragment.get_text()


def test_live_updates_with_nothing_new_keep_the_readers_place(client, coverage):
    story, entries = coverage
    data = client.get(f"{story.get_absolute_url()}live.json?since={entries['newest'].pk}").json()
    assert data == {"entries": [], "latest": entries["newest"].pk, "running": True}


@pytest.mark.parametrize("since", ["abc", "-1", "99999999999999999999999"])
def test_live_updates_refuse_a_since_that_is_not_an_entry_id(client, coverage, since):
    story, _entries = coverage
    response = client.get(f"{story.get_absolute_url()}live.json", {"since": since})
    assert response.status_code == 400 and "since" in response.json()["message"]


def test_live_updates_of_a_draft_or_a_story_that_is_not_live_are_404(client):
    draft = live_story("Prepared in advance", status=Story.Status.DRAFT)
    plain = make_story("An ordinary story")
    assert client.get(f"{draft.get_absolute_url()}live.json").status_code == 404
    assert client.get(f"{plain.get_absolute_url()}live.json").status_code == 404


# --- structured data ------------------------------------------------------------------------------


def json_ld(soup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def test_structured_data_is_a_live_blog_posting_with_coverage_times_and_its_updates(client, coverage):
    story, entries = coverage
    data = json_ld(page(client.get(story.get_absolute_url())))

    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"].startswith(story.live_started_at.strftime("%Y-%m-%dT%H:%M"))
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [update["articleBody"] for update in updates] == [
        "The mayor visits the shelter.",
        "One bridge is under water.",
        "What we know so far: the road is closed.",
    ]
    assert updates[0]["@type"] == "BlogPosting" and updates[0]["url"].endswith(f"#entry-{entries['newest'].pk}")
    assert updates[1]["author"]["name"] == "Pieter Botha"
    assert updates[1]["dateModified"] != updates[1]["datePublished"]  # the correction's time


def test_structured_data_of_an_ended_live_blog_has_its_end_time_and_summary(client, coverage):
    story, _entries = coverage
    live.end_coverage(story=story, by=None, summary="The road reopened.")
    story.refresh_from_db()
    data = json_ld(page(client.get(story.get_absolute_url())))
    assert data["coverageEndTime"].startswith(story.live_ended_at.strftime("%Y-%m-%dT%H:%M"))
    assert data["description"] == "The road reopened."


# --- the cache ------------------------------------------------------------------------------------


def served(url: str, **query):
    """A new reader's response for ``url`` and how many queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, query)
    assert response.status_code == 200, url
    response.queries = len(queries)
    return response


def from_cache(url: str, **query) -> bool:
    response = served(url, **query)
    return response["X-Page-Cache"] == "hit" and response.queries == 0


@pytest.mark.usefixtures("page_cache")
def test_a_new_entry_retires_that_live_page_and_its_updates_and_leaves_other_pages_cached():
    story = live_story()
    first = post(story, "Roads are closing.")
    other = make_story("An unrelated story")
    live_json = f"{story.get_absolute_url()}live.json"
    pages = [story.get_absolute_url(), other.get_absolute_url(), "/"]
    for url in pages:
        served(url)
    served(live_json, since=first.pk)
    assert all(from_cache(url) for url in pages) and from_cache(live_json, since=first.pk)

    newest = post(story, "The bridge is shut.")

    assert not from_cache(story.get_absolute_url()) and not from_cache(live_json, since=first.pk)
    assert from_cache(other.get_absolute_url()) and from_cache("/")  # home lists it, but shows no entries
    soup = page(Client().get(story.get_absolute_url()))
    assert entry_texts(soup)[0] == "The bridge is shut."
    data = Client().get(live_json, {"since": first.pk}).json()
    assert [update["id"] for update in data["entries"]] == [newest.pk]


@pytest.mark.usefixtures("page_cache")
def test_correcting_or_deleting_an_entry_shows_at_once_on_the_cached_page():
    story = live_story()
    entry = post(story, "Ten roads are closed.")
    served(story.get_absolute_url())
    live.correct_entry(entry=entry, by=None, body="Twelve roads are closed.", note="Two more roads closed.")
    assert entry_texts(page(Client().get(story.get_absolute_url()))) == ["Twelve roads are closed."]
    live.delete_entry(entry=entry, by=None)
    assert entry_texts(page(Client().get(story.get_absolute_url()))) == []


@pytest.mark.usefixtures("page_cache")
def test_entries_of_a_draft_being_prepared_retire_nothing():
    draft = live_story("Prepared as a live blog", status=Story.Status.DRAFT)
    other = make_story("Already public")
    served(other.get_absolute_url())
    served("/")
    post(draft, "Ready when we publish.")
    assert from_cache(other.get_absolute_url()) and from_cache("/")


def test_a_new_entry_forgets_the_kept_markup_of_that_story_only():
    story, other = live_story(), make_story("Another")
    for each in (story, other):
        Client().get(each.get_absolute_url())
    story.refresh_from_db()
    other.refresh_from_db()
    assert story.rendered_article and other.rendered_article
    post(story, "New entry.")
    story.refresh_from_db()
    other.refresh_from_db()
    assert story.rendered_article == "" and other.rendered_article != ""


# Live page for a reader who is not served the shared pieces: its summary with the markup kept on it, the
# entries being part of that markup (no related stories here, so no teasers). After a new entry, that
# markup is rendered again once: the story with its parts, its entries (with their authors, people and
# pictures) and one update keeping it. However many entries.
LIVE_PAGE_QUERIES = 1
LIVE_PAGE_FIRST_RENDER_QUERIES = LIVE_PAGE_QUERIES + 3
# Live updates: the story, and its entries newer than the one asked about.
LIVE_UPDATES_QUERIES = 2


def test_live_page_and_updates_query_counts_do_not_grow_with_entries(client):
    story = live_story()
    Client().get("/")  # the site chrome is cached
    counts = []
    for round_ in range(2):
        for n in range(3 * (round_ + 1)):
            post(
                story,
                f"Update {round_}-{n}",
                author=make_author(),
                picture=make_image(),
                quote_text="Yes.",
                person=make_person(),
            )
        client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32  # no shared pieces for this reader
        with CaptureQueriesContext(connection) as first:
            assert client.get(story.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as again:
            assert client.get(story.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as updates:
            assert client.get(f"{story.get_absolute_url()}live.json", {"since": 0}).status_code == 200
        counts.append((len(first), len(again), len(updates)))
    expected = (LIVE_PAGE_FIRST_RENDER_QUERIES, LIVE_PAGE_QUERIES, LIVE_UPDATES_QUERIES)
    assert counts == [expected, expected]


# --- feeds and the API ----------------------------------------------------------------------------


def test_the_story_feed_entry_carries_its_live_entries_and_a_new_one_shows_in_the_feed(client, coverage):
    story, entries = coverage
    feed = client.get("/feed/").content.decode()
    assert "The mayor visits the shelter." in feed and "One bridge is under water." in feed
    assert "Only one bridge flooded." in feed and "rumour" not in feed
    post(story, "Shelter closes for the night.")
    assert "Shelter closes for the night." in client.get("/feed/atom/").content.decode()


def test_the_ninjs_item_of_a_live_blog_lists_its_entries_as_associations(client, coverage):
    story, entries = coverage
    live.end_coverage(story=story, by=None, summary="The road reopened.")
    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    updates = [a for a in item["associations"] if a["name"].startswith("liveupdate")]
    assert [u["uri"].rsplit("#", 1)[1] for u in updates] == [
        f"entry-{entries['pinned'].pk}",
        f"entry-{entries['newest'].pk}",
        f"entry-{entries['corrected'].pk}",
    ]
    corrected = updates[2]
    assert corrected["by"] == "Pieter Botha" and corrected["descriptions"][0]["value"] == "Only one bridge flooded."
    assert "One bridge is under water." in corrected["bodies"][0]["value"]
    assert {"role": "liveblogsummary", "contenttype": "text/plain", "value": "The road reopened."} in item[
        "descriptions"
    ]
    assert list(ninjs.validator().iter_errors(item)) == []
    listed = client.get("/api/ninjs/stories/").json()["items"]
    assert [a["name"] for a in listed[0]["associations"] if a["name"].startswith("liveupdate")] == [
        "liveupdate1",
        "liveupdate2",
        "liveupdate3",
    ]


def test_demo_content_has_a_running_live_blog_with_a_pinned_and_a_corrected_entry(client, demo_site):
    story = Story.objects.get(live=True)
    soup = page(client.get(story.get_absolute_url()))
    assert story.coverage_running and len(entry_texts(soup)) >= 5
    assert soup.select_one(".live-entry--pinned") is soup.select_one(".live-entry")
    assert len(soup.select(".live-entry__correction")) == 1
    assert json_ld(soup)["@type"] == "LiveBlogPosting"


@pytest.mark.usefixtures("page_cache")
def test_a_new_entry_retires_the_feeds_carrying_the_story_and_no_other_feed():
    story = live_story(section=make_section("News"))
    other = make_story("Derby day", section=make_section("Sport"))
    feeds = ["/feed/", f"{story.section.get_absolute_url()}feed/", f"{other.section.get_absolute_url()}feed/"]
    for url in feeds:
        served(url)
    assert all(from_cache(url) for url in feeds)

    post(story, "Sandbags are handed out at the fire station.")

    assert "Sandbags are handed out" in served("/feed/").content.decode()
    assert "Sandbags are handed out" in served(feeds[1]).content.decode()
    assert from_cache(feeds[2])


def test_what_people_type_into_an_entry_shows_as_text_never_as_markup(client):
    story = live_story()
    entry = post(
        story,
        '<p onclick="steal()">Calm <img src=x onerror=alert(1)> here</p>',
        quote_text='<script>alert("quote")</script>',
        person=make_person("<b>Name</b>"),
    )
    live.correct_entry(entry=entry, by=None, body="Calm here.", note="<i>note</i> & more")
    blog = page(client.get(story.get_absolute_url())).select_one("section.live")
    assert blog.find("script") is None and blog.find("img") is None and blog.find("b") is None
    assert blog.find(attrs={"onclick": True}) is None
    assert '<script>alert("quote")</script>' in blog.blockquote.get_text()
    assert "<i>note</i> & more" in blog.select_one(".live-entry__correction").get_text()


# With every cache empty: the publication's row (site chrome, most-read list, next scheduled change) and
# the summary with the kept markup, as for any story page with no related stories; the live updates: the
# publication's row (for the next scheduled change) and the two queries above.
LIVE_PAGE_COLD_QUERIES = 2
LIVE_UPDATES_COLD_QUERIES = LIVE_UPDATES_QUERIES + 1


def test_a_live_page_with_no_cache_at_all_costs_what_any_story_page_costs(client):
    from tests.test_query_counts import COLD_PAGE_BUDGET, NO_CACHE, cold

    story = live_story()
    for n in range(4):
        post(story, f"Update {n}", author=make_author())
    client.get(story.get_absolute_url())  # the markup is kept on the story, entries and all
    response, queries = cold(client, story.get_absolute_url())
    assert queries == LIVE_PAGE_COLD_QUERIES <= COLD_PAGE_BUDGET and "Update 3" in response.content.decode()
    with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as updates:
        assert client.get(f"{story.get_absolute_url()}live.json", {"since": 0}).status_code == 200
    assert len(updates) == LIVE_UPDATES_COLD_QUERIES
