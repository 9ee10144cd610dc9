"""Corrections: appended by editors, shown to readers with the updated time, never edited away."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles import publishing
from articles.models import Correction, Story
from tests.factories import log_in, make_section, make_story, ready_story
from tests.html_forms import form_data
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_an_editor_adds_a_correction_that_readers_see_with_the_updated_time(client, editor):
    story = make_story("Mayor opens clinic", published_at=timezone.now() - timedelta(days=1))
    log_in(client, editor)

    response = client.post(
        f"/admin/articles/story/{story.pk}/correct/",
        {"kind": "correction", "text": "An earlier version gave the wrong opening date."},
    )

    assert response.status_code == 302
    client.logout()
    page = soup(client.get(story.get_absolute_url()))
    item = page.select_one(".corrections li")
    assert "Correction" in item.get_text() and "An earlier version gave the wrong opening date." in item.get_text()
    story.refresh_from_db()
    updated = page.select(".story__header time")[1]
    assert updated["datetime"] == timezone.localtime(story.modified_at).isoformat()


def test_the_corrections_page_lists_recent_corrections_on_published_stories(client, editor):
    older = make_story("Older story", published_at=timezone.now() - timedelta(days=3))
    newer = make_story("Newer story", published_at=timezone.now() - timedelta(days=2))
    publishing.add_correction(story=older, by=editor, text="First fix.", now=timezone.now() - timedelta(days=1))
    publishing.add_correction(story=newer, by=editor, text="Second fix.", kind=Correction.Kind.CLARIFICATION)
    retracted = make_story("Retracted story")
    publishing.add_correction(story=retracted, by=editor, text="Hidden fix.")
    publishing.retract(story=retracted, by=editor)

    page = soup(client.get("/corrections/"))

    items = page.select(".correction")
    assert [item.h2.get_text(strip=True) for item in items] == ["Newer story", "Older story"]
    assert "Clarification" in items[0].get_text() and "Second fix." in items[0].get_text()
    assert items[1].h2.a["href"] == older.get_absolute_url()
    assert "Hidden fix." not in page.get_text()


def test_corrections_are_read_only_in_the_story_form(client, editor):
    story = make_story()
    publishing.add_correction(story=story, by=editor, text="The original text.")
    log_in(client, editor)
    response = client.get(f"/admin/articles/story/{story.pk}/change/")
    page = soup(response)
    assert page.find(attrs={"name": "corrections-0-text"}) is None
    assert "The original text." in page.select_one("#corrections-group").get_text()

    data = form_data(response, "story_form")
    data.update({"corrections-0-text": "Edited away", "corrections-0-DELETE": "on"})
    client.post(f"/admin/articles/story/{story.pk}/change/", data)

    assert list(Correction.objects.values_list("text", flat=True)) == ["The original text."]


def test_a_correction_is_part_of_the_history(editor):
    story = make_story()
    correction = publishing.add_correction(story=story, by=editor, text="Wrong spelling.")
    assert correction.history.get().history_user == editor
    assert story.history.first().history_change_reason == "Correction added"


def test_a_draft_cannot_be_corrected(client, editor):
    story = ready_story()
    log_in(client, editor)

    response = client.post(f"/admin/articles/story/{story.pk}/correct/", {"kind": "correction", "text": "Too early"})

    assert response.status_code == 200
    assert "Corrections are for published stories; edit a draft directly." in response.content.decode()
    assert not Correction.objects.exists()
    assert Story.objects.get(pk=story.pk).modified_at is None


# Pinned: a change here is a deliberate decision, not drift.
CORRECTIONS_PAGE_QUERIES = 2  # count, page of corrections with their stories


def test_the_corrections_page_query_count_does_not_grow_with_corrections(client, editor):
    publishing.add_correction(story=make_story(), by=editor, text="One fix.")
    assert queries_for(client, "/corrections/") == CORRECTIONS_PAGE_QUERIES
    for n in range(25):
        publishing.add_correction(story=make_story(f"Story {n}", section=make_section()), by=editor, text=f"Fix {n}.")
    assert queries_for(client, "/corrections/") == CORRECTIONS_PAGE_QUERIES
    assert queries_for(client, "/corrections/?page=2") == CORRECTIONS_PAGE_QUERIES


def test_every_page_links_to_the_corrections_page(client):
    page = soup(client.get("/"))
    assert page.select_one(".site-footer a[href='/corrections/']").get_text() == "Corrections and clarifications"
