"""Revisions: history with who and when, readable diffs and restore (two editors at once: test_merging)."""

import pytest
from bs4 import BeautifulSoup

from articles import publishing, revisions
from articles.models import Byline, Quote, Story
from tests.factories import (
    log_in,
    make_author,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_source,
    ready_story,
)

pytestmark = pytest.mark.django_db


def change_url(story):
    return f"/admin/articles/story/{story.pk}/change/"


def edit(story, by, **fields):
    """An edit the way the story form makes one: the story first, then its related rows."""
    for name, value in fields.items():
        setattr(story, name, value)
    return publishing.save_story(story=story, by=by, changed_fields=fields)


def test_word_level_diff_marks_only_the_changed_words():
    segments = revisions.diff_words("The council met on Monday.", "The council met on Tuesday night.")
    assert [s for s in segments if s[0] != "equal"] == [("delete", "Monday."), ("insert", "Tuesday night.")]
    assert "".join(text for op, text in segments if op != "delete") == "The council met on Tuesday night."


def test_compare_covers_text_and_metadata(editor):
    story = ready_story("Old headline", tags=["Water"], section=make_section("News"))
    first = story.history.first()
    edit(story, editor, headline="New headline", section=make_section("Business"), source=make_source("Wire"))
    story.tags.set(["Power"])
    Byline.objects.create(story=story, author=make_author("Second Writer"), position=1)
    hero = make_image(title="Harbour at dawn")
    edit(story, editor, hero_image=hero)

    changes = {change.label: change for change in revisions.compare(first, story.history.first())}

    assert set(changes) >= {"Headline", "Section", "Tags", "Bylines", "Hero image", "Source"}
    assert ("insert", "Power") in changes["Tags"].segments and ("delete", "Water") in changes["Tags"].segments
    assert ("insert", "Business") in changes["Section"].segments
    assert any(op == "insert" and "Second Writer" in text for op, text in changes["Bylines"].segments)
    assert ("insert", "Harbour at dawn") in changes["Hero image"].segments


def test_history_page_lists_revisions_with_who_and_compare_escapes_hostile_text(client, editor):
    story = ready_story("Plain headline")
    edit(story, editor, headline='<script>alert("x")</script><img src=x onerror=alert(1)>')
    log_in(client, editor)

    history = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/history/").content, "html.parser")
    rows = history.select(".revision-table tbody tr")
    assert len(rows) == 2
    assert "Edna" in rows[0].get_text() and "Edited" in rows[0].get_text()

    old, new = story.history.last().history_id, story.history.first().history_id
    page = client.get(f"/admin/articles/story/{story.pk}/history/compare/?from={old}&to={new}")
    soup = BeautifulSoup(page.content, "html.parser")
    assert page.status_code == 200
    assert not soup.select(".diff script") and not soup.select(".diff img")
    inserted = " ".join(ins.get_text() for ins in soup.select(".revision-diff ins"))
    assert '<script>alert("x")</script>' in inserted


@pytest.mark.parametrize("query", ["from=99999999999999999999&to=1", "from=-1&to=0", "from=x&to=1", "from=1"])
def test_comparing_revisions_that_cannot_exist_is_a_404(client, editor, query):
    story = ready_story("Plain headline")
    log_in(client, editor)

    assert client.get(f"/admin/articles/story/{story.pk}/history/compare/?{query}").status_code == 404


def test_restoring_an_old_revision_brings_back_text_tags_bylines_and_quotes(client, editor):
    writer, person = make_author("First Writer"), make_person("Sipho Nkosi")
    story = ready_story("Original headline", authors=[writer], tags=["Water", "Soweto"])
    make_quote(story, person, "The original quote.")
    edit(story, editor, headline="Bad rewrite", standfirst="A worse summary.")
    original = story.history.last()
    story.tags.set(["Gossip"])
    story.bylines.all().delete()
    Byline.objects.create(story=story, author=make_author("Someone Else"))
    Quote.objects.filter(story=story).update(text="Words never said.")
    edit(story, editor, body="<p>Replaced body.</p>")
    revisions_before = story.history.count()
    log_in(client, editor)

    response = client.post(f"/admin/articles/story/{story.pk}/history/{original.history_id}/restore/")

    assert response.status_code == 302
    story = Story.objects.get(pk=story.pk)
    assert story.headline == "Original headline" and story.standfirst == "A short summary of what happened."
    assert "The first paragraph." in story.body
    assert sorted(story.tags.names()) == ["Soweto", "Water"]
    assert [author.name for author in story.byline_authors] == ["First Writer"]
    assert list(story.quotes.values_list("person__name", "text")) == [("Sipho Nkosi", "The original quote.")]
    assert story.history.count() == revisions_before + 1
    latest = story.history.first()
    assert latest.history_change_reason.startswith("Restored the revision of") and latest.history_user == editor
    # Nothing is lost: the rewrite is still in the history and can itself be restored.
    assert story.history.filter(headline="Bad rewrite").exists()


def test_restoring_a_live_story_sets_its_updated_time(editor):
    story = ready_story("Original")
    publishing.publish(story=story, by=editor)
    first = story.history.first()
    edit(story, editor, headline="Changed")
    publishing.restore_revision(story=story, by=editor, revision_id=first.history_id)
    assert story.headline == "Original" and story.modified_at is not None


def test_the_version_field_grants_nothing(client, reporter, other_reporter):
    story = ready_story("Oscar's story", created_by=other_reporter)
    log_in(client, reporter)
    response = client.post(change_url(story), {"headline": "Mine now", "base_version": story.version})
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.headline == "Oscar's story"


def test_rows_created_without_history_are_kept_by_a_restore(editor):
    """Bulk loads (benchmarks, archives) skip history: such bylines, quotes and tags are not lost."""
    story = ready_story("First headline", authors=[])
    first = story.history.first()
    Byline.objects.bulk_create([Byline(story=story, author=make_author("Bulk Writer"))])
    Quote.objects.bulk_create([Quote(story=story, person=make_person("Bulk Person"), text="Loaded in bulk.")])
    edit(story, editor, headline="Second headline")

    publishing.restore_revision(story=story, by=editor, revision_id=first.history_id)

    assert story.headline == "First headline"
    assert [author.name for author in story.byline_authors] == ["Bulk Writer"]
    assert list(story.quotes.values_list("text", flat=True)) == ["Loaded in bulk."]
