"""Scheduled stories appear by themselves at their publish time, on every public page, with no cron."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from articles import publishing
from tests.factories import log_in, make_author, make_person, make_quote, make_section, ready_story

pytestmark = pytest.mark.django_db

PUBLISH_AT = datetime(2031, 3, 1, 9, 0, tzinfo=ZoneInfo("Africa/Johannesburg"))


@pytest.fixture
def scheduled(editor):
    section = make_section("Metro")
    author = make_author("Naledi Khumalo")
    person = make_person("Sipho Nkosi")
    with time_machine.travel(PUBLISH_AT - timedelta(days=1), tick=False):
        story = ready_story("Scheduled scoop", section=section, authors=[author], tags=["Water"])
        make_quote(story, person, "We will fix the pipes.")
        publishing.publish(story=story, by=editor, at=PUBLISH_AT)
    return story, ["/", section.get_absolute_url(), "/tag/water/", author.get_absolute_url(), person.get_absolute_url()]


def test_a_scheduled_story_is_invisible_one_second_before_its_time(client, scheduled):
    story, listing_pages = scheduled
    with time_machine.travel(PUBLISH_AT - timedelta(seconds=1), tick=False):
        assert client.get(story.get_absolute_url()).status_code == 404
        for url in listing_pages:
            response = client.get(url)
            assert "Scheduled scoop" not in response.content.decode(), url


def test_a_scheduled_story_is_visible_one_second_after_its_time(client, scheduled):
    story, listing_pages = scheduled
    with time_machine.travel(PUBLISH_AT + timedelta(seconds=1), tick=False):
        assert client.get(story.get_absolute_url()).status_code == 200
        for url in listing_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Scheduled scoop" in response.content.decode(), url


def test_row_and_queryset_rules_agree_on_a_scheduled_story(scheduled):
    story, _ = scheduled
    for moment, visible in [(PUBLISH_AT - timedelta(seconds=1), False), (PUBLISH_AT + timedelta(seconds=1), True)]:
        assert story.is_published(moment) is visible
        assert story.is_scheduled(moment) is not visible
        assert story.__class__.objects.published(moment).filter(pk=story.pk).exists() is visible


def test_the_admin_list_says_when_a_story_is_scheduled(client, editor, scheduled):
    with time_machine.travel(PUBLISH_AT - timedelta(hours=1), tick=False):
        log_in(client, editor)
        page = client.get("/admin/articles/story/").content.decode()
    assert "Scheduled for 1 Mar 2031, 09:00" in page
    assert timezone.get_current_timezone_name() == "Africa/Johannesburg"
