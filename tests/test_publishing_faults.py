"""A workflow that fails half-way leaves nothing half-done: the database and the site are as before."""

import pytest

from articles import publishing
from articles.models import Correction, Story
from tests.factories import make_author, make_person, make_quote, ready_story

pytestmark = pytest.mark.django_db


class InjectedFault(Exception):
    """Stands in for anything that can go wrong mid-way: a lost connection, a bug, a full disk."""


def fail(*args, **kwargs):
    raise InjectedFault


def snapshot(story: Story) -> dict:
    fresh = Story.objects.get(pk=story.pk)
    return {
        "row": {f.attname: getattr(fresh, f.attname) for f in Story._meta.concrete_fields},
        "revisions": fresh.history.count(),
        "bylines": list(fresh.bylines.values_list("author__name", "position")),
        "quotes": list(fresh.quotes.values_list("person__name", "text")),
        "tags": sorted(fresh.tags.names()),
        "corrections": list(Correction.objects.filter(story=fresh).values_list("text", flat=True)),
    }


def test_publish_failing_after_the_row_is_written_leaves_a_draft_nobody_can_read(client, editor, monkeypatch):
    story = ready_story("Council approves new bus routes")
    before = snapshot(story)
    assert client.get("/").status_code == 200  # the home page is now in the page cache
    # The story row and its revision are written; the next step fails.
    monkeypatch.setattr(story, "refresh_from_db", fail)

    with pytest.raises(InjectedFault):
        publishing.publish(story=story, by=editor)

    assert snapshot(story) == before
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT
    assert client.get(story.get_absolute_url()).status_code == 404
    assert b"Council approves new bus routes" not in client.get("/").content
    assert b"Council approves new bus routes" not in client.get("/feed/").content


def test_correction_failing_after_it_is_written_leaves_no_correction(client, editor, monkeypatch):
    story = ready_story("Council approves new bus routes")
    publishing.publish(story=story, by=editor)
    before = snapshot(story)
    monkeypatch.setattr(publishing, "_save", fail)  # runs after the correction row is saved

    with pytest.raises(InjectedFault):
        publishing.add_correction(story=story, by=editor, text="The routes start in April, not March.")

    assert snapshot(story) == before
    assert b"April, not March" not in client.get(story.get_absolute_url()).content


def test_restore_failing_between_bylines_and_quotes_loses_neither(editor, monkeypatch):
    story = ready_story("Original headline", authors=[make_author("First Writer")], tags=["Water"])
    make_quote(story, make_person("Sipho Nkosi"), "The original quote.")
    first = story.history.first()
    story.headline = "Rewritten headline"
    publishing.save_story(story=story, by=editor, changed_fields=["headline"])
    before = snapshot(story)
    calls = []

    def fail_on_the_second_object(obj, *, by):
        calls.append(obj)
        if len(calls) == 2:  # the byline is back, the quote is not
            raise InjectedFault
        obj.save()

    monkeypatch.setattr(publishing, "_create", fail_on_the_second_object)

    with pytest.raises(InjectedFault):
        publishing.restore_revision(story=story, by=editor, revision_id=first.history_id)

    assert snapshot(story) == before
    assert before["bylines"] == [("First Writer", 0)] and before["quotes"] == [("Sipho Nkosi", "The original quote.")]
