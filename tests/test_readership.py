"""Most-read stories: counted in the cache without cookies, written in batches, shown on reader pages."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import readership
from articles.models import Story, StoryReadCount
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def stored_counts():
    return {(row.story.headline, row.count) for row in StoryReadCount.objects.select_related("story")}


def read(story, times=1, *, now, client=""):
    for n in range(times):
        readership.record_read(story.pk, client=client or f"10.0.0.{n}", now=now)


def most_read_block(client, url="/"):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [a.get_text() for a in page.select(".most-read li a")]


def test_reads_are_written_when_the_next_period_begins():
    now = readership.period_start(timezone.now()) + timedelta(minutes=1)
    first, second = make_story("First"), make_story("Second")
    read(first, 3, now=now)
    read(second, 1, now=now)
    assert stored_counts() == set()  # still counting in the cache

    read(second, 1, now=now + readership.PERIOD)

    assert stored_counts() == {("First", 3), ("Second", 1)}


def test_a_reader_counts_once_per_story_per_period():
    now = timezone.now()
    story = make_story("First")

    assert readership.record_read(story.pk, client="192.0.2.7", now=now) is True
    assert readership.record_read(story.pk, client="192.0.2.7", now=now) is False
    readership.record_read(story.pk, client="192.0.2.8", now=now)
    readership.flush(now=now + readership.PERIOD)

    assert stored_counts() == {("First", 2)}


def test_each_closed_period_is_written_once_and_later_counts_add_up():
    start = readership.period_start(timezone.now())
    story = make_story("First")
    read(story, 2, now=start)
    assert readership.flush(now=start + readership.PERIOD) == 1
    assert readership.flush(now=start + readership.PERIOD) == 0  # already written

    read(story, 4, now=start + readership.PERIOD)
    readership.flush(now=start + 2 * readership.PERIOD)

    assert sorted(StoryReadCount.objects.values_list("count", flat=True)) == [2, 4]


def test_reads_of_unknown_or_unpublished_stories_are_dropped():
    now = timezone.now()
    draft = make_story("Draft", status=Story.Status.DRAFT)
    visible = make_story("Visible")
    for story_id in (draft.pk, visible.pk, 999_999):
        readership.record_read(story_id, client="192.0.2.1", now=now)

    readership.flush(now=now + readership.PERIOD)

    assert stored_counts() == {("Visible", 1)}


def test_the_beacon_counts_only_published_stories(client):
    now = timezone.now()
    visible = make_story("Visible")
    draft = make_story("Draft", status=Story.Status.DRAFT)
    scheduled = make_story("Scheduled", published_at=now + timedelta(hours=1))

    for story_id in (draft.pk, scheduled.pk, 999_999, visible.pk):
        response = client.post(f"/reads/{story_id}/", HTTP_USER_AGENT="Mozilla/5.0")
        assert response.status_code == 204
    readership.flush(now=timezone.now() + readership.PERIOD)

    assert stored_counts() == {("Visible", 1)}


def test_made_up_story_ids_do_not_crowd_real_stories_out_of_a_period(client, monkeypatch):
    monkeypatch.setattr(readership, "MAX_STORIES_PER_PERIOD", 3)
    story = make_story("Real")
    for story_id in range(900_001, 900_011):
        client.post(f"/reads/{story_id}/", HTTP_USER_AGENT="Mozilla/5.0")

    client.post(f"/reads/{story.pk}/", HTTP_USER_AGENT="Mozilla/5.0")
    readership.flush(now=timezone.now() + readership.PERIOD)

    assert stored_counts() == {("Real", 1)}


def test_ranking_covers_the_last_day_most_read_first():
    now = timezone.now()
    hot, warm, old = make_story("Hot"), make_story("Warm"), make_story("Yesterday's news")
    period = readership.period_start(now)
    StoryReadCount.objects.create(story=hot, period_start=period - timedelta(hours=1), count=30)
    StoryReadCount.objects.create(story=hot, period_start=period - timedelta(hours=5), count=30)
    StoryReadCount.objects.create(story=warm, period_start=period - timedelta(hours=2), count=40)
    StoryReadCount.objects.create(story=old, period_start=period - timedelta(hours=25), count=500)

    assert readership.ranking(now) == [hot.pk, warm.pk]


def test_old_counts_are_removed_when_counts_are_written():
    now = timezone.now()
    story = make_story("First")
    StoryReadCount.objects.create(story=story, period_start=now - timedelta(days=31), count=5)
    read(story, 1, now=now)

    readership.flush(now=now + readership.PERIOD)

    assert stored_counts() == {("First", 1)}


def test_flush_command_writes_closed_periods():
    story = make_story("First")
    read(story, 2, now=timezone.now() - readership.PERIOD)

    out = io.StringIO()
    call_command("flush_read_counts", stdout=out)

    assert "1 story period" in out.getvalue()
    assert stored_counts() == {("First", 2)}


def test_the_beacon_counts_a_view_without_a_cookie_or_a_token():
    story = make_story("First")
    browser = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0")

    response = browser.post(f"/reads/{story.pk}/")
    readership.flush(now=timezone.now() + readership.PERIOD)

    assert response.status_code == 204
    assert not response.cookies and not response.content
    assert stored_counts() == {("First", 1)}
    assert browser.get(f"/reads/{story.pk}/").status_code == 405


def test_crawlers_are_not_counted(client):
    story = make_story("First")

    client.post(f"/reads/{story.pk}/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    readership.flush(now=timezone.now() + readership.PERIOD)

    assert stored_counts() == set()


def test_story_pages_carry_the_beacon_address_and_its_script(client):
    story = make_story("First")

    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")

    assert page.select_one("article.story")["data-read-url"] == f"/reads/{story.pk}/"
    assert [s["src"] for s in page.select("script[src]")] == ["/static/js/story.js"]


def test_most_read_block_appears_on_home_and_story_pages_and_follows_new_counts(client):
    now = timezone.now()
    hot, warm = make_story("Hot story"), make_story("Warm story")
    draft = make_story("Draft story", status=Story.Status.DRAFT)
    assert most_read_block(client) == []  # nothing read yet; this page is now cached

    period = readership.period_start(now)
    StoryReadCount.objects.create(story=draft, period_start=period - timedelta(hours=1), count=99)
    read(warm, 2, now=now - readership.PERIOD)
    read(hot, 5, now=now - readership.PERIOD)
    read(warm, 1, now=now)  # the first read of this period writes the last one

    assert most_read_block(client) == ["Hot story", "Warm story"]
    assert most_read_block(client, warm.get_absolute_url()) == ["Hot story", "Warm story"]
